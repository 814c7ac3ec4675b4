"""Drawings that skip Markdown: under the MkDocs plugin, a page's SVG goes in after conversion.

Each paper and topic page carries its local graph, and the graph page the map, as raw SVG
inside the page's Markdown (``graph_figure`` in the templates), which is what
`generate` writes and Zensical reads. Python-Markdown passes raw HTML through
untouched, but it reads every tag to find where the block ends, and Material's search
reads the page's HTML again, tag by tag, for its index (where the figure is
``data-search-exclude`` and adds nothing). At 400 papers that reading was about a fifth
of a build.

So the plugin hands MkDocs each page with its drawings lifted out (:func:`lift`: each
``<svg>`` of a figure becomes a comment holding a token) and puts them back into the
finished page (:func:`put_back`). The HTML is the same as the one built from the page
on disk; a test compares them. The tokens carry a random part chosen per build, so no
text from the catalogue or a log can name one.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping

_FIGURE_SVG = re.compile(r'(?<=<figure class="sl-graph__figure">\n)<svg\b.*?</svg>(?=\n</figure>)', re.S)


def new_nonce() -> str:
    """The random part of this build's tokens."""
    return secrets.token_hex(8)


def _lift(pattern: re.Pattern[str], kind: str, markdown: str, nonce: str) -> tuple[str, dict[str, str]]:
    """``markdown`` with each match of ``pattern`` replaced by a token comment, and each match by its token."""
    found: dict[str, str] = {}

    def token(match: re.Match[str]) -> str:
        name = f"<!-- studylog {kind} {nonce} {len(found)} -->"
        found[name] = match.group(0)
        return name

    return pattern.sub(token, markdown), found


def lift(markdown: str, nonce: str) -> tuple[str, dict[str, str]]:
    """``markdown`` with each figure's SVG replaced by a token comment, and the SVG by token."""
    return _lift(_FIGURE_SVG, "drawing", markdown, nonce)


def put_back(html: str, drawings: Mapping[str, str]) -> str:
    """``html`` with each token replaced by its drawing (once each; a token it lacks is skipped)."""
    for name, svg in drawings.items():
        html = html.replace(name, svg, 1)
    return html


# The reading list's and a topic's rows: one ``<div class="sl-paper" ...>`` block per paper, from
# ``paper_row`` in the templates, its closing tag alone on a line.
_ROW = re.compile(r'^<div class="sl-paper" [^\n]*\n(?:.*\n)*?</div>$', re.M)
_ROW_SEPARATOR = "<!-- studylog rows {nonce} -->"


def lift_rows(markdown: str, nonce: str) -> tuple[str, dict[str, str]]:
    """``markdown`` with each paper row replaced by a token comment, and each row's Markdown by token.

    A list of 2,000 papers is one page of 4.6 MB of Markdown; converting it again takes seconds,
    and a save of ``papers.yaml`` changes one row of it. The plugin converts the rows apart
    (:func:`rows_markdown`, :func:`rows_html`), each kept by its text under `mkdocs serve`, and puts
    their HTML into the finished page (:func:`put_back_rows`): the same HTML as the whole page's
    conversion, which a test compares. Rows are ``data-search-exclude``, so search misses nothing.
    """
    return _lift(_ROW, "row", markdown, nonce)


def rows_markdown(rows: list[str], nonce: str) -> str:
    """Rows as one document to convert at once, each a block of its own."""
    return f"\n{_ROW_SEPARATOR.format(nonce=nonce)}\n\n".join(rows) + "\n"


def rows_html(html: str, count: int, nonce: str) -> list[str] | None:
    """The HTML of each row from the conversion of :func:`rows_markdown`'s document (None if it is not ``count`` rows)."""
    parts = [part.strip("\n") for part in html.split(_ROW_SEPARATOR.format(nonce=nonce))]
    return parts if len(parts) == count else None


def put_back_rows(html: str, rows: Mapping[str, str], nonce: str) -> str:
    """``html`` with each row's token replaced by its HTML, in one pass. Python-Markdown sets a raw HTML block
    (the token) apart by a blank line where it puts a newline between blocks: the blank line goes with it."""
    if not rows:
        return html
    pattern = re.compile(rf"<!-- studylog row {re.escape(nonce)} \d+ -->(\n\n)?")

    def row(match: re.Match[str]) -> str:
        name = match.group(0) if match.group(1) is None else match.group(0)[:-2]
        found = rows.get(name)
        if found is None:
            return match.group(0)
        return found + ("\n" if match.group(1) else "")

    return pattern.sub(row, html)
