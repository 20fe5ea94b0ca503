"""Every kind of problem in knowledge YAML is reported as file:line with a message saying how to fix it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from knowledge import KnowledgeError, load_store
from knowledge.problems import Problem

FIXTURES = Path(__file__).resolve().parent / "fixtures"

Problems = Callable[[dict[str, str]], list[Problem]]

ORGS = """organisations:
  - id: legochem
    name: LegoChem Biosciences
    type: biotech
    sources: [{source: fixture-report}]
"""


def deal(**fields: str) -> str:
    """Return deals.yaml with one deal (line 2 is `- id:`); `fields` replace or add lines."""
    base = {
        "id": "d-one",
        "title": "A deal",
        "type": "licence",
        "parties": "[{organisation: legochem, role: licensor}]",
        "summary": "Rights to an ADC.",
        "sources": "[{source: fixture-report}]",
    }
    base.update(fields)
    lines = [f"    {k}: {v}" for k, v in base.items() if v != "-"]
    lines[0] = "  - " + lines[0].lstrip()
    return "deals:\n" + "\n".join(lines) + "\n"


def only(problems: list) -> tuple[str, int, str]:
    """Return (file name, line, message) of the single problem."""
    assert len(problems) == 1, [str(p) for p in problems]
    return Path(problems[0].file).name, problems[0].line, problems[0].message


def test_unknown_field_names_the_nearest_and_the_allowed(problems_for: Problems) -> None:
    """A misspelt field is reported on its own line with the nearest allowed field."""
    name, line, message = only(problems_for({"o.yaml": ORGS, "deals.yaml": deal(summry="x")}))
    assert (name, line) == ("deals.yaml", 8)
    assert "unknown field" in message
    assert "did you mean 'summary'?" in message
    assert "Allowed fields: id, sources, title" in message


def test_unknown_nested_field_points_at_the_nested_line(problems_for: Problems) -> None:
    """A wrong field inside a party is reported at the party's line, suggesting 'note'."""
    parties = "\n      - {organisation: legochem, role: licensor}\n      - {organisation: legochem, role: partner, nte: x}"
    _name, line, message = only(problems_for({"o.yaml": ORGS, "deals.yaml": deal(parties=parties)}))
    assert line == 7
    assert "parties[1].nte" in message
    assert "'note'" in message


def test_missing_field_points_at_the_entry(problems_for: Problems) -> None:
    """A missing required field is reported at the entry's first line, saying what to add."""
    _name, line, message = only(problems_for({"o.yaml": ORGS, "deals.yaml": deal(summary="-")}))
    assert line == 2
    assert message == "deal 'd-one': summary: missing required field; add `summary: ...`"


def test_wrong_type_says_what_was_given_and_how_to_write_it(problems_for: Problems) -> None:
    """A string where a list belongs is reported with the value and list syntax."""
    _name, line, message = only(problems_for({"o.yaml": ORGS, "deals.yaml": deal(aliases="one")}))
    assert line == 8
    assert "aliases: input should be a valid list, got str 'one'" in message
    assert "one '- item' per line" in message


def test_enum_value_suggests_the_nearest_choice(problems_for: Problems) -> None:
    """An unknown deal type is reported with the closest allowed spelling."""
    _, line, message = only(problems_for({"o.yaml": ORGS, "deals.yaml": deal(type="license")}))
    assert line == 4
    assert "did you mean 'licence'?" in message
    assert "acquisition" in message


def test_bad_slug_suggests_a_valid_id(problems_for: Problems) -> None:
    """An id with capitals and spaces is refused with a slug suggestion."""
    _, line, message = only(problems_for({"o.yaml": ORGS, "deals.yaml": deal(id='"Big Deal"')}))
    assert line == 2
    assert "e.g. 'big-deal'" in message


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-02-30", "2024-02-30 is not a real date (day is out of range for month)"),
        ("Sept 2024", "'Sept 2024' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD"),
        ("2024-13", "2024-13: the month must be between 01 and 12"),
        ("2024.5", "2024.5 is not a date"),
    ],
)
def test_bad_date_is_explained(problems_for: Problems, value: str, expected: str) -> None:
    """Impossible or free-text dates are reported on the date's line."""
    _, line, message = only(problems_for({"o.yaml": ORGS, "deals.yaml": deal(date=value)}))
    assert line == 8
    assert message.startswith("deal 'd-one': date")
    assert expected in message


def test_duplicate_id_reports_both_places(problems_for: Problems) -> None:
    """The same id in two files is reported at each, naming the other file and line."""
    again = ORGS.replace(
        "organisations:",
        "organisations:\n  - id: x\n    name: X\n    type: pharma\n    sources: [{source: fixture-report}]",
    )
    problems = problems_for({"a.yaml": ORGS, "b.yaml": again})
    assert [(Path(p.file).name, p.line) for p in problems] == [("a.yaml", 2), ("b.yaml", 6)]
    assert problems[0].message.endswith("rename one")
    assert problems[0].message.split("also defined at ")[1].startswith(f"{problems[1].file}:6")
    assert f"{problems[0].file}:2" in problems[1].message


def test_duplicate_id_across_kinds_is_reported(problems_for: Problems) -> None:
    """Ids are global: a topic and an organisation cannot share one."""
    topic = (
        "topics:\n  - id: legochem\n    name: LegoChem\n    sources: [{source: fixture-report}]\n"
    )
    problems = problems_for({"a.yaml": ORGS, "t.yaml": topic})
    assert len(problems) == 2
    assert all("duplicate id 'legochem'" in p.message for p in problems)


def test_unknown_reference_names_the_field_and_nearest_id(problems_for: Problems) -> None:
    """A party naming an unknown organisation suggests the closest organisation id."""
    parties = "[{organisation: legochen, role: licensor}]"
    _, line, message = only(problems_for({"o.yaml": ORGS, "deals.yaml": deal(parties=parties)}))
    assert line == 5
    assert "parties[0].organisation: no organisation has id 'legochen'" in message
    assert "did you mean 'legochem'?" in message
    assert "organisations:" in message


def test_unknown_reference_suggests_only_the_right_kind(problems_for: Problems) -> None:
    """The suggestion for a missing topic is a topic, not a similarly named organisation."""
    topics = "topics:\n  - id: adc\n    name: ADC\n    sources: [{source: fixture-report}]\n"
    files = {"o.yaml": ORGS, "t.yaml": topics, "deals.yaml": deal(topics="[legochem-adc]")}
    _, _, message = only(problems_for(files))
    assert "no topic has id 'legochem-adc'" in message
    assert "did you mean 'adc'?" in message


def test_reference_to_the_wrong_kind_says_both_kinds(problems_for: Problems) -> None:
    """A quote whose speaker is an organisation is refused: speaker must be a person."""
    quote = "quotes:\n  - id: q\n    text: Hello.\n    speaker: legochem\n    sources: [{source: fixture-report}]\n"
    _, line, message = only(problems_for({"o.yaml": ORGS, "q.yaml": quote}))
    assert line == 4
    assert message == (
        "quote 'q': speaker: 'legochem' is an organisation, but this field must name a person"
    )


def test_reference_to_an_unknown_source(problems_for: Problems) -> None:
    """Every entity's sources must name a source entry."""
    text = ORGS.replace("source: fixture-report", "source: fixture-reprot")
    _, line, message = only(problems_for({"o.yaml": text}))
    assert line == 5
    assert "sources[0].source: no source has id 'fixture-reprot'" in message
    assert "did you mean 'fixture-report'?" in message


def test_invalid_yaml_syntax_gives_the_line(problems_for: Problems) -> None:
    """Broken YAML is reported at the line where the parser gave up."""
    text = "organisations:\n  - id: a\n    name: [unclosed\n    type: biotech\n"
    name, line, message = only(problems_for({"o.yaml": text}))
    assert name == "o.yaml"
    assert line in (3, 4, 5)
    assert message.startswith("invalid YAML")


def test_bad_indentation_gives_the_line(problems_for: Problems) -> None:
    """A mis-indented key is reported at its own line."""
    text = "organisations:\n  - id: a\n    name: A\n      type: biotech\n"
    _, line, message = only(problems_for({"o.yaml": text}))
    assert line == 4
    assert "indentation" in message


def test_duplicate_key_in_one_entry_is_refused(problems_for: Problems) -> None:
    """A key written twice in one mapping is an error (the second would silently win)."""
    text = ORGS + "    name: Other name\n"
    _, line, message = only(problems_for({"o.yaml": text}))
    assert line == 6
    assert "'name' appears twice" in message
    assert "line 3" in message


def test_unknown_top_level_kind_suggests_the_right_one(problems_for: Problems) -> None:
    """A singular 'deal:' key is reported at its line with 'deals' suggested."""
    _, line, message = only(problems_for({"o.yaml": ORGS + "deal:\n  - id: x\n"}))
    assert line == 6
    assert "unknown kind 'deal'" in message
    assert "did you mean 'deals'?" in message


def test_kind_that_is_not_a_list(problems_for: Problems) -> None:
    """A kind holding a mapping instead of a list of entries is refused."""
    _, line, message = only(problems_for({"o.yaml": "organisations:\n  id: a\n"}))
    assert line == 1
    assert "must be a list of entries" in message


def test_top_level_list_is_refused(problems_for: Problems) -> None:
    """A file that is a bare list (no kind key) is refused at line 1."""
    _, line, message = only(problems_for({"o.yaml": "- id: a\n"}))
    assert line == 1
    assert "top level must be one mapping of kinds" in message


def test_entry_that_is_not_a_mapping(problems_for: Problems) -> None:
    """A list item that is a bare word is refused at its own line."""
    _, line, message = only(problems_for({"o.yaml": ORGS + "  - legochem\n"}))
    assert line == 6
    assert message.startswith("organisation #2: entry:")


def test_empty_file_is_fine_and_comments_only_too(problems_for: Problems) -> None:
    """Empty and comment-only files load without problems."""
    assert problems_for({"empty.yaml": "", "notes.yaml": "# nothing yet\n"}) == []


def test_empty_folder_is_a_problem(tmp_path: Path) -> None:
    """A folder with no YAML says so, naming the folder."""
    with pytest.raises(KnowledgeError) as caught:
        load_store(tmp_path)
    assert caught.value.problems[0].file == str(tmp_path)
    assert "no .yaml files here" in caught.value.problems[0].message


def test_missing_folder_is_a_problem(tmp_path: Path) -> None:
    """A folder that does not exist is reported, not a crash."""
    with pytest.raises(KnowledgeError) as caught:
        load_store(tmp_path / "nope")
    assert "no such folder" in str(caught.value)


def test_not_utf8_is_a_problem(problems_for: Problems, tmp_path: Path) -> None:
    """A file in another encoding is refused with a hint to re-save it."""
    folder = tmp_path / "case"
    folder.mkdir()
    (folder / "latin.yaml").write_bytes("organisations: []\n# caf\xe9\n".encode("latin-1"))
    name, line, message = only(problems_for({}))
    assert name == "latin.yaml"
    assert line == 1
    assert "UTF-8" in message


def test_every_problem_in_a_folder_is_reported_at_once(problems_for: Problems) -> None:
    """Problems in several files and kinds come back together, sorted by file and line."""
    files = {
        "o.yaml": ORGS,
        "deals.yaml": deal(type="license", topics="[nope]"),
        "x.yaml": "deal:\n  - id: y\n",
    }
    problems = problems_for(files)
    assert [(Path(p.file).name, p.line) for p in problems] == [
        ("deals.yaml", 4),
        ("deals.yaml", 8),  # the refused deal's missing topic, in the same run
        ("x.yaml", 1),
    ]
    assert str(problems[0]).startswith(problems[0].file + ":4: deal 'd-one': type:")
    assert "deal 'd-one': topics[0]: no topic has id 'nope'" in str(problems[1])


@pytest.mark.parametrize(
    ("summary", "expected"),
    [
        ('"   "', "summary: must not be empty"),
        (">\n      Rights to an ADC.", "summary: starts or ends with spaces or a line break"),
        ('" Rights to an ADC."', "write `>-` or `|-`"),
    ],
    ids=["blank", "block-keeps-its-line-break", "leading-space"],
)
def test_text_with_blank_edges_is_refused(
    problems_for: Problems, summary: str, expected: str
) -> None:
    """Text is kept as written, so a blank one or one with a stray edge is refused, not trimmed."""
    _, line, message = only(problems_for({"o.yaml": ORGS, "deals.yaml": deal(summary=summary)}))
    assert line == 6
    assert expected in message


def test_a_stripped_block_is_accepted(problems_for: Problems) -> None:
    assert (
        problems_for(
            {"o.yaml": ORGS, "deals.yaml": deal(summary=">-\n      Rights to\n      an ADC.")}
        )
        == []
    )


@pytest.mark.parametrize(
    ("fixture", "opener"),
    [("quote", 'the " quote'), ("bracket", "the '['"), ("brace", "the '{'")],
)
def test_an_unclosed_quote_or_bracket_is_reported_where_it_opened(
    problems_for: Problems, fixture: str, opener: str
) -> None:
    """The problem points at line 3, which opened it, not at the end of the file."""
    text = (FIXTURES / "unclosed" / f"{fixture}.yaml").read_text(encoding="utf-8")
    name, line, message = only(problems_for({"topics.yaml": text}))
    assert (name, line) == ("topics.yaml", 3)
    assert f"{opener} opened on this line is never closed" in message
    assert "close it with" in message
