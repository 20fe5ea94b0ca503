"""The console adapter: a terminal chat answering like Slack, with hooks for the scheduler."""

from __future__ import annotations

import io
from pathlib import Path

from bot.app import run_console
from bot.console.repl import ConsoleSession
from bot.settings import Settings
from handlers import Reply, ReplyKind


def _settings(tmp_path: Path, knowledge_dir: str | None = None) -> Settings:
    return Settings(
        database_url=f"sqlite:///{tmp_path / 'console.db'}", knowledge_dir=knowledge_dir
    )


def test_commands_and_mentions_are_answered_until_exit(tmp_path: Path) -> None:
    """`/chinabio deal Puhe` and `@chinabio any quote from Irene Hong?` are answered; `exit` quits."""
    stdin = io.StringIO(
        "/chinabio deal Puhe\n\n@chinabio any quote from Irene Hong?\nexit\n/chinabio help\n"
    )
    stdout = io.StringIO()
    assert run_console(_settings(tmp_path), stdin=stdin, stdout=stdout) == 0
    out = stdout.getvalue()
    assert "PRMT5" in out
    assert "Licensee:" in out
    assert "— Irene Hong" in out
    assert "what you can ask" not in out  # nothing after `exit` is answered
    assert out.rstrip().endswith("bye")


def test_end_of_input_quits(tmp_path: Path) -> None:
    """End of input (Ctrl-D) ends the chat with exit code 0."""
    stdout = io.StringIO()
    assert (
        run_console(_settings(tmp_path), stdin=io.StringIO("deals type:newco"), stdout=stdout) == 0
    )
    assert "Kailera" in stdout.getvalue()


def test_plain_text_is_a_direct_message(tmp_path: Path) -> None:
    """Text without /chinabio or @chinabio is answered as a direct message (a question)."""
    stdout = io.StringIO()
    run_console(
        _settings(tmp_path), stdin=io.StringIO("what did Bayer get from Puhe?\n"), stdout=stdout
    )
    assert "Licensee:" in stdout.getvalue()


def test_hooks_start_with_the_console_and_stop_when_it_ends(tmp_path: Path) -> None:
    """A hook gets the session, can post into the chat, and its stop callable runs at exit."""
    events: list[str] = []

    async def hook(session: ConsoleSession) -> object:
        events.append("started")
        session.post(Reply(kind=ReplyKind.DIGEST, title="Weekly digest for #console"))

        async def stop() -> None:
            events.append("stopped")

        return stop

    stdout = io.StringIO()
    run_console(_settings(tmp_path), stdin=io.StringIO("exit\n"), stdout=stdout, hooks=[hook])  # type: ignore[list-item]
    assert events == ["started", "stopped"]
    assert "Weekly digest for #console" in stdout.getvalue()


def test_invalid_knowledge_exits_1_with_the_problems(tmp_path: Path) -> None:
    """A broken knowledge folder stops the console with a clear message, not a traceback."""
    (tmp_path / "bad.yaml").write_text("deals: [{id: x}]\n", encoding="utf-8")
    stdout = io.StringIO()
    code = run_console(_settings(tmp_path, str(tmp_path)), stdin=io.StringIO(""), stdout=stdout)
    assert code == 1
    assert "chinabio validate" in stdout.getvalue()
    assert "bad.yaml" in stdout.getvalue()


def test_console_subscribes_through_the_digest_hook(tmp_path: Path) -> None:
    """With the digest hook attached, `subscribe` in the console stores a subscription that survives."""
    from sqlalchemy import create_engine, text

    from bot.app import console_digest_hook

    settings = _settings(tmp_path)
    stdin = io.StringIO("/chinabio subscribe weekly tue 08:30 Europe/Paris\nexit\n")
    stdout = io.StringIO()
    assert run_console(settings, stdin=stdin, stdout=stdout, hooks=[console_digest_hook]) == 0
    assert "Tuesdays at 08:30 Europe/Paris" in stdout.getvalue()
    with create_engine(settings.resolved_database_url).connect() as conn:
        rows = conn.execute(text("SELECT platform, channel FROM digest_subscriptions")).all()
    assert [tuple(r) for r in rows] == [("console", "console")]
