"""Placing a pupil in groups with buttons: asked after /enrol and /move, answered in handlers.subgroups.

No router here, so that movement (which asks) and subgroups (which answers) can both use it.
"""

from __future__ import annotations

import datetime as dt

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import Translator
from bot.text import escape, format_date
from services.subgroup_moves import GroupChange, SplitSubject


class PlaceInGroup(CallbackData, prefix="sgp"):
    """A tap places the pupil from the day they joined the class (services.subgroup_moves.place_in_group)."""

    student_id: int
    subject_id: int
    subgroup: str  # the group's own name: a tap can't land in another group if the school's list changed since


def unplaced_note(i18n: Translator, unplaced: list[SplitSubject], class_name: str, asked: bool) -> str:
    """A line to add under a written enrolment or move: the split subjects the pupil is in no group of yet,
    and, when the writer is not the one to place them (`asked` False), who is."""
    if not unplaced:
        return ""
    return "\n" + i18n(
        "subgroup-unplaced" if asked else "subgroup-unplaced-by-class-teacher",
        subjects=escape(", ".join(subject.name for subject in unplaced)),
        cls=escape(class_name),
    )


def placement_question(
    i18n: Translator, student_id: int, full_name: str, subject: SplitSubject, since: dt.date
) -> tuple[str, InlineKeyboardMarkup]:
    text = i18n(
        "subgroup-ask",
        name=escape(full_name),
        subject=escape(subject.name),
        date=format_date(since, i18n.language, "full"),
    )
    buttons = [
        InlineKeyboardButton(
            text=i18n("subgroup-button", group=group),
            callback_data=PlaceInGroup(student_id=student_id, subject_id=subject.subject_id, subgroup=group).pack(),
        )
        for group in subject.groups
    ]
    return text, InlineKeyboardMarkup(inline_keyboard=[buttons])


def render_group_change(i18n: Translator, done: GroupChange) -> str:
    args = dict(
        name=escape(done.full_name),
        id=escape(done.external_id),
        subject=escape(done.subject),
        to_group=escape(done.to_group),
        date=format_date(done.since, i18n.language, "full"),
    )
    if done.from_group is None:
        return i18n("subgroup-placed", **args)
    return i18n("subgroup-moved", from_group=escape(done.from_group), **args)
