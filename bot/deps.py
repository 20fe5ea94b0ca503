"""The shared services every adapter is handed: settings, knowledge, database, subscriptions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from bot.settings import Settings
from handlers.context import CalendarFeeds, FollowBook, ReminderBook, SubscriptionBook
from handlers.curation import CurationBook
from knowledge.reload import KnowledgeHolder

if TYPE_CHECKING:
    from microsoft_agents.hosting.core import AccessTokenProviderBase, AgentAuthConfiguration

    #: Builds the token provider for outgoing Teams calls from the connection's configuration.
    TokenProviderFactory = Callable[[AgentAuthConfiguration], AccessTokenProviderBase]


@dataclass
class Deps:
    """Built once at start-up by `bot.app.build_deps`; passed to every platform's `install`."""

    settings: Settings
    knowledge: KnowledgeHolder
    engine: Engine
    #: The digest subscriptions, lent to handlers as AskContext.subscriptions.
    subscriptions: SubscriptionBook
    #: Test seam: take Teams' token-signing keys from this JWKS URL instead of Microsoft's.
    teams_jwks_url: str | None = None
    #: Test seam: build Teams' outgoing-token provider with this instead of MSAL.
    teams_token_provider: TokenProviderFactory | None = None
    #: The channels' secret calendar feeds, lent to handlers; None without PUBLIC_URL.
    calendar_feeds: CalendarFeeds | None = None
    #: Feedback, misses, outdated reports and proposals (bot/curation); None: not recorded.
    curation: CurationBook | None = None
    #: What conversations follow, lent to handlers as AskContext.follows.
    follows: FollowBook | None = None
    #: The channels' team reminders, lent to handlers as AskContext.reminders.
    reminders: ReminderBook | None = None
