"""The Dockerfile: hadolint-clean and built the way operators rely on."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.ship.conftest import ROOT

DOCKERFILE = ROOT / "Dockerfile"


def _instructions(text: str) -> list[tuple[str, str]]:
    """Return (INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    joined = re.sub(r"\\\n\s*", " ", text)
    pairs = []
    for line in joined.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            pairs.append((word.upper(), rest.strip()))
    return pairs


@pytest.fixture(scope="module")
def instructions() -> list[tuple[str, str]]:
    """The Dockerfile's instructions."""
    return _instructions(DOCKERFILE.read_text(encoding="utf-8"))


def _args(instructions: list[tuple[str, str]], name: str) -> list[str]:
    return [rest for word, rest in instructions if word == name]


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


def test_multi_stage_from_a_pinned_slim_python_311(instructions: list[tuple[str, str]]) -> None:
    """Two stages (build, runtime) on a slim Python 3.11 base that is never `latest`."""
    base = dict(re.findall(r"(\w+)=(\S+)", " ".join(_args(instructions, "ARG"))))
    froms = [
        rest.replace("${PYTHON_IMAGE}", base.get("PYTHON_IMAGE", ""))
        for rest in _args(instructions, "FROM")
    ]
    assert [f.split(" AS ")[-1] for f in froms] == ["build", "runtime"]
    for image in (f.split(" AS ")[0] for f in froms):
        assert re.fullmatch(r"python:3\.11[\w.-]*-slim[\w.-]*", image), image
        assert not image.endswith(":latest")
    assert any("--from=build" in rest for rest in _args(instructions, "COPY"))


def test_runs_as_a_non_root_user(instructions: list[tuple[str, str]]) -> None:
    """The last USER is neither root nor uid 0."""
    users = _args(instructions, "USER")
    assert users, "no USER line: the container would run as root"
    user = users[-1].split(":")[0]
    assert user not in ("root", "0")


def test_healthcheck_probes_healthz_with_python_only(instructions: list[tuple[str, str]]) -> None:
    """HEALTHCHECK calls /healthz through python's urllib (no curl in a slim image)."""
    (health,) = _args(instructions, "HEALTHCHECK")
    command = json.loads(health.split("CMD", 1)[1])
    assert command[:2] == ["python", "-c"]
    assert "urllib.request" in command[2]
    assert "/healthz" in command[2]
    assert "curl" not in health and "wget" not in health


def test_default_command_is_chinabio_serve(instructions: list[tuple[str, str]]) -> None:
    """ENTRYPOINT + CMD run `chinabio serve` (exec form, so SIGTERM reaches Python)."""
    entry = json.loads(_args(instructions, "ENTRYPOINT")[-1])
    cmd = json.loads(_args(instructions, "CMD")[-1])
    assert [*entry, *cmd] == ["chinabio", "serve"]


def test_knowledge_is_baked_in_and_validated_at_build(instructions: list[tuple[str, str]]) -> None:
    """The build copies knowledge/ into the wheel and runs `chinabio validate` on it."""
    assert any(rest.startswith("knowledge ") for rest in _args(instructions, "COPY"))
    assert any("chinabio validate" in rest for rest in _args(instructions, "RUN"))
    assert not any(rest.startswith("KNOWLEDGE_DIR=") for rest in _args(instructions, "ENV"))


def test_build_copies_only_the_package_sources(instructions: list[tuple[str, str]]) -> None:
    """The build stage copies exactly what .dockerignore lets in (and what the check script copies)."""
    copied: set[str] = set()
    for rest in _args(instructions, "COPY"):
        if not rest.startswith("--from"):
            copied.update(source.rstrip("/") for source in rest.split()[:-1])
    assert copied == {"pyproject.toml", "README.md", "bot", "handlers", "knowledge"}
    script = (ROOT / "scripts" / "check_image_steps.sh").read_text(encoding="utf-8")
    assert "for package in bot handlers knowledge" in script


def test_dockerignore_keeps_secrets_and_venv_out() -> None:
    """.dockerignore starts from nothing and lets only the package sources in."""
    lines = (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
    rules = [line for line in lines if line and not line.startswith("#")]
    assert rules[0] == "*"
    allowed = {rule[1:].rstrip("/") for rule in rules if rule.startswith("!")}
    assert allowed == {"pyproject.toml", "README.md", "bot", "handlers", "knowledge"}


def test_package_data_ships_the_knowledge_yaml() -> None:
    """pyproject.toml ships knowledge/data YAML inside the wheel (what the image serves)."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["knowledge"]
    assert "data/*.yaml" in patterns
