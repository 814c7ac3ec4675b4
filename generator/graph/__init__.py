"""The graph of the reading: the graph page's map, and each paper's and topic's local graph.

``data`` builds the graph from the site model and cuts its two views, ``placement``
decides where the nodes go (at build time, seeded: the same site draws the same
picture), ``svg`` draws them. :func:`site_map` and :func:`local_map` do all three
for a page. Pages show the SVG as it is; ``javascripts/graph.js`` adds zoom, a
topic filter and the lighting up of a node's neighbours, and nothing needs it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..i18n import Words
from ..memo import LastBuild
from .data import (
    EDGE_KINDS,
    NODE_KINDS,
    Graph,
    Relation,
    neighbourhood,
    overview,
    paper_id,
    paper_relations,
    related_relations,
    site_graph,
    topic_id,
)
from .placement import force_layout, radial_layout
from .svg import draw

LABEL_ALL = 60
"""A map of at most this many nodes labels every node."""
MAJOR = 25
"""On a larger map, the papers and logs with the most edges that are labelled (with every topic);
the others' labels show when the reader zooms in or points at them."""


@dataclass(frozen=True)
class Drawing:
    """A graph drawn for one page, and what the page says around it."""

    svg: str
    graph: Graph
    """What is drawn (its ``left_out`` counts what is not)."""

    def count(self, kind: str) -> int:
        return self.graph.count(kind)

    def left_out(self, kind: str) -> int:
        return self.graph.left_out.get(kind, 0)

    @property
    def topics(self) -> tuple[tuple[int, str], ...]:
        """Each drawn topic's index in the SVG (its ``data-n``) and its title, for the topic filter."""
        return tuple((i, n.label) for i, n in enumerate(self.graph.nodes) if n.kind == "topic")

    @property
    def legend(self) -> tuple[tuple[str, str], ...]:
        """``(CSS class, message id)`` of each kind of node and edge the drawing holds. The
        stylesheet draws each key (``.sl-key--node-paper``, ``.sl-key--edge-link``, ...)."""
        kinds = {n.kind for n in self.graph.nodes}
        edges = {e.kind for e in self.graph.edges}
        return (*((f"sl-key--node-{k.key}", k.label) for k in NODE_KINDS if k.key in kinds),
                *((f"sl-key--edge-{k.key}", k.label) for k in EDGE_KINDS if k.key in edges))


def site_map(graph: Graph, *, here: str, label: str, words: Words) -> Drawing | None:
    """The graph page's map (``data.overview`` of ``graph``), or None when there is nothing to draw."""
    return _by_place(graph, ("map", here, label, words.language), lambda: _site_map(graph, here, label, words))


def _site_map(graph: Graph, here: str, label: str, words: Words) -> Drawing | None:
    shown = overview(graph)
    if not shown.nodes:
        return None
    if len(shown.nodes) <= LABEL_ALL:
        minor: set[str] = set()
    else:
        ranked = sorted((n for n in shown.nodes if n.kind != "topic"), key=lambda n: (-shown.degree(n.id), n.id))
        minor = {n.id for n in ranked[MAJOR:]}
    placed = force_layout(shown, labelled=[n.id for n in shown.nodes if n.id not in minor])
    return Drawing(draw(placed, here=here, label=label, words=words, minor=minor), shown)


# Under `mkdocs serve` every save draws every page's local graph again, and a save changes few of
# them: each is drawn again only when what it shows changed (see ``memo.LastBuild``).
_LOCAL: LastBuild[Drawing] = LastBuild("local graphs")


# And when a save leaves the whole site graph as it was (most log edits), every drawing is the one
# the last build made at the same place: found without reading its neighbourhood again.
_BY_PLACE: LastBuild[tuple[Drawing | None]] = LastBuild("drawings of an unchanged site graph")
_WHOLE: dict[str, Graph | None] = {}


def next_build(whole: Graph | None = None) -> None:
    """A new build begins: the local graphs the last one drew are kept for it, the others dropped.

    ``whole``: this build's site graph, which every drawing of the build is drawn from; when
    it equals the last build's, each drawing is the last build's at its place.
    """
    _LOCAL.next_build()
    _BY_PLACE.next_build()
    if whole is None or whole != _WHOLE.get("graph"):
        _BY_PLACE.clear()
    _WHOLE["graph"] = whole


def _by_place(graph: Graph, place: tuple[str, ...], make: Callable[[], Drawing | None]) -> Drawing | None:
    """``make()``, or the drawing the last build made at ``place`` when ``graph`` is this build's
    site graph and equals the last build's (:func:`next_build`)."""
    if graph is not _WHOLE.get("graph"):
        return make()
    return _BY_PLACE.get(place, lambda: (make(),))[0][0]


def local_map(graph: Graph, centre: str, *, here: str, label: str, words: Words) -> Drawing | None:
    """The graph around ``centre`` (``data.neighbourhood``), or None when it has no neighbour."""
    return _by_place(graph, ("local", centre, here, label, words.language),
                     lambda: _local_map(graph, centre, here, label, words))


def _local_map(graph: Graph, centre: str, here: str, label: str, words: Words) -> Drawing | None:
    if not graph.adjacent.get(centre):
        return None
    local = neighbourhood(graph, centre)

    def drawn() -> Drawing:
        placed = radial_layout(local)
        return Drawing(draw(placed, here=here, label=label, words=words, compact=True), placed.graph)

    # What the drawing is made of: the neighbourhood (every node's label, kind and link, every edge).
    return _LOCAL.get((repr(local), here, label, words.language), drawn)[0]


__all__ = ["Drawing", "Graph", "Relation", "local_map", "paper_id", "paper_relations", "related_relations", "site_graph",
           "site_map", "topic_id"]
