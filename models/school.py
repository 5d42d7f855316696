"""The school's structure: year and periods, classes, people, subjects, timetable."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import Boolean, CheckConstraint, Date, Float, ForeignKey, Integer, String, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, UTCDateTime, utcnow


class StaffRole(str, enum.Enum):
    TEACHER = "teacher"
    DEPUTY = "deputy"
    DIRECTOR = "director"
    ADMIN = "admin"


class StudentStatus(str, enum.Enum):
    STUDYING = "studying"
    TRANSFERRED = "transferred"
    LEFT = "left"


class Marking(str, enum.Enum):
    """How a class–subject is assessed: with marks, without marks (безотметочно), or pass/fail (зачёт)."""

    MARKS = "marks"
    NONE = "none"
    PASS_FAIL = "pass_fail"


class MoveKind(str, enum.Enum):
    ENROL = "enrol"
    MOVE = "move"
    LEAVE = "leave"


class SchoolSettings(Base):
    """One row: the school-wide rules the journal follows."""

    __tablename__ = "school_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    allow_mark_one: Mapped[bool] = mapped_column(Boolean, default=False)
    # Weighted average from which a period mark is suggested (regulation-free, school's choice).
    threshold_5: Mapped[float] = mapped_column(Float, default=4.60)
    threshold_4: Mapped[float] = mapped_column(Float, default=3.60)
    threshold_3: Mapped[float] = mapped_column(Float, default=2.60)
    # Moves with every change to the school's reference tables (models.reference_version).
    reference_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # UNMARKED_PERIODS as the bot was last started with: "2:1" grade 2's first period, comma-separated
    # (services.marking); kept here so that every path reads it with the rest of the school's reference.
    unmarked_periods: Mapped[str] = mapped_column(String(200), default="", server_default="")


class AcademicYear(Base):
    __tablename__ = "academic_years"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(20), unique=True)  # "2026/2027"
    start: Mapped[dt.date] = mapped_column(Date)
    end: Mapped[dt.date] = mapped_column(Date)

    periods: Mapped[list[Period]] = relationship(back_populates="year", order_by="Period.start")
    holidays: Mapped[list[Holiday]] = relationship(back_populates="year", order_by="Holiday.start")


class Period(Base):
    """A четверть or полугодие: marks are averaged and finalised per period."""

    __tablename__ = "periods"
    __table_args__ = (UniqueConstraint("year_id", "name"), CheckConstraint('start <= "end"', name="dates_in_order"))

    id: Mapped[int] = mapped_column(primary_key=True)
    year_id: Mapped[int] = mapped_column(ForeignKey("academic_years.id"))
    name: Mapped[str] = mapped_column(String(50))
    start: Mapped[dt.date] = mapped_column(Date)
    end: Mapped[dt.date] = mapped_column(Date)
    # Set when the period marks are final: later changes need a deputy's reason.
    finals_locked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)

    year: Mapped[AcademicYear] = relationship(back_populates="periods")


class Holiday(Base):
    __tablename__ = "holidays"

    id: Mapped[int] = mapped_column(primary_key=True)
    year_id: Mapped[int] = mapped_column(ForeignKey("academic_years.id"))
    name: Mapped[str] = mapped_column(String(100), default="")
    start: Mapped[dt.date] = mapped_column(Date)
    end: Mapped[dt.date] = mapped_column(Date)

    year: Mapped[AcademicYear] = relationship(back_populates="holidays")


class Subject(Base):
    __tablename__ = "subjects"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)


class Staff(Base):
    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str | None] = mapped_column(String(64), unique=True, nullable=True)
    full_name: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    roles: Mapped[list[StaffRoleGrant]] = relationship(
        back_populates="staff", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def role_set(self) -> set[StaffRole]:
        return {grant.role for grant in self.roles}


class StaffRoleGrant(Base):
    __tablename__ = "staff_roles"
    __table_args__ = (UniqueConstraint("staff_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"))
    role: Mapped[StaffRole] = mapped_column(String(16))

    staff: Mapped[Staff] = relationship(back_populates="roles")


class SchoolClass(Base):
    """A class such as 5А of one academic year. `name` is normalised (see services.names.normalize_class_name).

    5А of 2026/2027 and 5А of 2027/2028 are two classes with different pupils: a class belongs to its
    year, and its name is unique within that year (services.school_years finds a class by name).
    """

    __tablename__ = "classes"
    __table_args__ = (
        CheckConstraint("grade BETWEEN 1 AND 11", name="grade_range"),
        UniqueConstraint("year_id", "name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year_id: Mapped[int] = mapped_column(ForeignKey("academic_years.id"), index=True)
    name: Mapped[str] = mapped_column(String(10))
    grade: Mapped[int] = mapped_column(Integer)
    letter: Mapped[str] = mapped_column(String(4), default="")
    homeroom_teacher_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), nullable=True)

    homeroom_teacher: Mapped[Staff | None] = relationship()

    @property
    def attendance_only(self) -> bool:
        """Regulation 1.3: grade 1 keeps attendance only, no marks and no homework."""
        return self.grade == 1


class Student(Base):
    __tablename__ = "students"

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    birth_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    status: Mapped[StudentStatus] = mapped_column(String(16), default=StudentStatus.STUDYING)
    class_id: Mapped[int | None] = mapped_column(ForeignKey("classes.id"), nullable=True)

    school_class: Mapped[SchoolClass | None] = relationship()
    parents: Mapped[list[Parent]] = relationship(
        secondary="parent_students", back_populates="children", order_by="Parent.full_name"
    )


class ClassMove(Base):
    """«Движение учащихся»: dated enrolments, moves and leavings; never rewritten."""

    __tablename__ = "class_moves"

    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("students.id"), index=True)
    kind: Mapped[MoveKind] = mapped_column(String(16))
    from_class_id: Mapped[int | None] = mapped_column(ForeignKey("classes.id"), nullable=True)
    to_class_id: Mapped[int | None] = mapped_column(ForeignKey("classes.id"), nullable=True)
    date: Mapped[dt.date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(300), default="")
    created_by_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class ClassNumber(Base):
    """A student's № in a class list, fixed as in the paper journal (services.class_numbers).

    Numbered alphabetically at the start of the year; a newcomer gets the next free number; a student
    who leaves keeps theirs, so the numbers a teacher types never shift.
    """

    __tablename__ = "class_numbers"
    __table_args__ = (
        UniqueConstraint("class_id", "number"),
        UniqueConstraint("class_id", "student_id"),
        CheckConstraint("number >= 1", name="number_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id"))
    student_id: Mapped[int] = mapped_column(ForeignKey("students.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)


class Parent(Base):
    __tablename__ = "parents"

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(32), nullable=True)

    children: Mapped[list[Student]] = relationship(
        secondary="parent_students", back_populates="parents", order_by="Student.full_name"
    )


class ParentStudent(Base):
    __tablename__ = "parent_students"

    parent_id: Mapped[int] = mapped_column(ForeignKey("parents.id", ondelete="CASCADE"), primary_key=True)
    # Indexed apart too: "whose parents are these" is asked for every notice (the key leads with the parent).
    student_id: Mapped[int] = mapped_column(ForeignKey("students.id", ondelete="CASCADE"), primary_key=True, index=True)


class TeachingAssignment(Base):
    """Who teaches which subject in which class: the whole class (`subgroup` "") or one of its groups."""

    __tablename__ = "assignments"
    __table_args__ = (UniqueConstraint("staff_id", "class_id", "subject_id", "subgroup"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id"), index=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"))
    subgroup: Mapped[str] = mapped_column(String(20), default="")
    # The class–subject's Marking, the same on each of its rows (the import checks they agree): read with
    # the assignments the reference already holds, so a lesson's rule costs no query.
    marking: Mapped[Marking] = mapped_column(String(16), default=Marking.MARKS, server_default=Marking.MARKS.value)


class BellTime(Base):
    __tablename__ = "bells"

    lesson_no: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    start: Mapped[dt.time] = mapped_column(Time)
    end: Mapped[dt.time] = mapped_column(Time)


class TimetableEntry(Base):
    """The weekly timetable: weekday 1 = Monday … 7 = Sunday.

    The school's timetable in force on a date is the version (the rows sharing one `valid_from`) with
    the latest `valid_from` not after it (services.timetable_versions): a new timetable from 11.01
    leaves December read through December's. NULL: the first version (a row written without a date).
    """

    __tablename__ = "timetable"
    __table_args__ = (
        UniqueConstraint(
            "valid_from",
            "class_id",
            "weekday",
            "lesson_no",
            "subject_id",
            "staff_id",
            "subgroup",
            name="uq_timetable_slot",
        ),  # (the generated name is too long for PostgreSQL)
        CheckConstraint("weekday BETWEEN 1 AND 7", name="weekday_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id"), index=True)
    weekday: Mapped[int] = mapped_column(Integer)
    lesson_no: Mapped[int] = mapped_column(Integer)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"))
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    room: Mapped[str] = mapped_column(String(20), default="")
    # "" for the whole class; else the group of the class that has this lesson (models.SubgroupMember)
    subgroup: Mapped[str] = mapped_column(String(20), default="", server_default="")
    valid_from: Mapped[dt.date | None] = mapped_column(Date, nullable=True)

    school_class: Mapped[SchoolClass] = relationship()
    subject: Mapped[Subject] = relationship()
    teacher: Mapped[Staff] = relationship()


class SubgroupMember(Base):
    """A pupil's group (подгруппа) in a subject of their class, from a date on.

    The group a pupil is in on a date is their row with the latest `since` not after it: a move
    between groups is a new row, so the earlier lessons stay the earlier group's, and nothing is
    rewritten (services.subgroups).
    """

    __tablename__ = "subgroup_members"
    __table_args__ = (
        UniqueConstraint("class_id", "subject_id", "student_id", "since"),
        CheckConstraint("subgroup <> ''", name="subgroup_named"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id"), index=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"))
    student_id: Mapped[int] = mapped_column(ForeignKey("students.id"), index=True)
    subgroup: Mapped[str] = mapped_column(String(20))
    since: Mapped[dt.date] = mapped_column(Date)
    created_by_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
