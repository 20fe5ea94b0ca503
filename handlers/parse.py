"""Read what a user typed: strip mentions, split the command word, its words and `key:value` filters."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

#: Longest text we look at; anything beyond is ignored (never echoed back in full).
MAX_INPUT_CHARS = 500

_LEADING_MENTION = re.compile(
    r"^\s*(?:<@[A-Z0-9]+(?:\|[^>]*)?>|@chinabio\b|/chinabio\b|chinabio:)[\s,:]*",
    re.IGNORECASE,
)
_FILTER = re.compile(r"^([a-z_]+):(.+)$", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"[\w][\w&'’.+-]*", re.UNICODE)


@dataclass(frozen=True)
class Command:
    """A typed command: `deals partner:Johnson & Johnson page:2` -> word, filters, page 2."""

    word: str
    rest: str  # everything after the command word, filters included
    words: str  # the rest without `key:value` filters
    filters: dict[str, str] = field(default_factory=dict)
    page: int = 1


def clean(text: str) -> tuple[str, bool]:
    """Return the text without leading bot mentions or `/chinabio`, and whether one was there.

    Chat platforms deliver `&`, `<` and `>` escaped (and button values come back the way the
    renderer escaped them), so those three entities are decoded here: `J&amp;J` means `J&J`.
    """
    text = text.replace("\u00a0", " ")[: MAX_INPUT_CHARS * 4]
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
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
    current: str | None = None  # a filter's value runs on until the next filter
    for token in rest.split():
        match = _FILTER.match(token)
        key = match.group(1).casefold() if match else ""
        if match and (key == "page" or with_filters) and not match.group(2).startswith("//"):
            value = match.group(2)
            current = None
            if key == "page":
                page = max(1, int(value)) if value.isdigit() else 1
            else:
                filters[key], current = value, key
        elif current is not None:
            filters[current] += " " + token
        else:
            words.append(token)
    return Command(head.casefold(), rest.strip(), " ".join(words), filters, page)


def tokens(text: str) -> list[str]:
    """Return the words of `text`, keeping joined forms such as J&J, KP-723 and U.S."""
    return [w.rstrip(".'’") or w for w in _WORD.findall(text)]


def shorten(text: str, limit: int = 60) -> str:
    """Return `text` cut to `limit` characters with an ellipsis, for echoing user input."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
