"""Fixtures for the knowledge engine tests: the small good folder and a way to write broken ones."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from knowledge import KnowledgeError, KnowledgeStore, Problem, load_store
from tests.knowledge.content_helpers import SEED, Report, read_report
from tests.shared_files import shared_file

FIXTURES = Path(__file__).resolve().parent / "fixtures"
GOOD = FIXTURES / "good"

Problems = Callable[[dict[str, str]], list[Problem]]


@pytest.fixture(scope="session")
def good_store() -> KnowledgeStore:
    """The small valid fixture folder, loaded."""
    return load_store(GOOD)


@pytest.fixture
def good_copy(tmp_path: Path) -> Path:
    """A writable copy of the good fixture folder."""
    folder = tmp_path / "knowledge"
    shutil.copytree(GOOD, folder)
    return folder


@pytest.fixture
def problems_for(tmp_path: Path) -> Problems:
    """Write YAML files beside the fixture's sources.yaml and return the loader's problems."""

    def run(files: dict[str, str]) -> list[Problem]:
        folder = tmp_path / "case"
        folder.mkdir(exist_ok=True)
        shutil.copy(GOOD / "sources.yaml", folder / "sources.yaml")
        for name, text in files.items():
            (folder / name).write_text(text, encoding="utf-8")
        try:
            load_store(folder)
        except KnowledgeError as exc:
            return exc.problems
        return []

    return run


@pytest.fixture(scope="session")
def report() -> Report:
    """The ChinaBio report's text from ../shared/seed; skips the test where it is absent."""
    return read_report(shared_file(SEED))
