"""The `chinabio` command line (also `python -m bot`)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from bot.db.cli import add_db_parser
from bot.db.engine import DatabaseSetupError
from bot.export_files import exports_folder, write_export
from bot.knowledge_cli import add_import_parser, check_source_text
from bot.plaintext import render_text
from bot.settings import Settings, SettingsError
from bot.slack.render import render_message
from handlers import AskContext, Reply, ReplyKind, answer
from handlers.curation import is_miss
from knowledge import KnowledgeError, load_store
from knowledge.loader import default_dir


def cmd_validate(args: argparse.Namespace) -> int:
    """Check a knowledge folder; print every problem as file:line: message."""
    folder = args.dir or Settings.from_env().knowledge_dir or default_dir()
    try:
        store = load_store(folder)
    except KnowledgeError as exc:
        for problem in exc.problems:
            print(problem)
        print(f"{len(exc.problems)} problem(s) in {folder}", file=sys.stderr)
        return 1
    print(f"ok: {len(store.entities)} entities in {folder} (version {store.version})")
    if args.source_text:
        return check_source_text(store, Path(folder), args.source_text, args.source)
    return 0


def cmd_ask(args: argparse.Namespace) -> int:
    """Answer TEXT as if typed after /chinabio."""
    settings = Settings.from_env()
    try:
        # the running bot's cache, when it has written one
        store = load_store(args.knowledge or settings.knowledge_dir, settings.knowledge_cache_dir)
    except KnowledgeError as exc:
        print(f"the knowledge is invalid; run `chinabio validate`:\n{exc}", file=sys.stderr)
        return 1
    text = " ".join(args.text)
    reply = answer(text, store, AskContext(platform="cli"))
    if args.format == "text":
        print(render_text(reply))
    elif args.format == "slack":
        print(json.dumps(render_message(reply), indent=2, ensure_ascii=False))
    else:
        from bot.teams.render import render_card

        print(json.dumps(render_card(reply), indent=2, ensure_ascii=False))
    if reply.kind is ReplyKind.EXPORT:
        folder = Path(args.out) if args.out else exports_folder(settings.data_dir)
        for path in write_export(reply, folder):
            # JSON formats keep stdout pure JSON: the paths go to stderr there.
            print(f"Wrote {path}", file=sys.stdout if args.format == "text" else sys.stderr)
    _log_miss(settings, text, reply, store.version)
    return 0


def _log_miss(settings: Settings, text: str, reply: Reply, version: str) -> None:
    """Store an unanswered question in the misses log when DATABASE_URL is set (bounded)."""
    if not settings.database_url or not text.strip() or not is_miss(reply):
        return
    from bot.curation.misses import answer_signal, record_miss_now

    sys.stdout.flush()  # the answer is out before the database is asked
    signal = answer_signal(
        text, reply, platform="cli", channel="cli", workspace=None, knowledge_version=version
    )
    record_miss_now(settings, signal)


def cmd_serve(args: argparse.Namespace) -> int:
    """Run the HTTP server (or Socket Mode when SLACK_APP_TOKEN is set)."""
    from bot.serve import run_server

    return run_server(Settings.from_env(), host=args.host, port=args.port)


def cmd_console(_args: argparse.Namespace) -> int:
    """Run the terminal chat adapter."""
    from bot.app import console_digest_hook, run_console

    return run_console(Settings.from_env(), hooks=[console_digest_hook])


def cmd_run(args: argparse.Namespace) -> int:
    """Serve when Slack or Teams credentials are set, else open the console (what `make run` does)."""
    settings = Settings.from_env()
    if settings.slack_enabled or settings.socket_mode or settings.teams_enabled:
        return cmd_serve(args)
    return cmd_console(args)


def cmd_digest(args: argparse.Namespace) -> int:
    """Preview or send a digest."""
    from bot.app import run_digest_command

    return run_digest_command(args, Settings.from_env())


def cmd_tokens(_args: argparse.Namespace) -> int:
    """Re-encrypt every stored Slack token with the first TOKEN_ENCRYPTION_KEY; print the counts."""
    from bot.db.engine import make_engine
    from bot.db.migrate import upgrade_schema
    from bot.schema import metadata  # noqa: F401  (every feature's tables, for the migration)
    from bot.slack.token_crypt import TokenCipher, reencrypt_tokens

    settings = Settings.from_env()
    if not settings.token_encryption_keys:
        raise SettingsError(
            "TOKEN_ENCRYPTION_KEY is not set: list the new key first, then the old ones, "
            "comma-separated"
        )
    engine = make_engine(settings.resolved_database_url)
    try:
        upgrade_schema(engine)  # token columns wide enough for ciphertext (migration 0002)
        reports = reencrypt_tokens(engine, TokenCipher(settings.token_encryption_keys))
    finally:
        engine.dispose()
    for report in reports:
        print(report.summary())
        for failure in report.failures:
            print(f"cannot re-encrypt: {failure}", file=sys.stderr)
    return 1 if any(report.failures for report in reports) else 0


def cmd_curation(args: argparse.Namespace) -> int:
    """Print the curators' report: misses by similar text, 👎 and outdated per entity, names."""
    import datetime as dt

    from bot.curation.report import SinceError, build_report, parse_since, render_csv
    from bot.curation.report import render_text as render_report
    from bot.db.engine import make_engine
    from bot.db.migrate import upgrade_schema
    from bot.schema import metadata  # noqa: F401  (every feature's tables, for the migration)

    try:
        since = parse_since(args.since, dt.datetime.now(dt.UTC))
    except SinceError as exc:
        print(exc, file=sys.stderr)
        return 2
    engine = make_engine(Settings.from_env().resolved_database_url)
    try:
        upgrade_schema(engine)
        report = build_report(engine, since)
    finally:
        engine.dispose()
    sys.stdout.write(render_csv(report) if args.format == "csv" else render_report(report))
    return 0


def cmd_db(args: argparse.Namespace) -> int:
    """Run a `db` sub-command, knowing every feature's tables."""
    from bot.db.cli import run_db_command
    from bot.schema import metadata  # noqa: F401  (registers every table the schema must have)

    return run_db_command(args)


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser for every sub-command."""
    parser = argparse.ArgumentParser(prog="chinabio", description="ChinaBio bot")
    sub = parser.add_subparsers(dest="command", required=True)

    validate = sub.add_parser("validate", help="check a knowledge folder")
    validate.add_argument(
        "dir", nargs="?", help="knowledge folder (default: KNOWLEDGE_DIR or the shipped one)"
    )
    validate.add_argument(
        "--source-text",
        type=Path,
        metavar="FILE",
        help="also check that every quote citing that source appears verbatim in FILE",
    )
    validate.add_argument(
        "--source", metavar="ID", help="the source FILE is (default: FILE's name without suffix)"
    )
    validate.set_defaults(func=cmd_validate)

    ask = sub.add_parser("ask", help="answer TEXT as if typed after /chinabio")
    ask.add_argument("text", nargs="+")
    ask.add_argument("--format", choices=["text", "slack", "teams"], default="text")
    ask.add_argument(
        "--knowledge", help="knowledge folder (default: KNOWLEDGE_DIR or the shipped one)"
    )
    ask.add_argument("--out", help="folder for `export` files (default: DATA_DIR/exports)")
    ask.set_defaults(func=cmd_ask)

    console = sub.add_parser("console", help="chat with the bot in this terminal")
    console.set_defaults(func=cmd_console)

    for name, func, help_text in (
        ("serve", cmd_serve, "run the HTTP server (Slack, Teams, health, metrics)"),
        ("run", cmd_run, "serve with credentials, else the console"),
    ):
        server = sub.add_parser(name, help=help_text)
        server.add_argument("--host")
        server.add_argument("--port", type=int)
        server.set_defaults(func=func)

    digest = sub.add_parser("digest", help="preview or send the weekly digest")
    digest_sub = digest.add_subparsers(dest="digest_command", required=True)
    preview = digest_sub.add_parser("preview", help="print the digest that would be posted")
    preview.add_argument("--channel")
    preview.add_argument("--date", help="YYYY-MM-DD (default: today)")
    send = digest_sub.add_parser("send", help="post a digest now")
    send.add_argument("--channel", required=True)
    digest.set_defaults(func=cmd_digest)

    tokens = sub.add_parser("tokens", help="manage the Slack tokens stored in the database")
    tokens_sub = tokens.add_subparsers(dest="tokens_command", required=True)
    tokens_sub.add_parser(
        "rotate",
        help="re-encrypt every stored token with the first TOKEN_ENCRYPTION_KEY "
        "(plain-text rows included)",
    )
    tokens.set_defaults(func=cmd_tokens)

    curation = sub.add_parser("curation", help="what users could not find or say is wrong")
    curation_sub = curation.add_subparsers(dest="curation_command", required=True)
    report = curation_sub.add_parser("report", help="misses, 👎 and outdated reports")
    report.add_argument("--since", default="7d", help="a span (7d, 24h, 2w) or a date")
    report.add_argument("--format", choices=["text", "csv"], default="text")
    curation.set_defaults(func=cmd_curation)
    add_db_parser(sub)
    add_import_parser(sub)
    sub.choices["db"].set_defaults(func=cmd_db)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except SettingsError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    except DatabaseSetupError as exc:
        print(f"cannot open the database: {exc}", file=sys.stderr)
        return 1
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        print(f"cannot open the database ({reason}); check DATABASE_URL", file=sys.stderr)
        return 1
    except BrokenPipeError:  # the reader went away (`chinabio ask ... | head`)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
