"""Names of entities: normalising, exact lookup, and typo-tolerant (fuzzy) lookup.

Fuzzy keys are stored as freshly allocated, contiguous strings: rapidfuzz reads every key
of a kind per query, several times faster when they are not scattered across a large heap.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import chain
from typing import Any

from rapidfuzz import fuzz, process

from knowledge.models import AnyEntity, Quote

_PUNCT = re.compile(r"[\W_]+", re.UNICODE)
_WORD = re.compile(r"\w+")
#: a word in more than this share (at most this many) of one kind's names is too common to match alone
_COMMON_WORD_SHARE = 0.01
_COMMON_WORD_MAX = 20


#: for ASCII text: letters lowered, digits kept, everything else dropped (as `_PUNCT` would)
_ASCII_FOLD = {code: (chr(code).lower() if chr(code).isalnum() else None) for code in range(128)}
#: for ASCII text: letters lowered, digits and _ kept, everything else a space (splits as \w+)
_ASCII_WORDS = {
    code: (chr(code).lower() if chr(code).isalnum() or chr(code) == "_" else " ")
    for code in range(128)
}


def normalise(name: str) -> str:
    """Fold case, width, accents, punctuation and spacing: 'J&J' -> 'jj', 'KP-723' -> 'kp723'."""
    if name.isascii():
        return name.translate(_ASCII_FOLD)
    text = unicodedata.normalize("NFKC", name).casefold()
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return _PUNCT.sub("", text)


def _packed(strings: list[str]) -> list[str]:
    """Return equal strings allocated one after another (normalised keys hold no NUL)."""
    return "\0".join(strings).split("\0") if strings else []


#: the ids under one key: a plain id for the usual single one (a list costs 64 more bytes)
Ids = str | list[str]


def _add(index: dict[str, Ids], keys: list[str], entity_id: str) -> None:
    """Add `entity_id` under each of `keys`, keeping a lone id as a plain string."""
    for key in keys:
        found = index.get(key)
        if found is None:
            index[key] = entity_id
        elif found.__class__ is str:
            index[key] = [found, entity_id]
        else:
            found.append(entity_id)  # type: ignore[union-attr]


def canonical(ids: Ids, canon: dict[str, str]) -> Ids:
    """Return `ids` pointing at the entities' own id strings (`canon`: id -> that id's object).

    Ids read back from JSON are new strings, a million of them at 100k deals.
    """
    if ids.__class__ is str:
        return canon.get(ids, ids)
    return [canon.get(i, i) for i in ids]


def _as_list(ids: Ids) -> list[str]:
    return [ids] if isinstance(ids, str) else ids


@dataclass(frozen=True)
class _Choices:
    """Fuzzy keys of one kind sorted by length, so a query scans only lengths that can match."""

    keys: list[str]
    ids: list[Ids]
    lengths: list[int]

    def extract(self, key: str, limit: int, cutoff: float) -> list[tuple[str, float, int]]:
        """Return (key, score, position) of the best keys scoring at least `cutoff`."""
        # ratio = 200 * common / (len(a) + len(b)) >= cutoff bounds the other length
        low = int(len(key) * cutoff / (200 - cutoff)) if cutoff < 200 else len(key)
        high = int(len(key) * (200 - cutoff) / cutoff) + 1 if cutoff > 0 else 1 << 30
        start = bisect.bisect_left(self.lengths, low)
        stop = bisect.bisect_right(self.lengths, high)
        found = process.extract(
            key, self.keys[start:stop], scorer=fuzz.ratio, limit=limit, score_cutoff=cutoff
        )
        return [(matched, score, start + pos) for matched, score, pos in found]


class NameIndex:
    """Normalised name or alias -> entity ids, with per-kind key lists for typo-tolerant lookup.

    Fuzzy keys are each whole name plus its distinctive words, so 'Legochen' meets 'LegoChem
    Biosciences' through 'legochem' with plain edit-distance scoring (fast, unlike WRatio).
    Build one with `NameIndexBuilder`.
    """

    def __init__(self, exact: dict[str, Ids], by_kind: dict[str, _Choices]) -> None:
        self.exact = exact
        self._by_kind = by_kind

    def state(self) -> dict[str, Any]:
        """Return the index as plain JSON-ready data (for the snapshot cache)."""
        return {
            "exact": self.exact,
            "by_kind": {k: [c.keys, c.ids] for k, c in self._by_kind.items()},
        }

    @classmethod
    def from_state(cls, state: dict[str, Any], canon: dict[str, str]) -> NameIndex:
        """Rebuild an index saved by `state()`, its ids pointed at `canon`'s (see canonical)."""
        exact = {key: canonical(ids, canon) for key, ids in state["exact"].items()}
        by_kind: dict[str, _Choices] = {}
        for kind, (keys, ids) in state["by_kind"].items():
            packed = _packed(keys)
            owners = [canonical(i, canon) for i in ids]
            by_kind[kind] = _Choices(packed, owners, [len(k) for k in packed])
        return cls(exact, by_kind)

    def ids(self, name: str) -> list[str]:
        """Return ids whose name or alias normalises like `name`."""
        return _as_list(self.exact.get(normalise(name), []))

    def close(
        self, name: str, kinds: set[str] | None, limit: int, cutoff: float
    ) -> list[tuple[str, float, str]]:
        """Return (id, score, matched normalised key) of the closest names, best first."""
        key = normalise(name)
        if not key:
            return []
        groups = [c for k, c in self._by_kind.items() if kinds is None or k in kinds]
        found: dict[str, tuple[str, float, str]] = {}
        for choices in groups:
            for matched, score, pos in choices.extract(key, limit * 4, cutoff):
                for entity_id in _as_list(choices.ids[pos]):
                    if entity_id not in found or found[entity_id][1] < score:
                        found[entity_id] = (entity_id, float(score), matched)
        return sorted(found.values(), key=lambda f: (-f[1], f[0]))[:limit]


class NameIndexBuilder:
    """Collects names as entities arrive; `build()` then picks each kind's fuzzy keys.

    The loader adds each file as soon as it is read; the fuzzy keys wait for every name of a
    kind, as a word common to many of them is left out.
    """

    def __init__(self) -> None:
        self._exact: dict[str, Ids] = {}
        self._rows: dict[str, list[tuple[str, list[str]]]] = defaultdict(list)

    def add(self, entities: Iterable[AnyEntity]) -> None:
        """Add the names and aliases of `entities` (inlined: this runs for every entity)."""
        exact, rows, quote = self._exact, self._rows, Quote.kind
        for entity in entities:
            entity_id = entity.id
            names = entity.names()
            if len(names) == 1:  # most entities: one name, nothing to deduplicate
                keys = [key] if (key := normalise(names[0])) else []
            else:
                keys = list(dict.fromkeys(k for k in map(normalise, names) if k))
            _add(exact, keys, entity_id)
            if entity.kind != quote:  # a quote's only name is its id: nobody types it
                rows[entity.kind].append((entity_id, keys + _words(names)))

    def build(self) -> NameIndex:
        """Return the index of every name added."""
        return NameIndex(self._exact, {kind: _choices(rows) for kind, rows in self._rows.items()})


def _words(names: list[str]) -> list[str]:
    """Return the normalised words of multi-word names ('LegoChem Biosciences' -> legochem, ...)."""
    words: list[str] = []
    for name in names:
        if not name.isascii():
            parts = _WORD.findall(name)
            if len(parts) > 1:
                words += [w for w in map(normalise, parts) if len(w) >= 4 and not w.isdigit()]
            continue
        parts = name.translate(_ASCII_WORDS).split()  # the \w+ runs of an ASCII name, lowered
        if len(parts) > 1:
            if "_" in name:  # a word normalises without its underscores
                parts = [w.replace("_", "") for w in parts]
            words += [w for w in parts if len(w) >= 4 and not w.isdigit()]
    return words


def _choices(rows: list[tuple[str, list[str]]]) -> _Choices:
    """Build one kind's fuzzy keys, dropping words common to many of its names."""
    counts = Counter(chain.from_iterable([set(keys) for _, keys in rows]))
    too_common = min(_COMMON_WORD_MAX, max(3, int(len(rows) * _COMMON_WORD_SHARE)))
    common = {key for key, count in counts.items() if count > too_common}
    by_key: dict[str, Ids] = {}
    for entity_id, keys in rows:
        if len(keys) > 1:  # a name itself is kept however common
            keys = [k for k in dict.fromkeys(keys) if k not in common or k == keys[0]]
        _add(by_key, keys, entity_id)
    ordered = sorted(by_key, key=len)  # stable: equal lengths keep file order
    keys = _packed(ordered)
    return _Choices(keys, [by_key[key] for key in ordered], [len(k) for k in keys])
