"""Conversations through the bot (issue 14), one job a module:

- write: /write in every allowed direction (services.messaging.directions) and the message composed;
  /cancel, which ends a /write or a /broadcast (/broadcast itself is handlers.broadcasts');
- replies: answers to a relayed message (its button, or a Telegram reply) and muting its sender;
- notice_buttons: a parent's answer under an absence, «Принято к сведению» under an announcement;
- keyboards: the /write buttons' callback data, labels and keyboards (no router);
- states: the flows' FSM states and what they take as typed (no router);
- outgoing: a typed message as content to pass on, and what its writer is told (no router).
"""

from __future__ import annotations

from aiogram import Router

from bot.filters import IsBound, router_for
from handlers.messaging import notice_buttons, replies, write


def router() -> Router:
    """/write, replies to relayed messages and the buttons under notifications, for bound accounts."""
    router = router_for(__name__, IsBound())
    router.include_routers(write.router(), replies.router(), notice_buttons.router())
    return router
