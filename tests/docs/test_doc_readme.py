"""README.md: short, the two commands first, a real deal card, and links that lead somewhere."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from bot.cli import main
from tests.docs.doc_pages import README, ROOT, code_blocks, links, pages, read, slug

#: Characters the shell reads when unquoted: a `chinabio ask` question holding one needs quotes.
SHELL_SPECIAL = set("&;|<>()?*[$`!")


def test_readme_stays_short() -> None:
    """A newcomer reads the README in five minutes: 150 lines at most."""
    assert len(README.read_text(encoding="utf-8").splitlines()) <= 150


def test_readme_keeps_the_two_commands_at_the_top() -> None:
    """`make run` and `make test` are the first commands a reader meets."""
    top = read("README.md").split("\n## ", 2)[1]
    assert "make run" in top
    assert "make test" in top


def test_readme_deal_card_is_what_chinabio_ask_prints(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The deal card pasted in the README is the real output of `chinabio ask "deal Puhe"`."""
    (block,) = [b for b in code_blocks(read("README.md"), "console") if "ask" in b]
    command, shown = block.split("\n", 1)
    argv = shlex.split(command.removeprefix("$ "))
    assert argv[0] == ".venv/bin/chinabio"
    monkeypatch.delenv("KNOWLEDGE_DIR", raising=False)
    monkeypatch.chdir(tmp_path)  # no .env, no cache: the shipped knowledge
    assert main(argv[1:]) == 0
    assert capsys.readouterr().out.strip() == shown.strip()


def _unquoted(line: str) -> str:
    """Return the characters of a shell line outside quotes, up to a comment."""
    out, quote = [], ""
    for i, char in enumerate(line):
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "#" and (i == 0 or line[i - 1].isspace()):
            break
        else:
            out.append(char)
    return "".join(out)


def _ask_lines() -> list[tuple[str, str]]:
    return [
        (path.name, line)
        for path in pages()
        for block in code_blocks(path.read_text(encoding="utf-8"), "sh")
        for line in block.splitlines()
        if re.match(r"(\.venv/bin/)?chinabio ask ", line)
    ]


@pytest.mark.parametrize(("page", "line"), _ask_lines())
def test_shell_examples_quote_what_the_shell_reads(page: str, line: str) -> None:
    """A `chinabio ask` example keeps `&`, `?` and the like inside quotes, so it runs as shown."""
    assert not SHELL_SPECIAL & set(_unquoted(line)), f"{page}: quote the question in {line!r}"


@pytest.mark.parametrize(("page", "line"), _ask_lines())
def test_shell_examples_are_answered(
    page: str,
    line: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    """Each `chinabio ask` example in the docs runs, exits 0 and finds something."""
    argv = shlex.split(line, comments=True)
    monkeypatch.delenv("KNOWLEDGE_DIR", raising=False)
    monkeypatch.chdir(tmp_path)
    assert main(argv[1:]) == 0, f"{page}: {line}"
    out = capsys.readouterr().out
    assert out.strip(), line
    assert "nothing found" not in out.casefold(), line


def _anchors(text: str) -> set[str]:
    return {slug(h) for h in re.findall(r"^#+ (.+)$", text, flags=re.M)}


@pytest.mark.parametrize("page", pages(), ids=lambda p: p.name)
def test_every_relative_link_leads_to_a_file_and_heading(page: Path) -> None:
    """Each relative link in README.md and docs/ names a file that exists, and a heading in it."""
    broken = []
    for target in links(page.read_text(encoding="utf-8")):
        name, _, anchor = target.partition("#")
        path = (page.parent / name).resolve() if name else page
        if (
            not path.exists()
            or ROOT not in path.parents
            or (anchor and path.suffix == ".md" and anchor not in _anchors(path.read_text("utf-8")))
        ):
            broken.append(target)
    assert not broken, f"{page.name}: {broken}"


def test_make_targets_named_in_the_docs_exist() -> None:
    """Each `make X` named in README.md or docs/ is a target in the Makefile."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z-]+):", makefile, flags=re.MULTILINE))
    named = {
        t for p in pages() for t in re.findall(r"(?:`|^)make ([a-z-]+)", p.read_text("utf-8"), re.M)
    }
    assert {"run", "test", "image-check", "teams-package"} <= named
    assert named <= targets, named - targets
