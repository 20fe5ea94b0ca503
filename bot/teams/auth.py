"""Who may talk to the bot: JWT validation of every request from the Bot Connector.

With credentials set, every POST to /api/messages must carry a Bot Framework token that the
Agents SDK's `JwtTokenValidator` accepts (signature, expiry, audience = our client id, issuer),
and whose `serviceurl` claim names the serviceUrl the activity asks us to answer to. Without
credentials, `TEAMS_ANONYMOUS=1` lets a local run (Teams App Test Tool, Bot Framework Emulator)
in unauthenticated; that mode is logged as a WARNING at start-up.

Test seam: `deps.teams_jwks_url` makes the validator fetch signing keys from that one URL
instead of Microsoft's (the SDK hard-codes login.botframework.com / login.microsoftonline.com).
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from jwt import PyJWK, PyJWKClient, PyJWTError
from microsoft_agents.activity import load_configuration_from_env
from microsoft_agents.hosting.core import AgentAuthConfiguration, ClaimsIdentity
from microsoft_agents.hosting.core.authorization.jwt import JwtTokenValidator

from bot.settings import TEAMS_PREFIX, Settings

log = logging.getLogger(__name__)

_SDK_PREFIXES = ("CONNECTIONS__", "CONNECTIONSMAP__", "AGENTAPPLICATION__")


class Unauthorized(Exception):
    """The request may not reach the bot; the message says why (for the log only)."""


def sdk_configuration(
    settings: Settings, environ: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Return the Agents SDK configuration: CONNECTIONS__… variables, with the settings on top."""
    environ = os.environ if environ is None else environ
    env = {key: value for key, value in environ.items() if key.startswith(_SDK_PREFIXES)}
    for name, value in (
        ("CLIENTID", settings.teams_client_id),
        ("CLIENTSECRET", settings.teams_client_secret),
        ("TENANTID", settings.teams_tenant_id),
    ):
        if value:
            env[TEAMS_PREFIX + name] = value
    if not settings.teams_client_id:
        env[TEAMS_PREFIX + "ANONYMOUS_ALLOWED"] = "true"
    # The SDK checks the token issuer only when asked; we ask unless the operator says otherwise.
    env.setdefault(TEAMS_PREFIX + "VALIDATE_ISSUER", "true")
    return load_configuration_from_env(env)


class PinnedJwks:
    """Signing keys from one JWKS URL, whatever issuer a token names."""

    def __init__(self, jwks_url: str) -> None:
        self._client = PyJWKClient(jwks_url)
        self._lock = asyncio.Lock()

    async def get_signing_key(self, _jwks_uri: str, header: dict[str, Any]) -> PyJWK:
        """Return the key the token header's `kid` names (PyJWKClient is sync: run it aside)."""
        async with self._lock:
            return await asyncio.to_thread(self._client.get_signing_key, header["kid"])


@dataclass
class RequestAuthenticator:
    """Turns an incoming request into the SDK's ClaimsIdentity, or refuses it."""

    configuration: AgentAuthConfiguration
    anonymous: bool
    pinned_keys: PinnedJwks | None = None

    async def authenticate(self, request: web.Request) -> ClaimsIdentity:
        """Return the caller's claims; raise Unauthorized if the token is missing or invalid."""
        if self.anonymous:
            return ClaimsIdentity()
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthorized("no bearer token")
        validator = JwtTokenValidator(self.configuration)
        if self.pinned_keys is not None:
            # The SDK has no setting for its key URL; this instance attribute is the seam.
            validator._jwk_client_manager = self.pinned_keys  # type: ignore[assignment]
        try:
            return await validator.validate_token(token.strip())
        except (PyJWTError, ValueError, KeyError) as exc:
            raise Unauthorized(f"invalid token ({type(exc).__name__})") from exc


def check_service_url(identity: ClaimsIdentity, service_url: str | None) -> None:
    """Refuse an activity that asks us to answer somewhere its token was not issued for."""
    claimed = identity.get_claim_value("serviceurl")
    if claimed and service_url and _norm(service_url) != _norm(str(claimed)):
        raise Unauthorized("serviceUrl does not match the token's serviceurl claim")


def _norm(url: str) -> str:
    return url.strip().rstrip("/").casefold()


def build_authenticator(
    settings: Settings, configuration: AgentAuthConfiguration, jwks_url: str | None = None
) -> RequestAuthenticator:
    """Return the authenticator for these settings; log loudly when it lets anyone in."""
    anonymous = not settings.teams_client_id
    if anonymous:
        log.warning(
            "Teams runs in ANONYMOUS mode (TEAMS_ANONYMOUS=1, no client id): requests to "
            "/api/messages are NOT authenticated. Use this only on a local machine."
        )
    elif settings.teams_anonymous:
        log.warning("TEAMS_ANONYMOUS is ignored: Teams credentials are set, so JWT checks are on")
    pinned = PinnedJwks(jwks_url) if jwks_url else None
    return RequestAuthenticator(configuration, anonymous=anonymous, pinned_keys=pinned)
