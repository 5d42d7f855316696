"""Who may share one Telegram account (regulation 2.2, 2.3: access is personal).

An account speaks for one person as a rule. A second person is added only when the account's owner
confirms, after reading both names: a parent of children in two classes may have been imported twice,
and a teacher may be a parent too. Some mixes are never allowed:

- a staff link on an account that speaks for a parent or student: a family's phone is shared at home,
  and staff write the official record;
- a student's account speaks for that student alone: a pupil who could act as a parent would explain
  their own absences;
- two staff members or two students on one account.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from models import Account, Parent, PersonKind, Staff, Student
from services.errors import ConfirmationRequired, DomainError

PERSON_MODELS: dict[PersonKind, type[Staff] | type[Parent] | type[Student]] = {
    PersonKind.STAFF: Staff,
    PersonKind.PARENT: Parent,
    PersonKind.STUDENT: Student,
}


class SharingRefused(DomainError):
    """The link is good, but not for this account; nothing is written and the link stays unused."""


@dataclass(frozen=True)
class Person:
    kind: PersonKind
    person_id: int
    name: str


async def person_named(session: AsyncSession, kind: PersonKind, person_id: int) -> Person:
    person = await session.get(PERSON_MODELS[kind], person_id)
    return Person(kind, person_id, person.full_name)


async def check_sharing(
    session: AsyncSession, account: Account, kind: PersonKind, person_id: int, *, confirmed: bool
) -> None:
    """May `account` add the person? Raises SharingRefused, or ConfirmationRequired naming both sides."""
    others = [
        (PersonKind(binding.person_kind), binding.person_id)
        for binding in account.bindings
        if (binding.person_kind, binding.person_id) != (kind, person_id)
    ]
    if not others:
        return
    kinds = {other_kind for other_kind, _ in others}
    if kind == PersonKind.STAFF and kinds - {PersonKind.STAFF}:
        raise SharingRefused("start-error-staff-on-family-account")
    if kind in kinds and kind != PersonKind.PARENT:
        raise SharingRefused("start-error-other-person")
    if kind == PersonKind.STUDENT or PersonKind.STUDENT in kinds:
        raise SharingRefused("start-error-student-account-is-personal")
    if not confirmed:
        current = [await person_named(session, other_kind, other_id) for other_kind, other_id in others]
        new = await person_named(session, kind, person_id)
        raise ConfirmationRequired(
            "start-confirm-another-person", current=", ".join(person.name for person in current), name=new.name
        )
