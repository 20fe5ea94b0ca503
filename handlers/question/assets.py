"""Answer a question about an asset: what it is, who owns it, its stage and status, its deals."""

from __future__ import annotations

from handlers.commands.asset import asset_card
from handlers.memo import remember
from handlers.question.honest import first_line
from handlers.reply import Reply
from knowledge import KnowledgeStore
from knowledge.models import Asset


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
