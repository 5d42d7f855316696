"""A synthetic school of any size, as sheets for `import_rows` or `write_workbook`; a term of its journal.

Classes of 25, grades from 1 up, ten subjects, six lessons a day Mon–Fri, about 1.8 parents a student.
Each teacher teaches one subject in ten classes and the timetable never puts a teacher in two places.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from models import (
    Account,
    AccountBinding,
    Attendance,
    Consent,
    ExplanationProposal,
    Holiday,
    Lesson,
    Mark,
    OverdueEntry,
    Parent,
    ParentStudent,
    Period,
    PersonKind,
    SchoolClass,
    Staff,
    Student,
    TimetableEntry,
    WorkType,
)
from services.demo_school import bell_rows, demo_school_sheets, holiday_rows, quarter_rows
from services.school_import.sheets import SheetRows, first_year_of_school_year

SUBJECTS = (
    "Математика",
    "Русский язык",
    "Литература",
    "Английский язык",
    "История",
    "Физкультура",
    "Биология",
    "География",
    "Музыка",
    "Информатика",
)
LETTERS = "АБВГДЕЖИКЛМН"
STUDENTS_PER_CLASS = 25
LESSONS_PER_DAY = 6
SCHOOL_DAYS = 5
FATHER_SHARE = 0.8  # every student has a mother in the file, most a father too

MALE_NAMES = ("Александр", "Максим", "Иван", "Артём", "Дмитрий", "Кирилл", "Михаил", "Егор", "Матвей", "Лев")
FEMALE_NAMES = ("Анна", "Мария", "София", "Алиса", "Виктория", "Полина", "Ева", "Дарья", "Ксения", "Варвара")
FATHER_NAMES = ("Андрей", "Сергей", "Алексей", "Игорь", "Олег", "Павел", "Николай", "Денис", "Роман", "Юрий")
SURNAMES = (
    "Иванов",
    "Смирнов",
    "Кузнецов",
    "Попов",
    "Васильев",
    "Петров",
    "Соколов",
    "Михайлов",
    "Новиков",
    "Фёдоров",
    "Морозов",
    "Волков",
    "Алексеев",
    "Лебедев",
    "Семёнов",
    "Егоров",
)


def make_school_sheets(
    n_students: int = 1000, *, seed: int = 1, today: dt.date | None = None, class_size: int = STUDENTS_PER_CLASS
) -> SheetRows:
    rng = random.Random(seed)
    first = first_year_of_school_year(today or dt.date.today())
    class_names = _class_names(math.ceil(n_students / class_size))
    # Classes c and c+10 always have the same subject at the same lesson, so they need different
    # teachers: teacher (subject, c // 10) serves the ten classes of one block.
    teachers = {
        (s, c): f"t{s + 1}_{c // len(SUBJECTS) + 1}" for s in range(len(SUBJECTS)) for c in range(len(class_names))
    }
    students, parents = _people(n_students, class_names, class_size, first, rng)
    return {
        "periods": quarter_rows(first),
        "holidays": holiday_rows(first),
        "subjects": [{"name": name} for name in SUBJECTS],
        "staff": _staff(sorted(set(teachers.values()))),
        "classes": [
            {"name": name, "grade": name[:-1], "homeroom_teacher": teachers[(c % len(SUBJECTS), c)]}
            for c, name in enumerate(class_names)
        ],
        "students": students,
        "parents": parents,
        "assignments": [
            {"teacher": teacher, "class": class_names[c], "subject": SUBJECTS[s]}
            for (s, c), teacher in teachers.items()
        ],
        "bells": bell_rows(),
        "timetable": [
            {
                "class": class_names[c],
                "weekday": str(day),
                "lesson_no": str(lesson),
                "subject": SUBJECTS[(c + day + lesson) % len(SUBJECTS)],
                "teacher": teachers[((c + day + lesson) % len(SUBJECTS), c)],
                "room": str(100 + c),
            }
            for c in range(len(class_names))
            for day in range(1, SCHOOL_DAYS + 1)
            for lesson in range(1, LESSONS_PER_DAY + 1)
        ],
    }


def demo_school_with_a_class_of(size: int, today: dt.date, class_name: str = "5А") -> SheetRows:
    """The demo school with one class filled up to `size` students, each newcomer with a parent."""
    sheets = demo_school_sheets(today)
    already = sum(1 for row in sheets["students"] if row["class"] == class_name)
    for number in range(already + 1, size + 1):
        sheets["students"].append(
            {
                "id": f"b{number}",
                "full_name": f"Ученик {spelled(number)} Бенч Тестович",
                "class": class_name,
                "birth_date": "2015-05-05",
            }
        )
        sheets["parents"].append(
            {
                "id": f"bp{number}",
                "full_name": f"Родитель {spelled(number)} Бенч Тестович",
                "children": f"b{number}",
                "phone": "",
            }
        )
    return sheets


NAME_LETTERS = "абвгдежзиклмнопрстуфхцчшщэюя"


def spelled(number: int, width: int = 3) -> str:
    """A number written in letters, in the same order ('Ааб' < 'Аав'): names may hold no digits."""
    letters = []
    for _ in range(width):
        number, digit = divmod(number, len(NAME_LETTERS))
        letters.append(NAME_LETTERS[digit])
    return "".join(reversed(letters)).capitalize()


def _class_names(count: int) -> list[str]:
    per_grade = math.ceil(count / 11)
    return [f"{1 + index // per_grade}{LETTERS[index % per_grade]}" for index in range(count)]


def _staff(teacher_ids: list[str]) -> list[dict[str, str]]:
    staff = [
        {"id": id_, "full_name": f"Учитель {spelled(number)}", "roles": "teacher"}
        for number, id_ in enumerate(teacher_ids, start=1)
    ]
    staff += [
        {"id": "dir1", "full_name": "Соколов Андрей Николаевич", "roles": "director"},
        {"id": "d1", "full_name": "Кузнецова Ольга Викторовна", "roles": "deputy"},
        {"id": "a1", "full_name": "Орлова Елена Сергеевна", "roles": "admin"},
    ]
    return staff


def _people(
    n_students: int, class_names: list[str], class_size: int, first: int, rng: random.Random
) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    students, parents = [], []
    for index in range(n_students):
        class_name = class_names[index // class_size]
        surname, father = rng.choice(SURNAMES), rng.choice(FATHER_NAMES)
        is_girl = rng.random() < 0.5
        name = rng.choice(FEMALE_NAMES if is_girl else MALE_NAMES)
        patronymic = father + ("овна" if is_girl else "ович")
        grade = int(class_name[:-1])
        birth = dt.date(first - grade - 6, rng.randint(1, 12), rng.randint(1, 28))
        student_id = f"s{index + 1}"
        students.append(
            {
                "id": student_id,
                "full_name": f"{surname}{'а' if is_girl else ''} {name} {patronymic}",
                "class": class_name,
                "birth_date": birth.isoformat(),
            }
        )
        parents.append(
            {
                "id": f"p{len(parents) + 1}",
                "full_name": f"{surname}а {rng.choice(FEMALE_NAMES)}",
                "children": student_id,
                "phone": f"+7 9{rng.randint(10**8, 10**9 - 1)}",
            }
        )
        if rng.random() < FATHER_SHARE:
            parents.append(
                {"id": f"p{len(parents) + 1}", "full_name": f"{surname} {father}", "children": student_id, "phone": ""}
            )
    return students, parents


# --- a term of journal data in the database (for the report and rush benchmarks) --------------------


@dataclass(frozen=True)
class TermShares:
    """How a synthetic term was kept: most lessons on time, some late, some still missing."""

    late: float = 0.04  # overdue at 17:00, written since (an overdue entry with filled_at)
    partial: float = 0.03  # attendance taken, nothing else (an open overdue entry)
    forgotten: float = 0.03  # nothing written at all (an open overdue entry)
    marks_per_lesson: int = 4
    parents_signed_in: float = 0.75
    students_signed_in: float = 0.3
    parent_consents: float = 0.6  # of each parent–child pair, a signed consent


async def sign_everyone_in(
    engine: AsyncEngine, rng: random.Random, shares: TermShares = TermShares()
) -> dict[str, int]:
    """Accounts for every staff member, most parents and some students; personal-data consents.

    Returns staff external id → Telegram id (the director is `dir1`, the deputy `d1`).
    """
    async with engine.begin() as conn:
        staff = (await conn.execute(select(Staff.id, Staff.external_id))).all()
        parents = list(await conn.scalars(select(Parent.id)))
        students = list(await conn.scalars(select(Student.id)))
        people = [(PersonKind.STAFF, staff_id, True) for staff_id, _ in staff]
        people += [
            (PersonKind.PARENT, p, rng.random() > 0.05)  # a few have blocked the bot
            for p in parents
            if rng.random() < shares.parents_signed_in
        ]
        people += [(PersonKind.STUDENT, s, True) for s in students if rng.random() < shares.students_signed_in]
        telegram = {(PersonKind.STAFF, staff_id): 10_000 + staff_id for staff_id, _ in staff}
        accounts = [
            {
                "telegram_id": telegram.get((kind, person), 1_000_000 + number),
                "active": active,
                "chat_id": telegram.get((kind, person), 1_000_000 + number),
                "language": "ru",
            }
            for number, (kind, person, active) in enumerate(people)
        ]
        await conn.execute(insert(Account), accounts)
        account_ids = dict((await conn.execute(select(Account.telegram_id, Account.id))).all())
        await conn.execute(
            insert(AccountBinding),
            [
                {"account_id": account_ids[row["telegram_id"]], "person_kind": kind.value, "person_id": person}
                for row, (kind, person, _) in zip(accounts, people)
            ],
        )
        families = (await conn.execute(select(ParentStudent.parent_id, ParentStudent.student_id))).all()
        consents = [
            {
                "student_id": child,
                "person_kind": PersonKind.PARENT.value,
                "person_id": parent,
                "given": True,
                "signed_on": dt.date(2026, 9, 1),
                "document": "",
            }
            for parent, child in families
            if rng.random() < shares.parent_consents
        ]
        if consents:
            await conn.execute(insert(Consent), consents)
    return {external_id: 10_000 + staff_id for staff_id, external_id in staff if external_id}


@dataclass
class TermFigures:
    lessons: int = 0
    marks: int = 0
    absences: int = 0
    overdue: int = 0


async def fill_term(
    engine: AsyncEngine, today: dt.date, rng: random.Random, shares: TermShares = TermShares()
) -> TermFigures:
    """The journal of the period running on `today`, kept as a school keeps it, up to `today`.

    Before `today`: every timetable lesson written (topic, attendance, marks, homework on the next
    lesson), except the late, partial and forgotten shares, which have their overdue entries as the
    17:00 job would have recorded them. On `today` the first three lessons are written, the rest not
    yet. Homework set in the last week reaches into the days after `today`.
    """
    async with engine.connect() as conn:
        period = (
            await conn.execute(select(Period.start, Period.end).where(Period.start <= today, Period.end >= today))
        ).one()
        holidays = (await conn.execute(select(Holiday.start, Holiday.end))).all()
        classes = dict((await conn.execute(select(SchoolClass.id, SchoolClass.grade))).all())
        timetable = (
            await conn.execute(
                select(
                    TimetableEntry.class_id,
                    TimetableEntry.weekday,
                    TimetableEntry.lesson_no,
                    TimetableEntry.subject_id,
                    TimetableEntry.staff_id,
                )
            )
        ).all()
        students: dict[int, list[int]] = {}
        for student_id, class_id in await conn.execute(select(Student.id, Student.class_id)):
            students.setdefault(class_id, []).append(student_id)
        work_types = (await conn.execute(select(WorkType.id, WorkType.weight))).all()
        parent_accounts = dict(
            (
                await conn.execute(
                    select(ParentStudent.student_id, AccountBinding.account_id).join(
                        AccountBinding,
                        (AccountBinding.person_id == ParentStudent.parent_id)
                        & (AccountBinding.person_kind == PersonKind.PARENT.value),
                    )
                )
            ).all()
        )
    weekdays = {row.weekday for row in timetable}
    last = min(period.end, today + dt.timedelta(days=7))
    days = [period.start + dt.timedelta(days=n) for n in range((last - period.start).days + 1)]
    days = [d for d in days if d.isoweekday() in weekdays and not any(s <= d <= e for s, e in holidays)]
    by_weekday: dict[int, list] = {}
    for row in sorted(timetable, key=lambda r: (r.lesson_no, r.class_id)):
        by_weekday.setdefault(row.weekday, []).append(row)

    lessons: dict[tuple, dict] = {}
    overdue: list[dict] = []
    kept: set[tuple] = set()
    previous: dict[tuple[int, int], tuple] = {}  # (class, subject) → the key of its last lesson
    for day in days:
        for row in by_weekday.get(day.isoweekday(), []):
            key = (row.class_id, row.subject_id, day, row.lesson_no)
            pair = (row.class_id, row.subject_id)
            first_grade = classes[row.class_id] == 1
            before = previous.get(pair)
            previous[pair] = key
            if before is not None and before in kept and not first_grade:
                _lesson(lessons, key, row.staff_id)["homework"] = f"§ {rng.randint(1, 40)}, № {rng.randint(1, 20)}"
            if day > today or (day == today and row.lesson_no > 3):
                continue
            fate = rng.random() if day < today else 1.0
            if fate < shares.forgotten:
                missing = ["attendance", "topic"] + ([] if first_grade else ["marks", "homework"])
                overdue.append(_overdue(key, row.staff_id, missing, False))
                continue
            lesson = _lesson(lessons, key, row.staff_id)
            lesson["attendance_taken"] = True
            if fate < shares.forgotten + shares.partial:
                lacking = ["topic"] + ([] if first_grade else ["marks", "homework"])
                overdue.append(_overdue(key, row.staff_id, lacking, False))
                continue
            lesson["topic"] = f"Тема {rng.randint(1, 99)}"
            lesson["marks"] = not first_grade
            kept.add(key)
            if fate < shares.forgotten + shares.partial + shares.late:
                overdue.append(_overdue(key, row.staff_id, ["topic"] + ([] if first_grade else ["marks"]), True))
    figures = TermFigures(lessons=len(lessons), overdue=len(overdue))
    async with engine.begin() as conn:
        rows = list(lessons.values())
        for chunk in range(0, len(rows), 5000):
            await conn.execute(
                insert(Lesson), [{k: v for k, v in r.items() if k != "marks"} for r in rows[chunk : chunk + 5000]]
            )
        ids = {
            (c, s, d, n): lesson_id
            for lesson_id, c, s, d, n in await conn.execute(
                select(Lesson.id, Lesson.class_id, Lesson.subject_id, Lesson.date, Lesson.lesson_no)
            )
        }
        marks, absences = [], []
        for key, row in lessons.items():
            if not row["attendance_taken"]:
                continue
            lesson_id, pupils = ids[key], students.get(key[0], [])
            if row.get("marks") and key in kept:
                for student_id in rng.sample(pupils, min(shares.marks_per_lesson, len(pupils))):
                    work_type, weight = rng.choice(work_types)
                    marks.append(
                        {
                            "lesson_id": lesson_id,
                            "student_id": student_id,
                            "slot": 1,
                            "comment": "",
                            "value": rng.choice((2, 3, 4, 4, 5, 5)),
                            "work_type_id": work_type,
                            "weight": weight,
                            "author_staff_id": row["teacher_id"],
                        }
                    )
            for student_id in rng.sample(pupils, min(rng.choice((0, 1, 1, 2, 3)), len(pupils))):
                code = rng.choice(("н", "н", "н", "б", "оп"))
                explained = code == "н" and key[2] < today and rng.random() < 0.5
                absences.append(
                    {
                        "lesson_id": lesson_id,
                        "student_id": student_id,
                        "code": code,
                        "explanation": rng.choice(("уп", "нп", "б")) if explained else None,
                        "author_staff_id": row["teacher_id"],
                    }
                )
        for table, values in ((Mark, marks), (Attendance, absences), (OverdueEntry, overdue)):
            for chunk in range(0, len(values), 5000):
                await conn.execute(insert(table), values[chunk : chunk + 5000])
        todays = [
            {"attendance_id": attendance_id, "account_id": parent_accounts[student_id], "proposal": "ill"}
            for attendance_id, student_id in await conn.execute(
                select(Attendance.id, Attendance.student_id)
                .join(Lesson, Lesson.id == Attendance.lesson_id)
                .where(Lesson.date == today, Attendance.code == "н")
            )
            if student_id in parent_accounts and rng.random() < 0.3
        ]
        if todays:
            await conn.execute(insert(ExplanationProposal), todays)
    figures.marks, figures.absences = len(marks), len(absences)
    return figures


def _lesson(lessons: dict[tuple, dict], key: tuple, teacher_id: int) -> dict:
    class_id, subject_id, day, lesson_no = key
    return lessons.setdefault(
        key,
        {
            "class_id": class_id,
            "subject_id": subject_id,
            "date": day,
            "lesson_no": lesson_no,
            "teacher_id": teacher_id,
            "topic": "",
            "homework": "",
            "attendance_taken": False,
            "no_marks_on_purpose": False,
        },
    )


def _overdue(key: tuple, teacher_id: int, missing: list[str], filled: bool) -> dict:
    class_id, subject_id, day, lesson_no = key
    deadline = dt.datetime(day.year, day.month, day.day, 14, 0, tzinfo=dt.timezone.utc)  # 17:00 in Moscow
    return {
        "teacher_id": teacher_id,
        "class_id": class_id,
        "subject_id": subject_id,
        "date": day,
        "lesson_no": lesson_no,
        "missing": missing,
        "recorded_at": deadline,
        "filled_at": deadline + dt.timedelta(hours=20) if filled else None,
    }  # written the next morning
