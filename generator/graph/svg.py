"""A placed graph as inline SVG: every node a link to its page, every edge a line.

Drawn like the stats charts (``stats``): one ``<svg>`` written with one element per
line and no blank line, so that Python-Markdown passes it through untouched inside a
``<figure>``; every text and attribute escaped. Colours come from the stylesheet
(``.sl-node--<kind>``, ``.sl-edge--<kind>`` in ``studylog.css``), which takes them from
Material's palette variables, so one drawing reads in the light and the dark palette.

Links are relative to the page (``../papers/x/``) and written as ``xlink:href`` (see :data:`XLINK_NS`).

Shapes tell kinds apart without colour: a topic is a square, a paper a circle, a log a
diamond. Each node has a ``<title>`` (its full name, shown on hover) and, when it has a
label, a ``<text>``; labels of the ``minor`` nodes of a large map are hidden until the
reader zooms in or points at them (``javascripts/graph.js``). Nodes carry ``data-n``,
their index, and edges ``data-s`` and ``data-t``, which the script reads to light up a
node's neighbours; nothing else needs the script.
"""

from __future__ import annotations

import functools
import html
import math
from collections.abc import Collection

from ..i18n import Words
from ..text import xml_text
from .data import EDGE_KIND, Node
from .placement import FONT_SIZE, Placed, label_text, label_width, radius

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
"""Nodes link with ``xlink:href``, not ``href``: MkDocs leaves raw HTML as written, but Zensical
reads an ``href`` in raw HTML as relative to the Markdown file (``papers/x.md``) and rewrites it
for the page's URL (``papers/x/``), one level deeper, so one spelling cannot serve both. Both
leave ``xlink:href`` alone, and every browser follows it (SVG 2 keeps it for compatibility)."""
PAD = 6.0


def relative_url(target: str, here: str) -> str:
    """A link from the page at site URL ``here`` to site URL ``target`` (both relative to the root)."""
    base = here.split("/")[:-1]  # the folders of here: "papers/x/" gives ["papers", "x"]
    parts = target.split("/")
    common = 0
    while common < len(base) and common < len(parts) - 1 and base[common] == parts[common]:
        common += 1
    link = "../" * (len(base) - common) + "/".join(parts[common:])
    return link or "./"


def draw(placed: Placed, *, here: str, label: str, words: Words, minor: Collection[str] = (),
         compact: bool = False) -> str:
    """The SVG of ``placed``, for the page at site URL ``here`` (links are relative to it).

    A local graph's centre (``placed.centre``), the page itself, is drawn larger and is
    not a link. Nodes in ``minor`` get a label the stylesheet hides.

    ``compact`` (local graphs, one on each of thousands of pages): the undirected edges of
    each kind are one ``<path>``, and each node lists its neighbours in ``data-near``
    instead. Every element costs each page's build (Python-Markdown and the search index
    parse it): a local graph of 23 nodes goes from about 120 elements to about 75.

    Written out as text, element by element, every value escaped: thousands of pages
    each draw one, and this is several times faster than building an ElementTree.
    """
    graph, centre = placed.graph, placed.centre
    index = {n.id: i for i, n in enumerate(graph.nodes)}
    left, top, right, bottom = _bounds(placed, minor)
    width, height = right - left, bottom - top
    name = _attr(label)
    out = [
        f'<svg xmlns="{SVG_NS}" xmlns:xlink="{XLINK_NS}" viewBox="{_num(left)} {_num(top)} {_num(width)} '
        f'{_num(height)}" width="{_num(width)}" height="{_num(height)}" role="group" aria-label="{name}" '
        f'class="sl-graph__svg" font-size="{FONT_SIZE}">',
        f"<title>{_text(label)}</title>",
    ]
    if any(EDGE_KIND[e.kind].directed for e in graph.edges):
        out.append('<defs><marker id="sl-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
                   'markerHeight="7" orient="auto-start-reverse" class="sl-arrow"><path d="M0 0L10 5L0 10z"/>'
                   "</marker></defs>")
    out.append('<g class="sl-edges">')
    at = {n.id: (x, y) for n, x, y in zip(graph.nodes, placed.x, placed.y, strict=True)}
    shown = {key: (_num(x), _num(y)) for key, (x, y) in at.items()}  # each node's numbers, written once
    merged: dict[str, list[str]] = {}
    for e in graph.edges:
        (x1, y1), (x2, y2) = shown[e.source], shown[e.target]
        arrow = ""
        if EDGE_KIND[e.kind].directed:  # end the arrow at the target's edge, not its middle
            (a, b), (c, d) = at[e.source], at[e.target]
            length = math.hypot(c - a, d - b) or 1.0
            cut = radius(graph.by_id[e.target], centre) + 1.5
            x2, y2 = _num(c - (c - a) * cut / length), _num(d - (d - b) * cut / length)
            arrow = ' marker-end="url(#sl-arrow)"'
        elif compact:
            merged.setdefault(e.kind, []).append(f"M{x1} {y1}L{x2} {y2}")
            continue
        out.append(f'<line class="sl-edge sl-edge--{e.kind}" data-s="{index[e.source]}" data-t="{index[e.target]}" '
                   f'x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}"{arrow}/>')
    out += [f'<path class="sl-edge sl-edge--{kind}" d="{"".join(moves)}"/>' for kind, moves in merged.items()]
    out.append("</g>")
    out.append('<g class="sl-nodes">')
    for i, (n, (lx, ly, anchor)) in enumerate(zip(graph.nodes, placed.labels, strict=True)):
        x, y = at[n.id]
        near = f' data-near="{" ".join(str(index[m]) for m in graph.adjacent[n.id])}"' if compact else ""
        if n.id == centre:
            out.append(f'<g class="sl-node sl-node--{n.kind} sl-node--here" data-n="{i}"{near}>')
        else:
            out.append(f'<a xlink:href="{_attr(relative_url(n.url, here))}" class="sl-node sl-node--{n.kind}" '
                       f'data-n="{i}"{near}>')
        out.append(f"<title>{_tooltip(n, words)}</title>")
        out.append(_shape(n.kind, x, y, radius(n, centre)))
        align = f' text-anchor="{anchor}"' if anchor != "start" else ""
        kind = "sl-label sl-label--minor" if n.id in minor else "sl-label"
        out.append(f'<text x="{_num(lx)}" y="{_num(ly)}" dy="0.35em"{align} class="{kind}">{_label(n)}</text>')
        out.append("</g>" if n.id == centre else "</a>")
    out.append("</g>")
    out.append("</svg>")
    return "\n".join(out)


def _shape(kind: str, x: float, y: float, r: float) -> str:
    if kind == "topic":
        return f'<rect x="{_num(x - r)}" y="{_num(y - r)}" width="{_num(2 * r)}" height="{_num(2 * r)}" rx="2"/>'
    if kind == "log":
        r *= 1.25
        return f'<path d="M{_num(x)} {_num(y - r)}l{_num(r)} {_num(r)}l{_num(-r)} {_num(r)}l{_num(-r)} {_num(-r)}z"/>'
    return f'<circle cx="{_num(x)}" cy="{_num(y)}" r="{_num(r)}"/>'


def _text(text: str) -> str:
    """Text as the content of an element: on one line, without what XML cannot hold, escaped."""
    return html.escape(xml_text(text), quote=False)


def _attr(text: str) -> str:
    """Text as an attribute's value (in double quotes)."""
    return html.escape(xml_text(text), quote=True)


def _bounds(placed: Placed, minor: Collection[str]) -> tuple[float, float, float, float]:
    left = top = math.inf
    right = bottom = -math.inf
    for n in placed.graph.nodes:
        x, y = placed.position(n.id)
        r = radius(n, placed.centre) * 1.25
        lx, ly, anchor = placed.label_at(n.id)
        w = label_width(n) if n.id not in minor else 0.0
        lo = {"start": lx, "middle": lx - w / 2, "end": lx - w}[anchor]
        left, right = min(left, x - r, lo), max(right, x + r, lo + w)
        top, bottom = min(top, y - r, ly - FONT_SIZE), max(bottom, y + r, ly + FONT_SIZE)
    if left > right:
        return 0.0, 0.0, 100.0, 40.0
    return left - PAD, top - PAD, right + PAD, bottom + PAD


@functools.lru_cache(maxsize=65536)
def _tooltip(node: Node, words: Words) -> str:
    """A node's tooltip, escaped: its whole name, and its year, date or number of papers.
    Cached, as a node is drawn in the map and in the local graph of each of its neighbours."""
    text = node.label
    if node.kind == "paper" and node.year:
        text = f"{node.label} ({node.year})"
    elif node.kind == "log" and node.date:
        text = f"{node.label} · {words.date(node.date)}"
    elif node.kind == "topic" and node.count is not None:
        text = f"{node.label} · {words.ngettext('%(num)d paper', '%(num)d papers', node.count)}"
    return _text(text)


@functools.lru_cache(maxsize=65536)
def _label(node: Node) -> str:
    return _text(label_text(node))


def _num(x: float) -> str:
    return f"{x:.1f}".removesuffix(".0")
