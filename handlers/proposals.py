"""Propose an entry: the form's fields per kind, the YAML snippet they make, and its problems.

A platform draws the form from `FORMS`, hands back what was typed, and gets either the
problems by field (shown in the form) or a valid snippet to post to the curators. The snippet
is checked as `chinabio validate` checks a file (knowledge.snippet); it never joins the store.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

from handlers.context import AskContext
from handlers.parse import Command
from handlers.reply import Action, ActionKind, Reply, ReplyKind
from knowledge import KnowledgeStore
from knowledge.models import DealType, OrgType, PartyRole
from knowledge.snippet import check_snippet
from knowledge.validate import slugify


@dataclass(frozen=True)
class FormField:
    """One input of a proposal form."""

    name: str
    label: str
    required: bool = False
    hint: str = ""
    choices: tuple[str, ...] = ()
    multiline: bool = False


_ID = FormField("id", "Id (optional)", hint="lowercase-with-dashes; made from the name if blank")
_SOURCE = FormField("source", "Source id", True, "the id of a source in the knowledge")
_LOCATOR = FormField("locator", "Where in the source", hint="section or page, e.g. II.2 Bayer")
_LINK = FormField("link", "Link or publication (for the curator)", hint="not part of the entry")

FORMS: dict[str, tuple[FormField, ...]] = {
    "deal": (
        FormField("title", "Title", True, "Bayer – Puhe PRMT5 licence"),
        _ID,
        FormField("type", "Type", True, choices=tuple(t.value for t in DealType)),
        FormField(
            "parties",
            "Parties",
            True,
            "organisation-id: role, one per line (roles: "
            + ", ".join(r.value for r in PartyRole)
            + ")",
            multiline=True,
        ),
        FormField("date", "Date", hint="2025, 2025-04 or 2025-04-23, as precise as the source"),
        FormField("territory", "Territory", hint="as the source gives it"),
        FormField("summary", "Summary in your own words", True, multiline=True),
        _SOURCE,
        _LOCATOR,
        _LINK,
    ),
    "company": (
        FormField("name", "Name", True),
        _ID,
        FormField("type", "Type", True, choices=tuple(t.value for t in OrgType)),
        FormField("location", "Location", hint="as the source gives it"),
        FormField("description", "Description in your own words", multiline=True),
        _SOURCE,
        _LOCATOR,
        _LINK,
    ),
    "person": (
        FormField("name", "Name", True),
        _ID,
        FormField("role", "Role title", hint="needs the organisation too"),
        FormField("organisation", "Organisation id", hint="needs the role title too"),
        FormField("bio", "Bio in your own words", multiline=True),
        _SOURCE,
        _LOCATOR,
        _LINK,
    ),
    "quote": (
        FormField("text", "Quote, word for word", True, multiline=True),
        FormField("speaker", "Speaker (person id)", True),
        _ID,
        FormField("role", "Speaker's role as the source gives it"),
        FormField("organisation", "Organisation id"),
        FormField("date", "Date", hint="2025, 2025-04 or 2025-04-23"),
        _SOURCE,
        _LOCATOR,
        _LINK,
    ),
}
KIND_WORDS = {
    "organisation": "company",
    "organization": "company",
    "org": "company",
    "who": "person",
}
_YAML_KEY = {"deal": "deals", "company": "organisations", "person": "people", "quote": "quotes"}
#: Which form field a problem on each YAML field belongs to.
_FIELD_OF_KEY = {"sources": "source", "roles": "role", "name": "name", "title": "title"}
_PARTY = re.compile(r"^\s*([^:,]+?)\s*[:=]\s*([\w-]+)\s*$")


@dataclass(frozen=True)
class ProposalCheck:
    """A built proposal: the snippet, its id, and the problems by form field (empty = valid)."""

    kind: str
    entity_id: str
    snippet: str
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return not self.errors


def form_kind(word: str) -> str | None:
    """Return the proposal kind a word names (deal, company, person, quote), or None."""
    word = word.strip().casefold()
    word = KIND_WORDS.get(word, word)
    return word if word in FORMS else None


def handle_propose(cmd: Command, store: KnowledgeStore, ctx: AskContext) -> Reply:
    """`propose deal|company|person|quote`: offer the form for that kind."""
    kind = form_kind(cmd.rest)
    if kind is None:
        return Reply(
            kind=ReplyKind.PROPOSAL,
            title="Propose an entry",
            text="Say what you would like to propose: a deal, a company, a person or a quote.",
            actions=[_open(k) for k in FORMS],
            shareable=False,
        )
    return Reply(
        kind=ReplyKind.PROPOSAL,
        title=f"Propose a {kind}",
        text=(
            "Open the form and fill it in. The bot checks it as the knowledge is checked and "
            "sends it to the curators; nothing you type enters the knowledge until a curator "
            "adds it."
        ),
        actions=[_open(kind)],
        shareable=False,
    )


def _open(kind: str) -> Action:
    return Action(kind=ActionKind.PROPOSE, label=f"Propose a {kind}", command=kind)


def check_proposal(kind: str, values: dict[str, str], store: KnowledgeStore) -> ProposalCheck:
    """Build the snippet from the form's values and check it; return it with its problems."""
    values = {
        k: " ".join(v.split()) if k not in _MULTILINE else v.strip() for k, v in values.items() if v
    }
    errors = {
        f.name: f"{f.label} is required."
        for f in FORMS[kind]
        if f.required and not values.get(f.name)
    }
    entry, party_error = _entry(kind, values)
    if party_error:
        errors.setdefault("parties", party_error)
    snippet = _snippet(kind, entry, values.get("link"))
    if not errors:
        lines = _key_lines(snippet)
        for problem in check_snippet(snippet, store):
            name = _field_for(kind, lines.get(problem.line, "id"))
            errors.setdefault(name, problem.message)
    return ProposalCheck(kind, str(entry["id"]), snippet, errors)


_MULTILINE = {f.name for fields in FORMS.values() for f in fields if f.multiline}


def _entry(kind: str, values: dict[str, str]) -> tuple[dict[str, object], str | None]:
    """Return the entry as YAML data, and what is wrong with the parties, if anything."""
    name = values.get("title") if kind == "deal" else values.get("name")
    entity_id = values.get("id") or slugify(name or values.get("text", "")[:40] or kind)
    entry: dict[str, object] = {"id": entity_id}
    problem = None
    plain = {"deal": ("title", "type"), "company": ("name", "type"), "person": ("name",)}
    plain["quote"] = ("text", "speaker", "role", "organisation")
    for key in plain[kind]:
        if key in values:
            entry[key] = values[key]
    if kind == "deal":
        parties, problem = _parties(values.get("parties", ""))
        entry["parties"] = parties
    if kind == "person" and (values.get("role") or values.get("organisation")):
        role = {"title": values.get("role"), "organisation": values.get("organisation")}
        entry["roles"] = [{k: v for k, v in role.items() if v}]
    for key in ("date", "territory", "location"):
        if key in values and key in {f.name for f in FORMS[kind]}:
            entry[key] = int(values[key]) if values[key].isdigit() else values[key]
    for key in ("summary", "description", "bio"):
        if key in values and key in {f.name for f in FORMS[kind]}:
            entry[key] = values[key]
    source: dict[str, str] = {"source": values.get("source", "")}
    if values.get("locator"):
        source["locator"] = values["locator"]
    entry["sources"] = [source]
    return entry, problem


def _parties(text: str) -> tuple[list[dict[str, str]], str | None]:
    parties: list[dict[str, str]] = []
    for line in re.split(r"[\n,;]+", text):
        if not line.strip():
            continue
        match = _PARTY.match(line)
        if match is None:
            return parties, f"Write each party as organisation-id: role (not “{line.strip()}”)."
        parties.append({"organisation": match.group(1), "role": match.group(2).casefold()})
    return parties, None


def _snippet(kind: str, entry: dict[str, object], link: str | None) -> str:
    body = yaml.safe_dump({_YAML_KEY[kind]: [entry]}, sort_keys=False, allow_unicode=True, width=88)
    note = f"# proposed in chat; the proposer's source: {link}\n" if link else ""
    return note + body


def _key_lines(snippet: str) -> dict[int, str]:
    """Map each line of the snippet to the entry field it belongs to."""
    lines: dict[int, str] = {}
    current = "id"
    for number, line in enumerate(snippet.splitlines(), start=1):
        match = re.match(r"^(?:- |  )([a-z_]+):", line)
        if match:
            current = match.group(1)
        lines[number] = current
    return lines


def _field_for(kind: str, key: str) -> str:
    names = {f.name for f in FORMS[kind]}
    name = _FIELD_OF_KEY.get(key, key)
    return name if name in names else "id"
