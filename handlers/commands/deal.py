"""`deal NAME`: one deal's card, or the list of deals a name matches."""

from __future__ import annotations

from dataclasses import dataclass, field

from handlers.commands.deal_list import deal_list, handle_deals
from handlers.commands.deal_subject import lead_with, subject_deal
from handlers.context import AskContext
from handlers.follow_targets import follow_action
from handlers.format import (
    areas_text,
    cite_all,
    deal_type_name,
    human_date,
    name_of,
    place_of,
    terms_text,
)
from handlers.notfound import corrected_note, not_found
from handlers.open_buttons import open_actions
from handlers.parse import Command, shorten
from handlers.reply import Action, ActionKind, Fact, ListItem, Reply, ReplyKind
from handlers.resolve import close_names, deals_for, newest_first, resolve, shared_deals, spot
from knowledge import KnowledgeStore, normalise
from knowledge.models import AnyEntity, Asset, Deal, Organisation, Topic

_DEAL_KINDS: list[type[AnyEntity]] = [Deal, Organisation, Asset, Topic]
_ROLE_LABELS = {"newco": "NewCo", "merged": "Merging company", "linked": "Named with"}


@dataclass(frozen=True)
class DealMatch:
    """The deals a name refers to, and how the name was understood."""

    deals: list[Deal] = field(default_factory=list)
    corrected_to: str | None = None
    suggestions: list[str] = field(default_factory=list)
    named: list[AnyEntity] = field(default_factory=list)  # the entities the name resolved to


def deals_named(store: KnowledgeStore, name: str) -> DealMatch:
    """Return the deals `name` refers to: a deal, party, asset, code or alias; typos corrected."""
    exact = resolve(store, name, _DEAL_KINDS)
    if exact.entities and exact.corrected_to is None:
        deals = newest_first(d for e in exact.entities for d in deals_for(store, e))
        return DealMatch(deals, named=exact.entities)
    # Several names in one ("Bayer Puhe", "J&J Legochem"): the deals they share.
    spotted = spot(store, name, _DEAL_KINDS)
    shared = shared_deals(store, [s.entity for s in spotted])
    if shared:
        return DealMatch(newest_first(shared))
    if exact.entities:
        deals = newest_first(d for e in exact.entities for d in deals_for(store, e))
        return DealMatch(deals, corrected_to=exact.corrected_to)
    # Close names of what a deal is named by (a party, an asset, a deal), never a topic.
    return DealMatch(suggestions=close_names(store, name, [Deal, Organisation, Asset]))


def handle_deal(cmd: Command, store: KnowledgeStore, ctx: AskContext) -> Reply:
    """Answer `deal NAME` with a deal card, a list of matching deals, or 'did you mean'."""
    if not cmd.words:
        return handle_deals(cmd, store, ctx)
    match = deals_named(store, cmd.words)
    if not match.deals:
        return not_found(store, "deal", cmd.words, "deal", match.suggestions)
    note = corrected_note(cmd.words, match.corrected_to)
    if len(match.deals) == 1:
        card = deal_card(store, match.deals[0])
        if note:
            card = card.model_copy(update={"text": f"{note}\n{card.text}"})
        return card
    subject = subject_deal(match.named, match.deals) if cmd.page == 1 else None
    if subject is not None:
        name = match.named[0].label()
        return lead_with(store, deal_card(store, subject), name, subject, match.deals)
    title = f"{len(match.deals)} deals match “{shorten(match.corrected_to or cmd.words)}”"
    return deal_list(match.deals, title, f"deal {cmd.words}", cmd.page, note, store=store)


def deal_card(store: KnowledgeStore, deal: Deal) -> Reply:
    """Return the card of one deal: parties, asset, terms, money, date, status, milestones."""
    kind = deal_type_name(deal)
    facts = [Fact(label="Type", value=kind[0].upper() + kind[1:])]
    roles: dict[str, list[str]] = {}
    for party in deal.parties:
        label = _ROLE_LABELS.get(party.role.value) or party.role.value.replace("-", " ")
        label = label[0].upper() + label[1:]
        name = name_of(store, party.organisation)
        detail = [d for d in (place_of(store, party.organisation), party.note) if d]
        roles.setdefault(label, []).append(f"{name} ({'; '.join(detail)})" if detail else name)
    facts += [Fact(label=role, value=", ".join(names)) for role, names in roles.items()]
    assets = [a for a in (store.get(i) for i in deal.assets) if isinstance(a, Asset)]
    facts += _asset_facts(deal, assets)
    for label, value in (("Territory", deal.territory), ("Rights", deal.rights)):
        if value:
            facts.append(Fact(label=label, value=value))
    facts.append(Fact(label="Terms", value=terms_text(deal)))
    facts.append(Fact(label="Date", value=human_date(deal.date) if deal.date else "not stated"))
    facts.append(Fact(label="Status", value=status_text(deal)))
    for milestone in deal.milestones:
        facts.append(
            Fact(
                label=f"Milestone ({milestone.kind})",
                value=f"{human_date(milestone.date)}: {milestone.label}",
            )
        )
    related = [d for d in (store.get(i) for i in deal.related) if isinstance(d, Deal)]
    items = [
        ListItem(
            title=d.title,
            subtitle="related deal",
            action=Action(kind=ActionKind.RUN, label="Open", command=f"deal {d.id}"),
        )
        for d in related
    ]
    # The parties and assets have Open buttons; the suggestions go further.
    suggestions = [f"quote {name_of(store, deal.topics[0])}"] if deal.topics else []
    return Reply(
        kind=ReplyKind.DEAL,
        title=deal.title,
        text=deal.summary,
        facts=facts,
        items=items,
        sources=cite_all(store, [deal]),
        suggestions=suggestions,
        actions=[
            *open_actions(store, [*deal.party_ids(), *deal.assets]),
            Action(kind=ActionKind.REMIND, label="Remind me", command=f"remind deal {deal.id}"),
            follow_action(deal),
        ],
        entity_ids=[deal.id, *deal.party_ids(), *deal.assets],
    )


def _asset_facts(deal: Deal, assets: list[Asset]) -> list[Fact]:
    facts: list[Fact] = []
    if assets:
        names = [_with_aliases(a) for a in assets]
        facts.append(Fact(label="Asset", value="; ".join(names)))
        targets = [a.target for a in assets if a.target]
        if targets:
            facts.append(Fact(label="Target", value=", ".join(dict.fromkeys(targets))))
    modalities = deal.modalities or [a.modality for a in assets if a.modality]
    if modalities:
        facts.append(Fact(label="Modality", value=", ".join(dict.fromkeys(modalities))))
    indications = deal.indications or [i for a in assets for i in a.indications]
    if indications:
        facts.append(Fact(label="Indications", value=", ".join(dict.fromkeys(indications))))
    if deal.therapeutic_areas or deal.curator_areas:
        areas = areas_text(deal.therapeutic_areas, deal.curator_areas)
        facts.append(Fact(label="Therapeutic area", value=areas))
    return facts


def status_text(deal: Deal) -> str:
    """Return the status the source states, its own wording when no status fits, or 'not stated'."""
    if deal.status == "unknown":
        return deal.status_note or "not stated"
    return f"{deal.status} ({deal.status_note})" if deal.status_note else deal.status


def _with_aliases(asset: Asset) -> str:
    """Return 'PH020 (BAY3713372)': the name and its distinct aliases."""
    seen = {normalise(asset.name)}
    aliases = []
    for alias in asset.aliases:
        if normalise(alias) not in seen:
            seen.add(normalise(alias))
            aliases.append(alias)
    return f"{asset.name} ({', '.join(aliases)})" if aliases else asset.name
