"""Writing without tripping over each other: the write gate, and upserts on natural keys.

SQLite lets one connection write at a time. Left alone, concurrent writers in one process each take a
connection, run into the database lock and poll SQLite's busy handler until one of them gives up with
«database is locked»; at the 17:00 rush that is what teachers saw. So a session takes its engine's
*write gate* (an asyncio lock: first come, first served, no polling) before its first write, and keeps
it until its transaction ends. The transaction itself starts with BEGIN IMMEDIATE (models.db), so a
writer in another process waits for the database lock at the start, never half-way through.

A write path that reads what it is about to change (the marks already in a lesson) calls
`begin_writing` before that read, naming what it writes, so nothing can change in between and all its
checks can still come before its first write. Every other write takes the gate by itself, at its first
INSERT, UPDATE or DELETE (the session events below). A gate that can't be had within
`WRITE_WAIT_SECONDS` raises WriteBusy: nothing was written, and the caller says so.

"Nothing can change in between" holds within the process. Another *process* on the same SQLite file
is kept out only from the first write on: the driver opens the transaction (BEGIN IMMEDIATE) at the
first INSERT, UPDATE or DELETE, so what was read before it may have been changed by that process.
One bot runs per database (services.process_lock); the other process can only be the command line.

PostgreSQL runs writers side by side and needs no gate: there `begin_writing` takes a transaction-level
advisory lock on each name, so two writers of one lesson take turns while writers of different
lessons don't wait for each other.
"""

from __future__ import annotations

import asyncio
import hashlib
import weakref

from sqlalchemy import event, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as SQLAlchemyTimeout
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction
from sqlalchemy.util import await_only

# How long a write waits for the one before it; far beyond any real write, short enough to answer.
WRITE_WAIT_SECONDS = 10.0

_GATE = "write_gate"  # Session.info keys: this engine's gate (None on PostgreSQL),
_HOLDS_GATE = "holds_write_gate"  # whether this transaction holds it,
_LOCKED = "locked_names"  # and the names it has locked (PostgreSQL)


class WriteBusy(Exception):
    """The database stayed busy for longer than a write may wait: nothing was written."""


# PostgreSQL's lock_not_available: a statement waited longer than lock_timeout (models.db).
_PG_LOCK_NOT_AVAILABLE = "55P03"


def is_busy(error: BaseException) -> bool:
    """Did this fail only because the database stayed busy past the wait (so nothing was written)?"""
    if isinstance(error, (WriteBusy, SQLAlchemyTimeout)):  # the gate; no free connection in the pool
        return True
    if isinstance(error, DBAPIError):
        original = error.orig
        return "database is locked" in str(original) or getattr(original, "sqlstate", None) == _PG_LOCK_NOT_AVAILABLE
    return False


class WriteGate:
    def __init__(self, timeout: float = WRITE_WAIT_SECONDS) -> None:
        self._lock = asyncio.Lock()
        self.timeout = timeout

    async def acquire(self) -> None:
        try:
            await asyncio.wait_for(self._lock.acquire(), self.timeout)
        except TimeoutError:
            raise WriteBusy(f"no turn to write within {self.timeout:.0f} s") from None

    def release(self) -> None:
        self._lock.release()


# One gate per SQLite engine, shared by every session maker on it (models.db.create_engine adds it).
_gates: weakref.WeakKeyDictionary[Engine, WriteGate] = weakref.WeakKeyDictionary()


def add_write_gate(engine: AsyncEngine, timeout: float) -> None:
    _gates[engine.sync_engine] = WriteGate(timeout)


def write_gate(engine: AsyncEngine) -> WriteGate | None:
    """The engine's gate; None where the database has row locks (PostgreSQL)."""
    return _gates.get(engine.sync_engine)


class GatedSession(Session):
    """The sync session behind every AsyncSession of the journal (models.db.create_session_maker)."""


async def begin_writing(session: AsyncSession, *names: str) -> None:
    """Make this transaction the only writer of `names` (e.g. one lesson) until it ends.

    Call it before reading what the transaction is about to change. SQLite: the write gate (one
    writer for the whole database). PostgreSQL: an advisory lock per name, in a fixed order so two
    writers of the same names can't deadlock.
    """
    gate = session.info.get(_GATE)
    if gate is not None:
        if not session.info.get(_HOLDS_GATE):
            await gate.acquire()
            session.info[_HOLDS_GATE] = True
            # The gate is released when the session's transaction ends: make sure there is one.
            await session.connection()
        return
    locked: set[str] = session.info.setdefault(_LOCKED, set())
    wanted = sorted(set(names) - locked)
    if wanted:
        await session.execute(select(*(func.pg_advisory_xact_lock(_lock_id(name)) for name in wanted)))
        locked.update(wanted)


def _lock_id(name: str) -> int:
    """A stable signed 64-bit id for an advisory lock (Python's hash() differs between processes)."""
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "big", signed=True)


def _take_gate(session: Session) -> None:
    gate = session.info.get(_GATE)
    if gate is not None and not session.info.get(_HOLDS_GATE):
        # Session events run inside SQLAlchemy's greenlet, where await_only may wait on the event loop.
        await_only(gate.acquire())
        session.info[_HOLDS_GATE] = True


@event.listens_for(GatedSession, "before_flush")
def _gate_before_flush(session: Session, _context: object, _instances: object) -> None:
    if session.new or session.dirty or session.deleted:
        _take_gate(session)


@event.listens_for(GatedSession, "do_orm_execute")
def _gate_before_statement(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        _take_gate(state.session)


@event.listens_for(GatedSession, "after_transaction_end")
def _release_gate(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is not None:
        return
    session.info.pop(_LOCKED, None)  # advisory locks end with the transaction by themselves
    if session.info.pop(_HOLDS_GATE, False):
        gate = session.info.get(_GATE)
        if gate is not None:
            gate.release()


def session_info(engine: AsyncEngine) -> dict[str, object]:
    """What every session on `engine` starts with (its gate)."""
    return {_GATE: write_gate(engine)}


def upsert(session: AsyncSession, model: type) -> postgresql.Insert | sqlite.Insert:
    """INSERT … ON CONFLICT for the session's database: the same statement API on SQLite and PostgreSQL."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(model)
    return sqlite.insert(model)
