"""Honest not-found answers, aliases people type (JNJ, J and J, a Chinese name), and leading cards."""

from __future__ import annotations

import pytest

from handlers import ReplyKind, answer
from knowledge import KnowledgeStore
from knowledge.models import Asset, Deal, Organisation, Source, build
from tests.chat_helpers import Chat

REF = [{"source": "report"}]


@pytest.mark.parametrize("text", ["deal Moderna", "deal Sanofi", "company Moderna"])
async def test_unknown_company_is_not_in_the_knowledge_first(chat: Chat, text: str) -> None:
    """An unknown company is said to be not in the knowledge, with no topic offered instead."""
    reply = await chat.ask(text)
    assert reply.kind == ReplyKind.NOT_FOUND
    assert reply.title.endswith("is not in the knowledge")
    shown = " ".join([reply.text or "", *reply.suggestions])
    for topic_word in ("NewCo", "Partnering", "Geopolitics", "Obesity", "Infectious"):
        assert topic_word not in shown


async def test_a_typo_away_is_offered_as_close(chat: Chat) -> None:
    """A name a typo away from a person is offered as close, after saying it is not known."""
    reply = await chat.ask("person Dan Wong")
    assert reply.title == "“Dan Wong” is not in the knowledge"
    assert "Dan Wang" in (reply.text or "")


async def test_cjk_text_that_matches_nothing_says_so(chat: Chat) -> None:
    """Chinese text that names nothing gets 'not in the knowledge', not unrelated deals."""
    for text in ("deal 百济神州", "company 百济神州"):
        reply = await chat.ask(text)
        assert reply.kind == ReplyKind.NOT_FOUND
        assert reply.title == "“百济神州” is not in the knowledge"


async def test_an_entity_of_another_kind_is_pointed_at(chat: Chat) -> None:
    """`company PH020` says PH020 is an asset and offers `asset PH020`."""
    reply = await chat.ask("company PH020")
    assert reply.kind == ReplyKind.NOT_FOUND
    assert "asset" in (reply.text or "")
    assert reply.suggestions[0] == "asset PH020"


@pytest.mark.parametrize("typed", ["jnj", "JNJ", "J and J", "johnson and johnson", "J&J"])
async def test_typed_names_reach_johnson_and_johnson(chat: Chat, typed: str) -> None:
    """The short forms people type reach J&J's profile."""
    reply = await chat.ask(f"company {typed}")
    assert reply.kind == ReplyKind.COMPANY
    assert reply.title == "Johnson & Johnson"


def _store() -> KnowledgeStore:
    source = build(Source, {"id": "report", "title": "R", "publisher": "P", "published": "2025"})
    orgs = [
        build(
            Organisation,
            {"id": "hengrui", "name": "Jiangsu Hengrui", "aliases": ["恒瑞医药"], "type": "pharma"}
            | {"sources": REF},
        ),
        *(
            build(Organisation, {"id": o, "name": o.title(), "type": "pharma", "sources": REF})
            for o in ("alpha", "beta", "gamma")
        ),
    ]
    asset = build(Asset, {"id": "hr-1", "name": "HR-1", "owners": ["hengrui"], "sources": REF})
    deals = [
        build(
            Deal,
            {
                "id": "alpha-hengrui",
                "title": "Alpha licence of HR-1",
                "type": "licence",
                "parties": [
                    {"organisation": "alpha", "role": "licensee"},
                    {"organisation": "hengrui", "role": "licensor"},
                ],
                "assets": ["hr-1"],
                "summary": "Alpha licensed HR-1.",
                "sources": REF,
            },
        ),
        build(
            Deal,
            {
                "id": "beta-gamma",
                "title": "Beta buys Gamma's rights",
                "type": "acquisition-of-rights",
                "parties": [
                    {"organisation": "beta", "role": "acquirer"},
                    {"organisation": "gamma", "role": "seller"},
                    {"organisation": "hengrui", "role": "original-licensor"},
                ],
                "summary": "Beta bought rights Gamma had from Hengrui.",
                "sources": REF,
            },
        ),
    ]
    return KnowledgeStore.build([source, *orgs, asset, *deals])


def test_a_chinese_alias_finds_the_entity() -> None:
    """A Chinese alias added to the fixture reaches the company and its deals."""
    store = _store()
    company = answer("company 恒瑞医药", store)
    assert company.kind == ReplyKind.COMPANY
    assert company.title == "Jiangsu Hengrui"
    deals = answer("deal 恒瑞医药", store)
    assert "alpha-hengrui" in deals.entity_ids


def test_the_deal_a_name_is_the_subject_of_leads() -> None:
    """Hengrui is a party in one deal and only the original licensor in another: its card leads."""
    reply = answer("deal Jiangsu Hengrui", _store())
    assert reply.kind == ReplyKind.DEAL
    assert reply.title == "Alpha licence of HR-1"
    assert "background" in (reply.text or "")
    others = [i for s in reply.sections for i in s.items]
    assert [i.action.command for i in others if i.action] == ["deal beta-gamma"]
