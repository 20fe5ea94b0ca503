"""The calendar feeds in the database: what `calendar subscribe` issues and the feed route checks."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets

from sqlalchemy import Engine, delete, insert, select

from bot.calendar.tables import calendar_feeds
from bot.db.offload import unavailable_when_down

#: What a token in a feed URL looks like (`secrets.token_urlsafe(32)`: 43 characters).
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{32,64}$")
FEED_PATH = "/calendar/{token}.ics"


def token_hash(token: str) -> str:
    """Return the hex SHA-256 of a feed token: what the database holds."""
    return hashlib.sha256(token.encode()).hexdigest()


def feed_url(public_url: str, token: str) -> str:
    """Return a feed's address under the bot's public URL."""
    return public_url.rstrip("/") + FEED_PATH.format(token=token)


class SqlCalendarFeeds:
    """Implements handlers.context.CalendarFeeds on the bot's database (one row per channel)."""

    def __init__(self, engine: Engine, public_url: str) -> None:
        self.engine = engine
        self.public_url = public_url

    @unavailable_when_down
    def issue(
        self, platform: str, channel: str, issued_by: str, workspace: str | None = None
    ) -> str:
        """Create the channel's feed, replacing any earlier one; return its secret URL."""
        token = secrets.token_urlsafe(32)
        where = (calendar_feeds.c.platform == platform) & (calendar_feeds.c.channel == channel)
        with self.engine.begin() as conn:
            conn.execute(delete(calendar_feeds).where(where))
            conn.execute(
                insert(calendar_feeds).values(
                    platform=platform,
                    channel=channel,
                    workspace=workspace,
                    token_hash=token_hash(token),
                    issued_by=issued_by,
                    issued_at=dt.datetime.now(dt.UTC),
                )
            )
        return feed_url(self.public_url, token)

    @unavailable_when_down
    def revoke(self, platform: str, channel: str) -> bool:
        """Remove the channel's feed; return False if there was none."""
        where = (calendar_feeds.c.platform == platform) & (calendar_feeds.c.channel == channel)
        with self.engine.begin() as conn:
            return bool(conn.execute(delete(calendar_feeds).where(where)).rowcount)


@unavailable_when_down
def feed_channel(engine: Engine, token: str) -> tuple[str, str] | None:
    """Return the (platform, channel) whose feed `token` opens, or None for any other text."""
    if not TOKEN_PATTERN.match(token):
        return None
    with engine.connect() as conn:
        row = conn.execute(
            select(calendar_feeds.c.platform, calendar_feeds.c.channel).where(
                calendar_feeds.c.token_hash == token_hash(token)
            )
        ).first()
    return (row.platform, row.channel) if row is not None else None
