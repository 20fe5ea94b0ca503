"""Mount the Teams bot on the project's aiohttp app: POST /api/messages, plus the digest sender.

Built on the Microsoft 365 Agents SDK: `CloudAdapter` + `AgentApplication`, credentials from the
SDK's environment names (CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID, …).

Test seam: `deps.teams_token_provider` replaces the SDK's MSAL token provider (a factory taking
the connection's AgentAuthConfiguration), so tests can fetch outgoing tokens from a fake on
loopback; in production it is unset and MSAL talks to Microsoft Entra ID.
"""

from __future__ import annotations

import logging
import traceback
import warnings

from aiohttp import web
from aiohttp.web_exceptions import NotAppKeyWarning
from microsoft_agents.authentication.msal import MsalAuth
from microsoft_agents.hosting.aiohttp import CloudAdapter
from microsoft_agents.hosting.core import (
    AgentApplication,
    ApplicationOptions,
    ConnectionManager,
    MemoryStorage,
    TurnContext,
    TurnState,
)

from bot.asking import Asker
from bot.curation.desk import CurationDesk
from bot.deps import Deps
from bot.digest.sender import Sender
from bot.teams.activities import PLATFORM
from bot.teams.auth import (
    RequestAuthenticator,
    Unauthorized,
    build_authenticator,
    check_service_url,
    sdk_configuration,
)
from bot.teams.conversations import ConversationStore
from bot.teams.curators import TeamsCurators
from bot.teams.exports import ExportLinks
from bot.teams.exports import install as install_exports
from bot.teams.inbound import BadActivity, quiet_sdk_validation_log, read_activity
from bot.teams.listeners import TeamsServices, register
from bot.teams.messages import ERROR_TEXT
from bot.teams.sender import TeamsSender

log = logging.getLogger(__name__)

MESSAGES_PATH = "/api/messages"


class TeamsBot:
    """Everything the Teams side is made of, built once at start-up."""

    def __init__(self, deps: Deps) -> None:
        settings = deps.settings
        config = sdk_configuration(settings)
        factory = deps.teams_token_provider or MsalAuth
        self.connections = ConnectionManager(provider_factory=factory, **config)
        self.authenticator: RequestAuthenticator = build_authenticator(
            settings, self.connections.get_default_connection_configuration(), deps.teams_jwks_url
        )
        self.adapter = CloudAdapter(connection_manager=self.connections)
        self.adapter.on_turn_error = _on_adapter_error
        self.agent_app = AgentApplication[TurnState](
            ApplicationOptions(
                storage=MemoryStorage(),
                start_typing_timer=False,
                remove_recipient_mention=True,
            ),
            connection_manager=self.connections,
        )
        self.conversations = ConversationStore(deps.engine)
        self.asker = Asker(PLATFORM, deps)
        self.export_links = ExportLinks(settings.export_link_secret)
        self.sender = TeamsSender(self.adapter, self.conversations, settings.teams_client_id)
        register(
            self.agent_app,
            TeamsServices(
                self.asker,
                self.conversations,
                sender=self.sender,
                export_links=self.export_links,
                public_url=settings.public_url,
                curators=TeamsCurators(CurationDesk(deps, PLATFORM), self.sender),
            ),
        )
        if self.authenticator.anonymous:
            _quiet_missing_app_id_warning()
        quiet_sdk_validation_log()

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """Authenticate the Bot Connector's POST, check its activity, then let the SDK run the turn."""
        try:
            identity = await self.authenticator.authenticate(request)
            activity = await read_activity(request)
            check_service_url(identity, activity.service_url)
        except Unauthorized as exc:
            log.warning("teams: refused a request to %s: %s", MESSAGES_PATH, exc)
            return web.json_response({"error": "unauthorized"}, status=401)
        except BadActivity as exc:
            log.warning("teams: refused a malformed request to %s: %s", MESSAGES_PATH, exc)
            return web.json_response({"error": f"bad activity: {exc}"}, status=400)
        with warnings.catch_warnings():  # the SDK reads this plain string key
            warnings.simplefilter("ignore", NotAppKeyWarning)
            request["claims_identity"] = identity
        response = await self.adapter.process(request, self.agent_app)
        return response if response is not None else web.Response(status=202)


TEAMS_BOT = web.AppKey("teams_bot", TeamsBot)


def install(app: web.Application, deps: Deps) -> Sender:
    """Add POST /api/messages; return the mounted bot's digest sender."""
    bot = TeamsBot(deps)
    app[TEAMS_BOT] = bot
    app.router.add_post(MESSAGES_PATH, bot.handle)
    install_exports(app, deps, bot.export_links)
    log.info("teams: listening at POST %s", MESSAGES_PATH)
    return bot.sender


def digest_sender(deps: Deps) -> Sender:
    """Return a Teams digest sender without the HTTP server (the digest CLI, the console)."""
    return TeamsBot(deps).sender


class _MissingAppIdFilter(logging.Filter):
    """Drop the SDK's per-request 'App ID is not provided' warning (expected in anonymous mode)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "App ID is not provided" not in record.getMessage()


def _quiet_missing_app_id_warning() -> None:
    sdk_logger = logging.getLogger(
        "microsoft_agents.hosting.core.connector.client.user_token_client"
    )
    if not any(isinstance(f, _MissingAppIdFilter) for f in sdk_logger.filters):
        sdk_logger.addFilter(_MissingAppIdFilter())


async def _on_adapter_error(context: TurnContext, error: Exception) -> None:
    """Log a failure outside the listeners; tell the user without details."""
    log.error("teams: adapter failure: %s\n%s", error, traceback.format_exc())
    try:
        await context.send_activity(ERROR_TEXT)
    except Exception:
        log.exception("teams: could not report the failure to the user")
