"""Ranked full-text search over every entity: SQLite FTS5 with bm25, CJK split into bigrams.

The index is contentless (it keeps only postings, not a copy of the text) and is built on the
first search or by `warm()`, so loading a snapshot does not pay for it unless asked to.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Iterator, Sequence

from knowledge.models import AnyEntity

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]+")
_WORD = re.compile(r"\w+")
_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "has",
        "have",
        "how",
        "in",
        "is",
        "it",
        "of",
        "on",
        "or",
        "that",
        "the",
        "to",
        "was",
        "what",
        "when",
        "which",
        "who",
        "why",
        "with",
        "about",
        "does",
        "do",
        "did",
    ]
)
_NAME_WEIGHT, _BODY_WEIGHT = 4.0, 1.0
#: a query is ranked among at most this many matches (bm25 over 100k rows takes ~200 ms);
#: rows are numbered so topics, trends and organisations come first among them
_CANDIDATES = 2000
_KIND_ORDER = ["topic", "trend", "organisation", "asset", "person", "event", "statistic", "deal"]


def bigrams(text: str) -> str:
    """Spell each run of CJK characters as overlapping bigrams, which unicode61 sees as words."""

    def split(run: re.Match[str]) -> str:
        chars = run.group()
        pairs = [chars[i : i + 2] for i in range(len(chars) - 1)] or [chars]
        return " " + " ".join(pairs) + " "

    return _CJK.sub(split, text)


def _terms(text: str) -> list[str]:
    """Return FTS5 terms for a query: quoted words, and a quoted phrase per CJK run."""
    terms: list[str] = []
    for piece in re.split(f"({_CJK.pattern})", text.casefold()):
        if _CJK.fullmatch(piece):
            terms.append('"' + bigrams(piece).strip() + '"')
        else:
            terms.extend(f'"{w}"' for w in _WORD.findall(piece) if w not in _STOPWORDS)
    return list(dict.fromkeys(terms))


class TextIndex:
    """bm25-ranked search over the names and prose of a fixed list of entities."""

    def __init__(self, entities: Sequence[AnyEntity]) -> None:
        rank = {kind: i for i, kind in enumerate(_KIND_ORDER)}
        self._entities = sorted(entities, key=lambda e: rank.get(e.kind, len(rank)))
        self._db: sqlite3.Connection | None = None
        self._lock = threading.Lock()

    def image(self) -> bytes:
        """Return the built index as SQLite's serialised database (for the snapshot cache)."""
        self.warm()
        with self._lock:
            assert self._db is not None
            return self._db.serialize()

    @classmethod
    def from_image(cls, entities: Sequence[AnyEntity], image: bytes) -> TextIndex:
        """Rebuild an index from `image()` over the same entities, in the same order."""
        index = cls(entities)
        db = sqlite3.connect(":memory:", check_same_thread=False)
        db.deserialize(image)
        index._db = db
        return index

    def warm(self) -> None:
        """Build the index now rather than on the first search."""
        with self._lock:
            if self._db is None:
                self._db = self._build()

    def _build(self) -> sqlite3.Connection:
        db = sqlite3.connect(":memory:", check_same_thread=False)
        db.execute(
            "CREATE VIRTUAL TABLE docs USING fts5(names, body, kind, content='', "
            "tokenize='porter unicode61 remove_diacritics 2')"
        )
        db.executemany(
            "INSERT INTO docs(rowid, names, body, kind) VALUES (?, ?, ?, ?)", self._rows()
        )
        db.execute("INSERT INTO docs(docs) VALUES ('optimize')")
        db.commit()  # FTS5 keeps some of an open transaction in memory, outside serialize()
        return db

    def _rows(self) -> Iterator[tuple[int, str, str, str]]:
        for rowid, entity in enumerate(self._entities):
            names = bigrams(" ".join(entity.names()))
            body = bigrams(" ".join(t for t in entity.text_fields() if t))
            yield rowid, names, body, f"k{entity.kind}"

    def search(
        self, text: str, kinds: set[str] | None, limit: int
    ) -> list[tuple[AnyEntity, float]]:
        """Return (entity, score) best first: entries with every word, then those with some.

        Words matching more than `_CANDIDATES` entries are left out of the any-word pass when
        rarer words exist, so 'oncology licence' does not rank every licence.
        """
        terms = _terms(text)
        if not terms or limit <= 0:
            return []
        self.warm()
        kind_filter = ""
        if kinds:
            kind_filter = " AND kind : (" + " OR ".join(f'"k{k}"' for k in sorted(kinds)) + ")"
        queries = [" AND ".join(terms)]
        if len(terms) > 1:
            rare = [t for t in terms if self._count(t) <= _CANDIDATES]
            queries.append(" OR ".join(rare or terms))
        found: dict[int, float] = {}
        floor = float("inf")
        for query in queries:
            for rowid, rank in self._query(f"({query}){kind_filter}", limit + len(found)):
                if rowid not in found:
                    # entries with only some words never outrank those with all of them
                    found[rowid] = min(-rank, floor)
            floor = min(found.values(), default=floor)
            if len(found) >= limit:
                break
        return [(self._entities[rowid], score) for rowid, score in list(found.items())[:limit]]

    def _count(self, term: str) -> int:
        """Return how many entries hold `term`, counting no further than `_CANDIDATES` + 1."""
        assert self._db is not None
        sql = "SELECT count(*) FROM (SELECT 1 FROM docs WHERE docs MATCH ? LIMIT ?)"
        with self._lock:
            return int(self._db.execute(sql, (term, _CANDIDATES + 1)).fetchone()[0])

    def _query(self, match: str, limit: int) -> list[tuple[int, float]]:
        assert self._db is not None
        sql = (
            "SELECT rowid, score FROM (SELECT rowid, "
            f"bm25(docs, {_NAME_WEIGHT}, {_BODY_WEIGHT}, 0.0) AS score FROM docs "
            "WHERE docs MATCH ? LIMIT ?) ORDER BY score LIMIT ?"
        )
        with self._lock:
            return list(self._db.execute(sql, (match, _CANDIDATES, limit)))
