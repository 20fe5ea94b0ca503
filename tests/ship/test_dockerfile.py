"""The Dockerfile: hadolint-clean, not root, and a build context that keeps secrets out.

What the image does (locked install, baked-in knowledge valid, `chinabio serve` healthy, SIGTERM
handled) is checked by running its steps: tests/ship/test_image_steps.py.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from tests.ship.conftest import ROOT

DOCKERFILE = ROOT / "Dockerfile"


def test_hadolint_finds_nothing() -> None:
    """hadolint (from the test extras) reports no warning or error on the Dockerfile."""
    hadolint = shutil.which("hadolint") or str(Path(sys.executable).parent / "hadolint")
    result = subprocess.run(
        [hadolint, "--failure-threshold", "warning", str(DOCKERFILE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_runs_as_a_non_root_user() -> None:
    """The last USER is neither root nor uid 0 (hadolint only objects to an explicit root)."""
    lines = DOCKERFILE.read_text(encoding="utf-8").splitlines()
    users = [line.split()[1] for line in lines if line.upper().startswith("USER ")]
    assert users, "no USER line: the container would run as root"
    assert users[-1].split(":")[0] not in ("root", "0")


def test_dockerignore_keeps_secrets_and_venv_out() -> None:
    """.dockerignore starts from nothing and lets only the lock and the package sources in."""
    lines = (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
    rules = [line for line in lines if line and not line.startswith("#")]
    assert rules[0] == "*"
    allowed = {rule[1:].rstrip("/") for rule in rules if rule.startswith("!")}
    assert allowed == {
        "requirements.lock",
        "pyproject.toml",
        "README.md",
        "bot",
        "handlers",
        "knowledge",
    }
