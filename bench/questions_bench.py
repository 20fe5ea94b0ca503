"""Benchmark: every question of the bank and the held-out batch (tests/questions/), text to
Reply, with the report's knowledge and with it inside the 100,000-deal synthetic store.

Run: `python -m bench.questions_bench [--rounds N] [--skip-synthetic] [--synthetic-dir DIR]`.
Target (issue 15): question -> Reply p99 <= 5 ms on both stores.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from bench.answers_bench import summary, synthetic_store
from handlers import AskContext, ReplyKind, answer
from knowledge import KnowledgeStore, load_store

BANK = Path(__file__).resolve().parent.parent / "tests" / "questions" / "bank.yaml"
HELDOUT = BANK.with_name("heldout.yaml")
TARGET_MS = 5.0


def questions() -> list[str]:
    """Return the questions of the bank and of the held-out batch, as typed."""
    return [
        str(q["q"])
        for path in (BANK, HELDOUT)
        for q in yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]
    ]


def time_questions(
    store: KnowledgeStore,
    texts: list[str],
    rounds: int,
    clock: Callable[[], int] = time.perf_counter_ns,
) -> list[float]:
    """Return the milliseconds each answer took, every question `rounds` times after a warm-up."""
    ctx = AskContext(platform="bench", is_mention=True, rng=random.Random(1))
    for text in texts:  # warm per-snapshot memos the way a running bot has them warm
        answer(text, store, ctx)
    timings: list[float] = []
    for _ in range(rounds):
        for text in texts:
            start = clock()
            answer(text, store, ctx)
            timings.append((clock() - start) / 1e6)
    return timings


def by_reply(store: KnowledgeStore, texts: list[str]) -> tuple[list[str], list[str]]:
    """Split the questions: those answered by a `deals` list, and all the others."""
    ctx = AskContext(platform="bench", is_mention=True, rng=random.Random(1))
    lists = [t for t in texts if answer(t, store, ctx).kind == ReplyKind.DEAL_LIST]
    return lists, [t for t in texts if t not in set(lists)]


def main(argv: list[str] | None = None) -> int:
    """Print JSON lines per store (all, lists, others); exit 1 if the target is missed."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--skip-synthetic", action="store_true")
    parser.add_argument("--synthetic-dir", type=Path, help="reuse a folder written earlier")
    args = parser.parse_args(argv)
    texts = questions()
    stores = [("report", load_store())]
    if not args.skip_synthetic:
        loaded = synthetic_store(args.synthetic_dir)
        if loaded is None:
            print("bench.synthetic is not available: synthetic store skipped", file=sys.stderr)
        else:
            print(f"synthetic store: {len(loaded[0].entities)} entities in {loaded[1]:.1f} s")
            stores.append(("synthetic", loaded[0]))
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    ok = True
    for name, store in stores:
        lists, others = by_reply(store, texts)
        for group, asked in (("all", texts), ("deal lists", lists), ("the others", others)):
            if not asked:
                continue
            row = summary(name, time_questions(store, asked, args.rounds))
            cpu = summary(name, time_questions(store, asked, args.rounds, time.process_time_ns))
            row |= {"questions": f"{group} ({len(asked)})", "target_p99_ms": TARGET_MS}
            row |= {"cpu_p50_ms": cpu["p50_ms"], "cpu_p99_ms": cpu["p99_ms"]}
            if group == "all":
                slowest = sorted(
                    ((min(time_questions(store, [t], 3)), t) for t in asked), reverse=True
                )[:3]
                row["slowest"] = [f"{ms:.2f} ms {text}" for ms, text in slowest]
                ok = ok and float(row["p99_ms"]) <= TARGET_MS
            print(json.dumps(row))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
