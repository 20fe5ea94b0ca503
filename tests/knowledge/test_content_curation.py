"""Places, the curator's areas, key data, aliases and linked figures: each checked against the report."""

from __future__ import annotations

import re

import pytest

from knowledge import load_store, normalise
from knowledge.models import Asset, Deal, Organisation, Statistic, Topic
from tests.knowledge.content_helpers import Report, names_in

STORE = load_store()

#: the report's words for a country (its adjective or the city it names)
COUNTRY_WORDS = {
    "China": ("China", "Chinese", "Shanghai-based", "Shanghai"),
    "Korea": ("Korea",),
    "Japan": ("Japan",),
    "U.S.": ("U.S.", "US FDA"),
    "France": ("French",),
}


def _placed() -> list[Organisation]:
    return [o for o in STORE.all(Organisation) if o.place is not None]


@pytest.mark.parametrize("org", _placed(), ids=lambda o: o.id)
def test_a_place_is_printed_near_the_organisation(org: Organisation, report: Report) -> None:
    """A place's country word and city occur in a paragraph of the report that names the company."""
    assert org.place is not None
    paragraphs = [
        p for p in re.split(r"\n\s*\n", report.text) if any(names_in(n, p) for n in org.names())
    ]
    assert paragraphs, f"{org.id}: no paragraph names it"
    words = COUNTRY_WORDS[org.place.country]
    assert any(w in p for w in words for p in paragraphs), (
        f"{org.id}: {org.place.country} not stated"
    )
    if org.place.city:
        assert any(org.place.city in p for p in paragraphs), f"{org.id}: {org.place.city}"


def test_curator_areas_are_only_where_the_report_states_none() -> None:
    """A curator's area never repeats a stated one: it is there because the report gives none."""
    for entity in [*STORE.all(Deal), *STORE.all(Asset)]:
        stated = set(entity.therapeutic_areas)
        assert not stated & {c.area for c in entity.curator_areas}, entity.id


@pytest.mark.parametrize(
    ("deal_id", "implied_by"),
    [
        ("jnj-legochem-lcb84", "Trop2"),
        ("jnj-yuhan-lazertinib", "EGFR"),
        ("jnj-legend-bcma-car-t", "BCMA"),
    ],
)
def test_curator_area_follows_from_a_printed_target(
    deal_id: str, implied_by: str, report: Report
) -> None:
    """Each oncology classification rests on a target the report prints for that asset."""
    deal = STORE.get(deal_id)
    assert isinstance(deal, Deal)
    assert [c.area for c in deal.curator_areas] == ["oncology"]
    assert implied_by in report.flat


def test_key_data_figures_are_the_reports(report: Report) -> None:
    """Every figure in an asset's key data is printed in the report as written."""
    for asset in STORE.all(Asset):
        for fact in asset.key_data:
            for figure in re.findall(r"\d[\d.,]*%?", fact.summary):
                assert figure in report.flat, (asset.id, figure)


def test_art001_key_data_covers_ind_orphan_and_trial() -> None:
    """ART001 holds its IND approvals, orphan designation and trial data, each with a source."""
    art = STORE.get("art001")
    assert isinstance(art, Asset)
    labels = {f.label for f in art.key_data}
    assert {"IND approvals", "orphan drug designation", "trial data"} <= labels
    assert all(f.source.source == "chinabio-thought-leadership-2025" for f in art.key_data)


def test_every_name_people_type_reaches_one_entity() -> None:
    """Every deal alias and organisation name, alias and typed name leads to exactly one entity."""
    for entity in [*STORE.all(Deal), *STORE.all(Organisation)]:
        for name in entity.names():
            assert [e.id for e in STORE.lookup(name)] == [entity.id], (entity.id, name)


def test_deal_aliases_are_few_and_not_topic_labels() -> None:
    """Deal aliases stay few, and none is a '<target or asset> deal' label catching others."""
    aliases = [a for d in STORE.all(Deal) for a in d.aliases]
    assert len(aliases) <= 10
    assert not [a for a in aliases if normalise(a).endswith("deal")]


def test_topic_aliases_do_not_mix_structures() -> None:
    """Spin-outs are not NewCos and mergers are not filed under acquisitions."""
    newco, acquisitions = STORE.get("newco"), STORE.get("acquisitions")
    assert isinstance(newco, Topic)
    assert isinstance(acquisitions, Topic)
    assert not {"spinout", "spin-out"} & {a.casefold() for a in newco.aliases}
    assert "merger" not in {a.casefold() for a in acquisitions.aliases}


def test_kailera_and_belenos_roles_are_the_reports() -> None:
    """No party is called a founder of Kailera or Belenos; Belenos's are its merging companies."""
    for deal_id in ("hengrui-hercules-kailera", "keymed-genor-belenos"):
        deal = STORE.get(deal_id)
        assert isinstance(deal, Deal)
        assert "founder" not in {p.role.value for p in deal.parties}
    belenos = STORE.get("keymed-genor-belenos")
    assert isinstance(belenos, Deal)
    assert {p.organisation for p in belenos.parties if p.role.value == "merged"} == {
        "keymed",
        "genor",
    }


def test_a_figure_stated_twice_is_linked_once() -> None:
    """The one-third and the >80% are each linked to their restatement, with the same value."""
    links = {s.id: s.same_figure_as for s in STORE.all(Statistic) if s.same_figure_as}
    assert links == {
        "china-share-multinational-new-assets-2024": "china-share-big-pharma-in-licensing-2024",
        "foreign-currency-capital-decline-2022-2024": "foreign-capital-decline-2024",
    }
    for one, other in links.items():
        a, b = STORE.get(one), STORE.get(other)
        assert isinstance(a, Statistic)
        assert isinstance(b, Statistic)
        assert a.value == b.value
