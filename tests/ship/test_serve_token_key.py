"""`chinabio serve` in multi-workspace (OAuth) mode needs TOKEN_ENCRYPTION_KEY, or the dev flag."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.ship.conftest import ServedBot, get_json

pytestmark = pytest.mark.slow

OAUTH_ENV = {
    "SLACK_SIGNING_SECRET": "signing-secret-123",
    "SLACK_CLIENT_ID": "1111.2222",
    "SLACK_CLIENT_SECRET": "client-secret-xyz",
    "SLACK_STATE_SECRET": "state-secret-abc",
    "SLACK_API_URL": "http://127.0.0.1:9/api/",  # never called at start-up
}
PLAINTEXT_WARNING = "ALLOW_PLAINTEXT_TOKENS=1: Slack tokens are stored in the database unencrypted"


def test_oauth_mode_without_a_key_exits_1_saying_what_to_set(
    serve_bot: Callable[..., ServedBot], knowledge_dir: Path
) -> None:
    """Without TOKEN_ENCRYPTION_KEY the server refuses to start and names the setting."""
    bot = serve_bot(knowledge_dir, OAUTH_ENV)
    _, stderr = bot.process.communicate(timeout=60)
    assert bot.process.returncode == 1
    assert "set TOKEN_ENCRYPTION_KEY to a Fernet key" in stderr
    assert "ALLOW_PLAINTEXT_TOKENS=1 for local development only" in stderr
    assert "Traceback" not in stderr


def test_dev_flag_starts_with_a_warning(
    serve_bot: Callable[..., ServedBot], knowledge_dir: Path
) -> None:
    """ALLOW_PLAINTEXT_TOKENS=1 lets OAuth mode start without a key, warning on every start."""
    bot = serve_bot(knowledge_dir, {**OAUTH_ENV, "ALLOW_PLAINTEXT_TOKENS": "1"})
    bot.wait_healthy()
    assert get_json(bot.base + "/healthz")[0] == 200
    bot.process.terminate()
    _, stderr = bot.process.communicate(timeout=30)
    assert PLAINTEXT_WARNING in stderr
