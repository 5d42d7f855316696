"""What the class teachers' scheduled reports read (regulation 3.2), for every class at once.

The 15:00 record of the day's absences and the weekly list of missing data each take a fixed
number of queries for the whole school, however many classes it has, and work over plain rows.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import NamedTuple

from sqlalchemy import Row, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import ClassMove, ParentStudent, PersonKind, Student
from services.class_numbers import numbered, stored_numbers
from services.consent_views import pupils_without_consent
from services.homeroom.class_list import SignIn, sign_in_states
from services.homeroom.daily_record import DailyRecord, absences_on, build_daily_record, pending_proposals
from services.roster import class_ids_on

NO_PARENT, PARENT_NOT_SIGNED_IN, NO_CONSENT = "no-parent", "parent-not-signed-in", "no-consent"


class Listed(NamedTuple):
    number: int  # № in the class list, fixed for the year (services.class_numbers)
    student_id: int
    full_name: str


async def class_lists_on(session: AsyncSession, day: dt.date) -> dict[int, list[Listed]]:
    """Class id → its list on `day`, numbered as services.roster.roster_on numbers one class."""
    students = (
        await session.execute(
            select(Student.id, Student.full_name, Student.class_id).where(
                Student.class_id.is_not(None) | Student.id.in_(select(ClassMove.student_id))
            )
        )
    ).all()
    placed = await class_ids_on(session, [student.id for student in students], day)
    members: dict[int, list[Row]] = defaultdict(list)
    for student in students:
        class_id = placed.get(student.id, student.class_id)  # the dated moves decide
        if class_id is not None:
            members[class_id].append(student)
    stored = await stored_numbers(session, members.keys())
    lists = {}
    for class_id, group in members.items():
        numbers = numbered([(student.id, student.full_name) for student in group], stored.get(class_id, {}))
        lists[class_id] = sorted((Listed(numbers[s.id], s.id, s.full_name) for s in group), key=lambda l: l.number)
    return lists


async def daily_records(session: AsyncSession, day: dt.date, classes: dict[int, str]) -> list[DailyRecord]:
    """The day's record (services.homeroom.daily_record.daily_record) of each class in `classes` (id → name),
    in that order, with the parents' answers still to confirm, as /class shows them."""
    rows = defaultdict(list)
    found = (await session.execute(absences_on(day))).all()
    for row in found:
        rows[row.class_id].append(row)
    lists = await class_lists_on(session, day)
    proposals = await pending_proposals(session, [row[0] for row in found])
    return [
        build_daily_record(
            class_id,
            name,
            day,
            rows[class_id],
            {listed.student_id: listed.number for listed in lists.get(class_id, [])},
            proposals,
        )
        for class_id, name in classes.items()
    ]


Gap = tuple[int, str, list[str]]  # № in the class list, the student's name, what is missing


async def data_gaps(session: AsyncSession, day: dt.date) -> dict[int, list[Gap]]:
    """Class id → the students on `day` with no parent linked, a parent not signed in, or a set of
    personal-data consents that is not complete (services.consent_views)."""
    lists = await class_lists_on(session, day)
    parents: dict[int, list[int]] = defaultdict(list)
    for student_id, parent_id in await session.execute(select(ParentStudent.student_id, ParentStudent.parent_id)):
        parents[student_id].append(parent_id)
    signed = await sign_in_states(session, [(PersonKind.PARENT, p) for group in parents.values() for p in group])
    lacking = await pupils_without_consent(
        session, parents, [entry.student_id for listed in lists.values() for entry in listed], day
    )
    found: dict[int, list[Gap]] = {}
    for class_id, listed in lists.items():
        gaps = []
        for entry in listed:
            student_id, own = entry.student_id, parents.get(entry.student_id, [])
            missing = []
            if not own:
                missing.append(NO_PARENT)
            elif any(signed.get((PersonKind.PARENT, p)) != SignIn.ACTIVE for p in own):
                missing.append(PARENT_NOT_SIGNED_IN)
            if student_id in lacking:
                missing.append(NO_CONSENT)
            if missing:
                gaps.append((entry.number, entry.full_name, missing))
        if gaps:
            found[class_id] = gaps
    return found
