"""Lookups on a snapshot: exact and alias names, typos, full-text search, relations and filters."""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Iterable

import pytest

from knowledge import KnowledgeStore, load_store, normalise
from knowledge.models import (
    AnyEntity,
    Asset,
    Deal,
    Organisation,
    Person,
    Quote,
    Topic,
    Trend,
    build,
)
from knowledge.names import _words
from knowledge.store import SnapshotBuilder


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("LegoChem Biosciences", "legochem"),
        ("legochem biosciences", "legochem"),
        ("LEGO-CHEM", "legochem"),
        ("  Lego Chem  ", "legochem"),
        ("J&J", "johnson-johnson"),
        ("johnson and johnson", None),
        ("Johnson & Johnson", "johnson-johnson"),
        ("jnj-5120", "lcb84"),
        ("恒瑞", "hengrui"),
        ("恒瑞医药", "hengrui"),
        ("晶泰科技", "xtalpi"),
        ("ＸｔａｌＰｉ", "xtalpi"),
    ],
)
def test_lookup_ignores_case_punctuation_spacing_width(
    good_store: KnowledgeStore, name: str, expected: str | None
) -> None:
    """Names and aliases match whatever their case, punctuation, spacing or width; CJK too."""
    found = [e.id for e in good_store.lookup(name)]
    assert found == ([expected] if expected else [])


def test_lookup_filters_by_kind(good_store: KnowledgeStore) -> None:
    """Asking only for people does not return the organisation with that name."""
    assert good_store.lookup("XtalPi", [Person]) == []
    assert [e.id for e in good_store.lookup("XtalPi", [Organisation])] == ["xtalpi"]


def test_normalise_folds_accents_and_symbols() -> None:
    """normalise() drops accents, punctuation and spaces and folds case."""
    assert normalise("Bayer AG") == normalise("bayer-ag") == "bayerag"
    assert normalise("Servier — Île") == "servierile"
    assert normalise("KP-723") == "kp723"


def test_normalise_keeps_only_letters_and_digits_of_ascii_lowered() -> None:
    """Every ASCII character: letters lowered, digits kept, the rest (and `_`) dropped."""
    for code in range(128):
        char = chr(code)
        expected = char.lower() if char.isalnum() else ""
        assert normalise(f"a{char}Z") == f"a{expected}z", repr(char)
    assert normalise("Hengrui_Kailera (NewCo)\t2024!") == "hengruikaileranewco2024"


@pytest.mark.parametrize(
    "name",
    [
        "LegoChem Biosciences",
        "Hengrui/Kailera Therapeutics (NewCo)",
        "foo_bar bazz_quux",
        "____ abcd",
        "a_b",
        "1234 5678 abcdef",
        "R&D-Centre\t2024 Suzhou",
        "OneWord",
        "Ünïcödé Café Ltd",
        "恒瑞医药 Hengrui Pharma",
    ],
)
def test_fuzzy_words_are_the_normalised_words_of_a_name(name: str) -> None:
    """A multi-word name's fuzzy words: each \\w+ run normalised, four characters or more."""
    runs = re.findall(r"\w+", name)
    expected = [w for w in map(normalise, runs) if len(w) >= 4 and not w.isdigit()]
    assert _words([name]) == (expected if len(runs) > 1 else [])


def test_fuzzy_tolerates_typos(good_store: KnowledgeStore) -> None:
    """'Legochen' finds LegoChem with a high but not perfect score."""
    [best, *_] = good_store.fuzzy("Legochen", [Organisation])
    assert best.entity.id == "legochem"
    assert 80 <= best.score < 100
    assert normalise(best.matched_name) == best.matched_name


def test_fuzzy_respects_kinds_and_cutoff(good_store: KnowledgeStore) -> None:
    """A kind filter excludes other kinds; a high cutoff excludes weak matches."""
    assert good_store.fuzzy("Legochen", [Asset]) == []
    assert good_store.fuzzy("Xtelpo", cutoff=99) == []
    assert good_store.fuzzy("") == []


def test_suggest_returns_display_names(good_store: KnowledgeStore) -> None:
    """Did-you-mean suggestions are labels people can read."""
    assert good_store.suggest("Hengrei", [Organisation]) == ["Jiangsu Hengrui Pharmaceuticals"]
    assert "LegoChem Biosciences" in good_store.suggest("legochen")


def test_search_finds_the_company_and_its_trend(good_store: KnowledgeStore) -> None:
    """'AI drug discovery' ranks XtalPi, its deal and the trend, with scores best first."""
    hits = good_store.search("AI drug discovery")
    ids = [h.entity.id for h in hits]
    assert {"xtalpi", "ai-platforms-partner", "xtalpi-hengrui-ai"} <= set(ids)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert ids.index("xtalpi") < ids.index("legochem")  # 'drug' alone ranks below all words


def test_search_filters_kinds_and_limits(good_store: KnowledgeStore) -> None:
    """kinds restricts the results; limit caps them."""
    assert [h.entity.id for h in good_store.search("AI drug discovery", [Trend])] == [
        "ai-platforms-partner"
    ]
    assert len(good_store.search("AI drug discovery", limit=2)) == 2
    assert good_store.search("AI", [Asset]) == []


def test_search_stems_and_ignores_stopwords(good_store: KnowledgeStore) -> None:
    """'licensing' finds 'licenses'; a query of stopwords finds nothing rather than everything."""
    assert "janssen-legochem-lcb84" in [h.entity.id for h in good_store.search("licensing")]
    assert good_store.search("the of and") == []
    assert good_store.search("") == []


def test_search_ignores_the_same_filler_words_as_questions(good_store: KnowledgeStore) -> None:
    """Words a question drops ('what are they doing now') are dropped by the search too: one list."""
    ids = [h.entity.id for h in good_store.search("licensing")]
    assert [h.entity.id for h in good_store.search("what are they doing now licensing")] == ids


def test_search_survives_fts_syntax(good_store: KnowledgeStore) -> None:
    """Quotes, stars and operators in user text are words, not query syntax."""
    for text in ['"AI', "AI*", "NOT AI", "AI OR", "(drug", "ai-drug", "near(ai drug)"]:
        assert isinstance(good_store.search(text), list)
    assert good_store.search("ai-drug")[0].entity.id in {"ai-drug-discovery", "xtalpi-hengrui-ai"}


@pytest.mark.parametrize(
    ("text", "expected"), [("恒瑞", "hengrui"), ("创新药", "hengrui"), ("晶泰", "xtalpi")]
)
def test_search_cjk(good_store: KnowledgeStore, text: str, expected: str) -> None:
    """Chinese text is searchable, including two-character words inside longer runs."""
    assert good_store.search(text)[0].entity.id == expected


def test_relations(good_store: KnowledgeStore) -> None:
    """deals_of, quotes_of and people_at follow the references."""
    assert [d.id for d in good_store.deals_of("legochem")] == ["janssen-legochem-lcb84"]
    assert [d.id for d in good_store.deals_of("lcb84")] == ["janssen-legochem-lcb84"]
    assert [d.id for d in good_store.deals_of("ai-drug-discovery")] == ["xtalpi-hengrui-ai"]
    assert [q.id for q in good_store.quotes_of("alex-chen")] == ["chen-on-ai"]
    assert [q.id for q in good_store.quotes_of("xtalpi")] == ["chen-on-ai"]
    assert [p.id for p in good_store.people_at("xtalpi")] == ["alex-chen"]
    assert good_store.deals_of("nobody") == []
    assert good_store.people_at("legochem") == []


def test_get_and_all(good_store: KnowledgeStore) -> None:
    """get() finds by id; all() returns one kind in file order."""
    assert isinstance(good_store.get("lcb84"), Asset)
    assert good_store.get("nope") is None
    assert [t.id for t in good_store.all(Topic)] == ["ai-drug-discovery", "adc"]
    assert len(good_store.all(Quote)) == 1


def _scan(deals: list[Deal], **f: object) -> list[str]:
    """Filter deals by brute force, the reference filter_deals must agree with."""
    keep = []
    for d in deals:
        if f.get("party") and f["party"] not in d.party_ids():
            continue
        if f.get("topic") and f["topic"] not in d.topics:
            continue
        if f.get("deal_type") and d.type != f["deal_type"]:
            continue
        if f.get("year") and (d.date is None or d.date.year != f["year"]):
            continue
        if f.get("modality") and not any(
            normalise(str(f["modality"])) in normalise(m) for m in d.modalities
        ):
            continue
        if f.get("area") and not any(
            normalise(str(f["area"])) in normalise(a) for a in d.therapeutic_areas
        ):
            continue
        keep.append(d.id)
    return keep


def test_filter_deals_agrees_with_a_scan(good_store: KnowledgeStore) -> None:
    """Every combination of filters returns what a plain scan would, in file order."""
    deals = list(good_store.all(Deal))
    options = {
        "party": [None, "legochem", "xtalpi", "nobody"],
        "topic": [None, "adc", "ai-drug-discovery"],
        "deal_type": [None, "licence", "collaboration"],
        "year": [None, 2023, 2024],
        "modality": [None, "adc", "Small-Molecule", "molecule"],
        "area": [None, "oncology", "Onco", "neurology"],
    }
    for values in itertools.product(*options.values()):
        filters = {k: v for k, v in zip(options, values, strict=True) if v is not None}
        got = [d.id for d in good_store.filter_deals(**filters)]  # type: ignore[arg-type]
        assert got == _scan(deals, **filters), filters


def test_store_is_immutable(good_store: KnowledgeStore) -> None:
    """A snapshot cannot be re-pointed at other data."""
    with pytest.raises(dataclasses.FrozenInstanceError):
        good_store.version = "other"  # type: ignore[misc]


def test_build_from_entities_without_loading(good_store: KnowledgeStore) -> None:
    """KnowledgeStore.build indexes any entity list (what handler tests use)."""
    small = KnowledgeStore.build(list(good_store.all(Organisation)), version="t")
    assert small.version == "t"
    assert small.lookup("LCB")[0].id == "legochem"
    assert small.search("AI drug discovery")[0].entity.id == "xtalpi"
    assert small.filter_deals() == []


def test_search_ranks_rare_words_when_common_ones_flood(monkeypatch: pytest.MonkeyPatch) -> None:
    """With a word in more entries than are ranked, the rarer word still finds its entry."""
    import knowledge.search

    monkeypatch.setattr(knowledge.search, "_CANDIDATES", 5)
    base = {"type": "biotech", "sources": [{"source": "s"}]}
    orgs = [
        build(
            Organisation, {**base, "id": f"o{i}", "name": f"Org {i}", "description": "licence deal"}
        )
        for i in range(20)
    ]
    zebra = build(
        Organisation, {**base, "id": "zebra", "name": "Zebra", "description": "zebrafish platform"}
    )
    store = KnowledgeStore.build([*orgs, zebra])
    assert store.search("licence zebrafish")[0].entity.id == "zebra"
    assert len(store.search("licence", limit=50)) == 5  # ranked among the first candidates only


def test_snapshot_built_piece_by_piece_equals_one_built_at_once() -> None:
    """The loader indexes each file as it reads it: the indexes match one build of them all."""
    entities = list(load_store().entities.values())  # the shipped knowledge, in file order
    builder = SnapshotBuilder()
    for start in range(0, len(entities), 7):
        builder.add(entities[start : start + 7])
    pieces, whole = builder.build("v"), KnowledgeStore.build(entities, version="v")
    for kind in {type(e) for e in entities}:
        assert [e.id for e in pieces.all(kind)] == [e.id for e in whole.all(kind)]
    for entity in entities:
        for name in entity.names():
            assert _ids(pieces.lookup(name)) == _ids(whole.lookup(name)) != []
        assert _ids(pieces.deals_of(entity.id)) == _ids(whole.deals_of(entity.id))
        assert _ids(pieces.quotes_of(entity.id)) == _ids(whole.quotes_of(entity.id))
        assert _ids(pieces.people_at(entity.id)) == _ids(whole.people_at(entity.id))
    assert _ids(pieces.filter_deals()) == _ids(whole.filter_deals()) != []
    assert pieces.fuzzy("Legochen") == whole.fuzzy("Legochen") != []


def _ids(entities: Iterable[AnyEntity]) -> list[str]:
    """Return the ids of `entities`, in order."""
    return [e.id for e in entities]


def test_deals_of_agrees_with_a_scan() -> None:
    """deals_of an organisation, asset or topic: every deal naming it, in file order."""
    store = load_store()
    deals = list(store.all(Deal))
    named = {i for d in deals for i in (*d.party_ids(), *d.assets, *d.topics)}
    assert len(named) > 50
    for entity_id in named:
        expected = [d.id for d in deals if entity_id in (*d.party_ids(), *d.assets, *d.topics)]
        assert [d.id for d in store.deals_of(entity_id)] == expected, entity_id


def test_deal_positions_are_where_filter_deals_finds_them(good_store: KnowledgeStore) -> None:
    """`deal_positions` points into `all(Deal)` at exactly the deals `filter_deals` returns."""
    deals = good_store.all(Deal)
    assert good_store.deal_positions() is None  # no filter: every deal
    options = {
        "party": [None, "legochem", "nobody"],
        "deal_type": [None, "licence"],
        "year": [None, 2024],
        "modality": [None, "adc", "molecule"],
        "area": [None, "Onco", "neurology"],
    }
    for values in itertools.product(*options.values()):
        filters = {k: v for k, v in zip(options, values, strict=True) if v is not None}
        if not filters:
            continue
        positions = good_store.deal_positions(**filters)  # type: ignore[arg-type]
        assert positions is not None
        got = [deals[p] for p in sorted(positions)]
        assert got == good_store.filter_deals(**filters), filters  # type: ignore[arg-type]
