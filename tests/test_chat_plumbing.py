"""The dispatcher's plumbing: unbound accounts are pointed at invitations; crashes become apologies."""

from __future__ import annotations


async def test_unbound_account_is_told_to_get_an_invitation(harness) -> None:
    stranger = harness.user(5001)
    answers = await stranger.sends("/grades")
    assert answers == [
        "Журнал доступен только по личному приглашению. Получите ссылку у классного руководителя или администратора и откройте её."
    ]


async def test_a_crash_is_answered_with_an_apology_and_rolls_back(harness, session_maker, caplog) -> None:
    from aiogram import Router
    from aiogram.filters import Command
    from sqlalchemy import func, select

    from models import Subject

    crashing = Router(name="crashing")

    @crashing.message(Command("boom"))
    async def cmd_boom(message, session) -> None:
        session.add(Subject(name="Астрономия"))
        await session.flush()
        raise RuntimeError("secret detail")

    harness.dispatcher.sub_routers.insert(0, crashing)
    crashing._parent_router = harness.dispatcher

    answers = await harness.user(5002).sends("/boom")

    assert answers == ["Что-то пошло не так. Мы уже разбираемся; попробуйте ещё раз чуть позже."]
    assert "secret detail" not in answers[0]
    async with session_maker() as session:
        assert await session.scalar(select(func.count()).select_from(Subject)) == 0


async def test_one_log_line_per_update_without_personal_data(harness, caplog) -> None:
    caplog.set_level("INFO", logger="bot.updates")
    await harness.user(5003, first_name="Секретное Имя").sends("/start")

    lines = [r.getMessage() for r in caplog.records if r.name == "bot.updates"]
    assert len(lines) == 1
    assert "handler=" in lines[0] and "duration_ms=" in lines[0] and "outcome=" in lines[0]
    assert "Секретное" not in lines[0] and "5003" not in lines[0]


async def test_a_refusal_quoting_typed_text_is_html_escaped(harness, session_maker, school) -> None:
    from tests.people import signed_in

    teacher = await signed_in(harness, session_maker, "t1", 5004)

    answers = await teacher.sends("/mark <b>5 матем 1:5")

    assert answers == ["Класса «&lt;b&gt;5» в школе нет."]
