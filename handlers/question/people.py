"""Answer 'who is X', 'who at X', 'who said Y': name the person, with their role and words."""

from __future__ import annotations

from handlers.commands.event import event_card
from handlers.commands.profile import company_profile, person_profile
from handlers.context import AskContext
from handlers.memo import remember
from handlers.parse import tokens
from handlers.question.assets import asset_answer
from handlers.question.entities import Found, events_named_by_word, typed_forms
from handlers.question.honest import first_line, not_in_knowledge
from handlers.question.intent import INVESTOR_WORDS
from handlers.question.quotes import best_quote
from handlers.reply import Reply
from handlers.resolve import family_of, spot
from knowledge import KnowledgeStore, normalise
from knowledge.models import Asset, Event, Organisation, Person, Quote, Source, Statistic

_AUTHOR_WORDS = {
    "wrote",
    "write",
    "author",
    "interviews",
    "interviewed",
    "interviewer",
    "journalist",
}


def who_answer(
    store: KnowledgeStore, text: str, found: Found, ctx: AskContext, profile: bool
) -> Reply | None:
    """Return the person a who-question asks for: named, at a company, or who said something."""
    people, orgs = found.of(Person), found.of(Organisation)
    words = {w.casefold() for w in tokens(text)}
    if people:
        return person_profile(store, people[0])
    events = found.of(Event) or events_named_by_word(store, found.words)
    if events and not orgs:  # "who is speaking at the forum?": its speakers
        return _speakers(store, events[0])
    assets = found.of(Asset)
    if assets:  # "who owns PH020", "who developed Tibsovo": the owners, as the source states them
        return asset_answer(store, assets[0])
    if orgs and profile and not words & _AUTHOR_WORDS:
        return company_profile(store, orgs[0])
    for org in orgs:
        staff = people_of(store, org)
        missing = _role_not_held(found, words, staff, org)
        if staff and missing:  # "who heads R&D at Bayer": nobody there holds that role
            return not_in_knowledge(
                missing,
                person_profile(store, staff[0]),
                understood=f"You asked for a role at {org.label()}; the report names only "
                f"{', '.join(p.name for p in staff)} there.",
            )
        if staff:
            reply = person_profile(store, staff[0])
            if len(staff) > 1:
                names = ", ".join(p.name for p in staff)
                reply = reply.model_copy(
                    update={"text": f"At {org.label()}: {names}. {reply.text}"}
                )
            return _understood(reply, f"You asked who at {org.label()}.")
    if orgs:
        org = orgs[0]
        return not_in_knowledge(
            f"A person at {org.label()}",
            company_profile(store, org),
            understood=f"You asked who at {org.label()}; the report names nobody there.",
        )
    if words & INVESTOR_WORDS and not orgs:  # "which VC was interviewed": the investors' people
        investors = _investors(store)
        if investors:
            reply = person_profile(store, investors[0])
            names = ", ".join(p.name for p in investors)
            return _understood(reply, f"You asked which investor; the report names {names}.")
    if words & _AUTHOR_WORDS:
        author = _author(store)
        if author is not None:
            return _understood(person_profile(store, author), "You asked who wrote the report.")
    figure = _speaker_of_figure(store, found)
    if figure is not None:
        return figure
    return best_quote(store, found, ctx)


#: Role titles a who-question may ask for ("who is the CEO of X"); found in the role or not.
_ROLES = {
    "ceo": "chief executive", "cfo": "chief financial", "cto": "chief technology",
    "coo": "chief operating", "cso": "chief scientific", "cmo": "chief medical",
    "chairman": "chair", "chairwoman": "chair", "president": "president",
}  # fmt: skip
_LEADS = {"head", "heads", "leads", "lead", "runs", "run", "boss", "chief"}


def _role_not_held(found: Found, words: set[str], staff: list[Person], org: Organisation) -> str:
    """Return the role asked for that no one of `staff` holds ("the CEO of X"), or ""."""
    titles = " ".join(r.title for p in staff for r in p.roles).casefold()
    for word in sorted(words & _ROLES.keys()):
        if word not in titles and _ROLES[word] not in titles:
            return f"The {word.upper() if len(word) == 3 else word} of {org.label()}"
    if words & _LEADS and not any(  # "who is the head of JLABS": not J&J Innovation's head
        r.organisation == org.id or org.name.casefold() in r.title.casefold()
        for p in staff
        for r in p.roles
    ):
        return f"The head of {org.label()}"
    return f"The person for “{found.unknown[0]}” at {org.label()}" if found.unknown else ""


def _speakers(store: KnowledgeStore, event: Event) -> Reply:
    """Return an event's speakers, or the sessions of it whose speakers the source names."""
    if event.speakers:
        return _understood(event_card(store, event), f"You asked who speaks at {event.name}.")
    sessions = [e for e in store.all(Event) if e.part_of == event.id and e.speakers]
    if sessions:
        names = "; ".join(
            f"{s.name}: " + ", ".join(p.label() for p in _people(store, s.speakers))
            for s in sessions
        )
        note = f"You asked who speaks at {event.name}. The source names the speakers of: {names}."
        return _understood(event_card(store, sessions[0]), note)
    return first_line(
        event_card(store, event),
        f"The speakers of {event.name} are not stated in the source",
        f"You asked who speaks at {event.name}.",
    )


def _people(store: KnowledgeStore, ids: tuple[str, ...]) -> list[Person]:
    """Return the people with these ids."""
    return [p for p in (store.get(i) for i in ids) if isinstance(p, Person)]


def people_of(store: KnowledgeStore, org: Organisation) -> list[Person]:
    """Return people at an organisation, its subsidiaries or its parent, or whose role names it."""
    seen: dict[str, Person] = {}
    for org_id in family_of(store, org.id):
        for person in store.people_at(org_id):
            seen.setdefault(person.id, person)
    for person in _named_in_roles(store).get(normalise(org.name), []):
        seen.setdefault(person.id, person)
    if not seen and org.parent:
        parent = store.get(org.parent)
        if isinstance(parent, Organisation):
            return people_of(store, parent)
    return list(seen.values())


def _named_in_roles(store: KnowledgeStore) -> dict[str, list[Person]]:
    """Return organisation name (normalised) -> people whose role title names it ("Head of X")."""

    def build() -> dict[str, list[Person]]:
        names = {normalise(o.name) for o in store.all(Organisation) if len(o.name) > 3}
        table: dict[str, list[Person]] = {}
        for person in store.all(Person):
            for role in person.roles:
                words = role.title.split()
                for size in range(1, min(6, len(words)) + 1):
                    for start in range(len(words) - size + 1):
                        name = normalise(" ".join(words[start : start + size]))
                        if name in names and person not in table.get(name, []):
                            table.setdefault(name, []).append(person)
        return table

    return remember(store, "question-people-by-role-name", build)


def _investors(store: KnowledgeStore) -> list[Person]:
    """Return the people at investment firms, built once per snapshot."""

    def build() -> list[Person]:
        firms = [o for o in store.all(Organisation) if o.type.value == "investor"]
        return [p for o in firms for p in store.people_at(o.id)]

    return remember(store, "question-investors", build)


def _author(store: KnowledgeStore) -> Person | None:
    """Return the person who wrote a source, if the knowledge has them."""
    for source in store.all(Source):
        if source.author:
            found = store.lookup(source.author, [Person])
            if found and isinstance(found[0], Person):
                return found[0]
    return None


def _speaker_of_figure(store: KnowledgeStore, found: Found) -> Reply | None:
    """Name the person a figure belongs to ("Cynthia Wang's rating ...")."""
    words = " ".join(found.content)
    if not words:
        return None
    for hit in store.search(words, [Statistic, Quote], limit=1):
        if not isinstance(hit.entity, Statistic):
            return None
        title = hit.entity.title
        for spotted in spot(store, typed_forms(title), [Person]):
            if isinstance(spotted.entity, Person) and spotted.phrase == spotted.entity.name:
                return _understood(person_profile(store, spotted.entity), f"{title}.")
    return None


def _understood(reply: Reply, note: str) -> Reply:
    """Return `reply` with a note of what was understood before its text."""
    return reply.model_copy(update={"text": f"{note} {reply.text or ''}".strip()})


__all__ = ["first_line", "people_of", "who_answer"]
