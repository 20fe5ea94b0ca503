"""The misses log, off the answer's path: each miss is stored by a background task, bounded.

An answer never waits for its miss to be stored. At most `limit` stores are in flight; a miss
beyond that is dropped and counted (a database that is down must not pile up tasks).
"""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy.exc import SQLAlchemyError

from bot.db.offload import run_db
from bot.settings import Settings
from handlers.context import StoreUnavailable
from handlers.curation import CurationBook, Signal
from handlers.reply import Reply

log = logging.getLogger(__name__)
#: Seconds one store of a miss may wait on the database.
MISS_WAIT = 2.0
#: Seconds a one-shot command (`chinabio ask`) waits to store its miss, after the answer is out.
ONE_SHOT_WAIT = 1.0
#: Misses being stored at once, at most.
MISS_LIMIT = 32


def answer_signal(
    text: str,
    reply: Reply,
    *,
    platform: str,
    channel: str,
    workspace: str | None,
    knowledge_version: str,
) -> Signal:
    """Return the curation signal of an answer: what was asked and shown, and where."""
    return Signal(
        question=text,
        reply_kind=reply.kind.value,
        entity_ids=tuple(reply.entity_ids),
        knowledge_version=knowledge_version,
        platform=platform,
        workspace=workspace,
        channel=channel,
    )


class MissLog:
    """Stores misses in the background through a CurationBook."""

    def __init__(self, book: CurationBook, limit: int = MISS_LIMIT) -> None:
        self._book = book
        self._limit = limit
        self._tasks: set[asyncio.Task[None]] = set()
        self.dropped = 0

    def note(self, signal: Signal) -> None:
        """Start storing `signal` in the background; drop it when too many are in flight."""
        if len(self._tasks) >= self._limit:
            self.dropped += 1
            log.warning("misses log: %d stores in flight, one miss dropped", len(self._tasks))
            return
        task = asyncio.create_task(self._store(signal), name="curation-miss")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _store(self, signal: Signal) -> None:
        try:
            await run_db(MISS_WAIT, self._book.record_miss, signal)
        except StoreUnavailable as exc:
            log.warning("misses log: a miss was not stored: %s", exc)

    async def flush(self, timeout: float = 5.0) -> None:
        """Wait for the misses being stored (shutdown, tests)."""
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=timeout)


def record_miss_now(settings: Settings, signal: Signal, wait: float = ONE_SHOT_WAIT) -> bool:
    """Store one miss for a one-shot command (`chinabio ask`), waiting at most `wait` seconds.

    Nothing is stored unless DATABASE_URL is set; a database that fails or does not answer
    costs one log line, never the command.
    """
    if not settings.database_url:
        return False
    from bot.curation.book import SqlCurationBook
    from bot.db.engine import make_engine

    try:
        engine = make_engine(
            settings.database_url,
            connect_timeout=min(wait, settings.database_connect_timeout),
            statement_timeout=min(wait, settings.database_statement_timeout),
        )
    except Exception as exc:  # a malformed DATABASE_URL or a missing driver
        log.warning("misses log: a miss was not stored: %s: %s", type(exc).__name__, exc)
        return False
    try:
        return asyncio.run(run_db(wait, SqlCurationBook(engine).record_miss, signal))
    except (StoreUnavailable, SQLAlchemyError) as exc:
        log.warning("misses log: a miss was not stored: %s", str(exc).splitlines()[0])
        return False
    finally:
        engine.dispose()
