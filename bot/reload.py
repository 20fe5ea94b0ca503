"""Live knowledge reload: watch KNOWLEDGE_DIR (and SIGHUP), swap in the new snapshot when valid.

An invalid edit never reaches users: the holder keeps serving the last good snapshot, each
problem is logged as `file:line: message`, and GET /readyz shows the version and the error.
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

from bot.metrics import record_knowledge_load
from knowledge.reload import KnowledgeHolder, ReloadResult

log = logging.getLogger("bot.reload")

YAML_SUFFIXES = (".yaml", ".yml")
#: Wait this long for a burst of saves (an editor, a `git pull`) to end before reloading.
QUIET_MS = 300
#: Never wait longer than this to reload while files keep changing.
MAX_WAIT_MS = 2000
#: How often to check whether a symlinked KNOWLEDGE_DIR now points elsewhere.
RELINK_CHECK_MS = 2000
#: After the watcher fails (folder removed, too many watches), try again this much later.
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
    ) -> None:
        self.holder = holder
        self.relink_check_ms = relink_check_ms
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
        while not self._stop.is_set():
            # Watch the real folder: when KNOWLEDGE_DIR is a symlink that a deploy tool swaps
            # (git-sync), the watch must move to the new target, so it is checked on every wake.
            target = self.holder.folder.resolve()
            try:
                await self._watch_target(target)
            except Exception as exc:  # keep serving; SIGHUP still reloads
                log.error("watching %s failed (%s); retrying in %.0fs", target, exc, RETRY_SECONDS)
                try:
                    await asyncio.wait_for(self._stop.wait(), RETRY_SECONDS)
                except TimeoutError:
                    continue

    async def _watch_target(self, target: Path) -> None:
        """Reload on changes under `target`; return when the folder now resolves elsewhere."""
        async for changes in awatch(
            target,
            watch_filter=is_knowledge_file,
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
                return
            if changes:
                names = sorted({Path(path).name for _change, path in changes})
                await self.reload(f"changed: {', '.join(names)}")

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
        """Describe the reloads so far, for GET /readyz."""
        return {
            "watching": self._watcher is not None and not self._watcher.done(),
            "reloads": self.reloads,
            "last_reload_at": self.last_reload_at.isoformat() if self.last_reload_at else None,
        }


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
