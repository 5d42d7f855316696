"""The class teacher's explanation of an absence (б, уп, нп), kept beside the teacher's н and audited."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    EXPLANATION_CODES,
    Attendance,
    AttendanceCode,
    AuditAction,
    ExplanationProposal,
    Lesson,
    Student,
    utcnow,
)
from services.access import ensure_homeroom_of
from services.actor import Actor
from services.audit import record_change
from services.errors import DomainError, NotFound, ValidationFailed


@dataclass(frozen=True)
class Explained:
    student_name: str
    explanation: AttendanceCode
    changed: int  # lessons whose explanation changed (already so: not counted, not audited)
    lessons: int  # lessons the explanation covers


# A parent's answer (services.messaging.absence_answers) as the explanation it proposes; «не знаю» proposes none.
PROPOSED_CODES = {"ill": AttendanceCode.ILL, "excused": AttendanceCode.EXCUSED}


def _explanation(raw: str | AttendanceCode) -> AttendanceCode:
    try:
        code = AttendanceCode(raw)
    except ValueError:
        code = None
    if code not in EXPLANATION_CODES:
        raise ValidationFailed("homeroom-bad-explanation", code=str(raw))
    return code


async def explain_day(
    session: AsyncSession,
    actor: Actor,
    *,
    class_id: int,
    student_id: int,
    day: dt.date,
    explanation: str | AttendanceCode,
) -> Explained:
    """One tap for the whole day: every н of the student in the class's lessons on `day`."""
    code = _explanation(explanation)
    ensure_homeroom_of(actor, class_id)
    rows = list(
        await session.scalars(
            select(Attendance)
            .join(Lesson, Lesson.id == Attendance.lesson_id)
            .where(
                Lesson.class_id == class_id,
                Lesson.date == day,
                Attendance.student_id == student_id,
                Attendance.code == AttendanceCode.ABSENT.value,
                Attendance.deleted_at.is_(None),
            )
            .order_by(Lesson.lesson_no)
        )
    )
    if not rows:
        raise DomainError("homeroom-nothing-to-explain")
    return await _explain(session, actor, rows, code)


async def explain_lesson(
    session: AsyncSession, actor: Actor, *, attendance_id: int, explanation: str | AttendanceCode
) -> Explained:
    """One lesson only (the student came back after the third lesson, say)."""
    code = _explanation(explanation)
    row = (
        await session.execute(
            select(Attendance, Lesson.class_id)
            .join(Lesson, Lesson.id == Attendance.lesson_id)
            .where(Attendance.id == attendance_id, Attendance.deleted_at.is_(None))
        )
    ).first()
    if row is None:
        raise NotFound("homeroom-nothing-to-explain")
    attendance, class_id = row
    ensure_homeroom_of(actor, class_id)
    if attendance.code != AttendanceCode.ABSENT:
        raise ValidationFailed("homeroom-not-absence", code=str(attendance.code))
    return await _explain(session, actor, [attendance], code)


async def confirm_proposal(session: AsyncSession, actor: Actor, *, attendance_id: int) -> Explained:
    """The class teacher confirms what a parent answered about one absence: the explanation it proposes
    is given to that lesson (explain_lesson: the class teacher's own, audited; the proposal settled)."""
    proposal = await session.scalar(
        select(ExplanationProposal.proposal)
        .where(ExplanationProposal.attendance_id == attendance_id, ExplanationProposal.resolved_at.is_(None))
        .order_by(ExplanationProposal.created_at.desc(), ExplanationProposal.id.desc())
        .limit(1)
    )
    if proposal not in PROPOSED_CODES:
        raise DomainError("homeroom-no-proposal")
    return await explain_lesson(session, actor, attendance_id=attendance_id, explanation=PROPOSED_CODES[proposal])


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
            session,
            actor,
            entity="attendance",
            entity_id=attendance.id,
            action=AuditAction.UPDATE,
            before=before,
            after=_attendance_state(attendance),
            student_id=attendance.student_id,
            lesson_id=attendance.lesson_id,
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
