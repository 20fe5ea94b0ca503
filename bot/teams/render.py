"""Render a Reply as an Adaptive Card (schema 1.5) for Microsoft Teams.

Every piece of text goes into a `TextRun`, which Adaptive Cards never read as markdown, so text
from the knowledge or from a user shows exactly as written: no injected links or formatting.
"""

from __future__ import annotations

import json
from typing import Any

from bot.plaintext import render_text
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

CARD_VERSION = "1.5"
CARD_SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
#: The key an Action.Submit button carries; its value is the command to run.
RUN_KEY = "chinabio_run"
#: Teams shows at most six buttons in a card's action bar.
MAX_CARD_ACTIONS = 6
#: Teams refuses messages over about 28 KB; stay well under it.
MAX_CARD_BYTES = 24_000
MAX_FALLBACK_CHARS = 2_000

Element = dict[str, Any]


def render_card(reply: Reply) -> dict[str, Any]:
    """Return the whole reply as one Adaptive Card."""
    body = _header(reply)
    for section in reply.sections:
        body += _section(section)
    body += _footer(reply)
    return _card(body, _card_actions(reply), render_text(reply))


def render_cards(reply: Reply) -> list[dict[str, Any]]:
    """Return the reply as one card, or several when it is too big for one Teams message."""
    card = render_card(reply)
    if _size(card) <= MAX_CARD_BYTES or len(reply.sections) < 2:
        return [card]
    cards: list[dict[str, Any]] = []
    body = _header(reply)
    for section in reply.sections:
        part = _section(section)
        if len(body) > 0 and _size(_card(body + part, [], "")) > MAX_CARD_BYTES:
            cards.append(_card(body, [], render_text(reply)))
            body = []
        body += part
    body += _footer(reply)
    cards.append(_card(body, _card_actions(reply), render_text(reply)))
    return cards


def run_action(label: str, command: str) -> Element:
    """Return an Action.Submit button that runs `command` as if the user typed it."""
    return {"type": "Action.Submit", "title": label[:80], "data": {RUN_KEY: command}}


#: Input ids of the Remind me form; Action.Submit sends them beside the command (one form a card).
REMIND_DATE, REMIND_NOTE = "remind_date", "remind_note"


def remind_action(label: str, command: str) -> Element:
    """Return a Remind me button that unfolds a date picker and a note, then runs `command`."""
    form = {
        "type": "AdaptiveCard",
        "body": [
            {
                "type": "Input.Date",
                "id": REMIND_DATE,
                "label": "On which day?",
                "isRequired": True,
                "errorMessage": "Pick a day.",
            },
            {
                "type": "Input.Text",
                "id": REMIND_NOTE,
                "label": "What to check",
                "maxLength": 300,
                "placeholder": "check the IIT readout",
            },
        ],
        "actions": [{"type": "Action.Submit", "title": "Set reminder", "data": {RUN_KEY: command}}],
    }
    return {"type": "Action.ShowCard", "title": label[:80], "card": form}


def _card(body: list[Element], actions: list[Element], fallback: str) -> dict[str, Any]:
    card: dict[str, Any] = {
        "type": "AdaptiveCard",
        "$schema": CARD_SCHEMA,
        "version": CARD_VERSION,
        "body": body,
        "fallbackText": _clip(fallback, MAX_FALLBACK_CHARS),
    }
    if actions:
        card["actions"] = actions
    return card


def _size(card: dict[str, Any]) -> int:
    return len(json.dumps(card, ensure_ascii=False).encode())


def _header(reply: Reply) -> list[Element]:
    body = [_text(reply.title, size="Large", weight="Bolder")]
    if reply.text:
        body.append(_text(reply.text))
    body += _facts(reply.facts)
    body += [_quote(quote) for quote in reply.quotes]
    body += [_item(item) for item in reply.items]
    return body


def _footer(reply: Reply) -> list[Element]:
    body: list[Element] = []
    if reply.suggestions:
        body.append(_text("Try: " + " · ".join(reply.suggestions), subtle=True, separator=True))
    body += [_source(source) for source in reply.sources]
    return body


def _section(section: Section) -> list[Element]:
    items = [_text(section.heading, size="Medium", weight="Bolder")]
    if section.text:
        items.append(_text(section.text))
    items += _facts(section.facts)
    items += [_quote(quote) for quote in section.quotes]
    items += [_item(item) for item in section.items]
    return [{"type": "Container", "separator": True, "spacing": "Medium", "items": items}]


def _facts(facts: list[Fact]) -> list[Element]:
    return [
        {
            "type": "ColumnSet",
            "spacing": "Small",
            "columns": [
                {
                    "type": "Column",
                    "width": "auto",
                    "items": [_text(fact.label + ":", weight="Bolder")],
                },
                {"type": "Column", "width": "stretch", "items": [_text(fact.value)]},
            ],
        }
        for fact in facts
    ]


def _quote(quote: QuoteBlock) -> Element:
    items = [_text(f"“{quote.text}”", italic=True), _text(f"— {quote.attribution()}", subtle=True)]
    if quote.source:
        items.append(_source(quote.source))
    return {"type": "Container", "style": "emphasis", "spacing": "Medium", "items": items}


def _item(item: ListItem) -> Element:
    texts = [_text(item.title, weight="Bolder")]
    if item.subtitle:
        texts.append(_text(item.subtitle, subtle=True))
    columns: list[Element] = [{"type": "Column", "width": "stretch", "items": texts}]
    action = item.action
    if action and action.command and action.kind in (ActionKind.RUN, ActionKind.REMIND):
        make = remind_action if action.kind is ActionKind.REMIND else run_action
        button = make(action.label, action.command)
        columns.append(
            {
                "type": "Column",
                "width": "auto",
                "verticalContentAlignment": "Center",
                "items": [{"type": "ActionSet", "actions": [button]}],
            }
        )
    return {"type": "ColumnSet", "spacing": "Small", "columns": columns}


def _source(source: SourceCitation) -> Element:
    details = ", ".join(part for part in (source.publisher, source.date, source.locator) if part)
    label = f"Source: {source.title}" + (f" ({details})" if details else "")
    run: Element = {"type": "TextRun", "text": label, "isSubtle": True, "size": "Small"}
    if source.url and source.url.lower().startswith(("https://", "http://")):
        run["selectAction"] = {"type": "Action.OpenUrl", "url": source.url}
    return {"type": "RichTextBlock", "spacing": "Small", "inlines": [run]}


def _card_actions(reply: Reply) -> list[Element]:
    # Teams replies are already visible to the whole conversation, so SHARE buttons are dropped.
    wanted = (ActionKind.RUN, ActionKind.REMIND)
    runs = [a for a in reply.actions if a.kind in wanted and a.command]
    if reply.more and reply.more.command:
        runs.append(reply.more)
    return [_button(action) for action in _unique(runs)[:MAX_CARD_ACTIONS]]


def _button(action: Action) -> Element:
    if action.kind is ActionKind.REMIND:
        return remind_action(action.label, action.command)
    return run_action(action.label, action.command)


def _unique(actions: list[Action]) -> list[Action]:
    seen: set[str] = set()
    kept = []
    for action in actions:
        if action.command not in seen:
            seen.add(action.command)
            kept.append(action)
    return kept


def _text(
    text: str,
    *,
    size: str | None = None,
    weight: str | None = None,
    italic: bool = False,
    subtle: bool = False,
    separator: bool = False,
) -> Element:
    run: Element = {"type": "TextRun", "text": text}
    if size:
        run["size"] = size
    if weight:
        run["weight"] = weight
    if italic:
        run["italic"] = True
    if subtle:
        run["isSubtle"] = True
    block: Element = {"type": "RichTextBlock", "inlines": [run]}
    if separator:
        block["separator"] = True
    return block


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
