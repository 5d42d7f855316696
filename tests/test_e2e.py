"""End to end: the real program as a subprocess, talking HTTP to a fake Bot API on 127.0.0.1.

The school is imported from a workbook with `python -m bot import`, the teacher is invited with
`python -m bot invite`, and `python -m bot` polls the fake API while a "user" signs in and asks
who they are. Once on SQLite, and once on PostgreSQL when TEST_DATABASE_URL is set.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import ClientDecodeError, TelegramForbiddenError, TelegramNotFound, TelegramRetryAfter
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.config import Settings
from models.db import create_engine
from services.demo_school import demo_school_sheets
from services.school_import import write_workbook
from tests.conftest import POSTGRES_SKIP_REASON, postgres_url, reset_postgres
from tests.fake_bot_api import ApiCall, FakeBotApi, ScriptedReply
from tests.program import program_args, program_env, run_program_async

TEACHER_ID = "t1"
TEACHER_TELEGRAM_ID = 777_001
STOP_TIMEOUT = 15  # seconds the bot may take to exit after SIGTERM (1–4 s on a busy machine)
FIRST_ANSWER_TIMEOUT = 60  # includes the bot's own start-up, slow on a busy machine
# The bot catches up missed scheduled jobs right after start-up; under load a later answer can wait behind them.
ANSWER_TIMEOUT = 30


def school_today() -> dt.date:
    return dt.datetime.now(Settings(_env_file=None).timezone).date()


def staff_name(sheets: dict, external_id: str) -> str:
    return next(str(row["full_name"]) for row in sheets["staff"] if row["id"] == external_id)


@pytest.fixture(params=["sqlite", "postgres"])
async def journal_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'journal.db'}"
    url = postgres_url()
    if url is None:
        pytest.skip(POSTGRES_SKIP_REASON)
    engine = create_engine(url)
    try:
        await reset_postgres(engine)
    finally:
        await engine.dispose()
    return url


@pytest.fixture
async def telegram() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi() as api:
        yield api


@asynccontextmanager
async def running_bot(env: dict[str, str], folder: Path) -> AsyncIterator[Path]:
    """`python -m bot` polling until the block ends; then SIGTERM, and it must exit cleanly."""
    log_path = folder / "bot.log"
    with log_path.open("wb") as log:
        process = await asyncio.create_subprocess_exec(
            *program_args(), cwd=folder, env=env, stdin=asyncio.subprocess.DEVNULL, stdout=log, stderr=log
        )
        try:
            yield log_path
        finally:
            if process.returncode is None:
                process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(process.wait(), STOP_TIMEOUT)
            except TimeoutError:
                process.kill()
                await process.wait()
                pytest.fail(f"the bot did not stop within {STOP_TIMEOUT}s of SIGTERM:\n{log_path.read_text()}")
    output = log_path.read_text(encoding="utf-8")
    assert process.returncode == 0, output
    assert "Traceback" not in output, output


async def test_a_teacher_signs_in_by_invitation_and_asks_who_they_are(
    telegram: FakeBotApi, journal_url: str, tmp_path: Path
) -> None:
    env = program_env(BOT_TOKEN=telegram.token, TELEGRAM_API_URL=telegram.url, DATABASE_URL=journal_url)
    sheets = demo_school_sheets(school_today())
    teacher_name = staff_name(sheets, TEACHER_ID)

    workbook = tmp_path / "school.xlsx"
    write_workbook(workbook, sheets)
    imported = await run_program_async("import", str(workbook), cwd=tmp_path, env=env)
    assert imported.returncode == 0, imported.stdout + imported.stderr

    async with running_bot(env, tmp_path):
        # Invited while the bot starts up: the two only meet in the database, and this halves the wait.
        invited = await run_program_async("invite", "teacher", TEACHER_ID, "--json", cwd=tmp_path, env=env)
        assert invited.returncode == 0, invited.stderr
        invitation = json.loads(invited.stdout)
        assert invitation["link"] == f"https://t.me/{telegram.username}?start={invitation['code']}"

        telegram.push_text(TEACHER_TELEGRAM_ID, f"/start {invitation['code']}", first_name="Мария")
        greeting = await telegram.wait_for_message(TEACHER_TELEGRAM_ID, timeout=FIRST_ANSWER_TIMEOUT)
        assert teacher_name in greeting.text

        telegram.push_text(TEACHER_TELEGRAM_ID, "/whoami", first_name="Мария")
        whoami = await telegram.wait_for_message(TEACHER_TELEGRAM_ID, timeout=ANSWER_TIMEOUT)
        assert teacher_name in whoami.text
        assert "5А" in whoami.text  # t1 is the class teacher of 5А

    # The fake refuses setMyCommands, as a minimal Bot API server would; the bot went on regardless.
    assert [call.status for call in telegram.calls_to("setMyCommands")] == [404]


# --- the fake itself ------------------------------------------------------------------------------


@asynccontextmanager
async def client(api: FakeBotApi) -> AsyncIterator[Bot]:
    bot = Bot(api.token, session=AiohttpSession(api=TelegramAPIServer.from_base(api.url)))
    try:
        yield bot
    finally:
        await bot.session.close()


async def test_the_fake_refuses_unknown_methods_and_plays_scripted_answers_first(telegram: FakeBotApi) -> None:
    buttons = InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text="5", callback_data="5")]])
    telegram.script("sendMessage", ScriptedReply.error(429, "Too Many Requests: retry after 3", retry_after=3))
    async with client(telegram) as bot:
        assert (await bot.get_me()).username == telegram.username
        with pytest.raises(TelegramNotFound):
            await bot.get_chat(1)
        with pytest.raises(TelegramRetryAfter):
            await bot.send_message(5, "first")
        sent = await bot.send_message(5, "123", reply_markup=buttons)
        await bot.edit_message_text("<b>edited</b>", chat_id=5, message_id=sent.message_id)
    first = await telegram.wait_for_message(5)
    assert (first.text, first.button_labels()) == ("123", ["5"])  # "123" stays text, not a number
    edited = await telegram.wait_for_message(5)
    assert (edited.method, edited.text, edited.reply_markup) == ("editMessageText", "<b>edited</b>", None)


async def test_the_fake_hands_out_updates_until_they_are_confirmed(telegram: FakeBotApi) -> None:
    async with client(telegram) as bot:
        sent = await bot.send_message(
            5,
            "Выберите:",
            reply_markup=InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text="Да", callback_data="yes")]]),
        )
        telegram.push_text(5, "/help")
        telegram.push_button_press(5, await telegram.wait_for_message(5), "yes")
        text, press = await bot.get_updates(offset=0, timeout=1)
        assert (text.message.text, press.callback_query.data) == ("/help", "yes")
        assert press.callback_query.message.message_id == sent.message_id
        assert [u.update_id for u in await bot.get_updates(offset=press.update_id, timeout=1)] == [press.update_id]
        assert await bot.get_updates(offset=press.update_id + 1, timeout=0) == []


async def test_a_rule_answers_per_chat_even_with_a_proxy_page(telegram: FakeBotApi) -> None:
    async def one_blocked_chat_and_a_broken_proxy(api: FakeBotApi, call: ApiCall) -> ScriptedReply | None:
        if call.chat_id == 13:
            return ScriptedReply.error(403, "Forbidden: bot was blocked by the user")
        if call.chat_id == 502:
            return ScriptedReply(502, "<html><body>502 Bad Gateway</body></html>")
        return None

    telegram.rule = one_blocked_chat_and_a_broken_proxy
    async with client(telegram) as bot:
        with pytest.raises(TelegramForbiddenError):
            await bot.send_message(13, "blocked")
        with pytest.raises(ClientDecodeError):  # what aiogram makes of an HTML page
            await bot.send_message(502, "lost")
        await bot.send_message(14, "delivered")
    sends = [(call.chat_id, call.status) for call in telegram.calls_to("sendMessage")]
    assert sends == [(13, 403), (502, 502), (14, 200)]
    assert [message.chat_id for message in telegram.messages] == [14]
