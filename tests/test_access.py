"""services/access.py: for every role, one thing allowed and one refused, at the service layer.

Actors come from real bound accounts (services.actor.load_actor), never built by hand.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import message_ids
from models import Account, InviteRole, SchoolClass, Subject
from services.access import (
    ensure_admin,
    ensure_can_read_student,
    ensure_homeroom_of,
    ensure_school_reader,
    ensure_teaches,
    require_role,
)
from services.actor import ANONYMOUS, Role, load_actor
from services.demo_school import ENGLISH, HISTORY, MATH, RUSSIAN
from services.errors import AccessDenied, NotFound
from services.invitations.issuing import create_invitation
from services.invitations.revoking import revoke_access
from tests.people import actor_for, person_id


async def class_id(session: AsyncSession, name: str) -> int:
    return await session.scalar(select(SchoolClass.id).where(SchoolClass.name == name))


async def subject_id(session: AsyncSession, name: str) -> int:
    return await session.scalar(select(Subject.id).where(Subject.name == name))


def refused(key: str):
    """Expect AccessDenied with exactly this message key."""
    return pytest.raises(AccessDenied, match=f"^{key}$")


async def test_admin_may_invite_staff_but_writes_no_lessons(school, session_maker) -> None:
    admin = await actor_for(session_maker, "a1", 8001)
    async with session_maker() as session:
        ensure_admin(admin)
        issued = await create_invitation(session, InviteRole.DIRECTOR, "dir1", ttl_days=14, created_by=admin)
        assert issued.person_name == "Соколов Андрей Николаевич"
        with refused("error-not-your-lesson"):
            await ensure_teaches(session, admin, await class_id(session, "5А"), await subject_id(session, MATH))


async def test_deputy_reads_any_student_but_administers_nothing(school, session_maker) -> None:
    deputy = await actor_for(session_maker, "d1", 8002)
    async with session_maker() as session:
        ensure_school_reader(deputy)
        await ensure_can_read_student(session, deputy, await person_id(session, "s20"))  # 1А, which she does not teach
        await ensure_teaches(session, deputy, await class_id(session, "5А"), await subject_id(session, HISTORY))
    with refused("error-admin-only"):
        ensure_admin(deputy)


async def test_director_reads_the_school_but_leads_no_class(school, session_maker) -> None:
    director = await actor_for(session_maker, "dir1", 8003)
    async with session_maker() as session:
        ensure_school_reader(director)
        await ensure_can_read_student(session, director, await person_id(session, "s9"))
        with refused("error-not-your-class"):
            ensure_homeroom_of(director, await class_id(session, "5А"))
        with refused("error-access-denied"):
            await create_invitation(session, InviteRole.PARENT, "p3", ttl_days=14, created_by=director)


async def test_teacher_reaches_the_classes_and_subjects_they_teach_only(school, session_maker) -> None:
    teacher = await actor_for(session_maker, "t2", 8004)  # Russian and literature in 5А and 5Б
    async with session_maker() as session:
        five_a = await class_id(session, "5А")
        await ensure_teaches(session, teacher, five_a, await subject_id(session, RUSSIAN))
        await ensure_can_read_student(session, teacher, await person_id(session, "s1"))
        with refused("error-not-your-lesson"):
            await ensure_teaches(session, teacher, five_a, await subject_id(session, MATH))
        with refused("error-not-your-class"):
            await ensure_can_read_student(session, teacher, await person_id(session, "s17"))  # 1А
    with refused("error-not-your-class"):
        ensure_homeroom_of(teacher, five_a)
    with refused("error-school-readers-only"):
        ensure_school_reader(teacher)


async def test_class_teacher_manages_their_own_class_only(school, session_maker) -> None:
    class_teacher = await actor_for(session_maker, "t4", 8005)  # homeroom 5Б, teaches English in 5А and 5Б
    assert class_teacher.has(Role.CLASS_TEACHER)
    async with session_maker() as session:
        ensure_homeroom_of(class_teacher, await class_id(session, "5Б"))
        await create_invitation(session, InviteRole.PARENT, "p11", ttl_days=14, created_by=class_teacher)
        await ensure_teaches(session, class_teacher, await class_id(session, "5А"), await subject_id(session, ENGLISH))
        with refused("error-not-your-class"):
            ensure_homeroom_of(class_teacher, await class_id(session, "5А"))
        with refused("error-not-your-class"):
            await revoke_access(session, class_teacher, InviteRole.STUDENT, "s1")  # 5А
        with refused("error-not-your-class"):
            await ensure_can_read_student(session, class_teacher, await person_id(session, "s17"))  # 1А


async def test_parent_reads_each_of_their_children_and_no_one_else(school, session_maker) -> None:
    parent = await actor_for(session_maker, "p1", 8006)  # s1 in 5А, s17 in 1А
    async with session_maker() as session:
        await ensure_can_read_student(session, parent, await person_id(session, "s1"))
        await ensure_can_read_student(session, parent, await person_id(session, "s17"))
        with refused("error-not-your-child"):
            await ensure_can_read_student(session, parent, await person_id(session, "s2"))
    with refused("error-access-denied"):
        require_role(parent, Role.TEACHER)


async def test_student_reads_only_themself(school, session_maker) -> None:
    student = await actor_for(session_maker, "s2", 8007)
    async with session_maker() as session:
        await ensure_can_read_student(session, student, await person_id(session, "s2"))
        with refused("error-not-you"):
            await ensure_can_read_student(session, student, await person_id(session, "s1"))
    with refused("error-school-readers-only"):
        ensure_school_reader(student)


async def test_a_teacher_who_is_a_parent_reads_their_child_in_another_class(school, session_maker) -> None:
    await actor_for(session_maker, "t2", 8008)
    teacher_and_parent = await actor_for(session_maker, "p18", 8008)  # s19 in 1А, which t2 does not teach
    async with session_maker() as session:
        await ensure_can_read_student(session, teacher_and_parent, await person_id(session, "s19"))
        with refused("error-not-your-class"):
            await ensure_can_read_student(session, teacher_and_parent, await person_id(session, "s20"))


async def test_revoked_access_takes_the_role_away(school, session_maker) -> None:
    admin = await actor_for(session_maker, "a1", 8009)
    await actor_for(session_maker, "p3", 8010)
    async with session_maker() as session:
        await revoke_access(session, admin, InviteRole.PARENT, "p3")
        await session.commit()
    async with session_maker() as session:
        account = await session.scalar(select(Account).where(Account.telegram_id == 8010))
        actor = await load_actor(session, account)
    assert not actor.is_bound
    with refused("error-access-denied"):
        require_role(actor, Role.PARENT)


async def test_a_student_who_does_not_exist_is_not_found(school, session_maker) -> None:
    parent = await actor_for(session_maker, "p1", 8011)
    async with session_maker() as session:
        with pytest.raises(NotFound, match="^error-student-not-found$"):
            await ensure_can_read_student(session, parent, 10_000)


def test_an_unbound_account_holds_no_role() -> None:
    with refused("error-access-denied"):
        require_role(ANONYMOUS, Role.PARENT, Role.STUDENT, Role.TEACHER)


@pytest.mark.parametrize(
    "key",
    [
        "error-access-denied",
        "error-admin-only",
        "error-school-readers-only",
        "error-not-your-class",
        "error-not-your-lesson",
        "error-not-your-child",
        "error-not-you",
        "error-student-not-found",
    ],
)
def test_every_refusal_reads_in_both_languages(key: str) -> None:
    assert key in message_ids("ru") and key in message_ids("en")
