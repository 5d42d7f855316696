"""A teacher's line of 30 students costs a handful of SQL statements, whatever the size of the class (issue 8).

Counted with SQLAlchemy's `before_cursor_execute` over one update through the real dispatcher: the
teacher's account, the checks, the journal write with its audit, and the notices to every family.
An executemany counts once, as the database sees one statement. The school's reference data (classes,
timetable, calendar) is read once per process and then only checked (services.school_reference), so
the teacher has done something before the line is counted, as on any school day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event, func, select

from bench.school_generator import demo_school_with_a_class_of
from models import OutboxMessage, OutboxState
from services.school_import import import_rows
from tests.people import sign_in_every_parent, signed_in

TODAY = dt.date(2026, 11, 26)
NOW = dt.datetime(2026, 11, 26, 13, 30, tzinfo=dt.timezone.utc)  # 16:30 in Moscow
BUDGET = {"sqlite": 20, "postgresql": 15}


@pytest.fixture
async def teacher(harness, session_maker, time_machine):
    time_machine.move_to(NOW, tick=True)
    async with session_maker() as session:
        report = await import_rows(session, demo_school_with_a_class_of(30, TODAY), today=TODAY)
        assert report.ok, report.problems
        await sign_in_every_parent(session)
        await session.commit()
    teacher = await signed_in(harness, session_maker, "t1", 1001)
    await teacher.sends("/today")  # the day starts: the school's reference is read
    return teacher


@contextmanager
def statements(engine) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(_connection, _cursor, statement, *_args) -> None:
        seen.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", count)


def line(students: int) -> str:
    """«1:2 2:3 … 10:н …»: marks, every tenth student absent."""
    return " ".join(f"{n}:{'н' if n % 10 == 0 else 2 + n % 4}" for n in range(1, students + 1))


async def pending_mark_rows(session_maker) -> int:
    async with session_maker() as session:
        return await session.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.kind == "mark", OutboxMessage.state == OutboxState.PENDING)
        )


async def test_a_thirty_student_line_costs_a_handful_of_statements(teacher, engine, session_maker) -> None:
    budget = BUDGET[engine.dialect.name]
    with statements(engine) as new_lesson:
        [answer] = await teacher.sends(f"/mark 5А матем 26.11 {line(30)}")
    assert answer.startswith("5А, Математика, 26.11, урок 1") and len(answer.splitlines()) == 31
    families = await pending_mark_rows(session_maker)
    assert families >= 27  # every family of a marked student is to be told

    # 17:00: yesterday's lesson too, while today's notices still wait: each family's message is rewritten.
    with statements(engine) as pending_rewritten:
        [answer] = await teacher.sends(f"/mark 5А матем 25.11 {line(30)}")
    assert answer.startswith("5А, Математика, 25.11, урок 1")
    assert await pending_mark_rows(session_maker) == families  # one message per family, now for two lessons

    with statements(engine) as short_line:  # the same again, for 12 students
        await teacher.sends(f"/mark 5А матем 24.11 {line(12)}")

    assert len(new_lesson) <= budget, new_lesson
    assert len(pending_rewritten) <= budget, pending_rewritten
    assert len(short_line) == len(pending_rewritten)  # nothing is done once per student
