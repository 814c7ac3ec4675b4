"""`mkdocs serve`: saving papers.yaml, the lock or a log reloads the page, with no rebuild loop."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.lock import load_lock, save_lock

from .browser import Watch
from .sitebuild import arxiv_record, build_site, copy_project, site_files

WAIT = 90  # seconds; a bound on waiting, not a speed assertion
QUIET = 2.5  # seconds without a build after the last one ended: five polls of the watcher


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, timeout: float = 10) -> str:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.read().decode("utf-8")


class Server:
    def __init__(self, project: Path, tmp: Path | None = None) -> None:
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}/"
        self.log = project / "serve.log"
        self._log_file = self.log.open("w", encoding="utf-8")
        # With a temp folder of its own, the site MkDocs builds into (mkdtemp "mkdocs_*") can be found.
        env = {**os.environ, "TMPDIR": str(tmp)} if tmp else None
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{self.port}"],
            cwd=project,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            env=env,
        )
        deadline = time.monotonic() + WAIT
        while True:
            try:
                _get(self.base)
                return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    pytest.fail(f"mkdocs serve did not start:\n{self.log.read_text(encoding='utf-8')}")
                time.sleep(0.3)

    def epoch(self, path: str) -> int:
        m = re.search(r"livereload\((\d+), \d+\)", _get(self.base + path))
        assert m, "no live-reload script on the page"
        return int(m.group(1))

    def wait_for_reload(self, epoch: int) -> int:
        """Long-poll like the browser does; returns the new epoch once a rebuild is visible."""
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            new = int(_get(f"{self.base}livereload/{epoch}/1", timeout=WAIT))
            if new > epoch:
                return new
        pytest.fail("the page was never told to reload")

    def builds(self) -> int:
        """Builds started."""
        return self.log.read_text(encoding="utf-8").count("Building documentation")

    def built(self) -> int:
        """Builds ended: the first (then MkDocs starts serving) and each rebuild, which MkDocs follows with
        "Reloading browsers", or with an error. Not "Documentation built in 1.43 seconds": MkDocs drops a
        message of its build logger that it logged before, so a rebuild as fast as an earlier one goes unsaid."""
        text = self.log.read_text(encoding="utf-8")
        return (text.count("Serving on") + text.count("Reloading browsers")
                + text.count("An error happened during the rebuild"))

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._log_file.close()


@pytest.fixture()
def server(project: Path) -> Iterator[tuple[Server, Path]]:
    srv = Server(project)
    try:
        yield srv, project
    finally:
        srv.stop()


def _settle(srv: Server) -> int:
    """Wait until no build runs and none has started for QUIET seconds since the last one ended; return the
    number of builds. A rebuild loop starts the next build within a poll of the watcher (0.5 s) after one ends."""
    deadline = time.monotonic() + WAIT
    seen, since = (-1, -1), time.monotonic()
    while time.monotonic() < deadline:
        now = (srv.builds(), srv.built())
        if now != seen:
            seen, since = now, time.monotonic()
        elif now[0] == now[1] and time.monotonic() - since > QUIET:
            return now[0]
        time.sleep(0.25)
    pytest.fail("mkdocs serve kept rebuilding: a rebuild loop\n" + srv.log.read_text(encoding="utf-8")[-4000:])


def test_saving_inputs_reloads_the_page_without_a_loop(server: tuple[Server, Path]) -> None:
    srv, project = server
    page = "papers/2104.08691/"
    builds = _settle(srv)

    # papers.yaml
    epoch = srv.epoch(page)
    catalogue = project / "papers.yaml"
    catalogue.write_text(
        catalogue.read_text(encoding="utf-8").replace(
            "The Power of Scale for Parameter-Efficient Prompt Tuning", "Prompt Tuning, Edited While Serving"
        ),
        encoding="utf-8",
    )
    epoch = srv.wait_for_reload(epoch)
    assert "Prompt Tuning, Edited While Serving" in _get(srv.base + page)

    # the lock
    save_lock(project / "papers.lock.json", {**load_lock(project / "papers.lock.json"), "2104.08691": arxiv_record()})
    epoch = srv.wait_for_reload(epoch)
    assert "Brian Lester" in _get(srv.base + page)

    # a log
    log = project / "docs" / "logs" / "posts" / "2021-09-09-day-28.md"
    log.write_text(log.read_text(encoding="utf-8") + "\n* Edited while serving\n", encoding="utf-8")
    srv.wait_for_reload(epoch)
    assert "Edited while serving" in _get(srv.base + "logs/2021/09/09/day-28/")

    # Three saves, a few rebuilds at most (editors may write twice), then quiet: no loop.
    after = _settle(srv)
    assert 3 <= after - builds <= 6, srv.log.read_text(encoding="utf-8")
    assert not (project / "docs" / "index.md").exists()  # nothing generated was written into docs/


def test_a_broken_input_is_shown_on_the_site_and_the_site_recovers(server: tuple[Server, Path]) -> None:
    """Issue 12: under serve, a broken papers.yaml or log never leaves requests hanging on a blank page."""
    srv, project = server
    epoch = srv.epoch("")
    catalogue = project / "papers.yaml"
    good = catalogue.read_text(encoding="utf-8")
    catalogue.write_text(good.replace("status: to-read", "stauts: read", 1).replace(
        "  - arxiv: \"2002.08909\"\n", "  - arxiv: \"2002.08909\"\n    titel: typo\n", 1), encoding="utf-8")
    epoch = srv.wait_for_reload(epoch)
    for page in ("", "papers/", "qa/"):  # every page the navigation names shows the problem, at once
        html = _get(srv.base + page, timeout=10)
        assert "사이트에 문제가 있습니다" in html, page
        assert "papers.yaml:" in html and "unknown key &#39;titel&#39;" in html.replace("'", "&#39;")
        assert "did you mean &#39;title&#39;?" in html.replace("'", "&#39;")
    catalogue.write_text(good, encoding="utf-8")
    epoch = srv.wait_for_reload(epoch)
    assert "사이트에 문제가 있습니다" not in _get(srv.base)

    # A log whose front matter is broken is left out; the home page lists it; the rest of the site works.
    broken = project / "docs" / "logs" / "posts" / "2021-09-10-day-29.md"
    broken.write_text("---\ntitle: [Day 29\ndate: 2021-09-10\n---\n\nhalf written\n", encoding="utf-8")
    epoch = srv.wait_for_reload(epoch)
    home = _get(srv.base)
    assert "사이트에 문제가 있습니다" in home and "2021-09-10-day-29.md:3" in home
    assert "invalid YAML in the front matter" in home
    assert "28일차 학습정리" in _get(srv.base + "logs/2021/09/09/day-28/")  # the good log is still there
    # `new` writes the next day's log; the site shows it, and the broken one no longer exists.
    broken.unlink()
    from generator.cli import main

    assert main(["--root", str(project), "new", "--date", "2021-09-10"]) == 0
    srv.wait_for_reload(epoch)
    assert "29일차 학습정리" in _get(srv.base + "logs/2021/09/10/day-29/")
    assert "사이트에 문제가 있습니다" not in _get(srv.base)


@pytest.mark.filterwarnings("ignore::ResourceWarning")  # playwright leaves sockets to the collector
def test_in_the_browser_a_broken_save_shows_the_problem_and_the_fix_brings_the_page_back(
        server: tuple[Server, Path], browser_context: tuple[object, Watch]) -> None:
    """Issue 12, as the learner sees it: the open page reloads by itself, shows what is wrong, and comes back."""
    srv, project = server
    context, watch = browser_context
    page = watch.attach(context.new_page())  # type: ignore[attr-defined]
    page.goto(srv.base + "papers/", wait_until="load")  # never network-idle: the live-reload long-poll stays open
    assert page.locator("article h1").inner_text().startswith("읽기 목록")
    catalogue = project / "papers.yaml"
    good = catalogue.read_text(encoding="utf-8")
    catalogue.write_text(good.replace('  - arxiv: "2002.08909"\n', '  - arxiv: "2002.08909"\n    titel: typo\n', 1),
                         encoding="utf-8")
    # No reload by hand: MkDocs' live-reload script reloads the page after the rebuild.
    page.wait_for_function("document.body.innerText.includes('사이트에 문제가 있습니다')", timeout=WAIT * 1000)
    shown = page.locator("article").inner_text()
    assert "papers.yaml:" in shown and "unknown key 'titel'" in shown and "did you mean 'title'?" in shown
    catalogue.write_text(good, encoding="utf-8")
    page.wait_for_function("!document.body.innerText.includes('사이트에 문제가 있습니다')", timeout=WAIT * 1000)
    page.wait_for_load_state("load")
    assert page.locator("article h1").inner_text().startswith("읽기 목록")
    assert watch.errors == [] and watch.outside == []


def test_after_a_series_of_saves_the_served_site_is_a_clean_build(tmp_path: Path) -> None:
    """Issue 13: whatever a save rebuilds, and whatever is kept between rebuilds, the served site is the
    site a clean `mkdocs build` makes of the same files: the same pages, search index, feed, Q&A,
    backlinks and stats."""
    (tmp_path / "project").mkdir()
    project = copy_project(tmp_path / "project")
    posts = project / "docs" / "logs" / "posts"
    day28 = posts / "2021-09-09-day-28.md"
    (tmp_path / "tmp").mkdir()
    srv = Server(project, tmp_path / "tmp")
    try:
        epoch = srv.epoch("")
        # A new log that links a paper and asks a question.
        new = posts / "2021-09-10-day-29.md"
        new.write_text(
            "---\ntitle: \"[Boostcamp AI Tech] 29일차 학습정리\"\ndate: 2021-09-10\nslug: day-29\n"
            "categories: [Boostcamp-AI-Tech]\ntags: [6주차, NLP]\n---\n\n# 부스트캠프 29일차\n\n"
            "## 🌼 멘토링\n\n* Q. 프롬프트 튜닝은 언제 쓰나요?\n  * 모델이 클 때.\n\n"
            "<!-- more -->\n\n* [Prompt Tuning](https://arxiv.org/abs/2104.08691)\n",
            encoding="utf-8",
        )
        epoch = srv.wait_for_reload(epoch)
        # The Day 28 log: a question and a paper link go, text comes, and a paper link joins its excerpt
        # (the first list: its badge shows on the blog's listing pages too).
        text = day28.read_text(encoding="utf-8")
        assert "  - [x] RNN 모델 구현 시작\n" in text
        day28.write_text(text.replace("* Q. Word2Vec에서", "* Word2Vec에서").replace(
            "https://arxiv.org/abs/2002.08909", "https://example.org/realm").replace(
            "  - [x] RNN 모델 구현 시작\n",
            "  - [x] RNN 모델 구현 시작\n  - [x] [Prompt Tuning](https://arxiv.org/abs/2104.08691) 읽기\n", 1)
            + "\n* 오늘 새로 쓴 줄\n", encoding="utf-8")
        epoch = srv.wait_for_reload(epoch)
        # papers.yaml: a title and a status.
        catalogue = project / "papers.yaml"
        catalogue.write_text(catalogue.read_text(encoding="utf-8").replace(
            "The Power of Scale for Parameter-Efficient Prompt Tuning", "Prompt Tuning, Edited While Serving"
        ).replace("status: to-read", "status: read", 1), encoding="utf-8")
        epoch = srv.wait_for_reload(epoch)
        # The lock, as `enrich` leaves it.
        save_lock(project / "papers.lock.json", {**load_lock(project / "papers.lock.json"), "2104.08691": arxiv_record()})
        epoch = srv.wait_for_reload(epoch)
        # Day 29 is edited again, then deleted.
        new.write_text(new.read_text(encoding="utf-8") + "\n* 한 줄 더\n", encoding="utf-8")
        epoch = srv.wait_for_reload(epoch)
        assert "한 줄 더" in _get(srv.base + "logs/2021/09/10/day-29/")
        new.unlink()
        epoch = srv.wait_for_reload(epoch)
        # papers.yaml again, the files staying the same: a status that the badges in Day 28 show.
        catalogue.write_text(catalogue.read_text(encoding="utf-8").replace(
            "    topics: [prompt-tuning]\n    added: 2021-09-09\n",
            "    topics: [prompt-tuning]\n    added: 2021-09-09\n    status: reading\n", 1), encoding="utf-8")
        epoch = srv.wait_for_reload(epoch)
        # Last, a save that changes one log only: every other page and excerpt is what the server kept,
        # and the paper pages it leaves as they were are not even written again (``unchanged``).
        _settle(srv)
        sites = list((tmp_path / "tmp").glob("mkdocs_*"))
        assert len(sites) == 1, sites
        written = {page: page.stat().st_mtime_ns for page in sites[0].glob("papers/*/index.html")}
        day28.write_text(day28.read_text(encoding="utf-8") + "\n* 마지막 줄\n", encoding="utf-8")
        epoch = srv.wait_for_reload(epoch)
        _settle(srv)
        assert "29일차" not in _get(srv.base + "qa/")
        assert "마지막 줄" in _get(srv.base + "logs/2021/09/09/day-28/")
        untouched = [page for page, when in written.items() if page.stat().st_mtime_ns == when]
        assert len(untouched) >= len(written) // 2, (len(untouched), len(written))
        served = site_files(sites[0])
    finally:
        srv.stop()
    clean = site_files(build_site(project, strict=False, site_url=srv.base))
    assert served.keys() == clean.keys()
    differ = [name for name in clean if served[name] != clean[name]]
    assert not differ, differ
    assert "Prompt Tuning, Edited While Serving" in clean["papers/2104.08691/index.html"].decode()
    listing = clean["logs/index.html"].decode()  # Day 28's excerpt, with the badge of the last status
    assert "sl-status--reading" in listing and "Prompt Tuning, Edited While Serving" in listing
    assert "오늘 새로 쓴 줄" in clean["logs/2021/09/09/day-28/index.html"].decode()
    assert "마지막 줄" in clean["logs/2021/09/09/day-28/index.html"].decode()
