"""The renderers: a Document by hand → XLSX (read back with openpyxl), PDF (its text read with pypdf) and PNG
charts (read with PIL); the same Document gives the same bytes, whatever the clock says."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path

import openpyxl
import pypdf
import pytest
import time_machine
from PIL import Image

from services.documents.pdf import column_parts
from services.documents.render import FileFormat, RenderedFile, render, render_charts
from services.documents.xlsx import HEADER_ROW, sheet_titles
from services.reports.document import Cell, CellKind, Chart, ChartKind, Column, Document, Series, Table

SCHOOL = "МБОУ «Средняя общеобразовательная школа № 7»"
SCOPE = "1 четверть, 2026/2027 учебный год"
MADE_ON = dt.date(2026, 11, 2)
PUPILS = ("Ёлкина Алёна", "Щукин Фёдор", "Юсупова Яна")
WIDE_TITLE = "Математика: отметки и посещаемость"
LESSON_DAYS = tuple(dt.date(2026, 9, 1) + dt.timedelta(days=day) for day in range(43))
A4_LONG_SIDE = 842  # points
A4_PAPER = 9  # a spreadsheet's code for A4


def results_table() -> Table:
    columns = (
        Column("№", 4, CellKind.INTEGER),
        Column("Ученик", 24),
        Column("Отметок", 8, CellKind.INTEGER),
        Column("Средний балл", 10, CellKind.DECIMAL),
        Column("Посещаемость", 10, CellKind.PERCENT),
    )
    rows: tuple[tuple[Cell, ...], ...] = (
        (1, PUPILS[0], 12, Decimal("4.75"), Decimal("87.5")),
        (2, PUPILS[1], 9, Decimal("3.2"), Decimal("100")),
        (3, PUPILS[2], 2, None, None),
    )
    total = ("", "Итого", 23, Decimal("3.98"), Decimal("93.8"))
    note = "Прогноз по текущим отметкам: итоговые ещё не выставлены"
    return Table("Итоги 5А класса по ученикам за 1 четверть", columns, rows, total=total, note=note)


def wide_table() -> Table:
    """№, the name and 43 dated lessons: 45 columns, too wide for one page at a readable size."""
    columns = (Column("№", 4, CellKind.INTEGER), Column("Ученик", 24)) + tuple(
        Column(f"{day:%d.%m}", 5) for day in LESSON_DAYS
    )
    rows = tuple(
        (number, name) + tuple(("5", "4", "н", "")[(number + lesson) % 4] for lesson in range(len(LESSON_DAYS)))
        for number, name in enumerate(PUPILS, 1)
    )
    return Table(WIDE_TITLE, columns, rows, key_columns=2)


def charts() -> tuple[Chart, ...]:
    return (
        Chart(
            "Качество знаний по классам",
            ChartKind.BARS,
            ("5А", "5Б", "5В"),
            (
                Series("1 четверть", (Decimal("62.5"), None, Decimal("40"))),
                Series("2 четверть", (Decimal("70"), Decimal("55.6"), Decimal("48.1"))),
            ),
            unit="%",
            upper=Decimal(100),
        ),
        Chart(
            "Средний балл по предметам",
            ChartKind.LINES,
            ("1 четверть", "2 четверть", "3 четверть", "4 четверть"),
            (Series("Русский язык", (Decimal("4.1"), None, Decimal("3.85"), Decimal("4"))),),
            upper=Decimal(5),
        ),
    )


def document(**changes: object) -> Document:
    fields: dict[str, object] = {
        "kind": "results",
        "title": "Итоги успеваемости",
        "school": SCHOOL,
        "scope": SCOPE,
        "about": "5А",
        "tables": (results_table(), wide_table()),
        "charts": charts(),
        "signatures": ("Классный руководитель", "Заместитель директора по УВР"),
        "made_on": MADE_ON,
    } | changes
    return Document(**fields)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def files() -> dict[FileFormat, RenderedFile]:
    """The sample document in both formats, drawn once for the module (charts take a moment)."""
    return {fmt: render(document(), fmt) for fmt in FileFormat}


def workbook(file: RenderedFile) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(file.content))


def page_texts(file: RenderedFile) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(file.content)).pages]


# XLSX


def test_the_workbook_has_a_sheet_per_table_and_one_of_charts(files):
    book = workbook(files[FileFormat.XLSX])

    assert book.sheetnames == ["Итоги 5А класса по ученикам за", "Математика отметки и посещаемос", "Диаграммы"]
    assert len(book["Диаграммы"]._images) == 2


def test_sheet_titles_are_ones_excel_accepts():
    titles = sheet_titles(
        ["Итоги [5А]: 1/2 четверти?*", "Итоги", "итоги", "", "Сводная ведомость успеваемости 5А класса"]
    )

    assert titles == ["Итоги 5А 12 четверти", "Итоги", "итоги (2)", "Лист", "Сводная ведомость успеваемости"]
    assert all(len(title) <= 31 for title in titles)


def test_a_sheet_opens_with_the_heading_then_bold_bordered_headers(files):
    sheet = workbook(files[FileFormat.XLSX]).worksheets[0]

    heading = [sheet.cell(row, 1).value for row in range(1, HEADER_ROW)]
    assert heading == ["Итоги успеваемости", SCHOOL, SCOPE, "5А", "Итоги 5А класса по ученикам за 1 четверть"]
    headers = [sheet.cell(HEADER_ROW, column) for column in range(1, 6)]
    assert [cell.value for cell in headers] == ["№", "Ученик", "Отметок", "Средний балл", "Посещаемость"]
    assert all(cell.font.b and cell.border.bottom.style == "thin" for cell in headers)
    assert [sheet.column_dimensions[letter].width for letter in "ABCDE"] == [4, 24, 8, 10, 10]


def test_figures_are_numbers_in_the_columns_format(files):
    sheet = workbook(files[FileFormat.XLSX]).worksheets[0]
    first, third = HEADER_ROW + 1, HEADER_ROW + 3

    row = [sheet.cell(first, column) for column in range(1, 6)]
    assert [cell.value for cell in row] == [1, PUPILS[0], 12, 4.75, 0.875]  # a percent cell holds the fraction
    assert [cell.number_format for cell in row] == ["0", "General", "0", "0.00", "0.0%"]
    assert sheet.cell(HEADER_ROW + 2, 5).value == 1  # 100 %
    assert [sheet.cell(third, column).value for column in (2, 4, 5)] == [PUPILS[2], None, None]


def test_the_total_is_bold_and_the_note_under_it(files):
    sheet = workbook(files[FileFormat.XLSX]).worksheets[0]
    total_row = HEADER_ROW + 4

    assert [sheet.cell(total_row, column).value for column in range(2, 6)] == ["Итого", 23, 3.98, 0.938]
    assert all(sheet.cell(total_row, column).font.b for column in range(2, 6))
    assert not sheet.cell(total_row - 1, 2).font.b
    assert sheet.cell(total_row + 2, 1).value == "Прогноз по текущим отметкам: итоговые ещё не выставлены"


def test_headers_and_key_columns_stay_in_view_and_in_print(files):
    results, wide, _ = workbook(files[FileFormat.XLSX]).worksheets

    assert results.freeze_panes == f"B{HEADER_ROW + 1}"
    assert wide.freeze_panes == f"C{HEADER_ROW + 1}"  # key_columns=2: № and the name
    assert wide.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
    assert wide.print_title_cols == "$A:$B"


def test_sheets_print_on_a4_one_page_wide_in_the_documents_orientation(files):
    sheet = workbook(files[FileFormat.XLSX]).worksheets[1]
    portrait = workbook(render(document(landscape=False, charts=()), FileFormat.XLSX)).worksheets[0]

    assert (sheet.page_setup.paperSize, sheet.page_setup.orientation) == (A4_PAPER, "landscape")
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
    assert portrait.page_setup.orientation == "portrait"


def test_the_first_sheet_ends_with_the_date_and_the_signatures(files):
    results, wide, _ = workbook(files[FileFormat.XLSX]).worksheets

    lines = [cell.value for cell in results["A"] if cell.value and cell.row > HEADER_ROW + 6]  # below the note
    assert lines == [
        "Сформировано 02.11.2026",
        "Классный руководитель ____________ / ______________",
        "Заместитель директора по УВР ____________ / ______________",
    ]
    assert not any("Подпись" in str(cell.value) or "____" in str(cell.value) for cell in wide["A"])


def test_a_document_without_a_day_prints_no_date():
    book = workbook(render(document(made_on=None, charts=()), FileFormat.XLSX))

    assert not any(str(cell.value).startswith("Сформировано") for cell in book.worksheets[0]["A"])
    assert book.properties.created == dt.datetime(2000, 1, 1)


def test_a_cell_of_text_stays_text_even_when_it_looks_like_a_formula():
    topic = '=HYPERLINK("http://example.com")\x07 повторение'
    table = Table("Темы", (Column("Тема", 30),), ((topic,),))

    cell = workbook(render(document(tables=(table,), charts=()), FileFormat.XLSX)).worksheets[0][f"A{HEADER_ROW + 1}"]

    assert (cell.value, cell.data_type) == ('=HYPERLINK("http://example.com") повторение', "s")


# PDF


def test_every_pdf_page_names_the_school_the_class_and_the_period_and_counts_pages(files):
    pages = page_texts(files[FileFormat.PDF])

    assert len(pages) > 2
    for number, text in enumerate(pages, 1):
        assert SCHOOL in text and "Итоги успеваемости" in text and SCOPE in text and "5А" in text
        assert f"Страница {number} из {len(pages)}" in text


def test_the_pdf_holds_the_rows_the_total_the_note_and_figures_as_written_in_russian(files):
    first = page_texts(files[FileFormat.PDF])[0]

    assert "Итоги 5А класса по ученикам за 1 четверть" in first
    assert f"1 {PUPILS[0]} 12 4,75 87,5%" in first
    assert f"2 {PUPILS[1]} 9 3,20 100,0%" in first
    assert "Итого 23 3,98 93,8%" in first
    assert "Прогноз по текущим отметкам: итоговые ещё не выставлены" in first


def test_a_table_too_wide_for_the_page_is_cut_into_parts_each_with_the_key_columns(files):
    pages = page_texts(files[FileFormat.PDF])
    dates = [f"{day:%d.%m}" for day in LESSON_DAYS]

    parts = [text for text in pages if WIDE_TITLE in text]
    assert len(parts) >= 2
    for number, text in enumerate(parts, 1):
        assert f"(часть {number} из {len(parts)})" in text
        assert "№ Ученик" in text and all(name in text for name in PUPILS)
    where = [[number for number, text in enumerate(parts) if date in text] for date in dates]
    assert all(len(found) == 1 for found in where)  # every lesson printed, once
    assert [found[0] for found in where] == sorted(found[0] for found in where)  # in order, part after part


def test_column_parts_lead_with_the_key_columns_and_keep_every_column_once():
    columns = [Column("№", 4), Column("Ученик", 24)] + [Column("дата", 5)] * 43

    parts = column_parts(columns, key_columns=2, page_width_mm=277)

    assert len(parts) > 1 and all(part[:2] == (0, 1) for part in parts)
    assert [index for part in parts for index in part[2:]] == list(range(2, 45))
    assert max(len(part) for part in parts) - min(len(part) for part in parts) <= 1  # evened out
    assert column_parts(columns[:20], key_columns=2, page_width_mm=277) == [tuple(range(20))]


def test_a_long_table_repeats_its_header_row_on_the_next_page():
    columns = (Column("№", 4, CellKind.INTEGER), Column("Ученик", 24), Column("Средний балл", 10, CellKind.DECIMAL))
    rows = tuple((number, f"{PUPILS[number % 3]} {number}", Decimal("4.5")) for number in range(1, 81))
    long = document(tables=(Table("Список", columns, rows),), charts=(), signatures=())

    pages = page_texts(render(long, FileFormat.PDF))

    assert len(pages) >= 2
    assert all("№ Ученик Средний балл" in text for text in pages)
    assert "80 Юсупова Яна 80 4,50" in pages[-1]


def test_the_pdf_ends_with_the_date_and_a_line_for_each_signature(files):
    last = page_texts(files[FileFormat.PDF])[-1]

    assert "Сформировано 02.11.2026" in last
    assert "Классный руководитель ____________ / ______________" in last
    assert "Заместитель директора по УВР ____________ / ______________" in last


def test_charts_are_pages_of_the_pdf():
    without = pypdf.PdfReader(io.BytesIO(render(document(charts=()), FileFormat.PDF).content))
    with_charts = pypdf.PdfReader(io.BytesIO(render(document(), FileFormat.PDF).content))

    assert len(with_charts.pages) == len(without.pages) + 2
    assert not without.pages[-1].images
    assert [len(page.images) for page in with_charts.pages[-2:]] == [1, 1]


def test_the_pdf_page_follows_the_documents_orientation_and_has_no_date_when_it_has_no_day():
    file = render(document(landscape=False, made_on=None, charts=()), FileFormat.PDF)

    reader = pypdf.PdfReader(io.BytesIO(file.content))
    box = reader.pages[0].mediabox
    assert (round(box.width), round(box.height)) == (595, A4_LONG_SIDE)
    assert not any("Сформировано" in page.extract_text() for page in reader.pages)
    assert reader.metadata.creation_date == dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)


# Charts


def test_each_chart_is_a_png_of_about_1000_by_600():
    pngs = render_charts(document())

    assert [png.name for png in pngs] == ["results_5А_1-четверть_1.png", "results_5А_1-четверть_2.png"]
    for png in pngs:
        assert png.content.startswith(b"\x89PNG\r\n\x1a\n") and png.mime == "image/png"
        assert Image.open(io.BytesIO(png.content)).size == (1000, 600)
    assert render_charts(document(charts=())) == []


def test_a_missing_figure_is_a_gap_not_a_zero():
    gap, zero = (
        Chart("Качество", kind, ("1 ч.", "2 ч.", "3 ч."), (Series("5А", (Decimal(50), value, Decimal(60))),))
        for kind, value in ((ChartKind.LINES, None), (ChartKind.LINES, Decimal(0)))
    )

    drawn = [render_charts(document(charts=(chart,)))[0].content for chart in (gap, zero)]

    assert drawn[0] != drawn[1]


# The files as a whole


def test_files_are_named_after_the_document_with_their_type(files):
    assert files[FileFormat.XLSX].name == "results_5А_1-четверть.xlsx"
    assert files[FileFormat.XLSX].mime == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert (files[FileFormat.PDF].name, files[FileFormat.PDF].mime) == ("results_5А_1-четверть.pdf", "application/pdf")


def test_the_same_document_is_the_same_bytes_a_day_later(files):
    with time_machine.travel(dt.datetime(2027, 6, 1, 9, 0, 0, tzinfo=dt.timezone.utc), tick=False) as clock:
        first = {fmt: render(document(), fmt).content for fmt in FileFormat} | {"charts": render_charts(document())}
        clock.shift(dt.timedelta(days=1, seconds=7))
        again = {fmt: render(document(), fmt).content for fmt in FileFormat} | {"charts": render_charts(document())}

    assert first == again
    assert first[FileFormat.PDF] == files[FileFormat.PDF].content  # and the same as outside the time machine
    assert workbook(files[FileFormat.XLSX]).properties.created == dt.datetime(2026, 11, 2)


def test_the_same_document_is_the_same_bytes_in_another_process(files):
    """The archive's second run is another process, with other hash seeds: no set or dict order may leak."""
    script = (
        "import hashlib; from tests.test_documents import document; "
        "from services.documents.render import FileFormat, render; "
        "print(*(hashlib.sha256(render(document(), fmt).content).hexdigest() for fmt in FileFormat))"
    )
    root = Path(__file__).resolve().parent.parent
    seed = "4242" if os.environ.get("PYTHONHASHSEED") != "4242" else "4343"
    env = os.environ | {"PYTHONHASHSEED": seed}

    printed = subprocess.run(
        [sys.executable, "-c", script], cwd=root, env=env, capture_output=True, text=True, check=True
    ).stdout.split()

    assert printed == [hashlib.sha256(files[fmt].content).hexdigest() for fmt in FileFormat]


def test_documents_rendered_side_by_side_in_threads_are_the_ones_rendered_alone(files):
    jobs = [FileFormat.PDF, FileFormat.XLSX, FileFormat.PDF, FileFormat.XLSX]

    with ThreadPoolExecutor(max_workers=4) as pool:
        rendered = list(pool.map(lambda fmt: render(document(), fmt), jobs))

    assert [file.content for file in rendered] == [files[fmt].content for fmt in jobs]
