"""The one way to turn a Document into files: `render` for the XLSX or the PDF, `render_charts` for the
PNGs sent beside it. Pure and synchronous, sharing nothing but a small cache of drawn charts
(services.documents.charts, thread-safe): callers run it in asyncio.to_thread."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from services.reports.document import Document


class FileFormat(str, Enum):
    XLSX = "xlsx"
    PDF = "pdf"


@dataclass(frozen=True)
class RenderedFile:
    name: str  # «results_5А_1-четверть.pdf»
    content: bytes
    mime: str


_MIME = {
    FileFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    FileFormat.PDF: "application/pdf",
}


def render(document: Document, fmt: FileFormat) -> RenderedFile:
    """The document as one file; its charts are inside it (a page each in the PDF, a sheet in the XLSX)."""
    # The file libraries are imported here, when a file is made, not when the bot starts.
    charts = [chart.content for chart in render_charts(document)]
    if fmt is FileFormat.XLSX:
        from services.documents.xlsx import workbook_bytes

        content = workbook_bytes(document, charts)
    else:
        from services.documents.pdf import pdf_bytes

        content = pdf_bytes(document, charts)
    return RenderedFile(f"{document.file_stem}.{fmt.value}", content, _MIME[fmt])


def render_charts(document: Document) -> list[RenderedFile]:
    """A PNG per chart, in the document's order: «results_5А_1-четверть_1.png», …"""
    if not document.charts:
        return []
    from services.documents.charts import chart_png

    return [
        RenderedFile(f"{document.file_stem}_{number}.png", chart_png(chart), "image/png")
        for number, chart in enumerate(document.charts, 1)
    ]
