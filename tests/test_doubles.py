"""The test doubles themselves: the offline session's scripted answers, and the chat client that the
console and the chat tests share (what a chat receives, which buttons it shows)."""

from __future__ import annotations

import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramForbiddenError, TelegramRetryAfter
from aiogram.methods import GetMe, SendMessage
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, User

from bot.offline_session import OfflineSession
from models import OutboxState
from tests.delivery_helpers import account, deliver, fill_chats, outbox_rows

BUTTONS = InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text="Да", callback_data="yes")]])


async def test_scripted_answers_come_first_in_order_and_raise_as_telegram_s_would() -> None:
    session = OfflineSession()
    bot = Bot("42:TEST", session=session)
    session.add_result_for(SendMessage, ok=False, error_code=403, description="Forbidden: bot was blocked by the user")
    session.add_result_for(
        SendMessage, ok=False, error_code=429, description="Too Many Requests: retry after 3", retry_after=3
    )
    session.add_result_for(GetMe, result=User(id=42, is_bot=True, first_name="Другой бот"))

    with pytest.raises(TelegramForbiddenError):
        await bot.send_message(5, "first")
    with pytest.raises(TelegramRetryAfter) as refused:
        await bot.send_message(5, "second")
    assert refused.value.retry_after == 3
    assert (await bot.send_message(5, "third")).text == "third"  # the script is used up: made up again
    assert (await bot.get_me()).first_name == "Другой бот"

    assert [request.text for request in session.requests if isinstance(request.method, SendMessage)] == ["third"]
    assert [problem for _, problem in session.refused] == [
        "Forbidden: bot was blocked by the user",
        "Too Many Requests: retry after 3",
    ]


async def test_a_blocked_chat_scripted_offline_stops_its_notices(harness, session_maker, settings) -> None:
    """The worker meets a 403 without any HTTP: the account goes inactive and its rows fail."""
    await fill_chats(session_maker, chats=1, per_chat=1)
    harness.session.add_result_for(
        SendMessage, ok=False, error_code=403, description="Forbidden: bot was blocked by the user"
    )
    await deliver(harness.bot, session_maker, settings)
    [row] = await outbox_rows(session_maker)
    assert (row.state, row.last_error) == (OutboxState.FAILED, "blocked: Forbidden: bot was blocked by the user")
    assert (await account(session_maker, 800)).active is False
    assert harness.sent_to(800) == []


async def test_a_user_receives_what_the_worker_delivered_once(harness, session_maker, settings) -> None:
    [text] = await fill_chats(session_maker, chats=1, per_chat=1)
    parent = harness.user(800)
    assert parent.receives() == []
    await deliver(harness.bot, session_maker, settings)
    assert parent.receives() == [text]
    assert parent.receives() == []  # read like a chat: each message once


async def test_the_client_knows_each_chat_s_buttons_until_an_edit_takes_them_away(harness) -> None:
    seen = []
    harness.watchers.append(lambda method, result: seen.append((type(method).__name__, result.message_id)))

    sent = await harness.bot.send_message(7, "Выберите:", reply_markup=BUTTONS)
    await harness.bot.send_message(7, "Между делом")  # a message without buttons leaves them shown
    assert harness.keyboard_in(7).message_id == sent.message_id
    await harness.bot.edit_message_text("Выбрано", chat_id=7, message_id=sent.message_id)
    assert harness.keyboard_in(7) is None

    assert seen == [
        ("SendMessage", sent.message_id),
        ("SendMessage", sent.message_id + 1),
        ("EditMessageText", sent.message_id),
    ]
