"""The console demo: the real handlers on a demo school, driven through standard input."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import os
import re
import threading
from pathlib import Path
from zoneinfo import ZoneInfo

import time_machine
from aiogram.methods import AnswerCallbackQuery, EditMessageText, SendMessage
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.config import Settings
from bot.console import DemoPerson, Transcript, find_button, read_line, run_console
from bot.i18n import get_translator
from services.demo_school import demo_school_sheets
from tests.conftest import SCHOOL_TODAY, make_settings
from tests.program import program_env, run_program

ru = get_translator("ru")
SHEETS = demo_school_sheets(dt.date.today())
PEOPLE_COUNT = len(SHEETS["staff"]) + len(SHEETS["parents"]) + len(SHEETS["students"])
SEEDED_LINE = ru("console-seeded", people=PEOPLE_COUNT)


def name_of(sheet: str, external_id: str) -> str:
    return next(str(row["full_name"]) for row in SHEETS[sheet] if row["id"] == external_id)


TEACHER = name_of("staff", "t1")
PARENT = name_of("parents", "p1")


def answer_to(typed: str, transcript: str) -> str:
    """What was printed after the (echoed) input line `typed`, up to the next input line."""
    after = transcript.split(typed + "\n", 1)[1]
    return re.split(r"^\w+> ", after, maxsplit=1, flags=re.MULTILINE)[0]


# --- the program, through a pipe ---------------------------------------------------------------


def test_console_answers_as_the_teacher_then_as_a_parent_and_keeps_its_school(tmp_path: Path) -> None:
    env = program_env(CONSOLE_DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'demo.db'}")

    first = run_program("console", cwd=tmp_path, env=env, stdin="/whoami\n/as p1\n/whoami\n/quit\n")
    assert first.returncode == 0, first.stderr
    assert SEEDED_LINE in first.stdout
    as_teacher = answer_to("t1> /whoami", first.stdout)
    assert TEACHER in as_teacher and "5А" in as_teacher
    as_parent = answer_to("p1> /whoami", first.stdout)
    assert PARENT in as_parent and name_of("students", "s1") in as_parent  # she sees her child
    assert first.stdout.rstrip().endswith(ru("console-bye"))

    # Without a token, plain `python -m bot` says so in one line and opens the same demo school.
    second = run_program(cwd=tmp_path, env=env, stdin="/whoami\n")  # ends at EOF, without /quit
    assert second.returncode == 0, second.stderr
    assert "BOT_TOKEN is not set" in second.stderr.splitlines()[0]
    assert SEEDED_LINE not in second.stdout
    assert TEACHER in second.stdout


# --- in-process, on both databases --------------------------------------------------------------


async def talk(settings: Settings, *lines: str) -> str:
    out = io.StringIO()
    assert await run_console(settings, io.StringIO("".join(f"{line}\n" for line in lines)), out) == 0
    return out.getvalue()


async def test_console_lists_people_switches_and_presses_buttons(engine, database_url: str) -> None:
    settings = make_settings(database_url, console_database_url=database_url)

    output = await talk(settings, "/as", "/as nobody", "/press 1", "/language", "/press 9", "/press 2")
    assert SEEDED_LINE in output
    assert "s24" in output and name_of("students", "s24") in output  # /as lists everyone
    assert ru("console-unknown-person", id="nobody") in output
    assert ru("console-no-buttons") in output  # nothing to press before /language
    menu = output.split("t1> /language")[1]
    labels = re.findall(r"\[\d+ ([^\]]+)\]", menu.split("t1> /press 9")[0])
    assert len(labels) >= 2  # the language buttons, numbered
    assert ru("console-no-such-button", label="9", labels=", ".join(labels)) in menu
    assert "✎ " in menu.split("t1> /press 2")[1]  # pressing a button edited the message

    again = await talk(settings, "/whoami")
    assert SEEDED_LINE not in again
    assert TEACHER in again


async def test_a_parent_hears_of_a_new_mark_at_once_with_their_name(engine, database_url: str) -> None:
    settings = make_settings(database_url, console_database_url=database_url)
    thursday_morning = dt.datetime.combine(SCHOOL_TODAY, dt.time(11, 0), ZoneInfo("Europe/Moscow"))
    with time_machine.travel(thursday_morning, tick=True):  # 5А has mathematics first on Thursdays
        output = await talk(settings, "/mark 5А матем 1:5")
    notice = answer_to("t1> /mark 5А матем 1:5", output).split(f"→ {PARENT} (родитель p1): ", 1)
    assert len(notice) == 2, output  # the outbox is delivered right after the update, grace or not
    assert name_of("students", "s1") in notice[1]


async def test_backup_and_status_in_the_demo_use_the_demo_database_not_the_journal(tmp_path: Path) -> None:
    journal = tmp_path / "journal" / "journal.db"  # the real journal: not there, and never to be touched
    settings = make_settings(
        f"sqlite+aiosqlite:///{journal}",
        console_database_url=f"sqlite+aiosqlite:///{tmp_path / 'demo.db'}",
        backup_dir=tmp_path / "journal" / "backups",
    )
    output = await talk(settings, "/as a1", "/backup", "/status")
    backup = answer_to("a1> /backup", output)
    assert ru("backup-failed", error="").split(":")[0] not in backup, output
    assert "📎" in backup or ".db" in backup, output
    copies = list((tmp_path / "console-backups").glob("*"))
    assert copies, output  # the demo's copies stay beside the demo, away from the journal's archive
    assert not (tmp_path / "journal").exists()
    assert ru("status-backup-none") not in answer_to("a1> /status", output)


# --- how things are printed -------------------------------------------------------------------

TEACHER_PERSON = DemoPerson(
    "t1", "Иванова Мария Петровна", 100_000, ("teacher", "class_teacher"), {"class_teacher": " 5А"}
)
PARENT_PERSON = DemoPerson("p2", "Петрова Анна", 100_009, ("parent",))


def transcript() -> tuple[Transcript, io.StringIO]:
    out = io.StringIO()
    return Transcript(out, ru, [TEACHER_PERSON, PARENT_PERSON], TEACHER_PERSON), out


def test_own_messages_print_plainly_and_others_with_their_addressee() -> None:
    shown, out = transcript()
    shown.show(SendMessage(chat_id=100_000, text="<b>5А</b>: Иванов &lt;н&gt;"), True)
    shown.show(SendMessage(chat_id=100_009, text="Оценка <i>5</i> &amp; отзыв"), True)
    shown.show(SendMessage(chat_id=42, text="кому-то", parse_mode=None), True)
    assert out.getvalue().splitlines() == [
        "5А: Иванов <н>",
        "→ Петрова Анна (родитель p2): Оценка 5 & отзыв",
        "→ chat 42: кому-то",
    ]


def test_buttons_print_numbered_by_row_and_alerts_stand_out() -> None:
    shown, out = transcript()
    markup = InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(text="Русский", callback_data="ru"),
                InlineKeyboardButton(text="English", callback_data="en"),
            ],
            [InlineKeyboardButton(text="Назад", callback_data="back")],
        ]
    )
    shown.show(EditMessageText(chat_id=100_000, message_id=7, text="Язык:", reply_markup=markup), True)
    shown.show(AnswerCallbackQuery(callback_query_id="1", text="Нельзя", show_alert=True), True)
    assert out.getvalue().splitlines() == ["✎ Язык:", "[1 Русский]  [2 English]", "[3 Назад]", "[!] Нельзя"]


def test_a_button_is_found_by_number_exact_label_or_unique_part() -> None:
    markup = InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(text="5А", callback_data="a"),
                InlineKeyboardButton(text="5Б", callback_data="b"),
                InlineKeyboardButton(text="Все классы 5", callback_data="all"),
            ]
        ]
    )
    assert find_button(markup, "2").callback_data == "b"
    assert find_button(markup, "5а").callback_data == "a"  # exact, any case, wins over a partial match
    assert find_button(markup, "все").callback_data == "all"
    assert find_button(markup, "5") is None  # in three labels: ambiguous
    assert find_button(markup, "4") is None


def test_waiting_for_a_line_does_not_hold_up_ctrl_c() -> None:
    """Cancelled while nobody types, the event loop must still close (asyncio.to_thread would not)."""
    read_end, write_end = os.pipe()

    async def wait_then_give_up() -> None:
        reading = asyncio.create_task(read_line(os.fdopen(read_end)))
        await asyncio.sleep(0.05)
        reading.cancel()

    loop_thread = threading.Thread(target=asyncio.run, args=(wait_then_give_up(),), daemon=True)
    loop_thread.start()
    loop_thread.join(timeout=5)
    os.close(write_end)  # lets the reader go in any case
    assert not loop_thread.is_alive()
