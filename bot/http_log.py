"""The request-id middleware: X-Request-Id in and out, on every log line, one line per request."""

from __future__ import annotations

import asyncio
import logging
import re
import time
import uuid

import structlog
from aiohttp import web
from aiohttp.typedefs import Handler

REQUEST_ID_HEADER = "X-Request-Id"
#: Logged as the status of a request whose handler was cancelled (nginx's convention).
CLIENT_CLOSED = 499
#: Probes and scrapes arrive every few seconds; they are logged at DEBUG only.
QUIET_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})
# A caller's id is kept only if it cannot forge log lines or grow without bound.
_SAFE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")

log = logging.getLogger("bot.http")


def incoming_request_id(request: web.Request) -> str:
    """Return the caller's X-Request-Id when it is safe to log, else a fresh one."""
    given = request.headers.get(REQUEST_ID_HEADER, "")
    return given if _SAFE_ID.match(given) else uuid.uuid4().hex


def current_request_id() -> str | None:
    """Return the id of the request being handled (also inside tasks it started), if any."""
    value = structlog.contextvars.get_contextvars().get("request_id")
    return str(value) if value else None


def _outcome(status: int) -> str:
    if status == CLIENT_CLOSED:
        return "cancelled"
    if status >= 500:
        return "error"
    if status >= 400:
        return "rejected"
    return "ok"


#: Paths whose last part is a secret (a calendar feed's token): logged with the secret left out.
_SECRET_PATH = re.compile(r"^(/calendar/)[^/]+$")


def loggable_path(path: str) -> str:
    """Return `path` as the log may show it: a calendar feed's token replaced by `{token}`."""
    return _SECRET_PATH.sub(r"\1{token}.ics", path)


@web.middleware
async def request_id_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Tag the request with an id, log method, path, status and latency, echo the id back."""
    request_id = incoming_request_id(request)
    started = time.perf_counter()
    status = 500
    with structlog.contextvars.bound_contextvars(request_id=request_id):
        try:
            response = await handler(request)
            status = response.status
        except web.HTTPException as exc:
            status = exc.status
            exc.headers[REQUEST_ID_HEADER] = request_id
            raise
        except asyncio.CancelledError:
            status = CLIENT_CLOSED  # the client went away, or shutdown ran out of time
            raise
        except Exception:
            log.exception("unhandled error in %s %s", request.method, loggable_path(request.path))
            raise web.HTTPInternalServerError(headers={REQUEST_ID_HEADER: request_id}) from None
        finally:
            latency_ms = round((time.perf_counter() - started) * 1000, 2)
            level = logging.DEBUG if request.path in QUIET_PATHS and status < 400 else logging.INFO
            # The path only: query strings may carry OAuth codes and states.
            log.log(
                level,
                "%s %s -> %s",
                request.method,
                loggable_path(request.path),
                status,
                extra={
                    "method": request.method,
                    "path": loggable_path(request.path),
                    "status": status,
                    "latency_ms": latency_ms,
                    "outcome": _outcome(status),
                },
            )
    if not response.prepared:
        response.headers[REQUEST_ID_HEADER] = request_id
    return response
