"""Run `parse_worker` beside the loader for large folders: it parses while the loader validates.

Parsing is about half the work of a cold load of a large folder and both halves are CPU-bound
under one GIL, so the parse runs in its own process (started with `subprocess`, safe from a
thread, unlike fork). Only large folders come here (`knowledge.accel.is_large`): for small
ones, starting Python costs more than it saves.
"""

from __future__ import annotations

import logging
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from knowledge.accel import parse_worker
from knowledge.yaml_lines import MAY_ANCHOR

#: parse processes: two keep a 2-core machine's validation fed (one left it waiting ~1 s)
WORKERS = 2

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Frame:
    """One file as the worker saw it: its hash and, if it parsed cleanly, its data (MessagePack)."""

    sha256: str
    payload: bytes | None
    keys: list[str]


@contextmanager
def parsed_elsewhere(files: list[Path], store: Path | None = None) -> Iterator[Iterator[Frame]]:
    """Yield the workers' frames for `files`, in order.

    `WORKERS` processes take the files in turn (file i goes to worker i % WORKERS), so parsing
    keeps ahead of validation. The iterator may end early (a worker failed); the caller reads
    the rest itself. With `store` (a parse-cache folder), files parsed before are read from it
    and the others are kept there.
    """
    first_line = f"{parse_worker.STORE}\n"  # first, always: no file path is taken for it
    if store is not None:
        try:
            store.mkdir(parents=True, exist_ok=True)
            first_line = f"{parse_worker.STORE}{store}\n"
        except OSError as exc:
            log.warning("cannot keep parsed files in %s (%s); parsing them all", store, exc)
    workers: list[subprocess.Popen[bytes]] = []
    try:
        for first in range(min(WORKERS, len(files))):
            worker = subprocess.Popen(
                [sys.executable, "-P", parse_worker.__file__, MAY_ANCHOR.pattern],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
            )
            workers.append(worker)
            assert worker.stdin is not None
            try:
                paths = "".join(f"{p}\n" for p in files[first::WORKERS])
                worker.stdin.write((first_line + paths).encode())
                worker.stdin.close()
            except OSError as exc:  # the worker exited at once
                log.warning("YAML parse worker did not start (%s); parsing in-process", exc)
                yield iter(())
                return
        yield _in_turn([_frames(w.stdout) for w in workers], len(files))
    finally:
        for worker in workers:
            worker.kill()
            assert worker.stdout is not None
            worker.stdout.close()
            worker.wait()


def _in_turn(streams: list[Iterator[Frame]], count: int) -> Iterator[Frame]:
    """Take one frame from each stream in turn, `count` in all; stop at the first that ends."""
    for index in range(count):
        frame = next(streams[index % len(streams)], None)
        if frame is None:
            return
        yield frame


def _frames(stream: object) -> Iterator[Frame]:
    while True:
        try:
            frame = parse_worker.read_frame(stream)  # type: ignore[arg-type]
        except (OSError, ValueError) as exc:  # a worker that died mid-frame
            log.warning("YAML parse worker failed (%s); parsing in-process", exc)
            return
        if frame is None:
            return
        header, payload = frame
        if "stored" in header:
            header, payload = _stored(Path(str(header["stored"])), str(header["sha256"]))
        yield Frame(
            str(header["sha256"]),
            payload if header["ok"] else None,
            [str(k) for k in header["keys"]],  # type: ignore[attr-defined]
        )


def _stored(path: Path, sha256: str) -> tuple[dict[str, object], bytes]:
    """Read a frame the worker kept in the parse cache; a not-ok header if it is unusable."""
    try:
        with path.open("rb") as stream:
            frame = parse_worker.read_frame(stream)
        if frame is None or frame[0].get("sha256") != sha256:
            raise ValueError("it is not this file's")
    except (OSError, ValueError) as exc:
        log.warning("ignoring parsed file %s (%s); parsing it again", path, exc)
        with suppress(OSError):
            path.unlink()  # so the next load keeps a good one
        return {"sha256": sha256, "ok": False, "keys": []}, b""
    return frame
