"""The parse cache: a large folder's unchanged files are read as parsed before, never trusted blindly."""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path

import pytest

from knowledge import KnowledgeError, accel, load_store
from knowledge.accel import parse_cache
from knowledge.loader import yaml_files

GOOD = Path(__file__).resolve().parent / "fixtures" / "good"


@pytest.fixture
def folder(good_copy: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the good fixture folder, sent through the parse workers however small."""
    monkeypatch.setattr(accel, "LARGE_FOLDER_BYTES", 0)
    return good_copy


def _kept(cache: Path) -> dict[str, Path]:
    return {p.stem: p for p in parse_cache.parsed_dir(cache).glob("*.frame")}


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_every_parsed_file_is_kept_by_its_content_hash(folder: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    store = load_store(folder, cache)
    assert set(_kept(cache)) == {_digest(p) for p in yaml_files(folder)}
    assert store.entities == load_store(GOOD).entities


def test_a_kept_file_is_read_instead_of_parsing_again(folder: Path, tmp_path: Path) -> None:
    """Proved by altering a kept file: the next load shows the alteration (still validated)."""
    cache = tmp_path / "cache"
    load_store(folder, cache)
    kept = _kept(cache)[_digest(folder / "topics.yaml")]
    altered = kept.read_bytes().replace(b"Antibody-drug conjugates", b"Kept-in-cache conjugates")
    kept.write_bytes(altered)  # the same length, so the frame stays whole
    assert load_store(folder, cache).entities["adc"].label() == "Kept-in-cache conjugates"


def test_an_edited_file_is_parsed_again_and_its_old_copy_dropped(
    folder: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    load_store(folder, cache)
    topics = folder / "topics.yaml"
    before = _digest(topics)
    topics.write_text(topics.read_text().replace("Antibody-drug conjugates", "Edited ADCs"))
    store = load_store(folder, cache)
    assert store.entities["adc"].label() == "Edited ADCs"
    assert before not in _kept(cache)
    assert _digest(topics) in _kept(cache)


def test_a_damaged_kept_file_is_parsed_again(
    folder: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    cache = tmp_path / "cache"
    expected = load_store(folder, cache).entities
    kept = _kept(cache)[_digest(folder / "deals.yaml")]
    kept.write_bytes(kept.read_bytes()[:-40])  # cut short, as by a full disk
    with caplog.at_level(logging.WARNING, logger="knowledge.accel.parse_worker_client"):
        assert load_store(folder, cache).entities == expected
    assert "parsing it again" in caplog.text
    caplog.clear()
    assert load_store(folder, cache).entities == expected  # dropped, so kept anew
    assert "parsing it again" not in caplog.text


def test_a_file_with_problems_is_not_kept(folder: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    bad = folder / "zz-bad.yaml"
    bad.write_text("topics: [unclosed\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"zz-bad\.yaml"):
        load_store(folder, cache)
    assert _digest(bad) not in _kept(cache)
    assert _digest(folder / "deals.yaml") in _kept(cache)  # the good files are


def test_another_parser_versions_files_are_dropped(folder: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    old = cache / "parsed-0123456789ab"
    old.mkdir(parents=True)
    (old / f"{'0' * 64}.frame").write_bytes(b"old")
    load_store(folder, cache)
    assert not old.exists()
    assert _kept(cache)


def test_an_unwritable_cache_only_costs_the_parse(
    folder: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("")
    with caplog.at_level(logging.WARNING, logger="knowledge.accel.parse_worker_client"):
        store = load_store(folder, not_a_folder)
    assert store.entities == load_store(GOOD).entities
    assert "cannot keep parsed files" in caplog.text


def test_small_folders_keep_nothing(tmp_path: Path) -> None:
    """Below the worker threshold the folder is parsed in-process, faster than any cache."""
    load_store(GOOD, tmp_path / "cache")
    assert not list((tmp_path / "cache").glob("parsed-*"))


def test_a_crashed_writers_partial_file_is_dropped_once_old(folder: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    load_store(folder, cache)
    old, young = (parse_cache.parsed_dir(cache) / f".{n}.1.partial" for n in ("old", "young"))
    old.write_bytes(b"half")
    young.write_bytes(b"half")
    os.utime(old, (0, 0))
    load_store(folder, cache)
    assert not old.exists()
    assert young.exists()
