"""Live knowledge reload: watch KNOWLEDGE_DIR (and SIGHUP), swap in the new snapshot when valid.

An invalid edit never reaches users: the holder keeps serving the last good snapshot, each
problem is logged as `file:line: message`, and GET /readyz shows the version and the error.
When the folder itself goes (`rm -rf` and a fresh copy, a volume remounted), the watcher says
so (log, /readyz, the `chinabio_knowledge_watching` gauge), waits for it to come back, watches
the new folder and reloads it once.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import threading
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from pathlib import Path

from aiohttp import web
from watchfiles import Change, awatch

from bot.metrics import record_knowledge_load, record_knowledge_watching
from knowledge.reload import KnowledgeHolder, ReloadResult

log = logging.getLogger("bot.reload")

YAML_SUFFIXES = (".yaml", ".yml")
#: Wait this long for a burst of saves (an editor, a `git pull`) to end before reloading.
QUIET_MS = 300
#: Never wait longer than this to reload while files keep changing.
MAX_WAIT_MS = 2000
#: How often to check whether a symlinked KNOWLEDGE_DIR now points elsewhere.
RELINK_CHECK_MS = 2000
#: After the watcher fails (folder removed, too many watches), retry with a doubling delay,
#: starting at RELINK_CHECK_MS, up to this.
RETRY_SECONDS = 5.0


def is_knowledge_file(_change: Change, path: str) -> bool:
    """Say whether a change concerns knowledge YAML (not editor swap or backup files)."""
    return path.endswith(YAML_SUFFIXES) and not Path(path).name.startswith(".#")


class KnowledgeReloader:
    """Reload the knowledge on file changes and on SIGHUP, one reload at a time."""

    def __init__(
        self,
        holder: KnowledgeHolder,
        *,
        watch: bool = True,
        quiet_ms: int = QUIET_MS,
        max_wait_ms: int = MAX_WAIT_MS,
        force_polling: bool | None = None,
        relink_check_ms: int = RELINK_CHECK_MS,
        retry_seconds: float = RETRY_SECONDS,
    ) -> None:
        self.holder = holder
        self.relink_check_ms = relink_check_ms
        self.retry_seconds = retry_seconds
        self.watch_files = watch
        self.quiet_ms = quiet_ms
        self.max_wait_ms = max_wait_ms
        self.force_polling = force_polling
        self.last_result: ReloadResult | None = None
        self.last_reload_at: datetime | None = None
        self.reloads = 0
        self._lock = asyncio.Lock()
        self._stop = asyncio.Event()
        self._watcher: asyncio.Task[None] | None = None
        self._pending: set[asyncio.Task[ReloadResult]] = set()
        self._sighup_installed = False
        self._watching = False
        self._not_watching: str | None = "not started"

    async def reload(self, reason: str) -> ReloadResult:
        """Reload now (off the event loop); log what changed or every problem found."""
        async with self._lock:
            before = self.holder.store.version
            result = await asyncio.to_thread(self.holder.reload)
            self.last_result = result
            self.last_reload_at = datetime.now(UTC)
            self.reloads += 1
        if not result.ok:
            log.error(
                "knowledge reload refused (%s): %d problem(s); still serving version %s",
                reason,
                len(result.problems),
                result.version,
                extra={"outcome": "refused", "knowledge_version": result.version},
            )
            for problem in result.problems:
                log.error("%s", problem, extra={"outcome": "refused"})
            return result
        load = self.holder.last_load
        record_knowledge_load(load.seconds, load.entities)  # the snapshot now served
        if result.version != before:
            log.info(
                "knowledge reloaded (%s): version %s -> %s, %s",
                reason,
                before,
                result.version,
                load,
                extra={"outcome": "ok", "knowledge_version": result.version},
            )
        else:
            log.info("knowledge unchanged (%s): version %s", reason, result.version)
        return result

    def reload_soon(self, reason: str) -> None:
        """Schedule a reload from a signal handler or callback."""
        task = asyncio.get_running_loop().create_task(self.reload(reason))
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def _watch(self) -> None:
        """Watch the folder until stopped; when it goes or the watch fails, wait and watch again."""
        delay = first_delay = self.relink_check_ms / 1000
        reload_reason: str | None = None  # set when the folder may have changed unwatched
        while not self._stop.is_set():
            # Watch the real folder: when KNOWLEDGE_DIR is a symlink that a deploy tool swaps
            # (git-sync), the watch must move to the new target, so it is checked on every wake.
            target = self.holder.folder.resolve()
            if target.is_dir():
                self._attached(target)
                try:
                    reload_reason = await self._watch_target(target, reload_reason)
                except Exception as exc:  # keep serving; SIGHUP still reloads
                    self._lost(f"watching {target} failed: {exc}", delay)
                    reload_reason = f"watching {target} again"
                else:  # stopped, relinked (and reloaded), or the folder went
                    delay = first_delay
                    if reload_reason is not None:
                        self._lost(reload_reason, 0)
                    continue
            else:
                self._lost(f"{target} is not a folder (removed or being replaced)", delay)
                reload_reason = f"{target} is back"
            try:
                await asyncio.wait_for(self._stop.wait(), delay)
            except TimeoutError:
                delay = min(delay * 2, self.retry_seconds)
        self._set_watching(False, "stopped")

    async def _watch_target(self, target: Path, reload_reason: str | None) -> str | None:
        """Reload on changes under `target` until it goes; return why, or None (stop, relink).

        With `reload_reason`, reload once the watch runs: the folder may have changed while
        nobody watched it.
        """
        identity, root = _identity(target), str(target)
        async for changes in awatch(
            target,
            # the folder's own events too: its removal ends the watch (its inode may be reused)
            watch_filter=lambda change, path: path == root or is_knowledge_file(change, path),
            stop_event=self._stop,
            step=self.quiet_ms,
            debounce=self.max_wait_ms,
            rust_timeout=self.relink_check_ms,
            yield_on_timeout=True,
            force_polling=self.force_polling,
        ):
            if self.holder.folder.resolve() != target:
                await self.reload(
                    f"{self.holder.folder} now points to {self.holder.folder.resolve()}"
                )
                return None
            if _identity(target) != identity or (Change.deleted, root) in changes:
                return f"{target} was removed or replaced"
            if reload_reason is not None:
                await self.reload(reload_reason)
                reload_reason = None
            elif changes:
                names = sorted({Path(path).name for _change, path in changes})
                await self.reload(f"changed: {', '.join(names)}")
        return None

    def _attached(self, target: Path) -> None:
        """Note that `target` is watched, saying so if it was not."""
        if not self._watching and self._not_watching not in (None, "not started"):
            log.info("watching %s again for knowledge changes", target)
        self._set_watching(True, None)

    def _lost(self, reason: str, retry_in: float) -> None:
        """Note that nothing is watched and why, saying so once."""
        if self._watching or self._not_watching != reason:
            log.warning(
                "not watching the knowledge: %s; still serving version %s, retrying in %.1fs",
                reason,
                self.holder.store.version,
                retry_in,
                extra={"outcome": "not_watching"},
            )
        self._set_watching(False, reason)

    def _set_watching(self, watching: bool, reason: str | None) -> None:
        self._watching, self._not_watching = watching, reason
        record_knowledge_watching(watching)

    async def start(self) -> None:
        """Start watching the folder and listening for SIGHUP."""
        self._stop.clear()
        if self.watch_files:
            self._watcher = asyncio.create_task(self._watch(), name="knowledge-watcher")
            log.info("watching %s for knowledge changes", self.holder.folder)
        if threading.current_thread() is threading.main_thread() and hasattr(signal, "SIGHUP"):
            loop = asyncio.get_running_loop()
            loop.add_signal_handler(signal.SIGHUP, self.reload_soon, "SIGHUP")
            self._sighup_installed = True

    async def stop(self) -> None:
        """Stop watching, stop listening for SIGHUP, and let a reload in progress finish."""
        self._stop.set()
        if self._sighup_installed:
            asyncio.get_running_loop().remove_signal_handler(signal.SIGHUP)
            self._sighup_installed = False
        if self._watcher is not None:
            await self._watcher
            self._watcher = None
        if self._pending:
            await asyncio.gather(*self._pending, return_exceptions=True)

    def status(self) -> dict[str, object]:
        """Describe the watch and the reloads so far, for GET /readyz."""
        running = self._watcher is not None and not self._watcher.done()
        if not self.watch_files:
            reason: str | None = "file watching is off; send SIGHUP to reload"
        elif not running:
            reason = "stopped"
        else:
            reason = self._not_watching
        return {
            "watching": running and self._watching,
            "not_watching_reason": None if running and self._watching else reason,
            "reloads": self.reloads,
            "last_reload_at": self.last_reload_at.isoformat() if self.last_reload_at else None,
        }


def _identity(folder: Path) -> tuple[int, int] | None:
    """Return what tells this folder from a new one at the same path; None if it is gone."""
    try:
        found = folder.stat()
    except OSError:
        return None
    return found.st_dev, found.st_ino


RELOADER_KEY = web.AppKey("knowledge_reloader", KnowledgeReloader)


def attach_knowledge_reload(
    app: web.Application, reloader: KnowledgeReloader
) -> Callable[[web.Application], AsyncIterator[None]]:
    """Start `reloader` with the app and stop it on cleanup."""
    app[RELOADER_KEY] = reloader

    async def knowledge_reload_ctx(_app: web.Application) -> AsyncIterator[None]:
        await reloader.start()
        yield
        await reloader.stop()

    app.cleanup_ctx.append(knowledge_reload_ctx)
    return knowledge_reload_ctx
