"""Check a YAML snippet (a proposed entry) as `chinabio validate` would, against a served store.

The snippet is read by the same Reader as a knowledge folder (YAML, fields, enums, dates,
references); the store's ids count as defined, so references to them resolve, and an id the
store already has is reported as taken. The snippet never joins the store.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from knowledge.models import KINDS
from knowledge.problems import Problem
from knowledge.reader import Reader
from knowledge.store import KnowledgeStore
from knowledge.yaml_lines import YamlSyntaxError, parse

SNIPPET_NAME = "proposal.yaml"


def check_snippet(text: str, store: KnowledgeStore) -> list[Problem]:
    """Return every problem of `text` (lines counted in the snippet); empty when it is valid."""
    with tempfile.TemporaryDirectory(prefix="chinabio-proposal-") as folder:
        path = Path(folder) / SNIPPET_NAME
        path.write_text(text, encoding="utf-8")
        reader = Reader(on_accept=lambda _entities: None)
        reader.raw_kinds.update({entity_id: e.kind for entity_id, e in store.entities.items()})
        reader.read_file(path, text.encode("utf-8"))
        reader.check_references()
        _report_taken_ids(reader, path, text, store)
        return [Problem(SNIPPET_NAME, problem.line, problem.message) for problem in reader.problems]


def _report_taken_ids(reader: Reader, path: Path, text: str, store: KnowledgeStore) -> None:
    """Report each entry whose id the served knowledge already uses."""
    try:
        data = parse(text)
    except YamlSyntaxError:
        return  # already reported by the reader
    if not isinstance(data, dict):
        return
    for key, items in data.items():
        if key not in KINDS or not isinstance(items, list):
            continue
        for index, item in enumerate(items):
            entity_id = item.get("id") if isinstance(item, dict) else None
            if isinstance(entity_id, str) and entity_id in store.entities:
                taken = store.entities[entity_id]
                reader.report(
                    path,
                    (key, index, "id"),
                    f"id {entity_id!r} is already used by the {taken.kind} "
                    f"{taken.label()!r}: choose another id, or report that card as outdated",
                )
