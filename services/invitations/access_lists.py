"""Who has signed in: each student of a class and their parents (regulation 3.2), the staff (3.1)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from models import Parent, PersonKind, SchoolClass, Staff, Student, StudentStatus
from services.access import ensure_admin, ensure_homeroom_of
from services.actor import Actor
from services.errors import ValidationFailed
from services.homeroom.class_list import sign_in_states
from services.homeroom.classes import find_class


@dataclass(frozen=True)
class PersonAccess:
    external_id: str
    name: str
    signed_in: bool


@dataclass(frozen=True)
class StudentAccess:
    student: PersonAccess
    parents: tuple[PersonAccess, ...]


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
    students, signed_in = await class_with_sign_ins(session, class_id)

    def entry(kind: PersonKind, person: Student | Parent) -> PersonAccess:
        return PersonAccess(person.external_id, person.full_name, (kind, person.id) in signed_in)

    return [
        StudentAccess(
            entry(PersonKind.STUDENT, student), tuple(entry(PersonKind.PARENT, parent) for parent in student.parents)
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


async def class_with_sign_ins(
    session: AsyncSession, class_id: int
) -> tuple[list[Student], set[tuple[PersonKind, int]]]:
    """The studying students of a class with their parents, and which of all these have signed in."""
    students = list(
        await session.scalars(
            select(Student)
            .where(Student.class_id == class_id, Student.status == StudentStatus.STUDYING.value)
            .options(selectinload(Student.parents))
            .order_by(Student.full_name, Student.id)
        )
    )
    people = [(PersonKind.STUDENT, student.id) for student in students]
    people += [(PersonKind.PARENT, parent.id) for student in students for parent in student.parents]
    # Signed in = a live binding, whether or not Telegram still delivers to that account.
    return students, set(await sign_in_states(session, people))
