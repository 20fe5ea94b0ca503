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

from packaging.requirements import Requirement

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


def locked(lock: Path = ROOT / "requirements.lock") -> dict[str, tuple[str, set[str]]]:
    """Return {name: (pinned version, what needs it)} from a `uv pip compile` lock file."""
    entries: dict[str, tuple[str, set[str]]] = {}
    current: set[str] = set()
    for line in lock.read_text(encoding="utf-8").splitlines():
        if match := re.match(r"([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)", line):
            current = set()
            entries[normalize(match[1])] = (match[2], current)
        elif (match := re.match(r"\s+#\s+(?:via\s+)?(\S.*)$", line)) and match[1] != "via":
            current.add(match[1].strip())
    return entries


def test_the_lock_pins_every_runtime_dependency_and_nothing_dropped() -> None:
    """requirements.lock pins each dependency pyproject names, at a version its bound allows."""
    pins = locked()
    for text in tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "dependencies"
    ]:
        requirement = Requirement(text)
        name = normalize(requirement.name)
        assert name in pins, f"{name} is not in requirements.lock: run `make lock`"
        version = pins[name][0]
        assert requirement.specifier.contains(version, prereleases=True), (
            f"requirements.lock pins {name}=={version}, outside {requirement}: run `make lock`"
        )
        for extra in requirement.extras:
            wanted = {
                normalize(Requirement(r).name)
                for r in distribution(name).requires or ()
                if f'extra == "{extra}"' in r.replace("'", '"')
            }
            assert wanted <= set(pins), f"{name}[{extra}] needs {wanted - set(pins)}: `make lock`"
    direct = {name for name, (_, via) in pins.items() if "chinabio-bot (pyproject.toml)" in via}
    stale = direct - runtime_dependencies()
    assert not stale, f"requirements.lock still pins dropped dependencies {stale}: `make lock`"
