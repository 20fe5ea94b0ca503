"""Files from ../shared (the seed report, official schemas, the interface): skip where absent."""

from __future__ import annotations

from pathlib import Path

import pytest

#: The folder beside the checkout that holds the project's outside material.
SHARED = Path(__file__).resolve().parents[1].parent / "shared"

#: The one reason every check that needs ../shared gives when a fresh clone lacks it.
NO_SHARED = (
    "needs ../shared (the seed report, the official schemas, interface.md), which is not "
    "beside this checkout; these checks run where it exists"
)


def shared_file(relative: str) -> Path:
    """Return ../shared/`relative`, or skip the calling test when it is not there."""
    path = SHARED / relative
    if not SHARED.is_dir():
        pytest.skip(NO_SHARED)
    if not path.is_file():
        pytest.skip(f"{path} is missing from ../shared; the checks that read it are skipped")
    return path
