"""docs/using.md, 'Questions in plain words': each pasted answer is what `chinabio ask` prints."""

from __future__ import annotations

import re

import pytest

from bot.plaintext import render_text
from tests.chat_helpers import Chat
from tests.docs.doc_pages import code_blocks, read, section

SECTION = section(read("using.md"), "Questions in plain words")


def _examples() -> list[tuple[str, str]]:
    blocks = code_blocks(SECTION, "console")
    return [tuple(b.split("\n", 1)) for b in blocks]  # type: ignore[misc]


def test_the_section_shows_each_kind_of_answer() -> None:
    """The section shows a who, a status, a money, a figure, a list, a compare and a not-found."""
    shown = " | ".join(command for command, _ in _examples())
    for asked in ("who ", "status", "how much", "how far", "deals signed", "compare", "Moderna"):
        assert asked in shown


@pytest.mark.parametrize(("command", "shown"), _examples())
async def test_question_example_is_what_chinabio_ask_prints(
    chat: Chat, command: str, shown: str
) -> None:
    """Each answer pasted in the section is the real text answer to its question."""
    (text,) = re.findall(r"^\$ chinabio ask '(.+)'$", command)
    assert render_text(await chat.ask(text)).strip() == shown.strip()
