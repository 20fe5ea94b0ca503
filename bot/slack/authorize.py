"""Single-workspace authorization from SLACK_BOT_TOKEN, with no Web API call on the request path.

Bolt's built-in single-workspace authorization calls auth.test before the first request it
handles, and again on every request until one succeeds: while auth.test fails or is rate
limited, every slash command waits and then apologises. Answering needs only the token.
auth.test still runs, in the background, to learn the bot's own ids, so Bolt can ignore
events the bot itself caused; until it succeeds the listeners skip bot messages themselves.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from slack_bolt.authorization import AuthorizeResult
from slack_bolt.authorization.async_authorize import AsyncAuthorize
from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

log = logging.getLogger(__name__)


class BotTokenAuthorize(AsyncAuthorize):
    """Authorize every request with one bot token; look the bot's ids up off the request path."""

    def __init__(self, token: str, client: AsyncWebClient, retry_every: float = 60.0) -> None:
        self.token = token
        self.client = client
        self.retry_every = retry_every
        self.bot_id: str | None = None
        self.bot_user_id: str | None = None
        self._lookup: asyncio.Task[None] | None = None
        self._next_lookup = 0.0

    async def __call__(
        self,
        *,
        context: AsyncBoltContext,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None,
        **_actor: Any,
    ) -> AuthorizeResult:
        self.learn_ids()
        return AuthorizeResult(
            enterprise_id=enterprise_id,
            team_id=team_id,
            user_id=user_id,
            bot_token=self.token,
            bot_id=self.bot_id,
            bot_user_id=self.bot_user_id,
        )

    def learn_ids(self) -> None:
        """Look the bot's own ids up in the background, unless they are known or being looked up."""
        if self.bot_user_id is None:
            self._look_up_in_background()

    def _look_up_in_background(self) -> None:
        now = time.monotonic()
        if (self._lookup is not None and not self._lookup.done()) or now < self._next_lookup:
            return
        self._next_lookup = now + self.retry_every
        self._lookup = asyncio.create_task(self._look_up(), name="slack-auth-test")

    async def _look_up(self) -> None:
        """Call auth.test (bounded by the client's timeout and retry policy) and keep the ids."""
        try:
            response = await self.client.auth_test(token=self.token)
        except Exception as error:
            log.warning(
                "auth.test failed (%s); answering anyway, will try again in %.0f s",
                type(error).__name__,
                self.retry_every,
            )
            return
        self.bot_id = response.get("bot_id")
        self.bot_user_id = response.get("user_id")
