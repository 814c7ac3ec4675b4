"""Build speed, memory, and save-to-screen time under `mkdocs serve`, up to 2,000 papers and 400 logs.

    python benchmarks/build.py            # everything (long: tens of minutes on 2 cores)
    python benchmarks/build.py --papers 200 --logs 40   # a quicker one
    python benchmarks/build.py --no-cold --serve sample,blog --saves 3   # only some serve cases

Cold builds: it generates a catalogue of N papers with lock records and M logs that link
papers and hold Q&A, then measures, each build in its own process:

* `mkdocs build` with the plugin, against the same pages pre-generated to disk by
  `python -m generator generate` and built with the plugin disabled (goal: ratio <= 1.10);
* the plugin's own time (load + validate + render, the work of its on_files);
* peak memory (max RSS) of each build (goal: <= 1.5 GiB);
* the search index size;
* what related papers, logs that name a paper and quoted backlinks add to the plugin's
  work (load + render), each in its own process: the plugin's work with them and with them
  switched off, and each part's time and peak allocations (tracemalloc). Alone:
  `python benchmarks/build.py --knowledge-only`.

Save to screen: it serves each site with `mkdocs serve` and measures, for four kinds of
save, the time from writing the file to the served page holding the change, as a
browser sees it (the live-reload long-poll answers, then the page is fetched), and the
CPU time the serve process spent meanwhile (steadier than wall time on a shared
machine), then waits 2 s, as a learner reads, and reports the CPU spent in them too
(the garbage collection the serve leaves until it is idle). The saves: a line added to a log; a paper's notes changed in papers.yaml; the
lock rewritten with a changed record, as `enrich` does; a new log. The sites: the
shipped sample; a 60-post blog of realistic posts (``benchmarks/blog.py``), with and
without `<!-- more -->` excerpt markers; the N-paper, M-log site. Goal: <= 3 s.

Prints Markdown tables. Nothing here reaches the network.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from generator.lock import ArxivRecord, save_lock  # noqa: E402

TOPICS = [
    ("open-domain-qa", "Open-Domain Question Answering"),
    ("unsupervised-nmt", "Unsupervised Neural Machine Translation"),
    ("text-style-transfer", "Text Style Transfer"),
    ("quality-estimation", "Quality Estimation"),
    ("large-scale-lms", "Large-scale Language Models"),
    ("transfer-learning", "Transfer Learning"),
    ("in-context-learning", "In-Context Learning"),
    ("prompt-tuning", "Prompt Tuning"),
    ("code-lms", "Language Models Trained on Code"),
    ("multimodal", "Multi-Modal Models"),
]
WORDS = ["attention", "transformer", "retrieval", "prompt", "tuning", "language", "model", "pre-training", "contrastive", "vision", "translation", "unsupervised", "style", "transfer", "estimation", "quality", "scaling", "sparse", "mixture", "experts", "instruction", "alignment", "reasoning", "chain", "thought", "code", "generation", "evaluation", "benchmark", "robust"]
KO = ["원핫벡터", "셀프어텐션", "트랜스포머", "임베딩", "학습정리", "멘토링", "피어세션", "배치", "정규화", "역전파", "토크나이저", "언어모델"]


def paper_id(i: int) -> str:
    year = 15 + i % 10
    month = 1 + i % 12
    return f"{year:02d}{month:02d}.{10000 + i:05d}"


def short_name(i: int) -> str | None:
    """Every fourth paper has a name before its title's colon, as BERT or REALM do."""
    return f"SynthNet{i}" if i % 4 == 0 else None


def make_project(dest: Path, papers: int, logs: int, seed: int = 7) -> Path:
    rnd = random.Random(seed)
    for name in ("mkdocs.yml",):
        shutil.copy(ROOT / name, dest / name)
    shutil.copytree(ROOT / "docs", dest / "docs", ignore=shutil.ignore_patterns("_generated"))
    lines = ["# yaml-language-server: $schema=./generator/papers.schema.json", "topics:"]
    for tid, title in TOPICS:
        lines += [f"  - id: {tid}", f"    title: {title}"]
    lines.append("papers:")
    records = {}
    for i in range(papers):
        pid = paper_id(i)
        topic = TOPICS[i % len(TOPICS)][0]
        lines += [f'  - arxiv: "{pid}"', f"    topics: [{topic}]", f"    status: {rnd.choice(['to-read', 'reading', 'read'])}"]
        if i % 5 == 0:
            lines += ["    notes: |", f"      Notes on {rnd.choice(WORDS)} and {rnd.choice(WORDS)}."]
        title = " ".join(rnd.choice(WORDS) for _ in range(8)).capitalize()
        if short_name(i):
            title = f"{short_name(i)}: {title}"
        records[pid] = ArxivRecord(
            id=pid,
            version=1 + i % 3,
            title=title,
            authors=tuple(f"Author{j} Family{i % 97}" for j in range(1 + i % 6)),
            abstract=" ".join(rnd.choice(WORDS) for _ in range(180)),
            published=f"20{pid[:2]}-{pid[2:4]}-0{1 + i % 9}T12:00:00Z",
            updated=f"20{pid[:2]}-{pid[2:4]}-1{1 + i % 9}T12:00:00Z",
            primary_category="cs.CL",
            categories=("cs.CL", "cs.LG"),
            doi=None,
            journal_ref=None,
            comment="10 pages",
            fetched="2026-11-24T00:00:00Z",
        )
    (dest / "papers.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    save_lock(dest / "papers.lock.json", records)
    titles = {pid: r.title for pid, r in records.items()}
    posts = dest / "docs" / "logs" / "posts"
    for n in range(logs):
        day = 29 + n
        date = time.strftime("%Y-%m-%d", time.gmtime(1631145600 + n * 86400))
        linked = [paper_id(rnd.randrange(papers)) for _ in range(8)]
        body = [
            "---",
            f'title: "[Boostcamp AI Tech] {day}일차 학습정리"',
            f"date: {date}",
            f"slug: day-{day}",
            "categories: [Boostcamp-AI-Tech]",
            f"tags: [{rnd.choice(['NLP', 'CV', 'RecSys'])}, {n // 5 + 1}주차]",
            "---",
            "",
            f"# 부스트캠프 {day}일차",
            "",
            "## 📝 오늘 일정 정리",
            "",
            "* 강의 수강",
            "  - [x] 과제 제출",
            "",
            "## 🌼 멘토링",
            "",
        ]
        for q in range(3):
            body += [
                f"* Q. {rnd.choice(KO)}에서 {rnd.choice(KO)}를 꼭 써야 하나요? ({q + 1})",
                f"  * {rnd.choice(KO)}와 {rnd.choice(KO)}를 비교해 보면 된다.",
            ]
        body += ["", "## 💎 마스터 클래스", ""]
        body += [f"* [{rnd.choice(WORDS)} paper](https://arxiv.org/abs/{pid})" for pid in linked]
        # Papers named without a link: by short name (discussed, or in passing) and by title.
        named = [i for i in (rnd.randrange(papers) for _ in range(6)) if short_name(i)][:2]
        body += ["", "## 📄 논문 읽기", ""]
        for i in named:
            body += [f"* {short_name(i)}는 {rnd.choice(KO)}를 {rnd.choice(KO)}로 바꾼다.",
                     f"  * {short_name(i)} 논문의 실험에서는 {rnd.choice(WORDS)} 성능이 좋았다."]
        body += [f"* 오늘 읽은 논문: {titles[paper_id(rnd.randrange(papers))]}",
                 f"* {rnd.choice(KO)} 같은 모델은 SynthNet{4 * rnd.randrange(papers // 4)}와 비슷하다."]
        body += ["", "## 🚀 학습 회고", "", " ".join(rnd.choice(KO) for _ in range(60)), ""]
        (posts / f"{date}-day-{day}.md").write_text("\n".join(body), encoding="utf-8")
    return dest


# -- one measured build, in its own process -------------------------------------------

def _one(project: Path, mode: str) -> None:
    """Build once and print {seconds, plugin_seconds, maxrss_mib} as JSON (child process)."""
    import resource

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    import generator.plugin as plugin_module

    spent = [0.0]
    original = plugin_module.StudylogPlugin.on_files

    def timed(self, files, *, config):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        try:
            return original(self, files, config=config)
        finally:
            spent[0] += time.perf_counter() - start

    plugin_module.StudylogPlugin.on_files = timed  # type: ignore[method-assign]
    os.environ["STUDYLOG_ENABLED"] = "true" if mode == "plugin" else "false"
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(project / f"site-{mode}"))
    usage = resource.getrusage(resource.RUSAGE_SELF)
    start = time.perf_counter()
    build(config)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = after.ru_utime + after.ru_stime - usage.ru_utime - usage.ru_stime
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    index = project / f"site-{mode}" / "search" / "search_index.json"
    print(json.dumps({"seconds": seconds, "cpu": cpu, "plugin_seconds": spent[0], "maxrss_mib": maxrss, "index_bytes": index.stat().st_size}))


def _knowledge(project: Path, mode: str) -> None:
    """The plugin's work (load + render) once, with the knowledge features or without ("off");
    with them, each part timed and its peak allocations traced. Prints JSON (child process)."""
    import resource
    import tracemalloc

    from generator import mentions, pages, passages, related
    from generator.project import Project, load_site
    from generator.qa import parser

    if mode == "off":
        related.related_papers = lambda entries, **_: {e.key: () for e in entries}  # type: ignore[assignment]
        mentions.mentions = lambda site, analyse=None: {}  # type: ignore[assignment,misc]
        pages.quote_log = lambda *args: ""  # type: ignore[assignment]
    project_ = Project.at(project)
    # CPU time: the machine is shared, and wall time would measure the neighbours too.
    start = time.process_time()
    site = load_site(project_)
    files = pages.render_site(site, project_.site, project_.layout)
    result: dict[str, float] = {"work_s": time.process_time() - start, "pages": len(files)}
    if mode == "on":
        # What render_site kept for the next build under serve: forgotten, so each part is timed doing its work.
        kept = {"related": (related._NEIGHBOURS, related._TERMS), "mentions": (mentions._CATALOGUES, mentions._GLOSSED, mentions._HITS)}

        def timed(name: str, call):  # type: ignore[no-untyped-def]
            for memo in kept.get(name, ()):
                memo.clear()
            begin = time.process_time()
            value = call()
            result[f"{name}_s"] = time.process_time() - begin
            for memo in kept.get(name, ()):
                memo.clear()
            tracemalloc.start()  # a second run, traced (tracing slows it down)
            call()
            result[f"{name}_peak_mib"] = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
            return value

        tokens = [parser().parse(log.body) for log in site.logs]
        timed("passages", lambda: [passages.passages(t, 0) for t in tokens])
        found = timed("related", lambda: related.related_papers(site.entries))
        timed("mentions", lambda: mentions.mentions(site))
        timed("quotes", lambda: [pages.quote_log(b.log, b.link.passage, b.link.start, b.link.end)
                                 for e in site.entries for b in e.backlinks])
        result["related_listed"] = sum(len(v) for v in found.values()) / max(1, len(found))
        result["suggested"] = sum(len(v) for v in mentions.mentions(site).values())
    result["maxrss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


def measure_knowledge(project: Path, mode: str) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--knowledge", mode, str(project)], capture_output=True, text=True, check=True
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def knowledge_table(project: Path, runs: int) -> list[str]:
    on = [measure_knowledge(project, "on") for _ in range(runs)]
    off = [measure_knowledge(project, "off") for _ in range(runs)]

    def med(rows: list[dict[str, float]], key: str) -> float:
        return statistics.median(r[key] for r in rows)

    added = med(on, "work_s") - med(off, "work_s")
    return [
        "| knowledge (related papers, logs that name a paper, quoted backlinks); CPU seconds | figure |",
        "|---|---|",
        f"| the plugin's work (load + render), with them | {med(on, 'work_s'):.2f} s |",
        f"| the plugin's work, without them | {med(off, 'work_s'):.2f} s |",
        f"| added | {added:.2f} s ({100 * added / med(off, 'work_s'):.0f}% of the plugin's work) |",
        f"| related papers: tf-idf, neighbours, shared terms (scikit-learn already imported) | {med(on, 'related_s'):.2f} s, "
        f"peak {med(on, 'related_peak_mib'):.1f} MiB |",
        f"| logs that name a paper: index the names, read each log once | {med(on, 'mentions_s'):.2f} s, "
        f"peak {med(on, 'mentions_peak_mib'):.1f} MiB |",
        f"| passages of every log (part of reading the logs) | {med(on, 'passages_s'):.2f} s |",
        f"| quoting every backlink | {med(on, 'quotes_s'):.2f} s |",
        f"| related papers listed per paper (mean); logs suggested in all | {med(on, 'related_listed'):.1f}; "
        f"{med(on, 'suggested'):.0f} |",
        f"| max RSS of the plugin's work, with / without | {med(on, 'maxrss_mib'):.0f} / {med(off, 'maxrss_mib'):.0f} MiB |",
    ]


def measure(project: Path, mode: str) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--one", mode, str(project)], capture_output=True, text=True, check=True
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


# -- save to screen under mkdocs serve -------------------------------------------------------

IDLE = 2.0
"""Seconds between a page showing a save and the next save."""


class Served:
    """`mkdocs serve` on a project, and the time from saving a file to a page showing the change."""

    def __init__(self, project: Path) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        self.project = project
        self.base = f"http://127.0.0.1:{port}/"
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        self.log = (project / "serve.log").open("w", encoding="utf-8")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
            cwd=project, stdout=self.log, stderr=subprocess.STDOUT, env=env,
        )
        deadline = time.monotonic() + 1200
        while True:
            try:
                html = self.get("")
                break
            except OSError:
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    raise SystemExit(f"mkdocs serve did not start; see {project / 'serve.log'}") from None
                time.sleep(0.2)
        self.epoch = int(re.search(r"livereload\((\d+), \d+\)", html).group(1))  # type: ignore[union-attr]
        time.sleep(IDLE)

    def get(self, path: str) -> str:
        with urllib.request.urlopen(self.base + path, timeout=1200) as response:
            return response.read().decode("utf-8")

    def cpu(self) -> float:
        """CPU seconds the serve process has used (user + system): steadier than wall time on a busy machine."""
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def save_to_screen(self, save: Callable[[], None], page: str, marker: str) -> tuple[float, float, float]:
        """Seconds from ``save()`` to ``page`` showing ``marker``, as a browser sees it (told to reload,
        then fetching), the CPU seconds the server spent in that time, and those it spent in the
        ``IDLE`` seconds after (the garbage collection it leaves until then: ``generator.idle_gc``)."""
        cpu = self.cpu()
        start = time.perf_counter()
        save()
        deadline = start + 1200
        while time.perf_counter() < deadline:
            self.epoch = int(urllib.request.urlopen(f"{self.base}livereload/{self.epoch}/1", timeout=1200).read())
            try:
                if marker in self.get(page):
                    seconds, shown = time.perf_counter() - start, self.cpu()
                    time.sleep(IDLE)  # the learner reads; the file's mtime moves on before the next save
                    return seconds, shown - cpu, self.cpu() - shown
            except urllib.error.HTTPError as err:  # a new page, not built yet
                if err.code != 404:
                    raise
        raise SystemExit(f"{page} never showed {marker!r}")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


def _record(pid: str, abstract: str) -> ArxivRecord:
    return ArxivRecord(
        id=pid, version=1, title=f"Benchmark paper {pid}", authors=("Ada Lovelace",), abstract=abstract,
        published="2021-04-18T00:00:00Z", updated="2021-04-18T00:00:00Z", primary_category="cs.CL",
        categories=("cs.CL",), doi=None, journal_ref=None, comment=None, fetched="2026-11-24T00:00:00Z",
    )


def save_to_screen(project: Path, repeats: int = 3) -> dict[str, tuple[float, float, float]]:
    """For each kind of save, the median seconds from the save to the served page showing it,
    the median CPU seconds the serve process spent meanwhile, and in the idle seconds after."""
    from generator.project import Project, load_site

    proj = Project.at(project)
    site = load_site(proj)
    layout = proj.layout
    log = site.logs[len(site.logs) // 2]
    entry = next(e for e in site.entries if e.arxiv is not None and not e.paper.notes)
    pid = str(entry.arxiv)
    # Setup, before serving: a notes line on one paper, for the papers.yaml edits to change.
    catalogue = project / "papers.yaml"
    text = catalogue.read_text(encoding="utf-8")
    line = f'  - arxiv: "{pid}"\n'
    assert line in text, pid
    catalogue.write_text(text.replace(line, line + '    notes: "benchmark note 0"\n', 1), encoding="utf-8")
    latest = max(lg.date for lg in site.logs)
    served = Served(project)
    times: dict[str, list[float]] = {"log": [], "papers.yaml": [], "lock": [], "new log": []}
    cpu: dict[str, list[float]] = {kind: [] for kind in times}
    idle: dict[str, list[float]] = {kind: [] for kind in times}
    paper_page = layout.paper(entry.key)[: -len(".md")] + "/"
    try:
        for n in range(1, repeats + 1):
            marker = f"benchmark edit {n}"
            day = latest + dt.timedelta(days=n)
            post = project / "docs" / layout.logs_dir / f"{day.isoformat()}-bench-{n}.md"
            saves = {
                "log": (partial(_append, log.path, f"\n* {marker}\n"), layout.post_url(log), marker),
                "papers.yaml": (partial(_replace, catalogue, f"benchmark note {n - 1}", f"benchmark note {n}"),
                                paper_page, f"benchmark note {n}"),
                "lock": (partial(_enrich, project / "papers.lock.json", pid, f"benchmark abstract {n}"),
                         paper_page, f"benchmark abstract {n}"),
                "new log": (partial(_new_log, post, day, f"bench-{n}", f"{marker} today"),
                            f"{layout.blog_dir}/{day:%Y/%m/%d}/bench-{n}/", f"{marker} today"),
            }
            for kind, (save, page, text) in saves.items():
                seconds, cpu_seconds, idle_seconds = served.save_to_screen(save, page, text)
                times[kind].append(seconds)
                cpu[kind].append(cpu_seconds)
                idle[kind].append(idle_seconds)
    finally:
        served.stop()
    return {kind: (statistics.median(times[kind]), statistics.median(cpu[kind]), statistics.median(idle[kind]))
            for kind in times}


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def _replace(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def _enrich(lock_path: Path, pid: str, abstract: str) -> None:
    from generator.lock import load_lock

    save_lock(lock_path, {**load_lock(lock_path), pid: _record(pid, abstract)})


def _new_log(path: Path, day: dt.date, slug: str, text: str) -> None:
    path.write_text(
        f'---\ntitle: "New log {slug}"\ndate: {day.isoformat()}\nslug: {slug}\n'
        f"categories: [Boostcamp-AI-Tech]\ntags: [NLP]\n---\n\n# New log {slug}\n\n* {text}\n",
        encoding="utf-8",
    )


SITES = ("sample", "blog", "blog-more", "big")


def make_site(kind: str, dest: Path, papers: int, logs: int) -> Path:
    """A project to serve: the shipped sample, the 60-post blog (with or without excerpt markers), or the large one."""
    from blog import make_project as make_blog_project

    dest.mkdir()
    if kind == "sample":
        for name in ("mkdocs.yml", "papers.yaml", "papers.lock.json"):
            shutil.copy(ROOT / name, dest / name)
        shutil.copytree(ROOT / "docs", dest / "docs", ignore=shutil.ignore_patterns("_generated"))
        return dest
    if kind in ("blog", "blog-more"):
        return make_blog_project(dest, 60, more=kind == "blog-more")
    return make_project(dest, papers, logs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--papers", type=int, default=2000)
    parser.add_argument("--logs", type=int, default=400)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--knowledge-only", action="store_true",
                        help="only measure what related papers, mentions and quotes add to the plugin's work")
    parser.add_argument("--saves", type=int, default=3, help="saves of each kind, per site (median reported)")
    parser.add_argument("--serve", default=",".join(SITES), help=f"sites to serve, of {', '.join(SITES)} ('' for none)")
    parser.add_argument("--no-cold", action="store_true", help="skip the cold builds")
    parser.add_argument("--one", nargs=2, metavar=("MODE", "PROJECT"), help=argparse.SUPPRESS)
    parser.add_argument("--knowledge", nargs=2, metavar=("MODE", "PROJECT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        _one(Path(args.one[1]), args.one[0])
        return
    if args.knowledge:
        _knowledge(Path(args.knowledge[1]), args.knowledge[0])
        return
    if args.knowledge_only:
        with tempfile.TemporaryDirectory() as tmp:
            big = Path(tmp) / "big"
            big.mkdir()
            make_project(big, args.papers, args.logs)
            print(f"\n{args.papers} papers, {args.logs} logs, median of {args.runs} runs each\n")
            print("\n".join(knowledge_table(big, args.runs)))
        return

    def med(rows: list[dict[str, float]], key: str) -> float:
        return statistics.median(r[key] for r in rows)

    with tempfile.TemporaryDirectory() as tmp:
        if not args.no_cold:
            big = Path(tmp) / "cold"
            big.mkdir()
            make_project(big, args.papers, args.logs)
            subprocess.run([sys.executable, "-m", "generator", "--root", str(big), "generate"], check=True,
                           capture_output=True)
            plugin = [measure(big, "plugin") for _ in range(args.runs)]
            disk = [measure(big, "disk") for _ in range(args.runs)]
            ratio = med(plugin, "seconds") / med(disk, "seconds")
            print(f"\n{args.papers} papers, {args.logs} logs, median of {args.runs} builds each\n")
            print("| measure | figure | goal |")
            print("|---|---|---|")
            print(f"| `mkdocs build` with the plugin | {med(plugin, 'seconds'):.1f} s ({med(plugin, 'cpu'):.1f} s CPU) | |")
            print(f"| `mkdocs build` of the same pages from disk, plugin off | {med(disk, 'seconds'):.1f} s "
                  f"({med(disk, 'cpu'):.1f} s CPU) | |")
            print(f"| ratio | {ratio:.2f} (CPU: {med(plugin, 'cpu') / med(disk, 'cpu'):.2f}) | <= 1.10 |")
            print(f"| the plugin's own time (on_files: load, validate, render) | {med(plugin, 'plugin_seconds'):.2f} s | |")
            print(f"| peak memory, build with the plugin | {med(plugin, 'maxrss_mib'):.0f} MiB | <= 1536 MiB |")
            print(f"| peak memory, build from disk | {med(disk, 'maxrss_mib'):.0f} MiB | |")
            print(f"| search index | {med(plugin, 'index_bytes') / 2**20:.1f} MiB | |", flush=True)
            print()
            print("\n".join(knowledge_table(big, args.runs)), flush=True)
        rows: list[tuple[str, dict[str, tuple[float, float, float]]]] = []
        for kind in filter(None, args.serve.split(",")):
            project = make_site(kind, Path(tmp) / f"serve-{kind}", args.papers, args.logs)
            rows.append((kind, save_to_screen(project, args.saves)))
            print(kind, rows[-1][1], file=sys.stderr, flush=True)
    if rows:
        names = {"sample": "sample site", "blog": "60-post blog", "blog-more": "60-post blog, `<!-- more -->`",
                 "big": f"{args.papers} papers, {args.logs} logs"}
        kinds = list(rows[0][1])
        print(f"\nsave to screen under `mkdocs serve` (median of {args.saves} saves each; goal <= 3 s; "
              f"CPU until shown, then in the {IDLE:.0f} s after)\n")
        print("| site | " + " | ".join(kinds) + " |")
        print("|---|" + "---|" * len(kinds))
        for kind, found in rows:
            print(f"| {names[kind]} | " + " | ".join(f"{found[k][0]:.2f} s ({found[k][1]:.2f}; {found[k][2]:.2f} s CPU)" for k in kinds) + " |")


if __name__ == "__main__":
    main()
