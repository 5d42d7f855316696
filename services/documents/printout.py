"""What the printouts' PDFs share (invitation slips, role guides): A4 portrait, the Cyrillic font, and
bytes that do not depend on the day they were made."""

from __future__ import annotations

import datetime as dt

from fpdf import FPDF

from services.documents.fonts import add_fonts

# Written into every printout instead of the moment it was made: the same input gives the same bytes.
FIXED_CREATION_DATE = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)


def new_printout(title: str, *, language: str = "ru", pdf_class: type[FPDF] = FPDF) -> FPDF:
    """An empty A4 portrait document with the fonts registered; `pdf_class` for one with a header or footer."""
    pdf = pdf_class(orientation="portrait", unit="mm", format="A4")
    pdf.set_creation_date(FIXED_CREATION_DATE)
    pdf.set_title(title)
    pdf.set_lang(language)
    add_fonts(pdf)
    return pdf


def printout_bytes(pdf: FPDF) -> bytes:
    return bytes(pdf.output())
