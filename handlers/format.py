"""Turn knowledge entities into Reply pieces: citations, quote blocks, dates, money, names."""

from __future__ import annotations

from collections.abc import Iterable

from handlers.reply import Action, ActionKind, ListItem, QuoteBlock, SourceCitation
from knowledge import KnowledgeStore, normalise
from knowledge.models import (
    AnyEntity,
    Asset,
    CuratorArea,
    Deal,
    Event,
    Money,
    Organisation,
    PartialDate,
    Person,
    Quote,
    Source,
    SourceRef,
    Statistic,
    Topic,
    Trend,
)

_CURRENCY_SIGNS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"}


def deal_type_name(deal: Deal) -> str:
    """Return a deal's type for people: 'licence', 'NewCo', 'equity investment'."""
    return "NewCo" if deal.type.value == "newco" else deal.type.value.replace("-", " ")


def name_of(store: KnowledgeStore, entity_id: str | None) -> str:
    """Return the display name of an entity id (the id itself if it is unknown)."""
    if not entity_id:
        return ""
    entity = store.get(entity_id)
    return entity.label() if entity is not None else entity_id


def place_of(store: KnowledgeStore, organisation_id: str) -> str | None:
    """Return where the source places an organisation ('Hangzhou, China'), if it does."""
    org = store.get(organisation_id)
    return org.place.label() if isinstance(org, Organisation) and org.place else None


def cite(store: KnowledgeStore, ref: SourceRef) -> SourceCitation:
    """Return the citation for a source reference, with the source's date."""
    source = store.get(ref.source)
    if isinstance(source, Source):
        return SourceCitation(
            title=source.title,
            publisher=source.publisher,
            date=source.published.human(),
            locator=ref.locator,
            url=source.url,
        )
    return SourceCitation(title=ref.source, locator=ref.locator)


def cite_all(store: KnowledgeStore, entities: Iterable[AnyEntity]) -> list[SourceCitation]:
    """Return the distinct citations of several entities, in order."""
    seen: dict[tuple[str, str | None], SourceCitation] = {}
    for entity in entities:
        for ref in getattr(entity, "sources", []):
            key = (ref.source, ref.locator)
            if key not in seen:
                seen[key] = cite(store, ref)
    return list(seen.values())


def human_date(date: PartialDate) -> str:
    """Return a date at its own precision, saying so when it was inferred."""
    text = date.human()
    if date.inferred:
        stated = f"; the source says “{date.as_stated}”" if date.as_stated else ""
        return f"{text} (inferred{stated})"
    return text


def money_text(money: Money, *, conditions: bool = True) -> str:
    """Return an amount as the source stated it, or formatted: '$44 million'."""
    amount = money.as_stated or amount_text(money.amount, money.currency)
    return f"{amount} ({money.condition})" if money.condition and conditions else amount


NOT_DISCLOSED = "not disclosed in the source"


def terms_text(deal: Deal) -> str:
    """Return a deal's amounts with what each is, or that the source does not disclose them."""
    if not deal.money:
        return NOT_DISCLOSED
    text = "; ".join(f"{m.label}: {money_text(m)}" for m in deal.money)
    return text[:1].upper() + text[1:]


def number_text(value: float) -> str:
    """Return a figure for people, never in exponent form: '15 billion', '162 million', '33.3'."""
    for size, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if abs(value) >= size:
            scaled = f"{value / size:.2f}".rstrip("0").rstrip(".")
            return f"{scaled} {word}"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def amount_text(amount: float, currency: str) -> str:
    """Return an amount of money for people: '$44 million', 'CNY 2.5 billion'."""
    sign = _CURRENCY_SIGNS.get(currency)
    value = number_text(amount)
    return f"{sign}{value}" if sign else f"{currency} {value}"


def areas_text(areas: Iterable[str], curated: Iterable[CuratorArea]) -> str:
    """Return stated areas, then the curator's marked as such: 'oncology (curator's classification)'."""
    stated = list(dict.fromkeys(areas))
    marked = [
        f"{c.area} (curator's classification: {c.basis})" for c in curated if c.area not in stated
    ]
    return "; ".join([*stated, *marked])


def quote_block(store: KnowledgeStore, quote: Quote) -> QuoteBlock:
    """Return a quote with its speaker, role, organisation and source."""
    organisation = store.get(quote.organisation or "")
    named = [normalise(n) for n in organisation.names()] if organisation is not None else []
    role = normalise(quote.role or "")
    in_role = any(n and n in role for n in named)  # "Head of J&J Innovation" names it already
    return QuoteBlock(
        quote_id=quote.id,
        text=quote.text,
        speaker=name_of(store, quote.speaker),
        role=quote.role,
        organisation=None if in_role else (name_of(store, quote.organisation) or None),
        source=cite(store, quote.sources[0]),
    )


def open_command(entity: AnyEntity) -> str | None:
    """Return the command that shows an entity on its own, if there is one."""
    commands = {
        Deal.kind: "deal",
        Organisation.kind: "company",
        Person.kind: "person",
        Trend.kind: "trend",
        Statistic.kind: "stat",
        Event.kind: "event",
        Asset.kind: "asset",
        Topic.kind: "quote",
        Quote.kind: "quote",
    }
    word = commands.get(entity.kind)
    if word is None:
        return None
    return f"{word} {entity.id}"


def entity_item(store: KnowledgeStore, entity: AnyEntity, label: str = "Open") -> ListItem:
    """Return a list line for any entity, with a button that opens it."""
    command = open_command(entity)
    action = Action(kind=ActionKind.RUN, label=label, command=command) if command else None
    return ListItem(title=entity.label(), subtitle=describe(store, entity), action=action)


def describe(store: KnowledgeStore, entity: AnyEntity) -> str | None:
    """Return a one-line description of an entity for lists."""
    if isinstance(entity, Deal):
        return deal_line(store, entity)
    if isinstance(entity, Organisation):
        return " · ".join(p for p in (entity.type.value, entity.location or "") if p)
    if isinstance(entity, Person):
        return "; ".join(f"{r.title}, {name_of(store, r.organisation)}" for r in entity.roles)
    if isinstance(entity, Quote):
        return f"— {name_of(store, entity.speaker)}"
    if isinstance(entity, Statistic):
        return f"{entity.as_stated} · {entity.period}" if entity.period else entity.as_stated
    if isinstance(entity, Event):
        return " · ".join(p for p in (event_dates(entity), entity.place or "") if p)
    if isinstance(entity, Trend):
        return entity.summary
    if isinstance(entity, Asset):
        return " · ".join(p for p in (entity.target or "", entity.modality or "") if p) or None
    if isinstance(entity, Topic):
        return entity.description
    return None


def deal_line(store: KnowledgeStore, deal: Deal) -> str:
    """Return a deal's gist in one line: what, who in which role, the asset, terms, date."""
    kind = deal_type_name(deal)
    parts = [kind[:1].upper() + kind[1:]]
    by_role: dict[str, list[str]] = {}
    for party in deal.parties:
        by_role.setdefault(_role_word(party.role.value), []).append(
            name_of(store, party.organisation)
        )
    parts.append("; ".join(f"{', '.join(names)} ({role})" for role, names in by_role.items()))
    assets = [name_of(store, a) for a in deal.assets]
    if assets:
        parts.append(", ".join(assets))
    if deal.money:
        parts.append(", ".join(f"{money_text(m, conditions=False)} {m.label}" for m in deal.money))
    else:
        parts.append("terms not disclosed")
    if deal.date is not None:
        parts.append(deal.date.human())
    return " · ".join(parts)


def _role_word(role: str) -> str:
    return {"newco": "NewCo", "linked": "named with it"}.get(role) or role.replace("-", " ")


def event_dates(event: Event) -> str:
    """Return an event's in-person dates: '23 April 2025 – 24 April 2025'."""
    if event.end is None or event.end == event.start:
        return event.start.human()
    return f"{event.start.human()} – {event.end.human()}"
