"""Refusals are answered whatever was typed: quotes are cut to ~100 characters, and the error handler
itself cannot fail — a refusal it cannot render or send becomes the apology, and an apology it cannot
send becomes a fixed plain text.

Through the real dispatcher and a Bot API session that refuses what Telegram refuses.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from aiogram import Router
from aiogram.exceptions import TelegramNetworkError
from aiogram.filters import Command
from sqlalchemy import func, select

from bot.chat_client import ChatClient
from bot.middlewares import LAST_RESORT
from bot.text import visible_length, visible_text
from handlers.teacher.views import Act, LessonAction
from models import AuditEntry, Mark
from services.demo_school import SUBJECTS
from services.errors import ValidationFailed
from tests.people import signed_in
from tests.telegram_rules import strict_harness

MSK = ZoneInfo("Europe/Moscow")
NOW = dt.datetime(2026, 11, 26, 10, 0, tzinfo=MSK)
APOLOGY = "Что-то пошло не так. Мы уже разбираемся; попробуйте ещё раз чуть позже."
KNOWN_SUBJECTS = ", ".join(sorted(SUBJECTS))


@pytest.fixture
def harness(settings, session_maker) -> ChatClient:
    return strict_harness(settings, session_maker)


@pytest.fixture
async def teacher(harness, session_maker, school):
    with time_machine.travel(NOW, tick=False):
        yield await signed_in(harness, session_maker, "t1", 1001)


async def saved_marks(session_maker) -> int:
    async with session_maker() as session:
        return await session.scalar(select(func.count()).select_from(Mark))


# --- quotes of what was typed ------------------------------------------------------------------------


async def test_a_refusal_quoting_ten_thousand_characters_is_answered_shortened(harness, teacher) -> None:
    [answer] = await teacher.sends("/mark 5А " + "ж" * 10_000 + " 1:5")
    assert answer == f"Предмета «{'ж' * 99}…» нет. Предметы школы: {KNOWN_SUBJECTS}."
    assert harness.session.refused == []


async def test_a_long_quote_full_of_html_is_cut_before_it_is_escaped(harness, teacher) -> None:
    [answer] = await teacher.sends("/mark " + "<&>" * 3_400 + " матем 1:5")
    assert answer == "Класса «" + "&lt;&amp;&gt;" * 33 + "…» в школе нет."
    assert visible_text(answer) == "Класса «" + "<&>" * 33 + "…» в школе нет."


async def test_a_quote_is_cut_at_a_words_end(harness, teacher) -> None:
    typed = " ".join(["слово"] * 40)
    [answer] = await teacher.sends(f"/mark 5А {typed} 1:5")
    quote = visible_text(answer).split("«")[1].split("»")[0]
    assert quote == " ".join(["слово"] * 16) + "…"  # 95 characters and «…»: no word cut in two


async def test_a_refused_button_gets_a_short_plain_alert(harness, teacher, session_maker) -> None:
    forged = LessonAction(
        act=Act.SET, class_id=1, subject_id=1, day=NOW.date().toordinal(), lesson_no=1, student_id=1, value="9" * 20
    )
    [alert] = await teacher.presses(forged.pack())
    assert alert.startswith("«9999")  # a bad mark, in plain text: an alert shows no HTML
    assert len(alert) <= 200 and "&" not in alert
    assert harness.session.refused == []


# --- a number too large for a mark ----------------------------------------------------------------------


async def test_a_huge_number_in_mark_is_a_bad_mark(harness, teacher, session_maker) -> None:
    digits = "9" * 5_000  # Python refuses to read more than 4,300 digits
    [answer] = await teacher.sends(f"/mark 5А матем 2:4 1:{digits}")
    assert visible_length(answer) < 300
    assert answer == f"«1:{'9' * 97}…»: отметки {'9' * 99}… не бывает — ставятся отметки от 2 до 5."
    [answer] = await teacher.sends(f"/mark 5А матем {digits}:5")
    assert answer.startswith("Не понял «999") and visible_length(answer) < 300
    assert await saved_marks(session_maker) == 0


async def test_a_huge_number_in_a_typed_line_is_a_bad_mark(harness, teacher, session_maker) -> None:
    await teacher.sends("/today")
    await teacher.clicks("5А")
    [answer] = await teacher.sends("1 " + "0" * 4_990 + "5" * 20)
    assert answer.startswith("«1:000") and "не бывает — ставятся отметки от 2 до 5." in answer
    answer, _card = await teacher.sends("1 " + "0" * 4_999 + "5")  # leading zeros: still a 5
    assert answer == "Записано: 1. Алексеев Артём — 5"
    assert await saved_marks(session_maker) == 1


# --- the error handler cannot fail -------------------------------------------------------------------------


def _add_route(harness: ChatClient, handler) -> None:
    router = Router(name="test-route")
    router.message(Command("probe"))(handler)
    router.callback_query()(handler)
    harness.dispatcher.sub_routers.insert(0, router)
    router._parent_router = harness.dispatcher


async def test_a_refusal_that_cannot_be_rendered_becomes_the_apology(harness, school, caplog) -> None:
    async def refuse(event) -> None:
        raise ValidationFailed("entry-bad-mark", item="1:9")  # its message wants $mark and $lowest too

    _add_route(harness, refuse)
    assert await harness.user(5010).sends("/probe") == [APOLOGY]


async def test_an_apology_that_cannot_be_sent_becomes_the_fixed_plain_text(harness, school) -> None:
    async def crash(event) -> None:
        raise RuntimeError("boom")

    _add_route(harness, crash)
    sent_html = harness.session.make_request

    async def no_html(bot, method, timeout=None):
        if getattr(method, "parse_mode", None) is not None:
            raise TelegramNetworkError(method=method, message="HTML is broken today")
        return await sent_html(bot, method, timeout)

    harness.session.make_request = no_html
    assert await harness.user(5011).sends("/probe") == [LAST_RESORT]
    assert len(LAST_RESORT) < 100


async def test_nothing_can_be_sent_and_the_dispatcher_still_goes_on(harness, school) -> None:
    async def crash(event) -> None:
        raise RuntimeError("boom")

    _add_route(harness, crash)

    async def offline(bot, method, timeout=None):
        raise TelegramNetworkError(method=method, message="no network")

    harness.session.make_request = offline
    assert await harness.user(5012).sends("/probe") == []  # nothing raised out of feed_update


async def test_the_journal_is_untouched_by_a_refused_line(harness, teacher, session_maker) -> None:
    await teacher.sends("/mark 5А матем 1:5 2:" + "<" * 5_000)
    async with session_maker() as session:
        assert await session.scalar(select(func.count()).select_from(AuditEntry)) == 0
    assert await saved_marks(session_maker) == 0
