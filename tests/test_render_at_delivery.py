"""A notice is rendered when it is delivered, in the language the recipient's account has at that moment.

The 16:00 reminder and the class teacher's 15:00 record are queued while t1 reads the journal in
Russian; t1 switches to English with /language before the worker sends them, and reads them in
English — the outbox holds their data, not their text. Rows queued before notices were typed (the
dicts of old, and finished texts with their buttons) still go out as they did.

The clock stands at Thursday 26.11.2026 in Moscow; t1 teaches mathematics and is 5А's class teacher,
p1 is the mother of № 1 in 5А.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from aiogram.types import InlineKeyboardButton
from sqlalchemy import select

from bot.outbound.callbacks import AbsenceAnswer, BroadcastRead, RelayMute, RelayReply
from models import Account, OutboxMessage, OutboxState
from scheduler import jobs
from tests import homeroom_data as data
from tests.delivery_helpers import as_sent, deliver, update_account
from tests.people import signed_in
from tests.test_scheduler import MATH, RUSSIAN, T1, THURSDAY, at, outbox, thursday_journal

PARENT = 2001


@pytest.fixture
def clock():
    with time_machine.travel(at(THURSDAY, 16), tick=False) as traveller:
        yield traveller


async def switch_to_english(teacher) -> None:
    """/language, then «English», as a person does it."""
    await teacher.sends("/language")
    assert await teacher.clicks("English")


def buttons_in(harness, chat_id: int) -> list[InlineKeyboardButton]:
    """The buttons of the chat's last message that has any, as Telegram shows them."""
    shown = harness.keyboard_in(chat_id)
    return [button for row in shown.reply_markup.inline_keyboard for button in row] if shown else []


# --- rendered in the language of the moment it is sent --------------------------------------------


async def test_the_reminder_queued_in_russian_is_read_in_english_after_a_switch(
    school, settings, harness, session_maker, clock
) -> None:
    await thursday_journal(session_maker)
    teacher = await signed_in(harness, session_maker, "t1", T1)
    await update_account(session_maker, T1, quiet_start=None, quiet_end=None)

    assert await jobs.teacher_reminder(settings, session_maker, now=at(THURSDAY, 16)) == "ok"

    [row] = await outbox(session_maker, "reminder")
    assert "text" not in row.payload and row.payload["v"] == 2  # data, not a text in some language
    assert as_sent(row, "ru")["text"].startswith("<b>Журнал за чт, 26 ноября</b>: до 17:00 нужно заполнить")

    await switch_to_english(teacher)
    await deliver(harness.bot, session_maker, settings)

    reminder = harness.sent_to(T1)[-1]
    assert reminder.splitlines()[:3] == [
        "<b>Journal for Thu 26 November</b>: to fill in by 17:00",
        "08:30 · 5А · Математика — missing: marks",
        "12:30 · 5Б · Математика — missing: attendance, topic, marks, homework",
    ]
    assert [button.text for button in buttons_in(harness, T1)] == [
        "5А · Математика",
        "No marks · 5А, lesson 1",
        "5Б · Математика",
        "No marks · 5Б, lesson 5",
    ]
    [sent] = await outbox(session_maker, "reminder")
    assert sent.state == OutboxState.SENT


async def test_the_class_teachers_record_follows_the_language_too(
    school, settings, harness, session_maker, clock
) -> None:
    teacher = await signed_in(harness, session_maker, "t1", T1)
    await update_account(session_maker, T1, quiet_start=None, quiet_end=None)
    async with session_maker() as session:
        await data.absence(session, await data.lesson(session, "5А", MATH, THURSDAY, 1), "s3", "н")
        await data.absence(
            session, await data.lesson(session, "5А", RUSSIAN, THURSDAY, 2, "t2"), "s3", "н", teacher="t2"
        )
        await session.commit()
    assert await jobs.homeroom_daily(settings, session_maker, now=at(THURSDAY, 15)) == "ok"

    await switch_to_english(teacher)
    await deliver(harness.bot, session_maker, settings)

    record = harness.sent_to(T1)[-1]
    assert record.startswith("<b>5А</b> · absences on Thu 26 November")
    assert "Васильев Кирилл Андреевич" in record
    assert "№3 б" in [button.text for button in buttons_in(harness, T1)]


# --- rows queued before notices were typed ---------------------------------------------------------

STUDENT = "Алексеев Артём Игоревич"

# Each as the code before this change wrote it, and what the parent read then (the renderer of old,
# run on these payloads, gave exactly these texts and buttons).
OLD_ROWS = {
    "marks": (
        "mark",
        {
            "student_id": 1,
            "student": STUDENT,
            "class": "5А",
            "items": [
                {
                    "subject": "Математика",
                    "date": "2026-11-26",
                    "lesson_no": 1,
                    "values": [5, 4],
                    "work_type": "работа на уроке",
                    "comment": "Молодец & <умница>",
                    "key": "mark:1:7",
                },
                {
                    "subject": "Русский язык",
                    "date": "2026-11-26",
                    "lesson_no": 2,
                    "values": [3],
                    "work_type": None,
                    "comment": "",
                    "key": "mark:1:8",
                },
            ],
        },
        None,
        "🔔 Новые отметки — Алексеев Артём Игоревич\n"
        "Математика: <b>5/4</b> — работа на уроке, чт, 26 ноября\n"
        "Комментарий учителя: Молодец &amp; &lt;умница&gt;\n"
        "Русский язык: <b>3</b>, чт, 26 ноября",
        [],
    ),
    "absence": (
        "absence",
        {
            "student_id": 1,
            "student": STUDENT,
            "class": "5А",
            "subject": "Математика",
            "date": "2026-11-26",
            "lesson_no": 1,
            "reason": "",
            "code": "н",
            "before": None,
            "after": "н",
            "time": "08:30",
        },
        41,
        "🚪 Алексеев Артём Игоревич отсутствовал на уроке\nчт, 26 ноября, 1-й урок (08:30), Математика.",
        [AbsenceAnswer(attendance_id=41, answer=answer).pack() for answer in ("ill", "excused", "unknown")],
    ),
    "explanation": (
        "notice",
        {
            "key": "notify-explanation",
            "args": {
                "parent": "Алексеева Наталья Викторовна",
                "student": STUDENT,
                "class": "5А",
                "lesson_date": "2026-11-26",
                "lesson_no": 1,
                "subject": "Математика",
                "answer_key": "notify-answer-ill",
            },
        },
        None,
        "📝 Алексеева Наталья Викторовна о пропуске: Алексеев Артём Игоревич (5А), чт, 26 ноября, 1-й урок, "
        "Математика — «болел».\nЭто предложение родителя; подтвердите объяснение в /class.",
        [],
    ),
    "broadcast": (
        "broadcast",
        {
            "broadcast_id": 9,
            "text": "Собрание в пятницу",
            "sender": "Иванова Мария Петровна",
            "role_key": "notify-role-homeroom",
            "class": "5А",
        },
        9,
        "📢 Объявление — Иванова Мария Петровна, классный руководитель 5А\n\nСобрание в пятницу",
        [BroadcastRead(broadcast_id=9).pack()],
    ),
    "message": (
        "message",
        {
            "relayed_id": 12,
            "header": {
                "key": "notify-from-teacher",
                "args": {
                    "sender": "Иванова Мария Петровна",
                    "icon": "✉️",
                    "student": STUDENT,
                    "class": "5А",
                    "subjects": "Математика",
                },
            },
            "text": "Добрый день!",
            "content_type": "text",
            "file_id": None,
        },
        12,
        "✉️ <b>Иванова Мария Петровна</b>, учитель (Математика) — о ребёнке: Алексеев Артём Игоревич\n\nДобрый день!",
        [RelayReply(relayed_id=12).pack(), RelayMute(relayed_id=12).pack()],
    ),
    "finished text": (
        "reminder",
        {
            "text": "<b>Журнал за чт, 26 ноября</b>: до 17:00 нужно заполнить\n08:30 · 5А · Математика — нет: отметки",
            "reply_markup": {"inline_keyboard": [[{"text": "5А · Математика", "callback_data": "tl:1:1:740000:1:"}]]},
        },
        None,
        "<b>Журнал за чт, 26 ноября</b>: до 17:00 нужно заполнить\n08:30 · 5А · Математика — нет: отметки",
        ["tl:1:1:740000:1:"],
    ),
}


@pytest.mark.parametrize("name", OLD_ROWS)
async def test_a_row_queued_before_notices_were_typed_goes_out_as_it_did(
    name, school, settings, harness, session_maker, clock
) -> None:
    kind, payload, source_id, text, buttons = OLD_ROWS[name]
    await signed_in(harness, session_maker, "p1", PARENT)
    await update_account(session_maker, PARENT, quiet_start=None, quiet_end=None)
    await queue_as_of_old(session_maker, PARENT, kind, payload, source_id)

    await deliver(harness.bot, session_maker, settings)

    assert harness.sent_to(PARENT) == [text]
    assert [button.callback_data for button in buttons_in(harness, PARENT)] == buttons
    [row] = await outbox(session_maker)
    assert (row.state, row.payload) == (OutboxState.SENT, payload)  # the row itself is left as it was


async def queue_as_of_old(
    session_maker, telegram_id: int, kind: str, payload: dict[str, Any], source_id: int | None
) -> None:
    """A pending row as it was written before this version: its payload without a version, its grace
    window over."""
    long_ago = dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=1)
    async with session_maker() as session:
        account = await session.scalar(select(Account).where(Account.telegram_id == telegram_id))
        session.add(
            OutboxMessage(
                kind=kind,
                account_id=account.id,
                chat_id=account.chat_id,
                payload=payload,
                source_id=source_id,
                state=OutboxState.PENDING,
                created_at=long_ago,
                not_before=long_ago,
                attempts=0,
                last_error="",
            )
        )
        await session.commit()
