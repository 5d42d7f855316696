"""Invitation slips for the class meeting (regulation 2.2): one per pupil and per parent, eight to an A4
page, with dashed lines to cut along.

Each slip has the person's name, whose slip it is («родитель: Иванов Пётр, 5А»), the personal link as a
QR code and as text, the expiry date and how to use it. The slips are handed to families, so they are
in Russian whatever language the class teacher reads the chat in.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass

import segno
from fpdf import FPDF, XPos, YPos

from services.documents.fonts import FAMILY
from services.documents.printout import new_printout, printout_bytes

TITLE = "Приглашения в электронный журнал"
HEADING = "Приглашение в электронный журнал"
INSTRUCTIONS = (
    "1. Наведите камеру телефона на QR-код или откройте ссылку.",
    "2. В Telegram нажмите «Запустить» (Start).",
    "3. Готово: бот покажет отметки (/grades) и подскажет команды (/help).",
)
PERSONAL = "Ссылка личная и одноразовая."

# The page in millimetres: a grid of COLUMNS × ROWS slips inside printers' unprintable margins.
PAGE_WIDTH, PAGE_HEIGHT = 210.0, 297.0
MARGIN = 10.0
COLUMNS, ROWS = 2, 4
SLIP_WIDTH = (PAGE_WIDTH - 2 * MARGIN) / COLUMNS
SLIP_HEIGHT = (PAGE_HEIGHT - 2 * MARGIN) / ROWS
PADDING = 4.0
QR_SIDE = 34.0
LINK_HEIGHT = 3.5
# The link's type shrinks from this to fit on one line: a long bot name must not break it in two.
LINK_POINTS = 7.0
GREY = 110


@dataclass(frozen=True)
class Slip:
    name: str  # «Алексеев Артём Игоревич»
    role_line: str  # «ученик, 5А», «родитель: Алексеев Артём, 5А»
    link: str  # the personal invitation link: a secret until it is opened
    expires: dt.date


def slips_pdf(slips: Sequence[Slip]) -> bytes:
    """The slips as A4 pages ready to print and cut; the same slips give the same bytes."""
    pdf = new_printout(TITLE)
    pdf.set_auto_page_break(False)
    per_page = COLUMNS * ROWS
    for first in range(0, max(len(slips), 1), per_page):
        pdf.add_page()
        on_page = slips[first : first + per_page]
        for index, slip in enumerate(on_page):
            row, column = divmod(index, COLUMNS)
            _draw_slip(pdf, slip, MARGIN + column * SLIP_WIDTH, MARGIN + row * SLIP_HEIGHT)
        _draw_cut_lines(pdf, rows=max(1, -(-len(on_page) // COLUMNS)))
    return printout_bytes(pdf)


def _draw_slip(pdf: FPDF, slip: Slip, left: float, top: float) -> None:
    width = SLIP_WIDTH - 2 * PADDING
    x = left + PADDING
    pdf.set_xy(x, top + PADDING)
    pdf.set_text_color(GREY)
    _text(pdf, width, HEADING, size=7, height=3.5)
    pdf.set_text_color(0)
    _text(pdf, width, slip.name, size=11, height=5, style="B")
    _text(pdf, width, slip.role_line, size=9, height=4.5)
    qr_top = pdf.get_y() + 2
    pdf.image(_qr_png(slip.link), x=x, y=qr_top, w=QR_SIDE, h=QR_SIDE)
    beside = x + QR_SIDE + 3
    pdf.set_xy(beside, qr_top + 1)
    for line in INSTRUCTIONS:
        _text(pdf, width - QR_SIDE - 3, line, size=7.5, height=3.4)
        pdf.set_x(beside)
    pdf.set_y(pdf.get_y() + 1.5)
    pdf.set_x(beside)
    _text(pdf, width - QR_SIDE - 3, f"Действует до {slip.expires:%d.%m.%Y}.", size=8, height=3.6, style="B")
    pdf.set_x(beside)
    _text(pdf, width - QR_SIDE - 3, PERSONAL, size=7, height=3.2)
    # At the foot of every slip alike, below the QR code and the instructions however they wrapped.
    pdf.set_xy(x, max(pdf.get_y(), qr_top + QR_SIDE, top + SLIP_HEIGHT - PADDING - LINK_HEIGHT))
    _link(pdf, width, slip.link)


def _text(pdf: FPDF, width: float, text: str, *, size: float, height: float, style: str = "") -> None:
    pdf.set_font(FAMILY, style, size)
    pdf.multi_cell(width, height, text, align="L", new_x=XPos.LEFT, new_y=YPos.NEXT)


def _link(pdf: FPDF, width: float, link: str) -> None:
    pdf.set_font(FAMILY, "", LINK_POINTS)
    fitting = LINK_POINTS * min(1.0, width / pdf.get_string_width(link))
    pdf.set_font_size(fitting)
    pdf.cell(width, LINK_HEIGHT, link, new_x=XPos.LEFT, new_y=YPos.NEXT)


def _qr_png(link: str) -> io.BytesIO:
    # Medium error correction survives a crease; the quiet zone of 4 modules is what phone cameras expect.
    png = io.BytesIO()
    segno.make(link, error="m", micro=False).save(png, kind="png", scale=4, border=4)
    png.seek(0)
    return png


def _draw_cut_lines(pdf: FPDF, *, rows: int) -> None:
    """Dashed lines round the rows in use and between the slips: cut along them."""
    bottom = MARGIN + rows * SLIP_HEIGHT
    pdf.set_draw_color(150)
    pdf.set_line_width(0.2)
    pdf.set_dash_pattern(dash=2, gap=1.5)
    for row in range(rows + 1):
        y = MARGIN + row * SLIP_HEIGHT
        pdf.line(MARGIN, y, PAGE_WIDTH - MARGIN, y)
    for column in range(COLUMNS + 1):
        x = MARGIN + column * SLIP_WIDTH
        pdf.line(x, MARGIN, x, bottom)
    pdf.set_dash_pattern()
    pdf.set_font(FAMILY, "", 9)
    pdf.set_text_color(150)
    for row in range(1, rows):  # scissors on the inner lines, where the cutting starts
        pdf.text(MARGIN - 4, MARGIN + row * SLIP_HEIGHT + 1.2, "✂")
    pdf.set_text_color(0)
