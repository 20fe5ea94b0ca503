"""Draw the Teams app icons (a double helix) as PNGs with the standard library only.

Run `python deploy/teams/make_icons.py` to regenerate color.png (192x192, full colour) and
outline.png (32x32, white on transparent), as the Teams manifest requires.
"""

from __future__ import annotations

import math
import struct
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
ACCENT = (0x0B, 0x6E, 0x4F)


def helix_coverage(x: float, y: float, size: int) -> float:
    """Return how much of pixel (x, y) the helix covers, 0..1, for a square of `size`."""
    s = size / 192
    left, right, mid, amp, period = 34 * s, 158 * s, 96 * s, 42 * s, 124 * s
    if not left - 6 * s <= x <= right + 6 * s:
        return 0.0
    phase = 2 * math.pi * (x - left) / period
    strand = min(abs(y - (mid + amp * math.sin(phase))), abs(y - (mid - amp * math.sin(phase))))
    cover = _smooth(strand, 8 * s)
    for rung in range(7):
        rx = left + (rung + 0.5) * (right - left) / 7
        top = mid - amp * abs(math.sin(2 * math.pi * (rx - left) / period))
        if abs(x - rx) < 4 * s and top <= y <= 2 * mid - top:
            cover = max(cover, _smooth(abs(x - rx), 3.5 * s))
    return cover


def _smooth(distance: float, half_width: float) -> float:
    return max(0.0, min(1.0, half_width - distance + 0.5))


def png(width: int, height: int, rows: list[bytes], colour_type: int) -> bytes:
    """Encode raw rows (RGB or RGBA) as a PNG file."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0)
    raw = b"".join(b"\x00" + row for row in rows)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def color_icon(size: int = 192) -> bytes:
    """Return the full-colour icon: a white helix on the accent colour."""
    rows = []
    for y in range(size):
        row = bytearray()
        for x in range(size):
            c = helix_coverage(x + 0.5, y + 0.5, size)
            row += bytes(round(a + (255 - a) * c) for a in ACCENT)
        rows.append(bytes(row))
    return png(size, size, rows, colour_type=2)


def outline_icon(size: int = 32) -> bytes:
    """Return the outline icon: the helix in white on a transparent background."""
    rows = []
    for y in range(size):
        row = bytearray()
        for x in range(size):
            alpha = round(255 * helix_coverage(x + 0.5, y + 0.5, size))
            row += bytes((255, 255, 255, alpha))
        rows.append(bytes(row))
    return png(size, size, rows, colour_type=6)


if __name__ == "__main__":
    (HERE / "color.png").write_bytes(color_icon())
    (HERE / "outline.png").write_bytes(outline_icon())
    print(f"wrote {HERE / 'color.png'} and {HERE / 'outline.png'}")
