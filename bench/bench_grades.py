"""Benchmark: /grades for one student in a school of 500 with a full year of marks.

    python bench/bench_grades.py [--students 500] [--marks 120] [--samples 200] [--database-url URL]

Builds a temporary SQLite database (migrated with models.db.upgrade_database), fills it with bulk
inserts — 20 classes of 25, ten subjects, a lesson for every timetable slot of the year, about
120 marks and some absences per student — then times the call that builds the /grades answer
(access check, queries and rendering: handlers.family.build_view) for random students, each in a
fresh session as the chat does per update. Prints p50/p95/max in milliseconds; the target is
p95 under 50 ms. With --database-url the same runs against an empty database you name (PostgreSQL).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, insert, select  # noqa: E402

from bot.i18n import get_translator  # noqa: E402
from handlers.family import View, build_view  # noqa: E402
from models import (  # noqa: E402
    AcademicYear,
    Attendance,
    BellTime,
    Holiday,
    Lesson,
    Mark,
    Parent,
    ParentStudent,
    Period,
    SchoolClass,
    SchoolSettings,
    Staff,
    StaffRole,
    StaffRoleGrant,
    Student,
    Subject,
    TeachingAssignment,
    TimetableEntry,
    WorkType,
)
from models.db import create_engine, create_session_maker, upgrade_database  # noqa: E402
from services.actor import Actor  # noqa: E402

FIRST = 2026
PERIODS = [
    ("1 четверть", dt.date(FIRST, 9, 1), dt.date(FIRST, 10, 25)),
    ("2 четверть", dt.date(FIRST, 11, 5), dt.date(FIRST, 12, 28)),
    ("3 четверть", dt.date(FIRST + 1, 1, 9), dt.date(FIRST + 1, 3, 22)),
    ("4 четверть", dt.date(FIRST + 1, 4, 1), dt.date(FIRST + 1, 5, 26)),
]
SUBJECTS = [
    "Математика",
    "Русский язык",
    "Литература",
    "Английский язык",
    "История",
    "Физика",
    "Биология",
    "География",
    "Информатика",
    "Физкультура",
]
WORK_TYPES = [
    ("работа на уроке", 1.0),
    ("самостоятельная работа", 2.0),
    ("контрольная работа", 3.0),
    ("домашняя работа", 1.0),
]
CLASS_SIZE = 25
LESSONS_PER_DAY = 6
TODAY = dt.date(FIRST + 1, 5, 20)  # late in the 4th четверть: a full year of marks behind


def school_days() -> list[dt.date]:
    days = []
    for _, start, end in PERIODS:
        day = start
        while day <= end:
            if day.isoweekday() <= 5:
                days.append(day)
            day += dt.timedelta(days=1)
    return days


async def build(engine, students: int, marks_per_student: int, rng: random.Random) -> dict[int, int]:
    """Fills the database; returns student id → parent id."""
    classes = max(1, students // CLASS_SIZE)
    days = school_days()
    async with engine.begin() as conn:
        await conn.execute(insert(SchoolSettings), [{"id": 1}])
        await conn.execute(
            insert(AcademicYear),
            [{"id": 1, "name": f"{FIRST}/{FIRST + 1}", "start": PERIODS[0][1], "end": PERIODS[-1][2]}],
        )
        await conn.execute(
            insert(Period),
            [
                {"id": n, "year_id": 1, "name": name, "start": s, "end": e}
                for n, (name, s, e) in enumerate(PERIODS, start=1)
            ],
        )
        await conn.execute(
            insert(Holiday),
            [
                {
                    "year_id": 1,
                    "name": "зимние каникулы",
                    "start": dt.date(FIRST, 12, 29),
                    "end": dt.date(FIRST + 1, 1, 8),
                }
            ],
        )
        await conn.execute(insert(Subject), [{"id": n, "name": name} for n, name in enumerate(SUBJECTS, start=1)])
        await conn.execute(
            insert(WorkType), [{"id": n, "name": name, "weight": w} for n, (name, w) in enumerate(WORK_TYPES, start=1)]
        )
        await conn.execute(
            insert(BellTime),
            [
                {"lesson_no": n, "start": dt.time(8 + n, 0), "end": dt.time(8 + n, 45)}
                for n in range(1, LESSONS_PER_DAY + 1)
            ],
        )
        await conn.execute(
            insert(Staff),
            [{"id": n, "external_id": f"t{n}", "full_name": f"Учитель {n}"} for n in range(1, classes + 1)],
        )
        await conn.execute(
            insert(StaffRoleGrant), [{"staff_id": n, "role": StaffRole.TEACHER} for n in range(1, classes + 1)]
        )
        await conn.execute(
            insert(SchoolClass),
            [
                {
                    "id": c,
                    "name": f"{5 + (c - 1) % 7}{'АБВГ'[(c - 1) // 7 % 4]}{(c - 1) // 28 or ''}",
                    "grade": 5 + (c - 1) % 7,
                    "letter": "А",
                    "homeroom_teacher_id": c,
                }
                for c in range(1, classes + 1)
            ],
        )
        await conn.execute(
            insert(TeachingAssignment),
            [
                {"staff_id": c, "class_id": c, "subject_id": s}
                for c in range(1, classes + 1)
                for s in range(1, len(SUBJECTS) + 1)
            ],
        )
        timetable = [
            {
                "class_id": c,
                "weekday": wd,
                "lesson_no": n,
                "staff_id": c,
                "room": str(100 + c),
                "subject_id": (c + wd * LESSONS_PER_DAY + n) % len(SUBJECTS) + 1,
            }
            for c in range(1, classes + 1)
            for wd in range(1, 6)
            for n in range(1, LESSONS_PER_DAY + 1)
        ]
        await conn.execute(insert(TimetableEntry), timetable)
        await conn.execute(
            insert(Student),
            [
                {
                    "id": s,
                    "external_id": f"s{s}",
                    "full_name": f"Ученик {s:04d} Тестович",
                    "class_id": (s - 1) % classes + 1,
                }
                for s in range(1, students + 1)
            ],
        )
        await conn.execute(
            insert(Parent),
            [{"id": s, "external_id": f"p{s}", "full_name": f"Родитель {s}"} for s in range(1, students + 1)],
        )
        await conn.execute(insert(ParentStudent), [{"parent_id": s, "student_id": s} for s in range(1, students + 1)])

        # One lesson per timetable slot and school day.
        slots: dict[tuple[int, int], list[tuple[int, int]]] = {}
        for row in timetable:
            slots.setdefault((row["class_id"], row["weekday"]), []).append((row["lesson_no"], row["subject_id"]))
        lessons = []
        by_class: dict[int, list[int]] = {c: [] for c in range(1, classes + 1)}
        for day in days:
            for c in range(1, classes + 1):
                for lesson_no, subject_id in slots[(c, day.isoweekday())]:
                    lesson_id = len(lessons) + 1
                    lessons.append(
                        {
                            "id": lesson_id,
                            "class_id": c,
                            "subject_id": subject_id,
                            "date": day,
                            "lesson_no": lesson_no,
                            "teacher_id": c,
                            "homework": "",
                        }
                    )
                    by_class[c].append(lesson_id)
        for chunk in range(0, len(lessons), 5000):
            await conn.execute(insert(Lesson), lessons[chunk : chunk + 5000])

        marks, absences = [], []
        for s in range(1, students + 1):
            c = (s - 1) % classes + 1
            for lesson_id in rng.sample(by_class[c], min(marks_per_student, len(by_class[c]))):
                work = rng.choice((1, 1, 1, 2, 3, 4))
                marks.append(
                    {
                        "lesson_id": lesson_id,
                        "student_id": s,
                        "slot": 1,
                        "comment": "",
                        "value": rng.choice((2, 3, 4, 4, 5, 5)),
                        "work_type_id": work,
                        "weight": WORK_TYPES[work - 1][1],
                        "author_staff_id": c,
                    }
                )
            for lesson_id in rng.sample(by_class[c], 15):
                absences.append(
                    {
                        "lesson_id": lesson_id,
                        "student_id": s,
                        "code": rng.choice(("н", "б", "оп")),
                        "author_staff_id": c,
                    }
                )
        for chunk in range(0, len(marks), 5000):
            await conn.execute(insert(Mark), marks[chunk : chunk + 5000])
        await conn.execute(insert(Attendance), absences)
    print(
        f"school: {students} students in {classes} classes, {len(lessons)} lessons, {len(marks)} marks, "
        f"{len(absences)} absences"
    )
    return {s: s for s in range(1, students + 1)}


async def measure(
    session_maker, parents: dict[int, int], samples: int, rng: random.Random, args: str
) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds per answer (CPU: the whole process, aiosqlite's thread included)."""
    i18n = get_translator("ru")
    wall, cpu = [], []
    for student_id in rng.choices(list(parents), k=samples):
        actor = Actor(parent_ids=frozenset({parents[student_id]}), children_ids=frozenset({student_id}))
        started, started_cpu = time.perf_counter(), time.process_time()
        async with session_maker() as session:
            text = await build_view(session, actor, i18n, View.GRADES, student_id, TODAY, args)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        assert text
    return wall, cpu


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(round(share * len(ordered))) - 1)]


def report(label: str, timings: tuple[list[float], list[float]]) -> None:
    wall, cpu = timings
    print(
        f"{label:<15} n={len(wall)}  wall p50={statistics.median(wall):6.2f} p95={percentile(wall, 0.95):6.2f} "
        f"max={max(wall):6.2f} ms   cpu p50={statistics.median(cpu):6.2f} p95={percentile(cpu, 0.95):6.2f} ms"
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--students", type=int, default=500)
    parser.add_argument("--marks", type=int, default=120)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--database-url", default=None, help="an EMPTY database to fill (default: a temp SQLite file)")
    options = parser.parse_args()
    rng = random.Random(2026)
    with tempfile.TemporaryDirectory() as folder:
        url = options.database_url or f"sqlite+aiosqlite:///{folder}/bench.db"
        engine = create_engine(url)
        try:
            await upgrade_database(engine)
            async with engine.connect() as conn:
                if await conn.scalar(select(func.count()).select_from(Student)):
                    raise SystemExit("the database is not empty: give an empty one")
            started = time.perf_counter()
            parents = await build(engine, options.students, options.marks, rng)
            print(f"built in {time.perf_counter() - started:.1f} s ({engine.dialect.name})")
            session_maker = create_session_maker(engine)
            await measure(session_maker, parents, 20, rng, "")  # warm-up: caches, prepared statements
            report("/grades", await measure(session_maker, parents, options.samples, rng, ""))
            report("/grades матем", await measure(session_maker, parents, options.samples, rng, "матем"))
            report("/grades год", await measure(session_maker, parents, options.samples, rng, "год"))
            one, five, fifteen = os.getloadavg()
            print(f"load average (1, 5, 15 min): {one:.1f} {five:.1f} {fifteen:.1f} on {os.cpu_count()} CPUs")
        finally:
            await engine.dispose()


if __name__ == "__main__":
    asyncio.run(main())
