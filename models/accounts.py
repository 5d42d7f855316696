"""Telegram accounts, what they are bound to, invitations and consent records."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import BigInteger, Boolean, Date, ForeignKey, Index, Integer, String, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, UTCDateTime, utcnow


class PersonKind(str, enum.Enum):
    STAFF = "staff"
    STUDENT = "student"
    PARENT = "parent"


class InviteRole(str, enum.Enum):
    """What an invitation is for; staff roles themselves live on the staff record."""

    ADMIN = "admin"
    TEACHER = "teacher"
    DEPUTY = "deputy"
    DIRECTOR = "director"
    PARENT = "parent"
    STUDENT = "student"

    @property
    def person_kind(self) -> PersonKind:
        if self is InviteRole.PARENT:
            return PersonKind.PARENT
        if self is InviteRole.STUDENT:
            return PersonKind.STUDENT
        return PersonKind.STAFF


class Account(Base):
    """A Telegram user who has talked to the bot."""

    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    telegram_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    chat_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    language: Mapped[str | None] = mapped_column(String(8), nullable=True)
    # False once Telegram says the user blocked the bot or the chat is gone.
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # A parent's last chosen child, so the next question needs no choice.
    selected_student_id: Mapped[int | None] = mapped_column(ForeignKey("students.id"), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Notification settings (/settings): daily digest time and quiet hours, school time zone.
    digest_time: Mapped[dt.time] = mapped_column(Time, default=dt.time(19, 0))
    quiet_start: Mapped[dt.time | None] = mapped_column(Time, nullable=True, default=dt.time(21, 0))
    quiet_end: Mapped[dt.time | None] = mapped_column(Time, nullable=True, default=dt.time(8, 0))
    # A staff member's hours off work, when families' messages wait for the morning: NULL the school's
    # STAFF_QUIET_HOURS, "" none, else "20:00-08:00" (services.messaging.limits).
    staff_quiet_hours: Mapped[str | None] = mapped_column(String(16), nullable=True)
    # Students hear nothing unless they ask for it (issue: notifications).
    wants_notifications: Mapped[bool] = mapped_column(Boolean, default=False)

    bindings: Mapped[list[AccountBinding]] = relationship(
        back_populates="account",
        lazy="selectin",
        primaryjoin="and_(Account.id == AccountBinding.account_id, AccountBinding.revoked_at.is_(None))",
        viewonly=True,
    )


class AccountBinding(Base):
    """An account speaks for a person. One account may speak for several (a teacher who is a parent)."""

    __tablename__ = "account_bindings"
    __table_args__ = (
        UniqueConstraint("account_id", "person_kind", "person_id"),
        # Who speaks for this person: every notice to a family asks it.
        Index("ix_account_bindings_person", "person_id", "person_kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    person_kind: Mapped[PersonKind] = mapped_column(String(16))
    person_id: Mapped[int] = mapped_column(Integer)
    invitation_id: Mapped[int | None] = mapped_column(ForeignKey("invitations.id"), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    revoked_by_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"), nullable=True)

    account: Mapped[Account] = relationship(back_populates="bindings", foreign_keys=[account_id])


class Invitation(Base):
    """A single-use personal invitation. Only the code's hash is stored."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[InviteRole] = mapped_column(String(16))
    person_kind: Mapped[PersonKind] = mapped_column(String(16))
    person_id: Mapped[int] = mapped_column(Integer, index=True)
    created_by_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    used_by_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"), nullable=True)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)


class SignInAttempt(Base):
    """Each /start with a code, kept to refuse an account guessing codes (5 failures an hour)."""

    __tablename__ = "sign_in_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    telegram_id: Mapped[int] = mapped_column(BigInteger, index=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    success: Mapped[bool] = mapped_column(Boolean)


class Consent(Base):
    """One statement on a personal-data consent (ПДн, regulation 3.2), as the signed paper says: a parent's
    (or, from 14, the pupil's own) consent to processing a pupil's data, given or withdrawn on a date.

    Statements are never changed or deleted: a withdrawal is a statement of its own, so the history stays.
    What stands is the latest statement of that person for that pupil (services.consent_rules).
    """

    __tablename__ = "consents"
    __table_args__ = (Index("ix_consents_student_person", "student_id", "person_kind", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("students.id"))  # whose data
    person_kind: Mapped[PersonKind] = mapped_column(String(16))  # who signed: PARENT, or STUDENT for their own
    person_id: Mapped[int] = mapped_column(Integer)
    given: Mapped[bool] = mapped_column(Boolean)  # False: withdrawn
    signed_on: Mapped[dt.date] = mapped_column(Date)
    document: Mapped[str] = mapped_column(String(200), default="")
    recorded_by_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), nullable=True)
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
