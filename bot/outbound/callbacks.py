"""The callback data of the buttons that go out with notices, reminders and reports.

No router here: the delivery side packs them (bot.outbound.render) and the handlers that answer them
filter on them (handlers.messaging), importing them from this module.
"""
from __future__ import annotations

from aiogram.filters.callback_data import CallbackData

class AbsenceAnswer(CallbackData, prefix="absans"):
    """A parent's answer under an absence notice: a proposal for the class teacher to confirm."""

    attendance_id: int
    answer: str


class BroadcastRead(CallbackData, prefix="bcread"):
    """«Ознакомлен(а)» under a copy of an announcement."""

    broadcast_id: int


class RelayReply(CallbackData, prefix="relay"):
    """«Ответить» under a relayed message: the next message goes back to its sender."""

    relayed_id: int
