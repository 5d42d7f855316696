"""Webhook mode in one process: the real dispatcher behind aiogram's webhook handler on a real port, fed
by the fake Bot API as Telegram would post. Only requests with the secret are handled; /healthz and
/metrics answer, and /metrics counts the updates handled. While polling, METRICS_LISTEN serves the same."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass

import aiohttp
import pytest
from aiogram.exceptions import TelegramRetryAfter
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.factory import create_bot, create_dispatcher
from bot.health import serving, status_server
from bot.i18n import get_translator
from bot.webhook import set_webhook, webhook_app
from models import OutboxMessage, OutboxState, utcnow
from tests.conftest import REDIS_SKIP_REASON, make_settings, redis_url
from tests.fake_bot_api import FakeBotApi, ScriptedReply

SECRET = "right-Secret_1"
PATH = "/tg/hook"
VISITOR = 555_001


@dataclass
class StatusPages:
    base: str  # http://127.0.0.1:port of the process

    async def get(self, path: str) -> tuple[int, str]:
        async with aiohttp.ClientSession() as session, session.get(self.base + path) as response:
            return response.status, await response.text()

    async def updates_counted(self) -> dict[tuple[str, str], float]:
        status, body = await self.get("/metrics")
        assert status == 200
        return {
            (sample.labels["handler"], sample.labels["outcome"]): sample.value
            for family in text_string_to_metric_families(body)
            if family.name == "journal_updates"
            for sample in family.samples
            if sample.name == "journal_updates_total"
        }


@dataclass
class WebhookProcess(StatusPages):
    telegram: FakeBotApi

    @property
    def hook(self) -> str:
        return self.base + PATH


async def serve(database_url: str, session_maker: async_sessionmaker[AsyncSession], **settings: object):
    telegram = await FakeBotApi().start()
    config = make_settings(
        database_url,
        bot_token=telegram.token,
        telegram_api_url=telegram.url,
        webhook_url=f"https://journal.school.example{PATH}",
        webhook_secret=SECRET,
        **settings,
    )
    bot = create_bot(config)
    dispatcher = create_dispatcher(config, session_maker)
    return telegram, bot, dispatcher, webhook_app(dispatcher, bot, config, session_maker)


@pytest.fixture
async def process(database_url: str, session_maker: async_sessionmaker[AsyncSession]) -> AsyncIterator[WebhookProcess]:
    telegram, bot, dispatcher, app = await serve(database_url, session_maker)
    try:
        async with serving(app, "127.0.0.1:0") as base:
            yield WebhookProcess(base, telegram)
    finally:
        await bot.session.close()
        await telegram.stop()


async def test_without_the_secret_or_with_a_wrong_one_401_and_nothing_is_handled(process: WebhookProcess) -> None:
    assert await process.telegram.post_text(process.hook, VISITOR, "/start", secret="") == 401
    assert await process.telegram.post_text(process.hook, VISITOR, "/start", secret="wrong-secret") == 401

    assert await process.telegram.post_text(process.hook, VISITOR, "/help", secret=SECRET) == 200
    await process.telegram.wait_for_message(VISITOR)

    # Only the request with the secret was handled: one answer, one update counted.
    assert len(process.telegram.calls_to("sendMessage")) == 1
    assert await process.updates_counted() == {("cmd_help", "ok"): 1.0}


async def test_an_update_with_the_secret_is_answered_and_counted(process: WebhookProcess) -> None:
    welcome = get_translator("ru")("start-welcome")

    for _ in range(2):
        assert await process.telegram.post_text(process.hook, VISITOR, "/start", secret=SECRET) == 200
        answer = await process.telegram.wait_for_message(VISITOR)
        assert answer.text == welcome

    assert await process.updates_counted() == {("cmd_start", "ok"): 2.0}
    _, body = await process.get("/metrics")
    assert 'journal_update_seconds_count{handler="cmd_start"} 2.0' in body
    assert 'journal_outbox_messages{state="pending"} 0.0' in body
    assert "journal_telegram_429_total 0.0" in body


async def test_healthz_tells_the_database_the_scheduler_and_the_outbox(process: WebhookProcess) -> None:
    status, body = await process.get("/healthz")
    assert status == 200
    report = json.loads(body)
    assert report == {
        "ok": True,
        "database": "ok",
        "redis": "not configured",
        "scheduler": "leader",
        "outbox_backlog": 0,
        "oldest_waiting_seconds": None,
    }


async def test_rows_held_on_purpose_are_no_backlog_and_a_due_one_waits_from_its_time(
    process: WebhookProcess, session_maker: async_sessionmaker[AsyncSession]
) -> None:
    now = utcnow()
    async with session_maker() as session:
        # Queued last evening, held until the morning (a teacher's working hours, quiet hours, a digest).
        session.add(held_row(created_at=now - dt.timedelta(hours=10), not_before=now + dt.timedelta(hours=2)))
        await session.commit()
    report = json.loads((await process.get("/healthz"))[1])
    assert (report["outbox_backlog"], report["oldest_waiting_seconds"]) == (1, None)
    assert "journal_outbox_oldest_pending_timestamp_seconds 0.0" in (await process.get("/metrics"))[1]

    due_since = now - dt.timedelta(minutes=5)
    async with session_maker() as session:
        session.add(held_row(created_at=now - dt.timedelta(hours=10), not_before=due_since))
        await session.commit()
    report = json.loads((await process.get("/healthz"))[1])
    assert report["outbox_backlog"] == 2
    assert 300 <= report["oldest_waiting_seconds"] < 360  # five minutes, not ten hours
    _, body = await process.get("/metrics")
    [gauge] = [
        sample.value
        for family in text_string_to_metric_families(body)
        for sample in family.samples
        if sample.name == "journal_outbox_oldest_pending_timestamp_seconds"
    ]
    assert gauge == pytest.approx(due_since.timestamp(), abs=1)


def held_row(created_at: dt.datetime, not_before: dt.datetime) -> OutboxMessage:
    return OutboxMessage(
        kind="message",
        chat_id=VISITOR,
        payload={},
        state=OutboxState.PENDING,
        created_at=created_at,
        not_before=not_before,
    )


async def test_healthz_with_redis_says_it_answers(
    database_url: str, session_maker: async_sessionmaker[AsyncSession]
) -> None:
    url = redis_url()
    if url is None:
        pytest.skip(REDIS_SKIP_REASON)
    telegram, bot, dispatcher, app = await serve(database_url, session_maker, redis_url=url)
    try:
        async with serving(app, "127.0.0.1:0") as base:
            status, body = await StatusPages(base).get("/healthz")
    finally:
        await dispatcher.storage.close()
        await bot.session.close()
        await telegram.stop()
    assert status == 200
    assert '"redis": "ok"' in body


async def test_while_polling_metrics_listen_serves_the_same_counts(harness) -> None:
    async with status_server("127.0.0.1:0", harness.dispatcher, harness.dispatcher["session_maker"]) as base:
        await harness.user(VISITOR).sends("/help")
        counted = await StatusPages(base).updates_counted()
        status, _ = await StatusPages(base).get("/healthz")
    assert counted == {("cmd_help", "ok"): 1.0}
    assert status == 200


async def test_without_metrics_listen_nothing_is_served(harness) -> None:
    async with status_server(None, harness.dispatcher, harness.dispatcher["session_maker"]) as base:
        assert base is None


async def test_the_webhook_is_set_with_its_secret_and_tried_again_while_telegram_refuses(
    database_url: str, session_maker: async_sessionmaker[AsyncSession]
) -> None:
    telegram, bot, dispatcher, _ = await serve(database_url, session_maker)
    telegram.script("setWebhook", ScriptedReply.error(502, "Bad Gateway"))
    try:
        await asyncio.wait_for(set_webhook(bot, dispatcher, dispatcher["settings"]), 10)
    finally:
        await bot.session.close()
        await telegram.stop()
    assert [call.status for call in telegram.calls_to("setWebhook")] == [502, 200]
    assert telegram.webhook is not None
    assert (telegram.webhook["url"], telegram.webhook["secret_token"]) == (
        f"https://journal.school.example{PATH}",
        SECRET,
    )
    assert "message" in telegram.webhook["allowed_updates"]


async def test_telegrams_429s_are_counted(database_url: str, session_maker: async_sessionmaker[AsyncSession]) -> None:
    telegram, bot, dispatcher, app = await serve(database_url, session_maker)
    bot.session.middleware(dispatcher["metrics"].request_middleware())  # as the runners do
    telegram.script("sendMessage", ScriptedReply.error(429, "Too Many Requests: retry after 1", retry_after=1))
    try:
        async with serving(app, "127.0.0.1:0") as base:
            with pytest.raises(TelegramRetryAfter):
                await bot.send_message(VISITOR, "first")
            await bot.send_message(VISITOR, "second")
            _, body = await StatusPages(base).get("/metrics")
    finally:
        await bot.session.close()
        await telegram.stop()
    assert "journal_telegram_429_total 1.0" in body
