"""Locks that live in the database, so that processes on different hosts sharing it see them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, utcnow


class ProcessLock(Base):
    """One row per thing that must run once per school (the bot's scheduler and delivery worker).

    The holder renews `expires_at` while it runs; a lock whose time has run out may be taken by
    another process. `host`, `pid` and `lock_file` say who holds it, for people and for telling a
    dead holder on the same host from a live one elsewhere.
    """

    __tablename__ = "process_locks"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    owner: Mapped[str] = mapped_column(String(64))  # random per process start
    host: Mapped[str] = mapped_column(String(255))
    pid: Mapped[int] = mapped_column(Integer)
    lock_file: Mapped[str] = mapped_column(String(1000))  # the holder's BOT_LOCK_FILE, absolute
    acquired_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
