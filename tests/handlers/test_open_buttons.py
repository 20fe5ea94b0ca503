"""Deal and company cards carry Open buttons for the parties and assets they name."""

from __future__ import annotations

from tests.chat_helpers import Chat


async def test_deal_card_opens_each_party_and_its_asset(chat: Chat) -> None:
    """`deal Puhe` has Open Bayer, Open Puhe Biopharma and Open PH020, each running its command."""
    reply = await chat.ask("deal Puhe")
    opens = {a.label: a.command for a in reply.actions}
    assert opens["Open Bayer"] == "company bayer"
    assert opens["Open Puhe Biopharma"] == "company puhe"
    assert "Open PH020" in opens
    assert not any(s.startswith("company ") for s in reply.suggestions)  # no double offer


async def test_company_card_opens_the_companies_it_names(chat: Chat) -> None:
    """`company Bayer` names Co.Lab and AskBio among its own units: each gets an Open button."""
    reply = await chat.ask("company Bayer")
    commands = [a.command for a in reply.actions]
    assert "company co-lab" in commands
    assert "company askbio" in commands
    assert len([a for a in reply.actions if a.label.startswith("Open ")]) <= 4


async def test_a_subsidiary_opens_its_parent(chat: Chat) -> None:
    """`company Co.Lab` (part of Bayer) has an Open Bayer button."""
    reply = await chat.ask("company Co.Lab")
    assert [a.command for a in reply.actions][:1] == ["company bayer"]
