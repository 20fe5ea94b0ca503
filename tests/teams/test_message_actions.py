"""Teams "Ask ChinaBio about this": a message action answered in a task module, nothing posted."""

from __future__ import annotations

import json
from typing import Any

import jsonschema

from tests.teams.conftest import TeamsHarness
from tests.teams.teams_activities import message_action

FETCH, SUBMIT = "composeExtension/fetchTask", "composeExtension/submitAction"
EMAIL = "<p>Hi all,</p><p>Heard that <b>Testa Bio</b> is talking to Examplar &amp; others.</p>"


def _task_card(body: dict[str, Any]) -> dict[str, Any]:
    task = body["task"]
    assert task["type"] == "continue"
    card = task["value"]["card"]
    assert card["contentType"] == "application/vnd.microsoft.card.adaptive"
    content: dict[str, Any] = card["content"]
    return content


async def test_fetch_task_answers_on_what_the_message_names(
    teams: TeamsHarness, card_validator: jsonschema.Draft6Validator
) -> None:
    """Picking the action on an email shows a task module card with Testa Bio and Examplar Pharma."""
    status, body = await teams.send(message_action(teams.connector.url, FETCH, EMAIL))
    assert status == 200
    card = _task_card(body)
    card_validator.validate(card)
    text = json.dumps(card, ensure_ascii=False)
    assert "What the knowledge has on this message" in text
    assert "Testa Bio" in text
    assert "Examplar Pharma" in text
    assert teams.connector.messages() == []  # private: nothing is posted in the channel


async def test_submit_action_answers_the_message_too(
    teams: TeamsHarness, card_validator: jsonschema.Draft6Validator
) -> None:
    """A submitAction carrying the message (no button pressed) gets the same kind of answer."""
    status, body = await teams.send(message_action(teams.connector.url, SUBMIT, EMAIL, data={}))
    assert status == 200
    card = _task_card(body)
    card_validator.validate(card)
    assert "Testa Bio" in json.dumps(card)


async def test_a_button_inside_the_task_module_runs_its_command(
    teams: TeamsHarness, card_validator: jsonschema.Draft6Validator
) -> None:
    """Open on a listed company comes back as submitAction and shows that company's card."""
    activity = message_action(
        teams.connector.url, SUBMIT, EMAIL, data={"chinabio_run": "company testa"}
    )
    status, body = await teams.send(activity)
    assert status == 200
    card = _task_card(body)
    card_validator.validate(card)
    assert card["body"][0]["inlines"][0]["text"] == "Testa Bio"
    assert teams.connector.messages() == []


async def test_a_message_without_text_gets_a_note(teams: TeamsHarness) -> None:
    """An image-only message (empty body) gets a clear note in the task module."""
    status, body = await teams.send(message_action(teams.connector.url, FETCH, ""))
    assert status == 200
    assert "That message has no text" in json.dumps(_task_card(body))
