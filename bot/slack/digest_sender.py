"""Post digests to Slack with the Web API: 429s honoured, bounded retries, errors mapped to outcomes."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.digest.sender import (
    AmbiguousDelivery,
    ChannelUnavailable,
    DeliveryError,
    TransientDeliveryError,
)
from bot.slack import render as slack_render
from bot.slack.client import NOT_SENT_ERRORS, Sleep, may_have_arrived, retry_handlers
from handlers.reply import Reply

UNAVAILABLE = {"channel_not_found", "not_in_channel", "is_archived"}
#: A workspace's own bot token refused like this: the app was removed from that workspace.
UNINSTALLED = {"token_revoked", "account_inactive", "app_uninstalled"}


def render_parts(reply: Reply) -> list[dict[str, Any]]:
    """Return the Slack messages for a reply, split so none exceeds Slack's limits."""
    return slack_render.render_messages(reply)


class SlackSender:
    """The digest `Sender` for Slack: one HTTP session and rate-limit budget for every token."""

    platform = "slack"

    def __init__(
        self,
        token: str | None,
        base_url: str = "https://slack.com/api/",
        *,
        sleep: Sleep = asyncio.sleep,
        rate_limit_retries: int = 5,
        backoff: float = 0.5,
        timeout: float = 30,
        max_in_flight: int = 50,
    ) -> None:
        self._token = token
        self._base_url = base_url
        self._sleep = sleep
        self._slots = asyncio.Semaphore(max_in_flight)
        self._handlers = retry_handlers(self._wait_out_rate_limit, rate_limit_retries, backoff)
        self._timeout = timeout
        self._client: AsyncWebClient | None = None
        self._session: aiohttp.ClientSession | None = None

    def _web(self) -> AsyncWebClient:
        if self._client is None:
            self._session = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=self._timeout),
                connector=aiohttp.TCPConnector(limit=100),
            )
            self._client = AsyncWebClient(
                token=self._token,
                base_url=self._base_url,
                session=self._session,
                timeout=int(self._timeout),
                retry_handlers=self._handlers,
            )
        return self._client

    async def aclose(self) -> None:
        """Close the HTTP session."""
        if self._session is not None:
            await self._session.close()
        self._client = self._session = None

    async def _wait_out_rate_limit(self, seconds: float) -> None:
        # Hand the request slot to another channel while this one waits out its 429.
        self._slots.release()
        try:
            await self._sleep(seconds)
        finally:
            await self._slots.acquire()

    async def _post_message(self, token: str | None = None, **kwargs: Any) -> Any:
        if token is not None:  # a per-call token replaces the client's (slack_sdk pops it)
            kwargs["token"] = token
        async with self._slots:
            return await self._web().chat_postMessage(**kwargs)

    def for_token(self, token: str) -> WorkspaceSlackSender:
        """Return a sender posting with `token` (one workspace's bot) over this sender's session."""
        return WorkspaceSlackSender(self, token)

    async def post(self, channel: str, reply: Reply, *, token: str | None = None) -> str:
        """Post every part of `reply` to `channel`; return the first message's ts."""
        first = ""
        for index, message in enumerate(render_parts(reply)):
            try:
                response = await self._post_message(
                    token, channel=channel, unfurl_links=False, unfurl_media=False, **message
                )
            except Exception as exc:
                mapped = map_error(exc)
                if index and not isinstance(mapped, AmbiguousDelivery):  # never start over
                    mapped = AmbiguousDelivery(
                        f"part {index + 1} failed after part 1 was posted: {mapped}"
                    )
                raise mapped from exc
            first = first or str(response.get("ts") or "")
        return first

    async def notify(self, user_id: str, reply: Reply, *, token: str | None = None) -> None:
        """Tell a user `reply` by direct message."""
        await self.post(user_id, reply, token=token)

    async def sender_for(self, _workspace: str | None) -> SlackSender:
        """Return this sender: one bot token serves every workspace it is in."""
        return self


class WorkspaceSlackSender:
    """A `Sender` for one Slack workspace: its bot token, the shared SlackSender's session."""

    platform = "slack"

    def __init__(self, shared: SlackSender, token: str) -> None:
        self._shared = shared
        self._token = token

    async def post(self, channel: str, reply: Reply) -> str:
        """Post `reply` to `channel` with this workspace's token."""
        try:
            return await self._shared.post(channel, reply, token=self._token)
        except DeliveryError as exc:
            if type(exc) is DeliveryError and str(exc) in UNINSTALLED:
                raise ChannelUnavailable(f"{exc}: the app was removed from this workspace") from exc
            raise

    async def notify(self, user_id: str, reply: Reply) -> None:
        """Tell a user of this workspace `reply` by direct message."""
        await self._shared.notify(user_id, reply, token=self._token)

    async def sender_for(self, _workspace: str | None) -> WorkspaceSlackSender:
        """Return this sender: it is already one workspace's."""
        return self

    async def aclose(self) -> None:
        """Leave the shared session open: the SlackSender that lent it closes it."""


def map_error(exc: Exception) -> DeliveryError:
    """Translate a Slack or network error into a delivery outcome."""
    if isinstance(exc, SlackApiError):
        code = str(exc.response.get("error", "")) if exc.response is not None else ""
        status = exc.response.status_code if exc.response is not None else 0
        if code in UNAVAILABLE:
            return ChannelUnavailable(code)
        if (
            status == 429
            or status >= 500
            or code in {"ratelimited", "service_unavailable", "internal_error"}
        ):
            return TransientDeliveryError(code or f"HTTP {status}")
        return DeliveryError(code or f"HTTP {status}")
    if isinstance(exc, NOT_SENT_ERRORS):
        return TransientDeliveryError(f"could not reach Slack: {type(exc).__name__}")
    if may_have_arrived(exc):
        return AmbiguousDelivery(f"no answer from Slack after sending: {type(exc).__name__}")
    return DeliveryError(f"{type(exc).__name__}: {exc}")
