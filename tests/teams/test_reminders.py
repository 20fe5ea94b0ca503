"""Teams: the deal card's Remind me unfolds a date picker (Input.Date); submitting it sets the reminder."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import jsonschema

from tests.teams.conftest import TeamsHarness
from tests.teams.teams_activities import card_submit, personal_message

DAY = dt.date.today() + dt.timedelta(days=60)  # reminders refuse days already past


def _remind_buttons(node: Any) -> list[dict[str, Any]]:
    """Return every Action.ShowCard titled Remind me in a card."""
    if isinstance(node, list):
        return [b for item in node for b in _remind_buttons(item)]
    if not isinstance(node, dict):
        return []
    own = (
        [node] if node.get("type") == "Action.ShowCard" and node.get("title") == "Remind me" else []
    )
    return own + [b for value in node.values() for b in _remind_buttons(value)]


async def test_remind_me_form_sets_a_team_reminder(
    teams: TeamsHarness, card_validator: jsonschema.Draft6Validator
) -> None:
    """Remind me holds Input.Date and a note; its submit sets the reminder `reminders` then lists."""
    await teams.send(personal_message(teams.connector.url, "deal Testa"))
    [posted] = teams.connector.messages()
    [card] = posted.cards
    card_validator.validate(card)
    [remind] = _remind_buttons(card)
    form = remind["card"]
    assert [i["type"] for i in form["body"]] == ["Input.Date", "Input.Text"]
    [submit] = form["actions"]

    # Teams merges the form's inputs into the Action.Submit data it sends back.
    pressed = card_submit(teams.connector.url, submit["data"]["chinabio_run"])
    pressed["value"].update({"remind_date": DAY.isoformat(), "remind_note": "ask for the data"})
    status, _ = await teams.send(pressed)
    assert status == 202
    confirmation = json.dumps(teams.connector.messages()[-1].cards, ensure_ascii=False)
    assert f"set for {DAY.day} {DAY:%B %Y}" in confirmation

    await teams.send(personal_message(teams.connector.url, "reminders"))
    listed = json.dumps(teams.connector.messages()[-1].cards, ensure_ascii=False)
    assert "Examplar and Testa licence — ask for the data" in listed


async def test_other_buttons_ignore_a_stray_date(teams: TeamsHarness) -> None:
    """Only the Remind me form's submit takes the date and note; another button runs as it is."""
    pressed = card_submit(teams.connector.url, "deal Testa")
    pressed["value"].update({"remind_date": DAY.isoformat(), "remind_note": "stray"})
    await teams.send(pressed)
    card = json.dumps(teams.connector.messages()[-1].cards, ensure_ascii=False)
    assert "Examplar and Testa licence" in card
    assert "Reminder" not in card
