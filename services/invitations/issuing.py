"""Issuing invitations: one live link per person, a confirmed new one for someone signed in already,
a class's at once, and the administrator the command line creates by name."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import exists, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    AccountBinding,
    Invitation,
    InviteRole,
    Parent,
    PersonKind,
    SchoolClass,
    Staff,
    StaffRole,
    StaffRoleGrant,
    Student,
    StudentStatus,
    utcnow,
)
from models.writing import begin_writing
from services.access import ensure_can_manage_access, ensure_homeroom_of
from services.actor import Actor
from services.errors import ConfirmationRequired, NotFound, ValidationFailed
from services.invitations.access_lists import class_with_sign_ins
from services.names import name_in_case
from services.shared_accounts import PERSON_MODELS

# 16 random bytes = 128 bits, 22 URL-safe characters: well inside Telegram's 64-character start parameter.
CODE_BYTES = 16
DEFAULT_ADMIN_NAME = "Администратор"
# Held while the command line looks an administrator up by name and creates them when there is none.
ADMIN_BY_NAME_LOCK = "staff:admin-by-name"


class AlreadySignedIn(ConfirmationRequired):
    """The person already has a live sign-in: a new link is issued only when the issuer confirms."""

    def __init__(self, role: InviteRole, person: Staff | Parent | Student) -> None:
        super().__init__(
            "invite-confirm-signed-in", name=person.full_name, role=role.value, id=person.external_id or ""
        )
        self.role = role
        self.person_id = person.id


@dataclass(frozen=True)
class IssuedInvitation:
    invitation_id: int
    code: str  # shown once; never stored
    person_name: str
    expires_at: dt.datetime
    role: InviteRole
    external_id: str | None  # None for an administrator created from the command line
    withdrawn: int  # the person's older unused links this one replaced
    person_id: int  # the Student's, Parent's or Staff's id (role.person_kind says which)


@dataclass(frozen=True)
class ClassInvitations:
    class_name: str
    issued: tuple[IssuedInvitation, ...]
    skipped_signed_in: int


def hash_code(code: str) -> str:
    return hashlib.sha256(code.encode("utf-8")).hexdigest()


def invitation_link(bot_username: str, code: str) -> str:
    return f"https://t.me/{bot_username.lstrip('@')}?start={code}"


async def create_invitation(
    session: AsyncSession,
    role: InviteRole,
    person_external_id: str | None,
    *,
    ttl_days: int,
    new_admin_name: str | None = None,
    created_by: Actor | None = None,
    confirmed: bool = False,
    now: dt.datetime | None = None,
) -> IssuedInvitation:
    """Issue an invitation for a person from the import. `created_by=None` is the command line.

    `invite admin` without an id is the administrator of that name (`new_admin_name`), created when
    there is none: only the command line may do that, since it is how the very first administrator
    gets in. AlreadySignedIn unless `confirmed` when the person has signed in already.
    """
    role = InviteRole(role)
    if person_external_id:
        person = await _person_for_invitation(session, role, person_external_id)
    elif role is InviteRole.ADMIN and created_by is None:
        person = await _admin_named(session, new_admin_name or DEFAULT_ADMIN_NAME)
    else:
        raise ValidationFailed("invite-error-id-required", role=role.value)
    return await _invite(session, role, person, ttl_days=ttl_days, created_by=created_by, confirmed=confirmed, now=now)


async def reissue_invitation(
    session: AsyncSession,
    actor: Actor,
    role: InviteRole,
    person_id: int,
    *,
    ttl_days: int,
    now: dt.datetime | None = None,
) -> IssuedInvitation:
    """The confirmed new link for a signed-in person (the button under AlreadySignedIn's question)."""
    role = InviteRole(role)
    person = await session.get(PERSON_MODELS[role.person_kind], person_id)
    if person is None:
        raise NotFound("invite-error-no-invitation")
    _check_can_hold(role, person)
    return await _invite(session, role, person, ttl_days=ttl_days, created_by=actor, confirmed=True, now=now)


async def _invite(
    session: AsyncSession,
    role: InviteRole,
    person: Staff | Parent | Student,
    *,
    ttl_days: int,
    created_by: Actor | None,
    confirmed: bool,
    now: dt.datetime | None,
) -> IssuedInvitation:
    if created_by is not None:
        await ensure_can_manage_access(session, created_by, role.person_kind, person.id)
    if not confirmed and await _is_signed_in(session, role.person_kind, person.id):
        raise AlreadySignedIn(role, person)
    return await _issue(session, role, person, ttl_days=ttl_days, created_by=created_by, now=now)


async def _is_signed_in(session: AsyncSession, kind: PersonKind, person_id: int) -> bool:
    return bool(
        await session.scalar(
            select(
                exists().where(
                    AccountBinding.person_kind == kind.value,
                    AccountBinding.person_id == person_id,
                    AccountBinding.revoked_at.is_(None),
                )
            )
        )
    )


async def invite_class(
    session: AsyncSession, actor: Actor, class_id: int, *, ttl_days: int, now: dt.datetime | None = None
) -> ClassInvitations:
    """One invitation per student of the class and per parent of them, except those already signed in.

    Skipping signed-in people keeps the number of live codes down; a lost phone is one `/invite` away.
    """
    ensure_homeroom_of(actor, class_id)
    school_class = await session.get(SchoolClass, class_id)
    if school_class is None:
        raise NotFound("error-class-not-found", name=str(class_id))
    students, signed_in = await class_with_sign_ins(session, class_id)
    people: list[tuple[InviteRole, Student | Parent]] = []
    seen_parents: set[int] = set()
    for student in students:
        people.append((InviteRole.STUDENT, student))
        people += [(InviteRole.PARENT, parent) for parent in student.parents if parent.id not in seen_parents]
        seen_parents.update(parent.id for parent in student.parents)
    wanted = [(role, person) for role, person in people if (role.person_kind, person.id) not in signed_in]
    # All the locks at once, in one order: two classes sharing parents must not wait for each other in a ring.
    await begin_writing(session, *(_person_lock(role.person_kind, person.id) for role, person in wanted))
    issued = [
        await _issue(session, role, person, ttl_days=ttl_days, created_by=actor, now=now) for role, person in wanted
    ]
    return ClassInvitations(school_class.name, tuple(issued), len(people) - len(wanted))


async def _issue(
    session: AsyncSession,
    role: InviteRole,
    person: Staff | Parent | Student,
    *,
    ttl_days: int,
    created_by: Actor | None,
    now: dt.datetime | None,
) -> IssuedInvitation:
    now = now or utcnow()
    # Two issuers at once must not leave two live links: each withdraws what the other made.
    await begin_writing(session, _person_lock(role.person_kind, person.id))
    withdrawn = await session.execute(
        update(Invitation)
        .where(
            Invitation.person_kind == role.person_kind.value,
            Invitation.person_id == person.id,
            Invitation.used_at.is_(None),
            Invitation.revoked_at.is_(None),
            Invitation.expires_at > now,
        )
        .values(revoked_at=now)
    )
    code = secrets.token_urlsafe(CODE_BYTES)
    invitation = Invitation(
        code_hash=hash_code(code),
        role=role.value,
        person_kind=role.person_kind.value,
        person_id=person.id,
        created_by_account_id=created_by.account_id if created_by else None,
        created_at=now,
        expires_at=now + dt.timedelta(days=ttl_days),
    )
    session.add(invitation)
    await session.flush()
    return IssuedInvitation(
        invitation.id,
        code,
        person.full_name,
        invitation.expires_at,
        role,
        person.external_id,
        withdrawn.rowcount,
        person.id,
    )


def _person_lock(kind: PersonKind, person_id: int) -> str:
    return f"invitations:{kind.value}:{person_id}"


async def _person_for_invitation(session: AsyncSession, role: InviteRole, external_id: str) -> Staff | Parent | Student:
    """The person an invitation is for, refusing those who cannot hold the role."""
    person = await find_person(session, role.person_kind, external_id)
    _check_can_hold(role, person)
    return person


def _check_can_hold(role: InviteRole, person: Staff | Parent | Student) -> None:
    if isinstance(person, Staff):
        if not person.active:
            raise ValidationFailed("invite-error-inactive", name=person.full_name)
        if StaffRole(role.value) not in person.role_set:
            raise ValidationFailed(
                "invite-error-lacks-role",
                name=person.full_name,
                name_gent=name_in_case(person.full_name, "gent"),
                role=role.value,
            )
    if isinstance(person, Student) and person.status != StudentStatus.STUDYING:
        raise ValidationFailed("invite-error-student-left", name=person.full_name)


async def find_person(session: AsyncSession, kind: PersonKind, external_id: str) -> Staff | Parent | Student:
    model = PERSON_MODELS[kind]
    person = await session.scalar(select(model).where(model.external_id == external_id.strip()))
    if person is None:
        raise NotFound("invite-error-no-person", kind=kind.value, id=external_id)
    return person


async def _admin_named(session: AsyncSession, raw_name: str) -> Staff:
    """The administrator of this name (case and spacing aside), created when the school has none.

    Running `invite admin --name` again is how a lost link is replaced, so it must find the person it
    made the first time. Among namesakes the earliest administrator wins (older versions could make
    several); a namesake who is not an administrator is never made one from here.
    """
    name = " ".join(raw_name.split()) or DEFAULT_ADMIN_NAME
    await begin_writing(session, ADMIN_BY_NAME_LOCK)  # two runs at once make one administrator
    namesakes = [
        staff
        for staff in await session.scalars(select(Staff).order_by(Staff.id))
        if " ".join(staff.full_name.split()).casefold() == name.casefold()
    ]
    admins = [staff for staff in namesakes if StaffRole.ADMIN in staff.role_set]
    if admins:
        admin = admins[0]
        if not admin.active:
            raise ValidationFailed("invite-error-inactive", name=admin.full_name)
        return admin
    if namesakes:
        raise ValidationFailed(
            "invite-error-namesake-not-admin", name=namesakes[0].full_name, id=namesakes[0].external_id or "—"
        )
    staff = Staff(full_name=name, roles=[StaffRoleGrant(role=StaffRole.ADMIN.value)])
    session.add(staff)
    await session.flush()
    return staff
