"""Plain-text digests for the terminal (`chinabio digest preview`, the console sender)."""

from __future__ import annotations

import sys
from typing import TextIO

from handlers.reply import QuoteBlock, Reply


def _quote(quote: QuoteBlock) -> list[str]:
    who = ", ".join(x for x in (quote.speaker, quote.role, quote.organisation) if x)
    lines = [f'  "{quote.text}"', f"    — {who}"]
    if quote.source:
        where = f", {quote.source.locator}" if quote.source.locator else ""
        lines.append(f"    ({quote.source.title}{where})")
    return lines


def render_digest_text(reply: Reply) -> str:
    """Return a reply with its sections as plain text."""
    lines = [reply.title, "=" * len(reply.title)]
    if reply.text:
        lines += [reply.text]
    for section in reply.sections:
        lines += ["", section.heading, "-" * len(section.heading)]
        if section.text:
            lines.append(section.text)
        lines += [f"  {fact.label}: {fact.value}" for fact in section.facts]
        for quote in section.quotes:
            lines += _quote(quote)
        for item in section.items:
            lines.append(f"  • {item.title}" + (f" ({item.subtitle})" if item.subtitle else ""))
    if reply.sources:
        lines += ["", "Sources:"]
        for source in reply.sources:
            details = ", ".join(x for x in (source.publisher, source.date) if x)
            lines.append(f"  {source.title}" + (f" ({details})" if details else ""))
    return "\n".join(lines)


class ConsoleSender:
    """A `Sender` that prints digests to a stream: the console adapter's channel."""

    platform = "console"

    def __init__(self, stream: TextIO | None = None) -> None:
        self._stream = stream
        self.posted = 0

    async def post(self, channel: str, reply: Reply) -> str:
        """Print the digest, headed by the channel it is for; return a local message id."""
        stream = self._stream or sys.stdout
        print(f"\n[digest for {channel}]\n{render_digest_text(reply)}\n", file=stream, flush=True)
        self.posted += 1
        return f"console-{self.posted}"
