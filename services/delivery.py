"""The delivery worker: sends outbox rows through a messenger's channel (services.channel), inside the bot process.

One module past 400 lines because it is one class whose loop, lanes, leases and outcomes share its state;
what separates cleanly is apart already: the rows (services.delivery_claims, services.delivery_records),
the pace (services.delivery_pacing) and the configuration (services.delivery_config).

How it keeps its promises:

* **Nothing lost, nothing twice.** A row is claimed (`pending` → `sending`, with this worker's owner id
  and a lease) in one transaction before its request and marked `sent` in another after it. The worker
  renews the lease of its rows while it works and sends nothing on a lease with less than half its
  length left. Another worker takes a `sending` row back only once its lease has run out
  (services.delivery_claims), so two workers never send one row, and the rows of a worker killed
  mid-send go out when the lease ends: only a message in flight at the kill can arrive twice.
* **Due when due.** A mark's row waits `NOTIFY_GRACE_SECONDS` after its `created_at`, an absence's
  `ABSENCE_GRACE_SECONDS` (services.outbox.grace rewrites or cancels a pending row meanwhile). Rows for a
  recipient in their quiet hours (all kinds but absences) are moved to the end of the quiet hours; rows
  for the daily digest wait for the recipient's digest time and then go together as one message.
* **Rate limits.** `TELEGRAM_RATE_PER_SECOND` over all chats, with a burst of what the rate leaves of
  Telegram's 30 a second, and never more than the rate in any second, so that requests arriving
  closer together than they left stay within Telegram's 30; about one message a second per chat
  (services.delivery_pacing). A claim takes at most `per_chat_queue` rows of one
  recipient, so the rows in hand span enough chats to use the rate.
* **Errors** (services.channel; the messenger's side maps its own onto them). Retry-after: every send
  waits the time the messenger gave, then the same message is tried again (not counted as a failure).
  Server errors, timeouts, connection errors: exponential back-off with jitter, at most `max_attempts`
  tries, then `failed` with the error. Blocked (Telegram: 403 or "chat not found"): the account is
  marked inactive and its rows fail at once. Other refusals (a bad request): `failed` at once.
* **Order and isolation.** Each chat has a lane that sends its rows one after another in id order; lanes
  run side by side, so a message being retried holds back only its own chat.
* **Rendered when sent.** A row holds a notice's plain data (services.notices); the renderer it is
  handed turns it into messages in the recipient's language as the account has it at that moment.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import random
from collections import deque
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import true
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models import OutboxState, utcnow
from services import delivery_claims as claims
from services import delivery_records as records
from services.channel import Blocked, Channel, Outgoing, Refused, Renderer, RetryAfter, RowView, Unavailable, send
from services.delivery_config import DeliveryConfig, DeliverySettings
from services.delivery_pacing import Pacer
from services.notices import MESSAGE, is_digest

log = logging.getLogger(__name__)

BLOCKED = "blocked"  # last_error prefix of rows failed because the recipient is unreachable


@dataclass
class DeliveryStats:
    sent: int = 0
    failed: int = 0
    blocked: int = 0
    retry_after: int = 0  # 429 answers
    transient_errors: int = 0  # 5xx, timeouts, connection errors
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


class _TakenOver(Exception):
    """The unit's lease ran out (renewals failed) and another worker may have taken its rows."""


class DeliveryWorker:
    """Sends the outbox through `channel`, each unit rendered by `render` when its turn comes."""

    def __init__(
        self,
        channel: Channel,
        render: Renderer,
        session_maker: async_sessionmaker[AsyncSession],
        settings: DeliverySettings,
        config: DeliveryConfig | None = None,
        *,
        owner: str | None = None,
    ) -> None:
        self.channel = channel
        self.render = render
        self.session_maker = session_maker
        self.settings = settings
        self.config = config or DeliveryConfig.from_settings(settings)
        self.owner = owner or claims.new_owner_id()
        self._held: set[int] = set()  # ids of rows claimed and not yet finished or released
        self._lease_from = 0.0  # loop time the oldest lease of `_held` was taken or renewed
        self._renewing = asyncio.Lock()
        self._pacer = Pacer(self.config)
        self._lanes: dict[int, _Lane] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._backlog = 0
        self._wake = asyncio.Event()
        self._stopping = False
        self.stats = DeliveryStats()

    # --- the loop ---------------------------------------------------------------------------------

    async def run(self, stop_event: asyncio.Event) -> None:
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
            if self._tasks:  # back at least every poll, so the pump renews the leases meanwhile
                await asyncio.wait(
                    list(self._tasks), timeout=self.config.poll_interval, return_when=asyncio.FIRST_COMPLETED
                )

    async def _sleep_until_woken(self, stop_event: asyncio.Event) -> None:
        self._wake.clear()
        stop_wait = asyncio.ensure_future(stop_event.wait())
        wake_wait = asyncio.ensure_future(self._wake.wait())
        try:
            await asyncio.wait(
                {stop_wait, wake_wait}, timeout=self.config.poll_interval, return_when=asyncio.FIRST_COMPLETED
            )
        finally:
            stop_wait.cancel()
            wake_wait.cancel()

    # --- claiming ---------------------------------------------------------------------------------

    async def pump(self, now: dt.datetime | None = None, *, everything: bool = False) -> int:
        """Claim the rows due now and hand them to the chats' lanes; returns how many units were claimed."""
        if self._stopping:
            return 0
        await self._renew_if_due()
        capacity = self.config.batch_size - self._backlog
        if capacity <= 0:
            return 0
        clock, taken_at = utcnow(), asyncio.get_running_loop().time()  # leases follow the clock, not `now`
        now = now or clock
        due = true() if everything else claims.due(now, self.config.notify_grace, self.config.absence_grace)
        query = claims.candidates(due, clock, limit=capacity, per_account=self.config.per_chat_queue)
        async with self.session_maker() as session:
            batch = claims.sort_candidates(
                list(await session.execute(query)),
                None if everything else now,
                self.settings.timezone,
                queued={chat_id: len(lane.units) for chat_id, lane in self._lanes.items()},
                held=self._held,
                per_chat=self.config.per_chat_queue,
            )
            await claims.settle_unclaimed(
                session,
                batch.unreachable,
                clock,
                state=OutboxState.FAILED,
                last_error=f"{BLOCKED}: the recipient's account is inactive",
            )
            for moment, ids in batch.later.items():
                await claims.settle_unclaimed(session, ids, clock, not_before=moment)
            claimed = await claims.claim(
                session,
                [row.id for row in batch.ready],
                self.owner,
                clock,
                clock + dt.timedelta(seconds=self.config.lease),
                due,
            )
            await session.commit()
        rows = [row for row in batch.ready if row.id in claimed]
        self._hold(set(claimed), taken_at)
        if taken_back := sum(row.state == OutboxState.SENDING for row in rows):
            log.warning(
                "delivery: took back %d messages whose worker stopped renewing its claim; "
                "any that were on their way then arrive twice",
                taken_back,
            )
        units = self._units(rows, claimed)
        for unit in units:
            self._enqueue(unit)
        self._pacer.forget_idle_chats(self._lanes)
        return len(units)

    def _units(self, rows: list[Any], claimed: dict[int, tuple[str, dict[str, Any]]]) -> list[_Unit]:
        """`claimed`: each row's kind and payload as the claim took them (claims.claim)."""
        units: list[_Unit] = []
        digests: dict[int, _Unit] = {}
        for row in rows:
            kind, payload = claimed[row.id]
            view = RowView(row.id, kind, payload, row.source_id)
            unit = _Unit(
                [view],
                row.account_id,
                int(row.chat_id or row.account_chat_id),
                row.language or self.settings.default_language,
                row.attempts,
            )
            if is_digest(view.payload):
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
                except _TakenOver:
                    log.warning(
                        "delivery: the claim on rows %s ran out before they went; left to whoever took them", unit.ids
                    )
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
                        self._unit_done(unit)
        finally:
            # No await between the last emptiness check and this: a new unit either joined this lane
            # before it ended or finds no lane and starts a new one.
            if self._lanes.get(lane.chat_id) is lane:
                del self._lanes[lane.chat_id]

    def _unit_done(self, unit: _Unit) -> None:
        self._held.difference_update(unit.ids)
        self._backlog -= 1
        if self._backlog < self.config.batch_size // 2:
            self._wake.set()

    async def _deliver(self, unit: _Unit) -> None:
        try:
            messages = self.render(unit.rows, unit.language)
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
        while True:
            backoff = 0.0
            async with self._pacer.turn(unit.chat_id):
                await self._keep_hold(unit)
                try:
                    self.stats.requests += 1
                    return await asyncio.wait_for(
                        send(self.channel, unit.chat_id, message, timeout=self.config.request_timeout),
                        self.config.request_timeout + 5,
                    )
                except RetryAfter as error:
                    self.stats.retry_after += 1
                    self._pacer.pause(error.seconds * self.config.retry_after_unit)
                    log.warning("delivery: 429, waiting %ss before sending again", error.seconds)
                    continue
                except Blocked as error:
                    raise _Blocked(f"{BLOCKED}: {error.description}") from error
                except Refused as error:
                    raise _Failed(f"refused: {error.description}") from error
                except (TimeoutError, Unavailable, OSError) as error:
                    self.stats.transient_errors += 1
                    unit.attempts += 1
                    name, description = (
                        (error.name, error.description)
                        if isinstance(error, Unavailable)
                        else (type(error).__name__, type(error).__name__)
                    )
                    await records.record_try(
                        self.session_maker, unit.ids, self.owner, unit.attempts, f"{name}: {description}"
                    )
                    if unit.attempts >= self.config.max_attempts:
                        raise _Failed(f"gave up after {unit.attempts} tries: {description}") from error
                    backoff = self._backoff(unit.attempts)
            await asyncio.sleep(backoff)  # outside the in-flight slot: other chats go on meanwhile

    def _backoff(self, attempt: int) -> float:
        """Exponential with "equal jitter": half the step fixed, half random."""
        step = min(self.config.backoff_cap, self.config.backoff_base * 2 ** (attempt - 1))
        return step / 2 + random.uniform(0, step / 2)

    # --- leases -------------------------------------------------------------------------------------

    def _hold(self, ids: set[int], taken_at: float) -> None:
        if ids and not self._held:
            self._lease_from = taken_at
        self._held |= ids

    def _lease_age(self) -> float:
        return asyncio.get_running_loop().time() - self._lease_from

    async def _renew_if_due(self) -> None:
        if self._held and self._lease_age() >= self.config.lease / 4:
            await self._renew()

    async def _renew(self) -> bool:
        """Push the lease of every row in hand forward; forget rows another worker has taken meanwhile."""
        async with self._renewing:
            if self._lease_age() < self.config.lease / 4:
                return True  # renewed while this one waited
            started, held = asyncio.get_running_loop().time(), set(self._held)
            try:
                kept = await claims.renew(
                    self.session_maker, self.owner, utcnow() + dt.timedelta(seconds=self.config.lease)
                )
            except Exception:
                log.warning("delivery: could not renew the claim on %d messages", len(held), exc_info=True)
                return False
            self._lease_from = started
            lost = (held & self._held) - kept
            if lost:
                self._held -= lost
                log.warning(
                    "delivery: %d messages were taken over by another worker after our claim ran out", len(lost)
                )
            return True

    async def _keep_hold(self, unit: _Unit) -> None:
        """Send only on a lease with half its length left (the request fits in it), and only rows still ours."""
        while self._lease_age() > self.config.lease / 2:
            if not await self._renew():
                await asyncio.sleep(min(1.0, self.config.lease / 8))
        if not self._held.issuperset(unit.ids):
            raise _TakenOver

    # --- recording outcomes -------------------------------------------------------------------------

    async def _finish(
        self, unit: _Unit, state: OutboxState, *, error: str = "", message_ids: Sequence[int | None] = ()
    ) -> None:
        relayed = any(row.kind == MESSAGE for row in unit.rows)
        await records.record_outcome(
            self.session_maker,
            unit.ids,
            state,
            error=error,
            message_ids=message_ids,
            link_chat=unit.chat_id if relayed else None,
        )

    async def _blocked(self, lane: _Lane, unit: _Unit, error: str) -> None:
        """The recipient blocked the bot or is gone: inactive account, and none of their rows is tried again."""
        self.stats.blocked += 1
        log.warning("delivery: account %s is unreachable (%s); marked inactive", unit.account_id, error)
        await records.record_unreachable(self.session_maker, unit.account_id, error)
        dropped = [u for u in lane.units if u.account_id == unit.account_id]
        self.stats.failed += sum(len(u.rows) for u in dropped)
        lane.units = deque(u for u in lane.units if u.account_id != unit.account_id)
        for gone in dropped:
            self._unit_done(gone)

    async def _release(self, lane: _Lane) -> None:
        """On shutdown: units not started yet go back to `pending` for the next start."""
        ids = [row_id for unit in lane.units for row_id in unit.ids]
        for unit in lane.units:
            self._unit_done(unit)
        lane.units.clear()
        await claims.release(self.session_maker, self.owner, ids)


# --- entry points ------------------------------------------------------------------------------------


@asynccontextmanager
async def running(worker: DeliveryWorker) -> AsyncIterator[DeliveryWorker]:
    """`async with running(worker)`: the worker runs in the background for the block's duration."""
    stop = asyncio.Event()
    task = asyncio.create_task(worker.run(stop), name="delivery-worker")
    try:
        yield worker
    finally:
        stop.set()
        await task
