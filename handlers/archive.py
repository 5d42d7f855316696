"""The year-end archive: /archive (administrator) writes it under ARCHIVE_DIR and asks the director;
«Подтвердить архив» (director) confirms it (services.reports.archive_confirmation)."""

from __future__ import annotations

import datetime as dt
import re

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings, deadline_of
from bot.filters import IsBound, router_for
from bot.i18n import Translator
from bot.outbound.callbacks import ConfirmArchive
from bot.text import escape, format_date
from services.access import ensure_admin
from services.actor import Actor
from services.errors import ValidationFailed
from services.reports.archive_confirmation import confirm_and_print, write_for_director
from services.school_clock import SchoolClock

# «2026», «2026/2027», «2026-2027»: the year by the calendar year it starts in.
_YEAR = re.compile(r"^(\d{4})(?:[/-]\d{4})?$")


async def cmd_archive(
    message: Message,
    command: CommandObject,
    session: AsyncSession,
    actor: Actor,
    i18n: Translator,
    settings: Settings,
    clock: SchoolClock,
) -> None:
    ensure_admin(actor)  # before the «writing…» line; the service checks again
    words = (command.args or "").split()
    found = _YEAR.match(words[0]) if len(words) == 1 else None
    if words and found is None:
        raise ValidationFailed("archive-usage")
    await message.answer(i18n("archive-writing"))
    written = await write_for_director(
        session,
        actor,
        settings.archive_dir,
        clock.today(),
        int(found.group(1)) if found else None,
        timezone=clock.timezone,
        workers=settings.archive_workers,
        deadline=deadline_of(settings),
    )
    result = written.result
    lines = [
        i18n(
            "archive-written",
            year=escape(result.year),
            folder=escape(str(result.folder)),
            files=result.files,
            hash=result.manifest_sha256,
        )
    ]
    if result.confirmed is not None:
        lines.append(
            i18n(
                "archive-already-confirmed",
                director=escape(result.confirmed.director),
                when=_when(clock.local(result.confirmed.at), i18n),
            )
        )
    else:
        lines.append(i18n("archive-asked", directors=written.directors_asked))
    await message.answer("\n".join(lines))


async def on_confirm_archive(
    callback: CallbackQuery,
    callback_data: ConfirmArchive,
    session: AsyncSession,
    actor: Actor,
    i18n: Translator,
    settings: Settings,
    clock: SchoolClock,
) -> None:
    confirmation = await confirm_and_print(
        session, actor, callback_data.archive_id, settings.archive_dir, timezone=clock.timezone
    )
    who = dict(director=escape(confirmation.director), when=_when(clock.local(confirmation.at), i18n))
    if confirmation.already:
        text = i18n("archive-already-confirmed", **who)
    else:
        text = i18n("archive-confirmed", year=escape(confirmation.year), hash=confirmation.manifest_sha256, **who)
    if confirmation.title is not None:
        text += "\n" + i18n("archive-title-rewritten", path=escape(str(confirmation.title)))
    else:
        text += "\n" + i18n("archive-title-elsewhere")
    if isinstance(callback.message, Message):
        await callback.message.answer(text)
    await callback.answer(None if confirmation.already else i18n("archive-confirmed-short"))


def _when(moment: dt.datetime, i18n: Translator) -> str:
    return f"{format_date(moment.date(), i18n.language, 'full')} {moment:%H:%M}"


def router() -> Router:
    """/archive and «Подтвердить архив»."""
    router = router_for(__name__, IsBound())
    router.message.register(cmd_archive, Command("archive"))
    router.callback_query.register(on_confirm_archive, ConfirmArchive.filter())
    return router
