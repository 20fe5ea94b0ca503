"""The Dockerfile's steps, replayed without Docker by scripts/check_image_steps.sh."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from knowledge import load_store
from tests.ship.conftest import FIXTURE_KNOWLEDGE, ROOT

SCRIPT = ROOT / "scripts" / "check_image_steps.sh"
#: where the script keeps the lock's install between runs (keyed by the lock and the Python)
IMAGE_CHECK_CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / (
    "chinabio-image-check"
)


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_image_steps_build_install_validate_serve_and_stop(tmp_path: Path) -> None:
    """Wheel, fresh venv, baked-in knowledge valid, `chinabio serve` healthy, SIGTERM exits 0."""
    env = {
        **os.environ,
        "KNOWLEDGE_DIR": str(FIXTURE_KNOWLEDGE),
        "TMPDIR": str(tmp_path),
        "IMAGE_CHECK_CACHE": str(IMAGE_CHECK_CACHE),  # the lock installed once, then copied
    }
    result = subprocess.run(
        ["bash", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=880, check=False
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-4000:]
    assert "OK: the image's steps work" in result.stdout
    # The mounted folder, not the baked-in one, is what the started server serves.
    assert f'"knowledge_version": "{load_store(FIXTURE_KNOWLEDGE).version}"' in result.stdout
    assert "shutdown complete" in result.stdout
