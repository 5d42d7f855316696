"""What holds back a family's message to staff: MESSAGE_RATE_PER_HOUR, and the staff member's hours off
work (STAFF_QUIET_HOURS, or their own from /settings), after which it is delivered."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Account, AccountBinding, PersonKind, RelayedMessage
from models.writing import begin_writing
from services.actor import Actor
from services.errors import DomainError
from services.preferences import parse_quiet_hours, quiet_hours_end

HOUR = dt.timedelta(hours=1)


@dataclass(frozen=True)
class ConversationRules:
    """MESSAGE_RATE_PER_HOUR and STAFF_QUIET_HOURS (bot.config.conversation_rules builds them)."""

    rate_per_hour: int
    staff_quiet: tuple[dt.time | None, dt.time | None]
    timezone: ZoneInfo


def is_family(actor: Actor) -> bool:
    """Parents and pupils are held to the rate and to the staff's working hours; staff are not."""
    return actor.staff_id is None


async def ensure_within_rate(session: AsyncSession, actor: Actor, rules: ConversationRules, now: dt.datetime) -> None:
    """A parent or pupil has sent fewer than `rules.rate_per_hour` messages to staff in the last hour,
    else DomainError saying when the next may go. The count is read under the sender's write lock, so two
    messages at once (two processes) can't both be the last one allowed."""
    if not is_family(actor):
        return
    assert actor.account_id is not None
    await begin_writing(session, f"rate:{actor.account_id}")
    to_staff = select(AccountBinding.account_id).where(
        AccountBinding.person_kind == PersonKind.STAFF, AccountBinding.revoked_at.is_(None)
    )
    # A message to a staff member with two accounts is one message: its copies share conversation and time.
    sent = (
        select(RelayedMessage.conversation_id, RelayedMessage.created_at)
        .where(
            RelayedMessage.sender_account_id == actor.account_id,
            RelayedMessage.created_at > now - HOUR,
            RelayedMessage.recipient_account_id.in_(to_staff),
        )
        .distinct()
        .subquery()
    )
    count = await session.scalar(select(func.count()).select_from(sent)) or 0
    if count < rules.rate_per_hour:
        return
    oldest = await session.scalar(select(func.min(sent.c.created_at)))
    if oldest.tzinfo is None:  # SQLite hands an aggregate back as it stored it
        oldest = oldest.replace(tzinfo=dt.timezone.utc)
    again = (oldest + HOUR).astimezone(rules.timezone)
    raise DomainError("write-error-rate", limit=rules.rate_per_hour, time=again.strftime("%H:%M"))


def off_hours(account: Account, rules: ConversationRules) -> tuple[dt.time | None, dt.time | None]:
    """The staff member's own hours off work, else the school's."""
    if account.staff_quiet_hours is None:
        return rules.staff_quiet
    return parse_quiet_hours(account.staff_quiet_hours or "off")


def delivered_at(sender: Actor, recipient: Account, rules: ConversationRules, now: dt.datetime) -> dt.datetime | None:
    """When a family's message to a staff member off work goes out (UTC), or None: at once."""
    if not is_family(sender):
        return None
    start, end = off_hours(recipient, rules)
    return quiet_hours_end(now, start, end, rules.timezone)
