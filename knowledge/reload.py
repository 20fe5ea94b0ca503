"""Hold the current knowledge snapshot; reload builds a new one and swaps it only when valid."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from knowledge import accel
from knowledge.accel import snapshot_cache
from knowledge.loader import default_dir, load_store, yaml_files
from knowledge.problems import KnowledgeError, Problem
from knowledge.store import KnowledgeStore


@dataclass(frozen=True)
class LoadReport:
    """How the snapshot being served was loaded: from where, how long it took, how big it is."""

    loaded_from: str
    seconds: float
    entities: int

    @classmethod
    def timed(cls, store: KnowledgeStore, started: float) -> LoadReport:
        """Describe `store`, loaded (and its full-text index built) since `started`."""
        seconds = round(time.perf_counter() - started, 3)
        return cls(store.loaded_from, seconds, len(store.entities))

    def __str__(self) -> str:
        return f"{self.entities:,} entities in {self.seconds:.1f} s from the {self.loaded_from}"


@dataclass(frozen=True)
class ReloadResult:
    """What a reload did: the version now served, and the problems if the new YAML was refused."""

    ok: bool
    version: str
    problems: tuple[Problem, ...] = ()


class KnowledgeHolder:
    """The one reference the bot reads the store through. Safe to reload from any thread."""

    def __init__(
        self,
        folder: Path | str | None = None,
        cache_dir: Path | None = None,
        prepare: Callable[[KnowledgeStore], None] | None = None,
    ) -> None:
        """Load `folder`; with `cache_dir`, large folders are cached there (see snapshot_cache).

        `prepare(store)` builds what answers keep per snapshot: in a thread once the first
        snapshot is served (the start does not wait for it), before swapping on each reload.
        """
        self.folder = Path(folder) if folder else default_dir()
        self.cache_dir = cache_dir
        self._prepare = prepare
        self._lock = threading.Lock()
        self._saving = threading.Lock()  # one cache write at a time, in the order they start
        self._saver: threading.Thread | None = None
        started = time.perf_counter()
        self._store = load_store(self.folder, cache_dir, text_now=True)
        self._store.warm()
        self.last_load = LoadReport.timed(self._store, started)
        if prepare is not None:
            threading.Thread(
                target=prepare, args=(self._store,), name="knowledge-prepare", daemon=True
            ).start()
        self._save_aside(self._store)
        self.last_problems: tuple[Problem, ...] = ()

    @property
    def store(self) -> KnowledgeStore:
        return self._store

    def reload(self) -> ReloadResult:
        """Load the folder again; keep serving the old snapshot if the new one is invalid."""
        with self._lock:
            started = time.perf_counter()
            try:
                fresh = load_store(self.folder, self.cache_dir, text_now=True)
            except KnowledgeError as exc:
                self.last_problems = tuple(exc.problems)
                return ReloadResult(False, self._store.version, self.last_problems)
            fresh.warm()  # build the search index before readers can see the snapshot
            if self._prepare is not None:
                self._prepare(fresh)
            self.last_load = LoadReport.timed(fresh, started)
            self._store = fresh
            self.last_problems = ()
            self._save_aside(fresh)
            return ReloadResult(True, fresh.version)

    def wait_for_cache(self, timeout: float | None = None) -> None:
        """Wait until the snapshot cache write started by the last load (if any) is done."""
        if self._saver is not None:
            self._saver.join(timeout)

    def _save_aside(self, store: KnowledgeStore) -> None:
        """Cache a large folder's snapshot for the next start, in a thread: it is served now."""
        if self.cache_dir is None or not accel.is_large(yaml_files(self.folder)):
            return
        self._saver = threading.Thread(
            target=self._save, args=(self.cache_dir, store), name="knowledge-cache", daemon=True
        )
        self._saver.start()

    def _save(self, cache_dir: Path, store: KnowledgeStore) -> None:
        with self._saving:
            if store is self._store:  # a newer snapshot replaced it meanwhile: that one is saved
                snapshot_cache.write(cache_dir, store)
