"""Growth under hostile sizes: each input grows by 10x steps; time and memory must grow at most n log n.

    python benchmarks/stress.py            # every input, three or four steps each (a minute or two)
    python benchmarks/stress.py --quick    # the first steps only

For each input it times the core's work on it (in this process, the median of a few
runs) and measures the peak memory Python allocates doing it (tracemalloc), and
prints one table: the size, the time, the memory, and the growth of time and memory
over the previous step. A growth near 10 per 10x step is linear; about 100 would be
quadratic. Nothing here reaches the network or writes outside a temp folder.

The inputs: a topic title (stats page), a paper's list of topic references (check),
the number of papers (load + render every page), the number of logs, one log's
length (Q&A and links), a log's list nesting, and YAML aliases (refused, at once).
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.errors import StudylogError  # noqa: E402
from generator.pages import render_site  # noqa: E402
from generator.project import Project, load_site  # noqa: E402
from generator.qa import find_questions  # noqa: E402

LOG_HEAD = "---\ntitle: Day {n}\ndate: 2021-{m:02d}-{d:02d}\nslug: day-{n}\ncategories: [Study]\ntags: [nlp]\n---\n\n"


def project(root: Path, catalogue: str, logs: dict[str, str]) -> Project:
    if root.exists():
        shutil.rmtree(root)
    posts = root / "docs" / "logs" / "posts"
    posts.mkdir(parents=True)
    (root / "papers.yaml").write_text(catalogue, encoding="utf-8")
    for name, text in logs.items():
        (posts / name).write_text(text, encoding="utf-8")
    return Project.at(root)


def build(p: Project) -> None:
    render_site(load_site(p))


def catalogue_of(papers: int, *, title: str = "Topic", refs: int = 1) -> str:
    lines = ["topics:", "  - id: t", f"    title: {title!r}", "papers:"]
    topic_list = ", ".join(["t"] * refs) if refs > 1 else "t"
    for i in range(papers):
        lines += [f"  - id: p{i}", f"    title: Paper number {i} about attention", f"    year: {2000 + i % 25}",
                  f"    topics: [{topic_list}]"]
    return "\n".join(lines) + "\n"


def logs_of(count: int, body: str = "* Q. 질문인가요?\n  * 답이다.\n* [paper](https://arxiv.org/abs/2104.08691)\n") -> dict[str, str]:
    out = {}
    for n in range(count):
        m, d = 1 + n // 28 % 12, 1 + n % 28
        out[f"{2000 + n // 336}-{m:02d}-{d:02d}-day-{n}.md"] = LOG_HEAD.format(n=n, m=m, d=d).replace(
            "date: 2021", f"date: {2000 + n // 336}") + body
    return out


def measure(work: Callable[[], object], repeat: int) -> tuple[float, float]:
    """(median seconds, peak MiB traced) of ``work``: timed without tracing, which slows Python down."""
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        _run(work)
        times.append(time.perf_counter() - began)
    tracemalloc.start()
    _run(work)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return statistics.median(times), peak / 2**20


def _run(work: Callable[[], object]) -> None:
    with contextlib.suppress(StudylogError):  # a refusal is the expected outcome for hostile input
        work()


def cases(tmp: Path, quick: bool) -> list[tuple[str, list[tuple[int, Callable[[], object]]]]]:
    steps = (lambda full: full[:2]) if quick else (lambda full: full)

    def with_project(catalogue: str, logs: dict[str, str]) -> Callable[[], object]:
        p = project(tmp / f"p{len(list(tmp.iterdir()))}", catalogue, logs)
        return lambda: build(p)

    def qa_of(body: str) -> Callable[[], object]:
        return lambda: find_questions(body)

    def yaml_aliases(levels: int) -> Callable[[], object]:
        lines = ['a0: &a0 ["x","x","x","x","x","x","x","x","x","x"]']
        lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, levels)]
        p = project(tmp / f"y{levels}", "topics: []\npapers: []\n" + "\n".join(lines) + "\n", {})
        return lambda: load_site(p)

    return [
        ("topic title length (characters)", [(n, with_project(catalogue_of(3, title="T" * n), {}))
                                              for n in steps([1_000, 10_000, 100_000])]),
        ("topic references of one paper", [(n, with_project(catalogue_of(1, refs=n), {}))
                                            for n in steps([1_000, 10_000, 100_000])]),
        ("papers", [(n, with_project(catalogue_of(n), {})) for n in steps([100, 1_000, 10_000])]),
        ("logs", [(n, with_project(catalogue_of(10), logs_of(n))) for n in steps([10, 100, 1_000])]),
        ("lines in one log", [(n, qa_of("## 피어 세션\n\n" + "* 이건 왜 그럴까?\n  * 그렇다 : 네\n" * (n // 2)))
                              for n in steps([1_000, 10_000, 100_000])]),
        ("list nesting in one log (levels)", [(n, qa_of("".join("  " * i + "* Q. 깊이?\n" for i in range(n))))
                                              for n in steps([10, 100, 1_000])]),
        ("YAML alias levels (x10 values each)", [(n, yaml_aliases(n)) for n in steps([3, 6, 9])]),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="the first two steps of each input only")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="studylog-stress-"))
    try:
        print("| input | size | time | memory | time growth | memory growth |")
        print("|---|--:|--:|--:|--:|--:|")
        for name, steps in cases(tmp, args.quick):
            previous: tuple[float, float] | None = None
            for size, work in steps:
                seconds, mib = measure(work, args.repeat)
                growth = (f"{seconds / previous[0]:.1f}x" if previous and previous[0] > 0 else "",
                          f"{mib / previous[1]:.1f}x" if previous and previous[1] > 0 else "")
                print(f"| {name} | {size:,} | {seconds:.3f} s | {mib:.1f} MiB | {growth[0]} | {growth[1]} |", flush=True)
                previous = (seconds, mib)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
