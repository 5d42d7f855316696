"""Archive copies of the journal (regulation 2.1): make, verify, rotate, record.

SQLite: the online backup API (`sqlite3.Connection.backup`) copies a consistent snapshot while the
bot keeps writing, then `PRAGMA integrity_check` verifies the copy. PostgreSQL: `pg_dump` is the
path (custom format, checked with `pg_restore --list`); without it on PATH the copy fails with a
clear message. Nothing outside this module and services.restore knows which database it is.

Copies are named by the school's local date and time (journal-20261126-020000.db) and kept for
BACKUP_KEEP_DAYS days (the newest of each day) plus the newest of each week for BACKUP_KEEP_WEEKS weeks.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import re
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncSession

from models import BackupRecord, StaffRole
from services.catalogue import english
from services.control_reports import accounts_with_role
from services.errors import DomainError
from services.outbox import enqueue
from services.staff_notices import BackupFailed

NAME_PATTERN = re.compile(r"^journal-(\d{8})-(\d{6})(?:-\d+)?\.(db|dump)$")
TELEGRAM_FILE_LIMIT = 50 * 1024 * 1024  # sendDocument's limit for bots
PG_TIMEOUT_SECONDS = 3600


class BackupError(DomainError):
    """A copy or a restore that did not happen; `key` says why in the user's language."""


@dataclass(frozen=True)
class BackupResult:
    path: Path | None
    created_at: dt.datetime
    size_bytes: int
    verified: bool
    error_key: str | None = None  # why it failed, as a message key and its arguments
    error_args: dict[str, str] = field(default_factory=dict)

    @property
    def error(self) -> str:
        """Why it failed, in English (for the record and the logs); "" when it did not."""
        return english(self.error_key, **self.error_args) if self.error_key else ""


# --- which database ---------------------------------------------------------------------------------


def is_sqlite(database_url: str) -> bool:
    return make_url(database_url).get_backend_name() == "sqlite"


def sqlite_file(database_url: str) -> Path:
    database = make_url(database_url).database
    if not database or database == ":memory:":
        raise BackupError("backup-error-memory-database")
    return Path(database)


def libpq(database_url: str) -> tuple[str, dict[str, str]]:
    """A libpq URI without the password (it goes in PGPASSWORD, never on the command line)."""
    url: URL = make_url(database_url)
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def tool_path(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError("backup-error-no-tool", tool=name)
    return found


# --- making a copy ---------------------------------------------------------------------------------


def backup_name(now: dt.datetime, suffix: str, folder: Path) -> Path:
    stem = f"journal-{now:%Y%m%d-%H%M%S}"
    path = folder / f"{stem}{suffix}"
    number = 1
    while path.exists():
        path = folder / f"{stem}-{number}{suffix}"
        number += 1
    return path


def make_backup(database_url: str, folder: Path, now: dt.datetime) -> BackupResult:
    """One verified copy in `folder`, named by `now` (school time). Blocking: run it in a thread.

    A copy that fails or does not verify is removed, and the result says why.
    """
    folder.mkdir(parents=True, exist_ok=True)
    suffix = ".db" if is_sqlite(database_url) else ".dump"
    target = backup_name(now, suffix, folder)
    partial = target.with_name(target.name + ".part")
    try:
        if is_sqlite(database_url):
            copy_sqlite(sqlite_file(database_url), partial)
        else:
            pg_dump(database_url, partial)
        verify_copy(partial, suffix)
        partial.rename(target)
    except (BackupError, OSError, sqlite3.Error, subprocess.SubprocessError) as error:
        partial.unlink(missing_ok=True)
        key, args = _describe(error)
        return BackupResult(None, now, 0, False, key, args)
    return BackupResult(target, now, target.stat().st_size, True)


def copy_sqlite(source: Path, target: Path) -> None:
    """A consistent snapshot through the online backup API, while others keep reading and writing."""
    if not source.exists():
        raise BackupError("backup-error-no-database")
    src = sqlite3.connect(source, timeout=30)
    try:
        dst = sqlite3.connect(target)
        try:
            # pages=-1: the whole database in one step, inside one read transaction (one snapshot).
            src.backup(dst, pages=-1)
            dst.execute("PRAGMA journal_mode=DELETE")  # a self-contained file, no -wal beside it
        finally:
            dst.close()
    finally:
        src.close()


def pg_dump(database_url: str, target: Path) -> None:
    uri, env = libpq(database_url)
    result = subprocess.run(
        [tool_path("pg_dump"), "--format=custom", "--no-owner", f"--file={target}", f"--dbname={uri}"],
        env=env,
        capture_output=True,
        text=True,
        timeout=PG_TIMEOUT_SECONDS,
    )
    if result.returncode != 0:
        raise BackupError("backup-error-tool-failed", tool="pg_dump", detail=last_line(result.stderr))


def verify_copy(path: Path, suffix: str | None = None) -> None:
    """Raise BackupError unless `path` is a sound journal copy (read through to the end)."""
    if not path.is_file():
        raise BackupError("backup-error-no-file", path=str(path))
    if (suffix or path.suffix) == ".dump":
        _verify_dump(path)
        return
    with open(path, "rb") as head:
        if head.read(16) != b"SQLite format 3\x00":
            raise BackupError("backup-error-not-verified", detail="not an SQLite database")
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            check = [row[0] for row in connection.execute("PRAGMA integrity_check")]
            if check != ["ok"]:
                raise BackupError("backup-error-not-verified", detail="; ".join(map(str, check[:3])))
            tables = connection.execute("SELECT count(*) FROM sqlite_master WHERE name = 'alembic_version'").fetchone()
            if tables[0] != 1:
                raise BackupError("backup-error-not-verified", detail="not a journal database")
        finally:
            connection.close()
    except sqlite3.Error as error:
        raise BackupError("backup-error-not-verified", detail=str(error)) from None


def _verify_dump(path: Path) -> None:
    """The table of contents names the journal's tables, and every data block reads back."""
    listing = subprocess.run(
        [tool_path("pg_restore"), "--list", str(path)], capture_output=True, text=True, timeout=PG_TIMEOUT_SECONDS
    )
    if listing.returncode != 0 or "alembic_version" not in listing.stdout:
        raise BackupError("backup-error-not-verified", detail=last_line(listing.stderr) or "not a journal dump")
    full = subprocess.run(
        [tool_path("pg_restore"), f"--file={os.devnull}", str(path)],
        capture_output=True,
        text=True,
        timeout=PG_TIMEOUT_SECONDS,
    )
    if full.returncode != 0:
        raise BackupError("backup-error-not-verified", detail=last_line(full.stderr))


def _describe(error: BaseException) -> tuple[str, dict[str, str]]:
    if isinstance(error, DomainError):
        return error.key, {name: str(value) for name, value in error.args_for_message.items()}
    return "backup-error-unexpected", {"detail": f"{type(error).__name__}: {error}"[:300]}


def last_line(output: str) -> str:
    lines = [line for line in (output or "").strip().splitlines() if line.strip()]
    return lines[-1][:300] if lines else ""


# --- rotation ----------------------------------------------------------------------------------------


def copy_time(path: Path) -> dt.datetime | None:
    match = NAME_PATTERN.match(path.name)
    if match is None:
        return None
    return dt.datetime.strptime(match.group(1) + match.group(2), "%Y%m%d%H%M%S")


def rotate_backups(folder: Path, today: dt.date, keep_days: int, keep_weeks: int) -> list[Path]:
    """Keep the newest copy of each of the last `keep_days` days and of each of the last `keep_weeks`
    weeks (Monday to Sunday, this week included); remove the other copies. Returns what was removed.

    Only files named like our copies are touched; copies dated after `today` are kept.
    """
    if not folder.is_dir():
        return []
    copies = sorted(
        ((stamp, path) for path in folder.iterdir() if path.is_file() and (stamp := copy_time(path)) is not None),
        reverse=True,  # newest first, so the first seen of each day or week is the one kept
    )
    first_day = today - dt.timedelta(days=keep_days - 1)
    this_monday = today - dt.timedelta(days=today.weekday())
    first_monday = this_monday - dt.timedelta(weeks=keep_weeks - 1) if keep_weeks > 0 else None
    days_kept: set[dt.date] = set()
    weeks_kept: set[dt.date] = set()
    removed = []
    for stamp, path in copies:
        day = stamp.date()
        monday = day - dt.timedelta(days=day.weekday())
        keep = day > today
        if first_day <= day <= today and day not in days_kept:
            days_kept.add(day)
            keep = True
        if first_monday is not None and first_monday <= monday <= this_monday and monday not in weeks_kept:
            weeks_kept.add(monday)
            keep = True
        if not keep:
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


# --- recording and reporting --------------------------------------------------------------------------


async def record_backup(
    session: AsyncSession, result: BackupResult, *, nightly: bool = True, requested_by: int | None = None
) -> BackupRecord:
    """Keep the copy's record; a failed or unverified copy is reported to every administrator at once
    (a copy asked for now — /backup, the command line — is not called the nightly one, and the
    administrator who asked for it in the chat has the answer there already)."""
    record = BackupRecord(
        path=str(result.path or ""),
        created_at=result.created_at,
        size_bytes=result.size_bytes,
        verified=result.verified,
        error=result.error[:2000],
    )
    session.add(record)
    if not result.verified:
        notice = BackupFailed(nightly, result.error_key, result.error_args)
        for account in await accounts_with_role(session, StaffRole.ADMIN):
            if account.id != requested_by:
                enqueue(session, account, notice)
    await session.flush()
    return record


async def last_backup(session: AsyncSession) -> BackupRecord | None:
    newest_first = (BackupRecord.created_at.desc(), BackupRecord.id.desc())
    return await session.scalar(select(BackupRecord).order_by(*newest_first).limit(1))


async def database_size(session: AsyncSession, database_url: str) -> int | None:
    """Bytes the database takes (with SQLite's write-ahead log), None if unknown."""
    if is_sqlite(database_url):
        try:
            path = sqlite_file(database_url)
        except BackupError:
            return None
        return sum(p.stat().st_size for p in (path, Path(f"{path}-wal")) if p.exists()) or None
    return await session.scalar(select(func.pg_database_size(func.current_database())))


async def take_backup(database_url: str, folder: Path, now: dt.datetime) -> BackupResult:
    """make_backup in a worker thread, so the bot keeps answering meanwhile."""
    return await asyncio.to_thread(make_backup, database_url, folder, now)
