"""«Движение учащихся» as a document: the arrivals, departures and transfers of a period with their dates
and classes, and how many pupils there were at its start and end; for a class or the school.

The moves themselves are recorded by services.movement (models.ClassMove). The school's first
import enrols every pupil on the first day of the year: that is the list the year starts with, not
an arrival, so those rows are counted at the start and not listed.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import ClassMove, MoveKind, SchoolClass, Student
from services.movement import CORRECTION_NOTE
from services.reports.document import CellKind, Column, Document, Table
from services.reports.reach import Reach, class_lists_on, counted_days, document_of, reach_of, short_scope
from services.reports.request import ReportRequest
from services.reports.wording import day_text
from services.school_import.writing import MOVE_NOTE as IMPORT_NOTE

TITLE = "Движение учащихся"
SIGNATURES = ("Директор",)
KIND_WORDS = {MoveKind.ENROL: "прибытие", MoveKind.LEAVE: "выбытие", MoveKind.MOVE: "перевод"}
NOTE_WORDS = {CORRECTION_NOTE: "исправление данных", IMPORT_NOTE: "по файлу школы"}
TOTAL_NOTE = "В итоге не считаются переводы между классами отчёта: только прибывшие в них и выбывшие из них."


@dataclass(frozen=True)
class Move:
    date: dt.date
    kind: MoveKind
    student: str
    from_class_id: int | None
    to_class_id: int | None
    note: str

    def touches(self, class_ids: frozenset[int]) -> bool:
        return self.from_class_id in class_ids or self.to_class_id in class_ids


@dataclass
class Balance:
    """One class's (or the school's) pupils at the start, arrivals, departures, at the end."""

    name: str
    at_start: int = 0
    arrived: int = 0
    left: int = 0
    at_end: int = 0

    @property
    def cells(self) -> tuple[str, int, int, int, int]:
        return (self.name, self.at_start, self.arrived, self.left, self.at_end)


async def build(session: AsyncSession, request: ReportRequest) -> Document:
    reach = await reach_of(session, request)
    first, last = counted_days(request)
    moves, initial = await read_moves(session, first, last, request.scope.year.start)
    moves = [move for move in moves if move.touches(reach.ids)]
    balances = await _balances(session, reach, first, last, moves, initial)
    overall = balances[0] if reach.class_id is not None else _overall(reach, balances, moves)
    names = dict((await session.execute(select(SchoolClass.id, SchoolClass.name))).tuples().all())
    return await document_of(
        session,
        request,
        reach,
        title=TITLE,
        tables=(_moves_table(moves, names), _balance_table(reach, balances, overall)),
        summary=_summary(reach, request, overall),
        signatures=SIGNATURES,
    )


async def read_moves(
    session: AsyncSession, first: dt.date, last: dt.date, year_start: dt.date
) -> tuple[list[Move], Counter[int]]:
    """The moves from `first` to `last` in date order, less the first import's enrolments of the
    year; and those, counted by class (they are the list the year starts with)."""
    rows = await session.execute(
        select(
            ClassMove.date,
            ClassMove.kind,
            Student.full_name,
            ClassMove.from_class_id,
            ClassMove.to_class_id,
            ClassMove.note,
        )
        .join(Student, Student.id == ClassMove.student_id)
        .where(ClassMove.date >= first, ClassMove.date <= last)
        .order_by(ClassMove.date, ClassMove.id)
    )
    moves, initial = [], Counter()
    for date, kind, student, from_class_id, to_class_id, note in rows:
        move = Move(date, MoveKind(kind), student, from_class_id, to_class_id, note)
        if move.kind is MoveKind.ENROL and move.note == IMPORT_NOTE and move.date == year_start:
            initial[move.to_class_id] += 1
        else:
            moves.append(move)
    return moves, initial


async def _balances(
    session: AsyncSession, reach: Reach, first: dt.date, last: dt.date, moves: list[Move], initial: Counter[int]
) -> list[Balance]:
    before = await class_lists_on(session, first - dt.timedelta(days=1))
    after = await class_lists_on(session, last)
    balances = []
    for info in reach.classes:
        balance = Balance(
            info.name, len(before.get(info.id, ())) + initial[info.id], at_end=len(after.get(info.id, ()))
        )
        balance.arrived = sum(move.to_class_id == info.id for move in moves)
        balance.left = sum(move.from_class_id == info.id for move in moves)
        balances.append(balance)
    return balances


def _moves_table(moves: list[Move], names: dict[int, str]) -> Table:
    return Table(
        title="Движение учащихся",
        columns=(
            Column("№", 4, CellKind.INTEGER),
            Column("Дата", 11),
            Column("Ученик", 34),
            Column("Движение", 10),
            Column("Из класса", 9),
            Column("В класс", 9),
            Column("Примечание", 22),
        ),
        rows=tuple(
            (
                number,
                day_text(move.date),
                move.student,
                KIND_WORDS[move.kind],
                names.get(move.from_class_id),
                names.get(move.to_class_id),
                NOTE_WORDS.get(move.note, move.note),
            )
            for number, move in enumerate(moves, start=1)
        ),
        key_columns=3,
    )


def _overall(reach: Reach, balances: list[Balance], moves: list[Move]) -> Balance:
    """The classes together: only arrivals in them from outside and departures out of them count."""
    return Balance(
        "Итого",
        sum(balance.at_start for balance in balances),
        sum(move.to_class_id in reach.ids and move.from_class_id not in reach.ids for move in moves),
        sum(move.from_class_id in reach.ids and move.to_class_id not in reach.ids for move in moves),
        sum(balance.at_end for balance in balances),
    )


def _balance_table(reach: Reach, balances: list[Balance], overall: Balance) -> Table:
    """The class's line; for several classes one line each and their total."""
    columns = (
        Column("Класс", 10),
        Column("На начало", 9, CellKind.INTEGER),
        Column("Прибыло", 9, CellKind.INTEGER),
        Column("Выбыло", 9, CellKind.INTEGER),
        Column("На конец", 9, CellKind.INTEGER),
    )
    rows = tuple(balance.cells for balance in balances)
    if reach.class_id is not None:
        return Table("Итоги", columns, rows)
    return Table("Итоги", columns, rows, total=overall.cells, note=TOTAL_NOTE)


def _summary(reach: Reach, request: ReportRequest, overall: Balance) -> str:
    """«5А, 2 четверть: прибыло 1, выбыло 2; на начало 8, на конец 7»."""
    return (
        f"{reach.about}, {short_scope(request)}: прибыло {overall.arrived}, выбыло {overall.left}; "
        f"на начало {overall.at_start}, на конец {overall.at_end}"
    )
