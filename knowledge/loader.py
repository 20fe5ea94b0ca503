"""Read a folder of knowledge YAML into a validated `KnowledgeStore`.

First version: validates every entity with pydantic and reports problems by file. The
line-aware loader replaces `read_folder` with one that gives each problem its line.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from knowledge.models import KINDS, AnyEntity
from knowledge.store import KnowledgeStore


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in the knowledge, where it is, and how to fix it."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class KnowledgeError(Exception):
    """The knowledge folder has problems; `problems` lists every one."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def default_dir() -> Path:
    """Return the knowledge folder shipped with the package."""
    return Path(str(resources.files("knowledge") / "data"))


def load_store(folder: Path | str | None = None) -> KnowledgeStore:
    """Load, validate and index a knowledge folder; raise KnowledgeError listing every problem."""
    root = Path(folder) if folder else default_dir()
    entities, problems, digest = read_folder(root)
    if problems:
        raise KnowledgeError(problems)
    return KnowledgeStore.build(entities, version=digest)


def read_folder(root: Path) -> tuple[list[AnyEntity], list[Problem], str]:
    """Parse and validate every YAML file under `root`."""
    problems: list[Problem] = []
    entities: list[AnyEntity] = []
    hasher = hashlib.sha256()
    files = sorted(p for p in root.rglob("*.y*ml") if p.is_file())
    if not files:
        return (
            [],
            [
                Problem(
                    str(root), 0, "no .yaml files here: point KNOWLEDGE_DIR at a knowledge folder"
                )
            ],
            "",
        )
    seen: dict[str, str] = {}
    for path in files:
        raw = path.read_bytes()
        hasher.update(raw)
        try:
            data: Any = yaml.safe_load(raw) or {}
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark else 1
            problems.append(Problem(str(path), line, f"not valid YAML: {exc}"))
            continue
        if not isinstance(data, dict):
            problems.append(
                Problem(str(path), 1, f"top level must be a mapping of kinds ({', '.join(KINDS)})")
            )
            continue
        for key, items in data.items():
            model = KINDS.get(key)
            if model is None:
                problems.append(
                    Problem(str(path), 1, f"unknown kind {key!r}: use one of {', '.join(KINDS)}")
                )
                continue
            for item in items or []:
                try:
                    entity: AnyEntity = model.model_validate(item)  # type: ignore[assignment]
                except ValidationError as exc:
                    for err in exc.errors():
                        where = ".".join(str(p) for p in err["loc"])
                        problems.append(Problem(str(path), 1, f"{key}: {where}: {err['msg']}"))
                    continue
                if entity.id in seen:
                    problems.append(
                        Problem(
                            str(path), 1, f"duplicate id {entity.id!r} (first in {seen[entity.id]})"
                        )
                    )
                    continue
                seen[entity.id] = str(path)
                entities.append(entity)
    return entities, problems, hasher.hexdigest()[:12]
