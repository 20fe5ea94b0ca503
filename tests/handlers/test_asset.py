"""`asset NAME`: owners, target, modality, status, key data with sources, and the deals."""

from __future__ import annotations

from handlers import ReplyKind
from handlers.reply import Reply
from knowledge import KnowledgeStore
from knowledge.models import Asset
from tests.chat_helpers import Chat


def fact(reply: Reply, label: str) -> str:
    """Return the value of the fact called `label` (empty when absent)."""
    return next((f.value for f in reply.facts if f.label == label), "")


def key_data(reply: Reply) -> dict[str, str]:
    """Return the Key data section as label -> text."""
    section = next((s for s in reply.sections if s.heading == "Key data"), None)
    return {f.label: f.value for f in section.facts} if section else {}


async def test_art001_card_gives_its_status_and_trial_data(chat: Chat) -> None:
    """ART001's card: AccurEdit, ATTR, IND approvals from both regulators, orphan status, 90%."""
    reply = await chat.ask("asset ART001")
    assert reply.kind == ReplyKind.ASSET
    assert "AccurEdit" in fact(reply, "Owners")
    assert "ATTR" in fact(reply, "Indications")
    data = key_data(reply)
    assert "National Medical Products Administration" in data["IND approvals"]
    assert "FDA" in data["IND approvals"]
    assert "FDA" in data["Orphan drug designation"]
    assert "90%" in data["Trial data"]
    assert "15 months" in data["Trial data"]
    assert "bayer-co-lab-incubation" in reply.entity_ids
    assert any(s.locator == "II.2 Bayer" for s in reply.sources)


async def test_asset_card_by_code_in_any_case(chat: Chat) -> None:
    """The PH020 card opens by its code in any case and shows the code as the source prints it."""
    reply = await chat.ask("asset bay3713372")
    assert reply.title == "PH020"
    assert fact(reply, "Also called") == "Bay3713372"
    assert fact(reply, "Target") == "PRMT5"
    assert "Puhe" in fact(reply, "Owners")
    assert any(
        i.action and i.action.command == "deal bayer-puhe-ph020"
        for s in reply.sections
        for i in s.items
    )


async def test_curator_area_is_marked_on_the_asset(chat: Chat) -> None:
    """LCB84's oncology is shown as the curator's classification."""
    reply = await chat.ask("asset LCB84")
    assert "curator's classification" in fact(reply, "Therapeutic area")


async def test_every_asset_has_a_card_with_a_source(chat: Chat, store: KnowledgeStore) -> None:
    """Each shipped asset opens by id with a stage line (or 'not stated') and a citation."""
    for asset in store.all(Asset):
        reply = await chat.ask(f"asset {asset.id}")
        assert reply.kind == ReplyKind.ASSET, asset.id
        assert fact(reply, "Stage and status")
        assert reply.sources


async def test_unknown_asset_is_not_in_the_knowledge(chat: Chat) -> None:
    """An asset name nothing matches gets a not-found reply that invents nothing."""
    reply = await chat.ask("asset XQ-99999")
    assert reply.kind == ReplyKind.NOT_FOUND
    assert "XQ-99999" in reply.title


async def test_deal_list_items_carry_a_gist(chat: Chat) -> None:
    """Each deal-list line says the type, parties with roles, the asset and the terms."""
    reply = await chat.ask("deals partner:Bayer")
    lines = {i.action.command: i.subtitle or "" for i in reply.items if i.action}
    puhe = lines["deal bayer-puhe-ph020"]
    assert puhe.startswith("Licence")
    assert "Bayer (licensee)" in puhe
    assert "PH020" in puhe
    assert "terms not disclosed" in puhe
    assert "$162 million" in lines["deal bayer-rtw-ji-xing-investment"]
