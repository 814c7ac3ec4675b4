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
    find where the first block ends (builds run this on every page).
    """
    lines = text.split("\n")
    size = 64
    while True:
        head = lines[:size]
        for tok in parser().parse("\n".join(head)):
            if tok.level != 0 or tok.nesting == -1 or tok.map is None or tok.type in _SKIPPED:
                continue
            start, end = tok.map
            if end >= len(head) and size < len(lines):
                break  # the block may go on past what was parsed: parse more
            if tok.type == "paragraph_open" and lines[end - 1].strip() == SUBTITLE_MARK:
                continue
            return end if any(line.strip() for line in lines[end:]) else None
        else:
            return None
        size *= 4


def with_separator(text: str) -> str:
    """``text`` with the separator at :func:`excerpt_break`, set apart by blank lines; as it was if it has one."""
    if SEPARATOR in text:
        return text
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
