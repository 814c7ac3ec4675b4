"""Enrichment at scale: 2,000 new arXiv IDs against the local arXiv stand-in, or their citations
against the local Semantic Scholar stand-in.

    python benchmarks/enrich.py                 # 2,000 IDs, arXiv
    python benchmarks/enrich.py --citations     # 2,000 IDs, Semantic Scholar (about 50 references each)
    python benchmarks/enrich.py --papers 300    # a quick one

It serves fake papers from tests/arxiv_server.py (or tests/s2_server.py) on 127.0.0.1
and runs ``run_enrich`` (``run_citations``) in a child process per measurement, so the
figures are enrich's own, not the stand-in's:

* requests the stand-in received, cold (goal: one per 100 IDs, 20 for 2,000) and
  warm, with every ID in the lock (goal: 0);
* wall time with no pause between requests (``*_DELAY_SECONDS=0``), and what the
  API's pause between requests would add (arXiv 3 s, Semantic Scholar 1 s);
* peak memory: max RSS of the child (with the interpreter and imports, shown apart)
  and the peak of Python allocations during the run (tracemalloc, a separate run,
  since tracing slows it down);
* with ``--citations``, what the bigger lock costs each build: reading it, and
  joining the papers through their references (CPU time, median of 5).

Prints a Markdown table. Nothing here reaches the network.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

COURTESY_DELAY = {False: 3.0, True: 1.0}
"""The pause the API asks for between requests: arXiv's terms, Semantic Scholar's public rate."""


def child(lock: Path, papers: int, trace: bool, citations: bool) -> dict[str, Any]:
    """One run of enrich, in this process; the figures as a dict."""
    import io
    import tracemalloc

    from generator.enrich import run_citations, run_enrich
    from generator.ids import ArxivId
    from tests.arxiv_server import paper_id

    ids = [ArxivId(paper_id(i)) for i in range(papers)]
    if trace:
        tracemalloc.start()
    start = time.perf_counter()
    if not papers:
        report = None
    elif citations:
        report = run_citations([f"ARXIV:{i}" for i in ids], lock, out=io.StringIO())
    else:
        report = run_enrich(ids, lock, out=io.StringIO())
    seconds = time.perf_counter() - start
    traced = tracemalloc.get_traced_memory()[1] if trace else None
    return {
        "seconds": seconds,
        "max_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,  # KiB on Linux
        "traced_peak": traced,
        "fetched": len(report.fetched) if report else 0,
        "failed": len(report.failed) if report else 0,
    }


def measure(url: str, lock: Path, papers: int, *, citations: bool, trace: bool = False) -> dict[str, Any]:
    prefix = "S2" if citations else "ARXIV"
    env = dict(os.environ, NO_PROXY="127.0.0.1,localhost", **{f"{prefix}_API_URL": url, f"{prefix}_DELAY_SECONDS": "0"})
    env.pop("S2_API_KEY", None)
    argv = [sys.executable, __file__, "--child", str(lock), "--papers", str(papers)]
    argv += (["--trace"] if trace else []) + (["--citations"] if citations else [])
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=True)
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--papers", type=int, default=2000, help="new arXiv IDs to enrich (default: 2000)")
    parser.add_argument("--child", metavar="LOCK", help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--citations", action="store_true", help="Semantic Scholar's citation data instead of arXiv's")
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(Path(args.child), args.papers, args.trace, args.citations)))
        return 0

    from tests.arxiv_server import ArxivStandIn, fake_papers
    from tests.s2_server import ScholarStandIn, fake_scholar_papers

    n = args.papers
    stand_in = ScholarStandIn(fake_scholar_papers(n)) if args.citations else ArxivStandIn(fake_papers(n))
    with stand_in as server, tempfile.TemporaryDirectory() as tmp:
        lock = Path(tmp) / "papers.lock.json"

        def run(path: Path, *, trace: bool = False) -> tuple[dict[str, Any], int]:
            before = len(server.requests)
            figures = measure(server.url, path, n, citations=args.citations, trace=trace)
            return figures, len(server.requests) - before

        baseline = measure(server.url, Path(tmp) / "unused.json", 0, citations=args.citations)
        cold, cold_requests = run(lock)
        size = lock.stat().st_size
        warm, warm_requests = run(lock)
        traced, _ = run(Path(tmp) / "traced.lock.json", trace=True)
        build = build_costs(lock, n) if args.citations else {}

    goal = -(-n // 100)
    mib = 1024.0
    rows = [
        ("IDs", f"{n:,}", ""),
        ("requests, cold", f"{cold_requests}", f"{goal}"),
        ("requests, warm (all in the lock)", f"{warm_requests}", "0"),
        ("fetched / failed, cold", f"{cold['fetched']:,} / {cold['failed']}", f"{n:,} / 0"),
        ("wall time, cold, no delay between requests", f"{cold['seconds']:.2f} s", ""),
        ("wall time, warm", f"{warm['seconds'] * 1000:.0f} ms", ""),
        (
            f"{'Semantic Scholar' if args.citations else 'arXiv'}'s {COURTESY_DELAY[args.citations]:g} s between "
            "requests would add",
            f"{max(cold_requests - 1, 0) * COURTESY_DELAY[args.citations]:.0f} s",
            "",
        ),
        ("peak Python allocations during the cold run (tracemalloc)", f"{traced['traced_peak'] / 2**20:.1f} MiB", ""),
        ("max RSS, cold run", f"{cold['max_rss_kib'] / mib:.0f} MiB", ""),
        ("max RSS, interpreter and imports only", f"{baseline['max_rss_kib'] / mib:.0f} MiB", ""),
        ("lock file size", f"{size / 2**20:.2f} MiB", ""),
        *((name, f"{seconds * 1000:.0f} ms", "") for name, seconds in build.items()),
    ]
    print("| measure | value | goal |")
    print("|---|---|---|")
    for name, value, target in rows:
        print(f"| {name} | {value} | {target} |")
    ok = cold_requests == goal and warm_requests == 0 and cold["fetched"] == n
    return 0 if ok else 1


def build_costs(lock: Path, papers: int) -> dict[str, float]:
    """What a build pays for the citations (median of 5 each): reading the lock, beside reading a lock of
    as many arXiv records alone (benchmarks/build.py's), and linking the papers through their references."""
    import statistics

    from benchmarks.build import make_project
    from generator.catalogue import load_catalogue
    from generator.lock import read_lock, save_lock
    from generator.model import build_site

    def median(work: Any) -> float:
        """CPU seconds (not wall time: the machine may be busy with other work), the median of 5 runs."""
        times = []
        for _ in range(5):
            start = time.process_time()
            work()
            times.append(time.process_time() - start)
        return statistics.median(times)

    project = lock.parent / "project"
    project.mkdir()
    make_project(project, papers, 0)
    arxiv_only = project / "papers.lock.json"
    both = read_lock(arxiv_only)
    both.citations = read_lock(lock).citations
    save_lock(lock.parent / "both.lock.json", both)
    catalogue = load_catalogue(project / "papers.yaml")
    site = build_site(catalogue, both, ())
    links = sum(len(site.cites(e)) for e in site.entries)
    references = sum(len(r.references) for r in both.citations.values())
    return {
        f"reading a lock of {papers:,} arXiv records (a build reads it once)": median(lambda: read_lock(arxiv_only)),
        f"... and of as many arXiv and Semantic Scholar records ({(lock.parent / 'both.lock.json').stat().st_size / 2**20:.2f} MiB)":
            median(lambda: read_lock(lock.parent / "both.lock.json")),
        f"joining the site model, linking the papers through {references:,} references ({links:,} links within "
        "the catalogue)": median(lambda: build_site(catalogue, both, ())),
    }


if __name__ == "__main__":
    sys.exit(main())
