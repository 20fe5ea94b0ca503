"""Knowledge versions in the database: what each held, the order they were served, what changed.

A version (a hash of the YAML) is recorded the first time a leading replica serves it: its
entities (content hash, field hashes, follow keys) once, and a step from the latest recorded
version. A version seen before is not recorded again, so a replica still serving an older
snapshot during a rolling deploy never announces the change backwards (the cost: reverting
the YAML to an earlier version's exact bytes sends no alert).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, insert, select
from sqlalchemy.exc import IntegrityError

from bot.digest.follow_tables import knowledge_versions, version_entities
from bot.digest.schedule import as_utc
from handlers.changes import NEWS_KINDS, Changed, EntityState, KnowledgeChange, diff, entity_states
from knowledge import KnowledgeStore

#: Entity rows written per INSERT statement.
_BATCH = 2000


@dataclass(frozen=True)
class VersionStep:
    """A step the bot took to a knowledge version, from the one recorded before it (if any)."""

    id: int
    version: str
    previous: str | None
    recorded_at: dt.datetime


def record_version(engine: Engine, store: KnowledgeStore, now: dt.datetime) -> VersionStep | None:
    """Record `store` as served now if its version is new; return the step to it (None if not new)."""
    with engine.connect() as conn:
        if conn.execute(_steps_to(store.version).limit(1)).first() is not None:
            return None
    save_states(engine, store)
    for _ in range(3):  # another replica may add a step at the same moment: build on theirs
        with engine.connect() as conn:
            latest = _latest(conn)
            if latest is not None and latest.version == store.version:
                return _step(conn, latest)
        try:
            with engine.begin() as conn:
                new_id = conn.execute(
                    insert(knowledge_versions)
                    .values(
                        version=store.version,
                        previous_id=latest.id if latest is not None else None,
                        entities=len(store.entities),
                        recorded_at=now,
                    )
                    .returning(knowledge_versions.c.id)
                ).scalar_one()
        except IntegrityError:
            continue
        previous = latest.version if latest is not None else None
        return VersionStep(new_id, store.version, previous, now)
    return None


def latest_step(engine: Engine) -> VersionStep | None:
    """Return the step to the latest recorded version, or None before any was recorded."""
    with engine.connect() as conn:
        latest = _latest(conn)
        return _step(conn, latest) if latest is not None else None


def save_states(engine: Engine, store: KnowledgeStore) -> None:
    """Store what `store` holds per entity under its version, once."""
    with engine.connect() as conn:
        if _has_states(conn, store.version):
            return
    rows = [
        {
            "version": store.version,
            "entity_id": s.entity_id,
            "kind": s.kind,
            "label": s.label,
            "fingerprint": s.fingerprint,
            "fields": dict(s.fields),
            "touches": sorted(s.touches),
        }
        for s in entity_states(store).values()
    ]
    try:
        with engine.begin() as conn:
            for start in range(0, len(rows), _BATCH):
                conn.execute(insert(version_entities), rows[start : start + _BATCH])
    except IntegrityError:  # another replica stored the same version first
        pass


def load_states(engine: Engine, version: str) -> dict[str, EntityState] | None:
    """Return what `version` held per entity, or None if it was never recorded."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(version_entities).where(version_entities.c.version == version)
        ).all()
    if not rows:
        return None
    return {r.entity_id: _state(r) for r in rows}


def changes_since(engine: Engine, version: str, store: KnowledgeStore) -> KnowledgeChange | None:
    """Return what is new, changed or removed in `store` since `version` (None: never recorded).

    The digest's "what's new since your last digest" passes the version its last digest used.
    """
    before = load_states(engine, version)
    if before is None:
        return None
    return diff(before, entity_states(store))


def changes_since_fingerprints(
    engine: Engine, before: Mapping[str, str], store: KnowledgeStore
) -> KnowledgeChange:
    """Return what changed in `store` since a snapshot known only by its fingerprints.

    The digest keeps the fingerprints of each digest's knowledge (entity id -> content hash,
    the hash `entity_states` computes too); what those entities were is looked up in the
    recorded versions, so changed fields and removed entities' names can be told.
    """
    after = entity_states(store)
    gone = [i for i in before if i not in after]
    differ = [i for i, s in after.items() if i in before and before[i] != s.fingerprint]
    known = _states_by_fingerprint(engine, {i: before[i] for i in [*gone, *differ]})
    added = [s for i, s in after.items() if i not in before and s.kind in NEWS_KINDS]
    changed = [
        Changed(known.get(i) or _unknown_before(after[i], before[i]), after[i])
        for i in differ
        if after[i].kind in NEWS_KINDS
    ]
    removed = [known[i] for i in gone if i in known and known[i].kind in NEWS_KINDS]
    return KnowledgeChange(tuple(added), tuple(changed), tuple(removed))


def _unknown_before(after: EntityState, fingerprint: str) -> EntityState:
    """Return a before-state of which only the hash is known (no field can be named)."""
    return EntityState(
        after.entity_id, after.kind, after.label, fingerprint, after.fields, after.touches
    )


def _states_by_fingerprint(engine: Engine, wanted: Mapping[str, str]) -> dict[str, EntityState]:
    """Return the recorded states with these (entity id, fingerprint) pairs."""
    if not wanted:
        return {}
    found: dict[str, EntityState] = {}
    with engine.connect() as conn:
        rows = conn.execute(
            select(version_entities).where(version_entities.c.entity_id.in_(list(wanted)))
        ).all()
    for r in rows:
        if wanted.get(r.entity_id) == r.fingerprint:
            found[r.entity_id] = _state(r)
    return found


def _state(r) -> EntityState:  # type: ignore[no-untyped-def]
    return EntityState(
        entity_id=r.entity_id,
        kind=r.kind,
        label=r.label,
        fingerprint=r.fingerprint,
        fields=dict(r.fields),
        touches=frozenset(r.touches),
    )


def _steps_to(version: str):  # type: ignore[no-untyped-def]
    return select(knowledge_versions.c.id).where(knowledge_versions.c.version == version)


def _has_states(conn: Connection, version: str) -> bool:
    found = conn.execute(
        select(version_entities.c.entity_id).where(version_entities.c.version == version).limit(1)
    ).first()
    return found is not None


def _latest(conn: Connection):  # type: ignore[no-untyped-def]
    return conn.execute(
        select(knowledge_versions).order_by(knowledge_versions.c.id.desc()).limit(1)
    ).first()


def _step(conn: Connection, row) -> VersionStep:  # type: ignore[no-untyped-def]
    previous = None
    if row.previous_id is not None:
        previous = conn.execute(
            select(knowledge_versions.c.version).where(knowledge_versions.c.id == row.previous_id)
        ).scalar()
    return VersionStep(row.id, row.version, previous, as_utc(row.recorded_at))
