"""Teachers: /today, the lesson view, /mark, /homework and /topic.

- today: /today, the day's lessons, each with a button that opens it;
- lesson: the lesson view and its buttons, and what is typed into an open lesson (entries, a reason,
  the topic, homework, a comment), /cancel there;
- homework: «replace or add?» where homework is set already;
- commands: the one-shot /mark, /topic and /homework;
- screen: the lesson screen, edited in place (no router);
- views: the texts and keyboards, with the buttons' callback data (no router);
- states: the open lesson and what waits in it, as the FSM keeps them (no router).
"""

from __future__ import annotations

from aiogram import Router

from bot.filters import HasRole, router_for
from handlers.teacher import commands, homework, lesson, today
from services.actor import Role

# Teachers write their lessons; the deputy and the administrator may correct any (with a reason).
WRITERS = (Role.TEACHER, Role.DEPUTY, Role.ADMIN)


def router() -> Router:
    """/today, the lesson view, typed lines in an open lesson, /mark, /topic and /homework.

    One gate, a writer's role, for all three; they are tried in this order, as their handlers were
    when they were one router.
    """
    router = router_for(__name__, HasRole(*WRITERS))
    router.include_routers(today.router(), lesson.router(), homework.router(), commands.router())
    return router
