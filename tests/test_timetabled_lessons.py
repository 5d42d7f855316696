"""Lessons come from the timetable (issue 9, item 1): an entry by date goes only to a lesson of the class's
day; substitutions, extra lessons and removals are explicit acts, each audited.

The demo school on Monday 30.11.2026, 10:00. 5А's Monday: 1 Математика (t1), 2 Русский язык, 3 Английский
язык, 4 Литература, 5 Физкультура; its Friday 27.11: 1 Русский язык, 2 Математика (t1), 3 Английский язык,
4 История, 5 Физкультура. p1 is the mother of s1 (5А, №1) and s17 (1А).
"""

from __future__ import annotations

import asyncio
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from bot.outbound.callbacks import OpenLesson
from handlers.teacher.views import Act, LessonAction
from handlers.timetable import LessonOutsideTimetable
from models import AuditEntry, Lesson, LessonChange, Mark, OutboxMessage, Staff, Student
from scheduler import jobs
from services.school_reference import school_reference
from tests.delivery_helpers import as_sent, deliver
from tests.journal_data import row_counts
from tests.people import signed_in

pytestmark = pytest.mark.usefixtures("school")

MOSCOW = ZoneInfo("Europe/Moscow")
MONDAY, FRIDAY, SUNDAY = dt.date(2026, 11, 30), dt.date(2026, 11, 27), dt.date(2026, 11, 29)
T1, T5, DEPUTY, MOTHER = 1001, 1005, 1006, 2001
FRIDAY_5A = "Уроки 5А в этот день: 1 — Русский язык, 2 — Математика, 3 — Английский язык, 4 — История, 5 — Физкультура."
MONDAY_5A = (
    "Уроки 5А в этот день: 1 — Математика, 2 — Русский язык, 3 — Английский язык, 4 — Литература, 5 — Физкультура."
)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=MOSCOW)


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(at(MONDAY, 10), tick=False)
    return time_machine


@pytest.fixture
async def t1(harness, session_maker, clock):
    return await signed_in(harness, session_maker, "t1", T1)


@pytest.fixture
async def mother(harness, session_maker):
    return await signed_in(harness, session_maker, "p1", MOTHER)


async def record(session_maker) -> dict[str, int]:
    """How many rows of each kind the journal holds and what waits to be sent."""
    return await row_counts(
        session_maker, lessons=Lesson, marks=Mark, changes=LessonChange, audit=AuditEntry, outbox=OutboxMessage
    )


async def ids(session_maker) -> dict[str, int]:
    async with session_maker() as session:
        reference = await school_reference(session)
        found = {c.name: c.id for c in reference.classes.values()}
        found |= {s.name: s.id for s in reference.subjects}
        found |= dict((await session.execute(select(Staff.external_id, Staff.id))).all())
        found |= dict((await session.execute(select(Student.external_id, Student.id))).all())
        return found


# --- refusals: nothing written, no notice queued ---------------------------------------------------


async def test_typed_entries_off_the_timetable_are_refused_with_the_days_lessons(t1, mother, session_maker) -> None:
    before = await record(session_maker)
    [other_subject] = await t1.sends("/mark 5А математика 27.11/1 1:н")
    assert other_subject.startswith("27.11 у 5А 1-й урок — не «Математика». " + FRIDAY_5A)
    [sunday] = await t1.sends("/mark 5А матем 29.11/3 5:5")
    assert sunday == "29.11.2026 у 5А уроков нет: выходной. Записи делают в дни уроков по расписанию."
    [third_today] = await t1.sends("/mark 5А матем 30.11/3 5:4")
    assert third_today.startswith("30.11 у 5А 3-й урок — не «Математика». " + MONDAY_5A)
    [missing_number] = await t1.sends("/mark 5А матем 30.11/7 5:4")
    assert missing_number.startswith("30.11 у 5А 7-й урок — не «Математика». " + MONDAY_5A)
    [topic] = await t1.sends("/topic 5А матем 27.11/1 Дроби")
    assert topic.startswith("27.11 у 5А 1-й урок — не «Математика».")
    [homework] = await t1.sends("/homework 5А матем 29.11 № 5")
    assert homework.startswith("29.11.2026 у 5А уроков нет: выходной.")
    assert await record(session_maker) == before


async def test_buttons_for_a_lesson_off_the_timetable_are_refused(t1, mother, session_maker) -> None:
    known = await ids(session_maker)
    before = await record(session_maker)

    def lesson(day: dt.date, number: int) -> dict[str, int]:
        return dict(class_id=known["5А"], subject_id=known["Математика"], day=day.toordinal(), lesson_no=number)

    [opened] = await t1.presses(OpenLesson(**lesson(FRIDAY, 1)).pack())
    assert opened.startswith("27.11 у 5А 1-й урок — не «Математика». " + FRIDAY_5A)
    [sunday] = await t1.presses(
        LessonAction(act=Act.SET, **lesson(SUNDAY, 3), student_id=known["s5"], value="5").pack()
    )
    assert sunday.startswith("29.11.2026 у 5А уроков нет: выходной.")
    [missing] = await t1.presses(LessonAction(act=Act.ATTENDANCE_DONE, **lesson(MONDAY, 7)).pack())
    assert missing.startswith("30.11 у 5А 7-й урок — не «Математика». " + MONDAY_5A)
    assert await record(session_maker) == before


# --- substitutions -------------------------------------------------------------------------------


@pytest.fixture
async def deputy(harness, session_maker, clock):
    return await signed_in(harness, session_maker, "d1", DEPUTY)


async def test_the_substitute_fills_the_lesson_and_the_usual_teacher_is_not_reminded(
    harness, t1, deputy, mother, session_maker, settings
) -> None:
    substitute = await signed_in(harness, session_maker, "t5", T5)
    [done] = await deputy.sends("/substitute 5А 30.11/1 Николаев")
    assert done.splitlines() == [
        "Замена записана: 5А, 30.11, 1-й урок — Математика, ведёт Николаев Павел Викторович.",
        "Родителям и ученикам класса отправлено уведомление об изменении расписания.",
    ]
    [today] = await substitute.sends("/today")
    assert "5А · Математика (замена)" in today
    [marked] = await substitute.sends("/mark 5А матем 1:5")
    assert marked.splitlines()[1] == "1. Алексеев Артём — 5"
    [t1_today] = await t1.sends("/today")
    assert "5А · Математика" not in t1_today  # 5Б's mathematics is still t1's

    await jobs.teacher_reminder(settings, session_maker, now=at(MONDAY, 16))
    async with session_maker() as session:
        reminders = {
            row.chat_id: as_sent(row)["text"]
            for row in await session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "reminder"))
        }
    assert "5А · Математика" not in reminders.get(T1, "")
    assert "5А · Математика" in reminders[T5]
    async with session_maker() as session:
        [audit] = await session.scalars(select(AuditEntry).where(AuditEntry.entity == "lesson_change"))
    assert (audit.after["kind"], audit.after["teacher"]) == ("substitution", "Николаев Павел Викторович")


async def test_parents_get_one_timetable_notice_for_the_day(harness, deputy, mother, session_maker, settings) -> None:
    await deputy.sends("/substitute 5А 30.11/1 Николаев")
    await deputy.sends("/substitute 5А 30.11/4 отмена")  # a second change before the first notice went
    async with session_maker() as session:
        rows = list(await session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "timetable")))
    assert len([row for row in rows if row.chat_id == MOTHER]) == 1
    await deliver(harness.bot, session_maker, settings)
    [told] = [text for text in harness.sent_to(MOTHER) if "расписания" in text]
    assert told.splitlines() == [
        "📅 Изменение расписания 5А на пн, 30 ноября (Алексеев Артём Игоревич):",
        "1-й урок — Математика: замена, ведёт Николаев Павел Викторович",
        "4-й урок (Литература) отменён",
        "Уроки в этот день: 1 — Математика, 2 — Русский язык, 3 — Английский язык, 5 — Физкультура",
    ]


async def test_a_cancelled_lesson_takes_no_entries_and_is_not_reminded(t1, deputy, session_maker, settings) -> None:
    [done] = await deputy.sends("/substitute 5А 30.11/1 отмена")
    assert done.startswith("Урок отменён: 5А, 30.11, 1-й урок — Математика.")
    before = await record(session_maker)
    assert await t1.sends("/mark 5А матем 30.11/1 1:5") == [
        "1-й урок «Математика» у 5А 30.11.2026 отменён: записи в него не вносятся."
    ]
    assert await record(session_maker) == before
    await jobs.teacher_reminder(settings, session_maker, now=at(MONDAY, 16))
    async with session_maker() as session:
        texts = [
            as_sent(row)["text"]
            for row in await session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "reminder"))
        ]
    assert not any("5А · Математика" in text for text in texts)


async def test_substitutions_are_the_deputys_and_by_buttons_too(harness, t1, deputy, session_maker) -> None:
    before = await record(session_maker)
    assert await t1.sends("/substitute 5А 30.11/1 Николаев") == [
        "Замены записывает заместитель директора или администратор."
    ]
    assert await record(session_maker) == before
    [day] = await deputy.sends("/substitute 5А 30.11")
    assert day.startswith("5А,")
    assert deputy.button_labels()[0] == "1 — Математика"
    await deputy.clicks("1 — Математика")
    [done] = await deputy.clicks("Николаев Павел Викторович")
    assert done.startswith("Замена записана: 5А, 30.11, 1-й урок — Математика, ведёт Николаев")
    await deputy.sends("/substitute 5А 30.11")
    await deputy.clicks("1 — Математика (замена)")
    [back] = await deputy.clicks("По расписанию")
    assert back.startswith("Урок идёт по расписанию: 5А, 30.11, 1-й урок — Математика, ведёт Иванова")
    async with session_maker() as session:
        assert await session.scalar(select(func.count()).select_from(LessonChange)) == 0
        actions = list(await session.scalars(select(AuditEntry.action).where(AuditEntry.entity == "lesson_change")))
    assert actions == ["create", "delete"]


# --- extra lessons ----------------------------------------------------------------------------------


async def test_an_extra_lesson_is_added_after_a_confirmation_naming_date_and_number(t1, session_maker) -> None:
    before = await record(session_maker)
    [question] = await t1.sends("/lesson add 5А матем 30.11/6")
    assert question.startswith("Добавить дополнительный урок «Математика» в 5А: 30.11.2026, 6-й урок?")
    assert t1.button_labels() == ["Добавить: 30.11, 6-й урок"]
    assert await record(session_maker) == before
    [added] = await t1.clicks("Добавить: 30.11, 6-й урок")
    assert added.startswith("Дополнительный урок добавлен: 5А, Математика, 30.11, 6-й урок.")
    [marked] = await t1.sends("/mark 5А матем 30.11/6 1:5")
    assert marked.splitlines()[0].startswith("5А, Математика, 30.11, урок 6")
    [today] = await t1.sends("/today")
    assert "5А · Математика (доп.)" in today
    async with session_maker() as session:
        [audit] = await session.scalars(select(AuditEntry).where(AuditEntry.entity == "lesson_change"))
    assert audit.after["kind"] == "extra"


async def test_an_extra_lesson_needs_a_school_day_and_a_free_number(t1, session_maker) -> None:
    before = await record(session_maker)
    assert (await t1.sends("/lesson add 5А матем 29.11/6"))[0].startswith("29.11.2026 у 5А уроков нет: выходной.")
    [taken] = await t1.sends("/lesson add 5А матем 30.11/3")
    assert taken.startswith("30.11 у 5А 3-й урок занят: «Английский язык». " + MONDAY_5A)
    [not_theirs] = await t1.sends("/lesson add 5А русск 30.11/6")
    assert not_theirs == "Вы не ведёте «Русский язык» в 5А: записи в этот журнал вам недоступны."
    assert await record(session_maker) == before


# --- removing a lesson made by mistake ------------------------------------------------------------------


async def test_an_empty_extra_lesson_is_removed_one_with_entries_only_after_they_are_removed(t1, session_maker) -> None:
    await t1.sends("/lesson add 5А матем 30.11/6")
    await t1.clicks("Добавить")
    await t1.sends("/mark 5А матем 30.11/6 1:5")
    with_entries = await record(session_maker)
    [refused] = await t1.sends("/lesson remove 5А матем 30.11/6")
    assert refused.startswith("В 6-м уроке «Математика» у 5А 30.11 есть записи: отметок — 1, пропусков — 0.")
    assert await record(session_maker) == with_entries
    await t1.sends("/mark 5А матем 30.11/6 1:-")
    [removed] = await t1.sends("/lesson remove 5А матем 30.11/6")
    assert removed.startswith("Урок убран: 5А, Математика, 30.11, 6-й урок.")
    assert (await record(session_maker))["changes"] == 0
    [gone] = await t1.sends("/mark 5А матем 30.11/6 1:5")
    assert gone.startswith("30.11 у 5А 6-й урок — не «Математика».")


async def test_an_empty_extra_lesson_is_removed_by_its_button(t1, session_maker) -> None:
    known = await ids(session_maker)
    await t1.sends("/lesson add 5А матем 30.11/6")
    await t1.clicks("Добавить")
    await t1.presses(
        OpenLesson(class_id=known["5А"], subject_id=known["Математика"], day=MONDAY.toordinal(), lesson_no=6).pack()
    )
    assert "Убрать урок" in t1.button_labels()
    [removed] = await t1.clicks("Убрать урок")
    assert removed.startswith("Урок убран: 5А, Математика, 30.11, 6-й урок.")
    async with session_maker() as session:
        assert await session.scalar(select(func.count()).select_from(Lesson)) == 0
    refused = await t1.presses(
        LessonOutsideTimetable(
            act="remove", class_id=known["5А"], subject_id=known["Математика"], day=MONDAY.toordinal(), lesson_no=1
        ).pack()
    )
    assert refused[0].startswith("1-й урок «Математика» у 5А 30.11 — урок по расписанию: убрать его нельзя.")


async def test_a_lesson_written_off_the_timetable_before_the_rule_can_be_emptied_and_removed(t1, session_maker) -> None:
    known = await ids(session_maker)
    async with session_maker() as session:  # a phantom lesson of the old days: Sunday, with a mark
        session.add(
            Lesson(
                class_id=known["5А"],
                subject_id=known["Математика"],
                date=SUNDAY,
                lesson_no=3,
                teacher_id=known["t1"],
                topic="",
                homework="",
            )
        )
        await session.flush()
        lesson_id = await session.scalar(select(Lesson.id))
        session.add(
            Mark(
                lesson_id=lesson_id,
                student_id=known["s5"],
                slot=1,
                value=5,
                weight=1.0,
                work_type_id=1,
                author_staff_id=known["t1"],
            )
        )
        await session.commit()
    [refused] = await t1.sends("/lesson remove 5А матем 29.11/3")
    assert refused.startswith("В 3-м уроке «Математика» у 5А 29.11 есть записи: отметок — 1")
    assert (await t1.sends("/mark 5А матем 29.11/3 5:4"))[0].startswith("29.11.2026 у 5А уроков нет: выходной.")
    [emptied] = await t1.sends("/mark 5А матем 29.11/3 5:-")
    assert emptied.splitlines()[1] == "5. Дмитриев Егор — 5 → удалено"
    [removed] = await t1.sends("/lesson remove 5А матем 29.11/3")
    assert removed.startswith("Урок убран: 5А, Математика, 29.11, 3-й урок.")
    assert (await t1.sends("/mark 5А матем 29.11/3 5:-"))[0].startswith("29.11.2026 у 5А уроков нет")


async def test_a_cancellation_and_an_entry_at_the_same_moment_take_turns(t1, deputy, session_maker) -> None:
    """Whichever comes second sees the first: no mark in a cancelled lesson, no cancelled lesson with a mark."""
    [cancelled], [marked] = await asyncio.gather(
        deputy.sends("/substitute 5А 30.11/1 отмена"), t1.sends("/mark 5А матем 30.11/1 1:5")
    )
    state = await record(session_maker)
    if cancelled.startswith("Урок отменён"):
        assert marked.startswith("1-й урок «Математика» у 5А 30.11.2026 отменён")
        assert (state["marks"], state["changes"]) == (0, 1)
    else:
        assert cancelled.startswith("В 1-м уроке «Математика» у 5А 30.11 уже есть записи")
        assert marked.startswith("5А, Математика, 30.11, урок 1")
        assert (state["marks"], state["changes"]) == (1, 0)


async def test_the_schedule_families_see_follows_the_days_changes(harness, deputy, session_maker) -> None:
    pupil = await signed_in(harness, session_maker, "s1", 3001)
    [before] = await pupil.sends("/schedule")  # today and Tuesday 01.12, whose lesson 4 is history
    assert "История" in before
    await deputy.sends("/substitute 5А 01.12/4 отмена")
    await deputy.sends("/substitute 5А 01.12/5 Петров")  # English given by t2 (who teaches no English)
    [after] = await pupil.sends("/schedule")
    assert "История" not in after and "Английский язык" in after
