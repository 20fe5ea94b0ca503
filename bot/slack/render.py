"""Render a Reply as Slack messages: Block Kit blocks plus a plain `text` fallback.

Who will see the message is a render input (`Audience`): the asker alone gets a Share button,
a post for everyone gets none, and a shared post says who shared it.

Every string from a user or the knowledge passes through `escape`, so `<!channel>` typed into a
command comes back as text, never as a ping. Slack's limits are kept: at most 50 blocks, 3,000
characters per text, 10 fields per section, 150 characters per header, 75 per button label.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from handlers.reply import (
    Action,
    ActionKind,
    Fact,
    ListItem,
    QuoteBlock,
    Reply,
    Section,
    SourceCitation,
)

Block = dict[str, Any]

RUN_ACTION_ID = "chinabio_run"
SHARE_ACTION_ID = "chinabio_share"
REMIND_ACTION_ID = "chinabio_remind_open"  # opens the Remind me dialog (a date picker)
MAX_BLOCKS = 50
MAX_TEXT = 3000
MAX_FIELDS = 10
MAX_FIELD_TEXT = 2000
MAX_HEADER = 150
MAX_BUTTON_TEXT = 75
MAX_VALUE = 2000
MAX_CONTEXT_ELEMENTS = 10
MAX_FALLBACK = 3000

SHARE_LABEL = "Share to channel"


class Audience(StrEnum):
    """Who sees a rendered reply: it decides the Share button and the "Shared by" line."""

    PRIVATE = "private"  # the asker alone (an ephemeral answer): Share offered
    SHARED = "shared"  # posted for everyone by the Share button: no Share, names the sharer
    PUBLIC = "public"  # everyone in the conversation: no Share


_PARTIAL_ENTITY = re.compile(r"&[a-z]{0,3}$")
_SAFE_URL = re.compile(r"^https?://[^\s<>|]+$")


def escape(text: str) -> str:
    """Escape &, < and > so user text never becomes a mention or link."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _cut(escaped: str, limit: int) -> str:
    """Cut already escaped text to `limit` characters without splitting an &entity;."""
    if len(escaped) <= limit:
        return escaped
    return _PARTIAL_ENTITY.sub("", escaped[: limit - 1]) + "…"


def _plain(text: str, limit: int) -> dict[str, Any]:
    return {"type": "plain_text", "text": _cut(escape(text), limit) or " ", "emoji": True}


def _mrkdwn(escaped: str, limit: int = MAX_TEXT) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": _cut(escaped, limit) or " "}


def _chunks(escaped: str, limit: int = MAX_TEXT) -> list[str]:
    """Split long escaped text at line or word breaks into pieces Slack accepts."""
    pieces: list[str] = []
    while len(escaped) > limit:
        cut = max(escaped.rfind("\n", 0, limit), escaped.rfind(" ", 0, limit))
        cut = cut if cut > limit // 2 else limit
        if "&" in escaped[cut - 4 : cut]:  # never split an &entity;
            cut = escaped.rfind("&", 0, cut)
        pieces.append(escaped[:cut].rstrip())
        escaped = escaped[cut:].lstrip()
    return [*pieces, escaped] if escaped else pieces


def button(action: Action) -> Block:
    """Return a button: RUN buttons re-run their command, Share posts the reply to the channel."""
    action_id = {ActionKind.SHARE: SHARE_ACTION_ID, ActionKind.REMIND: REMIND_ACTION_ID}.get(
        action.kind, RUN_ACTION_ID
    )
    block: Block = {
        "type": "button",
        "text": _plain(action.label, MAX_BUTTON_TEXT),
        "action_id": action_id,
        "value": _cut(escape(action.command), MAX_VALUE) or " ",
    }
    if action.kind == ActionKind.SHARE:
        block["style"] = "primary"
    return block


def _header(text: str) -> Block:
    return {"type": "header", "text": _plain(text, MAX_HEADER)}


def _text_blocks(text: str) -> list[Block]:
    return [{"type": "section", "text": _mrkdwn(c)} for c in _chunks(escape(text))]


def _fact_blocks(facts: list[Fact]) -> list[Block]:
    fields = [
        _mrkdwn(f"*{escape(f.label)}*\n{escape(f.value)}", MAX_FIELD_TEXT) for f in facts if f.value
    ]
    return [
        {"type": "section", "fields": fields[i : i + MAX_FIELDS]}
        for i in range(0, len(fields), MAX_FIELDS)
    ]


def citation_text(source: SourceCitation) -> str:
    """Return a source as escaped mrkdwn: title (linked when safe), publisher, date, place."""
    title = escape(source.title)
    if source.url and _SAFE_URL.match(source.url):
        title = f"<{source.url}|{title}>"
    parts = [f"_{title}_", *(escape(p) for p in (source.publisher, source.date) if p)]
    text = ", ".join(parts)
    return f"{text} · {escape(source.locator)}" if source.locator else text


def _quote_blocks(quote: QuoteBlock, cited: list[SourceCitation]) -> list[Block]:
    who = quote.attribution().removeprefix(quote.speaker).removeprefix(", ")
    lines = [f">{line}" if line else ">" for line in escape(f"“{quote.text}”").split("\n")]
    lines.append(f">— *{escape(quote.speaker)}*" + (f", {escape(who)}" if who else ""))
    blocks: list[Block] = [{"type": "section", "text": _mrkdwn("\n".join(lines))}]
    if quote.source is not None and quote.source not in cited:
        source = _mrkdwn("Source: " + citation_text(quote.source))
        blocks.append({"type": "context", "elements": [source]})
    return blocks


def _item_block(item: ListItem, share: bool) -> Block:
    text = f"*{escape(item.title)}*"
    if item.subtitle:
        text += f"\n{escape(item.subtitle)}"
    block: Block = {"type": "section", "text": _mrkdwn(text)}
    if item.action is not None and _shown(item.action, share):
        block["accessory"] = button(item.action)
    return block


def _shown(action: Action, share: bool) -> bool:
    """Return whether `action` gets a button: Share only where sharing is offered."""
    return share or action.kind != ActionKind.SHARE


@dataclass
class _Unit:
    """Blocks that must stay together in one message (an item, a quote with its source)."""

    blocks: list[Block]
    section: str | None = None  # the heading of the digest section this unit belongs to


@dataclass
class _Layout:
    head: list[_Unit] = field(default_factory=list)
    body: list[_Unit] = field(default_factory=list)
    tail: list[_Unit] = field(default_factory=list)


def _content_units(
    text: str | None,
    facts: list[Fact],
    quotes: list[QuoteBlock],
    items: list[ListItem],
    section: str | None,
    cited: list[SourceCitation],
    share: bool,
) -> list[_Unit]:
    units = [_Unit([b], section) for b in (_text_blocks(text) if text else [])]
    units += [_Unit([b], section) for b in _fact_blocks(facts)]
    units += [_Unit(_quote_blocks(q, cited), section) for q in quotes]
    units += [_Unit([_item_block(i, share)], section) for i in items]
    return units


def _section_units(section: Section, cited: list[SourceCitation], share: bool) -> list[_Unit]:
    heading = _Unit([_header(section.heading)], section.heading)
    units = _content_units(
        section.text, section.facts, section.quotes, section.items, section.heading, cited, share
    )
    return [heading, *units]


def _buttons(reply: Reply, share: bool) -> list[Action]:
    buttons: list[Action] = []
    if share and reply.command:
        buttons.append(Action(kind=ActionKind.SHARE, label=SHARE_LABEL, command=reply.command))
    buttons += reply.actions
    if reply.more is not None:
        buttons.append(reply.more)
    return [action for action in buttons if _shown(action, share)]


def _action_blocks(actions: Iterable[Action]) -> list[Block]:
    """Group buttons into actions blocks, at most one of each action_id per block."""
    blocks: list[Block] = []
    current: list[Block] = []
    for action in actions:
        element = button(action)
        if any(e["action_id"] == element["action_id"] for e in current) or len(current) == 5:
            blocks.append({"type": "actions", "elements": current})
            current = []
        current.append(element)
    if current:
        blocks.append({"type": "actions", "elements": current})
    return blocks


def _layout(reply: Reply, audience: Audience, shared_by: str | None) -> _Layout:
    head = [_header(reply.title), *(_text_blocks(reply.text) if reply.text else [])]
    layout = _Layout(head=[_Unit([b]) for b in head])
    cited = reply.sources
    # Share is for the asker alone: a message everyone sees has nothing left to share.
    share = audience == Audience.PRIVATE and reply.shareable
    layout.body = _content_units(None, reply.facts, reply.quotes, reply.items, None, cited, share)
    layout.body += [u for s in reply.sections for u in _section_units(s, cited, share)]
    if reply.sources:
        elements = [_mrkdwn("Source: " + citation_text(s)) for s in reply.sources]
        layout.tail.append(
            _Unit([{"type": "context", "elements": elements[:MAX_CONTEXT_ELEMENTS]}])
        )
    if reply.suggestions:
        tries = " · ".join(f"`{escape(s)}`" for s in reply.suggestions)
        layout.tail.append(_Unit([{"type": "context", "elements": [_mrkdwn("Try: " + tries)]}]))
    buttons = _action_blocks(_buttons(reply, share))
    if buttons:
        layout.tail.append(_Unit(buttons))
    if audience == Audience.SHARED:
        if not shared_by:
            raise ValueError("a shared message names who shared it: pass shared_by")
        sharer = _mrkdwn(f"Shared by <@{shared_by}>")
        layout.tail.append(_Unit([{"type": "context", "elements": [sharer]}]))
    return layout


def fallback_text(reply: Reply) -> str:
    """Return the plain notification text: the title and the start of the summary."""
    text = reply.title + (f": {reply.text}" if reply.text else "")
    return _cut(escape(text), MAX_FALLBACK)


def _count(units: Iterable[_Unit]) -> int:
    return sum(len(u.blocks) for u in units)


def render_message(
    reply: Reply, audience: Audience = Audience.PRIVATE, *, shared_by: str | None = None
) -> dict[str, Any]:
    """Return one `{"text", "blocks"}` message; a list too long for 50 blocks is cut with a note."""
    layout = _layout(reply, audience, shared_by)
    room = MAX_BLOCKS - _count(layout.head) - _count(layout.tail)
    body = layout.body
    if _count(body) > room:
        kept: list[_Unit] = []
        for unit in body:
            if _count(kept) + len(unit.blocks) > room - 1:
                break
            kept.append(unit)
        hidden = len(body) - len(kept)
        note = f"…and {hidden} more not shown here" + (
            "; press “More” for the next page." if reply.more else "."
        )
        body = [*kept, _Unit([{"type": "context", "elements": [_mrkdwn(note)]}])]
    blocks = [b for unit in (*layout.head, *body, *layout.tail) for b in unit.blocks]
    return {"text": fallback_text(reply), "blocks": blocks}


def render_messages(
    reply: Reply, audience: Audience = Audience.PRIVATE, *, shared_by: str | None = None
) -> list[dict[str, Any]]:
    """Return the reply as one or more messages, each within Slack's limits, never cutting an item."""
    layout = _layout(reply, audience, shared_by)
    messages: list[list[Block]] = [[b for u in layout.head for b in u.blocks]]
    tail_size = _count(layout.tail)
    for index, unit in enumerate(layout.body):
        is_last = index == len(layout.body) - 1
        limit = MAX_BLOCKS - (tail_size if is_last else 0)
        if len(messages[-1]) + len(unit.blocks) > limit:
            messages.append([])
            if unit.section and unit.blocks[0]["type"] != "header":
                messages[-1].append(_header(f"{unit.section} (continued)"))
        messages[-1].extend(unit.blocks)
    tail = [b for u in layout.tail for b in u.blocks]
    if len(messages[-1]) + len(tail) > MAX_BLOCKS:
        messages.append([])
    messages[-1].extend(tail)
    first = fallback_text(reply)
    more = _cut(escape(f"{reply.title} (continued)"), MAX_FALLBACK)
    return [
        {"text": first if i == 0 else more, "blocks": blocks} for i, blocks in enumerate(messages)
    ]
