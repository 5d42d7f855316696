"""Who may have which report (regulation 3.2, 3.3, 3.5, 3.6, 1.4), and what each may choose it for.

- the deputy, the director and the administrator: every report, for any class, parallel or the school;
- a class teacher: their class's `results`, `summary`, `attendance`, `movement`, `risk`, and the
  `card` of its pupils;
- a subject teacher: the `subject` report of each class–subject they teach;
- a parent: the `card` of each of their children; a student: their own.

`targets` lists the choices the chat offers; `ensure_may_have` is the check that counts, asked again
for every request however it arrived (a typed command, a forged button, the console).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import ClassNumber, Student
from services.access import ensure_teaches
from services.actor import Actor
from services.errors import AccessDenied
from services.reports.reach import parallel_title
from services.reports.request import ReportRequest
from services.school_reference import SchoolReference, YearInfo, school_reference

# In the order the chat shows them.
KINDS = ("results", "subject", "summary", "card", "attendance", "keeping", "movement", "risk")
CLASS_TEACHER_KINDS = frozenset({"results", "summary", "attendance", "risk", "movement", "card"})
WHOLE_SCHOOL = {"results", "keeping", "attendance", "movement", "risk"}  # may be asked for the whole school
PARALLEL = {"results"}  # may be asked for all classes of a grade


@dataclass(frozen=True)
class Target:
    """What a report is about, as a request takes it: the school (nothing set), a parallel, a class, a
    class–subject or a pupil. `name` is for the button: «5А», «5-е классы», «Математика, 5А», a pupil."""

    name: str
    class_id: int | None = None
    grade: int | None = None
    subject_id: int | None = None
    student_id: int | None = None
    narrows: bool = False  # a class to choose first: its pupils or subjects are the targets then


def kinds_for(actor: Actor) -> tuple[str, ...]:
    """The reports the actor may have at all, in the chat's order."""
    if actor.sees_whole_school:
        return KINDS
    kinds = set()
    if actor.homeroom_class_ids:
        kinds.update(CLASS_TEACHER_KINDS)
    if actor.staff_id is not None:
        kinds.add("subject")
    if actor.children_ids or actor.student_id is not None:
        kinds.add("card")
    return tuple(kind for kind in KINDS if kind in kinds)


async def report_years(session: AsyncSession, actor: Actor) -> list[YearInfo]:
    """The school years the actor may choose, newest first: the current one, and for those who see the
    whole school (regulation 3.5, 3.6) each past year the journal keeps classes of."""
    reference = await school_reference(session)
    kept = {c.year_id for c in reference.classes.values()} if actor.sees_whole_school else set()
    current = reference.current_year_id
    years = [year for year in reference.years if year.id == current or year.id in kept]
    return sorted(years, key=lambda year: year.start, reverse=True)


async def targets(
    session: AsyncSession, actor: Actor, kind: str, within_class: int | None = None, *, year_id: int | None = None
) -> list[Target]:
    """What the actor may have the report `kind` for; empty when nothing.

    A school reader's `subject` and `card` would be hundreds of buttons: they choose a class first
    (targets with `narrows`), then its subjects or pupils (`within_class`). `year_id` a past year's
    classes (a past year's classes share this year's names: services.school_years), for a school reader;
    by default, and for everyone else, this year's.
    """
    reference = await school_reference(session)
    year = year_id if actor.sees_whole_school and year_id is not None else reference.current_year_id
    classes = sorted(
        (c for c in reference.classes_of_year(year) if actor.sees_whole_school or c.id in actor.homeroom_class_ids),
        key=lambda c: (c.grade, c.name),
    )
    if kind in ("subject", "card") and actor.sees_whole_school and within_class is None:
        return [Target(c.name, class_id=c.id, narrows=True) for c in classes]
    if kind == "subject":
        return _subject_targets(reference, actor, within_class, {c.id for c in reference.classes_of_year(year)})
    if kind == "card":
        past_year = year != reference.current_year_id
        return await _pupil_targets(session, actor, within_class, on_its_list=past_year)
    if kind not in kinds_for(actor):
        return []
    found = []
    if actor.sees_whole_school and kind in WHOLE_SCHOOL:
        found.append(Target("Школа"))
    if actor.sees_whole_school and kind in PARALLEL:
        grades = sorted({c.grade for c in classes})
        found += [Target(parallel_title(grade), grade=grade) for grade in grades]
    if kind != "keeping":
        found += [Target(c.name, class_id=c.id) for c in classes]
    return found


def _subject_targets(
    reference: SchoolReference, actor: Actor, within_class: int | None, of_the_year: set[int]
) -> list[Target]:
    pairs = {
        (class_id, subject_id)
        for staff_id, class_id, subject_id in reference.assignments
        if (actor.sees_whole_school or staff_id == actor.staff_id)
        and within_class in (None, class_id)
        and class_id in of_the_year
    }
    subjects = {subject.id: subject.name for subject in reference.subjects}
    return sorted(
        (
            Target(f"{subjects[subject_id]}, {reference.classes[class_id].name}", class_id, subject_id=subject_id)
            for class_id, subject_id in pairs
            if class_id in reference.classes and subject_id in subjects
        ),
        key=lambda t: (reference.classes[t.class_id].grade, reference.classes[t.class_id].name, t.name),
    )


async def _pupil_targets(
    session: AsyncSession, actor: Actor, within_class: int | None, *, on_its_list: bool = False
) -> list[Target]:
    """A parent's children, a student themself, a class teacher's pupils, a school reader's class (a past
    year's class `on_its_list`: its pupils have moved on to other classes since)."""
    wanted = set(actor.children_ids) | ({actor.student_id} if actor.student_id is not None else set())
    condition = Student.id.in_(wanted)
    if actor.sees_whole_school and within_class is not None and on_its_list:
        listed = select(ClassNumber.student_id).where(ClassNumber.class_id == within_class)
        query = select(Student.id, Student.full_name).where(Student.id.in_(listed)).order_by(Student.full_name)
        return [Target(name, within_class, student_id=student_id) for student_id, name in await session.execute(query)]
    if actor.sees_whole_school and within_class is not None:
        condition = Student.class_id == within_class
    elif actor.homeroom_class_ids:
        condition |= Student.class_id.in_(actor.homeroom_class_ids)
    query = select(Student.id, Student.full_name, Student.class_id).order_by(Student.full_name)
    rows = await session.execute(query.where(condition))
    return [Target(name, class_id, student_id=student_id) for student_id, name, class_id in rows]


async def ensure_may_have(session: AsyncSession, actor: Actor, request: ReportRequest) -> None:
    """Refuses (AccessDenied) a report the actor may not have; asked for every request."""
    if request.kind not in kinds_for(actor):
        raise AccessDenied("report-not-yours")
    if actor.sees_whole_school:
        return
    if request.kind == "subject":
        if request.class_id is None or request.subject_id is None:
            raise AccessDenied("report-not-yours")
        try:
            await ensure_teaches(session, actor, request.class_id, request.subject_id)
        except AccessDenied:
            raise AccessDenied("report-not-your-subject") from None
        return
    if request.kind == "card":
        await _ensure_pupil(session, actor, request.student_id)
        return
    if request.class_id is None or request.class_id not in actor.homeroom_class_ids:
        raise AccessDenied("report-not-your-class")


async def _ensure_pupil(session: AsyncSession, actor: Actor, student_id: int | None) -> None:
    if student_id is not None and (student_id in actor.children_ids or student_id == actor.student_id):
        return
    if student_id is not None and actor.homeroom_class_ids:
        class_id = await session.scalar(select(Student.class_id).where(Student.id == student_id))
        if class_id in actor.homeroom_class_ids:
            return
    raise AccessDenied("report-not-your-pupil")
