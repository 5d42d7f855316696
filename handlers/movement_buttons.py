"""The buttons of movement: a student's card in the class list, and «Подтвердить» / «Отмена» under what
/enrol, /move and /leave will write. Answered in handlers.movement.

No router here, so that homeroom (whose class list shows the cards) and movement can both use it.
"""

from __future__ import annotations

import enum

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import Translator
from bot.text import escape, format_date
from models import MoveKind
from services import movement


class MoveStep(str, enum.Enum):
    CARD = "card"  # the student's actions
    PICK_CLASS = "pick"  # where to move
    CONFIRM_MOVE = "cmove"
    DO_MOVE = "move"
    DO_CORRECT = "fix"  # a move across grades, confirmed by the administrator as a correction of data
    CONFIRM_LEAVE = "cleave"
    DO_LEAVE = "leave"
    DO_ENROL = "enrol1"  # the typed /enrol waiting in the chat's state (an id and a name don't fit a button)
    ENROL_HELP = "enrol"
    CANCEL = "cancel"


class MovementAction(CallbackData, prefix="hrm"):
    step: MoveStep
    student_id: int = 0
    class_id: int = 0  # the class the list was opened for (ENROL_HELP), or the target class
    day: int = 0


def confirmation(i18n: Translator, plan: movement.Movement, enrol_token: int = 0) -> tuple[str, InlineKeyboardMarkup]:
    """What will be written, with «Подтвердить» and «Отмена»: the same for a typed command and the buttons.

    A new student has no id to put on the button yet: an enrolment's button carries `enrol_token`,
    which names the /enrol kept in the chat's state.
    """
    args = dict(
        name=escape(plan.full_name), id=escape(plan.external_id), date=format_date(plan.day, i18n.language, "full")
    )
    confirm, student_id, class_id = "movement-button-confirm", plan.student_id or 0, 0
    if plan.kind is MoveKind.ENROL:
        assert plan.to_class is not None
        text = i18n(
            "movement-confirm-return" if plan.returning else "movement-confirm-enrol",
            class_name=escape(plan.to_class.name),
            **args,
        )
        step, student_id, class_id = MoveStep.DO_ENROL, enrol_token, plan.to_class.id
    elif plan.kind is MoveKind.MOVE:
        assert plan.from_class is not None and plan.to_class is not None
        text = i18n(
            "movement-confirm-correction" if plan.correction else "movement-confirm-move",
            from_class=escape(plan.from_class.name),
            to_class=escape(plan.to_class.name),
            **args,
        )
        step, class_id = (MoveStep.DO_CORRECT if plan.correction else MoveStep.DO_MOVE), plan.to_class.id
        if plan.correction:
            confirm = "movement-button-confirm-correction"
    else:
        assert plan.from_class is not None
        text = i18n("movement-confirm-leave", from_class=escape(plan.from_class.name), **args)
        step = MoveStep.DO_LEAVE

    def button(key: str, button_step: MoveStep) -> InlineKeyboardButton:
        return InlineKeyboardButton(
            text=i18n(key),
            callback_data=MovementAction(
                step=button_step, student_id=student_id, class_id=class_id, day=plan.day.toordinal()
            ).pack(),
        )

    return text, InlineKeyboardMarkup(
        inline_keyboard=[[button(confirm, step), button("movement-button-cancel", MoveStep.CANCEL)]]
    )
