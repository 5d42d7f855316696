"""The school calendar read straight from the database: the year and period of a date, bell times.

(What a date is in the calendar as a whole, holiday included, is services.school_reference's
SchoolReference.day, from the reference data kept in memory.)"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import AcademicYear, BellTime, Period


async def year_for(session: AsyncSession, day: dt.date) -> AcademicYear | None:
    return await session.scalar(select(AcademicYear).where(AcademicYear.start <= day, AcademicYear.end >= day))


async def period_for(session: AsyncSession, day: dt.date) -> Period | None:
    return await session.scalar(select(Period).where(Period.start <= day, Period.end >= day))


async def periods_of_year(session: AsyncSession, year_id: int) -> list[Period]:
    return list(await session.scalars(select(Period).where(Period.year_id == year_id).order_by(Period.start)))


async def bell_times(session: AsyncSession) -> dict[int, BellTime]:
    return {bell.lesson_no: bell for bell in await session.scalars(select(BellTime))}
