"""`comps`, `deals … as:table`, `export` and `compare` over the shipped knowledge."""

from __future__ import annotations

import datetime as dt

import pytest

from handlers import ReplyKind, comps_table
from handlers.reply import Reply, Table
from tests.chat_helpers import Chat


def column(table: Table, heading: str) -> list[str]:
    """Return the texts of the column called `heading`."""
    index = [c.heading for c in table.columns].index(heading)
    return [row.cells[index].text for row in table.rows]


def commands(reply: Reply) -> list[str]:
    """Return the commands of the reply's buttons."""
    return [a.command for a in reply.actions] + ([reply.more.command] if reply.more else [])


async def test_comps_lists_the_deals_deals_lists_as_a_table(chat: Chat) -> None:
    """`comps partner:Bayer` has a row for each deal `deals partner:Bayer` finds, with an Open button."""
    listed = await chat.ask("deals partner:Bayer")
    comps = await chat.ask("comps partner:Bayer")
    assert comps.kind == ReplyKind.COMPS
    assert comps.table is not None
    assert [r.action.command for r in comps.table.rows if r.action] == [
        i.action.command for i in listed.items if i.action
    ]
    headings = [c.heading for c in comps.table.columns if c.in_chat]
    assert headings == [
        "Date",
        "Parties",
        "Type",
        "Asset",
        "Target",
        "Modality",
        "Territory",
        "Terms as stated",
    ]
    assert all("Bayer" in parties for parties in column(comps.table, "Parties"))


async def test_terms_are_as_stated_or_not_disclosed(chat: Chat) -> None:
    """Amounts keep the source's wording; a deal without amounts says they are not disclosed."""
    comps = await chat.ask("comps partner:Servier")
    assert comps.table is not None
    terms = column(comps.table, "Terms as stated")
    assert any("$44 million" in t and "$6 million" in t for t in terms)
    assert "not disclosed in the source" in terms


async def test_deals_as_table_is_comps_and_a_bad_view_is_explained(chat: Chat) -> None:
    """`deals … as:table` gives the comps table; `as:pie` is refused with what to write."""
    table = await chat.ask("deals modality:ADC as:table")
    comps = await chat.ask("comps modality:ADC")
    assert table.kind == ReplyKind.COMPS
    assert table.table == comps.table
    bad = await chat.ask("deals as:pie")
    assert bad.kind == ReplyKind.NOT_FOUND
    assert "as: is list or table" in (bad.text or "")


async def test_comps_pages_and_offers_export_of_the_same_filters(chat: Chat) -> None:
    """All deals page at ten rows; More runs page 2, Export runs `export` with the same filters."""
    first = await chat.ask("comps")
    assert first.table is not None
    assert len(first.table.rows) == 10
    assert commands(first) == ["export", "comps page:2"]
    second = await chat.ask("comps page:2")
    assert second.table is not None
    assert not {r.cells[-2].text for r in second.table.rows} & {
        r.cells[-2].text for r in first.table.rows
    }
    filtered = await chat.ask("comps type:licence")
    assert "export type:licence" in commands(filtered)


async def test_deal_lists_carry_an_export_button(chat: Chat) -> None:
    """`deals year:2024` offers Export with the same filters."""
    reply = await chat.ask("deals year:2024")
    assert "export year:2024" in commands(reply)


async def test_comps_takes_every_deals_filter_and_its_errors(chat: Chat) -> None:
    """Unknown filters and companies get the same explanations as `deals`."""
    for text in ("comps colour:blue", "comps partner:Qwertyuiop", "comps year:20x4"):
        assert (await chat.ask(text)).text == (await chat.ask("deals" + text[5:])).text
    assert (await chat.ask("comps year:1999")).kind == ReplyKind.NOT_FOUND


async def test_export_has_every_row_with_typed_dates_amounts_and_sources(chat: Chat) -> None:
    """`export` is not paged; dates keep their precision, amounts are numbers, every row a source."""
    reply = await chat.ask("export")
    listed = await chat.ask("deals")
    assert reply.kind == ReplyKind.EXPORT
    assert reply.table is not None
    assert len(reply.table.rows) == int(listed.title.rsplit("(", 1)[1].rstrip(")"))
    sources = column(reply.table, "Source")
    assert all("Sourcing Biotech Innovation in China" in s for s in sources)
    headings = [c.heading for c in reply.table.columns]
    tibsovo = next(r for r in reply.table.rows if "Tibsovo from CStone" in r.cells[-2].text)
    cells = dict(zip(headings, tibsovo.cells, strict=True))
    assert cells["Date"].date == dt.date(2023, 12, 1)
    assert cells["Date"].precision == "month"
    assert cells["Date as stated"].text == "December 2023"
    assert cells["Largest amount stated"].amount == 44_000_000
    assert cells["Currency"].text == "USD"
    assert cells["That amount is"].text == "purchase price"


async def test_compare_two_companies_side_by_side(chat: Chat) -> None:
    """`compare Bayer Servier`: deals, modalities, areas, terms, people, and what they said."""
    reply = await chat.ask("compare Bayer Servier")
    assert reply.kind == ReplyKind.COMPARISON
    assert reply.table is not None
    assert [c.heading for c in reply.table.columns] == ["", "Bayer", "Servier"]
    rows = {r.cells[0].text: [c.text for c in r.cells[1:]] for r in reply.table.rows}
    assert {"Deals", "Modalities", "Areas", "Terms disclosed", "People"} <= set(rows)
    assert "$44 million" in rows["Terms disclosed"][1]
    assert "Cynthia Wang" in rows["People"][1]
    speakers = {q.speaker for s in reply.sections for q in s.quotes}
    assert "Cynthia Wang" in speakers
    assert all(q.source is not None for s in reply.sections for q in s.quotes)


async def test_compare_reads_vs_and_multiword_names(chat: Chat) -> None:
    """`… vs …`, a comma, or no separator at all: the same two companies, `&` in a name kept."""
    one = await chat.ask("compare Johnson & Johnson vs Bayer")
    two = await chat.ask("compare J&J, Bayer")
    three = await chat.ask("compare Johnson & Johnson Bayer")
    assert three.table == one.table
    assert one.table is not None
    assert two.table is not None
    assert [c.heading for c in one.table.columns] == ["", "Johnson & Johnson", "Bayer"]
    assert one.table == two.table


async def test_compare_two_deals(chat: Chat) -> None:
    """`compare deal Puhe deal Legend` shows both deals' dates, targets and terms side by side."""
    reply = await chat.ask("compare deal Puhe deal Legend")
    assert reply.kind == ReplyKind.COMPARISON
    assert reply.table is not None
    rows = {r.cells[0].text: [c.text for c in r.cells[1:]] for r in reply.table.rows}
    assert rows["Target"] == ["PRMT5", "BCMA"]
    assert rows["Date"] == ["not stated", "2017"]
    assert rows["Terms as stated"] == ["not disclosed in the source"] * 2


async def test_compare_says_what_it_could_not_read(chat: Chat) -> None:
    """One name, an unknown company, an ambiguous deal: each answer says what to write instead."""
    for text in ("compare Bayer", "compare Bayer Qwertyuiop", "compare deal Puhe deal Tibsovo"):
        reply = await chat.ask(text)
        assert reply.kind == ReplyKind.NOT_FOUND, text
        assert "compare Bayer Servier" in (reply.text or ""), text


async def test_a_very_large_export_says_it_holds_the_first_rows(
    chat: Chat, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past MAX_EXPORT_ROWS the export keeps that many rows and says how many matched."""
    everything = await chat.ask("export")
    assert everything.table is not None
    total = len(everything.table.rows)
    monkeypatch.setattr(comps_table, "MAX_EXPORT_ROWS", 2)
    reply = await chat.ask("export")
    assert reply.table is not None
    assert len(reply.table.rows) == 2
    assert (reply.text or "").startswith(f"The first 2 of {total} deals (add filters for the rest)")


async def test_a_full_comps_page_stays_within_slacks_limits(chat: Chat) -> None:
    """A full page of `comps` in Block Kit: ≤ 50 blocks, ten Open buttons, texts ≤ 3,000 chars."""
    message = await chat.slack("comps")
    blocks = message["blocks"]
    assert len(blocks) <= 50
    opens = [b["accessory"] for b in blocks if b.get("accessory", {}).get("type") == "button"]
    assert len(opens) == 10
    assert all(o["value"].startswith("deal ") for o in opens)
    assert all(len(b["text"]["text"]) <= 3000 for b in blocks if b["type"] == "section")


async def test_comps_as_console_text_names_the_columns_and_opens_each_deal(chat: Chat) -> None:
    """The console shows the column legend, a bullet per deal and its open command."""
    text = await chat.text("comps partner:Servier")
    assert (
        "(Date — Parties · Type · Asset · Target · Modality · Territory · Terms as stated)" in text
    )
    assert "→ /chinabio deal servier-cstone-tibsovo" in text
    assert "[Export: /chinabio export partner:Servier]" in text


async def test_compare_quotes_whole_statements_before_fragments(chat: Chat) -> None:
    """What each company's people said starts with whole statements, not two-word fragments."""
    reply = await chat.ask("compare J&J Bayer")
    for section in reply.sections:
        assert section.quotes
        assert len(section.quotes[0].text.split()) >= 8
