"""The curation forms as Adaptive Cards: why a 👎, what is outdated, and a proposal's fields.

Each form's Action.Submit carries its form key and what the button carried about the answer;
Teams merges the inputs' values into that data when the form is sent.
"""

from __future__ import annotations

from typing import Any

from bot.teams.render import CARD_SCHEMA, CARD_VERSION, SIGNAL_KEY
from handlers.curation import FEEDBACK_REASONS
from handlers.proposals import FORMS, FormField

Element = dict[str, Any]

FEEDBACK_FORM_KEY = "chinabio_feedback_form"
OUTDATED_FORM_KEY = "chinabio_outdated_form"
PROPOSE_FORM_KEY = "chinabio_propose_form"
MAX_INPUT = 3000


def _text(text: str, **style: Any) -> Element:
    return {"type": "RichTextBlock", "inlines": [{"type": "TextRun", "text": text, **style}]}


def _error(text: str) -> Element:
    return _text(text, color="Attention", size="Small")


def _card(title: str, body: list[Element], data: dict[str, Any], submit: str) -> dict[str, Any]:
    return {
        "type": "AdaptiveCard",
        "$schema": CARD_SCHEMA,
        "version": CARD_VERSION,
        "body": [_text(title, size="Large", weight="Bolder"), *body],
        "actions": [{"type": "Action.Submit", "title": submit, "data": data}],
        "fallbackText": title,
    }


def _input(
    field_id: str,
    label: str,
    *,
    required: bool = False,
    multiline: bool = False,
    value: str = "",
    placeholder: str = "",
) -> Element:
    element: Element = {
        "type": "Input.Text",
        "id": field_id,
        "label": label,
        "isRequired": required,
        "isMultiline": multiline,
        "maxLength": MAX_INPUT,
    }
    if required:
        element["errorMessage"] = f"{label} is required."
    if value:
        element["value"] = value
    if placeholder:
        element["placeholder"] = placeholder[:200]
    return element


def _choices(
    field_id: str, label: str, choices: list[tuple[str, str]], *, required: bool, value: str = ""
) -> Element:
    element: Element = {
        "type": "Input.ChoiceSet",
        "id": field_id,
        "label": label,
        "isRequired": required,
        "style": "compact",
        "choices": [{"title": title, "value": code} for code, title in choices],
    }
    if required:
        element["errorMessage"] = f"Choose {label.lower().rstrip('?')}."
    if value:
        element["value"] = value
    return element


def feedback_form(signal: dict[str, Any]) -> dict[str, Any]:
    """Return the 👎 form."""
    body = [
        _choices("reason", "What went wrong?", list(FEEDBACK_REASONS.items()), required=True),
        _input("comment", "Anything to add?", multiline=True),
        _text("Only the curators read this; your name is not stored.", isSubtle=True, size="Small"),
    ]
    return _card("What went wrong?", body, {FEEDBACK_FORM_KEY: 1, SIGNAL_KEY: signal}, "Send")


def outdated_form(
    signal: dict[str, Any], entities: list[tuple[str, str]], problems: dict[str, str] | None = None
) -> dict[str, Any]:
    """Return the Report-outdated form naming the entity (a choice when the card shows several)."""
    problems = problems or {}
    body: list[Element] = []
    if len(entities) == 1:
        body.append(_text(f"{entities[0][1]} ({entities[0][0]})", weight="Bolder"))
    else:
        choices = [(entity_id, label) for entity_id, label in entities]
        body.append(_choices("entity", "Which one is outdated?", choices, required=True))
    body += [
        _input("changed", "What changed?", required=True, multiline=True),
        _input(
            "source", "Source", required=True, placeholder="a link, or the publication and date"
        ),
    ]
    body += [_error(text) for text in problems.values()]
    data = {OUTDATED_FORM_KEY: 1, SIGNAL_KEY: signal}
    return _card("Report outdated", body, data, "Send")


def proposal_form(
    kind: str, values: dict[str, str] | None = None, problems: dict[str, str] | None = None
) -> dict[str, Any]:
    """Return the proposal form for `kind`, with what was typed and its problems when re-shown."""
    values, problems = values or {}, problems or {}
    body = [_text("Nothing you type enters the knowledge until a curator adds it.", isSubtle=True)]
    for f in FORMS[kind]:
        body.append(_field(f, values.get(f.name, "")))
        if f.name in problems:
            body.append(_error(problems[f.name]))
    return _card(f"Propose a {kind}", body, {PROPOSE_FORM_KEY: kind}, "Check and send")


def _field(f: FormField, value: str) -> Element:
    if f.choices:
        return _choices(
            f.name, f.label, [(c, c) for c in f.choices], required=f.required, value=value
        )
    return _input(
        f.name, f.label, required=f.required, multiline=f.multiline, value=value, placeholder=f.hint
    )
