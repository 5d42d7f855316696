"""The year-end archive put to the director, and the director's confirmation of it.

The administrator writes the archive (/archive: under ARCHIVE_DIR, a folder per year); every director
is sent a notice with a button (services.staff_notices.ArchiveReady). The director's press stores who
confirmed and when on the archive's row — once: a second press, theirs or another director's, changes
nothing and says who confirmed it and when. The title page in the archive's folder is then rewritten
to show the confirmation (the content files, and so the manifest the confirmation names, stay as they are).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, replace
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from models import AcademicYear, StaffRole, YearArchive, utcnow
from services.access import ensure_admin
from services.actor import Actor, Role
from services.control_reports import accounts_with_role
from services.errors import AccessDenied, NotFound
from services.journal_fill import Deadline
from services.outbox import enqueue
from services.reports.archive import (
    MANIFEST,
    ArchiveResult,
    archive_year,
    confirmed,
    write_archive,
    write_title,
    year_folder,
)
from services.reports.request import DEFAULT_DEADLINE
from services.staff_notices import ArchiveReady


@dataclass(frozen=True)
class Written:
    result: ArchiveResult
    directors_asked: int  # directors sent the button (none when this content was confirmed before)


@dataclass(frozen=True)
class Confirmation:
    archive_id: int
    year: str
    manifest_sha256: str
    director: str
    at: dt.datetime  # UTC
    already: bool  # confirmed before this press: nothing changed
    title: Path | None = (
        None  # the title page showing it; None when the archive's folder is not (or no longer) this one
    )


async def write_for_director(
    session: AsyncSession,
    actor: Actor,
    root: Path,
    today: dt.date,
    first_year: int | None = None,
    *,
    timezone: ZoneInfo,
    workers: int | None = None,
    deadline: Deadline = DEFAULT_DEADLINE,
) -> Written:
    """The administrator's archive of the year (services.reports.archive.archive_year) under `root`, and
    the directors asked to confirm it."""
    ensure_admin(actor)
    year = await archive_year(session, today, first_year)
    result = await write_archive(
        session,
        year,
        root / year_folder(year.name),
        timezone=timezone,
        made_by_staff_id=actor.staff_id,
        workers=workers,
        deadline=deadline,
    )
    return Written(result, 0 if result.confirmed else await ask_directors(session, result))


async def ask_directors(session: AsyncSession, result: ArchiveResult) -> int:
    """Queues the confirmation button to every director; returns how many were asked."""
    notice = ArchiveReady(result.archive_id, result.year, result.manifest_sha256, result.files)
    directors = await accounts_with_role(session, StaffRole.DIRECTOR)
    for account in directors:
        enqueue(session, account, notice)
    return len(directors)


async def confirm(session: AsyncSession, actor: Actor, archive_id: int) -> Confirmation:
    """The director confirms the archive: stored once, whoever presses first (one conditional UPDATE)."""
    if not actor.has(Role.DIRECTOR) or actor.staff_id is None:
        raise AccessDenied("archive-director-only")
    stored = await session.execute(
        update(YearArchive)
        .where(YearArchive.id == archive_id, YearArchive.confirmed_at.is_(None))
        .values(confirmed_by_staff_id=actor.staff_id, confirmed_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    archive = await session.get(YearArchive, archive_id, populate_existing=True)
    if archive is None:
        raise NotFound("archive-not-found")
    year = await session.get(AcademicYear, archive.year_id)
    confirmation = await confirmed(session, archive)
    assert year is not None and confirmation is not None
    return Confirmation(
        archive.id,
        year.name,
        archive.manifest_sha256,
        confirmation.director,
        confirmation.at,
        already=stored.rowcount == 0,
    )


async def confirm_and_print(
    session: AsyncSession, actor: Actor, archive_id: int, root: Path, *, timezone: ZoneInfo
) -> Confirmation:
    """`confirm`, then the title page of the archive's folder under `root` rewritten to show it — if the
    folder still holds this archive (its manifest has the confirmed hash)."""
    confirmation = await confirm(session, actor, archive_id)
    folder = root / year_folder(confirmation.year)
    manifest = folder / MANIFEST
    if not manifest.is_file() or hashlib.sha256(manifest.read_bytes()).hexdigest() != confirmation.manifest_sha256:
        return confirmation
    archive = await session.get(YearArchive, archive_id)
    assert archive is not None
    title = await write_title(session, folder, archive, timezone=timezone)
    return replace(confirmation, title=title)
