"""Parsed YAML kept between loads, so a large folder's unchanged files are not parsed again.

The parse workers keep each cleanly parsed file as `<sha256 of its bytes>.frame` in
`parsed_dir(cache_dir)`, a folder named for the parser (its code and yaml_rs's version), not
for the models: after a release that changed the models, or after a curator edited one file,
only new or changed files are parsed again; every file is still validated and indexed. A kept
file is data, not code, and is validated like a fresh parse; a damaged one is parsed again.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
import time
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import msgspec
import yaml_rs

from knowledge.accel import parse_worker
from knowledge.yaml_lines import MAY_ANCHOR

_PREFIX = "parsed-"

log = logging.getLogger(__name__)


@cache
def parser_fingerprint() -> str:
    """Hash what decides a parsed file's content: the worker's code, pattern and libraries."""
    digest = hashlib.sha256(Path(parse_worker.__file__).read_bytes())
    digest.update(f"\0{yaml_rs._yaml_rs._VERSION}\0{msgspec.__version__}".encode())
    digest.update(MAY_ANCHOR.pattern.encode())  # which files the worker leaves to the loader
    return digest.hexdigest()[:12]


def parsed_dir(cache_dir: Path) -> Path:
    """Where this parser's files are kept under `cache_dir`."""
    return cache_dir / f"{_PREFIX}{parser_fingerprint()}"


def keep_only(cache_dir: Path, digests: Iterable[str]) -> None:
    """Drop kept files that are not of `digests` (the folder's files now) and other parsers'."""
    current = parsed_dir(cache_dir)
    wanted = {f"{digest}.frame" for digest in digests}
    for folder in cache_dir.glob(f"{_PREFIX}*"):
        if folder != current:
            shutil.rmtree(folder, ignore_errors=True)
    if not current.is_dir():
        return
    stale_partial = time.time() - 3600  # younger .partial files may be another replica's
    for kept in current.iterdir():
        if kept.name in wanted:
            continue
        try:
            if not kept.name.startswith(".") or kept.stat().st_mtime < stale_partial:
                kept.unlink()
        except OSError as exc:
            log.warning("could not drop the parsed file %s (%s)", kept, exc)
