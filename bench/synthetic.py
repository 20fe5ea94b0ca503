"""Write a synthetic knowledge folder at benchmark scale (100k deals, 20k organisations, 50k quotes).

Run: `python -m bench.synthetic OUT_DIR [--deals N --organisations N --quotes N]`.
The YAML is written as text (JSON-quoted scalars are valid YAML) because yaml.dump is too slow
for 100 MB; every reference resolves, so the folder validates.
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SYLLABLES = [
    "ka", "lo", "vi", "ne", "tra", "zen", "qi", "mu", "ro", "sa", "te", "xin", "hua", "bio",
    "gen", "ta", "mi", "no", "ra", "li", "su", "pe", "do", "chen", "yao", "ze", "fu", "an",
]  # fmt: skip
SUFFIXES = ["Therapeutics", "Biosciences", "Pharma", "Bio", "Medicines", "Biotech", "Capital"]
CJK = "恒瑞百济信达君实和黄复星药明康德石药再鼎科伦传奇荣昌翰森天境诺诚健华"
PLACES = ["Shanghai", "Suzhou", "Beijing", "Hangzhou", "Boston", "Basel", "Tokyo", "San Diego"]
MODALITIES = ["ADC", "bispecific antibody", "small molecule", "cell therapy", "siRNA", "mRNA"]
AREAS = ["oncology", "immunology", "neurology", "cardiometabolic", "ophthalmology", "rare disease"]
TARGETS = ["PRMT5", "HER2", "TROP2", "GLP-1", "PD-1", "CLDN18.2", "KRAS G12D", "B7-H3", "DLL3"]
WORDS = [
    "the",
    "partner",
    "gains",
    "global",
    "rights",
    "outside",
    "greater",
    "China",
    "while",
    "the",
    "licensor",
    "keeps",
    "development",
    "in",
    "the",
    "region",
    "and",
    "shares",
    "data",
    "from",
    "ongoing",
    "trials",
    "under",
    "a",
    "joint",
    "steering",
    "committee",
    "with",
    "milestones",
    "tied",
    "to",
    "approval",
    "launch",
    "and",
    "sales",
    "thresholds",
    "across",
    "several",
    "indications",
]
DEAL_TYPES = ["licence", "collaboration", "equity-investment", "acquisition-of-rights", "newco"]
ORG_TYPES = ["biotech", "pharma", "investor", "incubator", "university", "company"]


@dataclass(frozen=True)
class Scale:
    """How many of each kind to write."""

    deals: int = 100_000
    organisations: int = 20_000
    quotes: int = 50_000
    people: int = 10_000
    assets: int = 20_000
    topics: int = 200
    per_file: int = 10_000


def q(text: str) -> str:
    """Quote a scalar for YAML (a JSON string is a valid YAML double-quoted scalar)."""
    return json.dumps(text, ensure_ascii=False)


def _name(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize()


def _prose(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def _date(rng: random.Random) -> str:
    year = rng.randint(2015, 2025)
    if rng.random() < 0.3:
        return f"{year}-{rng.randint(1, 12):02d}"
    return f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def _topics(rng: random.Random, scale: Scale, n: int) -> str:
    return "[" + ", ".join(f"topic-{rng.randrange(scale.topics)}" for _ in range(n)) + "]"


def topics(rng: random.Random, scale: Scale) -> Iterator[str]:
    """Yield topic entries."""
    for i in range(scale.topics):
        yield (
            f"- id: topic-{i}\n  name: {q(_name(rng, 2) + ' ' + rng.choice(MODALITIES))}\n"
            f"  description: {q(_prose(rng, 12))}\n  sources: [{{source: synthetic-report}}]\n"
        )


def organisations(rng: random.Random, scale: Scale) -> Iterator[str]:
    """Yield organisation entries, some with a Chinese alias."""
    for i in range(scale.organisations):
        name = f"{_name(rng, 3)} {rng.choice(SUFFIXES)}"
        aliases = [name.split()[0]]
        if rng.random() < 0.2:
            aliases.append("".join(rng.choice(CJK) for _ in range(3)) + "生物")
        yield (
            f"- id: org-{i}\n  name: {q(name)}\n  aliases: [{', '.join(q(a) for a in aliases)}]\n"
            f"  type: {rng.choice(ORG_TYPES)}\n  location: {rng.choice(PLACES)}\n"
            f"  description: {q(_prose(rng, 15))}\n  topics: {_topics(rng, scale, 2)}\n"
            f"  sources: [{{source: synthetic-report, locator: 'p. {rng.randint(1, 90)}'}}]\n"
        )


def people(rng: random.Random, scale: Scale) -> Iterator[str]:
    """Yield person entries with one role each."""
    for i in range(scale.people):
        yield (
            f"- id: person-{i}\n  name: {q(_name(rng, 2) + ' ' + _name(rng, 2))}\n"
            f"  roles:\n    - title: Chief Business Officer\n"
            f"      organisation: org-{rng.randrange(scale.organisations)}\n"
            f"  bio: {q(_prose(rng, 10))}\n  sources: [{{source: synthetic-report}}]\n"
        )


def assets(rng: random.Random, scale: Scale) -> Iterator[str]:
    """Yield asset entries with a code alias."""
    for i in range(scale.assets):
        yield (
            f"- id: asset-{i}\n  name: {q(_name(rng, 2).upper()[:4] + str(rng.randint(100, 999)))}\n"
            f"  aliases: [{q(f'SYN-{i:05d}')}]\n  owners: [org-{rng.randrange(scale.organisations)}]\n"
            f"  target: {q(rng.choice(TARGETS))}\n  modality: {q(rng.choice(MODALITIES))}\n"
            f"  indications: [solid tumours]\n  therapeutic_areas: [{rng.choice(AREAS)}]\n"
            f"  stage: Phase 1\n  topics: {_topics(rng, scale, 1)}\n"
            f"  sources: [{{source: synthetic-report}}]\n"
        )


def deals(rng: random.Random, scale: Scale) -> Iterator[str]:
    """Yield deal entries: two parties, an asset, money, a date, a milestone."""
    for i in range(scale.deals):
        a, b = rng.sample(range(scale.organisations), 2)
        yield (
            f"- id: deal-{i}\n  title: {q(f'Deal {i} {_name(rng, 2)} licence')}\n"
            f"  type: {rng.choice(DEAL_TYPES)}\n  parties:\n"
            f"    - {{organisation: org-{a}, role: licensor}}\n"
            f"    - {{organisation: org-{b}, role: licensee}}\n"
            f"  assets: [asset-{rng.randrange(scale.assets)}]\n  territory: worldwide ex-China\n"
            f"  money:\n    - {{amount: {rng.randint(1, 900) * 1_000_000}, currency: USD, label: upfront}}\n"
            f"  date: {_date(rng)}\n  status: announced\n"
            f"  milestones:\n    - {{date: {_date(rng)}, label: signed, kind: signed}}\n"
            f"  therapeutic_areas: [{rng.choice(AREAS)}]\n  modalities: [{q(rng.choice(MODALITIES))}]\n"
            f"  indications: [solid tumours]\n  summary: {q(_prose(rng, 30))}\n"
            f"  topics: {_topics(rng, scale, 2)}\n"
            f"  sources: [{{source: synthetic-report, locator: 'p. {rng.randint(1, 90)}'}}]\n"
        )


def quotes(rng: random.Random, scale: Scale) -> Iterator[str]:
    """Yield quote entries by the synthetic people."""
    for i in range(scale.quotes):
        yield (
            f"- id: quote-{i}\n  text: {q(_prose(rng, 35).capitalize() + '.')}\n"
            f"  speaker: person-{rng.randrange(scale.people)}\n  role: CEO\n"
            f"  organisation: org-{rng.randrange(scale.organisations)}\n"
            f"  topics: {_topics(rng, scale, 2)}\n  date: {_date(rng)}\n"
            f"  sources: [{{source: synthetic-report}}]\n"
        )


SOURCE = """sources:
- id: synthetic-report
  title: Synthetic benchmark report
  publisher: ChinaBio bench
  published: 2025-01
"""


def write_folder(out: Path, scale: Scale = Scale(), seed: int = 7) -> dict[str, int]:
    """Write the synthetic knowledge under `out`; return how many entities of each kind."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    (out / "sources.yaml").write_text(SOURCE, encoding="utf-8")
    counts: dict[str, int] = {"sources": 1}
    for key, make in (
        ("topics", topics),
        ("organisations", organisations),
        ("people", people),
        ("assets", assets),
        ("deals", deals),
        ("quotes", quotes),
    ):
        chunk: list[str] = []
        part = 0
        counts[key] = 0
        for entry in make(rng, scale):
            chunk.append(entry)
            counts[key] += 1
            if len(chunk) == scale.per_file:
                _write_chunk(out, key, part, chunk)
                part, chunk = part + 1, []
        if chunk:
            _write_chunk(out, key, part, chunk)
    return counts


def _write_chunk(out: Path, key: str, part: int, chunk: list[str]) -> None:
    path = out / f"{key}-{part:03d}.yaml"
    path.write_text(f"{key}:\n" + "".join(chunk), encoding="utf-8")


def main() -> None:
    """Write the synthetic folder named on the command line."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--deals", type=int, default=Scale.deals)
    parser.add_argument("--organisations", type=int, default=Scale.organisations)
    parser.add_argument("--quotes", type=int, default=Scale.quotes)
    args = parser.parse_args()
    scale = Scale(deals=args.deals, organisations=args.organisations, quotes=args.quotes)
    print(write_folder(args.out, scale))


if __name__ == "__main__":
    main()
