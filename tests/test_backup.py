"""Archive copies (regulation 2.1): taken while marks are being written, verified, rotated, restored."""

from __future__ import annotations

import asyncio
import datetime as dt
import sqlite3
import subprocess
from pathlib import Path

import pytest
from aiogram.methods import SendDocument
from sqlalchemy import delete, func, select

from bot.cli import main as cli_main
from models import (
    AcademicYear,
    BackupRecord,
    JobRun,
    Lesson,
    Mark,
    OutboxMessage,
    SchoolClass,
    Staff,
    Student,
    Subject,
    WorkType,
)
from scheduler import jobs
from scheduler.setup import attach_scheduler
from services import backup
from services.backup import BackupError, make_backup, rotate_backups, take_backup
from services.process_lock import AlreadyRunning, bot_lock, hold_bot_locks
from services.restore import restore_backup
from tests.conftest import make_settings
from tests.delivery_helpers import as_sent
from tests.people import bind_account, signed_in
from tests.test_scheduler import THURSDAY, at

NOW = at(THURSDAY, 2)


@pytest.fixture
def settings(database_url, tmp_path):
    return make_settings(database_url, backup_dir=tmp_path / "backups", bot_lock_file=tmp_path / "bot.lock")


async def a_lesson(session_maker) -> tuple[int, int, int, int]:
    """The smallest journal that takes marks: (lesson, student, work type, teacher) ids."""
    async with session_maker() as session:
        year = AcademicYear(name="2026/2027", start=dt.date(2026, 9, 1), end=dt.date(2027, 5, 31))
        session.add(year)
        await session.flush()
        school_class = SchoolClass(year_id=year.id, name="5А", grade=5, letter="А")
        subject, teacher, kind = (
            Subject(name="Математика"),
            Staff(full_name="Иванова М. П."),
            WorkType(name="ответ", weight=1),
        )
        session.add_all([school_class, subject, teacher, kind])
        await session.flush()
        student = Student(external_id="s1", full_name="Алексеев Артём", class_id=school_class.id)
        lesson = Lesson(
            class_id=school_class.id, subject_id=subject.id, date=THURSDAY, lesson_no=1, teacher_id=teacher.id
        )
        session.add_all([student, lesson])
        await session.commit()
        return lesson.id, student.id, kind.id, teacher.id


async def write_marks(session_maker, ids, committed: list[int], stop: asyncio.Event) -> None:
    """A teacher who never stops: one mark per transaction, each id noted once its commit returned."""
    lesson_id, student_id, kind_id, teacher_id = ids
    slot = 0
    while not stop.is_set():
        slot += 1
        async with session_maker() as session:
            mark = Mark(
                lesson_id=lesson_id,
                student_id=student_id,
                slot=slot,
                value=5,
                work_type_id=kind_id,
                weight=1,
                author_staff_id=teacher_id,
            )
            session.add(mark)
            await session.commit()
        committed.append(mark.id)
        await asyncio.sleep(0)


def marks_in_copy(path: Path) -> set[int]:
    if path.suffix == ".db":
        connection = sqlite3.connect(path)
        try:
            return {row[0] for row in connection.execute("SELECT id FROM marks")}
        finally:
            connection.close()
    dump = subprocess.run(
        ["pg_restore", "--data-only", "--table=marks", "--file=-", str(path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    lines = dump.split("FROM stdin;\n", 1)[1].splitlines()
    return {int(line.split("\t", 1)[0]) for line in lines[: lines.index("\\.")]}


async def marks_in_database(session_maker) -> set[int]:
    async with session_maker() as session:
        return set(await session.scalars(select(Mark.id)))


# --- a copy while the journal is being written ---------------------------------------------------


async def test_copy_taken_while_marks_are_written_holds_every_mark_committed_before_it(
    settings, engine, session_maker, tmp_path
) -> None:
    ids = await a_lesson(session_maker)
    committed: list[int] = []
    stop = asyncio.Event()
    writer = asyncio.create_task(write_marks(session_maker, ids, committed, stop))
    while len(committed) < 30:
        await asyncio.sleep(0.005)

    before = set(committed)
    result = await take_backup(settings.database_url, settings.backup_dir, NOW)
    written_during_or_after = len(committed)
    while len(committed) < written_during_or_after + 10:  # the writer goes on afterwards, undisturbed
        await asyncio.sleep(0.005)
    stop.set()
    await writer

    assert result.verified, result.error
    assert result.path.name == "journal-20261126-020000" + (".db" if engine.dialect.name == "sqlite" else ".dump")
    in_copy = marks_in_copy(result.path)
    assert before <= in_copy
    assert in_copy <= set(committed)
    assert not list(settings.backup_dir.glob("*.part"))

    # Restore brings the journal back as it was in the copy.
    await engine.dispose()
    async with session_maker() as session:
        await session.execute(delete(Mark))
        await session.commit()
    assert await marks_in_database(session_maker) == set()
    await engine.dispose()

    restored = await asyncio.to_thread(
        restore_backup,
        settings.database_url,
        result.path,
        lock_path=settings.bot_lock_file,
        folder=settings.backup_dir,
        now=at(THURSDAY, 9),
    )

    assert await marks_in_database(session_maker) == in_copy
    assert restored.kept_aside is not None and restored.kept_aside.exists()
    assert marks_in_copy(restored.kept_aside) == set()  # the database as it was before the restore


async def test_restore_refuses_while_the_bot_runs(settings, engine, session_maker) -> None:
    ids = await a_lesson(session_maker)
    result = await take_backup(settings.database_url, settings.backup_dir, NOW)
    async with session_maker() as session:
        session.add(
            Mark(
                lesson_id=ids[0],
                student_id=ids[1],
                slot=1,
                value=2,
                work_type_id=ids[2],
                weight=1,
                author_staff_id=ids[3],
            )
        )
        await session.commit()
    async with hold_bot_locks(session_maker, settings.bot_lock_file):  # the bot holds them while it runs
        with pytest.raises(BackupError) as refused:
            restore_backup(
                settings.database_url,
                result.path,
                lock_path=settings.bot_lock_file,
                folder=settings.backup_dir,
                now=at(THURSDAY, 9),
            )
        assert refused.value.key == "restore-error-bot-running"
        assert refused.value.args_for_message["pid"].isdigit()
        assert len(await marks_in_database(session_maker)) == 1  # nothing was touched

    await engine.dispose()
    await asyncio.to_thread(
        restore_backup,
        settings.database_url,
        result.path,
        lock_path=settings.bot_lock_file,
        folder=settings.backup_dir,
        now=at(THURSDAY, 9),
    )
    assert await marks_in_database(session_maker) == set()


async def test_a_damaged_file_is_refused_before_anything_changes(settings, session_maker, tmp_path) -> None:
    ids = await a_lesson(session_maker)
    result = await take_backup(settings.database_url, settings.backup_dir, NOW)
    damaged = tmp_path / ("damaged" + result.path.suffix)
    content = result.path.read_bytes()
    damaged.write_bytes(content[: len(content) * 2 // 3])  # a copy cut short (a full disk, a lost transfer)

    with pytest.raises(BackupError) as refused:
        restore_backup(
            settings.database_url,
            damaged,
            lock_path=settings.bot_lock_file,
            folder=settings.backup_dir,
            now=at(THURSDAY, 9),
        )

    assert refused.value.key == "backup-error-not-verified"
    async with session_maker() as session:
        assert await session.get(Lesson, ids[0]) is not None
    assert not list(settings.backup_dir.glob("before-restore-*"))


# --- rotation -----------------------------------------------------------------------------------


def test_rotation_keeps_the_newest_copy_of_each_of_30_days_and_of_each_of_26_weeks(tmp_path) -> None:
    today = THURSDAY  # 2026-11-26
    folder = tmp_path / "backups"
    folder.mkdir()
    day = today - dt.timedelta(days=400)
    while day <= today:
        for hour in (2, 14):  # the nightly copy and one made by hand
            (folder / f"journal-{day:%Y%m%d}-{hour:02d}0000.db").write_bytes(b"copy")
        day += dt.timedelta(days=1)
    (folder / "notes.txt").write_text("not a copy")
    (folder / "before-restore-20250101-000000.db").write_bytes(b"kept aside")

    removed = rotate_backups(folder, today, keep_days=30, keep_weeks=26)

    kept = sorted(p.name for p in folder.iterdir())
    daily = [today - dt.timedelta(days=n) for n in range(30)]  # 28.10 … 26.11
    sundays = [dt.date(2026, 11, 22) - dt.timedelta(weeks=n) for n in range(25)]  # newest of each past week
    expected = {f"journal-{d:%Y%m%d}-140000.db" for d in daily + sundays}  # this week's newest is today's
    assert kept == sorted(expected | {"notes.txt", "before-restore-20250101-000000.db"})
    assert len(expected) == 30 + 21  # four of the Sundays are inside the 30 days
    assert min(sundays) == dt.date(2026, 6, 7)
    assert len(removed) == 2 * 401 - len(expected)
    # Rotating again removes nothing more.
    assert rotate_backups(folder, today, keep_days=30, keep_weeks=26) == []


# --- failures are reported at once --------------------------------------------------------------


async def test_a_failed_nightly_copy_is_reported_to_the_administrators(
    school, database_url, session_maker, tmp_path
) -> None:
    async with session_maker() as session:
        admin = await bind_account(session, "a1", 107)
        await bind_account(session, "t1", 101)
        await session.commit()
    # The journal's file has gone missing (a broken disk, a wrong path): the copy cannot be made.
    broken = make_settings("sqlite+aiosqlite:///" + str(tmp_path / "missing" / "journal.db"), backup_dir=tmp_path / "b")

    outcome = await jobs.nightly_backup(broken, session_maker, now=NOW)

    assert outcome == "failed"
    async with session_maker() as session:
        notices = list(await session.scalars(select(OutboxMessage)))
        record = await session.scalar(select(BackupRecord))
        run = await session.scalar(select(JobRun).where(JobRun.job_id == jobs.BACKUP))
    assert [(n.kind, n.account_id) for n in notices] == [("backup_failed", admin.id)]
    assert as_sent(notices[0])["text"] == (
        "⚠️ Ночная архивная копия журнала не создана или не прошла проверку: Файла базы данных нет."
    )
    assert (record.verified, record.error) == (False, "The database file does not exist.")
    assert run.outcome == "failed"  # tried again when the bot next starts


async def test_a_failed_backup_asked_for_in_the_chat_is_not_called_the_nightly_one(
    school, settings, harness, session_maker, monkeypatch
) -> None:
    admin = await signed_in(harness, session_maker, "a1", 107)
    failed = backup.BackupResult(None, NOW, 0, False, "backup-error-no-database")

    async def broken_copy(*args, **kwargs):
        return failed

    monkeypatch.setattr("handlers.operations.take_backup", broken_copy)

    assert await admin.sends("/backup") == ["Архивная копия не получилась: Файла базы данных нет."]
    async with session_maker() as session:
        # The administrator who asked has the answer; no second, "nightly" notice to them.
        assert list(await session.scalars(select(OutboxMessage))) == []
    async with session_maker() as session:
        await backup.record_backup(session, failed, nightly=False)
        [notice] = await session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "backup_failed"))
    assert "Ночная" not in as_sent(notice)["text"]
    assert as_sent(notice)["text"].startswith("⚠️ Архивная копия журнала, сделанная по запросу, не создана")


def test_without_pg_dump_a_postgresql_copy_fails_clearly(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(backup.shutil, "which", lambda name: None)

    result = make_backup("postgresql+asyncpg://journal:secret@localhost/journal", tmp_path, NOW)

    assert not result.verified and result.path is None
    assert result.error.startswith("pg_dump is not installed. PostgreSQL archive copies are made with pg_dump")
    assert list(tmp_path.iterdir()) == []


# --- /backup, /status and the command line ----------------------------------------------------------


async def test_admin_gets_the_copy_in_the_chat_and_sees_it_in_status(school, settings, harness, session_maker) -> None:
    admin = await signed_in(harness, session_maker, "a1", 107)
    teacher = await signed_in(harness, session_maker, "t1", 101)

    answers = await admin.sends("/backup")

    documents = [r.method for r in harness.session.requests if isinstance(r.method, SendDocument)]
    assert len(documents) == 1 and documents[0].chat_id == 107
    assert (
        documents[0].caption.startswith("Архивная копия journal-")
        and "проверка целостности пройдена" in documents[0].caption
    )
    assert answers == []  # the document is the answer
    async with session_maker() as session:
        record = await session.scalar(select(BackupRecord))
    assert record.verified and Path(record.path).exists()

    status = (await admin.sends("/status"))[0]
    assert status.startswith("<b>Состояние журнала</b>\nВерсия: ")
    assert "Последняя копия: " in status and "проверена ✅" in status
    assert "Очередь сообщений: ждут 0, не доставлены 0" in status
    assert "Аккаунты: активны 2, заблокировали бота 0" in status

    assert await teacher.sends("/backup") == ["Это может только администратор журнала."]
    assert await teacher.sends("/status") == ["Это может только администратор журнала."]
    async with session_maker() as session:
        assert await session.scalar(select(func.count()).select_from(BackupRecord)) == 1


async def test_status_shows_undelivered_messages_with_their_reason(school, settings, harness, session_maker) -> None:
    admin = await signed_in(harness, session_maker, "a1", 107)
    async with session_maker() as session:
        session.add(
            OutboxMessage(
                kind="mark", chat_id=555, state="failed", last_error="Telegram server says - Bad Gateway", payload={}
            )
        )
        await session.commit()

    status = (await admin.sends("/status"))[0]

    assert "Очередь сообщений: ждут 0, не доставлены 1" in status
    assert "· не доставлено " in status and "(mark): Telegram server says - Bad Gateway" in status


def test_command_line_backup_and_restore(tmp_path, monkeypatch, sqlite_template) -> None:
    database = tmp_path / "journal.db"
    database.write_bytes(sqlite_template.read_bytes())
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{database}")
    monkeypatch.setenv("BACKUP_DIR", str(tmp_path / "copies"))
    monkeypatch.setenv("BOT_LOCK_FILE", str(tmp_path / "bot.lock"))
    monkeypatch.chdir(tmp_path)

    assert cli_main(["backup"]) == 0
    [copy] = list((tmp_path / "copies").glob("journal-*.db"))
    with bot_lock(tmp_path / "bot.lock"):
        assert cli_main(["restore", str(copy)]) == 1
    assert cli_main(["restore", str(copy)]) == 0
    assert list((tmp_path / "copies").glob("before-restore-*.db"))


async def test_status_shows_the_schedule_and_a_second_bot_refuses_to_start(
    school, settings, harness, session_maker, monkeypatch
) -> None:
    # Start-up would catch up the real clock's missed jobs (a whole pg_dump among them): not this test's subject.
    async def no_catch_up(*args, **kwargs) -> list:
        return []

    monkeypatch.setattr("scheduler.setup.catch_up", no_catch_up)
    admin = await signed_in(harness, session_maker, "a1", 107)
    attach_scheduler(harness.dispatcher, settings, session_maker)

    async with hold_bot_locks(session_maker, settings.bot_lock_file):
        with pytest.raises(AlreadyRunning, match="refusing to start a second one"):  # another bot, same files
            async with hold_bot_locks(session_maker, settings.bot_lock_file):
                pass
        await harness.dispatcher.emit_startup()
        try:
            status = (await admin.sends("/status"))[0]
        finally:
            await harness.dispatcher.emit_shutdown()

    lines = status.splitlines()
    assert lines[2].startswith("Работает: 0 ч 0 мин (с ")
    schedule = lines[lines.index("Расписание:") + 1 :]
    assert len(schedule) == 8
    assert any(line.startswith("· предупреждение семьям о риске неуспеваемости — ") for line in schedule)
    assert any(line.startswith("· напоминание учителям — ") and line.endswith(" 16:00") for line in schedule)
    assert any(line.startswith("· архивная копия — ") and line.endswith(" 02:00") for line in schedule)
