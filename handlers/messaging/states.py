"""What the conversation flows keep in the FSM, and what they take as typed input (no router)."""

from __future__ import annotations

from aiogram import F
from aiogram.fsm.state import State, StatesGroup


class WriteFlow(StatesGroup):
    composing = State()  # the next message goes to the chosen people
    replying = State()  # the next message answers a relayed one


class BroadcastFlow(StatesGroup):
    composing = State()
    confirming = State()


TYPED = ~F.text.startswith("/")
