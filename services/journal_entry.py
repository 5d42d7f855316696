"""Teachers write the journal: marks, attendance, the topic and homework; corrections; the rules.

Every entry point takes the acting person and checks, here in the service, that they may write
that lesson. Everything is checked before anything is written, so a refusal (a DomainError) leaves
no trace. Each change to a mark or an attendance entry goes to the audit log (who, when,
before → after, why) and to the family's outbox, in the same transaction.

Corrections: a mark or attendance entry changed or removed within the grace window after it was
entered needs no reason; later it does (without one, the entry comes back as ReasonRequired and
nothing is written). The deputy and the administrator may correct lessons they do not teach, always
with a reason; the marks of a period whose final marks are set may be changed only by the deputy,
with a reason. Removal is a soft delete (deleted_at); entering a removed slot again revives the row.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import AttendanceCode, AuditAction, Lesson, LessonChangeKind, Mark, Staff, Student, utcnow
from models.writing import begin_writing
from services.access import ensure_teaches
from services.actor import Actor, Role
from services.audit import history_of, record_changes
from services.entry_parser import (
    HIGHEST_MARK,
    MAX_LESSON_NO,
    Catalog,
    EntryItem,
    EntryValue,
    Named,
    ValueKind,
    checked_reason,
    parse_line,
    parse_mark_command,
    parse_text_command,
)
from services.errors import (
    AccessDenied,
    ConfirmationRequired,
    DomainError,
    Listing,
    NotFound,
    ValidationFailed,
)
from services.journal_rows import (
    NO_ROWS,
    AttendanceRow,
    LessonRows,
    MarkRow,
    lesson_rows,
    write_attendance,
    write_marks,
)
from services.lessons import LessonSlot, find_slot, lesson_group, lesson_lock, lesson_row, next_slot
from services.names import grammatical_gender
from services.notices import Absence, Homework, MarkEntry
from services.outbox import FamilyNotice, comment_pending_mark, notify_families, notify_homework
from services.roster import RosterEntry, roster_on
from services.school_clock import EntryClock
from services.school_reference import (
    ClassInfo,
    PeriodInfo,
    SchoolReference,
    SubjectInfo,
    WorkTypeInfo,
    school_reference,
)
from services.subgroups import group_label, group_list, groups_on, lesson_roster
from services.timetable_day import class_day_lock, no_such_lesson

MAX_TEXT_LENGTH = 2000
MARK_SLOTS = (1, 2)


class ReasonRequired:
    """The change is allowed, but only with a reason. Not a refusal but an answer: nothing was written,
    and the caller asks for a reason and tries again with it. `key` and `args_for_message` say why,
    as a refusal's do (services.errors.Wording)."""

    def __init__(self, key: str, **args: Any) -> None:
        self.key = key
        self.args_for_message = args


@dataclass(frozen=True)
class LessonKey:
    """Class, subject, date and (optionally) the lesson number; without a number, the day's first.

    `subgroup`: the group whose lesson it is ("" the whole class); None when not said (a typed
    command without «/group»): services.lessons.lesson_group decides.
    """

    class_id: int
    subject_id: int
    date: dt.date
    lesson_no: int | None = None
    subgroup: str | None = None


@dataclass(frozen=True)
class StudentValue:
    """A value for a student named by id (a button), rather than by № in the class list."""

    student_id: int
    value: EntryValue


@dataclass(frozen=True)
class EntryLine:
    """What one student's entry was and is now; `…_after` is None where the command left it alone."""

    number: int
    student_id: int
    name: str
    marks_before: str
    marks_after: str | None
    code_before: str
    code_after: str | None
    work_type_change: tuple[str, str] | None = None  # (before, after) when the marks' kind of work changed

    @property
    def marks_changed(self) -> bool:
        return self.marks_after is not None and self.marks_after != self.marks_before

    @property
    def changed(self) -> bool:
        return self.marks_changed or self.work_type_change is not None or (
            self.code_after is not None and self.code_after != self.code_before
        )


@dataclass(frozen=True)
class EntryResult:
    class_name: str
    subject: str
    date: dt.date
    lesson_no: int
    work_type: str | None      # of the marks entered, when any were
    lines: tuple[EntryLine, ...]
    reason: str


@dataclass(frozen=True)
class TextResult:
    """A topic or homework written: to which lesson."""

    class_name: str
    subject: str
    date: dt.date
    lesson_no: int
    text: str


@dataclass(frozen=True)
class LessonRow:
    number: int
    student_id: int
    name: str
    marks: str        # "5", "3/4" or ""
    code: str         # the teacher's attendance code or ""
    explanation: str  # the class teacher's (б, уп, нп) or ""


@dataclass(frozen=True)
class LessonView:
    key: LessonKey               # with the lesson number resolved
    class_name: str
    subject: str
    attendance_only: bool        # grade 1: no marks, no homework
    starts: dt.time | None
    ends: dt.time | None
    topic: str
    work_type_id: int
    work_type: str
    attendance_taken: bool
    homework_to: LessonSlot | None   # the next lesson, where this lesson's homework goes
    homework: str
    rows: tuple[LessonRow, ...]
    lowest_mark: int
    removable: bool = False      # an extra lesson, or a journal row outside the class's day


@dataclass(frozen=True)
class HistoryLine:
    at: dt.datetime
    who: str
    entity: str                  # "mark" or "attendance"
    action: AuditAction
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    reason: str


# --- the school's names, for parsing ---------------------------------------------------------

async def load_catalog(session: AsyncSession, today: dt.date) -> Catalog:
    reference = await school_reference(session)
    year = reference.day(today).year
    return Catalog(
        classes={c.name: Named(c.id, c.name) for c in reference.classes.values()},
        subjects=tuple(Named(s.id, s.name) for s in reference.subjects),
        work_types=tuple(Named(w.id, w.name) for w in reference.work_types), today=today,
        allow_mark_one=reference.allow_mark_one, year_start=year.start if year else None,
        class_subjects=reference.class_subjects(),
    )


# --- who may write which lesson, and when ----------------------------------------------------

@dataclass(frozen=True)
class _Target:
    school_class: ClassInfo
    subject: SubjectInfo
    slot: LessonSlot
    period: PeriodInfo | None
    by_assignment: bool  # False: the deputy or the administrator correcting another's lesson
    reference: SchoolReference


def _class_and_subject(reference: SchoolReference, class_id: int, subject_id: int) -> tuple[ClassInfo, SubjectInfo]:
    school_class, subject = reference.classes.get(class_id), reference.subject(subject_id)
    if school_class is None or subject is None:
        raise NotFound("entry-lesson-not-found")
    return school_class, subject


async def _may_write(session: AsyncSession, actor: Actor, school_class: ClassInfo, subject: SubjectInfo,
                     slot: LessonSlot | None = None) -> bool:
    """True for the lesson's own teacher (by assignment, for a group's lesson to that group, or the
    substitute or extra lesson's teacher of `slot`); False for the deputy or administrator (they need
    a reason)."""
    if actor.staff_id is None:
        raise AccessDenied("entry-staff-only")
    try:
        await ensure_teaches(session, actor, school_class.id, subject.id)
    except AccessDenied:
        if slot is not None and slot.change is not None and slot.teacher_id == actor.staff_id:
            return True
        if actor.has(Role.DEPUTY, Role.ADMIN):
            return False
        raise AccessDenied(
            "entry-not-your-lesson", class_name=school_class.name, subject=subject.name,
        ) from None
    reference = await school_reference(session)
    if slot is None or slot.change is not None or reference.teaches(actor.staff_id, school_class.id, subject.id,
                                                                    slot.subgroup):
        return True
    if actor.has(Role.DEPUTY, Role.ADMIN):
        return False
    mine = reference.teacher_groups(actor.staff_id, school_class.id, subject.id)
    raise AccessDenied("entry-not-your-group", class_name=school_class.name, subject=subject.name,
                       group=slot.subgroup, groups=Listing(", ".join(mine)))


def _check_grade_one(school_class: ClassInfo, what: str) -> None:
    if school_class.attendance_only and what in ("marks", "homework"):
        raise DomainError(f"entry-grade-one-{what}", class_name=school_class.name)


def _day(value: dt.date) -> str:
    return value.strftime("%d.%m.%Y")


async def _target(
    session: AsyncSession, actor: Actor, class_id: int, subject_id: int, clock: EntryClock, *,
    what: str, day: dt.date | None, lesson_no: int | None, next_after: dt.date | None = None,
    allow_future: bool = False, removing: bool = False, subgroup: str | None = None,
) -> _Target:
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
    school_class, subject = _class_and_subject(reference, class_id, subject_id)
    try:
        by_assignment: bool | None = await _may_write(session, actor, school_class, subject)
    except AccessDenied:
        if actor.staff_id is None or not actor.has(Role.TEACHER):
            raise
        by_assignment = None  # perhaps the lesson's substitute: decided once the lesson is found
    if by_assignment is not None:
        _check_grade_one(school_class, what)
    group: str | None = None
    if day is None:
        if by_assignment is None:
            await _may_write(session, actor, school_class, subject)  # the refusal: not their subject
        group = await lesson_group(session, reference, actor.staff_id, class_id, subject_id, None, None, subgroup)
        following = await next_slot(session, class_id, subject_id, next_after or clock.today, subgroup=group)
        if following is None:
            raise DomainError("entry-no-next-lesson", class_name=school_class.name,
                              subject=group_label(subject.name, group))
        day, lesson_no = following.date, following.lesson_no
    if day > clock.today and not allow_future:
        raise DomainError("entry-future-date", date=_day(day))
    calendar_day = reference.day(day)
    if not calendar_day.in_year:
        raise DomainError("entry-outside-year", date=_day(day))
    await begin_writing(session, class_day_lock(class_id, day))  # the day's lessons stay as found
    if group is None:
        group = await lesson_group(session, reference, actor.staff_id, class_id, subject_id, day, lesson_no, subgroup)
    slot = await find_slot(session, class_id, subject_id, day, lesson_no, group)
    if by_assignment is None or (slot is not None and slot.subgroup):
        by_assignment = await _may_write(session, actor, school_class, subject, slot)
        _check_grade_one(school_class, what)
    if slot is None or not (slot.in_timetable or removing):
        raise await no_such_lesson(session, reference, school_class, subject, day, lesson_no)
    return _Target(school_class, subject, slot, calendar_day.period, by_assignment, reference)


# --- marks and attendance --------------------------------------------------------------------

@dataclass
class _Change:
    entity: str                              # "mark" or "attendance"
    entry: RosterEntry
    action: AuditAction
    row: MarkRow | AttendanceRow | None      # None: a new row
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    slot: int = 1
    work_type: WorkTypeInfo | None = None


async def record_entries(
    session: AsyncSession, actor: Actor, key: LessonKey, items: Sequence[EntryItem | StudentValue], *,
    clock: EntryClock, work_type_id: int | None = None, reason: str = "", confirmed: bool = False,
) -> EntryResult | ReasonRequired:
    """Marks and attendance for one lesson: by № in the class list on that date, or by student id.

    A value sets the student's whole entry of its kind: «5» after «3/4» leaves one mark, 5.
    Values equal to what is there change nothing and are not audited. A mark keeps its kind of work
    (and weight) unless the teacher names another (`work_type_id`); new marks take the one named, else
    the lesson's. An absent pupil (н, б) gets no mark; marking absent a pupil who has marks needs the
    teacher's confirmation (`confirmed`).

    Every check comes before the first write, so a refusal leaves no trace, and neither does a
    correction that needs a reason (it comes back as ReasonRequired). Before reading the
    lesson's rows the writer takes the lesson (services.lessons.lesson_lock): when two people write
    one lesson at the same moment, both succeed one after the other, the later one wins, and the
    audit says "before → after" for each of them as it really was.
    """
    reason = checked_reason(reason)  # typed after «//», or alone at the bot's question
    if not items:
        raise ValidationFailed("entry-no-items")
    with_marks = any(item.value.kind.is_mark for item in items)
    # Read before _target takes the class day's lock: on SQLite that lock is the one write gate.
    roster = await roster_on(session, key.class_id, key.date, with_leavers=True)
    target = await _target(
        session, actor, key.class_id, key.subject_id, clock,
        what="marks" if with_marks else "attendance", day=key.date, lesson_no=key.lesson_no,
        removing=all(item.value.kind in (ValueKind.REMOVE_MARKS, ValueKind.PRESENT) for item in items),
        subgroup=key.subgroup,
    )
    if target.slot.subgroup:  # the group's own list, numbered within it
        groups = await groups_on(session, key.class_id, key.subject_id, key.date)
        roster = group_list(roster, (student_id for student_id, group in groups.items()
                                     if group == target.slot.subgroup))
    if with_marks:
        _check_mark_range(items, lowest=target.reference.lowest_mark)
    pairs = _students(items, roster, target)
    named = _named_work_type(target.reference, work_type_id) if with_marks else None
    new_marks = (named or _work_type(target.reference, None, target.slot.lesson)) if with_marks else None

    await begin_writing(session, lesson_lock(target.slot))
    rows = await lesson_rows(session, target.slot, [entry.student.id for entry, _ in pairs])
    _check_presence(pairs, rows, confirmed)
    changes: list[_Change] = []
    for entry, value in pairs:
        if value.kind.is_mark:
            changes += _mark_changes(entry, value, rows, new_marks, named)
        else:
            changes += _attendance_changes(entry, value, rows.attendance.get(entry.student.id))
    needed = _reason_needed(actor, target, changes, clock, reason)
    if needed is not None:
        return needed
    result = _result(target, pairs, rows, changes, reason)

    with_attendance = any(not value.kind.is_mark for _, value in pairs)
    lesson = await lesson_row(session, target.slot, actor.staff_id, attendance_taken=with_attendance)
    ids = await _apply(session, actor, lesson, changes, clock, reason)
    await _notify(session, target, lesson, changes, ids, result, clock)
    return result


def _check_mark_range(items: Sequence[EntryItem | StudentValue], lowest: int) -> None:
    """Parsed values were checked already; a button's value (or a forged one) is checked here."""
    for item in items:
        for mark in item.value.marks:
            if not lowest <= mark <= HIGHEST_MARK:
                raise ValidationFailed("entry-bad-mark", item=item.value.token, mark=mark, lowest=lowest)


def _students(
    items: Sequence[EntryItem | StudentValue], roster: list[RosterEntry], target: _Target,
) -> list[tuple[RosterEntry, EntryValue]]:
    """Who each item is for, by the fixed № (or id); one who had left the class by then is refused."""
    by_number = {entry.number: entry for entry in roster}
    by_id = {entry.student.id: entry for entry in roster}
    date, class_name = _day(target.slot.date), target.school_class.name
    pairs = []
    for item in items:
        if isinstance(item, EntryItem):
            entry = by_number.get(item.number)
            count = sum(1 for listed in roster if listed.present)
            if entry is None and target.slot.subgroup:
                raise ValidationFailed("entry-no-such-number-in-group", number=item.number, class_name=class_name,
                                       subject=target.subject.name, group=target.slot.subgroup, date=date,
                                       count=count)
            if entry is None:
                raise ValidationFailed("entry-no-such-number", number=item.number, class_name=class_name, date=date,
                                       count=count)
        else:
            entry = by_id.get(item.student_id)
            if entry is None and target.slot.subgroup:
                raise DomainError("entry-student-not-in-group", class_name=class_name, subject=target.subject.name,
                                  group=target.slot.subgroup, date=date)
            if entry is None or entry.left_on is not None:  # not in the class on that date (moves are dated)
                raise DomainError("entry-student-not-in-class", class_name=class_name, date=date)
        if entry.left_on is not None:  # a typed № that was this student's: say whose, so the teacher sees the slip
            raise ValidationFailed(
                "entry-student-left", number=entry.number, class_name=class_name, name=entry.student.full_name,
                gender=grammatical_gender(entry.student.full_name), left=_day(entry.left_on),
            )
        pairs.append((entry, item.value))
    return pairs


def _named_work_type(reference: SchoolReference, work_type_id: int | None) -> WorkTypeInfo | None:
    """The kind of work the teacher named for this entry (#контрольная), if any."""
    if work_type_id is None:
        return None
    named = reference.work_type(work_type_id)
    if named is None:
        raise NotFound("entry-lesson-not-found")
    return named


ABSENT_CODES = frozenset({AttendanceCode.ABSENT.value, AttendanceCode.ILL.value})


def _check_presence(pairs: list[tuple[RosterEntry, EntryValue]], rows: LessonRows, confirmed: bool) -> None:
    """A pupil who was not there (н, б) gets no mark; marking absent a pupil who has marks is confirmed."""
    values: dict[int, dict[bool, EntryValue]] = {}
    entries = {}
    for entry, value in pairs:
        values.setdefault(entry.student.id, {})[value.kind.is_mark] = value
        entries[entry.student.id] = entry
    for student_id, given in values.items():
        entry, marks, attendance = entries[student_id], given.get(True), given.get(False)
        code = (attendance.token if attendance.kind is ValueKind.ATTENDANCE else "") if attendance else (
            rows.code(student_id))
        if marks is not None and marks.kind is ValueKind.MARKS and code in ABSENT_CODES:
            raise ValidationFailed("entry-mark-while-absent", number=entry.number,
                                   student=entry.student.full_name, code=code)
        has_marks = bool(rows.marks_text(student_id)) and not (marks and marks.kind is ValueKind.REMOVE_MARKS)
        if (attendance is not None and attendance.kind is ValueKind.ATTENDANCE and code in ABSENT_CODES
                and has_marks and not confirmed and rows.code(student_id) not in ABSENT_CODES):
            raise ConfirmationRequired("entry-confirm-absent-with-marks", number=entry.number,
                                       student=entry.student.full_name, marks=rows.marks_text(student_id),
                                       code=code)


def _work_type(reference: SchoolReference, work_type_id: int | None, lesson: Lesson | None) -> WorkTypeInfo:
    """The one asked for, else the lesson's, else the lightest (работа на уроке)."""
    chosen = reference.work_type(work_type_id or (lesson.work_type_id if lesson is not None else None))
    if chosen is None:
        chosen = reference.lightest_work_type()
    if chosen is None:
        raise DomainError("entry-no-work-types")
    return chosen


def _mark_state(value: int, slot: int, work_type: str, weight: float) -> dict[str, Any]:
    return {"value": value, "slot": slot, "work_type": work_type, "weight": weight}


def _mark_changes(
    entry: RosterEntry, value: EntryValue, rows: LessonRows, new_marks: WorkTypeInfo | None,
    named: WorkTypeInfo | None,
) -> list[_Change]:
    """`new_marks`: the kind of work of a new mark; `named`: the one the teacher named for every mark."""
    changes = []
    for slot in MARK_SLOTS:
        row = rows.marks.get((entry.student.id, slot))
        wanted = value.marks[slot - 1] if slot <= len(value.marks) else None
        live = row is not None and row.live
        before = _mark_state(row.value, slot, row.work_type, row.weight) if live else None
        if wanted is None:
            if before is not None:
                changes.append(_Change("mark", entry, AuditAction.DELETE, row, before, None, slot))
            continue
        if not live:
            assert new_marks is not None
            after = _mark_state(wanted, slot, new_marks.name, new_marks.weight)
            changes.append(_Change("mark", entry, AuditAction.CREATE, row, None, after, slot, new_marks))
            continue
        # A correction keeps the mark's own kind of work, and the weight it was set with, unless another is named.
        kind = named if named is not None and named.id != row.work_type_id else WorkTypeInfo(
            row.work_type_id, row.work_type, row.weight)
        if (wanted, kind.id) != (row.value, row.work_type_id):
            after = _mark_state(wanted, slot, kind.name, kind.weight)
            changes.append(_Change("mark", entry, AuditAction.UPDATE, row, before, after, slot, kind))
    return changes


def _attendance_changes(entry: RosterEntry, value: EntryValue, row: AttendanceRow | None) -> list[_Change]:
    before = {"code": AttendanceCode(row.code).value} if row is not None and row.live else None
    if value.kind is ValueKind.PRESENT:
        return [_Change("attendance", entry, AuditAction.DELETE, row, before, None)] if before else []
    assert value.code is not None
    after = {"code": value.code.value}
    if before is None:
        return [_Change("attendance", entry, AuditAction.CREATE, row, None, after)]
    if before != after:
        return [_Change("attendance", entry, AuditAction.UPDATE, row, before, after)]
    return []


def _reason_needed(actor: Actor, target: _Target, changes: list[_Change], clock: EntryClock,
                   reason: str) -> ReasonRequired | None:
    """The last checks, once the whole change is known to be valid: is it allowed (else a refusal is
    raised), and is a reason due that was not given."""
    if not changes:
        return None
    locked = _locked_period(actor, target) if any(change.entity == "mark" for change in changes) else None
    if reason:
        return None
    if locked is not None:
        return ReasonRequired("entry-reason-locked", period=locked.name)
    if not target.by_assignment:
        return ReasonRequired(
            "entry-reason-not-yours", class_name=target.school_class.name, subject=target.subject.name,
        )
    late = next((
        change for change in changes
        if change.action is not AuditAction.CREATE and change.row is not None
        and change.row.created_at < clock.now - clock.grace
    ), None)
    if late is not None:
        return ReasonRequired(
            "entry-reason-late", number=late.entry.number, student=late.entry.student.full_name,
            minutes=int(clock.grace.total_seconds() // 60),
        )
    return None


def _locked_period(actor: Actor, target: _Target) -> PeriodInfo | None:
    """The lesson's period if its final marks are set: then only the deputy changes its marks, with a reason."""
    period = target.period
    if period is None or period.finals_locked_at is None:
        return None
    if not actor.has(Role.DEPUTY):
        raise DomainError("entry-period-locked", period=period.name)
    return period


@dataclass(frozen=True)
class _RowIds:
    """Ids of the rows a change wrote, for the audit entries and the notices."""

    marks: dict[tuple[int, int], int]
    attendance: dict[int, int]

    def of(self, change: _Change) -> int:
        student_id = change.entry.student.id
        return self.marks[(student_id, change.slot)] if change.entity == "mark" else self.attendance[student_id]


async def _apply(
    session: AsyncSession, actor: Actor, lesson: Lesson, changes: list[_Change], clock: EntryClock, reason: str,
) -> _RowIds:
    """The changes as two upserts (marks, attendance) and one insert of their audit entries."""
    assert actor.staff_id is not None
    marks = [_mark_params(change, lesson.id, actor.staff_id, clock.now) for change in changes if change.entity == "mark"]
    attendance = [_attendance_params(change, lesson.id, actor.staff_id, clock.now)
                  for change in changes if change.entity == "attendance"]
    ids = _RowIds(await write_marks(session, marks), await write_attendance(session, attendance))
    await record_changes(session, actor, [
        dict(entity=change.entity, entity_id=ids.of(change), action=change.action, before=change.before,
             after=change.after, reason=reason, student_id=change.entry.student.id, lesson_id=lesson.id)
        for change in changes
    ])
    return ids


def _mark_params(change: _Change, lesson_id: int, author_id: int, now: dt.datetime) -> dict[str, Any]:
    """The mark's whole new state. A new (or revived) mark starts afresh: no comment of a removed one."""
    row = change.row
    key = {"lesson_id": lesson_id, "student_id": change.entry.student.id, "slot": change.slot}
    if change.action is AuditAction.DELETE:
        assert isinstance(row, MarkRow)
        return key | {"value": row.value, "work_type_id": row.work_type_id, "weight": row.weight,
                      "comment": row.comment, "author_staff_id": row.author_staff_id,
                      "created_at": row.created_at, "updated_at": now, "deleted_at": now}
    assert change.work_type is not None and change.after is not None
    created = change.action is AuditAction.CREATE
    return key | {
        "value": change.after["value"], "work_type_id": change.work_type.id, "weight": change.work_type.weight,
        "comment": "" if created or row is None else row.comment, "author_staff_id": author_id,
        "created_at": now if created or row is None else row.created_at, "updated_at": now, "deleted_at": None,
    }


def _attendance_params(change: _Change, lesson_id: int, author_id: int, now: dt.datetime) -> dict[str, Any]:
    row = change.row
    key = {"lesson_id": lesson_id, "student_id": change.entry.student.id}
    if change.action is AuditAction.DELETE:
        assert isinstance(row, AttendanceRow)
        return key | {"code": row.code, "author_staff_id": row.author_staff_id, "created_at": row.created_at,
                      "updated_at": now, "deleted_at": now}
    assert change.after is not None
    created = change.action is AuditAction.CREATE
    return key | {
        "code": AttendanceCode(change.after["code"]), "author_staff_id": author_id,
        "created_at": now if created or row is None else row.created_at, "updated_at": now, "deleted_at": None,
    }


async def _notify(
    session: AsyncSession, target: _Target, lesson: Lesson, changes: list[_Change], ids: _RowIds,
    result: EntryResult, clock: EntryClock,
) -> None:
    """Outbox rows for the family: one set per student and kind of entry changed."""
    lines = {line.student_id: line for line in result.lines}
    touched: dict[tuple[int, str], list[_Change]] = {}
    for change in changes:
        touched.setdefault((change.entry.student.id, change.entity), []).append(change)
    notices: list[FamilyNotice] = []
    for (student_id, entity), student_changes in touched.items():
        line = lines[student_id]
        if entity == "mark" and not line.marks_changed:
            continue  # only the kind of work changed: the marks the family knows stand
        about = dict(student_id=student_id, student=line.name, class_name=target.school_class.name,
                     subject=target.subject.name, date=lesson.date, lesson_no=lesson.lesson_no, reason=result.reason)
        notice: MarkEntry | Absence
        if entity == "mark":
            after = line.marks_after or ""
            kinds = {change.after["work_type"] for change in student_changes if change.after}
            notice = MarkEntry(
                values=tuple(int(value) for value in after.split("/") if value), before=line.marks_before or "",
                after=after, work_type=kinds.pop() if after and len(kinds) == 1 else None, **about,
            )
            group_key = f"mark:{student_id}:{lesson.id}"
        else:
            # A removed absence too: `code` None, `before` the code it replaces.
            bell = target.reference.bells.get(lesson.lesson_no)
            notice = Absence(code=line.code_after or None, before=line.code_before or None,
                             after=line.code_after or None, time=bell.start.strftime("%H:%M") if bell else None,
                             **about)
            group_key = f"absence:{student_id}:{lesson.id}"
        notices.append(FamilyNotice(
            student_id, notice, source_entity=entity, source_id=ids.of(student_changes[0]), group_key=group_key,
            not_before=_told_from(target, lesson, clock) if isinstance(notice, Absence) else None,
        ))
    # In bulk: a 30-student line is a handful of queries, not five per student.
    await notify_families(session, notices, now=clock.now)


def _told_from(target: _Target, lesson: Lesson, clock: EntryClock) -> dt.datetime | None:
    """An absence entered before its lesson (a note from home in the morning) is told to parents only
    once the lesson has begun, and after the usual grace for a slip: removed meanwhile, it never goes."""
    bell = target.reference.bells.get(lesson.lesson_no)
    if bell is None:
        return None
    return clock.lesson_start(lesson.date, bell.start) + clock.absence_grace


def _kinds_of_marks(pairs: list[tuple[RosterEntry, EntryValue]], rows: LessonRows, changes: list[_Change]) -> set[str]:
    """The kinds of work of the marks the command gave, as they are after it."""
    kinds = {change.after["work_type"] for change in changes if change.entity == "mark" and change.after}
    changed = {(change.entry.student.id, change.slot) for change in changes if change.entity == "mark"}
    for entry, value in pairs:
        if value.kind is ValueKind.MARKS:
            kinds |= {row.work_type for (student_id, slot), row in rows.marks.items()
                      if student_id == entry.student.id and row.live and (student_id, slot) not in changed}
    return kinds


def _result(
    target: _Target, pairs: list[tuple[RosterEntry, EntryValue]], rows: LessonRows, changes: list[_Change],
    reason: str,
) -> EntryResult:
    """One line per student (a mark and «оп» together), in class-list order; the header names the kind of
    work of the marks the command gave, when they are all of one kind."""
    retyped = {change.entry.student.id: (change.before["work_type"], change.after["work_type"])
               for change in changes if change.action is AuditAction.UPDATE and change.entity == "mark"
               and change.before and change.after and change.before["work_type"] != change.after["work_type"]}
    lines: dict[int, EntryLine] = {}
    for entry, value in sorted(pairs, key=lambda pair: pair[0].number):
        sid = entry.student.id
        previous = lines.get(entry.number)
        marks_after = {ValueKind.MARKS: value.token, ValueKind.REMOVE_MARKS: ""}.get(value.kind)
        code_after = {ValueKind.ATTENDANCE: value.token, ValueKind.PRESENT: ""}.get(value.kind)
        lines[entry.number] = EntryLine(
            number=entry.number, student_id=sid, name=entry.student.full_name,
            marks_before=rows.marks_text(sid),
            marks_after=marks_after if marks_after is not None else (previous.marks_after if previous else None),
            code_before=rows.code(sid),
            code_after=code_after if code_after is not None else (previous.code_after if previous else None),
            work_type_change=retyped.get(sid),
        )
    written = _kinds_of_marks(pairs, rows, changes)
    return EntryResult(
        class_name=target.school_class.name, subject=_page(target), date=target.slot.date,
        lesson_no=target.slot.lesson_no, work_type=written.pop() if len(written) == 1 else None,
        lines=tuple(lines.values()), reason=reason,
    )


# --- commands as typed -----------------------------------------------------------------------

async def mark_command(session: AsyncSession, actor: Actor, args: str, clock: EntryClock, *,
                       confirmed: bool = False) -> EntryResult | ReasonRequired:
    """`/mark CLASS SUBJECT [DATE[/LESSON_NO]] [#WORKTYPE] №:VALUE … [// reason]`: all parsed, then written."""
    command = parse_mark_command(args, await load_catalog(session, clock.today))
    key = LessonKey(command.school_class.id, command.subject.id, command.date or clock.today, command.lesson_no,
                    command.subgroup)
    return await record_entries(
        session, actor, key, command.items, clock=clock,
        work_type_id=command.work_type.id if command.work_type else None, reason=command.reason, confirmed=confirmed,
    )


async def record_line(
    session: AsyncSession, actor: Actor, key: LessonKey, line: str, clock: EntryClock, *, reason: str = "",
    confirmed: bool = False,
) -> EntryResult | ReasonRequired:
    """A line typed in an open lesson: «3 5, 7 4, 12 н» (a reason after «//», or given apart)."""
    items, typed_reason = parse_line(line, allow_mark_one=(await school_reference(session)).allow_mark_one)
    return await record_entries(session, actor, key, items, clock=clock, reason=reason or typed_reason,
                                confirmed=confirmed)


async def topic_command(session: AsyncSession, actor: Actor, args: str, clock: EntryClock) -> TextResult:
    """`/topic CLASS SUBJECT [DATE[/LESSON_NO]] TEXT`: the topic of today's (or that date's) lesson."""
    command = parse_text_command(args, await load_catalog(session, clock.today), usage_key="entry-usage-topic")
    key = LessonKey(command.school_class.id, command.subject.id, command.date or clock.today, command.lesson_no,
                    command.subgroup)
    return await set_topic(session, actor, key, command.text, clock)


async def homework_command(session: AsyncSession, actor: Actor, args: str, clock: EntryClock) -> TextResult:
    """`/homework CLASS SUBJECT [DATE[/LESSON_NO]] TEXT`: for the next lesson after today, or that date's."""
    command = parse_text_command(args, await load_catalog(session, clock.today), usage_key="entry-usage-homework")
    return await set_homework(
        session, actor, command.school_class.id, command.subject.id, command.text, clock,
        due=command.date, lesson_no=command.lesson_no, subgroup=command.subgroup,
    )


# --- the topic, homework, work type, attendance done -----------------------------------------

def _checked_text(text: str) -> str:
    text = text.strip()
    if not text:
        raise ValidationFailed("entry-no-text")
    if len(text) > MAX_TEXT_LENGTH:
        raise ValidationFailed("entry-text-too-long", limit=MAX_TEXT_LENGTH)
    return text


def _page(target: _Target) -> str:
    """The subject as the journal page is headed: «Английский язык/2» for a group's lesson."""
    return group_label(target.subject.name, target.slot.subgroup)


def _text_result(target: _Target, lesson: Lesson, text: str) -> TextResult:
    return TextResult(target.school_class.name, _page(target), lesson.date, lesson.lesson_no, text)


async def set_topic(session: AsyncSession, actor: Actor, key: LessonKey, text: str, clock: EntryClock) -> TextResult:
    text = _checked_text(text)
    target = await _target(session, actor, key.class_id, key.subject_id, clock,
                           what="topic", day=key.date, lesson_no=key.lesson_no, subgroup=key.subgroup)
    lesson = await lesson_row(session, target.slot, actor.staff_id)
    lesson.topic = text
    lesson.topic_at = lesson.topic_at or utcnow()
    return _text_result(target, lesson, text)


async def set_homework(
    session: AsyncSession, actor: Actor, class_id: int, subject_id: int, text: str, clock: EntryClock, *,
    due: dt.date | None = None, lesson_no: int | None = None, after: dt.date | None = None,
    subgroup: str | None = None,
) -> TextResult:
    """Homework is written to the lesson it is due at: `due` (with `lesson_no`), else the next lesson
    of the subject (of the group) after `after` (default: today). A group's homework is told to the
    group's families only."""
    text = _checked_text(text)
    target = await _target(session, actor, class_id, subject_id, clock, what="homework", day=due,
                           lesson_no=lesson_no, next_after=after, allow_future=True, subgroup=subgroup)
    lesson = await lesson_row(session, target.slot, actor.staff_id)
    if lesson.homework != text:
        lesson.homework = text
        lesson.homework_at = lesson.homework_at or utcnow()
        group = await lesson_roster(session, class_id, subject_id, lesson.subgroup, lesson.date) \
            if lesson.subgroup else None
        await notify_homework(session, class_id, Homework(
            class_name=target.school_class.name, subject=target.subject.name, date=lesson.date,
            lesson_no=lesson.lesson_no, text=text,
        ), lesson_id=lesson.id, now=clock.now,
            student_ids=[entry.student.id for entry in group] if group is not None else None)
    return _text_result(target, lesson, text)


async def set_work_type(
    session: AsyncSession, actor: Actor, key: LessonKey, work_type_id: int, clock: EntryClock,
) -> WorkTypeInfo:
    """The work type of the marks entered next in this lesson."""
    work_type = (await school_reference(session)).work_type(work_type_id)
    if work_type is None:
        raise NotFound("entry-lesson-not-found")
    target = await _target(session, actor, key.class_id, key.subject_id, clock,
                           what="marks", day=key.date, lesson_no=key.lesson_no, subgroup=key.subgroup)
    lesson = await lesson_row(session, target.slot, actor.staff_id)
    lesson.work_type_id = work_type.id
    return work_type


async def close_attendance(session: AsyncSession, actor: Actor, key: LessonKey, clock: EntryClock) -> None:
    """«Attendance done»: everyone not marked was there."""
    target = await _target(session, actor, key.class_id, key.subject_id, clock,
                           what="attendance", day=key.date, lesson_no=key.lesson_no, subgroup=key.subgroup)
    await lesson_row(session, target.slot, actor.staff_id, attendance_taken=True)


async def work_types(session: AsyncSession) -> list[WorkTypeInfo]:
    return sorted((await school_reference(session)).work_types, key=lambda work_type: (work_type.weight, work_type.id))


# --- a teacher's comment on a mark ------------------------------------------------------------

NO_COMMENT = "-"  # typed instead of a comment: remove it


async def set_mark_comment(
    session: AsyncSession, actor: Actor, key: LessonKey, student_id: int, text: str, clock: EntryClock,
) -> str:
    """The teacher's comment on the student's marks of this lesson («-» removes it); returns the comment.

    Only the lesson's own teacher comments, on marks that are there, and not once the period's final
    marks are set. A comment is no correction of a mark: it needs no reason after the grace window.
    While the family's message about the marks is still pending it is rewritten to carry the comment;
    once it has gone, the comment shows in /grades only (no second message).
    """
    comment = "" if text.strip() == NO_COMMENT else _checked_text(text)
    target = await _target(session, actor, key.class_id, key.subject_id, clock,
                           what="marks", day=key.date, lesson_no=key.lesson_no, subgroup=key.subgroup)
    if not target.by_assignment:
        raise AccessDenied("entry-not-your-lesson", class_name=target.school_class.name,
                           subject=target.subject.name)
    period = target.period
    if period is not None and period.finals_locked_at is not None:
        raise DomainError("entry-comment-period-locked", period=period.name)
    lesson = target.slot.lesson
    await begin_writing(session, lesson_lock(target.slot))  # the marks read here are the ones it goes on
    rows = await lesson_rows(session, target.slot, [student_id])
    live = [row for _, row in sorted(rows.marks.items()) if row.live]
    if lesson is None or not live:
        student = await session.get(Student, student_id)
        raise DomainError("entry-comment-no-mark", student=student.full_name if student else "")
    changed = [row for row in live if row.comment != comment]
    if changed:
        await session.execute(update(Mark).where(Mark.id.in_([row.id for row in changed]))
                              .values(comment=comment, updated_at=clock.now))
    await record_changes(session, actor, [
        dict(entity="mark", entity_id=row.id, action=AuditAction.UPDATE,
             before=dict(_mark_state(row.value, row.slot, row.work_type, row.weight), comment=row.comment),
             after=dict(_mark_state(row.value, row.slot, row.work_type, row.weight), comment=comment),
             student_id=student_id, lesson_id=lesson.id)
        for row in changed
    ])
    await comment_pending_mark(session, student_id, lesson.id, comment)
    return comment


# --- reading a lesson ------------------------------------------------------------------------

async def lesson_view(session: AsyncSession, actor: Actor, key: LessonKey) -> LessonView:
    """The class list as in the paper journal (a group's own list, for a group's lesson) with this
    lesson's marks and attendance."""
    reference = await school_reference(session)
    school_class, subject = _class_and_subject(reference, key.class_id, key.subject_id)
    slot = await _viewed_slot(session, reference, actor, key)
    await _may_write(session, actor, school_class, subject, slot)
    if slot is None:
        raise await no_such_lesson(session, reference, school_class, subject, key.date, key.lesson_no)
    lesson = slot.lesson
    roster = await lesson_roster(session, key.class_id, key.subject_id, slot.subgroup, key.date)
    entries = await lesson_rows(session, slot, [entry.student.id for entry in roster]) if lesson else NO_ROWS
    work_type = _work_type(reference, None, lesson)
    homework_to = None if school_class.attendance_only else await next_slot(
        session, key.class_id, key.subject_id, key.date, subgroup=slot.subgroup,
    )
    bell = reference.bells.get(slot.lesson_no)
    rows = [
        LessonRow(number=entry.number, student_id=entry.student.id, name=entry.student.full_name,
                  marks=entries.marks_text(entry.student.id), code=entries.code(entry.student.id),
                  explanation=entries.explanation(entry.student.id))
        for entry in roster
    ]
    return LessonView(
        key=LessonKey(key.class_id, key.subject_id, key.date, slot.lesson_no, slot.subgroup),
        class_name=school_class.name, subject=group_label(subject.name, slot.subgroup),
        attendance_only=school_class.attendance_only,
        starts=bell.start if bell else None, ends=bell.end if bell else None,
        topic=lesson.topic if lesson else "", work_type_id=work_type.id, work_type=work_type.name,
        attendance_taken=bool(lesson and lesson.attendance_taken),
        homework_to=homework_to,
        homework=homework_to.lesson.homework if homework_to and homework_to.lesson else "",
        rows=tuple(rows), lowest_mark=reference.lowest_mark,
        removable=slot.change == LessonChangeKind.EXTRA or not slot.in_timetable,
    )


async def _viewed_slot(session: AsyncSession, reference: SchoolReference, actor: Actor,
                       key: LessonKey) -> LessonSlot | None:
    group = key.subgroup if key.subgroup is not None else await lesson_group(
        session, reference, actor.staff_id, key.class_id, key.subject_id, key.date, key.lesson_no, None)
    return await find_slot(session, key.class_id, key.subject_id, key.date, key.lesson_no, group)


async def student_history(session: AsyncSession, actor: Actor, key: LessonKey, student_id: int) -> list[HistoryLine]:
    """Every change to the student's marks and attendance in this lesson, oldest first."""
    reference = await school_reference(session)
    school_class, subject = _class_and_subject(reference, key.class_id, key.subject_id)
    slot = await _viewed_slot(session, reference, actor, key)
    await _may_write(session, actor, school_class, subject, slot)
    if slot is None or slot.lesson is None:
        return []
    entries = await history_of(session, student_id=student_id, lesson_id=slot.lesson.id)
    staff_ids = {entry.actor_staff_id for entry in entries if entry.actor_staff_id is not None}
    names = {
        staff.id: staff.full_name
        for staff in await session.scalars(select(Staff).where(Staff.id.in_(staff_ids)))
    } if staff_ids else {}
    return [
        HistoryLine(
            at=entry.at, who=names.get(entry.actor_staff_id or 0, ""), entity=entry.entity,
            action=AuditAction(entry.action), before=entry.before, after=entry.after, reason=entry.reason,
        )
        for entry in entries
    ]
