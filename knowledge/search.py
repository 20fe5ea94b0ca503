"""Ranked full-text search over every entity: SQLite FTS5 with bm25, CJK split into bigrams.

The index is contentless (it keeps only postings, not a copy of the text) and is built on the
first search, by `warm()`, in a thread from `start()`, or in a thread fed file by file as the
loader reads them (`stream`, what the bot's holder asks for), so `chinabio validate` never
pays for it.
"""

from __future__ import annotations

import logging
import queue
import re
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import msgspec

from knowledge.models import AnyEntity
from knowledge.stopwords import STOPWORDS

log = logging.getLogger(__name__)

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]+")
_WORD = re.compile(r"\w+")
_NAME_WEIGHT, _BODY_WEIGHT = 4.0, 1.0
#: a query is ranked among at most this many matches (bm25 over 100k rows takes ~200 ms);
#: rows are numbered so topics, trends and organisations come first among them
_CANDIDATES = 2000
_BATCH = 5_000  # rows per insert statement
_KIND_ORDER = ["topic", "trend", "organisation", "asset", "person", "event", "statistic", "deal"]
_RANK = {kind: rank for rank, kind in enumerate(_KIND_ORDER)}
_SHIFT = 32  # a row id's high bits are its kind's rank, the low bits its place in that kind
_POSITION = (1 << _SHIFT) - 1

#: entities with their row ids
Placed = list[tuple[int, AnyEntity]]
#: what the loader feeds the `stream` thread: entities to add, then None at the end
_Fed = queue.SimpleQueue[Placed | None]


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
            terms.extend(f'"{w}"' for w in _WORD.findall(piece) if w not in STOPWORDS)
    return list(dict.fromkeys(terms))


def _rowid(rank: int, position: int) -> int:
    """The row id of the entity at `position` among those of kind rank `rank`."""
    return (rank << _SHIFT) | position


def _rows(placed: Placed) -> Iterator[tuple[int, str, str, str]]:
    """Yield (row id, names, body, kind) per entity."""
    for rowid, entity in placed:
        names = " ".join(entity.names())
        body = " ".join(filter(None, entity.text_fields()))
        yield rowid, bigrams(names), bigrams(body), "k" + entity.kind


class _Abandoned(Exception):
    """The snapshot this index was for was dropped before it was built."""


class TextIndex:
    """bm25-ranked search over the names and prose of a fixed list of entities.

    Row ids are `kind rank << 32 | position among that kind's entities`, so rows can be
    numbered as entities arrive (see `stream`) and FTS5, which returns matches in row order,
    still offers topics, trends and organisations first among a common word's many matches.
    """

    def __init__(self, entities: Iterable[AnyEntity] = ()) -> None:
        self._by_rank: list[list[AnyEntity]] = [[] for _ in range(len(_KIND_ORDER) + 1)]
        self._db: sqlite3.Connection | None = None
        self._lock = threading.Lock()
        self._builder: threading.Thread | None = None
        self._built: sqlite3.Connection | None = None
        self._abandoned = threading.Event()
        self._fed: _Fed | None = None
        self._closed = False
        self._place(entities)

    def _place(self, entities: Iterable[AnyEntity]) -> Placed:
        """Number `entities` after those already here; return them with their row ids."""
        placed = []
        for entity in entities:
            rank = _RANK.get(entity.kind, len(_KIND_ORDER))
            of_rank = self._by_rank[rank]
            placed.append((_rowid(rank, len(of_rank)), entity))
            of_rank.append(entity)
        return placed

    def _entity(self, rowid: int) -> AnyEntity:
        return self._by_rank[rowid >> _SHIFT][rowid & _POSITION]

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
        index._closed = True
        return index

    def start(self) -> None:
        """Start building the index in a thread: SQLite does most of the work outside the GIL,
        on the other core, while the loader builds the other indexes."""
        if self._db is None and self._builder is None:
            self._closed = True
            self._builder = threading.Thread(
                target=self._build_aside, args=(None,), name="fts-build", daemon=True
            )
            self._builder.start()

    def stream(self) -> None:
        """Start a thread that indexes entities as `feed` gives them, until `close`.

        The loader feeds each file's entities as it accepts them, so rows go in while later
        files are still being read (a start from the parse cache leaves a core free then).
        """
        if self._db is None and self._builder is None:
            self._fed = queue.SimpleQueue()
            self._builder = threading.Thread(
                target=self._build_aside, args=(self._fed,), name="fts-build", daemon=True
            )
            self._builder.start()

    def feed(self, entities: Iterable[AnyEntity]) -> None:
        """Add entities to the index (rows numbered here, inserted by the `stream` thread)."""
        if self._closed:
            raise RuntimeError("the full-text index was closed: it takes no more entities")
        placed = self._place(entities)
        if self._fed is not None and placed:
            self._fed.put(placed)

    def close(self) -> None:
        """Say that every entity has been fed; the `stream` thread then finishes the index."""
        self._closed = True
        if self._fed is not None:
            self._fed.put(None)
            self._fed = None

    def abandon(self) -> None:
        """Stop a build in its thread after its current batch (its snapshot is dropped)."""
        self._abandoned.set()
        self.close()

    def _build_aside(self, fed: _Fed | None) -> None:
        try:
            self._built = self._build(self._abandoned, fed)
        except _Abandoned:
            pass
        except Exception:  # warm() builds it again where the error can reach the caller
            log.exception("building the full-text index in its thread failed")

    def warm(self) -> None:
        """Build the index now rather than on the first search (or wait for its thread)."""
        self.close()
        if self._builder is not None:
            self._builder.join()
        with self._lock:
            if self._db is None:
                self._db = self._built or self._build()  # built aside, or that thread failed
                self._built = None

    def _build(
        self,
        stop: threading.Event | None = None,
        fed: _Fed | None = None,
    ) -> sqlite3.Connection:
        """Build the index from every entity here, or from what `fed` brings until its end."""
        db = sqlite3.connect(":memory:", check_same_thread=False)
        db.execute(
            "CREATE VIRTUAL TABLE docs USING fts5(names, body, kind, content='', "
            "tokenize='porter unicode61 remove_diacritics 2')"
        )
        # no merging of segments while rows go in (a fifth of the insert time): the final
        # 'optimize' merges them all into one anyway
        db.execute("INSERT INTO docs(docs, rank) VALUES ('automerge', 0)")
        if fed is None:
            self._insert(db, self._every_row(), stop)
        else:
            while (placed := fed.get()) is not None:
                self._insert(db, placed, stop)
        if stop is not None and stop.is_set():
            raise _Abandoned
        db.execute("INSERT INTO docs(docs) VALUES ('optimize')")
        db.commit()  # FTS5 keeps some of an open transaction in memory, outside a backup
        return db

    def _every_row(self) -> Placed:
        return [
            (_rowid(rank, position), entity)
            for rank, of_rank in enumerate(self._by_rank)
            for position, entity in enumerate(of_rank)
        ]

    @staticmethod
    def _insert(db: sqlite3.Connection, placed: Placed, stop: threading.Event | None) -> None:
        """Insert rows for (row id, entity) pairs, `_BATCH` a statement."""
        if sqlite3.sqlite_version_info < (3, 38):  # no JSON functions built in: row by row
            db.executemany(
                "INSERT INTO docs(rowid, names, body, kind) VALUES (?, ?, ?, ?)", _rows(placed)
            )
            return
        # One JSON array per batch makes each batch one statement that runs without the GIL
        # (row by row, a build in a thread waits for the GIL after every row).
        insert = (
            "INSERT INTO docs(rowid, names, body, kind) "
            "SELECT value->>0, value->>1, value->>2, value->>3 FROM json_each(?)"
        )
        for start in range(0, len(placed), _BATCH):
            if stop is not None and stop.is_set():
                raise _Abandoned
            batch = list(_rows(placed[start : start + _BATCH]))
            db.execute(insert, (msgspec.json.encode(batch).decode(),))

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
        found: dict[int, float] = {}
        floor = float("inf")
        for query in self._passes(terms):
            for rowid, rank in self._query(f"({query}){kind_filter}", limit + len(found)):
                if rowid not in found:
                    # entries with only some words never outrank those with all of them
                    found[rowid] = min(-rank, floor)
            floor = min(found.values(), default=floor)
            if len(found) >= limit:
                break
        return [(self._entity(rowid), score) for rowid, score in list(found.items())[:limit]]

    def holds(self, text: str) -> bool:
        """Return True when some entry holds every word of `text` (an index probe, no ranking)."""
        terms = _terms(text)
        if not terms:
            return False
        self.warm()
        assert self._db is not None
        sql = "SELECT 1 FROM docs WHERE docs MATCH ? LIMIT 1"
        with self._lock:
            return self._db.execute(sql, (" AND ".join(terms),)).fetchone() is not None

    def _passes(self, terms: list[str]) -> Iterator[str]:
        """Yield the queries to run in turn: every word, then (if still short) the rarer ones.

        The words are counted only when the first pass did not find enough.
        """
        yield " AND ".join(terms)
        if len(terms) > 1:
            rare = [t for t in terms if self._count(t) <= _CANDIDATES]
            yield " OR ".join(rare or terms)

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
