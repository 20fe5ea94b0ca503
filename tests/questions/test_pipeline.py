"""Plain-word questions answered the way the issue asks: the point first, honest when unknown."""

from __future__ import annotations

from handlers import AskContext, ReplyKind, answer
from knowledge import KnowledgeStore
from knowledge.models import Deal, Organisation, Source, build
from tests.chat_helpers import Chat


async def test_who_at_a_company_names_the_person(chat: Chat) -> None:
    """'who at Bayer talked about Co.Lab?' names Betty Huang, not the incubation deal."""
    reply = await chat.ask("who at Bayer talked about Co.Lab?", mention=True)
    assert reply.kind == ReplyKind.PERSON
    assert reply.title == "Betty Huang"


async def test_status_question_gives_the_assets_regulatory_status(chat: Chat) -> None:
    """'what is the status of ART001?' answers with its IND approvals and orphan designation."""
    reply = await chat.ask("what is the status of ART001?", mention=True)
    assert reply.title.startswith("ART001:")
    assert "orphan" in reply.title
    assert "IND" in reply.title


async def test_deals_signed_in_a_year_filter_by_year(chat: Chat) -> None:
    """'deals signed in 2023' lists the deals of 2023, not a word search."""
    reply = await chat.ask("@chinabio deals signed in 2023")
    assert reply.kind in {ReplyKind.DEAL_LIST, ReplyKind.DEAL}
    assert "servier-cstone-tibsovo" in reply.entity_ids
    assert "2023" in reply.title


async def test_unknown_company_says_so_first(chat: Chat) -> None:
    """A company the report never names gets 'X is not in the knowledge' as the first line."""
    reply = await chat.ask("what deals did Moderna do in China?", mention=True)
    assert reply.title == "“Moderna” is not in the knowledge"
    assert not reply.items
    assert not reply.facts


async def test_money_question_on_a_deal_without_terms_says_not_disclosed(chat: Chat) -> None:
    """'how much did Bayer pay Puhe?' says the terms are not disclosed, and says what it understood."""
    reply = await chat.ask("how much did Bayer pay Puhe?", mention=True)
    assert "not disclosed in the source" in reply.title
    assert reply.text is not None
    assert reply.text.startswith("You asked about the terms of")
    assert "bayer-puhe-ph020" in reply.entity_ids


async def test_money_question_gives_the_amounts_as_stated(chat: Chat) -> None:
    """A deal whose terms the report gives answers with each amount as stated."""
    reply = await chat.ask("how much did Servier pay for Tibsovo?", mention=True)
    assert "$44 million" in reply.title
    assert "$6 million" in reply.title
    assert "e+0" not in reply.title


async def test_figure_question_gives_the_figure_as_stated_with_period_and_source(
    chat: Chat,
) -> None:
    """The fall in foreign capital comes back as '>80%', its year and source, in one line."""
    reply = await chat.ask("how far did foreign capital fall in 2024?", mention=True)
    assert reply.title.startswith(">80%: ")
    assert "2024" in reply.title
    assert "ChinaBio, April 2025" in reply.title
    assert "four-fifths" not in reply.title


async def test_typed_aliases_reach_the_company(chat: Chat) -> None:
    """'jnj', 'J and J' and 'j&j' all mean Johnson & Johnson."""
    for typed in ("jnj legochem deal", "J and J legochem deal", "j&j legochem deal"):
        reply = await chat.ask(typed, mention=True)
        assert "jnj-legochem-lcb84" in reply.entity_ids, typed


async def test_cjk_text_that_matches_nothing_says_so(chat: Chat) -> None:
    """Chinese text naming nothing in the knowledge gets an honest 'not in the knowledge'."""
    reply = await chat.ask("百济神州", mention=True)
    assert reply.title.endswith("is not in the knowledge")


async def test_unanswerable_figure_is_not_replaced_by_another(chat: Chat) -> None:
    """A count the report does not give is not answered with some other figure."""
    reply = await chat.ask("how many biotechs are there in China?", mention=True)
    assert reply.title.endswith("is not in the knowledge")


async def test_a_surname_beside_an_unknown_first_name_is_not_that_person(chat: Chat) -> None:
    """'Jensen Huang' is not Betty Huang: the whole name is not in the knowledge."""
    reply = await chat.ask("who is Jensen Huang?", mention=True)
    assert reply.title == "“Jensen Huang” is not in the knowledge"


async def test_one_unknown_party_is_enough_to_say_so(chat: Chat) -> None:
    """A deal between a known and an unknown company is not answered with another deal."""
    reply = await chat.ask("is there a deal between Novartis and Hengrui?", mention=True)
    assert reply.title == "“Novartis” is not in the knowledge"


async def test_initials_reach_the_organisation(chat: Chat) -> None:
    """'NMPA' reaches the National Medical Products Administration, whose initials it is."""
    reply = await chat.ask("what is the NMPA?", mention=True)
    assert reply.title == "National Medical Products Administration"


async def test_compared_figures_share_the_first_line(chat: Chat) -> None:
    """Two figures compared both appear, as stated, in the first line."""
    reply = await chat.ask("RMB vs foreign capital decline", mention=True)
    assert "50-60%" in reply.title
    assert ">80%" in reply.title


async def test_a_who_question_about_a_deal_names_its_parties(chat: Chat) -> None:
    """'who are the parties in the Belenos NewCo?' answers with the deal and its parties."""
    reply = await chat.ask("who are the parties in the Belenos NewCo?", mention=True)
    assert reply.kind == ReplyKind.DEAL
    assert {"keymed", "genor"} <= set(reply.entity_ids)


async def test_a_short_quote_is_given_when_the_question_repeats_it(chat: Chat) -> None:
    """A fragment is no answer on its own, but 'who said X' gets X when X is that fragment."""
    reply = await chat.ask("who said innovation is not a monopoly?", mention=True)
    assert reply.quotes[0].speaker == "Dan Wang"
    assert reply.quotes[0].text == "Innovation is not a monopoly."


async def test_a_region_in_words_is_the_region_filter(chat: Chat) -> None:
    """'european deals' lists the deals with a party in Europe (Servier, France)."""
    reply = await chat.ask("european deals", mention=True)
    assert reply.kind == ReplyKind.DEAL_LIST
    assert "servier-cstone-tibsovo" in reply.entity_ids


async def test_a_modality_in_words_is_the_modality_filter(chat: Chat) -> None:
    """'small molecule deals' lists the deals whose modality is a small molecule."""
    reply = await chat.ask("small molecule deals", mention=True)
    assert reply.kind == ReplyKind.DEAL_LIST
    assert "bayer-puhe-ph020" in reply.entity_ids
    assert "jnj-legochem-lcb84" not in reply.entity_ids


def _store_with_a_chinese_alias() -> KnowledgeStore:
    ref = [{"source": "report"}]
    return KnowledgeStore.build(
        [
            build(Source, {"id": "report", "title": "R", "publisher": "P", "published": "2025"}),
            build(
                Organisation,
                {"id": "hengrui", "name": "Jiangsu Hengrui", "type": "pharma", "sources": ref}
                | {"aliases": ["恒瑞医药"]},
            ),
            build(Organisation, {"id": "alpha", "name": "Alpha", "type": "pharma", "sources": ref}),
            build(
                Deal,
                {
                    "id": "alpha-hengrui",
                    "title": "Alpha licence from Hengrui",
                    "type": "licence",
                    "parties": [
                        {"organisation": "alpha", "role": "licensee"},
                        {"organisation": "hengrui", "role": "licensor"},
                    ],
                    "summary": "Alpha licensed an asset from Hengrui.",
                    "sources": ref,
                },
            ),
        ]
    )


def test_a_chinese_alias_inside_a_chinese_question_finds_the_company() -> None:
    """'恒瑞医药的交易' (Hengrui's deals), written without spaces, reaches Hengrui."""
    store = _store_with_a_chinese_alias()
    reply = answer("@chinabio 恒瑞医药的交易", store, AskContext(is_mention=True))
    assert "hengrui" in reply.entity_ids
    assert "not in the knowledge" not in reply.title
    deals = answer("@chinabio 恒瑞医药 deals", store, AskContext(is_mention=True))
    assert "alpha-hengrui" in deals.entity_ids
