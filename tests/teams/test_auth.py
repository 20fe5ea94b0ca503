"""With credentials set, only requests bearing a valid Bot Framework token reach the bot."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import pytest

from tests.teams.conftest import CLIENT_SECRET, MakeHarness, TeamsHarness
from tests.teams.fake_connector import SigningKey
from tests.teams.teams_activities import (
    BOT_APP_ID,
    GENERAL_CHANNEL,
    bot_added_to_team,
    personal_message,
)
from tests.teams.test_sender import digest


def valid_claims(teams: TeamsHarness) -> dict[str, Any]:
    """Return the claims the Bot Framework puts in a token for this bot and connector."""
    return {"aud": BOT_APP_ID, "serviceurl": teams.connector.url}


async def test_valid_token_is_answered_with_an_outgoing_token(
    secured_teams: TeamsHarness,
) -> None:
    """A signed token for our client id is accepted; the reply carries a token from the token service."""
    teams = secured_teams
    token = teams.connector.signing_key.token(**valid_claims(teams))

    status, _ = await teams.send(personal_message(teams.connector.url, "deal Testa"), token=token)

    assert status == 202
    [posted] = teams.connector.messages()
    assert posted.authorization is not None
    assert posted.authorization.removeprefix("Bearer ") in teams.connector.issued_tokens
    request = teams.connector.token_requests[0]
    assert (request["client_id"], request["client_secret"]) == (BOT_APP_ID, CLIENT_SECRET)


async def test_request_without_token_is_refused(secured_teams: TeamsHarness) -> None:
    """No Authorization header: 401, and the bot says nothing."""
    teams = secured_teams

    status, _ = await teams.send(personal_message(teams.connector.url, "deal Testa"))

    assert status == 401
    assert teams.connector.posted == []


def forged(teams: TeamsHarness) -> str:
    """Return a token signed by another key that claims the served key's id."""
    return SigningKey(kid=teams.connector.signing_key.kid).token(**valid_claims(teams))


@pytest.mark.parametrize(
    ("name", "make_token"),
    [
        ("forged signature", forged),
        (
            "other audience",
            lambda t: t.connector.signing_key.token(**{**valid_claims(t), "aud": "someone-else"}),
        ),
        (
            "expired",
            lambda t: t.connector.signing_key.token(
                **valid_claims(t),
                exp=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=30),
                nbf=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=60),
            ),
        ),
        (
            "untrusted issuer",
            lambda t: t.connector.signing_key.token(
                **valid_claims(t), iss="https://issuer.example.com"
            ),
        ),
        (
            "serviceUrl not the token's",
            lambda t: t.connector.signing_key.token(
                **{**valid_claims(t), "serviceurl": "https://smba.trafficmanager.net/emea/"}
            ),
        ),
        ("not a JWT", lambda t: "not-a-jwt"),
    ],
)
async def test_bad_tokens_are_refused(
    secured_teams: TeamsHarness, name: str, make_token: Any
) -> None:
    """A forged, foreign, expired, mis-issued or mis-bound token gets 401 and no reply."""
    teams = secured_teams

    status, body = await teams.send(
        personal_message(teams.connector.url, "deal Testa"), token=make_token(teams)
    )

    assert status == 401, name
    assert body == {"error": "unauthorized"}
    assert teams.connector.posted == []


async def test_basic_auth_header_is_refused(secured_teams: TeamsHarness) -> None:
    """An Authorization header that is not a bearer token is refused."""
    response = await secured_teams.client.post(
        "/api/messages",
        json=personal_message(secured_teams.connector.url, "help"),
        headers={"Authorization": "Basic dXNlcjpwYXNz"},
    )

    assert response.status == 401


async def test_proactive_digest_carries_an_outgoing_token(secured_teams: TeamsHarness) -> None:
    """With credentials, the proactive digest post is authorised with a token for our client id."""
    teams = secured_teams
    token = teams.connector.signing_key.token(**valid_claims(teams))
    await teams.send(bot_added_to_team(teams.connector.url), token=token)
    teams.connector.posted.clear()

    await teams.bot.sender.post(GENERAL_CHANNEL, digest())

    [posted] = teams.connector.messages()
    assert posted.authorization is not None
    assert posted.authorization.removeprefix("Bearer ") in teams.connector.issued_tokens


async def test_anonymous_mode_is_logged_loudly(
    make_teams: MakeHarness, caplog: pytest.LogCaptureFixture
) -> None:
    """Starting without credentials (TEAMS_ANONYMOUS=1) logs a WARNING naming the mode."""
    with caplog.at_level(logging.INFO, logger="bot.teams"):
        await make_teams()

    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert any("ANONYMOUS" in r.getMessage() for r in warnings)


async def test_secured_mode_logs_no_anonymous_warning(
    make_teams: MakeHarness, caplog: pytest.LogCaptureFixture
) -> None:
    """With credentials there is no anonymous-mode warning."""
    with caplog.at_level(logging.INFO, logger="bot.teams"):
        await make_teams(secured=True)

    assert not any("ANONYMOUS" in r.getMessage() for r in caplog.records)
