"""What a report is asked for: the kind, whom it is about, the period; and the header every report shares."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import SchoolSettings
from services.grades import Scope


class Basis(str, Enum):
    """What the figures count (REPORT_BASIS): the period's final marks, falling back to a forecast from the
    rounded weighted average where none is set yet (FINAL); or that forecast alone, as Дневник.ру does (CURRENT)."""

    FINAL = "final"
    CURRENT = "current"


@dataclass(frozen=True)
class ReportRequest:
    """One report: `kind` as services.reports.catalogue names it, and what it is about.

    `class_id` a class; `grade` a parallel (all 5th classes); neither: the school. `scope` a period or
    the year. `day` narrows the attendance report to one day. `made_on` is printed on the document
    (None for the archive, whose bytes must not depend on the day it is written).
    """

    kind: str
    scope: Scope
    today: dt.date
    class_id: int | None = None
    grade: int | None = None
    subject_id: int | None = None
    student_id: int | None = None
    day: dt.date | None = None
    basis: Basis = Basis.FINAL
    made_on: dt.date | None = None


def scope_title(scope: Scope) -> str:
    """The period as a document heads it: «1 четверть, 2026/2027 учебный год», «2026/2027 учебный год»."""
    year = f"{scope.year.name} учебный год"
    return year if scope.is_year else f"{scope.period.name}, {year}"


async def school_name(session: AsyncSession) -> str:
    return await session.scalar(select(SchoolSettings.name).order_by(SchoolSettings.id).limit(1)) or ""
