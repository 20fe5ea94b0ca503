"""The errbot-style `Chat` helper behind the `chat` fixture (a module name no conftest shadows)."""

from __future__ import annotations

import random
from typing import Any

from bot.plaintext import render_text
from bot.slack.render import render_message
from handlers import AskContext, Reply, answer
from knowledge import KnowledgeStore


class Chat:
    """A conversation with the bot, errbot-style: `reply = await chat.ask("deal Puhe")`."""

    def __init__(self, store: KnowledgeStore, seed: int = 20250423) -> None:
        self.store = store
        self.ctx = AskContext(
            platform="test", user_id="U-tester", conversation_id="C-test", rng=random.Random(seed)
        )

    async def ask(
        self, text: str, *, mention: bool = False, conversation: str | None = None
    ) -> Reply:
        """Answer `text` as if typed after /chinabio (or said in a mention)."""
        self.ctx.is_mention = mention
        if conversation is not None:
            self.ctx.conversation_id = conversation
        return answer(text, self.store, self.ctx)

    async def text(self, text: str, *, mention: bool = False) -> str:
        """Answer `text` and render it as the console would."""
        return render_text(await self.ask(text, mention=mention))

    async def slack(self, text: str, *, mention: bool = False) -> dict[str, Any]:
        """Answer `text` and render it as the Slack message."""
        return render_message(await self.ask(text, mention=mention))
