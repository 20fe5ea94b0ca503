"""Read what a user typed: drop the bot's name, split the command word, words and `key:value` filters.

Text arrives here plain, as the person typed it: each platform decodes its own wire format
(Slack's `<@U…>` and `&amp;` in bot/slack/text.py, Teams' markup in bot/teams/activities.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

#: Longest text we look at; anything beyond is ignored (never echoed back in full).
MAX_INPUT_CHARS = 500

_LEADING_MENTION = re.compile(
    r"^\s*(?:@chinabio\b|/chinabio\b|chinabio:)[\s,:]*",
    re.IGNORECASE,
)
_FILTER = re.compile(r"^([a-z_]+):(.+)$", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"[\w][\w&'’.+-]*", re.UNICODE)
#: The one rule for a number a user types: ASCII digits only (`str.isdigit` also accepts
#: "²" and "٣", which `int` refuses or reads), and only a few of them.
_ASCII_DIGITS = re.compile(r"[0-9]+")
#: Highest page a `page:N` may name (lists are clamped to their last page anyway).
MAX_PAGE = 9999


class BadNumber(ValueError):
    """A number the user typed cannot be read; the message says what to type instead."""


@dataclass(frozen=True)
class Command:
    """A typed command: `deals partner:Johnson & Johnson page:2` -> word, filters, page 2."""

    word: str
    rest: str  # everything after the command word, filters included
    words: str  # the rest without `key:value` filters
    filters: dict[str, str] = field(default_factory=dict)
    page: int = 1
    problem: str | None = None  # what to tell the user when part of the command is unreadable


def clean(text: str) -> tuple[str, bool]:
    """Return the text without leading `@chinabio`, `/chinabio` or `chinabio:`, and whether one was."""
    text = text.replace("\u00a0", " ")[: MAX_INPUT_CHARS * 4]
    mentioned = False
    while True:
        stripped = _LEADING_MENTION.sub("", text, count=1)
        if stripped == text:
            break
        mentioned, text = True, stripped
    text = _SPACES.sub(" ", text).strip()
    return text[:MAX_INPUT_CHARS].strip(), mentioned


def parse_command(text: str, with_filters: bool = False) -> Command:
    """Split `text` into its command word, words, `page:N` and (if asked) `key:value` filters."""
    head, _, rest = text.partition(" ")
    words: list[str] = []
    filters: dict[str, str] = {}
    page = 1
    problem: str | None = None
    current: str | None = None  # a filter's value runs on until the next filter
    for token in rest.split():
        match = _FILTER.match(token)
        key = match.group(1).casefold() if match else ""
        if match and (key == "page" or with_filters) and not match.group(2).startswith("//"):
            value = match.group(2)
            current = None
            if key == "page":
                try:
                    page = read_number(value, "page:", low=1, high=MAX_PAGE, example="page:2")
                except BadNumber as exc:
                    problem = str(exc)
            else:
                filters[key], current = value, key
        elif current is not None:
            filters[current] += " " + token
        else:
            words.append(token)
    return Command(head.casefold(), rest.strip(), " ".join(words), filters, page, problem)


def read_number(text: str, name: str, *, low: int, high: int, example: str) -> int:
    """Return the whole number `text` spells in ASCII digits within [low, high]; else BadNumber."""
    digits = text.strip()
    if len(digits) <= len(str(high)) and _ASCII_DIGITS.fullmatch(digits):
        value = int(digits)
        if low <= value <= high:
            return value
    raise BadNumber(
        f"{name} needs a whole number from {low} to {high} in digits 0-9, like {example}"
        f" (not “{shorten(text, 20)}”)."
    )


def tokens(text: str) -> list[str]:
    """Return the words of `text`, keeping joined forms such as J&J, KP-723 and U.S."""
    return [w.rstrip(".'’") or w for w in _WORD.findall(text)]


def shorten(text: str, limit: int = 60) -> str:
    """Return `text` cut to `limit` characters with an ellipsis, for echoing user input."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
