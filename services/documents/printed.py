"""What every format prints alike: figures as Russians write them, the signature lines, «Сформировано …»,
and the moment the files say they were made."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from services.documents.printout import FIXED_CREATION_DATE
from services.reports.document import Cell, CellKind, Document

CREATOR = "Электронный журнал"  # the application that made the file, in its properties

# The places a figure of each kind is shown with; the workbook's number formats say the same.
PLACES = {CellKind.INTEGER: 0, CellKind.DECIMAL: 2, CellKind.PERCENT: 1}


def cell_text(value: Cell, kind: CellKind) -> str:
    """A cell as printed: «4,25», «87,5%», «» for no figure; text as it is."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    text = number_text(value, PLACES.get(kind))
    return f"{text}%" if kind is CellKind.PERCENT else text


def number_text(value: int | Decimal, places: int | None = None) -> str:
    """A number with the decimal comma; `places` pads or rounds (a rounded Decimal stays as it is)."""
    if places is None:
        # "f": never an exponent (Decimal("1E+2") is «100»); an int has no places to show
        return str(value) if isinstance(value, int) else format(value, "f").replace(".", ",")
    return format(Decimal(value), f".{places}f").replace(".", ",")


def closing_lines(document: Document) -> list[str]:
    """What ends a document: «Сформировано ДД.ММ.ГГГГ» (when it has a day) and a line to sign for each role."""
    made = [f"Сформировано {document.made_on:%d.%m.%Y}"] if document.made_on else []
    return made + [f"{role} ____________ / ______________" for role in document.signatures]


def fixed_moment(document: Document) -> dt.datetime:
    """The creation time written into the file: the document's day at midnight UTC. A document without a
    day of its own (made_on None) gets a constant, never the clock, so the archive's second run is the same."""
    day = document.made_on
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc) if day else FIXED_CREATION_DATE
