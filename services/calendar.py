"""The school calendar: academic year, periods, holidays and bell times for a date."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import AcademicYear, BellTime, Holiday, Period


@dataclass(frozen=True)
class SchoolDay:
    date: dt.date
    year: AcademicYear | None
    period: Period | None
    holiday: Holiday | None

    @property
    def in_year(self) -> bool:
        return self.year is not None

    @property
    def is_study_day(self) -> bool:
        """Inside a period and not on holiday (the weekday is the timetable's business)."""
        return self.period is not None and self.holiday is None


async def year_for(session: AsyncSession, day: dt.date) -> AcademicYear | None:
    return await session.scalar(
        select(AcademicYear).where(AcademicYear.start <= day, AcademicYear.end >= day)
    )


async def period_for(session: AsyncSession, day: dt.date) -> Period | None:
    return await session.scalar(select(Period).where(Period.start <= day, Period.end >= day))


async def holiday_for(session: AsyncSession, day: dt.date) -> Holiday | None:
    return await session.scalar(select(Holiday).where(Holiday.start <= day, Holiday.end >= day))


async def school_day(session: AsyncSession, day: dt.date) -> SchoolDay:
    return SchoolDay(day, await year_for(session, day), await period_for(session, day), await holiday_for(session, day))


async def periods_of_year(session: AsyncSession, year_id: int) -> list[Period]:
    return list(await session.scalars(select(Period).where(Period.year_id == year_id).order_by(Period.start)))


async def bell_times(session: AsyncSession) -> dict[int, BellTime]:
    return {bell.lesson_no: bell for bell in await session.scalars(select(BellTime))}
