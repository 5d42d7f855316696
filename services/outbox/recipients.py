"""Who hears about a student: the parents' active accounts, and the student's own account when the
student switched notifications on; and what each of them chose to hear (services.preferences)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import literal, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    Account,
    AccountBinding,
    DeliveryMode,
    NotificationKind,
    NotificationPreference,
    ParentStudent,
    PersonKind,
)
from services.preferences import Choices, choices_of, chosen_mode


@dataclass(frozen=True)
class Recipient:
    account_id: int
    chat_id: int | None
    is_student: bool


async def family_accounts(session: AsyncSession, student_id: int) -> list[Account]:
    """Active accounts bound to the student's parents."""
    parent_ids = select(ParentStudent.parent_id).where(ParentStudent.student_id == student_id)
    return list(
        await session.scalars(
            select(Account)
            .join(AccountBinding, AccountBinding.account_id == Account.id)
            .where(
                AccountBinding.revoked_at.is_(None),
                AccountBinding.person_kind == PersonKind.PARENT,
                AccountBinding.person_id.in_(parent_ids),
                Account.active.is_(True),
            )
            .distinct()
        )
    )


async def recipients_for_students(
    session: AsyncSession, student_ids: Iterable[int]
) -> tuple[dict[int, list[Recipient]], Choices]:
    """For each student: the parents' active accounts, and their own if they asked for notifications;
    and what those accounts chose to hear. One statement, however many students."""
    student_ids = list(student_ids)
    if not student_ids:
        return {}, {}
    parents = (
        select(
            ParentStudent.student_id,
            Account.id.label("account_id"),
            Account.chat_id,
            literal(False).label("is_student"),
        )
        .join(
            AccountBinding,
            (AccountBinding.person_id == ParentStudent.parent_id) & (AccountBinding.person_kind == PersonKind.PARENT),
        )
        .join(Account, Account.id == AccountBinding.account_id)
        .where(ParentStudent.student_id.in_(student_ids), AccountBinding.revoked_at.is_(None), Account.active.is_(True))
    )
    own = (
        select(AccountBinding.person_id, Account.id, Account.chat_id, literal(True))
        .join(Account, Account.id == AccountBinding.account_id)
        .where(
            AccountBinding.person_kind == PersonKind.STUDENT,
            AccountBinding.person_id.in_(student_ids),
            AccountBinding.revoked_at.is_(None),
            Account.active.is_(True),
            Account.wants_notifications.is_(True),
        )
    )
    accounts = union_all(parents, own).subquery()
    preference = NotificationPreference
    rows = await session.execute(
        select(accounts, preference.student_id, preference.kind, preference.mode).outerjoin(
            preference, preference.account_id == accounts.c.account_id
        )
    )
    found: dict[int, dict[int, Recipient]] = {sid: {} for sid in student_ids}
    preferences: Choices = {}
    # Parents first: an account that is both keeps the parent's (fuller) messages.
    for student_id, account_id, chat_id, is_student, child_id, kind, mode in sorted(rows, key=lambda row: bool(row[3])):
        found[student_id].setdefault(account_id, Recipient(account_id, chat_id, is_student=bool(is_student)))
        if kind is not None:
            preferences[(account_id, child_id, kind)] = mode
    recipients = {sid: sorted(by_account.values(), key=lambda r: r.account_id) for sid, by_account in found.items()}
    return recipients, preferences


async def delivery_modes(
    session: AsyncSession, account_ids: list[int], student_id: int | None, kind: NotificationKind
) -> dict[int, DeliveryMode]:
    """Each account's mode for one kind about one child (a child's own choice beats the general one)."""
    choices = await choices_of(session, account_ids)
    return {account_id: chosen_mode(choices, account_id, student_id, kind) for account_id in account_ids}
