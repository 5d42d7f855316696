"""Closing a term (issue 9, item 3): not before its last day, with what is missing and a confirmation;
reopening with a reason, audited; the director's /help and the handler agree."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import select

from models import AuditEntry, FinalMark, Period
from tests import journal_data as jd
from tests.people import signed_in

MOSCOW = ZoneInfo("Europe/Moscow")


def at(day: dt.date) -> time_machine.travel:
    return time_machine.travel(dt.datetime.combine(day, dt.time(10, 0), MOSCOW), tick=False)


@pytest.fixture
def last_day_of_term() -> Iterator[None]:
    with at(dt.date(2026, 12, 28)):
        yield


async def locked(session_maker, number: int) -> dt.datetime | None:
    async with session_maker() as session:
        return (await jd.period(session, number)).finals_locked_at


async def term_audit(session_maker) -> list[tuple[dict | None, dict | None, str]]:
    async with session_maker() as session:
        return [
            (e.before, e.after, e.reason)
            for e in await session.scalars(
                select(AuditEntry).where(AuditEntry.entity == "period").order_by(AuditEntry.id)
            )
        ]


async def test_a_running_or_future_term_is_not_closed(school, harness, session_maker) -> None:
    with at(dt.date(2026, 11, 30)):
        deputy = await signed_in(harness, session_maker, "d1", 3005)
        assert await deputy.sends("/period close 2") == [
            "«2 четверть» ещё идёт: закрыть её можно с последнего дня, 28.12.2026. "
            "До тех пор учителя выставляют отметки."
        ]
        assert (await deputy.sends("/period close 3"))[0].startswith("«3 четверть» ещё идёт")
        assert deputy.button_labels() == []
    async with session_maker() as session:
        assert all(p.finals_locked_at is None for p in await session.scalars(select(Period)))
    assert await term_audit(session_maker) == []


async def test_closing_lists_what_is_missing_and_closes_only_on_confirmation(
    school, harness, session_maker, last_day_of_term
) -> None:
    async with session_maker() as session:  # s1 has a term mark in mathematics; nobody else has any
        math, p2 = await jd.subject(session, "матем"), await jd.period(session, 2)
        session.add(
            FinalMark(
                student_id=(await jd.student(session, "s1")).id,
                subject_id=math.id,
                year_id=p2.year_id,
                period_id=p2.id,
                value=5,
                set_by_staff_id=await jd.staff_id(session, "t1"),
            )
        )
        await session.commit()
    deputy = await signed_in(harness, session_maker, "d1", 3005)
    (answer, *_) = await deputy.sends("/period close 2")
    assert answer.startswith("Закрыть «2 четверть»? После этого отметки меняет только заместитель директора")
    assert "Не выставлено итоговых отметок:" in answer
    assert "5А · Математика — 7: №2 Белова С. Д., №3 Васильев К. А.," in answer
    assert "№1 Алексеев А. И." not in answer.split("5А · Математика")[1].split("\n")[0]
    assert "1А ·" not in answer  # the first grade has no marks
    assert deputy.button_labels() == ["Закрыть четверть", "Отмена"]
    assert await locked(session_maker, 2) is None  # asking writes nothing

    assert await deputy.clicks("Отмена") == ["Четверть не закрыта."]
    assert await locked(session_maker, 2) is None

    await deputy.sends("/period close 2")
    assert await deputy.clicks("Закрыть четверть") == [
        "«2 четверть» закрыта: отметки окончательные. Изменения — только заместителем, с причиной."
    ]
    assert await locked(session_maker, 2) is not None
    ((before, after, reason),) = await term_audit(session_maker)
    assert before["finals_locked_at"] is None and after["finals_locked_at"] and reason == "closed"
    assert await deputy.sends("/period close 2") == ["«2 четверть» уже закрыта."]


async def test_a_button_pressed_early_or_twice_closes_nothing_more(school, harness, session_maker) -> None:
    with at(dt.date(2026, 12, 28)):
        deputy = await signed_in(harness, session_maker, "d1", 3005)
        await deputy.sends("/period close 2")
        await deputy.clicks("Закрыть четверть")
        assert await deputy.clicks("Закрыть четверть") == ["«2 четверть» уже закрыта."]
    assert len(await term_audit(session_maker)) == 1
    with at(dt.date(2026, 12, 1)):  # a forged (or old) button for a running term
        async with session_maker() as session:
            p3 = await jd.period(session, 3)
        answers = await deputy.presses(f"term:close:{p3.id}")
    assert answers[0].startswith("«3 четверть» ещё идёт")
    assert await locked(session_maker, 3) is None


async def test_the_deputy_or_director_reopens_a_term_with_a_reason(
    school, harness, session_maker, last_day_of_term
) -> None:
    deputy = await signed_in(harness, session_maker, "d1", 3005)
    director = await signed_in(harness, session_maker, "dir1", 3003)
    teacher = await signed_in(harness, session_maker, "t1", 3001)
    await director.sends("/period close 2")
    await director.clicks("Закрыть четверть")
    assert await locked(session_maker, 2) is not None

    assert await teacher.sends("/period reopen 2 // ошибка") == [
        "Закрывает и открывает четверть заместитель директора или директор."
    ]
    assert await deputy.sends("/period reopen 2") == [
        "Открыть «2 четверть» снова можно только с причиной: /period reopen … // причина."
    ]
    assert await locked(session_maker, 2) is not None
    assert await deputy.sends("/period reopen 2 // ошибка в итоговых по истории") == [
        "«2 четверть» снова открыта: учителя могут менять итоговые отметки. Причина: ошибка в итоговых по истории."
    ]
    assert await locked(session_maker, 2) is None
    closed, reopened = await term_audit(session_maker)
    assert reopened[0]["finals_locked_at"] == closed[1]["finals_locked_at"]
    assert reopened[1]["finals_locked_at"] is None and reopened[2] == "ошибка в итоговых по истории"
    assert await deputy.sends("/period reopen 2 снова") == ["«2 четверть» не закрыта: открывать нечего."]


async def test_who_may_close_is_what_help_says(school, harness, session_maker, last_day_of_term) -> None:
    director = await signed_in(harness, session_maker, "dir1", 3003)
    (help_text, *_) = await director.sends("/help")
    assert "/period close" in help_text
    assert (await director.sends("/period close 2"))[0].startswith("Закрыть «2 четверть»?")
    teacher = await signed_in(harness, session_maker, "t1", 3001)
    assert "/period close" not in "".join(await teacher.sends("/help"))
    assert await teacher.sends("/period close 2") == [
        "Закрывает и открывает четверть заместитель директора или директор."
    ]
    assert await locked(session_maker, 2) is None
