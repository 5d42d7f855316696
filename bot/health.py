"""GET /healthz and GET /metrics, on the webhook's server or (polling) on METRICS_LISTEN."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any

from aiogram import Dispatcher
from aiogram.fsm.storage.redis import RedisStorage
from aiohttp import web
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import parse_listen
from bot.metrics import CONTENT_TYPE, Metrics
from models import utcnow
from services.outbox.status import outbox_summary

log = logging.getLogger(__name__)

DISPATCHER = web.AppKey("dispatcher", Dispatcher)
SESSION_MAKER = web.AppKey("session_maker", async_sessionmaker)


def add_status_routes(
    app: web.Application, dispatcher: Dispatcher, session_maker: async_sessionmaker[AsyncSession]
) -> None:
    app[DISPATCHER] = dispatcher
    app[SESSION_MAKER] = session_maker
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", metrics)


async def health(dispatcher: Dispatcher, session_maker: async_sessionmaker[AsyncSession]) -> dict[str, Any]:
    """What a load balancer and the operator ask of one process; `ok` when what it needs answers."""
    report: dict[str, Any] = {"database": "ok", "redis": "not configured"}
    try:
        async with session_maker() as session:
            await session.execute(text("SELECT 1"))
            now = utcnow()
            outbox = await outbox_summary(session, now)
        report["outbox_backlog"] = outbox.pending + outbox.sending
        # Since its time came: a message held until 08:00 on purpose is not waiting before then.
        report["oldest_waiting_seconds"] = (
            round((now - outbox.oldest_due).total_seconds(), 1) if outbox.oldest_due else None
        )
    except Exception:
        log.warning("health: the database does not answer", exc_info=True)
        report["database"] = "unreachable"
    storage = dispatcher.storage
    if isinstance(storage, RedisStorage):
        try:
            await storage.redis.ping()
            report["redis"] = "ok"
        except Exception:
            log.warning("health: Redis does not answer", exc_info=True)
            report["redis"] = "unreachable"
    lease = dispatcher.workflow_data.get("scheduler_lease")
    # Without a lease the process holds the bot's lock (polling): the scheduler is surely its.
    report["scheduler"] = "leader" if lease is None or lease.leader else "standby"
    report["ok"] = report["database"] == "ok" and report["redis"] != "unreachable"
    return report


async def healthz(request: web.Request) -> web.Response:
    report = await health(request.app[DISPATCHER], request.app[SESSION_MAKER])
    return web.json_response(report, status=200 if report["ok"] else 503)


async def metrics(request: web.Request) -> web.Response:
    dispatcher = request.app[DISPATCHER]
    counted: Metrics = dispatcher["metrics"]
    try:
        body = await counted.render(request.app[SESSION_MAKER])
    except Exception:
        log.warning("metrics: the database does not answer", exc_info=True)
        raise web.HTTPServiceUnavailable(text="the database does not answer") from None
    return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE})


@contextlib.asynccontextmanager
async def serving(app: web.Application, listen: str) -> AsyncIterator[str]:
    """`app` on host:port for the block; yields its address as http://host:port (port 0: any free one)."""
    host, port = parse_listen(listen)
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=5)
    await runner.setup()
    try:
        site = web.TCPSite(runner, host, port)
        await site.start()
        bound_host, bound_port = runner.addresses[0][:2]
        log.info("serving on http://%s:%s", bound_host, bound_port)
        yield f"http://{bound_host}:{bound_port}"
    finally:
        await runner.cleanup()


@contextlib.asynccontextmanager
async def status_server(
    listen: str | None, dispatcher: Dispatcher, session_maker: async_sessionmaker[AsyncSession]
) -> AsyncIterator[str | None]:
    """While polling: /healthz and /metrics on METRICS_LISTEN when it is set (its address), else nothing."""
    if listen is None:
        yield None
        return
    app = web.Application()
    add_status_routes(app, dispatcher, session_maker)
    async with serving(app, listen) as address:
        yield address
