"""/settings: what to be notified of and how (instant, daily digest, off), digest time, quiet hours,
language. `/settings digest 20:00` and `/settings quiet 22:00-07:00` (or `off`) set the times by typing."""

from __future__ import annotations

import datetime as dt

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import SUPPORTED_LANGUAGES, Settings
from bot.filters import IsBound, router_for
from bot.i18n import Translator
from bot.text import escape, format_time
from handlers.common import LANGUAGE_LABELS, LanguageChoice
from models import DeliveryMode, NotificationKind, Student
from services import preferences
from services.actor import Actor
from services.errors import ValidationFailed

DIGEST_PRESETS = (dt.time(18, 0), dt.time(19, 0), dt.time(20, 0), dt.time(21, 0))
# Staff hear only announcements (and messages, which are always on); families hear everything.
FAMILY_KINDS = (
    NotificationKind.MARKS,
    NotificationKind.ABSENCES,
    NotificationKind.HOMEWORK,
    NotificationKind.ANNOUNCEMENTS,
)


class SettingsAction(CallbackData, prefix="set"):
    act: str  # mode, scope, student, digest, quiet
    kind: str = ""
    student: int = 0  # the child the modes are for; 0 = all children
    value: str = ""


async def cmd_settings(
    message: Message, command: CommandObject, session: AsyncSession, actor: Actor, i18n: Translator, settings: Settings
) -> None:
    words = (command.args or "").split(maxsplit=1)
    if words and words[0].lower() in ("digest", "сводка"):
        if len(words) < 2:
            raise ValidationFailed("settings-error-time", value="")
        await preferences.set_digest_time(session, actor, preferences.parse_time(words[1]))
    elif words and words[0].lower() in ("quiet", "тишина", "тихие"):
        start, end = preferences.parse_quiet_hours(words[1] if len(words) > 1 else "")
        await preferences.set_quiet_hours(session, actor, start, end)
    elif words and words[0].lower() in ("work", "работа"):
        await preferences.set_staff_quiet_hours(session, actor, words[1] if len(words) > 1 else "")
    elif words:
        await message.answer(i18n("settings-usage"))
        return
    text, markup = await render_settings(session, actor, i18n, None, settings)
    await message.answer(text, reply_markup=markup)


async def on_settings_action(
    callback: CallbackQuery,
    callback_data: SettingsAction,
    session: AsyncSession,
    actor: Actor,
    i18n: Translator,
    settings: Settings,
) -> None:
    scope = callback_data.student or None
    if callback_data.act == "mode":
        kind = NotificationKind(callback_data.kind)
        current = (await preferences.load_settings(session, actor, scope)).modes[kind]
        await preferences.set_mode(session, actor, kind, preferences.next_mode(current), scope)
    elif callback_data.act == "scope":
        pass  # only the view changes
    elif callback_data.act == "student":
        await preferences.set_wants_notifications(session, actor, callback_data.value == "on")
    elif callback_data.act == "digest":
        await preferences.set_digest_time(session, actor, preferences.parse_time(callback_data.value))
    elif callback_data.act == "quiet":
        start, end = (None, None) if callback_data.value == "off" else preferences.DEFAULT_QUIET
        await preferences.set_quiet_hours(session, actor, start, end)
    text, markup = await render_settings(session, actor, i18n, scope, settings)
    await callback.answer(i18n("settings-saved"))
    if isinstance(callback.message, Message):
        await callback.message.edit_text(text, reply_markup=markup)


async def render_settings(
    session: AsyncSession, actor: Actor, i18n: Translator, scope: int | None, settings: Settings
) -> tuple[str, InlineKeyboardMarkup]:
    current = await preferences.load_settings(session, actor, scope)
    children = (
        list(
            await session.scalars(select(Student).where(Student.id.in_(actor.children_ids)).order_by(Student.full_name))
        )
        if actor.children_ids
        else []
    )
    lines = [i18n("settings-title")]
    rows: list[list[InlineKeyboardButton]] = []

    def button(label: str, **action: object) -> InlineKeyboardButton:
        return InlineKeyboardButton(text=label, callback_data=SettingsAction(**action).pack())

    if actor.student_id is not None and not children:
        lines.append(i18n("settings-student-on" if current.wants_notifications else "settings-student-off"))
        rows.append(
            [
                button(
                    i18n(
                        "settings-button-student-off" if current.wants_notifications else "settings-button-student-on"
                    ),
                    act="student",
                    value="off" if current.wants_notifications else "on",
                )
            ]
        )
    hears_family_news = bool(children) or (actor.student_id is not None and current.wants_notifications)
    kinds = FAMILY_KINDS if hears_family_news else (NotificationKind.ANNOUNCEMENTS,)
    if len(children) > 1:
        chosen = next((c.full_name for c in children if c.id == scope), None)
        lines.append(i18n("settings-scope", scope=escape(chosen) if chosen else i18n("settings-scope-all")))
        following = [None, *(c.id for c in children)]
        next_scope = following[(following.index(scope) + 1) % len(following)] if scope in following else None
        rows.append([button(i18n("settings-button-scope"), act="scope", student=next_scope or 0)])
    for kind in kinds:
        mode = current.modes[kind]
        label = i18n(f"settings-kind-{kind.value}")
        lines.append(f"{label}: <b>{i18n(f'settings-mode-{mode.value}')}</b>")
        rows.append(
            [
                button(
                    i18n(
                        "settings-button-mode",
                        kind=label,
                        mode=i18n(f"settings-mode-{preferences.next_mode(mode).value}"),
                    ),
                    act="mode",
                    kind=kind.value,
                    student=scope or 0,
                )
            ]
        )
    if any(current.modes[kind] == DeliveryMode.DIGEST for kind in kinds):
        lines.append(i18n("settings-digest", time=format_time(current.digest_time)))
    else:
        lines.append(i18n("settings-digest-unused", time=format_time(current.digest_time)))
    rows.append(
        [button(format_time(moment), act="digest", value=moment.strftime("%H.%M")) for moment in DIGEST_PRESETS]
    )
    if current.quiet_start is not None and current.quiet_end is not None:
        lines.append(i18n("settings-quiet", start=format_time(current.quiet_start), end=format_time(current.quiet_end)))
        rows.append([button(i18n("settings-button-quiet-off"), act="quiet", value="off")])
    else:
        lines.append(i18n("settings-quiet-none"))
        start, end = preferences.DEFAULT_QUIET
        rows.append(
            [
                button(
                    i18n("settings-button-quiet-on", start=format_time(start), end=format_time(end)),
                    act="quiet",
                    value="on",
                )
            ]
        )
    if actor.staff_id is not None:
        lines.append(_off_work_line(i18n, current.staff_quiet_hours, settings))
    lines.append(i18n("settings-language", language=LANGUAGE_LABELS.get(i18n.language, i18n.language)))
    rows.append(
        [
            InlineKeyboardButton(text=LANGUAGE_LABELS[code], callback_data=LanguageChoice(language=code).pack())
            for code in SUPPORTED_LANGUAGES
            if code != i18n.language
        ]
    )
    lines.append("")
    lines.append(i18n("settings-hint"))
    return "\n".join(lines), InlineKeyboardMarkup(inline_keyboard=rows)


def _off_work_line(i18n: Translator, chosen: str | None, settings: Settings) -> str:
    """A staff member's hours off work: their own, or the school's STAFF_QUIET_HOURS."""
    start, end = preferences.parse_quiet_hours(settings.staff_quiet_hours if chosen is None else chosen or "off")
    if start is None or end is None:
        return i18n("settings-off-work-none")
    return i18n("settings-off-work", start=format_time(start), end=format_time(end))


def router() -> Router:
    """/settings and its buttons: for everyone bound to a person."""
    router = router_for(__name__, IsBound())
    router.message.register(cmd_settings, Command("settings"))
    router.callback_query.register(on_settings_action, SettingsAction.filter())
    return router
