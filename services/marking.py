"""Subjects without marks: which lessons and which term results take no marks (issue 13, item 2).

A class–subject is assessed with marks (the default), without marks (безотметочно: ОРКСЭ in grade 4,
some electives) or pass/fail (зачёт): the `marking` of its assignments (models.Marking), set by the
import. Besides, the school may name periods without marks for a grade (UNMARKED_PERIODS: "2:1" is
grade 2's first period of the year), and there every subject of the grade is taught without marks.

Such lessons take attendance, topic and homework; a mark is refused with the rule named (`lesson_rule`,
checked by services.journal.rules for every write path). Their term and year result is «зч» / «нз»
for a pass/fail subject, and none at all without marks (`result_marking`). The figures leave them out
(services.reports.marks_basis, services.period_figures, services.grades).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Marking, SchoolSettings, TeachingAssignment

if TYPE_CHECKING:
    from services.school_reference import PeriodInfo, SchoolReference


@dataclass(frozen=True)
class Rule:
    """Why a lesson (or a term result) takes no mark: a refusal's key with its arguments."""

    marking: Marking
    key: str
    args: dict[str, object] = field(default_factory=dict)


def parse_unmarked_periods(text: str) -> frozenset[tuple[int, int]]:
    """ "2:1, 2:2" → {(2, 1), (2, 2)}: (grade, the period's place in the year, from 1). ValueError names
    what is wrong."""
    found = set()
    for part in (piece.strip() for piece in text.split(",")):
        if not part:
            continue
        grade, colon, number = part.partition(":")
        if not colon or not grade.strip().isdigit() or not number.strip().isdigit():
            raise ValueError(f"expected grade:period pairs such as 2:1, got {part!r}")
        pair = (int(grade), int(number))
        if not 1 <= pair[0] <= 11 or pair[1] < 1:
            raise ValueError(f"a grade is 1–11 and a period 1 or more, got {part!r}")
        found.add(pair)
    return frozenset(found)


def unmarked_period(reference: SchoolReference, class_id: int, period: PeriodInfo | None) -> PeriodInfo | None:
    """The period, when the school teaches the class's grade there without marks."""
    school_class = reference.classes.get(class_id)
    if period is None or school_class is None or not reference.unmarked_periods:
        return None
    of_year = [p.id for p in reference.periods if p.year_id == period.year_id]
    number = of_year.index(period.id) + 1 if period.id in of_year else 0
    return period if (school_class.grade, number) in reference.unmarked_periods else None


def lesson_rule(reference: SchoolReference, class_id: int, subject_id: int, day: dt.date) -> Rule | None:
    """The rule that keeps marks out of the class–subject's lesson on `day`; None where marks are given."""
    school_class, subject = reference.classes.get(class_id), reference.subject(subject_id)
    names = {"class_name": school_class.name if school_class else "", "subject": subject.name if subject else ""}
    period = unmarked_period(reference, class_id, reference.day(day).period)
    if period is not None:
        grade = school_class.grade if school_class else 0
        return Rule(Marking.NONE, "entry-no-marks-period", dict(names, grade=grade, period=period.name))
    marking = reference.marking(class_id, subject_id)
    if marking is Marking.NONE:
        return Rule(marking, "entry-no-marks-subject", names)
    if marking is Marking.PASS_FAIL:
        return Rule(marking, "entry-no-marks-pass-fail", names)
    return None


def result_marking(reference: SchoolReference, class_id: int, subject_id: int, period: PeriodInfo | None) -> Marking:
    """What a term (or, `period` None, the year's) result of the class–subject is: a mark, «зч» / «нз»,
    or none at all (a subject without marks, or a period the grade has no marks in)."""
    if unmarked_period(reference, class_id, period) is not None:
        return Marking.NONE
    return reference.marking(class_id, subject_id)


async def any_without_marks(session: AsyncSession) -> bool:
    """Whether the school has a subject without marks or a grade's period without them: one query, so that
    a school without them spares a report's own engine the reference's full read."""
    unmarked_subject = select(TeachingAssignment.id).where(TeachingAssignment.marking != Marking.MARKS).exists()
    unmarked_period = select(SchoolSettings.id).where(SchoolSettings.unmarked_periods != "").exists()
    return bool(await session.scalar(select(or_(unmarked_subject, unmarked_period))))


def left_out(reference: SchoolReference) -> frozenset[tuple[int, int]]:
    """The (class, subject) pairs whose results never count in averages and figures."""
    return frozenset(pair for pair, marking in reference.markings.items() if marking is not Marking.MARKS)


async def keep_unmarked_periods(session: AsyncSession, setting: str) -> None:
    """Store UNMARKED_PERIODS as the program was started with, where every path reads the reference; a
    change moves the reference version (models.reference_version), so the running bot sees it at once."""
    wanted = ",".join(f"{grade}:{number}" for grade, number in sorted(parse_unmarked_periods(setting)))
    settings = await session.scalar(select(SchoolSettings).order_by(SchoolSettings.id).limit(1))
    if settings is None:
        if not wanted:
            return
        settings = SchoolSettings(id=1)
        session.add(settings)
    if settings.unmarked_periods != wanted:
        settings.unmarked_periods = wanted
        await session.flush()
