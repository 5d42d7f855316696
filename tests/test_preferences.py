"""/settings: per kind instant, digest or off (per child where it matters), digest time, quiet hours."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from models import Account, DeliveryMode, NotificationKind, NotificationPreference
from services import preferences
from services.errors import AccessDenied, ValidationFailed
from tests.people import actor_for, person_id, signed_in

pytestmark = pytest.mark.usefixtures("school")

PARENT, STUDENT, TEACHER = 2001, 3001, 1002
FOOTER = (
    "Тихие часы: 21:00–08:00 (пропуски приходят и в это время)\nЯзык: Русский\n\n"
    "Время сводки: /settings digest 19:30. Тихие часы: /settings quiet 22:00-07:00 или /settings quiet off."
)


async def stored(session_maker) -> list[tuple[int | None, str, str]]:
    async with session_maker() as session:
        return [
            (row.student_id, row.kind, row.mode)
            for row in await session.scalars(select(NotificationPreference).order_by(NotificationPreference.id))
        ]


async def account_of(session_maker, telegram_id: int) -> Account:
    async with session_maker() as session:
        return await session.scalar(select(Account).where(Account.telegram_id == telegram_id))


async def test_a_parent_sees_the_defaults_and_steps_a_kind_through_its_modes(harness, session_maker) -> None:
    parent = await signed_in(harness, session_maker, "p1", PARENT)
    assert await parent.sends("/settings") == [
        "⚙️ <b>Уведомления</b>\nДля кого: <b>все дети</b>\nОтметки: <b>сразу</b>\n"
        "Пропуски и опоздания: <b>сразу</b>\nДомашние задания: <b>не присылать</b>\nОбъявления: <b>сразу</b>\n"
        "Время сводки: 19:00 (сейчас ничего не собирается в сводку)\n" + FOOTER
    ]
    assert parent.button_labels() == [
        "Сменить ребёнка",
        "Отметки → в вечерней сводке",
        "Пропуски и опоздания → в вечерней сводке",
        "Домашние задания → сразу",
        "Объявления → в вечерней сводке",
        "18:00",
        "19:00",
        "20:00",
        "21:00",
        "Без тихих часов",
        "English",
    ]
    [saved, view] = await parent.clicks("Отметки →")
    assert saved == "Сохранено"
    assert "Отметки: <b>в вечерней сводке</b>" in view and "Сводка: каждый день в 19:00" in view
    assert await stored(session_maker) == [(None, "marks", "digest")]

    await parent.clicks("Отметки →")
    assert await stored(session_maker) == [(None, "marks", "off")]
    await parent.clicks("Отметки →")
    assert await stored(session_maker) == []  # back to the default: nothing stored


async def test_a_choice_for_one_child_leaves_the_other_alone(harness, session_maker) -> None:
    parent = await signed_in(harness, session_maker, "p1", PARENT)
    await parent.sends("/settings")
    [_, view] = await parent.clicks("Сменить ребёнка")
    assert "Для кого: <b>Алексеев Артём Игоревич</b>" in view
    await parent.clicks("Домашние задания →")
    async with session_maker() as session:
        artyom, polina = await person_id(session, "s1"), await person_id(session, "s17")
        account = await session.scalar(select(Account).where(Account.telegram_id == PARENT))
        assert (await preferences.modes_for(session, account.id, artyom))[
            NotificationKind.HOMEWORK
        ] == DeliveryMode.INSTANT
        assert (await preferences.modes_for(session, account.id, polina))[NotificationKind.HOMEWORK] == DeliveryMode.OFF
    assert await stored(session_maker) == [(artyom, "homework", "instant")]


async def test_digest_time_and_quiet_hours_by_typing(harness, session_maker) -> None:
    teacher = await signed_in(harness, session_maker, "t2", TEACHER)
    [view] = await teacher.sends("/settings digest 20:30")
    assert view.startswith("⚙️ <b>Уведомления</b>\nОбъявления: <b>сразу</b>\nВремя сводки: 20:30")
    assert await teacher.sends("/settings quiet 22:00–07:00")
    account = await account_of(session_maker, TEACHER)
    assert (account.digest_time, account.quiet_start, account.quiet_end) == (dt.time(20, 30), dt.time(22), dt.time(7))
    [view] = await teacher.sends("/settings quiet off")
    assert "Тихие часы: нет" in view
    assert (await account_of(session_maker, TEACHER)).quiet_start is None


@pytest.mark.parametrize(
    ("command", "answer"),
    [
        ("/settings digest 25:99", "«25:99» — не время. Пишите так: 19:30."),
        ("/settings digest", "«» — не время. Пишите так: 19:30."),
        (
            "/settings quiet 22:00",
            "Тихие часы пишутся так: 22:00-07:00 (начало и конец разные), или off — без тихих часов.",
        ),
        (
            "/settings quiet 08:00-08:00",
            "Тихие часы пишутся так: 22:00-07:00 (начало и конец разные), или off — без тихих часов.",
        ),
        (
            "/settings sometimes",
            "Так: /settings, /settings digest 19:30, /settings quiet 22:00-07:00 или /settings quiet off.",
        ),
    ],
)
async def test_bad_settings_are_refused_and_change_nothing(harness, session_maker, command, answer) -> None:
    teacher = await signed_in(harness, session_maker, "t2", TEACHER)
    assert await teacher.sends(command) == [answer]
    account = await account_of(session_maker, TEACHER)
    assert (account.digest_time, account.quiet_start, account.quiet_end) == (dt.time(19), dt.time(21), dt.time(8))


async def test_a_student_switches_notifications_on(harness, session_maker) -> None:
    student = await signed_in(harness, session_maker, "s1", STUDENT)
    [view] = await student.sends("/settings")
    assert "Уведомления об отметках и пропусках: выключены" in view
    [_, view] = await student.clicks("Включить уведомления")
    assert "Уведомления об отметках и пропусках: включены\nОтметки: <b>сразу</b>" in view
    assert (await account_of(session_maker, STUDENT)).wants_notifications is True


async def test_the_service_refuses_another_familys_child(session_maker) -> None:
    actor = await actor_for(session_maker, "p1", PARENT)
    async with session_maker() as session:
        stranger = await person_id(session, "s3")
        with pytest.raises(AccessDenied):
            await preferences.set_mode(session, actor, NotificationKind.MARKS, DeliveryMode.OFF, stranger)
        with pytest.raises(AccessDenied):
            await preferences.load_settings(session, actor, stranger)


@pytest.mark.parametrize(("text", "value"), [("19:30", dt.time(19, 30)), ("7.05", dt.time(7, 5)), ("8", dt.time(8))])
def test_times_are_read_as_people_write_them(text: str, value: dt.time) -> None:
    assert preferences.parse_time(text) == value


@pytest.mark.parametrize("text", ["24:00", "19:60", "abc", "-1:00", "19:3x", ""])
def test_what_is_not_a_time_is_refused(text: str) -> None:
    with pytest.raises(ValidationFailed):
        preferences.parse_time(text)
