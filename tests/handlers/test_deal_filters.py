"""`deals country: region: has:money sort:amount area:` and `find_deals` over the shipped knowledge."""

from __future__ import annotations

import pytest

from handlers import ReplyKind
from handlers.commands.deal_list import FilterProblem, find_deals
from knowledge import KnowledgeStore
from tests.chat_helpers import Chat


def ids(reply_ids: list[str]) -> set[str]:
    """Return the ids as a set."""
    return set(reply_ids)


async def test_country_korea_lists_the_two_korean_partnerships(chat: Chat) -> None:
    """`deals country:Korea` lists the Yuhan and Legochem deals, and nothing else."""
    reply = await chat.ask("deals country:Korea")
    assert reply.kind == ReplyKind.DEAL_LIST
    assert ids(reply.entity_ids) == {"jnj-yuhan-lazertinib", "jnj-legochem-lcb84"}
    assert "Korea" in reply.title


async def test_country_accepts_the_adjective_and_the_city(chat: Chat) -> None:
    """'korean' means Korea and `city:Nanjing` finds Legend's deal; 'japanese' finds Kaken's."""
    korean = await chat.ask("deals country:korean")
    assert ids(korean.entity_ids) == {"jnj-yuhan-lazertinib", "jnj-legochem-lcb84"}
    nanjing = await chat.ask("deals city:Nanjing")
    assert nanjing.entity_ids == ["jnj-legend-bcma-car-t"]
    japan = await chat.ask("deals country:japanese")
    assert japan.entity_ids == ["jnj-kaken-kp-723"]


async def test_country_combines_with_partner(chat: Chat) -> None:
    """A country filter narrows a partner filter: J&J's deals with a Japanese party."""
    reply = await chat.ask("deals partner:J&J country:Japan")
    assert reply.entity_ids == ["jnj-kaken-kp-723"]


def test_region_asia_holds_the_korean_japanese_and_chinese_deals(store: KnowledgeStore) -> None:
    """`region:Asia` finds the deals with a party placed in Korea, Japan or China."""
    found = {d.id for d in find_deals(store, {"region": "Asia"})}
    assert {"jnj-yuhan-lazertinib", "jnj-kaken-kp-723", "jnj-hangzhou-dac-adc"} <= found
    assert "bayer-bluerock-acquisition" not in found  # U.S. only


async def test_unknown_country_says_which_places_the_knowledge_has(chat: Chat) -> None:
    """A country no company is placed in is a clear message with places to try."""
    reply = await chat.ask("deals country:Atlantis")
    assert reply.kind == ReplyKind.NOT_FOUND
    assert "Atlantis" in (reply.text or "")
    assert "deals country:Korea" in reply.suggestions


async def test_has_money_sort_amount_puts_the_biggest_first(chat: Chat) -> None:
    """`deals has:money sort:amount` lists only deals with amounts, the $162 million round first."""
    reply = await chat.ask("deals has:money sort:amount")
    assert reply.entity_ids == ["bayer-rtw-ji-xing-investment", "servier-cstone-tibsovo"]


async def test_area_oncology_includes_the_curators_classification(chat: Chat) -> None:
    """`deals area:oncology` finds the Trop2 ADC, EGFR TKI and BCMA CAR-T deals too."""
    reply = await chat.ask("deals area:oncology")
    found = ids(reply.entity_ids)
    stated = {"bayer-puhe-ph020", "servier-cstone-tibsovo", "cstone-agios-tibsovo-licence"}
    classified = {"jnj-legochem-lcb84", "jnj-yuhan-lazertinib", "jnj-legend-bcma-car-t"}
    assert stated | classified <= found


async def test_bad_has_and_sort_values_get_a_clear_message(chat: Chat) -> None:
    """has: and sort: with a value they do not take say what they take."""
    for text, word in (("deals has:unicorns", "has:"), ("deals sort:colour", "sort:")):
        reply = await chat.ask(text)
        assert reply.kind == ReplyKind.NOT_FOUND
        assert word in (reply.text or "")


def test_find_deals_raises_a_readable_problem(store: KnowledgeStore) -> None:
    """`find_deals` with an unreadable filter raises FilterProblem naming it."""
    with pytest.raises(FilterProblem, match="year:"):
        find_deals(store, {"year": "last year"})


def test_find_deals_matches_the_command(store: KnowledgeStore) -> None:
    """`find_deals` returns the deals the `deals` command lists, in its order."""
    found = find_deals(store, {"area": "oncology", "sort": "amount"})
    assert found[0].id == "servier-cstone-tibsovo"
    assert len(found) == len({d.id for d in found})


async def test_a_place_after_deals_is_a_country_filter(chat: Chat) -> None:
    """`deals Korea` means `deals country:Korea`; `deals Bayer` still means partner:Bayer."""
    korea = await chat.ask("deals Korea")
    assert ids(korea.entity_ids) == {"jnj-yuhan-lazertinib", "jnj-legochem-lcb84"}
    bayer = await chat.ask("deals Bayer")
    assert "bayer-puhe-ph020" in bayer.entity_ids


def test_filter_names_are_read_in_any_case(store: KnowledgeStore) -> None:
    """`find_deals` takes {"Country": "Japan"} as country:Japan."""
    assert [d.id for d in find_deals(store, {"Country": "Japan"})] == ["jnj-kaken-kp-723"]
