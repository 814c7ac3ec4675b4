"""Read a log's Markdown the way Jekyll's kramdown reads it, and give Python-Markdown the same structure.

Study logs are written with Jekyll's habits: lists nested by two or three spaces or
a tab, a list right after a paragraph, a ``*`` list right under a ``1.`` item,
quotes holding lists, kramdown's definition lists. Python-Markdown reads each of
these differently from kramdown. :func:`canonical` reads the block structure of a
page as kramdown (GFM input, Jekyll's default) does (:mod:`.reader`, a port of
kramdown's block parsers) and writes it back (:mod:`.writer`) in the one form
Python-Markdown reads as the same structure: four columns per list level, blank
lines between blocks, ``>`` on every line of a quote.

Only where lines sit changes: code, math and HTML keep every character, inside
their new indentation (HTML inside an item or quote goes by Python-Markdown's stash,
as HTML at the margin does). The exception is a line of text that Python-Markdown
would read as markup where kramdown reads text (``#tag``, ``1. x`` inside an item's
paragraph): its first character is escaped, so it still shows as written.

Register ``- generator.kramdown`` under ``markdown_extensions`` (:mod:`.extension`):
it works wherever mkdocs.yml's extensions are honoured, MkDocs with or without the
studylog plugin, and Zensical. It runs on every page; a page already written for
Python-Markdown (four-space nesting, blank lines around blocks, admonitions, HTML
with ``markdown``) renders as it did without it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

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


def makeExtension(**kwargs: Any) -> Any:
    """The Python-Markdown extension (what ``- generator.kramdown`` in mkdocs.yml loads)."""
    from .extension import KramdownExtension

    return KramdownExtension(**kwargs)
