"""Every deal card's Terms line, areas marked as the curator's, figures never in exponent form."""

from __future__ import annotations

import re

import pytest

from handlers import ReplyKind, answer
from handlers.reply import Reply
from knowledge import KnowledgeStore
from knowledge.models import Deal, Source, Statistic, build
from tests.chat_helpers import Chat

EXPONENT = re.compile(r"\d[eE][+-]?\d")


def fact(reply: Reply, label: str) -> str:
    """Return the value of the fact called `label` (empty when absent)."""
    return next((f.value for f in reply.facts if f.label == label), "")


async def test_every_deal_card_has_a_terms_line(chat: Chat, store: KnowledgeStore) -> None:
    """Each deal's card says its amounts or that the source does not disclose them."""
    for deal in store.all(Deal):
        reply = await chat.ask(f"deal {deal.id}")
        assert reply.kind == ReplyKind.DEAL
        terms = fact(reply, "Terms")
        if deal.money:
            assert all(m.as_stated and m.as_stated in terms for m in deal.money), deal.id
        else:
            assert terms == "not disclosed in the source", deal.id


async def test_terms_line_names_each_amount_with_its_wording(chat: Chat) -> None:
    """The Ji Xing card gives the round and Bayer's part, each with what it is."""
    terms = fact(await chat.ask("deal Ji Xing"), "Terms")
    assert "total equity investment: $162 million" in terms.casefold()
    assert "bayer's contribution: $35 million" in terms.casefold()


async def test_curators_area_is_marked_as_such(chat: Chat) -> None:
    """The LCB84 card says oncology is the curator's classification; the PH020 card states it plainly."""
    lcb84 = fact(await chat.ask("deal LCB84"), "Therapeutic area")
    assert lcb84.startswith("oncology (curator's classification")
    ph020 = fact(await chat.ask("deal PH020"), "Therapeutic area")
    assert ph020 == "oncology"


async def test_a_partys_country_shows_on_the_card(chat: Chat) -> None:
    """A party the source places shows its place: Legochem (Korea), CStone (Shanghai, China)."""
    assert "Legochem Biosciences (Korea)" in fact(await chat.ask("deal LCB84"), "Partner")
    assert "(Shanghai, China)" in fact(await chat.ask("deal Servier CStone"), "Seller")


async def test_status_the_source_does_not_state_gives_its_wording(chat: Chat) -> None:
    """Servier–CStone is not called completed: the card says what the source says instead."""
    status = fact(await chat.ask("deal Servier CStone"), "Status")
    assert status != "completed"
    assert "transition" in status


SOURCE = build(Source, {"id": "r", "title": "R", "publisher": "P", "published": "2025"})


def _money_store(amount: float) -> KnowledgeStore:
    deal = build(
        Deal,
        {
            "id": "big",
            "title": "Big deal",
            "type": "licence",
            "parties": [{"organisation": "nobody", "role": "licensor"}],
            "money": [{"amount": amount, "currency": "USD", "label": "upfront"}],
            "summary": "A deal.",
            "sources": [{"source": "r"}],
        },
    )
    stat = build(
        Statistic,
        {
            "id": "big-figure",
            "title": "Big figure",
            "measure": "money",
            "value": amount,
            "unit": "USD",
            "as_stated": "a lot",
            "sources": [{"source": "r"}],
        },
    )
    return KnowledgeStore.build([SOURCE, deal, stat])


@pytest.mark.parametrize(
    ("amount", "shown"),
    [(35_000_000, "$35 million"), (1_250_000_000, "$1.25 billion"), (750_000, "$750,000")],
)
def test_amounts_without_wording_print_for_people(amount: float, shown: str) -> None:
    """An amount with no as_stated prints as '$35 million', never as 3.5e+07, on card and stat."""
    store = _money_store(amount)
    card = answer("deal big", store)
    assert fact(card, "Terms") == f"Upfront: {shown}"
    stat = answer("stat big-figure", store)
    assert shown in fact(stat, "In numbers")
    for reply in (card, stat):
        assert not EXPONENT.search(" ".join(f.value for f in reply.facts))


async def test_a_figure_stated_twice_shows_its_other_wording(chat: Chat) -> None:
    """The >80% fall says it is also stated as 'more than 80%' for 2022-2024, and back."""
    first = await chat.ask("stat foreign-capital-decline-2024")
    assert "more than 80%" in fact(first, "Also stated as")
    second = await chat.ask("stat foreign-currency-capital-decline-2022-2024")
    assert ">80%" in fact(second, "Also stated as")


async def test_a_figure_card_leads_with_the_figure_as_stated(chat: Chat) -> None:
    """A statistic's card opens with the figure as printed, its period and its source section."""
    reply = await chat.ask("stat foreign-capital-decline-2024")
    first = (reply.text or "").splitlines()[0]
    assert first.startswith(">80%:")
    assert "2024" in first
    assert "I.3" in (reply.text or "")
