"""Signed-in demo people for chat tests: bind a Telegram account straight in the database.

(The invitation flow itself is tested in test_invitations.py; other tests need not repeat it.)
"""

from __future__ import annotations

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.chat_client import ChatClient, ChatUser
from models import Account, AccountBinding, Parent, PersonKind, Staff, Student
from services.actor import Actor, load_actor

PERSON_MODELS = {PersonKind.STAFF: Staff, PersonKind.STUDENT: Student, PersonKind.PARENT: Parent}


def kind_of(external_id: str) -> PersonKind:
    """Demo ids: s… students, p… parents, anything else staff (t1, d1, dir1, a1)."""
    if external_id.startswith("s"):
        return PersonKind.STUDENT
    if external_id.startswith("p"):
        return PersonKind.PARENT
    return PersonKind.STAFF


async def person_id(session: AsyncSession, external_id: str) -> int:
    model = PERSON_MODELS[kind_of(external_id)]
    found = await session.scalar(select(model.id).where(model.external_id == external_id))
    assert found is not None, f"no demo person {external_id}"
    return found


async def bind_account(session: AsyncSession, external_id: str, telegram_id: int) -> Account:
    """Bind (or add a binding to) the account with this Telegram id; the caller commits."""
    account = await session.scalar(select(Account).where(Account.telegram_id == telegram_id))
    if account is None:
        account = Account(telegram_id=telegram_id, chat_id=telegram_id)
        session.add(account)
        await session.flush()
    session.add(
        AccountBinding(
            account_id=account.id, person_kind=kind_of(external_id), person_id=await person_id(session, external_id)
        )
    )
    await session.flush()
    await session.refresh(account, ["bindings"])
    return account


async def actor_for(session_maker: async_sessionmaker[AsyncSession], external_id: str, telegram_id: int) -> Actor:
    """An Actor as the services see it, from a real bound account."""
    async with session_maker() as session:
        account = await bind_account(session, external_id, telegram_id)
        await session.commit()
        return await load_actor(session, account)


async def signed_in(
    harness: ChatClient, session_maker: async_sessionmaker[AsyncSession], external_id: str, telegram_id: int
) -> ChatUser:
    """A chat user bound to the demo person `external_id`."""
    async with session_maker() as session:
        await bind_account(session, external_id, telegram_id)
        await session.commit()
    return harness.user(telegram_id)


async def sign_in_every_parent(session: AsyncSession, first_telegram_id: int = 7_000_000) -> None:
    """An account for every parent, bound in bulk (a big school's families; the caller commits)."""
    parents = list(await session.scalars(select(Parent.id).order_by(Parent.id)))
    await session.execute(
        insert(Account),
        [
            {
                "telegram_id": first_telegram_id + n,
                "chat_id": first_telegram_id + n,
                "quiet_start": None,
                "quiet_end": None,
            }
            for n in range(len(parents))
        ],
    )
    accounts = dict(
        (
            await session.execute(
                select(Account.telegram_id, Account.id).where(Account.telegram_id >= first_telegram_id)
            )
        ).all()
    )
    await session.execute(
        insert(AccountBinding),
        [
            {"account_id": accounts[first_telegram_id + n], "person_kind": PersonKind.PARENT, "person_id": parent_id}
            for n, parent_id in enumerate(parents)
        ],
    )
