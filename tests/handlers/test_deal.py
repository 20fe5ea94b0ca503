"""`deal NAME` and `deals [filters]` over the shipped knowledge."""

from __future__ import annotations

from handlers import ReplyKind
from handlers.reply import ActionKind, Reply
from tests.chat_helpers import Chat


def fact(reply: Reply, label: str) -> str:
    """Return the value of the fact called `label` (empty when absent)."""
    return next((f.value for f in reply.facts if f.label == label), "")


async def test_deal_puhe_is_the_bayer_card(chat: Chat) -> None:
    """`deal Puhe` shows the Bayer–Puhe card: roles, asset with its code, target, source with date."""
    reply = await chat.ask("deal Puhe")
    assert reply.kind == ReplyKind.DEAL
    assert "Bayer" in reply.title
    assert "Puhe" in reply.title
    assert fact(reply, "Licensee") == "Bayer"
    assert "Puhe" in fact(reply, "Licensor")
    assert "PH020" in fact(reply, "Asset")
    assert "BAY3713372" in fact(reply, "Asset").upper()
    assert fact(reply, "Target") == "PRMT5"
    assert reply.sources
    assert reply.sources[0].date == "April 2025"


async def test_deal_by_code_alias_and_asset_name_opens_the_same_card(chat: Chat) -> None:
    """The asset's code, its alias in any case and the asset name all reach the same deal."""
    titles = {
        (await chat.ask(f"deal {name}")).title for name in ("BAY3713372", "bay3713372", "PH020")
    }
    assert len(titles) == 1
    assert "Puhe" in titles.pop()


async def test_deal_tibsovo_card_has_money_date_and_territory(chat: Chat) -> None:
    """The Servier–CStone card shows $44 million, the $6 million condition, December 2023 and Greater China."""
    reply = await chat.ask("deal Servier CStone")
    assert reply.kind == ReplyKind.DEAL
    values = " | ".join(f.value for f in reply.facts)
    assert "$44 million" in values
    assert "$6 million" in values
    assert "transition" in values
    assert fact(reply, "Date") == "December 2023"
    assert fact(reply, "Territory") == "Greater China"


async def test_deal_bayer_lists_several_deals_with_open_buttons(chat: Chat) -> None:
    """`deal Bayer` matches several deals: a compact list whose buttons open each card."""
    reply = await chat.ask("deal Bayer")
    assert reply.kind == ReplyKind.DEAL_LIST
    assert len(reply.items) >= 2
    puhe = next(i for i in reply.items if "Puhe" in i.title)
    assert puhe.action is not None
    assert puhe.action.kind == ActionKind.RUN
    opened = await chat.ask(puhe.action.command)
    assert opened.kind == ReplyKind.DEAL
    assert opened.title == puhe.title


async def test_deal_jnj_pages_through_every_partner(chat: Chat) -> None:
    """`deal J&J` lists every J&J deal across pages, reached through the More button."""
    reply = await chat.ask("deal J&J")
    titles = [i.title for i in reply.items]
    while reply.more is not None:
        reply = await chat.ask(reply.more.command)
        titles += [i.title for i in reply.items]
    joined = " ".join(titles)
    for partner in ("DAC", "XtalPi", "WuXi", "Hitgen", "Kaken", "Yuhan", "Legochem", "Legend"):
        assert partner in joined, partner
    assert len(titles) == len(set(titles))


async def test_deal_typo_is_corrected_and_said(chat: Chat) -> None:
    """`deal Legochen` finds the Legochem LCB84 deal and says which name it understood."""
    reply = await chat.ask("deal Legochen")
    assert reply.kind == ReplyKind.DEAL
    assert "LCB84" in fact(reply, "Asset")
    assert reply.text is not None
    assert "Legochen" in reply.text


async def test_deal_nothing_close_says_so_without_inventing(chat: Chat) -> None:
    """A name that matches nothing gets NOT_FOUND with commands to try, never a made-up deal."""
    reply = await chat.ask("deal Qwertyzyx Pharma")
    assert reply.kind == ReplyKind.NOT_FOUND
    assert "help" in reply.suggestions
    assert not reply.facts
    assert not reply.entity_ids


async def test_deal_newcos_kailera_and_belenos(chat: Chat) -> None:
    """The NewCos Kailera and Belenos each have a card of type NewCo."""
    for name in ("Kailera", "Belenos"):
        reply = await chat.ask(f"deal {name}")
        assert reply.kind == ReplyKind.DEAL, name
        assert fact(reply, "Type") == "NewCo"


async def test_deals_filters_combine(chat: Chat) -> None:
    """`deals modality:ADC partner:J&J` keeps only J&J's ADC deals (DAC and Legochem)."""
    reply = await chat.ask("deals modality:ADC partner:J&J")
    assert reply.kind == ReplyKind.DEAL_LIST
    joined = " ".join(i.title for i in reply.items)
    assert "DAC" in joined
    assert "Legochem" in joined
    assert "XtalPi" not in joined


async def test_deals_year_and_type_filters(chat: Chat) -> None:
    """`deals year:2023` finds the December 2023 Tibsovo deal; `deals type:newco` the two NewCos."""
    year = await chat.ask("deals year:2023")
    assert any("Tibsovo" in i.title for i in year.items)
    newcos = await chat.ask("deals type:newco")
    joined = " ".join(i.title for i in newcos.items)
    assert "Kailera" in joined
    assert "Belenos" in joined


async def test_deals_partner_with_spaces_in_the_name(chat: Chat) -> None:
    """A filter value runs on to the next filter: `deals partner:Johnson & Johnson` works."""
    reply = await chat.ask("deals partner:Johnson & Johnson modality:ADC")
    assert reply.kind == ReplyKind.DEAL_LIST
    assert all("J&J" in i.title for i in reply.items)


async def test_deals_bad_filters_get_a_clear_message(chat: Chat) -> None:
    """A wrong year, unknown type or unknown filter explains the filters instead of failing."""
    for command in ("deals year:soon", "deals type:merger", "deals colour:blue"):
        reply = await chat.ask(command)
        assert reply.kind == ReplyKind.NOT_FOUND, command
        assert reply.text is not None
        assert "modality:" in reply.text


async def test_deals_page_beyond_the_end_shows_the_last_page(chat: Chat) -> None:
    """`deals page:999` shows the last page rather than an empty list."""
    reply = await chat.ask("deals page:999")
    assert reply.kind == ReplyKind.DEAL_LIST
    assert reply.items
    assert reply.more is None
