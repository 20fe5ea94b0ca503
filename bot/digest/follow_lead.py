"""The digest's "What you follow": the changes since a channel's last digest to what it follows.

Plugged into the digest composer as its `LeadProvider` (bot/digest/service.py) for channels
that chose `alerts in digest`. The digest's own section says what is new in the knowledge
(within its topic filter), so this provider leaves `news` to it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping

from sqlalchemy import Engine

from bot.digest.follows import Follower, SqlFollowBook
from bot.digest.versions import changes_since_fingerprints
from handlers.alerts import followed_section
from handlers.changes import KnowledgeChange
from handlers.digest import ChannelHistory, DigestLead
from knowledge import KnowledgeStore

Key = tuple[str, str]
#: Seconds the follows read for one digest run serve the next channels' digests.
FOLLOWS_TTL = 30.0


class FollowLead:
    """A LeadProvider: 'What you follow' for `alerts in digest` channels, from their follows."""

    def __init__(
        self,
        engine: Engine,
        ttl: float = FOLLOWS_TTL,
        timer: Callable[[], float] = time.monotonic,
    ) -> None:
        self.engine = engine
        self.book = SqlFollowBook(engine)
        self._ttl, self._timer = ttl, timer
        self._followers: tuple[float, dict[Key, Follower]] | None = None
        # (fingerprints mapping, store) -> change: channels whose last digest used the same
        # knowledge share one mapping (load_histories), so the diff is made once per run.
        self._changes: dict[
            tuple[int, int], tuple[Mapping[str, str], KnowledgeStore, KnowledgeChange]
        ] = {}

    def __call__(
        self, key: Key, store: KnowledgeStore, today: object, history: ChannelHistory
    ) -> DigestLead:
        """Return the channel's lead sections (only 'What you follow', and only when it chose so)."""
        del today
        follower = self._all_followers().get(key)
        if follower is None or follower.mode != "in digest" or history.fingerprints is None:
            return DigestLead()
        change = self._change(history.fingerprints, store)
        return DigestLead(followed=followed_section(change, follower.follows, store))

    def _all_followers(self) -> dict[Key, Follower]:
        now = self._timer()
        if self._followers is None or now - self._followers[0] > self._ttl:
            self._followers = (now, {f.key: f for f in self.book.followers()})
        return self._followers[1]

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
