"""Subgroups (подгруппы): a class split into groups for a subject, each group a journal page of its own.

A class–subject has groups when its teaching assignments or its timetable name them (the school's
reference: `SchoolReference.groups`). Which group a pupil is in on a date is their
models.SubgroupMember row with the latest `since` not after that date; a move between groups is a
new row from its date, so earlier lessons stay with the earlier group.

A group's list is the class list of the date (services.roster) less the pupils of other groups,
numbered from 1 in the class's fixed order: the group's own journal page, whose numbers a group
teacher types. `WHOLE_CLASS` ("") is the subgroup of every lesson, assignment and timetable entry
of a class that is not split.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import SubgroupMember
from services.roster import RosterEntry, roster_on

WHOLE_CLASS = ""


def group_label(subject: str, subgroup: str) -> str:
    """«Английский язык» or «Английский язык/2»: the subject as a group teacher names it in commands."""
    return f"{subject}/{subgroup}" if subgroup else subject


async def groups_on(session: AsyncSession, class_id: int, subject_id: int, day: dt.date) -> dict[int, str]:
    """Student id → their group of the class–subject on `day` (pupils placed in none are absent)."""
    rows = await session.execute(
        select(SubgroupMember.student_id, SubgroupMember.subgroup)
        .where(
            SubgroupMember.class_id == class_id, SubgroupMember.subject_id == subject_id, SubgroupMember.since <= day
        )
        .order_by(SubgroupMember.student_id, SubgroupMember.since, SubgroupMember.id)
    )
    return dict(rows.tuples().all())  # ordered by date: each pupil's latest row wins


@dataclass(frozen=True)
class PupilGroups:
    """One pupil's groups over all the dates a view shows (a week may straddle a move between groups),
    read in one statement by `pupil_groups`; each lesson's date is looked up here."""

    # (class id, subject id) → the pupil's placements there, ((since, group), …) earliest first
    placements: Mapping[tuple[int, int], tuple[tuple[dt.date, str], ...]]

    def group_on(self, class_id: int | None, subject_id: int, day: dt.date) -> str | None:
        """The pupil's group of the class–subject on `day`; None when they were placed in none by then."""
        moves = self.placements.get((class_id, subject_id), ())
        placed = bisect_right(moves, day, key=lambda move: move[0])
        return moves[placed - 1][1] if placed else None

    def is_theirs(self, class_id: int | None, subject_id: int, subgroup: str, day: dt.date) -> bool:
        """A lesson of the whole class, or of the group the pupil was in on the lesson's date."""
        return subgroup == WHOLE_CLASS or subgroup == self.group_on(class_id, subject_id, day)


async def pupil_groups(session: AsyncSession, student_id: int, until: dt.date) -> PupilGroups:
    """The pupil's placements in groups, of every class and subject, from before `until` up to it."""
    rows = await session.execute(
        select(SubgroupMember.class_id, SubgroupMember.subject_id, SubgroupMember.since, SubgroupMember.subgroup)
        .where(SubgroupMember.student_id == student_id, SubgroupMember.since <= until)
        .order_by(SubgroupMember.since, SubgroupMember.id)
    )
    placements: dict[tuple[int, int], list[tuple[dt.date, str]]] = defaultdict(list)
    for class_id, subject_id, since, subgroup in rows:
        placements[(class_id, subject_id)].append((since, subgroup))
    return PupilGroups({key: tuple(moves) for key, moves in placements.items()})


def group_list(roster: Iterable[RosterEntry], members: Iterable[int]) -> list[RosterEntry]:
    """The entries of `roster` (a class list in № order) whose pupils are in `members`, numbered 1, 2, …"""
    wanted = set(members)
    chosen = [entry for entry in roster if entry.student.id in wanted]
    return [RosterEntry(number, entry.student, entry.left_on) for number, entry in enumerate(chosen, start=1)]


async def lesson_roster(
    session: AsyncSession, class_id: int, subject_id: int, subgroup: str, day: dt.date, *, with_leavers: bool = False
) -> list[RosterEntry]:
    """The list of a lesson: the class list on `day`, or for a group's lesson the group's own list.

    The group's numbers are counted with those who left the class, as the class's are, so that a
    pupil's № in the group is the same whether or not the leavers are shown.
    """
    roster = await roster_on(session, class_id, day, with_leavers=with_leavers or bool(subgroup))
    if not subgroup:
        return roster
    groups = await groups_on(session, class_id, subject_id, day)
    listed = group_list(roster, (student_id for student_id, group in groups.items() if group == subgroup))
    return listed if with_leavers else [entry for entry in listed if entry.present]
