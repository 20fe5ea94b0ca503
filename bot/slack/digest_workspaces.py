"""Digests for a multi-workspace Slack app: each workspace's bot token from the installation store."""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass

from slack_sdk.errors import SlackTokenRotationError
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.installation_store.models.bot import Bot
from slack_sdk.oauth.token_rotation.async_rotator import AsyncTokenRotator

from bot.deps import Deps
from bot.digest.sender import ChannelUnavailable, Sender, TransientDeliveryError
from bot.slack.client import make_web_client
from bot.slack.digest_sender import SlackSender, map_error
from bot.slack.oauth import TOKEN_ROTATION_MINUTES, installation_store
from bot.slack.workspace import SlackWorkspace
from handlers.reply import Reply

log = logging.getLogger("bot.digest")
#: How long a looked-up bot token is reused before the store is asked again.
TOKEN_CACHE_SECONDS = 60.0
#: Refresh-token refusals meaning the app is gone from the workspace.
REVOKED = {"invalid_refresh_token", "token_revoked", "app_uninstalled", "account_inactive"}


@dataclass(frozen=True)
class _CachedToken:
    token: str
    fetched: float


class SlackWorkspaceSenders:
    """The Slack `Sender` in OAuth mode: `sender_for(workspace)` posts with that install's token.

    With no installation for the workspace, SLACK_BOT_TOKEN is used when set (Slack refuses a
    channel of another workspace, and the subscription is paused); otherwise the subscription
    is paused as uninstalled. Expiring tokens are rotated and saved, as Bolt does for requests.
    """

    platform = "slack"

    def __init__(
        self,
        sender: SlackSender,
        installations: AsyncInstallationStore,
        rotator: AsyncTokenRotator | None,
        *,
        fallback_token: str | None = None,
        rotate_minutes: int = 120,
    ) -> None:
        self.sender = sender
        self.installations = installations
        self.rotator = rotator
        self.fallback_token = fallback_token
        self.rotate_minutes = rotate_minutes
        self._cache: dict[str, _CachedToken] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def sender_for(self, workspace: str | None) -> Sender:
        """Return a sender with the workspace's bot token; raise ChannelUnavailable if none."""
        token = await self._bot_token(workspace) if workspace else None
        if token is None:
            token = self.fallback_token
        if token is None:
            reason = (
                f"app_not_installed: no Slack installation for workspace {workspace}"
                if workspace
                else "workspace_unknown: subscribed before workspaces were recorded"
            )
            log.warning("no Slack bot token for workspace %s: %s", workspace, reason)
            raise ChannelUnavailable(reason)
        return self.sender.for_token(token)

    async def post(self, channel: str, reply: Reply) -> str:
        """Post where no workspace is known (SLACK_BOT_TOKEN, if set)."""
        return await (await self.sender_for(None)).post(channel, reply)

    async def notify(self, user_id: str, reply: Reply) -> None:
        """Tell a user `reply` where no workspace is known (SLACK_BOT_TOKEN, if set)."""
        await (await self.sender_for(None)).notify(user_id, reply)

    async def aclose(self) -> None:
        """Close the shared HTTP session."""
        await self.sender.aclose()

    async def _bot_token(self, workspace: str) -> str | None:
        # One lookup (and at most one rotation: a refresh token works once) per workspace at a time.
        async with self._locks.setdefault(workspace, asyncio.Lock()):
            cached = self._cache.get(workspace)
            if cached is not None and time.monotonic() - cached.fetched < TOKEN_CACHE_SECONDS:
                return cached.token
            bot = await self._find_bot(SlackWorkspace.parse(workspace))
            if bot is None or not bot.bot_token:
                self._cache.pop(workspace, None)
                return None
            self._cache[workspace] = _CachedToken(bot.bot_token, time.monotonic())
            return bot.bot_token

    async def _find_bot(self, ids: SlackWorkspace) -> Bot | None:
        try:
            bot = await self.installations.async_find_bot(
                enterprise_id=ids.enterprise_id,
                team_id=ids.team_id,
                is_enterprise_install=ids.is_enterprise_install,
            )
        except Exception as exc:  # the database is away: a later tick retries
            raise TransientDeliveryError(f"could not read Slack installations: {exc}") from exc
        if bot is None or self.rotator is None:
            return bot
        try:
            rotated = await self.rotator.perform_bot_token_rotation(
                bot=bot, minutes_before_expiration=self.rotate_minutes
            )
        except SlackTokenRotationError as exc:
            mapped = map_error(exc.api_error)
            if str(mapped) in REVOKED:  # the workspace removed the app
                raise ChannelUnavailable(f"token rotation refused: {mapped}") from exc
            raise mapped from exc
        if rotated is None:
            return bot
        await self.installations.async_save_bot(rotated)
        log.info("rotated the Slack bot token of workspace %s", ids.key())
        return rotated


def digest_sender(deps: Deps) -> Sender | None:
    """Return Slack's digest sender for these settings, or None without Slack credentials."""
    settings = deps.settings
    if settings.slack_oauth_enabled:
        return slack_workspace_senders(deps)
    if settings.slack_bot_token:
        return SlackSender(settings.slack_bot_token, settings.slack_api_url)
    return None


def slack_workspace_senders(deps: Deps) -> SlackWorkspaceSenders:
    """Return the Slack sender for a multi-workspace install: tokens from the installation store."""
    settings = deps.settings
    assert settings.slack_client_id and settings.slack_client_secret
    rotator = AsyncTokenRotator(
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret,
        client=make_web_client(settings),  # refreshes at SLACK_API_URL, like the Bolt app
    )
    return SlackWorkspaceSenders(
        SlackSender(None, settings.slack_api_url),
        installation_store(settings, deps.engine),
        rotator,
        fallback_token=settings.slack_bot_token,
        rotate_minutes=TOKEN_ROTATION_MINUTES,
    )
