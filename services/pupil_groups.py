"""A pupil's groups (подгруппы) over all the dates a view shows, read in one statement.

services.subgroups.student_groups_on answers for one date. A week of homework or of the timetable
may straddle a move between groups, and the lessons before the move stay the old group's, so the
family views read the pupil's placements up to the last date they show and look each lesson's date
up here. (It belongs beside student_groups_on; services.subgroups is being rewritten meanwhile.)
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import SubgroupMember
from services.subgroups import WHOLE_CLASS


@dataclass(frozen=True)
class PupilGroups:
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
