"""The year-end archive of the journal (АП-147/07: the journal is archived on electronic and paper media,
the сводные ведомости are kept 25 years), written into one folder:

    00_titul.pdf     the title page: the school, the year, what the folder holds, the manifest's hash,
                     and the director's confirmation (who, when) once it is given
    MANIFEST.sha256  every content file's SHA-256 (`sha256sum -c MANIFEST.sha256` checks them)
    <class>/         the journal (services.reports.journal_pages), the сводная ведомость (`summary`, PDF
                     and XLSX), the movement of pupils (`movement`) and the extract of the audit trail
                     (services.reports.audit_extract), as PDF
    школа/           `results` for each period and for the year, `keeping` for each period, PDF and XLSX

The content files are the same bytes on every run over the same data: reports are asked with
made_on=None (no «Сформировано …» day) and the renderers fix the dates inside their files. So the
manifest and its hash are the same too, and a year written twice is one models.YearArchive row.

The title page is NOT in the manifest: it changes when the director confirms the archive (it is
rewritten then: services.reports.archive_confirmation), and the manifest, which the confirmation
names by its hash, must not. Everything else in the folder is listed in it.

One document is built, rendered and written at a time (a class's journal pages are read together),
and rendering runs in a worker thread, so a school's whole archive stays small in memory and the bot
keeps answering while it is written.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import multiprocessing
import os
from collections import Counter, defaultdict
from collections.abc import AsyncIterator
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import AcademicYear, Lesson, SchoolClass, Staff, YearArchive, utcnow
from models.writing import upsert
from services.errors import Listing, NotFound
from services.grades import Scope, scope_by_id
from services.journal_fill import Deadline
from services.reports.audit_extract import audit_extract
from services.reports.catalogue import build_document
from services.reports.document import CellKind, Column, Document, Table
from services.reports.journal_pages import class_journal
from services.reports.request import DEFAULT_DEADLINE, ReportRequest, school_name

MANIFEST = "MANIFEST.sha256"
TITLE_STEM = "00_titul"
SCHOOL_FOLDER = "школа"
# services.documents.render.FileFormat members, by name. The сводные ведомости and the school's figures
# are kept as workbooks too, to be counted again; the journal, the movement and the audit extract are
# kept as the paper copy is (a workbook of a class's journal was most of the archive's time, for no reader).
FORMATS = ("PDF", "XLSX")
PDF_ONLY = ("PDF",)
FORMATS_OF = {"summary": FORMATS, "results": FORMATS, "keeping": FORMATS}
CLASS_REPORTS = ("summary", "movement")  # from services.reports.catalogue, for each class and the year
# What the title page calls the documents, by Document.kind (the first part of a file's name).
KIND_NAMES = {
    "journal": "классный журнал",
    "summary": "сводная ведомость",
    "movement": "движение учащихся",
    "audit": "выписка из журнала изменений",
    "results": "итоги успеваемости",
    "keeping": "контроль ведения журнала",
}


@dataclass(frozen=True)
class ArchiveDocument:
    """One document of the archive and the folder it goes in; its files are named by Document.file_stem."""

    folder: str
    document: Document

    @property
    def stem(self) -> str:
        return f"{self.folder}/{self.document.file_stem}"


@dataclass(frozen=True)
class Confirmed:
    director: str
    at: dt.datetime  # UTC


@dataclass(frozen=True)
class ArchiveResult:
    folder: Path
    year: str  # «2026/2027»
    files: int  # the content files, each listed in the manifest
    manifest_sha256: str
    archive_id: int
    confirmed: Confirmed | None  # the director's confirmation of this very content, if given before


# --- which year --------------------------------------------------------------------------------------


async def archive_year(session: AsyncSession, today: dt.date, first_year: int | None = None) -> AcademicYear:
    """The year starting in `first_year` (2026: «2026/2027»); by default the last year that has ended by
    `today`, else the one under way."""
    years = list(await session.scalars(select(AcademicYear).order_by(AcademicYear.start)))
    if first_year is not None:
        chosen = [year for year in years if year.start.year == first_year]
    else:
        chosen = [year for year in years if year.end < today] or [
            year for year in years if year.start <= today <= year.end
        ]
    if not chosen:
        known = Listing(", ".join(year.name for year in years) or "—")
        if first_year is None:
            raise NotFound("archive-no-year", known=known)
        raise NotFound("archive-unknown-year", year=f"{first_year}/{first_year + 1}", known=known)
    return chosen[-1]


def year_folder(year_name: str) -> str:
    """The folder of a year's archive under ARCHIVE_DIR: «2026/2027» → «2026-2027»."""
    return year_name.replace("/", "-")


# --- what is archived ------------------------------------------------------------------------------------


async def archive_documents(
    session: AsyncSession, year: AcademicYear, *, timezone: ZoneInfo, deadline: Deadline = DEFAULT_DEADLINE
) -> AsyncIterator[ArchiveDocument]:
    """The archive's documents in the order they are written, each built when it is asked for; `deadline`
    the school's MARKS_DEADLINE, which `keeping` counts «late» against."""
    year_scope = await scope_by_id(session, year.id, None)
    period_scopes = [Scope(year, period, year_scope.periods) for period in year_scope.periods]
    for school_class in await classes_of_year(session, year):
        yield ArchiveDocument(school_class.name, await class_journal(session, school_class.id, year))
        for kind in CLASS_REPORTS:
            request = ReportRequest(
                kind, year_scope, today=year.end, class_id=school_class.id, made_on=None, deadline=deadline
            )
            yield ArchiveDocument(school_class.name, _kept(await build_document(session, request)))
        yield ArchiveDocument(school_class.name, await audit_extract(session, school_class.id, year, timezone))
    school_reports = [("results", scope) for scope in (*period_scopes, year_scope)]
    school_reports += [("keeping", scope) for scope in period_scopes]
    for kind, scope in school_reports:
        request = ReportRequest(kind, scope, today=year.end, made_on=None, deadline=deadline)
        yield ArchiveDocument(SCHOOL_FOLDER, _kept(await build_document(session, request)))


def _kept(document: Document) -> Document:
    """A report as the archive keeps it: its tables and signatures, without the charts drawn from them
    (a picture of figures the tables hold; drawing them was a fifth of the archive's time)."""
    return replace(document, charts=())


async def classes_of_year(session: AsyncSession, year: AcademicYear) -> list[SchoolClass]:
    """The classes that have lessons in the year, by grade and name (a class made later has no place in
    an earlier year's archive)."""
    taught = select(Lesson.class_id).where(Lesson.date >= year.start, Lesson.date <= year.end)
    return list(
        await session.scalars(
            select(SchoolClass).where(SchoolClass.id.in_(taught)).order_by(SchoolClass.grade, SchoolClass.name)
        )
    )


# --- writing -------------------------------------------------------------------------------------------


async def write_archive(
    session: AsyncSession,
    year: AcademicYear,
    out_dir: Path,
    *,
    timezone: ZoneInfo,
    made_by_staff_id: int | None = None,
    workers: int | None = None,
    deadline: Deadline = DEFAULT_DEADLINE,
) -> ArchiveResult:
    """Writes the year's archive into `out_dir` and keeps its YearArchive row (flushed, not committed).

    The documents are built here, one after another, and rendered and written by `workers` processes
    (None or 0: one a CPU) meanwhile: rendering is nearly all of the work, and a thread would hold the
    bot's event loop and the other renders to one core. One worker is a thread (no process to start:
    a small school, the tests). Files a previous run listed in the folder's
    manifest that this run no longer makes are removed, so the manifest is always the folder's whole content.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    before = set(listed_files(out_dir))
    async with _RenderPool(workers or os.cpu_count() or 1, out_dir) as pool:
        async for item in archive_documents(session, year, timezone=timezone, deadline=deadline):
            for file_format in FORMATS_OF.get(item.document.kind, PDF_ONLY):
                await pool.submit(item, file_format)
    manifest = "".join(f"{digest}  {path}\n" for path, digest in sorted(pool.digests.items())).encode()
    await asyncio.to_thread(write_file, out_dir, MANIFEST, manifest)
    for stale in before - pool.digests.keys():
        _remove(out_dir, stale)
    archive = await keep_archive(session, year.id, hashlib.sha256(manifest).hexdigest(), made_by_staff_id)
    await write_title(session, out_dir, archive, timezone=timezone)
    return ArchiveResult(
        out_dir, year.name, len(pool.digests), archive.manifest_sha256, archive.id, await confirmed(session, archive)
    )


class _RenderPool:
    """Worker processes that render and write the archive's files; at most two files a worker wait their
    turn, so the documents built ahead stay few in memory."""

    def __init__(self, workers: int, folder: Path) -> None:
        self.workers, self.folder = workers, folder
        self.digests: dict[str, str] = {}  # path → SHA-256, of the files written
        self.pending: set[asyncio.Future[tuple[str, str]]] = set()

    async def __aenter__(self) -> _RenderPool:
        if self.workers == 1:
            self.executor: Executor = ThreadPoolExecutor(1)
        else:  # spawn, not fork: the bot's process has threads (the database driver's), which a fork would copy
            self.executor = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"))
        return self

    async def submit(self, item: ArchiveDocument, file_format: str) -> None:
        while len(self.pending) >= 2 * self.workers:
            await self._collect(asyncio.FIRST_COMPLETED)
        loop = asyncio.get_running_loop()
        job = loop.run_in_executor(self.executor, render_into, item.document, file_format, self.folder, item.stem)
        self.pending.add(job)

    async def _collect(self, until: str) -> None:
        done, self.pending = await asyncio.wait(self.pending, return_when=until)
        for job in done:
            path, digest = job.result()
            if path in self.digests:
                raise ValueError(f"two documents of the archive are both {path}")
            self.digests[path] = digest

    async def __aexit__(self, *exc_info: object) -> None:
        try:
            if self.pending and exc_info[0] is None:
                await self._collect(asyncio.ALL_COMPLETED)
        finally:
            self.executor.shutdown(wait=True, cancel_futures=True)


def render_into(document: Document, file_format: str, folder: Path, stem: str) -> tuple[str, str]:
    """One file rendered and written (in a worker process or thread); its path under `folder` and its SHA-256.

    The renderers are imported here, when an archive is written, not when the bot starts (they bring
    the file libraries)."""
    from services.documents.render import FileFormat, render

    rendered = render(document, FileFormat[file_format])
    path = stem + Path(rendered.name).suffix
    return path, write_file(folder, path, rendered.content)


def write_file(folder: Path, path: str, content: bytes) -> str:
    """Writes `content` under a temporary name and renames it, so a file is whole or not there at all."""
    target = folder / path
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    partial.write_bytes(content)
    os.replace(partial, target)
    return hashlib.sha256(content).hexdigest()


def _remove(folder: Path, path: str) -> None:
    """Removes a file an earlier run wrote, if it is inside the folder (a manifest is only text)."""
    target = (folder / path).resolve()
    if target.is_relative_to(folder.resolve()):
        target.unlink(missing_ok=True)


def listed_files(folder: Path) -> list[str]:
    """The paths the folder's manifest lists (none without a manifest)."""
    manifest = folder / MANIFEST
    if not manifest.is_file():
        return []
    return [line.split("  ", 1)[1] for line in manifest.read_text(encoding="utf-8").splitlines() if "  " in line]


async def keep_archive(session: AsyncSession, year_id: int, digest: str, made_by_staff_id: int | None) -> YearArchive:
    """The year's archive of this manifest: the row made now, or the one made before (the same content
    written again, here or by a concurrent run) — never two."""
    await session.execute(
        upsert(session, YearArchive)
        .values(year_id=year_id, manifest_sha256=digest, made_at=utcnow(), made_by_staff_id=made_by_staff_id)
        .on_conflict_do_nothing(index_elements=["year_id", "manifest_sha256"])
    )
    archive = await session.scalar(
        select(YearArchive)
        .where(YearArchive.year_id == year_id, YearArchive.manifest_sha256 == digest)
        .execution_options(populate_existing=True)
    )
    assert archive is not None
    return archive


async def confirmed(session: AsyncSession, archive: YearArchive) -> Confirmed | None:
    if archive.confirmed_by_staff_id is None or archive.confirmed_at is None:
        return None
    director = await session.scalar(select(Staff.full_name).where(Staff.id == archive.confirmed_by_staff_id))
    return Confirmed(director or "", archive.confirmed_at)


# --- the title page ----------------------------------------------------------------------------------------


async def write_title(session: AsyncSession, folder: Path, archive: YearArchive, *, timezone: ZoneInfo) -> Path:
    """(Re)writes the folder's title page for `archive`, whose manifest the folder holds."""
    title = await title_document(session, archive, listed_files(folder), timezone)
    path, _ = await asyncio.to_thread(render_into, title, "PDF", folder, TITLE_STEM)
    return folder / path


async def title_document(session: AsyncSession, archive: YearArchive, paths: list[str], timezone: ZoneInfo) -> Document:
    year = await session.get(AcademicYear, archive.year_id)
    assert year is not None
    confirmation = await confirmed(session, archive)
    signed = (
        f"{confirmation.director}, {confirmation.at.astimezone(timezone):%d.%m.%Y %H:%M}"
        if confirmation
        else "не подтверждено"
    )
    facts = (
        ("Контрольная сумма MANIFEST.sha256 (SHA-256)", archive.manifest_sha256),
        ("Файлов в MANIFEST.sha256", str(len(paths))),
        ("Подтверждение директора", signed),
    )
    return Document(
        kind="archive",
        title="Архив электронного журнала",
        school=await school_name(session),
        scope=f"{year.name} учебный год",
        about="школа",
        tables=(
            Table(
                "Содержание",
                (Column("Папка", 12), Column("Документы", 70), Column("Файлов", 8, CellKind.INTEGER)),
                contents(paths),
            ),
            Table(
                "Подлинность",
                (Column("Что", 30), Column("Значение", 64)),  # 94 characters: a portrait page
                facts,
                note=(
                    "Титульный лист в MANIFEST.sha256 не входит: он переписывается, когда директор подтверждает "
                    "архив. Проверка файлов: sha256sum -c MANIFEST.sha256."
                ),
            ),
        ),
        signatures=("Директор",),
        made_on=None,
        landscape=False,
    )


def contents(paths: list[str]) -> tuple[tuple[str, str, int], ...]:
    """Per folder: its documents by kind («классный журнал — 12, сводная ведомость — 1») and its files."""
    files: Counter[str] = Counter()
    documents: dict[str, Counter[str]] = defaultdict(Counter)
    seen: set[tuple[str, str]] = set()
    for path in paths:
        folder, _, name = path.rpartition("/")
        files[folder] += 1
        stem = name.rsplit(".", 1)[0]
        if (folder, stem) not in seen:  # one document, a file in each format
            seen.add((folder, stem))
            documents[folder][stem.split("_", 1)[0]] += 1
    return tuple(
        (
            folder,
            ", ".join(f"{KIND_NAMES.get(kind, kind)} — {count}" for kind, count in documents[folder].items()),
            files[folder],
        )
        for folder in files
    )
