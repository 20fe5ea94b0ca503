"""Loaded snapshots share equal small values and fields-sets without changing behaviour."""

from __future__ import annotations

from knowledge import KnowledgeStore
from knowledge.models import Deal, Organisation


def test_equal_source_refs_and_field_sets_are_shared(good_store: KnowledgeStore) -> None:
    """Organisations citing the same source share one SourceRef and one fields-set."""
    orgs = [o for o in good_store.all(Organisation) if o.sources[0].locator is None]
    assert len(orgs) >= 2
    assert orgs[0].sources[0] is orgs[1].sources[0]
    jj, janssen = good_store.get("johnson-johnson"), good_store.get("janssen")
    assert jj is not None and janssen is not None
    assert jj.sources[0].__pydantic_fields_set__ is janssen.sources[0].__pydantic_fields_set__


def test_model_copy_does_not_leak_into_shared_sets(good_store: KnowledgeStore) -> None:
    """Copying one entity with an update leaves every other entity's fields-set alone."""
    first, second = list(good_store.all(Deal))
    before = set(second.model_fields_set)
    copy = first.model_copy(update={"rights": "all rights"})
    assert copy.rights == "all rights" and "rights" in copy.model_fields_set
    assert second.model_fields_set == before and "rights" not in first.model_fields_set
