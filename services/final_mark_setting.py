"""Setting period and year marks: confirming the suggestions of the whole class (shown first, and only
what was shown is written), setting or changing one result — a mark, «н/а» or «осв.» — by its № in the
list, each told to the family.

The sheet these work on, who may read and change it, and the rules of the whole (issue item 7) are
services.final_marks'.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from models import AuditAction, FinalMark, Marking
from models.writing import begin_writing
from services.actor import Actor
from services.audit import record_change
from services.entry_parser import HIGHEST_MARK
from services.errors import AccessDenied, DomainError, ValidationFailed
from services.final_mark_notices import final_mark_notice, tell_families
from services.final_marks import (
    FAR_FROM_AVERAGE,
    Sheet,
    SheetRow,
    ensure_changes,
    is_locked,
    load_sheet,
    may_change_any,
    year_waits_for,
)
from services.final_results import FinalResult, parse_final_result, result_of
from services.grades import Scope, final_marks_of, lowest_mark
from services.outbox import FamilyNotice


@dataclass(frozen=True)
class Confirmed:
    written: int  # marks set from suggestions now
    kept: int  # marks already set, left as they were
    no_suggestion: int  # students without marks: nothing to suggest, nothing written
    changed: int = 0  # shown, but their suggestion has changed since: not set
    for_the_teacher: int = 0  # a year with a period's «н/а» or «осв.»: nothing confirmed, the teacher decides


def far_from_average(result: FinalResult, average: Decimal | None) -> bool:
    """A mark far from the average needs a reason; «н/а» and «осв.» are no distance from any average."""
    return result.value is not None and average is not None and abs(Decimal(result.value) - average) > FAR_FROM_AVERAGE


# --- writing -----------------------------------------------------------------------------------


def _snapshot(final: FinalMark) -> dict[str, int | str | None]:
    return {
        "value": final.value,
        "special": final.special,  # "", or «н/а», «осв.» as models.FinalMarkSpecial values
        "subject_id": final.subject_id,
        "year_id": final.year_id,
        "period_id": final.period_id,
    }


async def _write(
    session: AsyncSession,
    actor: Actor,
    sheet: Sheet,
    row: SheetRow,
    result: FinalResult,
    existing: FinalMark | None,
    now: dt.datetime,
    reason: str,
    *,
    audit_reason: str,
) -> FamilyNotice | None:
    """Create or change one final result with its audit entry; returns the family's notice of it,
    None when it already was that result."""
    before = result_of(existing)
    if before == result:
        return None
    scope = sheet.scope
    average = None if row.average is None else int(row.average * 100)
    if existing is None:
        final = FinalMark(
            student_id=row.student_id,
            subject_id=sheet.subject.id,
            year_id=scope.year.id,
            period_id=scope.period.id if scope.period else None,
            **result.columns(),
            set_by_staff_id=actor.staff_id,
            set_at=now,
            average_hundredths=average,
            reason=reason,
        )
        session.add(final)
        await session.flush()
        record_change(
            session,
            actor,
            entity="final_mark",
            entity_id=final.id,
            action=AuditAction.CREATE,
            before=None,
            after=_snapshot(final),
            reason=audit_reason,
            student_id=row.student_id,
        )
        return final_mark_notice(sheet, row, result, None)
    snapshot = _snapshot(existing)
    existing.value, existing.special = result.value, result.special
    existing.set_by_staff_id = actor.staff_id
    existing.set_at = now
    existing.average_hundredths = average
    existing.reason = reason
    record_change(
        session,
        actor,
        entity="final_mark",
        entity_id=existing.id,
        action=AuditAction.UPDATE,
        before=snapshot,
        after=_snapshot(existing),
        reason=audit_reason,
        student_id=row.student_id,
    )
    return final_mark_notice(sheet, row, result, before)


async def _existing(
    session: AsyncSession, scope: Scope, subject_id: int, student_ids: list[int]
) -> dict[int, FinalMark]:
    period_id = scope.period.id if scope.period else None
    finals = await final_marks_of(session, student_ids, scope.year.id, subject_id=subject_id)
    return {student_id: f for (student_id, _, pid), f in finals.items() if pid == period_id}


async def _take_sheet(session: AsyncSession, class_id: int, subject_id: int, scope: Scope) -> None:
    """One writer of a class–subject's final marks for a period (or the year) at a time
    (models.writing.begin_writing): the marks read next are the ones written over."""
    period = scope.period.id if scope.period else "year"
    await begin_writing(session, f"final-marks:{class_id}:{subject_id}:{scope.year.id}:{period}")


def _ensure_staff(actor: Actor) -> None:
    if actor.staff_id is None:  # a final mark records who set it
        raise AccessDenied()


def _ensure_year_open(scope: Scope, today: dt.date) -> None:
    waits_for = year_waits_for(scope, today)
    if waits_for is not None:
        raise DomainError("period-year-too-early", end=waits_for.strftime("%d.%m.%Y"))


async def _ensure_may_confirm(
    session: AsyncSession, actor: Actor, class_id: int, subject_id: int, scope: Scope, today: dt.date
) -> None:
    await ensure_changes(session, actor, class_id, subject_id)
    _ensure_staff(actor)
    if is_locked(scope):
        raise DomainError("period-locked", period=scope.name)
    _ensure_year_open(scope, today)


async def confirmation_sheet(
    session: AsyncSession, actor: Actor, class_id: int, subject_id: int, scope: Scope, today: dt.date
) -> Sheet:
    """The sheet to show before confirming: its `to_confirm` rows are what confirm_all would set."""
    await _ensure_may_confirm(session, actor, class_id, subject_id, scope, today)
    return await load_sheet(session, actor, class_id, subject_id, scope, today)


async def confirm_all(
    session: AsyncSession,
    actor: Actor,
    class_id: int,
    subject_id: int,
    scope: Scope,
    today: dt.date,
    now: dt.datetime,
    *,
    shown: dict[int, int],
) -> Confirmed:
    """Set the marks the teacher was shown (student id → the suggested mark) and confirmed, to those
    still without a mark whose suggestion is still the one shown; hand-set marks stay. Only marks:
    «н/а» and «осв.» are set by hand (SheetRow.suggested_mark)."""
    await _ensure_may_confirm(session, actor, class_id, subject_id, scope, today)
    await _take_sheet(session, class_id, subject_id, scope)
    sheet = await load_sheet(session, actor, class_id, subject_id, scope, today)
    existing = await _existing(session, scope, subject_id, [row.student_id for row in sheet.rows])
    notices: list[FamilyNotice] = []
    kept = no_suggestion = changed = for_the_teacher = 0
    for row in sheet.rows:
        if row.final is not None:
            kept += 1
        elif row.for_the_teacher:
            for_the_teacher += 1
        elif row.suggested_mark is None:
            no_suggestion += 1
        elif shown.get(row.student_id) != row.suggested_mark:
            changed += 1
        elif notice := await _write(
            session,
            actor,
            sheet,
            row,
            FinalResult(row.suggested_mark),
            existing.get(row.student_id),
            now,
            "",
            audit_reason="confirmed suggestion",
        ):
            notices.append(notice)
    await tell_families(session, notices, now)
    return Confirmed(len(notices), kept, no_suggestion, changed, for_the_teacher)


def _check_marking(sheet: Sheet, result: FinalResult, typed: str, lowest: int) -> None:
    """«зч» / «нз» for a pass/fail subject only, and never a number there (services.marking)."""
    names = {"class_name": sheet.school_class.name, "subject": sheet.subject.name, "value": typed}
    if sheet.marking is Marking.PASS_FAIL and result.value is not None:
        raise ValidationFailed("period-pass-fail-only", **names)
    if sheet.marking is not Marking.PASS_FAIL and result.pass_fail:
        raise ValidationFailed("period-marks-only", **names, low=lowest, high=HIGHEST_MARK)


async def set_final_mark(
    session: AsyncSession,
    actor: Actor,
    class_id: int,
    subject_id: int,
    scope: Scope,
    number: int,
    value: int | str,
    today: dt.date,
    now: dt.datetime,
    reason: str = "",
) -> SheetRow:
    """Set or change the result of № `number` in the class list: `value` a mark, or what the teacher
    typed («4», «н/а», «осв.»: services.final_results.parse_final_result); returns that row with it set."""
    await ensure_changes(session, actor, class_id, subject_id)
    _ensure_staff(actor)
    reason = reason.strip()
    if is_locked(scope):
        if not may_change_any(actor):
            raise DomainError("period-locked", period=scope.name)
        if not reason:
            raise ValidationFailed("period-reason-needed", period=scope.name)
    _ensure_year_open(scope, today)
    result = parse_final_result(value, await lowest_mark(session))
    await _take_sheet(session, class_id, subject_id, scope)
    sheet = await load_sheet(session, actor, class_id, subject_id, scope, today)
    row = next((r for r in sheet.rows if r.number == number), None)
    if row is None:
        raise ValidationFailed("period-no-such-number", number=number, count=len(sheet.rows))
    _check_marking(sheet, result, str(value).strip(), await lowest_mark(session))
    if far_from_average(result, row.average) and not reason:
        raise ValidationFailed(
            "period-far-from-average",
            number=number,
            name=row.name,
            mark=result.value,
            average=row.average,
            far=FAR_FROM_AVERAGE,
        )
    existing = await _existing(session, scope, subject_id, [row.student_id])
    notice = await _write(
        session,
        actor,
        sheet,
        row,
        result,
        existing.get(row.student_id),
        now,
        reason,
        audit_reason=reason or "set by hand",
    )
    await tell_families(session, [notice] if notice else [], now)
    return replace(row, final=result)
