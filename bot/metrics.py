"""What Prometheus reads at GET /metrics: this process's updates and Telegram's 429s, counted as they
happen, and the outbox and the job runs, read from the database (every process's) when scraped.

Each Metrics has its registry of its own: any number of dispatchers (tests, several in one process)
count apart, and nothing is global.
"""

from __future__ import annotations

from aiogram import Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.exceptions import TelegramRetryAfter
from aiogram.methods import TelegramMethod
from aiogram.methods.base import Response, TelegramType
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models import OutboxState
from scheduler.runs import run_counts
from services.outbox.status import outbox_summary

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.updates = Counter(
            "journal_updates", "Updates handled, by handler and outcome", ["handler", "outcome"], registry=self.registry
        )
        self.latency = Histogram(
            "journal_update_seconds",
            "Time to handle an update, by handler",
            ["handler"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.retry_after = Counter(
            "journal_telegram_429", "Bot API calls refused with 429 Too Many Requests", registry=self.registry
        )
        self.outbox = Gauge("journal_outbox_messages", "Outbox rows by state", ["state"], registry=self.registry)
        self.oldest_waiting = Gauge(
            "journal_outbox_oldest_pending_timestamp_seconds",
            "Since when the longest-waiting notice now due has been due (0: none waits)",
            registry=self.registry,
        )
        self.job_runs = Gauge(
            "journal_job_runs",
            "Scheduled job runs recorded, by job and outcome",
            ["job", "outcome"],
            registry=self.registry,
        )

    def update_handled(self, handler: str, outcome: str, seconds: float) -> None:
        """`outcome` as the update's log line has it; a refusal is counted without its reason's key."""
        self.updates.labels(handler, outcome.partition(":")[0]).inc()
        self.latency.labels(handler).observe(seconds)

    def request_middleware(self) -> CountRetryAfter:
        return CountRetryAfter(self)

    async def render(self, session_maker: async_sessionmaker[AsyncSession]) -> bytes:
        """The text format, the database's figures read now."""
        async with session_maker() as session:
            outbox = await outbox_summary(session)
            runs = await run_counts(session)
        for state, count in (
            (OutboxState.PENDING, outbox.pending),
            (OutboxState.SENDING, outbox.sending),
            (OutboxState.SENT, outbox.sent),
            (OutboxState.FAILED, outbox.failed),
        ):
            self.outbox.labels(state.value).set(count)
        self.oldest_waiting.set(outbox.oldest_due.timestamp() if outbox.oldest_due else 0)
        self.job_runs.clear()  # a run counted "running" at the last scrape is "ok" now: no stale label
        for (job, outcome), count in runs.items():
            self.job_runs.labels(job, outcome).set(count)
        return generate_latest(self.registry)


class CountRetryAfter(BaseRequestMiddleware):
    """On the Bot's session: counts the calls Telegram refused with 429, whoever made them."""

    def __init__(self, metrics: Metrics) -> None:
        self.metrics = metrics

    async def __call__(
        self, make_request: NextRequestMiddlewareType[TelegramType], bot: Bot, method: TelegramMethod[TelegramType]
    ) -> Response[TelegramType]:
        try:
            return await make_request(bot, method)
        except TelegramRetryAfter:
            self.metrics.retry_after.inc()
            raise
