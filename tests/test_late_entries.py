"""«Late» from the entries' own times (issue 9, item 9): no deadline job has to have run."""

from __future__ import annotations

import datetime as dt

import time_machine
from sqlalchemy import func, select

from bot.i18n import get_translator
from bot.outbound.views import render_deputy_report
from models import JobRun, OverdueEntry
from services.control_reports import deputy_report, period_report
from services.journal_fill import Deadline
from tests import journal_data as jd
from tests.people import actor_for, signed_in
from tests.test_scheduler import MSK, THURSDAY, at

SUNDAY = dt.date(2026, 11, 29)
DEADLINE = Deadline(dt.time(17, 0), MSK)


async def fill_thursday_lesson(teacher, *, marks_on: dt.datetime, rest_on: dt.datetime) -> None:
    """t1's 5Б mathematics of Thursday 26.11 (lesson 5): attendance, topic and homework at `rest_on`,
    marks at `marks_on`, all typed in the chat."""
    with time_machine.travel(rest_on, tick=False):
        await teacher.sends("/mark 5Б матем 26.11 2:н")
        await teacher.sends("/topic 5Б матем 26.11 Дроби")
        assert (await teacher.sends("/homework 5Б матем 27.11 § 5"))[0].startswith(
            "Домашнее задание к уроку 27.11 (урок 1) записано"
        )
    with time_machine.travel(marks_on, tick=False):
        await teacher.sends("/mark 5Б матем 26.11 1:5")


async def no_job_ran(session_maker) -> bool:
    async with session_maker() as session:
        return (
            await session.scalar(select(func.count()).select_from(OverdueEntry)) == 0
            and await session.scalar(select(func.count()).select_from(JobRun)) == 0
        )


async def test_a_lesson_filled_three_days_late_is_late_in_control_without_any_job(
    school, harness, session_maker
) -> None:
    teacher = await signed_in(harness, session_maker, "t1", 101)
    deputy = await signed_in(harness, session_maker, "d1", 105)
    sunday = at(SUNDAY, 12)
    await fill_thursday_lesson(teacher, marks_on=sunday, rest_on=sunday)
    assert await no_job_ran(session_maker)

    with time_machine.travel(at(dt.date(2026, 11, 30), 10), tick=False):
        (answer,) = await deputy.sends("/control")
    async with session_maker() as session:
        period = await jd.period(session, 2)
        report = await period_report(
            session,
            await actor_for(session_maker, "d1", 4105),
            period,
            SUNDAY,
            at(dt.date(2026, 11, 30), 10),
            deadline=DEADLINE,
        )
    rate = next(r for r in report.rates if r.teacher == "Иванова Мария Петровна")
    assert (rate.late, rate.on_time) == (1, 0)
    late_share = f"{round(100 / rate.lessons)}%"
    assert f"Иванова М. П.       {rate.lessons}     0%     {late_share}" in answer


async def test_only_what_came_after_the_deadline_is_named_late(school, harness, session_maker) -> None:
    teacher = await signed_in(harness, session_maker, "t1", 101)
    await fill_thursday_lesson(teacher, rest_on=at(THURSDAY, 13), marks_on=at(SUNDAY, 12))
    async with session_maker() as session:
        report = await deputy_report(session, THURSDAY, at(dt.date(2026, 11, 30), 10), deadline=DEADLINE)
    text = render_deputy_report(report, get_translator("ru"))
    assert "12:30 5Б Математика — было: отметки (заполнено позже)" in text
    assert await no_job_ran(session_maker)


async def test_a_lesson_filled_before_the_deadline_is_on_time(school, harness, session_maker) -> None:
    teacher = await signed_in(harness, session_maker, "t1", 101)
    await fill_thursday_lesson(teacher, rest_on=at(THURSDAY, 13), marks_on=at(THURSDAY, 16, 59))
    async with session_maker() as session:
        report = await deputy_report(session, THURSDAY, at(dt.date(2026, 11, 30), 10), deadline=DEADLINE)
    assert not any(line.class_name == "5Б" and line.subject == "Математика" for line in report.overdue)
    rate = next(r for r in report.rates if r.teacher == "Иванова Мария Петровна")
    assert rate.late == 0 and rate.on_time == 1
