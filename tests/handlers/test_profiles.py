"""`company NAME` and `person NAME`: profiles with deals, people and quotes."""

from __future__ import annotations

from handlers import ReplyKind
from tests.chat_helpers import Chat


def listed(reply_sections: list, heading: str) -> str:
    """Return the item titles of the section called `heading`, joined."""
    return " ".join(i.title for s in reply_sections if s.heading == heading for i in s.items)


async def test_company_servier_has_deals_people_and_quotes(chat: Chat) -> None:
    """`company Servier` lists the Tibsovo deal and Cynthia Wang first, then her quotes."""
    reply = await chat.ask("company Servier")
    assert reply.kind == ReplyKind.COMPANY
    assert reply.title == "Servier"
    assert "Tibsovo" in listed(reply.sections, "Deals")
    assert "Cynthia Wang" in listed(reply.sections, "People")
    assert [s.heading for s in reply.sections] == ["Deals", "People", "What they said"]
    said = reply.sections[-1].quotes
    assert said
    assert all(q.speaker == "Cynthia Wang" for q in said)


async def test_company_alias_jnj_includes_its_subsidiaries(chat: Chat) -> None:
    """`company J&J` resolves the alias and counts deals made through J&J Innovation."""
    reply = await chat.ask("company J&J")
    assert reply.title == "Johnson & Johnson"
    assert "Dan Wang" in listed(reply.sections, "People")


async def test_person_irene_hong_profile(chat: Chat) -> None:
    """`person Irene Hong` shows her role at CEC Capital and her quotes."""
    reply = await chat.ask("person Irene Hong")
    assert reply.kind == ReplyKind.PERSON
    assert any("CEC Capital" in f.value for f in reply.facts if f.label == "Role")
    assert reply.quotes
    assert {q.speaker for q in reply.quotes} == {"Irene Hong"}


async def test_person_typo_is_corrected(chat: Chat) -> None:
    """`person Betty Haung` finds Betty Huang and says so."""
    reply = await chat.ask("person Betty Haung")
    assert reply.title == "Betty Huang"
    assert reply.text is not None
    assert "Betty Haung" in reply.text


async def test_ambiguous_person_asks_which_one(chat: Chat) -> None:
    """`person Wang` matches Dan Wang and Cynthia Wang: a choice with a button for each."""
    reply = await chat.ask("person Wang")
    assert reply.kind == ReplyKind.CHOICE
    titles = {i.title for i in reply.items}
    assert {"Dan Wang", "Cynthia Wang"} <= titles
    for item in reply.items:
        assert item.action is not None
        assert (await chat.ask(item.action.command)).kind == ReplyKind.PERSON


async def test_unknown_company_suggests_without_inventing(chat: Chat) -> None:
    """An unknown company gets NOT_FOUND and a search suggestion."""
    reply = await chat.ask("company Nonexistent Biolabs Zyx")
    assert reply.kind == ReplyKind.NOT_FOUND
    assert any(s.startswith("search ") for s in reply.suggestions)
