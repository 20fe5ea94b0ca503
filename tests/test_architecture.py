"""Architecture rules: imports flow one way, bot -> handlers -> knowledge."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PLATFORM_LIBS = {
    "slack_bolt",
    "slack_sdk",
    "aiohttp",
    "microsoft_agents",
    "apscheduler",
    "sqlalchemy",
    "bot",
}


def _imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize("package", ["handlers", "knowledge"])
def test_core_packages_never_import_platforms_or_bot(package: str) -> None:
    """handlers/ and knowledge/ import no platform SDK, web server, database or bot code."""
    offenders = {
        str(path.relative_to(ROOT)): sorted(_imported_roots(path) & PLATFORM_LIBS)
        for path in (ROOT / package).rglob("*.py")
        if _imported_roots(path) & PLATFORM_LIBS
    }
    assert offenders == {}


def test_knowledge_never_imports_handlers() -> None:
    """knowledge/ sits at the bottom: it imports nothing from handlers/."""
    offenders = [
        str(p) for p in (ROOT / "knowledge").rglob("*.py") if "handlers" in _imported_roots(p)
    ]
    assert offenders == []
