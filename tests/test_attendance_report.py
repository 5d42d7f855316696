"""The `attendance` report: lessons and full days missed, by reason, per pupil of a class and per class
of the school, with the totals the class teacher hands in."""

from __future__ import annotations

import datetime as dt

import pytest

from models import utcnow
from services import movement
from services.reports.attendance import build
from services.reports.catalogue import build_document
from tests import homeroom_data as data
from tests import report_data
from tests.people import actor_for

pytestmark = pytest.mark.usefixtures("school")

THURSDAY, WEDNESDAY = dt.date(2026, 11, 26), dt.date(2026, 11, 25)
LAST_THURSDAY, LAST_FRIDAY = dt.date(2026, 11, 19), dt.date(2026, 11, 20)
OCTOBER = dt.date(2026, 10, 20)  # 1 четверть
MATH, RUSSIAN, HISTORY, LITERATURE, PE, ENGLISH = (
    "Математика",
    "Русский язык",
    "История",
    "Литература",
    "Физкультура",
    "Английский язык",
)
FIFTH_A_THURSDAY = ((MATH, "t1"), (RUSSIAN, "t2"), (HISTORY, "d1"), (LITERATURE, "t2"), (PE, "t5"))


async def november_absences(session, session_maker) -> None:
    """5А and 5Б in November, lesson by lesson (see the expected tables for what each pupil adds up to)."""
    thursday = [
        await data.lesson(session, "5А", subject, THURSDAY, number, teacher)
        for number, (subject, teacher) in enumerate(FIFTH_A_THURSDAY, start=1)
    ]
    # s1 misses the whole day: two explained as illness, one «б» by the teacher, one not explained yet,
    # one explained as unexcused.
    for lesson, code, explanation in zip(thursday, ("н", "б", "н", "н", "н"), ("б", None, "б", None, "нп")):
        await data.absence(session, lesson, "s1", code, explanation=explanation)
    # s2 misses four lessons for a good reason and comes late to the fifth: no full day.
    for lesson in thursday[:4]:
        await data.absence(session, lesson, "s2", "н", explanation="уп")
    await data.absence(session, thursday[4], "s2", "оп")
    await data.absence(session, thursday[0], "s5", "оп")
    removed = await data.absence(session, thursday[0], "s4", "н")
    removed.deleted_at = utcnow()
    # Wednesday: only two lessons were held (attendance taken); s3 missed both — a full day.
    for number, (subject, teacher) in enumerate(((MATH, "t1"), (RUSSIAN, "t2")), start=1):
        await data.absence(session, await data.lesson(session, "5А", subject, WEDNESDAY, number, teacher), "s3")
    # s8 misses one of last Thursday's two lessons, then leaves the school on Friday.
    await data.absence(session, await data.lesson(session, "5А", MATH, LAST_THURSDAY, 1), "s8", "н", explanation="нп")
    await data.lesson(session, "5А", RUSSIAN, LAST_THURSDAY, 2, "t2")
    await data.absence(session, await data.lesson(session, "5А", MATH, OCTOBER, 1), "s4")  # another period
    # 5Б on Friday, English in two groups: s9 (group 1) misses every lesson of theirs — a full day,
    # though group 2's English went on without them; s13 (group 2) misses two.
    friday = {
        subject: await data.lesson(session, "5Б", subject, LAST_FRIDAY, number, teacher)
        for number, subject, teacher in ((1, MATH, "t1"), (3, HISTORY, "d1"), (4, PE, "t5"), (5, RUSSIAN, "t2"))
    }
    english = {
        group: await report_data.page_lesson(
            session, "5Б", ENGLISH, LAST_FRIDAY, 2, teacher, group, attendance_taken=True
        )
        for group, teacher in (("1", "t4"), ("2", "t6"))
    }
    for lesson in (*friday.values(), english["1"]):
        await data.absence(session, lesson, "s9", "н")
    for lesson in (friday[MATH], english["2"]):
        await data.absence(session, lesson, "s13", "б")
    await session.commit()
    admin = await actor_for(session_maker, "a1", 4001)
    s8 = await data.student(session, "s8")
    await movement.leave(session, admin, student_id=s8.id, day=LAST_FRIDAY, today=THURSDAY)
    await session.commit()


def rows_of(table) -> list[tuple]:
    return [tuple(row) for row in table.rows]


async def test_a_class_per_pupil_with_the_totals_the_class_teacher_hands_in(session, session_maker) -> None:
    await november_absences(session, session_maker)
    document = await build(session, await report_data.request(session, "attendance", class_name="5А"))

    assert (document.kind, document.title, document.about) == ("attendance", "Сведения о пропусках уроков", "5А")
    assert document.scope == "2 четверть, 2026/2027 учебный год"
    assert document.signatures == ("Классный руководитель",)
    assert document.made_on == report_data.MADE_ON
    (table,) = document.tables
    assert [column.title for column in table.columns] == [
        "№",
        "Ученик",
        "Пропущено уроков",
        "По болезни",
        "Уважительные",
        "Неуважительные",
        "Не объяснено",
        "Опоздания",
        "Дней целиком",
    ]
    #                 missed ill exc unexc unexpl late days
    assert rows_of(table) == [
        (1, "Алексеев Артём Игоревич", 5, 3, 0, 1, 1, 0, 1),
        (2, "Белова Софья Дмитриевна", 4, 0, 4, 0, 0, 1, 0),
        (3, "Васильев Кирилл Андреевич", 2, 0, 0, 0, 2, 0, 1),
        (4, "Горбунова Алиса Романовна", 0, 0, 0, 0, 0, 0, 0),
        (5, "Дмитриев Егор Олегович", 0, 0, 0, 0, 0, 1, 0),
        (6, "Егорова Виктория Сергеевна", 0, 0, 0, 0, 0, 0, 0),
        (7, "Жуков Матвей Алексеевич", 0, 0, 0, 0, 0, 0, 0),
        (8, "Зайцева Дарья Павловна (выбыла 20.11.2026)", 1, 0, 0, 1, 0, 0, 0),
    ]
    assert table.total == (None, "Итого", 12, 3, 4, 2, 3, 2, 2)
    assert document.summary == (
        "5А, 2 четверть: пропущено 12 уроков, из них по болезни 3, без уважительной причины 2, не объяснено 3",
    )


async def test_one_day_of_a_class(session, session_maker) -> None:
    await november_absences(session, session_maker)
    request = await report_data.request(session, "attendance", class_name="5А", day=THURSDAY)
    document = await build_document(session, request)  # as the chat and the command line ask for it

    assert document.scope == "26.11.2026, 2026/2027 учебный год"
    (table,) = document.tables
    assert [row for row in rows_of(table) if any(row[2:])] == [
        (1, "Алексеев Артём Игоревич", 5, 3, 0, 1, 1, 0, 1),
        (2, "Белова Софья Дмитриевна", 4, 0, 4, 0, 0, 1, 0),
        (5, "Дмитриев Егор Олегович", 0, 0, 0, 0, 0, 1, 0),
    ]
    assert table.rows[-1][1] == "Зайцева Дарья Павловна (выбыла 20.11.2026)"  # she had left by that day
    assert table.total == (None, "Итого", 9, 3, 4, 1, 1, 2, 1)
    assert document.summary == (
        "5А, 26.11.2026: пропущено 9 уроков, из них по болезни 3, без уважительной причины 1, не объяснено 1",
    )


async def test_the_school_one_row_per_class_and_a_total(session, session_maker) -> None:
    await november_absences(session, session_maker)
    document = await build(session, await report_data.request(session, "attendance"))

    assert (document.about, document.signatures) == ("Школа", ("Заместитель директора по УВР",))
    (table,) = document.tables
    assert [column.title for column in table.columns][:2] == ["Класс", "Учащихся"]
    assert rows_of(table) == [
        ("1А", 8, 0, 0, 0, 0, 0, 0, 0),
        ("5А", 7, 12, 3, 4, 2, 3, 2, 2),  # s8 has left: 7 on the list, her lesson still counted
        ("5Б", 8, 7, 2, 0, 0, 5, 0, 1),
    ]
    assert table.total == ("Итого", 23, 19, 5, 4, 2, 8, 2, 3)
    assert document.summary == (
        "Школа, 2 четверть: пропущено 19 уроков, из них по болезни 5, без уважительной причины 2, не объяснено 8",
    )


async def test_a_class_without_absences_says_so(session) -> None:
    document = await build(session, await report_data.request(session, "attendance", class_name="1А"))
    assert document.tables[0].total == (None, "Итого", 0, 0, 0, 0, 0, 0, 0)
    assert document.summary == ("1А, 2 четверть: пропусков уроков нет",)
