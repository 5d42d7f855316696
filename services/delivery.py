"""The delivery worker: sends outbox rows through the Bot API, inside the bot process.

How it keeps its promises:

* **Nothing lost.** A row is claimed (`pending` → `sending`) in one transaction before its request and
  marked `sent` in another after it. On start-up, rows left `sending` by a killed process go back to
  `pending` and are sent again, so only a message that was in flight at the kill can arrive twice.
* **Due when due.** A mark's row waits `NOTIFY_GRACE_SECONDS` after its `created_at`, an absence's
  `ABSENCE_GRACE_SECONDS` (services.outbox rewrites or cancels a pending row meanwhile). Rows for a
  recipient in their quiet hours (all kinds but absences) are moved to the end of the quiet hours; rows
  for the daily digest wait for the recipient's digest time and then go together as one message.
* **Rate limits.** `aiolimiter` buckets: `TELEGRAM_RATE_PER_SECOND` over all chats with short bursts,
  and about one message a second per chat.
* **Errors.** 429: every send waits the `retry_after` Telegram gave, then the same message is tried
  again (not counted as a failure). 5xx, timeouts, connection errors: exponential back-off with jitter,
  at most `max_attempts` tries, then `failed` with the error. 403 or "chat not found": the account is
  marked inactive and its rows fail at once. Other refusals (a 400): `failed` at once.
* **Order and isolation.** Each chat has a lane that sends its rows one after another in id order; lanes
  run side by side, so a message being retried holds back only its own chat.
"""
from __future__ import annotations

import asyncio
import datetime as dt
import logging
import random
from collections import deque
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from typing import Any

from aiogram import Bot
from aiogram.exceptions import (
    ClientDecodeError, TelegramAPIError, TelegramBadRequest, TelegramForbiddenError, TelegramNetworkError, TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiolimiter import AsyncLimiter
from sqlalchemy import and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.i18n import get_translator
from models import Account, ChatMessageLink, OutboxMessage, OutboxState, utcnow
from services import outbox
from services.notification_render import Outgoing, RowView, render
from services.preferences import next_digest_after, quiet_hours_end

log = logging.getLogger(__name__)

# Telegram's words for a chat we can never write to again (besides any 403).
GONE_CHAT_PHRASES = ("chat not found", "user is deactivated", "bot was blocked", "user not found")
BLOCKED = "blocked"  # last_error prefix of rows failed because the recipient is unreachable


@dataclass(frozen=True)
class DeliveryConfig:
    rate_per_second: float = 25.0
    global_burst: int = 5             # messages that may go at once before the rate applies
    per_chat_interval: float = 1.05   # seconds between two messages to one chat ("about one a second")
    per_chat_burst: int = 1
    notify_grace: dt.timedelta = dt.timedelta(seconds=300)
    absence_grace: dt.timedelta = dt.timedelta(seconds=60)
    poll_interval: float = 1.0        # how often the outbox is looked at when idle
    batch_size: int = 200             # rows claimed and not yet finished, at most
    max_in_flight: int = 32           # requests open at once
    max_attempts: int = 8             # tries for 5xx / network errors before `failed`
    backoff_base: float = 2.0         # seconds before the 2nd try; doubles each time, with jitter
    backoff_cap: float = 300.0
    retry_after_unit: float = 1.0     # seconds per unit of a 429's retry_after (tests shrink it)
    request_timeout: int = 20
    stop_timeout: float = 10.0        # on shutdown, how long lanes may finish what they are sending

    @classmethod
    def from_settings(cls, settings: Settings, **overrides: Any) -> DeliveryConfig:
        base = cls(
            rate_per_second=settings.telegram_rate_per_second,
            notify_grace=dt.timedelta(seconds=settings.notify_grace_seconds),
            absence_grace=dt.timedelta(seconds=settings.absence_grace_seconds),
        )
        return replace(base, **overrides)


@dataclass
class DeliveryStats:
    sent: int = 0
    failed: int = 0
    blocked: int = 0
    retry_after: int = 0        # 429 answers
    transient_errors: int = 0   # 5xx, timeouts, connection errors
    requests: int = 0


@dataclass
class _Unit:
    """What one lane delivers at once: a row, or all of an account's digest rows."""

    rows: list[RowView]
    account_id: int
    chat_id: int
    language: str
    attempts: int

    @property
    def ids(self) -> list[int]:
        return [row.id for row in self.rows]


@dataclass
class _Lane:
    chat_id: int
    units: deque[_Unit] = field(default_factory=deque)


class _Blocked(Exception):
    pass


class _Failed(Exception):
    pass


class DeliveryWorker:
    def __init__(self, bot: Bot, session_maker: async_sessionmaker[AsyncSession], settings: Settings,
                 config: DeliveryConfig | None = None) -> None:
        self.bot = bot
        self.session_maker = session_maker
        self.settings = settings
        self.config = config or DeliveryConfig.from_settings(settings)
        burst = max(1, self.config.global_burst)
        self._global = AsyncLimiter(burst, burst / self.config.rate_per_second)
        self._chat_limiters: dict[int, AsyncLimiter] = {}
        self._chat_last_used: dict[int, float] = {}
        self._chat_ready_at: dict[int, float] = {}
        self._in_flight = asyncio.Semaphore(self.config.max_in_flight)
        self._lanes: dict[int, _Lane] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._backlog = 0
        self._paused_until = 0.0
        self._gate = asyncio.Event()      # closed during a 429's retry_after
        self._gate.set()
        self._reopening: asyncio.Task[None] | None = None
        self._primed = False
        self._wake = asyncio.Event()
        self._stopping = False
        self.stats = DeliveryStats()

    # --- the loop ---------------------------------------------------------------------------------

    async def recover(self) -> int:
        """Rows a killed process left `sending` go back to `pending` (they will be sent again)."""
        async with self.session_maker() as session:
            result = await session.execute(
                update(OutboxMessage).where(OutboxMessage.state == OutboxState.SENDING)
                .values(state=OutboxState.PENDING).execution_options(synchronize_session=False)
            )
            await session.commit()
        if result.rowcount:
            log.warning("delivery: %d messages were in flight at the last stop; sending them again", result.rowcount)
        return result.rowcount

    async def run(self, stop_event: asyncio.Event) -> None:
        await self.recover()
        log.info("delivery worker started (%.0f msg/s)", self.config.rate_per_second)
        try:
            while not stop_event.is_set():
                claimed = 0
                try:
                    claimed = await self.pump()
                except Exception:
                    log.exception("delivery: could not read the outbox; trying again shortly")
                if claimed and self._backlog < self.config.batch_size:
                    continue
                await self._sleep_until_woken(stop_event)
        finally:
            await self.stop()
        log.info("delivery worker stopped")

    def wake(self) -> None:
        """Look at the outbox now rather than at the next poll."""
        self._wake.set()

    async def stop(self) -> None:
        """Stop claiming; lanes finish the message in hand, the rest goes back to `pending`."""
        self._stopping = True
        tasks = list(self._tasks)
        if tasks:
            _, still = await asyncio.wait(tasks, timeout=self.config.stop_timeout)
            for task in still:
                task.cancel()
            await asyncio.gather(*still, return_exceptions=True)

    async def drain(self, now: dt.datetime | None = None, *, everything: bool = False) -> None:
        """Send everything due at `now` (with `everything`, all pending rows) and wait until it is done."""
        while True:
            claimed = await self.pump(now, everything=everything)
            if not claimed and not self._tasks:
                return
            if self._tasks:
                await asyncio.wait(list(self._tasks), return_when=asyncio.FIRST_COMPLETED)

    async def _sleep_until_woken(self, stop_event: asyncio.Event) -> None:
        self._wake.clear()
        stop_wait = asyncio.ensure_future(stop_event.wait())
        wake_wait = asyncio.ensure_future(self._wake.wait())
        try:
            await asyncio.wait({stop_wait, wake_wait}, timeout=self.config.poll_interval,
                               return_when=asyncio.FIRST_COMPLETED)
        finally:
            stop_wait.cancel()
            wake_wait.cancel()

    # --- claiming ---------------------------------------------------------------------------------

    def _due(self, now: dt.datetime) -> Any:
        return and_(
            OutboxMessage.not_before <= now,
            or_(OutboxMessage.kind.not_in(outbox.MARK_GRACE_KINDS),
                OutboxMessage.created_at <= now - self.config.notify_grace),
            or_(OutboxMessage.kind.not_in(outbox.ABSENCE_GRACE_KINDS),
                OutboxMessage.created_at <= now - self.config.absence_grace),
        )

    async def pump(self, now: dt.datetime | None = None, *, everything: bool = False) -> int:
        """Claim the rows due now and hand them to the chats' lanes; returns how many units were claimed."""
        if self._stopping:
            return 0
        capacity = self.config.batch_size - self._backlog
        if capacity <= 0:
            return 0
        now = now or utcnow()
        tz = self.settings.timezone
        query = (
            select(OutboxMessage.id, OutboxMessage.kind, OutboxMessage.payload, OutboxMessage.source_id,
                   OutboxMessage.created_at, OutboxMessage.attempts, OutboxMessage.chat_id,
                   OutboxMessage.account_id, Account.active, Account.chat_id.label("account_chat_id"),
                   Account.language, Account.quiet_start, Account.quiet_end, Account.digest_time)
            .outerjoin(Account, Account.id == OutboxMessage.account_id)
            .where(OutboxMessage.state == OutboxState.PENDING)
            .order_by(OutboxMessage.id)
            .limit(capacity)
        )
        if not everything:
            query = query.where(self._due(now))
        ready: list[Any] = []
        unreachable: list[int] = []
        later: dict[dt.datetime, list[int]] = {}
        async with self.session_maker() as session:
            for row in await session.execute(query):
                chat_id = row.chat_id or row.account_chat_id
                if row.account_id is None or not row.active or chat_id is None:
                    unreachable.append(row.id)
                    continue
                if not everything:
                    wait_until = None
                    if row.kind != outbox.ABSENCE:
                        wait_until = quiet_hours_end(now, row.quiet_start, row.quiet_end, tz)
                    if wait_until is None and (row.payload or {}).get(outbox.DIGEST_FLAG):
                        digest_at = next_digest_after(row.created_at, row.digest_time, tz)
                        wait_until = digest_at if digest_at > now else None
                    if wait_until is not None:
                        later.setdefault(wait_until, []).append(row.id)
                        continue
                ready.append(row)
            if unreachable:
                await session.execute(
                    update(OutboxMessage)
                    .where(OutboxMessage.id.in_(unreachable), OutboxMessage.state == OutboxState.PENDING)
                    .values(state=OutboxState.FAILED, last_error=f"{BLOCKED}: the recipient's account is inactive")
                    .execution_options(synchronize_session=False)
                )
            for moment, ids in later.items():
                await session.execute(
                    update(OutboxMessage)
                    .where(OutboxMessage.id.in_(ids), OutboxMessage.state == OutboxState.PENDING)
                    .values(not_before=moment).execution_options(synchronize_session=False)
                )
            claimed: set[int] = set()
            if ready:
                result = await session.execute(
                    update(OutboxMessage)
                    .where(OutboxMessage.id.in_([row.id for row in ready]),
                           OutboxMessage.state == OutboxState.PENDING)
                    .values(state=OutboxState.SENDING)
                    .returning(OutboxMessage.id)
                )
                claimed = set(result.scalars())
            await session.commit()
        units = self._units([row for row in ready if row.id in claimed])
        for unit in units:
            self._enqueue(unit)
        self._forget_idle_chats()
        return len(units)

    def _units(self, rows: list[Any]) -> list[_Unit]:
        units: list[_Unit] = []
        digests: dict[int, _Unit] = {}
        for row in rows:
            view = RowView(row.id, row.kind, dict(row.payload or {}), row.source_id)
            unit = _Unit([view], row.account_id, int(row.chat_id or row.account_chat_id),
                         row.language or self.settings.default_language, row.attempts)
            if view.payload.get(outbox.DIGEST_FLAG):
                if row.account_id in digests:
                    digests[row.account_id].rows.append(view)
                    continue
                digests[row.account_id] = unit
            units.append(unit)
        return units

    def _enqueue(self, unit: _Unit) -> None:
        self._backlog += 1
        lane = self._lanes.get(unit.chat_id)
        if lane is None:
            lane = self._lanes[unit.chat_id] = _Lane(unit.chat_id)
            task = asyncio.create_task(self._run_lane(lane), name=f"delivery-lane-{unit.chat_id}")
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        lane.units.append(unit)

    # --- one chat's lane ----------------------------------------------------------------------------

    async def _run_lane(self, lane: _Lane) -> None:
        try:
            while lane.units:
                if self._stopping:
                    await self._release(lane)
                    return
                unit = lane.units[0]
                try:
                    await self._deliver(unit)
                except _Blocked as error:
                    try:
                        await self._blocked(lane, unit, str(error))
                    except Exception:
                        log.exception("delivery: could not record that account %s is unreachable", unit.account_id)
                except Exception as error:  # one bad message never stops the lane, let alone the queue
                    log.exception("delivery: unexpected error with rows %s", unit.ids)
                    await self._finish(unit, OutboxState.FAILED, error=f"unexpected: {type(error).__name__}")
                finally:
                    if lane.units and lane.units[0] is unit:
                        lane.units.popleft()
                        self._unit_done()
        finally:
            # No await between the last emptiness check and this: a new unit either joined this lane
            # before it ended or finds no lane and starts a new one.
            if self._lanes.get(lane.chat_id) is lane:
                del self._lanes[lane.chat_id]

    def _unit_done(self) -> None:
        self._backlog -= 1
        if self._backlog < self.config.batch_size // 2:
            self._wake.set()

    async def _deliver(self, unit: _Unit) -> None:
        try:
            messages = render(unit.rows, get_translator(unit.language))
        except Exception as error:  # a payload the renderer cannot read must not stop the lane
            log.exception("delivery: rows %s cannot be rendered", unit.ids)
            await self._finish(unit, OutboxState.FAILED, error=f"render: {type(error).__name__}")
            return
        sent: list[int | None] = []
        for message in messages:
            try:
                sent.append(await self._send_with_retries(unit, message))
            except _Failed as error:
                self.stats.failed += len(unit.rows)
                await self._finish(unit, OutboxState.FAILED, error=str(error), message_ids=sent)
                return
        self.stats.sent += len(unit.rows)
        await self._finish(unit, OutboxState.SENT, message_ids=sent)

    async def _send_with_retries(self, unit: _Unit, message: Outgoing) -> int | None:
        loop = asyncio.get_running_loop()
        await self._prime()
        while True:
            # Wait for the chat's turn before taking a slot of the global rate, so no slot idles…
            await asyncio.sleep(max(0.0, self._chat_ready_at.get(unit.chat_id, 0.0) - loop.time()))
            await self._gate.wait()
            backoff = 0.0
            async with self._in_flight:
                await self._global.acquire()
                if not self._gate.is_set():
                    continue  # a 429 came while we waited for the slot: wait it out, take a new slot
                # …and take the chat's bucket right before the request, so the spacing holds between sends.
                await self._chat_limiter(unit.chat_id).acquire()
                self._chat_ready_at[unit.chat_id] = loop.time() + self.config.per_chat_interval / max(1, self.config.per_chat_burst)
                try:
                    self.stats.requests += 1
                    return await asyncio.wait_for(self._send(unit.chat_id, message), self.config.request_timeout + 5)
                except TelegramRetryAfter as error:
                    self.stats.retry_after += 1
                    self._pause(error.retry_after * self.config.retry_after_unit)
                    log.warning("delivery: 429, waiting %ss before sending again", error.retry_after)
                    continue
                except TelegramForbiddenError as error:
                    raise _Blocked(f"{BLOCKED}: {error.message}") from error
                except TelegramBadRequest as error:
                    if any(phrase in error.message.lower() for phrase in GONE_CHAT_PHRASES):
                        raise _Blocked(f"{BLOCKED}: {error.message}") from error
                    raise _Failed(f"refused: {error.message}") from error
                except (TelegramServerError, TelegramNetworkError, ClientDecodeError, asyncio.TimeoutError, OSError) as error:
                    self.stats.transient_errors += 1
                    unit.attempts += 1
                    description = getattr(error, "message", None) or type(error).__name__
                    await self._note_attempt(unit, f"{type(error).__name__}: {description}")
                    if unit.attempts >= self.config.max_attempts:
                        raise _Failed(f"gave up after {unit.attempts} tries: {description}") from error
                    backoff = self._backoff(unit.attempts)
                except TelegramAPIError as error:  # 401, 404, 409, 413, migrate: no retry helps
                    raise _Failed(f"refused: {type(error).__name__}: {error.message}") from error
            await asyncio.sleep(backoff)  # outside the in-flight slot: other chats go on meanwhile

    async def _send(self, chat_id: int, message: Outgoing) -> int | None:
        markup = None
        if message.markup:
            markup = InlineKeyboardMarkup.model_validate(message.markup)
        elif message.buttons:
            markup = InlineKeyboardMarkup(inline_keyboard=[
                [InlineKeyboardButton(text=label, callback_data=data) for label, data in row]
                for row in message.buttons
            ])
        timeout = self.config.request_timeout
        if message.photo:
            result = await self.bot.send_photo(chat_id, message.photo, caption=message.text or None,
                                               reply_markup=markup, request_timeout=timeout)
        elif message.document:
            result = await self.bot.send_document(chat_id, message.document, caption=message.text or None,
                                                  reply_markup=markup, request_timeout=timeout)
        else:
            result = await self.bot.send_message(chat_id, message.text, reply_markup=markup, request_timeout=timeout)
        return getattr(result, "message_id", None)

    def _backoff(self, attempt: int) -> float:
        """Exponential with "equal jitter": half the step fixed, half random."""
        step = min(self.config.backoff_cap, self.config.backoff_base * 2 ** (attempt - 1))
        return step / 2 + random.uniform(0, step / 2)

    def _pause(self, seconds: float) -> None:
        """A 429: nobody sends for `seconds`; then sending resumes at the steady rate, without a burst."""
        loop = asyncio.get_running_loop()
        until = loop.time() + seconds
        if until <= self._paused_until:
            return
        self._paused_until = until
        self._gate.clear()
        if self._reopening is None or self._reopening.done():
            self._reopening = asyncio.create_task(self._reopen())

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

    def _forget_idle_chats(self) -> None:
        """Per-chat buckets of chats quiet for a while are empty anyway: drop them."""
        horizon = asyncio.get_running_loop().time() - 10 * self.config.per_chat_interval * max(1, self.config.per_chat_burst)
        for chat_id in [c for c, used in self._chat_last_used.items() if used < horizon and c not in self._lanes]:
            self._chat_limiters.pop(chat_id, None)
            self._chat_last_used.pop(chat_id, None)
            self._chat_ready_at.pop(chat_id, None)

    # --- recording outcomes -------------------------------------------------------------------------

    async def _finish(self, unit: _Unit, state: OutboxState, *, error: str = "",
                      message_ids: Sequence[int | None] = ()) -> None:
        last_id = next((mid for mid in reversed(message_ids) if mid is not None), None)
        values: dict[str, Any] = {"state": state}
        if error:  # a row sent after retries keeps the last error it met
            values["last_error"] = error[:1000]
        if state == OutboxState.SENT:
            values.update(sent_at=utcnow(), sent_message_id=last_id)
        for attempt in range(3):
            try:
                async with self.session_maker() as session:
                    await session.execute(
                        update(OutboxMessage)
                        .where(OutboxMessage.id.in_(unit.ids), OutboxMessage.state == OutboxState.SENDING)
                        .values(**values).execution_options(synchronize_session=False)
                    )
                    if state == OutboxState.SENT and any(row.kind == outbox.MESSAGE for row in unit.rows):
                        await self._link(session, unit, message_ids)
                    await session.commit()
                return
            except Exception:
                log.exception("delivery: could not record the outcome of rows %s (try %d)", unit.ids, attempt + 1)
                await asyncio.sleep(0.5 * (attempt + 1))

    async def _link(self, session: AsyncSession, unit: _Unit, message_ids: Sequence[int | None]) -> None:
        """Remember which Telegram messages a relayed row became, so a reply finds its way back."""
        for message_id in message_ids:
            if message_id is None:
                continue
            existing = await session.scalar(select(ChatMessageLink).where(
                ChatMessageLink.chat_id == unit.chat_id, ChatMessageLink.message_id == message_id))
            if existing is None:
                session.add(ChatMessageLink(chat_id=unit.chat_id, message_id=message_id, outbox_id=unit.ids[0]))
            else:
                existing.outbox_id = unit.ids[0]

    async def _note_attempt(self, unit: _Unit, error: str) -> None:
        try:
            async with self.session_maker() as session:
                await session.execute(
                    update(OutboxMessage).where(OutboxMessage.id.in_(unit.ids))
                    .values(attempts=unit.attempts, last_error=error[:1000])
                    .execution_options(synchronize_session=False)
                )
                await session.commit()
        except Exception:
            log.warning("delivery: could not record a failed try of rows %s", unit.ids, exc_info=True)

    async def _blocked(self, lane: _Lane, unit: _Unit, error: str) -> None:
        """The recipient blocked the bot or is gone: inactive account, and none of their rows is tried again."""
        self.stats.blocked += 1
        log.warning("delivery: account %s is unreachable (%s); marked inactive", unit.account_id, error)
        async with self.session_maker() as session:
            await session.execute(
                update(Account).where(Account.id == unit.account_id).values(active=False)
                .execution_options(synchronize_session=False)
            )
            await session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.account_id == unit.account_id,
                       OutboxMessage.state.in_([OutboxState.PENDING, OutboxState.SENDING]))
                .values(state=OutboxState.FAILED, last_error=error[:1000])
                .execution_options(synchronize_session=False)
            )
            await session.commit()
        dropped = [u for u in lane.units if u.account_id == unit.account_id]
        self.stats.failed += sum(len(u.rows) for u in dropped)
        lane.units = deque(u for u in lane.units if u.account_id != unit.account_id)
        for _ in dropped:
            self._unit_done()

    async def _release(self, lane: _Lane) -> None:
        """On shutdown: units not started yet go back to `pending` for the next start."""
        ids = [row_id for unit in lane.units for row_id in unit.ids]
        for _ in lane.units:
            self._unit_done()
        lane.units.clear()
        if not ids:
            return
        async with self.session_maker() as session:
            await session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id.in_(ids), OutboxMessage.state == OutboxState.SENDING)
                .values(state=OutboxState.PENDING).execution_options(synchronize_session=False)
            )
            await session.commit()


# --- entry points ------------------------------------------------------------------------------------

async def run_delivery_worker(bot: Bot, session_maker: async_sessionmaker[AsyncSession], settings: Settings,
                              stop_event: asyncio.Event, config: DeliveryConfig | None = None) -> None:
    """Run until `stop_event` is set (the bot process starts it before polling, stops it after)."""
    await DeliveryWorker(bot, session_maker, settings, config).run(stop_event)


@asynccontextmanager
async def delivery_worker(bot: Bot, session_maker: async_sessionmaker[AsyncSession], settings: Settings,
                          config: DeliveryConfig | None = None) -> AsyncIterator[DeliveryWorker]:
    """`async with delivery_worker(...)`: the worker runs in the background for the block's duration."""
    worker = DeliveryWorker(bot, session_maker, settings, config)
    stop = asyncio.Event()
    task = asyncio.create_task(worker.run(stop), name="delivery-worker")
    try:
        yield worker
    finally:
        stop.set()
        await task


async def deliver_everything_now(bot: Bot, session_maker: async_sessionmaker[AsyncSession], settings: Settings) -> None:
    """The console: every pending row at once, ignoring grace windows, quiet hours and digest times."""
    config = DeliveryConfig.from_settings(settings, per_chat_interval=0.001, rate_per_second=1000, global_burst=1000)
    await DeliveryWorker(bot, session_maker, settings, config).drain(everything=True)
