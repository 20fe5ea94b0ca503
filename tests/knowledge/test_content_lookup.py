"""The shipped knowledge answers the questions users type: aliases and topic tags reach it."""

from __future__ import annotations

from collections import defaultdict

import pytest

from knowledge import load_store, normalise
from knowledge.models import Asset, Organisation, Quote, Topic

STORE = load_store()

# (what a user types, kind, the id it must reach)
ALIASES = [
    ("ADC", Topic, "adc"),
    ("antibody-drug conjugate", Topic, "adc"),
    ("AI", Topic, "ai-drug-discovery"),
    ("AI drug discovery", Topic, "ai-drug-discovery"),
    ("NewCo", Topic, "newco"),
    ("GLP-1", Topic, "obesity"),
    ("CGT", Topic, "cell-and-gene-therapy"),
    ("partner", Topic, "partner-criteria"),
    ("partnering criteria", Topic, "partner-criteria"),
    ("timelines", Topic, "execution"),
    ("BioSecure Act", Topic, "geopolitics"),
    ("DAC", Organisation, "hangzhou-dac"),
    ("Legend", Organisation, "legend-biotech"),
    ("Hengrui", Organisation, "hengrui"),
    ("AskBio", Organisation, "askbio"),
    ("Asklepios BioPharmaceutical", Organisation, "askbio"),
    ("J&J Innovation", Organisation, "jnj-innovation"),
    ("JJDC", Organisation, "jjdc"),
    ("JLABS", Organisation, "jlabs"),
    ("Bayer Healthcare", Organisation, "bayer"),
    ("ivosidenib", Asset, "tibsovo"),
    ("TESSA", Asset, "tessa"),
]


@pytest.mark.parametrize(("typed", "kind", "expected"), ALIASES)
def test_typed_name_reaches_entity(typed: str, kind: type[Topic], expected: str) -> None:
    """A name or alias users type looks up exactly the intended entity."""
    assert [e.id for e in STORE.lookup(typed, [kind])] == [expected]


def test_no_name_is_shared_by_two_entities() -> None:
    """No name or alias normalises to the same key for two different entities."""
    owners: dict[str, set[str]] = defaultdict(set)
    for entity in STORE.entities.values():
        for name in entity.names():
            owners[normalise(name)].add(entity.id)
    shared = {name: ids for name, ids in owners.items() if len(ids) > 1}
    assert not shared


def _quote_ids(topic_name: str, speaker: str | None = None) -> set[str]:
    (topic,) = STORE.lookup(topic_name, [Topic])
    return {q.id for q in STORE.quotes_of(topic.id) if speaker in (None, q.speaker)}


def test_who_thinks_chinese_biotechs_deliver_on_time() -> None:
    """'deliver on time' reaches the execution topic and Cynthia Wang's execution quote."""
    assert "cynthia-wang-execution" in _quote_ids("deliver on time")


def test_what_servier_looks_for_in_a_partner() -> None:
    """'partner' reaches partner-criteria quotes, among them several from Servier."""
    servier = {q.id for q in STORE.quotes_of("servier")}
    found = _quote_ids("partner") & servier
    assert {"cynthia-wang-timing-company-valuation", "cynthia-wang-execution"} <= found


def test_dan_wang_on_ai() -> None:
    """'AI' plus Dan Wang reaches her AI quote and nothing else of hers."""
    assert _quote_ids("AI", speaker="dan-wang") == {"dan-wang-ai-discovery"}


def test_every_quote_has_topics() -> None:
    """Every quote is tagged with at least one topic so topic questions can find it."""
    assert not [q.id for q in STORE.all(Quote) if not q.topics]


def test_every_topic_is_used() -> None:
    """Every topic tags at least one quote, deal, trend, statistic, asset or organisation."""
    used: set[str] = set()
    for entity in STORE.entities.values():
        used.update(getattr(entity, "topics", []))
    assert not [t.id for t in STORE.all(Topic) if t.id not in used]
