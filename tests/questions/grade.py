"""Grade the question bank: ask every question and sort the answers into right, honest, wrong.

`make eval` (`python -m tests.questions.grade`) prints the shares and lists the misses; the
suite's `test_bank.py` asserts the thresholds.
"""

from __future__ import annotations

import random
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from handlers import AskContext, Reply, answer
from knowledge import KnowledgeStore, load_store

BANK = Path(__file__).with_name("bank.yaml")
#: A fresh batch written without reading the pipeline, graded the same way, reported apart.
HELDOUT = Path(__file__).with_name("heldout.yaml")
#: What the first line of an honest "the knowledge cannot answer that" says.
HONEST = ("not in the knowledge", "not disclosed in the source", "not stated in the source")
OUTCOMES = ("right", "honest", "wrong", "invented")


@dataclass(frozen=True)
class Question:
    """One entry of the bank: the text and what a right answer holds."""

    q: str
    expect: str = "answer"
    about: list[str] = field(default_factory=list)
    must: list[str] = field(default_factory=list)
    any: list[str] = field(default_factory=list)
    first: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Graded:
    """A question, the reply's first line, the outcome and why."""

    question: Question
    title: str
    outcome: str
    why: list[str]


def load_bank(path: Path = BANK) -> list[Question]:
    """Return the bank's questions."""
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        Question(
            **{k: v if k in {"q", "expect"} else [str(x) for x in v] for k, v in entry.items()}
        )
        for entry in data["questions"]
    ]


def reply_text(reply: Reply) -> str:
    """Return everything a reply says, flattened into one string."""
    parts: list[str] = [reply.title, reply.text or ""]
    parts += [f"{f.label}: {f.value}" for f in reply.facts]
    parts += [f"{q.text} {q.attribution()}" for q in reply.quotes]
    parts += [f"{i.title} {i.subtitle or ''}" for i in reply.items]
    for section in reply.sections:
        parts += [section.heading, section.text or ""]
        parts += [f"{f.label}: {f.value}" for f in section.facts]
        parts += [f"{q.text} {q.attribution()}" for q in section.quotes]
        parts += [f"{i.title} {i.subtitle or ''}" for i in section.items]
    return " ".join(" ".join(parts).split())


def grade(question: Question, reply: Reply) -> Graded:
    """Sort one reply into right, honest (an unanswerable question said so), wrong or invented."""
    body = reply_text(reply).casefold()
    title = reply.title.casefold()
    why = [f"lacks “{m}”" for m in question.must if m.casefold() not in body]
    if question.any and not any(m.casefold() in body for m in question.any):
        why.append("lacks any of " + " / ".join(f"“{m}”" for m in question.any))
    why += [f"first line lacks “{m}”" for m in question.first if m.casefold() not in title]
    why += [f"not about {i}" for i in question.about if i not in reply.entity_ids]
    shown = [f"shows “{m}”" for m in question.wrong if m.casefold() in body]
    honest = any(marker in title for marker in HONEST)
    if question.expect == "unknown":
        if not honest or shown:
            outcome = "invented"
            why = [*shown, "first line does not say the knowledge cannot answer it"][
                : len(shown) or 1
            ]
        else:
            outcome = "honest" if not why else "wrong"
    elif honest:
        outcome, why = "wrong", ["said it cannot answer", *why]
    else:
        outcome = "right" if not why and not shown else "wrong"
        why += shown
    return Graded(question, reply.title, outcome, why)


def run_bank(store: KnowledgeStore, questions: list[Question]) -> list[Graded]:
    """Ask every question as a mention and grade the answers."""
    graded = []
    for question in questions:
        ctx = AskContext(platform="eval", is_mention=True, rng=random.Random(20250423))
        graded.append(grade(question, answer(question.q, store, ctx)))
    return graded


def report(graded: list[Graded]) -> str:
    """Return the shares of each outcome and the misses, one per line."""
    counts = Counter(g.outcome for g in graded)
    total = len(graded)
    unknowable = sum(1 for g in graded if g.question.expect == "unknown")
    lines = [
        f"{total} questions ({unknowable} the knowledge cannot answer)",
        f"right:          {counts['right'] + counts['honest']:4d}  "
        f"{(counts['right'] + counts['honest']) / total:6.1%}",
        f"  answered:     {counts['right']:4d}",
        f"  honest-unknown: {counts['honest']:2d} of {unknowable}",
        f"wrong:          {counts['wrong']:4d}  {counts['wrong'] / total:6.1%}",
        f"invented:       {counts['invented']:4d}",
    ]
    misses = [g for g in graded if g.outcome in {"wrong", "invented"}]
    if misses:
        lines.append("misses:")
        lines += [
            f"  [{g.outcome}] {g.question.q!r} -> {g.title!r}: {'; '.join(g.why)}" for g in misses
        ]
    return "\n".join(lines)


def main() -> int:
    """Run the bank and the held-out batch on the shipped knowledge; print a report for each."""
    store = load_store()
    for name, path in (("bank", BANK), ("held-out", HELDOUT)):
        print(f"== {name} ({path.name})")
        print(report(run_bank(store, load_bank(path))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
