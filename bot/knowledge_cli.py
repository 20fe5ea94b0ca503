"""The curator's offline tools: `chinabio import deals` and `chinabio validate --source-text`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.settings import Settings
from knowledge import KnowledgeStore
from knowledge.importer import plan_import
from knowledge.loader import default_dir
from knowledge.models import Source
from knowledge.source_text import quotes_not_in_source


def knowledge_folder(given: str | None) -> Path:
    """Return the folder a command works on: given, else KNOWLEDGE_DIR, else the shipped one."""
    return Path(given or Settings.from_env().knowledge_dir or default_dir())


def add_import_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `import deals FILE --map MAPPING [--dry-run] [--skip-bad] [--knowledge DIR]`."""
    parser = sub.add_parser("import", help="turn a deal-database export into knowledge YAML")
    kinds = parser.add_subparsers(dest="import_kind", required=True)
    deals = kinds.add_parser("deals", help="import deals from a .csv or .xlsx export")
    deals.add_argument("file", type=Path, help="the export: .csv or .xlsx, one deal a row")
    deals.add_argument("--map", dest="mapping", type=Path, required=True, help="the mapping YAML")
    deals.add_argument("--dry-run", action="store_true", help="print the diff, write nothing")
    deals.add_argument("--skip-bad", action="store_true", help="leave out rows with problems")
    deals.add_argument(
        "--knowledge", help="knowledge folder (default: KNOWLEDGE_DIR or the shipped one)"
    )
    parser.set_defaults(func=run_import)


def run_import(args: argparse.Namespace) -> int:
    """Plan the import; print its problems, or its diff (dry run), or write it."""
    folder = knowledge_folder(args.knowledge)
    plan = plan_import(args.file, args.mapping, folder, skip_bad=args.skip_bad)
    skipping = plan.text is not None and plan.problems
    for problem in plan.problems:
        print(f"{problem}{' (row skipped)' if skipping else ''}", file=sys.stderr)
    if plan.text is None:
        print(
            f"{len(plan.problems)} problem(s); nothing written (--skip-bad leaves bad rows out)",
            file=sys.stderr,
        )
        return 1
    counts = ", ".join(f"{n} {kind}" for kind, n in plan.counts.items())
    skipped = f"; {len(plan.skipped)} row(s) skipped" if plan.skipped else ""
    if args.dry_run:
        print(plan.diff or f"no change to {plan.output}", end="" if plan.diff else "\n")
        print(f"dry run: would write {counts} to {plan.output}{skipped}", file=sys.stderr)
        return 0
    plan.write()
    print(f"wrote {counts} to {plan.output}{skipped}; run `chinabio validate` to check")
    return 0


def check_source_text(
    store: KnowledgeStore, folder: Path, text_file: Path, source_id: str | None
) -> int:
    """Print each quote citing the source that is not verbatim in `text_file`; return 0 or 1."""
    source = source_id or text_file.stem
    if not isinstance(store.get(source), Source):
        print(
            f"{text_file}: no source {source!r} in the knowledge: name the file after the "
            "source's id or give --source ID",
            file=sys.stderr,
        )
        return 1
    try:
        text = text_file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"{text_file}: cannot read the source text ({exc})", file=sys.stderr)
        return 1
    citing, problems = quotes_not_in_source(store, folder, source, text)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} of {citing} quote(s) citing {source} not verbatim", file=sys.stderr)
        return 1
    print(f"ok: all {citing} quote(s) citing {source} appear verbatim in {text_file}")
    return 0
