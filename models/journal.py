"""The journal itself: lessons, marks, attendance, final marks and the audit trail."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, UTCDateTime, utcnow
from models.school import SchoolClass, Staff, Student, Subject


class AttendanceCode(str, enum.Enum):
    ABSENT = "н"  # teacher: absent
    ILL = "б"  # ill
    EXCUSED = "уп"  # class teacher: excused
    UNEXCUSED = "нп"  # class teacher: unexcused
    LATE = "оп"  # teacher: late


TEACHER_CODES = (AttendanceCode.ABSENT, AttendanceCode.ILL, AttendanceCode.LATE)
EXPLANATION_CODES = (AttendanceCode.ILL, AttendanceCode.EXCUSED, AttendanceCode.UNEXCUSED)


class Lesson(Base):
    """One dated lesson of a class, or of one group of it, in a subject; created when first written to.

    A group's lesson (`subgroup` not "") is a journal page of its own: two groups of a class at the same
    hour are two rows, each with its own teacher, topic, homework, attendance and marks.
    """

    __tablename__ = "lessons"
    __table_args__ = (UniqueConstraint("class_id", "subject_id", "date", "lesson_no", "subgroup"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id"), index=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"))
    date: Mapped[dt.date] = mapped_column(Date, index=True)
    lesson_no: Mapped[int] = mapped_column(Integer)
    subgroup: Mapped[str] = mapped_column(String(20), default="", server_default="")
    teacher_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), nullable=True)
    topic: Mapped[str] = mapped_column(Text, default="")
    homework: Mapped[str] = mapped_column(Text, default="")
    work_type_id: Mapped[int | None] = mapped_column(ForeignKey("work_types.id"), nullable=True)
    attendance_taken: Mapped[bool] = mapped_column(Boolean, default=False)
    # A teacher may close a lesson on purpose with no marks (reminders stop asking).
    no_marks_on_purpose: Mapped[bool] = mapped_column(Boolean, default=False)
    # When each entry was first made (NULL: before these were kept). «Late» is read from them
    # (services.journal_fill), whether or not the deadline job ran that day.
    attendance_taken_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    topic_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    homework_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    no_marks_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    school_class: Mapped[SchoolClass] = relationship()
    subject: Mapped[Subject] = relationship()
    teacher: Mapped[Staff | None] = relationship()


class WorkType(Base):
    """Kinds of work with their weight in the average (работа на уроке 1, контрольная 3…)."""

    __tablename__ = "work_types"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    weight: Mapped[float] = mapped_column(Float, default=1.0)


class Mark(Base):
    """A mark. Two marks for one lesson («3/4») are two rows with slot 1 and 2.

    Removing a mark sets `deleted_at`: the journal is an official record and loses nothing.
    """

    __tablename__ = "marks"
    __table_args__ = (
        UniqueConstraint("lesson_id", "student_id", "slot"),
        # A lesson's first standing mark, read for a term of lessons by the journal's control
        # (services.school_days.read_lesson_facts) from the index alone.
        Index("ix_marks_first_standing", "lesson_id", "deleted_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lessons.id"), index=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("students.id"), index=True)
    slot: Mapped[int] = mapped_column(Integer, default=1)
    value: Mapped[int] = mapped_column(Integer)
    work_type_id: Mapped[int] = mapped_column(ForeignKey("work_types.id"))
    # The work type's weight as it was when the mark was set: later weight changes don't rewrite history.
    weight: Mapped[float] = mapped_column(Float)
    comment: Mapped[str] = mapped_column(Text, default="")
    author_staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    deleted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)

    lesson: Mapped[Lesson] = relationship()
    student: Mapped[Student] = relationship()
    work_type: Mapped[WorkType] = relationship()


class Attendance(Base):
    """A student's absence or lateness at a lesson.

    The teacher's code (н, б, оп) and the class teacher's explanation (б, уп, нп) are kept side by side.
    """

    __tablename__ = "attendance"
    __table_args__ = (UniqueConstraint("lesson_id", "student_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lessons.id"), index=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("students.id"), index=True)
    code: Mapped[AttendanceCode] = mapped_column(String(4))
    explanation: Mapped[AttendanceCode | None] = mapped_column(String(4), nullable=True)
    author_staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    explained_by_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    deleted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)

    lesson: Mapped[Lesson] = relationship()
    student: Mapped[Student] = relationship()


class FinalMarkSpecial(str, enum.Enum):
    """A period or year result that is not a number: «н/а» (не аттестован: too few marks, too many
    absences) and «осв.» (освобождён: exempt, left out of the subject's figures); «зч» and «нз»
    (зачтено, не зачтено) of a pass/fail class–subject (models.Marking), never counted in figures."""

    NOT_ASSESSED = "na"
    EXEMPT = "exempt"
    PASSED = "pass"
    FAILED = "fail"


class FinalMark(Base):
    """A period mark (period_id set) or the year mark (period_id NULL) in a subject: a number in `value`,
    or a FinalMarkSpecial in `special` with `value` NULL — never both, never neither."""

    __tablename__ = "final_marks"
    __table_args__ = (
        UniqueConstraint("student_id", "subject_id", "year_id", "period_id"),
        CheckConstraint("(value IS NULL) <> (special = '')", name="value_or_special"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("students.id"), index=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"))
    year_id: Mapped[int] = mapped_column(ForeignKey("academic_years.id"))
    period_id: Mapped[int | None] = mapped_column(ForeignKey("periods.id"), nullable=True)
    value: Mapped[int | None] = mapped_column(Integer, nullable=True)
    special: Mapped[str] = mapped_column(String(8), default="", server_default="")  # FinalMarkSpecial or ""
    set_by_staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    set_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The weighted average (× 100) the mark was set against, and the teacher's reason when it departs
    # from it by more than services.final_marks.FAR_FROM_AVERAGE (the deputy reads them in /control).
    average_hundredths: Mapped[int | None] = mapped_column(Integer, nullable=True)
    reason: Mapped[str] = mapped_column(Text, default="", server_default="")


class AuditAction(str, enum.Enum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"


class AuditEntry(Base):
    """Append-only: every change to a mark, attendance entry or final mark (who, when, before → after, why)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    entity: Mapped[str] = mapped_column(String(32))  # "mark", "attendance", "final_mark"
    entity_id: Mapped[int] = mapped_column(Integer)
    student_id: Mapped[int | None] = mapped_column(ForeignKey("students.id"), nullable=True, index=True)
    lesson_id: Mapped[int | None] = mapped_column(ForeignKey("lessons.id"), nullable=True, index=True)
    action: Mapped[AuditAction] = mapped_column(String(16))
    actor_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), nullable=True)
    actor_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"), nullable=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    reason: Mapped[str] = mapped_column(Text, default="")


@event.listens_for(AuditEntry, "before_update")
@event.listens_for(AuditEntry, "before_delete")
def _audit_is_append_only(mapper, connection, target: AuditEntry) -> None:
    raise PermissionError("the audit log is append-only")


class LessonChangeKind(str, enum.Enum):
    SUBSTITUTION = "substitution"  # another teacher, or another subject, in a timetabled lesson
    CANCELLATION = "cancellation"  # a timetabled lesson not given
    EXTRA = "extra"  # a lesson the timetable lacks, added by its teacher


class LessonChange(Base):
    """A dated exception to the weekly timetable for one lesson of a class; the only way a lesson outside
    the timetable comes to exist (services.timetable_changes).

    `slot_subject_id` is the timetabled subject the change is to (substitution, cancellation), or the
    extra lesson's own subject; `subject_id` and `staff_id` say what is given instead and by whom
    (both None for a cancellation).
    """

    __tablename__ = "lesson_changes"
    __table_args__ = (UniqueConstraint("class_id", "date", "lesson_no", "slot_subject_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id"))
    date: Mapped[dt.date] = mapped_column(Date, index=True)
    lesson_no: Mapped[int] = mapped_column(Integer)
    kind: Mapped[LessonChangeKind] = mapped_column(String(16))
    slot_subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"))
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("subjects.id"), nullable=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), nullable=True)
    created_by_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
