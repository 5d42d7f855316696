"""School ↔ home through the bot: /write and replies, photos of doctor's notes, /broadcast with its report.

Every message to someone else goes through the outbox; `deliver` runs the delivery worker. Nobody's
Telegram identity (id, name, username) reaches the other side.
"""

from __future__ import annotations

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

import pytest
import time_machine
from aiogram.methods import SendPhoto
from aiogram.types import Message, PhotoSize, User, Voice
from sqlalchemy import func, select

from bot.chat_client import ChatUser
from bot.offline_session import BOT_USER
from bot.outbound.callbacks import RelayReply
from handlers.broadcasts import BroadcastTo
from handlers.messaging.keyboards import WriteTo
from models import Broadcast, BroadcastReceipt, Conversation, Mark, OutboxMessage, RelayedMessage, Student
from services.errors import AccessDenied, DomainError
from services.messaging.broadcasts import Audience, broadcast_report, mark_read, send_broadcast
from tests.delivery_helpers import deliver, outbox_rows, show_last_buttons, update_account
from tests.people import actor_for, person_id, signed_in

pytestmark = pytest.mark.usefixtures("school")

TEACHER, PARENT, PARENT_3, PARENT_4, ADMIN = 1001, 2001, 2003, 2004, 1006
_ids = itertools.count(50_000)


def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


async def send_message(user: ChatUser, **content) -> list[str]:
    """A message with any content (a reply, a photo, a voice note), as Telegram would deliver it."""
    return await user.sends_message(
        Message(message_id=next(_ids), date=now(), chat=user.chat, from_user=user.user, **content)
    )


async def last_message_to(session_maker, user: ChatUser) -> Message:
    """The last message the worker delivered to `user`, as their app has it (to reply to)."""
    [row] = (await outbox_rows(session_maker, user.user.id))[-1:]
    return Message(message_id=row.sent_message_id, date=now(), chat=user.chat, from_user=BOT_USER, text="…")


async def run_delivery(harness, session_maker, settings) -> None:
    await deliver(harness.bot, session_maker, settings)


async def sign_in(harness, session_maker, external_id: str, telegram_id: int, first_name: str) -> ChatUser:
    """Signed in, with no quiet hours and, staff, no hours off work (whatever the hour the suite runs at;
    quiet hours: test_outbox; hours off work: test_conversations)."""
    user = await signed_in(harness, session_maker, external_id, telegram_id)
    await update_account(session_maker, telegram_id, quiet_start=None, quiet_end=None, staff_quiet_hours="")
    user.user = User(id=telegram_id, is_bot=False, first_name=first_name, username=f"{first_name.lower()}_secret")
    return user


def identity_of(user: ChatUser) -> list[str]:
    return [str(user.user.id), user.user.first_name, user.user.username or ""]


async def test_a_relay_round_trip_keeps_both_sides_anonymous(harness, session_maker, settings) -> None:
    parent = await sign_in(harness, session_maker, "p1", PARENT, "Natasha")
    teacher = await sign_in(harness, session_maker, "t1", TEACHER, "Masha")

    assert await parent.sends("/write") == ["Кому написать?"]
    assert parent.button_labels() == [
        "👪 О ребёнке: Алексеев Артём Игоревич",
        "👪 О ребёнке: Алексеева Полина Игоревна",
    ]
    assert await parent.clicks("Алексеев Артём") == ["Кому написать?"]
    assert parent.button_labels()[0] == "Иванова Мария Петровна — классный руководитель"
    assert "Петров Сергей Иванович — Литература, Русский язык" in parent.button_labels()
    assert (await parent.clicks("Иванова"))[0].startswith("Напишите сообщение Ивановой Марии Петровне — текст")
    assert await parent.sends("Здравствуйте! Артём завтра пропустит физкультуру.") == [
        "Отправлено (1). Ответ придёт сюда."
    ]

    await run_delivery(harness, session_maker, settings)
    [received] = harness.sent_to(TEACHER)
    assert received == (
        "✉️ <b>Алексеева Наталья Викторовна</b>, родитель: Алексеев Артём Игоревич, 5А:\n\n"
        "Здравствуйте! Артём завтра пропустит физкультуру."
    )
    assert show_last_buttons(harness, teacher) == ["Ответить", "🔕 Не получать неделю"]

    # The teacher answers with Telegram's «reply».
    original = await last_message_to(session_maker, teacher)
    assert await send_message(teacher, text="Спасибо, учту.", reply_to_message=original) == ["Ответ отправлен."]
    await run_delivery(harness, session_maker, settings)
    assert harness.sent_to(PARENT)[-1] == (
        "↩️ <b>Иванова Мария Петровна</b>, классный руководитель 5А — о ребёнке: Алексеев Артём Игоревич\n\n"
        "Спасибо, учту."
    )

    # The parent answers with the button, sending a photo of the doctor's note.
    show_last_buttons(harness, parent)
    assert await parent.clicks("Ответить") == ["Напишите ответ — текст, фото или документ. /cancel — отмена."]
    assert await send_message(parent, voice=Voice(file_id="v1", file_unique_id="v1", duration=3)) == [
        "Так переслать не получится: можно текст, фото или документ."
    ]
    photo = [
        PhotoSize(file_id="small", file_unique_id="s", width=90, height=90),
        PhotoSize(file_id="doctor-note", file_unique_id="d", width=1280, height=960),
    ]
    assert await send_message(parent, photo=photo, caption="Справка") == ["Ответ отправлен."]
    await run_delivery(harness, session_maker, settings)
    sent_photo = [r.method for r in harness.session.requests if isinstance(r.method, SendPhoto)]
    assert [(p.chat_id, p.photo, p.caption) for p in sent_photo] == [
        (
            TEACHER,
            "doctor-note",
            ("↩️ <b>Алексеева Наталья Викторовна</b>, родитель: Алексеев Артём Игоревич, 5А:\n\nСправка"),
        )
    ]

    for text in harness.sent_to(TEACHER):
        assert not any(secret in text for secret in identity_of(parent))
    for text in harness.sent_to(PARENT):
        assert not any(secret in text for secret in identity_of(teacher))
    async with session_maker() as session:
        assert await session.scalar(select(func.count()).select_from(Conversation)) == 1
        relayed = list(await session.scalars(select(RelayedMessage).order_by(RelayedMessage.id)))
    assert [(m.content_type, m.text, m.file_id) for m in relayed] == [
        ("text", "Здравствуйте! Артём завтра пропустит физкультуру.", None),
        ("text", "Спасибо, учту.", None),
        ("photo", "Справка", "doctor-note"),
    ]


async def test_a_teacher_writes_to_both_parents_of_a_student(harness, session_maker, settings) -> None:
    teacher = await sign_in(harness, session_maker, "t1", TEACHER, "Masha")
    await sign_in(harness, session_maker, "p3", PARENT_3, "Ira")
    await sign_in(harness, session_maker, "p4", PARENT_4, "Andrey")
    assert await teacher.sends("/write 5А 3") == [
        "Напишите сообщение родителям Васильева Кирилла Андреевича — текст, фото или документ. "
        "Ваш номер телефона и имя в Telegram не передаются. /cancel — отмена."
    ]
    assert await teacher.sends("Кирилл сегодня молодец!") == ["Отправлено (2). Ответ придёт сюда."]
    await run_delivery(harness, session_maker, settings)
    expected = (
        "✉️ <b>Иванова Мария Петровна</b>, классный руководитель 5А — о ребёнке: Васильев Кирилл Андреевич\n\n"
        "Кирилл сегодня молодец!"
    )
    assert harness.sent_to(PARENT_3) == [expected]
    assert harness.sent_to(PARENT_4) == [expected]


async def test_cancel_and_bad_numbers(harness, session_maker, settings) -> None:
    teacher = await sign_in(harness, session_maker, "t1", TEACHER, "Masha")
    assert await teacher.sends("/write 5А 42") == ["В списке 5А нет номера 42."]
    await teacher.sends("/write 5А 1")
    assert await teacher.sends("/cancel") == ["Отменено."]
    assert await teacher.sends("это не уйдёт никому") == ["Не понял сообщение. Список команд — /help."]
    async with session_maker() as session:
        assert await session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


async def test_a_parent_writes_only_to_their_childs_teachers(harness, session_maker, settings) -> None:
    parent = await sign_in(harness, session_maker, "p3", PARENT_3, "Ira")
    async with session_maker() as session:
        own_child, other_child = await person_id(session, "s3"), await person_id(session, "s1")
        first_grade_teacher = await person_id(session, "t3")
    assert await parent.presses(WriteTo(student_id=own_child, staff_id=first_grade_teacher).pack()) == [
        "Написать можно классному руководителю, учителям класса, заместителю директора и директору "
        "(ученику — только своим учителям)."
    ]
    assert await parent.presses(WriteTo(student_id=other_child, staff_id=first_grade_teacher).pack()) == [
        "Это не ваш ребёнок."
    ]


async def test_a_reply_to_someone_elses_message_is_refused(harness, session_maker, settings) -> None:
    parent = await sign_in(harness, session_maker, "p1", PARENT, "Natasha")
    await sign_in(harness, session_maker, "t1", TEACHER, "Masha")
    intruder = await sign_in(harness, session_maker, "p3", PARENT_3, "Ira")
    await parent.sends("/write")
    await parent.clicks("Алексеев Артём")
    await parent.clicks("Иванова")
    await parent.sends("Вопрос")
    async with session_maker() as session:
        relayed_id = await session.scalar(select(RelayedMessage.id))
    await intruder.presses(RelayReply(relayed_id=relayed_id).pack())
    assert await intruder.sends("Я не тот, кому писали") == ["Ответить можно только на сообщение, пришедшее вам."]
    async with session_maker() as session:
        assert await session.scalar(select(func.count()).select_from(RelayedMessage)) == 1


# --- /broadcast ------------------------------------------------------------------------------------


async def test_a_class_teacher_announces_to_the_parents_and_sees_the_report(harness, session_maker, settings) -> None:
    teacher = await sign_in(harness, session_maker, "t1", TEACHER, "Masha")
    parents = {
        ext: await sign_in(harness, session_maker, ext, tg, ext)
        for ext, tg in (("p1", PARENT), ("p3", PARENT_3), ("p4", PARENT_4))
    }
    await sign_in(harness, session_maker, "p10", 2010, "Other")  # 5Б and 1А: not in the audience
    await update_account(session_maker, PARENT_4, active=False)  # blocked the bot earlier

    assert await teacher.sends("/broadcast") == ["Кому объявление?"]
    assert teacher.button_labels() == ["Родителям 5А", "Ученикам 5А", "Родителям и ученикам 5А"]
    assert await teacher.clicks("Родителям 5А") == ["Получателей: 3. Напишите текст объявления. /cancel — отмена."]
    announcement = "Родительское собрание в пятницу в 18:00, кабинет 21."
    [preview] = await teacher.sends(announcement)
    assert preview == (
        "Так его увидят 3 получателя. Отправить?\n\n"
        "📢 Объявление — Иванова Мария Петровна, классный руководитель 5А\n\n" + announcement
    )
    assert (await teacher.clicks("Отправить"))[-1] == (
        "Объявление отправляется (3). Отчёт — кнопкой ниже или /broadcast report."
    )
    await run_delivery(harness, session_maker, settings)
    assert harness.sent_to(PARENT)[-1].endswith(announcement)
    assert harness.sent_to(2010) == []
    assert show_last_buttons(harness, parents["p1"]) == ["Принято к сведению"]
    assert await parents["p1"].clicks("Принято к сведению") == ["Спасибо, отмечено."]
    assert await parents["p1"].clicks("Принято к сведению") == ["Уже отмечено."]

    assert await teacher.sends("/broadcast report") == [
        f"«{announcement}»\nВсего 3: доставлено 2, в очереди 0, заблокировали бота 1, ошибки 0, "
        "отключили объявления 0. Ознакомились: 1."
    ]
    async with session_maker() as session:
        broadcast = await session.scalar(select(Broadcast))
        receipts = list(await session.scalars(select(BroadcastReceipt)))
    assert (broadcast.audience, broadcast.text) == (Audience.CLASS_PARENTS.value, announcement)
    assert len(receipts) == 3 and sum(1 for r in receipts if r.read_at) == 1


async def test_only_the_administration_writes_to_the_whole_school(harness, session_maker, settings) -> None:
    admin = await sign_in(harness, session_maker, "a1", ADMIN, "Admin")
    parent = await sign_in(harness, session_maker, "p1", PARENT, "Natasha")
    teacher = await sign_in(harness, session_maker, "t2", 1002, "Sergey")  # not a class teacher
    assert await parent.sends("/broadcast") == [
        "Объявления рассылают классный руководитель (своему классу), заместитель директора, директор и администратор."
    ]
    assert await teacher.sends("/broadcast") == [
        "Объявления рассылают классный руководитель (своему классу), заместитель директора, директор и администратор."
    ]
    assert await teacher.presses(BroadcastTo(audience=Audience.SCHOOL).pack()) == [
        "Всем сотрудникам и всей школе пишут заместитель директора, директор и администратор."
    ]
    assert await admin.sends("/broadcast") == ["Кому объявление?"]
    assert admin.button_labels() == ["Всем сотрудникам", "Всей школе"]
    assert await admin.clicks("Всей школе") == ["Получателей: 2. Напишите текст объявления. /cancel — отмена."]
    await admin.sends("Завтра школа закрыта на карантин.")
    await admin.clicks("Отправить")
    await run_delivery(harness, session_maker, settings)
    assert harness.sent_to(PARENT)[-1] == (
        "📢 Объявление — Орлова Елена Сергеевна, администрация школы\n\nЗавтра школа закрыта на карантин."
    )
    assert harness.sent_to(1002)[-1].endswith("Завтра школа закрыта на карантин.")


DEPUTY, DIRECTOR = 1007, 1008
PARENT_5A, PARENT_5B, PARENT_1A = 2003, 2011, 2018  # p3 (s3, 5А), p11 (s11, 5Б), p18 (s19, 1А)


async def test_who_may_announce_to_a_class_a_parallel_and_the_school(session_maker) -> None:
    actors = {
        ext: await actor_for(session_maker, ext, tg)
        for ext, tg in (("d1", DEPUTY), ("dir1", DIRECTOR), ("t1", TEACHER), ("t2", 1002), ("a1", ADMIN))
        + (("p3", PARENT_5A), ("p11", PARENT_5B), ("p18", PARENT_1A))
    }
    deputy, director = actors["d1"], actors["dir1"]
    async with session_maker() as session:
        class_5b = await session.scalar(select(Student.class_id).where(Student.id == await person_id(session, "s11")))
        reach = {ext: actors[ext].account_id for ext in ("p3", "p11", "p18")}

    async def receivers(actor, audience, class_id=None, grade=None) -> set[str]:
        """Whom the announcement reached, of the three parents; it is committed."""
        async with session_maker() as session:
            broadcast = await send_broadcast(session, actor, audience, class_id, "Объявление", grade=grade)
            await session.commit()
            accounts = set(
                await session.scalars(
                    select(BroadcastReceipt.account_id).where(BroadcastReceipt.broadcast_id == broadcast.id)
                )
            )
        return {ext for ext, account_id in reach.items() if account_id in accounts}

    async def refused(actor, audience, class_id=None, grade=None) -> str:
        async with session_maker() as session:
            with pytest.raises(DomainError) as refusal:
                await send_broadcast(session, actor, audience, class_id, "Объявление", grade=grade)
            return refusal.value.key

    # The deputy and the director: a parallel's parents, any class's parents, the whole school.
    assert await receivers(deputy, Audience.PARALLEL_PARENTS, grade=5) == {"p3", "p11"}
    assert await receivers(director, Audience.PARALLEL_PARENTS, grade=1) == {"p18"}
    assert await receivers(director, Audience.CLASS_PARENTS, class_5b) == {"p11"}
    assert await receivers(deputy, Audience.SCHOOL) == {"p3", "p11", "p18"}
    # Not a class teacher to a parallel or another class; not a teacher to the school; no grade 7.
    assert await refused(actors["t1"], Audience.PARALLEL_PARENTS, grade=5) == "broadcast-error-parallel"
    assert await refused(actors["a1"], Audience.PARALLEL_PARENTS, grade=5) == "broadcast-error-parallel"
    assert await refused(actors["t1"], Audience.CLASS_PARENTS, class_5b) == "error-not-your-class"
    assert await refused(actors["t2"], Audience.SCHOOL) == "broadcast-error-school-wide"
    assert await refused(deputy, Audience.CLASS_STUDENTS, class_5b) == "error-not-your-class"
    assert await refused(deputy, Audience.PARALLEL_PARENTS, grade=7) == "broadcast-error-no-parallel"

    async with session_maker() as session:
        parallel = await session.scalar(select(Broadcast).where(Broadcast.audience == "parallel_parents"))
        assert parallel.grade == 5 and parallel.sender_account_id == deputy.account_id
        assert await mark_read(session, actors["p11"], parallel.id) is True
        await session.commit()
        report = await broadcast_report(session, deputy, parallel.id)
        assert (report.total, report.read) == (2, 1)
        with pytest.raises(AccessDenied):
            await broadcast_report(session, director, parallel.id)  # not the director's announcement


async def test_the_deputy_announces_to_a_parallel_and_counts_who_read_it(harness, session_maker, settings) -> None:
    deputy = await sign_in(harness, session_maker, "d1", DEPUTY, "Olga")
    teacher = await sign_in(harness, session_maker, "t1", TEACHER, "Masha")
    parents = {
        ext: await sign_in(harness, session_maker, ext, tg, ext)
        for ext, tg in (("p3", PARENT_5A), ("p11", PARENT_5B), ("p18", PARENT_1A))
    }
    assert await deputy.sends("/broadcast") == ["Кому объявление?"]
    assert deputy.button_labels() == [
        "Родителям 1А",
        "Родителям 5А",
        "Родителям 5Б",
        "Родителям 1-х классов",
        "Родителям 5-х классов",
        "Всем сотрудникам",
        "Всей школе",
    ]
    assert await deputy.clicks("Родителям 5-х классов") == [
        "Получателей: 2. Напишите текст объявления. /cancel — отмена."
    ]
    [preview] = await deputy.sends("Собрание пятых классов в четверг в 18:00.")
    assert preview.endswith(
        "📢 Объявление — Кузнецова Ольга Викторовна, заместитель директора\n\nСобрание пятых классов в четверг в 18:00."
    )
    await deputy.clicks("Отправить")
    await run_delivery(harness, session_maker, settings)
    assert (
        harness.sent_to(PARENT_5A)[-1]
        == harness.sent_to(PARENT_5B)[-1]
        == (
            "📢 Объявление — Кузнецова Ольга Викторовна, заместитель директора\n\n"
            "Собрание пятых классов в четверг в 18:00."
        )
    )
    assert harness.sent_to(PARENT_1A) == []
    show_last_buttons(harness, parents["p11"])
    assert await parents["p11"].clicks("Принято к сведению") == ["Спасибо, отмечено."]
    assert await deputy.sends("/broadcast report") == [
        "«Собрание пятых классов в четверг в 18:00.»\nВсего 2: доставлено 2, в очереди 0, заблокировали бота 0, "
        "ошибки 0, отключили объявления 0. Ознакомились: 1."
    ]

    # A class teacher's buttons are their class's; a parallel pressed anyway is refused.
    assert await teacher.sends("/broadcast") == ["Кому объявление?"]
    assert teacher.button_labels() == ["Родителям 5А", "Ученикам 5А", "Родителям и ученикам 5А"]
    assert await teacher.presses(BroadcastTo(audience=Audience.PARALLEL_PARENTS, grade=5).pack()) == [
        "Родителям параллели пишут заместитель директора и директор."
    ]
    async with session_maker() as session:
        assert await session.scalar(select(func.count()).select_from(Broadcast)) == 1


async def test_a_reply_reaches_the_parent_even_while_a_lesson_is_open(harness, session_maker, settings) -> None:
    parent = await sign_in(harness, session_maker, "p1", PARENT, "Natasha")
    teacher = await sign_in(harness, session_maker, "t1", TEACHER, "Masha")
    with time_machine.travel(dt.datetime(2026, 11, 26, 10, 0, tzinfo=ZoneInfo("Europe/Moscow")), tick=False):
        await parent.sends("/write")
        await parent.clicks("Алексеев Артём")
        await parent.clicks("Иванова")
        await parent.sends("Можно Артёму пересдать?")
        await run_delivery(harness, session_maker, settings)
        await teacher.sends("/today")
        await teacher.clicks("5А")  # the lesson view is open: typed lines fill it
        original = await last_message_to(session_maker, teacher)
        assert await send_message(teacher, text="3 5", reply_to_message=original) == ["Ответ отправлен."]
        await run_delivery(harness, session_maker, settings)
    assert harness.sent_to(PARENT)[-1].endswith("\n\n3 5")
    async with session_maker() as session:
        assert await session.scalar(select(func.count()).select_from(Mark)) == 0
