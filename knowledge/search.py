"""Ranked full-text search over every entity: SQLite FTS5 with bm25, CJK split into bigrams.

The index is contentless (it keeps only postings, not a copy of the text) and is built on the
first search, by `warm()`, or in a thread from `start()` while the loader builds the other
indexes (the bot's holder does that), so `chinabio validate` never pays for it.
"""

from __future__ import annotations

import itertools
import logging
import re
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

import msgspec

from knowledge.models import AnyEntity

log = logging.getLogger(__name__)

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
_BATCH = 20_000  # rows per insert statement
_KIND_ORDER = ["topic", "trend", "organisation", "asset", "person", "event", "statistic", "deal"]


def bigrams(text: str) -> str:
    """Spell each run of CJK characters as overlapping bigrams, which unicode61 sees as words."""
    if text.isascii():
        return text

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


class _Abandoned(Exception):
    """The snapshot this index was for was dropped before it was built."""


class TextIndex:
    """bm25-ranked search over the names and prose of a fixed list of entities."""

    def __init__(self, entities: Sequence[AnyEntity]) -> None:
        rank = {kind: i for i, kind in enumerate(_KIND_ORDER)}
        self._entities = sorted(entities, key=lambda e: rank.get(e.kind, len(rank)))
        self._db: sqlite3.Connection | None = None
        self._lock = threading.Lock()
        self._builder: threading.Thread | None = None
        self._built: sqlite3.Connection | None = None
        self._abandoned = threading.Event()

    def save(self, path: Path) -> None:
        """Write the built index to an SQLite file (for the snapshot cache)."""
        self.warm()
        target = sqlite3.connect(path)
        try:
            with self._lock:
                assert self._db is not None
                self._db.backup(target)
        finally:
            target.close()

    @classmethod
    def from_file(cls, entities: Sequence[AnyEntity], path: Path) -> TextIndex:
        """Rebuild an index from `save()` over the same entities, in the same order."""
        index = cls(entities)
        source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            db = sqlite3.connect(":memory:", check_same_thread=False)
            source.backup(db)
        finally:
            source.close()
        index._db = db
        return index

    def start(self) -> None:
        """Start building the index in a thread: SQLite does most of the work outside the GIL,
        on the other core, while the loader builds the other indexes."""
        if self._db is None and self._builder is None:
            self._builder = threading.Thread(
                target=self._build_aside, name="fts-build", daemon=True
            )
            self._builder.start()

    def abandon(self) -> None:
        """Stop a build started by `start()` after its current batch (its snapshot is dropped)."""
        self._abandoned.set()

    def _build_aside(self) -> None:
        try:
            self._built = self._build(self._abandoned)
        except _Abandoned:
            pass
        except Exception:  # warm() builds it again where the error can reach the caller
            log.exception("building the full-text index in its thread failed")

    def warm(self) -> None:
        """Build the index now rather than on the first search (or wait for `start()`)."""
        if self._builder is not None:
            self._builder.join()
        with self._lock:
            if self._db is None:
                self._db = self._built or self._build()  # built aside, or that thread failed
                self._built = None

    def _build(self, stop: threading.Event | None = None) -> sqlite3.Connection:
        db = sqlite3.connect(":memory:", check_same_thread=False)
        db.execute(
            "CREATE VIRTUAL TABLE docs USING fts5(names, body, kind, content='', "
            "tokenize='porter unicode61 remove_diacritics 2')"
        )
        # no merging of segments while rows go in (a fifth of the insert time): the final
        # 'optimize' merges them all into one anyway
        db.execute("INSERT INTO docs(docs, rank) VALUES ('automerge', 0)")
        rows = self._rows()
        if sqlite3.sqlite_version_info >= (3, 38):  # JSON functions built in
            # One JSON array per batch makes each batch one statement that runs without the
            # GIL (row by row, a build in a thread waits for the GIL after every row).
            insert = (
                "INSERT INTO docs(rowid, names, body, kind) "
                "SELECT ? + key, value->>0, value->>1, value->>2 FROM json_each(?)"
            )
            for start in range(0, len(self._entities), _BATCH):
                if stop is not None and stop.is_set():
                    raise _Abandoned
                batch = list(itertools.islice(rows, _BATCH))
                db.execute(insert, (start, msgspec.json.encode(batch).decode()))
        else:
            db.executemany(
                "INSERT INTO docs(rowid, names, body, kind) VALUES (?, ?, ?, ?)",
                ((rowid, *row) for rowid, row in enumerate(rows)),
            )
        db.execute("INSERT INTO docs(docs) VALUES ('optimize')")
        db.commit()  # FTS5 keeps some of an open transaction in memory, outside a backup
        return db

    def _rows(self) -> Iterator[tuple[str, str, str]]:
        """Yield (names, body, kind) per entity, in row order."""
        for entity in self._entities:
            names = bigrams(" ".join(entity.names()))
            body = bigrams(" ".join(t for t in entity.text_fields() if t))
            yield names, body, f"k{entity.kind}"

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
