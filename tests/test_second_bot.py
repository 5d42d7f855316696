"""A second `python -m bot` while the first one is sending notifications: refused in one line, without
a traceback, and it touches nothing: every notification arrives once. Once started from the first
one's folder (refused by the lock file), once from another folder with its own lock file, as on another
host sharing the database (refused by the lock in the database)."""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path

from sqlalchemy import func, select

from models import OutboxMessage, OutboxState
from models.db import create_engine, create_session_maker, upgrade_database
from tests.delivery_helpers import fill_chats, wait_for
from tests.fake_bot_api import FakeBotApi, SlowTelegram
from tests.program import program_env, run_program_async
from tests.test_e2e import journal_url, running_bot, telegram  # noqa: F401  (fixtures)


async def count(session_maker, *states: OutboxState) -> int:
    async with session_maker() as session:
        return await session.scalar(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.state.in_(states))
        )


async def test_a_second_bot_is_refused_in_one_line_and_nothing_is_sent_twice(
    telegram: FakeBotApi,  # noqa: F811 (the imported fixture)
    journal_url: str,  # noqa: F811
    tmp_path: Path,
) -> None:
    engine = create_engine(journal_url)
    await upgrade_database(engine)
    session_maker = create_session_maker(engine)
    texts = await fill_chats(session_maker, per_chat=15)  # about 15 s of sending: the refusals come meanwhile
    # Answers held while the second bots start wait at most 10 s, well inside the bot's request timeout.
    telegram.rule = slow = SlowTelegram(longest=10)
    env = program_env(BOT_TOKEN=telegram.token, TELEGRAM_API_URL=telegram.url, DATABASE_URL=journal_url)
    first, elsewhere = tmp_path / "first", tmp_path / "elsewhere"
    first.mkdir()
    elsewhere.mkdir()
    try:
        async with running_bot(env, first):

            async def sending() -> bool:
                return bool(telegram.messages) and await count(session_maker, OutboxState.SENDING) > 0

            await wait_for(sending, timeout=90, step=0.1)
            slow.hold()  # the first bot is surely still sending when the second ones, slow to start, are refused

            # A newer version started by mistake beside the running one must not even upgrade a database:
            # here one that does not exist yet, and must not come to exist.
            untouched = tmp_path / "untouched.db"
            newer = dict(env, DATABASE_URL=f"sqlite+aiosqlite:///{untouched}")
            second_runs = await asyncio.gather(
                *(
                    run_program_async(cwd=folder, env=environment, timeout=60)
                    for folder, environment in ((first, newer), (elsewhere, env))
                )
            )
            assert not untouched.exists()
            assert await count(session_maker, OutboxState.PENDING, OutboxState.SENDING), "refused while sending"
            for refused in second_runs:
                assert refused.returncode != 0
                assert refused.stdout == ""
                [line] = refused.stderr.strip().splitlines()
                assert "refusing to start a second one" in line, line
            assert "pid" in line and "database" in line  # the other host's refusal names the holder
            slow.release()

            async def all_sent() -> bool:
                return await count(session_maker, OutboxState.PENDING, OutboxState.SENDING) == 0

            await wait_for(all_sent, timeout=90, step=0.1)
    finally:
        await engine.dispose()

    delivered = Counter(message.text for message in telegram.messages)
    assert sorted(delivered) == sorted(texts)  # none lost
    assert [text for text, times in delivered.items() if times > 1] == []  # none twice
