"""When a name matches several deals but is the subject of only one, lead with that deal's card.

A name is the subject of a deal where it is a party in its own right (or the deal's asset);
it is background where it is only the original licensor, takes part through a subsidiary,
or is a topic the deal is tagged with.
"""

from __future__ import annotations

from collections.abc import Sequence

from handlers.commands.deal_list import deal_items
from handlers.reply import Reply, Section
from knowledge import KnowledgeStore
from knowledge.models import AnyEntity, Asset, Deal, Organisation

#: roles in which a party is background to the deal, not its subject
BACKGROUND_ROLES = frozenset({"original-licensor"})
MAX_OTHERS = 8


def subject_deal(named: Sequence[AnyEntity], deals: Sequence[Deal]) -> Deal | None:
    """Return the one deal of several that the single named entity is the subject of, if any."""
    if len(named) != 1 or len(deals) < 2:
        return None
    entity = named[0]
    principal = [d for d in deals if _is_subject(entity, d)]
    return principal[0] if len(principal) == 1 else None


def _is_subject(entity: AnyEntity, deal: Deal) -> bool:
    if isinstance(entity, Asset):
        return entity.id in deal.assets
    if isinstance(entity, Organisation):
        return any(
            p.organisation == entity.id and p.role.value not in BACKGROUND_ROLES
            for p in deal.parties
        )
    return False


def lead_with(
    store: KnowledgeStore, card: Reply, name: str, subject: Deal, deals: Sequence[Deal]
) -> Reply:
    """Return `card` saying why it leads, with the other deals naming `name` listed below it."""
    others = [d for d in deals if d.id != subject.id]
    items = deal_items(store, others[:MAX_OTHERS])
    lead = (
        f"“{name}” is a party in this deal; "
        + ("1 more deal mentions" if len(others) == 1 else f"{len(others)} more deals mention")
        + " it only in the background (listed below)."
    )
    section = Section(heading=f"Other deals naming {name}", items=items)
    return card.model_copy(
        update={
            "text": f"{lead}\n{card.text}" if card.text else lead,
            "sections": [*card.sections, section],
            "entity_ids": [*card.entity_ids, *(d.id for d in others[:MAX_OTHERS])],
        }
    )
