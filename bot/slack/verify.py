"""Check what reaches the bot from Slack before Bolt reads it: the signature, then the payload.

Over HTTP every request must carry Slack's signature of its exact bytes, made in the last five
minutes; anything else gets 401 before the body is parsed, so nothing unverified reaches a
listener, a log line or an outbound call. A signed body that Bolt could not read gets 400 and one
log line. Socket Mode has no signatures (the connection is authenticated); its envelopes get the
same payload check, and a malformed one is acknowledged and dropped.
"""

from __future__ import annotations

import logging
import re

from aiohttp import web
from multidict import CIMultiDictProxy
from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.signature import SignatureVerifier
from slack_sdk.socket_mode.aiohttp import SocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse

from bot.slack.payloads import MalformedPayload, check_parsed, check_payload, parse_payload

log = logging.getLogger(__name__)

TIMESTAMP_HEADER = "X-Slack-Request-Timestamp"
SIGNATURE_HEADER = "X-Slack-Signature"
#: How far a request's timestamp may be from now, either way: Slack's guard against replays.
MAX_SKEW_SECONDS = 5 * 60
#: Unix seconds in ASCII digits. int() alone would also take " 12", "1_2", "١٢" or 5,000 digits.
TIMESTAMP = re.compile(r"[0-9]{1,12}")
#: Version 0 of Slack's scheme: "v0=" and a hex HMAC-SHA256.
SIGNATURE = re.compile(r"v0=[0-9a-f]{64}")


class Unverified(Exception):
    """The request's signature cannot be verified; the message says why (never echoing input)."""


class SlackRequestCheck:
    """Verify Slack's signature, then the payload's shape, once per request."""

    def __init__(self, signing_secret: str) -> None:
        self.verifier = SignatureVerifier(signing_secret)

    def check_headers(self, headers: CIMultiDictProxy[str]) -> tuple[str, str]:
        """Return the timestamp and signature if both are well-formed and fresh; else raise."""
        timestamp, signature = _one(headers, TIMESTAMP_HEADER), _one(headers, SIGNATURE_HEADER)
        if timestamp is None or not TIMESTAMP.fullmatch(timestamp):
            raise Unverified("timestamp missing, repeated or not a number")
        if abs(self.verifier.clock.now() - int(timestamp)) > MAX_SKEW_SECONDS:
            raise Unverified("timestamp more than 5 minutes from now")
        if signature is None or not SIGNATURE.fullmatch(signature):
            raise Unverified("signature missing, repeated or malformed")
        return timestamp, signature

    def signed_text(self, body: bytes, timestamp: str, signature: str) -> str:
        """Return `body` as text if `signature` is Slack's for it; else raise Unverified."""
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            # slack_sdk signs text; bytes that are not UTF-8 cannot carry a signature it accepts.
            raise Unverified("body is not UTF-8, so its signature cannot match") from None
        if not self.verifier.is_valid(text, timestamp, signature):
            raise Unverified("signature does not match")
        return text

    async def verified_text(self, request: web.Request) -> str:
        """Return the body of `request` as text once its signature checks out; else raise Unverified.

        The body is read only after the headers pass, and at most the app's client_max_size
        (1 MiB by default; aiohttp answers 413 beyond it).
        """
        timestamp, signature = self.check_headers(request.headers)
        return self.signed_text(await request.read(), timestamp, signature)

    async def bolt_request(self, request: web.Request) -> AsyncBoltRequest:
        """Return `request` for Bolt once signed and well-formed; raise Unverified or MalformedPayload."""
        return bolt_request_of(await self.verified_text(request), request)


def content_type_of(request: web.Request) -> str | None:
    """Return the media type of the request's one Content-Type header, as Bolt reads it; else raise.

    Bolt does not lower-case it; neither does this, so both choose the same parser.
    """
    content_types = request.headers.getall("Content-Type", [])
    if len(content_types) > 1:
        raise MalformedPayload("more than one Content-Type header")
    return content_types[0].split(";")[0] if content_types else None


def bolt_request_of(text: str, request: web.Request) -> AsyncBoltRequest:
    """Return the verified body `text` of `request` for Bolt, checked; raise MalformedPayload."""
    content_type = content_type_of(request)
    try:
        # Bolt gets the very text that was verified (to_bolt_request would decode the
        # bytes again, by the request's charset). It parses the body here, once.
        bolt_request = AsyncBoltRequest(
            body=text,
            query=request.query_string,
            headers=request.headers,  # type: ignore[arg-type]  # as in to_bolt_request
        )
    except Exception as error:  # only a body Bolt cannot read fails here: say what is wrong
        parse_payload(text, content_type)
        raise MalformedPayload(f"Bolt cannot read it ({type(error).__name__})") from None
    check_parsed(bolt_request.body, text)
    return bolt_request


def _one(headers: CIMultiDictProxy[str], name: str) -> str | None:
    values = headers.getall(name, [])
    return values[0] if len(values) == 1 else None


def refusal(error: Unverified | MalformedPayload) -> web.Response:
    """Log one line for a refused request and return its 401 or 400."""
    if isinstance(error, Unverified):
        # Bolt's wording, which operators may already alert on.
        log.info("Invalid request signature detected (request refused: 401): %s", error)
        return web.json_response({"error": "invalid request"}, status=401)
    log.warning("Slack request refused (400): %s", error)
    return web.json_response({"error": f"malformed Slack request: {error}"}, status=400)


class CheckedSocketModeHandler(AsyncSocketModeHandler):
    """Socket Mode, with each envelope's payload checked before Bolt reads it."""

    async def handle(  # type: ignore[override]  # narrowed like Bolt's own handler
        self, client: SocketModeClient, req: SocketModeRequest
    ) -> None:
        """Pass a well-formed envelope to Bolt; acknowledge and drop a malformed one."""
        try:
            check_payload(req.payload)
        except MalformedPayload as error:
            log.warning("Slack Socket Mode envelope dropped: %s", error)
            # Acknowledged, or Slack would deliver the same bad envelope again.
            await client.send_socket_mode_response(SocketModeResponse(envelope_id=req.envelope_id))
            return
        await super().handle(client, req)
