"""The curation book in the database: implements handlers.curation.CurationBook."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from sqlalchemy import Engine, Table, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from bot.clock import Clock, utc_now
from bot.curation.tables import feedback, misses, proposals, reports
from bot.db.offload import unavailable_when_down
from handlers.curation import (
    CurationSummary,
    Feedback,
    OutdatedReport,
    Proposal,
    Signal,
    StoredReport,
)


def text_key(question: str) -> str:
    """Return the key two asks of the same text share: case and spacing do not count."""
    return hashlib.sha256(" ".join(question.casefold().split()).encode()).hexdigest()


class SqlCurationBook:
    """Stores curation signals; every method is a short transaction, never on the event loop."""

    def __init__(self, engine: Engine, clock: Clock = utc_now) -> None:
        self.engine = engine
        self.clock = clock

    def _signal(self, signal: Signal) -> dict[str, Any]:
        return {
            "question": signal.question,
            "reply_kind": signal.reply_kind,
            "entity_ids": list(signal.entity_ids),
            "knowledge_version": signal.knowledge_version[:64],
            "platform": signal.platform,
            "workspace": signal.workspace,
            "channel": signal.channel,
            "created_at": self.clock(),
        }

    @unavailable_when_down
    def record_feedback(self, feedback_: Feedback) -> None:
        """Store a 👍 or 👎."""
        row = {
            "verdict": feedback_.verdict,
            "reason": feedback_.reason,
            "comment": feedback_.comment,
            **self._signal(feedback_.signal),
        }
        with self.engine.begin() as conn:
            conn.execute(insert(feedback).values(row))

    @unavailable_when_down
    def record_miss(self, signal: Signal) -> bool:
        """Store a question that found nothing; count it again (False) if logged today."""
        row = self._signal(signal)
        key, day = text_key(signal.question), row["created_at"].date()
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(misses).values(text_key=key, day=day, times=1, **row))
            return True
        except IntegrityError:
            with self.engine.begin() as conn:
                conn.execute(
                    update(misses)
                    .where(misses.c.text_key == key, misses.c.day == day)
                    .values(times=misses.c.times + 1)
                )
            return False

    @unavailable_when_down
    def record_report(self, report: OutdatedReport) -> None:
        """Store an outdated report."""
        row = {
            "entity_id": report.entity_id,
            "what_changed": report.what_changed,
            "source": report.source,
            **self._signal(report.signal),
        }
        with self.engine.begin() as conn:
            conn.execute(insert(reports).values(row))

    @unavailable_when_down
    def record_proposal(self, proposal: Proposal) -> None:
        """Store a proposal sent to the curators."""
        row = {
            "kind": proposal.kind,
            "entity_id": proposal.entity_id,
            "snippet": proposal.snippet,
            **self._signal(proposal.signal),
        }
        with self.engine.begin() as conn:
            conn.execute(insert(proposals).values(row))

    @unavailable_when_down
    def summary(self, since: dt.datetime, latest: int = 5) -> CurationSummary:
        """Return the counts since `since` and the latest outdated reports."""
        with self.engine.connect() as conn:
            counts = {
                "misses": _count(conn, misses, since),
                "up": _count(conn, feedback, since, feedback.c.verdict == "up"),
                "down": _count(conn, feedback, since, feedback.c.verdict == "down"),
                "outdated": _count(conn, reports, since),
                "proposals": _count(conn, proposals, since),
            }
            rows = conn.execute(
                select(
                    reports.c.entity_id,
                    reports.c.what_changed,
                    reports.c.source,
                    reports.c.created_at,
                )
                .where(reports.c.created_at >= since)
                .order_by(reports.c.created_at.desc(), reports.c.id.desc())
                .limit(latest)
            ).all()
        stored = tuple(StoredReport(r[0], r[1], r[2], r[3]) for r in rows)
        return CurationSummary(since=since, counts=counts, latest=stored)


def _count(conn: Any, table: Table, since: dt.datetime, *where: Any) -> int:
    query = select(func.count()).select_from(table).where(table.c.created_at >= since, *where)
    return int(conn.execute(query).scalar_one())
