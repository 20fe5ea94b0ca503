"""`chinabio curation report`: what users could not find, and what they say is wrong, by entity.

Misses are grouped by similar text (rapidfuzz), 👎 and outdated reports counted per entity,
and the names asked about most often without an answer listed: each a gap in the knowledge.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections import Counter
from dataclasses import dataclass, field

from rapidfuzz import fuzz
from sqlalchemy import Engine, select

from bot.curation.tables import feedback, misses, reports

#: Two misses are one group when their texts score at least this (token_set_ratio, 0-100).
SIMILAR = 85
#: Command words whose rest is a name the user looked up.
LOOKUPS = {"deal", "deals", "company", "org", "organisation", "organization", "person"}
LOOKUPS |= {"quote", "quotes", "asset", "event", "trend", "stat", "search", "find"}
_NAME = re.compile(
    r"\b(?:[A-Z][\w&.'-]*|[A-Z0-9]{2,}[\w-]*)(?:\s+(?:[A-Z][\w&.'-]*|[A-Z0-9]{2,}[\w-]*))*"
)
_SINCE = re.compile(r"^(\d+)\s*([hdw])$")
_UNITS = {"h": "hours", "d": "days", "w": "weeks"}
_QUESTION_WORDS = {
    "What",
    "Who",
    "Which",
    "When",
    "Where",
    "How",
    "Is",
    "Are",
    "Any",
    "Tell",
    "Show",
    "Do",
    "Does",
    "Why",
}


class SinceError(ValueError):
    """--since is neither a span (7d, 24h, 2w) nor a date (2026-11-01)."""


def parse_since(text: str, now: dt.datetime) -> dt.datetime:
    """Return the moment `--since` names: a span back from `now`, or a UTC date."""
    span = _SINCE.match(text.strip().lower())
    if span:
        return now - dt.timedelta(**{_UNITS[span.group(2)]: int(span.group(1))})
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise SinceError(
            f"--since {text!r}: write a span such as 7d, 24h or 2w, or a date such as 2026-11-01"
        ) from None
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


@dataclass
class MissGroup:
    """Misses whose texts are alike: the most asked text, and how often all were asked."""

    text: str
    count: int
    variants: list[str] = field(default_factory=list)


@dataclass
class EntityCount:
    """Signals about one entity: how many, and the reasons or latest words given."""

    entity_id: str
    count: int
    detail: str = ""


@dataclass
class CurationReport:
    """Everything the report prints."""

    since: dt.datetime
    misses: list[MissGroup]
    down: list[EntityCount]
    outdated: list[EntityCount]
    names: list[tuple[str, int]]


def build_report(engine: Engine, since: dt.datetime) -> CurationReport:
    """Read the signals since `since` and group them."""
    with engine.connect() as conn:
        missed = conn.execute(
            select(misses.c.question, misses.c.times).where(misses.c.created_at >= since)
        ).all()
        downs = conn.execute(
            select(feedback.c.entity_ids, feedback.c.reason, feedback.c.question).where(
                feedback.c.created_at >= since, feedback.c.verdict == "down"
            )
        ).all()
        outdated = conn.execute(
            select(reports.c.entity_id, reports.c.what_changed)
            .where(reports.c.created_at >= since)
            .order_by(reports.c.created_at, reports.c.id)
        ).all()
    asked = Counter[str]()
    for question, times in missed:
        asked[question] += int(times)
    return CurationReport(
        since=since,
        misses=group_misses(asked),
        down=_downs([(list(ids or []), reason, q) for ids, reason, q in downs]),
        outdated=_outdated([(e, w) for e, w in outdated]),
        names=unanswered_names(asked),
    )


def group_misses(asked: Counter[str]) -> list[MissGroup]:
    """Group question texts that read alike; the most asked names its group."""
    groups: list[MissGroup] = []
    for text, count in sorted(asked.items(), key=lambda item: (-item[1], item[0])):
        key = text.casefold()
        for group in groups:
            if fuzz.token_set_ratio(key, group.text.casefold()) >= SIMILAR:
                group.count += count
                group.variants.append(text)
                break
        else:
            groups.append(MissGroup(text, count))
    return sorted(groups, key=lambda g: (-g.count, g.text))


def unanswered_names(asked: Counter[str], limit: int = 10) -> list[tuple[str, int]]:
    """Return the names asked about most often without an answer."""
    names = Counter[str]()
    for text, count in asked.items():
        for name in _names_in(text):
            names[name] += count
    alike = group_misses(names)  # "Zyxwv Therapeutic" counts for "Zyxwv Therapeutics"
    return [(group.text, group.count) for group in alike[:limit]]


def _names_in(text: str) -> list[str]:
    word, _, rest = text.strip().partition(" ")
    if word.casefold() in LOOKUPS and rest.strip():
        return [" ".join(rest.strip(" ?!.").split())]
    found = [m.group(0) for m in _NAME.finditer(text)]
    return [n for n in (_drop_question_word(f) for f in found) if n]


def _drop_question_word(name: str) -> str:
    words = name.split()
    while words and words[0] in _QUESTION_WORDS:
        words.pop(0)
    return " ".join(words)


def _downs(rows: list[tuple[list[str], str | None, str]]) -> list[EntityCount]:
    counts = Counter[str]()
    reasons: dict[str, Counter[str]] = {}
    for ids, reason, question in rows:
        entity_id = ids[0] if ids else f"(no entity) {question}"  # what the answer was about
        counts[entity_id] += 1
        reasons.setdefault(entity_id, Counter())[reason or "no reason"] += 1
    return [
        EntityCount(e, n, ", ".join(f"{r} {c}" for r, c in reasons[e].most_common()))
        for e, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]


def _outdated(rows: list[tuple[str, str]]) -> list[EntityCount]:
    counts = Counter(entity_id for entity_id, _ in rows)
    latest = {entity_id: words for entity_id, words in rows}
    return [
        EntityCount(e, n, latest[e])
        for e, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]


def render_text(report: CurationReport) -> str:
    """Return the report for a terminal."""
    lines = [f"Curation report since {report.since:%Y-%m-%d %H:%M} UTC", ""]
    total = sum(g.count for g in report.misses)
    lines.append(f"Misses: {total} asks in {len(report.misses)} groups")
    for group in report.misses:
        also = f"  (also: {'; '.join(group.variants[:3])})" if group.variants else ""
        lines.append(f"  {group.count:>4}  {group.text}{also}")
    lines += ["", f"👎 by entity: {len(report.down)}"]
    lines += [f"  {c.count:>4}  {c.entity_id}  ({c.detail})" for c in report.down]
    lines += ["", f"Outdated reports by entity: {len(report.outdated)}"]
    lines += [f"  {c.count:>4}  {c.entity_id}  latest: {c.detail}" for c in report.outdated]
    lines += ["", "Top unanswered names"]
    lines += [f"  {count:>4}  {name}" for name, count in report.names]
    return "\n".join(lines) + "\n"


def render_csv(report: CurationReport) -> str:
    """Return the report as CSV: section, item, count, detail."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["section", "item", "count", "detail"])
    for group in report.misses:
        writer.writerow(["miss", group.text, group.count, "; ".join(group.variants)])
    for c in report.down:
        writer.writerow(["thumbs-down", c.entity_id, c.count, c.detail])
    for c in report.outdated:
        writer.writerow(["outdated", c.entity_id, c.count, c.detail])
    for name, count in report.names:
        writer.writerow(["unanswered-name", name, count, ""])
    return out.getvalue()
