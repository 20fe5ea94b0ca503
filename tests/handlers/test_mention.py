"""Plain-language questions in mentions and direct messages."""

from __future__ import annotations

from handlers import ReplyKind
from tests.chat_helpers import Chat


async def test_who_thinks_chinese_biotechs_deliver_on_time(chat: Chat) -> None:
    """The delivery question finds Cynthia Wang's execution quote."""
    reply = await chat.ask("who thinks Chinese biotechs deliver on time?", mention=True)
    assert reply.kind == ReplyKind.QUOTE
    assert reply.quotes[0].speaker == "Cynthia Wang"
    assert "deliver" in reply.quotes[0].text


async def test_anything_from_dan_wang_on_ai(chat: Chat) -> None:
    """A person plus a topic gives that person's quote on the topic."""
    reply = await chat.ask("anything from Dan Wang on AI?", mention=True)
    assert reply.kind == ReplyKind.QUOTE
    assert reply.quotes[0].speaker == "Dan Wang"
    assert "AI" in reply.quotes[0].text


async def test_what_did_bayer_get_from_puhe(chat: Chat) -> None:
    """Two companies and a deal cue give the deal they share."""
    reply = await chat.ask("what did Bayer get from Puhe?", mention=True)
    assert reply.kind == ReplyKind.DEAL
    assert "Puhe" in reply.title


async def test_explain_the_newco_structure(chat: Chat) -> None:
    """'explain' plus a topic gives the topic's explanation with its evidence."""
    reply = await chat.ask("explain the NewCo structure", mention=True)
    assert reply.kind == ReplyKind.TOPIC
    assert "NewCo" in reply.title
    assert reply.text
    assert reply.sources


async def test_what_does_servier_look_for_in_a_partner(chat: Chat) -> None:
    """An organisation with an opinion cue gives a quote from someone at Servier."""
    reply = await chat.ask("what does Servier look for in a partner?", mention=True)
    assert reply.kind == ReplyKind.QUOTE
    assert reply.quotes[0].speaker == "Cynthia Wang"


async def test_leading_mentions_are_stripped(chat: Chat) -> None:
    """`@chinabio` and `chinabio:` before a command are removed before answering."""
    for text in ("@chinabio deal Puhe", "chinabio: deal Puhe"):
        reply = await chat.ask(text, mention=True)
        assert reply.kind == ReplyKind.DEAL, text
        assert "Puhe" in reply.title, text


async def test_any_quote_from_irene_hong(chat: Chat) -> None:
    """The example mention in README.md and docs/using.md returns one of Irene Hong's quotes."""
    reply = await chat.ask("@chinabio any quote from Irene Hong?")
    assert reply.kind == ReplyKind.QUOTE
    assert reply.quotes[0].speaker == "Irene Hong"


async def test_who_is_gives_a_profile(chat: Chat) -> None:
    """'who is Betty Huang' gives her profile."""
    reply = await chat.ask("who is Betty Huang?", mention=True)
    assert reply.kind == ReplyKind.PERSON
    assert reply.title == "Betty Huang"


async def test_unanswerable_question_says_so_and_suggests_commands(chat: Chat) -> None:
    """A question the knowledge cannot answer says so and suggests commands, inventing nothing."""
    reply = await chat.ask("what is the weather like in Reykjavik?", mention=True)
    assert reply.kind == ReplyKind.NOT_FOUND
    assert "help" in reply.suggestions
    assert not reply.quotes
    assert not reply.facts


async def test_question_starting_with_a_command_word_is_still_understood(chat: Chat) -> None:
    """'deals with Bayer …?' in a mention is read as a question when the command finds nothing."""
    reply = await chat.ask("deals with Bayer and Puhe?", mention=True)
    assert reply.kind == ReplyKind.DEAL
    assert "Puhe" in reply.title
    typed = await chat.ask("deals with Bayer and Puhe?")
    assert typed.kind == ReplyKind.NOT_FOUND  # typed as a command, it is a (bad) filter list
