"""A report as the school reads it, before any file format: headed tables, charts and signature lines.

Builders (services.reports.*) make a `Document`; services.documents renders it as XLSX (one sheet per
table), PDF (A4, the school and the period in the header, page numbers, the signatures at the end) and
PNG charts. Everything here is plain, frozen data, so a document renders the same bytes every time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

Cell = str | int | Decimal | None  # floats never: a figure rounds one way in every format


class CellKind(str, Enum):
    TEXT = "text"
    INTEGER = "integer"
    DECIMAL = "decimal"  # two places: an average (4,25)
    PERCENT = "percent"  # a Decimal share in percent, one place (87,5 %)


@dataclass(frozen=True)
class Column:
    title: str
    width: int = 8  # in characters, as a spreadsheet counts them; the PDF scales the row to the page
    kind: CellKind = CellKind.TEXT


@dataclass(frozen=True)
class Table:
    """One table: a sheet of the workbook, a section of the PDF."""

    title: str  # the sheet's name (≤ 31 characters, the renderer shortens) and the section's heading
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    total: tuple[Cell, ...] | None = None  # a last row in bold («Итого»)
    # The leading columns (№, name) that stay in view: frozen in the sheet, repeated on each PDF page
    # when the table is too wide for one (a term's dated lessons).
    key_columns: int = 1
    sheet: str = ""  # a workbook sheet's name when the title is too long for one (31 characters); "" the title
    note: str = ""  # a line under the table (e.g. «Прогноз по текущим отметкам: итоговые ещё не выставлены»)


class ChartKind(str, Enum):
    BARS = "bars"  # categories side by side, one bar per series
    LINES = "lines"  # one line per series across the categories (periods)


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[Decimal | None, ...]  # one per category; None: no figure there


@dataclass(frozen=True)
class Chart:
    title: str
    kind: ChartKind
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    unit: str = ""  # "%" for shares; "" for marks
    upper: Decimal | None = None  # the axis's top (100 for shares, 5 for marks)


@dataclass(frozen=True)
class Document:
    kind: str  # the report's name in services.reports.catalogue ("results", "summary", …)
    title: str  # «Итоги успеваемости»
    school: str  # the school's name (school_settings.name)
    scope: str  # the period as people name it: «1 четверть, 2026/2027 учебный год»
    about: str  # whom it is about: «5А», «5-е классы», «школа», a pupil's name
    tables: tuple[Table, ...]
    charts: tuple[Chart, ...] = ()
    summary: tuple[str, ...] = ()  # a line or two for the chat message under the file
    signatures: tuple[str, ...] = ()  # who signs: «Классный руководитель», «Заместитель директора по УВР»
    made_on: dt.date | None = None  # printed as «Сформировано …»; None where the bytes must not depend on the day
    landscape: bool = True

    @property
    def file_stem(self) -> str:
        """A file name without its extension, the same for the same report: «results_5А_1-четверть»."""
        parts = (self.kind, self.about, self.scope.split(",")[0])
        return "_".join(_slug(part) for part in parts if part)


def _slug(text: str) -> str:
    kept = "".join(ch if ch.isalnum() else "-" for ch in text.strip())
    return "-".join(part for part in kept.split("-") if part)
