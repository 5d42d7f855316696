"""A parent's answer to an absence notice: kept as a proposal and passed to the class teacher.

One answer per parent and absence: pressing another button changes it, and the class teacher is told
once. Their message, while still waiting in the outbox, is replaced by one with the new answer; once
sent, nothing more is sent (/class shows the answer as it stands)."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    Attendance,
    AttendanceCode,
    ExplanationProposal,
    Lesson,
    OutboxMessage,
    OutboxState,
    SchoolClass,
    Subject,
    utcnow,
)
from models.writing import begin_writing
from services.actor import Actor
from services.errors import AccessDenied, DomainError, ValidationFailed
from services.messaging.directions import staff_accounts, student_by_id
from services.messaging.headers import parent_header
from services.notices import Explanation
from services.outbox import enqueue

ABSENCE_ANSWERS = ("ill", "excused", "unknown")
# The codes a parent's answer explains: an «н». A lateness is not explained this way (the class teacher's
# б / уп / нп replace an «н» only), and «б» is explained already.
ANSWERED_CODES = (AttendanceCode.ABSENT.value,)
SOURCE = "explanation_proposal"  # the outbox rows that tell the class teacher of a proposal


class AnswerOutcome(str, enum.Enum):
    NEW = "new"  # the class teacher is told
    CHANGED = "changed"  # the answer changed; the class teacher's message, if still unsent, with it
    SAME = "same"  # pressed again: nothing to do


async def propose_explanation(
    session: AsyncSession, actor: Actor, attendance_id: int, answer: str, now: dt.datetime | None = None
) -> AnswerOutcome:
    """Recorded as a proposal and passed to the class teacher; the attendance record is not touched."""
    if answer not in ABSENCE_ANSWERS or actor.account_id is None:
        raise ValidationFailed("explain-error-answer")
    attendance = await session.get(Attendance, attendance_id)
    if attendance is None or attendance.student_id not in actor.children_ids:
        raise AccessDenied("error-not-your-child")
    if attendance.deleted_at is not None:
        raise DomainError("explain-error-withdrawn")
    if attendance.code not in ANSWERED_CODES:
        raise DomainError("explain-error-not-absent")
    if attendance.explanation is not None:  # the class teacher has settled it: nothing to propose
        raise DomainError("explain-error-explained")
    now = now or utcnow()
    await begin_writing(session, f"absence-answer:{attendance_id}")  # two presses at once: one after the other
    proposal = await session.scalar(
        select(ExplanationProposal).where(
            ExplanationProposal.attendance_id == attendance_id,
            ExplanationProposal.account_id == actor.account_id,
            ExplanationProposal.resolved_at.is_(None),
        )
    )
    if proposal is None:
        proposal = ExplanationProposal(
            attendance_id=attendance_id, account_id=actor.account_id, proposal=answer, created_at=now
        )
        session.add(proposal)
        await session.flush()
        await _tell_class_teacher(session, actor, attendance, proposal, now)
        return AnswerOutcome.NEW
    if proposal.proposal == answer:
        return AnswerOutcome.SAME
    proposal.proposal, proposal.created_at = answer, now
    await session.flush()
    if await _withdraw_unsent(session, proposal.id):
        await _tell_class_teacher(session, actor, attendance, proposal, now)
    return AnswerOutcome.CHANGED


async def _withdraw_unsent(session: AsyncSession, proposal_id: int) -> bool:
    """Cancel the class teacher's message about the proposal if no worker has taken it yet (a taken
    row is `sending`, not `pending`); whether one was cancelled."""
    cancelled = await session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.source_entity == SOURCE,
            OutboxMessage.source_id == proposal_id,
            OutboxMessage.state == OutboxState.PENDING,
        )
        .values(state=OutboxState.CANCELLED)
    )
    return bool(cancelled.rowcount)


async def _tell_class_teacher(
    session: AsyncSession, actor: Actor, attendance: Attendance, proposal: ExplanationProposal, now: dt.datetime
) -> None:
    lesson = await session.get(Lesson, attendance.lesson_id)
    student = await student_by_id(session, attendance.student_id)
    school_class = await session.get(SchoolClass, student.class_id) if student.class_id else None
    if lesson is None or school_class is None or school_class.homeroom_teacher_id is None:
        return
    subject = await session.get(Subject, lesson.subject_id)
    parent = await parent_header(session, actor, student.id)
    notice = Explanation(
        parent.sender,
        student.full_name,
        school_class.name,
        lesson.date,
        lesson.lesson_no,
        subject.name if subject else "",
        proposal.proposal,
    )
    for account in await staff_accounts(session, school_class.homeroom_teacher_id):
        enqueue(session, account, notice, source_entity=SOURCE, source_id=proposal.id, now=now)
    await session.flush()
