"""Telling parents and students of a term or year mark, with the average beside it (issue 9, item 8).

Through the outbox like the other notices: the recipients' «marks» preference applies (instant,
digest or off), and a mark fixed within the grace window replaces the pending notice.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from services.notices import FinalMarkSet
from services.outbox import FamilyNotice, notify_families

if TYPE_CHECKING:
    from services.final_marks import Sheet, SheetRow
    from services.final_results import FinalResult


def final_mark_notice(sheet: Sheet, row: SheetRow, result: FinalResult, before: FinalResult | None) -> FamilyNotice:
    """The notice of `result` set for `row`'s student (`before`: the result it replaces, if any)."""
    scope = sheet.scope
    notice = FinalMarkSet(
        student_id=row.student_id,
        student=row.name,
        class_name=sheet.school_class.name,
        subject=sheet.subject.name,
        period=scope.period.name if scope.period else None,
        year=scope.year.name,
        value=result.value,
        special=result.special,
        before=before.value if before else None,
        before_special=before.special if before else "",
        average=row.average,
    )
    which = scope.period.id if scope.period else "year"
    return FamilyNotice(
        row.student_id,
        notice,
        source_entity="final_mark",
        group_key=f"final:{row.student_id}:{sheet.subject.id}:{which}",
    )


async def tell_families(session: AsyncSession, notices: list[FamilyNotice], now: dt.datetime) -> None:
    if notices:
        await notify_families(session, notices, now=now)
