"""What the bot says about curation: thanks to users, and posts for the curators' channel."""

from __future__ import annotations

from handlers.curation import FEEDBACK_REASONS, CurationSummary, OutdatedReport, Proposal
from handlers.reply import Fact, Reply, ReplyKind, Section
from knowledge import KnowledgeStore


def entity_label(store: KnowledgeStore, entity_id: str) -> str:
    """Return an entity's display name, or its id when the knowledge no longer has it."""
    entity = store.entities.get(entity_id)
    return entity.label() if entity is not None else entity_id


def thanks_reply(verdict: str, reason: str | None = None) -> Reply:
    """Return the short thanks a user gets for a rating."""
    text = "Thanks, glad it helped." if verdict == "up" else "Thanks, the curators will look at it."
    if reason:
        text += f" ({FEEDBACK_REASONS.get(reason, reason)})"
    return Reply(kind=ReplyKind.CURATION, title="Feedback noted", text=text, shareable=False)


def report_reply(report: OutdatedReport, label: str) -> Reply:
    """Return the curators' post for an outdated report (who sent it is never said)."""
    facts = [
        Fact(label="Entity", value=f"{label} ({report.entity_id})"),
        Fact(label="What changed", value=report.what_changed),
        Fact(label="Source", value=report.source or "none given"),
        Fact(label="Asked", value=report.signal.question or "(a button)"),
        Fact(label="Where", value=f"{report.signal.platform} {report.signal.channel}"),
        Fact(label="Knowledge version", value=report.signal.knowledge_version[:12]),
    ]
    return Reply(
        kind=ReplyKind.CURATION,
        title=f"Reported outdated: {label}",
        facts=facts,
        shareable=False,
    )


def report_thanks(label: str, posted: bool) -> Reply:
    """Return what the reporter is told."""
    where = "posted to the curators" if posted else "stored for the curators"
    return Reply(
        kind=ReplyKind.CURATION,
        title="Report received",
        text=f"Thanks: your report on {label} is {where}. They check the source and update the card.",
        shareable=False,
    )


def proposal_reply(proposal: Proposal) -> Reply:
    """Return the curators' post for a valid proposal: the YAML snippet to paste."""
    return Reply(
        kind=ReplyKind.CURATION,
        title=f"Proposed {proposal.kind}: {proposal.entity_id}",
        text=(
            "It passed the checks of `chinabio validate` against the served knowledge. Check "
            "the source, then paste it into the knowledge YAML:\n\n" + proposal.snippet
        ),
        shareable=False,
    )


def proposal_thanks(proposal: Proposal, posted: bool) -> Reply:
    """Return what the proposer is told, with the snippet they made."""
    where = (
        "sent to the curators"
        if posted
        else "stored for the curators (no curators' channel is set)"
    )
    return Reply(
        kind=ReplyKind.CURATION,
        title=f"Proposal {where}",
        text=(
            "Nothing enters the knowledge until a curator adds it. What you proposed:\n\n"
            + proposal.snippet
        ),
        shareable=False,
    )


def summary_sections(summary: CurationSummary, store: KnowledgeStore) -> list[Section]:
    """Return the week's counts and the latest outdated reports, for a curator."""
    counts = summary.counts
    facts = [
        Fact(label="Misses", value=str(counts.get("misses", 0))),
        Fact(label="👍 / 👎", value=f"{counts.get('up', 0)} / {counts.get('down', 0)}"),
        Fact(label="Outdated reports", value=str(counts.get("outdated", 0))),
        Fact(label="Proposals", value=str(counts.get("proposals", 0))),
    ]
    latest = [
        Fact(
            label=f"{entity_label(store, r.entity_id)} ({r.created_at:%Y-%m-%d})",
            value=r.what_changed + (f" — {r.source}" if r.source else ""),
        )
        for r in summary.latest
    ]
    sections = [Section(heading=f"Curation since {summary.since:%Y-%m-%d}", facts=facts)]
    if latest:
        sections.append(Section(heading="Latest outdated reports", facts=latest))
    return sections


def summary_reply(summary: CurationSummary, store: KnowledgeStore) -> Reply:
    """Return the curators' summary: the week's counts and the latest reports."""
    return Reply(
        kind=ReplyKind.CURATION,
        title="Curation",
        text="Run `chinabio curation report` for the misses grouped by text (docs/curation.md).",
        sections=summary_sections(summary, store),
        shareable=False,
    )
