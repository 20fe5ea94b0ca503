"""`deal NAME`: one deal's card, or the list of deals a name matches."""

from __future__ import annotations

from dataclasses import dataclass, field

from handlers.commands.deal_list import deal_list, handle_deals
from handlers.context import AskContext
from handlers.follow_targets import follow_action
from handlers.format import cite_all, deal_type_name, human_date, money_text, name_of
from handlers.notfound import corrected_note, not_found
from handlers.parse import Command, shorten
from handlers.reply import Action, ActionKind, Fact, ListItem, Reply, ReplyKind
from handlers.resolve import deals_for, newest_first, resolve, shared_deals, spot
from knowledge import KnowledgeStore, normalise
from knowledge.models import AnyEntity, Asset, Deal, Organisation, Topic

_DEAL_KINDS: list[type[AnyEntity]] = [Deal, Organisation, Asset, Topic]


@dataclass(frozen=True)
class DealMatch:
    """The deals a name refers to, and how the name was understood."""

    deals: list[Deal] = field(default_factory=list)
    corrected_to: str | None = None
    suggestions: list[str] = field(default_factory=list)


def find_deals(store: KnowledgeStore, name: str) -> DealMatch:
    """Return the deals `name` refers to: a deal, party, asset, code or alias; typos corrected."""
    exact = resolve(store, name, _DEAL_KINDS)
    if exact.entities and exact.corrected_to is None:
        return DealMatch(newest_first(d for e in exact.entities for d in deals_for(store, e)))
    # Several names in one ("Bayer Puhe", "J&J Legochem"): the deals they share.
    spotted = spot(store, name, _DEAL_KINDS)
    shared = shared_deals(store, [s.entity for s in spotted])
    if shared:
        return DealMatch(newest_first(shared))
    if exact.entities:
        deals = newest_first(d for e in exact.entities for d in deals_for(store, e))
        return DealMatch(deals, corrected_to=exact.corrected_to)
    return DealMatch(suggestions=exact.suggestions)


def handle_deal(cmd: Command, store: KnowledgeStore, ctx: AskContext) -> Reply:
    """Answer `deal NAME` with a deal card, a list of matching deals, or 'did you mean'."""
    if not cmd.words:
        return handle_deals(cmd, store, ctx)
    match = find_deals(store, cmd.words)
    if not match.deals:
        return not_found(store, "deal", cmd.words, "deal", match.suggestions)
    note = corrected_note(cmd.words, match.corrected_to)
    if len(match.deals) == 1:
        card = deal_card(store, match.deals[0])
        if note:
            card = card.model_copy(update={"text": f"{note}\n{card.text}"})
        return card
    title = f"{len(match.deals)} deals match “{shorten(match.corrected_to or cmd.words)}”"
    return deal_list(match.deals, title, f"deal {cmd.words}", cmd.page, note)


def deal_card(store: KnowledgeStore, deal: Deal) -> Reply:
    """Return the card of one deal: parties, asset, terms, money, date, status, milestones."""
    kind = deal_type_name(deal)
    facts = [Fact(label="Type", value=kind[0].upper() + kind[1:])]
    roles: dict[str, list[str]] = {}
    for party in deal.parties:
        label = "NewCo" if party.role.value == "newco" else party.role.value.replace("-", " ")
        label = label[0].upper() + label[1:]
        name = name_of(store, party.organisation)
        roles.setdefault(label, []).append(f"{name} ({party.note})" if party.note else name)
    facts += [Fact(label=role, value=", ".join(names)) for role, names in roles.items()]
    assets = [a for a in (store.get(i) for i in deal.assets) if isinstance(a, Asset)]
    facts += _asset_facts(deal, assets)
    for label, value in (("Territory", deal.territory), ("Rights", deal.rights)):
        if value:
            facts.append(Fact(label=label, value=value))
    facts += [Fact(label=m.label.capitalize(), value=money_text(m)) for m in deal.money]
    facts.append(Fact(label="Date", value=human_date(deal.date) if deal.date else "not stated"))
    facts.append(
        Fact(label="Status", value="not stated" if deal.status == "unknown" else deal.status)
    )
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
    suggestions = [f"company {name_of(store, p.organisation)}" for p in deal.parties[:2]]
    if deal.topics:
        suggestions.append(f"quote {name_of(store, deal.topics[0])}")
    return Reply(
        kind=ReplyKind.DEAL,
        title=deal.title,
        text=deal.summary,
        facts=facts,
        items=items,
        sources=cite_all(store, [deal]),
        suggestions=suggestions,
        entity_ids=[deal.id, *deal.party_ids(), *deal.assets],
        actions=[
            Action(kind=ActionKind.REMIND, label="Remind me", command=f"remind deal {deal.id}"),
            follow_action(deal),
        ],
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
    return facts


def _with_aliases(asset: Asset) -> str:
    """Return 'PH020 (BAY3713372)': the name and its distinct aliases."""
    seen = {normalise(asset.name)}
    aliases = []
    for alias in asset.aliases:
        if normalise(alias) not in seen:
            seen.add(normalise(alias))
            aliases.append(alias)
    return f"{asset.name} ({', '.join(aliases)})" if aliases else asset.name
