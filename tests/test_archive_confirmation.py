"""The year-end archive, confirmed: only the director confirms, the title page then says who and when;
written from the command line and from the chat."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import select

from bot import cli
from models import OutboxMessage, Staff
from services.errors import AccessDenied
from services.reports.archive_confirmation import confirm, confirm_and_print, write_for_director
from tests.archive_data import MOSCOW, YEAR, a_year_of_lessons, archive_rows, manifest_of, pdf_text
from tests.conftest import make_settings
from tests.delivery_helpers import deliver, show_last_buttons
from tests.people import actor_for, signed_in

pytestmark = pytest.mark.usefixtures("school")


# --- the director's confirmation ------------------------------------------------------------------------------


async def test_only_the_director_confirms_and_the_title_page_then_says_who_and_when(
    session, session_maker, tmp_path
) -> None:
    await a_year_of_lessons(session, session_maker)
    admin = await actor_for(session_maker, "a1", 5001)
    teacher = await actor_for(session_maker, "t1", 5002)
    director = await actor_for(session_maker, "dir1", 5003)
    written = await write_for_director(
        session, admin, tmp_path, dt.date(2026, 11, 26), 2026, timezone=MOSCOW, workers=1
    )
    await session.commit()
    archive_id = written.result.archive_id
    assert written.result.folder == tmp_path / YEAR
    assert written.directors_asked == 1
    async with session_maker() as check:
        [notice] = await check.scalars(select(OutboxMessage).where(OutboxMessage.kind == "archive_ready"))
        assert notice.payload["archive_id"] == archive_id

    for someone in (teacher, admin):
        with pytest.raises(AccessDenied) as refused:
            await confirm(session, someone, archive_id)
        assert refused.value.key == "archive-director-only"
    await session.rollback()
    [row] = await archive_rows(session_maker)
    assert (row.confirmed_by_staff_id, row.confirmed_at) == (None, None)

    pressed = dt.datetime(2027, 6, 1, 11, 5, tzinfo=MOSCOW)
    with time_machine.travel(pressed, tick=False):
        confirmation = await confirm_and_print(session, director, archive_id, tmp_path, timezone=MOSCOW)
        await session.commit()

    assert (confirmation.director, confirmation.already, confirmation.at) == (
        "Соколов Андрей Николаевич",
        False,
        pressed.astimezone(dt.timezone.utc),
    )
    assert confirmation.title == tmp_path / YEAR / "00_titul.pdf"
    title = pdf_text(confirmation.title).replace("\n", "")
    assert "Соколов Андрей Николаевич, 01.06.2027 11:05" in title
    [row] = await archive_rows(session_maker)
    async with session_maker() as check:
        assert await check.scalar(select(Staff.full_name).where(Staff.id == row.confirmed_by_staff_id)) == (
            "Соколов Андрей Николаевич"
        )

    # Pressed again a day later: nothing changes, and the answer says when it was confirmed.
    with time_machine.travel(pressed + dt.timedelta(days=1), tick=False):
        twice = await confirm(session, director, archive_id)
        await session.commit()
    assert (twice.already, twice.at) == (True, confirmation.at)

    # The same content written again: confirmed already, so nobody is asked; the title page keeps it.
    rewritten = await write_for_director(
        session, admin, tmp_path, dt.date(2026, 11, 26), 2026, timezone=MOSCOW, workers=1
    )
    await session.commit()
    assert rewritten.directors_asked == 0
    assert rewritten.result.confirmed is not None and rewritten.result.confirmed.director == confirmation.director
    assert "Соколов Андрей Николаевич, 01.06.2027 11:05" in pdf_text(tmp_path / YEAR / "00_titul.pdf").replace("\n", "")


# --- the command line and the chat -------------------------------------------------------------------------------


async def test_the_command_line_writes_the_year_and_names_an_unknown_one(
    session, session_maker, database_url, tmp_path, capsys
) -> None:
    await a_year_of_lessons(session, session_maker)
    settings = make_settings(database_url, archive_workers=1)
    parse = cli.build_parser().parse_args

    assert await cli.cmd_archive(settings, parse(["archive", "--year", "2031", "--out", str(tmp_path)])) == 1
    assert capsys.readouterr().err.strip() == "The journal has no 2031/2032 school year. It has: 2026/2027."

    assert await cli.cmd_archive(settings, parse(["archive", "--out", str(tmp_path / "a")])) == 0
    printed = capsys.readouterr().out.splitlines()
    listed = manifest_of(tmp_path / "a")
    digest = hashlib.sha256((tmp_path / "a" / "MANIFEST.sha256").read_bytes()).hexdigest()
    assert printed == [
        f"the archive of 2026/2027 is in {tmp_path / 'a'}",
        f"{len(listed)} files; MANIFEST.sha256 {digest}",
        "not confirmed yet: the director confirms it in the chat (/archive)",
    ]


@pytest.fixture
def settings(database_url: str, tmp_path: Path):
    return make_settings(database_url, archive_dir=tmp_path / "archives", archive_workers=1)


# In the school's working day: at night the director's account (quiet hours 21:00–08:00 by default)
# would get the button in the morning, and the test would wait for nothing.
@time_machine.travel(dt.datetime(2026, 11, 26, 11, 0, tzinfo=MOSCOW), tick=True)
async def test_the_administrator_archives_in_the_chat_and_the_director_confirms_with_the_button(
    harness, session, session_maker, settings
) -> None:
    await a_year_of_lessons(session, session_maker)
    admin = await signed_in(harness, session_maker, "a1", 6001)
    teacher = await signed_in(harness, session_maker, "t1", 6002)
    director = await signed_in(harness, session_maker, "dir1", 6003)

    assert await teacher.sends("/archive") == ["Это может только администратор журнала."]
    answers = await admin.sends("/archive 2026")

    [row] = await archive_rows(session_maker)
    folder = settings.archive_dir / YEAR
    assert answers == [
        "Записываю архив журнала. Для большой школы это займёт около минуты…",
        f"Архив журнала за 2026/2027 учебный год записан в папку {folder}\n"
        f"Файлов: {len(manifest_of(folder))}. Контрольная сумма MANIFEST.sha256:\n"
        f"<code>{row.manifest_sha256}</code>\n"
        "Директору отправлена кнопка «Подтвердить архив».",
    ]

    await deliver(harness.bot, session_maker, settings)
    [notice] = harness.sent_to(6003)
    assert notice.startswith("🗄 Архив журнала за 2026/2027 учебный год готов.")
    assert row.manifest_sha256 in notice
    assert show_last_buttons(harness, director) == ["Подтвердить архив"]

    forged = director.last_markup.inline_keyboard[0][0].callback_data
    assert await teacher.presses(forged) == ["Подтвердить архив может только директор."]
    [row] = await archive_rows(session_maker)
    assert row.confirmed_at is None

    with time_machine.travel(dt.datetime(2027, 6, 1, 11, 5, tzinfo=MOSCOW), tick=False):
        answers = await director.clicks("Подтвердить архив")

    assert answers == [
        "Архив за 2026/2027 учебный год подтверждён: Соколов Андрей Николаевич, 01.06.2027 11:05.\n"
        f"Контрольная сумма: <code>{row.manifest_sha256}</code>\n"
        f"Титульный лист с подтверждением: {folder / '00_titul.pdf'}",
        "Архив подтверждён.",
    ]
    [row] = await archive_rows(session_maker)
    assert row.confirmed_at is not None
    assert "Соколов Андрей Николаевич, 01.06.2027 11:05" in pdf_text(folder / "00_titul.pdf").replace("\n", "")
