"""Card polish on Teams: facts in a FactSet, "Try" suggestions as buttons, a source cited once."""

from __future__ import annotations

import json
from typing import Any

import jsonschema

from bot.teams.render import RUN_KEY, render_card
from handlers import AskContext, answer
from handlers.reply import Fact, QuoteBlock, Reply, ReplyKind, SourceCitation
from knowledge import KnowledgeStore

SOURCE = SourceCitation(title="A report", publisher="Publisher", date="April 2025", locator="p. 3")


def _typed(node: Any, kind: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        if node.get("type") == kind:
            found.append(node)
        for value in node.values():
            found += _typed(value, kind)
    elif isinstance(node, list):
        for value in node:
            found += _typed(value, kind)
    return found


def test_facts_are_one_factset_with_markdown_escaped(
    card_validator: jsonschema.Draft6Validator,
) -> None:
    """Labels and values line up in a FactSet; markdown in a value shows as typed, not as a link."""
    facts = [
        Fact(label="Territory", value="Greater China"),
        Fact(label="Note", value="[click](https://evil.example) **now** - a_b"),
    ]
    card = render_card(Reply(kind=ReplyKind.DEAL, title="Deal", facts=facts))
    card_validator.validate(card)
    (factset,) = _typed(card, "FactSet")
    assert factset["facts"][0] == {"title": "Territory", "value": "Greater China"}
    value = factset["facts"][1]["value"]
    assert value == r"\[click\]\(https://evil.example\) \*\*now\*\* - a\_b"


def test_try_suggestions_are_buttons_that_run_them(
    card_validator: jsonschema.Draft6Validator,
) -> None:
    """Each suggestion is an Action.Submit carrying its command; no "Try:" text is left."""
    reply = Reply(kind=ReplyKind.QUOTE, title="Q", suggestions=["deal Testa", "events"])
    card = render_card(reply)
    card_validator.validate(card)
    sets = _typed(card, "ActionSet")
    tries = next(s["actions"] for s in sets if all(RUN_KEY in a["data"] for a in s["actions"]))
    assert [(a["title"], a["data"]) for a in tries] == [
        ("deal Testa", {RUN_KEY: "deal Testa"}),
        ("events", {RUN_KEY: "events"}),
    ]
    assert "Try:" not in json.dumps(card["body"])


def test_a_quote_card_cites_its_source_once() -> None:
    """A quote whose source is the card's source is cited in the footer only."""
    quote = QuoteBlock(quote_id="q", text="We move fast.", speaker="Ada", source=SOURCE)
    card = render_card(Reply(kind=ReplyKind.QUOTE, title="Q", quotes=[quote], sources=[SOURCE]))
    runs = [r["text"] for r in _typed(card, "TextRun")]
    assert sum(r.startswith("Source: A report") for r in runs) == 1


def test_a_real_quote_answer_cites_once(store: KnowledgeStore) -> None:
    """Each of Irene Hong's quotes, as the shipped knowledge answers them, cites each source once."""
    ctx = AskContext(platform="teams")
    for _ in range(4):  # "quote" rotates through her quotes
        card = render_card(answer("quote Irene Hong", store, ctx))
        cited = [r["text"] for r in _typed(card, "TextRun") if r["text"].startswith("Source: ")]
        assert cited
        assert len(cited) == len(set(cited))
