"""Command line: run the bot (or the console demo), migrate, import, write the template, invite, back up,
restore, write reports."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from bot.config import (
    SUPPORTED_LANGUAGES,
    Settings,
    SettingsError,
    deadline_of,
    load_settings,
    school_clock,
    store_school_settings,
)

if TYPE_CHECKING:
    from services.new_year import NewYearResult
    from services.school_clock import SchoolClock
    from services.school_import import TimetableVersionNote
    from services.school_import.sheets import SheetRows

EXIT_BAD_SETTINGS = 2
EXIT_FAILED = 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description="School journal bot (электронный журнал)")
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("run", help="run the bot (default); the console demo when BOT_TOKEN is not set")
    commands.add_parser("migrate", help="upgrade the database to the latest schema")
    commands.add_parser("console", help="the offline console demo on a demo school")
    importer = commands.add_parser("import", help="import the school from an XLSX workbook or a folder of CSV files")
    importer.add_argument("path", type=Path)
    template = commands.add_parser("import-template", help="write an empty import workbook with example rows")
    template.add_argument("path", type=Path)
    invite = commands.add_parser("invite", help="create a personal invitation and print its link")
    invite.add_argument("role", choices=["admin", "teacher", "deputy", "director", "parent", "student"])
    invite.add_argument("id", nargs="?", help="the person's id from the import (optional for the first admin)")
    invite.add_argument(
        "--name", help="full name of the administrator (invite admin without an id): the one of that name, or a new one"
    )
    invite.add_argument(
        "--again",
        action="store_true",
        help="issue a new link although the person has signed in (their old sign-in ends when it is opened)",
    )
    invite.add_argument("--json", action="store_true", help="print one JSON object")
    commands.add_parser("backup", help="make a verified archive copy of the database now (BACKUP_DIR)")
    restore = commands.add_parser("restore", help="restore the database from an archive copy (bot stopped)")
    restore.add_argument("file", type=Path)
    add_report_parser(commands)
    add_guide_parser(commands)
    add_archive_parser(commands)
    new_year = commands.add_parser("new-year", help="move the school to the next year from a workbook (issue 13)")
    new_year.add_argument("path", type=Path, help="the new year's workbook (XLSX, or a folder of CSV files)")
    return parser


def add_report_parser(commands: argparse._SubParsersAction) -> None:
    from services.reports.access import KINDS

    report = commands.add_parser(
        "report", help="write a report (XLSX or PDF) for a class, parallel, pupil or the school"
    )
    report.add_argument("kind", choices=KINDS)
    report.add_argument("--class", dest="class_name", help="a class (5a = 5А), or a grade (5) for all its classes")
    report.add_argument("--subject", help="a subject, as typed in the chat (матем = Математика)")
    report.add_argument("--period", help="a term (1, «2 четверть») or «year»; default: the current term")
    report.add_argument("--student", help="the pupil's id from the import (for «card»)")
    report.add_argument("--year", help="a past school year (2026/27): its classes, the whole year unless --period")
    report.add_argument("--format", choices=["xlsx", "pdf"], default="xlsx")
    report.add_argument("--out", type=Path, required=True, help="the file to write, or a folder to write it in")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as error:
        print(f"Configuration error: {error}", file=sys.stderr)
        return EXIT_BAD_SETTINGS
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)  # its per-run set-up chatter is noise here
    logging.getLogger("fontTools").setLevel(logging.WARNING)  # fpdf2's font subsetting: dozens of lines a PDF
    command = args.command or "run"
    try:
        return asyncio.run(COMMANDS[command](settings, args))
    except KeyboardInterrupt:
        return 0


async def cmd_run(settings: Settings, args: argparse.Namespace) -> int:
    if settings.bot_token is None:
        print("BOT_TOKEN is not set: starting the offline console demo (see README).", file=sys.stderr)
        return await cmd_console(settings, args)
    from bot.runner import run_polling
    from bot.webhook import run_webhook
    from services.process_lock import AlreadyRunning, LockLost

    try:
        await (run_webhook(settings) if settings.webhook_url else run_polling(settings))
    except (AlreadyRunning, LockLost) as error:
        print(error, file=sys.stderr)
        return EXIT_FAILED
    return 0


async def cmd_migrate(settings: Settings, args: argparse.Namespace) -> int:
    from models.db import create_engine, upgrade_database

    engine = create_engine(settings.database_url)
    try:
        applied = await upgrade_database(engine)
    finally:
        await engine.dispose()
    print("database upgraded" if applied else "database already up to date")
    return 0


async def cmd_console(settings: Settings, args: argparse.Namespace) -> int:
    from bot.console import run_console

    return await run_console(settings, sys.stdin, sys.stdout)


async def cmd_import(settings: Settings, args: argparse.Namespace) -> int:
    from models.db import open_database
    from services.school_import import import_path

    async with open_database(settings.database_url) as session_maker, session_maker() as session:
        report = await import_path(session, args.path, today=school_clock(settings).today())
        if report.ok:
            await session.commit()
            await store_school_settings(session_maker, settings)  # a school's first import made its settings row
    for line in report.summary_lines():
        print(line)
    for line in timetable_version_lines(report.timetable_versions, settings.default_language):
        print(line)
    return 0 if report.ok else EXIT_FAILED


def timetable_version_lines(notes: Sequence[TimetableVersionNote], language: str) -> list[str]:
    """What the import did with each version of the timetable (services.timetable_versions), in the
    school's language: from when it is in force, and until when the one before it stays."""
    from bot.i18n import get_translator

    translate = get_translator(language)
    lines = []
    for note in notes:
        lines.append(
            translate(f"import-timetable-{note.state}", valid_from=f"{note.valid_from:%d.%m.%Y}", lessons=note.lessons)
        )
        if note.previous is not None and note.state != "unchanged":
            last_day = note.valid_from - dt.timedelta(days=1)
            lines.append(
                translate(
                    "import-timetable-previous-kept",
                    previous=f"{note.previous:%d.%m.%Y}",
                    last_day=f"{last_day:%d.%m.%Y}",
                )
            )
    return lines


async def cmd_import_template(settings: Settings, args: argparse.Namespace) -> int:
    from services.school_import import write_template

    write_template(args.path, today=school_clock(settings).today())
    print(f"template written to {args.path}")
    return 0


async def cmd_invite(settings: Settings, args: argparse.Namespace) -> int:
    from bot.runner import bot_username
    from models import InviteRole
    from models.db import open_database
    from services.errors import DomainError
    from services.invitations.issuing import AlreadySignedIn, create_invitation, invitation_link

    try:
        username = await bot_username(settings)
    except SettingsError as error:
        print(f"Configuration error: {error}", file=sys.stderr)
        return EXIT_BAD_SETTINGS
    async with open_database(settings.database_url) as session_maker, session_maker() as session:
        try:
            issued = await create_invitation(
                session,
                InviteRole(args.role),
                args.id,
                ttl_days=settings.invite_ttl_days,
                new_admin_name=args.name,
                confirmed=args.again,
            )
        except DomainError as error:
            from bot.i18n import get_translator

            print(get_translator("en")(error.key, **error.args_for_message), file=sys.stderr)
            if isinstance(error, AlreadySignedIn):
                print("Nothing was issued. Add --again to issue the new link.", file=sys.stderr)
            return EXIT_FAILED
        await session.commit()
    link = invitation_link(username, issued.code)
    if args.json:
        print(
            json.dumps(
                {
                    "code": issued.code,
                    "link": link,
                    "role": args.role,
                    "person": issued.person_name,
                    "expires_at": issued.expires_at.isoformat(),
                },
                ensure_ascii=False,
            )
        )
    else:
        print(f"{issued.person_name} ({args.role}): {link}")
        print(f"valid until {issued.expires_at:%Y-%m-%d %H:%M} UTC, single use")
        if issued.withdrawn:
            print(f"the older unused link ({issued.withdrawn}) no longer works")
    return 0


async def cmd_backup(settings: Settings, args: argparse.Namespace) -> int:
    from bot.i18n import get_translator
    from models.db import open_database
    from services.backup import record_backup, take_backup

    async with open_database(settings.database_url) as session_maker:
        result = await take_backup(settings.database_url, settings.backup_dir, school_clock(settings).now())
        async with session_maker() as session:
            await record_backup(session, result, nightly=False)
            await session.commit()
    if not result.verified:
        print(get_translator("en")("backup-failed", error=result.error), file=sys.stderr)
        return EXIT_FAILED
    print(f"{result.path} ({result.size_bytes} bytes), integrity check passed")
    return 0


async def cmd_restore(settings: Settings, args: argparse.Namespace) -> int:
    from bot.i18n import get_translator
    from services.errors import DomainError
    from services.restore import restore_backup

    try:
        restored = await asyncio.to_thread(
            restore_backup,
            settings.database_url,
            args.file,
            lock_path=settings.bot_lock_file,
            folder=settings.backup_dir,
            now=school_clock(settings).now(),
        )
    except DomainError as error:
        print(get_translator("en")(error.key, **error.args_for_message), file=sys.stderr)
        return EXIT_FAILED
    if restored.kept_aside is not None:
        print(f"the database as it was is kept in {restored.kept_aside}")
    print(f"restored from {restored.source}")
    return 0


async def cmd_report(settings: Settings, args: argparse.Namespace) -> int:
    from bot.i18n import get_translator
    from models.db import open_database
    from services.documents.render import FileFormat, render
    from services.errors import DomainError
    from services.reports.catalogue import build_document
    from services.reports.request import Basis, request_from_names

    today = school_clock(settings).today()
    async with open_database(settings.database_url) as session_maker, session_maker() as session:
        await store_school_settings(session_maker, settings)
        try:
            request = await request_from_names(
                session,
                args.kind,
                today=today,
                class_name=args.class_name,
                subject=args.subject,
                period=args.period,
                student=args.student,
                year=args.year,
                basis=Basis(settings.report_basis),
                deadline=deadline_of(settings),
            )
            document = await build_document(session, request)
        except DomainError as error:
            print(get_translator("en")(error.key, **error.args_for_message), file=sys.stderr)
            return EXIT_FAILED
    rendered = await asyncio.to_thread(render, document, FileFormat(args.format))
    path = args.out / rendered.name if args.out.is_dir() else args.out
    path.write_bytes(rendered.content)
    print(path)
    for line in document.summary:
        print(line)
    return 0


# --- guide: one role's instruction for the school's website (regulation 3.4), from the /help texts ---


def add_guide_parser(commands: argparse._SubParsersAction) -> None:
    from services.help_topics import GUIDE_ROLES

    guide = commands.add_parser("guide", help="write one role's instruction (the /help texts) as Markdown or PDF")
    guide.add_argument("--role", required=True, choices=list(GUIDE_ROLES))
    guide.add_argument("--format", required=True, choices=["pdf", "md"])
    guide.add_argument("--language", default=SUPPORTED_LANGUAGES[0], choices=SUPPORTED_LANGUAGES)
    guide.add_argument("--out", required=True, type=Path, help="the file to write")


async def cmd_guide(settings: Settings, args: argparse.Namespace) -> int:
    from bot.i18n import get_translator
    from services.documents.guide import guide_markdown, guide_pdf
    from services.guides import role_guide, school_name

    today = school_clock(settings).today()
    guide = role_guide(args.role, get_translator(args.language), today, await school_name(settings.database_url))
    content = (
        guide_markdown(guide).encode("utf-8") if args.format == "md" else await asyncio.to_thread(guide_pdf, guide)
    )
    try:
        args.out.write_bytes(content)
    except OSError as error:
        print(f"cannot write {args.out}: {error.strerror}", file=sys.stderr)
        return EXIT_FAILED
    print(f"{guide.title}: written to {args.out}")
    return 0


def add_archive_parser(commands: argparse._SubParsersAction) -> None:
    archive = commands.add_parser(
        "archive", help="write the year-end archive of the journal (PDF, XLSX, MANIFEST.sha256)"
    )
    archive.add_argument(
        "--year", type=int, help="2026 for 2026/2027 (default: the last school year that has ended, else this one)"
    )
    archive.add_argument("--out", type=Path, required=True, help="the folder to write the archive into")


async def cmd_archive(settings: Settings, args: argparse.Namespace) -> int:
    from bot.i18n import get_translator
    from models.db import open_database
    from services.errors import DomainError
    from services.reports.archive import archive_year, write_archive

    clock = school_clock(settings)
    async with open_database(settings.database_url) as session_maker, session_maker() as session:
        await store_school_settings(session_maker, settings)
        try:
            year = await archive_year(session, clock.today(), args.year)
            result = await write_archive(
                session,
                year,
                args.out,
                timezone=clock.timezone,
                workers=settings.archive_workers,
                deadline=deadline_of(settings),
            )
        except DomainError as error:
            print(get_translator("en")(error.key, **error.args_for_message), file=sys.stderr)
            return EXIT_FAILED
        await session.commit()
    print(f"the archive of {result.year} is in {result.folder}")
    print(f"{result.files} files; MANIFEST.sha256 {result.manifest_sha256}")
    if result.confirmed is None:
        print("not confirmed yet: the director confirms it in the chat (/archive)")
    else:
        confirmed_at = clock.local(result.confirmed.at)
        print(f"confirmed by {result.confirmed.director} on {confirmed_at:%Y-%m-%d %H:%M}")
    return 0


async def cmd_new_year(settings: Settings, args: argparse.Namespace) -> int:
    from bot.i18n import get_translator
    from models.writing import is_busy
    from services.errors import DomainError
    from services.new_year import MoveRefused
    from services.school_import import WorkbookError, read_workbook

    say = get_translator("en")
    try:
        sheets = read_workbook(args.path)
    except WorkbookError as error:
        print(error, file=sys.stderr)
        return EXIT_FAILED
    clock = school_clock(settings)
    try:
        result = await _move_to_next_year(settings, sheets, clock)
    except MoveRefused as refused:
        for reason in refused.reasons:
            print(say(reason.key, **reason.args_for_message), file=sys.stderr)
        return EXIT_FAILED
    except DomainError as error:
        print(say(error.key, **error.args_for_message), file=sys.stderr)
        return EXIT_FAILED
    except Exception as error:
        if not is_busy(error):
            raise
        print(say("newyear-busy"), file=sys.stderr)  # another process held the database past the wait
        return EXIT_FAILED
    for line in result.report.summary_lines():
        print(line)
    if not result.ok:
        return EXIT_FAILED
    print(f"the school has moved to {result.year}")
    for name, kinds in sorted(result.counts.items()):
        print(f"{name}: " + ", ".join(f"{kind} {count}" for kind, count in sorted(kinds.items())))
    return 0


async def _move_to_next_year(settings: Settings, sheets: SheetRows, clock: SchoolClock) -> NewYearResult:
    from models.db import open_database
    from services.actor import ANONYMOUS
    from services.new_year import move_to_next_year

    async with open_database(settings.database_url) as session_maker, session_maker() as session:
        result = await move_to_next_year(
            session,
            sheets,
            actor=ANONYMOUS,
            today=clock.today(),
            timezone=clock.timezone,
            last_grade=settings.last_grade,
        )
        if result.ok:
            await session.commit()
    return result


COMMANDS = {
    "run": cmd_run,
    "migrate": cmd_migrate,
    "console": cmd_console,
    "import": cmd_import,
    "import-template": cmd_import_template,
    "invite": cmd_invite,
    "backup": cmd_backup,
    "restore": cmd_restore,
    "report": cmd_report,
    "guide": cmd_guide,
    "archive": cmd_archive,
    "new-year": cmd_new_year,
}
