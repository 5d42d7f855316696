"""Telegram's flood limits as the delivery worker keeps them.

* All chats together: an `aiolimiter` bucket of `rate_per_second` with a burst of `global_burst`.
  It starts full, so a restart does not add a burst to what the server counted just before. The
  burst lets a send that started late (a busy event loop) be made up, so the rate is reached.
* On top of it, what Telegram counts: at most `per_second_cap` sends in any second as they reach
  the server (ArrivalWindow), however much closer together they arrive than they left.
* One chat: about one message a second (`per_chat_interval`), each chat in its own bucket, and
  counted from when the previous message reached the server, not only from when it left.
* A 429 closes the gate for its `retry_after`: nobody sends until it has passed, and then sending
  resumes at the steady rate, without a burst.
* At most `max_in_flight` requests are open at once.
"""

from __future__ import annotations

import asyncio
import math
from collections import deque
from collections.abc import AsyncIterator, Container
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Protocol

from aiolimiter import AsyncLimiter


class PacingConfig(Protocol):
    rate_per_second: float
    global_burst: int
    per_second_cap: int
    per_chat_interval: float
    per_chat_burst: int
    max_in_flight: int


class Pacer:
    def __init__(self, config: PacingConfig) -> None:
        self.config = config
        burst = max(1, config.global_burst)
        self._global = AsyncLimiter(burst, burst / config.rate_per_second)
        self._window = ArrivalWindow(config.per_second_cap, 1.0)
        self._chat_limiters: dict[int, AsyncLimiter] = {}
        self._chat_last_used: dict[int, float] = {}
        self._chat_ready_at: dict[int, float] = {}
        self._in_flight = asyncio.Semaphore(config.max_in_flight)
        self._paused_until = 0.0
        self._gate = asyncio.Event()  # closed during a 429's retry_after
        self._gate.set()
        self._reopening: asyncio.Task[None] | None = None
        self._primed = False

    @asynccontextmanager
    async def turn(self, chat_id: int) -> AsyncIterator[None]:
        """Wait until a request to `chat_id` may go; the block sends it, holding an in-flight slot."""
        loop = asyncio.get_running_loop()
        await self._prime()
        while True:
            # Wait for the chat's turn before taking a slot of the global rate, so no slot idles…
            await asyncio.sleep(max(0.0, self._chat_ready_at.get(chat_id, 0.0) - loop.time()))
            await self._gate.wait()
            async with self._in_flight:
                if not self._gate.is_set():
                    continue  # a 429 came while we waited for the slot: spend no part of the rate
                await self._global.acquire()
                if not self._gate.is_set():
                    continue  # a 429 came while we waited for the rate: wait it out, take a new turn
                # …and take the chat's bucket right before the request, so the spacing holds between sends.
                await self._chat_limiter(chat_id).acquire()
                spacing = self.config.per_chat_interval / max(1, self.config.per_chat_burst)
                request: Request | None = None
                try:
                    async with self._window.entry() as request:
                        self._chat_ready_at[chat_id] = loop.time() + spacing
                        yield
                finally:
                    if request is not None:  # the next one counts from when this one reached the server
                        self._chat_ready_at[chat_id] = max(self._chat_ready_at[chat_id], request.reached + spacing)
                return

    def pause(self, seconds: float) -> None:
        """A 429: nobody sends for `seconds`; then sending resumes at the steady rate, without a burst."""
        until = asyncio.get_running_loop().time() + seconds
        if until <= self._paused_until:
            return
        self._paused_until = until
        self._gate.clear()
        if self._reopening is None or self._reopening.done():
            self._reopening = asyncio.create_task(self._reopen())

    def forget_idle_chats(self, busy: Container[int]) -> None:
        """Per-chat buckets of chats quiet for a while are empty anyway: drop them."""
        span = 10 * self.config.per_chat_interval * max(1, self.config.per_chat_burst)
        horizon = asyncio.get_running_loop().time() - span
        for chat_id in [c for c, used in self._chat_last_used.items() if used < horizon and c not in busy]:
            self._chat_limiters.pop(chat_id, None)
            self._chat_last_used.pop(chat_id, None)
            self._chat_ready_at.pop(chat_id, None)

    async def _reopen(self) -> None:
        loop = asyncio.get_running_loop()
        while (remaining := self._paused_until - loop.time()) > 0:
            await asyncio.sleep(remaining)
        await self._fill_bucket()
        self._gate.set()

    async def _prime(self) -> None:
        """Start as if the bucket were full: the server does not know we just (re)started."""
        if not self._primed:
            self._primed = True
            await self._fill_bucket()

    async def _fill_bucket(self) -> None:
        await self._global.acquire(self._global.max_rate)

    def _chat_limiter(self, chat_id: int) -> AsyncLimiter:
        limiter = self._chat_limiters.get(chat_id)
        if limiter is None:
            burst = max(1, self.config.per_chat_burst)
            limiter = self._chat_limiters[chat_id] = AsyncLimiter(burst, burst * self.config.per_chat_interval)
        self._chat_last_used[chat_id] = asyncio.get_running_loop().time()
        return limiter


@dataclass
class Request:
    left: float
    reached: float = math.inf  # about when the server had it: unknown until it is answered


class ArrivalWindow:
    """At most `limit` requests in any `period` seconds, counted as the server may have seen them.

    A request may reach the server later than it left (either side paused, the network held it), and
    several late ones arrive together with the next: counted by when they left, a window that never
    held more than `limit` can arrive as more. So a request counts from when it left until it is
    answered, and then from when it reached the server (its answer less the quickest answer seen
    lately) for `period` more. Served first come, first served.
    """

    def __init__(self, limit: int, period: float) -> None:
        self.limit = max(1, limit)
        self.period = period
        self._requests: deque[Request] = deque()
        self._quickest: deque[float] = deque(maxlen=100)  # the last answers' round trips
        self._turns = asyncio.Lock()

    @asynccontextmanager
    async def entry(self) -> AsyncIterator[Request]:
        """Wait for room in the window, then count the request the block makes."""
        loop = asyncio.get_running_loop()
        async with self._turns:
            while (wait := self._wait(loop.time())) > 0:
                await asyncio.sleep(wait)
            request = Request(loop.time())
            self._requests.append(request)
        try:
            yield request
        finally:
            answered = loop.time()
            self._quickest.append(answered - request.left)
            request.reached = max(request.left, answered - min(self._quickest))

    def _wait(self, now: float) -> float:
        while self._requests and self._requests[0].reached + self.period <= now:
            self._requests.popleft()
        counted = [request.reached + self.period for request in self._requests if request.reached + self.period > now]
        if len(counted) < self.limit:
            return 0.0
        answered = [until for until in counted if until != math.inf]
        if len(counted) - len(answered) >= self.limit or not answered:
            return 0.01  # room comes with an answer: look again shortly
        return min(answered) - now  # when the earliest answered one leaves the window
