"""Parse YAML files into MessagePack in a separate process, so the loader validates meanwhile.

Run as a script that imports nothing from the package (so it starts fast), with the
pattern of `knowledge.yaml_lines.MAY_ANCHOR` as its one argument: it reads `store:<folder>`
(see below; the folder may be empty) then file paths, one per line, on stdin and writes one
frame per file, in order, to stdout: an 8-byte header length, a JSON header, an 8-byte payload length, the payload. The
header is `{"sha256": <hex of the file's bytes>, "ok": bool, "keys": [top-level keys]}`; the
payload is the file's data as MessagePack when `ok` (exact for every YAML scalar, NaN and
infinities too, and faster to write than JSON), else empty (the loader then reads that file
itself and reports why). A file that may hold a YAML anchor (`&name`) is never parsed here:
aliases to it can multiply the data ("billion laughs"), so the loader checks their budget first.

With a folder after `store:`, each file's frame is kept in that folder as
`<sha256>.frame` (the parse cache: files already there are not parsed again) and the frame on
stdout says where, `"stored": <path>`, with an empty payload.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import re
import sys
from pathlib import Path
from typing import BinaryIO

import msgspec
import yaml_rs

_SIZE = 8
STORE = "store:"


def to_payload(raw: bytes, may_anchor: re.Pattern[str]) -> tuple[bytes, list[str]] | None:
    """Return the YAML mapping in `raw` as MessagePack and its keys in order; None if not one.

    None too when `may_anchor` finds a possible anchor: the loader checks how far its aliases
    expand.
    """
    try:
        text = raw.decode("utf-8")
        if may_anchor.search(text):
            return None
        data = yaml_rs.loads(text, parse_datetime=False)
    except (UnicodeDecodeError, yaml_rs.YAMLDecodeError):
        return None
    if not isinstance(data, dict) or not all(isinstance(k, str) for k in data):
        return None
    try:
        return msgspec.msgpack.encode(data), list(data)
    except (TypeError, ValueError, OverflowError):  # e.g. an integer beyond 64 bits
        return None


def write_frame(out: BinaryIO, header: dict[str, object], payload: bytes) -> None:
    """Write one length-prefixed frame."""
    head = json.dumps(header).encode()
    out.write(len(head).to_bytes(_SIZE, "big") + head)
    out.write(len(payload).to_bytes(_SIZE, "big"))
    out.write(payload)
    out.flush()


def read_frame(stream: BinaryIO) -> tuple[dict[str, object], bytes] | None:
    """Read one frame written by `write_frame`; None at the end of the stream."""
    size = stream.read(_SIZE)
    if len(size) < _SIZE:
        return None
    header = json.loads(stream.read(int.from_bytes(size, "big")))
    payload_size = int.from_bytes(stream.read(_SIZE), "big")
    payload = stream.read(payload_size)
    if len(payload) < payload_size:
        raise ValueError("the frame ends early")
    return header, payload


def store(folder: Path, sha256: str, header: dict[str, object], payload: bytes) -> Path | None:
    """Keep a cleanly parsed file's frame in the parse cache; None if it cannot be written."""
    path = folder / f"{sha256}.frame"
    partial = folder / f".{sha256}.{os.getpid()}.partial"
    try:
        with partial.open("wb") as out:
            write_frame(out, header, payload)
        partial.replace(path)  # whole or not at all, even with several replicas writing
    except OSError:
        partial.unlink(missing_ok=True)
        return None
    return path


def main() -> None:
    """Parse every path named on stdin, writing one frame per file to stdout."""
    gc.disable()  # the parsed data is acyclic and freed file by file
    may_anchor = re.compile(sys.argv[1])
    out = sys.stdout.buffer
    store_line, *lines = sys.stdin.read().splitlines() or [STORE]
    folder = Path(store_line.removeprefix(STORE)) if store_line.removeprefix(STORE) else None
    for line in lines:
        raw = Path(line).read_bytes()
        sha256 = hashlib.sha256(raw).hexdigest()
        if folder is not None and (folder / f"{sha256}.frame").is_file():
            write_frame(
                out, {"sha256": sha256, "ok": True, "stored": str(folder / f"{sha256}.frame")}, b""
            )
            continue
        converted = to_payload(raw, may_anchor)
        payload, keys = converted or (b"", [])
        header = {"sha256": sha256, "ok": bool(converted), "keys": keys}
        kept = store(folder, sha256, header, payload) if folder and converted else None
        if kept is not None:
            write_frame(out, {**header, "stored": str(kept)}, b"")
        else:
            write_frame(out, header, payload)


if __name__ == "__main__":
    main()
