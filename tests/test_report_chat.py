"""/report end to end: the real program against the fake Bot API; the document arrives by sendDocument.

A parent walks the buttons to their child's report card and gets a PDF with the child's name in it;
a forged button for another family's child is refused and sends no document. A subject teacher gets
their subject's report as XLSX. One bot for both (a start of the program is most of such a test's
time); once on SQLite, and once on PostgreSQL when TEST_DATABASE_URL is set.
"""

from __future__ import annotations

import asyncio
import io
import json
from pathlib import Path

from openpyxl import load_workbook
from pypdf import PdfReader

from services.demo_school import PARENTS, demo_school_sheets
from services.school_import import write_workbook
from tests.fake_bot_api import ApiCall, FakeBotApi, SentMessage
from tests.program import program_env, run_program_async
from tests.test_e2e import ANSWER_TIMEOUT, FIRST_ANSWER_TIMEOUT, journal_url, running_bot, school_today, telegram

__all__ = ["journal_url", "telegram"]  # the fixtures, shared with tests.test_e2e

PARENT, PARENT_TELEGRAM_ID = "p3", 777_301  # Васильева Ирина Сергеевна, mother of s3 only
TEACHER, TEACHER_TELEGRAM_ID = "t2", 777_302


def press(api: FakeBotApi, user_id: int, message: SentMessage, label: str) -> None:
    """Presses the button labelled `label` (the first whose label starts so) under `message`."""
    rows = (message.reply_markup or {}).get("inline_keyboard", [])
    buttons = [button for row in rows for button in row if button["text"].startswith(label)]
    assert buttons, f"no button {label!r} among {message.button_labels()}"
    api.push_button_press(user_id, message, buttons[0]["callback_data"])


async def sign_in(api: FakeBotApi, env: dict[str, str], folder: Path, role: str, person: str, user_id: int) -> None:
    invited = await run_program_async("invite", role, person, "--json", cwd=folder, env=env)
    assert invited.returncode == 0, invited.stderr
    api.push_text(user_id, f"/start {json.loads(invited.stdout)['code']}")
    await api.wait_for_message(user_id, timeout=FIRST_ANSWER_TIMEOUT)


async def test_a_parent_gets_the_report_card_and_a_teacher_their_subjects_report(
    telegram: FakeBotApi, journal_url: str, tmp_path: Path
) -> None:
    env = program_env(BOT_TOKEN=telegram.token, TELEGRAM_API_URL=telegram.url, DATABASE_URL=journal_url)
    sheets = demo_school_sheets(school_today())
    child = next(row for row in sheets["students"] if row["id"] == "s3")
    other = next(row for row in sheets["students"] if row["id"] == "s4")
    write_workbook(tmp_path / "school.xlsx", sheets)
    imported = await run_program_async("import", str(tmp_path / "school.xlsx"), cwd=tmp_path, env=env)
    assert imported.returncode == 0, imported.stdout + imported.stderr
    assert next(p for p in PARENTS if p[0] == PARENT)[2] == "s3"

    async with running_bot(env, tmp_path):
        await sign_in(telegram, env, tmp_path, "parent", PARENT, PARENT_TELEGRAM_ID)
        telegram.push_text(PARENT_TELEGRAM_ID, "/report")
        # One kind (the card) and one child: the first question is the period.
        periods = await telegram.wait_for_message(PARENT_TELEGRAM_ID, timeout=ANSWER_TIMEOUT)
        assert "Табель" in periods.text and "Год" in periods.button_labels(), periods.text
        press(telegram, PARENT_TELEGRAM_ID, periods, periods.button_labels()[0])
        formats = await telegram.wait_for_message(PARENT_TELEGRAM_ID, timeout=ANSWER_TIMEOUT)
        assert formats.button_labels() == ["XLSX", "PDF"]
        press(telegram, PARENT_TELEGRAM_ID, formats, "PDF")
        await telegram.wait_for_message(
            PARENT_TELEGRAM_ID, lambda m: m.method == "sendDocument", timeout=ANSWER_TIMEOUT
        )
        [card] = [f for f in telegram.files if f.chat_id == PARENT_TELEGRAM_ID and f.method == "sendDocument"]
        assert card.name.endswith(".pdf")
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(card.content)).pages)
        assert str(child["full_name"]).split()[0] in text

        # A button forged for another family's child: refused in the button's alert, and no second document.
        forged = formats.reply_markup["inline_keyboard"][0][1]["callback_data"]
        other_id = await _student_id(journal_url, str(other["id"]))
        forged = forged.replace(forged.split(":")[2], f"p{other_id}")
        telegram.push_button_press(PARENT_TELEGRAM_ID, formats, forged)
        refusal = await _alert(telegram, "Табель доступен родителям ученика")
        assert refusal.params.get("show_alert") in (True, "true")

        await a_teacher_asks_for_their_subjects_report(telegram, env, tmp_path)
    assert [f.name for f in telegram.files if f.chat_id == PARENT_TELEGRAM_ID and f.method == "sendDocument"] == [
        card.name
    ]


async def a_teacher_asks_for_their_subjects_report(api: FakeBotApi, env: dict[str, str], folder: Path) -> None:
    """The teacher walks /report's buttons to their first class–subject and gets it as a workbook."""
    await sign_in(api, env, folder, "teacher", TEACHER, TEACHER_TELEGRAM_ID)
    api.push_text(TEACHER_TELEGRAM_ID, "/report")
    targets = await api.wait_for_message(TEACHER_TELEGRAM_ID, timeout=ANSWER_TIMEOUT)
    if "Отчёт учителя-предметника" in targets.button_labels():  # a class teacher has more kinds to choose from
        press(api, TEACHER_TELEGRAM_ID, targets, "Отчёт учителя-предметника")
        targets = await api.wait_for_message(TEACHER_TELEGRAM_ID, timeout=ANSWER_TIMEOUT)
    choice = targets.button_labels()[0]
    press(api, TEACHER_TELEGRAM_ID, targets, choice)
    periods = await api.wait_for_message(TEACHER_TELEGRAM_ID, timeout=ANSWER_TIMEOUT)
    press(api, TEACHER_TELEGRAM_ID, periods, periods.button_labels()[0])
    formats = await api.wait_for_message(TEACHER_TELEGRAM_ID, timeout=ANSWER_TIMEOUT)
    press(api, TEACHER_TELEGRAM_ID, formats, "XLSX")
    await api.wait_for_message(TEACHER_TELEGRAM_ID, lambda m: m.method == "sendDocument", timeout=ANSWER_TIMEOUT)

    [report] = [f for f in api.files if f.chat_id == TEACHER_TELEGRAM_ID and f.method == "sendDocument"]
    assert report.name.endswith(".xlsx")
    workbook = load_workbook(io.BytesIO(report.content))
    cells = {str(cell.value) for sheet in workbook for row in sheet.iter_rows() for cell in row if cell.value}
    subject, class_name = choice.split(", ")
    assert any(subject in cell for cell in cells) and any(class_name in cell for cell in cells)


async def _alert(api: FakeBotApi, words: str) -> ApiCall:
    """The button's answer (answerCallbackQuery) whose alert says `words`."""
    for _ in range(int(ANSWER_TIMEOUT / 0.1)):
        found = [call for call in api.calls_to("answerCallbackQuery") if words in str(call.params.get("text", ""))]
        if found:
            return found[0]
        await asyncio.sleep(0.1)
    raise AssertionError(f"no alert with {words!r}: {[c.params for c in api.calls_to('answerCallbackQuery')]}")


async def _student_id(url: str, external_id: str) -> int:
    from sqlalchemy import select

    from models import Student
    from models.db import open_database

    async with open_database(url) as session_maker, session_maker() as session:
        return await session.scalar(select(Student.id).where(Student.external_id == external_id))
