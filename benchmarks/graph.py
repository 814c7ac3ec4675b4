"""What the graph page and the local graphs cost at scale: 2,000 papers and 400 logs.

    python benchmarks/graph.py                       # the graph's own work and sizes (about a minute)
    python benchmarks/graph.py --papers 200 --logs 40
    python benchmarks/graph.py --against ../base     # and whole builds against another Studylog checkout

It makes benchmarks/build.py's site, then measures in this process, in CPU seconds
(the time the work takes on one core, whatever else the machine runs):

* building the graph from the site (with its related papers, as the pages do);
* the graph page's map: choosing what it draws, the seeded layout, the SVG;
* every paper's and topic's local graph;
* the sizes: the map's nodes, edges and SVG, the local graphs' SVG per page and in all.

With ``--against DIR`` (a checkout of another version, say ``git worktree add ../base
main``), it also builds the same site with `mkdocs build` under each version, each build
in its own process, alternating, and reports the CPU time and wall time of each, and
the size of the built pages. Nothing here reaches the network.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def cpu(work):  # type: ignore[no-untyped-def]
    start = time.process_time()
    result = work()
    return result, time.process_time() - start


def in_process(project: Path) -> None:
    from generator import graph
    from generator.i18n import Words
    from generator.project import Project, load_site
    from generator.related import related_papers

    loaded = Project.at(project)
    site = load_site(loaded)
    layout, words = loaded.layout, Words(loaded.site.language)
    similar = related_papers(site.entries)
    whole, build_s = cpu(lambda: graph.site_graph(site, layout, [*graph.paper_relations(site),
                                                                 *graph.related_relations(similar)]))
    drawing, map_s = cpu(lambda: graph.site_map(whole, here=layout.url_of(layout.graph), label="map", words=words))

    def local_graphs() -> list[graph.Drawing | None]:
        found = [graph.local_map(whole, graph.topic_id(t.id), here=layout.url_of(layout.topic(t.id)), label="t",
                                 words=words) for t in site.topics]
        found += [graph.local_map(whole, graph.paper_id(e.key), here=layout.url_of(layout.paper(e.key)), label="p",
                                  words=words) for e in site.entries]
        return found

    drawings, local_s = cpu(local_graphs)
    sizes = [len(d.svg.encode()) for d in drawings if d is not None]
    assert drawing is not None
    kinds = {kind: drawing.count(kind) for kind in ("topic", "paper", "log")}
    print(f"\n{len(site.entries)} papers, {len(site.logs)} logs: the whole graph has {len(whole.nodes)} nodes and "
          f"{len(whole.edges)} edges\n")
    print("| measure | figure |")
    print("|---|---|")
    print(f"| build the graph (CPU) | {build_s:.2f} s |")
    print(f"| the map: choose, lay out, draw (CPU) | {map_s:.2f} s |")
    print(f"| {len(drawings)} local graphs (CPU) | {local_s:.2f} s ({1000 * local_s / max(len(drawings), 1):.2f} ms each) |")
    print(f"| the map's nodes | {len(drawing.graph.nodes)} ({kinds['topic']} topics, {kinds['paper']} papers, "
          f"{kinds['log']} logs) |")
    print(f"| the map's edges | {len(drawing.graph.edges)} |")
    print(f"| the map's SVG | {len(drawing.svg.encode()) / 1024:.0f} KiB |")
    print(f"| a local graph's SVG, mean / largest | {statistics.mean(sizes) / 1024:.1f} / {max(sizes) / 1024:.1f} KiB |")
    print(f"| all local graphs' SVG | {sum(sizes) / 2**20:.1f} MiB |")


def _one(project: Path, site_dir: str) -> None:
    """Build once and print {wall, cpu} as JSON (child process)."""
    from mkdocs.commands.build import build

    import generator

    assert Path(generator.__file__).resolve().is_relative_to(Path(os.environ["PYTHONPATH"]).resolve()), generator.__file__
    from mkdocs.config import load_config

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    config = load_config(str(project / "mkdocs.yml"), site_dir=site_dir)
    start, start_cpu = time.perf_counter(), time.process_time()
    build(config)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({"wall": time.perf_counter() - start, "cpu": time.process_time() - start_cpu,
                      "maxrss_mib": usage.ru_maxrss / 1024}))


def builds(project: Path, against: Path, runs: int) -> None:
    """The same site built by this checkout and by ``against``, alternating, each build in its own process."""
    other = project.parent / "other"
    shutil.copytree(project, other)
    shutil.copy(against / "mkdocs.yml", other / "mkdocs.yml")
    versions = {"this": (ROOT, project), "other": (against, other)}
    found: dict[str, list[dict[str, float]]] = {name: [] for name in versions}
    for _ in range(runs):
        for name, (checkout, where) in versions.items():
            env = {**os.environ, "PYTHONPATH": str(checkout)}
            out = subprocess.run([sys.executable, __file__, "--one", str(where), str(where / "site")], env=env,
                                 cwd=where, capture_output=True, text=True, check=True).stdout
            found[name].append(json.loads(out.strip().splitlines()[-1]))

    def size(where: Path, pattern: str) -> float:
        return sum(p.stat().st_size for p in (where / "site").glob(pattern)) / 2**20

    print(f"\n`mkdocs build`, median of {runs}, each in its own process (this checkout against {against})\n")
    print("| measure | this | other | added |")
    print("|---|---|---|---|")
    for key, unit in (("cpu", "s"), ("wall", "s"), ("maxrss_mib", "MiB")):
        a, b = (statistics.median(r[key] for r in found[name]) for name in ("this", "other"))
        print(f"| {key} | {a:.1f} {unit} | {b:.1f} {unit} | {a - b:+.1f} {unit} ({100 * (a - b) / b:+.0f}%) |")
    for label, pattern in (("paper pages", "papers/*/index.html"), ("topic pages", "topics/*/index.html"),
                           ("the whole site", "**/*")):
        a, b = size(project, pattern), size(other, pattern)
        print(f"| {label} | {a:.1f} MiB | {b:.1f} MiB | {a - b:+.1f} MiB |")
    graph_page = project / "site" / "graph" / "index.html"
    if graph_page.exists():
        print(f"| the graph page | {graph_page.stat().st_size / 1024:.0f} KiB | | |")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--papers", type=int, default=2000)
    parser.add_argument("--logs", type=int, default=400)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--against", type=Path, help="another Studylog checkout to build the same site with")
    parser.add_argument("--one", nargs=2, metavar=("PROJECT", "SITE_DIR"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:  # a build under PYTHONPATH's Studylog: import nothing of this checkout first
        _one(Path(args.one[0]), args.one[1])
        return
    sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]
    from build import make_project

    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "big"
        project.mkdir()
        make_project(project, args.papers, args.logs)
        in_process(project)
        if args.against:
            builds(project, args.against.resolve(), args.runs)


if __name__ == "__main__":
    main()
