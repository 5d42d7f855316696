"""A report as files for the person who asked: access checked, built, rendered away from the event loop."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from services.actor import Actor
from services.documents.render import FileFormat, RenderedFile, render, render_charts
from services.reports.access import ensure_may_have
from services.reports.catalogue import build_document
from services.reports.document import Document
from services.reports.request import ReportRequest


@dataclass(frozen=True)
class ReportFiles:
    document: RenderedFile
    charts: tuple[RenderedFile, ...]  # PNGs, for the chat beside the document
    summary: tuple[str, ...]  # a line or two for the message


async def report_files(session: AsyncSession, actor: Actor, request: ReportRequest, fmt: FileFormat) -> ReportFiles:
    await ensure_may_have(session, actor, request)
    document = await build_document(session, request)
    # Rendering is CPU work of a second or more for a big school: the bot keeps answering others meanwhile.
    return await asyncio.to_thread(_render, document, fmt)


def _render(document: Document, fmt: FileFormat) -> ReportFiles:
    return ReportFiles(render(document, fmt), tuple(render_charts(document)), document.summary)
