"""The class list: each student with their parents, who has signed in, and the period's flags (a
weighted average below 3, more than 20 % of lessons missed)."""

from __future__ import annotations

import datetime as dt
import enum
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    Account,
    AccountBinding,
    Attendance,
    AttendanceCode,
    ClassMove,
    Lesson,
    Mark,
    Parent,
    ParentStudent,
    Period,
    PersonKind,
    Subject,
)
from services.actor import Actor
from services.calendar import period_for
from services.grades import weighted_average
from services.homeroom.classes import class_by_id, ensure_reads_class
from services.roster import roster_on

# Codes that count as a missed lesson for the 20 % flag; оп (late) is not a miss.
MISSED_CODES = (AttendanceCode.ABSENT.value, AttendanceCode.ILL.value)
LOW_AVERAGE = Decimal(3)
MISSED_SHARE = 0.20


class SignIn(str, enum.Enum):
    NONE = "none"  # never signed in (no active binding)
    ACTIVE = "active"  # signed in, the chat works
    BLOCKED = "blocked"  # signed in, but Telegram says the bot is blocked


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
    left_on: dt.date | None = None  # a student who left keeps their № and is listed as «выбыл» or «выбыла»

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
        session,
        [(PersonKind.STUDENT, i) for i in student_ids]
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
            number=entry.number,
            student_id=entry.student.id,
            external_id=entry.student.external_id,
            full_name=entry.student.full_name,
            sign_in=sign_in.get((PersonKind.STUDENT, entry.student.id), SignIn.NONE),
            parents=tuple(
                ParentLine(p.id, p.full_name, p.phone, sign_in.get((PersonKind.PARENT, p.id), SignIn.NONE))
                for p in parents.get(entry.student.id, [])
            ),
            low_averages=tuple(low.get(entry.student.id, [])),
            missed=missed.get(entry.student.id),
        )
        if entry.present
        else ClassListEntry(
            number=entry.number,
            student_id=entry.student.id,
            external_id=entry.student.external_id,
            full_name=entry.student.full_name,
            sign_in=SignIn.NONE,
            parents=(),
            low_averages=(),
            missed=None,
            left_on=entry.left_on,
        )
        for entry in listed
    )
    return ClassList(class_id, school_class.name, today, period, entries)


async def sign_in_states(
    session: AsyncSession, people: list[tuple[PersonKind, int]]
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
                AccountBinding.person_kind == kind.value,
                AccountBinding.person_id.in_(ids),
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
    session: AsyncSession, student_ids: list[int], start: dt.date, end: dt.date
) -> dict[int, list[LowAverage]]:
    """Weighted averages below 3 (as shown, to hundredths), per subject, over the student's marks."""
    rows = await session.execute(
        select(Mark.student_id, Subject.name, Mark.value, Mark.weight)
        .join(Lesson, Lesson.id == Mark.lesson_id)
        .join(Subject, Subject.id == Lesson.subject_id)
        .where(Mark.student_id.in_(student_ids), Mark.deleted_at.is_(None), Lesson.date >= start, Lesson.date <= end)
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
    session: AsyncSession, class_id: int, student_ids: list[int], start: dt.date, end: dt.date
) -> dict[int, ManyMissed]:
    """More than 20 % of the class's lessons held since the period began (or the student joined) missed."""
    lesson_dates = list(
        await session.scalars(
            select(Lesson.date).where(Lesson.class_id == class_id, Lesson.date >= start, Lesson.date <= end)
        )
    )
    if not lesson_dates:
        return {}
    joined = dict(
        (
            await session.execute(
                select(ClassMove.student_id, func.max(ClassMove.date))
                .where(
                    ClassMove.student_id.in_(student_ids),
                    ClassMove.to_class_id == class_id,
                    ClassMove.date > start,
                    ClassMove.date <= end,
                )
                .group_by(ClassMove.student_id)
            )
        ).all()
    )
    absences = await session.execute(
        select(Attendance.student_id, Lesson.date)
        .join(Lesson, Lesson.id == Attendance.lesson_id)
        .where(
            Lesson.class_id == class_id,
            Lesson.date >= start,
            Lesson.date <= end,
            Attendance.student_id.in_(student_ids),
            Attendance.deleted_at.is_(None),
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
