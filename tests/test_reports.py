"""Journal control figures: what a lesson lacks, fill rates, the period report, and /control on demand."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
import time_machine
from sqlalchemy import select

from models import FinalMark, OverdueEntry, Period, SchoolSettings, StaffRole
from services.actor import Actor
from services.control_reports import period_report
from services.errors import AccessDenied
from services.grades import school_thresholds, suggest_mark, weighted_average
from services.journal_fill import Deadline, fill_rates, missing_by_teacher, record_overdue, refresh_overdue
from services.lessons import teacher_day
from services.school_days import lessons_due, load_calendar, missing_for_lessons
from tests import homeroom_data as data
from tests.people import signed_in
from tests.test_scheduler import LITERATURE, MATH, MSK, RUSSIAN, THURSDAY, at, fill

DEADLINE = Deadline(dt.time(17, 0), MSK)

DIRECTOR = Actor(staff_roles=frozenset({StaffRole.DIRECTOR}))
OCTOBER = dt.date(2026, 10, 20)  # a Tuesday in the first четверть


async def missing_of(session, teacher: str, day: dt.date) -> dict[tuple[str, int], list[str]]:
    found = await missing_by_teacher(session, day)
    teacher_id = await data.staff_id(session, teacher)
    return {(item.lesson.class_name, item.lesson.lesson_no): list(item.missing) for item in found.get(teacher_id, [])}


# --- what a lesson lacks ------------------------------------------------------------------------


async def test_what_a_lesson_lacks(school, session_maker) -> None:
    everything = ["attendance", "topic", "marks", "homework"]
    async with session_maker() as session:
        # t1's 5А math: attendance and topic, a mark that was removed, homework set on the next lesson.
        math = await fill(session, "5А", MATH, THURSDAY, 1, "t1", marks=False)
        await data.mark(session, math, "s1", 4, deleted=True)
        # t3's 1А: attendance and topic are all a first grade needs (regulation 1.3).
        await fill(session, "1А", RUSSIAN, THURSDAY, 1, "t3", marks=False, homework=False)
        await data.lesson(session, "1А", MATH, THURSDAY, 2, "t3")  # attendance only
        # t2's 5А literature closed on purpose without marks; the homework written on the lesson itself
        # (not on the next one, where it is due) does not count.
        literature = await fill(session, "5А", LITERATURE, THURSDAY, 4, "t2", marks=False, homework=False)
        literature.no_marks_on_purpose = True
        literature.homework = "Прочитать рассказ"
        await session.commit()

        assert await missing_of(session, "t1", THURSDAY) == {("5А", 1): ["marks"], ("5Б", 5): everything}
        assert await missing_of(session, "t3", THURSDAY) == {
            ("1А", 2): ["topic"],
            ("1А", 3): ["attendance", "topic"],
            ("1А", 4): ["attendance", "topic"],
        }
        assert (await missing_of(session, "t2", THURSDAY))[("5А", 4)] == ["homework"]

        # The teacher's own /today agrees with the reminder, lesson by lesson.
        for teacher in ("t1", "t2", "t3"):
            day = await teacher_day(session, await data.staff_id(session, teacher), THURSDAY)
            own = {(l.due.class_name, l.due.lesson_no): list(l.missing) for l in day.lessons if l.missing}
            assert own == await missing_of(session, teacher, THURSDAY), teacher


async def test_nothing_is_due_on_a_day_without_lessons(school, session_maker) -> None:
    async with session_maker() as session:
        calendar = await load_calendar(session)
        assert [calendar.is_school_day(THURSDAY + dt.timedelta(days=n)) for n in range(5)] == [
            True,
            True,
            False,
            False,
            True,
        ]
        assert await missing_by_teacher(session, dt.date(2026, 11, 28)) == {}
        assert await missing_by_teacher(session, dt.date(2026, 11, 3)) == {}  # autumn holidays
        lessons = await lessons_due(session, [THURSDAY])
        assert len(lessons) == 5 + 5 + 4
        assert len(await missing_for_lessons(session, lessons)) == 14


# --- on time, late, missing ---------------------------------------------------------------------


async def test_fill_rates_count_on_time_late_and_missing(school, session_maker) -> None:
    async with session_maker() as session:
        with time_machine.travel(at(THURSDAY, 12), tick=False):
            await fill(session, "5А", MATH, THURSDAY, 1, "t1")  # before the deadline: on time
        await record_overdue(session, THURSDAY, at(THURSDAY, 17))
        with time_machine.travel(at(THURSDAY, 19), tick=False):
            await fill(session, "5Б", MATH, THURSDAY, 5, "t1")  # after it: late
        assert await refresh_overdue(session, at(THURSDAY, 19)) == 1
        await session.commit()

        rates = {
            r.teacher: r for r in await fill_rates(session, await load_calendar(session), THURSDAY, THURSDAY, DEADLINE)
        }

    t1, d1 = rates["Иванова Мария Петровна"], rates["Кузнецова Ольга Викторовна"]
    assert (t1.lessons, t1.on_time, t1.late, t1.missing) == (2, 1, 1, 0)
    assert (d1.lessons, d1.on_time, d1.late, d1.missing) == (2, 0, 0, 2)


# --- the period report --------------------------------------------------------------------------


async def test_period_report_figures_per_class(school, session_maker) -> None:
    async with session_maker() as session:
        first = await session.scalar(select(Period).order_by(Period.start).limit(1))
        math = await data.lesson(session, "5А", MATH, OCTOBER, 2)
        russian = await data.lesson(session, "5А", RUSSIAN, OCTOBER, 1, "t2")
        for student, value in (("s1", 5), ("s2", 3), ("s3", 2)):
            await data.mark(session, math, student, value)
        await data.mark(session, math, "s1", 5, slot=2)
        await data.mark(session, math, "s2", 4, slot=2)  # 3,5 → suggested 3
        await data.mark(session, russian, "s1", 3, teacher="t2")  # … but the period mark is 4
        session.add(
            FinalMark(
                student_id=(await data.student(session, "s1")).id,
                subject_id=russian.subject_id,
                year_id=first.year_id,
                period_id=first.id,
                value=4,
                set_by_staff_id=await data.staff_id(session, "t2"),
            )
        )
        await data.mark(session, math, "s5", 5)
        await data.mark(session, math, "s5", 2, weight=3.0, slot=2)  # weighted 2,75 → 3
        await data.mark(session, math, "s4", 5, deleted=True)  # removed: s4 has no results
        await data.absence(session, math, "s6", "н")
        await data.absence(session, math, "s7", "н", explanation="уп")
        await data.absence(session, russian, "s7", "б", teacher="t2")
        await data.absence(session, russian, "s8", "оп", teacher="t2")
        gone = await data.absence(session, russian, "s6", "н", teacher="t2")
        gone.deleted_at = at(OCTOBER, 12)
        other = await data.lesson(session, "5Б", MATH, OCTOBER, 3)
        await data.absence(session, other, "s9", "н", explanation="нп")
        await data.absence(session, await data.lesson(session, "5А", MATH, THURSDAY, 1), "s1", "н")  # period 2
        await session.commit()

        report = await period_report(session, DIRECTOR, first, THURSDAY, at(THURSDAY, 9), deadline=DEADLINE)

    assert (report.period_name, report.start, report.end) == ("1 четверть", dt.date(2026, 9, 1), dt.date(2026, 10, 25))
    five_a = next(c for c in report.classes if c.class_name == "5А")
    # Results: s1 [5, 4], s2 [3], s3 [2], s5 [3] → average 17/5, only 4s and 5s: 1 of 4, no 2s: 3 of 4.
    assert five_a.students == 4
    assert five_a.average == pytest.approx(3.4)
    assert (five_a.quality, five_a.success) == (0.25, 0.75)
    assert dict(five_a.absences) == {"н": 1, "уп": 1, "б": 1, "оп": 1}
    assert dict(report.absences) == {"н": 1, "уп": 1, "б": 1, "оп": 1, "нп": 1}
    first_grade = next(c for c in report.classes if c.class_name == "1А")
    assert (first_grade.attendance_only, first_grade.average, first_grade.quality) == (True, None, None)


async def test_period_report_counts_the_mark_the_journal_suggests_at_a_half_hundredth(school, session_maker) -> None:
    """An average of exactly 3,625 is shown as 3,63 (rounded half up): with «4 from 3,63» that is a 4,
    in the report as on /period, never a 3 from an average rounded in floating point."""
    marks = [(4, 1.5), (3, 1.5), (4, 0.5), (4, 0.5)]  # 14,5 / 4 = 3,625
    async with session_maker() as session:
        (await session.get(SchoolSettings, 1)).threshold_4 = 3.63
        first = await session.scalar(select(Period).order_by(Period.start).limit(1))
        math = await data.lesson(session, "5А", MATH, OCTOBER, 2)
        for slot, (value, weight) in enumerate(marks, start=1):
            await data.mark(session, math, "s1", value, weight, slot=slot)
        await session.commit()
        suggested = suggest_mark(weighted_average(marks), await school_thresholds(session))

        report = await period_report(session, DIRECTOR, first, THURSDAY, at(THURSDAY, 9), deadline=DEADLINE)

    five_a = next(c for c in report.classes if c.class_name == "5А")
    assert suggested == 4
    assert (five_a.students, five_a.average, five_a.quality, five_a.success) == (1, 4.0, 1.0, 1.0)


async def test_only_the_administration_reads_the_period_report(school, session_maker) -> None:
    async with session_maker() as session:
        first = await session.scalar(select(Period).order_by(Period.start).limit(1))
        teacher = Actor(staff_id=await data.staff_id(session, "t1"), staff_roles=frozenset({StaffRole.TEACHER}))
        with pytest.raises(AccessDenied):
            await period_report(session, teacher, first, THURSDAY, at(THURSDAY, 9), deadline=DEADLINE)


# --- /control on demand --------------------------------------------------------------------------


async def test_control_on_demand(school, harness, session_maker) -> None:
    director = await signed_in(harness, session_maker, "dir1", 106)
    deputy = await signed_in(harness, session_maker, "d1", 105)
    teacher = await signed_in(harness, session_maker, "t1", 101)
    async with session_maker() as session:
        with time_machine.travel(at(THURSDAY, 12), tick=False):
            await fill(session, "5А", MATH, THURSDAY, 1, "t1")
        await record_overdue(session, THURSDAY, at(THURSDAY, 17))
        await session.commit()

    with time_machine.travel(at(THURSDAY + dt.timedelta(days=1), 10), tick=False):
        period = await director.sends("/control")
        day = await deputy.sends("/control день")
        refused = await teacher.sends("/control")
        wrong = await director.sends("/control всё")

    assert len(period) == 1
    assert period[0].startswith("<b>Контроль ведения журнала: 2 четверть</b> (05.11.2026 — 26.11.2026)")
    assert "Иванова М. П." in period[0] and "5А" in period[0]
    assert day[0].startswith(
        "<b>Контроль журнала за чт, 26 ноября</b>\n<b>Иванова Мария Петровна</b>\n"
        "12:30 5Б Математика — нет: посещаемость, тема, отметки, домашнее задание"
    )
    assert "08:30 5А" not in day[0]  # filled on time: not overdue
    assert refused == ["Это доступно заместителю директора, директору и администратору."]
    assert wrong == [
        "Как вызвать: /control — отчёт за текущую четверть; /control день — просрочки за последний учебный день."
    ]


async def test_control_asked_by_three_at_once_answers_each_and_the_late_entry_is_closed(
    school, harness, session_maker
) -> None:
    director = await signed_in(harness, session_maker, "dir1", 106)
    deputy = await signed_in(harness, session_maker, "d1", 105)
    administrator = await signed_in(harness, session_maker, "a1", 107)
    async with session_maker() as session:
        await record_overdue(session, THURSDAY, at(THURSDAY, 17))  # t1's 5Б mathematics is overdue …
        with time_machine.travel(at(THURSDAY, 19), tick=False):
            await fill(session, "5Б", MATH, THURSDAY, 5, "t1")  # … and written at 19:00
        await session.commit()

    with time_machine.travel(at(THURSDAY + dt.timedelta(days=1), 10), tick=False):
        first, second, day = await asyncio.gather(
            director.sends("/control"), deputy.sends("/control"), administrator.sends("/control день")
        )

    assert first == second and first[0].startswith("<b>Контроль ведения журнала: 2 четверть</b>")
    assert "12:30 5Б Математика — было: посещаемость, тема, отметки, домашнее задание (заполнено позже)" in day[0]
    async with session_maker() as session:
        five_b = await data.class_id(session, "5Б")
        entry = await session.scalar(
            select(OverdueEntry).where(OverdueEntry.class_id == five_b, OverdueEntry.date == THURSDAY)
        )
    assert entry.filled_at == at(THURSDAY + dt.timedelta(days=1), 10)
