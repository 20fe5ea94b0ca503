"""`chinabio validate` checks the folder the server would serve (KNOWLEDGE_DIR) by default."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main


def test_validate_defaults_to_knowledge_dir(
    knowledge_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """With KNOWLEDGE_DIR set and no argument, validate reports that folder's problems."""
    (knowledge_dir / "broken.yaml").write_text("topics:\n  - id: x\n", encoding="utf-8")
    monkeypatch.setenv("KNOWLEDGE_DIR", str(knowledge_dir))
    assert main(["validate"]) == 1
    assert str(knowledge_dir / "broken.yaml") + ":" in capsys.readouterr().out


def test_validate_argument_wins_over_knowledge_dir(
    knowledge_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An explicit folder is checked even when KNOWLEDGE_DIR points elsewhere."""
    monkeypatch.setenv("KNOWLEDGE_DIR", str(tmp_path / "missing"))
    assert main(["validate", str(knowledge_dir)]) == 0
