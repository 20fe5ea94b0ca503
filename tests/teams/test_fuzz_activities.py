"""Fuzz: whatever JSON reaches POST /api/messages in anonymous mode, the answer is never a 5xx."""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from tests.fuzzing import fuzz_settings
from tests.teams.conftest import TeamsHarness
from tests.teams.teams_activities import (
    bot_added_to_group_chat,
    bot_added_to_team,
    bot_removed_from_team,
    card_execute,
    card_submit,
    channel_mention,
    installation_update,
    personal_message,
)

APOLOGY = "something went wrong"
HERE = "http://service.invalid/"  # replaced by the fake connector's URL before sending
DELETE = object()

any_char = st.characters(exclude_categories=())  # every code point, lone surrogates included
odd_text = st.text(any_char, max_size=20)
commands = st.builds(
    "{} {}".format,
    st.sampled_from(["deal", "deals", "quote", "search", "help", "subscribe", "stats", "who"]),
    st.one_of(
        st.text(max_size=20),  # any text a JSON string carries (lone surrogates are refused)
        st.sampled_from(["Testa", "page:²", "year:²⁰²⁴", "page:٣", "tue ٠٨:٣٠"]),
        st.integers(400, 4000).map("Testa ".__mul__),  # longer than any command
    ),
)
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.floats(), odd_text, commands
)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(odd_text, inner, max_size=3),
    max_leaves=8,
)
activities = st.sampled_from(
    [
        lambda text: personal_message(HERE, text),
        lambda text: channel_mention(HERE, text),
        lambda text: card_submit(HERE, text),
        lambda text: card_execute(HERE, text),
        lambda _text: bot_added_to_team(HERE),
        lambda _text: bot_removed_from_team(HERE),
        lambda _text: bot_added_to_group_chat(HERE),
        lambda _text: installation_update(HERE, "add"),
        lambda _text: installation_update(HERE, "remove"),
    ]
)
#: Where the bot reads an activity; each may be replaced by any JSON value or left out.
FIELDS = [
    ("text",),
    ("type",),
    ("name",),
    ("value",),
    ("value", "chinabio_run"),
    ("value", "action"),
    ("value", "action", "data"),
    ("conversation",),
    ("conversation", "id"),
    ("conversation", "conversationType"),
    ("from",),
    ("from", "id"),
    ("from", "aadObjectId"),
    ("recipient",),
    ("recipient", "id"),
    ("entities",),
    ("channelData",),
    ("channelData", "eventType"),
    ("channelData", "channel"),
    ("channelData", "team"),
    ("membersAdded",),
    ("membersRemoved",),
    ("action",),
    ("localTimezone",),
    ("attachments",),
    ("replyToId",),
    ("timestamp",),
    ("channelId",),
    ("locale",),
    ("id",),
]
#: serviceUrl values that never point the bot at a real host.
SERVICE_URLS = st.sampled_from([DELETE, None, "", "not a url", "file:///etc/passwd", "http://", 5])
#: Mostly text (the type most fields have), then any JSON, then a missing field.
field_values = st.one_of(commands, st.text(max_size=30), json_values, st.just(DELETE))
changes = st.lists(st.tuples(st.sampled_from(FIELDS), field_values), max_size=3)


def _apply(activity: dict[str, Any], path: tuple[str, ...], value: object) -> None:
    """Set (or delete) `path` in the activity, making the dicts on the way as needed."""
    *parents, last = path
    node: Any = activity
    for key in parents:
        if not isinstance(node.get(key), dict):
            node[key] = {}
        node = node[key]
    if value is DELETE:
        node.pop(last, None)
    else:
        node[last] = value


@st.composite
def bodies(draw: st.DrawFn) -> bytes:
    """Return a request body: usually a Teams activity with a few fields changed, else any bytes."""
    kind = draw(st.sampled_from(["activity", "activity", "activity", "json", "bytes"]))
    if kind == "bytes":
        return draw(st.binary(max_size=200))
    if kind == "json":
        return json.dumps(draw(json_values)).encode()
    activity = copy.deepcopy(draw(activities)(draw(commands)))  # builders share nested dicts
    for path, value in draw(changes):
        _apply(activity, path, value)
    if draw(st.booleans()):
        _apply(activity, ("serviceUrl",), draw(SERVICE_URLS))
    return json.dumps(activity).encode()


@fuzz_settings(150)
@given(body=bodies())
async def test_no_activity_gets_a_5xx(teams: TeamsHarness, body: bytes) -> None:
    """Any body gets a status below 500; a refusal says why; no reply is an apology."""
    body = body.replace(HERE.encode(), teams.connector.url.encode())
    already = len(teams.connector.posted)

    response = await teams.client.post(
        "/api/messages", data=body, headers={"Content-Type": "application/json"}
    )

    assert response.status < 500, await response.text()
    if response.status == 400:
        assert (await response.json())["error"].startswith("bad activity: ")
    for posted in teams.connector.posted[already:]:
        assert APOLOGY not in json.dumps(posted.activity, ensure_ascii=False).casefold()
