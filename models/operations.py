"""What the scheduler did: job runs (never lost, never doubled), overdue journal entries, archive copies,
and the year-end archives the director confirmed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, utcnow


class JobRun(Base):
    """One run of a scheduled job for what it covers (a date, a period). The unique key stops doubles,
    even when two processes are started by mistake: the second insert fails."""

    __tablename__ = "job_runs"
    __table_args__ = (UniqueConstraint("job_id", "covers"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[str] = mapped_column(String(64))
    covers: Mapped[str] = mapped_column(String(64))  # e.g. "2026-11-26" or "period:3"
    ran_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    outcome: Mapped[str] = mapped_column(String(32), default="ok")
    details: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)


class OverdueEntry(Base):
    """What a teacher had not filled in by the 17:00 deadline (regulation 3.3); `filled_at` marks it late."""

    __tablename__ = "overdue_entries"
    __table_args__ = (UniqueConstraint("class_id", "subject_id", "date", "lesson_no", "subgroup"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    teacher_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id"))
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"))
    date: Mapped[dt.date] = mapped_column(Date, index=True)
    lesson_no: Mapped[int] = mapped_column(Integer)
    subgroup: Mapped[str] = mapped_column(String(20), default="", server_default="")  # a group's lesson
    missing: Mapped[list[str]] = mapped_column(JSON, default=list)  # "attendance", "topic", "marks", "homework"
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    filled_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)


class BackupRecord(Base):
    """An archive copy (regulation 2.1) and whether it passed its check."""

    __tablename__ = "backups"

    id: Mapped[int] = mapped_column(primary_key=True)
    path: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    size_bytes: Mapped[int] = mapped_column(BigInteger, default=0)
    verified: Mapped[bool] = mapped_column(Boolean, default=False)
    error: Mapped[str] = mapped_column(Text, default="")


class YearArchive(Base):
    """A year-end archive of the journal (АП-147/07) as written, named by its manifest's SHA-256, and the
    director's confirmation of it. The same year written twice gives the same manifest: one row."""

    __tablename__ = "year_archives"
    __table_args__ = (UniqueConstraint("year_id", "manifest_sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year_id: Mapped[int] = mapped_column(ForeignKey("academic_years.id"))
    manifest_sha256: Mapped[str] = mapped_column(String(64))
    made_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    made_by_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), nullable=True)  # None: the CLI
    confirmed_by_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), nullable=True)
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
