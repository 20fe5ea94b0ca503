"""What can be followed: resolve `follow KIND NAME` to a Follow, and say which follows an entity touches."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from handlers.context import Follow
from handlers.memo import remember
from handlers.reply import Action, ActionKind
from handlers.resolve import resolve
from knowledge import KnowledgeStore, normalise
from knowledge.models import (
    AnyEntity,
    Asset,
    Deal,
    Event,
    Organisation,
    Person,
    Quote,
    Statistic,
    Topic,
    Trend,
)

#: The word a user types -> the kind a follow is stored under.
KIND_WORDS: dict[str, str] = {
    "company": "organisation",
    "companies": "organisation",
    "org": "organisation",
    "organisation": "organisation",
    "organization": "organisation",
    "asset": "asset",
    "drug": "asset",
    "programme": "asset",
    "program": "asset",
    "deal": "deal",
    "topic": "topic",
    "person": "person",
    "event": "event",
    "modality": "modality",
    "area": "area",
    "therapeutic-area": "area",
    "country": "country",
}
#: Kinds that name an entity of the knowledge, and its model.
ENTITY_KINDS: dict[str, type[AnyEntity]] = {
    model.kind: model for model in (Organisation, Asset, Deal, Topic, Person, Event)
}
#: Kinds that name a subject word the knowledge uses (no entity of its own).
WORD_KINDS = ("modality", "area", "country")
#: What a kind is called in replies.
KIND_LABELS = {"organisation": "company", "area": "therapeutic area"}
_FUZZY_CUTOFF = 86.0


@dataclass(frozen=True)
class Target:
    """What a name resolved to: a follow, several candidates, or nothing (with suggestions)."""

    follow: Follow | None = None
    choices: list[Follow] = field(default_factory=list)
    corrected_from: str | None = None
    suggestions: list[str] = field(default_factory=list)


def kind_label(kind: str) -> str:
    """Return how a follow kind reads in a sentence: 'company', 'modality'."""
    return KIND_LABELS.get(kind, kind)


def entity_follow(entity: AnyEntity) -> Follow:
    """Return the follow of an entity."""
    return Follow(kind=entity.kind, key=entity.id, label=entity.label())


def follow_command(entity: AnyEntity) -> str:
    """Return the command a Follow button runs for `entity`: 'follow company bayer'."""
    word = "company" if entity.kind == "organisation" else entity.kind
    return f"follow {word} {entity.id}"


def follow_action(entity: AnyEntity) -> Action:
    """Return the Follow button of an entity's card."""
    return Action(kind=ActionKind.RUN, label="Follow", command=follow_command(entity))


def resolve_target(kind: str | None, name: str, store: KnowledgeStore) -> Target:
    """Resolve `name` as a `kind` (any kind when None) the knowledge has."""
    if kind in WORD_KINDS:
        return _resolve_word(kind, name, store)
    models = [ENTITY_KINDS[kind]] if kind in ENTITY_KINDS else list(ENTITY_KINDS.values())
    found = resolve(store, name, models)
    if found.entities:
        follows = list({e.id: entity_follow(e) for e in found.entities}.values())
        if len(follows) == 1:
            return Target(follow=follows[0], corrected_from=name if found.corrected_to else None)
        return Target(choices=follows)
    if kind in (None, "topic"):  # "follow topic oncology": a subject word without a topic entity
        for word_kind in WORD_KINDS:
            target = _resolve_word(word_kind, name, store)
            if target.follow is not None:
                return target
    return Target(suggestions=found.suggestions)


def subject_words(store: KnowledgeStore, kind: str) -> dict[str, str]:
    """Return the knowledge's words of a kind (modality, area, country): normalised -> as written."""

    def build() -> dict[str, str]:
        words: dict[str, str] = {}
        for entity in store.entities.values():
            for word in _words_of(entity, kind):
                if normalise(word):
                    words.setdefault(normalise(word), word)
        return words

    return remember(store, ("follow-subject-words", kind), build)


def _resolve_word(kind: str, name: str, store: KnowledgeStore) -> Target:
    known = subject_words(store, kind)
    key = normalise(name)
    if not key:
        return Target()
    if key in known:
        return Target(follow=Follow(kind=kind, key=key, label=known[key]))
    if len(key) >= 3 and any(key in word for word in known):
        return Target(follow=Follow(kind=kind, key=key, label=name.strip()))
    best = process.extractOne(key, list(known), scorer=fuzz.ratio, score_cutoff=_FUZZY_CUTOFF)
    if best is not None:
        word = best[0]
        return Target(follow=Follow(kind=kind, key=word, label=known[word]), corrected_from=name)
    close = process.extract(key, list(known), scorer=fuzz.WRatio, limit=3, score_cutoff=60)
    return Target(suggestions=[known[c[0]] for c in close])


def _words_of(entity: AnyEntity, kind: str) -> list[str]:
    """Return the subject words of `kind` an entity itself carries."""
    if kind == "modality":
        if isinstance(entity, Deal):
            return list(entity.modalities)
        if isinstance(entity, Asset):
            return [entity.modality] if entity.modality else []
    if kind == "area" and isinstance(entity, Deal | Asset):
        return list(entity.therapeutic_areas)
    if kind == "country":
        if isinstance(entity, Organisation):
            # `place.country` where the knowledge has it (the cards branch adds it), else location
            country = getattr(getattr(entity, "place", None), "country", None)
            return [w for w in (country, entity.location) if isinstance(w, str) and w]
        if isinstance(entity, Deal):
            return [entity.territory] if entity.territory else []
        if isinstance(entity, Statistic):
            return [entity.geography] if entity.geography else []
    return []


def touches(entity: AnyEntity, store: KnowledgeStore) -> frozenset[str]:
    """Return the follow keys ('organisation:bayer', 'modality:adc') a change to `entity` concerns."""
    keys = {f"{entity.kind}:{entity.id}"}
    keys.update(f"topic:{t}" for t in getattr(entity, "topics", ()))
    orgs: list[str] = []
    if isinstance(entity, Deal):
        orgs = entity.party_ids()
        keys.update(f"asset:{a}" for a in entity.assets)
    elif isinstance(entity, Asset):
        orgs = list(entity.owners)
    elif isinstance(entity, Organisation):
        orgs = [entity.parent] if entity.parent else []
    elif isinstance(entity, Person):
        orgs = [r.organisation for r in entity.roles]
    elif isinstance(entity, Quote):
        keys.add(f"person:{entity.speaker}")
        orgs = [entity.organisation] if entity.organisation else []
    elif isinstance(entity, Trend):
        keys.update(f"deal:{d}" for d in entity.deals)
    elif isinstance(entity, Event):
        orgs = [entity.organiser] if entity.organiser else []
        keys.update(f"person:{p}" for p in entity.speakers)
    for org_id in _with_parents(store, orgs):
        keys.add(f"organisation:{org_id}")
        org = store.get(org_id)
        if isinstance(org, Organisation) and isinstance(entity, Deal):
            # a deal is about its parties' countries
            keys.update(f"country:{normalise(w)}" for w in _words_of(org, "country"))
    for kind in WORD_KINDS:
        keys.update(f"{kind}:{normalise(w)}" for w in _words_of(entity, kind) if normalise(w))
    return frozenset(keys)


def _with_parents(store: KnowledgeStore, org_ids: Iterable[str]) -> list[str]:
    """Return the organisations with their parents (a subsidiary's deal is its group's too)."""
    found: list[str] = []
    for org_id in org_ids:
        current: str | None = org_id
        while current is not None and current not in found:
            found.append(current)
            org = store.get(current)
            current = org.parent if isinstance(org, Organisation) else None
    return found


def follow_matcher(follow: Follow) -> Callable[[str], bool]:
    """Return a test of touch keys for `follow`: exact for entities, word containment for subjects."""
    prefix = f"{follow.kind}:"
    if follow.kind not in WORD_KINDS:
        exact = prefix + follow.key
        return lambda touch: touch == exact

    def matches(touch: str) -> bool:
        if not touch.startswith(prefix):
            return False
        word = touch[len(prefix) :]
        return word == follow.key or (len(follow.key) >= 3 and follow.key in word)

    return matches


def touched(follows: Sequence[Follow], keys: Iterable[str]) -> list[Follow]:
    """Return the follows that any of `keys` concerns."""
    keys = list(keys)
    return [f for f in follows if any(map(follow_matcher(f), keys))]
