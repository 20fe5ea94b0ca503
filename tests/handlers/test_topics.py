"""`trend(s)`, `stat(s)`, `event(s)`, `search`, `help` and unknown words."""

from __future__ import annotations

from handlers import ReplyKind
from handlers.commands.help import COMMAND_HELP
from tests.chat_helpers import Chat


async def test_trends_lists_every_trend_with_open_buttons(chat: Chat) -> None:
    """`trends` lists trends a page at a time; each opens its card."""
    reply = await chat.ask("trends")
    assert reply.kind == ReplyKind.TREND_LIST
    assert reply.items
    first = reply.items[0]
    assert first.action is not None
    card = await chat.ask(first.action.command)
    assert card.kind == ReplyKind.TREND
    assert card.title == first.title
    assert card.sources


async def test_trend_on_a_topic(chat: Chat) -> None:
    """`trend NewCo` returns the trends tagged with the NewCo topic."""
    reply = await chat.ask("trend NewCo")
    assert reply.kind in {ReplyKind.TREND, ReplyKind.TREND_LIST}
    assert "NewCo" in (reply.text or "") + " ".join(i.subtitle or "" for i in reply.items)


async def test_stats_and_stat_show_figures_as_stated(chat: Chat) -> None:
    """`stat` cards show the figure as the source states it and what it measures."""
    listing = await chat.ask("stats")
    assert listing.kind == ReplyKind.STAT_LIST
    assert listing.items
    assert listing.items[0].action is not None
    card = await chat.ask(listing.items[0].action.command)
    assert card.kind == ReplyKind.STAT
    labels = {f.label for f in card.facts}
    assert {"Figure", "Measures"} <= labels
    assert card.sources


async def test_stat_on_funding_finds_the_capital_drop(chat: Chat) -> None:
    """`stat funding` finds the >80% fall in foreign capital."""
    reply = await chat.ask("stat funding")
    text = " ".join([*(i.subtitle or "" for i in reply.items), *(f.value for f in reply.facts)])
    assert "80%" in text


async def test_events_include_the_chinabio_forum_with_both_parts(chat: Chat) -> None:
    """`event ChinaBio Partnering Forum` gives Shanghai dates and the virtual dates."""
    reply = await chat.ask("event ChinaBio Partnering Forum 2025")
    assert reply.kind == ReplyKind.EVENT
    facts = {f.label: f.value for f in reply.facts}
    assert "April 2025" in facts["Dates"]
    assert facts["Place"] == "Shanghai"
    assert "29 April 2025" in facts["Virtual"]
    listing = await chat.ask("events")
    assert listing.kind in {ReplyKind.EVENT_LIST, ReplyKind.EVENT}


async def test_search_finds_the_prmt5_deal(chat: Chat) -> None:
    """`search PRMT5` lists the Bayer–Puhe deal among its results."""
    reply = await chat.ask("search PRMT5")
    assert reply.kind == ReplyKind.SEARCH
    assert any("Puhe" in i.title for i in reply.items)


async def test_help_lists_every_command_with_a_runnable_example(chat: Chat) -> None:
    """`help` names every command and each example button gives a real answer."""
    reply = await chat.ask("help")
    assert reply.kind == ReplyKind.HELP
    assert [i.title for i in reply.items] == [usage for usage, _, _ in COMMAND_HELP]
    for item in reply.items:
        assert item.action is not None
        answered = await chat.ask(item.action.command)
        assert answered.kind not in {ReplyKind.ERROR, ReplyKind.NOT_FOUND}, item.action.command


async def test_empty_text_is_help(chat: Chat) -> None:
    """Empty text (or only the bot's name) answers with help."""
    for text in ("", "   ", "@chinabio", "/chinabio"):
        assert (await chat.ask(text)).kind == ReplyKind.HELP


async def test_unknown_word_falls_back_to_search_with_a_hint(chat: Chat) -> None:
    """`Puhe` alone is not a command: a search with a hint, not an error."""
    reply = await chat.ask("Puhe")
    assert reply.kind == ReplyKind.SEARCH
    assert reply.text is not None
    assert "not a command" in reply.text
    assert any("Puhe" in i.title for i in reply.items)


async def test_mistyped_command_suggests_the_right_one(chat: Chat) -> None:
    """`dela Puhe` hints at `deal Puhe` and offers it as a suggestion."""
    reply = await chat.ask("dela Puhe")
    assert "deal Puhe" in reply.suggestions
    assert reply.text is not None
    assert "deal Puhe" in reply.text


async def test_gibberish_gets_not_found_with_commands(chat: Chat) -> None:
    """Words that match nothing get NOT_FOUND with commands to try."""
    reply = await chat.ask("zzqxv")
    assert reply.kind == ReplyKind.NOT_FOUND
    assert "help" in reply.suggestions


async def test_more_typed_alone_explains_paging(chat: Chat) -> None:
    """Typing `more` explains the More button instead of searching for 'more'."""
    reply = await chat.ask("more")
    assert reply.kind == ReplyKind.HELP
    assert "page:2" in (reply.text or "")


async def test_subscription_words_go_to_the_subscription_handler(chat: Chat) -> None:
    """`subscriptions` is answered by the digest's subscription handler."""
    assert (await chat.ask("subscriptions")).kind == ReplyKind.SUBSCRIPTION


async def test_event_session_names_its_forum_and_speakers(chat: Chat) -> None:
    """Irene Hong's keynote panel shows the forum it belongs to and its speaker."""
    reply = await chat.ask("event Global Biotech Perspective")
    facts = {f.label: f.value for f in reply.facts}
    assert facts["Part of"].startswith("ChinaBio Partnering Forum")
    assert "Irene Hong" in facts["Speakers"]
