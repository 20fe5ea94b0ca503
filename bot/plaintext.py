"""Render a Reply as plain text: the console, `chinabio ask --format text`, digest previews, Teams fallbacks."""

from __future__ import annotations

import textwrap

from handlers.reply import Action, ActionKind, Fact, ListItem, QuoteBlock, Reply, SourceCitation

WIDTH = 88


def _wrap(text: str, indent: str = "") -> list[str]:
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines += textwrap.wrap(
            paragraph, WIDTH, initial_indent=indent, subsequent_indent=indent
        ) or [""]
    return lines


def _facts(facts: list[Fact]) -> list[str]:
    width = max((len(f.label) for f in facts), default=0)
    return [f"  {f.label + ':':<{width + 1}} {f.value}" for f in facts]


def _quote(quote: QuoteBlock, cited: list[SourceCitation]) -> list[str]:
    lines = _wrap(f"“{quote.text}”", "  ")
    lines.append(f"    — {quote.attribution()}")
    if quote.source is not None and quote.source not in cited:
        lines.append(f"    ({citation_text(quote.source)})")
    return lines


def _item(item: ListItem) -> list[str]:
    lines = [f"  • {item.title}"]
    if item.subtitle:
        lines += _wrap(item.subtitle, "    ")
    if item.action is not None and item.action.command:
        lines.append(f"    → /chinabio {_typed(item.action)}")
    return lines


def _typed(action: Action) -> str:
    """Return what to type for a button: a Remind me button needs a day and a note."""
    if action.kind == ActionKind.REMIND:
        return f"{action.command} YYYY-MM-DD <what to check>"
    return action.command


def citation_text(source: SourceCitation) -> str:
    """Return a source on one line: title, publisher, date, place, link."""
    parts = [source.title, *(p for p in (source.publisher, source.date) if p)]
    text = ", ".join(parts)
    if source.locator:
        text += f" · {source.locator}"
    if source.url:
        text += f" <{source.url}>"
    return text


def _button(action: Action) -> str:
    if action.kind == ActionKind.SHARE:
        return f"[{action.label}]"
    return f"[{action.label}: /chinabio {_typed(action)}]"


def render_text(reply: Reply) -> str:
    """Return the reply as plain text."""
    lines = [reply.title, "=" * min(len(reply.title), WIDTH)]
    if reply.text:
        lines += _wrap(reply.text)
    if reply.facts:
        lines += ["", *_facts(reply.facts)]
    for quote in reply.quotes:
        lines += ["", *_quote(quote, reply.sources)]
    if reply.items:
        lines.append("")
        for item in reply.items:
            lines += _item(item)
    for section in reply.sections:
        lines += ["", section.heading, "-" * min(len(section.heading), WIDTH)]
        if section.text:
            lines += _wrap(section.text)
        lines += _facts(section.facts)
        for quote in section.quotes:
            lines += _quote(quote, reply.sources)
        for item in section.items:
            lines += _item(item)
    if reply.sources:
        lines += ["", *(f"Source: {citation_text(s)}" for s in reply.sources)]
    buttons = [*reply.actions, *([reply.more] if reply.more else [])]
    if buttons:
        lines += ["", "  ".join(_button(b) for b in buttons)]
    if reply.suggestions:
        lines += ["", "Try: " + " · ".join(reply.suggestions)]
    return "\n".join(lines)
