"""Sign-in by personal invitation (regulation 2.2, 2.3, 3.1, 3.2), who has signed in, revoking access.

An invitation is a random code shown once, as a `t.me/<bot>?start=<code>` link; only its SHA-256 is
stored. Opening the link binds the Telegram account to the person. Codes are single-use, expire, can
be revoked, and an account that keeps trying wrong codes is refused for an hour.

A person has one live link at a time: a new one withdraws the older unused ones. A link for someone
already signed in is issued only when the issuer confirms it (a lost phone, a new account), and once
it is opened the person's sign-in from any other account ends. Who may add a second person to one
account is services.shared_accounts' business.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import exists, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from models import (
    Account,
    AccountBinding,
    Invitation,
    InviteRole,
    Parent,
    PersonKind,
    SchoolClass,
    SignInAttempt,
    Staff,
    StaffRole,
    StaffRoleGrant,
    Student,
    StudentStatus,
    utcnow,
)
from models.writing import begin_writing
from services.access import ensure_admin, ensure_can_manage_access, ensure_homeroom_of
from services.actor import Actor
from services.errors import ConfirmationRequired, DomainError, NotFound, ValidationFailed
from services.homeroom import find_class, sign_in_states
from services.shared_accounts import PERSON_MODELS, check_sharing

# 16 random bytes = 128 bits, 22 URL-safe characters: well inside Telegram's 64-character start parameter.
CODE_BYTES = 16
MAX_FAILURES = 5
LOCKOUT = dt.timedelta(hours=1)
DEFAULT_ADMIN_NAME = "Администратор"
# Held while the command line looks an administrator up by name and creates them when there is none.
ADMIN_BY_NAME_LOCK = "staff:admin-by-name"


class SignInRefused(DomainError):
    """A code that binds nothing: unknown, used, expired, revoked, or the account is locked out.

    Counted towards the lock-out: these are what guessing codes runs into.
    """


class AlreadySignedIn(ConfirmationRequired):
    """The person already has a live sign-in: a new link is issued only when the issuer confirms."""

    def __init__(self, role: InviteRole, person: Staff | Parent | Student) -> None:
        super().__init__("invite-confirm-signed-in", name=person.full_name, role=role.value,
                         id=person.external_id or "")
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


@dataclass(frozen=True)
class Redeemed:
    account: Account
    role: InviteRole
    person_kind: PersonKind
    person_id: int
    person_name: str
    already_bound: bool
    ended_elsewhere: int = 0  # the person's sign-ins from other accounts, ended by this one


@dataclass(frozen=True)
class Revoked:
    person_name: str
    bindings: int
    invitations: int


@dataclass(frozen=True)
class PersonAccess:
    external_id: str
    name: str
    signed_in: bool


@dataclass(frozen=True)
class StudentAccess:
    student: PersonAccess
    parents: tuple[PersonAccess, ...]


@dataclass(frozen=True)
class BoundPerson:
    """One person an account speaks for, as /whoami describes them."""

    kind: PersonKind
    name: str
    roles: frozenset[str] = frozenset()  # staff: their roles (services.actor.Role names)
    classes: tuple[str, ...] = ()  # staff: the classes they lead; student: their class
    children: tuple[tuple[str, str | None], ...] = ()  # parent: (child's name, class name)


@dataclass(frozen=True)
class ClassInvitations:
    class_name: str
    issued: tuple[IssuedInvitation, ...]
    skipped_signed_in: int


def hash_code(code: str) -> str:
    return hashlib.sha256(code.encode("utf-8")).hexdigest()


def invitation_link(bot_username: str, code: str) -> str:
    return f"https://t.me/{bot_username.lstrip('@')}?start={code}"


# --- issuing ---------------------------------------------------------------------------------

async def create_invitation(
    session: AsyncSession, role: InviteRole, person_external_id: str | None, *, ttl_days: int,
    new_admin_name: str | None = None, created_by: Actor | None = None, confirmed: bool = False,
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
    session: AsyncSession, actor: Actor, role: InviteRole, person_id: int, *, ttl_days: int,
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
    session: AsyncSession, role: InviteRole, person: Staff | Parent | Student, *, ttl_days: int,
    created_by: Actor | None, confirmed: bool, now: dt.datetime | None,
) -> IssuedInvitation:
    if created_by is not None:
        await ensure_can_manage_access(session, created_by, role.person_kind, person.id)
    if not confirmed and await _is_signed_in(session, role.person_kind, person.id):
        raise AlreadySignedIn(role, person)
    return await _issue(session, role, person, ttl_days=ttl_days, created_by=created_by, now=now)


async def _is_signed_in(session: AsyncSession, kind: PersonKind, person_id: int) -> bool:
    return bool(await session.scalar(select(exists().where(
        AccountBinding.person_kind == kind.value, AccountBinding.person_id == person_id,
        AccountBinding.revoked_at.is_(None),
    ))))


async def invite_class(
    session: AsyncSession, actor: Actor, class_id: int, *, ttl_days: int, now: dt.datetime | None = None,
) -> ClassInvitations:
    """One invitation per student of the class and per parent of them, except those already signed in.

    Skipping signed-in people keeps the number of live codes down; a lost phone is one `/invite` away.
    """
    ensure_homeroom_of(actor, class_id)
    school_class = await session.get(SchoolClass, class_id)
    if school_class is None:
        raise NotFound("error-class-not-found", name=str(class_id))
    students, signed_in = await _class_with_sign_ins(session, class_id)
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
    session: AsyncSession, role: InviteRole, person: Staff | Parent | Student, *, ttl_days: int,
    created_by: Actor | None, now: dt.datetime | None,
) -> IssuedInvitation:
    now = now or utcnow()
    # Two issuers at once must not leave two live links: each withdraws what the other made.
    await begin_writing(session, _person_lock(role.person_kind, person.id))
    withdrawn = await session.execute(
        update(Invitation)
        .where(Invitation.person_kind == role.person_kind.value, Invitation.person_id == person.id,
               Invitation.used_at.is_(None), Invitation.revoked_at.is_(None), Invitation.expires_at > now)
        .values(revoked_at=now)
    )
    code = secrets.token_urlsafe(CODE_BYTES)
    invitation = Invitation(
        code_hash=hash_code(code), role=role.value, person_kind=role.person_kind.value, person_id=person.id,
        created_by_account_id=created_by.account_id if created_by else None,
        created_at=now, expires_at=now + dt.timedelta(days=ttl_days),
    )
    session.add(invitation)
    await session.flush()
    return IssuedInvitation(
        invitation.id, code, person.full_name, invitation.expires_at, role, person.external_id, withdrawn.rowcount,
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
            raise ValidationFailed("invite-error-lacks-role", name=person.full_name, role=role.value)
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
        staff for staff in await session.scalars(select(Staff).order_by(Staff.id))
        if " ".join(staff.full_name.split()).casefold() == name.casefold()
    ]
    admins = [staff for staff in namesakes if StaffRole.ADMIN in staff.role_set]
    if admins:
        admin = admins[0]
        if not admin.active:
            raise ValidationFailed("invite-error-inactive", name=admin.full_name)
        return admin
    if namesakes:
        raise ValidationFailed("invite-error-namesake-not-admin", name=namesakes[0].full_name,
                               id=namesakes[0].external_id or "—")
    staff = Staff(full_name=name, roles=[StaffRoleGrant(role=StaffRole.ADMIN.value)])
    session.add(staff)
    await session.flush()
    return staff


# --- signing in ------------------------------------------------------------------------------

async def redeem_invitation(
    session: AsyncSession, telegram_id: int, chat_id: int, code: str, *, confirmed: bool = False,
    now: dt.datetime | None = None,
) -> Redeemed:
    """Bind the account to the invitation's person, or raise SignInRefused.

    A refusal is committed before it is raised: the failed attempt must survive the rollback that
    follows every refusal, or the lock-out would never count it. Nothing else is written then.
    A good link the account may not take (services.shared_accounts: SharingRefused, or
    ConfirmationRequired unless `confirmed`) writes nothing at all and stays unused.
    """
    now = now or utcnow()
    await begin_writing(session, _account_lock(telegram_id))  # a link tapped twice signs in once
    await _refuse_if_locked_out(session, telegram_id, now)
    invitation = await session.scalar(select(Invitation).where(Invitation.code_hash == hash_code(code.strip())))
    account = await _account(session, telegram_id)
    try:
        _check_usable(invitation, account, now)
    except SignInRefused:
        session.add(SignInAttempt(telegram_id=telegram_id, at=now, success=False))
        await session.commit()
        raise
    kind = PersonKind(invitation.person_kind)
    already = invitation.used_at is not None
    if account is not None and not already:
        await check_sharing(session, account, kind, invitation.person_id, confirmed=confirmed)
    account = _touch_account(session, account, telegram_id, chat_id)
    await session.flush()
    ended = 0
    if not already:
        await _bind(session, account, invitation, now)
        ended = await _end_other_sign_ins(session, account, invitation, now)
    session.add(SignInAttempt(telegram_id=telegram_id, at=now, success=True))
    await session.flush()
    await session.refresh(account, attribute_names=["bindings"])
    person = await session.get(PERSON_MODELS[kind], invitation.person_id)
    return Redeemed(
        account, InviteRole(invitation.role), kind, invitation.person_id, person.full_name, already, ended,
    )


async def _refuse_if_locked_out(session: AsyncSession, telegram_id: int, now: dt.datetime) -> None:
    failures = list(await session.scalars(
        select(SignInAttempt.at)
        .where(SignInAttempt.telegram_id == telegram_id, SignInAttempt.success.is_(False),
               SignInAttempt.at > now - LOCKOUT)
        .order_by(SignInAttempt.at)
    ))
    if len(failures) < MAX_FAILURES:
        return
    # The lock lifts when enough failures have aged out of the window to leave fewer than MAX_FAILURES.
    lifts_at = failures[len(failures) - MAX_FAILURES] + LOCKOUT
    minutes = max(1, -(-int((lifts_at - now).total_seconds()) // 60))
    raise SignInRefused("start-error-locked", minutes=minutes)


def _check_usable(invitation: Invitation | None, account: Account | None, now: dt.datetime) -> None:
    if invitation is None:
        raise SignInRefused("start-error-unknown-code")
    if invitation.revoked_at is not None:
        raise SignInRefused("start-error-revoked-code")
    if invitation.used_at is not None:
        # Opening one's own link again is harmless as long as the binding it made still stands.
        if account is None or invitation.used_by_account_id != account.id or not _is_bound_to(
            account, PersonKind(invitation.person_kind), invitation.person_id
        ):
            raise SignInRefused("start-error-used-code")
        return
    if invitation.expires_at <= now:
        raise SignInRefused("start-error-expired-code")


def _is_bound_to(account: Account, kind: PersonKind, person_id: int) -> bool:
    return any(b.person_kind == kind and b.person_id == person_id for b in account.bindings)


async def _bind(session: AsyncSession, account: Account, invitation: Invitation, now: dt.datetime) -> None:
    # Claim the code atomically: of two accounts opening the same link at once, one wins.
    claimed = await session.execute(
        update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.used_at.is_(None), Invitation.revoked_at.is_(None))
        .values(used_at=now, used_by_account_id=account.id)
    )
    if claimed.rowcount != 1:
        raise SignInRefused("start-error-used-code")
    # The unique (account, kind, person) row may exist from an earlier, revoked binding: revive it.
    binding = await session.scalar(select(AccountBinding).where(
        AccountBinding.account_id == account.id,
        AccountBinding.person_kind == invitation.person_kind,
        AccountBinding.person_id == invitation.person_id,
    ))
    if binding is None:
        binding = AccountBinding(
            account_id=account.id, person_kind=invitation.person_kind, person_id=invitation.person_id,
        )
        session.add(binding)
    binding.invitation_id = invitation.id
    binding.created_at = now
    binding.revoked_at = None
    binding.revoked_by_account_id = None


async def _end_other_sign_ins(session: AsyncSession, account: Account, invitation: Invitation, now: dt.datetime) -> int:
    """A person speaks from one account: the new link replaces a lost phone, so the old sign-in ends.

    Whoever issued the link was told so before issuing it (AlreadySignedIn); the binding records them.
    """
    ended = await session.execute(
        update(AccountBinding)
        .where(AccountBinding.person_kind == invitation.person_kind, AccountBinding.person_id == invitation.person_id,
               AccountBinding.account_id != account.id, AccountBinding.revoked_at.is_(None))
        .values(revoked_at=now, revoked_by_account_id=invitation.created_by_account_id)
    )
    return ended.rowcount


# --- accounts --------------------------------------------------------------------------------

async def _account(session: AsyncSession, telegram_id: int) -> Account | None:
    # Fresh, with its bindings: the copy loaded before the account lock may predate a sign-in that held it.
    return await session.scalar(
        select(Account).where(Account.telegram_id == telegram_id).execution_options(populate_existing=True)
    )


def _account_lock(telegram_id: int) -> str:
    """Held by whoever may create the Telegram user's account (models.writing.begin_writing)."""
    return f"account:{telegram_id}"


async def get_or_create_account(session: AsyncSession, telegram_id: int, chat_id: int | None) -> Account:
    """The account of a Telegram user, created on first need; remembers the chat to write to."""
    await begin_writing(session, _account_lock(telegram_id))  # two first messages at once make one account
    account = _touch_account(session, await _account(session, telegram_id), telegram_id, chat_id)
    await session.flush()
    return account


def _touch_account(session: AsyncSession, account: Account | None, telegram_id: int, chat_id: int | None) -> Account:
    if account is None:
        account = Account(telegram_id=telegram_id)
        session.add(account)
    if chat_id is not None:
        account.chat_id = chat_id
    account.active = True  # they just wrote to us, so the chat works again
    return account


async def set_language(session: AsyncSession, telegram_id: int, chat_id: int | None, language: str) -> Account:
    account = await get_or_create_account(session, telegram_id, chat_id)
    account.language = language
    await session.flush()
    return account


async def bound_people(session: AsyncSession, actor: Actor) -> list[BoundPerson]:
    """Everyone the acting account is bound to, with roles and classes."""
    people: list[BoundPerson] = []
    if actor.staff_id is not None:
        staff = await session.get(Staff, actor.staff_id)
        homeroom = await session.scalars(
            select(SchoolClass.name).where(SchoolClass.id.in_(actor.homeroom_class_ids)).order_by(SchoolClass.name)
        )
        roles = frozenset(role.value for role in actor.staff_roles)
        people.append(BoundPerson(PersonKind.STAFF, staff.full_name, roles, tuple(homeroom)))
    parents = await session.scalars(
        select(Parent).where(Parent.id.in_(actor.parent_ids))
        .options(selectinload(Parent.children).selectinload(Student.school_class))
        .order_by(Parent.full_name)
    )
    for parent in parents:
        children = tuple((child.full_name, _class_name(child)) for child in parent.children)
        people.append(BoundPerson(PersonKind.PARENT, parent.full_name, children=children))
    if actor.student_id is not None:
        student = await session.scalar(
            select(Student).where(Student.id == actor.student_id).options(selectinload(Student.school_class))
        )
        classes = (_class_name(student),) if student.school_class else ()
        people.append(BoundPerson(PersonKind.STUDENT, student.full_name, classes=classes))
    return people


def _class_name(student: Student) -> str | None:
    return student.school_class.name if student.school_class else None


# --- revoking --------------------------------------------------------------------------------

async def revoke_invitation(
    session: AsyncSession, actor: Actor | None, invitation_id: int, *, now: dt.datetime | None = None,
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
    session: AsyncSession, actor: Actor, role: InviteRole, person_external_id: str, *, now: dt.datetime | None = None,
) -> Revoked:
    """Close a person's access: every live binding to them, and their unused invitations."""
    now = now or utcnow()
    kind = InviteRole(role).person_kind
    person = await find_person(session, kind, person_external_id)
    await ensure_can_manage_access(session, actor, kind, person.id)
    live = list(await session.scalars(select(AccountBinding).where(
        AccountBinding.person_kind == kind.value, AccountBinding.person_id == person.id,
        AccountBinding.revoked_at.is_(None),
    )))
    if any(binding.account_id == actor.account_id for binding in live):
        raise ValidationFailed("revoke-error-self")
    for binding in live:
        binding.revoked_at = now
        binding.revoked_by_account_id = actor.account_id
    invitations = await session.execute(
        update(Invitation)
        .where(Invitation.person_kind == kind.value, Invitation.person_id == person.id,
               Invitation.used_at.is_(None), Invitation.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    await session.flush()
    return Revoked(person.full_name, len(live), invitations.rowcount)


# --- who has signed in -----------------------------------------------------------------------

async def class_for_command(session: AsyncSession, actor: Actor, raw_name: str | None) -> SchoolClass:
    """The class a command is about: the one named, or the class teacher's own when there is one."""
    if raw_name:
        school_class = await find_class(session, raw_name)
    elif len(actor.homeroom_class_ids) == 1:
        school_class = await session.get(SchoolClass, next(iter(actor.homeroom_class_ids)))
    else:
        raise ValidationFailed("error-class-required")
    ensure_homeroom_of(actor, school_class.id)
    return school_class


async def class_access(session: AsyncSession, actor: Actor, class_id: int) -> list[StudentAccess]:
    """Per student of the class: have they and each of their parents signed in (regulation 3.2)."""
    ensure_homeroom_of(actor, class_id)
    students, signed_in = await _class_with_sign_ins(session, class_id)

    def entry(kind: PersonKind, person: Student | Parent) -> PersonAccess:
        return PersonAccess(person.external_id, person.full_name, (kind, person.id) in signed_in)

    return [
        StudentAccess(
            entry(PersonKind.STUDENT, student),
            tuple(entry(PersonKind.PARENT, parent) for parent in student.parents),
        )
        for student in students
    ]


async def staff_access(session: AsyncSession, actor: Actor) -> list[PersonAccess]:
    """Which staff members have signed in; for the administrator (regulation 3.1)."""
    ensure_admin(actor)
    staff = list(await session.scalars(select(Staff).where(Staff.active.is_(True)).order_by(Staff.full_name)))
    signed_in = set(await sign_in_states(session, [(PersonKind.STAFF, person.id) for person in staff]))
    return [
        PersonAccess(person.external_id or "—", person.full_name, (PersonKind.STAFF, person.id) in signed_in)
        for person in staff
    ]


async def _class_with_sign_ins(
    session: AsyncSession, class_id: int,
) -> tuple[list[Student], set[tuple[PersonKind, int]]]:
    """The studying students of a class with their parents, and which of all these have signed in."""
    students = list(await session.scalars(
        select(Student)
        .where(Student.class_id == class_id, Student.status == StudentStatus.STUDYING.value)
        .options(selectinload(Student.parents))
        .order_by(Student.full_name, Student.id)
    ))
    people = [(PersonKind.STUDENT, student.id) for student in students]
    people += [(PersonKind.PARENT, parent.id) for student in students for parent in student.parents]
    # Signed in = a live binding, whether or not Telegram still delivers to that account.
    return students, set(await sign_in_states(session, people))
