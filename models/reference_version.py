"""`school_settings.reference_version`: it moves with every change to the school's reference tables.

services.school_reference keeps the school's classes, subjects, staff, timetable, bells and calendar
in memory, and reads them afresh when this number has moved. It moves in the same transaction as the
change, whoever makes it, through a journal session (models.writing.GatedSession): an ORM flush that
adds, changes or deletes a reference row, or a bulk INSERT, UPDATE or DELETE on a reference table.
(Writes around the sessions, on a bare connection, don't move it: nothing in the product does that
to these tables once the schema exists.)
"""

from __future__ import annotations

from itertools import chain

from sqlalchemy import event, update
from sqlalchemy.orm import ORMExecuteState, Session

from models.school import SchoolSettings
from models.writing import GatedSession

REFERENCE_TABLES = frozenset(
    {
        "school_settings",
        "academic_years",
        "periods",
        "holidays",
        "subjects",
        "work_types",
        "staff",
        "staff_roles",
        "classes",
        "assignments",
        "bells",
        "timetable",
    }
)
# Session.info key: this session moved the version (so what it read of the reference is stale).
REFERENCE_MOVED = "reference_moved"


def _is_reference(instance: object) -> bool:
    table = getattr(type(instance), "__table__", None)
    return table is not None and table.name in REFERENCE_TABLES


@event.listens_for(GatedSession, "after_flush")
def _after_flush(session: Session, _context: object) -> None:
    if any(_is_reference(instance) for instance in chain(session.new, session.deleted)) or any(
        _is_reference(instance) and session.is_modified(instance) for instance in session.dirty
    ):
        _move(session)


@event.listens_for(GatedSession, "do_orm_execute")
def _before_bulk_write(state: ORMExecuteState) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    if table is not None and table.name in REFERENCE_TABLES:
        _move(state.session)


def _move(session: Session) -> None:
    # On the session's connection, around the ORM: this statement must not set off these events again.
    session.connection().execute(update(SchoolSettings).values(reference_version=SchoolSettings.reference_version + 1))
    session.info[REFERENCE_MOVED] = True
