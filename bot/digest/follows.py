"""The follow book in the database: what `follow` writes and the alerts read."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import Engine, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from bot.db.offload import unavailable_when_down
from bot.digest.follow_tables import alert_settings, follows
from bot.digest.schedule import Clock, utc_now
from handlers.context import ALERT_MODES, Follow

DEFAULT_MODE = ALERT_MODES[0]
Key = tuple[str, str]


@dataclass
class Follower:
    """A conversation that follows something: its follows, alert choice and who to tell."""

    key: Key
    follows: list[Follow] = field(default_factory=list)
    mode: str = DEFAULT_MODE
    follower: str = ""
    workspace: str | None = None


def _where(platform: str, channel: str):  # type: ignore[no-untyped-def]
    return (follows.c.platform == platform) & (follows.c.channel == channel)


class SqlFollowBook:
    """Implements handlers.context.FollowBook on the bot's database (one row per follow)."""

    def __init__(self, engine: Engine, clock: Clock = utc_now) -> None:
        self.engine = engine
        self.clock = clock

    @unavailable_when_down
    def follow(
        self, platform: str, channel: str, follower: str, target: Follow, workspace: str | None
    ) -> bool:
        """Follow `target` in the conversation; return False if it was followed already."""
        try:
            with self.engine.begin() as conn:
                conn.execute(
                    insert(follows).values(
                        platform=platform,
                        channel=channel,
                        kind=target.kind,
                        key=target.key,
                        label=target.label,
                        follower=follower,
                        workspace=workspace,
                        created_at=self.clock(),
                    )
                )
        except IntegrityError:
            return False
        return True

    @unavailable_when_down
    def unfollow(self, platform: str, channel: str, kind: str, key: str) -> bool:
        """Stop following; return False if it was not followed."""
        with self.engine.begin() as conn:
            result = conn.execute(
                delete(follows).where(
                    _where(platform, channel) & (follows.c.kind == kind) & (follows.c.key == key)
                )
            )
        return bool(result.rowcount)

    @unavailable_when_down
    def following(self, platform: str, channel: str) -> list[Follow]:
        """Return what the conversation follows, in the order it was followed."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(follows.c.kind, follows.c.key, follows.c.label)
                .where(_where(platform, channel))
                .order_by(follows.c.id)
            ).all()
        return [Follow(kind=r.kind, key=r.key, label=r.label) for r in rows]

    @unavailable_when_down
    def alert_mode(self, platform: str, channel: str) -> str:
        """Return the conversation's alert choice ("instant" unless set)."""
        with self.engine.connect() as conn:
            mode = conn.execute(
                select(alert_settings.c.mode).where(
                    (alert_settings.c.platform == platform) & (alert_settings.c.channel == channel)
                )
            ).scalar()
        return str(mode) if mode else DEFAULT_MODE

    @unavailable_when_down
    def set_alert_mode(self, platform: str, channel: str, mode: str) -> None:
        """Set the conversation's alert choice."""
        if mode not in ALERT_MODES:
            raise ValueError(f"alert mode {mode!r} is not one of {ALERT_MODES}")
        where = (alert_settings.c.platform == platform) & (alert_settings.c.channel == channel)
        now = self.clock()
        with self.engine.begin() as conn:
            done = conn.execute(
                update(alert_settings).where(where).values(mode=mode, updated_at=now)
            )
        if done.rowcount:
            return
        try:
            with self.engine.begin() as conn:
                conn.execute(
                    insert(alert_settings).values(
                        platform=platform, channel=channel, mode=mode, updated_at=now
                    )
                )
        except IntegrityError:  # set at the same moment elsewhere: ours is the later word
            with self.engine.begin() as conn:
                conn.execute(update(alert_settings).where(where).values(mode=mode, updated_at=now))

    # -- for the alerts ---------------------------------------------------------------------
    def followers(self) -> list[Follower]:
        """Return every conversation that follows something, with its follows and alert choice."""
        found: dict[Key, Follower] = {}
        with self.engine.connect() as conn:
            for row in conn.execute(select(follows).order_by(follows.c.id)):
                key = (row.platform, row.channel)
                entry = found.get(key)
                if entry is None:
                    entry = found[key] = Follower(key, follower=row.follower)
                entry.follows.append(Follow(kind=row.kind, key=row.key, label=row.label))
                entry.workspace = entry.workspace or row.workspace
            modes: dict[Key, str] = defaultdict(lambda: DEFAULT_MODE)
            for row in conn.execute(select(alert_settings)):
                modes[(row.platform, row.channel)] = row.mode
        for key, entry in found.items():
            entry.mode = modes[key]
        return list(found.values())
