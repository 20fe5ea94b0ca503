"""The README's YAML examples stay true to the models a curator's files are checked against."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from knowledge.models import KINDS, build

README = Path(__file__).resolve().parents[2] / "README.md"


def _example_block() -> dict[str, list[dict[str, object]]]:
    text = README.read_text(encoding="utf-8")
    blocks = [b for b in re.findall(r"```yaml\n(.*?)```", text, flags=re.S) if "sources:" in b]
    data = yaml.safe_load(blocks[0])
    assert isinstance(data, dict)
    return data


def test_readme_shows_an_example_of_every_kind() -> None:
    """The Knowledge section has one example for each kind the loader accepts."""
    assert set(_example_block()) == set(KINDS)


def test_every_readme_example_validates() -> None:
    """Each example entity passes its model's validation (no unknown or missing fields)."""
    for kind, items in _example_block().items():
        for item in items:
            build(KINDS[kind], item)
