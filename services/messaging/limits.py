"""What holds back a family's message to staff: MESSAGE_RATE_PER_HOUR, and the staff member's hours off
work (STAFF_QUIET_HOURS, or their own from /settings), after which it is delivered."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Account, AccountBinding, PersonKind, RelayedMessage
from models.writing import begin_writing
from services.actor import Actor
from services.errors import DomainError
from services.preferences import parse_quiet_hours, quiet_hours_end
from services.short_lived import Window, short_lived_of

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
    else DomainError saying when the next may go. Two messages at once (two processes) can't both be the
    last one allowed: in the database the count is read under the sender's write lock; with Redis
    (services.short_lived) the count and this message's place in it are one step there."""
    if not is_family(actor):
        return
    assert actor.account_id is not None
    window = Window("messages-to-staff", HOUR, rules.rate_per_hour)
    short_lived = short_lived_of(session)
    if short_lived is not None:
        again = await short_lived.take(window, str(actor.account_id), now)
    else:
        await begin_writing(session, f"rate:{actor.account_id}")
        again = window.frees_at(await _sent_to_staff(session, actor.account_id, now))
    if again is None:
        return
    time = again.astimezone(rules.timezone).strftime("%H:%M")
    raise DomainError("write-error-rate", limit=rules.rate_per_hour, time=time)


async def _sent_to_staff(session: AsyncSession, account_id: int, now: dt.datetime) -> list[dt.datetime]:
    """When the account's messages to staff of the last hour went, oldest first."""
    to_staff = select(AccountBinding.account_id).where(
        AccountBinding.person_kind == PersonKind.STAFF, AccountBinding.revoked_at.is_(None)
    )
    # A message to a staff member with two accounts is one message: its copies share conversation and time.
    sent = (
        select(RelayedMessage.conversation_id, RelayedMessage.created_at)
        .where(
            RelayedMessage.sender_account_id == account_id,
            RelayedMessage.created_at > now - HOUR,
            RelayedMessage.recipient_account_id.in_(to_staff),
        )
        .distinct()
        .subquery()
    )
    return list(await session.scalars(select(sent.c.created_at).order_by(sent.c.created_at)))


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
