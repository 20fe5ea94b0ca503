"""Proposals are checked as `chinabio validate` checks the knowledge, and never join it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from handlers.proposals import check_proposal
from knowledge import KnowledgeStore, load_store
from tests.chat_helpers import Chat
from tests.fixtures import KNOWLEDGE

DEAL = {
    "title": "Testa – Bayer example licence",
    "type": "licence",
    "parties": "testa-bio: licensor\nbayer: licensee",
    "date": "2025-04",
    "territory": "Greater China",
    "summary": "A fictional licence used by the tests.",
    "source": "teams-test-report",
    "locator": "p. 2",
}


@pytest.fixture(scope="module")
def store() -> KnowledgeStore:
    """The fixture knowledge."""
    return load_store(KNOWLEDGE)


def test_a_valid_deal_makes_a_snippet_that_validate_accepts(
    store: KnowledgeStore, tmp_path: Path
) -> None:
    """The snippet of a valid proposal, pasted beside the knowledge, loads with no problem."""
    checked = check_proposal("deal", DEAL, store)
    assert checked.errors == {}
    assert checked.entity_id == "testa-bayer-example-licence"
    folder = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, folder)
    (folder / "proposed.yaml").write_text(checked.snippet, encoding="utf-8")
    grown = load_store(folder)
    assert "testa-bayer-example-licence" in grown.entities
    assert "testa-bayer-example-licence" not in store.entities  # the served store is untouched


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"type": "merger"}, "type", "licence"),  # an enum: the message lists the choices
        ({"date": "April 2025"}, "date", "2025"),  # a date the models cannot read
        ({"parties": "nobody-corp: licensor"}, "parties", "nobody-corp"),  # an unknown id
        ({"parties": "testa-bio: seller of dreams"}, "parties", "organisation-id: role"),
        ({"source": "no-such-report"}, "source", "no-such-report"),
        ({"id": "bayer"}, "id", "already used"),  # the id of a served entity
        ({"summary": ""}, "summary", "required"),
    ],
)
def test_problems_are_reported_on_their_field(
    store: KnowledgeStore, change: dict[str, str], field: str, words: str
) -> None:
    """Each kind of problem is reported on the form field it comes from, saying how to fix it."""
    checked = check_proposal("deal", {**DEAL, **change}, store)
    assert field in checked.errors, checked.errors
    assert words in checked.errors[field]


def test_a_quote_needs_a_known_speaker(store: KnowledgeStore) -> None:
    """A quote's speaker must be a person in the knowledge."""
    values = {"text": "Speed matters.", "speaker": "testa-bio", "source": "teams-test-report"}
    checked = check_proposal("quote", values, store)
    assert "speaker" in checked.errors
    ok = check_proposal("quote", {**values, "speaker": "ada-tester"}, store)
    assert ok.errors == {}


async def test_propose_offers_the_form_and_unknown_kinds_list_the_choices(chat: Chat) -> None:
    """`propose deal` offers its form; `propose` alone offers the four kinds."""
    reply = await chat.ask("propose deal")
    assert [a.command for a in reply.actions] == ["deal"]
    reply = await chat.ask("propose")
    assert [a.command for a in reply.actions] == ["deal", "company", "person", "quote"]
