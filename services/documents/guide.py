"""A role's guide for the school's website (regulation 3.4) as Markdown or an A4 PDF.

The guide is made of the same texts /help shows in the chat (services.help_topics): each section a
heading and its lines, a line that starts with a command split into the command and what it does.
The /help texts are Telegram HTML (`<b>Учитель</b>`, `&lt;класс&gt;`); they are read back to plain
text here, so the guide and the chat never tell two stories.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from fpdf import FPDF

from services.documents.fonts import FAMILY
from services.documents.printout import new_printout, printout_bytes

DASH = " — "  # between a command and what it does, as the help texts write it
_TAG = re.compile(r"</?[a-z]+>")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")


@dataclass(frozen=True)
class Entry:
    command: str  # «/grades <предмет>»; "" for a line of explanation
    text: str  # what the command does, or the explanation


@dataclass(frozen=True)
class Section:
    heading: str
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class Guide:
    title: str  # «Инструкция для родителей»
    school: str  # "" when there is no school to name
    intro: str  # how to get in
    sections: tuple[Section, ...]
    language: str = "ru"


def section_from_help(text: str) -> Section:
    """One /help section (Telegram HTML) as a heading and its entries."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    heading = ""
    if lines and lines[0].startswith("<b>"):
        heading = _plain(lines.pop(0))
    return Section(heading, tuple(_entry(_plain(line)) for line in lines))


def _plain(line: str) -> str:
    return html.unescape(_TAG.sub("", line))


def _entry(line: str) -> Entry:
    if not line.startswith("/"):
        return Entry("", line)
    command, _, text = line.partition(DASH)
    return Entry(command, text)


# --- Markdown --------------------------------------------------------------------------------------


def guide_markdown(guide: Guide) -> str:
    """Headings, the commands as lists (each in a code span), explanations as paragraphs."""
    blocks = [f"# {_escape(guide.title)}"]
    if guide.school:
        blocks.append(_escape(guide.school))
    blocks.append(_escape(guide.intro))
    for section in guide.sections:
        if section.heading:
            blocks.append(f"## {_escape(section.heading)}")
        blocks += _markdown_entries(section.entries)
    return "\n\n".join(blocks) + "\n"


def _markdown_entries(entries: tuple[Entry, ...]) -> list[str]:
    """A list per run of commands; an explanation between them is a paragraph of its own."""
    blocks: list[str] = []
    items: list[str] = []
    for entry in entries:
        if entry.command:
            item = f"- `{entry.command}`"
            items.append(f"{item}{DASH}{_escape(entry.text)}" if entry.text else item)
            continue
        if items:
            blocks.append("\n".join(items))
            items = []
        blocks.append(_escape(entry.text))
    if items:
        blocks.append("\n".join(items))
    return blocks


def _escape(text: str) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


# --- PDF ---------------------------------------------------------------------------------------------

MARGIN = 20.0
INDENT = 5.0  # a command's lines hang under its bullet


class _NumberedPages(FPDF):
    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FAMILY, "", 8)
        self.set_text_color(120)
        self.cell(0, 5, str(self.page_no()), align="C")


def guide_pdf(guide: Guide) -> bytes:
    """A4 portrait: the title, the school, how to get in, then each section; the same guide, the same bytes."""
    pdf = new_printout(guide.title, language=guide.language, pdf_class=_NumberedPages)
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(True, margin=MARGIN)
    pdf.add_page()
    _paragraph(pdf, guide.title, size=18, height=9, style="B")
    if guide.school:
        pdf.set_text_color(90)
        _paragraph(pdf, guide.school, size=12, height=6)
        pdf.set_text_color(0)
    pdf.ln(3)
    _paragraph(pdf, guide.intro, size=10.5, height=5.2)
    for section in guide.sections:
        pdf.ln(4)
        if section.heading:
            _paragraph(pdf, section.heading, size=14, height=7, style="B")
            pdf.ln(1)
        for entry in section.entries:
            if entry.command:
                _command(pdf, entry)
            else:
                _paragraph(pdf, entry.text, size=10, height=5)
            pdf.ln(1)
    return printout_bytes(pdf)


def _paragraph(pdf: FPDF, text: str, *, size: float, height: float, style: str = "") -> None:
    pdf.set_font(FAMILY, style, size)
    pdf.multi_cell(0, height, text, align="L", new_x="LMARGIN", new_y="NEXT")


def _command(pdf: FPDF, entry: Entry) -> None:
    """«• /grades <предмет> — отметки по предмету», the command in bold, wrapped lines indented."""
    pdf.set_font(FAMILY, "", 10)
    pdf.cell(INDENT, 5, "•")
    pdf.set_left_margin(MARGIN + INDENT)
    pdf.set_font(FAMILY, "B", 10)
    pdf.write(5, entry.command)
    if entry.text:
        pdf.set_font(FAMILY, "", 10)
        pdf.write(5, f"{DASH}{entry.text}")
    pdf.ln(5)
    pdf.set_left_margin(MARGIN)
