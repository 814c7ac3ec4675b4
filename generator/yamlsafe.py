"""YAML from untrusted files, with the size of what aliases expand to bounded.

Aliases are ordinary YAML (``base: &b {...}`` then ``other: *b``), so they are
kept. But a few lines of nested aliases (``a: &a [x, x, ...]``, ``b: &b [*a, *a,
...]``, nine levels deep) expand into billions of values: PyYAML builds them all,
and a front matter of ten lines takes gigabytes and never ends. :func:`load_yaml`
first walks the parser's events, which never expand anything, and counts what
the document would hold once every alias is expanded, and how deep it nests; an
input past :data:`MAX_VALUES` or :data:`MAX_DEPTH` is refused with one message
that names the line, before anything is built. A recursive alias
(``notes: &r [*r]``) is refused the same way.

Only then does libyaml's safe loader build the data. A date that does not exist
(``2021-02-30``, ``T25:00``) is read as the text it is, where PyYAML would stop
with a ValueError, so the caller's own type check reports it with its line.

Every problem is a :class:`~generator.errors.StudylogError` with the file and line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import StudylogError
from .text import yaml_line, yaml_problem

MAX_VALUES = 1_000_000
"""The most values (scalars and collections) a document may hold once its aliases are expanded."""
MAX_DEPTH = 100
"""The deepest nesting of lists and mappings a document may have, aliases expanded."""

_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[valid-type,misc]
    """libyaml's safe loader (the C one where PyYAML has it), with dates that do not exist read as text."""


def _timestamp(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError):
        return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


def load_yaml(text: str, path: str | Path | None, *, line_offset: int = 0, where: str = "",
              hint: str | None = None, max_values: int = MAX_VALUES, max_depth: int = MAX_DEPTH) -> Any:
    """The data of the YAML document ``text``; raises StudylogError with ``path`` and the line.

    ``line_offset`` is added to every line reported: 1 for a front matter that
    starts on the file's second line. ``where`` names the part of the file in
    syntax errors (``"in the front matter"``); ``hint`` replaces their default hint.
    """
    _check_expansion(text, path, line_offset, max_values, max_depth)
    try:
        return yaml.load(text, Loader=_Loader)  # a SafeLoader subclass
    except yaml.YAMLError as err:
        raise StudylogError(
            f"invalid YAML{' ' + where if where else ''}: {yaml_problem(err)}",
            path=path,
            line=yaml_line(err, offset=line_offset) or line_offset + 1,
            hint=hint or "check the indentation and the quoting on that line; text with ':', '[' or '#' needs quotes",
        ) from None
    except RecursionError:
        raise StudylogError(
            f"the YAML nests too deeply to read (more than {max_depth} levels)",
            path=path, line=line_offset + 1, hint="flatten the lists and mappings",
        ) from None


@dataclass
class _Open:
    """A list or mapping the parser is inside of."""

    anchor: str | None
    values: int = 1
    """Values it holds once its aliases are expanded, itself included."""
    depth: int = 1
    """How deep it nests, itself included."""


def _check_expansion(text: str, path: str | Path | None, line_offset: int, max_values: int,
                     max_depth: int) -> None:
    """Raise when the document's aliases expand past ``max_values`` values or ``max_depth`` levels."""
    anchors: dict[str, tuple[int, int]] = {}
    """Anchor -> (values, depth) of the complete node it names."""
    stack: list[_Open] = []
    total = 0

    def grow(values: int, depth: int, line: int) -> None:
        """A node of ``values`` values, ``depth`` deep, was added inside the innermost open collection."""
        nonlocal total
        total += values
        if total > max_values:
            raise StudylogError(
                f"the YAML's aliases expand to more than {max_values:,} values", path=path, line=line + line_offset,
                hint="an alias (*name) repeats everything its anchor (&name) holds; write the values out, "
                     "or nest fewer aliases inside each other",
            )
        if len(stack) + depth > max_depth:
            raise StudylogError(f"the YAML nests deeper than {max_depth} levels", path=path,
                                line=line + line_offset, hint="flatten the lists and mappings")
        if stack:
            stack[-1].values += values
            stack[-1].depth = max(stack[-1].depth, depth + 1)

    try:
        for event in yaml.parse(text, Loader=_Loader):
            line = event.start_mark.line + 1 if event.start_mark is not None else 1
            if isinstance(event, yaml.CollectionStartEvent):
                grow(1, 1, line)
                stack.append(_Open(event.anchor))
            elif isinstance(event, yaml.CollectionEndEvent):
                done = stack.pop()
                if stack:  # its values were counted as they came; only its depth goes up
                    stack[-1].values += done.values - 1
                    stack[-1].depth = max(stack[-1].depth, done.depth + 1)
                if done.anchor is not None:
                    anchors[done.anchor] = (done.values, done.depth)
            elif isinstance(event, yaml.ScalarEvent):
                grow(1, 0, line)
                if event.anchor is not None:
                    anchors[event.anchor] = (1, 0)
            elif isinstance(event, yaml.AliasEvent) and event.anchor is not None:
                name = event.anchor
                if name not in anchors and any(o.anchor == name for o in stack):
                    raise StudylogError(
                        f"the alias *{name} is inside the value its anchor &{name} names, so it never ends",
                        path=path, line=line + line_offset,
                        hint=f"an alias repeats a complete value; take *{name} out of &{name}",
                    )
                values, depth = anchors.get(name, (1, 0))  # an unknown alias: the loader reports it
                grow(values, depth, line)
    except yaml.YAMLError:
        return  # the loader reports syntax errors, with their line


__all__ = ["MAX_DEPTH", "MAX_VALUES", "load_yaml"]
