"""The notification outbox: every message to someone other than the sender goes through here."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, utcnow


class OutboxState(str, enum.Enum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"


class OutboxMessage(Base):
    """Written in the same transaction as the change that causes it; a worker delivers it."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)  # "mark", "absence", "homework", "message", …
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"), nullable=True, index=True)
    chat_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    # What happened, in plain values; the worker renders it in the recipient's language.
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Same key while pending = one message (marks for one child within the grace window).
    group_key: Mapped[str | None] = mapped_column(String(100), nullable=True, index=True)
    source_entity: Mapped[str | None] = mapped_column(String(32), nullable=True)
    source_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    state: Mapped[OutboxState] = mapped_column(String(16), default=OutboxState.PENDING, index=True)
    not_before: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # The worker sending it (`sending`) and until when that claim holds: the worker renews it while it
    # works, and another worker takes the row back only once it has run out (a worker killed mid-send).
    claimed_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    claimed_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # The Telegram message it became (replies and «Ознакомлен» buttons find their way back through it).
    sent_message_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
