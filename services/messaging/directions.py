"""Who may write to whom through /write (regulation 1.4, 3.2, 3.3). The services refuse what is not
listed here, whatever buttons a client sends:

* a parent, about their own child: the child's class teacher, a teacher of the child's class, a deputy
  director, the director;
* a pupil: their class teacher and the teachers of their class — no other pupil, no family;
* a teacher: one pupil of a class they lead or teach, that pupil's parents, all the parents of such a
  class (the deputy, director and administrator: of any class);
* staff to staff: a teacher to a deputy, a deputy to a teacher, the director to any staff member.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    Account,
    AccountBinding,
    PersonKind,
    SchoolClass,
    Staff,
    StaffRole,
    Student,
    Subject,
    TeachingAssignment,
)
from services.access import ensure_can_read_student
from services.actor import Actor
from services.errors import AccessDenied, NotFound
from services.school_reference import StaffInfo, school_reference
from services.school_years import in_current_year


@dataclass(frozen=True)
class Contact:
    """Someone a parent, a pupil or a staff member may write to: `role` is homeroom, teacher (of
    `subjects`), deputy or director."""

    staff_id: int
    name: str
    role: str
    subjects: tuple[str, ...] = ()

    @property
    def homeroom(self) -> bool:
        return self.role == "homeroom"


# --- families → staff ------------------------------------------------------------------------------


def ensure_family_of(actor: Actor, student_id: int) -> None:
    """A parent writes about their own children, a pupil about themself: nobody about another family."""
    if student_id not in actor.children_ids and student_id != actor.student_id:
        raise AccessDenied("error-not-your-child")


async def contacts_for_child(session: AsyncSession, actor: Actor, student_id: int) -> list[Contact]:
    """A parent's or pupil's choice: the class teacher first, then the teachers of the class's subjects;
    for a parent, then the deputy directors and the director."""
    ensure_family_of(actor, student_id)
    student = await student_by_id(session, student_id)
    contacts: list[Contact] = []
    if student.class_id is not None:
        school_class = await session.get(SchoolClass, student.class_id)
        subjects: dict[int, list[str]] = {}
        for staff_id, subject in await session.execute(
            select(TeachingAssignment.staff_id, Subject.name)
            .join(Subject, Subject.id == TeachingAssignment.subject_id)
            .where(TeachingAssignment.class_id == student.class_id)
            .order_by(Subject.name)
        ):
            if subject not in subjects.setdefault(staff_id, []):
                subjects[staff_id].append(subject)
        homeroom_id = school_class.homeroom_teacher_id if school_class else None
        staff_ids = ([homeroom_id] if homeroom_id else []) + [sid for sid in subjects if sid != homeroom_id]
        names = await _active_names(session, staff_ids)
        contacts = [
            Contact(sid, names[sid], "homeroom" if sid == homeroom_id else "teacher", tuple(subjects.get(sid, ())))
            for sid in staff_ids
            if sid in names
        ]
    if student_id in actor.children_ids:
        # A deputy who also teaches the class is listed twice: as its teacher, and in their own role.
        contacts += await _administration(session)
    return contacts


async def ensure_contact(
    session: AsyncSession, actor: Actor, student_id: int, staff_id: int, role: str | None = None
) -> Contact:
    """The contact `staff_id` (in `role`, when given: a deputy who teaches the class is both)."""
    contact = next(
        (
            c
            for c in await contacts_for_child(session, actor, student_id)
            if c.staff_id == staff_id and role in (None, c.role)
        ),
        None,
    )
    if contact is None:
        raise AccessDenied("write-error-not-a-contact")
    return contact


# --- staff → families -------------------------------------------------------------------------------


async def writable_classes(session: AsyncSession, actor: Actor) -> list[SchoolClass]:
    """Classes whose pupils and families a staff member may write to: led or taught; the whole school
    for the deputy, director and administrator."""
    if actor.staff_id is None:
        return []
    query = select(SchoolClass).where(in_current_year()).order_by(SchoolClass.grade, SchoolClass.name)
    if not actor.sees_whole_school:
        taught = select(TeachingAssignment.class_id).where(TeachingAssignment.staff_id == actor.staff_id)
        query = query.where(SchoolClass.id.in_(taught) | SchoolClass.id.in_(actor.homeroom_class_ids))
    return list(await session.scalars(query))


async def ensure_writable_class(session: AsyncSession, actor: Actor, class_id: int) -> SchoolClass:
    school_class = next((c for c in await writable_classes(session, actor) if c.id == class_id), None)
    if school_class is None:
        raise AccessDenied("error-not-your-class")
    return school_class


def ensure_staff(actor: Actor) -> None:
    if actor.staff_id is None or actor.account_id is None:
        raise AccessDenied("error-access-denied")


async def ensure_staff_may_write_about(session: AsyncSession, actor: Actor, student_id: int) -> None:
    """A staff member writes to a pupil, or to a pupil's parents, of a class they lead or teach."""
    ensure_staff(actor)
    await ensure_can_read_student(session, actor, student_id)


# --- staff ↔ staff ---------------------------------------------------------------------------------


async def staff_contacts(session: AsyncSession, actor: Actor) -> list[Contact]:
    """A teacher: the deputies; a deputy: the teachers; the director: every staff member."""
    if actor.staff_id is None:
        return []
    reference = await school_reference(session)
    wanted: set[StaffRole] = set()
    if StaffRole.TEACHER in actor.staff_roles:
        wanted.add(StaffRole.DEPUTY)
    if StaffRole.DEPUTY in actor.staff_roles:
        wanted.add(StaffRole.TEACHER)
    everyone = StaffRole.DIRECTOR in actor.staff_roles
    found = [
        info
        for info in reference.staff.values()
        if info.active and info.id != actor.staff_id and (everyone or info.roles & wanted)
    ]
    return [Contact(info.id, info.full_name, staff_role(info.roles)) for info in sorted(found, key=_by_name)]


async def ensure_colleague(session: AsyncSession, actor: Actor, staff_id: int) -> Contact:
    contact = next((c for c in await staff_contacts(session, actor) if c.staff_id == staff_id), None)
    if contact is None:
        raise AccessDenied("write-error-not-a-colleague")
    return contact


def staff_role(roles: frozenset[StaffRole]) -> str:
    """The role a staff member writes in: director, deputy, admin, else teacher."""
    for role in (StaffRole.DIRECTOR, StaffRole.DEPUTY, StaffRole.ADMIN):
        if role in roles:
            return role.value
    return "teacher"


# --- accounts and people ---------------------------------------------------------------------------


async def staff_accounts(session: AsyncSession, staff_id: int) -> list[Account]:
    return await _bound_accounts(session, PersonKind.STAFF, staff_id)


async def pupil_accounts(session: AsyncSession, student_id: int) -> list[Account]:
    return await _bound_accounts(session, PersonKind.STUDENT, student_id)


async def student_by_id(session: AsyncSession, student_id: int) -> Student:
    student = await session.get(Student, student_id)
    if student is None:
        raise NotFound("error-student-not-found")
    return student


async def _bound_accounts(session: AsyncSession, kind: PersonKind, person_id: int) -> list[Account]:
    return list(
        await session.scalars(
            select(Account)
            .join(AccountBinding, AccountBinding.account_id == Account.id)
            .where(
                AccountBinding.person_kind == kind,
                AccountBinding.person_id == person_id,
                AccountBinding.revoked_at.is_(None),
                Account.active.is_(True),
            )
            .distinct()
        )
    )


async def _administration(session: AsyncSession) -> list[Contact]:
    """The deputy directors, then the director."""
    reference = await school_reference(session)
    found = [
        Contact(info.id, info.full_name, role.value)
        for role in (StaffRole.DEPUTY, StaffRole.DIRECTOR)
        for info in sorted(reference.staff.values(), key=_by_name)
        if info.active and role in info.roles
    ]
    return [c for n, c in enumerate(found) if c.staff_id not in {f.staff_id for f in found[:n]}]


async def _active_names(session: AsyncSession, staff_ids: list[int]) -> dict[int, str]:
    return dict(
        (sid, name)
        for sid, name in await session.execute(
            select(Staff.id, Staff.full_name).where(Staff.id.in_(staff_ids), Staff.active.is_(True))
        )
    )


def _by_name(info: StaffInfo) -> tuple[str, int]:
    return (info.full_name, info.id)
