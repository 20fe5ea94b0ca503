"""Ask about a message: every company, asset and topic a pasted text names, and their deals."""

from __future__ import annotations

from handlers import ReplyKind
from handlers.about import about_message
from knowledge import KnowledgeStore

HEADLINE = (
    "Bayer pays upfront to Puhe Biopharma for PRMT5 inhibitor PH020, a newswire says. "
    "Servier is also said to be eyeing ADC deals in China."
)


def test_every_named_entity_is_listed_by_kind_with_open_buttons(store: KnowledgeStore) -> None:
    """The headline's companies, asset and topic each appear once, under their kind, openable."""
    reply = about_message(HEADLINE, store)
    assert reply.kind == ReplyKind.ABOUT
    groups = {s.heading: [i.title for i in s.items] for s in reply.sections}
    assert groups["Companies and organisations"] == ["Bayer", "Puhe Biopharma", "Servier"]
    assert groups["Assets"] == ["PH020"]
    assert groups["Topics"] == ["Antibody-drug conjugates"]
    commands = [i.action.command for s in reply.sections for i in s.items if i.action]
    assert "company bayer" in commands
    assert reply.sources
    assert not reply.shareable


def test_the_deal_naming_most_of_the_message_comes_first(store: KnowledgeStore) -> None:
    """Bayer, Puhe and PH020 are all parties to one licence: it leads the deals."""
    reply = about_message(HEADLINE, store)
    deals = next(s for s in reply.sections if s.heading == "Their deals in the knowledge")
    assert deals.items[0].title == "Bayer and Puhe Biopharma PH020 licence"
    assert len(deals.items) <= 8


def test_an_email_is_read_past_the_command_length(store: KnowledgeStore) -> None:
    """A long email naming Servier after 1,000 characters of small talk still finds Servier."""
    email = "Hi team, " + "just following up on our call last week. " * 25 + "Servier called."
    reply = about_message(email, store)
    assert reply.kind == ReplyKind.ABOUT
    assert reply.entity_ids == ["servier"]


def test_a_message_naming_nothing_falls_back_to_search(store: KnowledgeStore) -> None:
    """A message with no known name gets a search of its words, saying so."""
    reply = about_message("Lunch at noon anyone?", store)
    assert reply.kind == ReplyKind.NOT_FOUND
    assert reply.text is not None
    assert "names no company, asset or topic" in reply.text


def test_an_empty_message_says_so(store: KnowledgeStore) -> None:
    """A message without words (only an image) gets a clear note, not an error."""
    reply = about_message("   ", store)
    assert reply.title == "That message has no text"
