"""What a report is asked for: the kind, whom it is about, the period; and the header every report shares."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import SchoolClass, SchoolSettings
from services.calendar import periods_of_year
from services.errors import NotFound, ValidationFailed
from services.grades import Scope, current_scope, find_subject, scope_from_text
from services.homeroom.classes import find_class
from services.journal_fill import Deadline
from services.movement import find_student
from services.school_years import class_of_pupil_in_year, year_from_word

# MARKS_DEADLINE in the school's time zone as bot.config has them by default; the chat and the command line
# pass the school's own (bot.config.deadline_of), which services can't read themselves.
DEFAULT_DEADLINE = Deadline(dt.time(17, 0), ZoneInfo("Europe/Moscow"))


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
    deadline: Deadline = DEFAULT_DEADLINE  # what «late» is counted against (the `keeping` report)


def scope_title(scope: Scope) -> str:
    """The period as a document heads it: «1 четверть, 2026/2027 учебный год», «2026/2027 учебный год»."""
    year = f"{scope.year.name} учебный год"
    return year if scope.is_year else f"{scope.period.name}, {year}"


async def school_name(session: AsyncSession) -> str:
    return await session.scalar(select(SchoolSettings.name).order_by(SchoolSettings.id).limit(1)) or ""


# What a report cannot be made without, as the command line names it.
NEEDS = {"subject": ("--class", "--subject"), "card": ("--student",)}


async def request_from_names(
    session: AsyncSession,
    kind: str,
    *,
    today: dt.date,
    class_name: str | None = None,
    subject: str | None = None,
    period: str | None = None,
    student: str | None = None,
    basis: Basis = Basis.FINAL,
    deadline: Deadline = DEFAULT_DEADLINE,
    year: str | None = None,
) -> ReportRequest:
    """A request from names as people type them (the command line): `5a` is 5А, a bare `5` all the 5th
    classes, `матем` Математика, `1`/`1 четверть`/`year`; `student` is the school's id. Refuses
    (NotFound, ValidationFailed) a name that matches nothing. `year` («2026/27») reads a past school year:
    its classes, and its whole year unless `period` names one of its terms."""
    given = {"--class": class_name, "--subject": subject, "--student": student}
    missing = [option for option in NEEDS.get(kind, ()) if not given[option]]
    if missing:
        raise ValidationFailed("report-needs-options", kind=kind, options=", ".join(missing))
    class_id = grade = subject_id = student_id = None
    school_year = await year_from_word(session, year) if year else None
    if class_name and class_name.strip().isdigit():
        grade = int(class_name)
        if not await session.scalar(select(SchoolClass.id).where(SchoolClass.grade == grade).limit(1)):
            raise NotFound("error-class-not-found", name=class_name)
    elif class_name:
        class_id = (await find_class(session, class_name, school_year.id if school_year else None)).id
    if subject:
        subject_id = (await find_subject(session, subject, class_id)).id
    if student:
        found = await find_student(session, student)
        then = await class_of_pupil_in_year(session, found.id, school_year.id) if school_year else None
        student_id, class_id = found.id, class_id or (then.id if then else found.class_id)
    if school_year is not None:
        scope = Scope(school_year, None, tuple(await periods_of_year(session, school_year.id)))
    else:
        scope = await current_scope(session, today)
    if period:  # a term of the year asked for (its last day is in it), else of today's
        scope = await scope_from_text(session, period, school_year.end if school_year else today)
        if scope is None:
            raise ValidationFailed("report-unknown-period", name=period)
    return ReportRequest(
        kind,
        scope,
        today,
        class_id=class_id,
        grade=grade,
        subject_id=subject_id,
        student_id=student_id,
        basis=basis,
        made_on=today,
        deadline=deadline,
    )
