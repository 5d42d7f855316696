"""Term and year marks (issue 9, item 8): a whole class is shown before it is set, a mark far from the
average needs a reason that the deputy reads in /control, and families are told with the average.
(Year marks waiting for the terms: tests/test_period_marks.py::test_year_marks_from_the_period_marks.)"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import select

from bot.i18n import get_translator
from bot.outbound.render import render
from models import DeliveryMode, FinalMark, NotificationKind, OutboxMessage
from services import preferences
from services.channel import RowView
from tests import journal_data as jd
from tests import test_period_marks as period_sheet
from tests.people import actor_for, person_id, signed_in
from tests.test_period_marks import audit, finals

MOSCOW = ZoneInfo("Europe/Moscow")
TEACHER, DEPUTY, PARENT_1, PARENT_2 = 3001, 3005, 3101, 3102
marks = period_sheet.marks  # the fixture: 5А mathematics, s1 4,60 → 5, s2 3,60 → 4, s3 2,60 → 3


@pytest.fixture
def thursday() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 11, 26, 10, 0, tzinfo=MOSCOW), tick=False):
        yield


async def final_mark_notices(session_maker) -> dict[int, list[str]]:
    """Account id → the rendered term-mark notices waiting for it."""
    found: dict[int, list[str]] = {}
    async with session_maker() as session:
        for row in await session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == "final_mark").order_by(OutboxMessage.id)
        ):
            (message,) = render([RowView(row.id, row.kind, dict(row.payload), row.source_id)], get_translator("ru"))
            found.setdefault(row.account_id, []).append(message.text)
    return found


@pytest.mark.usefixtures("marks")
async def test_cancelling_the_whole_class_sets_nothing_and_an_old_button_is_refused(
    harness, session_maker, thursday
) -> None:
    teacher = await signed_in(harness, session_maker, "t1", TEACHER)
    await teacher.sends("/period 5А матем")
    (preview,) = await teacher.clicks("Подтвердить")
    assert "№2 Белова С. Д. — <b>4</b> (ср. 3,60)" in preview
    apply_button = teacher.last_markup
    assert await teacher.clicks("Отмена") == ["Отметки не выставлены."]
    teacher.last_markup = apply_button  # «Выставить» pressed after «Отмена»: the shown list is gone
    assert await teacher.clicks("Выставить") == ["Этот список уже не открыт: откройте его снова командой /period."]
    assert await finals(session_maker) == {}
    assert await audit(session_maker) == []
    assert await final_mark_notices(session_maker) == {}


@pytest.mark.usefixtures("marks")
async def test_what_changed_after_the_preview_is_not_set(harness, session_maker, thursday) -> None:
    teacher = await signed_in(harness, session_maker, "t1", TEACHER)
    await teacher.sends("/period 5А матем")
    await teacher.clicks("Подтвердить")
    async with session_maker() as session:  # a контрольная 2 moves s2's average from 3,60 to 3,00: ≈ 4 → 3
        await jd.add_mark(session, "s2", "матем", dt.date(2026, 11, 24), 2, "контр")
        await session.commit()
    answers = await teacher.clicks("Выставить")
    assert answers[0] == (
        "Выставлено: 2. Уже были: 0. Без отметок (нечего предложить): 5.\n"
        "Не выставлено, потому что среднее изменилось после просмотра: 1 — откройте список снова."
    )
    assert await finals(session_maker) == {"s1": 5, "s3": 3}


@pytest.mark.usefixtures("marks")
async def test_a_mark_far_from_the_average_needs_a_reason_which_the_deputy_reads_in_control(
    harness, session_maker, thursday
) -> None:
    teacher = await signed_in(harness, session_maker, "t1", TEACHER)
    deputy = await signed_in(harness, session_maker, "d1", DEPUTY)
    await teacher.sends("/period 5А матем")
    # 4 against 4,60 is 0,60 away; 3:3 beside it is fine, but one refusal refuses the line.
    assert await teacher.sends("3:3 1:4") == [
        "№1 Алексеев Артём Игоревич: отметка 4 отличается от среднего балла 4,60 больше чем на 0,5. "
        "Если она верна, укажите причину: 1:4 // причина."
    ]
    assert await finals(session_maker) == {} and await audit(session_maker) == []
    assert await final_mark_notices(session_maker) == {}
    assert (await teacher.sends("2:4"))[0] == "№2 Белова С. Д. — 4"  # 3,60 → 4: 0,40, no reason needed
    assert (await teacher.sends("1:4 // не сдал зачёт по дробям"))[0] == "№1 Алексеев А. И. — 4"
    async with session_maker() as session:
        s1 = await person_id(session, "s1")
        mark = await session.scalar(select(FinalMark).where(FinalMark.student_id == s1))
    assert (mark.value, mark.average_hundredths, mark.reason) == (4, 460, "не сдал зачёт по дробям")

    with time_machine.travel(dt.datetime(2026, 11, 27, 10, 0, tzinfo=MOSCOW), tick=False):
        (control,) = await deputy.sends("/control")
    assert (
        "<b>Итоговые отметки, отличающиеся от среднего больше чем на 0,5</b>\n"
        "5А · Математика · 2 четверть · Алексеев А. И. — <b>4</b> при среднем 4,60; "
        "Иванова М. П.: «не сдал зачёт по дробям»"
    ) in control
    assert "Белова" not in control.split("0,5</b>")[1]


@pytest.mark.usefixtures("marks")
async def test_families_are_told_of_a_term_mark_with_the_average_as_their_preferences_say(
    harness, session_maker, thursday
) -> None:
    p1_account = (await actor_for(session_maker, "p1", PARENT_1)).account_id
    p2 = await actor_for(session_maker, "p2", PARENT_2)
    async with session_maker() as session:  # p2 wants no news of marks
        await preferences.set_mode(session, p2, NotificationKind.MARKS, DeliveryMode.OFF)
        await session.commit()
    teacher = await signed_in(harness, session_maker, "t1", TEACHER)
    await teacher.sends("/period 5А матем")
    await teacher.clicks("Подтвердить")
    await teacher.clicks("Выставить")

    notices = await final_mark_notices(session_maker)
    assert notices == {
        p1_account: [
            "📘 Итоговая отметка — Алексеев Артём Игоревич\nМатематика, 2 четверть: <b>5</b>\nСредний балл: 4,60"
        ]
    }

    # Changed within the grace window: the family, who has not heard of the 5, hears of the 4 only.
    await teacher.sends("1:4 // не сдал зачёт")
    assert (await final_mark_notices(session_maker))[p1_account] == [
        "📘 Итоговая отметка — Алексеев Артём Игоревич\nМатематика, 2 четверть: <b>4</b>\nСредний балл: 4,60"
    ]
