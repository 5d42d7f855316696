"""Closing a term and reopening it: the deputy head or the director (issue 9, item 3).

A term is closed only on or after its last day: closing a running term would freeze marks that do
not exist yet. Before it closes, the closer is shown what is missing — the pupils without a term mark,
per class and subject — and confirms. A closed term can be reopened, with a reason: both acts are
kept in the audit trail (entity "period"), as the marks themselves are.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import AcademicYear, AuditAction, FinalMark, Marking, Period, SchoolClass, Subject, TeachingAssignment
from models.writing import begin_writing
from services.actor import Actor, Role
from services.audit import record_change
from services.errors import AccessDenied, DomainError, ValidationFailed
from services.grades import Scope
from services.marking import result_marking
from services.roster import roster_on
from services.school_reference import school_reference

CLOSERS = (Role.DEPUTY, Role.DIRECTOR)


@dataclass(frozen=True)
class MissingMarks:
    """One class–subject with pupils who have no term mark: their numbers and names."""

    class_name: str
    subject: str
    pupils: tuple[tuple[int, str], ...]


def term_over(period: Period, today: dt.date) -> bool:
    """A term's marks are due on its last day: from then on it may be closed (and counts as ended)."""
    return today >= period.end


def _ensure_closer(actor: Actor) -> None:
    if not actor.has(*CLOSERS):
        raise AccessDenied("period-close-who")


def _term(scope: Scope) -> Period:
    if scope.period is None:
        raise ValidationFailed("period-close-needs-period")
    return scope.period


def _ensure_closable(actor: Actor, scope: Scope, today: dt.date) -> Period:
    _ensure_closer(actor)
    period = _term(scope)
    if period.finals_locked_at is not None:
        raise ValidationFailed("period-already-closed", period=period.name)
    if not term_over(period, today):
        raise DomainError("period-close-too-early", period=period.name, end=period.end.strftime("%d.%m.%Y"))
    return period


async def missing_term_marks(session: AsyncSession, period: Period) -> list[MissingMarks]:
    """Per class (by grade and name) and subject taught: the class list of the term's last day
    without a mark for the term. The first grade has no marks (regulation 1.3), nor do subjects and
    periods without marks (services.marking; a pass/fail subject's «зч» / «нз» are due)."""
    return await _missing_marks(session, period.year_id, period.end, FinalMark.period_id == period.id, period)


async def missing_year_marks(session: AsyncSession, year: AcademicYear) -> list[MissingMarks]:
    """The same for the year marks: the class lists of the year's last day without one."""
    return await _missing_marks(
        session, year.id, year.end, (FinalMark.period_id.is_(None)) & (FinalMark.year_id == year.id), None
    )


async def _missing_marks(
    session: AsyncSession, year_id: int, day: dt.date, which: ColumnElement[bool], period: Period | None
) -> list[MissingMarks]:
    reference = await school_reference(session)
    taught = (
        await session.execute(  # (PostgreSQL sorts a DISTINCT only by what it selects: the grade too)
            select(SchoolClass.grade, SchoolClass.id, SchoolClass.name, Subject.id, Subject.name)
            .join(TeachingAssignment, TeachingAssignment.class_id == SchoolClass.id)
            .join(Subject, Subject.id == TeachingAssignment.subject_id)
            .where(SchoolClass.grade > 1, SchoolClass.year_id == year_id)
            .distinct()
            .order_by(SchoolClass.grade, SchoolClass.name, Subject.name)
        )
    ).all()
    marked = set((await session.execute(select(FinalMark.student_id, FinalMark.subject_id).where(which))).all())
    rosters: dict[int, list] = {}
    found = []
    for _, class_id, class_name, subject_id, subject in taught:
        if result_marking(reference, class_id, subject_id, period) is Marking.NONE:
            continue
        if class_id not in rosters:
            rosters[class_id] = await roster_on(session, class_id, day)
        pupils = tuple(
            (entry.number, entry.student.full_name)
            for entry in rosters[class_id]
            if (entry.student.id, subject_id) not in marked
        )
        if pupils:
            found.append(MissingMarks(class_name, subject, pupils))
    return found


async def closing_check(session: AsyncSession, actor: Actor, scope: Scope, today: dt.date) -> list[MissingMarks]:
    """What closing the term would leave without a mark; refused as closing itself would be."""
    period = _ensure_closable(actor, scope, today)
    return await missing_term_marks(session, period)


async def _take_term(session: AsyncSession, period: Period) -> None:
    """One closer or reopener of a term at a time; the term is read again under the lock."""
    await begin_writing(session, f"term:{period.id}")
    await session.refresh(period)


def _audit(session: AsyncSession, actor: Actor, period: Period, before: dt.datetime | None, reason: str) -> None:
    def snapshot(locked: dt.datetime | None) -> dict[str, str | None]:
        return {"name": period.name, "finals_locked_at": locked.isoformat() if locked else None}

    record_change(
        session,
        actor,
        entity="period",
        entity_id=period.id,
        action=AuditAction.UPDATE,
        before=snapshot(before),
        after=snapshot(period.finals_locked_at),
        reason=reason,
    )


async def close_period(session: AsyncSession, actor: Actor, scope: Scope, today: dt.date, now: dt.datetime) -> Period:
    """The confirmed closing: the term's marks become final."""
    period = _term(scope)
    _ensure_closer(actor)
    await _take_term(session, period)
    _ensure_closable(actor, scope, today)
    period.finals_locked_at = now
    _audit(session, actor, period, None, "closed")
    return period


async def reopen_period(session: AsyncSession, actor: Actor, scope: Scope, reason: str, now: dt.datetime) -> Period:
    """A closed term opened again for changes; the reason is kept in the audit trail."""
    _ensure_closer(actor)
    period = _term(scope)
    reason = reason.strip()
    if not reason:
        raise ValidationFailed("period-reopen-reason", period=period.name)
    await _take_term(session, period)
    if period.finals_locked_at is None:
        raise ValidationFailed("period-not-closed", period=period.name)
    closed_at = period.finals_locked_at
    period.finals_locked_at = None
    _audit(session, actor, period, closed_at, reason)
    return period
