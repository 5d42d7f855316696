"""Opening an invitation's link: the account is bound to the person, or refused; an account that
keeps trying wrong codes is refused for an hour (its failures counted in the database, or in Redis when
the bot has it: services.short_lived)."""

from __future__ import annotations

import datetime as dt
from contextlib import AbstractAsyncContextManager, nullcontext
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import Account, AccountBinding, Invitation, InviteRole, PersonKind, SignInAttempt, utcnow
from models.writing import begin_writing
from services.errors import DomainError
from services.invitations.accounts import account_lock, fresh_account, touch_account
from services.invitations.issuing import hash_code
from services.shared_accounts import PERSON_MODELS, check_sharing
from services.short_lived import ShortLived, Window, short_lived_of

MAX_FAILURES = 5
LOCKOUT = dt.timedelta(hours=1)
FAILURES = Window("sign-in-failures", LOCKOUT, MAX_FAILURES)


class SignInRefused(DomainError):
    """A code that binds nothing: unknown, used, expired, revoked, or the account is locked out.

    Counted towards the lock-out: these are what guessing codes runs into.
    """


@dataclass(frozen=True)
class Redeemed:
    account: Account
    role: InviteRole
    person_kind: PersonKind
    person_id: int
    person_name: str
    already_bound: bool
    ended_elsewhere: int = 0  # the person's sign-ins from other accounts, ended by this one


async def redeem_invitation(
    session: AsyncSession,
    telegram_id: int,
    chat_id: int,
    code: str,
    *,
    confirmed: bool = False,
    now: dt.datetime | None = None,
) -> Redeemed:
    """Bind the account to the invitation's person, or raise SignInRefused.

    A refusal counts the failed attempt before it is raised: in the database it is committed, for it
    must survive the rollback that follows every refusal, or the lock-out would never count it; with
    Redis (services.short_lived) it is recorded there, and nothing is written. The lock-out's check and
    the failure's count are one step: under the account's database lock, and with Redis under its lock too.
    A good link the account may not take (services.shared_accounts: SharingRefused, or
    ConfirmationRequired unless `confirmed`) writes nothing at all and stays unused.
    """
    now = now or utcnow()
    short_lived = short_lived_of(session)
    async with _one_attempt_at_a_time(short_lived, telegram_id):
        await begin_writing(session, account_lock(telegram_id))  # a link tapped twice signs in once
        await _refuse_if_locked_out(session, short_lived, telegram_id, now)
        invitation = await session.scalar(select(Invitation).where(Invitation.code_hash == hash_code(code.strip())))
        account = await fresh_account(session, telegram_id)
        try:
            _check_usable(invitation, account, now)
        except SignInRefused:
            await _count_failure(session, short_lived, telegram_id, now)
            raise
    kind = PersonKind(invitation.person_kind)
    already = invitation.used_at is not None
    if account is not None and not already:
        await check_sharing(session, account, kind, invitation.person_id, confirmed=confirmed)
    account = touch_account(session, account, telegram_id, chat_id)
    await session.flush()
    ended = 0
    if not already:
        await _bind(session, account, invitation, now)
        ended = await _end_other_sign_ins(session, account, invitation, now)
    session.add(SignInAttempt(telegram_id=telegram_id, at=now, success=True))
    await session.flush()
    await session.refresh(account, attribute_names=["bindings"])
    person = await session.get(PERSON_MODELS[kind], invitation.person_id)
    return Redeemed(account, InviteRole(invitation.role), kind, invitation.person_id, person.full_name, already, ended)


def _one_attempt_at_a_time(short_lived: ShortLived | None, telegram_id: int) -> AbstractAsyncContextManager[object]:
    """With Redis the failures live outside the database's transaction, so its lock guards them too."""
    if short_lived is None:
        return nullcontext()
    return short_lived.lock(f"sign-in:{telegram_id}")


async def _refuse_if_locked_out(
    session: AsyncSession, short_lived: ShortLived | None, telegram_id: int, now: dt.datetime
) -> None:
    if short_lived is not None:
        lifts_at = await short_lived.frees_at(FAILURES, str(telegram_id), now)
    else:
        failures = await session.scalars(
            select(SignInAttempt.at)
            .where(
                SignInAttempt.telegram_id == telegram_id,
                SignInAttempt.success.is_(False),
                SignInAttempt.at > now - LOCKOUT,
            )
            .order_by(SignInAttempt.at)
        )
        lifts_at = FAILURES.frees_at(list(failures))
    if lifts_at is None:
        return
    minutes = max(1, -(-int((lifts_at - now).total_seconds()) // 60))
    raise SignInRefused("start-error-locked", minutes=minutes)


async def _count_failure(
    session: AsyncSession, short_lived: ShortLived | None, telegram_id: int, now: dt.datetime
) -> None:
    if short_lived is not None:
        await short_lived.record(FAILURES, str(telegram_id), now)
        return
    session.add(SignInAttempt(telegram_id=telegram_id, at=now, success=False))
    await session.commit()


def _check_usable(invitation: Invitation | None, account: Account | None, now: dt.datetime) -> None:
    if invitation is None:
        raise SignInRefused("start-error-unknown-code")
    if invitation.revoked_at is not None:
        raise SignInRefused("start-error-revoked-code")
    if invitation.used_at is not None:
        # Opening one's own link again is harmless as long as the binding it made still stands.
        if (
            account is None
            or invitation.used_by_account_id != account.id
            or not _is_bound_to(account, PersonKind(invitation.person_kind), invitation.person_id)
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
    binding = await session.scalar(
        select(AccountBinding).where(
            AccountBinding.account_id == account.id,
            AccountBinding.person_kind == invitation.person_kind,
            AccountBinding.person_id == invitation.person_id,
        )
    )
    if binding is None:
        binding = AccountBinding(
            account_id=account.id, person_kind=invitation.person_kind, person_id=invitation.person_id
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
        .where(
            AccountBinding.person_kind == invitation.person_kind,
            AccountBinding.person_id == invitation.person_id,
            AccountBinding.account_id != account.id,
            AccountBinding.revoked_at.is_(None),
        )
        .values(revoked_at=now, revoked_by_account_id=invitation.created_by_account_id)
    )
    return ended.rowcount
