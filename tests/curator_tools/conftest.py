"""A knowledge folder an import can write into, and a deal-database export to import."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.fixtures import KNOWLEDGE

#: The export's source, added to the copied folder (fictional, like the Teams fixtures).
EXPORT_SOURCE = """\
sources:
  - id: dealdb-test-export
    title: "Deal database test export"
    publisher: Test Publisher
    published: 2026-11
    type: website
"""

HEADER = [
    "Deal Date",
    "Licensor",
    "Licensee",
    "Asset",
    "Target",
    "Modality",
    "Phase at Signing",
    "Territory",
    "Upfront ($M)",
    "Total Deal Value ($M)",
    "Royalties",
]

#: Two deals between the fixture's fictional companies: one names a new asset, one a known
#: company's alias ("Testa"); money in millions as such exports give it.
ROWS = [
    [
        "2026-03-05",
        "Testa Bio",
        "Examplar Pharma",
        "TB-101",
        "KRAS G12D",
        "small molecule",
        "Phase 1",
        "worldwide excluding Greater China",
        "35",
        "1,250",
        "tiered up to low double digits",
    ],
    ["2026-07", "Testa", "Examplar", "TB-202", "", "ADC", "preclinical", "", "", "410.5", ""],
]

MAPPING = """\
# A test mapping: the columns of the export in tests/curator_tools/conftest.py.
source: dealdb-test-export
locator: "test export, row {row}"
output: imports/dealdb-test.yaml
columns:
  date: Deal Date
  licensor: Licensor
  licensee: Licensee
  asset: Asset
  target: Target
  modality: Modality
  phase: Phase at Signing
  territory: Territory
  upfront: Upfront ($M)
  total_value: Total Deal Value ($M)
  royalties: Royalties
money: {currency: USD, unit: 1000000}
id: "{licensee}-{licensor}-{asset}"
title: "{licensee} licence of {licensor}'s {asset}"
summary: >-
  {licensee} licensed {licensor}'s {asset}[ ({modality}[, aimed at {target}])], which was
  at {phase} when the deal was signed[; rights for {territory}][; royalties {royalties}].
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A writable copy of the shared fixture knowledge, with the export's source added."""
    copy = tmp_path / "kb"
    shutil.copytree(KNOWLEDGE, copy)
    (copy / "dealdb-source.yaml").write_text(EXPORT_SOURCE, encoding="utf-8")
    return copy


@pytest.fixture
def mapping(tmp_path: Path) -> Path:
    """The test export's mapping file."""
    path = tmp_path / "mapping.yaml"
    path.write_text(MAPPING, encoding="utf-8")
    return path


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    """Write an export as CSV: the header, then `rows`."""
    import csv

    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([HEADER, *rows])
    return path
