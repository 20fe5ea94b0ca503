"""Loaded snapshots share equal fields-sets without changing behaviour."""

from __future__ import annotations

import pytest

from knowledge import KnowledgeStore
from knowledge.models import Deal, Organisation, SourceRef


def test_equal_field_sets_are_shared(good_store: KnowledgeStore) -> None:
    """Organisations given the same fields share one fields-set object."""
    by_fields: dict[frozenset[str], list[Organisation]] = {}
    for org in good_store.all(Organisation):
        by_fields.setdefault(frozenset(org.model_fields_set), []).append(org)
    groups = [orgs for orgs in by_fields.values() if len(orgs) > 1]
    assert groups
    for first, *rest in groups:
        assert all(o.__pydantic_fields_set__ is first.__pydantic_fields_set__ for o in rest)


def test_model_copy_does_not_leak_into_shared_sets(good_store: KnowledgeStore) -> None:
    """Copying one entity with an update leaves every other entity's fields-set alone."""
    first, second = list(good_store.all(Deal))
    before = set(second.model_fields_set)
    copy = first.model_copy(update={"rights": "all rights"})
    assert copy.rights == "all rights" and "rights" in copy.model_fields_set
    assert second.model_fields_set == before and "rights" not in first.model_fields_set


def test_nested_values_are_slotted_and_frozen(good_store: KnowledgeStore) -> None:
    """Source references (like dates, parties, money) carry no per-instance dict and stay frozen."""
    ref = good_store.all(Organisation)[0].sources[0]
    assert isinstance(ref, SourceRef) and not hasattr(ref, "__dict__")
    with pytest.raises(AttributeError):
        ref.locator = "p. 1"  # type: ignore[misc]
