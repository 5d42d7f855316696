"""The lesson view's conversation: its states, the open lesson as the FSM data keeps it, and what waits
there for a button (an entry to confirm, homework to replace or add to)."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message

from bot.i18n import Translator
from services.journal import LessonKey


class LessonEntry(StatesGroup):
    open = State()  # typed lines fill the lesson
    topic = State()
    homework = State()
    reason = State()  # a correction waits for its reason
    comment = State()  # a comment on one student's marks of the lesson


async def keep_open(state: FSMContext, key: LessonKey, screen: int | None = None) -> None:
    """Typed lines now go to this lesson; anything half-asked (a reason, a topic) is dropped.

    `screen`: the message id of the lesson screen in the chat, edited in place after each typed line;
    kept from before when the lesson is the same and none is given."""
    data, lesson = await state.get_data(), stored_key(key)
    if screen is None and data.get("lesson") == lesson:
        screen = data.get("screen")
    await state.set_state(LessonEntry.open)
    # What waits for a button (an entry to confirm, homework to replace) stays: its question is still in the chat.
    await state.update_data(lesson=lesson, screen=screen, pending=None, student_id=None)


def screen_of(data: dict[str, Any]) -> int | None:
    """The message id of the lesson screen kept by keep_open, if any."""
    screen = data.get("screen")
    return screen if isinstance(screen, int) else None


def stored_key(key: LessonKey) -> list[int | str]:
    """A lesson as the state keeps it (plain JSON values, for any FSM storage)."""
    return [key.class_id, key.subject_id, key.date.toordinal(), key.lesson_no or 0, key.subgroup or ""]


def open_key(data: dict[str, Any]) -> LessonKey | None:
    stored = data.get("lesson")
    if not stored:
        return None
    class_id, subject_id, day, lesson_no, *group = stored  # (kept before groups: four values)
    return LessonKey(class_id, subject_id, dt.date.fromordinal(day), lesson_no or None, group[0] if group else "")


async def lesson_in_state(state: FSMContext) -> LessonKey | None:
    """The lesson typed lines go to; a state without one (left from an older version) is dropped."""
    key = open_key(await state.get_data())
    if key is None:
        await state.clear()
    return key


async def ask_reason(state: FSMContext, pending: dict[str, Any]) -> None:
    await state.set_state(LessonEntry.reason)
    await state.update_data(pending=pending)


PENDING_TOKENS = 10**9  # tells one question's buttons from an older one's


async def put_pending(state: FSMContext, name: str, pending: dict[str, Any]) -> int:
    """Keep `pending` under `name` until a button answers it (it replaces an older question's); the
    token returned goes into the buttons' callback data, tying them to this question."""
    token = secrets.randbelow(PENDING_TOKENS) + 1
    await state.update_data({name: dict(pending, token=token)})
    return token


async def take_pending(
    callback: CallbackQuery, state: FSMContext, name: str, token: int, i18n: Translator, expired: str
) -> tuple[dict[str, Any], Message] | None:
    """What waits in the state under `name` for the question whose buttons carry `token`, taken (a second
    press finds nothing); None, the teacher told `expired`, when nothing waits or a newer question has
    replaced this one."""
    pending = (await state.get_data()).get(name)
    message = callback.message if isinstance(callback.message, Message) else None
    if not pending or pending.get("token") != token or message is None:
        await callback.answer(i18n(expired), show_alert=True)
        return None
    await state.update_data({name: None})
    return pending, message
