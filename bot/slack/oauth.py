"""Multi-workspace install: Bolt's OAuth flow with installations and states kept in the database."""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from slack_bolt.authorization import AuthorizeResult
from slack_bolt.authorization.async_authorize import AsyncInstallationStoreAuthorize
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.errors import SlackTokenRotationError
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.installation_store.models.bot import Bot
from slack_sdk.oauth.installation_store.models.installation import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore
from slack_sdk.oauth.state_store.stateless import StatelessOAuthStateStore
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import Engine

from bot.db.offload import run_db
from bot.settings import Settings, SettingsError
from bot.slack.dedupe import SeenIds
from bot.slack.scopes import BOT_SCOPES
from bot.slack.token_crypt import (
    TOKEN_FIELDS,
    TokenCipher,
    TokenDecryptError,
    where,
)

log = logging.getLogger(__name__)
STATE_SECONDS = 600
#: Seconds an installation lookup or save may wait on the database (authorize runs before the ack).
STORE_WAIT = 1.0
#: Refresh a rotating bot token this long before it expires.
TOKEN_ROTATION_MINUTES = 120


Entity = TypeVar("Entity", Installation, Bot)


class EncryptedInstallationStore(SQLAlchemyInstallationStore):
    """slack_sdk's SQLAlchemy store, encrypting token columns on save and decrypting on find."""

    def __init__(self, client_id: str, engine: Engine, cipher: TokenCipher) -> None:
        super().__init__(client_id=client_id, engine=engine, logger=log)
        self.cipher = cipher

    def save(self, installation: Installation) -> None:
        # The parent then saves `to_bot()` of the copy: encrypt() leaves ciphertext as it is.
        super().save(self._sealed(installation))

    def save_bot(self, bot: Bot) -> None:
        super().save_bot(self._sealed(bot))

    def build_installation_entity(self, row: Any) -> Installation:  # type: ignore[override]
        return self._opened(super().build_installation_entity(row), self.installations.name)

    def build_bot_entity(self, row: Any) -> Bot:  # type: ignore[override]
        return self._opened(super().build_bot_entity(row), self.bots.name)

    def _sealed(self, entity: Entity) -> Entity:
        sealed = copy.copy(entity)
        for name in TOKEN_FIELDS:
            value = getattr(sealed, name, None)
            if value is not None:
                setattr(sealed, name, self.cipher.encrypt(value))
        return sealed

    def _opened(self, entity: Entity, table: str) -> Entity:
        for name in TOKEN_FIELDS:
            if hasattr(entity, name):
                label = where(table, name, entity.team_id, entity.enterprise_id)
                setattr(entity, name, self.cipher.decrypt(getattr(entity, name), label))
        return entity


class DatabaseInstallationStore(AsyncInstallationStore):
    """The encrypted SQLAlchemy installation store on the bot's engine, run off the event loop."""

    def __init__(self, client_id: str, engine: Engine, cipher: TokenCipher) -> None:
        self.sync = EncryptedInstallationStore(client_id, engine, cipher)

    @property
    def logger(self) -> logging.Logger:
        return log

    async def async_save(self, installation: Installation) -> None:
        await run_db(STORE_WAIT, self.sync.save, installation)

    async def async_save_bot(self, bot: Bot) -> None:
        await run_db(STORE_WAIT, self.sync.save_bot, bot)

    async def async_find_bot(self, **ids: Any) -> Bot | None:
        return await self._read(lambda: self.sync.find_bot(**ids))

    async def async_find_installation(self, **ids: Any) -> Installation | None:
        return await self._read(lambda: self.sync.find_installation(**ids))

    async def async_delete_bot(self, **ids: Any) -> None:
        await run_db(STORE_WAIT, self.sync.delete_bot, **ids)

    async def async_delete_installation(self, **ids: Any) -> None:
        await run_db(STORE_WAIT, self.sync.delete_installation, **ids)

    async def _read(self, find: Callable[[], Entity | None]) -> Entity | None:
        try:
            return await run_db(STORE_WAIT, find)
        except TokenDecryptError as exc:  # only this workspace's requests fail
            log.error("%s", exc)
            raise


def token_cipher(settings: Settings) -> TokenCipher:
    """Return the cipher for stored tokens; without TOKEN_ENCRYPTION_KEY, only in development."""
    if not settings.token_encryption_keys and not settings.allow_plaintext_tokens:
        raise SettingsError(
            "multi-workspace Slack (SLACK_CLIENT_ID) keeps every workspace's tokens in the "
            'database: set TOKEN_ENCRYPTION_KEY to a Fernet key (docs/operations.md, "Slack '
            'token encryption"), or ALLOW_PLAINTEXT_TOKENS=1 for local development only'
        )
    return TokenCipher(settings.token_encryption_keys)


def installation_store(settings: Settings, engine: Engine) -> DatabaseInstallationStore:
    """Return the installation store for OAuth mode, encrypting with TOKEN_ENCRYPTION_KEY."""
    assert settings.slack_client_id
    return DatabaseInstallationStore(settings.slack_client_id, engine, token_cipher(settings))


class SignedOnceStateStore(AsyncOAuthStateStore):
    """OAuth `state` signed with SLACK_STATE_SECRET (any replica can check it), usable once."""

    def __init__(self, secret: str, seen: SeenIds, expiration_seconds: int = STATE_SECONDS) -> None:
        self.signed = StatelessOAuthStateStore(
            expiration_seconds=expiration_seconds, signing_secret=secret, logger=log
        )
        self.seen = seen

    @property
    def logger(self) -> logging.Logger:
        return log

    async def async_issue(self, *args: Any, **kwargs: Any) -> str:
        return self.signed.issue()

    async def async_consume(self, state: str) -> bool:
        if not self.signed.consume(state):
            return False
        return await self.seen.claim_async(f"oauth-state:{state.rsplit('.', 1)[-1]}")


class StoredBotAuthorize(AsyncInstallationStoreAuthorize):
    """Authorize from the stored bot (its token rotated when due), with no auth.test call.

    Bolt's version calls auth.test for each token before its first answer; while that fails
    or is rate limited, a slash command cannot be answered within Slack's 3 seconds. The
    stored bot already holds what auth.test would say: its ids, scopes and team.
    """

    async def __call__(
        self,
        *,
        context: AsyncBoltContext,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None,
        **_actor: Any,
    ) -> AuthorizeResult | None:
        bot = await self.installation_store.async_find_bot(
            enterprise_id=enterprise_id,
            team_id=team_id,
            is_enterprise_install=context.is_enterprise_install,
        )
        if bot is None:
            return None
        if bot.bot_refresh_token is not None and self.token_rotator is not None:
            try:
                refreshed = await self.token_rotator.perform_bot_token_rotation(
                    bot=bot, minutes_before_expiration=self.token_rotation_expiration_minutes
                )
            except SlackTokenRotationError as error:
                log.error("could not refresh the bot token of workspace %s: %s", team_id, error)
                return None
            if refreshed is not None:
                await self.installation_store.async_save_bot(refreshed)
                bot = refreshed
        return AuthorizeResult(
            enterprise_id=bot.enterprise_id,
            team_id=bot.team_id,
            bot_token=bot.bot_token,
            bot_id=bot.bot_id,
            bot_user_id=bot.bot_user_id,
            bot_scopes=bot.bot_scopes,
            user_id=user_id,
        )


def authorization_url(api_url: str) -> str:
    """Return the browser's authorize URL on the same Slack host as the Web API (GovSlack too)."""
    return api_url.rstrip("/").removesuffix("/api") + "/oauth/v2/authorize"


def oauth_settings(
    settings: Settings, engine: Engine, seen: SeenIds, client: AsyncWebClient
) -> AsyncOAuthSettings:
    """Return Bolt OAuth settings: bot scopes only, DB installations, token rotation on."""
    assert settings.slack_client_id and settings.slack_client_secret and settings.slack_state_secret
    store = installation_store(settings, engine)
    oauth = AsyncOAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret,
        scopes=list(BOT_SCOPES),
        user_scopes=[],
        authorization_url=authorization_url(settings.slack_api_url),
        installation_store=store,
        installation_store_bot_only=True,
        token_rotation_expiration_minutes=TOKEN_ROTATION_MINUTES,
        state_store=SignedOnceStateStore(settings.slack_state_secret, seen),
        state_expiration_seconds=STATE_SECONDS,
        logger=log,
    )
    # Bolt's default authorize rotates tokens through slack.com; ours uses SLACK_API_URL.
    oauth.authorize = StoredBotAuthorize(
        logger=log,
        installation_store=store,
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret,
        token_rotation_expiration_minutes=TOKEN_ROTATION_MINUTES,
        bot_only=True,
        cache_enabled=True,
        client=client,
    )
    return oauth
