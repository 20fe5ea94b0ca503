"""A compiled copy of a large folder's snapshot, so a restart need not parse and index it again.

Keyed by the folder's content (the digests that make its version) and by the code that builds
snapshots (this package's sources, Python's and msgspec's versions): an edited file or a new
release misses, and the folder is loaded from YAML as usual. Only large folders are cached
(`knowledge.accel.is_large`): smaller ones load faster than a cache is read.

A cache is a folder of data, no code: the entities as JSON (dates as curators write them),
validated again by the same models when read (a damaged or altered entry fails that and the
whole cache is ignored), the name and deal-filter indexes as JSON (one file each; the relations
are rebuilt, which is faster than reading them), and the full-text index as an SQLite database
file. References between entities are not checked again (they were when the cache was written),
so the folder wants the same protection as the bot's database. It is written under a temporary
name and renamed into place; a missing, stale or unreadable cache is ignored with a warning.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
import sqlite3
import sys
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

import msgspec

from knowledge.models import (
    KEY_OF_KIND,
    KINDS,
    AnyEntity,
    PartialDate,
    Record,
    decode_hook,
    encode_hook,
)
from knowledge.store import KnowledgeStore
from knowledge.validate import fits

_PREFIX = "knowledge-"
_FORMAT = 4
_RUN = 5_000  # entities per file


def _written(value: Any) -> Any:
    """Write dates as curators do, so reading the cache takes the fast path for them."""
    if isinstance(value, PartialDate):
        return value.as_written()
    return encode_hook(value)


_ENCODER = msgspec.json.Encoder(enc_hook=_written)

log = logging.getLogger(__name__)


@cache
def code_fingerprint() -> str:
    """Hash what decides a snapshot's shape: the knowledge package's code and library versions."""
    return fingerprint(Path(__file__).parents[1])


def fingerprint(package: Path) -> str:
    """Hash every Python file under `package` (with its path) and the library versions."""
    digest = hashlib.sha256(f"{sys.version}\0{msgspec.__version__}\0{_FORMAT}\0".encode())
    for source in sorted(package.rglob("*.py")):
        digest.update(source.relative_to(package).as_posix().encode() + b"\0")
        digest.update(source.read_bytes())
    return digest.hexdigest()[:12]


def holds_snapshots(cache_dir: Path) -> bool:
    """Whether `cache_dir` holds any snapshot (if not, hashing the folder to look is wasted)."""
    return cache_dir.is_dir() and any(cache_dir.glob(f"{_PREFIX}*"))


def cache_path(cache_dir: Path, version: str) -> Path:
    """Where the snapshot of a folder at `version` is kept."""
    return cache_dir / f"{_PREFIX}{version}-{code_fingerprint()}"


def read(cache_dir: Path, version: str) -> KnowledgeStore | None:
    """Return the cached snapshot of `version`, or None if there is no usable one."""
    path = cache_path(cache_dir, version)
    if not path.is_dir():
        return None
    try:
        meta = msgspec.json.decode((path / "meta.json").read_bytes())
        if meta["version"] != version:
            raise ValueError(f"it holds version {meta['version']}")
        entities: list[AnyEntity] = []
        for key, name in meta["runs"]:
            run = list_decoder(KINDS[key]).decode((path / name).read_bytes())
            if not fits(KINDS[key], run):
                raise ValueError(f"{name} holds an id or a text the rules refuse")
            entities += run
        return KnowledgeStore.from_parts(
            entities,
            version,
            lambda name: msgspec.json.decode((path / f"{name}.json").read_bytes()),
            path / "text.sqlite",
        )
    except Exception as exc:  # any damage: a cache is only a faster start
        log.warning("ignoring knowledge cache %s (%s); loading the YAML", path, exc)
        return None


def write(cache_dir: Path, store: KnowledgeStore) -> Path | None:
    """Save `store` (building its full-text index if needed); drop older caches.

    Returns where it was saved, or None if it could not be.
    """
    path = cache_path(cache_dir, store.version)
    if path.is_dir():
        return path
    temporary: Path | None = None
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        temporary = Path(tempfile.mkdtemp(dir=cache_dir, prefix=".partial-"))
        runs = []
        for number, (key, run) in enumerate(_runs(store.entities.values())):
            name = f"entities-{number:04d}.json"
            (temporary / name).write_bytes(_ENCODER.encode(run))
            runs.append([key, name])
        indexes = store.parts(temporary / "text.sqlite")
        for name, index in indexes.items():
            (temporary / f"{name}.json").write_bytes(_ENCODER.encode(index))
        meta = {"format": _FORMAT, "version": store.version, "runs": runs}
        (temporary / "meta.json").write_bytes(_ENCODER.encode(meta))
        try:
            temporary.rename(path)
        except OSError:
            if not path.is_dir():
                raise
            shutil.rmtree(temporary, ignore_errors=True)  # another replica wrote it first
    except (OSError, sqlite3.Error) as exc:
        log.warning("could not write the knowledge cache in %s (%s)", cache_dir, exc)
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)
        return None
    for old in cache_dir.glob(f"{_PREFIX}*"):
        if old != path:
            shutil.rmtree(old, ignore_errors=True)
    return path


@cache
def list_decoder(model: type[Record]) -> msgspec.json.Decoder[list[Any]]:
    """Return a JSON decoder for a list of `model`, as the cache stores them."""
    return msgspec.json.Decoder(list[model], dec_hook=decode_hook)  # type: ignore[valid-type]


def _runs(entities: Any) -> list[tuple[str, list[AnyEntity]]]:
    """Split entities, in order, into runs of one kind of at most `_RUN` (key, entities).

    Runs keep each file, and the memory to read it, small.
    """
    runs: list[tuple[str, list[AnyEntity]]] = []
    for entity in entities:
        key = KEY_OF_KIND[entity.kind]
        if not runs or runs[-1][0] != key or len(runs[-1][1]) >= _RUN:
            runs.append((key, []))
        runs[-1][1].append(entity)
    return runs
