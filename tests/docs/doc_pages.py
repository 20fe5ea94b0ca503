"""Read README.md and docs/*.md: their sections, tables, code blocks and links."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
DOCS = ROOT / "docs"


def pages() -> list[Path]:
    """Return README.md and every page under docs/."""
    return [README, *sorted(DOCS.glob("*.md"))]


def read(page: str) -> str:
    """Return the text of README.md or docs/`page`."""
    path = README if page == "README.md" else DOCS / page
    return path.read_text(encoding="utf-8")


def section(text: str, title: str) -> str:
    """Return the body of the `## title` section of a page."""
    return text.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]


def table_rows(text: str) -> list[list[str]]:
    """Return the cells of every body row of the markdown tables in `text`."""
    rows = []
    for line in text.splitlines():
        if line.startswith("|") and not re.fullmatch(r"\|[\s|:-]+\|", line):
            rows.append([c.strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]])
    return [row for row in rows if row and row[0] not in {"command", "kind", "variable"}]


def code_blocks(text: str, language: str) -> list[str]:
    """Return the fenced code blocks of one language."""
    return re.findall(rf"```{language}\n(.*?)```", text, flags=re.S)


def backticked(cell: str) -> list[str]:
    """Return the `code` spans of a table cell."""
    return re.findall(r"`([^`]+)`", cell)


def slug(heading: str) -> str:
    """Return the anchor GitHub gives a heading."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def links(text: str) -> list[str]:
    """Return the targets of the relative markdown links in `text` (no URLs, no mail)."""
    found = re.findall(r"\]\(([^)\s]+)\)", text)
    return [t for t in found if not re.match(r"[a-z]+:", t)]
