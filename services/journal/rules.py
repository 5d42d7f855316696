"""Who may write which lesson, and when: the checks every entry point makes before it writes.

Access (the lesson's own teacher, its substitute, or the deputy and administrator with a reason),
grade 1 (attendance only), subjects and periods without marks (services.marking), the date and the lesson (one of the class's day), the range of marks,
no mark for an absent pupil, and when a correction needs a reason:

A mark or attendance entry changed or removed within the grace window after it was entered needs no
reason; later it does (without one, the entry comes back as ReasonRequired and nothing is written).
The deputy and the administrator may correct lessons they do not teach, always with a reason; the
marks of a period whose final marks are set may be changed only by the deputy, with a reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from models import AttendanceCode, AuditAction, Lesson
from models.writing import begin_writing
from services.access import ensure_teaches
from services.actor import Actor, Role
from services.entry_parser import HIGHEST_MARK, MAX_LESSON_NO, EntryItem, EntryValue, ValueKind
from services.errors import AccessDenied, ConfirmationRequired, DomainError, Listing, NotFound, ValidationFailed
from services.journal.model import Change, LessonKey, ReasonRequired, StudentValue
from services.journal_rows import LessonRows
from services.lessons import LessonSlot, find_slot, lesson_group, next_slot
from services.marking import lesson_rule
from services.roster import RosterEntry
from services.school_clock import EntryClock
from services.school_reference import (
    ClassInfo,
    PeriodInfo,
    SchoolReference,
    SubjectInfo,
    WorkTypeInfo,
    school_reference,
)
from services.school_years import ensure_current_class, of_a_past_year, year_of
from services.subgroups import group_label
from services.timetable_day import class_day_lock, no_such_lesson

# --- who may write which lesson, and when ----------------------------------------------------

MAX_TEXT_LENGTH = 2000


@dataclass(frozen=True)
class Target:
    school_class: ClassInfo
    subject: SubjectInfo
    slot: LessonSlot
    period: PeriodInfo | None
    by_assignment: bool  # False: the deputy or the administrator correcting another's lesson
    reference: SchoolReference


def page_heading(target: Target) -> str:
    """The subject as the journal page is headed: «Английский язык/2» for a group's lesson."""
    return group_label(target.subject.name, target.slot.subgroup)


def class_and_subject(reference: SchoolReference, class_id: int, subject_id: int) -> tuple[ClassInfo, SubjectInfo]:
    school_class, subject = reference.classes.get(class_id), reference.subject(subject_id)
    if school_class is None or subject is None:
        raise NotFound("entry-lesson-not-found")
    return school_class, subject


async def may_write(
    session: AsyncSession, actor: Actor, school_class: ClassInfo, subject: SubjectInfo, slot: LessonSlot | None = None
) -> bool:
    """True for the lesson's own teacher (by assignment, for a group's lesson to that group, or the
    substitute or extra lesson's teacher of `slot`); False for the deputy or administrator (they need
    a reason)."""
    if actor.staff_id is None:
        raise AccessDenied("entry-staff-only")
    reference = await school_reference(session)
    if of_a_past_year(reference, school_class):
        if actor.has(Role.ADMIN):
            return False  # the administrator alone corrects a past year's lesson: with a reason, audited
        ensure_current_class(reference, school_class)
    try:
        await ensure_teaches(session, actor, school_class.id, subject.id)
    except AccessDenied:
        if slot is not None and slot.change is not None and slot.teacher_id == actor.staff_id:
            return True
        if actor.has(Role.DEPUTY, Role.ADMIN):
            return False
        raise AccessDenied("entry-not-your-lesson", class_name=school_class.name, subject=subject.name) from None
    if (
        slot is None
        or slot.change is not None
        or reference.teaches(actor.staff_id, school_class.id, subject.id, slot.subgroup)
    ):
        return True
    if actor.has(Role.DEPUTY, Role.ADMIN):
        return False
    mine = reference.teacher_groups(actor.staff_id, school_class.id, subject.id)
    raise AccessDenied(
        "entry-not-your-group",
        class_name=school_class.name,
        subject=subject.name,
        group=slot.subgroup,
        groups=Listing(", ".join(mine)),
    )


def _check_grade_one(school_class: ClassInfo, what: str) -> None:
    if school_class.attendance_only and what in ("marks", "homework"):
        raise DomainError(f"entry-grade-one-{what}", class_name=school_class.name)


def _check_marking(reference: SchoolReference, school_class: ClassInfo, subject: SubjectInfo, day: dt.date) -> None:
    """A subject without marks, a pass/fail one, or a period the grade has no marks in (services.marking)."""
    rule = lesson_rule(reference, school_class.id, subject.id, day)
    if rule is not None:
        raise DomainError(rule.key, **rule.args)


def day_text(value: dt.date) -> str:
    return value.strftime("%d.%m.%Y")


async def checked_target(
    session: AsyncSession,
    actor: Actor,
    class_id: int,
    subject_id: int,
    clock: EntryClock,
    *,
    what: str,
    day: dt.date | None,
    lesson_no: int | None,
    next_after: dt.date | None = None,
    allow_future: bool = False,
    removing: bool = False,
    subgroup: str | None = None,
) -> Target:
    """Checks, in the order a person would want to hear them: access, grade 1, the date, the lesson.

    `what` is "marks", "attendance", "topic" or "homework"; `day` None means the next lesson of the
    subject after `next_after` (default: today). The lesson must be one of the class's day
    (services.timetable_day); a journal row outside it (written before this rule) takes only
    removals (`removing`), so that it can be emptied and removed. Of a split subject it is one
    group's lesson: `subgroup` as typed, or services.lessons.lesson_group's choice.
    """
    if lesson_no is not None and not 1 <= lesson_no <= MAX_LESSON_NO:
        raise ValidationFailed("entry-bad-lesson-no", text=str(lesson_no))
    reference = await school_reference(session)
    school_class, subject = class_and_subject(reference, class_id, subject_id)
    try:
        by_assignment: bool | None = await may_write(session, actor, school_class, subject)
    except AccessDenied:
        if actor.staff_id is None or not actor.has(Role.TEACHER):
            raise
        by_assignment = None  # perhaps the lesson's substitute: decided once the lesson is found
    if by_assignment is not None:
        _check_grade_one(school_class, what)
    group: str | None = None
    if day is None:
        if by_assignment is None:
            await may_write(session, actor, school_class, subject)  # the refusal: not their subject
        group = await lesson_group(session, reference, actor.staff_id, class_id, subject_id, None, None, subgroup)
        following = await next_slot(session, class_id, subject_id, next_after or clock.today, subgroup=group)
        if following is None:
            raise DomainError(
                "entry-no-next-lesson", class_name=school_class.name, subject=group_label(subject.name, group)
            )
        day, lesson_no = following.date, following.lesson_no
    if day > clock.today and not allow_future:
        raise DomainError("entry-future-date", date=day_text(day))
    calendar_day = reference.day(day)
    if not calendar_day.in_year:
        raise DomainError("entry-outside-year", date=day_text(day))
    await begin_writing(session, class_day_lock(class_id, day))  # the day's lessons stay as found
    if group is None:
        group = await lesson_group(session, reference, actor.staff_id, class_id, subject_id, day, lesson_no, subgroup)
    slot = await find_slot(session, class_id, subject_id, day, lesson_no, group)
    if by_assignment is None or (slot is not None and slot.subgroup):
        by_assignment = await may_write(session, actor, school_class, subject, slot)
        _check_grade_one(school_class, what)
    if what == "marks":
        _check_marking(reference, school_class, subject, day)
    if slot is None or not (slot.in_timetable or removing):
        raise await no_such_lesson(session, reference, school_class, subject, day, lesson_no)
    return Target(school_class, subject, slot, calendar_day.period, by_assignment, reference)


async def key_target(
    session: AsyncSession, actor: Actor, key: LessonKey, clock: EntryClock, what: str, *, removing: bool = False
) -> Target:
    """`checked_target` for a lesson named by its key (a typed date, a button, an open lesson)."""
    return await checked_target(
        session,
        actor,
        key.class_id,
        key.subject_id,
        clock,
        what=what,
        day=key.date,
        lesson_no=key.lesson_no,
        removing=removing,
        subgroup=key.subgroup,
    )


# --- what may be written ---------------------------------------------------------------------


def checked_text(text: str) -> str:
    text = text.strip()
    if not text:
        raise ValidationFailed("entry-no-text")
    if len(text) > MAX_TEXT_LENGTH:
        raise ValidationFailed("entry-text-too-long", limit=MAX_TEXT_LENGTH)
    return text


def check_mark_range(items: Sequence[EntryItem | StudentValue], lowest: int) -> None:
    """Parsed values were checked already; a button's value (or a forged one) is checked here."""
    for item in items:
        for mark in item.value.marks:
            if not lowest <= mark <= HIGHEST_MARK:
                raise ValidationFailed("entry-bad-mark", item=item.value.token, mark=mark, lowest=lowest)


ABSENT_CODES = frozenset({AttendanceCode.ABSENT.value, AttendanceCode.ILL.value})


def check_presence(pairs: list[tuple[RosterEntry, EntryValue]], rows: LessonRows, confirmed: bool) -> None:
    """A pupil who was not there (н, б) gets no mark; marking absent a pupil who has marks is confirmed."""
    values: dict[int, dict[bool, EntryValue]] = {}
    entries = {}
    for entry, value in pairs:
        values.setdefault(entry.student.id, {})[value.kind.is_mark] = value
        entries[entry.student.id] = entry
    for student_id, given in values.items():
        entry, marks, attendance = entries[student_id], given.get(True), given.get(False)
        code = (
            (attendance.token if attendance.kind is ValueKind.ATTENDANCE else "")
            if attendance
            else (rows.code(student_id))
        )
        if marks is not None and marks.kind is ValueKind.MARKS and code in ABSENT_CODES:
            raise ValidationFailed(
                "entry-mark-while-absent", number=entry.number, student=entry.student.full_name, code=code
            )
        has_marks = bool(rows.marks_text(student_id)) and not (marks and marks.kind is ValueKind.REMOVE_MARKS)
        if (
            attendance is not None
            and attendance.kind is ValueKind.ATTENDANCE
            and code in ABSENT_CODES
            and has_marks
            and not confirmed
            and rows.code(student_id) not in ABSENT_CODES
        ):
            raise ConfirmationRequired(
                "entry-confirm-absent-with-marks",
                number=entry.number,
                student=entry.student.full_name,
                marks=rows.marks_text(student_id),
                code=code,
            )


def chosen_work_type(reference: SchoolReference, work_type_id: int | None, lesson: Lesson | None) -> WorkTypeInfo:
    """The one asked for, else the lesson's, else the lightest (работа на уроке)."""
    chosen = reference.work_type(work_type_id or (lesson.work_type_id if lesson is not None else None))
    if chosen is None:
        chosen = reference.lightest_work_type()
    if chosen is None:
        raise DomainError("entry-no-work-types")
    return chosen


# --- when a correction needs a reason --------------------------------------------------------


def reason_needed(
    actor: Actor, target: Target, changes: list[Change], clock: EntryClock, reason: str
) -> ReasonRequired | None:
    """The last checks, once the whole change is known to be valid: is it allowed (else a refusal is
    raised), and is a reason due that was not given."""
    if not changes:
        return None
    # A past year's lesson reaches here in the administrator's hands alone (may_write); its terms are all
    # closed, and the reason the correction needs stands for the deputy's.
    past_year = of_a_past_year(target.reference, target.school_class)
    marks = any(change.entity == "mark" for change in changes)
    locked = _locked_period(actor, target) if marks and not past_year else None
    if reason:
        return None
    if past_year:
        return ReasonRequired(
            "entry-reason-past-year",
            class_name=target.school_class.name,
            year=year_of(target.reference, target.school_class),
        )
    if locked is not None:
        return ReasonRequired("entry-reason-locked", period=locked.name)
    if not target.by_assignment:
        return ReasonRequired(
            "entry-reason-not-yours", class_name=target.school_class.name, subject=target.subject.name
        )
    late = next(
        (
            change
            for change in changes
            if change.action is not AuditAction.CREATE
            and change.row is not None
            and change.row.created_at < clock.now - clock.grace
        ),
        None,
    )
    if late is not None:
        return ReasonRequired(
            "entry-reason-late",
            number=late.entry.number,
            student=late.entry.student.full_name,
            minutes=int(clock.grace.total_seconds() // 60),
        )
    return None


def _locked_period(actor: Actor, target: Target) -> PeriodInfo | None:
    """The lesson's period if its final marks are set: then only the deputy changes its marks, with a reason."""
    period = target.period
    if period is None or period.finals_locked_at is None:
        return None
    if not actor.has(Role.DEPUTY):
        raise DomainError("entry-period-locked", period=period.name)
    return period
