"""Curators' edits for the alert tests, made on a copy of tests/digest/data/knowledge.yaml."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "digest" / "data"
MONDAY = dt.datetime(2026, 3, 30, 9, 0, tzinfo=dt.UTC)

NEW_DEAL = """
  - id: jnj-legochem-second-adc
    title: J&J and LegoChem on a second ADC
    type: collaboration
    parties:
      - {organisation: jnj, role: partner}
      - {organisation: legochem, role: partner}
    modalities: [ADC]
    summary: A made-up second ADC collaboration, for the tests only.
    topics: [adc]
    sources: [{source: chinabio-tl-2025}]
"""


def edit(folder: Path, old: str, new: str) -> None:
    """Replace `old` by `new` in the folder's knowledge.yaml (it must be there)."""
    path = folder / "knowledge.yaml"
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def complete_bayer_deal(folder: Path) -> None:
    """Mark the Bayer–Puhe deal completed (it had no status)."""
    edit(folder, "    date: 2024-03-31\n", "    date: 2024-03-31\n    status: completed\n")


def add_adc_deal(folder: Path) -> None:
    """Add a new J&J–LegoChem ADC deal."""
    edit(folder, "quotes:\n", NEW_DEAL.lstrip("\n") + "quotes:\n")
