"""What students and parents read: marks, attendance, homework and the timetable (issue items 10–13).

Every view checks access itself (services.access.ensure_can_read_student): a parent reads only
their own children, a student only themself — whether the request came from a typed command, a
button, the console or a test. A parent with several children picks one; the choice is remembered
on the account (Account.selected_student_id) until they pick another.

Of a class split into groups for a subject (services.subgroups), a pupil and their parents see only
the lessons, teachers and homework of the pupil's own group, as it was on each lesson's date.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from models import Account, Attendance, AttendanceCode, Lesson, Student, Subject
from services.access import ensure_can_read_student
from services.actor import Actor
from services.calendar import week_of
from services.errors import AccessDenied, DomainError, NotFound, ValidationFailed
from services.final_results import FinalResult, period_results, result_of
from services.grades import (
    LessonMarks,
    MarkRow,
    Scope,
    current_scope,
    final_marks_of,
    group_by_lesson,
    marks_for_student_in_period,
    school_thresholds,
    scope_from_text,
    subject_and_scope,
    subject_and_scope_in_year,
    subjects_of_class,
    suggest_mark,
    suggest_year_mark,
    weighted_average,
)
from services.pupil_timetable import ScheduleItem, pupil_timetable
from services.school_days import SchoolCalendar, load_calendar
from services.school_years import class_of_pupil_in_year, split_year_word, year_from_word
from services.subgroups import pupil_groups
from services.timetable_day import class_day

ATTENDANCE_CODES = tuple(AttendanceCode)  # н, б, уп, нп, оп: the order totals are shown in


# --- whose journal ------------------------------------------------------------------------------


def family_ids(actor: Actor) -> frozenset[int]:
    """The students this account reads as family: their children, or themself."""
    own = {actor.student_id} if actor.student_id is not None else set()
    return frozenset(actor.children_ids | own)


async def family_students(session: AsyncSession, actor: Actor) -> list[Student]:
    ids = family_ids(actor)
    if not ids:
        raise DomainError("family-only")
    return list(
        await session.scalars(
            select(Student)
            .where(Student.id.in_(ids))
            .options(joinedload(Student.school_class))
            .order_by(Student.full_name, Student.id)
            .execution_options(populate_existing=True)
        )
    )


async def selected_student(session: AsyncSession, actor: Actor) -> Student | None:
    """The child this account is looking at: the only one, or the one last picked; None when a pick is needed."""
    students = await family_students(session, actor)
    if len(students) == 1:
        return students[0]
    if actor.account_id is not None:
        remembered = await session.scalar(select(Account.selected_student_id).where(Account.id == actor.account_id))
        for student in students:
            if student.id == remembered:
                return student
    return None


async def choose_student(session: AsyncSession, actor: Actor, student_id: int) -> Student:
    """Pick one of the family's students and remember the choice; anyone else's child is refused."""
    if student_id not in family_ids(actor):
        raise AccessDenied("error-not-your-child" if actor.parent_ids else "error-not-you")
    student = await session.get(Student, student_id, options=[joinedload(Student.school_class)], populate_existing=True)
    if student is None:
        raise AccessDenied("error-student-not-found")
    if actor.account_id is not None:
        account = await session.get(Account, actor.account_id)
        if account is not None:
            account.selected_student_id = student_id
    return student


async def _readable(session: AsyncSession, actor: Actor, student_id: int) -> Student:
    """The student with their class, once the actor may read them (one's own family needs no lookup)."""
    if student_id not in family_ids(actor):
        await ensure_can_read_student(session, actor, student_id)
    student = await session.get(Student, student_id, options=[joinedload(Student.school_class)], populate_existing=True)
    if student is None:  # the family's ids come from existing rows; anyone else's were checked above
        raise AccessDenied("error-student-not-found")
    return student


def _class_name(student: Student) -> str:
    return student.school_class.name if student.school_class else ""


# --- /grades -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SubjectGrades:
    subject_id: int
    subject: str
    lessons: tuple[LessonMarks, ...]
    average: Decimal | None
    suggested: int | None
    final: FinalResult | None  # the period's result once set: a mark, «н/а» or «осв.»


@dataclass(frozen=True)
class SubjectYear:
    subject_id: int
    subject: str
    period_marks: tuple[FinalResult | None, ...]
    average: Decimal | None  # weighted over the year's marks
    suggested: FinalResult | None  # from the period results (services.grades.suggest_year_mark)
    final: FinalResult | None


@dataclass(frozen=True)
class GradesAnswer:
    student: Student
    class_name: str
    scope: Scope
    subjects: tuple[SubjectGrades, ...] = ()
    year: tuple[SubjectYear, ...] = ()
    detail: bool = False  # one subject, with dates, work types and comments
    no_marks_grade: bool = False  # 1st grade: no marks (regulation 1.3)
    named_year: bool = False  # asked for a school year by name («/grades 2026/27»): the answer names it


async def grades_view(
    session: AsyncSession, actor: Actor, student_id: int, today: dt.date, text: str = ""
) -> GradesAnswer:
    """`text`: nothing (the current period), a subject («матем»), a period («1», «2 четверть», «год»), or both;
    with a school year («2026/27») among them, that year's, in the class the pupil was in then (read-only)."""
    student = await _readable(session, actor, student_id)
    year_word, text = split_year_word(text)
    school_class = student.school_class
    if year_word is None:
        subject, scope = await subject_and_scope(session, text, student.class_id, today, subject_required=False)
        scope = scope or await current_scope(session, today)
    else:
        year = await year_from_word(session, year_word)
        school_class = await class_of_pupil_in_year(session, student.id, year.id)
        if school_class is None:
            raise NotFound("grades-not-at-school", name=student.full_name, year=year.name)
        subject, scope = await subject_and_scope_in_year(session, text, school_class.id, year, subject_required=False)
    named = year_word is not None
    class_id = school_class.id if school_class is not None else None
    class_name = school_class.name if school_class is not None else ""
    if school_class is not None and school_class.attendance_only:
        return GradesAnswer(student, class_name, scope, no_marks_grade=True, named_year=named)
    subjects = [subject] if subject else await subjects_of_class(session, class_id)
    marks = await marks_for_student_in_period(
        session, student.id, scope.start, scope.end, subject.id if subject else None
    )
    by_subject: dict[int, list[MarkRow]] = defaultdict(list)
    for mark in marks:
        by_subject[mark.subject_id].append(mark)
    if subject is None:  # a subject no longer taught that still has marks this period
        known = {s.id for s in subjects}
        missing = [sid for sid in by_subject if sid not in known]
        if missing:
            subjects += list(await session.scalars(select(Subject).where(Subject.id.in_(missing))))
            subjects.sort(key=lambda s: s.name)
    thresholds = await school_thresholds(session)
    finals = await final_marks_of(session, [student.id], scope.year.id, subject_id=subject.id if subject else None)
    if scope.is_year:
        year_rows = []
        for s in subjects:
            period_marks = period_results(finals, student.id, s.id, scope.periods)
            year_rows.append(
                SubjectYear(
                    s.id,
                    s.name,
                    period_marks,
                    weighted_average((m.value, m.weight) for m in by_subject.get(s.id, [])),
                    suggest_year_mark(period_marks, thresholds)[1],
                    result_of(finals.get((student.id, s.id, None))),
                )
            )
        return GradesAnswer(
            student, class_name, scope, year=tuple(year_rows), detail=subject is not None, named_year=named
        )
    rows = []
    for s in subjects:
        own = by_subject.get(s.id, [])
        average = weighted_average((m.value, m.weight) for m in own)
        rows.append(
            SubjectGrades(
                s.id,
                s.name,
                group_by_lesson(own),
                average,
                suggest_mark(average, thresholds),
                result_of(finals.get((student.id, s.id, scope.period.id))),
            )
        )
    return GradesAnswer(student, class_name, scope, subjects=tuple(rows), detail=subject is not None, named_year=named)


# --- /attendance -------------------------------------------------------------------------------


@dataclass(frozen=True)
class AttendanceLine:
    date: dt.date
    lesson_no: int
    subject: str
    code: AttendanceCode  # the subject teacher's: н, б, оп
    explanation: AttendanceCode | None  # the class teacher's: б, уп, нп

    @property
    def counted_as(self) -> AttendanceCode:
        """The class teacher's explanation, once given, says what the absence was."""
        return self.explanation or self.code


@dataclass(frozen=True)
class AttendanceAnswer:
    student: Student
    class_name: str
    scope: Scope
    lines: tuple[AttendanceLine, ...]
    totals: dict[AttendanceCode, int]

    @property
    def missed(self) -> int:
        return sum(count for code, count in self.totals.items() if code is not AttendanceCode.LATE)

    @property
    def late(self) -> int:
        return self.totals.get(AttendanceCode.LATE, 0)


async def attendance_view(
    session: AsyncSession, actor: Actor, student_id: int, today: dt.date, text: str = ""
) -> AttendanceAnswer:
    """Absences and late arrivals of the current period (or the one named: «1», «год») by date and lesson."""
    student = await _readable(session, actor, student_id)
    scope = await scope_from_text(session, text, today) if text.strip() else await current_scope(session, today)
    if scope is None:
        raise ValidationFailed("family-not-a-period", text=text)
    rows = await session.execute(
        select(Lesson.date, Lesson.lesson_no, Subject.name, Attendance.code, Attendance.explanation)
        .join(Lesson, Lesson.id == Attendance.lesson_id)
        .join(Subject, Subject.id == Lesson.subject_id)
        .where(
            Attendance.student_id == student.id,
            Attendance.deleted_at.is_(None),
            Lesson.date >= scope.start,
            Lesson.date <= scope.end,
        )
        .order_by(Lesson.date, Lesson.lesson_no)
    )
    lines = tuple(
        AttendanceLine(
            date, lesson_no, subject, AttendanceCode(code), AttendanceCode(explanation) if explanation else None
        )
        for date, lesson_no, subject, code, explanation in rows
    )
    counts = Counter(line.counted_as for line in lines)
    totals = {code: counts.get(code, 0) for code in ATTENDANCE_CODES}
    return AttendanceAnswer(student, _class_name(student), scope, lines, totals)


# --- the calendar as a class lives it ------------------------------------------------------------


async def _class_calendar(session: AsyncSession, class_id: int | None) -> SchoolCalendar:
    """The school calendar with the class's own school days (the weekdays the timetable in force then
    gives it lessons on)."""
    calendar = await load_calendar(session)
    return replace(calendar, classes=frozenset(() if class_id is None else (class_id,)))


def _week_days(calendar: SchoolCalendar, today: dt.date, ahead: int) -> list[dt.date]:
    """The school days of the week asked: services.calendar.week_of, as every command reads a week."""
    return list(calendar.days(*week_of(today, ahead=ahead)))


# --- /homework ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class HomeworkItem:
    lesson_no: int
    subject: str
    text: str


@dataclass(frozen=True)
class Day:
    """One school day of a homework or timetable answer."""

    date: dt.date
    items: tuple[HomeworkItem | ScheduleItem, ...]


@dataclass(frozen=True)
class HomeworkAnswer:
    student: Student
    class_name: str
    days: tuple[Day, ...]  # school days asked about, each with what is set (maybe nothing)
    week: int | None  # None: the next school day; else the week asked, in weeks from this one
    no_homework_grade: bool = False  # 1st grade: no homework (regulation 1.3)


async def homework_view(
    session: AsyncSession, actor: Actor, student_id: int, today: dt.date, *, week: int | None = None
) -> HomeworkAnswer:
    """Homework for the next school day after today, or for the school days of a week (`week` weeks
    from this one: services.calendar.week_of).

    Homework is read from the lessons it is due at (Lesson.homework of that date's lessons): the whole
    class's, and of a split subject only the lessons of the group the pupil was in on that date.
    """
    student = await _readable(session, actor, student_id)
    class_name = _class_name(student)
    if student.school_class is not None and student.school_class.attendance_only:
        return HomeworkAnswer(student, class_name, (), week, no_homework_grade=True)
    calendar = await _class_calendar(session, student.class_id)
    if week is not None:
        dates = _week_days(calendar, today, week)
    else:
        next_day = calendar.next(today)
        dates = [next_day] if next_day else []
    items: dict[dt.date, list[HomeworkItem]] = defaultdict(list)
    if dates:
        groups = await pupil_groups(session, student.id, dates[-1])
        rows = await session.execute(
            select(Lesson.date, Lesson.lesson_no, Lesson.subject_id, Lesson.subgroup, Subject.name, Lesson.homework)
            .join(Subject, Subject.id == Lesson.subject_id)
            .where(Lesson.class_id == student.class_id, Lesson.date.in_(dates), Lesson.homework != "")
            .order_by(Lesson.date, Lesson.lesson_no, Lesson.subgroup)
        )
        for date, lesson_no, subject_id, subgroup, subject, homework in rows:
            if groups.is_theirs(student.class_id, subject_id, subgroup, date):  # never the other group's
                items[date].append(HomeworkItem(lesson_no, subject, homework))
    return HomeworkAnswer(student, class_name, tuple(Day(d, tuple(items[d])) for d in dates), week)


# --- /schedule ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScheduleAnswer:
    student: Student
    class_name: str
    days: tuple[Day, ...]
    today_is_school_day: bool
    week: int | None = None  # as HomeworkAnswer.week

    @property
    def has_unplaced(self) -> bool:
        """Some lesson is of groups the pupil is not placed in: whose it is, the journal can't say."""
        return any(item.unplaced for day in self.days for item in day.items)


async def schedule_view(
    session: AsyncSession, actor: Actor, student_id: int, today: dt.date, *, week: int | None = None
) -> ScheduleAnswer:
    """Today's and the next school day's lessons (today skipped when it is no school day); or a week.

    The week is the school days of the week `week` weeks from this one (services.calendar.week_of).
    Of a class split into groups, the pupil sees only their own group's lesson, by their group on each date.
    """
    student = await _readable(session, actor, student_id)
    calendar = await _class_calendar(session, student.class_id)
    first = today if calendar.is_school_day(today) else calendar.next(today)
    if week is not None:
        dates = _week_days(calendar, today, week)
    elif first is None:
        dates = []
    else:
        second = calendar.next(first)
        dates = [first] + ([second] if second else [])
    if student.class_id is None or not dates:
        return ScheduleAnswer(
            student, _class_name(student), tuple(Day(d, ()) for d in dates), calendar.is_school_day(today), week
        )
    timetable = await pupil_timetable(session, student, dates[-1])
    days = []
    for day in dates:  # the timetable with the day's substitutions, cancellations and extra lessons
        items = [
            item
            for lesson in (await class_day(session, student.class_id, day)).lessons
            if (item := timetable.item(day, lesson)) is not None
        ]
        days.append(Day(day, tuple(sorted(items, key=lambda item: (item.lesson_no, item.subject)))))
    return ScheduleAnswer(student, _class_name(student), tuple(days), calendar.is_school_day(today), week)
