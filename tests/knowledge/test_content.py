"""The shipped knowledge is faithful to the ChinaBio report: verbatim, own words, complete."""

from __future__ import annotations

import pytest

from knowledge import load_store
from knowledge.models import (
    KINDS,
    Deal,
    Entity,
    Organisation,
    PartyRole,
    Person,
    Quote,
    Source,
    Statistic,
)
from tests.knowledge.content_helpers import (
    COPY_RUN,
    Report,
    collapse,
    prose_fields,
    references,
    runs,
    words,
)

STORE = load_store()
REPORT = "chinabio-thought-leadership-2025"


def _ids(model: type[Entity] | type[Source]) -> list[str]:
    return [e.id for e in STORE.all(model)]  # type: ignore[arg-type]


def test_shipped_folder_loads_with_every_kind() -> None:
    """load_store() on the shipped folder succeeds and holds at least one entity of each kind."""
    store = load_store()
    empty = [key for key, model in KINDS.items() if not store.all(model)]  # type: ignore[arg-type]
    assert not empty, f"no entities of kind(s): {empty}"


@pytest.mark.parametrize("quote_id", _ids(Quote))
def test_quote_text_is_verbatim(quote_id: str, report: Report) -> None:
    """The quote's text occurs in the report exactly, up to whitespace."""
    quote = STORE.get(quote_id)
    assert isinstance(quote, Quote)
    assert collapse(quote.text) in report.flat, f"{quote_id} is not verbatim: {quote.text!r}"


def test_no_quote_is_stored_twice() -> None:
    """A quote printed twice in the report (pull-quote and text) is one entity, not two."""
    texts = {q.id: collapse(q.text).casefold().rstrip(".,") for q in STORE.all(Quote)}
    doubles = [(a, b) for a, ta in texts.items() for b, tb in texts.items() if a != b and ta in tb]
    assert not doubles, f"quotes contained in other quotes: {doubles}"


def _as_stated() -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for stat in STORE.all(Statistic):
        found.append((stat.id, stat.as_stated))
    for deal in STORE.all(Deal):
        found += [(f"{deal.id} money", m.as_stated) for m in deal.money if m.as_stated]
        dates = [deal.date, *(m.date for m in deal.milestones)]
        found += [(f"{deal.id} date", d.as_stated) for d in dates if d and d.as_stated]
    return found


@pytest.mark.parametrize(("where", "as_stated"), _as_stated())
def test_as_stated_occurs_in_report(where: str, as_stated: str, report: Report) -> None:
    """Every `as_stated` (money, statistics, dates) is printed in the report exactly so."""
    assert collapse(as_stated) in report.flat, f"{where}: {as_stated!r} is not in the report"


def test_every_deal_money_has_as_stated() -> None:
    """Every amount of money carries the wording the report printed."""
    missing = [d.id for d in STORE.all(Deal) for m in d.money if not m.as_stated]
    assert not missing


@pytest.mark.parametrize("entity_id", sorted(STORE.entities))
def test_prose_is_in_our_own_words(entity_id: str, report: Report) -> None:
    """No summary, description, context, bio or title shares 8+ consecutive words with the report."""
    entity = STORE.entities[entity_id]
    copied = [
        (path, " ".join(run))
        for path, text in prose_fields(entity)
        for run in runs(words(text), COPY_RUN) & report.runs
    ]
    assert not copied, f"copied from the report: {copied}"


# (deal id, type, {organisation: role}, date or None) for every deal the issue names.
ISSUE_DEALS = [
    ("jnj-hangzhou-dac-adc", "collaboration", {"johnson-johnson": "partner", "hangzhou-dac": "partner"}, None),
    ("jjdc-hangzhou-dac-series-c", "equity-investment", {"jjdc": "investor", "hangzhou-dac": "investee"}, None),
    ("jnj-xtalpi-ai", "collaboration", {"johnson-johnson": "partner", "xtalpi": "partner"}, None),
    ("jnj-wuxi-tessa", "collaboration", {"johnson-johnson": "partner", "wuxi-advanced-therapies": "partner"}, None),
    ("jnj-hitgen-del", "collaboration", {"johnson-johnson": "partner", "hitgen": "partner"}, None),
    ("jnj-kaken-kp-723", "licence", {"johnson-johnson": "licensee", "kaken": "licensor"}, None),
    ("jnj-yuhan-lazertinib", "collaboration", {"johnson-johnson": "partner", "yuhan": "partner"}, None),
    ("jnj-legochem-lcb84", "collaboration", {"johnson-johnson": "partner", "legochem": "partner"}, None),
    ("jnj-legend-bcma-car-t", "licence", {"johnson-johnson": "licensee", "legend-biotech": "licensor"}, "2017"),
    ("bayer-puhe-ph020", "licence", {"bayer": "licensee", "puhe": "licensor"}, None),
    ("bayer-rtw-ji-xing-investment", "equity-investment", {"bayer": "investor", "rtw": "investor", "ji-xing": "investee"}, None),
    ("askbio-belief-biomed", "collaboration", {"askbio": "partner", "belief-biomed": "partner"}, "2024-09"),
    ("bayer-co-lab-incubation", "incubation", {"co-lab": "incubator", "epigenic": "incubatee", "immunocan": "incubatee", "accuredit": "incubatee"}, "2024-09"),
    ("bayer-askbio-acquisition", "acquisition", {"bayer": "acquirer", "askbio": "acquired"}, None),
    ("bayer-bluerock-acquisition", "acquisition", {"bayer": "acquirer", "bluerock": "acquired"}, None),
    ("bayer-academic-partnerships", "collaboration", {"bayer": "partner", "tsinghua": "partner", "peking-university": "partner"}, None),
    ("servier-cstone-tibsovo", "acquisition-of-rights", {"servier": "acquirer", "cstone": "seller", "agios": "original-licensor"}, "2023-12"),
    ("cstone-agios-tibsovo-licence", "licence", {"agios": "licensor", "cstone": "licensee"}, None),
    ("servier-agios-acquisition", "acquisition", {"servier": "acquirer", "agios": "acquired"}, "2021"),
    ("hengrui-hercules-kailera", "newco", {"hengrui": "linked", "hercules": "linked", "kailera": "newco"}, None),
    ("keymed-genor-belenos", "newco", {"keymed": "merged", "genor": "merged", "belenos": "newco"}, None),
]  # fmt: skip


@pytest.mark.parametrize(("deal_id", "deal_type", "parties", "date"), ISSUE_DEALS)
def test_issue_deal_exists_with_its_parties(
    deal_id: str, deal_type: str, parties: dict[str, str], date: str | None
) -> None:
    """The deal exists with its type, each named party in its role, and the report's date."""
    deal = STORE.get(deal_id)
    assert isinstance(deal, Deal), f"missing deal {deal_id}"
    assert deal.type == deal_type
    roles = {(p.organisation, p.role) for p in deal.parties}
    for org, role in parties.items():
        assert (org, PartyRole(role)) in roles, f"{deal_id}: {org} is not {role}"
    assert (deal.date.iso() if deal.date else None) == date


def test_issue_money_is_recorded() -> None:
    """The Ji Xing and Tibsovo amounts are stored with currency and the printed wording."""

    def money(deal_id: str) -> set[tuple[float, str, str | None]]:
        deal = STORE.get(deal_id)
        assert isinstance(deal, Deal)
        return {(m.amount, m.currency, m.as_stated) for m in deal.money}

    assert money("bayer-rtw-ji-xing-investment") == {
        (162_000_000, "USD", "$162 million"),
        (35_000_000, "USD", "$35 million"),
    }
    assert money("servier-cstone-tibsovo") == {
        (44_000_000, "USD", "$44 million"),
        (6_000_000, "USD", "$6 million"),
    }


@pytest.mark.parametrize("name", ["J&J", "Johnson & Johnson", "Janssen", "j & j"])
def test_johnson_and_johnson_names_reach_one_org(name: str) -> None:
    """Every name the report uses for J&J looks up the same organisation."""
    found = STORE.lookup(name, [Organisation])
    assert [e.id for e in found] == ["johnson-johnson"]


def test_kp723_reaches_the_kaken_deal() -> None:
    """'KP-723' finds the asset, and deals_of(asset) returns the J&J-Kaken licence."""
    assets = STORE.lookup("KP-723")
    assert [a.id for a in assets] == ["kp-723"]
    assert "jnj-kaken-kp-723" in [d.id for d in STORE.deals_of(assets[0].id)]
    assert [a.id for a in STORE.lookup("kp723")] == ["kp-723"]


def test_ph020_and_bay3713372_are_one_asset() -> None:
    """PH020 and its Bayer code BAY3713372 look up the same asset, the Puhe licence's."""
    assert STORE.lookup("PH020") == STORE.lookup("BAY3713372") == STORE.lookup("Bay3713372")
    (asset,) = STORE.lookup("PH020")
    assert [d.id for d in STORE.deals_of(asset.id)] == ["bayer-puhe-ph020"]


def test_askbio_belief_date_is_inferred_from_last_september() -> None:
    """The AskBio-Belief date keeps 'last September' and is marked as inferred to 2024-09."""
    deal = STORE.get("askbio-belief-biomed")
    assert isinstance(deal, Deal)
    assert deal.date is not None
    assert (deal.date.iso(), deal.date.as_stated, deal.date.inferred) == (
        "2024-09",
        "last September",
        True,
    )


def test_only_inferred_dates_are_marked_inferred() -> None:
    """Dates the report prints outright are not flagged as inferred."""
    inferred = {d.id for d in STORE.all(Deal) if d.date and d.date.inferred}
    assert inferred == {"askbio-belief-biomed"}


@pytest.mark.parametrize("entity_id", sorted(STORE.entities))
def test_every_reference_resolves_to_the_right_kind(entity_id: str) -> None:
    """Every id an entity points at exists and is of the kind the field expects."""
    entity = STORE.entities[entity_id]
    broken = [
        f"{field} -> {ref} (want {model.__name__})"
        for field, ref, model in references(entity)
        if not isinstance(STORE.get(ref), model)
    ]
    assert not broken, f"{entity_id}: {broken}"


@pytest.mark.parametrize("entity_id", sorted(STORE.entities))
def test_every_entity_cites_the_report_section(entity_id: str) -> None:
    """Every entity cites a source, and each citation of the report names its section."""
    entity = STORE.entities[entity_id]
    if isinstance(entity, Source):
        assert entity.published is not None
        return
    assert entity.sources, f"{entity_id} has no source"
    for ref in entity.sources:
        if ref.source == REPORT:
            assert ref.locator, f"{entity_id} cites the report without a section"


def test_quote_organisation_matches_speaker_role() -> None:
    """A quote's organisation is one where its speaker holds a role."""
    wrong = []
    for quote in STORE.all(Quote):
        speaker = STORE.get(quote.speaker)
        assert isinstance(speaker, Person)
        if quote.organisation not in {r.organisation for r in speaker.roles}:
            wrong.append(quote.id)
    assert not wrong
