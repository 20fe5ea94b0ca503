"""A TCP proxy that relays to a real server until told to stall: a database that hangs.

While stalled it still accepts connections but relays no byte in either direction, so clients
see what a dead load balancer or a frozen database shows them: an open socket that never answers.
It runs its own event loop on a daemon thread, so it keeps behaving even when the code under test
blocks the test's event loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from types import TracebackType

CHUNK = 65536


class StallingProxy:
    """Relay 127.0.0.1:<port> to upstream; `stall()` stops relaying, `resume()` starts again."""

    def __init__(self, upstream_host: str = "127.0.0.1", upstream_port: int = 5432) -> None:
        self.upstream = (upstream_host, upstream_port)
        self.port = 0
        self.connections = 0
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._relaying = asyncio.Event()
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    def start(self) -> StallingProxy:
        """Listen on a free loopback port, relaying."""
        self._thread.start()
        self._call(self._start()).result(timeout=5)
        return self

    def stall(self) -> None:
        """Stop relaying: connections stay open (and new ones are accepted) but go silent."""
        self._call(self._set(False)).result(timeout=5)

    def resume(self) -> None:
        """Relay again, including whatever was held back while stalled."""
        self._call(self._set(True)).result(timeout=5)

    def close(self) -> None:
        """Close every connection and the listening socket; stop the proxy's thread."""
        if self._thread.is_alive():
            self._call(self._close()).result(timeout=5)
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=5)

    def __enter__(self) -> StallingProxy:
        return self.start()

    def __exit__(
        self, _t: type[BaseException] | None, _e: BaseException | None, _tb: TracebackType | None
    ) -> None:
        self.close()

    def _call(self, coro: object) -> asyncio.Future[None]:
        return asyncio.run_coroutine_threadsafe(coro, self._loop)  # type: ignore[arg-type]

    async def _start(self) -> None:
        self._relaying.set()
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _set(self, relaying: bool) -> None:
        if relaying:
            self._relaying.set()
        else:
            self._relaying.clear()

    async def _close(self) -> None:
        if self._server is not None:
            self._server.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _accept(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)  # type: ignore[arg-type]
        self.connections += 1
        upstream_w: asyncio.StreamWriter | None = None
        try:
            await self._relaying.wait()  # a stalled proxy never even reaches the server
            upstream_r, upstream_w = await asyncio.open_connection(*self.upstream)
            await asyncio.gather(self._pipe(client_r, upstream_w), self._pipe(upstream_r, client_w))
        except (OSError, asyncio.CancelledError):
            pass
        finally:
            for writer in (client_w, upstream_w):
                if writer is not None:
                    writer.close()
            self._tasks.discard(task)  # type: ignore[arg-type]

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while True:
            await self._relaying.wait()
            data = await reader.read(CHUNK)
            if not data:
                with contextlib.suppress(OSError):
                    writer.write_eof()
                return
            await self._relaying.wait()  # bytes read just before a stall are held back too
            writer.write(data)
            await writer.drain()
