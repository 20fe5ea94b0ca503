"""The mapping shipped in docs/examples/ works on its example export, as docs/knowledge.md shows."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from knowledge.importer.mapping import load_mapping
from knowledge.importer.table import read_table
from tests.curator_tools.conftest import EXPORT_SOURCE
from tests.ship.conftest import ROOT

EXAMPLES = ROOT / "docs" / "examples"


def test_the_example_mapping_imports_the_example_export(
    capsys: pytest.CaptureFixture[str], folder: Path
) -> None:
    """Every column it names is in the export; both rows import; validate passes."""
    mapping, problems = load_mapping(EXAMPLES / "deals-mapping.yaml")
    assert mapping is not None, problems
    header = read_table(EXAMPLES / "deals-export.csv").header
    named = [getattr(mapping.columns, name) for name in mapping.columns.__struct_fields__]
    assert set(filter(None, named)) <= set(header)
    (folder / "dealdb-source.yaml").write_text(
        EXPORT_SOURCE.replace("dealdb-test-export", mapping.source), encoding="utf-8"
    )
    argv = ["import", "deals", str(EXAMPLES / "deals-export.csv")]
    argv += ["--map", str(EXAMPLES / "deals-mapping.yaml"), "--knowledge", str(folder)]
    assert main(argv) == 0
    assert "wrote 2 deals, 2 assets, 0 organisations" in capsys.readouterr().out
    assert main(["validate", str(folder)]) == 0
