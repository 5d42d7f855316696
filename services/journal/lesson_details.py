"""The rest a teacher writes in a lesson: its topic, the homework for it, the kind of work of its
marks, «attendance done», and a comment on a mark. Each is checked as marks are
(services.journal.rules.checked_target).
"""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from models import AuditAction, Lesson, Mark, Student, utcnow
from models.writing import begin_writing
from services.actor import Actor
from services.audit import record_changes
from services.errors import AccessDenied, DomainError, NotFound
from services.journal.model import LessonKey, TextResult, mark_state
from services.journal.rules import Target, checked_target, checked_text, day_text, key_target, page_heading
from services.journal_rows import lesson_rows
from services.lessons import lesson_lock, lesson_row
from services.notices import Homework
from services.outbox import comment_pending_mark, notify_homework
from services.school_clock import EntryClock
from services.school_reference import WorkTypeInfo, school_reference
from services.subgroups import lesson_roster

# --- the topic, homework, work type, attendance done -----------------------------------------


class HomeworkMode(str, enum.Enum):
    """What new homework does to homework already set for that lesson."""

    ASK = "ask"  # refuse with HomeworkExists: the teacher chooses
    REPLACE = "replace"
    ADD = "add"  # on a new line after it


class HomeworkExists(DomainError):
    """The lesson has other homework already: replace it or add to it (set_homework again with a mode,
    and `existing` as `expected`, so that homework changed meanwhile is asked about again)."""

    def __init__(self, existing: str, date: dt.date, lesson_no: int) -> None:
        self.existing = existing
        super().__init__("entry-homework-exists", existing=existing, date=day_text(date), lesson_no=lesson_no)


def _text_result(target: Target, lesson: Lesson, text: str) -> TextResult:
    return TextResult(target.school_class.name, page_heading(target), lesson.date, lesson.lesson_no, text)


async def set_topic(session: AsyncSession, actor: Actor, key: LessonKey, text: str, clock: EntryClock) -> TextResult:
    text = checked_text(text)
    target = await key_target(session, actor, key, clock, "topic")
    lesson = await lesson_row(session, target.slot, actor.staff_id)
    lesson.topic = text
    lesson.topic_at = lesson.topic_at or utcnow()
    return _text_result(target, lesson, text)


async def set_homework(
    session: AsyncSession,
    actor: Actor,
    class_id: int,
    subject_id: int,
    text: str,
    clock: EntryClock,
    *,
    due: dt.date | None = None,
    lesson_no: int | None = None,
    after: dt.date | None = None,
    subgroup: str | None = None,
    mode: HomeworkMode = HomeworkMode.ASK,
    expected: str | None = None,
) -> TextResult:
    """Homework is written to the lesson it is due at: `due` (with `lesson_no`), else the next lesson
    of the subject (of the group) after `after` (default: today). A group's homework is told to the
    group's families only.

    Where other homework is set already, `mode` says what to do: ASK refuses with HomeworkExists (the
    caller rolls back and asks), REPLACE writes over it, ADD appends a line, once: the lesson's lock
    (lesson_row) orders two presses at once, and the second finds the line there already. `expected`:
    the homework the teacher was shown when choosing; if it has changed since, HomeworkExists again."""
    text = checked_text(text)
    target = await checked_target(
        session,
        actor,
        class_id,
        subject_id,
        clock,
        what="homework",
        day=due,
        lesson_no=lesson_no,
        next_after=after,
        allow_future=True,
        subgroup=subgroup,
    )
    lesson = await lesson_row(session, target.slot, actor.staff_id)
    existing = lesson.homework
    if existing and existing != text:
        if mode is HomeworkMode.ASK or not _as_chosen(existing, expected, text, mode):
            raise HomeworkExists(existing, lesson.date, lesson.lesson_no)
        if mode is HomeworkMode.ADD:
            text = existing if existing.endswith(f"\n{text}") else checked_text(f"{existing}\n{text}")
    if lesson.homework != text:
        lesson.homework = text
        lesson.homework_at = lesson.homework_at or utcnow()
        group = (
            await lesson_roster(session, class_id, subject_id, lesson.subgroup, lesson.date)
            if lesson.subgroup
            else None
        )
        await notify_homework(
            session,
            class_id,
            Homework(
                class_name=target.school_class.name,
                subject=target.subject.name,
                date=lesson.date,
                lesson_no=lesson.lesson_no,
                text=text,
            ),
            lesson_id=lesson.id,
            now=clock.now,
            student_ids=[entry.student.id for entry in group] if group is not None else None,
        )
    return _text_result(target, lesson, text)


def _as_chosen(existing: str, expected: str | None, text: str, mode: HomeworkMode) -> bool:
    """The lesson's homework is still what the teacher chose over (or already their choice's result)."""
    return expected is None or existing == expected or (mode is HomeworkMode.ADD and existing.endswith(f"\n{text}"))


async def set_work_type(
    session: AsyncSession, actor: Actor, key: LessonKey, work_type_id: int, clock: EntryClock
) -> WorkTypeInfo:
    """The work type of the marks entered next in this lesson."""
    work_type = (await school_reference(session)).work_type(work_type_id)
    if work_type is None:
        raise NotFound("entry-lesson-not-found")
    target = await key_target(session, actor, key, clock, "marks")
    lesson = await lesson_row(session, target.slot, actor.staff_id)
    lesson.work_type_id = work_type.id
    return work_type


async def close_attendance(session: AsyncSession, actor: Actor, key: LessonKey, clock: EntryClock) -> None:
    """«Attendance done»: everyone not marked was there."""
    target = await key_target(session, actor, key, clock, "attendance")
    await lesson_row(session, target.slot, actor.staff_id, attendance_taken=True)


async def work_types(session: AsyncSession) -> list[WorkTypeInfo]:
    return sorted((await school_reference(session)).work_types, key=lambda work_type: (work_type.weight, work_type.id))


# --- a teacher's comment on a mark ------------------------------------------------------------

NO_COMMENT = "-"  # typed instead of a comment: remove it


async def set_mark_comment(
    session: AsyncSession, actor: Actor, key: LessonKey, student_id: int, text: str, clock: EntryClock
) -> str:
    """The teacher's comment on the student's marks of this lesson («-» removes it); returns the comment.

    Only the lesson's own teacher comments, on marks that are there, and not once the period's final
    marks are set. A comment is no correction of a mark: it needs no reason after the grace window.
    While the family's message about the marks is still pending it is rewritten to carry the comment;
    once it has gone, the comment shows in /grades only (no second message).
    """
    comment = "" if text.strip() == NO_COMMENT else checked_text(text)
    target = await key_target(session, actor, key, clock, "marks")
    if not target.by_assignment:
        raise AccessDenied("entry-not-your-lesson", class_name=target.school_class.name, subject=target.subject.name)
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
        await session.execute(
            update(Mark).where(Mark.id.in_([row.id for row in changed])).values(comment=comment, updated_at=clock.now)
        )
    await record_changes(
        session,
        actor,
        [
            dict(
                entity="mark",
                entity_id=row.id,
                action=AuditAction.UPDATE,
                before=dict(mark_state(row.value, row.slot, row.work_type, row.weight), comment=row.comment),
                after=dict(mark_state(row.value, row.slot, row.work_type, row.weight), comment=comment),
                student_id=student_id,
                lesson_id=lesson.id,
            )
            for row in changed
        ],
    )
    await comment_pending_mark(session, student_id, lesson.id, comment)
    return comment
