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
import gc
import threading
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
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

    with _collector_paused():
        return asyncio.run(main())


# The cyclic garbage collector stops every thread while it runs. A report makes some 100,000 short-lived
# rows and tuples (no cycles: reference counting frees them all), enough to set off a full collection of
# the whole process, about a tenth of a second in which the event loop can do nothing. So the collector
# waits while any read runs apart; it starts again, as it was, when the last one ends.
_paused = 0
_was_enabled = False
_pause_lock = threading.Lock()


@contextmanager
def _collector_paused() -> Iterator[None]:
    global _paused, _was_enabled
    with _pause_lock:
        if _paused == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _paused += 1
    try:
        yield
    finally:
        with _pause_lock:
            _paused -= 1
            if _paused == 0 and _was_enabled:
                gc.enable()
