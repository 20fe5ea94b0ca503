"""The question bank, run by the suite: the share right, nothing invented, every unknown said."""

from __future__ import annotations

from knowledge import KnowledgeStore
from tests.questions.grade import load_bank, report, run_bank

RIGHT_SHARE = 0.95


def test_bank_has_at_least_200_questions_some_unanswerable() -> None:
    """The bank holds 200+ questions, some of which the knowledge cannot answer."""
    bank = load_bank()
    assert len(bank) >= 200
    assert sum(1 for q in bank if q.expect == "unknown") >= 30
    assert len({q.q for q in bank}) == len(bank)


def test_bank_meets_its_targets(store: KnowledgeStore) -> None:
    """At least 95% answered right (honest unknowns included), and nothing invented."""
    graded = run_bank(store, load_bank())
    right = sum(1 for g in graded if g.outcome in {"right", "honest"})
    invented = [g for g in graded if g.outcome == "invented"]
    assert right / len(graded) >= RIGHT_SHARE, report(graded)
    assert not invented, report(graded)
