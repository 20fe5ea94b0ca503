"""Parse YAML files into JSON in a separate process, so the loader validates while this parses.

Run as a script (not imported by the package, so it starts without pydantic's import cost):
it reads file paths, one per line, on stdin and writes one frame per file, in order, to
stdout: an 8-byte header length, a JSON header, an 8-byte payload length, the payload. The
header is `{"sha256": <hex of the file's bytes>, "ok": bool, "keys": [top-level keys]}`; the payload is the file's data
as JSON when `ok`, else empty (the loader then reads that file itself and reports why).
"""

from __future__ import annotations

import gc
import hashlib
import json
import sys
from pathlib import Path
from typing import BinaryIO

import pydantic_core
import yaml_rs

_SIZE = 8


def to_json(raw: bytes) -> tuple[bytes, list[str]] | None:
    """Return the YAML mapping in `raw` as JSON with its keys in order, or None if it is not one."""
    try:
        data = yaml_rs.loads(raw.decode("utf-8"), parse_datetime=False)
    except (UnicodeDecodeError, yaml_rs.YAMLDecodeError):
        return None
    if not isinstance(data, dict) or not all(isinstance(k, str) for k in data):
        return None
    try:
        return pydantic_core.to_json(data), list(data)
    except (pydantic_core.PydanticSerializationError, ValueError):
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
    payload = stream.read(int.from_bytes(stream.read(_SIZE), "big"))
    return header, payload


def main() -> None:
    """Parse every path named on stdin, writing one frame per file to stdout."""
    gc.disable()  # the parsed data is acyclic and freed file by file
    out = sys.stdout.buffer
    for line in sys.stdin.read().splitlines():
        raw = Path(line).read_bytes()
        converted = to_json(raw)
        payload, keys = converted or (b"", [])
        header = {"sha256": hashlib.sha256(raw).hexdigest(), "ok": bool(converted), "keys": keys}
        write_frame(out, header, payload)


if __name__ == "__main__":
    main()
