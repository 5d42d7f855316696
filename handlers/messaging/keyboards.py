"""The /write flow's buttons: their callback data, labels and keyboards (no router; handlers.broadcasts
builds its keyboards with `markup` too)."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import Translator
from services.messaging import directions


class WriteChild(CallbackData, prefix="wch"):
    student_id: int


class WriteTo(CallbackData, prefix="wto"):
    """A parent writes about `student_id` to the staff member `staff_id`."""

    student_id: int
    staff_id: int
    role: str = ""  # the contact's (services.messaging.directions.Contact); "" any


class WriteClass(CallbackData, prefix="wcl"):
    class_id: int


class WriteStudent(CallbackData, prefix="wst"):
    """A staff member writes to the parents of `student_id`."""

    student_id: int


class WritePupil(CallbackData, prefix="wpu"):
    """A staff member writes to the pupil `student_id`."""

    student_id: int


class WriteClassParents(CallbackData, prefix="wcp"):
    """A teacher writes to all the parents of `class_id`."""

    class_id: int


class WriteColleagues(CallbackData, prefix="wcs"):
    """A staff member's list of the colleagues they may write to."""


class WriteColleague(CallbackData, prefix="wcg"):
    staff_id: int


def markup(rows: list[list[tuple[str, str]]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text=label, callback_data=data) for label, data in row] for row in rows]
    )


def contact_label(i18n: Translator, contact: directions.Contact) -> str:
    """«Иванова Мария Петровна — классный руководитель», «… — Литература, Русский язык», «… — директор»."""
    if contact.role == "teacher" and contact.subjects:
        return i18n("write-button-teacher", name=contact.name, subjects=", ".join(contact.subjects))
    return i18n("write-button-contact", name=contact.name, role=contact.role)
