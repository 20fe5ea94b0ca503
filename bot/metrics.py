"""Prometheus metrics, shared by every adapter (served at GET /metrics)."""

from __future__ import annotations

import functools
import logging
from typing import Any

from prometheus_client import Counter, Gauge, Histogram

REQUESTS = Counter(
    "chinabio_requests_total",
    "Questions answered, by platform, command and outcome",
    ["platform", "command", "outcome"],
)
LATENCY = Histogram(
    "chinabio_answer_seconds",
    "Time from a question arriving to its answer being ready",
    ["platform"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5),
)
DIGESTS = Counter(
    "chinabio_digests_total",
    "Digest deliveries, by platform and outcome",
    ["platform", "outcome"],
)
KNOWLEDGE_LOAD = Gauge(
    "chinabio_knowledge_load_seconds",
    "How long the knowledge being served took to load and index (every index, full text too)",
)
KNOWLEDGE_ENTITIES = Gauge(
    "chinabio_knowledge_entities", "How many entities the knowledge being served holds"
)

KNOWLEDGE_WATCHING = Gauge(
    "chinabio_knowledge_watching",
    "1 while the knowledge folder is watched for edits, 0 while not (see /readyz for why)",
)


def record_knowledge_watching(watching: bool) -> None:
    """Publish whether the knowledge folder is being watched."""
    KNOWLEDGE_WATCHING.set(1 if watching else 0)


def record_knowledge_load(seconds: float, entities: int) -> None:
    """Publish how the knowledge being served was loaded."""
    KNOWLEDGE_LOAD.set(seconds)
    KNOWLEDGE_ENTITIES.set(entities)


_log = logging.getLogger("bot.answers")


def outcome_of(kind: str) -> str:
    """Return the outcome label of a reply kind: answered, not_found or error."""
    return {"not-found": "not_found", "error": "error"}.get(kind, "answered")


@functools.cache
def _request_counter(platform: str, command: str, outcome: str) -> Any:
    return REQUESTS.labels(platform, command, outcome)


@functools.cache
def _latency_histogram(platform: str) -> Any:
    return LATENCY.labels(platform)


def record_answer(platform: str, kind: str | None, seconds: float) -> None:
    """Count an answer (kind None: it failed), observe its latency and log one line without user text."""
    command = kind or "unknown"
    outcome = outcome_of(kind) if kind else "error"
    _request_counter(platform, command, outcome).inc()
    _latency_histogram(platform).observe(seconds)
    _log.info(
        "answered",
        extra={
            "platform": platform,
            "command": command,
            "latency_ms": round(seconds * 1000, 2),
            "outcome": outcome,
        },
    )
