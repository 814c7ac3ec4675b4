"""YAML from untrusted files, bounded: aliases work, alias bombs and deep nesting get a message.

YAML aliases are legitimate (``&common`` ... ``*common``), but nine levels of
aliases to lists of aliases expand a 700-byte file into gigabytes, and a list
nested 100,000 deep overflows the parser's stack. Every YAML that Studylog
reads (``papers.yaml``, log front matter, a Jekyll blog's posts and
``_config.yml``) goes through :func:`compose` or :func:`load`, which

1. walk the parser's events (a flat stream, no recursion) and refuse nesting
   deeper than :data:`MAX_DEPTH`;
2. compose the node graph, in which an alias is a shared node, not a copy;
3. count what the graph would expand to, each shared node once (so the count
   is linear in the file), and refuse more than :data:`MAX_NODES` expanded
   nodes, or an alias inside itself (``notes: &r [*r]``);
4. construct Python values (PyYAML's safe constructor), turning its plain Python
   errors (``!!int abc``, ``2021-02-30``, an integer of 100,000 digits) into a
   message with the line; or, for a blog being imported (``dates_as_text``), keep a
   date that does not exist as the text it is, so the importer can recover the post.

Each problem is one :class:`~generator.errors.StudylogError` with the file and line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import StudylogError
from .text import yaml_line, yaml_problem

MAX_DEPTH = 64
"""Nesting of lists and mappings, as written or through aliases. Real files use fewer than ten."""
MAX_NODES = 200_000
"""Values after expanding aliases. A 2,000-paper catalogue has about 30,000."""

# libyaml's C parser where PyYAML was built with it (the wheels are): 3-4x faster than Python's.
_Loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


SYNTAX_HINT = "check the indentation and quoting on that line"


def compose(text: str, path: str | Path, *, line_offset: int = 0, where: str = "",
            hint: str | None = SYNTAX_HINT) -> yaml.Node | None:
    """The node tree of ``text`` (None when empty), checked against the limits.

    ``line_offset`` is added to every line reported (front matter starts below the ``---``);
    ``where`` names the part of the file (`` in the front matter``) and ``hint`` says how to fix
    a syntax error there.
    """
    where = f" {where.strip()}" if where.strip() else ""
    hint = hint or SYNTAX_HINT
    _check_nesting(text, path, line_offset, where, hint)
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as err:
        raise StudylogError(f"invalid YAML{where}: {yaml_problem(err)}", path=path,
                            line=yaml_line(err, line_offset), hint=hint) from None
    if node is not None:
        check_expansion(node, path, line_offset)
    return node


def load(text: str, path: str | Path, *, line_offset: int = 0, where: str = "", hint: str | None = SYNTAX_HINT,
         dates_as_text: bool = False) -> Any:
    """The Python value of ``text`` (None when empty), within the limits. Raises StudylogError."""
    node = compose(text, path, line_offset=line_offset, where=where, hint=hint)
    return None if node is None else construct(node, path, line_offset, using=constructor(dates_as_text=dates_as_text))


class _TolerantDates(yaml.SafeLoader):
    """The safe constructor, with a date that does not exist (2021-02-30, T25:00) read as its text."""


def _timestamp_or_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError):
        return loader.construct_scalar(node)


_TolerantDates.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)


def constructor(*, dates_as_text: bool = False) -> yaml.SafeLoader:
    """A safe constructor for one document (a constructor keeps every object it built, so never share one)."""
    return _TolerantDates("") if dates_as_text else yaml.SafeLoader("")


def construct(node: yaml.Node, path: str | Path, line_offset: int = 0, *, using: yaml.SafeLoader | None = None) -> Any:
    """Python values for a checked node, with a line for values PyYAML cannot make.

    ``using`` is the document's constructor, when one document's nodes are constructed one by one.
    """
    try:
        return (using or constructor()).construct_document(node)
    except (yaml.YAMLError, ValueError, TypeError, OverflowError, LookupError) as err:
        where = _failing_scalar(node)
        line = (where.start_mark.line + 1 + line_offset) if where is not None else (yaml_line(err, line_offset))
        shown = where.value[:40] + ("..." if len(where.value) > 40 else "") if where is not None else ""
        what = f"'{shown}' ({_tag(where)})" if where is not None else "a value"
        raise StudylogError(f"invalid YAML: {what} cannot be read: {_reason(err)}", path=path, line=line,
                            hint="quote it to keep it as text, or write a valid value") from None


def _check_nesting(text: str, path: str | Path, line_offset: int, where: str, hint: str) -> None:
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise StudylogError(
                        f"YAML nested more than {MAX_DEPTH} levels deep", path=path,
                        line=_line(event.start_mark, line_offset),
                        hint="flatten the lists and mappings; no Studylog file needs this depth",
                    )
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError as err:
        raise StudylogError(f"invalid YAML{where}: {yaml_problem(err)}", path=path,
                            line=yaml_line(err, line_offset), hint=hint) from None


def check_expansion(root: yaml.Node, path: str | Path, line_offset: int = 0) -> None:
    """Refuse a node graph whose aliases expand past the limits, or refer to themselves."""
    size: dict[int, int] = {}
    depth: dict[int, int] = {}
    on_path: set[int] = set()
    # Iterative post-order walk: (node, children done?).
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            on_path.discard(key)
            kids = _children(node)
            total = 1 + sum(size[id(k)] for k in kids)
            deep = 1 + max((depth[id(k)] for k in kids), default=0)
            size[key], depth[key] = total, deep
            if total > MAX_NODES or deep > MAX_DEPTH:
                what = f"{total:,} values" if total > MAX_NODES else f"{deep} levels deep"
                raise StudylogError(
                    f"YAML aliases expand to more than the {MAX_NODES:,} values (or {MAX_DEPTH} levels) "
                    f"Studylog reads: this one alone is {what}",
                    path=path, line=node.start_mark.line + 1 + line_offset,
                    hint="write the values out, or use fewer aliases of aliases",
                )
            continue
        if key in size:
            continue
        if key in on_path:
            raise StudylogError("a YAML alias refers to the value that holds it, which never ends", path=path,
                                line=node.start_mark.line + 1 + line_offset,
                                hint="remove the alias (*name) from inside its own anchor (&name)")
        on_path.add(key)
        stack.append((node, True))
        for kid in _children(node):
            if id(kid) in on_path:
                raise StudylogError("a YAML alias refers to the value that holds it, which never ends", path=path,
                                    line=kid.start_mark.line + 1 + line_offset,
                                    hint="remove the alias (*name) from inside its own anchor (&name)")
            if id(kid) not in size:
                stack.append((kid, False))


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _failing_scalar(root: yaml.Node) -> yaml.ScalarNode | None:
    """The first scalar the safe constructor cannot make (the graph is checked, so this walk is bounded)."""
    constructor = yaml.SafeLoader("")
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            try:
                constructor.construct_object(node)
            except (yaml.YAMLError, ValueError, TypeError, OverflowError, LookupError):
                return node
        stack.extend(reversed(_children(node)))
    return None


def _tag(node: yaml.ScalarNode) -> str:
    short = node.tag.rsplit(":", 1)[-1]
    return {"int": "a whole number", "float": "a number", "bool": "true or false", "timestamp": "a date",
            "null": "empty"}.get(short, f"!!{short}")


def _reason(err: BaseException) -> str:
    text = yaml_problem(err) if isinstance(err, yaml.YAMLError) else str(err).split("\n")[0]
    if "Exceeds the limit" in text:
        return "the number is too long"
    return text[:120]


def _line(mark: Any, offset: int) -> int | None:
    return mark.line + 1 + offset if mark is not None else None
