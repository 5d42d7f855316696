"""Notification preferences and the school–home conversations the bot relays (school records)."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, utcnow


class NotificationKind(str, enum.Enum):
    MARKS = "marks"
    ABSENCES = "absences"
    HOMEWORK = "homework"
    ANNOUNCEMENTS = "announcements"


class DeliveryMode(str, enum.Enum):
    INSTANT = "instant"
    DIGEST = "digest"
    OFF = "off"


class NotificationPreference(Base):
    """A choice that differs from the defaults; student_id NULL means "all my children"."""

    __tablename__ = "notification_preferences"
    __table_args__ = (UniqueConstraint("account_id", "student_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    student_id: Mapped[int | None] = mapped_column(ForeignKey("students.id"), nullable=True)
    kind: Mapped[NotificationKind] = mapped_column(String(16))
    mode: Mapped[DeliveryMode] = mapped_column(String(16))


class ConversationKind(str, enum.Enum):
    """Who talks in a thread: staff and a pupil's parents (about the pupil), staff and a pupil, a teacher
    and the parents of a whole class, or two staff members."""

    FAMILY = "family"
    PUPIL = "pupil"
    CLASS = "class"
    STAFF = "staff"


class Conversation(Base):
    """A thread started with /write: about one student (family, pupil), one class (class) or none (staff)."""

    __tablename__ = "conversations"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_by_account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    kind: Mapped[ConversationKind] = mapped_column(String(16), default=ConversationKind.FAMILY)
    student_id: Mapped[int | None] = mapped_column(ForeignKey("students.id"), nullable=True)
    class_id: Mapped[int | None] = mapped_column(ForeignKey("classes.id"), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class RelayedMessage(Base):
    """One message passed through the bot. Neither side learns the other's Telegram identity."""

    __tablename__ = "relayed_messages"
    # How many messages a sender wrote within the last hour (services.messaging.limits).
    __table_args__ = (Index("ix_relayed_messages_sender", "sender_account_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id"), index=True)
    sender_account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    recipient_account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    content_type: Mapped[str] = mapped_column(String(16))  # text, photo, document
    text: Mapped[str] = mapped_column(Text, default="")
    file_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    outbox_id: Mapped[int | None] = mapped_column(ForeignKey("outbox.id"), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class ConversationMute(Base):
    """A recipient who doesn't want a sender's messages until `until` (the button under a message)."""

    __tablename__ = "conversation_mutes"
    __table_args__ = (UniqueConstraint("account_id", "muted_account_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    muted_account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    until: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class Broadcast(Base):
    """An announcement to a class's families, the staff or the whole school."""

    __tablename__ = "broadcasts"

    id: Mapped[int] = mapped_column(primary_key=True)
    sender_account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    # class_parents, class_students, class_all, parallel_parents, staff, school
    audience: Mapped[str] = mapped_column(String(32))
    class_id: Mapped[int | None] = mapped_column(ForeignKey("classes.id"), nullable=True)
    grade: Mapped[int | None] = mapped_column(Integer, nullable=True)  # parallel_parents: the parallel
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class BroadcastReceipt(Base):
    """One copy of a broadcast: delivered through the outbox, acknowledged with «Ознакомлен»."""

    __tablename__ = "broadcast_receipts"
    __table_args__ = (UniqueConstraint("broadcast_id", "account_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    broadcast_id: Mapped[int] = mapped_column(ForeignKey("broadcasts.id"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    outbox_id: Mapped[int | None] = mapped_column(ForeignKey("outbox.id"), nullable=True)
    read_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)


class ExplanationProposal(Base):
    """A parent's answer to an absence notice; the class teacher confirms it (it never changes the record itself)."""

    __tablename__ = "explanation_proposals"

    id: Mapped[int] = mapped_column(primary_key=True)
    attendance_id: Mapped[int] = mapped_column(ForeignKey("attendance.id"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    proposal: Mapped[str] = mapped_column(String(16))  # ill, excused, unknown
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)


class ChatMessageLink(Base):
    """Which outbox row became which Telegram message, so a reply can find its way back."""

    __tablename__ = "chat_message_links"
    __table_args__ = (UniqueConstraint("chat_id", "message_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    message_id: Mapped[int] = mapped_column(Integer)
    outbox_id: Mapped[int] = mapped_column(ForeignKey("outbox.id"))
