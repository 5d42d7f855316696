"""Withdrawing an unused invitation, and closing a person's access altogether."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import AccountBinding, Invitation, InviteRole, PersonKind, utcnow
from services.access import ensure_can_manage_access
from services.actor import Actor
from services.errors import NotFound, ValidationFailed
from services.invitations.issuing import find_person


@dataclass(frozen=True)
class Revoked:
    person_name: str
    bindings: int
    invitations: int


async def revoke_invitation(
    session: AsyncSession, actor: Actor | None, invitation_id: int, *, now: dt.datetime | None = None
) -> bool:
    """Withdraw an unused invitation. `actor=None` is the command line. False when nothing was live."""
    invitation = await session.get(Invitation, invitation_id)
    if invitation is None:
        raise NotFound("invite-error-no-invitation")
    if actor is not None:
        await ensure_can_manage_access(session, actor, PersonKind(invitation.person_kind), invitation.person_id)
    if invitation.used_at is not None or invitation.revoked_at is not None:
        return False
    invitation.revoked_at = now or utcnow()
    await session.flush()
    return True


async def revoke_access(
    session: AsyncSession, actor: Actor, role: InviteRole, person_external_id: str, *, now: dt.datetime | None = None
) -> Revoked:
    """Close a person's access: every live binding to them, and their unused invitations."""
    now = now or utcnow()
    kind = InviteRole(role).person_kind
    person = await find_person(session, kind, person_external_id)
    await ensure_can_manage_access(session, actor, kind, person.id)
    live = list(
        await session.scalars(
            select(AccountBinding).where(
                AccountBinding.person_kind == kind.value,
                AccountBinding.person_id == person.id,
                AccountBinding.revoked_at.is_(None),
            )
        )
    )
    if any(binding.account_id == actor.account_id for binding in live):
        raise ValidationFailed("revoke-error-self")
    for binding in live:
        binding.revoked_at = now
        binding.revoked_by_account_id = actor.account_id
    invitations = await session.execute(
        update(Invitation)
        .where(
            Invitation.person_kind == kind.value,
            Invitation.person_id == person.id,
            Invitation.used_at.is_(None),
            Invitation.revoked_at.is_(None),
        )
        .values(revoked_at=now)
    )
    await session.flush()
    return Revoked(person.full_name, len(live), invitations.rowcount)
