"""What every platform's curation listeners share: signals read back, stored off the event loop."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.db.offload import run_db
from bot.deps import Deps
from handlers.curation import (
    CurationSummary,
    Feedback,
    OutdatedReport,
    Proposal,
    Signal,
    signal_of,
)
from handlers.curation_replies import entity_label
from handlers.proposals import ProposalCheck, check_proposal
from knowledge import KnowledgeStore

#: Seconds a curation write or the curators' summary waits on the database.
CURATION_WAIT = 2.0
#: How far back the curators' Home section counts.
WEEK = dt.timedelta(days=7)


@dataclass
class CurationDesk:
    """Stores users' signals through the deps' CurationBook; tells curators from others."""

    deps: Deps
    platform: str

    @property
    def store(self) -> KnowledgeStore:
        """Return the served knowledge."""
        return self.deps.knowledge.store

    @property
    def curators_channel(self) -> str | None:
        """Return where reports and proposals are posted (CURATORS_CHANNEL), if anywhere."""
        return self.deps.settings.curators_channel

    def signal(self, value: object, channel: str, workspace: str | None) -> Signal:
        """Read what a curation button carried, adding where it was pressed."""
        return signal_of(
            value,
            platform=self.platform,
            channel=channel,
            workspace=workspace,
            knowledge_version=self.store.version,
        )

    def label(self, entity_id: str) -> str:
        """Return an entity's display name."""
        return entity_label(self.store, entity_id)

    def check(self, kind: str, values: dict[str, str]) -> ProposalCheck:
        """Build and check a proposal against the served knowledge."""
        return check_proposal(kind, values, self.store)

    def is_listed_curator(self, user_id: str) -> bool:
        """Return True when CURATORS names `user_id`."""
        return user_id in self.deps.settings.curators

    async def rate(self, feedback: Feedback) -> None:
        """Store a rating (raises StoreUnavailable when the database does not answer)."""
        if self.deps.curation is not None:
            await run_db(CURATION_WAIT, self.deps.curation.record_feedback, feedback)

    async def report(self, report: OutdatedReport) -> None:
        """Store an outdated report."""
        if self.deps.curation is not None:
            await run_db(CURATION_WAIT, self.deps.curation.record_report, report)

    async def propose(self, proposal: Proposal) -> None:
        """Store a proposal sent to the curators."""
        if self.deps.curation is not None:
            await run_db(CURATION_WAIT, self.deps.curation.record_proposal, proposal)

    async def summary(self, now: dt.datetime | None = None) -> CurationSummary | None:
        """Return the last week's counts and reports, for a curator."""
        if self.deps.curation is None:
            return None
        since = (now or dt.datetime.now(dt.UTC)) - WEEK
        return await run_db(CURATION_WAIT, self.deps.curation.summary, since)
