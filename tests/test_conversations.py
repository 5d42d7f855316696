"""Conversations in every direction (issue 14, item 1): who may write to whom, at the service layer and
through the dispatcher; the hourly limit; the staff's hours off work; muting a sender for a week."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from aiogram.methods import AnswerCallbackQuery
from sqlalchemy import func, select

from bot.config import conversation_rules
from bot.i18n import get_translator
from bot.outbound.render import text_of
from handlers.messaging.keyboards import WriteClassParents, WriteColleague, WritePupil, WriteStudent, WriteTo
from models import ConversationMute, OutboxMessage, RelayedMessage, Student
from services.errors import AccessDenied, DomainError
from services.messaging import directions, relay
from services.messaging.content import Content
from services.messaging.limits import ConversationRules
from services.notices import MessageHeader, Relay
from services.short_lived import carry
from tests.delivery_helpers import deliver, show_last_buttons, update_account
from tests.people import actor_for, person_id, signed_in

pytestmark = pytest.mark.usefixtures("school")

MOSCOW = ZoneInfo("Europe/Moscow")
MORNING = dt.datetime(2026, 11, 26, 10, 0, tzinfo=MOSCOW)  # a Thursday, within working hours
TEXT = Content("text", "Здравствуйте!")

# Telegram ids of the demo people (services.demo_school).
IDS = {"t1": 1001, "t2": 1002, "t3": 1003, "d1": 1006, "dir1": 1007, "a1": 1008, "p1": 2001, "p3": 2003}
IDS |= {"s1": 3001, "s2": 3002}


def rules(rate: int = 20) -> ConversationRules:
    return ConversationRules(rate, (dt.time(20, 0), dt.time(8, 0)), MOSCOW)


def delivered(harness, external_id: str) -> list[str]:
    """What the delivery worker brought `external_id` (relayed messages and notices), not the chat's answers."""
    return [text for text in harness.sent_to(IDS[external_id]) if text.startswith(("✉️", "↩️", "🔕"))]


async def relayed_count(session_maker) -> int:
    async with session_maker() as session:
        return await session.scalar(select(func.count()).select_from(RelayedMessage)) or 0


async def sign_in(harness, session_maker, external_id: str):
    """Signed in with no quiet hours (the staff's hours off work are left at the school's)."""
    user = await signed_in(harness, session_maker, external_id, IDS[external_id])
    await update_account(session_maker, IDS[external_id], quiet_start=None, quiet_end=None)
    return user


async def writes(user, *buttons: str, text: str) -> list[str]:
    """/write, the buttons pressed in turn, then the message: what the writer is answered."""
    await user.sends("/write")
    for label in buttons:
        await user.clicks(label)
    return await user.sends(text)


async def mute_cast(harness, session_maker):
    """The parent p1 and the teacher t2 (5А literature), with 5А's class teacher t1 and the administrator a1
    signed in to be told of a mute."""
    parent = await sign_in(harness, session_maker, "p1")
    teacher = await sign_in(harness, session_maker, "t2")
    await sign_in(harness, session_maker, "t1")
    await sign_in(harness, session_maker, "a1")
    return parent, teacher


def told_of_mute(until: str) -> str:
    """What the class teacher and the administrator read when t2 mutes the parent p1."""
    return (
        "🔕 Петров Сергей Иванович не получает сообщений от родителя Алексеевой Натальи Викторовны "
        f"(Алексеев Артём Игоревич, 5А) до {until}."
    )


# --- the service layer -------------------------------------------------------------------------------


@time_machine.travel(MORNING, tick=False)
async def test_every_direction_allowed_and_its_forbidden_twins_at_the_service_layer(session_maker) -> None:
    actors = {ext: await actor_for(session_maker, ext, tg) for ext, tg in IDS.items()}
    async with session_maker() as session:
        ids = {ext: await person_id(session, ext) for ext in ("s1", "s2", "s3", "t1", "t2", "t3", "d1", "dir1", "a1")}
    class_5a = await _class_of(session_maker, ids["s1"])

    async def allowed(write, *args) -> int:
        async with session_maker() as session:
            result = await write(session, *args, TEXT, rules())
            await session.commit()
            return result.recipients

    async def refused(write, *args) -> str:
        async with session_maker() as session:
            with pytest.raises(AccessDenied) as refusal:
                await write(session, *args, TEXT, rules())
            return refusal.value.key

    p1, p3, s1 = actors["p1"], actors["p3"], actors["s1"]
    # A parent: the class teacher, a subject teacher, the deputy, the director; not another class's teacher,
    # nor anyone about a child not theirs.
    for staff in ("t1", "t2", "d1", "dir1"):
        assert await allowed(relay.write_to_staff, p1, ids["s1"], ids[staff]) == 1
    assert await refused(relay.write_to_staff, p3, ids["s3"], ids["t3"]) == "write-error-not-a-contact"
    assert await refused(relay.write_to_staff, p3, ids["s1"], ids["t1"]) == "error-not-your-child"
    # A pupil: their class teacher and subject teachers; not the director, not another pupil or family.
    assert await allowed(relay.write_to_staff, s1, ids["s1"], ids["t1"]) == 1
    assert await allowed(relay.write_to_staff, s1, ids["s1"], ids["t2"]) == 1
    assert await refused(relay.write_to_staff, s1, ids["s1"], ids["dir1"]) == "write-error-not-a-contact"
    assert await refused(relay.write_to_staff, s1, ids["s2"], ids["t1"]) == "error-not-your-child"
    assert await refused(relay.write_to_pupil, s1, ids["s2"]) == "error-access-denied"
    assert await refused(relay.write_to_parents, s1, ids["s2"]) == "error-access-denied"
    assert await refused(relay.write_to_class_parents, s1, class_5a) == "error-access-denied"
    # A teacher: one pupil and all the parents of a class they teach; not another class's.
    assert await allowed(relay.write_to_pupil, actors["t1"], ids["s1"]) == 1
    assert await allowed(relay.write_to_class_parents, actors["t2"], class_5a) == 2  # p1 and p3 signed in
    assert await refused(relay.write_to_pupil, actors["t3"], ids["s1"]) == "error-not-your-class"
    assert await refused(relay.write_to_parents, actors["t3"], ids["s1"]) == "error-not-your-class"
    assert await refused(relay.write_to_class_parents, actors["t3"], class_5a) == "error-not-your-class"
    # Staff ↔ staff: teacher → deputy, deputy → teacher, director → anyone; not teacher → teacher or director.
    assert await allowed(relay.write_to_colleague, actors["t2"], ids["d1"]) == 1
    assert await allowed(relay.write_to_colleague, actors["d1"], ids["t3"]) == 1
    assert await allowed(relay.write_to_colleague, actors["dir1"], ids["a1"]) == 1
    assert await refused(relay.write_to_colleague, actors["t2"], ids["t3"]) == "write-error-not-a-colleague"
    assert await refused(relay.write_to_colleague, actors["t2"], ids["dir1"]) == "write-error-not-a-colleague"
    assert await refused(relay.write_to_colleague, p1, ids["d1"]) == "error-access-denied"

    assert await relayed_count(session_maker) == 4 + 2 + 1 + 2 + 3


async def test_the_hourly_limit_to_staff_holds_and_says_when(backend, session_maker) -> None:
    """On either backend (tests.conftest.backend): the database's rows, or Redis when REDIS_URL is set."""
    parent = await actor_for(session_maker, "p1", IDS["p1"])
    await actor_for(session_maker, "t1", IDS["t1"])
    async with session_maker() as session:
        child, teacher = await person_id(session, "s1"), await person_id(session, "t1")

    async def write() -> None:
        async with session_maker() as session:
            carry(session, backend)
            await relay.write_to_staff(session, parent, child, teacher, TEXT, rules(rate=2))
            await session.commit()

    with time_machine.travel(MORNING, tick=False):
        await write()
    with time_machine.travel(MORNING + dt.timedelta(minutes=20), tick=False):
        await write()
        with pytest.raises(DomainError) as refusal:
            await write()
    assert (refusal.value.key, refusal.value.args_for_message) == ("write-error-rate", {"limit": 2, "time": "11:00"})
    assert await relayed_count(session_maker) == 2
    with time_machine.travel(MORNING + dt.timedelta(minutes=61), tick=False):
        await write()  # the first has left the hour
    assert await relayed_count(session_maker) == 3


# --- through the dispatcher ----------------------------------------------------------------------------


@time_machine.travel(MORNING, tick=False)
async def test_a_pupil_writes_to_their_class_teacher_and_reads_the_answer(harness, session_maker, settings) -> None:
    pupil = await sign_in(harness, session_maker, "s1")
    teacher = await sign_in(harness, session_maker, "t1")
    assert await pupil.sends("/write") == ["Кому написать?"]
    assert pupil.button_labels() == ["🏫 Моим учителям"]
    await pupil.clicks("Моим учителям")
    labels = pupil.button_labels()
    assert labels[0] == "Иванова Мария Петровна — классный руководитель"
    assert not any("директор" in label for label in labels)
    await pupil.clicks("Иванова")
    assert await pupil.sends("Можно пересдать контрольную?") == ["Отправлено (1). Ответ придёт сюда."]
    await deliver(harness.bot, session_maker, settings)
    assert delivered(harness, "t1") == ["✉️ <b>Алексеев Артём Игоревич</b>, ученик 5А:\n\nМожно пересдать контрольную?"]

    show_last_buttons(harness, teacher)
    await teacher.clicks("Ответить")
    assert await teacher.sends("Да, в пятницу.") == ["Ответ отправлен."]
    await deliver(harness.bot, session_maker, settings)
    assert (
        delivered(harness, "s1")[-1] == "↩️ <b>Иванова Мария Петровна</b>, ваш классный руководитель:\n\nДа, в пятницу."
    )


@time_machine.travel(MORNING, tick=False)
async def test_the_new_directions_through_the_chat(harness, session_maker, settings) -> None:
    parent = await sign_in(harness, session_maker, "p1")
    teacher = await sign_in(harness, session_maker, "t2")
    deputy = await sign_in(harness, session_maker, "d1")
    director = await sign_in(harness, session_maker, "dir1")
    await sign_in(harness, session_maker, "s1")

    # A parent → the director.
    await parent.sends("/write")
    await parent.clicks("Алексеев Артём")
    # The deputy teaches 5А history: listed as its teacher, and again as the deputy.
    assert "Кузнецова Ольга Викторовна — История" in parent.button_labels()
    assert parent.button_labels()[-2:] == [
        "Кузнецова Ольга Викторовна — заместитель директора",
        "Соколов Андрей Николаевич — директор",
    ]
    await parent.clicks("Соколов")
    await parent.sends("Прошу о встрече.")
    # A teacher → one pupil, and → all the parents of the class.
    await teacher.sends("/write")
    assert await teacher.clicks("5А") == [
        "Кому написать: всем родителям класса, родителям одного ученика или самому ученику?"
    ]
    assert teacher.button_labels()[:3] == ["👪 Всем родителям 5А", "1. Алексеев А. И. — родителям", "ученику"]
    await teacher.presses(WritePupil(student_id=await _id(session_maker, "s1")).pack())
    await teacher.sends("Принеси тетрадь.")
    await teacher.sends("/write")
    await teacher.clicks("5А")
    await teacher.clicks("Всем родителям 5А")
    assert await teacher.sends("Диктант в среду.") == ["Отправлено (1). Ответ придёт сюда."]
    # A teacher → the deputy; the deputy → the teacher; the director → the deputy.
    await teacher.sends("/write")
    await teacher.clicks("Коллегам")
    assert teacher.button_labels() == ["Кузнецова Ольга Викторовна — заместитель директора"]
    await teacher.clicks("Кузнецова")
    await teacher.sends("План на неделю готов.")
    await deputy.sends("/write")
    await deputy.clicks("Коллегам")
    await deputy.clicks("Петров Сергей")
    assert await deputy.sends("Спасибо!") == ["Отправлено (1). Ответ придёт сюда."]
    await director.sends("/write")
    await director.clicks("Коллегам")
    await director.clicks("Кузнецова")
    await director.sends("Совещание в 15:00.")
    await deliver(harness.bot, session_maker, settings)

    assert delivered(harness, "dir1") == [
        "✉️ <b>Алексеева Наталья Викторовна</b>, родитель: Алексеев Артём Игоревич, 5А:\n\nПрошу о встрече."
    ]
    assert delivered(harness, "s1") == [
        "✉️ <b>Петров Сергей Иванович</b>, учитель (Литература, Русский язык):\n\nПринеси тетрадь."
    ]
    assert delivered(harness, "p1") == [
        "✉️ <b>Петров Сергей Иванович</b>, учитель (Литература, Русский язык) — родителям 5А:\n\nДиктант в среду."
    ]
    assert delivered(harness, "d1") == [
        "✉️ <b>Петров Сергей Иванович</b>, учитель — коллеге:\n\nПлан на неделю готов.",
        "✉️ <b>Соколов Андрей Николаевич</b>, директор — коллеге:\n\nСовещание в 15:00.",
    ]
    assert delivered(harness, "t2") == [
        "✉️ <b>Кузнецова Ольга Викторовна</b>, заместитель директора — коллеге:\n\nСпасибо!"
    ]

    # The parent answers the class-wide message: it reaches the teacher alone, about the parent's child.
    show_last_buttons(harness, parent)
    await parent.clicks("Ответить")
    await parent.sends("Поняла.")
    await deliver(harness.bot, session_maker, settings)
    assert delivered(harness, "t2")[-1] == (
        "↩️ <b>Алексеева Наталья Викторовна</b>, родитель: Алексеев Артём Игоревич, 5А:\n\nПоняла."
    )


@time_machine.travel(MORNING, tick=False)
async def test_a_parent_writes_to_a_subject_teacher_and_to_the_deputy_through_the_chat(
    harness, session_maker, settings
) -> None:
    parent = await sign_in(harness, session_maker, "p1")
    await sign_in(harness, session_maker, "t2")
    await sign_in(harness, session_maker, "d1")
    sent = ["Отправлено (1). Ответ придёт сюда."]
    assert await writes(parent, "Алексеев Артём", "Петров Сергей", text="Что читать летом?") == sent
    deputy = "Кузнецова Ольга Викторовна — заместитель директора"
    assert await writes(parent, "Алексеев Артём", deputy, text="Прошу о встрече.") == sent
    await deliver(harness.bot, session_maker, settings)
    header = "✉️ <b>Алексеева Наталья Викторовна</b>, родитель: Алексеев Артём Игоревич, 5А:\n\n"
    assert delivered(harness, "t2") == [header + "Что читать летом?"]
    assert delivered(harness, "d1") == [header + "Прошу о встрече."]


@time_machine.travel(MORNING, tick=False)
async def test_forbidden_directions_are_refused_through_the_chat(harness, session_maker) -> None:
    pupil = await sign_in(harness, session_maker, "s1")
    parent = await sign_in(harness, session_maker, "p3")
    teacher = await sign_in(harness, session_maker, "t2")
    first_grade_teacher = await sign_in(harness, session_maker, "t3")
    s1, s2, s3 = [await _id(session_maker, ext) for ext in ("s1", "s2", "s3")]
    class_5a = await _class_of(session_maker, s1)

    # Pupil → pupil, pupil → another family, pupil → another pupil's teacher about them.
    assert await pupil.presses(WritePupil(student_id=s2).pack()) == ["Это вам недоступно."]
    assert await pupil.presses(WriteTo(student_id=s2, staff_id=await _id(session_maker, "t1")).pack()) == [
        "Это не ваш ребёнок."
    ]
    # Parent → another family's teacher, about a child not theirs, and about their own to another class's.
    assert await parent.presses(WriteTo(student_id=s1, staff_id=await _id(session_maker, "t1")).pack()) == [
        "Это не ваш ребёнок."
    ]
    assert (await parent.presses(WriteTo(student_id=s3, staff_id=await _id(session_maker, "t3")).pack()))[0].startswith(
        "Написать можно классному руководителю"
    )
    # A teacher → a class they don't teach, → a pupil of it, → that pupil's parents; a teacher → a teacher.
    assert await first_grade_teacher.presses(WriteClassParents(class_id=class_5a).pack()) == ["Это не ваш класс."]
    assert await first_grade_teacher.presses(WritePupil(student_id=s1).pack()) == ["Это не ваш класс."]
    asked = len(harness.session.requests)
    assert await first_grade_teacher.presses(WriteStudent(student_id=s1).pack()) == ["Это не ваш класс."]
    # The refusal is the button's one answer: Telegram refuses a second, and the teacher would see nothing.
    assert [r.method.text for r in harness.session.requests[asked:] if isinstance(r.method, AnswerCallbackQuery)] == [
        "Это не ваш класс."
    ]
    assert await teacher.presses(WriteColleague(staff_id=await _id(session_maker, "t3")).pack()) == [
        "Учитель пишет заместителю директора, заместитель — учителям, директор — любому сотруднику."
    ]
    assert await relayed_count(session_maker) == 0


async def test_a_parents_message_at_night_waits_for_the_morning_and_the_parent_is_told(
    harness, session_maker, settings
) -> None:
    parent = await sign_in(harness, session_maker, "p1")
    # Hours off work: the school's 20:00–08:00; the teacher's quiet hours (21:00–08:00) kept, and no longer.
    await signed_in(harness, session_maker, "t1", IDS["t1"])
    night = dt.datetime(2026, 11, 26, 22, 0, tzinfo=MOSCOW)
    with time_machine.travel(night, tick=False):
        await parent.sends("/write")
        await parent.clicks("Алексеев Артём")
        await parent.clicks("Иванова")
        assert await parent.sends("Артём завтра опоздает.") == [
            "Отправлено. Сейчас у адресата нерабочее время: сообщение придёт пт, 27 ноября в 08:00. Ответ придёт сюда."
        ]
        await deliver(harness.bot, session_maker, settings)
        assert delivered(harness, "t1") == []
    with time_machine.travel(night + dt.timedelta(hours=9, minutes=59), tick=False):
        await deliver(harness.bot, session_maker, settings)
        assert delivered(harness, "t1") == []
    with time_machine.travel(night + dt.timedelta(hours=10), tick=False):
        await deliver(harness.bot, session_maker, settings)
    assert delivered(harness, "t1")[-1].endswith("Артём завтра опоздает.")
    async with session_maker() as session:
        row = await session.scalar(select(OutboxMessage))
    assert row.not_before == dt.datetime(2026, 11, 27, 8, 0, tzinfo=MOSCOW)


async def test_the_staffs_working_hours_alone_hold_a_familys_message(harness, session_maker, settings) -> None:
    """Both keep the default quiet hours (21:00–08:00): the teacher's working hours decide, not those."""
    parent = await signed_in(harness, session_maker, "p1", IDS["p1"])
    teacher = await signed_in(harness, session_maker, "t1", IDS["t1"])
    await teacher.sends("/settings work 23:00-07:00")

    async def write(text: str) -> list[str]:
        return await writes(parent, "Алексеев Артём", "Иванова", text=text)

    with time_machine.travel(dt.datetime(2026, 11, 26, 22, 0, tzinfo=MOSCOW), tick=False):
        assert await write("Первый вопрос") == ["Отправлено (1). Ответ придёт сюда."]
        await deliver(harness.bot, session_maker, settings)
        assert [text.split("\n\n")[-1] for text in delivered(harness, "t1")] == ["Первый вопрос"]
    with time_machine.travel(dt.datetime(2026, 11, 26, 23, 30, tzinfo=MOSCOW), tick=False):
        assert await write("Второй вопрос") == [
            "Отправлено. Сейчас у адресата нерабочее время: сообщение придёт пт, 27 ноября в 07:00. Ответ придёт сюда."
        ]
    with time_machine.travel(dt.datetime(2026, 11, 27, 7, 0, tzinfo=MOSCOW), tick=False):
        await deliver(harness.bot, session_maker, settings)
        assert [text.split("\n\n")[-1] for text in delivered(harness, "t1")] == ["Первый вопрос", "Второй вопрос"]
    await teacher.sends("/settings work off")
    with time_machine.travel(dt.datetime(2026, 11, 27, 23, 30, tzinfo=MOSCOW), tick=False):
        assert await write("Третий вопрос") == ["Отправлено (1). Ответ придёт сюда."]
        await deliver(harness.bot, session_maker, settings)
    assert [text.split("\n\n")[-1] for text in delivered(harness, "t1")] == [
        "Первый вопрос",
        "Второй вопрос",
        "Третий вопрос",
    ]


async def test_a_teacher_mutes_a_parent_for_a_week_and_the_class_teacher_and_admin_are_told(
    harness, session_maker, settings
) -> None:
    parent, teacher = await mute_cast(harness, session_maker)
    for ext in ("t1", "t2", "a1"):
        await update_account(session_maker, IDS[ext], staff_quiet_hours="")
    with time_machine.travel(MORNING, tick=False):
        await parent.sends("/write")
        await parent.clicks("Алексеев Артём")
        await parent.clicks("Петров Сергей")
        await parent.sends("Почему тройка?!")
        await deliver(harness.bot, session_maker, settings)
        assert show_last_buttons(harness, teacher) == ["Ответить", "🔕 Не получать неделю"]
        assert await teacher.clicks("Не получать неделю") == [
            "Сообщения этого собеседника не будут приходить вам до чт, 3 декабря."
        ]
        await deliver(harness.bot, session_maker, settings)
        assert delivered(harness, "t1") == delivered(harness, "a1") == [told_of_mute("чт, 3 декабря")]

        await parent.sends("/write")
        await parent.clicks("Алексеев Артём")
        await parent.clicks("Петров Сергей")
        assert await parent.sends("Ответьте!") == [
            "Сообщение не доставлено: адресат сейчас не принимает сообщений от вас."
        ]
        await parent.sends("/write")  # the class teacher still hears the parent
        await parent.clicks("Алексеев Артём")
        await parent.clicks("Иванова")
        assert await parent.sends("Вопрос по оценке.") == ["Отправлено (1). Ответ придёт сюда."]
    with time_machine.travel(MORNING + dt.timedelta(days=7, minutes=1), tick=False):
        await parent.sends("/write")
        await parent.clicks("Алексеев Артём")
        await parent.clicks("Петров Сергей")
        assert await parent.sends("Прошла неделя.") == ["Отправлено (1). Ответ придёт сюда."]
    async with session_maker() as session:
        assert await session.scalar(select(func.count()).select_from(ConversationMute)) == 1


@time_machine.travel(MORNING, tick=False)
async def test_a_parent_muted_in_a_thread_to_the_whole_class_is_told_to_the_class_teacher(
    harness, session_maker, settings
) -> None:
    parent, teacher = await mute_cast(harness, session_maker)
    await writes(teacher, "5А", "Всем родителям 5А", text="Диктант в среду.")
    await deliver(harness.bot, session_maker, settings)
    show_last_buttons(harness, parent)
    await parent.clicks("Ответить")
    await parent.sends("Опять диктант?!")
    await deliver(harness.bot, session_maker, settings)
    show_last_buttons(harness, teacher)
    await teacher.clicks("Не получать неделю")
    await deliver(harness.bot, session_maker, settings)
    assert delivered(harness, "t1") == delivered(harness, "a1") == [told_of_mute("чт, 3 декабря")]


async def test_the_settings_build_the_rules() -> None:
    from tests.conftest import make_settings

    built = conversation_rules(make_settings("sqlite+aiosqlite://", message_rate_per_hour=5, staff_quiet_hours="off"))
    assert (built.rate_per_hour, built.staff_quiet) == (5, (None, None))


async def _id(session_maker, external_id: str) -> int:
    async with session_maker() as session:
        return await person_id(session, external_id)


async def _class_of(session_maker, student_id: int) -> int:
    async with session_maker() as session:
        student = await session.get(Student, student_id)
        assert student is not None and student.class_id is not None
        return student.class_id


async def test_a_teacher_changes_their_hours_off_work_in_settings(harness, session_maker, settings) -> None:
    parent = await sign_in(harness, session_maker, "p1")
    teacher = await sign_in(harness, session_maker, "t1")
    [shown] = await teacher.sends("/settings")
    assert "Нерабочие часы: 20:00–08:00" in shown
    [shown] = await teacher.sends("/settings work 23:00-07:00")
    assert "Нерабочие часы: 23:00–07:00" in shown
    with time_machine.travel(dt.datetime(2026, 11, 26, 22, 0, tzinfo=MOSCOW), tick=False):
        await parent.sends("/write")
        await parent.clicks("Алексеев Артём")
        await parent.clicks("Иванова")
        assert await parent.sends("Вопрос") == ["Отправлено (1). Ответ придёт сюда."]
    work_hours_refused = [
        "Нерабочие часы пишутся так: 20:00-08:00 (начало и конец разные), или off — без нерабочих часов: "
        "сообщения родителей и учеников приходят в любое время."
    ]
    assert await teacher.sends("/settings work 25:00") == work_hours_refused
    assert await teacher.sends("/settings work 07:00-07:00") == work_hours_refused
    assert await teacher.sends("/settings work") == work_hours_refused
    [shown] = await teacher.sends("/settings")
    assert "Нерабочие часы: 23:00–07:00" in shown  # unchanged
    [shown] = await teacher.sends("/settings work off")
    assert "Нерабочие часы: нет" in shown
    [shown] = await parent.sends("/settings")
    assert "Нерабочие часы" not in shown


@pytest.mark.parametrize(
    ("moment", "until"),
    [
        (dt.datetime(2026, 11, 26, 23, 30, tzinfo=MOSCOW), "чт, 3 декабря"),
        # 21:30 UTC of the day before: a date taken in UTC would say «чт, 3 декабря».
        (dt.datetime(2026, 11, 27, 0, 30, tzinfo=MOSCOW), "пт, 4 декабря"),
    ],
)
async def test_the_mute_says_the_schools_day_around_midnight(harness, session_maker, settings, moment, until) -> None:
    parent = await sign_in(harness, session_maker, "p1")
    teacher = await sign_in(harness, session_maker, "t2")
    await sign_in(harness, session_maker, "t1")  # the class teacher of 5А
    for ext in ("t1", "t2"):
        await update_account(session_maker, IDS[ext], staff_quiet_hours="")
    with time_machine.travel(moment, tick=False):
        await parent.sends("/write")
        await parent.clicks("Алексеев Артём")
        await parent.clicks("Петров Сергей")
        await parent.sends("Почему тройка?!")
        await deliver(harness.bot, session_maker, settings)
        show_last_buttons(harness, teacher)
        assert await teacher.clicks("Не получать неделю") == [
            f"Сообщения этого собеседника не будут приходить вам до {until}."
        ]
        await deliver(harness.bot, session_maker, settings)
    assert delivered(harness, "t1") == [told_of_mute(until)]


async def test_a_deputy_who_teaches_the_class_is_a_parents_contact_in_both_roles(session_maker) -> None:
    parent = await actor_for(session_maker, "p1", IDS["p1"])
    async with session_maker() as session:
        s1, d1 = await person_id(session, "s1"), await person_id(session, "d1")
        contacts = await directions.contacts_for_child(session, parent, s1)
        as_teacher = await directions.ensure_contact(session, parent, s1, d1, "teacher")
        as_deputy = await directions.ensure_contact(session, parent, s1, d1, "deputy")
        with pytest.raises(AccessDenied):
            await directions.ensure_contact(session, parent, s1, d1, "director")
    assert [(c.role, c.subjects) for c in contacts if c.staff_id == d1] == [("teacher", ("История",)), ("deputy", ())]
    assert (as_teacher.role, as_deputy.role) == ("teacher", "deputy")


@pytest.mark.parametrize(
    ("pupil", "language", "header"),
    [
        ("Белова Софья Дмитриевна", "ru", "✉️ <b>Белова Софья Дмитриевна</b>, ученица 5А:"),
        ("Алексеев Артём Игоревич", "ru", "✉️ <b>Алексеев Артём Игоревич</b>, ученик 5А:"),
        ("Белова Софья Дмитриевна", "en", "✉️ <b>Белова Софья Дмитриевна</b>, student of 5А:"),
    ],
)
def test_a_pupils_message_says_pupil_in_the_writers_gender(pupil: str, language: str, header: str) -> None:
    notice = Relay(header=MessageHeader("pupil", pupil, "✉️", pupil, "5А"), text="Можно пересдать?")
    assert text_of(notice, get_translator(language)) == f"{header}\n\nМожно пересдать?"
