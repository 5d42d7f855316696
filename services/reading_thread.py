"""Long reads run in a thread of their own, so that the bot goes on answering while a report is made.

A report over a term of a big school reads tens of thousands of rows and works over them for a few
hundred milliseconds; on the bot's event loop that would be as long without an answer for anyone.
`read_apart` runs the read in a worker thread with its own event loop, engine and session on the
same database, and the caller's loop only waits for the result.

The read sees what is committed, not the caller's pending changes, and it writes nothing: the
caller makes any change the result calls for in its own session and transaction. It may open more
sessions on its engine (`AsyncSession(session.bind)`) to read several things at once. The journal is
a file or a server, so another connection reaches it (SQLite's :memory: would not be the same).
"""
from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncSession

from models.db import create_engine, create_session_maker

T = TypeVar("T")
Read = Callable[[AsyncSession], Awaitable[T]]


async def read_apart(session: AsyncSession, read: Read[T]) -> T:
    """`read(session)` on a session of its own in a worker thread; the result must be plain values."""
    return await asyncio.to_thread(_read_in_thread, session.get_bind().engine.url, read)


def _read_in_thread(url: URL, read: Read[T]) -> T:
    async def main() -> T:
        engine = create_engine(url.render_as_string(hide_password=False))
        try:
            async with create_session_maker(engine)() as session:
                return await read(session)
        finally:
            await engine.dispose()

    return asyncio.run(main())
