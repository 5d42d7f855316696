"""Two people writing one lesson at the same moment, and a write that can't get its turn (issue 8).

The clock stands at Thursday 26.11.2026, 10:00 in Moscow; t1 teaches mathematics in 5А (lesson 1),
d1 is the deputy head.
"""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from sqlalchemy import func, select, update

from bot.chat_client import ChatClient
from bot.factory import create_bot, create_dispatcher
from bot.offline_session import OfflineSession
from models import Account, AuditEntry, Lesson, Mark, Student
from models.db import create_engine, create_session_maker
from models.writing import begin_writing
from services.lessons import LessonSlot, lesson_lock
from tests import homeroom_data
from tests.people import signed_in

pytestmark = pytest.mark.usefixtures("school")

NOW = dt.datetime(2026, 11, 26, 7, 0, tzinfo=dt.timezone.utc)  # 10:00 in Moscow
TODAY = dt.date(2026, 11, 26)


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(NOW, tick=True)


async def first_students_marks(session_maker) -> tuple[list[int], list[AuditEntry]]:
    """The live marks of 5А's №1 (Алексеев) in today's mathematics, and the audit of them, oldest first."""
    async with session_maker() as session:
        student = await homeroom_data.student(session, "s1")
        marks = list(
            await session.scalars(
                select(Mark.value)
                .join(Lesson, Lesson.id == Mark.lesson_id)
                .where(Mark.student_id == student.id, Lesson.date == TODAY, Mark.deleted_at.is_(None))
            )
        )
        audit = list(
            await session.scalars(
                select(AuditEntry)
                .where(AuditEntry.student_id == student.id, AuditEntry.entity == "mark")
                .order_by(AuditEntry.id)
            )
        )
        return marks, audit


def assert_both_kept_and_the_later_won(marks: list[int], audit: list[AuditEntry]) -> None:
    assert len(marks) == 1 and len(audit) == 2
    first, second = audit
    assert (first.action, first.before) == ("create", None)
    # The later write saw the earlier one: its "before" is what the first wrote, and it stands.
    assert (second.action, second.before) == ("update", first.after)
    assert marks == [second.after["value"]]


@pytest.mark.usefixtures("clock")
async def test_the_teacher_and_the_deputy_write_one_lesson_at_the_same_moment(harness, session_maker) -> None:
    teacher = await signed_in(harness, session_maker, "t1", 1001)
    deputy = await signed_in(harness, session_maker, "d1", 1002)
    [teachers], [deputys] = await asyncio.gather(
        teacher.sends("/mark 5А матем 1:5 2:4"), deputy.sends("/mark 5А матем 1:3 // исправление по заявлению")
    )
    assert teachers.startswith("5А, Математика, 26.11, урок 1")
    assert deputys.startswith("5А, Математика, 26.11, урок 1")
    marks, audit = await first_students_marks(session_maker)
    assert_both_kept_and_the_later_won(marks, audit)
    assert {entry.reason for entry in audit} == {"", "исправление по заявлению"}


@pytest.mark.usefixtures("clock")
async def test_one_teacher_sends_two_lines_for_one_lesson_at_once(harness, session_maker) -> None:
    teacher = await signed_in(harness, session_maker, "t1", 1001)
    answers = await asyncio.gather(teacher.sends("/mark 5А матем 1:5"), teacher.sends("/mark 5А матем 1:4"))
    assert all(answer[0].startswith("5А, Математика, 26.11, урок 1") for answer in answers)
    # Whichever came second says "было → стало" about the first.
    assert sorted(answer[0].splitlines()[1] for answer in answers) in (
        ["1. Алексеев Артём — 4", "1. Алексеев Артём — 4 → 5"],
        ["1. Алексеев Артём — 5", "1. Алексеев Артём — 5 → 4"],
    )
    marks, audit = await first_students_marks(session_maker)
    assert_both_kept_and_the_later_won(marks, audit)


async def hold_the_lesson(session_maker, *, another_process: bool):
    """A transaction that has taken today's 5А mathematics (lesson 1) and keeps it."""
    async with session_maker() as session:
        class_id = await homeroom_data.class_id(session, "5А")
        subject_id = await homeroom_data.subject_id(session, "Математика")
    holder = session_maker()
    slot = LessonSlot(class_id, subject_id, TODAY, 1, None, True, None)
    await begin_writing(holder, lesson_lock(slot))
    if another_process and holder.get_bind().dialect.name == "sqlite":
        # Another program's writer holds SQLite's own lock, which this process's gate knows nothing of.
        await holder.execute(update(Account).where(Account.id == -1).values(active=True))
    return holder


@pytest.mark.parametrize("another_process", [False, True], ids=["same-process", "another-process"])
@pytest.mark.usefixtures("clock")
async def test_a_write_that_cannot_get_its_turn_in_time_is_refused_and_leaves_nothing(
    engine, settings, database_url, another_process: bool
) -> None:
    quick = create_engine(database_url, write_wait=0.5)
    try:
        session_maker = create_session_maker(quick)
        harness = ChatClient(create_bot(settings, session=OfflineSession()), create_dispatcher(settings, session_maker))
        teacher = await signed_in(harness, session_maker, "t1", 1001)
        other = create_engine(database_url) if another_process else quick
        holder = await hold_the_lesson(create_session_maker(other), another_process=another_process)
        try:
            assert await teacher.sends("/mark 5А матем 1:5 2:4") == [
                "Журнал сейчас перегружен, и это не сохранилось. Отправьте, пожалуйста, ещё раз."
            ]
        finally:
            await holder.close()
            if other is not quick:
                await other.dispose()
        async with session_maker() as session:
            assert await session.scalar(select(func.count()).select_from(Mark)) == 0
            assert await session.scalar(select(func.count()).select_from(Lesson)) == 0
            assert await session.scalar(select(func.count()).select_from(AuditEntry)) == 0
        [answer] = await teacher.sends("/mark 5А матем 1:5 2:4")  # sent again: saved
        assert answer.startswith("5А, Математика, 26.11, урок 1")
    finally:
        await quick.dispose()


@pytest.mark.usefixtures("clock")
async def test_nothing_is_answered_as_saved_before_it_is(harness, session_maker) -> None:
    """The answer goes out after the commit: when it is read, the marks are in the database."""
    teacher = await signed_in(harness, session_maker, "t1", 1001)
    seen: list[int] = []

    async def count_marks_when_answering(make_request, bot, method):
        async with session_maker() as session:
            seen.append(
                await session.scalar(
                    select(func.count()).select_from(Mark).join(Student, Student.id == Mark.student_id)
                )
            )
        return await make_request(bot, method)

    harness.bot.session.middleware(count_marks_when_answering)
    await teacher.sends("/mark 5А матем 1:5 2:4")
    assert seen == [2]
