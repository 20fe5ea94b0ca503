"""Find every entity a question names (names, aliases, close spellings) and the names it does not know."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TypeVar

from rapidfuzz import fuzz

from handlers.memo import remember
from handlers.parse import tokens
from handlers.resolve import Spotted, spot
from handlers.words import CUE_WORDS, STOPWORDS, words_of
from knowledge import KnowledgeStore, Match
from knowledge.models import AnyEntity, Asset, Deal, Event, Organisation, Person, Topic

E = TypeVar("E", Person, Organisation, Asset, Deal, Topic, Event)
_KINDS: list[type[AnyEntity]] = [Person, Organisation, Asset, Deal, Topic, Event]
#: Typos are looked for among these names (not deal titles: too many, and typed in full rarely).
_TYPO_KINDS: list[type[AnyEntity]] = [Person, Organisation, Asset, Topic, Event]
_PREFERRED: list[type] = [Asset, Organisation, Person, Event, Topic, Deal]
#: Ways people type a name that the knowledge spells otherwise (J&J is "J&J" there).
_TYPED_FORMS = (
    (re.compile(r"\b(?:j\s*(?:and|&|\+|n)\s*j|jnj|jj)\b", re.IGNORECASE), "J&J"),
    (re.compile(r"(\w)['’]s\b"), r"\1"),  # possessives: "Bayer's deal" names Bayer
    (re.compile(r"\bAPAC\b", re.IGNORECASE), "Asia-Pacific"),
)
#: A close spelling at least this good is taken as the name meant (lazertnib -> Lazertinib).
_FUZZY_SCORE = 85.0
#: A close spelling at least this good is offered as "close names" when none is taken.
_NEAR_SCORE = 80.0
#: Words that steer a question or describe a filter; never a name the knowledge lacks.
QUESTION_WORDS = (
    CUE_WORDS
    | words_of(
        "who whos what whats which when where why how is are was were did does do can list show "
        "give tell me about any all the deals deal compare vs versus between difference status "
        "stage approved approval data target targets indication indications owns own owner "
        "developed originally make makes company companies firm firms biggest largest "
        "recent latest newest most disclosed amount amounts money size happened happen signed "
        "total price cost invest invested investment round put went into done doing interviewed "
        "people person quoted talked talk speak speaks runs run head handles from with in of "
        "pls please right now thing stuff asia us u.s american korean korea japanese japan "
        "chinese china french france german germany shanghai hangzhou nanjing one far long many "
        "big rate rated rating share percent ever wrote author interviews reduce cut fall fell "
        "drop dropped decline use used year years day daily month anniversary version bar "
        "follow-up cross held like mentioned mention mentions discussed covered info information "
        "anything something asia asian apac europe european involve involving involved partner "
        "partnered w"
    )
    | words_of(  # months name a date; the year beside them filters ("deals in dec 2023")
        "january february march april june july august september october november december "
        "jan feb mar apr jun jul aug sep sept oct nov dec"
    )
)


_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_EVENT_NOUNS = words_of("forum conference panel keynote summit meeting congress")


@dataclass(frozen=True)
class Found:
    """The entities a question names, in the order typed, and the name-like words nothing matches."""

    spotted: list[Spotted] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)  # phrases as typed: "Moderna", "Tim Cook"
    content: list[str] = field(default_factory=list)  # other words worth ranking by
    words: list[str] = field(default_factory=list)  # every word but filler, names included
    close: list[str] = field(default_factory=list)  # names close to an unknown word, not taken

    def of(self, kind: type[E]) -> list[E]:
        """Return the named entities of one kind."""
        found: list[E] = []
        for spotted in self.spotted:
            if isinstance(spotted.entity, kind):
                found.append(spotted.entity)
        return found

    @property
    def entities(self) -> list[AnyEntity]:
        """Return every named entity."""
        return [s.entity for s in self.spotted]


def _cjk_names(store: KnowledgeStore) -> list[tuple[str, AnyEntity]]:
    """Return (name, entity) for every name written in CJK script, longest first, per snapshot."""

    def build() -> list[tuple[str, AnyEntity]]:
        found = [
            (name, entity)
            for kind in _KINDS
            for entity in store.all(kind)
            for name in entity.names()
            if _CJK.search(name)
        ]
        return sorted(found, key=lambda pair: -len(pair[0]))

    return remember(store, "question-cjk-names", build)


def _cjk_names_in(store: KnowledgeStore, text: str, seen: set[str]) -> list[Spotted]:
    """Return the entities whose CJK names appear inside `text` ("恒瑞医药的交易" names 恒瑞医药)."""
    found: list[Spotted] = []
    rest = text
    for name, entity in _cjk_names(store):
        if name in rest and entity.id not in seen:
            seen.add(entity.id)
            found.append(Spotted(entity, name))
            rest = rest.replace(name, " ")
    return found


def typed_forms(text: str) -> str:
    """Return `text` with common typed forms of names rewritten the way the knowledge spells them."""
    for pattern, replacement in _TYPED_FORMS:
        text = pattern.sub(replacement, text)
    return text


def find_entities(store: KnowledgeStore, text: str) -> Found:
    """Return the entities `text` names, the words that name nothing, and the words to rank by."""
    text = typed_forms(text)
    spotted = spot(store, text, _KINDS)
    if _CJK.search(text):  # Chinese is written without spaces: find the names inside the run
        spotted += _cjk_names_in(store, text, {s.entity.id for s in spotted})
    named_words = {w.casefold() for s in spotted for w in tokens(s.phrase)}
    cjk_named = [s.phrase for s in spotted if _CJK.search(s.phrase)]
    rest = [
        w
        for w in tokens(text)
        if (k := w.casefold()) not in named_words
        and k not in STOPWORDS
        and not k.isdigit()
        and not any(name in w for name in cjk_named)
    ]
    seen = {s.entity.id for s in spotted}
    unknown_words: list[str] = []
    content: list[str] = []
    near: list[str] = []
    for word in rest:
        folded = word.casefold()
        if folded in QUESTION_WORDS or _swapped_question_word(folded):
            continue
        if store.holds(word):  # a word of the knowledge: content to rank by, not a typo
            short = _by_first_word(store, word) or _by_first_name(store, word)  # "CEC", "irene"
            if short is not None and short.id not in seen:
                seen.add(short.id)
                spotted.append(Spotted(short, word))
                continue
            content.append(word)
            continue
        matches = _typos(store, word)
        close = _meant(word, matches) or _by_initials(store, word)
        if close is not None:
            if close.id not in seen:
                seen.add(close.id)
                spotted.append(Spotted(close, word))
            continue
        near += [m.entity.label() for m in matches]
        content.append(word)
        unknown_words.append(word)
    spotted, unknown = _names_nothing_matches(text, spotted, unknown_words, content)
    near += _sharing_a_first_word(store, unknown)  # "WuXi AppTec": WuXi Advanced Therapies
    words = [w for w in tokens(text) if w.casefold() not in STOPWORDS]
    return Found(spotted, unknown, content, words, list(dict.fromkeys(near)))


def _swapped_question_word(word: str) -> bool:
    """Return True for a question word typed with two letters swapped ("dael", "qoute")."""
    for i in range(len(word) - 1):
        if word[i] != word[i + 1]:
            swapped = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
            if swapped in QUESTION_WORDS:
                return True
    return False


def _initials(store: KnowledgeStore) -> dict[str, AnyEntity]:
    """Return organisations by the initials of their name ("NMPA"), built once per snapshot."""

    def build() -> dict[str, AnyEntity]:
        table: dict[str, AnyEntity] = {}
        for org in store.all(Organisation):
            parts = [w for w in org.name.split() if w[:1].isupper()]
            if len(parts) >= 3:
                table.setdefault("".join(w[0] for w in parts).casefold(), org)
        return table

    return remember(store, "question-initials", build)


def _first_words(store: KnowledgeStore) -> dict[str, list[AnyEntity]]:
    """Return organisations by the first word of their name, built once per snapshot."""

    def build() -> dict[str, list[AnyEntity]]:
        table: dict[str, list[AnyEntity]] = {}
        for org in store.all(Organisation):
            first = org.name.split()[0]
            if first.isupper() and " " in org.name:
                table.setdefault(first.casefold(), []).append(org)
        return table

    return remember(store, "question-first-words", build)


def _by_first_word(store: KnowledgeStore, word: str) -> AnyEntity | None:
    """Return the one organisation whose name starts with this all-capitals word ("CEC")."""
    if len(word) < 3 or not (word.isupper() or word.islower()):  # "CEC", "cec"; not "Cec"
        return None
    found = _first_words(store).get(word.casefold(), [])
    return found[0] if len(found) == 1 else None


def _first_names(store: KnowledgeStore) -> dict[str, list[AnyEntity]]:
    """Return people by their first name (folded), built once per snapshot."""

    def build() -> dict[str, list[AnyEntity]]:
        table: dict[str, list[AnyEntity]] = {}
        for person in store.all(Person):
            parts = person.name.split()
            if len(parts) > 1:
                table.setdefault(parts[0].casefold(), []).append(person)
        return table

    return remember(store, "question-first-names", build)


def _sharing_a_first_word(store: KnowledgeStore, phrases: list[str]) -> list[str]:
    """Return the organisations whose name starts with the first word of a name not known."""

    def build() -> dict[str, list[str]]:
        table: dict[str, list[str]] = {}
        for org in store.all(Organisation):
            if " " in org.name:
                table.setdefault(org.name.split()[0].casefold(), []).append(org.label())
        return table

    table = remember(store, "question-org-first-words", build)
    return [n for p in phrases if " " in p for n in table.get(p.split()[0].casefold(), [])]


def _by_first_name(store: KnowledgeStore, word: str) -> AnyEntity | None:
    """Return the one person whose first name this is ("irene" for Irene Hong), if only one."""
    found = _first_names(store).get(word.casefold(), []) if len(word) >= 3 else []
    return found[0] if len(found) == 1 else None


def _by_initials(store: KnowledgeStore, word: str) -> AnyEntity | None:
    """Return the organisation an all-capitals word abbreviates, if one does."""
    if not (3 <= len(word) <= 6 and word.isupper() and word.isalpha()):
        return None
    return _initials(store).get(word.casefold())


def _typos(store: KnowledgeStore, word: str) -> list[Match]:
    """Return the names `word` may be a typo of, closest first (whole names, not their parts)."""
    if len(word) < 5:
        return []
    folded = word.casefold()
    matches = store.fuzzy(word, _TYPO_KINDS, limit=3, cutoff=_NEAR_SCORE)
    return [
        m
        for m in matches
        if max(fuzz.ratio(folded, n.casefold()) for n in m.entity.names()) >= _NEAR_SCORE
    ]


def _meant(word: str, matches: list[Match]) -> AnyEntity | None:
    """Return the one entity a typo surely means (lazertnib -> Lazertinib), if one is that close."""
    folded = word.casefold()
    sure = [
        m
        for m in matches
        if max(fuzz.ratio(folded, n.casefold()) for n in m.entity.names()) >= _FUZZY_SCORE
    ]
    if not sure:
        return None
    # a code and its deal ("lazertinib", "lazertinib deal") score alike: take the thing itself
    best = [m for m in sure if m.score >= sure[0].score - 1.0]
    return min(best, key=lambda m: _PREFERRED.index(type(m.entity))).entity


def _names_nothing_matches(
    text: str, spotted: list[Spotted], unknown_words: list[str], content_words: list[str]
) -> tuple[list[Spotted], list[str]]:
    """Join unknown words into the phrases typed; a lone surname beside one is part of that name."""
    if not unknown_words:
        return spotted, []
    words = tokens(text)
    folded = [w.casefold() for w in words]
    unknown_at = {i for i, w in enumerate(words) if w in unknown_words}
    # "Jensen Huang": "Huang" alone is an alias of Betty Huang, but here it ends another name.
    kept: list[Spotted] = []
    for s in spotted:
        phrase = s.phrase.casefold()
        at = [i for i, w in enumerate(folded) if w == phrase]
        beside = any(i - 1 in unknown_at or i + 1 in unknown_at for i in at)
        if beside and isinstance(s.entity, Person) and " " not in s.phrase:
            unknown_at |= set(at)
        else:
            kept.append(s)
    # "Zai Lab": a known word right beside an unknown one belongs to the same name
    content = {w.casefold() for w in content_words}
    grown = set(unknown_at)
    for i in sorted(unknown_at):
        j = i + 1
        while j < len(words) and folded[j] in content and j not in grown:
            grown.add(j)
            j += 1
        j = i - 1  # "WuXi AppTec": a capitalised known word before it starts the same name
        while j >= 0 and folded[j] in content and words[j][:1].isupper() and j not in grown:
            grown.add(j)
            j -= 1
    unknown_at = grown
    phrases: list[str] = []
    run: list[str] = []
    for i, word in enumerate(words):
        if i in unknown_at:
            run.append(word)
        elif run:
            phrases.append(" ".join(run))
            run = []
    if run:
        phrases.append(" ".join(run))
    return kept, phrases


def events_named_by_word(store: KnowledgeStore, words: list[str]) -> list[Event]:
    """Return the one event whose name holds an event word of the question ("the forum")."""
    wanted = {w.casefold() for w in words} & _EVENT_NOUNS
    events = [e for e in store.all(Event) if wanted & {w.casefold() for w in tokens(e.name)}]
    return events if len(events) == 1 else []
