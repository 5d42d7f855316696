"""Names with &, < and > in refusals and questions are escaped exactly once: the chat shows «&», not «&amp;».

A refusal's arguments are plain text (services.errors.DomainError); the chat layer escapes them in one
place (bot.i18n.Translator.refusal), whether the refusal is answered by the error middleware or by a
handler asking a question back. Through the real dispatcher and a Bot API session that refuses what
Telegram refuses (so an unescaped «<» would fail the request), on a demo school whose pupil, parent,
teacher, subject and kind of work carry those characters.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import func, select, update

from bot.chat_client import ChatClient
from bot.text import visible_text
from models import AuditEntry, Mark, Parent, Staff, Student, Subject, WorkType
from tests.people import signed_in
from tests.telegram_rules import strict_harness

MSK = ZoneInfo("Europe/Moscow")
NOW = dt.datetime(2026, 11, 26, 10, 0, tzinfo=MSK)  # Thursday: 5А has mathematics first

PUPIL = "Алексеев & <Артём> Игоревич"  # s1, № 1 in 5А, whose class teacher is t1
PARENT = "Васильева <Ирина> & Сергеевна"  # p3, the parent of s3, not of s1
TEACHER = "Петров <Сергей> & Иванович"  # t2, who teaches s1 Russian and has not signed in
SUBJECT = "Математика & <алгебра>"  # still «матем» to a teacher typing it
WORK_TYPE = "контрольная <к/р> & зачёт"


@pytest.fixture
def harness(settings, session_maker) -> ChatClient:
    return strict_harness(settings, session_maker)


@pytest.fixture(autouse=True)
async def odd_names(school, session_maker) -> None:
    async with session_maker() as session:
        await session.execute(update(Student).where(Student.external_id == "s1").values(full_name=PUPIL))
        await session.execute(update(Parent).where(Parent.external_id == "p3").values(full_name=PARENT))
        await session.execute(update(Staff).where(Staff.external_id == "t2").values(full_name=TEACHER))
        await session.execute(update(Subject).where(Subject.name == "Математика").values(name=SUBJECT))
        await session.execute(update(WorkType).where(WorkType.name == "контрольная работа").values(name=WORK_TYPE))
        await session.commit()


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


async def journal(session_maker) -> tuple[list[int], int]:
    async with session_maker() as session:
        marks = list(await session.scalars(select(Mark.value).where(Mark.deleted_at.is_(None)).order_by(Mark.id)))
        return marks, await session.scalar(select(func.count()).select_from(AuditEntry))


async def test_the_class_teachers_pupil_in_a_confirmation_and_a_question_for_a_reason(
    harness, session_maker, clock
) -> None:
    teacher = await signed_in(harness, session_maker, "t1", 1001)
    await teacher.sends("/mark 5А матем 1:5")

    [confirm] = await teacher.sends("/mark 5А матем 1:н")
    assert confirm == (
        "У № 1 (Алексеев &amp; &lt;Артём&gt; Игоревич) за этот урок уже есть отметка 5. Отметить «н»? "
        "Отметка останется."
    )
    assert visible_text(confirm).startswith(f"У № 1 ({PUPIL}) за этот урок")

    await teacher.sends("/today")
    await teacher.clicks("5А")
    clock.shift(dt.timedelta(minutes=11))
    [asked] = await teacher.sends("1 4")
    assert asked == (
        "Запись ученика № 1 (Алексеев &amp; &lt;Артём&gt; Игоревич) сделана больше 10 мин. назад: исправить её "
        "можно только с указанием причины.\nНапишите причину одним сообщением. /cancel — не исправлять."
    )
    [again] = await teacher.sends("   ")  # a blank reason is none: asked again, nothing written
    assert again == asked.split("\n")[0]
    assert await journal(session_maker) == ([5], 1)

    summary, _card = await teacher.sends("ошибся строкой")
    assert summary.startswith("Записано: 1. Алексеев &amp; — 5 → 4")  # surname and first word, as in the paper journal
    assert await journal(session_maker) == ([4], 2)


async def test_the_class_teachers_pupil_in_a_buttons_alert(harness, session_maker, clock) -> None:
    teacher = await signed_in(harness, session_maker, "t1", 1001)
    await teacher.sends("/mark 5А матем 1:н")
    await teacher.sends("/today")
    await teacher.clicks("5А")
    await teacher.clicks("1")

    [alert] = await teacher.clicks("5")  # an alert is plain text: the name as it is, once

    assert alert.startswith(f"У № 1 ({PUPIL}) на этом уроке стоит «н»: отметку не поставить.")
    assert await journal(session_maker) == ([], 1)


async def test_the_subject_when_the_deputy_is_asked_for_a_reason(harness, session_maker, clock) -> None:
    deputy = await signed_in(harness, session_maker, "d1", 1004)

    [asked] = await deputy.sends("/mark 5А матем 1:3")

    assert asked.split("\n")[0] == (
        "Вы исправляете журнал, который не ведёте (5А, Математика &amp; &lt;алгебра&gt;): укажите причину."
    )
    assert await journal(session_maker) == ([], 0)


async def test_the_kinds_of_work_and_the_subjects_listed_in_a_refusal(harness, session_maker, clock) -> None:
    teacher = await signed_in(harness, session_maker, "t1", 1001)

    assert await teacher.sends("/mark 5А матем #зачётная 1:5") == [
        "Вида работы «зачётная» нет. Виды работ: домашняя работа, контрольная &lt;к/р&gt; &amp; зачёт, "
        "работа на уроке, самостоятельная работа."
    ]
    [unknown] = await teacher.sends("/mark 5А алгебра 1:5")
    assert "Математика &amp; &lt;алгебра&gt;, Русский язык" in unknown


async def test_a_pupil_and_a_parent_in_the_class_teachers_consent_refusal(harness, session_maker, clock) -> None:
    teacher = await signed_in(harness, session_maker, "t1", 1001)

    [refused] = await teacher.sends("/consent s1 p3 дано")

    assert refused.startswith(
        "В журнале Васильева &lt;Ирина&gt; &amp; Сергеевна не значится среди родителей ученика s1 "
        "(Алексеев &amp; &lt;Артём&gt; Игоревич)."
    )


async def test_a_pupil_in_a_movement_refusal(harness, session_maker, clock) -> None:
    admin = await signed_in(harness, session_maker, "a1", 1008)

    assert await admin.sends("/move s1 5А") == ["Алексеев &amp; &lt;Артём&gt; Игоревич уже учится в 5А."]


async def test_the_family_reads_the_subject_and_what_it_typed(harness, session_maker, clock) -> None:
    parent = await signed_in(harness, session_maker, "p1", 2001)
    await parent.sends("/child")
    assert await parent.clicks("Алексеев & <Артём>") == [  # a button's label is plain text
        "Открыт дневник: Алексеев &amp; &lt;Артём&gt; Игоревич, 5А. Сменить — /child."
    ]

    [unknown] = await parent.sends("/grades <b>&")
    assert unknown.startswith("Предмета «&lt;b&gt;&amp;» нет. Предметы: ")
    assert "Математика &amp; &lt;алгебра&gt;" in unknown
    assert await parent.sends("/homework <b>&") == [
        "Не понял «&lt;b&gt;&amp;». Можно так: /homework, /homework неделя, /homework следующая неделя, /schedule, "
        "/schedule неделя (неделя — с понедельника по воскресенье)."
    ]


async def test_a_teacher_in_the_refusal_to_write_to_them(harness, session_maker, clock) -> None:
    parent = await signed_in(harness, session_maker, "p1", 2001)
    await parent.sends("/write")
    await parent.clicks("Алексеев")
    [prompt] = await parent.clicks("Сергей")  # the buttons' labels are plain text; the prompt is HTML
    assert prompt.startswith("Напишите сообщение Петров &lt;Сергей&gt; &amp; Иванович — текст")

    assert await parent.sends("Здравствуйте!") == ["Петров &lt;Сергей&gt; &amp; Иванович ещё не подключился к боту."]
