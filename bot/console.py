"""`python -m bot console`: the real dispatcher and handlers on a demo school, in the terminal.

Nothing leaves the machine: the console talks through bot.chat_client, as the tests do, and prints
what the bot sends. Every demo person has a Telegram account already bound in the demo database, so `/as p1`
only makes the next lines come from another account, as if someone else picked up their phone.

One module past 400 lines because it is one program: its demo school, printed transcript and read loop
serve nothing but `python -m bot console` and change together.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import html
import itertools
import logging
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TextIO

from aiogram.methods import (
    AnswerCallbackQuery,
    EditMessageReplyMarkup,
    EditMessageText,
    SendDocument,
    SendMessage,
    TelegramMethod,
)
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import selectinload

from bot.chat_client import ChatClient, ChatUser
from bot.config import Settings, school_clock, store_school_settings
from bot.factory import create_bot, create_dispatcher
from bot.i18n import Translator, get_translator
from bot.offline_session import OfflineSession
from bot.outbound.delivery import deliver_everything_now
from models import Account, AccountBinding, Parent, PersonKind, SchoolClass, Staff, Student
from models.db import open_database
from services.actor import Role, load_actor
from services.backup import BackupError, is_sqlite, sqlite_file
from services.school_clock import SchoolClock

EXIT_OK = 0
EXIT_NO_DEMO_SCHOOL = 1

# Demo accounts get made-up Telegram ids from this range, in the order the people were imported.
DEMO_TELEGRAM_IDS = range(100_000, 200_000)
DEFAULT_PERSON = "t1"  # the teacher and class teacher of 5А: the richest first view
ROLE_ORDER = (Role.ADMIN, Role.DIRECTOR, Role.DEPUTY, Role.TEACHER, Role.CLASS_TEACHER, Role.PARENT, Role.STUDENT)
_HTML_TAG = re.compile(r"<[^>]+>")


class DemoSchoolUnavailable(Exception):
    """The console cannot run: `key` says why, `details` are extra lines (import problems)."""

    def __init__(self, key: str, details: list[str] | None = None) -> None:
        super().__init__(key)
        self.key = key
        self.details = details or []


@dataclass(frozen=True)
class DemoPerson:
    external_id: str
    full_name: str
    telegram_id: int
    roles: tuple[str, ...]  # in ROLE_ORDER
    # What follows a role's name when shown: " 5А" after class teacher, ": Петров Иван (5А)" after parent.
    role_details: dict[str, str] = field(default_factory=dict, hash=False)

    def describe(self, translate: Translator) -> str:
        """All roles, with classes and children: for the list and the banner."""
        return ", ".join(translate(f"console-role-{role}") + self.role_details.get(role, "") for role in self.roles)

    def addressee(self, translate: Translator) -> str:
        """Short form for messages to someone else: 'Петрова Анна (родитель p2)'."""
        return f"{self.full_name} ({translate(f'console-role-{self.roles[0]}')} {self.external_id})"


# --- the demo school -----------------------------------------------------------------------------


async def prepare_demo_school(
    session_maker: async_sessionmaker[AsyncSession], today: dt.date
) -> tuple[list[DemoPerson], bool]:
    """The demo people, importing the school and signing everyone in on first use. True when seeded now."""
    async with session_maker() as session:
        seeded = False
        if await session.scalar(select(Account.id).where(_is_demo_account()).limit(1)) is None:
            await seed_demo_school(session, today)
            await session.commit()
            seeded = True
        return await load_cast(session), seeded


async def seed_demo_school(session: AsyncSession, today: dt.date) -> None:
    from services.demo_school import demo_school_sheets
    from services.school_import import import_rows

    if await session.scalar(select(Staff.id).limit(1)) is not None:
        # Someone pointed the console at a real journal: binding made-up accounts there would be harmful.
        raise DemoSchoolUnavailable("console-foreign-school")
    report = await import_rows(session, demo_school_sheets(today), today=today)
    if not report.ok:
        raise DemoSchoolUnavailable("console-import-failed", report.summary_lines())
    await bind_demo_accounts(session)


async def bind_demo_accounts(session: AsyncSession) -> None:
    """One account per person, staff first, then parents, then students; each in import order."""
    people = [
        (kind, person_id)
        for kind, model in ((PersonKind.STAFF, Staff), (PersonKind.PARENT, Parent), (PersonKind.STUDENT, Student))
        for person_id in await session.scalars(select(model.id).order_by(model.id))
    ]
    accounts = [
        Account(telegram_id=telegram_id, chat_id=telegram_id) for telegram_id, _ in zip(DEMO_TELEGRAM_IDS, people)
    ]
    session.add_all(accounts)
    await session.flush()
    session.add_all(
        AccountBinding(account_id=account.id, person_kind=kind, person_id=person_id)
        for account, (kind, person_id) in zip(accounts, people)
    )
    await session.flush()


async def load_cast(session: AsyncSession) -> list[DemoPerson]:
    """Everyone the console can be, read back through the same actor loading the bot uses."""
    class_names: dict[int, str] = dict((await session.execute(select(SchoolClass.id, SchoolClass.name))).tuples().all())
    accounts = await session.scalars(select(Account).where(_is_demo_account()).order_by(Account.telegram_id))
    cast = [await _demo_person(session, account, class_names) for account in accounts]
    return [person for person in cast if person is not None]


async def _demo_person(session: AsyncSession, account: Account, class_names: dict[int, str]) -> DemoPerson | None:
    actor = await load_actor(session, account)
    details: dict[str, str] = {}
    person: Staff | Student | Parent | None
    if actor.staff_id is not None:
        person = await session.get(Staff, actor.staff_id)
        details[Role.CLASS_TEACHER] = " " + ", ".join(sorted(class_names[i] for i in actor.homeroom_class_ids))
    elif actor.student_id is not None:
        person = await session.get(Student, actor.student_id)
        details[Role.STUDENT] = " " + class_names.get(person.class_id, "—")
    elif actor.parent_ids:
        person = await session.get(Parent, min(actor.parent_ids), options=[selectinload(Parent.children)])
        details[Role.PARENT] = ": " + ", ".join(
            f"{child.full_name} ({class_names.get(child.class_id, '—')})" for child in person.children
        )
    else:
        return None  # e.g. a staff member no longer active: nobody to act as
    roles = tuple(role for role in ROLE_ORDER if role in actor.roles)
    return DemoPerson(person.external_id or str(person.id), person.full_name, account.telegram_id, roles, details)


def _is_demo_account():
    return Account.telegram_id.between(DEMO_TELEGRAM_IDS.start, DEMO_TELEGRAM_IDS.stop - 1)


# --- what the bot sends, printed -----------------------------------------------------------------


class Transcript:
    """Prints the conversation: the current person's messages plainly, others' with their addressee."""

    def __init__(self, out: TextIO, translate: Translator, cast: list[DemoPerson], current: DemoPerson) -> None:
        self.out = out
        self.translate = translate
        self.by_chat = {person.telegram_id: person for person in cast}
        self.current = current

    def say(self, *lines: str) -> None:
        for line in lines:
            self.out.write(line + "\n")
        self.out.flush()

    def show(self, method: TelegramMethod[Any], result: Any) -> None:
        """A ChatClient watcher: every request the bot made, with its answer."""
        text = self._text_of(method)
        if text is None:
            return
        chat_id = getattr(method, "chat_id", None)
        if chat_id is not None and int(chat_id) != self.current.telegram_id:
            text = f"→ {self._addressee(int(chat_id))}: {text}"
        self.say(text, *button_lines(getattr(method, "reply_markup", None)))

    def _text_of(self, method: TelegramMethod[Any]) -> str | None:
        if isinstance(method, SendMessage):
            return plain_text(method.text, method.parse_mode)
        if isinstance(method, EditMessageText):
            return "✎ " + plain_text(method.text, method.parse_mode)
        if isinstance(method, EditMessageReplyMarkup):
            return "✎"
        if isinstance(method, SendDocument):
            name = getattr(method.document, "filename", None) or "file"
            return f"[{name}] " + plain_text(method.caption or "", method.parse_mode)
        if isinstance(method, AnswerCallbackQuery) and method.text:
            return ("[!] " if method.show_alert else "[i] ") + method.text
        return None

    def _addressee(self, chat_id: int) -> str:
        person = self.by_chat.get(chat_id)
        return person.addressee(self.translate) if person else f"chat {chat_id}"


def plain_text(text: str, parse_mode: object) -> str:
    """What the user would read: HTML tags dropped and entities unescaped (unless sent as plain text)."""
    if parse_mode is None:
        return text
    return html.unescape(_HTML_TAG.sub("", text))


def flat_buttons(markup: InlineKeyboardMarkup) -> list[InlineKeyboardButton]:
    return [button for row in markup.inline_keyboard for button in row]


def button_lines(markup: object) -> list[str]:
    """One line per keyboard row, buttons numbered across rows: '[1 Русский]  [2 English]'."""
    if not isinstance(markup, InlineKeyboardMarkup):
        return []
    numbers = itertools.count(1)
    return ["  ".join(f"[{next(numbers)} {button.text}]" for button in row) for row in markup.inline_keyboard]


def find_button(markup: InlineKeyboardMarkup, wanted: str) -> InlineKeyboardButton | None:
    """By number (1-based), by exact label (any case), or by the only label containing `wanted`."""
    buttons = flat_buttons(markup)
    if wanted.isdigit():
        index = int(wanted) - 1
        return buttons[index] if 0 <= index < len(buttons) else None
    folded = wanted.casefold()
    exact = [button for button in buttons if button.text.casefold() == folded]
    partial = [button for button in buttons if folded in button.text.casefold()]
    for candidates in (exact, partial):
        if len(candidates) == 1:
            return candidates[0]
    return None


# --- the loop ------------------------------------------------------------------------------------


class Console:
    """Reads lines, runs console commands, and feeds everything else to the dispatcher as the current person."""

    def __init__(
        self,
        settings: Settings,
        session_maker: async_sessionmaker[AsyncSession],
        cast: list[DemoPerson],
        transcript: Transcript,
        clock: SchoolClock,
    ) -> None:
        self.settings = settings
        self.session_maker = session_maker
        self.people = {person.external_id: person for person in cast}
        self.cast = cast
        self.transcript = transcript
        self.translate = transcript.translate
        self.client = ChatClient(
            create_bot(settings, session=OfflineSession()), create_dispatcher(settings, session_maker, clock)
        )
        self.client.watchers.append(transcript.show)
        self.bot, self.dispatcher = self.client.bot, self.client.dispatcher
        self.users = {
            person.telegram_id: self.client.user(person.telegram_id, person.full_name, settings.default_language)
            for person in cast
        }
        self._commands = {"/as": self.become, "/press": self.press}

    @property
    def current(self) -> DemoPerson:
        return self.transcript.current

    @property
    def chat_user(self) -> ChatUser:
        return self.users[self.current.telegram_id]

    async def run(self, stdin: TextIO) -> int:
        hooks = dict(self.dispatcher.workflow_data, bot=self.bot, dispatcher=self.dispatcher, bots=[self.bot])
        await self.dispatcher.emit_startup(**hooks)
        try:
            while (line := await self._next_line(stdin)) is not None:
                if line in ("/quit", "/exit"):
                    break
                if line:
                    await self.handle(line)
        finally:
            await self.dispatcher.emit_shutdown(**hooks)
            await self.bot.session.close()
        self.transcript.say(self.translate("console-bye"))
        return EXIT_OK

    async def _next_line(self, stdin: TextIO) -> str | None:
        """The next line, stripped; None at the end of input.

        A terminal echoes what is typed after the prompt; piped input is echoed after reading, so a
        scripted session prints the same transcript as a typed one.
        """
        interactive = stdin.isatty()
        if interactive:
            self._write_prompt("")
        line = await read_line(stdin)
        if not line:
            return None
        if not interactive:
            self._write_prompt(line.rstrip("\n") + "\n")
        return line.strip()

    def _write_prompt(self, typed: str) -> None:
        self.transcript.out.write(f"{self.current.external_id}> {typed}")
        self.transcript.out.flush()

    async def handle(self, line: str) -> None:
        command, _, argument = line.partition(" ")
        console_command = self._commands.get(command)
        if console_command is not None:
            await console_command(argument.strip())
        else:
            await self.send_text(line)

    async def become(self, external_id: str) -> None:
        if not external_id:
            self.transcript.say(self.translate("console-people-header"), *self.people_lines())
            return
        person = self.people.get(external_id)
        if person is None:
            self.transcript.say(self.translate("console-unknown-person", id=external_id))
            return
        self.transcript.current = person
        self.transcript.say(self.you_are())

    async def press(self, wanted: str) -> None:
        shown = self.client.keyboard_in(self.current.telegram_id)
        if shown is None or not isinstance(shown.reply_markup, InlineKeyboardMarkup):
            self.transcript.say(self.translate("console-no-buttons"))
            return
        button = find_button(shown.reply_markup, wanted)
        if button is None:
            labels = ", ".join(b.text for b in flat_buttons(shown.reply_markup))
            self.transcript.say(self.translate("console-no-such-button", label=wanted, labels=labels))
        elif button.callback_data is None:
            self.transcript.say(self.translate("console-link-button", url=button.url or "—"))
        else:
            await self.chat_user.presses(button.callback_data, message=shown)
            await self._deliver_now()

    async def send_text(self, text: str) -> None:
        await self.chat_user.sends(text)
        await self._deliver_now()

    async def _deliver_now(self) -> None:
        # Notifications wait in the outbox for grace windows and quiet hours; in a demo, show them now.
        await deliver_everything_now(self.bot, self.session_maker, self.settings)

    def you_are(self) -> str:
        person = f"{self.current.full_name} ({self.current.describe(self.translate)}; {self.current.external_id})"
        return self.translate("console-you-are", person=person)

    def people_lines(self) -> list[str]:
        width = max(len(person.external_id) for person in self.cast)
        return [f"  {p.external_id.ljust(width)}  {p.full_name} — {p.describe(self.translate)}" for p in self.cast]


async def read_line(stdin: TextIO) -> str:
    """stdin.readline() in a daemon thread, so that the event loop runs while we wait.

    Not asyncio.to_thread: asyncio.run joins the default executor's threads on the way out, so
    Ctrl+C would wait for a line to be typed. A daemon thread is simply left behind.
    """
    loop = asyncio.get_running_loop()
    arrived: asyncio.Future[str] = loop.create_future()

    def deliver(line: str) -> None:
        if not arrived.done():  # cancelled meanwhile (Ctrl+C)
            arrived.set_result(line)

    def read() -> None:
        line = stdin.readline()
        try:
            loop.call_soon_threadsafe(deliver, line)
        except RuntimeError:  # the loop has closed (Ctrl+C): nobody wants the line any more
            pass

    threading.Thread(target=read, name="console-stdin", daemon=True).start()
    return await arrived


def _shown_database(url: str) -> str:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return parsed.database or url
    return parsed.render_as_string(hide_password=True)


@contextmanager
def quiet_logging() -> Iterator[None]:
    """The per-update INFO lines would drown the conversation; warnings and errors still show.

    Filtered at the root's handlers: some libraries (alembic) set their loggers' levels themselves.
    """
    handlers = logging.getLogger().handlers
    levels = [handler.level for handler in handlers]
    for handler in handlers:
        handler.setLevel(max(handler.level, logging.WARNING))
    try:
        yield
    finally:
        for handler, level in zip(handlers, levels):
            handler.setLevel(level)


def console_settings(settings: Settings) -> Settings:
    """The demo's handlers see the demo database as theirs: /backup and /status must not read the real
    journal (DATABASE_URL), and the demo's copies and year-end archives must not land among the real ones."""
    update: dict[str, object] = {"database_url": settings.console_database_url}
    if is_sqlite(settings.console_database_url):
        try:
            folder = sqlite_file(settings.console_database_url).parent
        except BackupError:
            pass
        else:
            update["backup_dir"] = folder / "console-backups"
            update["archive_dir"] = folder / "console-archives"
    return settings.model_copy(update=update)


async def run_console(settings: Settings, stdin: TextIO, stdout: TextIO, clock: SchoolClock | None = None) -> int:
    """The demo on the school's `clock` (default: the settings'; a stopped one shows a fixed moment)."""
    settings = console_settings(settings)
    clock = clock or school_clock(settings)
    translate = get_translator(settings.default_language)
    database = _shown_database(settings.console_database_url)
    with quiet_logging():
        async with open_database(settings.console_database_url) as session_maker:
            try:
                cast, seeded = await prepare_demo_school(session_maker, clock.today())
            except DemoSchoolUnavailable as refusal:
                stdout.write("\n".join([translate(refusal.key, database=database), *refusal.details]) + "\n")
                return EXIT_NO_DEMO_SCHOOL
            await store_school_settings(session_maker, settings)
            current = next((p for p in cast if p.external_id == DEFAULT_PERSON), cast[0])
            transcript = Transcript(stdout, translate, cast, current)
            console = Console(settings, session_maker, cast, transcript, clock)
            transcript.say(translate("console-banner", database=database))
            if seeded:
                transcript.say(translate("console-seeded", people=len(cast)))
            transcript.say(console.you_are(), translate("console-commands"))
            return await console.run(stdin)
