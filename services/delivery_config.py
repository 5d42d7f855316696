"""What the delivery worker (services.delivery) is told: its pace, batches, leases and retries, read
from the settings; and the console's pace, everything at once."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any, Protocol
from zoneinfo import ZoneInfo

TELEGRAM_MESSAGES_PER_SECOND = 30  # what Telegram allows a bot over all chats


def burst_for(rate_per_second: float) -> int:
    """Messages that may go at once on top of the rate: what the rate leaves of Telegram's limit, so
    that no second carries more than Telegram allows; at least one. Besides, the burst lets a send
    that started late (a busy event loop) be made up, so the rate is reached, not only approached."""
    return max(1, int(TELEGRAM_MESSAGES_PER_SECOND - rate_per_second))


class DeliverySettings(Protocol):
    """What the worker reads of the settings (bot.config.Settings has it)."""

    timezone: ZoneInfo
    default_language: str
    telegram_rate_per_second: float
    notify_grace_seconds: int
    absence_grace_seconds: int


@dataclass(frozen=True)
class DeliveryConfig:
    rate_per_second: float = 28.0
    global_burst: int = 2  # messages that may go at once before the rate applies (burst_for)
    per_second_cap: int = 28  # sends in any second, whatever the burst: the rate, rounded down
    per_chat_interval: float = 1.05  # seconds between two messages to one chat ("about one a second")
    per_chat_burst: int = 1
    notify_grace: dt.timedelta = dt.timedelta(seconds=300)
    absence_grace: dt.timedelta = dt.timedelta(seconds=60)
    poll_interval: float = 1.0  # how often the outbox is looked at when idle
    batch_size: int = 200  # rows claimed and not yet finished, at most
    per_chat_queue: int = 2  # units of one chat claimed ahead: spreads a batch over many chats
    lease: float = 60.0  # seconds a claim holds unless renewed; > 2 × (request_timeout + 5)
    max_in_flight: int = 32  # requests open at once
    max_attempts: int = 8  # tries for 5xx / network errors before `failed`
    backoff_base: float = 2.0  # seconds before the 2nd try; doubles each time, with jitter
    backoff_cap: float = 300.0
    retry_after_unit: float = 1.0  # seconds per unit of a 429's retry_after (tests shrink it)
    request_timeout: int = 20
    stop_timeout: float = 10.0  # on shutdown, how long lanes may finish what they are sending

    @classmethod
    def from_settings(cls, settings: DeliverySettings, **overrides: Any) -> DeliveryConfig:
        base = cls(
            rate_per_second=settings.telegram_rate_per_second,
            global_burst=burst_for(settings.telegram_rate_per_second),
            per_second_cap=max(1, int(settings.telegram_rate_per_second)),
            notify_grace=dt.timedelta(seconds=settings.notify_grace_seconds),
            absence_grace=dt.timedelta(seconds=settings.absence_grace_seconds),
        )
        return replace(base, **overrides)


def at_once(settings: DeliverySettings) -> DeliveryConfig:
    """The console's pace: every pending row at once, without waits between messages."""
    return DeliveryConfig.from_settings(
        settings, per_chat_interval=0.001, rate_per_second=1000, global_burst=1000, per_second_cap=100_000
    )
