"""Database calls off the event loop: run on database threads, waited for a bounded time.

A database that accepts connections but never answers (a proxy that stopped forwarding) can hold
a thread forever: the server-side statement timeout never reaches it and TCP keepalives are
answered. So every call made from async code goes through `run_db`, which waits at most `timeout`
seconds and then raises StoreUnavailable, leaving the thread behind. Those threads are daemon
threads of their own small pool: a stuck one never blocks the process from exiting (a
ThreadPoolExecutor joins its threads at exit) nor starves the default executor other work uses.
`refuse_on_event_loop` makes a request that still reaches the engine on the loop fail loudly.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import logging
import queue
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from typing import Any, ParamSpec, TypeVar

from sqlalchemy import Engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from bot.http_log import current_request_id
from handlers.context import StoreUnavailable

log = logging.getLogger(__name__)

T = TypeVar("T")
P = ParamSpec("P")
#: Above the engine's pool size plus overflow (5 + 10), so a full pool of hung connections
#: still leaves a thread to notice the pool timeout.
DB_THREADS = 16
#: Driver errors that mean "the database is not answering", not "this statement is wrong".
OUTAGE_ERRORS = (OperationalError, InterfaceError, PoolTimeout)


class DatabaseOnEventLoop(RuntimeError):
    """A database call was made on the event loop's thread, where it could freeze the server."""


class _DaemonThreads:
    """At most `size` daemon threads running submitted callables in order; idle ones wait."""

    def __init__(self, size: int, name: str) -> None:
        self._size, self._name = size, name
        self._work: queue.SimpleQueue[tuple[Future[Any], Callable[[], Any]]] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._started = 0
        self._idle = 0

    def submit(self, fn: Callable[[], T]) -> Future[T]:
        """Queue `fn`; return the future of its result (cancelled futures are skipped)."""
        future: Future[T] = Future()
        self._work.put((future, fn))
        with self._lock:
            if self._idle == 0 and self._started < self._size:
                self._started += 1
                name = f"{self._name}-{self._started}"
                threading.Thread(target=self._serve, name=name, daemon=True).start()
        return future

    def _serve(self) -> None:
        while True:
            with self._lock:
                self._idle += 1
            future, fn = self._work.get()
            with self._lock:
                self._idle -= 1
            if not future.set_running_or_notify_cancel():
                continue  # its caller stopped waiting before it started
            try:
                result = fn()
            except BaseException as exc:  # handed to the waiting coroutine, which re-raises it
                future.set_exception(exc)
            else:
                future.set_result(result)


_THREADS = _DaemonThreads(DB_THREADS, "db")


async def run_db(timeout: float, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
    """Run `fn(*args, **kwargs)` on a database thread; raise StoreUnavailable after `timeout` s."""
    call = functools.partial(contextvars.copy_context().run, fn, *args, **kwargs)
    try:
        return await asyncio.wait_for(asyncio.wrap_future(_THREADS.submit(call)), timeout)
    except TimeoutError:
        name = getattr(fn, "__qualname__", repr(fn))
        raise StoreUnavailable(f"the database did not answer {name} within {timeout:g} s") from None


@contextmanager
def unavailable_on_outage() -> Iterator[None]:
    """Turn a driver error meaning "the database does not answer" into StoreUnavailable."""
    try:
        yield
    except OUTAGE_ERRORS as exc:
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        raise StoreUnavailable(f"the database is unavailable: {reason}") from exc


def unavailable_when_down(method: Callable[P, T]) -> Callable[P, T]:
    """Decorate a database method so an outage raises StoreUnavailable (what handlers catch)."""

    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        with unavailable_on_outage():
            return method(*args, **kwargs)

    return wrapper


def describe_unreachable(exc: BaseException, url: str, connect_timeout: float) -> str:
    """Return one line for an operator: which database (password hidden), why, what to check."""
    reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    where = make_url(url).render_as_string(hide_password=True)
    return (
        f"cannot open the database {where} ({reason[0] if reason else type(exc).__name__}); "
        f"check DATABASE_URL and that the database answers within "
        f"DATABASE_CONNECT_TIMEOUT={connect_timeout:g} seconds"
    )


def _serving_on_event_loop() -> bool:
    """Return True on the event loop's thread while it serves an HTTP request (or its tasks)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return current_request_id() is not None


def refuse_on_event_loop(engine: Engine) -> None:
    """Make `engine` raise DatabaseOnEventLoop when a request uses it on the event loop's thread."""

    @event.listens_for(engine, "engine_connect")
    def _check(_connection: Any) -> None:
        if _serving_on_event_loop():
            raise DatabaseOnEventLoop(
                "a database call ran on the event loop, where a slow database freezes every "
                "request; run it with bot.db.offload.run_db"
            )
