"""The role guides for the school's website (regulation 3.4): the /help texts of one role, with a
title and how to get in, and the school's name when there is a database to read it from."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from models import SchoolSettings
from models.db import create_engine, create_session_maker
from services.catalogue import Catalogue
from services.documents.guide import Guide, section_from_help
from services.help_topics import GUIDE_ROLES, example_args, help_keys


def role_guide(role: str, translate: Catalogue, today: dt.date, school: str = "") -> Guide:
    """The guide for `role` (a GUIDE_ROLES name) in the catalogue's language, its examples dated from `today`."""
    examples = example_args(today)
    return Guide(
        title=translate("guide-title", role=role),
        school=school,
        intro=translate("guide-sign-in", role=role),
        sections=tuple(section_from_help(translate(key, **examples)) for key in help_keys(GUIDE_ROLES[role])),
        language=translate.language,
    )


async def school_name(database_url: str) -> str:
    """school_settings.name, or "" when there is no database yet (a fresh checkout) or it cannot be read.

    Only read: a guide is printed from any checkout, and must neither create nor upgrade a database.
    """
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite" and not (url.database and Path(url.database).is_file()):
        return ""
    engine = create_engine(database_url, connections=2)
    try:
        async with create_session_maker(engine)() as session:
            name = await session.scalar(select(SchoolSettings.name).order_by(SchoolSettings.id).limit(1))
    except (SQLAlchemyError, OSError):
        return ""  # an empty file, an old schema, a server that is down: the guide goes without the name
    finally:
        await engine.dispose()
    return (name or "").strip()
