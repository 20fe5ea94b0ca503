"""Check that every quote citing a source appears verbatim in that source's text.

Verbatim up to how text is typed: runs of whitespace, curly and straight quotes, the dashes
and compatibility forms (NFKC: ligatures, the ellipsis character) count as the same; letters,
words and punctuation must match exactly, case included.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from knowledge.build import yaml_files
from knowledge.models import Quote
from knowledge.problems import Problem
from knowledge.store import KnowledgeStore
from knowledge.yaml_lines import NodeLines, parse

_SAME = str.maketrans(
    {
        "\u2018": "'",  # ‘
        "\u2019": "'",  # ’
        "\u201a": "'",  # ‚
        "\u201b": "'",  # ‛
        "\u2032": "'",  # ′
        "\u201c": '"',  # “
        "\u201d": '"',  # ”
        "\u201e": '"',  # „
        "\u201f": '"',  # ‟
        "\u2033": '"',  # ″
        "\u00ab": '"',  # «
        "\u00bb": '"',  # »
        "\u2010": "-",  # hyphen
        "\u2011": "-",  # non-breaking hyphen
        "\u2012": "-",  # figure dash
        "\u2013": "-",  # en dash
        "\u2014": "-",  # em dash
        "\u2015": "-",  # horizontal bar
        "\u2212": "-",  # minus
        "\u00ad": None,  # soft hyphen: invisible
    }
)
_SPACES = re.compile(r"\s+")
_DASH = re.compile(r"\s*-\s*")


def normalise_text(text: str) -> str:
    """Return `text` with whitespace, quote marks, dashes and compatibility forms made alike."""
    folded = unicodedata.normalize("NFKC", text).translate(_SAME)
    folded = _DASH.sub("-", folded)  # "a — b", "a—b" and "a - b" alike
    return _SPACES.sub(" ", folded).strip()


def quotes_not_in_source(
    store: KnowledgeStore, folder: Path, source_id: str, source_text: str
) -> tuple[int, list[Problem]]:
    """Return how many quotes cite `source_id`, and a problem for each not in `source_text`."""
    haystack = normalise_text(source_text)
    citing = [q for q in store.all(Quote) if any(s.source == source_id for s in q.sources)]
    missing = {q.id for q in citing if normalise_text(q.text) not in haystack}
    problems = [
        Problem(str(path), line, f"quote {quote_id!r} is not in the source text verbatim: {hint}")
        for path, quote_id, line in _quote_lines(folder, missing)
        for hint in [_nearest_hint(store, quote_id, haystack)]
    ]
    return len(citing), problems


def _quote_lines(folder: Path, ids: set[str]) -> list[tuple[Path, str, int]]:
    """Return (file, id, line of its text) for each quote in `ids`, reading only YAML files."""
    found: list[tuple[Path, str, int]] = []
    if not ids:
        return found
    for path in yaml_files(folder):
        text = path.read_text(encoding="utf-8-sig")
        if "quotes" not in text:
            continue
        data = parse(text)
        items = data.get("quotes") if isinstance(data, dict) else None
        if not isinstance(items, list):
            continue
        lines: NodeLines | None = None
        for index, item in enumerate(items):
            if isinstance(item, dict) and item.get("id") in ids:
                lines = lines or NodeLines(text)
                found.append((path, str(item["id"]), lines.line(("quotes", index, "text"))))
    return found


def _nearest_hint(store: KnowledgeStore, quote_id: str, haystack: str) -> str:
    """Say how far the quote's start is found, so the curator sees where it departs."""
    quote = store.get(quote_id)
    words = normalise_text(quote.text).split(" ") if isinstance(quote, Quote) else []
    matched = 0
    while matched < len(words) and " ".join(words[: matched + 1]) in haystack:
        matched += 1
    if matched == 0:
        return "not even its first word is there; copy it from the source as printed"
    if matched == len(words):
        return "copy it from the source as printed"
    return (
        f"the source has its first {matched} word(s) but not {words[matched]!r} next; "
        "copy it from the source as printed"
    )
