"""Live reload: how long a reload of the shipped knowledge takes, and from save to served.

Run: `python -m bench.reload` (add `--rounds N`). Prints one line per measure.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from bot.reload import KnowledgeReloader
from knowledge.loader import default_dir
from knowledge.reload import KnowledgeHolder

EXTRA = """\
topics:
  - id: bench-topic-{n}
    name: Bench topic {n}
    sources:
      - source: {source}
"""


def _ms(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"median {statistics.median(samples) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms"


async def save_to_served(folder: Path, rounds: int) -> list[float]:
    """Write a new YAML file, then time until the watcher serves the new version."""
    holder = KnowledgeHolder(folder)
    reloader = KnowledgeReloader(holder)
    await reloader.start()
    await asyncio.sleep(0.5)
    samples = []
    source_id = _first_source_id(folder)
    try:
        for n in range(rounds):
            before = holder.store.version
            started = time.perf_counter()
            (folder / f"bench-{n}.yaml").write_text(
                EXTRA.format(n=n, source=source_id), encoding="utf-8"
            )
            while holder.store.version == before:
                await asyncio.sleep(0.005)
            samples.append(time.perf_counter() - started)
            await asyncio.sleep(0.1)
    finally:
        await reloader.stop()
    return samples


def _first_source_id(folder: Path) -> str:
    import yaml

    for path in sorted(folder.rglob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for item in data.get("sources") or []:
            return str(item["id"])
    raise SystemExit("no source in the knowledge folder")


def main() -> None:
    """Measure and print."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "kb"
        shutil.copytree(default_dir(), folder)
        holder = KnowledgeHolder(folder)
        print(f"knowledge: {len(holder.store.entities)} entities, version {holder.store.version}")
        reloads = []
        for _ in range(args.rounds):
            started = time.perf_counter()
            assert holder.reload().ok
            reloads.append(time.perf_counter() - started)
        print(f"KnowledgeHolder.reload(): {_ms(reloads)}")
        served = asyncio.run(save_to_served(folder, args.rounds))
        print(f"save to served (watcher, debounce included): {_ms(served)}")


if __name__ == "__main__":
    main()
