"""pyproject's runtime dependencies: what the code imports, nothing it doesn't, all in the lock."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from collections.abc import Iterator
from functools import cache
from importlib.metadata import distribution, packages_distributions
from pathlib import Path

from tests.ship.conftest import ROOT

#: The packages the wheel ships (pyproject's [tool.setuptools.packages.find]).
SHIPPED = ("bot", "handlers", "knowledge")
#: Runtime dependencies no module imports by name, and why the bot needs them all the same.
NEEDED_WITHOUT_IMPORT = {
    "greenlet": "SQLAlchemy's asyncio layer, which slack_sdk's installation store imports",
    "psycopg": "the PostgreSQL driver SQLAlchemy loads for a postgresql:// DATABASE_URL",
    "tzdata": "time zones for zoneinfo on images without /usr/share/zoneinfo",
}


def normalize(name: str) -> str:
    """Return a distribution name in PEP 503 normal form."""
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_name(requirement: str) -> str:
    """Return the normalized distribution name a PEP 508 requirement names."""
    match = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", requirement.strip())
    assert match, f"unreadable requirement {requirement!r}"
    return normalize(match.group())


def runtime_dependencies(pyproject: Path = ROOT / "pyproject.toml") -> set[str]:
    """Return the normalized names of pyproject's [project] dependencies."""
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    return {requirement_name(r) for r in project["dependencies"]}


def imported_modules(folders: tuple[str, ...] = SHIPPED) -> Iterator[tuple[str, Path]]:
    """Yield (dotted module, file) for every absolute import in the shipped packages."""
    for package in folders:
        for path in sorted((ROOT / package).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    yield from ((alias.name, path) for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    yield node.module, path


@cache
def _providers() -> dict[str, list[str]]:
    """Return importlib.metadata's map of top-level module to distributions (slow: once)."""
    return packages_distributions()


@cache
def _files_of(dist: str) -> frozenset[str]:
    """Return the installed file paths of `dist`."""
    return frozenset(str(f) for f in distribution(dist).files or ())


def distribution_of(module: str) -> str | None:
    """Return the normalized distribution that provides `module`, or None for our own/stdlib."""
    top = module.split(".")[0]
    if top in SHIPPED or top in sys.stdlib_module_names or top == "__future__":
        return None
    candidates = _providers().get(top, [])
    assert candidates, f"{module} is imported but no installed distribution provides it"
    if len(set(candidates)) > 1:  # a namespace package such as microsoft_agents: pick by path
        parts = module.split(".")
        for depth in range(len(parts), 1, -1):
            prefix = "/".join(parts[:depth]) + "/"
            owners = [d for d in candidates if any(f.startswith(prefix) for f in _files_of(d))]
            if owners:
                return normalize(owners[0])
    return normalize(candidates[0])


def test_every_third_party_import_is_a_declared_runtime_dependency() -> None:
    """Each distribution bot/, handlers/ or knowledge/ imports is in pyproject's dependencies."""
    declared = runtime_dependencies()
    undeclared = {
        f"{dist} (import {module} in {path.relative_to(ROOT)})"
        for module, path in imported_modules()
        if (dist := distribution_of(module)) and dist not in declared
    }
    assert not undeclared, "add these to [project] dependencies:\n" + "\n".join(sorted(undeclared))


def test_every_runtime_dependency_is_used() -> None:
    """Each declared runtime dependency is imported, or is listed with the reason it is needed."""
    imported = {distribution_of(module) for module, _ in imported_modules()}
    unused = runtime_dependencies() - imported - set(NEEDED_WITHOUT_IMPORT)
    assert not unused, f"drop these from [project] dependencies, nothing imports them: {unused}"
