"""What a report covers: its classes — one class, a parallel (all 5th classes) or the school — and who
is in them (and in which group) on a day, read in a fixed number of statements whatever the size of the
school; the days it counts; and the header every report is printed under."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import SchoolClass, Student, SubgroupMember
from services.homeroom.classes import class_by_id
from services.reports.document import Document, Table
from services.reports.request import ReportRequest, school_name, scope_title
from services.reports.wording import day_text
from services.roster import class_ids_on
from services.subgroups import PupilGroups

SCHOOL = "Школа"


@dataclass(frozen=True)
class ClassInfo:
    id: int
    name: str
    grade: int

    @property
    def attendance_only(self) -> bool:
        """Regulation 1.3: grade 1 keeps attendance only, no marks and no homework."""
        return self.grade == 1


@dataclass(frozen=True)
class Reach:
    about: str  # «5А», «5-е классы», «Школа»
    classes: tuple[ClassInfo, ...]  # by grade, then name
    class_id: int | None  # set when the report is about one class

    @cached_property  # asked for every lesson of a term
    def ids(self) -> frozenset[int]:
        return frozenset(info.id for info in self.classes)


async def reach_of(session: AsyncSession, request: ReportRequest) -> Reach:
    """The classes of `request`: its class, its parallel, or every class of the school."""
    if request.class_id is not None:
        found = await class_by_id(session, request.class_id)
        return Reach(found.name, (ClassInfo(found.id, found.name, found.grade),), found.id)
    query = select(SchoolClass.id, SchoolClass.name, SchoolClass.grade).order_by(SchoolClass.grade, SchoolClass.name)
    query = query.where(SchoolClass.year_id == request.scope.year.id)  # the classes of the report's year
    if request.grade is not None:
        query = query.where(SchoolClass.grade == request.grade)
    classes = tuple(ClassInfo(*row) for row in await session.execute(query))
    about = parallel_title(request.grade) if request.grade is not None else SCHOOL
    return Reach(about, classes, None)


async def document_of(
    session: AsyncSession,
    request: ReportRequest,
    reach: Reach,
    *,
    title: str,
    tables: tuple[Table, ...],
    summary: str,
    signatures: tuple[str, ...],
) -> Document:
    """The report with the header every report shares: the school, the period, whom it is about, the date."""
    return Document(
        kind=request.kind,
        title=title,
        school=await school_name(session),
        scope=scope_line(request),
        about=reach.about,
        tables=tables,
        summary=(summary,),
        signatures=signatures,
        made_on=request.made_on,
    )


def counted_days(request: ReportRequest) -> tuple[dt.date, dt.date]:
    """The days a report counts: the one day asked for, or the period up to today (the days after it
    hold nothing yet)."""
    if request.day is not None:
        return request.day, request.day
    return request.scope.start, min(request.scope.end, request.today)


def scope_line(request: ReportRequest) -> str:
    """The document's period: «1 четверть, 2026/2027 учебный год», or for one day «26.11.2026, 2026/2027 учебный год»."""
    if request.day is not None:
        return f"{day_text(request.day)}, {request.scope.year.name} учебный год"
    return scope_title(request.scope)


def short_scope(request: ReportRequest) -> str:
    """The period in the chat's summary line: «1 четверть», «2026/2027», «26.11.2026»."""
    return day_text(request.day) if request.day is not None else request.scope.name


def parallel_title(grade: int) -> str:
    """«5-е классы», «3-и классы» (третьи)."""
    return f"{grade}-{'и' if grade == 3 else 'е'} классы"


async def class_lists_on(session: AsyncSession, day: dt.date) -> dict[int, list[int]]:
    """Class id → the ids of the students in it on `day` by the dated moves (services.roster), for every
    class at once: two statements, where a class list each (roster_on) would take one per class."""
    current = dict((await session.execute(select(Student.id, Student.class_id))).tuples().all())
    placed = await class_ids_on(session, list(current), day)
    lists: dict[int, list[int]] = defaultdict(list)
    for student_id, class_id in current.items():
        class_on_day = placed.get(student_id, class_id)
        if class_on_day is not None:
            lists[class_on_day].append(student_id)
    return dict(lists)


NO_GROUPS = PupilGroups({})  # a pupil placed in no group: only the whole class's lessons are theirs


async def placements(session: AsyncSession, class_ids: Iterable[int], last: dt.date) -> dict[int, PupilGroups]:
    """Each pupil's groups (подгруппы) in the classes, placed up to `last`: one statement."""
    rows = await session.execute(
        select(
            SubgroupMember.student_id,
            SubgroupMember.class_id,
            SubgroupMember.subject_id,
            SubgroupMember.since,
            SubgroupMember.subgroup,
        )
        .where(SubgroupMember.class_id.in_(sorted(class_ids)), SubgroupMember.since <= last)
        .order_by(SubgroupMember.since, SubgroupMember.id)
    )
    found: dict[int, dict[tuple[int, int], list[tuple[dt.date, str]]]] = defaultdict(lambda: defaultdict(list))
    for student_id, class_id, subject_id, since, subgroup in rows:
        found[student_id][(class_id, subject_id)].append((since, subgroup))
    return {
        student_id: PupilGroups({key: tuple(moves) for key, moves in by_page.items()})
        for student_id, by_page in found.items()
    }
