"""The pieces the marks reports share: the figures' columns, a result as a cell, the notes on the basis."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from models import Subject
from services.grades import Scope
from services.reports.document import Cell, CellKind, Chart, ChartKind, Column, Document, Series, Table
from services.reports.figures import Figures, Result
from services.reports.marks_basis import YEAR, ClassMarks
from services.reports.request import Basis, ReportRequest, school_name, scope_title

FIGURE_COLUMNS = (
    Column("Аттестовано", 11, CellKind.INTEGER),
    Column("Отличники", 10, CellKind.INTEGER),
    Column("Хорошисты", 10, CellKind.INTEGER),
    Column("С одной «3»", 10, CellKind.INTEGER),
    Column("Неуспевающие", 13, CellKind.INTEGER),
    Column("Н/а", 6, CellKind.INTEGER),
    Column("Успеваемость, %", 14, CellKind.PERCENT),
    Column("Качество, %", 11, CellKind.PERCENT),
    Column("СОУ, %", 8, CellKind.PERCENT),
    Column("Средний балл", 11, CellKind.DECIMAL),
)
FORECAST_NOTE = "Прогноз по текущим отметкам: итоговые отметки выставлены не у всех"
CURRENT_NOTE = "По текущим отметкам (REPORT_BASIS=current)"
BRACKETS_NOTE = "В скобках — прогноз по текущим отметкам: итоговая отметка не выставлена"
FIRST_GRADE_NOTE = "1-е классы: безотметочное обучение"
FORECAST_MARK = " (прогноз)"
NO_FIGURE = "—"
TOP_MARK = Decimal(5)


def figure_cells(figures: Figures) -> tuple[Cell, ...]:
    """The cells under FIGURE_COLUMNS."""
    return (
        figures.certified,
        figures.excellent,
        figures.good,
        figures.one_three,
        figures.failing,
        figures.not_assessed,
        figures.success,
        figures.quality,
        figures.learning,
        figures.average,
    )


def basis_note(basis: Basis, forecast: bool) -> str:
    """What the figures count, when it is not simply the final marks."""
    if basis is Basis.CURRENT:
        return CURRENT_NOTE
    return FORECAST_NOTE if forecast else ""


def notes(*lines: str) -> str:
    return ". ".join(line for line in lines if line)


def mark_cell(result: Result, basis: Basis) -> Cell:
    """A result as a sheet of marks prints it: «5», «н/а», «осв.»; a forecast of the final basis in
    brackets «(4)»; nothing at all (no final, no marks) left blank."""
    if result.forecast and result.not_assessed:
        return None
    if result.forecast and basis is Basis.FINAL and result.value is not None:
        return f"({result.value})"
    return result.text


def decimal_text(number: Decimal | None) -> str:
    """«92,0», «4,25»; «—» for no figure (as the chat line prints it)."""
    return NO_FIGURE if number is None else str(number).replace(".", ",")


def short_name(full_name: str) -> str:
    """«Алексеев Артём» of «Алексеев Артём Игоревич»: the name a табель is headed with."""
    return " ".join(full_name.split()[:2])


def shares_line(about: str, period: str, figures: Figures) -> str:
    """«5А, 1 четверть: успеваемость 92,0 %, качество 48,0 %»."""
    return (
        f"{about}, {period}: успеваемость {decimal_text(figures.success)} %, качество {decimal_text(figures.quality)} %"
    )


async def marks_document(
    session: AsyncSession,
    request: ReportRequest,
    *,
    title: str,
    about: str,
    tables: tuple[Table, ...],
    summary: tuple[str, ...],
    signatures: tuple[str, ...],
    charts: tuple[Chart, ...] = (),
) -> Document:
    """The document with the header every report shares: the school, the period, the day it was made."""
    return Document(
        kind=request.kind,
        title=title,
        school=await school_name(session),
        scope=scope_title(request.scope),
        about=about,
        tables=tables,
        charts=charts,
        summary=summary,
        signatures=signatures,
        made_on=request.made_on,
    )


def period_words(scope: Scope) -> str:
    """The period as a chat line names it: «1 четверть», «2026/2027 учебный год»."""
    return scope_title(scope).split(",")[0]


@dataclass(frozen=True)
class ResultColumn:
    """A column of results on a sheet of marks: a period's, or the year's."""

    column: int | None  # the period's id; YEAR
    label: str
    begun: bool  # a period not begun yet is left blank


def result_columns(marks: ClassMarks, today: dt.date, year_label: str) -> list[ResultColumn]:
    """The periods up to the scope, and the year for the year's scope."""
    found = [ResultColumn(period.id, period.name, period.start <= today) for period in marks.periods]
    if marks.scope.is_year:
        found.append(ResultColumn(YEAR, year_label, True))
    return found


def sheet_note(basis: Basis, forecast: bool) -> str:
    """Under a sheet of marks: forecasts are in brackets (the final basis), or all are current marks."""
    return BRACKETS_NOTE if forecast and basis is Basis.FINAL else basis_note(basis, forecast)


def averages_chart(subjects: Sequence[Subject], series: tuple[Series, ...]) -> Chart:
    """Averages per subject, side by side for each period: the scale of marks, up to «5»."""
    categories = tuple(subject.name for subject in subjects)
    return Chart("Средний балл по предметам", ChartKind.BARS, categories, series, upper=TOP_MARK)
