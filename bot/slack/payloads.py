"""The shape a Slack payload must have before Bolt and the listeners read it.

Bolt builds each request's context from ids it finds by walking the body (see
slack_bolt.request.internals), and the listeners then index into the command, event, action or
view. A payload of the wrong shape (a list where an object belongs, a number for an id, a
view_submission without state.values) would fail in there with a traceback and a 500, or an
apology to the user. `check_payload` refuses such a payload up front with one readable message.
Only what Bolt and the listeners read is checked: other fields, and payload types nobody
listens to, pass as Slack sent them.
"""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from slack_bolt.request.internals import parse_body
from yarl import URL

#: Deepest nesting accepted; Slack's own payloads (Block Kit in a view) stay well under 20.
MAX_DEPTH = 64
JSON_KINDS: dict[type, str] = {
    list: "array",
    str: "string",
    int: "number",
    float: "number",
    bool: "boolean",
    type(None): "null",
}


class MalformedPayload(ValueError):
    """The body is not a Slack payload the bot can read; the message says why."""


class Shape(msgspec.Struct, kw_only=True):
    """A part of a payload: the fields named are checked, any others are let through."""


class IdObject(Shape):
    """`{"id": …}`, as interactivity payloads carry the team, user, channel and enterprise."""

    id: str | None = None


#: Where Slack sends an id as a plain string or as an object holding it.
IdRef = str | IdObject | None
ElementStates = dict[str, dict[str, dict[str, Any]]]


class ViewState(Shape):
    """A view's input values: block id -> action id -> element state."""

    values: ElementStates | None = None


class View(Shape):
    """The view fields Bolt reads (team ids, callback_id) and the Ask dialog reads (state)."""

    callback_id: str | None = None
    team_id: str | None = None
    app_installed_team_id: str | None = None
    state: ViewState | None = None


class Ids(Shape):
    """Every place Bolt looks for an enterprise, team, user, channel or thread."""

    enterprise: IdRef = None
    team: IdRef = None
    user: IdRef = None
    channel: IdRef = None
    enterprise_id: str | None = None
    team_id: str | None = None
    user_id: str | None = None
    channel_id: str | None = None
    thread_ts: str | None = None
    view: View | None = None
    message: Ids | None = None
    previous_message: Ids | None = None
    item: Ids | None = None
    assistant_thread: Ids | None = None


class Event(Ids, kw_only=True):
    """An Events API event: at least its type."""

    type: str


class Action(Shape):
    """One entry of block_actions' `actions`: Bolt matches on action_id, listeners read value."""

    action_id: str
    block_id: str | None = None
    value: str | None = None


class ResponseUrl(Shape):
    """One entry of a view submission's `response_urls`."""

    response_url: str | None = None


class Envelope(Ids):
    """Fields any payload may carry, typed where Bolt's routing or context reads them."""

    type: str | None = None
    event: Event | None = None
    event_id: str | None = None
    authorizations: list[Ids] | None = None
    command: str | None = None
    callback_id: str | None = None
    action_id: str | None = None
    actions: Annotated[list[Action], msgspec.Meta(min_length=1)] | None = None
    response_url: str | None = None
    response_urls: list[ResponseUrl] | None = None
    trigger_id: str | None = None


class SlashCommand(Shape):
    """A slash command: what /chinabio's listener reads."""

    command: str
    user_id: str
    channel_id: str
    text: str | None = None


class UrlVerification(Shape):
    """Slack's handshake when the Request URL is set."""

    challenge: str


class ActionUser(Shape):
    """Who clicked or submitted."""

    id: str


class BlockActions(Shape):
    """A button click: Bolt routes on actions[0], the listeners answer the user."""

    actions: Annotated[list[Any], msgspec.Meta(min_length=1)]
    user: ActionUser


class SubmittedState(Shape):
    """A submitted view's state: values must be there."""

    values: ElementStates


class SubmittedView(Shape):
    """The view of a view_submission (Bolt reads its type, to tell a workflow step's)."""

    type: str
    callback_id: str
    state: SubmittedState


class ViewSubmission(Shape):
    """A dialog submitted."""

    view: SubmittedView
    user: ActionUser


class ClosedView(Shape):
    """The view of a view_closed."""

    callback_id: str


class ViewClosed(Shape):
    """A dialog closed without submitting."""

    view: ClosedView
    user: ActionUser


class AttachmentActions(Shape):
    """A legacy message-attachment button: Bolt reads actions[0]."""

    actions: Annotated[list[Any], msgspec.Meta(min_length=1)]


class WorkflowStepEdit(Shape):
    """A legacy workflow step being edited: Bolt hands on its workflow_step."""

    workflow_step: dict[str, Any]


class ShortcutMessage(Shape):
    """The message a message shortcut was used on: its text is what the answer reads."""

    text: str | None = None


class MessageAction(Shape):
    """A message shortcut (Ask about this message): Bolt routes on callback_id."""

    callback_id: str
    user: ActionUser
    message: ShortcutMessage


class EventCallback(Shape):
    """An Events API callback."""

    event: Event


class ChannelMessage(Shape):
    """app_mention and message events: the listeners answer `text` in `channel`, under `ts`."""

    channel: str
    ts: str
    text: str | None = None


class HomeOpened(Shape):
    """app_home_opened: the Home tab is published for `user`."""

    user: str


#: Required shape per payload `type`.
PAYLOAD_SHAPES: dict[str, type[Shape]] = {
    "url_verification": UrlVerification,
    "event_callback": EventCallback,
    "block_actions": BlockActions,
    "view_submission": ViewSubmission,
    "view_closed": ViewClosed,
    "interactive_message": AttachmentActions,
    "workflow_step_edit": WorkflowStepEdit,
    "message_action": MessageAction,
}
#: Required shape per event type, for the events the listeners read fields of.
EVENT_SHAPES: dict[str, type[Shape]] = {
    "app_mention": ChannelMessage,
    "message": ChannelMessage,
    "app_home_opened": HomeOpened,
}


def parse_payload(text: str, content_type: str | None) -> dict[str, Any]:
    """Parse a request body exactly as Bolt does, then check it; raise MalformedPayload."""
    try:
        body = parse_body(text, content_type)
    except RecursionError:
        raise MalformedPayload(f"JSON nested deeper than {MAX_DEPTH} levels") from None
    except ValueError as error:  # json.JSONDecodeError, with its line and column
        raise MalformedPayload(f"not valid JSON: {error}") from None
    check_parsed(body, text)
    return body


def check_parsed(body: Any, text: str) -> None:
    """Raise MalformedPayload unless `body`, parsed from `text`, is shallow and well-shaped."""
    # Each level of nesting opens a bracket: with few brackets in the text, skip the walk.
    if text.count("{") + text.count("[") > MAX_DEPTH:
        check_depth(body)
    check_payload(body)


def check_depth(value: Any, limit: int = MAX_DEPTH) -> None:
    """Raise MalformedPayload when `value` nests objects or arrays deeper than `limit`."""
    pending: list[tuple[Any, int]] = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, list):
            if depth > limit:
                raise MalformedPayload(f"JSON nested deeper than {limit} levels")
            pending.extend((child, depth + 1) for child in item)


def check_payload(body: Any) -> None:
    """Raise MalformedPayload unless `body` has the fields Bolt and the listeners read."""
    if not isinstance(body, dict):
        raise MalformedPayload(
            f"payload is a JSON {JSON_KINDS.get(type(body), 'value')}, not an object"
        )
    if not body:
        raise MalformedPayload("empty payload")
    label, kind = kind_of(body), body.get("type")
    _convert(body, Envelope, label)
    if "command" in body:  # Bolt takes any body with a `command` for a slash command
        _convert(body, SlashCommand, label)
    if shape := PAYLOAD_SHAPES.get(kind or ""):
        _convert(body, shape, label)
    if kind == "event_callback" and (shape := EVENT_SHAPES.get(body["event"]["type"])):
        _convert(body["event"], shape, label, "$.event")
    urls = [body.get("response_url")] + [
        u.get("response_url") for u in body.get("response_urls") or []
    ]
    if not all(url is None or _is_web_url(url) for url in urls):
        raise MalformedPayload(f"{label} payload: response_url is not an http(s) URL")


def _is_web_url(text: str) -> bool:
    try:
        url = URL(text)
    except ValueError:
        return False
    return url.scheme in ("http", "https") and bool(url.host)


def _convert(value: dict[str, Any], shape: type[Shape], label: str, where: str = "$") -> None:
    try:
        msgspec.convert(value, shape)
    except msgspec.ValidationError as error:
        text, _, path = str(error).partition(" - at `$")
        at = where + path.removesuffix("`")
        message = f"{text} - at `{at}`" if at != "$" else text
        raise MalformedPayload(f"{label} payload: {message}") from None


def kind_of(body: dict[str, Any]) -> str:
    """Return a short name for the payload, for log lines and messages."""
    if "command" in body:
        return "slash command"
    kind = body.get("type")
    return kind if isinstance(kind, str) and kind.isidentifier() else "untyped"
