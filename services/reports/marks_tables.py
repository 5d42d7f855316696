"""The pieces the marks reports share: the figures' columns, a result as a cell, the notes on the basis."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from models import SchoolClass, Subject
from services.reports.document import Cell, CellKind, Chart, ChartKind, Column, Document, Series, Table
from services.reports.figures import Figures, Result
from services.reports.marks_basis import YEAR, ClassMarks
from services.reports.reach import ClassInfo, Reach, document_of
from services.reports.request import Basis, ReportRequest
from services.reports.wording import decimal_text

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
    if result.final is None:
        return None
    if result.forecast and basis is Basis.FINAL:
        return f"({result.text})"
    return result.text


def figure_text(number: Decimal | None) -> str:
    """«92,0», «4,25» (as the figure is rounded); «—» for no figure (as the chat line prints it)."""
    return NO_FIGURE if number is None else decimal_text(number, -number.as_tuple().exponent)


def short_name(full_name: str) -> str:
    """«Алексеев Артём» of «Алексеев Артём Игоревич»: the name a табель is headed with."""
    return " ".join(full_name.split()[:2])


def shares_line(about: str, period: str, figures: Figures) -> str:
    """«5А, 1 четверть: успеваемость 92,0 %, качество 48,0 %»."""
    return (
        f"{about}, {period}: успеваемость {figure_text(figures.success)} %, качество {figure_text(figures.quality)} %"
    )


async def marks_document(
    session: AsyncSession,
    request: ReportRequest,
    reach: Reach,
    *,
    title: str,
    tables: tuple[Table, ...],
    summary: tuple[str, str],
    signatures: tuple[str, ...],
    charts: tuple[Chart, ...] = (),
) -> Document:
    """The report under the header every report shares (services.reports.reach.document_of), with its
    charts and the two lines of the chat's message."""
    document = await document_of(
        session, request, reach, title=title, tables=tables, summary=summary[0], signatures=signatures
    )
    return replace(document, summary=summary, charts=charts)


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


def averages_chart(subjects: Sequence[Subject], series: Iterable[Series]) -> tuple[Chart, ...]:
    """Averages per subject, side by side for each period, on the scale of marks up to «5». A period
    without a single average is left out, and with none at all there is no chart (a picture of nothing)."""
    drawn = tuple(one for one in series if any(value is not None for value in one.values))
    if not drawn:
        return ()
    categories = tuple(subject.name for subject in subjects)
    return (Chart("Средний балл по предметам", ChartKind.BARS, categories, drawn, upper=TOP_MARK),)


def one_class(school_class: SchoolClass, about: str) -> Reach:
    """What a report on one class's subject or pupil covers, headed «5А, Математика», «Алексеев Артём, 5А»."""
    return Reach(about, (ClassInfo(school_class.id, school_class.name, school_class.grade),), school_class.id)
