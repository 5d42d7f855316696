"""The window that keeps Telegram's count: a request counts from when the server may have seen it."""

from __future__ import annotations

import asyncio

from services.delivery_pacing import ArrivalWindow


async def test_a_request_answered_late_counts_from_its_answer() -> None:
    window = ArrivalWindow(limit=2, period=0.3)
    loop = asyncio.get_running_loop()
    started = loop.time()
    async with window.entry():
        pass  # answered at once: counts for 0.3 s from now
    async with window.entry():
        await asyncio.sleep(0.2)  # answered late: it may have reached the server only now
    async with window.entry():
        third = loop.time()  # room once the first has left the window
    async with window.entry():
        fourth = loop.time()  # room only once the late one has left: 0.3 s after its answer, not after it left
    assert 0.3 - 0.01 <= third - started < 0.45
    assert fourth - started >= 0.5 - 0.01


async def test_unanswered_requests_fill_the_window() -> None:
    window = ArrivalWindow(limit=2, period=0.1)
    release = asyncio.Event()

    async def slow() -> None:
        async with window.entry():
            await release.wait()

    pending = [asyncio.create_task(slow()) for _ in range(2)]
    await asyncio.sleep(0.2)  # longer than the period: still in flight, still counted
    third = asyncio.create_task(slow())
    await asyncio.sleep(0.05)
    assert not third.done()
    release.set()
    await asyncio.wait_for(asyncio.gather(*pending, third), 2)
