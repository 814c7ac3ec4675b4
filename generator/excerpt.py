"""Where a log's excerpt ends: the one rule for the importer and for logs written by hand.

Material's blog shows, on the logs page, the archive and the category pages, each
post up to its ``<!-- more -->`` separator, and the whole post when it has none
(which made a blog's logs page weigh hundreds of kilobytes, and half the build
time went into rendering every post again on every listing page).

:func:`excerpt_break` finds where the separator goes: after the first block of
the log that holds text (a paragraph, a list, a quote, a table, code), leading
headings, rules and the subtitle line skipped; never inside a list, a quote or
code, since only top-level blocks are considered. ``import-jekyll`` writes the
separator there, where the author sees it and can move it. For a log without
one, the Markdown extension (``markdown_ext``) puts the same separator at the
same place while rendering, so listings stay short in MkDocs and in Zensical
without changing the file.
"""

from __future__ import annotations

from collections.abc import Iterator

from .kramdown.reader import read
from .kramdown.tree import Blank
from .memo import Memo
from .qa import parser

SEPARATOR = "<!-- more -->"
"""Material's default ``post_excerpt_separator``."""
SUBTITLE_CLASS = "sl-subtitle"
"""The class of the paragraph shown under a log's title (``import-jekyll`` writes ``subtitle`` so)."""
SUBTITLE_MARK = f"{{ .{SUBTITLE_CLASS} }}"
"""attr_list's way to give that class to the paragraph it closes."""

# Top-level blocks that hold no text of their own for an excerpt.
_SKIPPED = {"heading_open", "hr", "html_block"}


def excerpt_break(text: str) -> int | None:
    """The 0-based line of ``text`` before which the separator goes, or None when nothing holds text.

    The break is near the top, so only as much of the text is parsed as it takes to
    find where the first block ends (builds run this on every page). A break must
    also be a break for kramdown, which reads logs (``generator.kramdown``): a line
    where markdown-it ends a block but kramdown's list or quote goes on is passed over
    for the next one.
    """
    for at in _block_ends(text):
        if _kramdown_splits_nothing(text, at):
            return at
    return None


def _block_ends(text: str) -> Iterator[int]:
    """Where the top-level blocks that hold text end, first to last (parsing only as far as needed)."""
    lines = text.split("\n")
    size = 64
    done = 0
    while True:
        head = lines[:size]
        more = False
        for tok in parser().parse("\n".join(head)):
            if tok.level != 0 or tok.nesting == -1 or tok.map is None or tok.type in _SKIPPED:
                continue
            start, end = tok.map
            if end >= len(head) and size < len(lines):
                more = True
                break  # the block may go on past what was parsed: parse more
            if end <= done or (tok.type == "paragraph_open" and lines[end - 1].strip() == SUBTITLE_MARK):
                continue
            if not any(line.strip() for line in lines[end:]):
                return
            done = end
            yield end
        if not more:
            return
        size *= 4


def _kramdown_splits_nothing(text: str, at: int) -> bool:
    """Whether kramdown reads the text before and after line ``at`` as the blocks it reads in the whole."""
    lines = [line.expandtabs(4) for line in text.split("\n")]
    whole = [node for node in read(lines) if not isinstance(node, Blank)]
    parts = [node for node in read(lines[:at]) + read(lines[at:]) if not isinstance(node, Blank)]
    return whole == parts


# Kept per text: Material's blog converts each post again for every listing page, the
# blog's listing cut (``blog_hook``) asks too, and `mkdocs serve` does it all on every save.
_SEPARATED: Memo[str] = Memo("excerpt separators")


def with_separator(text: str) -> str:
    """``text`` with the separator at :func:`excerpt_break`, set apart by blank lines; as it was if it has one."""
    if SEPARATOR in text:
        return text
    return _SEPARATED.get(text, lambda: _place_separator(text))


def _place_separator(text: str) -> str:
    at = excerpt_break(text)
    if at is None:
        return text
    lines = text.split("\n")
    before = lines[:at]
    while before and not before[-1].strip():
        before.pop()
    after = lines[at:]
    while after and not after[0].strip():
        after.pop(0)
    return "\n".join([*before, "", SEPARATOR, "", *after])
