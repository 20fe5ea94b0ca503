"""render_card: every kind of Reply becomes a valid Adaptive Card 1.5, with text shown verbatim."""

from __future__ import annotations

import contextlib
import io
import json
from collections.abc import Iterator
from typing import Any

import jsonschema
import pytest

from bot.cli import main as cli_main
from bot.plaintext import render_text
from bot.teams.render import MAX_CARD_ACTIONS, RUN_KEY, render_card, render_cards
from handlers import AskContext, answer
from handlers.reply import (
    Action,
    ActionKind,
    Fact,
    ListItem,
    QuoteBlock,
    Reply,
    ReplyKind,
    Section,
    SourceCitation,
)
from knowledge import load_store
from tests.fixtures import KNOWLEDGE

SOURCE = SourceCitation(
    title="A report",
    publisher="Publisher",
    date="April 2025",
    locator="p. 3",
    url="https://example.com/report",
)


def full_reply(kind: ReplyKind) -> Reply:
    """Return a reply of `kind` with every field filled in."""
    run = Action(kind=ActionKind.RUN, label="Another quote", command="quote Ada Tester")
    return Reply(
        kind=kind,
        title=f"A {kind.value} reply",
        text="Summary paragraph.",
        facts=[Fact(label="Territory", value="Greater China")],
        quotes=[
            QuoteBlock(
                quote_id="q1",
                text="We move fast.",
                speaker="Ada Tester",
                role="Head of Partnering",
                organisation="Examplar Pharma",
                source=SOURCE,
            )
        ],
        items=[
            ListItem(title="First", subtitle="with a button", action=run),
            ListItem(title="Second"),
        ],
        sections=[
            Section(heading="Quotes of the week", text="Text", facts=[Fact(label="a", value="b")])
        ],
        sources=[SOURCE],
        suggestions=["deal Testa", "quote Ada Tester"],
        actions=[run, Action(kind=ActionKind.SHARE, label="Share to channel")],
        more=Action(kind=ActionKind.RUN, label="More", command="deals page 2"),
    )


def elements(node: Any) -> Iterator[dict[str, Any]]:
    """Yield every typed object inside a card."""
    if isinstance(node, dict):
        if "type" in node:
            yield node
        for value in node.values():
            yield from elements(value)
    elif isinstance(node, list):
        for value in node:
            yield from elements(value)


@pytest.mark.parametrize("kind", list(ReplyKind))
def test_every_reply_kind_renders_a_valid_card(
    kind: ReplyKind, card_validator: jsonschema.Draft6Validator
) -> None:
    """A reply of each kind, every field set, validates against the Adaptive Card 1.5 schema."""
    card = render_card(full_reply(kind))

    card_validator.validate(card)
    assert card["version"] == "1.5"


@pytest.mark.parametrize(
    "command",
    ["help", "deal Testa", "Testa", "quote Ada Tester", "Ada Tester", "deal Nothing Like It", ""],
)
def test_handler_answers_render_valid_cards(
    command: str, card_validator: jsonschema.Draft6Validator
) -> None:
    """What the handlers really answer (any kind they choose) renders to a valid card."""
    reply = answer(command, load_store(KNOWLEDGE), AskContext(platform="teams"))

    card_validator.validate(render_card(reply))


def test_schema_validation_would_catch_a_bad_card(
    card_validator: jsonschema.Draft6Validator,
) -> None:
    """The validator is strict: an unknown property on a TextRun is an error."""
    card = render_card(full_reply(ReplyKind.DEAL))
    card["body"][0]["inlines"][0]["markdown"] = True

    assert list(card_validator.iter_errors(card))


def test_text_is_never_read_as_markdown() -> None:
    """Text goes into TextRuns (no markdown), never TextBlock or FactSet, and stays verbatim."""
    tricky = "[click me](https://evil.example) **now** <at>Everyone</at>"
    card = render_card(Reply(kind=ReplyKind.NOT_FOUND, title=tricky, text=tricky))

    kinds = {element["type"] for element in elements(card)}
    assert kinds.isdisjoint({"TextBlock", "FactSet"})
    runs = [e["text"] for e in elements(card) if e["type"] == "TextRun"]
    assert runs[:2] == [tricky, tricky]


def test_run_actions_become_submit_buttons_and_share_is_dropped() -> None:
    """RUN actions (and `more`) are Action.Submit with the command; SHARE has no Teams button."""
    card = render_card(full_reply(ReplyKind.QUOTE))

    assert card["actions"] == [
        {"type": "Action.Submit", "title": "Another quote", "data": {RUN_KEY: "quote Ada Tester"}},
        {"type": "Action.Submit", "title": "More", "data": {RUN_KEY: "deals page 2"}},
    ]


def test_item_buttons_open_their_entity() -> None:
    """A list item with a RUN action gets its own button beside it."""
    card = render_card(full_reply(ReplyKind.DEAL_LIST))

    columns = [e for e in elements(card) if e["type"] == "Column"]
    sets = [e for c in columns for e in c["items"] if e["type"] == "ActionSet"]
    assert [s["actions"][0]["data"] for s in sets] == [{RUN_KEY: "quote Ada Tester"}]


def test_action_bar_is_capped_for_teams() -> None:
    """At most six buttons (Teams' limit), duplicates removed."""
    actions = [
        Action(kind=ActionKind.RUN, label=f"Page {n}", command=f"deals page {n % 8}")
        for n in range(12)
    ]
    card = render_card(Reply(kind=ReplyKind.DEAL_LIST, title="Deals", actions=actions))

    commands = [a["data"][RUN_KEY] for a in card["actions"]]
    assert len(commands) == MAX_CARD_ACTIONS
    assert len(set(commands)) == len(commands)


def test_quote_speaker_line_is_the_shared_attribution() -> None:
    """A role that already names the organisation is not followed by the organisation again."""
    quote = QuoteBlock(
        quote_id="q1",
        text="We move fast.",
        speaker="Ada Tester",
        role="Head of Partnering, Examplar Pharma",
        organisation="Examplar Pharma",
    )
    card = render_card(Reply(kind=ReplyKind.QUOTE, title="Ada Tester", quotes=[quote]))

    runs = [e["text"] for e in elements(card) if e["type"] == "TextRun"]
    assert "— Ada Tester, Head of Partnering, Examplar Pharma" in runs


def test_only_web_sources_become_links() -> None:
    """A source URL becomes a link only when it is http(s)."""
    sources = [SOURCE, SourceCitation(title="Odd", url="javascript:alert(1)")]
    card = render_card(Reply(kind=ReplyKind.DEAL, title="t", sources=sources))

    links = [e["url"] for e in elements(card) if e["type"] == "Action.OpenUrl"]
    assert links == ["https://example.com/report"]


def test_fallback_text_is_the_plain_text_rendering() -> None:
    """fallbackText carries the same plain text the console shows."""
    reply = full_reply(ReplyKind.PERSON)

    assert render_card(reply)["fallbackText"] == render_text(reply)


def test_small_reply_is_one_card() -> None:
    """A reply that fits in one message is not split."""
    reply = full_reply(ReplyKind.DIGEST)

    assert render_cards(reply) == [render_card(reply)]


def test_cli_ask_format_teams_prints_a_valid_card(
    card_validator: jsonschema.Draft6Validator,
) -> None:
    """`chinabio ask --format teams` prints the Adaptive Card JSON of the answer."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = cli_main(
            ["ask", "--knowledge", str(KNOWLEDGE), "--format", "teams", "deal", "Testa"]
        )

    assert code == 0
    card = json.loads(out.getvalue())
    card_validator.validate(card)
    reply = answer("deal Testa", load_store(KNOWLEDGE), AskContext(platform="cli"))
    assert card == render_card(reply)
