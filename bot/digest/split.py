"""Split a long Reply into several, at section and item boundaries, so each fits one message."""

from __future__ import annotations

from handlers.reply import Fact, ListItem, QuoteBlock, Reply, Section

# Slack allows 50 blocks and 3,000 characters per text block; renderers use about one block per
# unit (heading, paragraph, fact group, quote, item), so these budgets leave room for context.
MAX_CHARS = 2800
MAX_UNITS = 20

Piece = Fact | QuoteBlock | ListItem


def _size(piece: Piece | str | None) -> int:
    if piece is None:
        return 0
    if isinstance(piece, str):
        return len(piece)
    if isinstance(piece, Fact):
        return len(piece.label) + len(piece.value) + 4
    if isinstance(piece, QuoteBlock):
        source = piece.source.title if piece.source else ""
        return (
            sum(
                len(x or "")
                for x in (piece.text, piece.speaker, piece.role, piece.organisation, source)
            )
            + 10
        )
    return len(piece.title) + len(piece.subtitle or "") + 4


def section_size(section: Section) -> tuple[int, int]:
    """Return (characters, units) a section takes."""
    pieces: list[Piece] = [*section.facts, *section.quotes, *section.items]
    chars = len(section.heading) + _size(section.text) + sum(_size(p) for p in pieces)
    return chars, 1 + (1 if section.text else 0) + len(pieces)


def _pieces_of(section: Section, max_chars: int, max_units: int) -> list[Section]:
    """Cut a section too big for one message into several with the same heading."""
    chars, units = section_size(section)
    if chars <= max_chars and units <= max_units:
        return [section]
    out: list[Section] = []
    current = Section(heading=section.heading, text=section.text)
    pieces: list[Piece] = [*section.facts, *section.quotes, *section.items]
    for piece in pieces:
        grown = _add(current, piece)
        c, u = section_size(grown)
        if (c > max_chars or u > max_units) and (current.facts or current.quotes or current.items):
            out.append(current)
            current = _add(Section(heading=f"{section.heading} (continued)"), piece)
        else:
            current = grown
    out.append(current)
    return out


def _add(section: Section, piece: Piece) -> Section:
    if isinstance(piece, Fact):
        return section.model_copy(update={"facts": [*section.facts, piece]})
    if isinstance(piece, QuoteBlock):
        return section.model_copy(update={"quotes": [*section.quotes, piece]})
    return section.model_copy(update={"items": [*section.items, piece]})


def split_reply(
    reply: Reply, max_chars: int = MAX_CHARS, max_units: int = MAX_UNITS
) -> list[Reply]:
    """Return `reply` as one or more replies; every section and item stays whole and in order."""
    head_chars = len(reply.title) + _size(reply.text)
    head_units = 2
    parts: list[list[Section]] = [[]]
    chars, units = head_chars, head_units
    for section in reply.sections:
        for piece in _pieces_of(section, max_chars - head_chars, max_units - head_units):
            c, u = section_size(piece)
            if parts[-1] and (chars + c > max_chars or units + u > max_units):
                parts.append([])
                chars, units = head_chars, head_units
            parts[-1].append(piece)
            chars, units = chars + c, units + u
    if len(parts) == 1:
        return [reply]
    total = len(parts)
    replies = []
    for index, sections in enumerate(parts):
        first, last = index == 0, index == total - 1
        replies.append(
            reply.model_copy(
                update={
                    "title": reply.title
                    if first
                    else f"{reply.title} (continued, {index + 1}/{total})",
                    "text": reply.text if first else None,
                    "facts": reply.facts if first else [],
                    "quotes": reply.quotes if first else [],
                    "items": reply.items if first else [],
                    "sections": sections,
                    "sources": reply.sources if last else [],
                    "actions": reply.actions if last else [],
                    "suggestions": reply.suggestions if last else [],
                    "more": reply.more if last else None,
                }
            )
        )
    return replies
