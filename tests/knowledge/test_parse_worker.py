"""Large folders are parsed in a worker process; the result must equal the in-process load."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from knowledge import KnowledgeError, accel, load_store
from knowledge.accel import parse_worker_client as client
from knowledge.loader import default_dir, yaml_files

GOOD = Path(__file__).resolve().parent / "fixtures" / "good"


@pytest.fixture
def via_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    """Send every folder, however small, through the parse worker."""
    monkeypatch.setattr(accel, "LARGE_FOLDER_BYTES", 0)


def _frames_used(monkeypatch: pytest.MonkeyPatch) -> list[client.Frame]:
    """Record the frames the loader receives from the worker."""
    seen: list[client.Frame] = []
    original = client._frames

    def spy(stream: object) -> object:
        for frame in original(stream):
            seen.append(frame)
            yield frame

    monkeypatch.setattr(client, "_frames", spy)
    return seen


def _problems_both_ways(folder: Path) -> tuple[list[str], list[str]]:
    """The problems of an invalid `folder` loaded through the worker, then in-process."""
    with pytest.raises(KnowledgeError) as through_worker:
        load_store(folder)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(accel, "LARGE_FOLDER_BYTES", 1 << 40)
        with pytest.raises(KnowledgeError) as in_process:
            load_store(folder)
    return [str(p) for p in through_worker.value.problems], [
        str(p) for p in in_process.value.problems
    ]


@pytest.mark.parametrize("folder", [GOOD, default_dir()], ids=["fixture", "shipped"])
def test_worker_load_equals_in_process_load(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Through the worker: the same entities, equal field by field, and the same version."""
    expected = load_store(folder)
    monkeypatch.setattr(accel, "LARGE_FOLDER_BYTES", 0)
    frames = _frames_used(monkeypatch)
    store = load_store(folder)
    assert frames
    assert all(f.payload is not None for f in frames)
    assert list(store.entities) == list(expected.entities)
    assert store.entities == expected.entities
    assert store.version == expected.version


@pytest.mark.usefixtures("via_worker")
def test_worker_load_reports_problems_with_lines(tmp_path: Path) -> None:
    """A file with an error is re-read in-process, so the problem keeps its file and line."""
    shutil.copytree(GOOD, tmp_path / "k")
    bad = tmp_path / "k" / "zz-bad.yaml"
    bad.write_text("topics:\n  - id: Bad Id\n    name: X\n    sources: [{source: nowhere}]\n")
    with pytest.raises(KnowledgeError) as caught:
        load_store(tmp_path / "k")
    lines = {(Path(p.file).name, p.line) for p in caught.value.problems}
    assert ("zz-bad.yaml", 2) in lines


@pytest.mark.usefixtures("via_worker")
def test_unparsable_file_is_reported_like_in_process(tmp_path: Path) -> None:
    """Invalid YAML gets the same message through the worker as without it."""
    shutil.copytree(GOOD, tmp_path / "k")
    (tmp_path / "k" / "broken.yaml").write_text("topics: [unclosed\n", encoding="utf-8")
    through_worker, in_process = _problems_both_ways(tmp_path / "k")
    assert through_worker == in_process


@pytest.mark.usefixtures("via_worker")
def test_dead_worker_falls_back_to_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """If the worker cannot run, every file is parsed in-process and the load still succeeds."""
    expected = len(load_store(GOOD).entities)
    monkeypatch.setattr(client.sys, "executable", "/bin/false")
    frames = _frames_used(monkeypatch)
    assert len(load_store(GOOD).entities) == expected
    assert frames == []


def test_shipped_knowledge_loads_without_a_worker() -> None:
    """The shipped folder is far below the worker threshold, so a reload starts no process."""
    size = sum(path.stat().st_size for path in yaml_files(default_dir()))
    assert size * 10 < accel.LARGE_FOLDER_BYTES


@pytest.mark.parametrize(
    ("value", "high"),
    [(".inf", "-.Inf"), ("1180591620717411303424", "0x1F"), ("1e3", "~")],
    ids=["infinities", "beyond-64-bits-and-hex", "exponent-and-null"],
)
def test_edge_numbers_read_the_same_through_the_worker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str, high: str
) -> None:
    """YAML's odd numbers arrive exactly as parsed in-process (or the file is parsed here)."""
    shutil.copytree(GOOD, tmp_path / "k")
    insights = tmp_path / "k" / "insights.yaml"
    insights.write_text(
        insights.read_text().replace(
            "    value: 12\n", f"    value: {value}\n    value_high: {high}\n"
        )
    )
    expected = load_store(tmp_path / "k").entities["ai-deal-share"]
    monkeypatch.setattr(accel, "LARGE_FOLDER_BYTES", 0)
    got = load_store(tmp_path / "k").entities["ai-deal-share"]
    assert (got.value, got.value_high) == (expected.value, expected.value_high)  # type: ignore[union-attr]


@pytest.mark.usefixtures("via_worker")
@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("id: legochem\n", "id: LegoChem\n", "'LegoChem' is not a valid id"),
        ("id: legochem\n", 'id: "lego\\nchem"\n', "'lego\\nchem' is not a valid id"),
        ("label: upfront", "label: 'upfront '", "money[0].label: starts or ends with spaces"),
    ],
    ids=["id", "id-with-a-line-break", "nested-text"],
)
def test_file_wide_rules_are_reported_through_the_worker(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    """Ids and text edges, checked a file at a time on the fast path, keep their file:line."""
    shutil.copytree(GOOD, tmp_path / "k")
    path = next(p for p in (tmp_path / "k").glob("*.yaml") if old in p.read_text())
    path.write_text(path.read_text().replace(old, new, 1))
    through_worker, in_process = _problems_both_ways(tmp_path / "k")
    assert through_worker == in_process
    assert any(expected in m and f"{path.name}:" in m for m in through_worker), through_worker


@pytest.mark.usefixtures("via_worker")
def test_a_folder_named_like_the_workers_first_line_loads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The worker's first line is always its cache folder, so no file path is mistaken for it."""
    monkeypatch.chdir(tmp_path)
    shutil.copytree(GOOD, tmp_path / "store:k")
    frames = _frames_used(monkeypatch)
    store = load_store(Path("store:k"))
    assert len(frames) == len(yaml_files(GOOD))
    assert store.entities == load_store(GOOD).entities
