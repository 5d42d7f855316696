"""A parent's answer to an absence notice: kept as a proposal and passed to the class teacher."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Attendance, AttendanceCode, ExplanationProposal, Lesson, SchoolClass, Subject, utcnow
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


async def propose_explanation(
    session: AsyncSession, actor: Actor, attendance_id: int, answer: str, now: dt.datetime | None = None
) -> ExplanationProposal:
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
    now = now or utcnow()
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
    else:
        proposal.proposal, proposal.created_at = answer, now
    await session.flush()
    await _tell_class_teacher(session, actor, attendance, answer, now)
    return proposal


async def _tell_class_teacher(
    session: AsyncSession, actor: Actor, attendance: Attendance, answer: str, now: dt.datetime
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
        answer,
    )
    for account in await staff_accounts(session, school_class.homeroom_teacher_id):
        enqueue(session, account, notice, source_entity="explanation_proposal", now=now)
    await session.flush()
