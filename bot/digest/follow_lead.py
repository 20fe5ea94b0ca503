"""The digest's lead: what is new in the knowledge since a channel's last digest, and what it follows.

Plugged into the digest composer as its `LeadProvider` (bot/digest/service.py). "What's new in
the knowledge" (within the channel's topic filter) names the fields that changed and what was
removed, from the recorded knowledge versions; "What you follow" is for channels that chose
`alerts in digest`. The subscriptions and follows are read once per run (FOLLOWS_TTL).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping

from sqlalchemy import Engine

from bot.digest.book import SqlSubscriptionBook
from bot.digest.follows import Follower, SqlFollowBook
from bot.digest.versions import changes_since_fingerprints
from handlers.alerts import followed_section, whats_new_section
from handlers.changes import KnowledgeChange
from handlers.digest import ChannelHistory, DigestLead
from knowledge import KnowledgeStore

Key = tuple[str, str]
#: Seconds the follows read for one digest run serve the next channels' digests.
FOLLOWS_TTL = 30.0


class FollowLead:
    """A LeadProvider: what is new since the last digest, and what `alerts in digest` channels follow."""

    def __init__(
        self,
        engine: Engine,
        ttl: float = FOLLOWS_TTL,
        timer: Callable[[], float] = time.monotonic,
    ) -> None:
        self.engine = engine
        self.book = SqlFollowBook(engine)
        self._ttl, self._timer = ttl, timer
        self.subscriptions = SqlSubscriptionBook(engine)
        self._cache: tuple[float, dict[Key, Follower], dict[Key, tuple[str, ...]]] | None = None
        # (fingerprints mapping, store) -> change: channels whose last digest used the same
        # knowledge share one mapping (load_histories), so the diff is made once per run.
        self._changes: dict[
            tuple[int, int], tuple[Mapping[str, str], KnowledgeStore, KnowledgeChange]
        ] = {}

    def __call__(
        self, key: Key, store: KnowledgeStore, today: object, history: ChannelHistory
    ) -> DigestLead:
        """Return the channel's lead sections ('What you follow' only when it chose so)."""
        del today
        if history.fingerprints is None:  # a first digest: nothing to compare with
            return DigestLead()
        change = self._change(history.fingerprints, store)
        followers, topics = self._read()
        news = whats_new_section(change, store, topics.get(key, ()))
        follower = followers.get(key)
        if follower is None or follower.mode != "in digest":
            return DigestLead(news=news)
        return DigestLead(news=news, followed=followed_section(change, follower.follows, store))

    def _read(self) -> tuple[dict[Key, Follower], dict[Key, tuple[str, ...]]]:
        """Return every follower and every subscription's topics, read at most once per TTL."""
        now = self._timer()
        if self._cache is None or now - self._cache[0] > self._ttl:
            followers = {f.key: f for f in self.book.followers()}
            topics = {s.key: s.subscription.schedule.topics for s in self.subscriptions.active()}
            self._cache = (now, followers, topics)
        return self._cache[1], self._cache[2]

    def _change(self, before: Mapping[str, str], store: KnowledgeStore) -> KnowledgeChange:
        slot = (id(before), id(store))
        cached = self._changes.get(slot)
        if cached is not None and cached[0] is before and cached[1] is store:
            return cached[2]
        if len(self._changes) >= 64:
            self._changes.clear()
        change = changes_since_fingerprints(self.engine, before, store)
        self._changes[slot] = (before, store, change)
        return change
