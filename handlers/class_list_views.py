"""/class students: the class list as text, and its buttons (the pupils' cards, enrolling). No router:
handlers.homeroom answers /class, handlers.movement the buttons."""

from __future__ import annotations

import datetime as dt

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import Translator
from bot.text import escape, format_average, format_date
from handlers.movement_buttons import MovementAction, MoveStep
from services.homeroom.class_list import ClassList, SignIn
from services.names import gender_of, short_name


def button_rows(buttons: list[InlineKeyboardButton], width: int) -> list[list[InlineKeyboardButton]]:
    return [buttons[i : i + width] for i in range(0, len(buttons), width)]


def render_class_list(i18n: Translator, listing: ClassList) -> str:
    lines = [
        i18n(
            "homeroom-list-title",
            class_name=escape(listing.class_name),
            date=format_date(listing.day, i18n.language, "full"),
        )
    ]
    if listing.period is not None:
        lines.append(i18n("homeroom-list-period", period=escape(listing.period.name)))
    if not listing.entries:
        lines.append(i18n("homeroom-list-empty"))
        return "\n".join(lines)
    flagged = sum(1 for entry in listing.entries if entry.flagged)
    lines.append(i18n("homeroom-list-flagged", count=flagged))
    for entry in listing.entries:
        lines.append("")
        if entry.left_on is not None:
            lines.append(
                i18n(
                    "homeroom-list-left",
                    number=entry.number,
                    name=escape(entry.full_name),
                    id=escape(entry.external_id),
                    gender=gender_of(entry.full_name),
                    date=entry.left_on.strftime("%d.%m"),
                )
            )
            continue
        lines.append(
            i18n(
                "homeroom-list-student",
                number=entry.number,
                name=escape(entry.full_name),
                id=escape(entry.external_id),
                state=_sign_in(i18n, entry.sign_in, entry.full_name),
            )
        )
        for parent in entry.parents:
            phone = f", {escape(parent.phone)}" if parent.phone else ""
            lines.append(
                i18n(
                    "homeroom-list-parent",
                    name=escape(parent.full_name),
                    phone=phone,
                    state=_sign_in(i18n, parent.sign_in, parent.full_name),
                )
            )
        if not entry.parents:
            lines.append(i18n("homeroom-list-no-parents"))
        for low in entry.low_averages:
            lines.append(
                i18n(
                    "homeroom-flag-average",
                    subject=escape(low.subject),
                    average=format_average(low.average, i18n.language),
                )
            )
        if entry.missed is not None:
            lines.append(
                i18n(
                    "homeroom-flag-missed",
                    missed=entry.missed.missed,
                    held=entry.missed.held,
                    percent=round(entry.missed.share * 100),
                )
            )
    return "\n".join(lines)


def _sign_in(i18n: Translator, state: SignIn, full_name: str) -> str:
    return i18n("homeroom-sign-in", state=state.value, gender=gender_of(full_name))


def class_list_buttons(i18n: Translator, listing: ClassList, today: dt.date) -> InlineKeyboardMarkup:
    """A card button per pupil (handlers.movement) and «enrol»: for whoever manages the class (the caller knows who)."""
    day = today.toordinal()
    buttons = [
        InlineKeyboardButton(
            text=i18n("homeroom-button-student", number=entry.number, name=short_name(entry.full_name, "initial")),
            callback_data=MovementAction(step=MoveStep.CARD, student_id=entry.student_id, day=day).pack(),
        )
        for entry in listing.entries
        if entry.left_on is None
    ]
    rows = button_rows(buttons, 2)
    rows.append(
        [
            InlineKeyboardButton(
                text=i18n("homeroom-button-enrol"),
                callback_data=MovementAction(step=MoveStep.ENROL_HELP, class_id=listing.class_id, day=day).pack(),
            )
        ]
    )
    return InlineKeyboardMarkup(inline_keyboard=rows)
