"""The callback data of the buttons that go out with notices, reminders and reports.

No router here: the delivery side packs them (bot.outbound.render, bot.outbound.views) and the
handlers that answer them filter on them (handlers.messaging, handlers.operations, handlers.homeroom,
handlers.teacher, handlers.archive), importing them from this module.
"""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData

from models import AttendanceCode
from services.staff_notices import ReminderLesson


class AbsenceAnswer(CallbackData, prefix="absans"):
    """A parent's answer under an absence notice: a proposal for the class teacher to confirm."""

    attendance_id: int
    answer: str


class BroadcastRead(CallbackData, prefix="bcread"):
    """«Принято к сведению» under a copy of an announcement."""

    broadcast_id: int


class RelayReply(CallbackData, prefix="relay"):
    """«Ответить» under a relayed message: the next message goes back to its sender."""

    relayed_id: int


class RelayMute(CallbackData, prefix="rmute"):
    """«Не получать неделю» under a relayed message: its sender is muted for a week."""

    relayed_id: int


class OpenLesson(CallbackData, prefix="tl"):
    """A lesson in the teacher's lesson view (handlers.teacher): from /today and from the 16:00 reminder."""

    class_id: int
    subject_id: int
    day: int  # date.toordinal()
    lesson_no: int
    subgroup: str = ""  # a group's lesson (services.subgroups)


class NoMarks(CallbackData, prefix="nomarks"):
    """«Урок без отметок» on a lesson of the 16:00 reminder."""

    class_id: int
    subject_id: int
    day: int  # date.toordinal()
    lesson_no: int
    subgroup: str = ""

    @classmethod
    def of(cls, lesson: ReminderLesson) -> NoMarks:
        return cls(
            class_id=lesson.class_id,
            subject_id=lesson.subject_id,
            day=lesson.date.toordinal(),
            lesson_no=lesson.lesson_no,
            subgroup=lesson.subgroup,
        )


class ExplainDay(CallbackData, prefix="hrxd"):
    """The class teacher explains a pupil's whole day of absences (the daily record, handlers.homeroom)."""

    class_id: int
    student_id: int
    day: int
    code: AttendanceCode


class LessonsOf(CallbackData, prefix="hrxl"):
    """A pupil's missed lessons of the day, each to explain on its own (handlers.homeroom)."""

    class_id: int
    student_id: int
    day: int


class ConfirmArchive(CallbackData, prefix="arcok"):
    """«Подтвердить архив» under a year-end archive's notice, for the director (handlers.archive)."""

    archive_id: int
