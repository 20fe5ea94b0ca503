"""Slack cards: "Try" suggestions are buttons, and pressing one runs it like a typed command."""

from __future__ import annotations

import json
from typing import Any

from tests.slack.slack_driver import SlackDriver, button_payload


def _blocks(body: dict[str, Any]) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = body["blocks"]
    return blocks


async def test_suggestions_are_one_block_of_buttons(slack: SlackDriver) -> None:
    """`/chinabio quote Ada Tester` ends with its suggestions as buttons, no "Try:" text."""
    body = await (await slack.command("quote Ada Tester")).json()
    tries = [b for b in _blocks(body) if b.get("block_id") == "chinabio_try"]
    assert len(tries) == 1
    elements = tries[0]["elements"]
    assert elements
    assert all(e["type"] == "button" for e in elements)
    assert len({e["action_id"] for e in elements}) == len(elements)
    assert all(e["value"] == e["text"]["text"] for e in elements)
    assert "Try:" not in json.dumps(body["blocks"])


async def test_pressing_a_try_button_answers_its_command(slack: SlackDriver) -> None:
    """A try button's click (action_id chinabio_run_try_0) is answered privately like Run."""
    await slack.action(button_payload(slack.fake, "chinabio_run_try_0", "quote Ada Tester"))
    (answer,) = await slack.fake.wait_for("response_url")
    assert answer.args["response_type"] == "ephemeral"
    assert "Ada Tester" in json.dumps(answer.args["blocks"])


async def test_deal_card_has_open_buttons_for_its_parties(slack: SlackDriver) -> None:
    """The deal card's buttons include Open for each party, as chinabio_run buttons."""
    body = await (await slack.command("deal Testa")).json()
    buttons = [e for b in _blocks(body) if b["type"] == "actions" for e in b["elements"]]
    opens = [e for e in buttons if e["text"]["text"].startswith("Open ")]
    assert opens
    assert all(e["action_id"].startswith("chinabio_run") for e in opens)
