"""Every field that names another entity is checked: it must exist and be of the right kind."""

from __future__ import annotations

import types
from pathlib import Path
from typing import Annotated, Union, get_args, get_origin

import msgspec
import pytest

from knowledge import KnowledgeError, load_store
from knowledge.models import KINDS, Ref, Source
from knowledge.refs import REFERENCES

#: (kind, field) -> (file, text to replace, replacement naming a missing id) in the good fixture
BREAKS: dict[tuple[str, str], tuple[str, str, str]] = {
    ("organisation", "parent"): ("organisations.yaml", "parent: johnson-johnson", "parent: jnj"),
    ("organisation", "topics[]"): ("organisations.yaml", "topics: [adc]", "topics: [adcs]"),
    ("person", "roles[].organisation"): (
        "people.yaml",
        "organisation: xtalpi}",
        "organisation: xtal}",
    ),
    ("person", "topics[]"): ("people.yaml", "topics: [ai-drug-discovery]", "topics: [ai]"),
    ("asset", "owners[]"): ("assets.yaml", "owners: [legochem]", "owners: [lego]"),
    ("asset", "topics[]"): ("assets.yaml", "topics: [adc]", "topics: [adcx]"),
    ("deal", "parties[].organisation"): (
        "deals.yaml",
        "organisation: janssen,",
        "organisation: jansen,",
    ),
    ("deal", "assets[]"): ("deals.yaml", "assets: [lcb84]", "assets: [lcb-84]"),
    ("deal", "related[]"): (
        "deals.yaml",
        "related: [janssen-legochem-lcb84]",
        "related: [janssen-lcb84]",
    ),
    ("deal", "topics[]"): ("deals.yaml", "topics: [ai-drug-discovery]", "topics: [ai-discovery]"),
    ("deal", "milestones[].source.source"): (
        "deals.yaml",
        "source: {source: fixture-report}",
        "source: {source: fixture}",
    ),
    ("quote", "speaker"): ("quotes.yaml", "speaker: alex-chen", "speaker: alex-chan"),
    ("quote", "organisation"): ("quotes.yaml", "organisation: xtalpi", "organisation: xtal-pi"),
    ("quote", "topics[]"): ("quotes.yaml", "topics: [ai-drug-discovery]", "topics: [ai-drugs]"),
    ("trend", "deals[]"): (
        "insights.yaml",
        "deals: [xtalpi-hengrui-ai]",
        "deals: [xtalpi-hengrui]",
    ),
    ("trend", "statistics[]"): (
        "insights.yaml",
        "statistics: [ai-deal-share]",
        "statistics: [ai-share]",
    ),
    ("trend", "quotes[]"): ("insights.yaml", "quotes: [chen-on-ai]", "quotes: [chen-ai]"),
    ("trend", "topics[]"): (
        "insights.yaml",
        "  topics: [ai-drug-discovery]\n    deals",
        "  topics: [aidd]\n    deals",
    ),
    ("statistic", "topics[]"): (
        "insights.yaml",
        "topics: [ai-drug-discovery]\n    sources: [{source: fixture-report}]\ntrends",
        "topics: [a-i]\n    sources: [{source: fixture-report}]\ntrends",
    ),
    ("organisation", "place.source.source"): (
        "organisations.yaml",
        "source: {source: fixture-report, locator: p. 4}}",
        "source: {source: fixture-reprt, locator: p. 4}}",
    ),
    ("asset", "key_data[].source.source"): (
        "assets.yaml",
        "tumours., source: {source: fixture-report}",
        "tumours., source: {source: fixture-rep}",
    ),
    ("statistic", "same_figure_as"): (
        "insights.yaml",
        "same_figure_as: ai-deal-share",
        "same_figure_as: ai-deal-shares",
    ),
    ("event", "part_of"): ("insights.yaml", "part_of: fixture-summit", "part_of: fixture-sumit"),
    ("event", "speakers[]"): ("insights.yaml", "speakers: [alex-chen]", "speakers: [alex-chen-x]"),
    ("event", "organiser"): ("insights.yaml", "organiser: xtalpi", "organiser: xtalpy"),
    ("event", "topics[]"): (
        "insights.yaml",
        "place: Shanghai\n    topics: [ai-drug-discovery]",
        "place: Shanghai\n    topics: [ai-drug-discover]",
    ),
}
SOURCE_BREAKS = dict.fromkeys(REFERENCES, "sources[].source")


def test_every_reference_field_has_a_break_case() -> None:
    """The cases below cover every reference field the engine knows (sources are checked apart)."""
    known = {(k, path) for k, specs in REFERENCES.items() for path, _ in specs}
    covered = set(BREAKS) | {(k, p) for k, p in SOURCE_BREAKS.items()}
    assert known == covered


@pytest.mark.parametrize(("kind", "field"), sorted(BREAKS))
def test_each_reference_field_is_checked(good_copy: Path, kind: str, field: str) -> None:
    """Pointing the field at a missing id gives one problem on that line naming the field."""
    file, old, new = BREAKS[(kind, field)]
    path = good_copy / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"fixture text not unique: {old!r}"
    path.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(KnowledgeError) as caught:
        load_store(good_copy)
    [problem] = caught.value.problems
    expected_line = (
        text[: text.index(old)].count("\n")
        + 1
        + new.split("\n").index(
            next(line for line in new.split("\n") if line not in old.split("\n"))
        )
    )
    assert Path(problem.file).name == file
    assert problem.line == expected_line
    loc_name = field.replace("[]", "[0]").split(".")
    assert problem.message.startswith(f"{kind} ")
    assert all(part.split("[")[0] in problem.message for part in loc_name)
    assert "did you mean" in problem.message


@pytest.mark.parametrize("kind", sorted(REFERENCES))
def test_every_kind_checks_its_sources(good_copy: Path, kind: str) -> None:
    """An entity of each kind citing a missing source is refused."""
    store = load_store(good_copy)
    entity = next(e for e in store.entities.values() if e.kind == kind)
    files = {p: p.read_text(encoding="utf-8") for p in good_copy.glob("*.yaml")}
    path, text = next((p, t) for p, t in files.items() if f"- id: {entity.id}\n" in t)
    start = text.index(f"- id: {entity.id}\n")
    at = text.index("source: fixture-report", start)
    path.write_text(text[:at] + "source: fixture-reports" + text[at + 22 :], encoding="utf-8")
    with pytest.raises(KnowledgeError) as caught:
        load_store(good_copy)
    [problem] = caught.value.problems
    assert f"{kind} '{entity.id}'" in problem.message
    assert "no source has id" in problem.message


def _ref_paths(model: type, prefix: str = "") -> set[str]:
    """Every path to a `Ref` field in `model`, written as `REFERENCES` writes them."""
    found: set[str] = set()
    for field in msgspec.structs.fields(model):
        annotation = field.type
        if get_origin(annotation) in (Union, types.UnionType):  # optional
            annotation = next(a for a in get_args(annotation) if a is not type(None))
        path = prefix + field.name
        if get_origin(annotation) is Annotated and get_origin(get_args(annotation)[0]) is tuple:
            annotation = get_args(annotation)[0]
        if get_origin(annotation) is tuple:
            annotation, path = get_args(annotation)[0], path + "[]"
        if annotation == Ref:
            found.add(path)
        elif isinstance(annotation, type) and issubclass(annotation, msgspec.Struct):
            found |= _ref_paths(annotation, path + ".")
    return found


@pytest.mark.parametrize(
    "model", [m for m in KINDS.values() if m is not Source], ids=lambda m: m.kind
)
def test_every_reference_field_is_checked(model: type) -> None:
    """A `Ref` field is only checked by resolving it, so each must be listed in REFERENCES."""
    listed = {path for path, _ in REFERENCES[model.kind]}  # type: ignore[attr-defined]
    assert _ref_paths(model) == listed
