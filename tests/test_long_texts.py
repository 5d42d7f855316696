"""Every text within the bot's limits is saved and answered, however full of «&», «<» and «>» it is.

The limits a user is told: a topic, homework and a comment on marks 2,000 characters, a reason 500, a
student's full name 200, an announcement 3,500. Escaping for HTML makes such a text up to five times
longer, and Fluent refuses any value over 2,500 characters; Telegram counts a message after entities
parsing. So each text is sent at its limit, and the test reads what the database holds and what the
user sees — through a Bot API session that refuses what Telegram refuses (tests/telegram_rules.py).

The clock stands at Thursday 26.11.2026, 10:00 in Moscow: t1 teaches mathematics in 5А (lesson 1) and
is 5А's class teacher; p1 is the mother of № 1 in 5А.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import select

from bot.chat_client import ChatClient
from bot.text import escape, visible_length, visible_text
from handlers.broadcasts import BroadcastTo
from models import (
    AuditEntry,
    Broadcast,
    DeliveryMode,
    Lesson,
    Mark,
    NotificationKind,
    RelayedMessage,
    SchoolClass,
    Student,
)
from services import preferences
from services.actor import load_actor
from services.entry_parser import MAX_REASON_LENGTH
from services.journal import MAX_TEXT_LENGTH
from services.messaging.broadcasts import Audience
from services.messaging.content import TEXT_LIMIT
from services.movement import MAX_NAME_LENGTH
from tests.delivery_helpers import account, deliver, update_account
from tests.people import signed_in
from tests.telegram_rules import strict_harness

MSK = ZoneInfo("Europe/Moscow")
NOW = dt.datetime(2026, 11, 26, 10, 0, tzinfo=MSK)
TEACHER, PARENT = 1001, 2001
TEXT_TOO_LONG = "Слишком длинный текст: не больше 2\xa0000 знаков."  # Fluent groups digits, with a no-break space


def awkward(length: int) -> str:
    """`length` characters of what a teacher may paste: words full of «&», «<» and «>», single spaces."""
    pattern = "<b>&</b> <&> a&b<c>d &amp; <<ё>> "
    text = (pattern * (length // len(pattern) + 1))[: length - 1]
    return text + "&"


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def harness(settings, session_maker) -> ChatClient:
    """The real dispatcher, talking to a Bot API that refuses what Telegram refuses."""
    return strict_harness(settings, session_maker)


@pytest.fixture
async def teacher(harness, session_maker, school, clock):
    return await signed_in(harness, session_maker, "t1", TEACHER)


@pytest.fixture
async def parent(harness, session_maker, clock):
    parent = await signed_in(harness, session_maker, "p1", PARENT)
    await update_account(session_maker, PARENT, quiet_start=None, quiet_end=None)
    return parent


async def families_hear(harness, session_maker, settings, clock) -> list[str]:
    """What p1 receives once the grace windows are over, as they read it."""
    clock.shift(dt.timedelta(minutes=6))
    start = len(harness.sent_to(PARENT))
    await deliver(harness.bot, session_maker, settings)
    assert harness.session.refused == []
    return [visible_text(text) for text in harness.sent_to(PARENT)[start:]]


async def homework_on(session_maker) -> None:
    async with session_maker() as session:
        actor = await load_actor(session, await account(session_maker, PARENT))
        await preferences.set_mode(session, actor, NotificationKind.HOMEWORK, DeliveryMode.INSTANT)
        await session.commit()


def assert_answered(harness: ChatClient, answers: list[str]) -> None:
    assert answers, "no answer"
    assert harness.session.refused == []
    assert all(visible_length(answer) <= 4096 for answer in answers)


# --- at the limits -------------------------------------------------------------------------------


def test_the_texts_are_awkward_and_as_long_as_the_limit() -> None:
    text = awkward(MAX_TEXT_LENGTH)
    assert len(text) == MAX_TEXT_LENGTH and text == " ".join(text.split())
    assert text.count("&") > 200 and text.count("<") > 300 and text.count(">") > 300
    assert len(escape(text)) > 2.5 * len(text)  # past Fluent's 2,500 and Telegram's 4,096 once escaped


async def test_a_topic_at_its_limit_is_saved_and_answered(harness, teacher, session_maker) -> None:
    topic = awkward(MAX_TEXT_LENGTH)
    answers = await teacher.sends(f"/topic 5А матем {topic}")
    assert_answered(harness, answers)
    assert visible_text(answers[0]) == f"Тема урока записана: 5А, Математика, 26.11, урок 1.\n{topic}"
    assert await stored(session_maker, select(Lesson.topic)) == topic

    # The lesson card shows it too, within one message under its buttons.
    await teacher.sends("/today")
    [card] = await teacher.clicks("5А")
    assert visible_length(card) <= 4096 and "Тема: <b>&</b> <&>" in visible_text(card)
    assert harness.session.refused == []


async def test_cards_under_buttons_stay_one_message_with_every_text_at_its_limit(
    harness, teacher, session_maker, clock
) -> None:
    """The lesson card is edited in place under its buttons: long texts are shown in part there (they
    were echoed whole when saved), so that the card stays one message."""
    topic, homework, comment, reason = (
        awkward(MAX_TEXT_LENGTH),
        awkward(MAX_TEXT_LENGTH),
        awkward(MAX_TEXT_LENGTH),
        awkward(MAX_REASON_LENGTH),
    )
    await teacher.sends(f"/topic 5А матем {topic}")
    await teacher.sends(f"/homework 5А матем {homework}")
    await teacher.sends("/mark 5А матем 3:5")
    clock.shift(dt.timedelta(minutes=11))
    for mark in (4, 3, 4, 3, 4, 3):
        await teacher.sends(f"/mark 5А матем 3:{mark} // {reason}")
    await teacher.sends("/today")
    [card] = await teacher.clicks("5А")
    shown = visible_text(card)
    assert f"Тема: {topic[:150]}" in shown and topic not in shown
    assert f"Задание к следующему уроку (пт, 27 ноября): {homework[:150]}" in shown and homework not in shown
    await teacher.clicks("3")
    await teacher.clicks("Комментарий")
    await teacher.sends(comment)
    await teacher.clicks("3")
    [history] = await teacher.clicks("История")
    assert "Причина: " + reason[:150] in visible_text(history) and reason not in visible_text(history)
    assert harness.session.refused == []


async def test_a_topic_one_character_over_is_refused_and_nothing_is_saved(harness, teacher, session_maker) -> None:
    answers = await teacher.sends(f"/topic 5А матем {awkward(MAX_TEXT_LENGTH + 1)}")
    assert answers == [TEXT_TOO_LONG]
    assert await stored(session_maker, select(Lesson.topic)) is None


async def test_homework_at_its_limit_is_saved_answered_and_reaches_the_family(
    harness, teacher, parent, session_maker, settings, clock
) -> None:
    await homework_on(session_maker)
    homework = awkward(MAX_TEXT_LENGTH)
    answers = await teacher.sends(f"/homework 5А матем {homework}")
    assert_answered(harness, answers)
    assert visible_text(answers[0]) == (
        f"Домашнее задание к уроку 27.11 (урок 2) записано: 5А, Математика.\n{homework}"
    )
    assert await stored(session_maker, select(Lesson.homework)) == homework
    [notice] = await families_hear(harness, session_maker, settings, clock)
    assert notice.startswith("📚 Домашнее задание (Алексеев Артём Игоревич): Математика на ")
    assert notice.endswith(homework)


async def test_a_reason_at_its_limit_is_saved_answered_and_told_to_the_family(
    harness, teacher, parent, session_maker, settings, clock
) -> None:
    await teacher.sends("/mark 5А матем 1:5")
    assert len(await families_hear(harness, session_maker, settings, clock)) == 1  # the new mark
    clock.shift(dt.timedelta(minutes=5))  # 11 minutes on: a correction needs a reason
    reason = awkward(MAX_REASON_LENGTH)
    answers = await teacher.sends(f"/mark 5А матем 1:4 // {reason}")
    assert_answered(harness, answers)
    assert visible_text(answers[0]) == (
        f"5А, Математика, 26.11, урок 1 (работа на уроке):\n1. Алексеев Артём — 5 → 4\nПричина: {reason}"
    )
    last = await stored(session_maker, select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1))
    assert (last.after["value"], last.reason) == (4, reason)
    [notice] = await families_hear(harness, session_maker, settings, clock)
    assert notice.startswith("✏️ Исправлена отметка — Алексеев Артём Игоревич")
    assert notice.endswith(f"Причина: {reason}")

    refused = await teacher.sends(f"/mark 5А матем 1:3 // {awkward(MAX_REASON_LENGTH + 1)}")
    assert refused == ["Слишком длинная причина: не больше 500 знаков. Хватит короткой пометки."]
    assert await stored(session_maker, select(Mark.value)) == 4


async def test_a_comment_at_its_limit_is_saved_and_answered(harness, teacher, session_maker) -> None:
    await teacher.sends("/today")
    await teacher.clicks("5А")
    await teacher.clicks("3")
    await teacher.clicks("5")
    await teacher.clicks("3")
    await teacher.clicks("Комментарий")
    comment = awkward(MAX_TEXT_LENGTH)
    answers = await teacher.sends(comment)
    assert_answered(harness, answers)
    assert visible_text(answers[0]) == f"Комментарий записан: {comment}"
    assert await stored(session_maker, select(Mark.comment)) == comment
    await teacher.clicks("3")
    [history] = await teacher.clicks("История")
    assert visible_length(history) <= 4096 and "поставлено 5 (работа на уроке)" in history
    assert harness.session.refused == []


def long_name(length: int) -> str:
    """`length` characters of a name as documents may write it: hyphens, apostrophes, ё, single spaces."""
    words = " ".join(("Салтыков-Щедрин", "О'Нил", "Ёлкина") * (length // 10 + 1))
    return words[:length].rstrip(" -'").ljust(length, "я")  # ends in a letter, whatever the cut


async def test_a_name_at_its_limit_is_enrolled_and_answered(harness, teacher, session_maker) -> None:
    name = long_name(MAX_NAME_LENGTH)
    assert len(name) == MAX_NAME_LENGTH
    asked = await teacher.sends(f"/enrol 5А s99 {name}")
    answers = await teacher.clicks("Подтвердить")
    assert_answered(harness, asked + answers)
    assert visible_text(answers[0]) == f"Записано зачисление в 5А с 26.11.2026: {name} (s99), № 9 в списке."
    assert await stored(session_maker, select(Student.full_name).where(Student.external_id == "s99")) == name
    [class_list] = await teacher.sends("/class students")
    assert harness.session.refused == []

    refused = await teacher.sends(f"/enrol 5А s98 {long_name(MAX_NAME_LENGTH + 1)}")
    assert refused == [f"Слишком длинное имя: не больше {MAX_NAME_LENGTH} знаков."]
    assert await stored(session_maker, select(Student.id).where(Student.external_id == "s98")) is None


async def test_markup_pasted_as_a_name_is_refused_and_quoted_safely(harness, teacher, session_maker) -> None:
    [refused] = await teacher.sends(f"/enrol 5А s98 {awkward(MAX_NAME_LENGTH)}")
    assert_answered(harness, [refused])
    assert visible_text(refused).startswith("В ФИО «<b>&</b> <&> a&b<c>d")
    assert "могут быть только буквы, пробелы, дефис и апостроф" in refused
    assert await stored(session_maker, select(Student.id).where(Student.external_id == "s98")) is None


async def test_an_announcement_at_its_limit_is_saved_previewed_and_delivered(
    harness, teacher, parent, session_maker, settings, clock
) -> None:
    announcement = awkward(TEXT_LIMIT)
    await teacher.sends("/broadcast")
    await teacher.presses(
        BroadcastTo(audience=Audience.CLASS_PARENTS, class_id=await _class_id("5А", session_maker)).pack()
    )
    preview = await teacher.sends(announcement)
    assert_answered(harness, preview)
    assert len(preview) == 1 and visible_text(preview[0]).endswith("\n\n" + announcement)
    sent = await teacher.clicks("Отправить")
    assert_answered(harness, sent)
    assert await stored(session_maker, select(Broadcast.text)) == announcement
    [notice] = await families_hear(harness, session_maker, settings, clock)
    assert notice.startswith("📢 Объявление — Иванова Мария Петровна, классный руководитель 5А")
    assert notice.endswith(announcement)


async def test_a_message_to_parents_at_its_limit_is_relayed_in_one_piece(
    harness, teacher, parent, session_maker, settings, clock
) -> None:
    text = awkward(TEXT_LIMIT)
    await teacher.sends("/write 5А 1")
    answers = await teacher.sends(text)
    assert_answered(harness, answers)
    assert answers == ["Отправлено (1). Ответ придёт сюда."]
    assert await stored(session_maker, select(RelayedMessage.text)) == text
    [relayed] = await families_hear(harness, session_maker, settings, clock)
    assert relayed.startswith("✉️ Иванова Мария Петровна, классный руководитель 5А — о ребёнке: Алексеев Артём")
    assert relayed.endswith("\n\n" + text)


async def stored(session_maker, query):
    """The one value `query` selects, read in a session of its own."""
    async with session_maker() as session:
        return await session.scalar(query)


async def _class_id(name: str, session_maker) -> int:
    return await stored(session_maker, select(SchoolClass.id).where(SchoolClass.name == name))
