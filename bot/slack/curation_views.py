"""The curation modals: why a 👎, what is outdated, and a proposal's form; plus their readers."""

from __future__ import annotations

import json
from typing import Any

from bot.slack.render import escape
from handlers.curation import FEEDBACK_REASONS
from handlers.proposals import FORMS, FormField

View = dict[str, Any]

FEEDBACK_VIEW = "chinabio_feedback"
OUTDATED_VIEW = "chinabio_outdated"
PROPOSE_VIEW = "chinabio_propose"
PICK_VIEW = "chinabio_propose_pick"
#: Slack keeps at most 3,000 characters of private_metadata.
MAX_METADATA = 3000
MAX_INPUT = 3000
REASON, COMMENT, ENTITY, CHANGED, SOURCE, KIND = (
    "reason",
    "comment",
    "entity",
    "changed",
    "source",
    "kind",
)


def _plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text[:150] or " ", "emoji": True}


def _option(value: str, text: str) -> dict[str, Any]:
    return {"text": _plain(text[:75]), "value": value[:150]}


def _text_input(
    block_id: str, label: str, *, optional: bool = False, multiline: bool = False, hint: str = ""
) -> dict[str, Any]:
    block: dict[str, Any] = {
        "type": "input",
        "block_id": block_id,
        "optional": optional,
        "label": _plain(label),
        "element": {
            "type": "plain_text_input",
            "action_id": "value",
            "multiline": multiline,
            "max_length": MAX_INPUT,
        },
    }
    if hint:
        block["hint"] = _plain(hint)
    return block


def _select(
    block_id: str, label: str, options: list[dict[str, Any]], **extra: Any
) -> dict[str, Any]:
    element = {"type": "static_select", "action_id": "value", "options": options, **extra}
    return {"type": "input", "block_id": block_id, "label": _plain(label), "element": element}


def _modal(
    callback_id: str, title: str, submit: str, blocks: list[dict[str, Any]], meta: dict[str, Any]
) -> View:
    return {
        "type": "modal",
        "callback_id": callback_id,
        "title": _plain(title[:24]),
        "submit": _plain(submit),
        "close": _plain("Cancel"),
        "private_metadata": json.dumps(meta, separators=(",", ":"))[:MAX_METADATA],
        "blocks": blocks,
    }


def feedback_view(meta: dict[str, Any]) -> View:
    """Return the 👎 form: what went wrong, and anything to add."""
    reasons = [_option(code, label) for code, label in FEEDBACK_REASONS.items()]
    radios = {"type": "radio_buttons", "action_id": "value", "options": reasons}
    blocks = [
        {
            "type": "input",
            "block_id": REASON,
            "label": _plain("What went wrong?"),
            "element": radios,
        },
        _text_input(COMMENT, "Anything to add?", optional=True, multiline=True),
        _context("Only the curators read this; your name is not stored."),
    ]
    return _modal(FEEDBACK_VIEW, "What went wrong?", "Send", blocks, meta)


def outdated_view(meta: dict[str, Any], entities: list[tuple[str, str]]) -> View:
    """Return the Report-outdated form naming the entity (a choice when the card shows several)."""
    blocks: list[dict[str, Any]] = []
    if len(entities) == 1:
        entity_id, label = entities[0]
        blocks.append(_section(f"*{escape(label)}* (`{escape(entity_id)}`)"))
    else:
        options = [_option(entity_id, label) for entity_id, label in entities[:100]]
        blocks.append(_select(ENTITY, "Which one is outdated?", options))
    blocks += [
        _text_input(CHANGED, "What changed?", multiline=True),
        _text_input(SOURCE, "Source", hint="a link, or the publication and its date"),
        _context("Posted to the curators; nothing changes until a curator checks the source."),
    ]
    return _modal(OUTDATED_VIEW, "Report outdated", "Send", blocks, meta)


def pick_view(meta: dict[str, Any]) -> View:
    """Return the first step of the Propose shortcut: which kind of entry."""
    options = [_option(kind, kind.capitalize()) for kind in FORMS]
    blocks = [_select(KIND, "What would you like to propose?", options)]
    return _modal(PICK_VIEW, "Propose an entry", "Next", blocks, meta)


def proposal_view(kind: str, meta: dict[str, Any]) -> View:
    """Return the proposal form for `kind`, one input per field of the schema."""
    blocks = [_context("Nothing you type enters the knowledge until a curator adds it.")]
    blocks += [_field_block(f) for f in FORMS[kind]]
    return _modal(
        PROPOSE_VIEW, f"Propose a {kind}", "Check and send", blocks, {**meta, "kind": kind}
    )


def _field_block(f: FormField) -> dict[str, Any]:
    if f.choices:
        block = _select(f.name, f.label, [_option(c, c) for c in f.choices])
        block["optional"] = not f.required
        return block
    return _text_input(f.name, f.label, optional=not f.required, multiline=f.multiline, hint=f.hint)


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text[:3000]}}


def _context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}


def values_of(view: dict[str, Any]) -> dict[str, str]:
    """Return each input's value (typed text or chosen option) by block id."""
    state = view.get("state", {}).get("values", {})
    values: dict[str, str] = {}
    if not isinstance(state, dict):
        return values
    for block_id, actions in state.items():
        element = actions.get("value") if isinstance(actions, dict) else None
        if not isinstance(element, dict):
            continue
        chosen = element.get("selected_option")
        value = chosen.get("value") if isinstance(chosen, dict) else element.get("value")
        if isinstance(value, str) and value.strip():
            values[str(block_id)] = value.strip()
    return values


def metadata_of(view: dict[str, Any]) -> dict[str, Any]:
    """Return the view's private_metadata as a mapping (empty when missing or unreadable)."""
    try:
        meta = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        return {}
    return meta if isinstance(meta, dict) else {}
