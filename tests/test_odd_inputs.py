"""Odd input through the real dispatcher: every message and every button press gets an answer.

Each command of the bot, with arguments a person might paste or a stranger might try — empty, 4,000
characters, all «&<>», numbers of thousands of digits, emoji, right-to-left marks, Fluent and format
syntax, impossible dates — sent by a teacher who is also a class teacher, the administrator, the
deputy, a parent, a student and someone without an account, in turn; and forged button data. What is
checked: an answer came (a message to that chat, or an answer to the button), Telegram would have taken
it (tests/telegram_rules.py), and no typed message got the apology for a crash. (A forged button with
a number larger than the database holds still gets the apology: no person can press it.)

Each argument goes with every third command (in rotation), so each command sees a third of them; the
whole product takes three times as long and finds nothing more today.
"""

from __future__ import annotations

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

import pytest
import time_machine
from aiogram.methods import AnswerCallbackQuery, EditMessageText, SendMessage

from bot.chat_client import ChatClient, ChatUser
from bot.text import shorten
from tests.people import signed_in
from tests.telegram_rules import strict_harness

MSK = ZoneInfo("Europe/Moscow")
NOW = dt.datetime(2026, 11, 26, 10, 0, tzinfo=MSK)
APOLOGY = "Что-то пошло не так"
PEOPLE = (("t1", 1001), ("a1", 1009), ("d1", 1006), ("p1", 2001), ("s1", 3001))
STRANGER = 9999

COMMANDS = (
    "",
    "/start",
    "/help",
    "/whoami",
    "/language",
    "/settings",
    "/today",
    "/mark",
    "/mark 5А матем",
    "/homework",
    "/homework 5А матем",
    "/topic 5А матем",
    "/period",
    "/period 5А матем",
    "/write",
    "/class",
    "/enrol 5А",
    "/move",
    "/leave",
    "/invite",
    "/access",
    "/revoke",
    "/broadcast",
    "/grades",
    "/attendance",
    "/schedule",
    "/child",
    "/journal",
    "/journal 5А матем",
    "/control",
    "/newyear",
    "/status",
    "/cancel",
    "/nosuchcommand",
)
ARGUMENTS = (
    "",
    " " * 50,
    "&<>" * 1_300,
    "<b>жирный</b> <i>",
    "</pre>" * 200,
    "<a href='x'>ссылка</a>",
    "&#0; &#x110000; &",
    "ж" * 4_000,
    "9" * 4_000,
    "1:" + "9" * 4_000,
    "9" * 4_000 + ":5",
    "1:5 2:" + "0" * 3_000 + "4",
    "5А матем 1:5 // " + "<&>" * 1_300,
    "s99 " + "Я " * 1_900,
    "📘" * 2_000,
    "\u202e\u200b\u2066" * 300,
    "31.02 1:5",
    "99.99/99 1:5",
    "2026-13-45",
    "26.11/" + "9" * 3_000 + " 1:5",
    "#" + "к" * 3_000 + " 1:5",
    "1:5 1:4",
    "1:",
    ":5",
    "//",
    "// " * 1_000,
    "{ $name } {0} %s %(x)s {{x}}",
    "\t\r\n" * 100,
    # Many words, not too many: /grades and /period try every tail of the words as a period name, with a
    # query each (1,300 words take two seconds).
    "\n".join(["1 5"] * 200),
    "5А " * 200,
    "week " + "😀" * 1_000,
    "report",
    "class " + "5А" * 1_500,
)
FORGED_BUTTONS = tuple(  # Telegram carries at most 64 bytes of callback data
    f"{prefix}:{fields}"[:64]
    for prefix in (
        "lang",
        "hr",
        "hrxd",
        "hrxl",
        "hrxa",
        "hrm",
        "tl",
        "ls",
        "pm",
        "child",
        "wch",
        "wto",
        "wcl",
        "wst",
        "bto",
        "bok",
        "brp",
        "set",
        "nomarks",
        "absans",
        "bcread",
        "relay",
        "nosuchprefix",
    )
    for fields in ("9" * 4_000, "1:2:3:4:5:6:7:8:9", "&<>" * 20, "")
)


@pytest.fixture
def harness(settings, session_maker) -> ChatClient:
    return strict_harness(settings, session_maker)


@pytest.fixture
async def everyone(harness, session_maker, school) -> list[ChatUser]:
    with time_machine.travel(NOW, tick=False):
        people = [
            await signed_in(harness, session_maker, external_id, telegram_id) for external_id, telegram_id in PEOPLE
        ]
    return [*people, harness.user(STRANGER)]


def answers_in(requests, chat_id: int) -> list[str]:
    """What one chat got back: messages sent or edited there, and answers to its button presses."""
    texts = []
    for request in requests:
        method = request.method
        if isinstance(method, AnswerCallbackQuery):
            texts.append(method.text or "(toast)")
        elif isinstance(method, (SendMessage, EditMessageText)) and request.chat_id == chat_id:
            texts.append(method.text)
    return texts


async def test_every_odd_message_and_button_gets_an_answer(harness, everyone) -> None:
    unanswered, apologies = [], []
    senders = itertools.cycle(everyone)
    messages = [
        f"{command} {argument}".strip() or "…"
        for index, command in enumerate(COMMANDS)
        for number, argument in enumerate(ARGUMENTS)
        if (index + number) % 3 == 0
    ]
    with time_machine.travel(NOW, tick=False):
        for text in messages:
            user = next(senders)
            start = len(harness.session.requests)
            await user.sends(text)
            answers = answers_in(harness.session.requests[start:], user.user.id)
            if not answers:
                unanswered.append((user.user.id, shorten(text, 60)))
            elif any(APOLOGY in answer for answer in answers):
                apologies.append((user.user.id, shorten(text, 60)))
        for data in FORGED_BUTTONS:
            user = next(senders)
            start = len(harness.session.requests)
            await user.presses(data)
            if not answers_in(harness.session.requests[start:], user.user.id):
                unanswered.append((user.user.id, data))
    refused = [(problem, shorten(getattr(method, "text", "") or "", 60)) for method, problem in harness.session.refused]
    total = len(messages) + len(FORGED_BUTTONS)
    assert total > 450
    assert (unanswered[:10], apologies[:10], refused[:10]) == ([], [], [])
