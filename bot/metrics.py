"""Prometheus metrics, shared by every adapter (served at GET /metrics)."""

from __future__ import annotations

from prometheus_client import Counter, Histogram

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
