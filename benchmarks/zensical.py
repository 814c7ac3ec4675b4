"""Zensical at scale: the build, its Korean search index, and save-to-screen under `serve`.

    python benchmarks/zensical.py                         # 2,000 papers and 400 logs (long)
    python benchmarks/zensical.py --papers 200 --logs 40  # a quick one

The catalogue and logs are benchmarks/build.py's (`make_project`), so the figures sit
beside its MkDocs ones. Each step runs in its own process, as a user runs it:

* `python -m generator generate`, cold (every file written) and warm (nothing changed), and
  one run of `generate --watch` after a save of papers.yaml (a second `generate` in one process,
  which finds the unchanged pages kept from the first);
* `zensical build --clean` (cold) and `zensical build` again (its cache warm): wall
  time and CPU time (user + system of the process and its children);
* `python -m generator search-index` on Zensical's search.json: time, and the index's
  size before and after;
* under `python -m generator serve`, from saving papers.yaml (a paper's status) to the
  live-reload socket naming the paper's page -- what tells the browser to reload, as
  benchmarks/build.py measures for `mkdocs serve` -- and to the Korean words being back
  in the rebuilt search.json; the median over a few saves, on the shipped site and on
  the large one (goal: 3 s from save to the reload).

Prints a Markdown table. Nothing here reaches the network.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from build import make_project, paper_id  # noqa: E402  (benchmarks/build.py: the same large project)

from generator.search_index import HIDDEN_OPEN  # noqa: E402
from tests.zensical_server import LiveReload, Serve, get  # noqa: E402

START_WAIT = 3600  # seconds: starting serve on the large site generates and builds it all
SAVE_WAIT = 600  # seconds: a bound on one save reaching the page


def timed(command: list[str], cwd: Path) -> tuple[float, float]:
    """Run ``command``; its wall time and CPU time (user + system, children included)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _has_korean_words(site: Path) -> bool:
    try:
        index = json.loads((site / "search.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return any(HIDDEN_OPEN in item.get("text", "") for item in index.get("items", []))


def _wait(check: object, limit: float, what: str) -> float:
    began = time.perf_counter()
    while not check():  # type: ignore[operator]
        if time.perf_counter() - began > limit:
            raise SystemExit(f"timed out: {what}")
        time.sleep(0.05)
    return time.perf_counter() - began


def _status_changed(text: str, paper: str) -> str:
    """papers.yaml's ``text`` with ``paper``'s status changed (read <-> reading)."""
    entry = re.search(rf'  - arxiv: "{re.escape(paper)}"\n(?:    .*\n)*', text)
    assert entry is not None, paper
    block = entry.group()
    status = re.search(r"^    status: (\S+)$", block, re.M)
    if status is None:  # a paper without a status: give it one
        block += "    status: reading\n"
    else:
        new = "read" if status.group(1) != "read" else "reading"
        block = block[: status.start(1)] + new + block[status.end(1):]
    return text[: entry.start()] + block + text[entry.end():]


_WATCH_RUN = """
import sys, time
from pathlib import Path
sys.path.insert(0, {benchmarks!r})
from zensical import _status_changed
from generator.generate import generate
from generator.project import Project
project = Project.at(".")
generate(project)
catalogue = Path("papers.yaml")
catalogue.write_text(_status_changed(catalogue.read_text(encoding="utf-8"), {paper!r}), encoding="utf-8")
wall, cpu = time.perf_counter(), time.process_time()
print(generate(project).summary())
print(time.perf_counter() - wall, time.process_time() - cpu)
"""


def watch_run_seconds(project: Path, paper: str) -> tuple[float, float]:
    """Wall and CPU seconds of one run of `generate --watch` after a save of papers.yaml (a paper's status):
    a second `generate` in the process that made the first, as the watch loop runs it."""
    code = _WATCH_RUN.format(benchmarks=str(Path(__file__).parent), paper=paper)
    done = subprocess.run([sys.executable, "-c", code], cwd=project, capture_output=True, text=True, check=True)
    wall, cpu = done.stdout.split()[-2:]
    return float(wall), float(cpu)


def serve_seconds(project: Path, paper: str, repeats: int) -> dict[str, float]:
    """Median seconds from saving papers.yaml to: the socket telling the paper's page to reload; the
    page served with the edit; the Korean words back in the search index."""
    server = Serve(project, wait=START_WAIT)
    site = project / "site"
    try:
        _wait(lambda: _has_korean_words(site), START_WAIT, "the first search index")
        time.sleep(3)
        catalogue = project / "papers.yaml"
        page = f"papers/{paper.replace('/', '-')}/"
        reloads, shown, indexes = [], [], []
        for _ in range(repeats):
            edited = _status_changed(catalogue.read_text(encoding="utf-8"), paper)
            socket_ = LiveReload(server.base, page)
            before = get(server.base + page)
            began = time.perf_counter()
            catalogue.write_text(edited, encoding="utf-8")
            while socket_.message(timeout=SAVE_WAIT) != f"/{page}":
                pass
            reloads.append(time.perf_counter() - began)
            socket_.close()
            _wait(lambda old=before: get(server.base + page) != old, SAVE_WAIT, "the edit on the page")
            shown.append(time.perf_counter() - began)
            _wait(lambda: _has_korean_words(site), SAVE_WAIT, "the rebuilt search index")
            indexes.append(time.perf_counter() - began)
            time.sleep(2)
        return {"reload": statistics.median(reloads), "shown": statistics.median(shown),
                "index": statistics.median(indexes)}
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--papers", type=int, default=2000)
    parser.add_argument("--logs", type=int, default=400)
    parser.add_argument("--runs", type=int, default=3, help="builds of each kind (median)")
    parser.add_argument("--saves", type=int, default=3, help="saves under serve (median)")
    args = parser.parse_args()
    python = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "big"
        big.mkdir()
        make_project(big, args.papers, args.logs)
        generate_cold = timed([python, "-m", "generator", "generate"], big)
        generate_warm = timed([python, "-m", "generator", "generate"], big)
        watch_run = watch_run_seconds(big, paper_id(0))
        cold, warm, index_runs = [], [], []
        for _ in range(args.runs):
            cold.append(timed([python, "-m", "zensical", "build", "--clean", "--config-file", "mkdocs.yml"], big))
            warm.append(timed([python, "-m", "zensical", "build", "--config-file", "mkdocs.yml"], big))
            plain = (big / "site" / "search.json").stat().st_size
            index_runs.append(timed([python, "-m", "generator", "search-index"], big))
        segmented = (big / "site" / "search.json").stat().st_size
        shutil.rmtree(big / "site")

        shipped = Path(tmp) / "shipped"
        shipped.mkdir()
        for name in ("mkdocs.yml", "papers.yaml", "papers.lock.json"):
            shutil.copy(ROOT / name, shipped / name)
        shutil.copytree(ROOT / "docs", shipped / "docs")
        serve_shipped = serve_seconds(shipped, "2104.08691", args.saves)
        serve_big = serve_seconds(big, paper_id(0), max(2, args.saves - 1))

    def med(rows: list[tuple[float, float]], i: int) -> float:
        return statistics.median(r[i] for r in rows)

    print(f"\n{args.papers} papers, {args.logs} logs; median of {args.runs} builds, {args.saves} saves\n")
    print("| measure | wall | CPU | goal |")
    print("|---|---|---|---|")
    print(f"| `generate`, every file new | {generate_cold[0]:.1f} s | {generate_cold[1]:.1f} s | |")
    print(f"| `generate`, nothing changed | {generate_warm[0]:.1f} s | {generate_warm[1]:.1f} s | |")
    print(f"| one run of `generate --watch` after a save of papers.yaml | {watch_run[0]:.1f} s | {watch_run[1]:.1f} s | |")
    print(f"| `zensical build --clean` | {med(cold, 0):.1f} s | {med(cold, 1):.1f} s | |")
    print(f"| `zensical build`, cache warm | {med(warm, 0):.1f} s | {med(warm, 1):.1f} s | |")
    print(f"| `search-index` (Korean words into search.json) | {med(index_runs, 0):.1f} s | {med(index_runs, 1):.1f} s | |")
    print(f"| search.json, as Zensical writes it / with the Korean words | {plain / 2**20:.1f} MiB / "
          f"{segmented / 2**20:.1f} MiB | | |")
    for name, found in (("shipped site", serve_shipped), (f"{args.papers}-paper site", serve_big)):
        print(f"| `serve`, {name}: save papers.yaml -> the page is told to reload | {found['reload']:.2f} s | | <= 3 s |")
        print(f"| `serve`, {name}: save -> the page served with the edit | {found['shown']:.2f} s | | |")
        print(f"| `serve`, {name}: save -> the Korean words back in search.json | {found['index']:.1f} s | | |")


def _exit_on_term(_signum: int, _frame: object) -> None:
    raise SystemExit("terminated")  # so the servers started are stopped (Serve.stop in finally)


if __name__ == "__main__":
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1632700800")
    signal.signal(signal.SIGTERM, _exit_on_term)
    main()
