"""The extract of the audit trail for a class's year: every correction, with who, when, before → after, why.

A correction is an entry of models.AuditEntry about a mark, an attendance entry or a final mark that
changed or removed what was written (update, delete), or wrote something the journal let through only
with a reason (create with a reason: a lesson the writer does not teach, a closed period). A first
entry made in the ordinary way, on time or late, is not a correction: the `keeping` report counts those.

Marks and attendance belong to the class through their lesson (this class's lessons of the year's
days); final marks through the pupil (on the class's list, leavers included) and the year. Moments are
printed on the school's clock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    AcademicYear,
    AuditAction,
    AuditEntry,
    FinalMark,
    Lesson,
    Period,
    SchoolClass,
    Staff,
    Student,
    Subject,
)
from models import FinalMarkSpecial as Special
from services.reports.document import CellKind, Column, Document, Table
from services.reports.request import school_name
from services.roster import roster_on

KIND = "audit"
TITLE = "Выписка из журнала изменений"
ENTITIES = ("mark", "attendance", "final_mark")
WHAT = {"mark": "отметка", "attendance": "посещаемость", "final_mark": "итоговая отметка"}
ACTIONS = {
    AuditAction.CREATE.value: "запись",
    AuditAction.UPDATE.value: "изменение",
    AuditAction.DELETE.value: "удаление",
}
# As the printed documents name «н/а» and «осв.» (services.final_results labels them the same way).
SPECIALS = {
    Special.NOT_ASSESSED.value: "н/а",
    Special.EXEMPT.value: "осв.",
    Special.PASSED.value: "зч",
    Special.FAILED.value: "нз",
}

COLUMNS = (  # 135 characters: one landscape page wide (services.documents.pdf prints 2 mm a character)
    Column("№", 4, CellKind.INTEGER),
    Column("Когда", 11),
    Column("Кто", 16),
    Column("Ученик", 18),
    Column("Урок", 16),
    Column("Что", 14),
    Column("Было", 16),
    Column("Стало", 16),
    Column("Причина", 24),
)


@dataclass(frozen=True)
class Correction:
    at: dt.datetime  # UTC
    entry_id: int
    who: str
    student: str
    lesson: str  # «02.09.2026, Математика» or «1 четверть, Математика» for a final mark
    entity: str
    action: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    reason: str


async def audit_extract(session: AsyncSession, class_id: int, year: AcademicYear, timezone: ZoneInfo) -> Document:
    """The class's corrections of the year, oldest first, as a document."""
    school_class = await session.get(SchoolClass, class_id)
    assert school_class is not None
    corrections = sorted(
        [*await _lesson_corrections(session, class_id, year), *await _final_corrections(session, class_id, year)],
        key=lambda correction: (correction.at, correction.entry_id),
    )
    rows = tuple(
        (
            number,
            f"{correction.at.astimezone(timezone):%d.%m.%Y %H:%M}",
            correction.who,
            correction.student,
            correction.lesson,
            f"{WHAT[correction.entity]}: {ACTIONS[correction.action]}",
            state_text(correction.before),
            state_text(correction.after),
            correction.reason,
        )
        for number, correction in enumerate(corrections, start=1)
    )
    note = f"Время — по часам школы ({timezone.key})." + ("" if rows else " Исправлений за год не было.")
    return Document(
        kind=KIND,
        title=TITLE,
        school=await school_name(session),
        scope=f"{year.name} учебный год",
        about=school_class.name,
        tables=(Table("Исправления", COLUMNS, rows, key_columns=2, note=note),),
        signatures=("Заместитель директора по УВР",),
        made_on=None,
    )


def _corrections(*place: Any) -> Select:
    """The corrections (see the module's docstring) with who made them and whose they are, and the
    columns `place` that say where (a lesson's date, a period's name) and in what subject."""
    is_correction = or_(
        AuditEntry.action.in_((AuditAction.UPDATE.value, AuditAction.DELETE.value)),
        and_(AuditEntry.action == AuditAction.CREATE.value, AuditEntry.reason != ""),
    )
    return (
        select(
            AuditEntry.at,
            AuditEntry.id,
            Staff.full_name,
            Student.full_name,
            AuditEntry.entity,
            AuditEntry.action,
            AuditEntry.before,
            AuditEntry.after,
            AuditEntry.reason,
            *place,
        )
        .join(Student, Student.id == AuditEntry.student_id)
        .outerjoin(Staff, Staff.id == AuditEntry.actor_staff_id)
        .where(is_correction)
    )


async def _lesson_corrections(session: AsyncSession, class_id: int, year: AcademicYear) -> list[Correction]:
    rows = await session.execute(
        _corrections(Lesson.date, Subject.name)
        .join(Lesson, Lesson.id == AuditEntry.lesson_id)
        .join(Subject, Subject.id == Lesson.subject_id)
        .where(
            AuditEntry.entity.in_(("mark", "attendance")),
            Lesson.class_id == class_id,
            Lesson.date >= year.start,
            Lesson.date <= year.end,
        )
    )
    return [
        Correction(at, entry_id, who or "", student, f"{date:%d.%m.%Y}, {subject}", *rest)
        for at, entry_id, who, student, *rest, date, subject in rows
    ]


async def _final_corrections(session: AsyncSession, class_id: int, year: AcademicYear) -> list[Correction]:
    pupils = [entry.student.id for entry in await roster_on(session, class_id, year.end, with_leavers=True)]
    if not pupils:
        return []
    rows = await session.execute(
        _corrections(Period.name, Subject.name)
        .join(FinalMark, FinalMark.id == AuditEntry.entity_id)
        .join(Subject, Subject.id == FinalMark.subject_id)
        .outerjoin(Period, Period.id == FinalMark.period_id)
        .where(AuditEntry.entity == "final_mark", FinalMark.year_id == year.id, AuditEntry.student_id.in_(pupils))
    )
    return [
        Correction(at, entry_id, who or "", student, f"{period or 'год'}, {subject}", *rest)
        for at, entry_id, who, student, *rest, period, subject in rows
    ]


def state_text(state: dict[str, Any] | None) -> str:
    """An audit entry's before or after as a person reads it: «5 (контрольная работа)», «4, вторая
    отметка», «н, объяснено: уп», «н/а»; «—» for nothing."""
    if not state:
        return "—"
    if "code" in state:
        explanation = state.get("explanation")
        return f"{state['code']}, объяснено: {explanation}" if explanation else str(state["code"])
    special = state.get("special")
    value = SPECIALS.get(special, special) if special else str(state.get("value", "—"))
    details = [f"{state['slot']}-я отметка за урок"] if state.get("slot", 1) != 1 else []
    details += [str(state[key]) for key in ("work_type", "comment") if state.get(key)]
    return f"{value} ({', '.join(details)})" if details else value
