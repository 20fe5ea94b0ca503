"""One neutral digest Reply drawn three ways: Slack Block Kit, a Teams Adaptive Card, console text."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import jsonschema

from bot.plaintext import render_text
from bot.slack.render import render_messages
from bot.teams.render import render_card
from handlers.digest import compose_digest
from knowledge import KnowledgeStore
from tests.shared_files import shared_file

DAY = dt.date(2026, 12, 7)


def _walk(node: Any) -> list[dict[str, Any]]:
    if isinstance(node, list):
        return [d for item in node for d in _walk(item)]
    if isinstance(node, dict):
        return [node, *(d for value in node.values() for d in _walk(value))]
    return []


def test_slack_blocks_have_every_section_and_the_remind_button(store: KnowledgeStore) -> None:
    """Each digest section is a header; the deal of the week's Remind me opens the date dialog."""
    reply = compose_digest(store, DAY)
    blocks = [b for message in render_messages(reply) for b in message["blocks"]]
    headers = [b["text"]["text"] for b in blocks if b["type"] == "header"]
    assert [s.heading for s in reply.sections] == [h for h in headers if h != reply.title]
    buttons = [d for d in _walk(blocks) if d.get("type") == "button"]
    remind = [b for b in buttons if b["action_id"] == "chinabio_remind_open"]
    assert len(remind) == 1
    assert remind[0]["value"].startswith("remind deal ")
    assert {"chinabio_run"} <= {b["action_id"] for b in buttons}


def test_teams_card_is_valid_and_offers_a_date_picker(store: KnowledgeStore) -> None:
    """The same digest is a valid Adaptive Card 1.5 whose Remind me unfolds an Input.Date."""
    schema = json.loads(shared_file("schemas/adaptive-card-1.5.json").read_text())
    card = render_card(compose_digest(store, DAY))
    jsonschema.Draft6Validator(schema).validate(card)
    kinds = [d.get("type") for d in _walk(card)]
    assert "Action.ShowCard" in kinds
    assert "Input.Date" in kinds


def test_console_text_shows_what_to_type(store: KnowledgeStore) -> None:
    """The console draws buttons as commands; Remind me shows the day and note to add."""
    text = render_text(compose_digest(store, DAY))
    assert "Deal reminders\n--------------" in text
    assert "YYYY-MM-DD <what to check>" in text
