"""Signals from users for the curators: feedback, misses, outdated reports, proposals.

The records and the `CurationBook` Protocol live here so every platform stores them the same
way; bot/curation implements the book on the database. Nothing here ever names a user.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any, Protocol

from handlers.reply import Reply, ReplyKind

#: What a 👎 form offers, by stored code.
FEEDBACK_REASONS: dict[str, str] = {
    "wrong": "Wrong",
    "outdated": "Outdated",
    "not-what-i-asked": "Not what I asked",
    "missing": "Something is missing",
}
#: Replies that end as a miss: nothing found, or only a search of the knowledge.
MISS_KINDS = frozenset({ReplyKind.NOT_FOUND, ReplyKind.SEARCH})
#: Replies that are not answers from the knowledge, so they carry no feedback buttons.
NO_FEEDBACK_KINDS = frozenset(
    {
        ReplyKind.HELP,
        ReplyKind.ERROR,
        ReplyKind.SUBSCRIPTION,
        ReplyKind.DIGEST,
        ReplyKind.PROPOSAL,
        ReplyKind.CURATION,
    }
)
#: Longest question text carried in a button (Slack allows 2,000 characters a value).
MAX_CARRIED_QUESTION = 300
MAX_CARRIED_ENTITIES = 10


@dataclass(frozen=True)
class Signal:
    """Where a signal comes from and what the user saw: never who they are."""

    question: str
    reply_kind: str
    entity_ids: tuple[str, ...] = ()
    knowledge_version: str = ""
    platform: str = ""
    workspace: str | None = None
    channel: str = ""


@dataclass(frozen=True)
class Feedback:
    """A 👍 or 👎 on an answer; a 👎 may say why."""

    signal: Signal
    verdict: str  # "up" | "down"
    reason: str | None = None  # a FEEDBACK_REASONS code
    comment: str | None = None


@dataclass(frozen=True)
class OutdatedReport:
    """A user's word that an entity's card is out of date: what changed, and where it says so."""

    signal: Signal
    entity_id: str
    what_changed: str
    source: str | None = None


@dataclass(frozen=True)
class Proposal:
    """A valid proposed entry, as the YAML snippet a curator may paste."""

    signal: Signal
    kind: str
    entity_id: str
    snippet: str


@dataclass(frozen=True)
class StoredReport:
    """An outdated report as curators read it back."""

    entity_id: str
    what_changed: str
    source: str | None
    created_at: dt.datetime


@dataclass(frozen=True)
class CurationSummary:
    """Counts since a moment, and the latest outdated reports, for the curators' Home tab."""

    since: dt.datetime
    counts: dict[str, int] = field(default_factory=dict)  # misses, up, down, outdated, proposals
    latest: tuple[StoredReport, ...] = ()


class CurationBook(Protocol):
    """The bot's store of curation signals. Every method may raise StoreUnavailable."""

    def record_feedback(self, feedback: Feedback) -> None:
        """Store a 👍 or 👎."""
        ...

    def record_miss(self, signal: Signal) -> bool:
        """Store a question that found nothing; return False if its text was logged today."""
        ...

    def record_report(self, report: OutdatedReport) -> None:
        """Store an outdated report."""
        ...

    def record_proposal(self, proposal: Proposal) -> None:
        """Store a proposal that was sent to the curators."""
        ...

    def summary(self, since: dt.datetime, latest: int = 5) -> CurationSummary:
        """Return the counts since `since` and the `latest` outdated reports."""
        ...


def is_miss(reply: Reply) -> bool:
    """Return True when a reply means the knowledge had no answer."""
    return reply.kind in MISS_KINDS


def wants_feedback(reply: Reply) -> bool:
    """Return True when a reply is an answer users may rate (not help, errors or forms)."""
    return reply.kind not in NO_FEEDBACK_KINDS


def carried(reply: Reply) -> dict[str, Any]:
    """Return what a feedback button carries about its answer: question, kind, entity ids."""
    return {
        "q": (reply.command or reply.title)[:MAX_CARRIED_QUESTION],
        "k": reply.kind.value,
        "e": reply.entity_ids[:MAX_CARRIED_ENTITIES],
    }


def carried_json(reply: Reply) -> str:
    """Return `carried(reply)` as compact JSON, for a button's value."""
    return json.dumps(carried(reply), separators=(",", ":"), ensure_ascii=False)


def signal_of(
    value: object,
    *,
    platform: str,
    channel: str,
    workspace: str | None,
    knowledge_version: str,
) -> Signal:
    """Read what a button carried back into a Signal; anything malformed becomes empty fields."""
    data: Any = value
    if isinstance(value, str):
        try:
            data = json.loads(value)
        except ValueError:
            data = {}
    if not isinstance(data, dict):
        data = {}
    entities = data.get("e")
    return Signal(
        question=str(data.get("q") or "")[:MAX_CARRIED_QUESTION],
        reply_kind=str(data.get("k") or "")[:32],
        entity_ids=tuple(str(e)[:120] for e in entities[:MAX_CARRIED_ENTITIES])
        if isinstance(entities, list)
        else (),
        knowledge_version=knowledge_version,
        platform=platform,
        workspace=workspace,
        channel=channel,
    )
