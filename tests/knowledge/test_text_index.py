"""The full-text index built in a thread answers like the one built on the first search."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest

from knowledge import KnowledgeError, KnowledgeStore, load_store
from knowledge.search import TextIndex

GOOD = Path(__file__).resolve().parent / "fixtures" / "good"
QUERIES = ["antibody", "licence oncology", "Bayer", "AI drug discovery", "中国"]


def _answers(store: KnowledgeStore) -> list[list[tuple[str, float]]]:
    return [[(h.entity.id, round(h.score, 6)) for h in store.search(q)] for q in QUERIES]


def test_built_in_a_thread_answers_the_same(good_store: KnowledgeStore) -> None:
    store = load_store(GOOD, text_now=True)
    store.warm()
    assert _answers(store) == _answers(good_store)
    assert any(_answers(store))


def test_a_failed_thread_build_is_redone_on_warm(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, good_store: KnowledgeStore
) -> None:
    original = TextIndex._build
    calls = []

    def fail_once(self: TextIndex, *args: object) -> object:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("disk on fire")
        return original(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(TextIndex, "_build", fail_once)
    with caplog.at_level(logging.ERROR, logger="knowledge.search"):
        store = load_store(GOOD, text_now=True)
        store.warm()
    assert len(calls) == 2
    assert "full-text index in its thread failed" in caplog.text
    assert _answers(store) == _answers(good_store)


def test_rows_split_in_many_batches_keep_their_ids(
    monkeypatch: pytest.MonkeyPatch, good_store: KnowledgeStore
) -> None:
    """Each batch's rows are numbered from where the batch starts."""
    monkeypatch.setattr("knowledge.search._BATCH", 2)
    store = load_store(GOOD)
    assert _answers(store) == _answers(good_store)


@pytest.mark.parametrize("batch", [2, 3, 20_000])
def test_every_hit_holds_the_word_searched(monkeypatch: pytest.MonkeyPatch, batch: int) -> None:
    """Rows and entities line up, however the rows were batched."""
    monkeypatch.setattr("knowledge.search._BATCH", batch)
    store = load_store(GOOD)
    for word in ("antibody", "legochem", "oncology"):
        hits = store.search(word)
        assert hits
        for hit in hits:
            text = " ".join([*hit.entity.names(), *hit.entity.text_fields()]).casefold()
            assert word[:6] in text, (word, hit.entity.id)


def test_an_sqlite_without_json_functions_builds_row_by_row(
    monkeypatch: pytest.MonkeyPatch, good_store: KnowledgeStore
) -> None:
    """SQLite before 3.38 (no JSON functions built in) gets the rows one statement each."""
    monkeypatch.setattr("knowledge.search.sqlite3.sqlite_version_info", (3, 31, 1))
    store = load_store(GOOD)
    assert _answers(store) == _answers(good_store)


def _stopped_empty(index: TextIndex) -> bool:
    """Whether the index's build thread has ended without keeping an index."""
    assert index._builder is not None
    index._builder.join(timeout=10)
    return not index._builder.is_alive() and index._built is None


def test_an_abandoned_build_stops_and_warm_still_builds(
    monkeypatch: pytest.MonkeyPatch, good_store: KnowledgeStore
) -> None:
    """A build abandoned in its thread stops at its next batch; warm() then builds here."""
    monkeypatch.setattr("knowledge.search._BATCH", 1)
    entities = list(good_store.entities.values())
    index = TextIndex(entities)
    index.abandon()
    index.start()
    assert _stopped_empty(index)
    index.warm()
    assert [e.id for e, _ in index.search("legochem", None, 5)]


def test_a_folder_that_fails_its_reference_checks_abandons_the_started_index(
    monkeypatch: pytest.MonkeyPatch, good_copy: Path
) -> None:
    """The full-text index is fed as files are read; a later problem abandons it."""
    abandoned: list[TextIndex] = []
    monkeypatch.setattr(TextIndex, "abandon", lambda self: abandoned.append(self))
    deals = good_copy / "deals.yaml"
    deals.write_text(deals.read_text().replace("organisation: legochem", "organisation: legochen"))
    with pytest.raises(KnowledgeError, match="legochen"):
        load_store(good_copy, text_now=True)
    assert len(abandoned) == 1


def _searches(index: TextIndex) -> list[list[tuple[str, float]]]:
    return [[(e.id, round(s, 6)) for e, s in index.search(q, None, 10)] for q in QUERIES]


def test_entities_fed_in_any_order_answer_as_when_built_at_once(
    monkeypatch: pytest.MonkeyPatch, good_store: KnowledgeStore
) -> None:
    """Rows numbered as entities arrive (kind by kind, a few at a time) give the same answers."""
    monkeypatch.setattr("knowledge.search._BATCH", 2)
    entities = list(good_store.entities.values())
    at_once = TextIndex(entities)
    streamed = TextIndex()
    streamed.stream()
    by_kind = sorted(entities, key=lambda e: e.kind, reverse=True)  # deals before topics
    for start in range(0, len(by_kind), 3):
        streamed.feed(by_kind[start : start + 3])
    streamed.close()
    streamed.warm()
    assert _searches(streamed) == _searches(at_once)
    assert any(_searches(at_once))
    with pytest.raises(RuntimeError, match="closed"):
        streamed.feed(entities[:1])


def test_an_abandoned_stream_ends_its_thread(good_store: KnowledgeStore) -> None:
    streamed = TextIndex()
    streamed.stream()
    streamed.feed(list(good_store.entities.values()))
    streamed.abandon()
    assert _stopped_empty(streamed)


def test_a_word_no_entry_holds_falls_back_to_the_others(good_store: KnowledgeStore) -> None:
    """Entries holding every word come first; when none holds them all, any word will do."""
    assert good_store.search("AI drug discovery", limit=1)
    hits = good_store.search("AI zebra", limit=5)  # no entry holds both
    assert hits
    for hit in hits:
        text = " ".join([*hit.entity.names(), *hit.entity.text_fields()]).casefold()
        assert "ai" in re.findall(r"\w+", text), hit.entity.id
