"""Which academic year is the school's present, and which class a name means in a year.

A class belongs to one academic year (models.SchoolClass.year_id): 5А of 2026/2027 and 5А of
2027/2028 are two classes. Wherever someone types a class's name, it means the class of that name in
the current year, and only the current year's journal is written to: a past year stays readable and
read-only (issue 13, «the move to the next year»).

The current year is the newest one the school has: the year the move to the next year (or an import
of a new year's file) created, from that moment on, even in the summer days before it starts.
"""

from __future__ import annotations

import re

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.selectable import ScalarSelect

from models import AcademicYear, ClassNumber, SchoolClass
from services.errors import AccessDenied, NotFound
from services.names import normalize_class_name
from services.school_reference import ClassInfo, SchoolReference


def current_year_id() -> ScalarSelect[int]:
    """The current year's id, as a subquery to put in a statement."""
    return (
        select(AcademicYear.id).order_by(AcademicYear.start.desc(), AcademicYear.id.desc()).limit(1).scalar_subquery()
    )


def in_current_year() -> ColumnElement[bool]:
    """The condition «this class is the current year's» for a statement on SchoolClass."""
    return SchoolClass.year_id == current_year_id()


async def current_year(session: AsyncSession) -> AcademicYear | None:
    return await session.scalar(
        select(AcademicYear).order_by(AcademicYear.start.desc(), AcademicYear.id.desc()).limit(1)
    )


async def year_named(session: AsyncSession, name: str) -> AcademicYear | None:
    """«2026/27», «2026/2027» or «2026-2027»: the year starting in 2026."""
    first = name.strip().replace("-", "/").split("/")[0]
    if not (first.isdigit() and len(first) == 4):
        return None
    return await session.scalar(select(AcademicYear).where(AcademicYear.name.startswith(f"{first}/")))


# A school year as people type it after a command: «2026/27», «2026/2027», «2026-27».
_YEAR_WORD = re.compile(r"^(\d{4})[/-](\d{2}|\d{4})$")


def split_year_word(text: str) -> tuple[str | None, str]:
    """The year named among the words (the first such word), and the other words: «2026/27 матем» →
    («2026/27», «матем»); (None, text) when no word is a year."""
    words = text.split()
    for index, word in enumerate(words):
        if _YEAR_WORD.match(word):
            return word, " ".join(words[:index] + words[index + 1 :])
    return None, text


async def year_from_word(session: AsyncSession, word: str) -> AcademicYear:
    """The school year a typed «2026/27» names; one the journal does not have is refused."""
    found = _YEAR_WORD.match(word.strip())
    start = int(found.group(1)) if found else 0
    end = found.group(2) if found else ""
    year = await year_named(session, word) if found and int(end) % 100 == (start + 1) % 100 else None
    if year is None:
        raise NotFound("error-no-such-year", year=word.strip())
    return year


async def class_of_pupil_in_year(session: AsyncSession, student_id: int, year_id: int) -> SchoolClass | None:
    """The class of that year whose list the pupil was on (moved within the year: the last one); None
    when they were not at the school that year."""
    return await session.scalar(
        select(SchoolClass)
        .join(ClassNumber, ClassNumber.class_id == SchoolClass.id)
        .where(ClassNumber.student_id == student_id, SchoolClass.year_id == year_id)
        .order_by(ClassNumber.id.desc())
        .limit(1)
    )


async def class_named(session: AsyncSession, raw_name: str, year_id: int | None = None) -> SchoolClass | None:
    """The class of that name ('5a', '5 А') in the year (by default the current one)."""
    year = current_year_id() if year_id is None else year_id
    name = normalize_class_name(raw_name)
    return await session.scalar(select(SchoolClass).where(SchoolClass.name == name, SchoolClass.year_id == year))


def of_a_past_year(reference: SchoolReference, school_class: ClassInfo) -> bool:
    return school_class.year_id != reference.current_year_id


def year_of(reference: SchoolReference, school_class: ClassInfo) -> str:
    """The name of the class's school year («2026/2027»)."""
    return next((year.name for year in reference.years if year.id == school_class.year_id), "")


def ensure_current_class(reference: SchoolReference, school_class: ClassInfo) -> None:
    """A past year's journal is read-only: no mark, attendance, topic or period mark is written there
    (but by the administrator's correction of a lesson, with a reason: services.journal.rules)."""
    if of_a_past_year(reference, school_class):
        raise AccessDenied("error-past-year", class_name=school_class.name, year=year_of(reference, school_class))
