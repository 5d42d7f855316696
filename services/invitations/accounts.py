"""The Telegram user's account, created on first need, and the people it speaks for (/whoami)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from models import Account, Parent, PersonKind, SchoolClass, Staff, Student
from models.writing import begin_writing
from services.actor import Actor


@dataclass(frozen=True)
class BoundPerson:
    """One person an account speaks for, as /whoami describes them."""

    kind: PersonKind
    name: str
    roles: frozenset[str] = frozenset()  # staff: their roles (services.actor.Role names)
    classes: tuple[str, ...] = ()  # staff: the classes they lead; student: their class
    children: tuple[tuple[str, str | None], ...] = ()  # parent: (child's name, class name)


async def fresh_account(session: AsyncSession, telegram_id: int) -> Account | None:
    # Fresh, with its bindings: the copy loaded before the account lock may predate a sign-in that held it.
    return await session.scalar(
        select(Account).where(Account.telegram_id == telegram_id).execution_options(populate_existing=True)
    )


def account_lock(telegram_id: int) -> str:
    """Held by whoever may create the Telegram user's account (models.writing.begin_writing)."""
    return f"account:{telegram_id}"


async def get_or_create_account(session: AsyncSession, telegram_id: int, chat_id: int | None) -> Account:
    """The account of a Telegram user, created on first need; remembers the chat to write to."""
    await begin_writing(session, account_lock(telegram_id))  # two first messages at once make one account
    account = touch_account(session, await fresh_account(session, telegram_id), telegram_id, chat_id)
    await session.flush()
    return account


def touch_account(session: AsyncSession, account: Account | None, telegram_id: int, chat_id: int | None) -> Account:
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
        select(Parent)
        .where(Parent.id.in_(actor.parent_ids))
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
