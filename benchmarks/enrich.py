"""Enrichment at scale: 2,000 new arXiv IDs against the local arXiv stand-in.

    python benchmarks/enrich.py                 # 2,000 IDs
    python benchmarks/enrich.py --papers 300    # a quick one

It serves fake papers from tests/arxiv_server.py on 127.0.0.1 and runs
``run_enrich`` in a child process per measurement, so the figures are enrich's own,
not the stand-in's:

* requests the stand-in received, cold (goal: one per 100 IDs, 20 for 2,000) and
  warm, with every ID in the lock (goal: 0);
* wall time with no pause between requests (``ARXIV_DELAY_SECONDS=0``), and what
  arXiv's 3 s between requests would add;
* peak memory: max RSS of the child (with the interpreter and imports, shown apart)
  and the peak of Python allocations during the run (tracemalloc, a separate run,
  since tracing slows it down).

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

COURTESY_DELAY = 3.0


def child(lock: Path, papers: int, trace: bool) -> dict[str, Any]:
    """One run of enrich, in this process; the figures as a dict."""
    import io
    import tracemalloc

    from generator.enrich import run_enrich
    from generator.ids import ArxivId
    from tests.arxiv_server import paper_id

    ids = [ArxivId(paper_id(i)) for i in range(papers)]
    if trace:
        tracemalloc.start()
    start = time.perf_counter()
    report = run_enrich(ids, lock, out=io.StringIO()) if papers else None
    seconds = time.perf_counter() - start
    traced = tracemalloc.get_traced_memory()[1] if trace else None
    return {
        "seconds": seconds,
        "max_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,  # KiB on Linux
        "traced_peak": traced,
        "fetched": len(report.fetched) if report else 0,
        "failed": len(report.failed) if report else 0,
    }


def measure(url: str, lock: Path, papers: int, *, trace: bool = False) -> dict[str, Any]:
    env = dict(os.environ, ARXIV_API_URL=url, ARXIV_DELAY_SECONDS="0", NO_PROXY="127.0.0.1,localhost")
    argv = [sys.executable, __file__, "--child", str(lock), "--papers", str(papers)] + (["--trace"] if trace else [])
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=True)
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--papers", type=int, default=2000, help="new arXiv IDs to enrich (default: 2000)")
    parser.add_argument("--child", metavar="LOCK", help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(Path(args.child), args.papers, args.trace)))
        return 0

    from tests.arxiv_server import ArxivStandIn, fake_papers

    n = args.papers
    with ArxivStandIn(fake_papers(n)) as server, tempfile.TemporaryDirectory() as tmp:
        lock = Path(tmp) / "papers.lock.json"

        def run(path: Path, *, trace: bool = False) -> tuple[dict[str, Any], int]:
            before = len(server.requests)
            figures = measure(server.url, path, n, trace=trace)
            return figures, len(server.requests) - before

        baseline = measure(server.url, Path(tmp) / "unused.json", 0)
        cold, cold_requests = run(lock)
        size = lock.stat().st_size
        warm, warm_requests = run(lock)
        traced, _ = run(Path(tmp) / "traced.lock.json", trace=True)

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
            "arXiv's 3 s between requests would add",
            f"{max(cold_requests - 1, 0) * COURTESY_DELAY:.0f} s",
            "",
        ),
        ("peak Python allocations during the cold run (tracemalloc)", f"{traced['traced_peak'] / 2**20:.1f} MiB", ""),
        ("max RSS, cold run", f"{cold['max_rss_kib'] / mib:.0f} MiB", ""),
        ("max RSS, interpreter and imports only", f"{baseline['max_rss_kib'] / mib:.0f} MiB", ""),
        ("lock file size", f"{size / 2**20:.2f} MiB", ""),
    ]
    print("| measure | value | goal |")
    print("|---|---|---|")
    for name, value, target in rows:
        print(f"| {name} | {value} | {target} |")
    ok = cold_requests == goal and warm_requests == 0 and cold["fetched"] == n
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
