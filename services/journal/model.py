"""What the journal's entry points take and answer.

For callers: the lesson named (LessonKey), a value for a student by id (StudentValue), the results
(EntryResult, TextResult), the lesson as its teacher sees it (LessonView), a student's history in it,
and ReasonRequired. Within the package: one planned change to one row (Change), and a mark's state
as the audit log keeps it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from models import AuditAction
from services.entry_parser import EntryValue
from services.journal_rows import AttendanceRow, MarkRow
from services.lessons import LessonSlot
from services.roster import RosterEntry
from services.school_reference import WorkTypeInfo


class ReasonRequired:
    """The change is allowed, but only with a reason. Not a refusal but an answer: nothing was written,
    and the caller asks for a reason and tries again with it. `key` and `args_for_message` say why,
    as a refusal's do (services.errors.Wording)."""

    def __init__(self, key: str, **args: Any) -> None:
        self.key = key
        self.args_for_message = args


@dataclass(frozen=True)
class LessonKey:
    """Class, subject, date and (optionally) the lesson number; without a number, the day's first.

    `subgroup`: the group whose lesson it is ("" the whole class); None when not said (a typed
    command without «/group»): services.lessons.lesson_group decides.
    """

    class_id: int
    subject_id: int
    date: dt.date
    lesson_no: int | None = None
    subgroup: str | None = None


@dataclass(frozen=True)
class StudentValue:
    """A value for a student named by id (a button), rather than by № in the class list."""

    student_id: int
    value: EntryValue


@dataclass(frozen=True)
class EntryLine:
    """What one student's entry was and is now; `…_after` is None where the command left it alone."""

    number: int
    student_id: int
    name: str
    marks_before: str
    marks_after: str | None
    code_before: str
    code_after: str | None
    work_type_change: tuple[str, str] | None = None  # (before, after) when the marks' kind of work changed

    @property
    def marks_changed(self) -> bool:
        return self.marks_after is not None and self.marks_after != self.marks_before

    @property
    def changed(self) -> bool:
        return (
            self.marks_changed
            or self.work_type_change is not None
            or (self.code_after is not None and self.code_after != self.code_before)
        )


@dataclass(frozen=True)
class EntryResult:
    class_name: str
    subject: str
    date: dt.date
    lesson_no: int
    work_type: str | None  # of the marks entered, when any were
    lines: tuple[EntryLine, ...]
    reason: str


@dataclass(frozen=True)
class TextResult:
    """A topic or homework written: to which lesson."""

    class_name: str
    subject: str
    date: dt.date
    lesson_no: int
    text: str


@dataclass(frozen=True)
class LessonRow:
    number: int
    student_id: int
    name: str
    marks: str  # "5", "3/4" or ""
    code: str  # the teacher's attendance code or ""
    explanation: str  # the class teacher's (б, уп, нп) or ""


@dataclass(frozen=True)
class LessonView:
    key: LessonKey  # with the lesson number resolved
    class_name: str
    subject: str
    attendance_only: bool  # grade 1: no marks, no homework
    starts: dt.time | None
    ends: dt.time | None
    topic: str
    work_type_id: int
    work_type: str
    attendance_taken: bool
    homework_to: LessonSlot | None  # the next lesson, where this lesson's homework goes
    homework: str
    rows: tuple[LessonRow, ...]
    lowest_mark: int
    removable: bool = False  # an extra lesson, or a journal row outside the class's day
    # A subject or period without marks (services.marking): attendance, topic and homework, no marks
    no_marks: bool = False

    @property
    def takes_marks(self) -> bool:
        return not (self.attendance_only or self.no_marks)


@dataclass(frozen=True)
class HistoryLine:
    at: dt.datetime
    who: str
    entity: str  # "mark" or "attendance"
    action: AuditAction
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    reason: str


# --- within the package: a change planned before it is written -------------------------------


@dataclass
class Change:
    entity: str  # "mark" or "attendance"
    entry: RosterEntry
    action: AuditAction
    row: MarkRow | AttendanceRow | None  # None: a new row
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    slot: int = 1
    work_type: WorkTypeInfo | None = None


def mark_state(value: int, slot: int, work_type: str, weight: float) -> dict[str, Any]:
    return {"value": value, "slot": slot, "work_type": work_type, "weight": weight}
