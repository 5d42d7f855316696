"""Marks and attendance for one lesson (record_entries): checked whole, then written.

The whole change is planned and checked (services.journal.rules) before the first write. Then it is
written as two upserts with their audit entries (who, when, before → after, why), and told to the
families through the outbox, in the same transaction (services.journal.entry_writing). Removal is a soft delete (deleted_at); entering
a removed slot again revives the row.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from models import AttendanceCode, AuditAction
from models.writing import begin_writing
from services.actor import Actor
from services.entry_parser import EntryItem, EntryValue, ValueKind, checked_reason
from services.errors import DomainError, NotFound, ValidationFailed
from services.journal.entry_writing import apply_changes, notify_changes
from services.journal.model import Change, EntryLine, EntryResult, LessonKey, ReasonRequired, StudentValue, mark_state
from services.journal.rules import (
    Target,
    check_mark_range,
    check_presence,
    chosen_work_type,
    day_text,
    key_target,
    page_heading,
    reason_needed,
)
from services.journal_rows import AttendanceRow, LessonRows, lesson_rows
from services.lessons import lesson_lock, lesson_row
from services.names import gender_of
from services.roster import RosterEntry, roster_on
from services.school_clock import EntryClock
from services.school_reference import SchoolReference, WorkTypeInfo
from services.subgroups import group_list, groups_on

MARK_SLOTS = (1, 2)


async def record_entries(
    session: AsyncSession,
    actor: Actor,
    key: LessonKey,
    items: Sequence[EntryItem | StudentValue],
    *,
    clock: EntryClock,
    work_type_id: int | None = None,
    reason: str = "",
    confirmed: bool = False,
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
    # Read before key_target takes the class day's lock: on SQLite that lock is the one write gate.
    roster = await roster_on(session, key.class_id, key.date, with_leavers=True)
    target = await key_target(
        session,
        actor,
        key,
        clock,
        "marks" if with_marks else "attendance",
        removing=all(item.value.kind in (ValueKind.REMOVE_MARKS, ValueKind.PRESENT) for item in items),
    )
    if target.slot.subgroup:  # the group's own list, numbered within it
        groups = await groups_on(session, key.class_id, key.subject_id, key.date)
        roster = group_list(
            roster, (student_id for student_id, group in groups.items() if group == target.slot.subgroup)
        )
    if with_marks:
        check_mark_range(items, lowest=target.reference.lowest_mark)
    pairs = _students(items, roster, target)
    named = _named_work_type(target.reference, work_type_id) if with_marks else None
    new_marks = (named or chosen_work_type(target.reference, None, target.slot.lesson)) if with_marks else None

    await begin_writing(session, lesson_lock(target.slot))
    rows = await lesson_rows(session, target.slot, [entry.student.id for entry, _ in pairs])
    check_presence(pairs, rows, confirmed)
    changes: list[Change] = []
    for entry, value in pairs:
        if value.kind.is_mark:
            changes += _mark_changes(entry, value, rows, new_marks, named)
        else:
            changes += _attendance_changes(entry, value, rows.attendance.get(entry.student.id))
    needed = reason_needed(actor, target, changes, clock, reason)
    if needed is not None:
        return needed
    result = _result(target, pairs, rows, changes, reason)

    with_attendance = any(not value.kind.is_mark for _, value in pairs)
    lesson = await lesson_row(session, target.slot, actor.staff_id, attendance_taken=with_attendance)
    ids = await apply_changes(session, actor, lesson, changes, clock, reason)
    await notify_changes(session, target, lesson, changes, ids, result, clock)
    return result


# --- the plan: whose entry each value is, and what it changes --------------------------------


def _students(
    items: Sequence[EntryItem | StudentValue], roster: list[RosterEntry], target: Target
) -> list[tuple[RosterEntry, EntryValue]]:
    """Who each item is for, by the fixed № (or id); one who had left the class by then is refused."""
    by_number = {entry.number: entry for entry in roster}
    by_id = {entry.student.id: entry for entry in roster}
    date, class_name = day_text(target.slot.date), target.school_class.name
    pairs = []
    for item in items:
        if isinstance(item, EntryItem):
            entry = by_number.get(item.number)
            count = sum(1 for listed in roster if listed.present)
            if entry is None and target.slot.subgroup:
                raise ValidationFailed(
                    "entry-no-such-number-in-group",
                    number=item.number,
                    class_name=class_name,
                    subject=target.subject.name,
                    group=target.slot.subgroup,
                    date=date,
                    count=count,
                )
            if entry is None:
                raise ValidationFailed(
                    "entry-no-such-number", number=item.number, class_name=class_name, date=date, count=count
                )
        else:
            entry = by_id.get(item.student_id)
            if entry is None and target.slot.subgroup:
                raise DomainError(
                    "entry-student-not-in-group",
                    class_name=class_name,
                    subject=target.subject.name,
                    group=target.slot.subgroup,
                    date=date,
                )
            if entry is None or entry.left_on is not None:  # not in the class on that date (moves are dated)
                raise DomainError("entry-student-not-in-class", class_name=class_name, date=date)
        if entry.left_on is not None:  # a typed № that was this student's: say whose, so the teacher sees the slip
            raise ValidationFailed(
                "entry-student-left",
                number=entry.number,
                class_name=class_name,
                name=entry.student.full_name,
                gender=gender_of(entry.student.full_name),
                left=day_text(entry.left_on),
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


def _mark_changes(
    entry: RosterEntry, value: EntryValue, rows: LessonRows, new_marks: WorkTypeInfo | None, named: WorkTypeInfo | None
) -> list[Change]:
    """`new_marks`: the kind of work of a new mark; `named`: the one the teacher named for every mark."""
    changes = []
    for slot in MARK_SLOTS:
        row = rows.marks.get((entry.student.id, slot))
        wanted = value.marks[slot - 1] if slot <= len(value.marks) else None
        live = row is not None and row.live
        before = mark_state(row.value, slot, row.work_type, row.weight) if live else None
        if wanted is None:
            if before is not None:
                changes.append(Change("mark", entry, AuditAction.DELETE, row, before, None, slot))
            continue
        if not live:
            assert new_marks is not None
            after = mark_state(wanted, slot, new_marks.name, new_marks.weight)
            changes.append(Change("mark", entry, AuditAction.CREATE, row, None, after, slot, new_marks))
            continue
        # A correction keeps the mark's own kind of work, and the weight it was set with, unless another is named.
        kind = (
            named
            if named is not None and named.id != row.work_type_id
            else WorkTypeInfo(row.work_type_id, row.work_type, row.weight)
        )
        if (wanted, kind.id) != (row.value, row.work_type_id):
            after = mark_state(wanted, slot, kind.name, kind.weight)
            changes.append(Change("mark", entry, AuditAction.UPDATE, row, before, after, slot, kind))
    return changes


def _attendance_changes(entry: RosterEntry, value: EntryValue, row: AttendanceRow | None) -> list[Change]:
    before = {"code": AttendanceCode(row.code).value} if row is not None and row.live else None
    if value.kind is ValueKind.PRESENT:
        return [Change("attendance", entry, AuditAction.DELETE, row, before, None)] if before else []
    assert value.code is not None
    after = {"code": value.code.value}
    if before is None:
        return [Change("attendance", entry, AuditAction.CREATE, row, None, after)]
    if before != after:
        return [Change("attendance", entry, AuditAction.UPDATE, row, before, after)]
    return []


# --- the answer ------------------------------------------------------------------------------


def _kinds_of_marks(pairs: list[tuple[RosterEntry, EntryValue]], rows: LessonRows, changes: list[Change]) -> set[str]:
    """The kinds of work of the marks the command gave, as they are after it."""
    kinds = {change.after["work_type"] for change in changes if change.entity == "mark" and change.after}
    changed = {(change.entry.student.id, change.slot) for change in changes if change.entity == "mark"}
    for entry, value in pairs:
        if value.kind is ValueKind.MARKS:
            kinds |= {
                row.work_type
                for (student_id, slot), row in rows.marks.items()
                if student_id == entry.student.id and row.live and (student_id, slot) not in changed
            }
    return kinds


def _result(
    target: Target, pairs: list[tuple[RosterEntry, EntryValue]], rows: LessonRows, changes: list[Change], reason: str
) -> EntryResult:
    """One line per student (a mark and «оп» together), in class-list order; the header names the kind of
    work of the marks the command gave, when they are all of one kind."""
    retyped = {
        change.entry.student.id: (change.before["work_type"], change.after["work_type"])
        for change in changes
        if change.action is AuditAction.UPDATE
        and change.entity == "mark"
        and change.before
        and change.after
        and change.before["work_type"] != change.after["work_type"]
    }
    lines: dict[int, EntryLine] = {}
    for entry, value in sorted(pairs, key=lambda pair: pair[0].number):
        sid = entry.student.id
        previous = lines.get(entry.number)
        marks_after = {ValueKind.MARKS: value.token, ValueKind.REMOVE_MARKS: ""}.get(value.kind)
        code_after = {ValueKind.ATTENDANCE: value.token, ValueKind.PRESENT: ""}.get(value.kind)
        lines[entry.number] = EntryLine(
            number=entry.number,
            student_id=sid,
            name=entry.student.full_name,
            marks_before=rows.marks_text(sid),
            marks_after=marks_after if marks_after is not None else (previous.marks_after if previous else None),
            code_before=rows.code(sid),
            code_after=code_after if code_after is not None else (previous.code_after if previous else None),
            work_type_change=retyped.get(sid),
        )
    written = _kinds_of_marks(pairs, rows, changes)
    return EntryResult(
        class_name=target.school_class.name,
        subject=page_heading(target),
        date=target.slot.date,
        lesson_no=target.slot.lesson_no,
        work_type=written.pop() if len(written) == 1 else None,
        lines=tuple(lines.values()),
        reason=reason,
    )
