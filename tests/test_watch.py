"""`generate` writes only what changed; `generate --watch` does it again after every save.

In-process: the watch runs in a thread, against a copy of the shipped project, and
every run's outcome is handed to the test (``on_run``), so nothing here waits on a
clock: it waits, with a generous bound, for the run a save caused.
"""

from __future__ import annotations

import io
import queue
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.errors import StudylogError
from generator.generate import Generated, generate
from generator.lock import save_lock
from generator.pages import GENERATED_MARKER
from generator.project import Project
from generator.watch import Inputs, watch_and_generate

from .sitebuild import arxiv_record, copy_project

WAIT = 60  # seconds: a bound on waiting for a run, not a speed assertion
LOG = "docs/logs/posts/2021-09-09-day-28.md"


def _versions(docs: Path) -> dict[str, tuple[int, bytes]]:
    """Every file in docs/ outside the logs: its mtime (ns) and bytes."""
    return {p.relative_to(docs).as_posix(): (p.stat().st_mtime_ns, p.read_bytes())
            for p in docs.rglob("*") if p.is_file() and "logs" not in p.relative_to(docs).parts}


def _changed(before: dict[str, tuple[int, bytes]], after: dict[str, tuple[int, bytes]]) -> set[str]:
    return {path for path in after if before.get(path, (0, b""))[1] != after[path][1]}


def _touched(before: dict[str, tuple[int, bytes]], after: dict[str, tuple[int, bytes]]) -> set[str]:
    return {path for path in after if before.get(path, (0, b""))[0] != after[path][0]}


# -- generate, once ------------------------------------------------------------------------------


def test_generate_writes_only_what_changed(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    project = Project.at(root)
    first = generate(project)
    assert first.written and first.unchanged == 0
    before = _versions(root / "docs")
    again = generate(project)
    assert again.written == () and again.unchanged == len(first.written)
    assert _versions(root / "docs") == before  # not one file touched


def test_generate_keeps_your_own_page_and_removes_pages_of_what_is_gone(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    generate(Project.at(root))
    home = root / "docs" / "index.md"
    home.write_text("# My own home page\n", encoding="utf-8")
    mine = root / "docs" / "papers" / "my-notes.md"  # a page of yours among the paper pages
    mine.write_text("# Notes\n", encoding="utf-8")
    catalogue = root / "papers.yaml"
    text = catalogue.read_text(encoding="utf-8")
    entry = text[text.index('  - arxiv: "1710.11041"'):text.index('  - arxiv: "1905.05621"')]
    catalogue.write_text(text.replace(entry, ""), encoding="utf-8")

    result = generate(Project.at(root))
    assert result.kept == ("index.md",)
    assert home.read_text(encoding="utf-8") == "# My own home page\n"
    assert any("kept your own index.md" in note for note in result.notes())
    # The paper is gone, and so is the page generate wrote for it, and only that.
    assert result.removed == ("papers/1710.11041.md",)
    assert not (root / "docs" / "papers" / "1710.11041.md").exists()
    assert mine.exists() and (root / "docs" / "papers" / "2002.08909.md").exists()
    assert GENERATED_MARKER in (root / "docs" / "papers" / "2002.08909.md").read_text(encoding="utf-8")


def test_a_broken_input_writes_nothing(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    generate(Project.at(root))
    before = _versions(root / "docs")
    (root / "papers.yaml").write_text("topics: [\n", encoding="utf-8")
    with pytest.raises(StudylogError) as raised:
        generate(Project.at(root))
    assert "papers.yaml:" in raised.value.render()
    assert _versions(root / "docs") == before


# -- generate --watch ----------------------------------------------------------------------------


@dataclass
class Watching:
    root: Path
    runs: queue.Queue[Generated | StudylogError]
    out: io.StringIO
    err: io.StringIO

    def next_run(self) -> Generated | StudylogError:
        try:
            return self.runs.get(timeout=WAIT)
        except queue.Empty:
            pytest.fail(f"no run after the save\nout: {self.out.getvalue()}\nerr: {self.err.getvalue()}")

    def quiet(self) -> bool:
        return self.runs.empty()


@pytest.fixture()
def watching(tmp_path: Path) -> Iterator[Watching]:
    root = copy_project(tmp_path)
    runs: queue.Queue[Generated | StudylogError] = queue.Queue()
    out, err = io.StringIO(), io.StringIO()
    stop = threading.Event()
    thread = threading.Thread(
        target=watch_and_generate, args=(lambda: Project.at(root),),
        kwargs=dict(out=out, err=err, stop=stop, on_run=runs.put), daemon=True,
    )
    thread.start()
    state = Watching(root, runs, out, err)
    first = state.next_run()
    assert isinstance(first, Generated) and first.written
    # The watch is set up once it says so; a save before that could go unseen.
    for _ in range(WAIT * 10):
        if "watching" in out.getvalue():
            break
        threading.Event().wait(0.1)
    try:
        yield state
    finally:
        stop.set()
        thread.join(timeout=WAIT)
        assert not thread.is_alive(), "the watch did not stop"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_save_of_papers_yaml_writes_the_pages_that_changed_and_no_other(watching: Watching) -> None:
    docs = watching.root / "docs"
    before = _versions(docs)
    _edit(watching.root / "papers.yaml", "title: Text Style Transfer", "title: Style Transfer of Text")
    run = watching.next_run()
    assert isinstance(run, Generated)
    after = _versions(docs)
    changed = _changed(before, after)
    assert {"papers/index.md", "topics/index.md", "topics/text-style-transfer.md"} <= changed
    assert set(run.written) == changed  # what it says it wrote is what changed
    assert _touched(before, after) == changed  # every other file keeps its mtime: no rebuild loop
    assert "papers.yaml changed" in watching.out.getvalue()


def test_a_save_of_the_lock_and_of_a_log_write_their_pages(watching: Watching) -> None:
    docs = watching.root / "docs"
    before = _versions(docs)
    save_lock(watching.root / "papers.lock.json", {"2104.08691": arxiv_record()})
    run = watching.next_run()
    assert isinstance(run, Generated) and "papers/2104.08691.md" in run.written
    assert _touched(before, _versions(docs)) == set(run.written)

    before = _versions(docs)
    log = watching.root / LOG
    log.write_text(log.read_text(encoding="utf-8") + "\n* Q. 새로 추가한 질문은 어디에 나오나요?\n  * Q&A 페이지에 나온다.\n",
                   encoding="utf-8")
    run = watching.next_run()
    assert isinstance(run, Generated) and "qa/index.md" in run.written
    assert "새로 추가한 질문은 어디에 나오나요?" in (docs / "qa" / "index.md").read_text(encoding="utf-8")
    assert _touched(before, _versions(docs)) == set(run.written)


def test_a_broken_save_keeps_the_last_good_pages_and_says_why_once(watching: Watching) -> None:
    docs = watching.root / "docs"
    before = _versions(docs)
    catalogue = watching.root / "papers.yaml"
    good = catalogue.read_text(encoding="utf-8")
    catalogue.write_text(good + "  - arxiv: [\n", encoding="utf-8")
    run = watching.next_run()
    assert isinstance(run, StudylogError)
    said = watching.err.getvalue()
    assert said.count("papers.yaml:") == 1 and said.startswith("error: ") and "hint:" in said
    assert "the pages from the last good run stay" in said
    assert _versions(docs) == before
    # A broken log, too: nothing is written, and the file and line are named.
    catalogue.write_text(good, encoding="utf-8")
    assert isinstance(watching.next_run(), Generated)
    log = watching.root / LOG
    log.write_text(log.read_text(encoding="utf-8").replace("date: 2021-09-09", "date: 2021-13-45", 1),
                   encoding="utf-8")
    run = watching.next_run()
    assert isinstance(run, StudylogError) and "2021-09-09-day-28.md:" in watching.err.getvalue()
    assert _versions(docs) == before
    # The save that fixes it brings the pages back, with the edit made meanwhile.
    log.write_text(log.read_text(encoding="utf-8").replace("date: 2021-13-45", "date: 2021-09-10", 1),
                   encoding="utf-8")
    run = watching.next_run()
    assert isinstance(run, Generated) and "qa/index.md" in run.written


def test_only_inputs_are_watched() -> None:
    inputs = Inputs(frozenset({"/p/papers.yaml", "/p/papers.lock.json", "/p/mkdocs.yml"}), "/p/docs/logs/posts")
    assert inputs.folders == ["/p"]
    relevant = ["/p/papers.yaml", "/p/mkdocs.yml", "/p/docs/logs/posts/2021-09-09-day-28.md", "/p/docs/logs/posts/2021"]
    ignored = ["/p/README.md", "/p/docs/papers/2002.08909.md", "/p/docs/logs/posts/.day.md.swp",
               "/p/docs/logs/posts/day.md~", "/p/docs/logs/posts-old/x.md", "/p/site/search.json"]
    assert [p for p in relevant + ignored if inputs.relevant(p)] == relevant
