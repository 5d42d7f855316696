"""The risk list's heads-up for families (regulation 3.2: the class teacher keeps parents informed): a
child on the list (services.reports.risk) gets a line per subject in their family's digest.

Queued for the whole school at once, from the third week of a term; each family hears of it in their
next daily digest whatever they chose for marks (unless they turned marks off: services.outbox.family
DIGEST_ONLY), and a second run before that digest goes replaces the waiting heads-up rather than
adding one. The text is the chat side's, in the reader's language when it is delivered
(bot.outbound.render, locales/*/notify.ftl).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import ROUND_HALF_UP

from sqlalchemy.ext.asyncio import AsyncSession

from services.grades import current_scope, school_thresholds
from services.notices import RiskHeadsUp, RiskSubject
from services.outbox.family import FamilyNotice, notify_families
from services.reports.reach import reach_of
from services.reports.request import ReportRequest
from services.reports.risk import RiskLine, listed_from, risk_lines


async def queue_risk_notices(session: AsyncSession, today: dt.date, *, now: dt.datetime | None = None) -> int:
    """Every family of a child on the current term's risk list, told in their digest; returns the rows
    added. Nothing before the term's third week, nor in the holidays."""
    scope = await current_scope(session, today)
    period = scope.period
    if period is None or not listed_from(period.start) <= today <= period.end:
        return 0
    reach = await reach_of(session, ReportRequest("risk", scope, today))  # the school
    threshold = (await school_thresholds(session)).three
    by_pupil: dict[int, list[RiskLine]] = defaultdict(list)
    for line in await risk_lines(session, reach, period.start, today, period.id, threshold):
        by_pupil[line.student_id].append(line)
    notices = [
        FamilyNotice(
            student_id,
            RiskHeadsUp(
                student_id,
                lines[0].student,
                lines[0].class_name,
                period=period.name,
                subjects=tuple(heads_up(line) for line in lines),
            ),
            group_key=f"risk:{student_id}:{period.id}",
        )
        for student_id, lines in by_pupil.items()
    ]
    return await notify_families(session, notices, now=now)


def heads_up(line: RiskLine) -> RiskSubject:
    return RiskSubject(
        line.subject,
        line.average,
        line.marks or 0,
        line.need.count if line.need else 0,
        line.need.value if line.need else None,
        int(line.missed_share.to_integral_value(ROUND_HALF_UP)) if line.missed_much and line.missed_share else None,
    )
