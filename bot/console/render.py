"""Render a Reply as plain text for the terminal and `chinabio ask --format text`."""

from __future__ import annotations

from handlers.reply import Reply


def render_text(reply: Reply) -> str:
    """Return the reply as plain text."""
    lines = [reply.title]
    if reply.text:
        lines += ["", reply.text]
    lines += [f"{f.label}: {f.value}" for f in reply.facts]
    for quote in reply.quotes:
        lines += ["", f'"{quote.text}"', f"  — {quote.speaker}"]
    lines += [f"- {item.title}" for item in reply.items]
    for source in reply.sources:
        lines.append(f"Source: {source.title}" + (f" ({source.date})" if source.date else ""))
    return "\n".join(lines)
