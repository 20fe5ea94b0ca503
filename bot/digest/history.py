"""What each channel already had: its rotation memory, team reminders, and its last digest's knowledge."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

from sqlalchemy import Connection, Engine, Executable, func, insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError

from bot.digest.claims import ALERT_PREFIX
from bot.digest.reminders import open_reminders
from bot.digest.schedule import as_utc
from bot.digest.tables import deliveries, featured, fingerprints, memory
from handlers.digest import ChannelHistory

Key = tuple[str, str]  # (platform, channel)


def load_histories(
    engine: Engine, keys: Iterable[Key], now: dt.datetime
) -> dict[Key, ChannelHistory]:
    """Return each channel's history in a few queries, however many channels there are."""
    wanted = set(keys)
    if not wanted:
        return {}
    del now  # the memory keeps one row per item, so there is no window to cut
    seen: dict[Key, dict[str, dt.date]] = defaultdict(dict)
    last: dict[Key, tuple[dt.datetime, str | None]] = {}
    with engine.connect() as conn:
        channels = {channel for _, channel in wanted}
        for row in conn.execute(select(memory).where(memory.c.channel.in_(channels))):
            key = (row.platform, row.channel)
            if key in wanted:
                seen[key][row.item] = row.shown_on
        team = open_reminders(conn, wanted)
        latest = (
            select(
                deliveries.c.platform, deliveries.c.channel, func.max(deliveries.c.id).label("id")
            )
            .where(deliveries.c.status == "sent", ~deliveries.c.period.startswith(ALERT_PREFIX))
            .group_by(deliveries.c.platform, deliveries.c.channel)
            .subquery()
        )
        for row in conn.execute(
            select(
                deliveries.c.platform,
                deliveries.c.channel,
                deliveries.c.finished_at,
                deliveries.c.knowledge_version,
            ).join(latest, deliveries.c.id == latest.c.id)
        ):
            key = (row.platform, row.channel)
            if key in wanted:
                last[key] = (as_utc(row.finished_at), row.knowledge_version)
        versions = {version for _, version in last.values() if version}
        snapshots = _snapshots(conn, versions)
    histories = {}
    for key in wanted:
        when, version = last.get(key, (None, None))
        histories[key] = ChannelHistory(
            featured=seen.get(key, {}),
            team=tuple(team.get(key, ())),
            last_digest=when.date() if when else None,
            fingerprints=snapshots.get(version) if version else None,
        )
    return histories


def _snapshots(conn: Connection, versions: set[str]) -> dict[str, dict[str, str]]:
    found: dict[str, dict[str, str]] = defaultdict(dict)
    if versions:
        for row in conn.execute(
            select(fingerprints).where(fingerprints.c.knowledge_version.in_(versions))
        ):
            found[row.knowledge_version][row.entity_id] = row.fingerprint
    return found


def save_snapshot(engine: Engine, version: str, prints: Mapping[str, str]) -> None:
    """Store the knowledge's fingerprints under its version, once."""
    with engine.begin() as conn:
        exists = conn.execute(
            select(fingerprints.c.entity_id)
            .where(fingerprints.c.knowledge_version == version)
            .limit(1)
        ).first()
        if exists:
            return
    try:
        with engine.begin() as conn:
            conn.execute(
                insert(fingerprints),
                [
                    {"knowledge_version": version, "entity_id": entity_id, "fingerprint": value}
                    for entity_id, value in prints.items()
                ],
            )
    except IntegrityError:  # another replica stored the same version first
        pass


def featured_statement(
    dialect: str, key: Key, period: str, entity_ids: Iterable[str], when: dt.datetime
) -> tuple[Executable, list[dict[str, Any]]]:
    """Return the insert (and rows) recording which quotes and trends a channel got in a period."""
    rows = [
        {
            "platform": key[0],
            "channel": key[1],
            "entity_id": e,
            "period": period,
            "featured_at": when,
        }
        for e in dict.fromkeys(entity_ids)
        if ":" not in e  # memory keys ("anniversary:…") live in digest_memory only
    ]
    return _insert_featured(dialect), rows


def memory_statement(
    dialect: str, key: Key, shown_on: dt.date, items: Iterable[str]
) -> tuple[Executable, list[dict[str, Any]]]:
    """Return the upsert (and rows) remembering what a channel's digest showed on `shown_on`."""
    rows = [
        {"platform": key[0], "channel": key[1], "item": item, "shown_on": shown_on}
        for item in dict.fromkeys(items)
    ]
    return _upsert_memory(dialect), rows


@cache
def _upsert_memory(dialect: str) -> Executable:
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(memory)
    return statement.on_conflict_do_update(
        index_elements=[memory.c.platform, memory.c.channel, memory.c.item],
        set_={"shown_on": statement.excluded.shown_on},
    )


@cache
def _insert_featured(dialect: str) -> Executable:
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    return insert(featured).on_conflict_do_nothing()
