"""`company NAME` and `person NAME`: a profile with deals, people and quotes."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar, cast

from handlers.commands.quote import quotes_of_entity
from handlers.context import AskContext
from handlers.follow_targets import follow_action
from handlers.format import cite_all, entity_item, name_of, quote_block
from handlers.notfound import corrected_note, not_found
from handlers.open_buttons import open_actions
from handlers.parse import Command, shorten
from handlers.reply import Action, ActionKind, Fact, ListItem, Reply, ReplyKind, Section
from handlers.resolve import deals_for, family_of, newest_first, resolve
from knowledge import KnowledgeStore
from knowledge.models import AnyEntity, Deal, Organisation, Person

MAX_LISTED = 8
MAX_QUOTES = 3

E = TypeVar("E", bound=AnyEntity)


def choice_reply(
    store: KnowledgeStore, query: str, entities: Sequence[AnyEntity], what: str
) -> Reply:
    """Return 'which one did you mean?' with a button per candidate."""
    return Reply(
        kind=ReplyKind.CHOICE,
        title=f"{len(entities)} {what} match “{shorten(query)}”",
        text="Which one did you mean?",
        items=[entity_item(store, e) for e in entities[:MAX_LISTED]],
        shareable=False,
    )


def named_card(
    cmd: Command,
    store: KnowledgeStore,
    model: type[E],
    words: tuple[str, str],
    card: Callable[[KnowledgeStore, E, str | None], Reply],
) -> Reply:
    """Answer `WORD NAME` with the one `model` named: its card, a choice, or 'not in the knowledge'.

    `words` is the command word and its plural: ("company", "companies").
    """
    found = resolve(store, cmd.words, [cast("type[AnyEntity]", model)])
    named = [e for e in found.entities if isinstance(e, model)]
    if not named:
        return not_found(store, words[0], cmd.words, words[0], found.suggestions)
    if len(named) > 1:
        return choice_reply(store, cmd.words, named, words[1])
    return card(store, named[0], corrected_note(cmd.words, found.corrected_to))


def handle_company(cmd: Command, store: KnowledgeStore, ctx: AskContext) -> Reply:
    """Answer `company NAME` with the organisation's profile."""
    del ctx
    return named_card(cmd, store, Organisation, ("company", "companies"), company_profile)


def company_profile(store: KnowledgeStore, org: Organisation, note: str | None = None) -> Reply:
    """Return an organisation's profile: facts, deals, people and quotes."""
    facts = [Fact(label="Type", value=org.type.value)]
    if org.location:
        facts.append(Fact(label="Location", value=org.location))
    if org.place and org.place.label() != org.location:
        facts.append(Fact(label="Based in", value=org.place.label()))
    if org.parent:
        caveat = f" ({org.parent_note})" if org.parent_note else ""
        facts.append(Fact(label="Part of", value=name_of(store, org.parent) + caveat))
    if org.aliases:
        facts.append(Fact(label="Also called", value=", ".join(org.aliases)))
    family = family_of(store, org.id)
    if len(family) > 1:
        facts.append(Fact(label="Includes", value=", ".join(name_of(store, i) for i in family[1:])))
    deals = newest_first(deals_for(store, org))
    people = unique_people(p for i in family for p in store.people_at(i))
    quotes = quotes_of_entity(store, org)
    sections = _lists(store, deals, people, f"deals partner:{org.name}", "company")
    if quotes:  # deals and people lead; what they said follows
        said = [quote_block(store, q) for q in quotes[:MAX_QUOTES]]
        sections.append(Section(heading="What they said", quotes=said))
    text = " ".join(t for t in (note, org.description) if t) or None
    return Reply(
        kind=ReplyKind.COMPANY,
        title=org.name,
        text=text,
        facts=facts,
        sections=sections,
        actions=[
            *open_actions(store, [*([org.parent] if org.parent else []), *family[1:]]),
            follow_action(org),
        ],
        sources=cite_all(store, [org]),
        suggestions=[f"deals partner:{org.name}", f"quote {org.name}"]
        if quotes
        else [f"deals partner:{org.name}"],
        entity_ids=[org.id, *(d.id for d in deals[:MAX_LISTED])],
    )


def handle_person(cmd: Command, store: KnowledgeStore, ctx: AskContext) -> Reply:
    """Answer `person NAME` with the person's profile."""
    del ctx
    return named_card(cmd, store, Person, ("person", "people"), person_profile)


def person_profile(store: KnowledgeStore, person: Person, note: str | None = None) -> Reply:
    """Return a person's profile: roles, their organisations' deals, their quotes."""
    facts = [
        Fact(
            label="Role" if role.current else "Former role",
            value=f"{role.title}, {name_of(store, role.organisation)}",
        )
        for role in person.roles
    ]
    if person.topics:
        facts.append(
            Fact(label="Topics", value=", ".join(name_of(store, t) for t in person.topics))
        )
    orgs = [o for o in (store.get(r.organisation) for r in person.roles if r.current) if o]
    parents = [p for p in (store.get(getattr(o, "parent", None) or "") for o in orgs) if p]
    deals = newest_first(d for o in [*orgs, *parents] for d in deals_for(store, o))
    colleagues = unique_people(p for o in orgs for p in store.people_at(o.id) if p.id != person.id)
    quotes = quotes_of_entity(store, person)
    sections = _lists(store, deals, colleagues, "", "person")
    text = " ".join(t for t in (note, person.bio) if t) or None
    return Reply(
        kind=ReplyKind.PERSON,
        title=person.name,
        text=text,
        facts=facts,
        quotes=[quote_block(store, q) for q in quotes[:MAX_QUOTES]],
        sections=sections,
        sources=cite_all(store, [person]),
        suggestions=[f"quote {person.name}", *(f"company {o.label()}" for o in orgs[:2])],
        entity_ids=[person.id, *(q.id for q in quotes[:MAX_QUOTES])],
    )


def unique_people(people: Iterable[Person]) -> list[Person]:
    """Return people without repeats, in order."""
    seen: dict[str, Person] = {}
    for person in people:
        seen.setdefault(person.id, person)
    return list(seen.values())


def _lists(
    store: KnowledgeStore,
    deals: list[Deal],
    people: list[Person],
    more_deals: str,
    owner: str,
) -> list[Section]:
    sections: list[Section] = []
    if deals:
        heading = "Deals" if owner == "company" else "Deals of their organisation"
        items = [entity_item(store, d) for d in deals[:MAX_LISTED]]
        if len(deals) > MAX_LISTED and more_deals:
            items.append(
                ListItem(
                    title=f"…and {len(deals) - MAX_LISTED} more",
                    action=Action(kind=ActionKind.RUN, label="All deals", command=more_deals),
                )
            )
        sections.append(Section(heading=heading, items=items))
    if people:
        heading = "People" if owner == "company" else "Colleagues"
        sections.append(
            Section(heading=heading, items=[entity_item(store, p) for p in people[:MAX_LISTED]])
        )
    return sections
