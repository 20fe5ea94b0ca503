"""Check a POST to /api/messages before the SDK runs it: UTF-8 JSON, an activity, answerable.

The Agents SDK turns a body of the wrong shape (an array, `"text": 123`, no serviceUrl) into
an unhandled exception: a 500 and a traceback per request. `read_activity` refuses such a body
with a short reason the route answers as 400, after authentication and before the SDK.
"""

from __future__ import annotations

import json
import logging
from contextvars import ContextVar
from typing import Any

from aiohttp import web
from microsoft_agents.activity import Activity
from pydantic import ValidationError
from yarl import URL

#: Longest reason given back to the caller (and written to the log).
MAX_REASON_CHARS = 160
#: The SDK logs every activity that fails validation as an ERROR with a traceback.
_SDK_ACTIVITY_LOG = "microsoft_agents.activity.activity"
_checking: ContextVar[bool] = ContextVar("teams_checking_activity", default=False)


class BadActivity(Exception):
    """The body is not an activity the bot can run; the message says why, briefly."""


async def read_activity(request: web.Request) -> Activity:
    """Return the request's activity; raise BadActivity when it is not one the SDK can run."""
    data = _json_object(await request.read())
    token = _checking.set(True)
    try:
        activity = Activity.model_validate(data)
    except ValidationError as exc:
        raise BadActivity(_first_error(exc)) from None
    except Exception as exc:  # the SDK's own validators also raise a bare Exception
        raise BadActivity(_printable(str(exc)) or "not an activity") from None
    finally:
        _checking.reset(token)
    missing = _first_missing(activity)
    if missing:
        raise BadActivity(f"the activity has no {missing}")
    if not _is_web_url(activity.service_url):
        raise BadActivity("the activity's serviceUrl is not an http(s) URL")
    return activity


class _QuietWhileChecking(logging.Filter):
    """Drop the SDK's traceback for an activity `read_activity` refuses (it logs one line)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not _checking.get()


def quiet_sdk_validation_log() -> None:
    """Keep the SDK from logging a traceback for each malformed activity we refuse with 400."""
    sdk_logger = logging.getLogger(_SDK_ACTIVITY_LOG)
    if not any(isinstance(f, _QuietWhileChecking) for f in sdk_logger.filters):
        sdk_logger.addFilter(_QuietWhileChecking())


def _json_object(body: bytes) -> dict[str, Any]:
    """Return the body as a JSON object, the only shape an activity has."""
    try:
        data = json.loads(body.decode("utf-8"))
        # An escaped lone surrogate ("\ud800") parses, then breaks every later encode.
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeError:
        raise BadActivity("the body is not UTF-8 text") from None
    except (ValueError, RecursionError):
        raise BadActivity("the body is not JSON") from None
    if not isinstance(data, dict):
        raise BadActivity(f"the body is a JSON {_json_kind(data)}, not an activity object")
    return data


def _first_missing(activity: Activity) -> str | None:
    """Return the first field the SDK needs to run a turn that the activity lacks, or None."""
    needed = {
        "type": activity.type,
        "channelId": activity.channel_id,
        "conversation.id": activity.conversation.id if activity.conversation else None,
        "from.id": activity.from_property.id if activity.from_property else None,
        "recipient.id": activity.recipient.id if activity.recipient else None,
    }
    return next((name for name, value in needed.items() if not value), None)


def _first_error(exc: ValidationError) -> str:
    """Return 'text: Input should be a valid string' for the first problem, without the input."""
    error = exc.errors(include_url=False, include_input=False, include_context=False)[0]
    where = ".".join(str(part) for part in error["loc"]) or "the activity"
    return _printable(f"{where}: {error['msg']}")


def _printable(text: str) -> str:
    """Return `text` cut short, with control characters (which could forge log lines) as '?'."""
    return "".join(c if c.isprintable() else "?" for c in text[:MAX_REASON_CHARS])


def _is_web_url(text: str | None) -> bool:
    """Return True for an absolute http or https URL with a host (where replies are posted)."""
    if not text:
        return False
    try:
        url = URL(text)
    except (ValueError, TypeError):
        return False
    return url.scheme in {"http", "https"} and bool(url.host)


def _json_kind(data: object) -> str:
    """Return how JSON names the type of `data`."""
    if data is None:
        return "null"
    if isinstance(data, bool):
        return "boolean"
    if isinstance(data, list):
        return "array"
    if isinstance(data, str):
        return "string"
    return "number"
