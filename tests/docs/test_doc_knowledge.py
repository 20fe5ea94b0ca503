"""docs/knowledge.md: the kinds table and the YAML examples stay true to the models."""

from __future__ import annotations

import msgspec
import pytest
import yaml

from knowledge.models import KINDS, build
from tests.docs.doc_pages import backticked, code_blocks, read, section, table_rows

PAGE = read("knowledge.md")


def _example_block() -> dict[str, list[dict[str, object]]]:
    blocks = [b for b in code_blocks(PAGE, "yaml") if "sources:" in b]
    data = yaml.safe_load(blocks[0])
    assert isinstance(data, dict)
    return data


def _fields(kind: str) -> tuple[set[str], set[str]]:
    """Return the (required, optional) field names the model of `kind` accepts."""
    info = msgspec.inspect.type_info(KINDS[kind])
    assert isinstance(info, msgspec.inspect.StructType)
    required = {f.encode_name for f in info.fields if f.required}
    return required, {f.encode_name for f in info.fields} - required


def _table() -> dict[str, tuple[set[str], set[str]]]:
    """Return kind -> (required, optional) field names as the table lists them."""
    rows = table_rows(section(PAGE, "Kinds and fields"))
    return {backticked(kind)[0]: (_names(req), _names(opt)) for kind, req, opt in rows}


def _names(cell: str) -> set[str]:
    """Return the field names of a cell: the first `name` of each part; `(…)` notes are not."""
    return {backticked(part)[0] for part in _top_level(cell) if backticked(part)}


def _top_level(cell: str) -> list[str]:
    """Split a cell at the commas outside parentheses."""
    parts, depth, current = [], 0, ""
    for char in cell:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    return [*parts, current]


def test_the_page_shows_an_example_of_every_kind() -> None:
    """The YAML example has one entry for each kind the loader accepts."""
    assert set(_example_block()) == set(KINDS)


def test_every_example_validates() -> None:
    """Each example entity passes its model's validation (no unknown or missing fields)."""
    for kind, items in _example_block().items():
        for item in items:
            build(KINDS[kind], item)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_kinds_table_lists_the_fields_the_model_accepts(kind: str) -> None:
    """The table's required and optional fields for a kind are exactly those its model has."""
    assert _table()[kind] == _fields(kind)
