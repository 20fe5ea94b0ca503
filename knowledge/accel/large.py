"""Load a large folder: from its snapshot cache, else parsed by worker processes meanwhile.

Ends in the same snapshot, or the same problems, as the plain path (`knowledge.build`): a file
the workers could not parse, or whose data a whole-file check refuses, is read by the plain
reader, which says what is wrong and where.
"""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache, partial
from pathlib import Path
from typing import Any

import msgspec

from knowledge.accel import parse_cache, snapshot_cache
from knowledge.accel.parse_worker_client import Frame, parsed_elsewhere
from knowledge.build import build_store, folder_version
from knowledge.models import KINDS, decode_hook
from knowledge.reader import Reader
from knowledge.store import KnowledgeStore
from knowledge.validate import fits


def load_large(
    root: Path, files: list[Path], cache_dir: Path | None, *, text_now: bool = False
) -> KnowledgeStore:
    """Load `root` (these `files`) as `knowledge.loader.load_store` does, faster.

    With `cache_dir`, a snapshot saved there by `snapshot_cache.write` for these files and this
    code is read instead, and parsed files are kept there for the next load (`parse_cache`).
    """
    with collector_paused():
        if cache_dir is not None and snapshot_cache.holds_snapshots(cache_dir):
            cached = snapshot_cache.read(cache_dir, folder_version(root, files))
            if cached is not None:
                return cached
        return build_store(root, partial(read_parsed, cache_dir=cache_dir), text_now=text_now)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a snapshot is built; freeze it once built.

    Loading creates millions of acyclic objects (parsed YAML, models); each collection would
    scan all of them again, which doubled the load time of a 100k-deal folder. A snapshot
    lives long, so what a load made is then frozen (`gc.freeze`): no collection scans it, and
    reference counting still frees an old snapshot once dropped. Nothing here unfreezes: what
    the app froze (bot/slack/app.py) stays frozen. A load that fails leaves its garbage young.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
        gc.freeze()
    finally:
        if was_enabled:
            gc.enable()


def read_parsed(
    reader: Reader, files: list[Path], cache_dir: Path | None
) -> list[tuple[Path, str]]:
    """Read `files` as parse workers hand them over; a file they could not parse, in-process."""
    digests: list[tuple[Path, str]] = []
    store = parse_cache.parsed_dir(cache_dir) if cache_dir is not None else None
    with parsed_elsewhere(files, store) as frames:
        for path in files:
            frame = next(frames, None)
            if frame is not None and frame.payload is not None:
                if not _accept_parsed(reader, path, frame):
                    reader.read_file(path, path.read_bytes())  # say what is wrong, and where
                digest = frame.sha256
            else:
                raw = path.read_bytes()
                reader.read_file(path, raw)
                digest = hashlib.sha256(raw).hexdigest()
            digests.append((path, digest))
    if cache_dir is not None and store is not None and store.is_dir():
        parse_cache.keep_only(cache_dir, [digest for _, digest in digests])
    return digests


def _accept_parsed(reader: Reader, path: Path, frame: Frame) -> bool:
    """Validate a file a worker parsed and hand its entities over; False if it has a problem."""
    assert frame.payload is not None
    valid = validate_file(frame.payload)
    if valid is None:
        return False
    for key in frame.keys:
        entities = valid.get(key, [])
        reader.accept(path, key, entities, range(len(entities)))
    return True


@cache
def _file_decoder() -> msgspec.msgpack.Decoder[Any]:
    """Return a decoder for a whole parsed knowledge file: each kind an optional list."""
    fields: list[tuple[str, Any, Any]] = [(key, list[model], []) for key, model in KINDS.items()]  # type: ignore[valid-type]
    file_type = msgspec.defstruct(
        "KnowledgeFile", fields, kw_only=True, forbid_unknown_fields=True, gc=False
    )
    return msgspec.msgpack.Decoder(file_type, dec_hook=decode_hook)


def validate_file(payload: bytes) -> dict[str, list[Any]] | None:
    """Validate a whole parsed file (MessagePack, from a parse worker) in one call.

    None if anything in it is wrong: the caller then validates the file entry by entry to say
    what is wrong and where.
    """
    try:
        valid = _file_decoder().decode(payload)
    except msgspec.DecodeError:  # refused, or not MessagePack at all
        return None
    entities = {key: getattr(valid, key) for key in KINDS}
    if not all(fits(KINDS[key], found) for key, found in entities.items()):
        return None
    return entities
