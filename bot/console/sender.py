"""The console's digest `Sender`: digests printed to the terminal as plain text."""

from __future__ import annotations

import sys
from typing import TextIO

from bot.plaintext import render_text
from handlers.reply import Reply


class ConsoleSender:
    """Prints digests to a stream (stdout by default), each headed by the channel it is for."""

    platform = "console"

    def __init__(self, stream: TextIO | None = None) -> None:
        self._stream = stream
        self.posted = 0

    async def post(self, channel: str, reply: Reply) -> str:
        """Print the digest, headed by the channel it is for; return a local message id."""
        self._print(f"digest for {channel}", reply)
        self.posted += 1
        return f"console-{self.posted}"

    async def notify(self, user_id: str, reply: Reply) -> None:
        """Print a notice for one user."""
        self._print(f"for {user_id}", reply)

    async def sender_for(self, _workspace: str | None) -> ConsoleSender:
        """Return this sender: the terminal has no workspaces."""
        return self

    async def aclose(self) -> None:
        """Nothing to close."""

    def _print(self, heading: str, reply: Reply) -> None:
        stream = self._stream or sys.stdout
        print(f"\n[{heading}]\n{render_text(reply)}\n", file=stream, flush=True)
