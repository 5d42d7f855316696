"""The school calendar read straight from the database: the year and period of a date, bell times.

(What a date is in the calendar as a whole, holiday included, is services.school_reference's
SchoolReference.day, from the reference data kept in memory.)"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import AcademicYear, BellTime, Period
from services.names import normalize_text_key

# A «week» in every command: Monday to Sunday of this week; «следующая неделя» the next one.
THIS_WEEK_WORDS = frozenset(
    {"week", "this week", "неделя", "неделю", "на неделю", "нед", "эта неделя", "на эту неделю"}
)
NEXT_WEEK_WORDS = frozenset(
    {"next week", "следующая неделя", "следующую неделю", "на следующую неделю", "след неделя", "след нед"}
)


def week_of(day: dt.date, *, ahead: int = 0) -> tuple[dt.date, dt.date]:
    """The Monday and the Sunday of `day`'s week, or of the week `ahead` weeks later."""
    monday = day - dt.timedelta(days=day.weekday()) + dt.timedelta(weeks=ahead)
    return monday, monday + dt.timedelta(days=6)


def weeks_ahead(text: str) -> int | None:
    """0 for «неделя» (this week), 1 for «следующая неделя»; None when the text names no week."""
    key = normalize_text_key(text)
    if key in THIS_WEEK_WORDS:
        return 0
    if key in NEXT_WEEK_WORDS:
        return 1
    return None


async def year_for(session: AsyncSession, day: dt.date) -> AcademicYear | None:
    return await session.scalar(select(AcademicYear).where(AcademicYear.start <= day, AcademicYear.end >= day))


async def period_for(session: AsyncSession, day: dt.date) -> Period | None:
    return await session.scalar(select(Period).where(Period.start <= day, Period.end >= day))


async def periods_of_year(session: AsyncSession, year_id: int) -> list[Period]:
    return list(await session.scalars(select(Period).where(Period.year_id == year_id).order_by(Period.start)))


async def bell_times(session: AsyncSession) -> dict[int, BellTime]:
    return {bell.lesson_no: bell for bell in await session.scalars(select(BellTime))}
