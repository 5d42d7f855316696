"""What the delivery worker writes down after a try: sent or failed, a failed try, a recipient gone."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models import Account, ChatMessageLink, OutboxMessage, OutboxState, utcnow

log = logging.getLogger(__name__)


async def record_outcome(
    session_maker: async_sessionmaker[AsyncSession],
    ids: list[int],
    state: OutboxState,
    *,
    error: str = "",
    message_ids: Sequence[int | None] = (),
    link_chat: int | None = None,
) -> None:
    """Rows `sending` become `state`. Whoever holds them now: if they went, they went. With `link_chat`,
    the Telegram messages they became are remembered, so that a reply finds its way back."""
    last_id = next((mid for mid in reversed(message_ids) if mid is not None), None)
    values: dict[str, Any] = {"state": state}
    if error:  # a row sent after retries keeps the last error it met
        values["last_error"] = error[:1000]
    if state == OutboxState.SENT:
        values.update(sent_at=utcnow(), sent_message_id=last_id)
    for attempt in range(3):
        try:
            async with session_maker() as session:
                await session.execute(
                    update(OutboxMessage)
                    .where(OutboxMessage.id.in_(ids), OutboxMessage.state == OutboxState.SENDING)
                    .values(**values)
                    .execution_options(synchronize_session=False)
                )
                if state == OutboxState.SENT and link_chat is not None:
                    await _link(session, link_chat, ids[0], message_ids)
                await session.commit()
            return
        except Exception:
            log.exception("delivery: could not record the outcome of rows %s (try %d)", ids, attempt + 1)
            await asyncio.sleep(0.5 * (attempt + 1))


async def _link(session: AsyncSession, chat_id: int, outbox_id: int, message_ids: Sequence[int | None]) -> None:
    for message_id in message_ids:
        if message_id is None:
            continue
        existing = await session.scalar(
            select(ChatMessageLink).where(ChatMessageLink.chat_id == chat_id, ChatMessageLink.message_id == message_id)
        )
        if existing is None:
            session.add(ChatMessageLink(chat_id=chat_id, message_id=message_id, outbox_id=outbox_id))
        else:
            existing.outbox_id = outbox_id


async def record_try(
    session_maker: async_sessionmaker[AsyncSession], ids: list[int], owner: str, attempts: int, error: str
) -> None:
    """A try that failed and will be repeated (5xx, a time-out): best effort, it only informs /status."""
    try:
        async with session_maker() as session:
            await session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id.in_(ids), OutboxMessage.claimed_by == owner)
                .values(attempts=attempts, last_error=error[:1000])
                .execution_options(synchronize_session=False)
            )
            await session.commit()
    except Exception:
        log.warning("delivery: could not record a failed try of rows %s", ids, exc_info=True)


async def record_unreachable(session_maker: async_sessionmaker[AsyncSession], account_id: int, error: str) -> None:
    """The recipient blocked the bot or is gone: the account is inactive and none of its rows is tried again."""
    async with session_maker() as session:
        await session.execute(
            update(Account)
            .where(Account.id == account_id)
            .values(active=False)
            .execution_options(synchronize_session=False)
        )
        await session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.account_id == account_id,
                OutboxMessage.state.in_([OutboxState.PENDING, OutboxState.SENDING]),
            )
            .values(state=OutboxState.FAILED, last_error=error[:1000])
            .execution_options(synchronize_session=False)
        )
        await session.commit()
