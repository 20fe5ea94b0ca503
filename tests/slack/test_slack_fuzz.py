"""Fuzz /slack/events with mutated Slack payloads: never a 5xx, never an apology for a bad payload.

Each example takes one of Slack's real payloads (slash command, app_mention, DM, Home tab,
button click, dialog submission, url_verification), mutates it (fields deleted, replaced by any
JSON value or hostile text, added; the serialised body truncated or given the other content
type), signs it or not, and posts it to the running bot. Seeded and bounded: CHINABIO_FUZZ_EXAMPLES
(default 120) sets how many examples run; see docs/operations.md for longer runs.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any
from urllib.parse import parse_qsl, urlencode

import aiohttp
import pytest
from hypothesis import Phase, event, given, settings
from hypothesis import strategies as st

from tests.fuzzing import fuzz_settings
from tests.slack.slack_driver import (
    FORM,
    JSON,
    SlackDriver,
    button_payload,
    command_body,
    dm,
    event_body,
)
from tests.slack.slack_driver import mention as mention_event

APOLOGY = "Sorry, something went wrong"
#: Fields whose value decides where the bot posts: replaced, they would only test the network.
DESTINATIONS = {"response_url"}

HOSTILE = st.sampled_from(
    ["", " ", "\n", "T1\n2030 [error] forged", "\x00", "\u2028", "{", "[]", "payload", "%zz", "é"]
)
TEXT = st.text(max_size=24) | HOSTILE
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=6,
)
#: Printable ASCII: what an HTTP client will put in a header at all.
HEADER_TEXT = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=14)


def base_payloads(slack: SlackDriver) -> dict[str, tuple[Any, str]]:
    """Return Slack's real payloads by name, each with its wire format: "form" or "json"."""
    fake = slack.fake
    view = {
        "type": "view_submission",
        "team": {"id": "T0TEAM001", "domain": "chinabio-test"},
        "user": {"id": "U0ASKER", "team_id": "T0TEAM001"},
        "view": {
            "id": "V1",
            "type": "modal",
            "callback_id": "chinabio_ask",
            "state": {
                "values": {"question": {"text": {"type": "plain_text_input", "value": "help"}}}
            },
        },
    }
    home = {"type": "app_home_opened", "user": "U0ASKER", "channel": "D0DM", "tab": "home"}
    button = button_payload(fake, "chinabio_run", "deal Puhe")
    button["actions"][0]["action_ts"] = "1700000000.000100"  # a fixed length: replays draw alike
    return {
        "command": (
            dict(parse_qsl(command_body("deal Puhe", "U0ASKER", "C0GENERAL", fake))),
            "form",
        ),
        "mention": (event_body(mention_event("<@UCHINABIO> deal Puhe")), "json"),
        "dm": (event_body(dm("help")), "json"),
        "home": (event_body(home), "json"),
        "button": (button, "payload"),
        "dialog": (view, "payload"),
        "handshake": ({"type": "url_verification", "challenge": "c-1", "token": "t"}, "json"),
    }


def paths(tree: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Return the path of every value inside `tree` (dict keys and list indexes)."""
    if not isinstance(tree, dict | list):
        return []
    found: list[tuple[Any, ...]] = []
    for key, child in tree.items() if isinstance(tree, dict) else enumerate(tree):
        found.append((*prefix, key))
        found.extend(paths(child, (*prefix, key)))
    return found


def mutate(tree: Any, data: st.DataObject, *, form: bool) -> Any:
    """Apply one drawn mutation to `tree` in place: delete, replace or add a field."""
    spots = paths(tree)
    if not spots:
        return tree
    path = data.draw(st.sampled_from(spots), label="path")
    *parents, key = path
    parent = tree
    for step in parents:
        parent = parent[step]
    action = data.draw(st.sampled_from(["delete", "replace", "add"]), label="action")
    value = data.draw(TEXT if form else JSON_VALUES, label="value")
    if action == "delete":
        del parent[key]
    elif action == "replace" and key not in DESTINATIONS:
        parent[key] = value
    elif action == "add" and isinstance(parent, dict):
        parent[data.draw(TEXT, label="new key")] = value
    return tree


def serialise(payload: Any, wire: str) -> tuple[str, str]:
    """Return the body and content type Slack would send `payload` with."""
    if wire == "form":
        return urlencode({str(k): str(v) for k, v in payload.items()}), FORM
    if wire == "payload":
        return urlencode({"payload": json.dumps(payload)}), FORM
    return json.dumps(payload), JSON


def mangle(body: str, content_type: str, data: st.DataObject) -> tuple[str, str]:
    """Maybe damage the serialised body: truncate it, insert text, or swap its content type."""
    damage = data.draw(st.sampled_from(["none", "none", "truncate", "insert", "swap"]))
    if damage == "truncate":
        body = body[: data.draw(st.integers(0, len(body)), label="cut")]
    elif damage == "insert":
        at = data.draw(st.integers(0, len(body)), label="at")
        body = body[:at] + data.draw(TEXT, label="inserted") + body[at:]
    elif damage == "swap":
        content_type = JSON if content_type == FORM else FORM
    return body, content_type


def unreachable(record: logging.LogRecord) -> bool:
    """Tell whether a failure was a network one: a mangled response_url host cannot be reached."""
    error = record.exc_info[1] if record.exc_info else None
    return isinstance(error, aiohttp.ClientError)


async def lazy_work_done(timeout: float = 10) -> None:
    """Wait for the lazy listeners Bolt started after its acks (it names no other way to)."""
    lazy = [t for t in asyncio.all_tasks() if t.get_coro().__name__ == "to_runnable_function"]
    if lazy:
        await asyncio.wait(lazy, timeout=timeout)


FUZZ = settings(fuzz_settings(120), phases=[Phase.generate, Phase.shrink])


@FUZZ
@given(data=st.data())
async def test_mutated_payloads_never_fail_the_bot(
    slack: SlackDriver, caplog: pytest.LogCaptureFixture, data: st.DataObject
) -> None:
    """Mutated payloads get 2xx or 4xx, unsigned ones 401 and no call out, and nobody an apology."""
    name = data.draw(st.sampled_from(sorted(base_payloads(slack))), label="payload")
    payload, wire = base_payloads(slack)[name]
    for _ in range(data.draw(st.integers(0, 3), label="mutations")):
        payload = mutate(payload, data, form=wire == "form")
    body, content_type = mangle(*serialise(payload, wire), data)
    signed = data.draw(st.booleans() | st.just(True), label="signed")
    headers = {} if signed else {"X-Slack-Request-Timestamp": data.draw(HEADER_TEXT)}
    calls_before, records_before = len(slack.fake.calls), len(caplog.records)

    with caplog.at_level(logging.INFO):
        response = await slack.post(
            body, content_type, signature=None if signed else "v0=" + "0" * 64, headers=headers
        )
        text = await response.text()
        await lazy_work_done()

    event(f"{name}, {'signed' if signed else 'unsigned'}: {response.status}")  # for statistics
    assert response.status < 500, text
    assert APOLOGY not in text
    if not signed:
        assert response.status == 401
        assert len(slack.fake.calls) == calls_before
    errors = [r for r in caplog.records[records_before:] if r.levelno >= logging.ERROR]
    failures = [r for r in errors if not unreachable(r)]
    assert not failures, [r.getMessage() for r in failures]
    if not errors:  # an apology after an unreachable response_url is not a parse error's
        assert not [c for c in slack.fake.calls[calls_before:] if APOLOGY in json.dumps(c.args)]


async def test_lazy_work_done_sees_bolt_lazy_listeners(slack: SlackDriver) -> None:
    """The fuzz test's wait really waits: after a mention, its answer has been posted."""
    await slack.event(mention_event("<@UCHINABIO> deal Puhe"))
    await lazy_work_done()
    assert slack.fake.calls_to("chat.postMessage")
