"""/status: what the administrator checks (regulation 3.1: the system works)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from importlib import metadata

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Account, BackupRecord, OutboxMessage
from services.access import ensure_admin
from services.actor import Actor
from services.backup import database_size, last_backup
from services.outbox.status import outbox_summary, recent_failures

STATUS_FAILURES = 5  # the newest undelivered messages, with Telegram's reason (issue: failures are visible)


@dataclass(frozen=True)
class SystemStatus:
    version: str
    database_bytes: int | None
    last_backup: BackupRecord | None
    outbox_pending: int
    outbox_failed: int
    oldest_pending: dt.datetime | None
    recent_failures: list[OutboxMessage]
    accounts_active: int
    accounts_blocked: int


def app_version() -> str:
    try:
        return metadata.version("school-journal-bot")
    except metadata.PackageNotFoundError:
        return "?"


async def system_status(session: AsyncSession, actor: Actor, database_url: str) -> SystemStatus:
    """What the administrator checks (regulation 3.1: the system works): database, copies, outbox, accounts."""
    ensure_admin(actor)
    outbox = await outbox_summary(session)
    accounts = dict((await session.execute(select(Account.active, func.count()).group_by(Account.active))).all())
    return SystemStatus(
        version=app_version(),
        database_bytes=await database_size(session, database_url),
        last_backup=await last_backup(session),
        outbox_pending=outbox.pending + outbox.sending,
        outbox_failed=outbox.failed,
        oldest_pending=outbox.oldest_due,
        recent_failures=await recent_failures(session, limit=STATUS_FAILURES),
        accounts_active=accounts.get(True, 0),
        accounts_blocked=accounts.get(False, 0),
    )
