"""How a table row reads in chat, for every renderer: a title line and short detail lines."""

from __future__ import annotations

from dataclasses import dataclass

from handlers.reply import Column, Reply, ReplyKind, Table, TableRow

#: Tables with at most this many chat columns read as "Heading: value" lines per row.
NARROW = 3


@dataclass(frozen=True)
class RowText:
    """A row as chat shows it (plain text; each renderer escapes and styles it)."""

    title: str
    lines: list[str]


def shown_table(reply: Reply) -> Table | None:
    """Return the table a chat shows: none for an export (its rows go into files instead)."""
    return None if reply.kind is ReplyKind.EXPORT else reply.table


def chat_columns(table: Table) -> list[int]:
    """Return the indexes of the columns chat shows (files show all)."""
    return [i for i, c in enumerate(table.columns) if c.in_chat]


def chat_headings(table: Table) -> list[Column]:
    """Return the columns chat shows."""
    return [table.columns[i] for i in chat_columns(table)]


def row_text(table: Table, row: TableRow) -> RowText:
    """Return a row as a title and detail lines: wide tables compactly, narrow ones labelled."""
    shown = [(table.columns[i].heading, row.cells[i].text) for i in chat_columns(table)]
    if len(shown) <= NARROW:
        lines = [f"{heading}: {text}" if heading else text for heading, text in shown[1:] if text]
        return RowText(shown[0][1], lines)
    title = " — ".join(t for _, t in shown[:2] if t)
    middle = " · ".join(t for _, t in shown[2:-1] if t)
    last_heading, last = shown[-1]
    lines = [line for line in (middle, f"{last_heading}: {last}" if last else "") if line]
    return RowText(title, lines)


def legend(table: Table) -> str:
    """Return the column order of a wide table: 'Date — Parties · Type · …'."""
    headings = [c.heading for c in chat_headings(table)]
    if len(headings) <= NARROW:
        return ""
    return " — ".join(headings[:2]) + " · " + " · ".join(headings[2:])
