"""Requests for the report builders on the demo school, and the journal row of a group's lesson (beyond
tests.journal_data and tests.homeroom_data, which know whole-class lessons only)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Lesson
from services.grades import current_scope
from services.reports.request import ReportRequest
from tests import homeroom_data as data

TODAY = dt.date(2026, 11, 26)  # tests.conftest.SCHOOL_TODAY: a Thursday in the demo school's 2 четверть
MADE_ON = dt.date(2026, 11, 27)


async def request(
    session: AsyncSession,
    kind: str,
    *,
    class_name: str | None = None,
    today: dt.date = TODAY,
    day: dt.date | None = None,
    **more: object,
) -> ReportRequest:
    """A request for the period running on `today`, about a class or (no class) the school."""
    return ReportRequest(
        kind,
        await current_scope(session, today),
        today,
        class_id=await data.class_id(session, class_name) if class_name else None,
        day=day,
        made_on=MADE_ON,
        **more,
    )


async def page_lesson(
    session: AsyncSession,
    class_name: str,
    subject: str,
    day: dt.date,
    lesson_no: int,
    teacher: str,
    group: str = "",
    *,
    attendance_taken: bool = False,
) -> Lesson:
    """The journal row of a lesson of a class or of one of its groups (подгруппы); created when missing,
    with nothing written to it but, if asked, attendance taken."""
    key = dict(
        class_id=await data.class_id(session, class_name),
        subject_id=await data.subject_id(session, subject),
        date=day,
        lesson_no=lesson_no,
        subgroup=group,
    )
    found = await session.scalar(select(Lesson).filter_by(**key))
    if found is None:
        found = Lesson(**key, teacher_id=await data.staff_id(session, teacher), attendance_taken=attendance_taken)
        session.add(found)
        await session.flush()
    return found
