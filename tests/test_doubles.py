"""The test doubles themselves: the offline session's scripted answers."""
from __future__ import annotations

import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramForbiddenError, TelegramRetryAfter
from aiogram.methods import GetMe, SendMessage
from aiogram.types import User

from bot.offline_session import OfflineSession
from models import OutboxState
from tests.delivery_helpers import account, deliver, fill_chats, outbox_rows


async def test_scripted_answers_come_first_in_order_and_raise_as_telegram_s_would() -> None:
    session = OfflineSession()
    bot = Bot("42:TEST", session=session)
    session.add_result_for(SendMessage, ok=False, error_code=403, description="Forbidden: bot was blocked by the user")
    session.add_result_for(SendMessage, ok=False, error_code=429, description="Too Many Requests: retry after 3",
                           retry_after=3)
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
        "Forbidden: bot was blocked by the user", "Too Many Requests: retry after 3"]


async def test_a_blocked_chat_scripted_offline_stops_its_notices(harness, session_maker, settings) -> None:
    """The worker meets a 403 without any HTTP: the account goes inactive and its rows fail."""
    await fill_chats(session_maker, chats=1, per_chat=1)
    harness.session.add_result_for(SendMessage, ok=False, error_code=403,
                                   description="Forbidden: bot was blocked by the user")
    await deliver(harness.bot, session_maker, settings)
    [row] = await outbox_rows(session_maker)
    assert (row.state, row.last_error) == (OutboxState.FAILED, "blocked: Forbidden: bot was blocked by the user")
    assert (await account(session_maker, 800)).active is False
    assert harness.sent_to(800) == []
