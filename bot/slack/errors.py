"""When a listener fails: the user gets a short apology with an error id, the log gets the detail."""

from __future__ import annotations

import functools
import json
import logging
import secrets
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.response import BoltResponse

log = logging.getLogger(__name__)

Listener = Callable[..., Awaitable[None]]


def apology(error_id: str) -> str:
    """Return the message a user sees when something broke."""
    return (
        f"Sorry, something went wrong while answering (error id `{error_id}`). "
        "Please try again; if it keeps happening, give the error id to your admin."
    )


def log_failure(error: BaseException, body: dict[str, Any]) -> str:
    """Log `error` with what the request was about (never its tokens); return a new error id."""
    error_id = secrets.token_hex(4)
    log.error(
        "slack listener failed: error_id=%s type=%s team=%s user=%s",
        error_id,
        body.get("type") or ("slash_command" if "command" in body else "unknown"),
        body.get("team_id") or (body.get("team") or {}).get("id"),
        body.get("user_id") or (body.get("user") or {}).get("id"),
        exc_info=error,
    )
    return error_id


async def handle_listener_error(
    error: Exception, body: dict[str, Any], respond: Any
) -> BoltResponse | None:
    """Bolt error handler: answer a slash command's ack with the apology, else use response_url."""
    error_id = log_failure(error, body)
    if "command" in body:
        payload = {"response_type": "ephemeral", "text": apology(error_id)}
        return BoltResponse(
            status=200, body=json.dumps(payload), headers={"content-type": "application/json"}
        )
    if respond is not None and body.get("response_url"):
        await respond(response_type="ephemeral", replace_original=False, text=apology(error_id))
    return None


def install_error_handler(app: AsyncApp) -> None:
    """Register the apology handler as the app's error handler."""
    app.error(handle_listener_error)


def guarded(listener: Listener) -> Listener:
    """Wrap a lazy listener so a failure apologises to the user instead of vanishing in a log."""

    @functools.wraps(listener)
    async def run_guarded(**kwargs: Any) -> None:
        try:
            await listener(**kwargs)
        except Exception as error:
            error_id = log_failure(error, kwargs.get("body") or {})
            await _tell(kwargs, apology(error_id))

    return run_guarded


async def _tell(kwargs: dict[str, Any], text: str) -> None:
    respond, client = kwargs.get("respond"), kwargs.get("client")
    body = kwargs.get("body") or {}
    event = body.get("event") or {}
    try:
        if respond is not None and body.get("response_url"):
            await respond(response_type="ephemeral", replace_original=False, text=text)
        elif client is not None and event.get("channel"):
            in_thread = event.get("channel_type") != "im" and event.get("ts")
            thread_ts = (event.get("thread_ts") or event["ts"]) if in_thread else None
            await client.chat_postMessage(channel=event["channel"], thread_ts=thread_ts, text=text)
        elif client is not None and (body.get("user") or {}).get("id"):
            await client.chat_postMessage(channel=body["user"]["id"], text=text)
    except Exception:
        log.exception("could not deliver the apology")
