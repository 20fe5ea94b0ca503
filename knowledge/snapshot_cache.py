"""A compiled copy of a large folder's snapshot, so a restart need not parse and index it again.

Keyed by the folder's content (the digests that make its version) and by the code that builds
snapshots (this package's sources, Python's and pydantic's versions): an edited file or a new
release misses, and the folder is loaded from YAML as usual. Files are written atomically; a
missing, stale or unreadable cache is ignored. Folders under `CACHE_BYTES` are never cached:
they load faster than a cache is read.

The file is a pickle, read only from the bot's own data folder (DATA_DIR/cache), which needs the
same trust as its database: anyone who can write there can run code as the bot.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import sys
import tempfile
from functools import cache
from pathlib import Path

import pydantic

from knowledge.store import KnowledgeStore

#: folders smaller than this (bytes of YAML) are not cached
CACHE_BYTES = 4_000_000
_PREFIX = "knowledge-"

log = logging.getLogger(__name__)


@cache
def code_fingerprint() -> str:
    """Hash what decides a snapshot's shape: this package's code and the library versions."""
    digest = hashlib.sha256(f"{sys.version}\0{pydantic.VERSION}\0".encode())
    for source in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(source.name.encode() + b"\0" + source.read_bytes())
    return digest.hexdigest()[:12]


def worth_caching(files: list[Path]) -> bool:
    """Whether a folder of these files is large enough for a cache to pay."""
    return sum(path.stat().st_size for path in files) >= CACHE_BYTES


def cache_path(cache_dir: Path, version: str) -> Path:
    """Where the snapshot of a folder at `version` is kept."""
    return cache_dir / f"{_PREFIX}{version}-{code_fingerprint()}.pickle"


def read(cache_dir: Path, version: str) -> KnowledgeStore | None:
    """Return the cached snapshot of `version`, or None if there is no usable one."""
    path = cache_path(cache_dir, version)
    try:
        with path.open("rb") as stream:
            store = pickle.load(stream)
    except FileNotFoundError:
        return None
    except Exception as exc:
        log.warning("ignoring knowledge cache %s (%s); loading the YAML", path, exc)
        return None
    if not isinstance(store, KnowledgeStore) or store.version != version:
        log.warning("ignoring knowledge cache %s (not this version); loading the YAML", path)
        return None
    return store


def write(cache_dir: Path, store: KnowledgeStore) -> Path | None:
    """Save `store` (with its full-text index if built); drop older caches. None if it failed."""
    path = cache_path(cache_dir, store.version)
    if path.exists():
        return path
    temporary: str | None = None
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=cache_dir, prefix=".partial-")
        with os.fdopen(handle, "wb") as stream:
            pickle.dump(store, stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    except (OSError, pickle.PicklingError) as exc:
        log.warning("could not write the knowledge cache in %s (%s)", cache_dir, exc)
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
        return None
    for old in cache_dir.glob(f"{_PREFIX}*.pickle"):
        if old != path:
            old.unlink(missing_ok=True)
    return path
