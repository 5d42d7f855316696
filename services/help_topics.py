"""Which sections of the /help texts (locales/*/help.ftl) a reader gets: one source for /help in the
chat and for the printed role guides on the school's website (regulation 3.4, `python -m bot guide`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from services.actor import Role

EVERYONE = "help-everyone"
UNBOUND = "help-unbound"  # for a stranger: how to get in
# Sections in reading order; deputy and director share one.
SECTIONS = (
    (Role.TEACHER, "help-teacher"),
    (Role.CLASS_TEACHER, "help-class-teacher"),
    (Role.PARENT, "help-parent"),
    (Role.STUDENT, "help-student"),
    (Role.DEPUTY, "help-school-reader"),
    (Role.DIRECTOR, "help-school-reader"),
    (Role.ADMIN, "help-admin"),
)
# The guides, by the name on the command line: the roles whose /help each one prints. A class
# teacher teaches too, so theirs has the teacher's section first, as their /help has.
GUIDE_ROLES: dict[str, tuple[str, ...]] = {
    "parent": (Role.PARENT,),
    "student": (Role.STUDENT,),
    "teacher": (Role.TEACHER,),
    "class-teacher": (Role.TEACHER, Role.CLASS_TEACHER),
    "deputy": (Role.DEPUTY,),
}


def help_keys(roles: Collection[str]) -> list[str]:
    """The message keys of the sections for these roles (services.actor.Role names), in reading order."""
    keys = [EVERYONE]
    for role, key in SECTIONS:
        if role in roles and key not in keys:
            keys.append(key)
    return keys


def example_args(today: dt.date) -> dict[str, str]:
    """The dates the help's examples show, from the day it is read: `day` (yesterday, for /today and
    /class) and `from` (today: a move or an enrolment may not be dated in the future). DD.MM, as typed."""
    return {"day": f"{today - dt.timedelta(days=1):%d.%m}", "from": f"{today:%d.%m}"}
