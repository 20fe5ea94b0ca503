"""A miss is stored in the background: a stuck database never slows the answer, and is bounded."""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
import time
from pathlib import Path

from bot.app import build_deps
from bot.asking import Asker, Question
from bot.curation.misses import MissLog
from bot.settings import Settings
from handlers.curation import CurationSummary, Feedback, OutdatedReport, Proposal, Signal
from tests.fixtures import KNOWLEDGE


class StuckBook:
    """A CurationBook whose database never answers a miss until released."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.misses: list[Signal] = []

    def record_miss(self, signal: Signal) -> bool:
        self.release.wait(10)
        self.misses.append(signal)
        return True

    def record_feedback(self, feedback: Feedback) -> None:
        raise NotImplementedError

    def record_report(self, report: OutdatedReport) -> None:
        raise NotImplementedError

    def record_proposal(self, proposal: Proposal) -> None:
        raise NotImplementedError

    def summary(self, since: dt.datetime, latest: int = 5) -> CurationSummary:
        raise NotImplementedError


async def test_answers_do_not_wait_for_a_stuck_misses_log(tmp_path: Path) -> None:
    """With the misses' database stuck, misses are still answered at once; extra ones are dropped."""
    settings = Settings(
        knowledge_dir=str(KNOWLEDGE),
        database_url=f"sqlite:///{tmp_path / 'bot.db'}",
        data_dir=str(tmp_path),
    )
    book = StuckBook()
    deps = dataclasses.replace(build_deps(settings), curation=book)
    asker = Asker("slack", deps)
    assert asker.misses is not None
    asker.misses = MissLog(book, limit=3)
    started = time.perf_counter()
    for n in range(5):
        reply = await asker.ask(Question(f"company Nowhere {n}", "U1", "C1", workspace="T1"))
        assert reply.kind.value in {"not-found", "search"}
    assert time.perf_counter() - started < 1.0
    assert asker.misses.dropped == 2
    book.release.set()
    await asker.misses.flush()
    assert sorted(s.question for s in book.misses) == [f"company Nowhere {n}" for n in range(3)]
    assert {(s.platform, s.workspace, s.channel) for s in book.misses} == {("slack", "T1", "C1")}
    deps.engine.dispose()
