"""Odd input never breaks an answer: long text, control characters, injection, bad filters."""

from __future__ import annotations

import pytest

from handlers import ReplyKind
from handlers.parse import MAX_INPUT_CHARS, clean, parse_command
from tests.chat_helpers import Chat

ODD_INPUTS = [
    "x" * 4000,
    "deal " + "Bayer " * 700,
    "who " * 1000 + "?",
    "deal \x00\x07",
    "deals page:abc",
    "deals page:99999999999999999999",
    "quote 🙂🙂🙂",
    "search ' OR 1=1; --",
    "deal <!channel>",
    "<!here> help",
    "@chinabio @chinabio deal Puhe",
    "/chinabio /chinabio quote",
    "deals partner:",
    "deal :",
    "trend ???",
    "stat %s %d {0}",
]


@pytest.mark.parametrize("text", ODD_INPUTS)
async def test_odd_input_gets_an_answer_not_an_error(chat: Chat, text: str) -> None:
    """Each odd input produces a reply that is not ERROR, and never echoes 4,000 characters."""
    reply = await chat.ask(text)
    assert reply.kind != ReplyKind.ERROR
    assert len(reply.title) <= 150
    assert len(reply.text or "") < 2000


def test_clean_strips_mentions_and_caps_length() -> None:
    """Leading mentions and /chinabio are removed; text is capped and spaces collapsed."""
    assert clean("@chinabio  deal   Puhe") == ("deal Puhe", True)
    assert clean("/chinabio quote") == ("quote", True)
    assert clean("deal Puhe") == ("deal Puhe", False)
    assert len(clean("a" * 5000)[0]) == MAX_INPUT_CHARS


def test_clean_reads_text_as_typed() -> None:
    """Handlers get plain text: `&amp;` and `<@U…>` are a platform's to decode, not theirs."""
    assert clean("deal J&amp;J page:2") == ("deal J&amp;J page:2", False)
    assert clean("<@U1ABC> deal Puhe") == ("<@U1ABC> deal Puhe", False)


def test_parse_command_reads_filters_and_page() -> None:
    """Filters run to the next filter, page is read, other words stay words."""
    cmd = parse_command("deals partner:Johnson & Johnson year:2024 page:3", with_filters=True)
    assert cmd.filters == {"partner": "Johnson & Johnson", "year": "2024"}
    assert cmd.page == 3
    assert cmd.words == ""
    plain = parse_command("search re:this page:2")
    assert plain.words == "re:this"
    assert plain.page == 2


async def test_a_bug_in_a_handler_becomes_an_error_reply(
    chat: Chat, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An unexpected exception is logged and answered with an ERROR reply, not raised."""
    import importlib

    entry = importlib.import_module("handlers.answer")  # the module, not the function

    def broken(*_args: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(entry, "dispatch", broken)
    reply = await chat.ask("deal Puhe")
    assert reply.kind == ReplyKind.ERROR
    assert "boom" not in (reply.text or "")


async def test_a_bug_gives_an_error_id_in_reply_and_log_without_the_users_text(
    chat: Chat, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The apology carries an error id that the log line also has; the user's words stay out of the log."""
    import importlib
    import re

    entry = importlib.import_module("handlers.answer")

    def broken(*_args: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(entry, "dispatch", broken)
    with caplog.at_level("ERROR", logger="handlers.answer"):
        reply = await chat.ask("deal secret-project-zebra")
    match = re.search(r"error id ([0-9a-f]{8})", reply.text or "")
    assert match, reply.text
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert match.group(1) in logged
    assert "secret-project-zebra" not in logged
