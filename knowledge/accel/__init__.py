"""Speed-ups for large knowledge folders (100,000 deals), behind one switch: `is_large`.

The plain path (`knowledge.build`) reads, validates and indexes every file in-process. A folder
of `LARGE_FOLDER_BYTES` or more instead goes through `knowledge.accel.large`, which adds:
- a restart from a compiled snapshot of the last load (`snapshot_cache`);
- two parse worker processes that parse while the loader validates (`parse_worker`,
  `parse_worker_client`), keeping each parsed file for the next start (`parse_cache`);
- no cyclic garbage collection while it loads.
Each one's benefit is measured by `bench/knowledge_bench.py` (numbers in bench/README.md).
The result is the same snapshot and the same problems either way; tests set the switch to 0.
"""

from __future__ import annotations

from pathlib import Path

#: folders with at least this many bytes of YAML take the speed-ups; the shipped one is 100 KB
LARGE_FOLDER_BYTES = 4_000_000


def is_large(files: list[Path]) -> bool:
    """Whether a folder of these files is large enough for the speed-ups to pay."""
    return sum(path.stat().st_size for path in files) >= LARGE_FOLDER_BYTES
