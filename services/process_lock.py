"""A polling bot runs as one process per school: the parts that must run once (the scheduler, the
delivery worker, getUpdates) run only in the process that holds the bot's locks. In webhook mode any
number of processes run: each holds the lock file shared (restore and a polling bot are refused while
any of them runs), the delivery workers share the outbox by its claims, and the scheduler runs under
its own lease (scheduler.lease, a DatabaseLock without a lock file).

Two locks, taken in this order before anything starts:

* the local file `BOT_LOCK_FILE` (BotLock), before the database is even upgraded: a
  second bot on this host with the same files is refused, and `restore` refuses while the bot runs;
* a lease row in the database (`process_locks`): hosts that share one PostgreSQL see it. The holder
  renews it every third of `ttl`; a lock whose time has run out may be taken by another process.
  A holder that recorded this host and this very lock file (lock_file_identity) is dead (the file lock
  is ours now), so its lock is taken at once, and the outbox rows it was sending are released for this
  process to send.

A refused process has touched nothing and raises AlreadyRunning with one line for the operator.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import fcntl
import logging
import os
import socket
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import ColumnElement, and_, delete, false, or_, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models import ProcessLock, utcnow
from services import delivery_claims
from services.backup import BackupError

log = logging.getLogger(__name__)

BOT = "bot"  # the lock of the scheduler and the delivery worker
LOCK_TTL = 30.0  # seconds; renewed every third of it


class AlreadyRunning(Exception):
    """Another process holds the lock; str() is one line for the operator."""


class LockLost(Exception):
    """The lock could not be renewed in time and may be someone else's now."""


class DatabaseLock:
    """A named lease in `process_locks`, held by `owner` until `expires_at`."""

    def __init__(
        self,
        session_maker: async_sessionmaker[AsyncSession],
        lock_file: Path | None,
        *,
        name: str = BOT,
        ttl: float = LOCK_TTL,
        owner: str | None = None,
    ) -> None:
        """`lock_file` None: a lease held by one of several live processes on a host (the scheduler's);
        a holder on this host is then not known dead, it is taken over only when its time has run out."""
        self.session_maker = session_maker
        self.name = name
        self.ttl = dt.timedelta(seconds=ttl)
        self.owner = owner or delivery_claims.new_owner_id()
        self.host = socket.gethostname()[:255]
        self.lock_file = lock_file_identity(Path(lock_file)) if lock_file is not None else ""

    async def acquire(self) -> str | None:
        """Take the lock, or raise AlreadyRunning naming the holder. Returns the owner id of a dead holder
        on this host (call only while holding this host's file lock), else None."""
        for _ in range(3):  # another process may insert or take it between our read and our write
            async with self.session_maker() as session:
                current = await session.get(ProcessLock, self.name)
                if current is None:
                    session.add(self._row())
                    try:
                        await session.commit()
                    except IntegrityError:
                        continue
                    return None
                previous, dead = current.owner, self._here(current)
                if not (dead or current.expires_at < utcnow()):
                    raise AlreadyRunning(describe(current, self.name))
                taken = await session.execute(
                    update(ProcessLock)
                    .where(
                        ProcessLock.name == self.name,
                        ProcessLock.owner == previous,
                        or_(ProcessLock.expires_at < utcnow(), self._dead_here()),
                    )
                    .values(**self._values())
                    .execution_options(synchronize_session=False)
                )
                await session.commit()
                if taken.rowcount == 1:
                    log.warning(
                        "took over the %s lock of %s (%s)",
                        self.name,
                        previous,
                        "it died on this host" if dead else "its time had run out",
                    )
                    return previous if dead else None
        async with self.session_maker() as session:
            current = await session.get(ProcessLock, self.name)
        raise AlreadyRunning(describe(current, self.name) if current else "the bot lock keeps changing hands")

    async def renew(self) -> bool:
        """Push the expiry forward; False when the lock is no longer ours."""
        async with self.session_maker() as session:
            result = await session.execute(
                update(ProcessLock)
                .where(ProcessLock.name == self.name, ProcessLock.owner == self.owner)
                .values(expires_at=utcnow() + self.ttl)
            )
            await session.commit()
        return result.rowcount == 1

    async def release(self) -> None:
        async with self.session_maker() as session:
            await session.execute(
                delete(ProcessLock).where(ProcessLock.name == self.name, ProcessLock.owner == self.owner)
            )
            await session.commit()

    def _here(self, row: ProcessLock) -> bool:
        return bool(self.lock_file) and row.host == self.host and row.lock_file == self.lock_file

    def _dead_here(self) -> ColumnElement[bool]:
        if not self.lock_file:
            return false()
        return and_(ProcessLock.host == self.host, ProcessLock.lock_file == self.lock_file)

    def _values(self) -> dict:
        now = utcnow()
        return dict(
            owner=self.owner,
            host=self.host,
            pid=os.getpid(),
            lock_file=self.lock_file,
            acquired_at=now,
            expires_at=now + self.ttl,
        )

    def _row(self) -> ProcessLock:
        return ProcessLock(name=self.name, **self._values())


def lock_file_identity(lock_file: Path) -> str:
    """The lock file's path and its folder's device and inode: two containers with the same host name and
    the same path on volumes of their own are not the same file, and a holder recorded with another
    identity is not known dead just because this process holds its own file lock."""
    path = lock_file.resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    folder = path.parent.stat()
    return f"{path}@{folder.st_dev}:{folder.st_ino}"


def describe(row: ProcessLock, name: str) -> str:
    return (
        f"another bot process (pid {row.pid} on {row.host}) holds the {name} lock of this database "
        f"until {row.expires_at:%Y-%m-%d %H:%M:%S} UTC unless it renews it: refusing to start a second one"
    )


@dataclass
class Singleton:
    """What the bot process holds while it runs."""

    owner: str
    dead_owner: str | None  # the previous holder on this host, killed without releasing
    lost: asyncio.Event = field(default_factory=asyncio.Event)


class BotLock:
    """An OS lock on a file, held by the running bot; the pid inside is for people to read.

    Exclusive, or `shared` by the processes of a bot that runs as several (webhook mode): they may run
    side by side, and `restore`, which takes it exclusively, is refused while any of them runs.
    """

    def __init__(self, path: Path, *, shared: bool = False) -> None:
        self.path = path
        self.shared = shared
        self._file = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+")  # noqa: SIM115 — kept open while the lock is held
        try:
            fcntl.flock(handle.fileno(), (fcntl.LOCK_SH if self.shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            pid = handle.read().strip() or "?"
            handle.close()
            raise BackupError("restore-error-bot-running", pid=pid) from None
        if not self.shared:  # sharers would overwrite each other's pid
            handle.seek(0)
            handle.truncate()
            handle.write(str(os.getpid()))
            handle.flush()
        self._file = handle

    def release(self) -> None:
        if self._file is not None:
            fcntl.flock(self._file.fileno(), fcntl.LOCK_UN)
            self._file.close()
            self._file = None


@contextlib.contextmanager
def bot_lock(path: Path) -> Iterator[BotLock]:
    """Hold the lock for the block; BackupError('restore-error-bot-running') if someone else holds it."""
    lock = BotLock(path)
    lock.acquire()
    try:
        yield lock
    finally:
        lock.release()


@contextlib.contextmanager
def hold_file_lock(lock_file: Path, *, shared: bool = False) -> Iterator[None]:
    """This host's lock (BOT_LOCK_FILE), taken before the process touches the database at all (even to
    upgrade its schema); AlreadyRunning when another process holds it (exclusively, if `shared`)."""
    file_lock = BotLock(lock_file, shared=shared)
    try:
        file_lock.acquire()
    except BackupError as error:
        pid = error.args_for_message.get("pid")
        who = f"pid {pid}" if pid and pid != "?" else "another process"
        raise AlreadyRunning(f"another bot process ({who}) holds {lock_file}: refusing to start a second one") from None
    try:
        yield
    finally:
        file_lock.release()


@contextlib.asynccontextmanager
async def hold_database_lock(
    session_maker: async_sessionmaker[AsyncSession], lock_file: Path, *, ttl: float = LOCK_TTL
) -> AsyncIterator[Singleton]:
    """Hold the database lock for the block (call it holding the file lock), renewing it; `lost` is set if
    another process took it, or (PostgreSQL) if it could not be renewed for longer than it lives."""
    lock = DatabaseLock(session_maker, lock_file, ttl=ttl)
    dead_owner = await lock.acquire()
    async with session_maker() as session:
        # An SQLite file is one host's: its file lock alone keeps a second bot out, so a renewal that
        # can't get its turn while the database is busy is no reason to stop.
        renewal_may_be_late = session.get_bind().dialect.name == "sqlite"
    singleton = Singleton(lock.owner, dead_owner)
    keeper = asyncio.create_task(_keep(lock, singleton.lost, renewal_may_be_late), name="bot-lock-keeper")
    try:
        yield singleton
    finally:
        keeper.cancel()
        await asyncio.gather(keeper, return_exceptions=True)
        with contextlib.suppress(Exception):  # it runs out by itself anyway
            await lock.release()


@contextlib.asynccontextmanager
async def hold_bot_locks(
    session_maker: async_sessionmaker[AsyncSession], lock_file: Path, *, ttl: float = LOCK_TTL
) -> AsyncIterator[Singleton]:
    """Both locks, the file's first (AlreadyRunning when either is held elsewhere)."""
    with hold_file_lock(lock_file):
        async with hold_database_lock(session_maker, lock_file, ttl=ttl) as singleton:
            yield singleton


async def _keep(lock: DatabaseLock, lost: asyncio.Event, renewal_may_be_late: bool) -> None:
    loop = asyncio.get_running_loop()
    interval = lock.ttl.total_seconds() / 3
    renewed = loop.time()
    while True:
        await asyncio.sleep(interval)
        try:
            if not await lock.renew():
                log.error("the bot lock was taken by another process")
                break
            renewed = loop.time()
        except Exception:
            log.warning("could not renew the bot lock", exc_info=True)
            if not renewal_may_be_late and loop.time() - renewed > lock.ttl.total_seconds() - interval:
                log.error("the bot lock could not be renewed in time")
                break
    lost.set()
