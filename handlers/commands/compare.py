"""`compare Bayer Servier` and `compare deal A deal B`: two companies or two deals side by side."""

from __future__ import annotations

import re

from handlers.commands.deal import deals_named, status_text
from handlers.commands.profile import unique_people
from handlers.commands.quote import quotes_of_entity, standalone_first
from handlers.context import AskContext
from handlers.format import (
    areas_text,
    cite_all,
    deal_type_name,
    human_date,
    name_of,
    quote_block,
    terms_text,
)
from handlers.parse import Command, shorten
from handlers.reply import (
    Action,
    ActionKind,
    Cell,
    Column,
    Reply,
    ReplyKind,
    Section,
    Table,
    TableRow,
)
from handlers.resolve import deals_for, family_of, newest_first, resolve, spot
from knowledge import KnowledgeStore
from knowledge.models import Asset, Deal, Organisation, Person

#: Words that may stand between the two names: "Bayer vs Servier", "Bayer and Servier".
_BETWEEN = re.compile(r"\s+(?:vs\.?|versus|v\.?|and|with|against|&)\s+|\s*[,;/|]\s*", re.I)
_DEAL_WORD = re.compile(r"(?:^|\s)deal\s+", re.I)
MAX_NAMED = 6  # deals or people named in one cell
QUOTES_EACH = 2
USAGE = "Write two companies (compare Bayer Servier) or two deals (compare deal Puhe deal Legend)."


def handle_compare(cmd: Command, store: KnowledgeStore, ctx: AskContext) -> Reply:
    """Answer `compare A B` with the two companies or deals side by side."""
    del ctx
    text = cmd.words.strip()
    if _DEAL_WORD.match(text) or text.casefold().startswith("deals "):
        return _compare_deals(store, text)
    orgs = _two_companies(store, text)
    if isinstance(orgs, Reply):
        return orgs
    return company_comparison(store, *orgs)


def _problem(title: str, text: str, suggestions: list[str] | None = None) -> Reply:
    return Reply(
        kind=ReplyKind.NOT_FOUND,
        title=title,
        text=f"{text} {USAGE}".strip(),
        suggestions=[*(suggestions or []), "compare Bayer Servier", "help"],
        shareable=False,
    )


def _two_companies(store: KnowledgeStore, text: str) -> tuple[Organisation, Organisation] | Reply:
    """Return the two companies `text` names: spotted by name, else split at 'vs'/'and'/a comma."""
    spotted = [s.entity for s in spot(store, text, [Organisation])]
    orgs = [e for e in spotted if isinstance(e, Organisation)]
    if len(orgs) == 2 and orgs[0].id != orgs[1].id:
        return orgs[0], orgs[1]
    parts = [p for p in _BETWEEN.split(text) if p.strip()]
    names = parts if len(parts) == 2 else [o.name for o in orgs] or parts
    if not text:
        return _problem("Which two companies?", "Name the two after compare.")
    if len(names) != 2:
        counted = f"{len(names)} company name" + ("" if len(names) == 1 else "s")
        return _problem("Which two companies?", f"I found {counted} in “{shorten(text)}”.")
    found: list[Organisation] = []
    for name in names:
        match = resolve(store, name, [Organisation])
        orgs = [e for e in match.entities if isinstance(e, Organisation)]
        if not orgs:
            tries = [f"company {s}" for s in match.suggestions[:3]]
            return _problem(f"“{shorten(name, 40)}” is not a company in the knowledge", "", tries)
        found.append(orgs[0])
    if found[0].id == found[1].id:
        return _problem("Those are the same company", f"Both names mean {found[0].name}.")
    return found[0], found[1]


def company_comparison(store: KnowledgeStore, left: Organisation, right: Organisation) -> Reply:
    """Return two companies side by side: deals, modalities, areas, terms, people and their quotes."""
    sides = [_CompanySide(store, org) for org in (left, right)]
    rows = [
        _row("Deals", [s.deal_names for s in sides]),
        _row("Deal types", [s.types for s in sides]),
        _row("Modalities", [s.modalities for s in sides]),
        _row("Areas", [s.areas for s in sides]),
        _row("Terms disclosed", [s.terms for s in sides]),
        _row("People", [s.people for s in sides]),
    ]
    sections = [
        Section(heading=f"What {org.name}'s people said", quotes=side.quotes)
        for org, side in zip((left, right), sides, strict=True)
        if side.quotes
    ]
    shared = [d for d in sides[0].deals if d.id in {x.id for x in sides[1].deals}]
    text = (
        f"They share {len(shared)} deal{'s' if len(shared) != 1 else ''}: "
        + "; ".join(d.title for d in shared)
        + "."
        if shared
        else "The knowledge has no deal between them."
    )
    return Reply(
        kind=ReplyKind.COMPARISON,
        title=f"{left.name} and {right.name} side by side",
        text=text,
        table=_table([left.name, right.name], rows, "chinabio-compare"),
        sections=sections,
        sources=cite_all(store, [left, right, *sides[0].deals, *sides[1].deals]),
        suggestions=[f"comps partner:{left.name}", f"comps partner:{right.name}"],
        actions=[
            Action(kind=ActionKind.RUN, label=f"Company {o.name}", command=f"company {o.id}")
            for o in (left, right)
        ],
        entity_ids=[left.id, right.id],
    )


class _CompanySide:
    """What one column of a company comparison says."""

    def __init__(self, store: KnowledgeStore, org: Organisation) -> None:
        self.deals = newest_first(deals_for(store, org))
        assets = [a for d in self.deals for a in _assets(store, d)]
        self.deal_names = _listed([d.title for d in self.deals], "none in the knowledge")
        self.types = _listed([deal_type_name(d) for d in self.deals], "")
        self.modalities = _listed(
            [m for d in self.deals for m in d.modalities] + [a.modality or "" for a in assets],
            "not stated",
        )
        stated = [a for d in self.deals for a in d.therapeutic_areas]
        curated = [c for d in self.deals for c in d.curator_areas]
        self.areas = areas_text(stated, curated) or "not stated"
        disclosed = [f"{d.title}: {terms_text(d)}" for d in self.deals if d.money]
        self.terms = _listed(disclosed, "no amounts disclosed in the source")
        family = family_of(store, org.id)
        people: list[Person] = unique_people(p for i in family for p in store.people_at(i))
        self.people = _listed([p.name for p in people], "none in the knowledge")
        said = standalone_first(quotes_of_entity(store, org))
        self.quotes = [quote_block(store, q) for q in said[:QUOTES_EACH]]


def _compare_deals(store: KnowledgeStore, text: str) -> Reply:
    names = [n.strip() for n in _DEAL_WORD.split(" " + text) if n.strip()]
    if len(names) == 1:  # "compare deals A vs B" or "compare deal A, B"
        names = [p for p in _BETWEEN.split(names[0].removeprefix("deals ")) if p.strip()]
    if len(names) != 2:
        counted = f"{len(names)} deal name" + ("" if len(names) == 1 else "s")
        return _problem("Which two deals?", f"I found {counted}.")
    deals: list[Deal] = []
    for name in names:
        match = deals_named(store, name)
        if not match.deals:
            tries = [f"deal {s}" for s in match.suggestions[:3]]
            return _problem(f"No deal matches “{shorten(name, 40)}”", "", tries)
        if len(match.deals) > 1:
            tries = [f"deal {d.id}" for d in match.deals[:3]]
            return _problem(
                f"“{shorten(name, 40)}” matches {len(match.deals)} deals",
                "Name one deal on each side (its id works).",
                tries,
            )
        deals.append(match.deals[0])
    return deal_comparison(store, deals[0], deals[1])


def deal_comparison(store: KnowledgeStore, left: Deal, right: Deal) -> Reply:
    """Return two deals side by side: date, type, parties, asset, target, modality, terms."""
    sides = [left, right]

    def assets(deal: Deal) -> list[Asset]:
        return _assets(store, deal)

    rows = [
        _row("Date", [human_date(d.date) if d.date else "not stated" for d in sides]),
        _row("Type", [deal_type_name(d) for d in sides]),
        _row("Parties", [" / ".join(name_of(store, p) for p in d.party_ids()) for d in sides]),
        _row("Asset", [_listed([a.name for a in assets(d)], "") for d in sides]),
        _row("Target", [_listed([a.target or "" for a in assets(d)], "") for d in sides]),
        _row(
            "Modality",
            [_listed([*d.modalities, *(a.modality or "" for a in assets(d))], "") for d in sides],
        ),
        _row("Areas", [areas_text(d.therapeutic_areas, d.curator_areas) for d in sides]),
        _row("Territory", [d.territory or "" for d in sides]),
        _row("Terms as stated", [terms_text(d) for d in sides]),
        _row("Status", [status_text(d) for d in sides]),
    ]
    return Reply(
        kind=ReplyKind.COMPARISON,
        title="Two deals side by side",
        text=f"Deal 1: {left.title}. Deal 2: {right.title}.",
        table=_table(["Deal 1", "Deal 2"], rows, "chinabio-compare"),
        sources=cite_all(store, sides),
        actions=[
            Action(kind=ActionKind.RUN, label=f"Open deal {i}", command=f"deal {d.id}")
            for i, d in enumerate(sides, start=1)
        ],
        entity_ids=[left.id, right.id],
    )


def _assets(store: KnowledgeStore, deal: Deal) -> list[Asset]:
    return [a for a in (store.get(i) for i in deal.assets) if isinstance(a, Asset)]


def _listed(values: list[str], empty: str) -> str:
    """Return distinct non-empty values, the first few, saying how many more there are."""
    distinct = list(dict.fromkeys(v for v in values if v))
    if not distinct:
        return empty
    shown = "; ".join(distinct[:MAX_NAMED])
    more = len(distinct) - MAX_NAMED
    return f"{shown}; and {more} more" if more > 0 else shown


def _row(label: str, values: list[str]) -> TableRow:
    return TableRow(cells=[Cell(text=label), *(Cell(text=v) for v in values)])


def _table(names: list[str], rows: list[TableRow], stem: str) -> Table:
    columns = [Column(heading=""), *(Column(heading=n) for n in names)]
    return Table(
        columns=columns, rows=[r for r in rows if any(c.text for c in r.cells[1:])], name=stem
    )
