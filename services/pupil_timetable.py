"""A class's timetable as one pupil of it reads it: the whole class's lessons and their own group's.

When a class is split into groups for a subject (services.subgroups), each group's lesson is a
timetable entry of its own, often at the same hour as the other group's, with its own teacher
and room. A pupil sees only the lesson of the group they are in on that date, with its teacher
named (from the day's lesson: services.timetable_day), since the class's two groups have two. A pupil placed in no group yet still sees the hour's
lesson, marked so, without a teacher, and without a room unless the groups share one: which group's
is theirs is unknown, and leaving the hour out would tell them they are free then.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, replace

from sqlalchemy.ext.asyncio import AsyncSession

from models import Student
from services.school_reference import SchoolReference, school_reference
from services.subgroups import WHOLE_CLASS, PupilGroups, pupil_groups
from services.timetable_day import ClassLesson


@dataclass(frozen=True)
class ScheduleItem:
    lesson_no: int
    start: dt.time | None
    end: dt.time | None
    subject: str
    room: str
    subgroup: str = ""  # the pupil's group whose lesson it is; "" for the whole class's
    teacher: str = ""  # that group's teacher (full name)
    unplaced: bool = False  # a lesson of the class's groups, and the pupil is in none of them yet


Hour = Mapping[str, str]  # a group ("" the whole class) → its room, at one weekday, number and subject


@dataclass(frozen=True)
class PupilTimetable:
    class_id: int
    groups: PupilGroups
    reference: SchoolReference

    def item(self, day: dt.date, lesson: ClassLesson) -> ScheduleItem | None:
        """The lesson of the class's day as the pupil sees it; None when it is another group's."""
        bell, subject = self.reference.bells.get(lesson.lesson_no), self.reference.subject(lesson.subject_id)
        item = ScheduleItem(
            lesson.lesson_no,
            bell.start if bell else None,
            bell.end if bell else None,
            subject.name if subject else "",
            "",
        )
        hour = timetable_hours(self.reference, self.class_id, day).get((lesson.lesson_no, lesson.subject_id), {})
        # A day's change (models.LessonChange) names no group: it is the whole class's lesson.
        if not lesson.subgroup:
            return replace(item, room=_room(hour))
        group = self.groups.group_on(self.class_id, lesson.subject_id, day)
        if group is None:  # shown once for the hour, with the first group's lesson
            return replace(item, room=_room(hour), unplaced=True) if lesson.subgroup == min(hour, default="") else None
        if group != lesson.subgroup:
            return None
        teacher = self.reference.staff.get(lesson.teacher_id) if lesson.teacher_id is not None else None
        return replace(item, room=hour.get(group, ""), subgroup=group, teacher=teacher.full_name if teacher else "")


async def pupil_timetable(session: AsyncSession, student: Student, until: dt.date) -> PupilTimetable:
    """The pupil's class's timetable, with the pupil's groups up to `until` (the last day to be shown)."""
    return PupilTimetable(
        student.class_id, await pupil_groups(session, student.id, until), await school_reference(session)
    )


def timetable_hours(reference: SchoolReference, class_id: int, day: dt.date) -> dict[tuple[int, int], Hour]:
    """(lesson number, subject) → the rooms of the class's timetable entries on `day`'s weekday, by
    group, in the timetable in force that day (services.timetable_versions)."""
    hours: dict[tuple[int, int], dict[str, str]] = defaultdict(dict)
    weekday = day.isoweekday()
    for row in reference.timetable_on(day).of_class(class_id):
        if row.weekday == weekday:
            hours[(row.lesson_no, row.subject_id)][row.subgroup] = row.room
    return hours


def _room(hour: Hour) -> str:
    """The whole class's room; of the groups' lessons, the room they share, or none when they differ."""
    if WHOLE_CLASS in hour:
        return hour[WHOLE_CLASS]
    rooms = set(hour.values())
    return rooms.pop() if len(rooms) == 1 else ""
