"""Where each node of a graph is drawn, decided at build time: the same graph always gives the same picture.

Two layouts:

:func:`force_layout`
    the graph page's map: a force simulation in the manner of d3-force (links
    pull like springs, every node pushes every other away, a weak pull to the
    centre keeps the pieces together, and in the second half each node with its
    label is a box that other boxes push away), run for a fixed number of steps
    from starting places drawn from a seeded generator. The nodes are sorted by id
    before anything else, so neither the order of ``papers.yaml`` nor of the logs
    folder changes the result. numpy does the pairwise arithmetic, in float32; the
    map is capped (``data.overview``) so that the ``n x n`` arrays stay small.
:func:`radial_layout`
    a local graph: the page's own node in the middle, its neighbours in two
    columns to its right and left, the nodes two steps away further out, each
    level with the neighbours that reach it. No simulation: two thousand pages
    each get theirs in about a millisecond, and labels stay a line apart.

Both give positions in drawing units (about a CSS pixel at full size).
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace

import numpy as np

from ..text import fit_width, text_width, xml_text
from .data import NODE_KINDS, Graph, Neighbourhood, Node

SEED = 14
"""The seed of the starting places (issue 14). Change it and the map is drawn anew."""
STEPS = 300
"""Steps of the simulation; its temperature (alpha) decays from 1 to 0.001 over them, as d3's does."""
RADIUS = {"topic": 9.0, "paper": 5.0, "log": 5.0}
"""Each kind's size, in drawing units; a node's place keeps this much room around it."""
CHARGE = {"topic": -400.0, "paper": -150.0, "log": -150.0}
"""How hard each kind pushes others away (d3's many-body strength)."""
FONT_SIZE = 11
"""Labels' size, in drawing units."""
LABEL_WIDTH = 150.0
"""The widest a label is drawn; longer names end in an ellipsis."""
_TAG = re.compile(r"\[[^\]]*\]\s*(\S.*)")
COLLIDE_FROM = 0.5
"""The share of the steps after which boxes collide: once the nodes have found their neighbourhoods."""
LINK_DISTANCE = {"topic": 60.0, "link": 80.0, "cites": 70.0, "related": 70.0}
"""The rest length of each kind of edge."""


@dataclass(frozen=True)
class Placed:
    """A graph's positions, and where each node's label goes, in the graph's node order."""

    graph: Graph
    x: tuple[float, ...]
    y: tuple[float, ...]
    labels: tuple[tuple[float, float, str], ...]
    """Each label's anchor point and SVG ``text-anchor`` (``start``, ``middle``, ``end``)."""
    centre: str | None = None
    """The node a local graph is about."""

    def position(self, node_id: str) -> tuple[float, float]:
        i = self._index[node_id]
        return self.x[i], self.y[i]

    def label_at(self, node_id: str) -> tuple[float, float, str]:
        return self.labels[self._index[node_id]]

    @property
    def _index(self) -> Mapping[str, int]:
        index: dict[str, int] | None = self.__dict__.get("_i")
        if index is None:
            index = {n.id: i for i, n in enumerate(self.graph.nodes)}
            object.__setattr__(self, "_i", index)
        return index


def radius(node: Node, centre: str | None = None) -> float:
    """How large a node is drawn: by its kind, and larger when it is the page's own."""
    return RADIUS[node.kind] * (1.6 if node.id == centre else 1.0)


def label_text(node: Node) -> str:
    """A node's label as drawn: its name, cut to :data:`LABEL_WIDTH` (its tooltip has it whole).

    A log's title loses a leading ``[...]`` tag, which imported blogs put on every post
    (``[Boostcamp AI Tech] 28일차 학습정리``): on a map, the rest is what tells logs apart.
    """
    return _label(node.kind, node.label)


def label_width(node: Node) -> float:
    """How wide a node's label is drawn."""
    return _width(label_text(node))


@functools.lru_cache(maxsize=16384)
def _label(kind: str, name: str) -> str:
    # Cached: a node's label is asked for by the map and by every local graph it is in.
    text = xml_text(name)
    if kind == "log":
        tagged = _TAG.match(text)
        text = tagged.group(1) if tagged else text
    return fit_width(text, LABEL_WIDTH, FONT_SIZE)


@functools.lru_cache(maxsize=16384)
def _width(text: str) -> float:
    return text_width(text, FONT_SIZE)


def force_layout(graph: Graph, *, labelled: Collection[str] = (), seed: int = SEED, steps: int = STEPS) -> Placed:
    """Places for every node, by a seeded force simulation (see the module's doc).

    Each node takes up a box: its shape, and for the nodes in ``labelled`` its label
    below it; boxes push each other apart until no two overlap, so labels stay legible.
    """
    n = len(graph.nodes)
    if n == 0:
        return Placed(graph, (), (), ())
    index = {node.id: i for i, node in enumerate(graph.nodes)}
    kinds = [node.kind for node in graph.nodes]
    size = np.array([RADIUS[k] for k in kinds])
    charge = np.array([CHARGE[k] for k in kinds])
    shown = set(labelled)
    # Boxes: half width, half height, and how far below the node's middle the box's middle is.
    label_w = np.array([label_width(node) if node.id in shown else 0.0 for node in graph.nodes])
    half_w = np.maximum(size, label_w / 2) + 3.0
    label_h = np.where(label_w > 0, FONT_SIZE + 4.0, 0.0)
    half_h = size + label_h / 2 + 2.0
    drop = label_h / 2
    source = np.array([index[e.source] for e in graph.edges], dtype=np.intp)
    target = np.array([index[e.target] for e in graph.edges], dtype=np.intp)
    rest = np.array([LINK_DISTANCE[e.kind] for e in graph.edges])
    count = np.bincount(source, minlength=n) + np.bincount(target, minlength=n)
    # d3's defaults: a spring is as weak as its busier end is busy, and moves the lighter end more.
    strength = 1.0 / np.maximum(np.minimum(count[source], count[target]), 1)
    bias = count[source] / np.maximum(count[source] + count[target], 1)

    rng = np.random.default_rng(seed)
    # d3's phyllotaxis start, in a seeded order.
    order = rng.permutation(n)
    spread = 10.0 * np.sqrt(0.5 + order)
    angle = order * math.pi * (3.0 - math.sqrt(5.0))
    # float32: half the memory traffic of the n x n arrays, and room to spare for a drawing's precision.
    x, y = (spread * np.cos(angle)).astype(np.float32), (spread * np.sin(angle)).astype(np.float32)
    vx, vy = np.zeros(n, np.float32), np.zeros(n, np.float32)
    alpha, alpha_min = 1.0, 0.001
    decay = 1.0 - alpha_min ** (1.0 / steps)
    reach_w = (half_w[:, None] + half_w[None, :]).astype(np.float32)
    reach_h = (half_h[:, None] + half_h[None, :]).astype(np.float32)
    charge, drop = charge.astype(np.float32), drop.astype(np.float32)
    np.fill_diagonal(reach_w, 0.0)  # a node never collides with itself
    settle = int(steps * COLLIDE_FROM)

    for step in range(steps):
        alpha += -alpha * decay
        if len(source):
            dx = x[target] + vx[target] - x[source] - vx[source]
            dy = y[target] + vy[target] - y[source] - vy[source]
            length = np.maximum(np.hypot(dx, dy), 1e-6)
            pull = (length - rest) / length * alpha * strength
            vx -= (np.bincount(target, pull * dx * bias, n) - np.bincount(source, pull * dx * (1 - bias), n)).astype(np.float32)
            vy -= (np.bincount(target, pull * dy * bias, n) - np.bincount(source, pull * dy * (1 - bias), n)).astype(np.float32)
        dx = x[None, :] - x[:, None]  # dx[i, j]: from i to j
        dy = y[None, :] - y[:, None]
        dist2 = dx * dx + dy * dy
        np.fill_diagonal(dist2, np.inf)  # no force of a node on itself
        push = (np.float32(alpha) * charge)[None, :] / np.maximum(dist2, np.float32(1.0))  # many-body: j pushes i away
        vx += np.einsum("ij,ij->i", dx, push)
        vy += np.einsum("ij,ij->i", dy, push)
        if step >= settle:
            # Boxes that overlap move apart along the axis they overlap least on (d3's forceCollide, for boxes).
            dy += drop[None, :] - drop[:, None]
            over_w = np.maximum(reach_w - np.abs(dx), 0.0)
            over_h = np.maximum(reach_h - np.abs(dy), 0.0)
            hit = (over_w > 0) & (over_h > 0)
            sideways = over_w < over_h
            vx -= np.einsum("ij,ij->i", np.sign(dx), over_w * (hit & sideways)) * np.float32(0.25)
            vy -= np.einsum("ij,ij->i", np.sign(dy), over_h * (hit & ~sideways)) * np.float32(0.25)
        vx -= x * np.float32(0.015 * alpha)  # forceX / forceY: a weak pull toward the middle, weaker sideways:
        vy -= y * np.float32(0.04 * alpha)  # the map comes out wider than tall, as pages are
        vx *= np.float32(0.6)
        vy *= np.float32(0.6)
        x += vx
        y += vy
    place = {node.id: (float(x[i]), float(y[i])) for i, node in enumerate(graph.nodes)}
    label = {node.id: (place[node.id][0], place[node.id][1] + radius(node) + 4 + FONT_SIZE * 0.6, "middle")
             for node in graph.nodes}
    return _placed(graph, place, label)


RING_X = 125.0
"""How far right or left of the centre a local graph's neighbours are."""
OUTER_X = 265.0
"""How far the nodes two steps away are."""
RING_GAP = 30.0
"""Vertical room between neighbours on one side (a label above each, when nodes lie beyond)."""
OUTER_GAP = 17.0
"""Vertical room between nodes two steps away (a line of label each)."""


def radial_layout(local: Neighbourhood) -> Placed:
    """A local graph: the centre in the middle, its neighbours in two arcs to its right and
    left, and each node two steps away further out, level with the neighbours that reach it.

    Every label lies beside its node, away from the centre (above it, for a neighbour with
    nodes beyond it on its side), and nodes on one side are spaced a label's height apart,
    so no two labels overlap. Neighbours keep their kinds together: topics first, then
    papers, then logs; the first half goes right.
    """
    graph = local.graph
    order = {kind.key: i for i, kind in enumerate(NODE_KINDS)}
    ring = sorted(local.ring, key=lambda node: (order[graph.by_id[node].kind], local.ring.index(node)))
    half = (len(ring) + 1) // 2
    place: dict[str, tuple[float, float]] = {}
    label: dict[str, tuple[float, float, str]] = {}
    for side, nodes in ((1, ring[:half]), (-1, ring[half:])):
        for k, node in enumerate(nodes):
            y = (k - (len(nodes) - 1) / 2) * RING_GAP
            place[node] = (side * (RING_X - 0.2 * abs(y)), y)
    beyond: dict[int, list[tuple[float, str]]] = {1: [], -1: []}
    for node in local.outer:
        parents = [place[p] for p in graph.adjacent[node] if p in place]
        if not parents:
            continue
        side = 1 if sum(x for x, _ in parents) >= 0 else -1
        beyond[side].append((sum(y for _, y in parents) / len(parents), node))
    for side, wanted in beyond.items():
        for y, node in _spread(sorted(wanted), OUTER_GAP):
            place[node] = (side * (OUTER_X - 0.15 * abs(y)), y)
            label[node] = (place[node][0] + side * (radius(graph.by_id[node]) + 4), y, "start" if side > 0 else "end")
    for node in ring:
        x, y = place[node]
        side = 1 if x > 0 else -1
        r = radius(graph.by_id[node]) + 4
        if beyond[side]:
            label[node] = (x, y - r - FONT_SIZE * 0.45, "middle")
        else:
            label[node] = (x + side * r, y, "start" if side > 0 else "end")
    place[local.centre] = (0.0, 0.0)
    label[local.centre] = (0.0, radius(graph.by_id[local.centre], local.centre) + 4 + FONT_SIZE * 0.6, "middle")
    # A node two steps away sits on the side most of its way in comes from; a way in from
    # the other side would cross the whole picture, so it is not drawn.
    right = {node: x > 0 for node, (x, _) in place.items()}
    kept = tuple(e for e in graph.edges if local.centre in (e.source, e.target) or right[e.source] == right[e.target])
    return _placed(replace(graph, edges=kept), place, label, local.centre)


def _placed(graph: Graph, place: Mapping[str, tuple[float, float]], label: Mapping[str, tuple[float, float, str]],
            centre: str | None = None) -> Placed:
    ids = [n.id for n in graph.nodes]
    return Placed(
        graph,
        tuple(round(place[i][0], 1) for i in ids),
        tuple(round(place[i][1], 1) for i in ids),
        tuple((round(label[i][0], 1), round(label[i][1], 1), label[i][2]) for i in ids),
        centre,
    )


def _spread(wanted: list[tuple[float, str]], gap: float) -> list[tuple[float, str]]:
    """Positions on a line (sorted) moved as little as needed for neighbours to be ``gap`` apart.

    Crowded nodes become a run, evenly spaced around the mean of the positions they
    wanted; runs that then come too close merge. Each merge joins two runs: it ends.
    """
    runs = [[item] for item in wanted]

    def span(run: list[tuple[float, str]]) -> tuple[float, float]:
        middle = sum(y for y, _ in run) / len(run)
        return middle - gap * (len(run) - 1) / 2, middle + gap * (len(run) - 1) / 2

    while True:
        close = next((i for i in range(len(runs) - 1) if span(runs[i + 1])[0] - span(runs[i])[1] < gap - 1e-9), None)
        if close is None:
            break
        runs[close:close + 2] = [runs[close] + runs[close + 1]]
    return [(span(run)[0] + gap * k, node) for run in runs for k, (_, node) in enumerate(run)]
