"""Notification preferences (/settings): per kind instant, daily digest or off; digest time; quiet hours.

A preference row exists only where a choice differs from the defaults; `student_id` NULL means "all my
children", a row for one child overrides it. Times are the school's local times (settings.timezone).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Account, DeliveryMode, NotificationKind, NotificationPreference
from services.actor import Actor
from services.errors import AccessDenied, ValidationFailed

DEFAULT_MODES = {
    NotificationKind.MARKS: DeliveryMode.INSTANT,
    NotificationKind.ABSENCES: DeliveryMode.INSTANT,
    NotificationKind.HOMEWORK: DeliveryMode.OFF,
    NotificationKind.ANNOUNCEMENTS: DeliveryMode.INSTANT,
}
# What the «change» button steps through.
MODE_CYCLE = (DeliveryMode.INSTANT, DeliveryMode.DIGEST, DeliveryMode.OFF)
DEFAULT_QUIET = (dt.time(21, 0), dt.time(8, 0))


@dataclass(frozen=True)
class AccountSettings:
    """What /settings shows: modes per kind for one scope (a child, or None for all children)."""

    student_id: int | None
    modes: dict[NotificationKind, DeliveryMode]
    digest_time: dt.time
    quiet_start: dt.time | None
    quiet_end: dt.time | None
    language: str | None
    wants_notifications: bool
    staff_quiet_hours: str | None = None  # a staff member's own hours off work (None: the school's)


# What accounts chose, as stored: (account, child or None for all children, kind) → mode.
Choices = dict[tuple[int, int | None, str], str]


def chosen_mode(choices: Choices, account_id: int, student_id: int | None, kind: NotificationKind) -> DeliveryMode:
    """The child's own choice, else the choice for all children, else the default."""
    chosen = choices.get((account_id, student_id, kind.value)) or choices.get((account_id, None, kind.value))
    return DeliveryMode(chosen) if chosen else DEFAULT_MODES[kind]


async def choices_of(session: AsyncSession, account_ids: list[int]) -> Choices:
    """Every choice these accounts made (only where it differs from the defaults)."""
    if not account_ids:
        return {}
    rows = await session.execute(
        select(
            NotificationPreference.account_id,
            NotificationPreference.student_id,
            NotificationPreference.kind,
            NotificationPreference.mode,
        ).where(NotificationPreference.account_id.in_(account_ids))
    )
    return {(account_id, student_id, kind): mode for account_id, student_id, kind, mode in rows}


async def modes_for(
    session: AsyncSession, account_id: int, student_id: int | None
) -> dict[NotificationKind, DeliveryMode]:
    """The effective mode of every kind for one account about one child (or all children)."""
    choices = await choices_of(session, [account_id])
    return {kind: chosen_mode(choices, account_id, student_id, kind) for kind in DEFAULT_MODES}


async def load_settings(session: AsyncSession, actor: Actor, student_id: int | None = None) -> AccountSettings:
    account = await _own_account(session, actor)
    _check_scope(actor, student_id)
    return AccountSettings(
        student_id=student_id,
        modes=await modes_for(session, account.id, student_id),
        digest_time=account.digest_time,
        quiet_start=account.quiet_start,
        quiet_end=account.quiet_end,
        language=account.language,
        wants_notifications=account.wants_notifications,
        staff_quiet_hours=account.staff_quiet_hours,
    )


async def set_mode(
    session: AsyncSession, actor: Actor, kind: NotificationKind, mode: DeliveryMode, student_id: int | None = None
) -> None:
    """Set one kind's mode for all children (student_id None) or for one child."""
    account = await _own_account(session, actor)
    _check_scope(actor, student_id)
    await session.execute(
        delete(NotificationPreference).where(
            NotificationPreference.account_id == account.id,
            NotificationPreference.kind == kind.value,
            NotificationPreference.student_id.is_(None)
            if student_id is None
            else NotificationPreference.student_id == student_id,
        )
    )
    inherited = DEFAULT_MODES[kind] if student_id is None else (await modes_for(session, account.id, None))[kind]
    if mode != inherited or student_id is None and mode != DEFAULT_MODES[kind]:
        session.add(
            NotificationPreference(account_id=account.id, student_id=student_id, kind=kind.value, mode=mode.value)
        )
    await session.flush()


def next_mode(mode: DeliveryMode) -> DeliveryMode:
    return MODE_CYCLE[(MODE_CYCLE.index(mode) + 1) % len(MODE_CYCLE)]


async def set_digest_time(session: AsyncSession, actor: Actor, value: dt.time) -> None:
    account = await _own_account(session, actor)
    account.digest_time = value.replace(second=0, microsecond=0)
    await session.flush()


async def set_quiet_hours(session: AsyncSession, actor: Actor, start: dt.time | None, end: dt.time | None) -> None:
    """Both times, or neither (no quiet hours). They may cross midnight (21:00–08:00)."""
    if (start is None) != (end is None) or (start is not None and start == end):
        raise ValidationFailed("settings-error-quiet")
    account = await _own_account(session, actor)
    account.quiet_start, account.quiet_end = start, end
    await session.flush()


async def set_wants_notifications(session: AsyncSession, actor: Actor, wanted: bool) -> None:
    """Students hear nothing unless they switch notifications on."""
    account = await _own_account(session, actor)
    account.wants_notifications = wanted
    await session.flush()


async def set_staff_quiet_hours(session: AsyncSession, actor: Actor, text: str) -> None:
    """A staff member's own hours off work ('19:00-07:30', or 'off'), when families' messages wait."""
    if actor.staff_id is None:
        raise AccessDenied("error-access-denied")
    start, end = parse_quiet_hours(text, error="settings-error-work")
    if (start is not None) and start == end:
        raise ValidationFailed("settings-error-work")
    account = await _own_account(session, actor)
    account.staff_quiet_hours = f"{start:%H:%M}-{end:%H:%M}" if start and end else ""
    await session.flush()


def parse_time(text: str) -> dt.time:
    """'19:30', '7:05', '19.30' or '19' → a time; anything else is refused with a clear message."""
    cleaned = text.strip().replace(".", ":")
    hours, _, minutes = cleaned.partition(":")
    try:
        value = dt.time(int(hours), int(minutes or 0))
    except ValueError:
        raise ValidationFailed("settings-error-time", value=text.strip()) from None
    if not hours.isdigit() or (minutes and not minutes.isdigit()):
        raise ValidationFailed("settings-error-time", value=text.strip())
    return value


def parse_quiet_hours(text: str, error: str = "settings-error-quiet") -> tuple[dt.time | None, dt.time | None]:
    """'21:00-08:00' (also with – or —), or 'off' / 'нет' for none; else ValidationFailed(`error`), which
    says how to write them (quiet hours, or a staff member's hours off work)."""
    cleaned = text.strip().lower()
    if cleaned in ("off", "нет", "выкл", "0", "-"):
        return None, None
    for dash in ("–", "—"):
        cleaned = cleaned.replace(dash, "-")
    start, separator, end = cleaned.partition("-")
    if not separator:
        raise ValidationFailed(error)
    return parse_time(start), parse_time(end)


# --- time arithmetic the delivery worker uses -----------------------------------------------


def in_quiet_hours(local: dt.time, start: dt.time | None, end: dt.time | None) -> bool:
    if start is None or end is None or start == end:
        return False
    if start < end:
        return start <= local < end
    return local >= start or local < end  # across midnight


def quiet_hours_end(now: dt.datetime, start: dt.time | None, end: dt.time | None, tz: ZoneInfo) -> dt.datetime | None:
    """When the quiet hours `now` falls into end (UTC), or None when `now` is not in quiet hours."""
    local = now.astimezone(tz)
    if end is None or not in_quiet_hours(local.time(), start, end):
        return None
    day = local.date() if local.time() < end else local.date() + dt.timedelta(days=1)
    return dt.datetime.combine(day, end, tzinfo=tz).astimezone(dt.timezone.utc)


def next_digest_after(moment: dt.datetime, digest_time: dt.time, tz: ZoneInfo) -> dt.datetime:
    """The first digest time (local `digest_time`) strictly after `moment`, in UTC."""
    local = moment.astimezone(tz)
    candidate = dt.datetime.combine(local.date(), digest_time, tzinfo=tz)
    if candidate <= local:
        candidate = dt.datetime.combine(local.date() + dt.timedelta(days=1), digest_time, tzinfo=tz)
    return candidate.astimezone(dt.timezone.utc)


async def _own_account(session: AsyncSession, actor: Actor) -> Account:
    if actor.account_id is None:
        raise AccessDenied("error-access-denied")
    account = await session.get(Account, actor.account_id)
    if account is None:
        raise AccessDenied("error-access-denied")
    return account


def _check_scope(actor: Actor, student_id: int | None) -> None:
    """Per-child settings only for one's own children."""
    if student_id is not None and student_id not in actor.children_ids and student_id != actor.student_id:
        raise AccessDenied("error-not-your-child")
