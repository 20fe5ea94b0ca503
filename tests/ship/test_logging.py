"""Logs: JSON lines with the core fields, secrets scrubbed, a request id in and out of every request."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.app import build_app, build_deps
from bot.logging_setup import CORE_FIELDS, Redactor, configure_from_settings, configure_logging
from bot.settings import Settings

BOT_TOKEN = "xoxb-1111-2222-abcdefABCDEF"
APP_TOKEN = "xapp-1-A111-2222-abcdef"
SIGNING_SECRET = "0123456789abcdef0123456789abcdef"
DB_PASSWORD = "pg-pass-w0rd"


@pytest.fixture
def restore_logging() -> Iterator[None]:
    """Put the root logger back as it was after a test reconfigures it."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.fixture
def settings(knowledge_dir: Path, tmp_path: Path) -> Settings:
    """Settings holding every kind of secret, with JSON logs."""
    return Settings.from_env(
        {
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_APP_TOKEN": APP_TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "DATABASE_URL": f"postgresql://bot:{DB_PASSWORD}@127.0.0.1/test",
            "KNOWLEDGE_DIR": str(knowledge_dir),
            "DATA_DIR": str(tmp_path / "data"),
            "LOG_FORMAT": "json",
        },
        dotenv=None,
    )


def _events(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


def test_json_lines_carry_core_fields_and_extras(restore_logging: None) -> None:
    """Each event is one JSON line with time, level, logger, message, request_id and its extras."""
    stream = io.StringIO()
    configure_logging("INFO", "json", stream=stream)
    logging.getLogger("handlers.test").info(
        "answered", extra={"command": "deal", "latency_ms": 4.2, "outcome": "ok"}
    )
    (event,) = _events(stream)
    assert list(event)[: len(CORE_FIELDS)] == list(CORE_FIELDS)
    assert event["level"] == "info"
    assert event["logger"] == "handlers.test"
    assert event["message"] == "answered"
    assert event["request_id"] is None
    assert (event["command"], event["latency_ms"], event["outcome"]) == ("deal", 4.2, "ok")


def test_text_format_is_one_readable_line(restore_logging: None) -> None:
    """LOG_FORMAT=text (the default) prints a human line, not JSON."""
    stream = io.StringIO()
    configure_logging("INFO", "text", stream=stream)
    logging.getLogger("bot.test").info("hello %s", "operator", extra={"outcome": "ok"})
    line = stream.getvalue().strip()
    assert "hello operator" in line
    assert "outcome=ok" in line
    assert not line.startswith("{")


def test_log_level_filters_lower_levels(restore_logging: None) -> None:
    """LOG_LEVEL=WARNING drops INFO events."""
    stream = io.StringIO()
    configure_logging("WARNING", "json", stream=stream)
    logging.getLogger("bot.test").info("quiet")
    logging.getLogger("bot.test").warning("loud")
    assert [e["message"] for e in _events(stream)] == ["loud"]


def test_secrets_from_settings_never_reach_the_log(
    settings: Settings, restore_logging: None
) -> None:
    """A token logged by mistake, in a message, an extra or a traceback, comes out as ***."""
    stream = io.StringIO()
    configure_from_settings(settings, stream=stream)
    log = logging.getLogger("bot.careless")
    log.info("token %s and secret %s", settings.slack_bot_token, settings.slack_signing_secret)
    log.info("config", extra={"settings": {"token": APP_TOKEN, "url": settings.database_url}})
    try:
        raise RuntimeError(f"auth failed with Bearer {SIGNING_SECRET}")
    except RuntimeError:
        log.exception("call failed")
    output = stream.getvalue()
    for secret in (BOT_TOKEN, APP_TOKEN, SIGNING_SECRET, DB_PASSWORD):
        assert secret not in output
    assert len(_events(stream)) == 3
    assert "***" in output


def test_token_shaped_text_is_scrubbed_without_knowing_it() -> None:
    """Slack tokens, bearer values and URL passwords are masked even if settings never held them."""
    redactor = Redactor()
    text = redactor.scrub(
        "xoxb-9-8-zz xoxp-1-2 xapp-1-X-2-y Authorization: Bearer abc.def-ghi "
        "postgresql://u:hunter22@db/x"
    )
    assert text == ("xoxb-*** xoxp-*** xapp-*** Authorization: Bearer *** postgresql://u:***@db/x")


FORGED = "T1\n2030-01-01T00:00:00Z [error    ] forged\r\x1b[2J\u2028"


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_control_characters_are_escaped_in_every_field(restore_logging: None, fmt: str) -> None:
    """A newline, ESC or line separator in a message or an extra cannot start a forged line."""
    stream = io.StringIO()
    configure_logging("INFO", fmt, stream=stream)
    logging.getLogger("bot.test").warning(
        "refused team=%s", FORGED, extra={"team": FORGED, "ids": [FORGED]}
    )
    output = stream.getvalue()
    assert output.count("\n") == 1
    assert "\r" not in output
    assert "\x1b" not in output
    assert "\u2028" not in output
    assert "\\n2030-01-01" in output
    assert "\\x1b[2J" in output
    if fmt == "json":
        (event,) = _events(stream)
        assert event["team"] == "T1\\n2030-01-01T00:00:00Z [error    ] forged\\r\\x1b[2J\\u2028"


def test_text_traceback_lines_are_indented_and_escaped(restore_logging: None) -> None:
    """In text logs no line of a traceback, whatever its exception says, passes for a log line."""
    stream = io.StringIO()
    configure_logging("INFO", "text", stream=stream)
    try:
        raise ValueError(f"bad team {FORGED}")
    except ValueError:
        logging.getLogger("bot.test").exception("failed")
    first, *rest = stream.getvalue().rstrip("\n").split("\n")
    assert "failed" in first
    assert rest
    assert all(line.startswith("    ") for line in rest)
    assert "\x1b" not in stream.getvalue()
    assert any("ValueError: bad team T1" in line for line in rest)


@pytest.fixture
async def client(
    settings: Settings, restore_logging: None
) -> AsyncIterator[tuple[TestClient, io.StringIO]]:
    """An in-process app (SQLite, no platforms) whose JSON logs go to a buffer."""
    stream = io.StringIO()
    configure_from_settings(settings, stream=stream)
    local = Settings.from_env(
        {"KNOWLEDGE_DIR": settings.knowledge_dir or "", "DATA_DIR": settings.data_dir},
        dotenv=None,
    )
    app = build_app(build_deps(local))
    async with TestClient(TestServer(app)) as test_client:
        yield test_client, stream


async def test_request_id_is_echoed_and_logged(
    client: tuple[TestClient, io.StringIO],
) -> None:
    """A caller's X-Request-Id comes back on the response and tags the request's log line."""
    test_client, stream = client
    response = await test_client.get("/readyz", headers={"X-Request-Id": "req-42.abc"})
    assert response.headers["X-Request-Id"] == "req-42.abc"
    logging.getLogger().setLevel(logging.DEBUG)
    await test_client.get("/healthz", headers={"X-Request-Id": "req-43"})
    tagged = {e["request_id"]: e for e in _events(stream) if e.get("logger") == "bot.http"}
    assert tagged["req-43"]["path"] == "/healthz"
    assert tagged["req-43"]["status"] == 200


async def test_unsafe_request_id_is_replaced(client: tuple[TestClient, io.StringIO]) -> None:
    """An X-Request-Id that could forge log lines is replaced by a fresh one."""
    test_client, _ = client
    response = await test_client.get("/healthz", headers={"X-Request-Id": 'x" ok\\nfake'})
    returned = response.headers["X-Request-Id"]
    assert returned != 'x" ok\\nfake'
    assert len(returned) == 32


async def test_unknown_path_is_logged_with_id_and_never_the_query(
    client: tuple[TestClient, io.StringIO],
) -> None:
    """A 404 still gets an id; a secret in the query string never reaches the log."""
    test_client, stream = client
    response = await test_client.get(f"/nowhere?code={SIGNING_SECRET}&t=Bearer%20{BOT_TOKEN}")
    assert response.status == 404
    assert response.headers["X-Request-Id"]
    (event,) = [e for e in _events(stream) if e.get("path") == "/nowhere"]
    assert (event["status"], event["outcome"]) == (404, "rejected")
    assert SIGNING_SECRET not in stream.getvalue()
    assert BOT_TOKEN not in stream.getvalue()


async def test_a_crashing_handler_gives_500_with_id_and_a_logged_traceback(
    restore_logging: None,
) -> None:
    """An unhandled error answers a bare 500 carrying the id; the traceback is logged under that id."""
    from aiohttp import web

    from bot.http_log import current_request_id, request_id_middleware

    seen: list[str | None] = []

    async def crash(_request: web.Request) -> web.Response:
        seen.append(current_request_id())
        raise ValueError("kaboom")

    stream = io.StringIO()
    configure_logging("INFO", "json", stream=stream)
    app = web.Application(middlewares=[request_id_middleware])
    app.router.add_get("/crash", crash)
    async with TestClient(TestServer(app)) as test_client:
        response = await test_client.get("/crash", headers={"X-Request-Id": "crash-1"})
        body = await response.text()
    assert response.status == 500
    assert response.headers["X-Request-Id"] == "crash-1"
    assert "kaboom" not in body
    assert seen == ["crash-1"]
    errors = [e for e in _events(stream) if e["level"] == "error"]
    assert errors[0]["request_id"] == "crash-1"
    assert "ValueError: kaboom" in str(errors[0]["exception"])


async def test_a_cancelled_handler_is_logged_as_499_cancelled(restore_logging: None) -> None:
    """A handler cancelled mid-request (shutdown timeout) is logged with status 499, outcome cancelled."""
    import asyncio

    from aiohttp import web
    from aiohttp.test_utils import make_mocked_request

    from bot.http_log import request_id_middleware

    async def cancelled(_request: web.Request) -> web.Response:
        raise asyncio.CancelledError

    stream = io.StringIO()
    configure_logging("INFO", "json", stream=stream)
    request = make_mocked_request("POST", "/slack/events", headers={"X-Request-Id": "gone-1"})
    with pytest.raises(asyncio.CancelledError):
        await request_id_middleware(request, cancelled)
    (event,) = _events(stream)
    assert (event["request_id"], event["status"], event["outcome"]) == ("gone-1", 499, "cancelled")


async def test_an_answered_slack_question_logs_command_latency_and_outcome(
    restore_logging: None,
) -> None:
    """Answering a question logs one JSON line with command, latency_ms and outcome, without the text."""
    from bot.asking import Asker, Question
    from bot.deps import Deps
    from bot.digest.book import SqlSubscriptionBook
    from knowledge.reload import KnowledgeHolder

    stream = io.StringIO()
    configure_logging("INFO", "json", stream=stream)
    from sqlalchemy import create_engine

    engine = create_engine("sqlite://")
    deps = Deps(Settings(), KnowledgeHolder(), engine, SqlSubscriptionBook(engine))
    await Asker("slack", deps).ask(
        Question("deal Puhe zebra-words", user_id="U1", conversation_id="C1")
    )
    answered = [e for e in _events(stream) if e.get("message") == "answered"]
    assert len(answered) == 1
    event = answered[0]
    assert event["command"] == "deal"
    assert event["outcome"] == "answered"
    assert isinstance(event["latency_ms"], float)
    assert "zebra-words" not in stream.getvalue()
