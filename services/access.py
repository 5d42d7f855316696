"""Who may do what. Every feature asks here; each refusal names what exactly is not allowed.

The chat layer also routes by role, but these checks are the ones that count: the console and the
tests call the services directly, and a forged button reaches a service as easily as a typed command.
"""

from __future__ import annotations

from typing import NoReturn

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import ParentStudent, PersonKind, Student, TeachingAssignment
from services.actor import Actor, Role
from services.errors import AccessDenied, NotFound
from services.school_reference import school_reference


def require_role(actor: Actor, *roles: str) -> None:
    """The actor holds at least one of `roles` (names from services.actor.Role)."""
    if not actor.has(*roles):
        raise AccessDenied("error-access-denied")


def ensure_admin(actor: Actor) -> None:
    if not actor.has(Role.ADMIN):
        raise AccessDenied("error-admin-only")


def ensure_school_reader(actor: Actor) -> None:
    """Deputy, director and administrator read the whole school (regulation 3.5, 3.6)."""
    if not actor.sees_whole_school:
        raise AccessDenied("error-school-readers-only")


def ensure_homeroom_of(actor: Actor, class_id: int) -> None:
    """The class teacher of that class, or the administrator (regulation 3.1, 3.2)."""
    if class_id in actor.homeroom_class_ids or actor.has(Role.ADMIN):
        return
    raise AccessDenied("error-not-your-class")


async def ensure_teaches(
    session: AsyncSession, actor: Actor, class_id: int, subject_id: int, subgroup: str = ""
) -> None:
    """A teacher writes only the lessons of the class–subjects they are assigned to; of a split
    subject, a group's lesson (`subgroup`) only when it is their group's."""
    reference = await school_reference(session)
    if actor.has(Role.TEACHER) and reference.teaches(actor.staff_id, class_id, subject_id):
        if reference.teaches(actor.staff_id, class_id, subject_id, subgroup):
            return
        raise AccessDenied("error-not-your-group", group=subgroup)
    raise AccessDenied("error-not-your-lesson")


async def ensure_can_read_student(session: AsyncSession, actor: Actor, student_id: int) -> None:
    """Parents read their children, a student themself, staff the classes they lead or teach."""
    class_id = await _class_of_student(session, student_id)
    if (
        actor.sees_whole_school
        or student_id in actor.children_ids
        or student_id == actor.student_id
        or (class_id is not None and await _leads_or_teaches(session, actor, class_id))
    ):
        return
    _refuse_student(actor)


async def ensure_can_manage_access(session: AsyncSession, actor: Actor, kind: PersonKind, person_id: int) -> None:
    """Who may invite a person or revoke their access (regulation 2.2, 3.1, 3.2).

    Staff: the administrator only. Students and parents: the administrator, or the class teacher of
    the student's class (of any of the parent's children).
    """
    if actor.has(Role.ADMIN):
        return
    if kind == PersonKind.STAFF:
        raise AccessDenied("error-admin-only")
    if not actor.homeroom_class_ids:
        raise AccessDenied("error-access-denied")
    if not actor.homeroom_class_ids.intersection(await classes_of_person(session, kind, person_id)):
        raise AccessDenied("error-not-your-class")


async def classes_of_person(session: AsyncSession, kind: PersonKind, person_id: int) -> set[int]:
    """The classes a student or parent belongs to through the children; empty for staff."""
    if kind == PersonKind.STUDENT:
        query = select(Student.class_id).where(Student.id == person_id)
    elif kind == PersonKind.PARENT:
        query = (
            select(Student.class_id)
            .join(ParentStudent, ParentStudent.student_id == Student.id)
            .where(ParentStudent.parent_id == person_id)
        )
    else:
        return set()
    return {class_id for class_id in await session.scalars(query) if class_id is not None}


async def _class_of_student(session: AsyncSession, student_id: int) -> int | None:
    row = (await session.execute(select(Student.class_id).where(Student.id == student_id))).first()
    if row is None:
        raise NotFound("error-student-not-found")
    return row.class_id


async def _leads_or_teaches(session: AsyncSession, actor: Actor, class_id: int) -> bool:
    if class_id in actor.homeroom_class_ids:
        return True
    if not actor.has(Role.TEACHER):
        return False
    return bool(
        await session.scalar(
            select(
                exists().where(TeachingAssignment.staff_id == actor.staff_id, TeachingAssignment.class_id == class_id)
            )
        )
    )


def _refuse_student(actor: Actor) -> NoReturn:
    """Say why in the actor's terms: a parent hears "not your child", a teacher "not your class"."""
    if actor.staff_id is not None:
        raise AccessDenied("error-not-your-class")
    if actor.parent_ids:
        raise AccessDenied("error-not-your-child")
    if actor.student_id is not None:
        raise AccessDenied("error-not-you")
    raise AccessDenied("error-access-denied")
