"""The Slack renderer: valid Block Kit within Slack's limits, escaped text, working buttons."""

from __future__ import annotations

import json
from typing import Any

import pytest
from slack_sdk.models.blocks import Block

from bot.slack.render import RUN_ACTION_ID, SHARE_ACTION_ID, escape, render_message, render_messages
from bot.slack.text import plain_text
from handlers import Reply, ReplyKind
from handlers.reply import Action, ActionKind, Fact, ListItem, QuoteBlock, Section, SourceCitation
from tests.chat_helpers import Chat

#: A command for every reply kind the handlers produce from the shipped knowledge.
COMMANDS = {
    "deal Puhe": ReplyKind.DEAL,
    "deal J&J": ReplyKind.DEAL_LIST,
    "company Servier": ReplyKind.COMPANY,
    "person Irene Hong": ReplyKind.PERSON,
    "quote NewCo": ReplyKind.QUOTE,
    "trends": ReplyKind.TREND_LIST,
    "stats": ReplyKind.STAT_LIST,
    "event ChinaBio Partnering Forum 2025": ReplyKind.EVENT,
    "search PRMT5": ReplyKind.SEARCH,
    "person Wang": ReplyKind.CHOICE,
    "explain the NewCo structure": ReplyKind.TOPIC,
    "help": ReplyKind.HELP,
    "deal Qwertyzyx Pharma": ReplyKind.NOT_FOUND,
    "subscriptions": ReplyKind.SUBSCRIPTION,
    "asset ART001": ReplyKind.ASSET,
}


def _texts(node: Any) -> list[dict[str, Any]]:
    """Return every text object inside a block."""
    if isinstance(node, dict):
        found = [node] if node.get("type") in {"plain_text", "mrkdwn"} else []
        return found + [t for v in node.values() for t in _texts(v)]
    if isinstance(node, list):
        return [t for v in node for t in _texts(v)]
    return []


def assert_valid_message(message: dict[str, Any]) -> None:
    """Check a message against slack_sdk's Block Kit models and Slack's documented limits."""
    assert isinstance(message["text"], str)
    assert message["text"].strip()
    blocks = message["blocks"]
    assert 0 < len(blocks) <= 50
    for raw in blocks:
        model = Block.parse(raw)
        assert model is not None, raw
        assert model.to_dict() == raw  # to_dict runs slack_sdk's validators
        for text in _texts(raw):
            assert 0 < len(text["text"]) <= 3000
        if raw["type"] == "header":
            assert len(raw["text"]["text"]) <= 150
        if raw["type"] == "section" and "fields" in raw:
            assert len(raw["fields"]) <= 10
            assert all(len(f["text"]) <= 2000 for f in raw["fields"])
        buttons = [e for e in raw.get("elements", []) if e.get("type") == "button"]
        buttons += [raw["accessory"]] if "accessory" in raw else []
        for element in buttons:
            assert len(element["text"]["text"]) <= 75
            assert len(element["value"]) <= 2000
        ids = [e["action_id"] for e in buttons]
        assert len(ids) == len(set(ids)), "action_id repeated inside one block"


@pytest.mark.parametrize(("command", "kind"), COMMANDS.items())
async def test_every_reply_kind_renders_valid_block_kit(
    chat: Chat, command: str, kind: str
) -> None:
    """Each command's reply has the expected kind and renders to valid Block Kit."""
    reply = await chat.ask(command, mention=command.startswith("explain"))
    assert reply.kind == kind
    assert_valid_message(render_message(reply))
    for message in render_messages(reply):
        assert_valid_message(message)


def test_built_replies_of_the_remaining_kinds_render() -> None:
    """Digest, error and the list kinds not reached above render valid Block Kit too."""
    source = SourceCitation(
        title="Report", publisher="ChinaBio", date="April 2025", url="https://x.test/r"
    )
    quote = QuoteBlock(
        quote_id="q", text="Line one\nline two", speaker="A B", role="CEO", source=source
    )
    covered = set(COMMANDS.values())
    for kind in ReplyKind:
        reply = Reply(
            kind=kind,
            title=f"{kind} reply",
            text="Summary.",
            facts=[Fact(label="L", value="V")],
            quotes=[quote],
            sections=[Section(heading="Part", items=[ListItem(title="x")], quotes=[quote])],
            sources=[source],
            command="digest",
        )
        assert_valid_message(render_message(reply))
        covered.add(kind)
    assert covered == set(ReplyKind)


@pytest.mark.parametrize(
    "command",
    [
        "deal <!channel>",
        "search <!here> <@U123ABC> & friends",
        "quote <!everyone>",
        "<!channel> please",
        "company <https://evil.test|click me>",
    ],
)
async def test_typed_mentions_and_links_never_ping(chat: Chat, command: str) -> None:
    """Mentions or links typed into a command come back escaped everywhere in the message."""
    message = await chat.slack(command)
    dumped = json.dumps(message, ensure_ascii=False)
    for live in ("<!channel>", "<!here>", "<!everyone>", "<@U123ABC>", "<https://evil"):
        assert live not in dumped
    assert_valid_message(message)


def test_knowledge_text_is_escaped_too() -> None:
    """Ampersands and angle brackets from the knowledge are escaped in every field."""
    reply = Reply(
        kind=ReplyKind.DEAL,
        title="J&J <b>",
        text="A & B <c>",
        facts=[Fact(label="<x>", value="y & z")],
        items=[
            ListItem(
                title="<@U1>",
                subtitle="&",
                action=Action(kind=ActionKind.RUN, label="<go>", command="deal <a>"),
            )
        ],
        command="deal J&J",
    )
    message = render_message(reply)
    dumped = json.dumps(message)
    assert "<" not in dumped.replace("\\u", "")
    assert "J&amp;J &lt;b&gt;" in dumped
    assert escape("<!channel> & <@U1>") == "&lt;!channel&gt; &amp; &lt;@U1&gt;"


async def test_very_long_input_stays_within_limits(chat: Chat) -> None:
    """A 4,000-character command answers with a short title and a valid message."""
    long_text = "deal " + ("Puhe " * 800)[:3995]
    reply = await chat.ask(long_text)
    assert len(reply.title) <= 150
    message = render_message(reply)
    assert_valid_message(message)
    assert len(json.dumps(message)) < 20000


async def test_buttons_share_and_run(chat: Chat) -> None:
    """Share carries the original command; list buttons run `deal <id>`; More runs the next page."""
    message = await chat.slack("deal J&J")
    buttons = [
        b
        for block in message["blocks"]
        for b in [
            *block.get("elements", []),
            *([block["accessory"]] if "accessory" in block else []),
        ]
        if b.get("type") == "button"
    ]
    share = [b for b in buttons if b["action_id"] == SHARE_ACTION_ID]
    assert [b["value"] for b in share] == ["deal J&amp;J"]
    runs = [b["value"] for b in buttons if b["action_id"] == RUN_ACTION_ID]
    assert any(v.startswith("deal ") and " " not in v[5:] for v in runs)
    assert "deal J&amp;J page:2" in runs
    more = await chat.ask(plain_text("deal J&amp;J page:2"))  # the value, as Slack returns it
    assert more.kind == ReplyKind.DEAL_LIST
    assert "Page 2" in (more.text or "")


def _long_digest(items: int) -> Reply:
    return Reply(
        kind=ReplyKind.DIGEST,
        title="Weekly digest",
        text="This week.",
        sections=[
            Section(
                heading=f"Part {p}",
                items=[
                    ListItem(
                        title=f"item {p}-{n}",
                        action=Action(kind=ActionKind.RUN, label="Open", command=f"deal d{p}{n}"),
                    )
                    for n in range(items)
                ],
            )
            for p in range(3)
        ],
        sources=[SourceCitation(title="Report")],
        actions=[Action(kind=ActionKind.RUN, label="Another quote", command="quote")],
        command="digest",
    )


def test_render_message_truncates_with_a_note() -> None:
    """A reply longer than 50 blocks is cut at an item boundary with a 'more not shown' note."""
    message = render_message(_long_digest(40))
    assert_valid_message(message)
    assert "more not shown" in json.dumps(message)
    assert message["blocks"][-1]["type"] == "actions"


def test_render_messages_splits_without_cutting_an_item() -> None:
    """A long digest becomes several valid messages holding every item exactly once."""
    messages = render_messages(_long_digest(40))
    assert len(messages) >= 3
    for message in messages:
        assert_valid_message(message)
    titles = [
        block["text"]["text"]
        for message in messages
        for block in message["blocks"]
        if block["type"] == "section" and "accessory" in block
    ]
    expected = [f"*item {p}-{n}*" for p in range(3) for n in range(40)]
    assert titles == expected
    continued = [b for m in messages[1:] for b in m["blocks"][:1]]
    assert all(b["type"] == "header" for b in continued)
    assert messages[-1]["blocks"][-1]["type"] == "actions"
