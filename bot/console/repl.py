"""The console adapter: a terminal chat like Hubot's shell, answering exactly as Slack would.

Type `/chinabio deal Puhe` for a command or `@chinabio any quote from Irene Hong?` for a mention;
anything else is treated as a direct message. `exit`, `quit` or end of input leaves.

Other parts of the bot attach to a running console through `hooks`: each hook is an async
callable given the `ConsoleSession` once the console's event loop runs (`session.deps` holds the
knowledge and the database, `session.out` the terminal, `session.ctx.subscriptions` may be set to
a subscription book). A hook may return a stop callable, awaited when the console exits: this is
where the digest scheduler attaches.
"""

from __future__ import annotations

import asyncio
import inspect
import sys
import threading
from collections.abc import Awaitable, Callable, Sequence
from typing import TextIO

from sqlalchemy.exc import SQLAlchemyError

from bot.answering import answer_in_time
from bot.curation.misses import MissLog, answer_signal
from bot.db.engine import DatabaseSetupError
from bot.db.offload import describe_unreachable
from bot.deps import Deps
from bot.export_files import exports_folder, write_export
from bot.plaintext import render_text
from bot.settings import Settings
from handlers import AskContext, Reply, ReplyKind
from handlers.curation import is_miss
from handlers.parse import clean
from knowledge import KnowledgeError

PROMPT = "you> "
#: Seconds the console waits, on exit, for the misses still being stored.
MISS_FLUSH_WAIT = 2.0
EXIT_WORDS = frozenset({"exit", "quit", "/exit", "/quit", ":q"})

Stop = Callable[[], Awaitable[None] | None]
ConsoleHook = Callable[["ConsoleSession"], Awaitable[Stop | None]]


class ConsoleSession:
    """One terminal conversation: the knowledge, the asker's context and a thread-safe output."""

    def __init__(self, deps: Deps, out: TextIO) -> None:
        self.deps = deps
        self.out = out
        self.ctx = AskContext(platform="console", user_id="console-user", conversation_id="console")
        self._lock = threading.Lock()
        #: Stores the misses in the background, as Slack and Teams do (None: no database).
        self.misses = MissLog(deps.curation) if deps.curation is not None else None

    def write(self, text: str, end: str = "\n") -> None:
        """Print `text` (from the chat loop or a background job) without interleaving."""
        with self._lock:
            self.out.write(text + end)
            self.out.flush()

    def post(self, reply: Reply, heading: str = "chinabio") -> None:
        """Show a reply as the bot's message; an export's files are written and their paths shown."""
        text = render_text(reply)
        if reply.kind is ReplyKind.EXPORT:
            paths = write_export(reply, exports_folder(self.deps.settings.data_dir))
            text += "\n" + "\n".join(f"Wrote {path}" for path in paths)
        self.write(f"{heading}>\n{text}\n")

    async def ask(self, line: str) -> Reply:
        """Answer one line typed at the prompt (database commands off the event loop, bounded)."""
        text = line.strip()
        self.ctx.is_mention = not text.casefold().startswith("/chinabio")
        store = self.deps.knowledge.store
        reply = await answer_in_time(text, store, self.ctx)
        asked = clean(text)[0]  # as Slack stores it: without `/chinabio` or `@chinabio`
        if self.misses is not None and asked and is_miss(reply):
            signal = answer_signal(
                asked,
                reply,
                platform="console",
                channel=self.ctx.conversation_id,
                workspace=None,
                knowledge_version=store.version,
            )
            self.misses.note(signal)
        return reply


def _read_lines(stdin: TextIO, loop: asyncio.AbstractEventLoop) -> asyncio.Queue[str | None]:
    """Read stdin on a daemon thread (so Ctrl-C never waits for Enter); None marks the end."""
    queue: asyncio.Queue[str | None] = asyncio.Queue()

    def hand_over(line: str | None) -> bool:
        try:
            loop.call_soon_threadsafe(queue.put_nowait, line)
        except RuntimeError:  # the chat ended (`exit`) and its loop closed: stop reading
            return False
        return True

    def pump() -> None:
        for line in iter(stdin.readline, ""):
            if not hand_over(line):
                return
        hand_over(None)

    threading.Thread(target=pump, name="console-stdin", daemon=True).start()
    return queue


async def _chat(session: ConsoleSession, stdin: TextIO, hooks: Sequence[ConsoleHook]) -> int:
    stops: list[Stop] = []
    for hook in hooks:
        stop = await hook(session)
        if stop is not None:
            stops.append(stop)
    lines = _read_lines(stdin, asyncio.get_running_loop())
    interactive = stdin.isatty()
    try:
        while True:
            if interactive:
                session.write(PROMPT, end="")
            line = await lines.get()
            if line is None:
                break
            text = line.strip()
            if not text:
                continue
            if text.casefold() in EXIT_WORDS:
                break
            session.post(await session.ask(text))
    finally:
        for stop in reversed(stops):
            result = stop()
            if inspect.isawaitable(result):
                await result
        if session.misses is not None:
            await session.misses.flush(MISS_FLUSH_WAIT)
    session.write("bye")
    return 0


def run_console(
    settings: Settings,
    connect: Callable[[Settings], Deps],
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    hooks: Sequence[ConsoleHook] = (),
) -> int:
    """Run the terminal chat until `exit` or end of input; return the exit code.

    `connect` builds the shared services (the composition root's `build_deps`).
    """
    out = stdout or sys.stdout
    try:
        deps = connect(settings)
    except KnowledgeError as exc:
        out.write(f"the knowledge is invalid; run `chinabio validate`:\n{exc}\n")
        return 1
    except DatabaseSetupError as exc:
        out.write(f"cannot open the database: {exc}\n")
        return 1
    except SQLAlchemyError as exc:  # the database is unreachable or does not answer in time
        url, timeout = settings.resolved_database_url, settings.database_connect_timeout
        out.write(f"cannot start the console: {describe_unreachable(exc, url, timeout)}\n")
        return 1
    except Exception as exc:  # a bad DATABASE_URL or unwritable data folder: say so, no trace
        out.write(f"cannot start the console: {type(exc).__name__}: {exc}\n")
        return 1
    session = ConsoleSession(deps, out)
    store = deps.knowledge.store
    session.write(
        f"ChinaBio console — {len(store.entities)} entities (knowledge {store.version}).\n"
        "Type `/chinabio help`, `/chinabio deal Puhe` or `@chinabio any quote from Irene Hong?`;"
        " `exit` quits."
    )
    try:
        return asyncio.run(_chat(session, stdin or sys.stdin, hooks))
    except KeyboardInterrupt:
        session.write("bye")
        return 0
    except BrokenPipeError:  # the reader went away (`chinabio console | head`)
        return 0
