"""Which reports exist, and building one by name.

Each report module adds its builder to BUILDERS here: one line, one place that lists them all.
`build_document` builds without asking who wants it (the administrator's command line, the archive);
the chat goes through services.reports.access, which decides who may have which report first.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession

from services.errors import ValidationFailed
from services.reports import attendance, card, keeping, movement_report, results, risk, subject, summary
from services.reports.document import Document
from services.reports.request import ReportRequest

Builder = Callable[[AsyncSession, ReportRequest], Awaitable[Document]]

BUILDERS: dict[str, Builder] = {
    "attendance": attendance.build,
    "card": card.build,
    "keeping": keeping.build,
    "movement": movement_report.build,
    "results": results.build,
    "risk": risk.build,
    "subject": subject.build,
    "summary": summary.build,
}


async def build_document(session: AsyncSession, request: ReportRequest) -> Document:
    builder = BUILDERS.get(request.kind)
    if builder is None:
        raise ValidationFailed("report-unknown-kind", kind=request.kind, known=", ".join(sorted(BUILDERS)))
    return await builder(session, request)
