"""The 17:00 rush: many teachers writing at once while the families' notices go out (issue 8).

Everything goes through the real dispatcher, in one process, with the delivery worker and a scheduled
job running alongside: what the teachers are told, and what the database holds afterwards.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from bench.school_generator import make_school_sheets
from bot.outbound.delivery import delivery_worker
from models import Attendance, AuditEntry, Lesson, Mark, SchoolClass, Staff, Subject, TimetableEntry
from scheduler import jobs
from services.school_import import import_rows
from tests.people import bind_account, sign_in_every_parent

# Three hundred writes at one moment, each allowed WRITE_WAIT_SECONDS for its turn: beside the parallel run's
# other workers, on two cores, the last ones waited longer than that and were told to send again.
pytestmark = pytest.mark.alone

TODAY = dt.date(2026, 11, 26)  # a Thursday
NOW = dt.datetime(2026, 11, 26, 13, 0, tzinfo=dt.timezone.utc)  # 16:00 in Moscow, the hour before the deadline
TEACHERS = 20
LINES_PER_TEACHER = 15
DAYS = [
    TODAY - dt.timedelta(days=offset) for offset in range(14) if (TODAY - dt.timedelta(days=offset)).isoweekday() <= 5
]


@dataclass(frozen=True)
class Line:
    """One /mark command: a lesson and the class-list numbers it covers."""

    class_name: str
    subject: str
    date: dt.date
    lesson_no: int
    numbers: tuple[int, ...]

    def value(self, number: int) -> str:
        return "н" if number % 10 == 0 else str(2 + (number + self.lesson_no) % 4)

    def command(self) -> str:
        items = " ".join(f"{number}:{self.value(number)}" for number in self.numbers)
        return f"/mark {self.class_name} {self.subject} {self.date:%d.%m}/{self.lesson_no} {items}"

    def header(self) -> str:
        return f"{self.class_name}, {self.subject}, {self.date:%d.%m}, урок {self.lesson_no}"


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(NOW, tick=True)


async def import_school(session_maker) -> None:
    """A school of 20 classes of 25 (500 students, 20 teachers), every parent signed in."""
    async with session_maker() as session:
        report = await import_rows(session, make_school_sheets(500, today=TODAY), today=TODAY)
        assert report.ok, report.problems
        await sign_in_every_parent(session)
        await session.commit()


async def teachers_lines(session_maker) -> dict[str, list[Line]]:
    """Each teacher's 15 lines: 13 lessons of the last two weeks, half a class each, and two of them
    again for the other half (two lines on one lesson, sent at the same moment)."""
    async with session_maker() as session:
        rows = await session.execute(
            select(
                TimetableEntry.weekday,
                TimetableEntry.lesson_no,
                SchoolClass.name,
                SchoolClass.grade,
                Subject.name,
                TimetableEntry.staff_id,
            )
            .join(SchoolClass, SchoolClass.id == TimetableEntry.class_id)
            .join(Subject, Subject.id == TimetableEntry.subject_id)
            .order_by(TimetableEntry.id)
        )
        staff = dict((await session.execute(select(Staff.id, Staff.external_id))).all())
    slots: dict[str, list[tuple[int, int, str, str]]] = {}
    for weekday, lesson_no, class_name, grade, subject, staff_id in rows:
        if grade > 1:  # grade 1 keeps attendance only
            slots.setdefault(staff[staff_id], []).append((weekday, lesson_no, class_name, subject))
    lines: dict[str, list[Line]] = {}
    for teacher in sorted(slots)[:TEACHERS]:
        lessons = [
            (day, lesson_no, class_name, subject)
            for day in DAYS
            for weekday, lesson_no, class_name, subject in slots[teacher]
            if weekday == day.isoweekday()
        ]
        first_half, second_half = tuple(range(1, 13)), tuple(range(13, 26))
        own = [Line(c, s, d, n, first_half) for d, n, c, s in lessons[: LINES_PER_TEACHER - 2]]
        own += [Line(line.class_name, line.subject, line.date, line.lesson_no, second_half) for line in own[:2]]
        lines[teacher] = own
    assert len(lines) == TEACHERS and all(len(own) == LINES_PER_TEACHER for own in lines.values())
    return lines


async def journal_counts(session_maker) -> dict[str, int]:
    async with session_maker() as session:

        async def count(*where, model) -> int:
            return await session.scalar(select(func.count()).select_from(model).where(*where))

        return {
            "lessons": await count(model=Lesson),
            "marks": await count(Mark.deleted_at.is_(None), model=Mark),
            "absences": await count(Attendance.deleted_at.is_(None), model=Attendance),
            "audit": await count(model=AuditEntry),
        }


@pytest.mark.usefixtures("clock")
async def test_twenty_teachers_write_fifteen_lines_each_at_once(harness, session_maker, settings) -> None:
    await import_school(session_maker)
    lines = await teachers_lines(session_maker)
    users = {}
    async with session_maker() as session:
        for number, teacher in enumerate(lines):
            await bind_account(session, teacher, 5_000 + number)
        await session.commit()
    for number, teacher in enumerate(lines):
        users[teacher] = harness.user(5_000 + number)
    settings = settings.model_copy(update={"notify_grace_seconds": 0, "absence_grace_seconds": 0})

    async def teacher_writes(teacher: str) -> list[tuple[Line, list[str]]]:
        user = users[teacher]
        answers = await asyncio.gather(*(user.sends(line.command()) for line in lines[teacher]))
        return list(zip(lines[teacher], answers))

    async with delivery_worker(harness.bot, session_maker, settings):  # sending while the teachers write
        job = asyncio.create_task(jobs.teacher_reminder(settings, session_maker))
        results = await asyncio.gather(*(teacher_writes(teacher) for teacher in lines))
        await job

    answered = [(line, answer) for per_teacher in results for line, answer in per_teacher]
    assert len(answered) == TEACHERS * LINES_PER_TEACHER
    for line, answer in answered:
        assert len(answer) == 1 and answer[0].startswith(line.header()), (line.command(), answer)
        assert len(answer[0].splitlines()) == 1 + len(line.numbers)  # one line per student: all saved
    absences = sum(1 for line, _ in answered for number in line.numbers if number % 10 == 0)
    entries = sum(len(line.numbers) for line, _ in answered)
    assert await journal_counts(session_maker) == {
        "lessons": TEACHERS * (LINES_PER_TEACHER - 2),
        "marks": entries - absences,
        "absences": absences,
        "audit": entries,
    }
