"""The graph of the reading (generator/graph): its data, its two views, their layouts and the SVG, in-process.

The wiring (the graph page and the local graphs in a real build, in a browser, in
Zensical) is tested in test_browser.py and test_static.py.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import random
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest

from generator.graph import Drawing, local_map, site_map
from generator.graph.data import (
    LOCAL_FIRST,
    LOCAL_SECOND,
    OVERVIEW_LOGS,
    OVERVIEW_PAPERS,
    SECOND_STEP_CANDIDATES,
    Edge,
    Graph,
    Node,
    neighbourhood,
    overview,
    paper_relations,
    related_relations,
    site_graph,
)
from generator.graph.placement import (
    FONT_SIZE,
    OUTER_GAP,
    Placed,
    force_layout,
    label_text,
    radial_layout,
    radius,
)
from generator.graph.svg import relative_url
from generator.i18n import Words
from generator.layout import Layout
from generator.model import Site
from generator.pages import render_site
from generator.project import Project, load_site
from generator.related import related_papers
from generator.text import text_width

from .sitebuild import ROOT, write_project

SVG = "{http://www.w3.org/2000/svg}"
HREF = "{http://www.w3.org/1999/xlink}href"
HOSTILE = '<script>window.__pwned = 1</script> & ]]> "x"'


def catalogue(topics: list[str], papers: list[str]) -> str:
    return "topics:\n" + "".join(topics) + "papers:\n" + "".join(papers)


TOPICS = ["  - {id: qa, title: Question Answering}\n", f"  - {{id: mt, title: {json.dumps(HOSTILE)}}}\n",
          "  - {id: empty, title: Nothing Here}\n"]
PAPERS = [
    '  - {arxiv: "2002.08909", title: REALM, year: 2020, topics: [qa]}\n',
    '  - {arxiv: "1710.11041", title: Unsupervised NMT, year: 2017, topics: [mt], status: read}\n',
    "  - {id: deepquest, title: deepQuest, year: 2018, url: 'https://aclanthology.org/C18-1266/', topics: [qa, mt]}\n",
    "  - {id: lonely, title: Nobody Links Me, topics: [qa]}\n",
    "  - {id: nowhere, title: No Topic No Link}\n",
]


def log(day: str, slug: str, title: str, body: str) -> str:
    return f"---\ntitle: {json.dumps(title)}\ndate: {day}\nslug: {slug}\ncategories: [c]\ntags: [t]\n---\n\n{body}\n"


LOGS = {
    "2021-09-09-a.md": log("2021-09-09", "a", "[Boostcamp AI Tech] Day 28", "See https://arxiv.org/abs/2002.08909 and arXiv:1710.11041."),
    "2021-09-10-b.md": log("2021-09-10", "b", "Day 29", "[deepQuest](https://aclanthology.org/C18-1266.pdf), [REALM](https://arxiv.org/pdf/2002.08909v2)"),
    "2021-09-11-c.md": log("2021-09-11", "c", "Day 30, no papers", "Just notes."),
}


def make(root: Path, topics: list[str] = TOPICS, papers: list[str] = PAPERS, logs: dict[str, str] = LOGS) -> Site:
    root.mkdir(parents=True, exist_ok=True)
    return write_project(root, catalogue(topics, papers), logs)


@pytest.fixture
def site(tmp_path: Path) -> Site:
    return make(tmp_path)


def edges(graph: Graph) -> set[tuple[str, str, str]]:
    return {(e.kind, e.source, e.target) for e in graph.edges}


# -- the graph's data ----------------------------------------------------------------------------


def test_the_graph_holds_every_topic_paper_and_log_and_what_connects_them(site: Site) -> None:
    graph = site_graph(site, Layout())
    assert [n.id for n in graph.nodes] == sorted(n.id for n in graph.nodes)
    kinds = {n.id: n.kind for n in graph.nodes}
    assert kinds == {
        "topic:qa": "topic", "topic:mt": "topic", "topic:empty": "topic",
        "paper:2002.08909": "paper", "paper:1710.11041": "paper", "paper:deepquest": "paper", "paper:lonely": "paper",
        "paper:nowhere": "paper",
        "log:logs/posts/2021-09-09-a.md": "log", "log:logs/posts/2021-09-10-b.md": "log",
        "log:logs/posts/2021-09-11-c.md": "log",
    }
    a, b = "log:logs/posts/2021-09-09-a.md", "log:logs/posts/2021-09-10-b.md"
    assert edges(graph) == {
        ("topic", "paper:2002.08909", "topic:qa"), ("topic", "paper:1710.11041", "topic:mt"),
        ("topic", "paper:deepquest", "topic:qa"), ("topic", "paper:deepquest", "topic:mt"),
        ("topic", "paper:lonely", "topic:qa"),
        ("link", a, "paper:2002.08909"), ("link", a, "paper:1710.11041"),  # an arXiv URL, an arXiv: mention
        ("link", b, "paper:deepquest"), ("link", b, "paper:2002.08909"),  # a paper's url as PDF; a versioned PDF
    }
    by_id = graph.by_id
    assert by_id["paper:2002.08909"].url == "papers/2002.08909/"
    assert by_id["topic:qa"].url == "topics/qa/" and by_id["topic:qa"].count == 3
    assert by_id[a].url == "logs/2021/09/09/a/" and by_id[a].date == dt.date(2021, 9, 9)
    assert by_id["paper:1710.11041"].year == 2017


def test_urls_follow_use_directory_urls(site: Site) -> None:
    graph = site_graph(site, Layout(directory_urls=False))
    assert graph.by_id["paper:deepquest"].url == "papers/deepquest.html"
    assert graph.by_id["log:logs/posts/2021-09-09-a.md"].url == "logs/2021/09/09/a.html"
    assert Layout().url_of("index.md") == "" and Layout().url_of("graph/index.md") == "graph/"
    assert Layout(directory_urls=False).url_of("graph/index.md") == "graph/index.html"


def test_relations_plug_in_as_kind_source_target(site: Site) -> None:
    assert paper_relations(site) == ()  # no citations in the lock: no paper-to-paper edge from the model
    graph = site_graph(site, Layout(), [
        ("cites", "2002.08909", "1710.11041"),
        ("cites", "2002.08909", "1710.11041"),      # once
        ("cites", "1710.11041", "2002.08909"),      # a citation has a direction: another edge
        ("related", "deepquest", "2002.08909"),
        ("related", "2002.08909", "deepquest"),     # related goes both ways: the same edge
        ("related", "deepquest", "deepquest"),      # not related to itself
        ("cites", "deepquest", "1706.03762"),       # not in the catalogue: left out
    ])
    found = {e for e in edges(graph) if e[0] in ("cites", "related")}
    assert found == {("cites", "paper:2002.08909", "paper:1710.11041"), ("cites", "paper:1710.11041", "paper:2002.08909"),
                     ("related", "paper:2002.08909", "paper:deepquest")}
    with pytest.raises(ValueError, match="unknown relation 'likes'"):
        site_graph(site, Layout(), [("likes", "deepquest", "2002.08909")])


def test_the_order_of_papers_yaml_and_topics_changes_nothing(tmp_path: Path) -> None:
    one = make(tmp_path / "one")
    shuffled = PAPERS[:]
    random.Random(3).shuffle(shuffled)
    two = make(tmp_path / "two", topics=TOPICS[::-1], papers=shuffled)
    g1, g2 = site_graph(one, Layout()), site_graph(two, Layout())
    assert g1 == g2
    words = Words()
    m1 = site_map(g1, here="graph/", label="Graph", words=words)
    m2 = site_map(g2, here="graph/", label="Graph", words=words)
    assert m1 is not None and m2 is not None and m1.svg == m2.svg


# -- the map: a seeded force layout ----------------------------------------------------------------


def shipped_graph() -> Graph:
    """The demo's graph, as the pages draw it: with its related papers."""
    project = Project.at(ROOT)
    site = load_site(project)
    return site_graph(site, project.layout, related_relations(related_papers(site.entries)))


def test_a_fixed_seed_gives_the_same_layout_every_time() -> None:
    shown = overview(shipped_graph())
    first, again = force_layout(shown), force_layout(shown)
    assert first == again
    other = force_layout(shown, seed=15)
    assert other.x != first.x  # the seed is what decides it
    assert all(math.isfinite(v) for v in first.x + first.y)


def _label_boxes(placed: Placed, labelled: set[str]) -> list[tuple[str, float, float, float, float]]:
    boxes = []
    for n in placed.graph.nodes:
        if n.id not in labelled:
            continue
        x, y, anchor = placed.label_at(n.id)
        w = text_width(label_text(n), FONT_SIZE)
        left = {"start": x, "middle": x - w / 2, "end": x - w}[anchor]
        boxes.append((n.id, left, y - FONT_SIZE / 2, left + w, y + FONT_SIZE / 2))
    return boxes


def _overlaps(boxes: list[tuple[str, float, float, float, float]]) -> list[tuple[str, str]]:
    return [(a[0], b[0]) for i, a in enumerate(boxes) for b in boxes[i + 1:]
            if a[1] < b[3] and b[1] < a[3] and a[2] < b[4] and b[2] < a[4]]


def test_the_shipped_map_labels_every_node_and_no_two_labels_overlap() -> None:
    shown = overview(shipped_graph())
    placed = force_layout(shown, labelled=[n.id for n in shown.nodes])
    assert _overlaps(_label_boxes(placed, {n.id for n in shown.nodes})) == []
    # Nor does a label cover another node's shape.
    for n in shown.nodes:
        x, y = placed.position(n.id)
        r = radius(n)
        hits = [b[0] for b in _label_boxes(placed, {m.id for m in shown.nodes if m.id != n.id})
                if b[1] < x + r and x - r < b[3] and b[2] < y + r and y - r < b[4]]
        assert hits == [], n.id


def _big_graph(papers: int = 2000, logs: int = 400, seed: int = 7, related: int = 0) -> Graph:
    """The shape of benchmarks/build.py's site: 10 topics, each log linking 8 random papers;
    and ``related`` random pairs of related papers."""
    rnd = random.Random(seed)
    nodes = [Node(f"topic:t{t}", "topic", f"Topic {t}", f"topics/t{t}/") for t in range(10)]
    nodes += [Node(f"paper:p{i:04d}", "paper", f"Paper {i}", f"papers/p{i:04d}/") for i in range(papers)]
    nodes += [Node(f"log:l{d:03d}", "log", f"Day {d}", f"logs/{d}/", date=dt.date(2021, 1, 1) + dt.timedelta(d))
              for d in range(logs)]
    found = {Edge("topic", f"paper:p{i:04d}", f"topic:t{i % 10}") for i in range(papers)}
    found |= {Edge("link", f"log:l{d:03d}", f"paper:p{rnd.randrange(papers):04d}") for d in range(logs) for _ in range(8)}
    pairs = (sorted(rnd.sample(range(papers), 2)) for _ in range(related))
    found |= {Edge("related", f"paper:p{a:04d}", f"paper:p{b:04d}") for a, b in pairs}
    return Graph(tuple(sorted(nodes, key=lambda n: n.id)), tuple(sorted(found, key=lambda e: (e.source, e.target, e.kind))))


def test_at_scale_the_map_keeps_the_most_linked_within_its_caps() -> None:
    graph = _big_graph()
    shown = overview(graph)
    assert shown.count("topic") == 10
    assert shown.count("paper") == OVERVIEW_PAPERS and shown.count("log") == OVERVIEW_LOGS
    assert shown.left_out == {"paper": 2000 - OVERVIEW_PAPERS, "log": 400 - OVERVIEW_LOGS}
    links = {n.id: graph.degree(n.id, without="topic") for n in graph.nodes if n.kind == "paper"}
    drawn = [n.id for n in shown.nodes if n.kind == "paper"]
    assert min(links[p] for p in drawn) >= max(links[p] for p in links if p not in drawn)
    # Every drawn log links a drawn paper: nothing floats alone.
    assert all(shown.degree(n.id) for n in shown.nodes if n.kind == "log")
    assert {(e.source, e.target) for e in shown.edges} <= {(e.source, e.target) for e in graph.edges}


def test_the_map_draws_at_most_its_cap_of_topics_those_holding_the_most() -> None:
    nodes = [Node(f"topic:t{t:03d}", "topic", f"T{t}", f"topics/t{t:03d}/") for t in range(150)]
    nodes += [Node(f"paper:p{i:03d}", "paper", f"P{i}", f"papers/p{i:03d}/") for i in range(150)]
    # Topic t holds papers 0..t: the later the topic, the more papers it holds.
    found = {Edge("topic", f"paper:p{i:03d}", f"topic:t{t:03d}") for t in range(150) for i in range(t + 1)}
    graph = Graph(tuple(sorted(nodes, key=lambda n: n.id)), tuple(sorted(found, key=lambda e: (e.source, e.target))))
    shown = overview(graph, max_topics=100)
    assert {n.id for n in shown.nodes if n.kind == "topic"} == {f"topic:t{t:03d}" for t in range(50, 150)}
    assert shown.left_out == {"topic": 50}


def test_a_small_site_draws_every_paper_but_no_log_that_links_nothing(site: Site) -> None:
    shown = overview(site_graph(site, Layout()))
    assert shown.count("paper") == 5 and shown.count("topic") == 3
    assert {n.id for n in shown.nodes if n.kind == "log"} == {"log:logs/posts/2021-09-09-a.md", "log:logs/posts/2021-09-10-b.md"}
    assert shown.left_out == {"log": 1}


# -- local graphs --------------------------------------------------------------------------------


def test_a_local_graph_is_one_step_then_a_capped_second_never_through_a_topic() -> None:
    graph = _big_graph(papers=200, logs=60)
    centre = "paper:p0000"
    local = neighbourhood(graph, centre, first=12, second=10)
    assert set(local.ring) == set(graph.adjacent[centre])  # few enough: all of them
    assert len(local.outer) <= 10
    for far in local.outer:
        via = [n for n in graph.adjacent[far] if n in local.ring]
        assert via and any(graph.by_id[n].kind != "topic" for n in via), far
    topic = neighbourhood(graph, "topic:t0", first=12, second=10)
    assert len(topic.ring) == 12 and topic.graph.left_out == {"paper": 20 - 12}
    assert all(graph.by_id[n].kind == "paper" for n in topic.ring)
    ranked = sorted(graph.adjacent["topic:t0"], key=lambda n: (-graph.degree(n), n))
    assert list(topic.ring) == ranked[:12]  # the most linked papers of the topic


def test_a_local_graph_puts_labels_beside_their_nodes_apart_from_each_other() -> None:
    graph = _big_graph(papers=200, logs=60, related=400)
    for centre in ("paper:p0003", "topic:t4", "log:l010"):
        local = neighbourhood(graph, centre)
        placed = radial_layout(local)
        assert placed.position(centre) == (0.0, 0.0)
        assert _overlaps(_label_boxes(placed, {n.id for n in local.graph.nodes})) == [], centre
        for side in (1, -1):
            ys = sorted(placed.position(n)[1] for n in local.outer if placed.position(n)[0] * side > 0)
            assert all(b - a >= OUTER_GAP - 1e-6 for a, b in zip(ys, ys[1:], strict=False)), centre
        # Edges go out from the centre, and never across it: no line crosses the picture.
        for e in placed.graph.edges:
            if centre not in (e.source, e.target):
                assert (e.source in local.ring) != (e.target in local.ring), e
                assert (placed.position(e.source)[0] > 0) == (placed.position(e.target)[0] > 0), e


# -- the SVG -------------------------------------------------------------------------------------


def test_relative_urls() -> None:
    assert relative_url("papers/x/", "graph/") == "../papers/x/"
    assert relative_url("papers/y/", "papers/x/") == "../y/"
    assert relative_url("logs/2021/09/09/a/", "topics/qa/") == "../../logs/2021/09/09/a/"
    assert relative_url("papers/x.html", "graph/index.html") == "../papers/x.html"
    assert relative_url("", "graph/") == "../"
    assert relative_url("graph/", "") == "graph/"


def test_the_svg_links_every_node_and_keeps_hostile_titles_text(site: Site) -> None:
    graph = site_graph(site, Layout(), [("cites", "2002.08909", "1710.11041")])
    drawing = site_map(graph, here="graph/", label=HOSTILE, words=Words())
    assert drawing is not None
    root = ET.fromstring(drawing.svg)
    assert root.get("aria-label") == HOSTILE and root.find(f"{SVG}title").text == HOSTILE
    links = {a.get(HREF): a for a in root.iter(f"{SVG}a")}
    assert all(a.get("href") is None for a in root.iter(f"{SVG}a"))  # see svg.HREF
    assert set(links) == {"../" + n.url for n in drawing.graph.nodes}
    assert "script" not in {el.tag.removeprefix(SVG) for el in root.iter()}
    mt = links["../topics/mt/"]
    assert mt.find(f"{SVG}title").text == f"{HOSTILE} · 2 papers"
    assert mt.find(f"{SVG}text").text == label_text(drawing.graph.by_id["topic:mt"])
    log = links["../logs/2021/09/09/a/"]
    assert log.find(f"{SVG}text").text == "Day 28"  # the blog's [tag] is left off the label...
    assert log.find(f"{SVG}title").text == "[Boostcamp AI Tech] Day 28 · Sep 9, 2021"  # ...not the tooltip
    # Edges name their ends by the nodes' indices, for the script; a citation has an arrow.
    index = {a.get("data-n") for a in root.iter(f"{SVG}a")}
    for line in root.iter(f"{SVG}line"):
        assert line.get("data-s") in index and line.get("data-t") in index
    cites = [line for line in root.iter(f"{SVG}line") if "sl-edge--cites" in line.get("class", "")]
    assert len(cites) == 1 and cites[0].get("marker-end") == "url(#sl-arrow)"
    assert drawing.legend == (("sl-key--node-topic", "topic"), ("sl-key--node-paper", "paper"),
                              ("sl-key--node-log", "study log"), ("sl-key--edge-topic", "filed under"),
                              ("sl-key--edge-link", "links"), ("sl-key--edge-cites", "cites"))


def test_a_local_graph_does_not_link_its_own_page(site: Site) -> None:
    graph = site_graph(site, Layout())
    drawing = local_map(graph, "paper:deepquest", here="papers/deepquest/", label="around", words=Words())
    assert drawing is not None
    root = ET.fromstring(drawing.svg)
    here = [g for g in root.iter(f"{SVG}g") if "sl-node--here" in g.get("class", "")]
    assert len(here) == 1 and here[0].find(f"{SVG}title").text == "deepQuest (2018)"
    hrefs = sorted(a.get(HREF) for a in root.iter(f"{SVG}a"))
    assert "../deepquest/" not in hrefs
    assert {"../../topics/qa/", "../../topics/mt/", "../../logs/2021/09/10/b/"} <= set(hrefs)
    assert "../2002.08909/" in hrefs  # two steps away, through the log
    # Compact: one path per kind of line, and each node names its neighbours for the script.
    paths = [el.get("class") for el in root.iter(f"{SVG}path") if "sl-edge" in (el.get("class") or "")]
    assert sorted(paths) == ["sl-edge sl-edge--link", "sl-edge sl-edge--topic"] and not list(root.iter(f"{SVG}line"))
    nodes = {el.get("data-n"): el for el in root.iter() if "sl-node" in (el.get("class") or "").split()}
    ids = [n.id for n in drawing.graph.nodes]
    for n, el in nodes.items():
        near = {ids[int(i)] for i in el.get("data-near").split()}
        assert near == set(drawing.graph.adjacent[ids[int(n)]])
    assert local_map(graph, "paper:nowhere", here="papers/nowhere/", label="x", words=Words()) is None


def test_pages_carry_the_map_and_local_graphs(site: Site) -> None:
    pages = {p.path: p.content for p in render_site(site, layout=replace(Layout(), language="en"))}
    assert "graph/index.md" in pages
    assert pages["graph/index.md"].count("<svg") == 1  # the map
    assert pages["graph/index.md"].count('<li class="sl-key ') == 3 + 2  # its legend: 3 kinds of node, 2 of edge
    assert "leaves out the papers and study logs with the fewest links, such as a log that links no paper: 1 study log." \
        in pages["graph/index.md"]
    assert '<option value="' in pages["graph/index.md"]
    assert "## Connections" in pages["papers/deepquest.md"] and "## Connections" in pages["topics/qa.md"]
    assert "## Connections" not in pages["papers/nowhere.md"]  # nothing around it
    assert "The whole graph](../graph/index.md)" in pages["papers/deepquest.md"]
    # The whole of each drawing is one raw HTML block: no blank line inside.
    for path in ("graph/index.md", "papers/deepquest.md", "topics/qa.md"):
        block = pages[path].split('<div class="sl-graph', 1)[1].split("</ul>\n</div>", 1)[0]
        assert "\n\n" not in block, path


def test_an_empty_site_has_a_graph_page_with_nothing_drawn(tmp_path: Path) -> None:
    site = write_project(tmp_path, "topics: []\npapers: []\n", {})
    pages = {p.path: p.content for p in render_site(site)}
    assert "<svg" not in pages["graph/index.md"] and "Nothing to draw yet" in pages["graph/index.md"]


class _Reads(tuple):  # type: ignore[type-arg]
    """A node's neighbour list that records how many entries each read of it took."""

    taken: list[int]

    def __getitem__(self, index):  # type: ignore[no-untyped-def]
        found = super().__getitem__(index)
        _Reads.taken.append(len(found) if isinstance(index, slice) else 1)
        return found


def test_a_local_graph_reads_a_bounded_part_of_a_busy_neighbours_list() -> None:
    """A paper that every other paper lists as related must not make each page read the catalogue."""
    papers = [Node(f"paper:p{i:04d}", "paper", f"P{i}", f"papers/p{i:04d}/") for i in range(2_000)]
    hub = papers[0].id
    edges = [Edge("related", p.id, hub) for p in papers[1:]]
    edges += [Edge("related", papers[1].id, papers[2].id), Edge("related", papers[3].id, papers[2].id)]
    graph = Graph(nodes=tuple(papers), edges=tuple(sorted(edges, key=lambda e: (e.source, e.target, e.kind))))
    _Reads.taken = []
    graph.__dict__["busiest_neighbours"] = {k: _Reads(v) for k, v in graph.busiest_neighbours.items()}
    local = neighbourhood(graph, papers[1].id)
    assert local.ring == (hub, papers[2].id)
    assert max(_Reads.taken) <= LOCAL_FIRST + 1 + SECOND_STEP_CANDIDATES * LOCAL_SECOND
    assert len(local.outer) == LOCAL_SECOND and papers[3].id in local.outer  # reached through both neighbours


def test_a_local_graph_is_drawn_again_only_when_what_it_shows_changed(site: Site) -> None:
    """Under serve, each page's local graph is kept while its neighbourhood is the same."""
    from dataclasses import replace

    from generator import graph as graphs

    def draw(g: Graph) -> Drawing:
        graphs.next_build()
        drawing = local_map(g, "paper:deepquest", here="papers/deepquest/", label="around", words=Words())
        assert drawing is not None
        return drawing

    first = draw(site_graph(site, Layout()))
    misses = graphs._LOCAL.misses
    assert draw(site_graph(site, Layout())).svg == first.svg and graphs._LOCAL.misses == misses
    renamed = site_graph(site, Layout())
    renamed = replace(renamed, nodes=tuple(replace(n, label="A new title") if n.id == "paper:2002.08909" else n
                                           for n in renamed.nodes))
    assert "A new title" in draw(renamed).svg and graphs._LOCAL.misses == misses + 1


def test_while_the_site_graph_is_the_same_each_drawing_is_the_last_builds(
        site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    """A save that leaves the site graph as it was finds every drawing by its place, reading no neighbourhood."""
    from dataclasses import replace

    from generator import graph as graphs

    def drawings(g: Graph) -> tuple[Drawing | None, Drawing | None]:
        graphs.next_build(g)
        return (local_map(g, "paper:deepquest", here="papers/deepquest/", label="around", words=Words()),
                site_map(g, here="graph/", label="map", words=Words()))

    first = drawings(site_graph(site, Layout()))
    assert first[0] is not None and first[1] is not None
    with monkeypatch.context() as patched:
        patched.setattr(graphs, "neighbourhood", lambda *args: pytest.fail("read a neighbourhood again"))
        patched.setattr(graphs, "overview", lambda *args: pytest.fail("laid out the map again"))
        again = drawings(site_graph(site, Layout()))  # an equal graph, made anew
    assert again[0] is first[0] and again[1] is first[1]
    renamed = site_graph(site, Layout())
    renamed = replace(renamed, nodes=tuple(replace(n, label="A new title") if n.id == "paper:2002.08909" else n
                                           for n in renamed.nodes))
    changed = drawings(renamed)
    assert changed[0] is not None and changed[1] is not None
    assert "A new title" in changed[0].svg and "A new title" in changed[1].svg
    assert drawings(renamed)[0] is changed[0]
    graphs.next_build()  # a build that names no site graph finds nothing by place
    assert local_map(renamed, "paper:deepquest", here="papers/deepquest/", label="around", words=Words()) == changed[0]
