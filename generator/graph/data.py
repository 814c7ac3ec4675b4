"""The graph of the reading: papers, topics and logs as nodes, and what connects them as edges.

Built once per build from the site model, sorted, so the same site gives the same
graph whatever the order of ``papers.yaml`` or of the logs folder. Node ids carry
their kind (``paper:2104.08691``, ``topic:prompt-tuning``, ``log:logs/posts/x.md``);
edges are ``(kind, source, target)`` between node ids.

Edge kinds (:data:`EDGE_KINDS`, the one definition; the legend and the drawing read it):

``topic``
    a paper is filed under a topic (paper -> topic);
``link``
    a log links a paper (log -> paper);
``cites``, ``related``
    paper -> paper: ``(kind, source key, target key)`` relations passed to
    :func:`site_graph`; the model's come through :func:`paper_relations`
    (Semantic Scholar's citations), the related papers found while rendering
    through :func:`related_relations`.

Two views are cut from the whole graph: :func:`overview`, the map of the graph
page, capped so that a catalogue of thousands stays a map and not a hairball; and
:func:`neighbourhood`, the few nodes around one page, for paper and topic pages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING

from ..layout import Layout
from ..model import Site

if TYPE_CHECKING:
    from ..related import Related


@dataclass(frozen=True)
class NodeKind:
    key: str
    label: str
    """What the legend calls it (an English message id; pages translate it)."""


NODE_KINDS: tuple[NodeKind, ...] = (NodeKind("topic", "topic"), NodeKind("paper", "paper"), NodeKind("log", "study log"))
"""The kinds of node, in the order the legend lists them and local graphs group them."""


@dataclass(frozen=True)
class EdgeKind:
    key: str
    label: str
    """What the legend calls it (an English message id; pages translate it)."""
    directed: bool
    """Drawn with an arrow (a citation), or as a plain line."""
    paper_to_paper: bool = False
    """A relation between two papers (see :func:`site_graph`)."""


EDGE_KINDS: tuple[EdgeKind, ...] = (
    EdgeKind("topic", "filed under", directed=False),
    EdgeKind("link", "links", directed=False),
    EdgeKind("cites", "cites", directed=True, paper_to_paper=True),
    EdgeKind("related", "related", directed=False, paper_to_paper=True),
)
EDGE_KIND = {k.key: k for k in EDGE_KINDS}
RELATION_KINDS: frozenset[str] = frozenset(k.key for k in EDGE_KINDS if k.paper_to_paper)

Relation = tuple[str, str, str]
"""A paper-to-paper edge from the model: ``(kind, source paper key, target paper key)``."""

OVERVIEW_PAPERS = 300
"""The most papers the graph page draws; past it, the most linked (see :func:`overview`)."""
OVERVIEW_LOGS = 150
"""The most logs the graph page draws; past it, those linking the most drawn papers."""
OVERVIEW_TOPICS = 100
"""The most topics the graph page draws; past it, those holding the most drawn papers."""
LOCAL_FIRST = 10
"""The most direct neighbours a local graph draws."""
LOCAL_SECOND = 8
"""The most nodes two steps away a local graph draws. Both caps keep it small, to read and to
build: each of its elements costs every paper page's build."""
SECOND_STEP_CANDIDATES = 4
"""Of each neighbour's neighbours, the local graph weighs the busiest ``first + 1 + 4 × second``
for its second step, so its cost does not grow with the catalogue."""


@dataclass(frozen=True)
class Node:
    id: str
    kind: str
    """The key of one of :data:`NODE_KINDS`."""
    label: str
    url: str
    """Its page, as a URL relative to the site's root (``papers/2104.08691/``)."""
    year: int | None = None
    date: dt.date | None = None
    count: int | None = None
    """A topic's number of papers (all of them, drawn or not)."""


@dataclass(frozen=True)
class Edge:
    kind: str
    source: str
    target: str


@dataclass(frozen=True)
class Graph:
    nodes: tuple[Node, ...]
    """Sorted by id."""
    edges: tuple[Edge, ...]
    """Sorted; both ends are nodes of the graph."""
    left_out: Mapping[str, int] = field(default_factory=dict)
    """Per node kind, how many of the site's nodes this view does not draw."""

    @cached_property
    def by_id(self) -> dict[str, Node]:
        return {n.id: n for n in self.nodes}

    @cached_property
    def adjacent(self) -> dict[str, tuple[str, ...]]:
        """Each node's neighbours (either direction), sorted."""
        found: dict[str, set[str]] = {n.id: set() for n in self.nodes}
        for e in self.edges:
            found[e.source].add(e.target)
            found[e.target].add(e.source)
        return {key: tuple(sorted(ids)) for key, ids in found.items()}

    @cached_property
    def degrees(self) -> dict[str, int]:
        """Each node's number of neighbours."""
        return {key: len(near) for key, near in self.adjacent.items()}

    @cached_property
    def busiest_neighbours(self) -> dict[str, tuple[str, ...]]:
        """Each node's neighbours, those with the most edges first (ties: the smaller id)."""
        degree = self.degrees
        return {key: tuple(sorted(near, key=lambda n: (-degree[n], n))) for key, near in self.adjacent.items()}

    def degree(self, node_id: str, *, without: str = "") -> int:
        """Edges at ``node_id``; with ``without`` an edge kind, not counting edges of that kind."""
        if not without:
            return self.degrees[node_id]
        return len(self._adjacent_without(without)[node_id])

    def count(self, kind: str) -> int:
        return sum(1 for n in self.nodes if n.kind == kind)

    @cached_property
    def _owned(self) -> dict[str, tuple[Edge, ...]]:
        """Each edge under the end with fewer edges: a topic of hundreds of papers owns none of them."""
        found: dict[str, list[Edge]] = {n.id: [] for n in self.nodes}
        for e in self.edges:
            found[min((e.source, e.target), key=lambda end: (self.degrees[end], end))].append(e)
        return {key: tuple(edges) for key, edges in found.items()}

    def subgraph(self, ids: Iterable[str], left_out: Mapping[str, int] | None = None) -> Graph:
        """The nodes ``ids`` and the edges between them, found from the edges of the less busy end
        of each: a local graph costs the size of its neighbourhood, not of the whole graph."""
        keep = set(ids)
        edges = {e for node in keep for e in self._owned[node] if e.source in keep and e.target in keep}
        return Graph(
            nodes=tuple(sorted((self.by_id[node] for node in keep), key=lambda n: n.id)),
            edges=tuple(sorted(edges, key=_edge_order)),
            left_out=dict(left_out or {}),
        )

    def _adjacent_without(self, kind: str) -> dict[str, set[str]]:
        cache: dict[str, dict[str, set[str]]] = self.__dict__.setdefault("_without", {})
        if kind not in cache:
            found: dict[str, set[str]] = {n.id: set() for n in self.nodes}
            for e in self.edges:
                if e.kind != kind:
                    found[e.source].add(e.target)
                    found[e.target].add(e.source)
            cache[kind] = found
        return cache[kind]


@dataclass(frozen=True)
class Neighbourhood:
    """A local graph: a centre, its neighbours drawn (``ring``) and nodes two steps away (``outer``)."""

    graph: Graph
    centre: str
    ring: tuple[str, ...]
    """Most edges first."""
    outer: tuple[str, ...]
    """Reached by the most of ``ring`` first."""


def paper_id(key: str) -> str:
    return f"paper:{key}"


def topic_id(key: str) -> str:
    return f"topic:{key}"


def log_id(src: str) -> str:
    return f"log:{src}"


def paper_relations(site: Site) -> tuple[Relation, ...]:
    """Paper-to-paper edges the model holds: each catalogue paper citing another (Semantic Scholar's
    references in the lock, ``enrich --citations``), as ``("cites", citing, cited)``.

    A relation computed while rendering is passed to :func:`site_graph` beside these,
    as the tf-idf related papers are (:func:`related_relations`).
    """
    return tuple(("cites", e.key, c.key) for e in site.entries for c in site.cites(e))


def related_relations(similar: Mapping[str, Iterable[Related]]) -> tuple[Relation, ...]:
    """Related papers (``related.related_papers``: each paper's key to its matches) as relations.

    Computed while rendering, since tf-idf needs the whole catalogue; pages pass them to
    :func:`site_graph` beside :func:`paper_relations`.
    """
    return tuple(("related", key, match.entry.key) for key, found in sorted(similar.items()) for match in found)


def site_graph(site: Site, layout: Layout, relations: Iterable[Relation] = ()) -> Graph:
    """The whole graph of the site: every topic, paper and published log, and every edge.

    ``relations`` are paper-to-paper edges (see :func:`paper_relations`): ends that
    are not papers of the catalogue, and a paper related to itself, are left out;
    ``related`` goes both ways, so ``(related, a, b)`` and ``(related, b, a)`` are one edge.
    """
    nodes = [Node(topic_id(t.id), "topic", t.title, layout.url_of(layout.topic(t.id)), count=len(site.entries_in(t)))
             for t in site.topics]
    topic_ids = {t.id for t in site.topics}
    edges: set[Edge] = set()
    for e in site.entries:
        nodes.append(Node(paper_id(e.key), "paper", e.title, layout.url_of(layout.paper(e.key)), year=e.year))
        edges.update(Edge("topic", paper_id(e.key), topic_id(t)) for t in e.paper.topics if t in topic_ids)
        edges.update(Edge("link", log_id(log.src), paper_id(e.key)) for log in e.discussed_in)
    for log in site.logs:
        nodes.append(Node(log_id(log.src), "log", log.title, layout.log_url(log), date=log.date))
    papers = {e.key for e in site.entries}
    for kind, source, target in relations:
        if kind not in RELATION_KINDS:
            raise ValueError(f"unknown relation {kind!r}: add it to EDGE_KINDS first")
        if source == target or source not in papers or target not in papers:
            continue
        if not EDGE_KIND[kind].directed:
            source, target = sorted((source, target))
        edges.add(Edge(kind, paper_id(source), paper_id(target)))
    return Graph(tuple(sorted(nodes, key=lambda n: n.id)),
                 tuple(sorted(edges, key=_edge_order)))


def overview(graph: Graph, *, max_papers: int = OVERVIEW_PAPERS, max_logs: int = OVERVIEW_LOGS,
             max_topics: int = OVERVIEW_TOPICS) -> Graph:
    """What the graph page draws: topics, papers and logs up to the caps.

    Papers: all of them while they fit; past ``max_papers``, only papers something
    links (a log, a citation, a relation), the most linked first. Logs: those that
    link a drawn paper, all while they fit; past ``max_logs``, those linking the
    most drawn papers, the newest first. Topics: all, up to ``max_topics``, past which
    those holding the most drawn papers. Ties go to the smaller id, so the same site
    always draws the same map. ``left_out`` counts what is not drawn. The caps bound
    the layout's work and memory, which grow with the square of the nodes drawn.
    """
    papers = [n for n in graph.nodes if n.kind == "paper"]
    if len(papers) > max_papers:
        linked = [n for n in papers if graph.degree(n.id, without="topic")]
        linked.sort(key=lambda n: (-graph.degree(n.id, without="topic"), n.id))
        papers = linked[:max_papers]
    drawn = {n.id for n in papers}
    logs = []
    for n in graph.nodes:
        if n.kind == "log":
            links = sum(1 for other in graph.adjacent[n.id] if other in drawn)
            if links:
                logs.append((n, links))
    if len(logs) > max_logs:
        logs.sort(key=lambda pair: (-pair[1], -(pair[0].date or dt.date.min).toordinal(), pair[0].id))
        logs = logs[:max_logs]
    topics = [n for n in graph.nodes if n.kind == "topic"]
    if len(topics) > max_topics:
        held = {n.id: sum(1 for other in graph.adjacent[n.id] if other in drawn) for n in topics}
        topics = sorted(topics, key=lambda n: (-held[n.id], n.id))[:max_topics]
    keep = drawn | {n.id for n, _ in logs} | {n.id for n in topics}
    return graph.subgraph(keep, _left_out(graph, keep))


def neighbourhood(graph: Graph, centre: str, *, first: int = LOCAL_FIRST, second: int = LOCAL_SECOND) -> Neighbourhood:
    """The nodes around ``centre``: up to ``first`` neighbours, then up to ``second`` of theirs.

    Neighbours with the most edges come first. The second step never goes through a
    topic (a topic would bring its whole list of papers; its own page has them), and
    prefers nodes that several neighbours reach. ``left_out`` counts the direct
    neighbours not drawn, by kind.

    Its edges are the paths out from the centre: the centre's own, and those by which
    the second step was reached. Edges between two neighbours, or between two nodes
    of the second step, would cut across the picture; the page's lists have them.
    """
    degree = graph.degrees
    busiest = graph.busiest_neighbours
    near = busiest[centre]
    ring = near[:first]
    reach: dict[str, int] = {}
    # Of each neighbour's own neighbours, only the busiest few can make the second step: so a
    # page costs the same whatever its neighbours' degrees (a paper that every other paper
    # lists as related would otherwise make each page read the whole catalogue).
    considered = first + 1 + SECOND_STEP_CANDIDATES * second
    for n in ring:
        if graph.by_id[n].kind == "topic":
            continue
        for far in busiest[n][:considered]:
            if far != centre and far not in ring:
                reach[far] = reach.get(far, 0) + 1
    outer = sorted(reach, key=lambda n: (-reach[n], -degree[n], n))[:second]
    missing: dict[str, int] = {}
    for n in near[first:]:
        kind = graph.by_id[n].kind
        missing[kind] = missing.get(kind, 0) + 1
    near_ids, far_ids = set(ring), set(outer)

    def outward(e: Edge) -> bool:
        if centre in (e.source, e.target):
            return True
        inner = e.source if e.source in near_ids and e.target in far_ids else (
            e.target if e.target in near_ids and e.source in far_ids else None)
        return inner is not None and graph.by_id[inner].kind != "topic"

    local = graph.subgraph([centre, *ring, *outer], missing)
    return Neighbourhood(replace(local, edges=tuple(e for e in local.edges if outward(e))), centre, tuple(ring),
                         tuple(outer))


def _edge_order(e: Edge) -> tuple[str, str, str]:
    return e.source, e.target, e.kind


def _left_out(graph: Graph, keep: set[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for n in graph.nodes:
        if n.id not in keep:
            counts[n.kind] = counts.get(n.kind, 0) + 1
    return counts
