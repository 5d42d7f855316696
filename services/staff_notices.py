"""The staff's notices: the teachers' reminder, the control reports, the class teacher's daily record and
missing data, a failed archive copy, a year-end archive for the director to confirm.

Queued as plain data by the scheduler (and services.backup), like the families' notices
(services.notices: the same payload, the same version), and rendered in the reader's language when
they are delivered (bot.outbound.views). The reports carry the services' own dataclasses
(services.control_reports, services.homeroom.daily_record): a change to their fields is a change of the format.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from services.class_reports import Gap
from services.control_reports import DeputyReport, PeriodReport
from services.homeroom.daily_record import DailyRecord
from services.journal_fill import MissingLesson
from services.notices import Notice

REMINDER = "reminder"
DEPUTY_REPORT = "deputy_report"
DIRECTOR_REPORT = "director_report"
HOMEROOM_DAILY = "homeroom_daily"
MISSING_DATA = "homeroom_missing_data"
BACKUP_FAILED = "backup_failed"
ARCHIVE_READY = "archive_ready"
SENDER_MUTED = "sender_muted"


@dataclass(frozen=True)
class ReminderLesson:
    """A lesson of the reminder, with what is still missing in it (services.school_days.MISSING_ORDER)."""

    date: dt.date
    lesson_no: int
    class_id: int
    class_name: str
    subject_id: int
    subject: str
    starts: dt.time | None = None
    subgroup: str = ""
    missing: tuple[str, ...] = ()

    @classmethod
    def of(cls, item: MissingLesson) -> ReminderLesson:
        lesson = item.lesson
        return cls(
            lesson.date,
            lesson.lesson_no,
            lesson.class_id,
            lesson.class_name,
            lesson.subject_id,
            lesson.subject,
            lesson.starts,
            lesson.subgroup,
            tuple(item.missing),
        )


@dataclass(frozen=True)
class TeacherReminder(Notice, kind=REMINDER):
    """REMINDER_TIME: a teacher's lessons of `day` still without what is due by `deadline`."""

    day: dt.date
    deadline: dt.time
    lessons: tuple[ReminderLesson, ...]


@dataclass(frozen=True)
class DeputyReportNotice(Notice, kind=DEPUTY_REPORT):
    report: DeputyReport


@dataclass(frozen=True)
class PeriodReportNotice(Notice, kind=DIRECTOR_REPORT):
    report: PeriodReport


@dataclass(frozen=True)
class DailyRecordNotice(Notice, kind=HOMEROOM_DAILY):
    """The class teacher's day: the record, and the parents' proposed explanations (attendance id →
    ill, excused, …) still to be confirmed."""

    record: DailyRecord
    proposals: dict[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class MissingData(Notice, kind=MISSING_DATA):
    """The week's list of pupils without a parent linked, a parent signed in, or a consent."""

    class_name: str
    day: dt.date
    gaps: tuple[Gap, ...]


@dataclass(frozen=True)
class BackupFailed(Notice, kind=BACKUP_FAILED):
    """An archive copy was not made or failed its check: why, as a message key and its arguments."""

    nightly: bool
    error_key: str | None
    error_args: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ArchiveReady(Notice, kind=ARCHIVE_READY):
    """A year-end archive written (services.reports.archive), for the director to confirm with a button."""

    archive_id: int
    year: str  # «2026/2027»
    manifest_sha256: str
    files: int


@dataclass(frozen=True)
class SenderMuted(Notice, kind=SENDER_MUTED):
    """A staff member stopped a parent's messages for a week (services.messaging.mutes): for the pupil's
    class teacher and the administrators."""

    parent: str
    by: str
    student: str = ""
    class_name: str = ""
    until: dt.date | None = None
