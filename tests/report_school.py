"""A small school made by hand for the marks reports, whose figures the tests work out on paper.

One year of two полугодия; 7В (the class every figure is computed for), 7Г and 8А (a parallel and the
school), 1А (no marks). Three subjects: Математика, Русский язык (7В learns it in two groups),
Физкультура. Weights: «ответ» 1, «контрольная» 2. In 7В, at the first полугодие:

| pupil        | Математика                 | Русский язык          | Физкультура      |
|--------------|----------------------------|-----------------------|------------------|
| s1 Андреев   | 5, 5 → final 5             | 5, 4 (4,50 → 4) → final 5 | 5 → final 5  |
| s2 Борисова  | 5 → final 5                | 4, 4, 5 → final 4     | final «осв.»     |
| s3 Власов    | 4, 3×2, 3 (3,25 → 3) → final 3 | 4 → final 4       | 5 → final 5      |
| s4 Глебова   | 2, 3×2 (2,67 → 3) → «н/а»  | 4, 5 (4,50 → 4) → final 4 | 4 → final 4  |
| s5 Дмитриев  | 2 (left on 01.10)          | 2                     |                  |
| s6 Егорова   | 3, 4×2 (3,67 → 4), no final (came on 10.11) | 5, 5, no final | nothing |

(«×2»: a контрольная.) The second полугодие has final marks only, the year marks only s1's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    AcademicYear,
    Attendance,
    AttendanceCode,
    ClassMove,
    ClassNumber,
    FinalMark,
    Lesson,
    Mark,
    MoveKind,
    Period,
    SchoolClass,
    SchoolSettings,
    Staff,
    Student,
    StudentStatus,
    SubgroupMember,
    Subject,
    TeachingAssignment,
    WorkType,
    utcnow,
)
from services.grades import Scope

SCHOOL_NAME = "МБОУ «Школа № 7»"
YEAR_START, YEAR_END = dt.date(2026, 9, 1), dt.date(2027, 5, 31)
FIRST = (dt.date(2026, 9, 1), dt.date(2026, 12, 28))
SECOND = (dt.date(2027, 1, 11), dt.date(2027, 5, 26))
EARLY, LATE = dt.date(2026, 9, 15), dt.date(2026, 11, 20)  # marks days of the first полугодие
LEFT_ON, CAME_ON = dt.date(2026, 10, 1), dt.date(2026, 11, 10)
AFTER_YEAR = dt.date(2027, 6, 10)
MATH, RUSSIAN, PE = "Математика", "Русский язык", "Физкультура"
ANSWER, TEST = "ответ", "контрольная"

PUPILS = {  # id → (class, full name)
    "s1": ("7В", "Андреев Артём Игоревич"),
    "s2": ("7В", "Борисова Софья Дмитриевна"),
    "s3": ("7В", "Власов Кирилл Андреевич"),
    "s4": ("7В", "Глебова Алиса Романовна"),
    "s5": ("7В", "Дмитриев Егор Олегович"),  # leaves on LEFT_ON
    "s6": (None, "Егорова Виктория Сергеевна"),  # comes to 7В on CAME_ON
    "g1": ("7Г", "Жуков Матвей Алексеевич"),
    "g2": ("7Г", "Зайцева Дарья Павловна"),
    "e1": ("8А", "Иванов Иван Иванович"),
    "f1": ("1А", "Ковалёва Анна Ильинична"),
}
# (pupil, subject, date, value, work type) in the first полугодие
MARKS = (
    ("s1", MATH, EARLY, 5, ANSWER),
    ("s1", MATH, LATE, 5, ANSWER),
    ("s1", RUSSIAN, EARLY, 5, ANSWER),
    ("s1", RUSSIAN, LATE, 4, ANSWER),
    ("s1", PE, EARLY, 5, ANSWER),
    ("s2", MATH, EARLY, 5, ANSWER),
    ("s2", RUSSIAN, EARLY, 4, ANSWER),
    ("s2", RUSSIAN, LATE, 4, ANSWER),
    ("s2", RUSSIAN, dt.date(2026, 12, 1), 5, ANSWER),
    ("s3", MATH, EARLY, 4, ANSWER),
    ("s3", MATH, LATE, 3, TEST),
    ("s3", MATH, dt.date(2026, 12, 1), 3, ANSWER),
    ("s3", RUSSIAN, EARLY, 4, ANSWER),
    ("s3", PE, EARLY, 5, ANSWER),
    ("s4", MATH, EARLY, 2, ANSWER),
    ("s4", MATH, LATE, 3, TEST),
    ("s4", RUSSIAN, EARLY, 4, ANSWER),
    ("s4", RUSSIAN, LATE, 5, ANSWER),
    ("s4", PE, EARLY, 4, ANSWER),
    ("s5", MATH, EARLY, 2, ANSWER),
    ("s5", RUSSIAN, EARLY, 2, ANSWER),
    ("s6", MATH, LATE, 3, ANSWER),
    ("s6", MATH, dt.date(2026, 12, 1), 4, TEST),
    ("s6", RUSSIAN, LATE, 5, ANSWER),
    ("s6", RUSSIAN, dt.date(2026, 12, 1), 5, ANSWER),
    ("g1", MATH, EARLY, 5, ANSWER),
    ("g2", MATH, EARLY, 3, ANSWER),
    ("e1", MATH, EARLY, 4, ANSWER),
)
NA, EXEMPT = "na", "exempt"
# (pupil, subject) → (first полугодие, second полугодие, year); None: not set
FINALS = {
    ("s1", MATH): (5, 5, 5),
    ("s1", RUSSIAN): (5, 5, 5),
    ("s1", PE): (5, 5, 5),
    ("s2", MATH): (5, 4, None),
    ("s2", RUSSIAN): (4, 4, None),
    ("s2", PE): (EXEMPT, EXEMPT, None),
    ("s3", MATH): (3, 4, None),
    ("s3", RUSSIAN): (4, 4, None),
    ("s3", PE): (5, 5, None),
    ("s4", MATH): (NA, 3, None),
    ("s4", RUSSIAN): (4, 3, None),
    ("s4", PE): (4, 4, None),
    ("s6", MATH): (None, 4, None),
    ("s6", RUSSIAN): (None, 4, None),
    ("s6", PE): (None, 4, None),
    ("g1", MATH): (5, 5, None),
    ("g1", RUSSIAN): (4, 4, None),
    ("g1", PE): (5, 5, None),
    ("g2", MATH): (3, 3, None),
    ("g2", RUSSIAN): (2, 3, None),
    ("g2", PE): (4, 4, None),
    ("e1", MATH): (4, 4, None),
    ("e1", RUSSIAN): (4, 4, None),
    ("e1", PE): (5, 5, None),
}
# 7В's Russian is taught in two groups
GROUPS = {"s1": "1", "s2": "1", "s3": "1", "s4": "2", "s5": "2", "s6": "2"}
# (pupil, date, lesson no, teacher's code, class teacher's explanation, removed)
ABSENCES = (
    ("s1", dt.date(2026, 9, 16), 1, "н", None, False),
    ("s1", dt.date(2026, 9, 16), 2, "н", None, False),
    ("s1", dt.date(2026, 10, 7), 1, "б", None, False),
    ("s1", dt.date(2027, 2, 3), 1, "оп", None, False),
    ("s3", dt.date(2026, 9, 16), 1, "н", "уп", False),
    ("s3", dt.date(2026, 9, 17), 1, "н", "нп", False),
    ("s3", dt.date(2027, 2, 3), 2, "н", "б", False),
    ("s4", dt.date(2026, 9, 16), 1, "н", None, True),
)


@dataclass
class ReportSchool:
    year: AcademicYear
    first: Period
    second: Period
    classes: dict[str, SchoolClass]
    subjects: dict[str, Subject]
    pupils: dict[str, Student]

    def scope(self, period: Period | None) -> Scope:
        return Scope(self.year, period, (self.first, self.second))


async def make_report_school(session: AsyncSession) -> ReportSchool:
    session.add(SchoolSettings(name=SCHOOL_NAME))
    year = AcademicYear(name="2026/2027", start=YEAR_START, end=YEAR_END)
    session.add(year)
    await session.flush()
    first = Period(year_id=year.id, name="1 полугодие", start=FIRST[0], end=FIRST[1])
    second = Period(year_id=year.id, name="2 полугодие", start=SECOND[0], end=SECOND[1])
    teacher = Staff(external_id="t1", full_name="Иванова Мария Петровна")
    classes = {
        name: SchoolClass(year_id=year.id, name=name, grade=int(name[:-1]), letter=name[-1])
        for name in ("1А", "7В", "7Г", "8А")
    }
    subjects = {name: Subject(name=name) for name in (MATH, RUSSIAN, PE)}
    kinds = {ANSWER: WorkType(name=ANSWER, weight=1.0), TEST: WorkType(name=TEST, weight=2.0)}
    session.add_all([first, second, teacher, *classes.values(), *subjects.values(), *kinds.values()])
    await session.flush()
    for class_name, school_class in classes.items():
        for subject_name, subject in subjects.items():
            split = class_name == "7В" and subject_name == RUSSIAN
            for group in ("1", "2") if split else ("",):
                session.add(
                    TeachingAssignment(
                        staff_id=teacher.id, class_id=school_class.id, subject_id=subject.id, subgroup=group
                    )
                )
    pupils = await _pupils(session, classes, teacher)
    await _marks(session, classes, subjects, kinds, pupils, teacher)
    for (pupil, subject_name), values in FINALS.items():
        for period, value in zip((first.id, second.id, None), values, strict=True):
            if value is not None:
                session.add(_final(pupils[pupil], subjects[subject_name], year, period, value, teacher))
    for pupil, group in GROUPS.items():
        session.add(
            SubgroupMember(
                class_id=classes["7В"].id,
                subject_id=subjects[RUSSIAN].id,
                student_id=pupils[pupil].id,
                subgroup=group,
                since=YEAR_START,
            )
        )
    await session.flush()
    return ReportSchool(year, first, second, classes, subjects, pupils)


async def _pupils(session: AsyncSession, classes: dict[str, SchoolClass], teacher: Staff) -> dict[str, Student]:
    """Everyone enrolled on the year's first day in their class, numbered in it; s5 leaves, s6 comes later."""
    pupils = {}
    for external_id, (class_name, full_name) in PUPILS.items():
        pupils[external_id] = Student(
            external_id=external_id,
            full_name=full_name,
            class_id=classes[class_name or "7В"].id,
            status=StudentStatus.STUDYING,
        )
    pupils["s5"].class_id, pupils["s5"].status = None, StudentStatus.LEFT
    session.add_all(pupils.values())
    await session.flush()
    numbers: dict[str, int] = {}
    for external_id, (class_name, _) in PUPILS.items():
        target = classes[class_name or "7В"]
        numbers[target.name] = numbers.get(target.name, 0) + 1
        session.add(ClassNumber(class_id=target.id, student_id=pupils[external_id].id, number=numbers[target.name]))
        came_on = CAME_ON if class_name is None else YEAR_START
        session.add(_move(MoveKind.ENROL, pupils[external_id], None, target, came_on, teacher))
    session.add(_move(MoveKind.LEAVE, pupils["s5"], classes["7В"], None, LEFT_ON, teacher))
    return pupils


def _move(kind: MoveKind, pupil: Student, source, target, day: dt.date, teacher: Staff) -> ClassMove:
    return ClassMove(
        student_id=pupil.id,
        kind=kind,
        from_class_id=source.id if source else None,
        to_class_id=target.id if target else None,
        date=day,
        created_by_staff_id=teacher.id,
    )


async def _marks(session, classes, subjects, kinds, pupils, teacher) -> None:
    """MARKS and ABSENCES, each in a lesson of the pupil's class (absences in lessons of Математика)."""
    lessons: dict[tuple[str, str, dt.date, int], Lesson] = {}

    async def lesson(pupil: str, subject_name: str, day: dt.date, number: int = 1) -> Lesson:
        class_name = PUPILS[pupil][0] or "7В"
        key = (class_name, subject_name, day, number)
        if key not in lessons:
            lessons[key] = Lesson(
                class_id=classes[class_name].id,
                subject_id=subjects[subject_name].id,
                date=day,
                lesson_no=number,
                teacher_id=teacher.id,
                attendance_taken=True,
            )
            session.add(lessons[key])
            await session.flush()
        return lessons[key]

    for pupil, subject_name, day, value, kind in MARKS:
        session.add(
            Mark(
                lesson_id=(await lesson(pupil, subject_name, day)).id,
                student_id=pupils[pupil].id,
                value=value,
                work_type_id=kinds[kind].id,
                weight=kinds[kind].weight,
                author_staff_id=teacher.id,
            )
        )
    for pupil, day, number, code, explanation, removed in ABSENCES:
        session.add(
            Attendance(
                lesson_id=(await lesson(pupil, MATH, day, number)).id,
                student_id=pupils[pupil].id,
                code=AttendanceCode(code),
                explanation=AttendanceCode(explanation) if explanation else None,
                author_staff_id=teacher.id,
                deleted_at=utcnow() if removed else None,
            )
        )


def _final(pupil: Student, subject: Subject, year: AcademicYear, period_id, value, teacher: Staff) -> FinalMark:
    special = value if isinstance(value, str) else ""
    return FinalMark(
        student_id=pupil.id,
        subject_id=subject.id,
        year_id=year.id,
        period_id=period_id,
        value=None if special else value,
        special=special,
        set_by_staff_id=teacher.id,
    )
