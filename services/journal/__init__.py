"""Teachers write the journal: marks, attendance, the topic and homework; corrections; the rules.

Every entry point takes the acting person and checks, here in the service, that they may write
that lesson. Everything is checked before anything is written, so a refusal (a DomainError) leaves
no trace. Each change to a mark or an attendance entry goes to the audit log (who, when,
before → after, why) and to the family's outbox, in the same transaction.

A module a job:
- model: what the entry points take and answer (LessonKey, EntryResult, LessonView, ReasonRequired…);
- rules: who may write which lesson and when, grade 1, the range of marks, when a correction needs a reason;
- entries: marks and attendance written (record_entries), audited, and told to the families;
- lesson_details: the topic, the homework, the work type, «attendance done», a comment on a mark;
- reading: the lesson as its teacher sees it, and one student's history in it;
- commands: /mark, /topic, /homework and a line typed in an open lesson, parsed, then written.

Callers outside the package import from here (`from services import journal`, then
`journal.record_entries(…)`), never from its modules; the modules import one another.
"""

from __future__ import annotations

from services.journal.commands import homework_command, load_catalog, mark_command, record_line, topic_command
from services.journal.entries import record_entries
from services.journal.lesson_details import (
    NO_COMMENT,
    HomeworkExists,
    HomeworkMode,
    close_attendance,
    set_homework,
    set_mark_comment,
    set_topic,
    set_work_type,
    work_types,
)
from services.journal.model import (
    EntryLine,
    EntryResult,
    HistoryLine,
    LessonKey,
    LessonRow,
    LessonView,
    ReasonRequired,
    StudentValue,
    TextResult,
)
from services.journal.reading import lesson_view, student_history
from services.journal.rules import MAX_TEXT_LENGTH

__all__ = [
    "MAX_TEXT_LENGTH",
    "NO_COMMENT",
    "HomeworkExists",
    "HomeworkMode",
    "EntryLine",
    "EntryResult",
    "HistoryLine",
    "LessonKey",
    "LessonRow",
    "LessonView",
    "ReasonRequired",
    "StudentValue",
    "TextResult",
    "close_attendance",
    "homework_command",
    "lesson_view",
    "load_catalog",
    "mark_command",
    "record_entries",
    "record_line",
    "set_homework",
    "set_mark_comment",
    "set_topic",
    "set_work_type",
    "student_history",
    "topic_command",
    "work_types",
]
