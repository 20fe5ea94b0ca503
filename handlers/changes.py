"""Knowledge versions, diffed: what one snapshot held per entity, and what changed between two."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field

import msgspec

from handlers.follow_targets import touches
from handlers.memo import remember
from knowledge import KnowledgeStore
from knowledge.models import AnyEntity, to_json

#: Kinds whose changes are news to a reader (a source's own record is not).
NEWS_KINDS = (
    "deal",
    "asset",
    "organisation",
    "person",
    "quote",
    "trend",
    "statistic",
    "event",
    "topic",
)


@dataclass(frozen=True)
class EntityState:
    """What a version held of one entity: its content hash, a hash per field, what it touches."""

    entity_id: str
    kind: str
    label: str
    fingerprint: str
    fields: Mapping[str, str] = field(default_factory=dict)  # field name -> short hash
    touches: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Changed:
    """An entity in both versions, with different content."""

    before: EntityState
    after: EntityState

    @property
    def fields(self) -> list[str]:
        """Return the names of the fields whose content changed, in the entity's field order."""
        names = list(self.after.fields) + [
            f for f in self.before.fields if f not in self.after.fields
        ]
        return [n for n in names if self.before.fields.get(n) != self.after.fields.get(n)]


@dataclass(frozen=True)
class KnowledgeChange:
    """What changed from one knowledge version to the next (news kinds only)."""

    added: tuple[EntityState, ...] = ()
    changed: tuple[Changed, ...] = ()
    removed: tuple[EntityState, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed)

    def states(self) -> list[tuple[str, EntityState]]:
        """Return ('added' | 'changed' | 'removed', state) for every change, in that order."""
        return [
            *(("added", s) for s in self.added),
            *(("changed", c.after) for c in self.changed),
            *(("removed", s) for s in self.removed),
        ]


def _short(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def entity_state(entity: AnyEntity, store: KnowledgeStore) -> EntityState:
    """Return what a version holds of `entity`."""
    raw = to_json(entity)
    values = msgspec.json.decode(raw)
    fields = {name: _short(msgspec.json.encode(value))[:8] for name, value in values.items()}
    return EntityState(
        entity_id=entity.id,
        kind=entity.kind,
        label=entity.label(),
        fingerprint=_short(raw),
        fields=fields,
        touches=touches(entity, store),
    )


def entity_states(store: KnowledgeStore) -> dict[str, EntityState]:
    """Return the state of every entity of the snapshot (computed once per snapshot)."""
    return remember(
        store,
        "knowledge-entity-states",
        lambda: {i: entity_state(e, store) for i, e in store.entities.items()},
    )


def diff(before: Mapping[str, EntityState], after: Mapping[str, EntityState]) -> KnowledgeChange:
    """Return what was added, changed and removed from `before` to `after`."""
    added = [s for i, s in after.items() if i not in before and s.kind in NEWS_KINDS]
    removed = [s for i, s in before.items() if i not in after and s.kind in NEWS_KINDS]
    changed = [
        Changed(before[i], s)
        for i, s in after.items()
        if i in before and before[i].fingerprint != s.fingerprint and s.kind in NEWS_KINDS
    ]
    return KnowledgeChange(tuple(added), tuple(changed), tuple(removed))
