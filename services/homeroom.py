"""Class teachers (regulation 3.2): the daily record of missed lessons, explanations, the class list.

The teacher's attendance code (н, б, оп) stays as written; the class teacher's explanation (б, уп, нп)
is kept beside it, and each explanation goes to the audit log with before → after.
"""
from __future__ import annotations

import datetime as dt
import enum
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Row, Select, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    EXPLANATION_CODES,
    Account,
    AccountBinding,
    Attendance,
    AttendanceCode,
    AuditAction,
    ClassMove,
    ExplanationProposal,
    Lesson,
    Mark,
    Parent,
    ParentStudent,
    Period,
    PersonKind,
    SchoolClass,
    Student,
    Subject,
    utcnow,
)
from services.access import ensure_homeroom_of
from services.actor import Actor
from services.audit import record_change
from services.calendar import period_for
from services.errors import DomainError, NotFound, ValidationFailed
from services.grades import weighted_average
from services.names import normalize_class_name
from services.roster import roster_on

# Codes that count as a missed lesson for the 20 % flag; оп (late) is not a miss.
MISSED_CODES = (AttendanceCode.ABSENT.value, AttendanceCode.ILL.value)
LOW_AVERAGE = Decimal(3)
MISSED_SHARE = 0.20


# --- classes and access ----------------------------------------------------------------------

async def find_class(session: AsyncSession, raw_name: str) -> SchoolClass:
    """A class by what someone typed ('5a', '5 А'); unknown names are refused."""
    name = normalize_class_name(raw_name)
    found = await session.scalar(select(SchoolClass).where(SchoolClass.name == name))
    if found is None:
        raise NotFound("error-class-not-found", name=name)
    return found


async def classes_led_by(session: AsyncSession, actor: Actor) -> list[SchoolClass]:
    if not actor.homeroom_class_ids:
        return []
    return list(await session.scalars(
        select(SchoolClass).where(SchoolClass.id.in_(actor.homeroom_class_ids))
        .order_by(SchoolClass.grade, SchoolClass.name)
    ))


async def all_classes(session: AsyncSession) -> list[SchoolClass]:
    return list(await session.scalars(select(SchoolClass).order_by(SchoolClass.grade, SchoolClass.name)))


def ensure_reads_class(actor: Actor, class_id: int) -> None:
    """The class teacher and the administrator; deputy and director read every class (3.5, 3.6)."""
    if actor.sees_whole_school:
        return
    ensure_homeroom_of(actor, class_id)


async def class_by_id(session: AsyncSession, class_id: int) -> SchoolClass:
    school_class = await session.get(SchoolClass, class_id)
    if school_class is None:
        raise NotFound("homeroom-class-gone")
    return school_class


# --- the daily record --------------------------------------------------------------------------

@dataclass(frozen=True)
class MissedLesson:
    attendance_id: int
    lesson_no: int
    subject: str
    code: AttendanceCode
    explanation: AttendanceCode | None

    @property
    def unexplained(self) -> bool:
        return self.code == AttendanceCode.ABSENT and self.explanation is None

    @property
    def explainable(self) -> bool:
        return self.code == AttendanceCode.ABSENT


@dataclass(frozen=True)
class StudentDay:
    student_id: int
    number: int | None  # № in the class list that day; None if no longer in the class
    full_name: str
    lessons: tuple[MissedLesson, ...]

    @property
    def unexplained(self) -> bool:
        return any(lesson.unexplained for lesson in self.lessons)

    @property
    def explainable(self) -> bool:
        return any(lesson.explainable for lesson in self.lessons)


@dataclass(frozen=True)
class DailyRecord:
    class_id: int
    class_name: str
    day: dt.date
    class_size: int
    students: tuple[StudentDay, ...]  # unexplained absences first, then by №

    @property
    def absent_count(self) -> int:
        return sum(1 for student in self.students if any(l.code != AttendanceCode.LATE for l in student.lessons))


async def daily_record(session: AsyncSession, actor: Actor, class_id: int, day: dt.date) -> DailyRecord:
    """Who missed (or came late to) which lessons of the class on `day`."""
    ensure_reads_class(actor, class_id)
    school_class = await class_by_id(session, class_id)
    rows = (await session.execute(absences_on(day).where(Lesson.class_id == class_id))).all()
    roster = await roster_on(session, class_id, day)
    numbers = {entry.student.id: entry.number for entry in roster}
    return build_daily_record(class_id, school_class.name, day, rows, numbers)


def absences_on(day: dt.date) -> Select:
    """(attendance id, student id, code, explanation, class id, lesson №, subject, student's name) on `day`."""
    return (
        select(Attendance.id, Attendance.student_id, Attendance.code, Attendance.explanation, Lesson.class_id,
               Lesson.lesson_no, Subject.name, Student.full_name)
        .join(Lesson, Lesson.id == Attendance.lesson_id)
        .join(Subject, Subject.id == Lesson.subject_id)
        .join(Student, Student.id == Attendance.student_id)
        .where(Lesson.date == day, Attendance.deleted_at.is_(None))
        .order_by(Lesson.class_id, Lesson.lesson_no, Subject.name)
    )


def build_daily_record(
    class_id: int, class_name: str, day: dt.date, rows: Sequence[Row], numbers: dict[int, int],
) -> DailyRecord:
    """The record from the class's rows of `absences_on` (in their order) and its list that day
    (student id → № in it)."""
    lessons: dict[int, list[MissedLesson]] = defaultdict(list)
    names: dict[int, str] = {}
    for attendance_id, student_id, code, explanation, _, lesson_no, subject, full_name in rows:
        names[student_id] = full_name
        lessons[student_id].append(MissedLesson(
            attendance_id, lesson_no, subject, AttendanceCode(code),
            AttendanceCode(explanation) if explanation else None,
        ))
    students = [
        StudentDay(student_id, numbers.get(student_id), names[student_id], tuple(missed))
        for student_id, missed in lessons.items()
    ]
    students.sort(key=lambda s: (not s.unexplained, s.number is None, s.number or 0, s.full_name.casefold()))
    return DailyRecord(class_id, class_name, day, len(numbers), tuple(students))


# --- explanations ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Explained:
    student_name: str
    explanation: AttendanceCode
    changed: int  # lessons whose explanation changed (already so: not counted, not audited)
    lessons: int  # lessons the explanation covers


def _explanation(raw: str | AttendanceCode) -> AttendanceCode:
    try:
        code = AttendanceCode(raw)
    except ValueError:
        code = None
    if code not in EXPLANATION_CODES:
        raise ValidationFailed("homeroom-bad-explanation", code=str(raw))
    return code


async def explain_day(
    session: AsyncSession, actor: Actor, *, class_id: int, student_id: int, day: dt.date,
    explanation: str | AttendanceCode,
) -> Explained:
    """One tap for the whole day: every н of the student in the class's lessons on `day`."""
    code = _explanation(explanation)
    ensure_homeroom_of(actor, class_id)
    rows = list(await session.scalars(
        select(Attendance)
        .join(Lesson, Lesson.id == Attendance.lesson_id)
        .where(
            Lesson.class_id == class_id, Lesson.date == day, Attendance.student_id == student_id,
            Attendance.code == AttendanceCode.ABSENT.value, Attendance.deleted_at.is_(None),
        )
        .order_by(Lesson.lesson_no)
    ))
    if not rows:
        raise DomainError("homeroom-nothing-to-explain")
    return await _explain(session, actor, rows, code)


async def explain_lesson(
    session: AsyncSession, actor: Actor, *, attendance_id: int, explanation: str | AttendanceCode,
) -> Explained:
    """One lesson only (the student came back after the third lesson, say)."""
    code = _explanation(explanation)
    row = (await session.execute(
        select(Attendance, Lesson.class_id).join(Lesson, Lesson.id == Attendance.lesson_id)
        .where(Attendance.id == attendance_id, Attendance.deleted_at.is_(None))
    )).first()
    if row is None:
        raise NotFound("homeroom-nothing-to-explain")
    attendance, class_id = row
    ensure_homeroom_of(actor, class_id)
    if attendance.code != AttendanceCode.ABSENT:
        raise ValidationFailed("homeroom-not-absence", code=str(attendance.code))
    return await _explain(session, actor, [attendance], code)


async def _explain(session: AsyncSession, actor: Actor, rows: list[Attendance], code: AttendanceCode) -> Explained:
    changed = 0
    for attendance in rows:
        if attendance.explanation == code:
            continue
        before = _attendance_state(attendance)
        attendance.explanation = code
        attendance.explained_by_staff_id = actor.staff_id
        attendance.updated_at = utcnow()
        record_change(
            session, actor, entity="attendance", entity_id=attendance.id, action=AuditAction.UPDATE,
            before=before, after=_attendance_state(attendance),
            student_id=attendance.student_id, lesson_id=attendance.lesson_id,
        )
        changed += 1
    # A parent's proposed explanation is settled once the class teacher has given one.
    await session.execute(
        update(ExplanationProposal)
        .where(ExplanationProposal.attendance_id.in_([a.id for a in rows]), ExplanationProposal.resolved_at.is_(None))
        .values(resolved_at=utcnow())
    )
    await session.flush()
    student = await session.get(Student, rows[0].student_id)
    return Explained(student.full_name, code, changed, len(rows))


def _attendance_state(attendance: Attendance) -> dict[str, str | None]:
    explanation = attendance.explanation
    return {
        "code": AttendanceCode(attendance.code).value,
        "explanation": AttendanceCode(explanation).value if explanation else None,
    }


# --- the class list: parents, sign-in, flags --------------------------------------------------

class SignIn(str, enum.Enum):
    NONE = "none"          # never signed in (no active binding)
    ACTIVE = "active"      # signed in, the chat works
    BLOCKED = "blocked"    # signed in, but Telegram says the bot is blocked


@dataclass(frozen=True)
class ParentLine:
    parent_id: int
    full_name: str
    phone: str | None
    sign_in: SignIn


@dataclass(frozen=True)
class LowAverage:
    subject: str
    average: Decimal


@dataclass(frozen=True)
class ManyMissed:
    missed: int
    held: int

    @property
    def share(self) -> float:
        return self.missed / self.held


@dataclass(frozen=True)
class ClassListEntry:
    number: int
    student_id: int
    external_id: str
    full_name: str
    sign_in: SignIn
    parents: tuple[ParentLine, ...]
    low_averages: tuple[LowAverage, ...]
    missed: ManyMissed | None  # set only when more than 20 % of held lessons were missed
    left_on: dt.date | None = None  # a student who left keeps their № and is listed as «выбыл(а)»

    @property
    def flagged(self) -> bool:
        return bool(self.low_averages) or self.missed is not None


@dataclass(frozen=True)
class ClassList:
    class_id: int
    class_name: str
    day: dt.date
    period: Period | None
    entries: tuple[ClassListEntry, ...]


async def class_list(session: AsyncSession, actor: Actor, class_id: int, today: dt.date) -> ClassList:
    """The class today with parents, who has signed in, and the period's flags; those who have left
    this year's list are shown at their numbers, with the date."""
    ensure_reads_class(actor, class_id)
    school_class = await class_by_id(session, class_id)
    listed = await roster_on(session, class_id, today, with_leavers=True)
    roster = [entry for entry in listed if entry.present]
    student_ids = [entry.student.id for entry in roster]
    parents = await _parents_of(session, student_ids)
    sign_in = await sign_in_states(
        session, [(PersonKind.STUDENT, i) for i in student_ids]
        + [(PersonKind.PARENT, p.id) for group in parents.values() for p in group],
    )
    period = await _period_so_far(session, today)
    low: dict[int, list[LowAverage]] = {}
    missed: dict[int, ManyMissed] = {}
    if period is not None and student_ids:
        end = min(period.end, today)
        low = await _low_averages(session, student_ids, period.start, end)
        missed = await _many_missed(session, class_id, student_ids, period.start, end)
    entries = tuple(
        ClassListEntry(
            number=entry.number, student_id=entry.student.id, external_id=entry.student.external_id,
            full_name=entry.student.full_name,
            sign_in=sign_in.get((PersonKind.STUDENT, entry.student.id), SignIn.NONE),
            parents=tuple(
                ParentLine(p.id, p.full_name, p.phone, sign_in.get((PersonKind.PARENT, p.id), SignIn.NONE))
                for p in parents.get(entry.student.id, [])
            ),
            low_averages=tuple(low.get(entry.student.id, [])),
            missed=missed.get(entry.student.id),
        ) if entry.present else ClassListEntry(
            number=entry.number, student_id=entry.student.id, external_id=entry.student.external_id,
            full_name=entry.student.full_name, sign_in=SignIn.NONE, parents=(), low_averages=(), missed=None,
            left_on=entry.left_on,
        )
        for entry in listed
    )
    return ClassList(class_id, school_class.name, today, period, entries)


async def sign_in_states(
    session: AsyncSession, people: list[tuple[PersonKind, int]],
) -> dict[tuple[PersonKind, int], SignIn]:
    """For each person with an active binding: ACTIVE if any of their accounts works, else BLOCKED."""
    if not people:
        return {}
    ids_by_kind: dict[PersonKind, set[int]] = defaultdict(set)
    for kind, person in people:
        ids_by_kind[kind].add(person)
    states: dict[tuple[PersonKind, int], SignIn] = {}
    for kind, ids in ids_by_kind.items():
        rows = await session.execute(
            select(AccountBinding.person_id, Account.active)
            .join(Account, Account.id == AccountBinding.account_id)
            .where(
                AccountBinding.person_kind == kind.value, AccountBinding.person_id.in_(ids),
                AccountBinding.revoked_at.is_(None),
            )
        )
        for person, active in rows:
            if active:
                states[(kind, person)] = SignIn.ACTIVE
            else:
                states.setdefault((kind, person), SignIn.BLOCKED)
    return states


async def _parents_of(session: AsyncSession, student_ids: list[int]) -> dict[int, list[Parent]]:
    if not student_ids:
        return {}
    rows = await session.execute(
        select(ParentStudent.student_id, Parent)
        .join(Parent, Parent.id == ParentStudent.parent_id)
        .where(ParentStudent.student_id.in_(student_ids))
        .order_by(Parent.full_name, Parent.id)
    )
    parents: dict[int, list[Parent]] = defaultdict(list)
    for student_id, parent in rows:
        parents[student_id].append(parent)
    return parents


async def _period_so_far(session: AsyncSession, today: dt.date) -> Period | None:
    """The period `today` is in; in the holidays, the one just finished."""
    current = await period_for(session, today)
    if current is not None:
        return current
    return await session.scalar(select(Period).where(Period.end < today).order_by(Period.end.desc()).limit(1))


async def _low_averages(
    session: AsyncSession, student_ids: list[int], start: dt.date, end: dt.date,
) -> dict[int, list[LowAverage]]:
    """Weighted averages below 3 (as shown, to hundredths), per subject, over the student's marks."""
    rows = await session.execute(
        select(Mark.student_id, Subject.name, Mark.value, Mark.weight)
        .join(Lesson, Lesson.id == Mark.lesson_id)
        .join(Subject, Subject.id == Lesson.subject_id)
        .where(
            Mark.student_id.in_(student_ids), Mark.deleted_at.is_(None),
            Lesson.date >= start, Lesson.date <= end,
        )
    )
    marks: dict[tuple[int, str], list[tuple[int, float]]] = defaultdict(list)
    for student_id, subject, value, weight in rows:
        marks[(student_id, subject)].append((value, weight))
    low: dict[int, list[LowAverage]] = defaultdict(list)
    for (student_id, subject), values in sorted(marks.items(), key=lambda item: item[0][1]):
        average = weighted_average(values)
        if average is not None and average < LOW_AVERAGE:
            low[student_id].append(LowAverage(subject, average))
    return low


async def _many_missed(
    session: AsyncSession, class_id: int, student_ids: list[int], start: dt.date, end: dt.date,
) -> dict[int, ManyMissed]:
    """More than 20 % of the class's lessons held since the period began (or the student joined) missed."""
    lesson_dates = list(await session.scalars(
        select(Lesson.date).where(Lesson.class_id == class_id, Lesson.date >= start, Lesson.date <= end)
    ))
    if not lesson_dates:
        return {}
    joined = dict((await session.execute(
        select(ClassMove.student_id, func.max(ClassMove.date))
        .where(
            ClassMove.student_id.in_(student_ids), ClassMove.to_class_id == class_id,
            ClassMove.date > start, ClassMove.date <= end,
        )
        .group_by(ClassMove.student_id)
    )).all())
    absences = await session.execute(
        select(Attendance.student_id, Lesson.date)
        .join(Lesson, Lesson.id == Attendance.lesson_id)
        .where(
            Lesson.class_id == class_id, Lesson.date >= start, Lesson.date <= end,
            Attendance.student_id.in_(student_ids), Attendance.deleted_at.is_(None),
            Attendance.code.in_(MISSED_CODES),
        )
    )
    missed_dates: dict[int, list[dt.date]] = defaultdict(list)
    for student_id, day in absences:
        missed_dates[student_id].append(day)
    flagged: dict[int, ManyMissed] = {}
    for student_id in student_ids:
        since = joined.get(student_id, start)
        held = sum(1 for day in lesson_dates if day >= since)
        missed = sum(1 for day in missed_dates.get(student_id, []) if day >= since)
        if held and missed / held > MISSED_SHARE:
            flagged[student_id] = ManyMissed(missed, held)
    return flagged
