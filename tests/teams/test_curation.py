"""The curation loop on Teams: rating buttons, the 👎 and Report-outdated forms, proposals."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
from sqlalchemy import Table, select

from bot.curation.tables import feedback, misses, proposals, reports
from tests.teams.conftest import MakeHarness, TeamsHarness
from tests.teams.teams_activities import (
    OTHER_CHANNEL,
    PERSONAL_CHAT,
    USER,
    card_submit,
    channel_mention,
    personal_message,
)


def stored(teams: TeamsHarness, table: Table) -> list[dict[str, Any]]:
    """Return the rows of `table`."""
    with teams.deps.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(select(table)).all()]


def submit(teams: TeamsHarness, data: dict[str, Any]) -> dict[str, Any]:
    """Return the message Teams sends when an Action.Submit with `data` (and inputs) is pressed."""
    activity = card_submit(teams.connector.url, "")
    activity["value"] = data
    return activity


async def last_card(teams: TeamsHarness, activity: dict[str, Any]) -> dict[str, Any]:
    """Send `activity`; return the last card the bot answered with."""
    status, _ = await teams.send(activity)
    assert status in {200, 201, 202}
    card: dict[str, Any] = teams.connector.messages()[-1].cards[-1]
    return card


def button(card: dict[str, Any], title: str) -> dict[str, Any]:
    """Return the data of the card's Action.Submit titled `title`, wherever it is."""
    found: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "Action.Submit" and node.get("title") == title:
                found.append(node["data"])
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(card)
    assert found, f"no {title!r} button"
    return found[0]


async def test_thumbs_up_on_a_card_is_stored(
    teams: TeamsHarness, card_validator: jsonschema.Draft6Validator
) -> None:
    """A deal card has 👍 / 👎 / Report outdated; 👍 stores the rating with what was shown."""
    card = await last_card(teams, personal_message(teams.connector.url, "deal Testa"))
    card_validator.validate(card)
    up = button(card, "👍")
    button(card, "Report outdated")
    await last_card(teams, submit(teams, up))
    (row,) = stored(teams, feedback)
    assert row["verdict"] == "up"
    assert row["platform"] == "teams"
    assert row["channel"] == PERSONAL_CHAT
    assert row["question"] == "deal Testa"
    assert "examplar-testa-licence" in row["entity_ids"]
    assert USER["aadObjectId"] not in json.dumps(row, default=str)


async def test_thumbs_down_sends_a_form_whose_reason_is_stored(
    teams: TeamsHarness, card_validator: jsonschema.Draft6Validator
) -> None:
    """👎 answers with a valid form card; sending it stores the reason and comment."""
    card = await last_card(teams, personal_message(teams.connector.url, "deal Testa"))
    form = await last_card(teams, submit(teams, button(card, "👎")))
    card_validator.validate(form)
    inputs = {e["id"] for e in form["body"] if e["type"].startswith("Input.")}
    assert inputs == {"reason", "comment"}
    sent = {**button(form, "Send"), "reason": "not-what-i-asked", "comment": "I meant Puhe."}
    await last_card(teams, submit(teams, sent))
    (row,) = stored(teams, feedback)
    assert (row["verdict"], row["reason"], row["comment"]) == (
        "down",
        "not-what-i-asked",
        "I meant Puhe.",
    )


async def test_report_outdated_reaches_the_curators_conversation(
    make_teams: MakeHarness, card_validator: jsonschema.Draft6Validator
) -> None:
    """A report is stored and posted to CURATORS_CHANNEL (a conversation the bot knows)."""
    teams = await make_teams(curators_channel=OTHER_CHANNEL)
    await teams.send(channel_mention(teams.connector.url, "help"))  # the bot knows the channel
    card = await last_card(teams, personal_message(teams.connector.url, "deal Testa"))
    form = await last_card(teams, submit(teams, button(card, "Report outdated")))
    card_validator.validate(form)
    empty = await last_card(teams, submit(teams, button(form, "Send")))
    assert "Say what changed" in json.dumps(empty)  # refused, shown again
    sent = {
        **button(form, "Send"),
        "entity": "examplar-testa-licence",
        "changed": "The deal was terminated.",
        "source": "Testa press release, May 2025",
    }
    await last_card(teams, submit(teams, sent))
    (row,) = stored(teams, reports)
    assert row["entity_id"] == "examplar-testa-licence"
    to_curators = [m for m in teams.connector.messages() if m.conversation_id == OTHER_CHANNEL]
    assert "The deal was terminated." in json.dumps(to_curators[-1].cards)


async def test_a_proposal_is_checked_in_the_form_and_never_served(
    make_teams: MakeHarness, card_validator: jsonschema.Draft6Validator
) -> None:
    """`propose person` offers the form; problems come back in it; a valid one is only posted."""
    teams = await make_teams(curators_channel=OTHER_CHANNEL)
    await teams.send(channel_mention(teams.connector.url, "help"))
    offer = await last_card(teams, personal_message(teams.connector.url, "propose person"))
    form = await last_card(teams, submit(teams, button(offer, "Propose a person")))
    card_validator.validate(form)
    bad = {**button(form, "Check and send"), "name": "Zed Example", "organisation": "nowhere-inc"}
    bad["role"], bad["source"] = "CEO", "teams-test-report"
    again = await last_card(teams, submit(teams, bad))
    card_validator.validate(again)
    assert "nowhere-inc" in json.dumps(again)  # the unknown organisation, named in the form
    assert stored(teams, proposals) == []
    good = {**bad, "organisation": "testa-bio"}
    done = await last_card(teams, submit(teams, good))
    assert "id: zed-example" in json.dumps(done)
    (row,) = stored(teams, proposals)
    assert row["entity_id"] == "zed-example"
    assert "zed-example" not in teams.deps.knowledge.store.entities
    await teams.send(personal_message(teams.connector.url, "person Zed Example"))
    await teams.bot.asker.misses.flush()  # type: ignore[union-attr]
    assert [r["question"] for r in stored(teams, misses)] == ["person Zed Example"]


async def test_a_miss_on_teams_is_logged(teams: TeamsHarness) -> None:
    """A Teams question the knowledge cannot answer is logged as a miss."""
    await teams.send(personal_message(teams.connector.url, "company Qwertyuiop Bio"))
    await teams.bot.asker.misses.flush()  # type: ignore[union-attr]
    (row,) = stored(teams, misses)
    assert (row["platform"], row["question"]) == ("teams", "company Qwertyuiop Bio")
