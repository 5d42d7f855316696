"""The `movement` report: arrivals, departures and transfers of a period with dates and classes, and the
pupils at its start and end, for a class or the school."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from services import movement
from services.grades import Scope
from services.reports.catalogue import build_document
from services.reports.movement_report import build
from tests import homeroom_data as data
from tests import report_data
from tests.people import actor_for

pytestmark = pytest.mark.usefixtures("school")

TODAY = report_data.TODAY  # 26.11.2026, in the 2 четверть (from 5.11)


async def a_term_of_moves(session, session_maker) -> None:
    """In the 1 четверть s20 leaves 1А; in the 2nd s3 moves from 5А to 5Б, s8 leaves 5А and a new
    pupil joins 5А."""
    admin = await actor_for(session_maker, "a1", 4001)
    s20, s3, s8 = [await data.student(session, pupil) for pupil in ("s20", "s3", "s8")]
    await movement.leave(session, admin, student_id=s20.id, day=dt.date(2026, 10, 10), today=TODAY)
    five_b = await data.class_id(session, "5Б")
    await movement.move(session, admin, student_id=s3.id, to_class_id=five_b, day=dt.date(2026, 11, 16), today=TODAY)
    await movement.leave(session, admin, student_id=s8.id, day=dt.date(2026, 11, 20), today=TODAY)
    await movement.enrol(
        session,
        admin,
        class_id=await data.class_id(session, "5А"),
        external_id="s30",
        full_name="Новикова Ульяна Сергеевна",
        day=dt.date(2026, 11, 23),
        today=TODAY,
    )
    await session.commit()


MOVES_OF_THE_TERM = [
    (1, "16.11.2026", "Васильев Кирилл Андреевич", "перевод", "5А", "5Б", ""),
    (2, "20.11.2026", "Зайцева Дарья Павловна", "выбытие", "5А", None, ""),
    (3, "23.11.2026", "Новикова Ульяна Сергеевна", "прибытие", None, "5А", ""),
]


async def test_a_class_arrivals_departures_and_the_list_at_start_and_end(session, session_maker) -> None:
    await a_term_of_moves(session, session_maker)
    document = await build(session, await report_data.request(session, "movement", class_name="5А"))

    assert (document.kind, document.title, document.about) == ("movement", "Движение учащихся", "5А")
    assert document.signatures == ("Директор",)
    moves, balance = document.tables
    assert [column.title for column in moves.columns] == [
        "№",
        "Дата",
        "Ученик",
        "Движение",
        "Из класса",
        "В класс",
        "Примечание",
    ]
    assert [tuple(row) for row in moves.rows] == MOVES_OF_THE_TERM
    assert [column.title for column in balance.columns] == ["Класс", "На начало", "Прибыло", "Выбыло", "На конец"]
    assert balance.rows == (("5А", 8, 1, 2, 7),)
    assert balance.total is None
    assert document.summary == ("5А, 2 четверть: прибыло 1, выбыло 2; на начало 8, на конец 7",)


async def test_the_school_counts_only_who_came_to_it_and_left_it(session, session_maker) -> None:
    await a_term_of_moves(session, session_maker)
    document = await build_document(session, await report_data.request(session, "movement"))

    moves, balance = document.tables
    assert [tuple(row) for row in moves.rows] == MOVES_OF_THE_TERM
    assert balance.rows == (("1А", 7, 0, 0, 7), ("5А", 8, 1, 2, 7), ("5Б", 8, 1, 0, 9))
    assert balance.total == ("Итого", 23, 1, 1, 23)  # the transfer 5А → 5Б is no arrival in the school
    assert document.summary == ("Школа, 2 четверть: прибыло 1, выбыло 1; на начало 23, на конец 23",)


async def test_the_year_starts_with_the_imported_lists_not_with_arrivals(session, session_maker) -> None:
    await a_term_of_moves(session, session_maker)
    request = await report_data.request(session, "movement")
    year = replace(request, scope=Scope(request.scope.year, None, request.scope.periods))
    document = await build(session, year)

    moves, balance = document.tables
    assert [row[1:5] for row in moves.rows] == [
        ("10.10.2026", "Соловьёва Варвара Антоновна", "выбытие", "1А"),
        *(row[1:5] for row in MOVES_OF_THE_TERM),
    ]
    assert balance.total == ("Итого", 24, 1, 2, 23)
    assert document.scope == "2026/2027 учебный год"
