"""Restoring a copy (regulation 2.1).

Restore verifies the file first, refuses while the bot runs (it holds BOT_LOCK_FILE with an OS lock
for as long as it lives, so a killed bot leaves no stale lock: services.process_lock), keeps the
current database aside as a copy, and only then restores.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from services.backup import (
    PG_TIMEOUT_SECONDS,
    BackupError,
    copy_sqlite,
    is_sqlite,
    last_line,
    libpq,
    pg_dump,
    sqlite_file,
    tool_path,
    verify_copy,
)
from services.process_lock import bot_lock


@dataclass(frozen=True)
class Restored:
    source: Path
    kept_aside: Path | None


def restore_backup(database_url: str, source: Path, *, lock_path: Path, folder: Path, now: dt.datetime) -> Restored:
    """Verify `source`, refuse while the bot runs, keep the current database aside, then restore.

    Blocking; run from the command line (`python -m bot restore FILE`) with the bot stopped.
    """
    source = Path(source)
    verify_copy(source)
    if is_sqlite(database_url) != (source.suffix != ".dump"):
        raise BackupError("restore-error-wrong-kind")
    with bot_lock(lock_path):  # the bot cannot start while we restore, nor we while it runs
        folder.mkdir(parents=True, exist_ok=True)
        if is_sqlite(database_url):
            return _restore_sqlite(sqlite_file(database_url), source, folder, now)
        return _restore_postgres(database_url, source, folder, now)


def _restore_sqlite(live: Path, source: Path, folder: Path, now: dt.datetime) -> Restored:
    aside = None
    if live.exists():
        aside = folder / f"before-restore-{now:%Y%m%d-%H%M%S}.db"
        copy_sqlite(live, aside)
        verify_copy(aside)
    live.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(live, timeout=30)
    try:
        src.backup(dst, pages=-1)  # through SQLite, so a -wal beside the live file stays consistent
        check = [row[0] for row in dst.execute("PRAGMA integrity_check")]
        if check != ["ok"]:
            raise BackupError("backup-error-not-verified", detail="; ".join(map(str, check[:3])))
    finally:
        dst.close()
        src.close()
    return Restored(source, aside)


def _restore_postgres(database_url: str, source: Path, folder: Path, now: dt.datetime) -> Restored:
    aside = folder / f"before-restore-{now:%Y%m%d-%H%M%S}.dump"
    pg_dump(database_url, aside)
    uri, env = libpq(database_url)
    result = subprocess.run(
        [
            tool_path("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            f"--dbname={uri}",
            str(source),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=PG_TIMEOUT_SECONDS,
    )
    if result.returncode != 0:
        raise BackupError("backup-error-tool-failed", tool="pg_restore", detail=last_line(result.stderr))
    return Restored(source, aside)
