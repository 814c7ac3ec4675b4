"""The block tree the reader builds and the writer writes: where blocks start and end, nothing more.

Leaves keep their lines as kramdown sees them inside their container (the
container's indentation and ``>`` taken off), so the writer can put them back
under Python-Markdown's indentation without changing a character of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Leaf:
    kind: str
    """``para``, ``code`` (indented), ``fence``, ``math``, ``html``, ``heading``, ``setext``, ``rule``,
    ``table``, ``attributes`` (a ``{: ...}`` line under a block) or ``verbatim`` (kept as it is)."""
    lines: list[str]


@dataclass
class Blank:
    """One or more blank lines."""


@dataclass
class Item:
    marker: str
    """``*``, ``-``, ``+`` or ``1.``: as written."""
    children: list[Node] = field(default_factory=list)
    blank_after: bool = False
    """A blank line separates it from the next item."""


@dataclass
class List:
    items: list[Item]


@dataclass
class Quote:
    children: list[Node]


@dataclass
class Definition:
    lines: list[str]
    """Its lines while it is read; empty once read into ``children``."""
    after_blank: bool
    """A blank line comes before it (kramdown then wraps its text in a paragraph)."""
    children: list[Node] = field(default_factory=list)


@dataclass
class Definitions:
    entries: list[str | Definition]
    """Terms (one line each) and definitions, in order; ``""`` where a blank line comes before terms."""


@dataclass
class Box:
    """A head line and a body indented by four under it: Python-Markdown's admonition or details block
    (``!!!``, ``???``), or a footnote's definition (``[^1]:``)."""

    head: str
    children: list[Node]


Node = Leaf | Blank | List | Quote | Definitions | Box

EOB = Leaf("end-of-block", [])
"""kramdown's ``^`` line: ends the block before it and shows nothing."""
