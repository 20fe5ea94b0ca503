"""Group commit: many small delivery-log writes share one transaction, each caller awaits its own.

Posting a thousand digests means two writes each (begin, finish). Committed one by one they cost a
disk flush apiece; batched, the writes that queue up while one transaction commits go in the next,
and identical statements run as one executemany. A caller resumes only after its transaction
committed, so "claimed before posting" holds.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, Executable

T = TypeVar("T")
Write = Callable[[Connection], Any]
Statements = Sequence[tuple[Executable, list[dict[str, Any]]]]


class GroupCommitter:
    """Run writes in shared transactions, at most `max_batch` callers per transaction."""

    def __init__(self, engine: Engine, max_batch: int = 200) -> None:
        self.engine = engine
        self.max_batch = max_batch
        self.transactions = 0
        self._queue: list[tuple[Write | Statements, asyncio.Future[Any]]] = []
        self._worker: asyncio.Task[None] | None = None

    async def run(self, write: Callable[[Connection], T]) -> T:
        """Queue `write(conn)`; return its result once its transaction has committed."""
        return await self._submit(write)  # type: ignore[no-any-return]

    async def execute(self, statements: Statements) -> None:
        """Queue statements with their parameter rows; return once committed."""
        await self._submit([(stmt, rows) for stmt, rows in statements if rows])

    async def _submit(self, item: Write | Statements) -> Any:
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._queue.append((item, future))
        if self._worker is None or self._worker.done():
            self._worker = asyncio.create_task(self._drain())
        return await future

    async def _drain(self) -> None:
        while self._queue:
            batch, self._queue = self._queue[: self.max_batch], self._queue[self.max_batch :]
            try:
                results = await asyncio.to_thread(self._apply, [item for item, _ in batch])
            except Exception as exc:  # the whole transaction rolled back: every write failed
                for _, future in batch:
                    if not future.done():
                        future.set_exception(exc)
                continue
            for (_, future), result in zip(batch, results, strict=True):
                if not future.done():
                    future.set_result(result)

    def _apply(self, items: list[Write | Statements]) -> list[Any]:
        results: list[Any] = []
        pending: dict[Executable, list[dict[str, Any]]] = {}
        with self.engine.begin() as conn:
            for item in items:
                if callable(item):
                    self._flush(conn, pending)
                    results.append(item(conn))
                else:
                    for stmt, rows in item:
                        pending.setdefault(stmt, []).extend(rows)
                    results.append(None)
            self._flush(conn, pending)
        self.transactions += 1
        return results

    @staticmethod
    def _flush(conn: Connection, pending: dict[Executable, list[dict[str, Any]]]) -> None:
        for stmt, rows in pending.items():
            conn.execute(stmt, rows)
        pending.clear()
