"""Parse YAML fast, and find the line of any path in it when something needs reporting.

The fast path (`parse`) uses yaml_rs, a Rust parser, and keeps no positions. Only when a file
has a problem is it composed again with PyYAML, whose nodes carry marks (`NodeLines`).
Before either parser builds anything, a file with anchors has its aliases counted
(`alias_overflow`): nested aliases can repeat data a billion times from a few hundred bytes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import yaml
import yaml_rs

Path_ = Sequence[str | int]
#: how many nodes the aliases (`*name`) of one file may repeat in all
ALIAS_BUDGET = 10_000

_RS_LINE = re.compile(r"at line (\d+)")
#: where a YAML anchor may start (more than that: prose such as " &co" too); no anchor, no alias.
#: An `&` after a space, a flow indicator or the start, then a name; `&` first: a fast search.
MAY_ANCHOR = re.compile(r"&(?<![^\s\[{,:\ufeff]&)[^\s\[\]{},]")


def may_hold_anchor(text: str) -> bool:
    """Say whether `text` may define a YAML anchor, which aliases could repeat."""
    return MAY_ANCHOR.search(text) is not None


class YamlSyntaxError(Exception):
    """The text is not valid YAML; `line` is 1-based."""

    def __init__(self, line: int, message: str) -> None:
        self.line = line
        self.message = message
        super().__init__(f"{line}: {message}")


def parse(text: str) -> Any:
    """Return the data of one YAML document (dates stay strings); raise YamlSyntaxError."""
    overflow = alias_overflow(text) if may_hold_anchor(text) else None
    if overflow is not None:
        raise YamlSyntaxError(
            overflow,
            f"aliases (*name) here repeat more than {ALIAS_BUDGET:,} nodes of anchored (&name) "
            f"data; aliases may expand at most {ALIAS_BUDGET:,} nodes in all: write the "
            "repeated entries out instead",
        )
    try:
        return yaml_rs.loads(text, parse_datetime=False)
    except yaml_rs.YAMLDecodeError as exc:
        raise _explain(text, str(exc)) from None


def alias_overflow(text: str, budget: int = ALIAS_BUDGET) -> int | None:
    """Return the 1-based line of the alias past which aliases repeat over `budget` nodes.

    Counts from PyYAML's events, which never expand an alias: each anchored node's size (its
    aliases' included) is known when it ends, and each alias adds that size. None when within
    budget, or when the text is not YAML (the parser then says why).
    """
    anchored: dict[str, int] = {}  # anchor -> nodes in the node it names
    anchors: list[str | None] = []  # of each collection being read, outermost first
    counts: list[int] = []  # nodes in each of them so far
    repeated = 0
    try:
        for event in yaml.parse(text, Loader=yaml.CSafeLoader):
            if isinstance(event, yaml.CollectionStartEvent):
                anchors.append(event.anchor)
                counts.append(1)
                continue
            if isinstance(event, yaml.AliasEvent):
                size, anchor = anchored.get(str(event.anchor), 1), None
                repeated += size
                if repeated > budget:
                    return event.start_mark.line + 1 if event.start_mark else 1
            elif isinstance(event, yaml.ScalarEvent):
                size, anchor = 1, event.anchor
            elif isinstance(event, yaml.CollectionEndEvent):
                size, anchor = counts.pop(), anchors.pop()
            else:
                continue
            if anchor is not None:
                anchored[anchor] = size
            if counts:
                counts[-1] += size
    except yaml.YAMLError:
        return None
    return None


def _explain(text: str, rs_message: str) -> YamlSyntaxError:
    """Describe a syntax error with PyYAML's wording and line, or yaml_rs's when PyYAML accepts it."""
    try:
        root = yaml.compose(text, Loader=yaml.CSafeLoader)
    except yaml.MarkedYAMLError as exc:
        unclosed = _unclosed(text, exc)
        if unclosed is not None:
            return unclosed
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        what = exc.problem or "cannot parse"
        if exc.context and exc.context_mark:
            what += f" ({exc.context} at line {exc.context_mark.line + 1})"
        return YamlSyntaxError(line, f"invalid YAML: {what}; check the indentation and quoting")
    except yaml.YAMLError as exc:  # pragma: no cover - non-marked errors are rare
        return YamlSyntaxError(1, f"invalid YAML: {exc}")
    duplicate = _duplicate_key(root)
    if duplicate is not None:
        key, line, first = duplicate
        return YamlSyntaxError(
            line, f"key {key!r} appears twice in one mapping (first at line {first}); keep one"
        )
    found = _RS_LINE.search(rs_message)
    first_line = rs_message.strip().splitlines()[0]
    return YamlSyntaxError(int(found.group(1)) if found else 1, f"invalid YAML: {first_line}")


#: PyYAML's context for a quote or bracket still open where it gave up -> (name, closer)
_OPENERS = {
    "while scanning a quoted scalar": ("quote", None),
    "while parsing a flow sequence": ("'['", "]"),
    "while parsing a flow mapping": ("'{'", "}"),
}


def _unclosed(text: str, exc: yaml.MarkedYAMLError) -> YamlSyntaxError | None:
    """Report a quote or bracket left open at the line that opened it, not where parsing stopped."""
    opener = _OPENERS.get(exc.context or "")
    start, stop = exc.context_mark, exc.problem_mark
    if opener is None or start is None or stop is None or stop.line == start.line:
        return None
    name, closer = opener
    if closer is None:  # the quote character itself: ' or "
        lines = text.splitlines()
        quote = (
            lines[start.line][start.column : start.column + 1] if start.line < len(lines) else ""
        )
        name, closer = f"the {quote} quote", quote or '"'
    else:
        name = f"the {name}"
    if "end of stream" in (exc.problem or ""):
        where = f"the file ends at line {stop.line + 1}"
    else:
        where = f"parsing stopped at line {stop.line + 1}: {exc.problem}"
    return YamlSyntaxError(
        start.line + 1,
        f"invalid YAML: {name} opened on this line is never closed ({where}); "
        f"close it with {closer}",
    )


def _duplicate_key(node: yaml.Node | None) -> tuple[str, int, int] | None:
    """Return (key, line, first line) of the first key repeated inside one mapping."""
    stack = [node] if node is not None else []
    seen_nodes: set[int] = set()  # an aliased node is one object: look inside it once
    while stack:
        current = stack.pop()
        if id(current) in seen_nodes:
            continue
        seen_nodes.add(id(current))
        if isinstance(current, yaml.MappingNode):
            seen: dict[str, int] = {}
            for key, value in current.value:
                name = str(key.value)
                if name in seen:
                    return name, key.start_mark.line + 1, seen[name]
                seen[name] = key.start_mark.line + 1
                stack.append(value)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
    return None


class NodeLines:
    """The composed node tree of one YAML file, to map data paths to 1-based lines."""

    def __init__(self, text: str) -> None:
        try:
            self.root: yaml.Node | None = yaml.compose(text, Loader=yaml.CSafeLoader)
        except yaml.YAMLError:
            self.root = None

    def line(self, path: Path_) -> int:
        """Return the line of `path` (a key's own line for mapping keys), or its nearest parent's."""
        node = self.root
        line = node.start_mark.line + 1 if node is not None else 1
        for step in path:
            if isinstance(node, yaml.MappingNode):
                pair = next((kv for kv in node.value if str(kv[0].value) == str(step)), None)
                if pair is None:
                    return line
                line = pair[0].start_mark.line + 1
                node = pair[1]
            elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
                if not 0 <= step < len(node.value):
                    return line
                node = node.value[step]
                line = node.start_mark.line + 1
            else:
                return line
        return line
