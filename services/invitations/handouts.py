"""A class's invitations as slips to print and hand out at the class meeting (regulation 2.2).

The links are issued by invite_class, as `/invite class` issues them: the same rule on who may (the
class's teacher, the administrator), the same people (everyone not signed in yet), the older unused
links withdrawn. Only the answer differs: slips (services.documents.slips) instead of a list of links.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from models import InviteRole, Student
from services.actor import Actor
from services.documents.slips import Slip
from services.invitations.access_lists import class_with_sign_ins
from services.invitations.issuing import IssuedInvitation, invitation_link, invite_class
from services.names import gender_of, short_name
from services.school_clock import SchoolClock


@dataclass(frozen=True)
class ClassHandouts:
    class_name: str
    slips: tuple[Slip, ...]  # a pupil's slip, then their parents': cut apart, they go to one family
    skipped_signed_in: int
    withdrawn: int  # older unused links the new ones replaced

    @property
    def expires(self) -> dt.date | None:
        return self.slips[0].expires if self.slips else None


async def class_handouts(
    session: AsyncSession,
    actor: Actor,
    class_id: int,
    *,
    ttl_days: int,
    bot_username: str,
    clock: SchoolClock,
    now: dt.datetime | None = None,
) -> ClassHandouts:
    """Issue the class's invitations (invite_class) and make a slip of each."""
    issued = await invite_class(session, actor, class_id, ttl_days=ttl_days, now=now)
    students, _ = await class_with_sign_ins(session, class_id)
    children = _children_by_parent(students)
    slips = tuple(
        Slip(
            name=invitation.person_name,
            role_line=_role_line(invitation, issued.class_name, children.get(invitation.person_id, ())),
            link=invitation_link(bot_username, invitation.code),
            expires=clock.local(invitation.expires_at).date(),
        )
        for invitation in issued.issued
    )
    withdrawn = sum(invitation.withdrawn for invitation in issued.issued)
    return ClassHandouts(issued.class_name, slips, issued.skipped_signed_in, withdrawn)


def _children_by_parent(students: list[Student]) -> dict[int, tuple[str, ...]]:
    """Each parent's children in the class, by parent id, in the class list's order."""
    children: dict[int, list[str]] = {}
    for student in students:
        for parent in student.parents:
            children.setdefault(parent.id, []).append(student.full_name)
    return {parent_id: tuple(names) for parent_id, names in children.items()}


def _role_line(invitation: IssuedInvitation, class_name: str, children: tuple[str, ...]) -> str:
    """«ученица, 5А»; «родитель: Иванов Пётр, 5А» — whose parent, so the slip finds its family."""
    if invitation.role is InviteRole.PARENT:
        names = ", ".join(short_name(child, "first name") for child in children)
        return f"родитель: {names}, {class_name}" if names else f"родитель, {class_name}"
    pupil = "ученица" if gender_of(invitation.person_name) == "female" else "ученик"
    return f"{pupil}, {class_name}"
