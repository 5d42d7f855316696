"""Classes by what someone typed, by id, or by who leads them; and who may read a class's records."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import SchoolClass
from services.access import ensure_homeroom_of
from services.actor import Actor
from services.errors import NotFound
from services.names import normalize_class_name
from services.school_years import class_named, in_current_year


async def find_class(session: AsyncSession, raw_name: str, year_id: int | None = None) -> SchoolClass:
    """A class by what someone typed ('5a', '5 А'), in the current year unless `year_id` names another;
    unknown names are refused."""
    found = await class_named(session, raw_name, year_id)
    if found is None:
        raise NotFound("error-class-not-found", name=normalize_class_name(raw_name))
    return found


async def classes_led_by(session: AsyncSession, actor: Actor) -> list[SchoolClass]:
    if not actor.homeroom_class_ids:
        return []
    return list(
        await session.scalars(
            select(SchoolClass)
            .where(SchoolClass.id.in_(actor.homeroom_class_ids))
            .order_by(SchoolClass.grade, SchoolClass.name)
        )
    )


async def all_classes(session: AsyncSession) -> list[SchoolClass]:
    """The current year's classes."""
    return list(
        await session.scalars(
            select(SchoolClass).where(in_current_year()).order_by(SchoolClass.grade, SchoolClass.name)
        )
    )


def ensure_reads_class(actor: Actor, class_id: int) -> None:
    """The class teacher and the administrator; deputy and director read every class (3.5, 3.6)."""
    if actor.sees_whole_school:
        return
    ensure_homeroom_of(actor, class_id)


async def class_by_id(session: AsyncSession, class_id: int) -> SchoolClass:
    school_class = await session.get(SchoolClass, class_id)
    if school_class is None:
        raise NotFound("homeroom-class-gone")
    return school_class
