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


def lift(markdown: str, nonce: str) -> tuple[str, dict[str, str]]:
    """``markdown`` with each figure's SVG replaced by a token comment, and the SVG by token."""
    drawings: dict[str, str] = {}

    def token(match: re.Match[str]) -> str:
        name = f"<!-- studylog drawing {nonce} {len(drawings)} -->"
        drawings[name] = match.group(0)
        return name

    return _FIGURE_SVG.sub(token, markdown), drawings


def put_back(html: str, drawings: Mapping[str, str]) -> str:
    """``html`` with each token replaced by its drawing (once each; a token it lacks is skipped)."""
    for name, svg in drawings.items():
        html = html.replace(name, svg, 1)
    return html
