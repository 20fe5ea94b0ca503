"""docs/using.md: every example command and question on the page is really answered."""

from __future__ import annotations

import re

import pytest

from bot.plaintext import render_text
from handlers import ReplyKind
from tests.chat_helpers import Chat
from tests.docs.doc_pages import backticked, code_blocks, read, section, table_rows

PAGE = read("using.md")


def _examples() -> list[str]:
    rows = table_rows(section(PAGE, "Commands"))
    return [example for row in rows for example in backticked(row[2])]


def _questions() -> list[tuple[str, str]]:
    (block,) = [b for b in code_blocks(PAGE, "text") if "@chinabio" in b]
    found = re.findall(r"^(@chinabio .+?)\s+-> (.+)$", block, flags=re.M)
    assert len(found) == len(block.strip().splitlines())
    return found


def test_the_page_has_examples() -> None:
    """The commands table and the questions block are read (the checks below are not empty)."""
    assert len(_examples()) >= 15
    assert len(_questions()) >= 5


@pytest.mark.parametrize("example", _examples())
async def test_command_example_is_answered(chat: Chat, example: str) -> None:
    """An example from the commands table gets its own answer, not "nothing found" or a search."""
    reply = await chat.ask(example)
    assert reply.kind not in {ReplyKind.NOT_FOUND, ReplyKind.ERROR}, example
    assert reply.kind != ReplyKind.SEARCH or example.startswith("search "), example


@pytest.mark.parametrize(("question", "expected"), _questions())
async def test_question_example_gets_the_answer_the_page_promises(
    chat: Chat, question: str, expected: str
) -> None:
    """A mention from the page is understood, and the answer names whom the page says it names."""
    reply = await chat.ask(question, mention=True)
    assert reply.kind not in {ReplyKind.NOT_FOUND, ReplyKind.SEARCH, ReplyKind.ERROR}, question
    name = re.search(r"[A-Z][\w-]*(?: [A-Z]\w+)?", expected)  # "Cynthia Wang's quote" -> her name
    assert name is not None, expected
    assert name.group(0) in render_text(reply), (question, name.group(0))


def _reply_examples() -> list[tuple[str, str]]:
    blocks = code_blocks(section(PAGE, "Replies, by example"), "console")
    return [tuple(b.split("\n", 1)) for b in blocks]  # type: ignore[misc]


def test_reply_examples_are_there() -> None:
    """The page shows a deal card with Terms, an asset card, a filtered list and a not-found."""
    commands = " | ".join(command for command, _ in _reply_examples())
    for shown in ("deal ", "asset ", "deals country:", "sort:amount"):
        assert shown in commands


@pytest.mark.parametrize(("command", "shown"), _reply_examples())
async def test_reply_example_is_what_chinabio_ask_prints(
    chat: Chat, command: str, shown: str
) -> None:
    """Each reply pasted under 'Replies, by example' is the real text answer to its command."""
    (text,) = re.findall(r"^\$ chinabio ask '(.+)'$", command)
    assert render_text(await chat.ask(text)).strip() == shown.strip()
