"""The team reminder book in the database: what `remind deal …` writes and the digest reads."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import Connection, Engine, insert, select, update
from sqlalchemy.engine import Row

from bot.db.offload import unavailable_when_down
from bot.digest.schedule import Clock, utc_now
from bot.digest.tables import team_reminders
from handlers.context import TeamReminder

Key = tuple[str, str]  # (platform, channel)


def _reminder(row: Row[tuple[object, ...]]) -> TeamReminder:
    m = row._mapping
    return TeamReminder(
        number=m["id"],
        platform=m["platform"],
        channel=m["channel"],
        entity_id=m["entity_id"],
        subject=m["subject"],
        due=m["due"],
        note=m["note"],
        created_by=m["created_by"],
        done=m["done_at"] is not None,
    )


def open_reminders(conn: Connection, keys: Iterable[Key]) -> dict[Key, list[TeamReminder]]:
    """Return the open reminders of these channels, soonest first (one query)."""
    wanted = set(keys)
    found: dict[Key, list[TeamReminder]] = defaultdict(list)
    if not wanted:
        return found
    channels = {channel for _, channel in wanted}
    query = (
        select(team_reminders)
        .where(team_reminders.c.done_at.is_(None), team_reminders.c.channel.in_(channels))
        .order_by(team_reminders.c.due, team_reminders.c.id)
    )
    for row in conn.execute(query):
        key = (row.platform, row.channel)
        if key in wanted:
            found[key].append(_reminder(row))
    return found


class SqlReminderBook:
    """Implements handlers.context.ReminderBook on the bot's database."""

    def __init__(self, engine: Engine, clock: Clock = utc_now) -> None:
        self.engine = engine
        self.clock = clock

    @unavailable_when_down
    def add(
        self,
        platform: str,
        channel: str,
        entity_id: str,
        subject: str,
        due: dt.date,
        note: str,
        created_by: str,
    ) -> TeamReminder:
        """Store a new reminder for the channel and return it with its number."""
        values = {
            "platform": platform,
            "channel": channel,
            "entity_id": entity_id,
            "subject": subject,
            "due": due,
            "note": note,
            "created_by": created_by,
            "created_at": self.clock(),
        }
        with self.engine.begin() as conn:
            number = conn.execute(
                insert(team_reminders).values(values).returning(team_reminders.c.id)
            ).scalar_one()
        return TeamReminder(
            number=number,
            platform=platform,
            channel=channel,
            entity_id=entity_id,
            subject=subject,
            due=due,
            note=note,
            created_by=created_by,
        )

    @unavailable_when_down
    def open(self, platform: str, channel: str) -> list[TeamReminder]:
        """Return the channel's reminders not yet done, soonest first."""
        with self.engine.connect() as conn:
            return open_reminders(conn, [(platform, channel)]).get((platform, channel), [])

    @unavailable_when_down
    def finish(self, platform: str, channel: str, number: int) -> TeamReminder | None:
        """Mark the channel's reminder `number` done; return it, or None if it has none open."""
        mine = (
            (team_reminders.c.id == number)
            & (team_reminders.c.platform == platform)
            & (team_reminders.c.channel == channel)
            & team_reminders.c.done_at.is_(None)
        )
        with self.engine.begin() as conn:
            row = conn.execute(select(team_reminders).where(mine)).first()
            if row is None:
                return None
            conn.execute(update(team_reminders).where(mine).values(done_at=self.clock()))
        return dataclasses.replace(_reminder(row), done=True)
