"""`deals` lists on a store of thousands of deals: every page, count and order as a full sort gives."""

from __future__ import annotations

import random
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.synthetic import Scale, write_folder
from handlers import AskContext, Reply, ReplyKind, answer
from handlers.commands.deal_filters import by_amount
from handlers.paging import PAGE_SIZE
from handlers.resolve import newest_first
from handlers.warm import prepare
from knowledge import KnowledgeStore, load_store
from knowledge.loader import default_dir
from knowledge.models import Deal

SMALL = Scale(
    deals=2_500, organisations=400, quotes=50, people=30, assets=200, topics=12, per_file=1_000
)


@pytest.fixture(scope="module")
def big_store(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeStore:
    """Return the report's knowledge inside 2,500 synthetic deals (equal dates, undated, no money)."""
    folder = tmp_path_factory.mktemp("deal-pages")
    write_folder(folder, SMALL)
    shutil.copytree(default_dir(), folder / "report")
    return load_store(folder)


def ask(store: KnowledgeStore, text: str) -> Reply:
    """Answer `text` as a slash command would be answered."""
    return answer(text, store, AskContext(platform="test"))


def pages(store: KnowledgeStore, command: str) -> Iterator[Reply]:
    """Yield every page of a `deals` list, following its More button."""
    reply = ask(store, command)
    yield reply
    while reply.more is not None:
        reply = ask(store, reply.more.command)
        yield reply


def listed(store: KnowledgeStore, command: str) -> list[str]:
    """Return the ids a `deals` list shows over all its pages, in order."""
    return [i for reply in pages(store, command) for i in reply.entity_ids]


def test_every_page_of_one_filter_is_the_newest_first_order(big_store: KnowledgeStore) -> None:
    """`deals type:licence`, page after page, lists every licence newest first, counted right."""
    expected = [d.id for d in newest_first(big_store.filter_deals(deal_type="licence"))]
    first = ask(big_store, "deals type:licence")
    assert first.kind == ReplyKind.DEAL_LIST
    assert first.title.endswith(f"({len(expected)})")
    assert len(expected) > 10 * PAGE_SIZE  # many pages: both the first and the deep ones
    assert listed(big_store, "deals type:licence") == expected


def test_all_deals_by_amount_and_with_money(big_store: KnowledgeStore) -> None:
    """`deals sort:amount` puts the largest stated amounts first, undisclosed terms last."""
    every = list(big_store.all(Deal))
    by_size = [d.id for d in by_amount(every)]
    assert any(not d.money for d in every)  # the report's deals without amounts
    assert listed(big_store, "deals sort:amount") == by_size
    with_money = [d.id for d in by_amount(d for d in every if d.money)]
    assert listed(big_store, "deals has:money sort:amount") == with_money
    assert listed(big_store, "deals") == [d.id for d in newest_first(every)]


@pytest.mark.parametrize("seed", range(6))
def test_combined_filters_agree_with_a_full_sort(big_store: KnowledgeStore, seed: int) -> None:
    """Random mixes of type, year, area, modality, has:money and sort: list what a sort gives."""
    rng = random.Random(seed)
    every = list(big_store.all(Deal))
    sample = rng.choice([d for d in every if d.date is not None and d.modalities])
    filters = {
        "type": sample.type.value,
        "year": str(sample.date.year) if sample.date else "2024",
        "area": (sample.therapeutic_areas or ("oncology",))[0],
        "modality": sample.modalities[0],
    }
    chosen = dict(rng.sample(sorted(filters.items()), rng.randint(1, 3)))
    sort = rng.choice(["amount", "date"])
    command = " ".join(["deals", *(f"{k}:{v}" for k, v in chosen.items()), f"sort:{sort}"])
    found = big_store.filter_deals(
        deal_type=chosen.get("type"),
        year=int(chosen["year"]) if "year" in chosen else None,
        area=chosen.get("area"),
        modality=chosen.get("modality"),
    )
    ordered = by_amount(found) if sort == "amount" else newest_first(found)
    assert listed(big_store, command) == [d.id for d in ordered], command


def test_a_page_past_the_end_shows_the_last_page(big_store: KnowledgeStore) -> None:
    """`page:999` of a short list shows its last page, as a short list always did."""
    expected = [d.id for d in newest_first(big_store.filter_deals(year=2024, deal_type="newco"))]
    last = ask(big_store, "deals year:2024 type:newco page:999")
    assert last.entity_ids == expected[-(len(expected) % PAGE_SIZE or PAGE_SIZE) :]


def test_prepare_leaves_the_answers_as_they_were(tmp_path: Path) -> None:
    """Preparing a snapshot ahead of its first question changes no answer."""
    write_folder(tmp_path, Scale(deals=300, organisations=60, quotes=5, people=5, assets=20))
    fresh, prepared = load_store(tmp_path), load_store(tmp_path)
    prepare(prepared)
    for command in ("deals sort:amount page:3", "deals type:licence", "deals has:money"):
        assert ask(prepared, command) == ask(fresh, command), command
