"""The calendar and ask-about answers render within Slack's limits and as valid Adaptive Cards."""

from __future__ import annotations

import datetime as dt
import json

import jsonschema
import pytest

from bot.slack.render import MAX_BLOCKS, render_message
from bot.teams.render import render_card
from handlers import Reply
from handlers.about import about_message
from handlers.calendar import calendar_reply
from knowledge import KnowledgeStore
from tests.shared_files import shared_file


@pytest.fixture(scope="module")
def card_validator() -> jsonschema.Draft6Validator:
    """The official Adaptive Card 1.5 schema from ../shared (skips without it)."""
    schema = json.loads(shared_file("schemas/adaptive-card-1.5.json").read_text())
    return jsonschema.Draft6Validator(schema)


def _replies(store: KnowledgeStore) -> list[Reply]:
    return [
        calendar_reply(store, dt.date(2025, 4, 1)),
        calendar_reply(store, dt.date(2026, 12, 4)),
        about_message("Bayer and Puhe Biopharma on PH020; Servier and ADC deals", store),
        about_message("nothing named here at all", store),
    ]


def test_teams_cards_are_valid(
    store: KnowledgeStore, card_validator: jsonschema.Draft6Validator
) -> None:
    """Each answer is an Adaptive Card 1.5 the official schema accepts."""
    for reply in _replies(store):
        card_validator.validate(render_card(reply))


def test_slack_messages_keep_slacks_limits(store: KnowledgeStore) -> None:
    """Each answer is one Block Kit message of at most 50 blocks, with its Open buttons."""
    for reply in _replies(store):
        message = render_message(reply)
        assert len(message["blocks"]) <= MAX_BLOCKS
        assert message["text"]
    listing = json.dumps(render_message(_replies(store)[0])["blocks"])
    assert '"value": "event chinabio-partnering-forum-2025"' in listing
    assert '"value": "calendar subscribe"' in listing
