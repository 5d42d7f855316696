"""Who is acting: everything an account is bound to, resolved once per update."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Account, ParentStudent, PersonKind, StaffRole
from services.school_reference import school_reference


class Role:
    """Role names as the chat layer and the logs see them."""

    ADMIN = "admin"
    DEPUTY = "deputy"
    DIRECTOR = "director"
    TEACHER = "teacher"
    CLASS_TEACHER = "class_teacher"
    PARENT = "parent"
    STUDENT = "student"


@dataclass(frozen=True)
class Actor:
    account_id: int | None = None
    telegram_id: int | None = None
    language: str | None = None
    staff_id: int | None = None
    staff_roles: frozenset[StaffRole] = frozenset()
    homeroom_class_ids: frozenset[int] = frozenset()
    parent_ids: frozenset[int] = frozenset()
    children_ids: frozenset[int] = frozenset()
    student_id: int | None = None

    @property
    def roles(self) -> frozenset[str]:
        roles = {role.value for role in self.staff_roles}
        if self.homeroom_class_ids:
            roles.add(Role.CLASS_TEACHER)
        if self.parent_ids:
            roles.add(Role.PARENT)
        if self.student_id is not None:
            roles.add(Role.STUDENT)
        return frozenset(roles)

    @property
    def is_bound(self) -> bool:
        return bool(self.roles)

    def has(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def sees_whole_school(self) -> bool:
        """Deputy and director read the whole school (regulation 3.5, 3.6); admin too."""
        return self.has(Role.DEPUTY, Role.DIRECTOR, Role.ADMIN)


ANONYMOUS = Actor()


async def load_actor(session: AsyncSession, account: Account | None) -> Actor:
    if account is None:
        return ANONYMOUS
    staff_id = student_id = None
    parent_ids: set[int] = set()
    for binding in account.bindings:
        if binding.person_kind == PersonKind.STAFF:
            staff_id = binding.person_id
        elif binding.person_kind == PersonKind.STUDENT:
            student_id = binding.person_id
        elif binding.person_kind == PersonKind.PARENT:
            parent_ids.add(binding.person_id)

    staff_roles: frozenset[StaffRole] = frozenset()
    homeroom: frozenset[int] = frozenset()
    if staff_id is not None:
        reference = await school_reference(session)
        staff = reference.staff.get(staff_id)
        if staff is not None and staff.active:
            staff_roles, homeroom = staff.roles, reference.homeroom_of(staff_id)
        else:
            staff_id = None
    children: frozenset[int] = frozenset()
    if parent_ids:
        children = frozenset(
            await session.scalars(select(ParentStudent.student_id).where(ParentStudent.parent_id.in_(parent_ids)))
        )
    return Actor(
        account_id=account.id,
        telegram_id=account.telegram_id,
        language=account.language,
        staff_id=staff_id,
        staff_roles=staff_roles,
        homeroom_class_ids=homeroom,
        parent_ids=frozenset(parent_ids),
        children_ids=children,
        student_id=student_id,
    )
