"""Nothing in the shipped knowledge goes beyond what the ChinaBio report prints, and nothing is missing."""

from __future__ import annotations

import re

import pytest

from knowledge import load_store
from knowledge.models import Asset, Deal, Event, Organisation, Person, Quote, Statistic
from tests.knowledge.content_helpers import (
    HUBS,
    Report,
    collapse,
    names_in,
    term_is_stated,
)

STORE = load_store()

# Every status other than "unknown", with the report's words that state it.
STATUS_EVIDENCE = {
    "askbio-belief-biomed": ("announced", "has announced a new strategic collaboration"),
    "bayer-askbio-acquisition": ("completed", "entered this space through its acquisition"),
    "bayer-bluerock-acquisition": ("completed", "entered this space through its acquisition"),
    "servier-agios-acquisition": ("completed", "a U.S. biotech that Servier acquired in 2021"),
}

# Double-quoted phrases in the report that are names or loose phrases, not anyone's quote.
NOT_QUOTES = {"Collaborate to Cure Hub China", "cheaper and faster", "go global"}


def _names(org_ids: list[str]) -> list[str]:
    return [n for i in org_ids if i not in HUBS for n in STORE.entities[i].names()]


def _evidence(report: Report, names: list[str]) -> list[str]:
    """Return the report sentences that name any of `names`."""
    return [s for s in report.sentences if any(names_in(n, s) for n in names)]


def _deal_names(deal: Deal) -> list[str]:
    assets = [n for a in deal.assets for n in STORE.entities[a].names()]
    return assets + _names([p.organisation for p in deal.parties])


def _asset_names(asset: Asset) -> list[str]:
    return asset.names() + _names(asset.owners)


def _terms() -> list[tuple[str, str, list[str]]]:
    found: list[tuple[str, str, list[str]]] = []
    for deal in STORE.all(Deal):
        for term in [*deal.therapeutic_areas, *deal.modalities, *deal.indications]:
            found.append((deal.id, term, _deal_names(deal)))
    for asset in STORE.all(Asset):
        for term in [*asset.therapeutic_areas, *asset.indications]:
            found.append((asset.id, term, _asset_names(asset)))
    return found


@pytest.mark.parametrize(("entity_id", "term", "names"), _terms())
def test_area_modality_and_indication_are_stated_for_that_entity(
    entity_id: str, term: str, names: list[str], report: Report
) -> None:
    """A deal's or asset's area, modality or indication is printed in a sentence naming it."""
    passages = _evidence(report, names)
    assert passages, f"{entity_id}: the report never names it by {names}"
    assert term_is_stated(term, passages), f"{entity_id}: {term!r} is not stated for it"


@pytest.mark.parametrize("deal_id", [d.id for d in STORE.all(Deal)])
def test_status_is_unknown_unless_the_report_states_it(deal_id: str, report: Report) -> None:
    """A deal's status is 'unknown' unless listed with the report's words that state it."""
    deal = STORE.get(deal_id)
    assert isinstance(deal, Deal)
    if deal.status == "unknown":
        assert deal_id not in STATUS_EVIDENCE, f"{deal_id}: evidence listed but status unknown"
        return
    assert deal_id in STATUS_EVIDENCE, f"{deal_id}: status {deal.status!r} has no evidence"
    status, words = STATUS_EVIDENCE[deal_id]
    assert deal.status == status
    assert words in report.flat, f"{deal_id}: {words!r} is not in the report"


def _printed_names() -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for model in (Organisation, Person, Event):
        for entity in STORE.all(model):
            printed = [entity.name, *entity.aliases]  # type: ignore[attr-defined]
            found += [(entity.id, name) for name in printed]
    for asset in STORE.all(Asset):  # an asset's name may be our label; its aliases are printed
        found += [(asset.id, alias) for alias in asset.aliases]
    return found


@pytest.mark.parametrize(("entity_id", "name"), _printed_names())
def test_names_and_aliases_are_printed_in_the_report(
    entity_id: str, name: str, report: Report
) -> None:
    """Every organisation, person and event name and every alias occurs in the report."""
    assert names_in(name, report.text), f"{entity_id}: {name!r} is not printed in the report"


@pytest.mark.parametrize(
    "org_id", [o.id for o in STORE.all(Organisation) if o.location is not None]
)
def test_location_is_printed_in_the_report(org_id: str, report: Report) -> None:
    """An organisation's location is a place the report prints (French counts as France)."""
    org = STORE.get(org_id)
    assert isinstance(org, Organisation)
    assert org.location
    assert term_is_stated(org.location, [report.flat]), f"{org_id}: {org.location!r}"


def test_every_quoted_passage_is_a_stored_quote(report: Report) -> None:
    """Every double-quoted passage in the report is held in some quote entity."""
    texts = [collapse(q.text).casefold() for q in STORE.all(Quote)]
    missing = []
    for match in re.finditer(r'"([^"]+)"', report.flat):
        passage = match.group(1).strip().rstrip(",.")
        if passage.rstrip(".") in NOT_QUOTES:
            continue
        if not any(passage.casefold() in text for text in texts):
            missing.append(passage)
    assert not missing, f"quotes not stored: {missing}"


def test_every_printed_percentage_and_amount_is_a_statistic(report: Report) -> None:
    """Every percentage and dollar amount the report prints is some statistic's as_stated."""
    flat = report.flat
    printed = set(re.findall(r"\$\d+ (?:million|billion)", flat))
    printed |= set(re.findall(r"[<>]?\d+(?:[-—]\d+)?%(?:—\d+%)?", flat))
    stated = " | ".join(s.as_stated for s in STORE.all(Statistic))
    assert not [p for p in printed if p not in stated]
