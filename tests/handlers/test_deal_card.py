"""Deal card details that need a purpose-built store: inferred dates, milestones, many matches."""

from __future__ import annotations

from handlers import AskContext, ReplyKind, answer
from knowledge import KnowledgeStore
from knowledge.models import Deal, Organisation, Source, build

SOURCE = build(
    Source, {"id": "report", "title": "Report", "publisher": "Pub", "published": "2025-04"}
)
REF = [{"source": "report"}]


def _store(extra_deals: int = 0) -> KnowledgeStore:
    orgs = [
        build(Organisation, {"id": o, "name": o.title(), "type": "pharma", "sources": REF})
        for o in ("alpha", "beta")
    ]
    deal = build(
        Deal,
        {
            "id": "alpha-beta",
            "title": "Alpha–Beta licence",
            "type": "licence",
            "parties": [
                {"organisation": "alpha", "role": "licensee"},
                {"organisation": "beta", "role": "licensor"},
            ],
            "date": {"value": "2024-09", "as_stated": "last September", "inferred": True},
            "milestones": [
                {"date": "2024-10-02", "label": "First patient dosed", "kind": "clinical"}
            ],
            "summary": "Alpha licensed Beta's asset.",
            "sources": REF,
        },
    )
    many = [
        build(
            Deal,
            {
                "id": f"alpha-deal-{n}",
                "title": f"Alpha deal {n}",
                "type": "collaboration",
                "parties": [{"organisation": "alpha", "role": "partner"}],
                "summary": "A collaboration.",
                "sources": REF,
            },
        )
        for n in range(extra_deals)
    ]
    return KnowledgeStore.build([SOURCE, *orgs, deal, *many])


def test_inferred_date_shows_what_the_source_said() -> None:
    """An inferred date is shown at its precision with the source's own words."""
    reply = answer("deal Beta", _store())
    date = next(f.value for f in reply.facts if f.label == "Date")
    assert date.startswith("September 2024")
    assert "inferred" in date
    assert "last September" in date


def test_milestones_are_listed_with_their_dates() -> None:
    """Each milestone appears with its date and label."""
    reply = answer("deal Beta", _store())
    milestones = [f.value for f in reply.facts if f.label.startswith("Milestone")]
    assert milestones == ["2 October 2024: First patient dosed"]


def test_long_lists_are_paginated_with_a_more_button() -> None:
    """Twenty matching deals come a page at a time; the More button walks through all of them."""
    store = _store(extra_deals=20)
    ctx = AskContext()
    reply = answer("deal Alpha", store, ctx)
    seen = [i.title for i in reply.items]
    pages = 1
    while reply.more is not None:
        reply = answer(reply.more.command, store, ctx)
        seen += [i.title for i in reply.items]
        pages += 1
    assert reply.kind == ReplyKind.DEAL_LIST
    assert len(seen) == len(set(seen)) == 21
    assert pages == 3
