"""docs/using.md, "Comparables, exports and comparisons": each pasted reply is the real one.

A block cut short with a line holding only `…` must match the real answer up to the cut.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.cli import main
from tests.docs.doc_pages import code_blocks, read, section

PAGE = read("using.md")


def _examples() -> list[tuple[str, str]]:
    blocks = code_blocks(section(PAGE, "Comparables, exports and comparisons"), "text")
    return [tuple(b.split("\n", 1)) for b in blocks if b.startswith("$ chinabio ask")]  # type: ignore[misc]


def test_the_section_shows_comps_export_and_both_compares() -> None:
    """The section pastes a comps table, an export, and company and deal comparisons."""
    commands = " | ".join(command for command, _ in _examples())
    for shown in ("'comps ", "'export ", "'compare Bayer", "'compare deal "):
        assert shown in commands


@pytest.mark.parametrize(("command", "shown"), _examples())
def test_pasted_reply_is_what_chinabio_ask_prints(
    command: str, shown: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each reply is `chinabio ask`'s output (up to a `…` line); export paths differ by folder."""
    (text,) = re.findall(r"^\$ chinabio ask '(.+?)'", command)
    assert main(["ask", text, "--out", str(tmp_path)]) == 0
    real = capsys.readouterr().out.replace(str(tmp_path.resolve()), "/tmp/docexp")
    pasted = shown.rstrip("\n")
    if re.search(r"^\s*…\s*$", pasted, flags=re.M):
        for part in re.split(r"^\s*…\s*$", pasted, flags=re.M):
            assert part.strip() in real
    else:
        assert real.rstrip("\n") == pasted
