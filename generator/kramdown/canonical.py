"""Kramdown's reading of a page, written in the form Python-Markdown reads as the same structure."""

from __future__ import annotations

from collections.abc import Callable

from .reader import read
from .writer import write


def canonical(text: str) -> str:
    """``text`` as kramdown reads it, written the way Python-Markdown reads the same structure."""
    return "\n".join(canonical_lines(text.split("\n")))


def canonical_lines(lines: list[str], raw: Callable[[str], str] | None = None) -> list[str]:
    """:func:`canonical` on lines. Tabs are expanded to 4-column stops first, as Python-Markdown does.

    ``raw`` (Python-Markdown's ``htmlStash.store``) takes the HTML blocks that sit in an item,
    a quote or a definition, where kramdown keeps them as they are and Python-Markdown would not.
    """
    return write(read([line.expandtabs(4) for line in lines]), raw)
