"""`comps` and `compare` in Teams: Adaptive Card 1.5 `Table`s, valid against the official schema."""

from __future__ import annotations

from typing import Any

import jsonschema

from bot.teams.render import RUN_KEY, render_card
from handlers import AskContext, answer
from knowledge import load_store
from knowledge.loader import default_dir
from tests.teams.conftest import TeamsHarness
from tests.teams.teams_activities import personal_message


def _tables(card: dict[str, Any]) -> list[dict[str, Any]]:
    return [e for e in card["body"] if e["type"] == "Table"]


def _texts(row: dict[str, Any]) -> list[str]:
    return [c["items"][0]["inlines"][0]["text"] for c in row["cells"]]


async def test_comps_is_a_table_with_a_header_and_a_row_per_deal(
    teams: TeamsHarness, card_validator: jsonschema.Draft6Validator
) -> None:
    """A 1:1 `comps`: one Table, header row first, each deal's first cell opens its card."""
    status, _ = await teams.send(personal_message(teams.connector.url, "comps"))
    assert status == 202
    [posted] = teams.connector.messages()
    [card] = posted.cards
    card_validator.validate(card)
    [table] = _tables(card)
    assert table["firstRowAsHeader"] is True
    header, *rows = table["rows"]
    assert _texts(header)[:3] == ["Date", "Parties", "Type"]
    assert len(rows) == 2
    assert rows[0]["cells"][0]["selectAction"]["data"] == {RUN_KEY: "deal examplar-testa-licence"}
    assert "Upfront: $20 million" in _texts(rows[0])
    exports = [a for a in card["actions"] if a["title"] == "Export"]
    assert exports[0]["data"] == {RUN_KEY: "export"}


def test_compare_cards_validate_for_companies_and_deals(
    card_validator: jsonschema.Draft6Validator,
) -> None:
    """Company and deal comparisons over the shipped knowledge render valid 1.5 Tables."""
    store = load_store(default_dir())
    for text in ("compare Bayer Servier", "compare deal Puhe deal Legend", "comps sort:amount"):
        card = render_card(answer(text, store, AskContext(platform="teams")))
        card_validator.validate(card)
        [table] = _tables(card)
        assert len(table["rows"]) > 2, text
    card = render_card(answer("compare Bayer Servier", store, AskContext(platform="teams")))
    [table] = _tables(card)
    assert _texts(table["rows"][0]) == [" ", "Bayer", "Servier"]
