"""Comparable deals as a table: one row a deal, the terms as stated, the source of every row."""

from __future__ import annotations

from handlers.format import (
    cite,
    cite_all,
    deal_type_name,
    human_date,
    money_text,
    name_of,
    terms_text,
)
from handlers.paging import more_action, page_note, paginate
from handlers.reply import Action, ActionKind, Cell, Column, Reply, ReplyKind, Table, TableRow
from knowledge import KnowledgeStore
from knowledge.models import Asset, Deal, SourceRef

#: Rows a chat table shows at once (Slack: one block a row, within its 50).
TABLE_PAGE = 10
#: Most rows one export holds: its .xlsx takes about a second to build (off the event loop).
MAX_EXPORT_ROWS = 5_000
COLUMNS = [
    Column(heading="Date"),
    Column(heading="Parties"),
    Column(heading="Type"),
    Column(heading="Asset"),
    Column(heading="Target"),
    Column(heading="Modality"),
    Column(heading="Territory"),
    Column(heading="Terms as stated"),
    Column(heading="Largest amount stated", in_chat=False),
    Column(heading="Currency", in_chat=False),
    Column(heading="That amount is", in_chat=False),
    Column(heading="Date as stated", in_chat=False),
    Column(heading="Deal", in_chat=False),
    Column(heading="Source", in_chat=False),
]


def export_action(filters: str) -> Action:
    """Return the Export button: the same deals as CSV and Excel files."""
    return Action(kind=ActionKind.RUN, label="Export", command=f"export {filters}".strip())


def deal_table(store: KnowledgeStore, deals: list[Deal], name: str = "chinabio-deals") -> Table:
    """Return every deal as a row of typed cells, in the order given."""
    return Table(columns=COLUMNS, rows=[_row(store, d) for d in deals], name=name)


def comps_reply(
    store: KnowledgeStore, deals: list[Deal], title: str, filters: str, page: int
) -> Reply:
    """Return one page of the comparables table, with More and Export buttons."""
    shown, page, pages = paginate(deals, page, TABLE_PAGE)
    base = f"comps {filters}".strip()
    return Reply(
        kind=ReplyKind.COMPS,
        title=f"Comparables: {title[0].lower()}{title[1:]}",
        text=page_note(len(deals), page, pages),
        table=deal_table(store, shown),
        actions=[export_action(filters)],
        more=more_action(base, page, pages),
        sources=cite_all(store, shown),
        entity_ids=[d.id for d in shown],
        command=f"{base} page:{page}" if page > 1 else base,
    )


def export_reply(store: KnowledgeStore, deals: list[Deal], title: str, filters: str) -> Reply:
    """Return every matching deal (up to MAX_EXPORT_ROWS) for the platform to deliver as files."""
    count = f"{len(deals)} deal" + ("" if len(deals) == 1 else "s")
    if len(deals) > MAX_EXPORT_ROWS:
        count = f"The first {MAX_EXPORT_ROWS:,} of {len(deals):,} deals (add filters for the rest)"
    return Reply(
        kind=ReplyKind.EXPORT,
        title=f"Export: {title[0].lower()}{title[1:]}",
        text=f"{count} as CSV and Excel, one row a deal, with the source of each row.",
        table=deal_table(store, deals[:MAX_EXPORT_ROWS], _file_stem(filters)),
        shareable=False,
        entity_ids=[d.id for d in deals],
        command=f"export {filters}".strip(),
    )


def _file_stem(filters: str) -> str:
    words = "".join(c if c.isascii() and c.isalnum() else "-" for c in filters.casefold())
    stem = "-".join(p for p in words.split("-") if p)[:60].strip("-")
    return f"chinabio-deals-{stem}" if stem else "chinabio-deals"


def _row(store: KnowledgeStore, deal: Deal) -> TableRow:
    assets = [a for a in (store.get(i) for i in deal.assets) if isinstance(a, Asset)]
    modalities = deal.modalities or tuple(a.modality for a in assets if a.modality)
    largest = max(deal.money, key=lambda m: m.amount, default=None)
    cells = [
        _date_cell(deal),
        Cell(text=" / ".join(name_of(store, p) for p in deal.party_ids())),
        Cell(text=deal_type_name(deal)),
        Cell(text="; ".join(a.name for a in assets)),
        Cell(text=", ".join(dict.fromkeys(a.target for a in assets if a.target))),
        Cell(text=", ".join(dict.fromkeys(modalities))),
        Cell(text=deal.territory or ""),
        Cell(text=terms_text(deal)),
        Cell(
            text=money_text(largest) if largest else "",
            amount=largest.amount if largest else None,
            currency=largest.currency if largest else None,
        ),
        Cell(text=largest.currency if largest else ""),
        Cell(text=largest.label if largest else ""),
        Cell(text=human_date(deal.date) if deal.date else "not stated"),
        Cell(text=deal.title),
        Cell(text=_sources(store, deal.sources)),
    ]
    return TableRow(
        cells=cells, action=Action(kind=ActionKind.RUN, label="Open", command=f"deal {deal.id}")
    )


def _date_cell(deal: Deal) -> Cell:
    if deal.date is None:
        return Cell(text="not stated")
    return Cell(
        text=human_date(deal.date),
        date=deal.date.earliest(),
        precision=deal.date.precision.value,
    )


def _sources(store: KnowledgeStore, refs: tuple[SourceRef, ...]) -> str:
    texts = []
    for citation in (cite(store, ref) for ref in refs):
        text = ", ".join(p for p in (citation.title, citation.publisher, citation.date) if p)
        texts.append(f"{text} · {citation.locator}" if citation.locator else text)
    return "; ".join(texts)
