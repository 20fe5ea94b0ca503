"""Answer a question about an asset: what it is, who owns it, its stage and status, its deals."""

from __future__ import annotations

from handlers.format import cite_all, entity_item, name_of
from handlers.memo import remember
from handlers.question.honest import first_line
from handlers.reply import Fact, Reply, ReplyKind, Section
from knowledge import KnowledgeStore
from knowledge.models import Asset, Statistic


def assets_owned_by(store: KnowledgeStore, organisation_id: str) -> list[Asset]:
    """Return the assets an organisation owns, from a table built once per store snapshot."""

    def build() -> dict[str, list[Asset]]:
        table: dict[str, list[Asset]] = {}
        for asset in store.all(Asset):
            for owner in asset.owners:
                table.setdefault(owner, []).append(asset)
        return table

    return remember(store, "question-assets-by-owner", build).get(organisation_id, [])


def asset_answer(store: KnowledgeStore, asset: Asset, status: bool = False) -> Reply:
    """Return the asset's card; when its status is asked and the source gives none, say so first."""
    card = asset_card(store, asset)
    if status and not asset.stage:
        title = f"The stage and status of {asset.name} are not stated in the source"
        return first_line(card, title, f"You asked about the status of {asset.name}.")
    if status and asset.stage:
        return card.model_copy(
            update={"title": f"{asset.name}: {asset.stage}", "text": f"{card.title}. {card.text}"}
        )
    return card


def asset_card(store: KnowledgeStore, asset: Asset) -> Reply:
    """Return an asset's owners, target, modality, indications, stage, key data and deals."""
    facts = []
    if asset.owners:
        facts.append(Fact(label="Owners", value=", ".join(name_of(store, o) for o in asset.owners)))
    for label, value in (("Target", asset.target), ("Modality", asset.modality)):
        if value:
            facts.append(Fact(label=label, value=value))
    if asset.indications:
        facts.append(Fact(label="Indications", value=", ".join(asset.indications)))
    facts.append(Fact(label="Stage and status", value=asset.stage or "not stated in the source"))
    data = [
        h.entity
        for h in store.search(asset.name, [Statistic], limit=5)
        if isinstance(h.entity, Statistic) and asset.name.casefold() in h.entity.title.casefold()
    ]
    facts += [Fact(label="Key data", value=f"{s.as_stated}: {s.measure}") for s in data]
    deals = store.deals_of(asset.id)
    sections = (
        [Section(heading="Deals", items=[entity_item(store, d) for d in deals])] if deals else []
    )
    return Reply(
        kind=ReplyKind.SEARCH,
        title=asset.name,
        text=asset.description,
        facts=facts,
        sections=sections,
        sources=cite_all(store, [asset]),
        entity_ids=[asset.id, *asset.owners, *(d.id for d in deals), *(s.id for s in data)],
    )
