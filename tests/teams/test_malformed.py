"""A body that is not a runnable activity gets 400 and one log line, never a 500 and a traceback."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest

from tests.teams.conftest import TeamsHarness
from tests.teams.teams_activities import personal_message
from tests.teams.test_auth import valid_claims

URL = "https://smba.trafficmanager.net/emea/"


def _message(**changes: Any) -> bytes:
    """Return a personal message's JSON with some fields changed (None drops the field)."""
    activity = {**personal_message(URL, "deal Testa"), **changes}
    return json.dumps({k: v for k, v in activity.items() if v is not None}).encode()


MALFORMED = {
    "a JSON array": b"[]",
    "JSON null": b"null",
    "a JSON string": b'"deal Testa"',
    "a JSON number": b"42",
    "bytes that are not UTF-8": b'{"type": "message", "text": "\xff\xfe"}',
    "not JSON": b"{",
    "an empty body": b"",
    "JSON nested too deep": b"[" * 100_000,
    "a lone surrogate": b'{"type": "message", "text": "\\ud800"}',
    "no conversation": _message(conversation=None),
    "a conversation without id": _message(conversation={"conversationType": "personal"}),
    "a conversation that is a string": _message(conversation="a:1"),
    "text that is a number": _message(text=123),
    "a type that is a number": _message(type=5),
    "no type": _message(type=None),
    "from that is a number": _message(**{"from": 5}),
    "entities that are not a list": _message(entities="mention"),
    "an entity that is a number": _message(entities=[5]),
    "no sender": _message(**{"from": None}),
    "a sender without id": _message(**{"from": {"name": "Ada Lovelace"}}),
    "no channelId": _message(channelId=None),
    "no recipient": _message(recipient=None),
    "no serviceUrl": _message(serviceUrl=None),
    "a serviceUrl that is not a URL": _message(serviceUrl="not a url"),
    "a serviceUrl that is not http": _message(serviceUrl="file:///etc/passwd"),
    "a timestamp that is not a date": _message(timestamp="yesterday"),
}


async def post(teams: TeamsHarness, body: bytes, token: str | None = None) -> tuple[int, Any]:
    """POST raw bytes as JSON to /api/messages; return the status and the JSON body."""
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    response = await teams.client.post("/api/messages", data=body, headers=headers)
    json_body = response.content_type == "application/json"
    return response.status, await response.json() if json_body else None


@pytest.mark.parametrize("body", MALFORMED.values(), ids=MALFORMED.keys())
async def test_malformed_body_gets_400_and_one_log_line(
    teams: TeamsHarness, caplog: pytest.LogCaptureFixture, body: bytes
) -> None:
    """Each malformed body gets 400 with a short reason, one WARNING line without traceback, no reply."""
    caplog.set_level(logging.WARNING)

    status, answer = await post(teams, body)

    assert status == 400
    assert answer["error"].startswith("bad activity: ")
    assert len(answer["error"]) <= 200
    problems = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert [(r.name, r.exc_info) for r in problems] == [("bot.teams.app", None)]
    assert "Traceback" not in caplog.text
    assert teams.connector.posted == []


async def test_the_reason_names_the_field(teams: TeamsHarness) -> None:
    """`"text": 123` is refused with a reason that names `text`, without echoing the value."""
    status, answer = await post(teams, _message(text=123))

    assert status == 400
    assert answer == {"error": "bad activity: text: Input should be a valid string"}


async def test_a_good_message_still_gets_an_answer(teams: TeamsHarness) -> None:
    """The check lets a real personal message through to an answer."""
    status, _ = await post(
        teams, json.dumps(personal_message(teams.connector.url, "help")).encode()
    )

    assert status == 202
    assert len(teams.connector.messages()) == 1


@pytest.mark.parametrize(
    "body", [b"[]", b"{", _message(text=123)], ids=["array", "not JSON", "text 123"]
)
async def test_without_a_token_a_malformed_body_is_401(
    secured_teams: TeamsHarness, body: bytes
) -> None:
    """With credentials set, the token is checked before the body: no token means 401 whatever the body."""
    status, answer = await post(secured_teams, body)

    assert status == 401
    assert answer == {"error": "unauthorized"}


@pytest.mark.parametrize(
    "body", [b"[]", b"[" * 100_000, _message(text=123)], ids=["array", "deep", "text 123"]
)
async def test_with_a_valid_token_a_malformed_body_is_400(
    secured_teams: TeamsHarness, body: bytes
) -> None:
    """A caller with a valid token who sends a malformed body gets 400, not 500."""
    teams = secured_teams
    token = teams.connector.signing_key.token(**valid_claims(teams))

    status, answer = await post(teams, body, token=token)

    assert status == 400
    assert answer["error"].startswith("bad activity: ")
