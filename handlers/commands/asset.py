"""`asset NAME`: a drug, programme or platform with its owners, status, key data and deals."""

from __future__ import annotations

from handlers.commands.deal_list import deal_items
from handlers.commands.profile import named_card
from handlers.context import AskContext
from handlers.follow_targets import follow_action
from handlers.format import areas_text, cite, cite_all, name_of
from handlers.parse import Command
from handlers.reply import Fact, Reply, ReplyKind, Section
from handlers.resolve import newest_first
from knowledge import KnowledgeStore, normalise
from knowledge.models import Asset


def handle_asset(cmd: Command, store: KnowledgeStore, ctx: AskContext) -> Reply:
    """Answer `asset NAME` with the asset's card, a choice, or 'not in the knowledge'."""
    del ctx
    return named_card(cmd, store, Asset, ("asset", "assets"), asset_card)


def asset_card(store: KnowledgeStore, asset: Asset, note: str | None = None) -> Reply:
    """Return an asset's card: owners, target, modality, indications, status, key data, deals."""
    facts: list[Fact] = []
    aliases = display_aliases(asset)
    if aliases:
        facts.append(Fact(label="Also called", value=", ".join(aliases)))
    if asset.owners:
        owners = ", ".join(name_of(store, o) for o in asset.owners)
        detail = f" — {asset.owners_note}" if asset.owners_note else ""
        facts.append(Fact(label="Owners", value=owners + detail))
    elif asset.owners_note:
        facts.append(Fact(label="Owners", value=asset.owners_note))
    for label, value in (
        ("Target", asset.target),
        ("Modality", asset.modality),
        ("Indications", ", ".join(asset.indications)),
    ):
        if value:
            facts.append(Fact(label=label, value=value))
    if asset.therapeutic_areas or asset.curator_areas:
        value = areas_text(asset.therapeutic_areas, asset.curator_areas)
        facts.append(Fact(label="Therapeutic area", value=value))
    facts.append(Fact(label="Stage and status", value=asset.stage or "not stated in the source"))
    sections: list[Section] = []
    if asset.key_data:
        key = [
            Fact(label=k.label[:1].upper() + k.label[1:], value=k.summary) for k in asset.key_data
        ]
        sections.append(Section(heading="Key data", facts=key))
    deals = newest_first(store.deals_of(asset.id))
    if deals:
        sections.append(Section(heading="Deals", items=deal_items(store, deals)))
    sources = cite_all(store, [asset, *deals])
    seen = {(s.title, s.locator) for s in sources}
    for fact in asset.key_data:
        citation = cite(store, fact.source)
        if (citation.title, citation.locator) not in seen:
            seen.add((citation.title, citation.locator))
            sources.append(citation)
    text = " ".join(t for t in (note, asset.description) if t) or None
    return Reply(
        kind=ReplyKind.ASSET,
        title=asset.name,
        text=text,
        facts=facts,
        sections=sections,
        sources=sources,
        suggestions=[
            f"deal {asset.name}",
            *(f"company {name_of(store, o)}" for o in asset.owners[:2]),
        ],
        entity_ids=[asset.id, *asset.owners, *(d.id for d in deals)],
        actions=[follow_action(asset)],
    )


def display_aliases(asset: Asset) -> list[str]:
    """Return an asset's aliases as written, without repeats of its name in another case."""
    seen = {normalise(asset.name)}
    shown: list[str] = []
    for alias in asset.aliases:
        if normalise(alias) not in seen:
            seen.add(normalise(alias))
            shown.append(alias)
    return shown
