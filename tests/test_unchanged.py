"""Under `mkdocs serve`, the paper and topic pages a save left as they were are not built again (``unchanged``),
and the served site stays the one a clean build makes.

MkDocs' serve is run in this process as `mkdocs serve` runs it: the first build clean,
then the plugin's ``on_serve`` with a builder shaped like MkDocs' own (a closure over
``is_dirty``), which each save calls. The end of each series is compared, file by file,
with a clean `mkdocs build` of the same project.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from generator import render_hook
from generator.blog_hook import DeferredMarkdown
from generator.plugin import StudylogPlugin

from .sitebuild import POSTS, copy_project, site_files

SERVE_URL = "http://127.0.0.1:8000/"


class Serve:
    """The builds of one `mkdocs serve` of ``project`` into ``site_dir``, in this process."""

    def __init__(self, project: Path, site_dir: Path) -> None:
        self.project, self.site_dir = project, site_dir
        config = self.config()
        config.plugins.on_startup(command="serve", dirty=False)
        self.plugins = config.plugins
        self.plugin: StudylogPlugin = config.plugins["studylog"]  # type: ignore[assignment]
        is_dirty = False

        def builder(config: object = None) -> None:  # as mkdocs.commands.serve's: a closure over is_dirty
            build(config or self.config(), serve_url=SERVE_URL, dirty=is_dirty)  # type: ignore[arg-type]

        builder(config)
        self.server = SimpleNamespace(builder=builder, watch=lambda *args, **kwargs: None)
        config.plugins.on_serve(self.server, config=config, builder=builder)  # type: ignore[arg-type]

    def config(self):  # type: ignore[no-untyped-def]
        config = load_config(str(self.project / "mkdocs.yml"), site_dir=str(self.site_dir))
        config.site_url = SERVE_URL
        return config

    def save(self) -> int:
        """A save: the serve's builder runs; how many pages it skipped."""
        self.server.builder()
        assert self.plugin.unchanged is not None
        return self.plugin.unchanged.skipped_last

    def close(self) -> None:
        # MkDocs keeps plugin instances across configs in one process: leave them as `mkdocs build` wants them.
        self.plugins.on_startup(command="build", dirty=False)


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Serve]:
    project = copy_project(tmp_path / "project")
    served = Serve(project, tmp_path / "served")
    try:
        yield served
    finally:
        served.close()




def _clean_build(project: Path, site_dir: Path) -> dict[str, bytes]:
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(site_dir))
    config.site_url = SERVE_URL
    config.plugins.on_startup(command="build", dirty=False)
    build(config)
    return site_files(site_dir)


def _assert_a_clean_build(serve: Serve, tmp_path: Path) -> None:
    served = site_files(serve.site_dir)
    serve.close()
    clean = _clean_build(serve.project, tmp_path / "clean")
    assert served.keys() == clean.keys()
    assert [name for name in clean if served[name] != clean[name]] == []


def _times(site: Path, folder: str) -> dict[str, int]:
    return {p.relative_to(site).as_posix(): p.stat().st_mtime_ns for p in (site / folder).rglob("index.html")}


def _generated_pages(folder: str, serve: Serve) -> set[str]:
    """The paper (or topic) pages of the site, by their output's path: every one but the folder's index."""
    return {name for name in _times(serve.site_dir, folder) if name != f"{folder}/index.html"}


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _drop_paper(project: Path, arxiv: str) -> None:
    """Take a paper's entry out of papers.yaml (its lines up to the next entry or section)."""
    catalogue = project / "papers.yaml"
    text = catalogue.read_text(encoding="utf-8")
    entry = re.search(rf'  - arxiv: "{re.escape(arxiv)}"\n(    .*\n)*', text)
    assert entry is not None, arxiv
    catalogue.write_text(text[: entry.start()] + text[entry.end():], encoding="utf-8")


def test_a_save_builds_only_the_pages_it_changed_and_the_site_stays_a_clean_builds(
        serve: Serve, tmp_path: Path) -> None:
    site, project = serve.site_dir, serve.project
    papers, topics = _generated_pages("papers", serve), _generated_pages("topics", serve)
    assert len(papers) >= 10 and len(topics) >= 5
    day28 = project / POSTS / "2021-09-09-day-28.md"

    # A log's text: no paper or topic page is built again (their files are the ones the last build wrote).
    before = _times(site, "papers") | _times(site, "topics")
    _replace(day28, "## ", "* 오늘 새로 쓴 줄\n\n## ")
    assert serve.save() == len(papers) + len(topics)
    after = _times(site, "papers") | _times(site, "topics")
    assert {name for name in papers | topics if after[name] != before[name]} == set()
    assert "오늘 새로 쓴 줄" in (site / "logs/2021/09/09/day-28/index.html").read_text(encoding="utf-8")

    # A paper's title: its page, its topic's page and the pages that show it (related papers) are built.
    before = after
    _replace(project / "papers.yaml", "The Power of Scale for Parameter-Efficient Prompt Tuning",
             "Prompt Tuning, Edited While Serving")
    skipped = serve.save()
    after = _times(site, "papers") | _times(site, "topics")
    built = {name for name in papers | topics if after[name] != before[name]}
    assert {"papers/2104.08691/index.html", "topics/prompt-tuning/index.html"} <= built
    assert skipped == len(papers | topics) - len(built) > 0
    assert "Edited While Serving" in (site / "papers/2104.08691/index.html").read_text(encoding="utf-8")

    # A paper taken out of the catalogue: its page goes, as it would from a clean build.
    _drop_paper(project, "2103.00020")
    serve.save()
    assert not (site / "papers/2103.00020").exists()

    # A log in a new year: the blog's archive in the navigation gains the year, which every page shows.
    before = _times(site, "papers") | _times(site, "topics")
    (project / POSTS / "2022-01-03-new-year.md").write_text(
        '---\ntitle: "새해 첫 로그"\ndate: 2022-01-03\nslug: new-year\ncategories: [Boostcamp-AI-Tech]\n---\n\n'
        "# 새해 첫 로그\n\n* [Prompt Tuning](https://arxiv.org/abs/2104.08691)\n", encoding="utf-8")
    serve.save()
    after = _times(site, "papers") | _times(site, "topics")
    assert [name for name in after if after[name] == before[name]] == []
    assert "2022" in (site / "papers/2104.08691/index.html").read_text(encoding="utf-8")

    # And one more log edit after all that: the pages are skipped again.
    _replace(day28, "오늘 새로 쓴 줄", "오늘 고쳐 쓴 줄")
    assert serve.save() == len(papers | topics) - 1

    _assert_a_clean_build(serve, tmp_path)


def test_a_save_gives_the_blogs_excerpts_back_without_making_their_parsers(
        serve: Serve, monkeypatch: pytest.MonkeyPatch) -> None:
    """Material makes a parser for each post's excerpt in every build; under serve it is made only when used,
    and an excerpt the last build converted is given back (``blog_hook.defer_excerpt_parsers``)."""
    made: list[object] = []
    real = DeferredMarkdown.made

    def counted(self: DeferredMarkdown) -> object:
        made.append(self)
        return real(self)

    (serve.project / POSTS / "2021-09-10-day-29.md").write_text(
        '---\ntitle: "29일차"\ndate: 2021-09-10\nslug: day-29\ncategories: [Boostcamp-AI-Tech]\n---\n\n'
        "# 29일차\n\n* [Prompt Tuning](https://arxiv.org/abs/2104.08691) 읽기\n\n<!-- more -->\n\n* 나머지\n",
        encoding="utf-8")
    serve.save()
    monkeypatch.setattr(DeferredMarkdown, "made", counted)
    hits = render_hook.stats()["excerpt hits"]
    _replace(serve.project / POSTS / "2021-09-09-day-28.md", "## ", "* 오늘 새로 쓴 줄\n\n## ")
    serve.save()
    kept = render_hook.stats()["excerpt hits"] - hits
    posts = len(list((serve.project / POSTS).glob("*.md")))
    assert kept >= posts - 1 > 0  # every listing's excerpt of the other posts
    assert 0 < len({id(parser) for parser in made}) <= 1  # the edited post's, and no other


def test_a_page_whose_links_would_find_other_pages_is_built_again(serve: Serve) -> None:
    """A skipped page's HTML holds its links as the files it linked to were found; when one is found
    elsewhere, the page is converted again. (Studylog's pages also draw those links in their graphs,
    so this stands for any page whose text would not change.)"""
    serve.save()
    unchanged = serve.plugin.unchanged
    assert unchanged is not None
    path, output = "papers/2002.08909.md", serve.site_dir / "papers/2002.08909/index.html"
    record = unchanged._records[path]
    target, (url, inclusion) = next((p, seen) for p, seen in record.rendered.found if seen is not None)
    stale = tuple((p, (url + "moved/", inclusion) if p == target else seen) for p, seen in record.rendered.found)
    unchanged._records[path] = replace(record, rendered=replace(record.rendered, found=stale))
    before = output.stat().st_mtime_ns
    skipped = serve.save()
    assert output.stat().st_mtime_ns != before
    assert skipped == len(_generated_pages("papers", serve) | _generated_pages("topics", serve)) - 1


def test_an_output_changed_by_hand_is_built_again_and_a_new_mkdocs_yml_makes_a_clean_build(
        serve: Serve, tmp_path: Path) -> None:
    site, project = serve.site_dir, serve.project
    page = site / "papers/2002.08909/index.html"
    page.write_text("changed by hand", encoding="utf-8")
    stray = site / "stray.txt"
    stray.write_text("not the build's", encoding="utf-8")
    skipped = serve.save()
    assert skipped > 0
    assert "REALM" in page.read_text(encoding="utf-8")
    assert stray.exists()  # a dirty build leaves what it did not write ...

    _replace(project / "mkdocs.yml", "site_name: Studylog", "site_name: Studylog, renamed while serving")
    assert serve.save() == 0
    assert not stray.exists()  # ... a clean one empties the folder first
    assert "renamed while serving" in page.read_text(encoding="utf-8")
    assert serve.save() > 0  # and the builds after it skip again
    _assert_a_clean_build(serve, tmp_path)


def test_a_serve_started_dirty_and_a_builder_of_another_shape_are_left_alone(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    plugin = StudylogPlugin()
    plugin.on_startup(command="serve", dirty=True)
    assert plugin.unchanged is None  # `mkdocs serve --dirty`: MkDocs' own dirty builds, as asked
    plugin.on_startup(command="serve", dirty=False)
    assert plugin.unchanged is not None

    def builder() -> None:
        pass

    server = SimpleNamespace(builder=builder)
    assert not plugin.unchanged.serve(server, str(project / "mkdocs.yml"))
    assert server.builder is builder


def test_the_dirty_build_warning_is_kept_out_of_the_log_only_for_these_builds(
        serve: Serve, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="mkdocs"):
        assert serve.save() > 0
        assert not [r for r in caplog.records if "dirty" in r.getMessage()]
        # Outside these builds (`mkdocs serve --dirty`'s own, say) MkDocs' warning is heard.
        logging.getLogger("mkdocs.commands.build").warning("A 'dirty' build is being performed, this will ...")
    assert [r for r in caplog.records if "'dirty' build" in r.getMessage()]


def test_the_blogs_listing_pages_are_kept_by_all_they_show_and_the_site_stays_a_clean_builds(
        serve: Serve, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Material renders each listing page (the blog's pages, each year, each category) with ``blog.html`` in every
    build; under serve one is rendered only when what it shows changed (``render_hook.KeptOutputs.view``)."""
    import jinja2

    posts = serve.project / POSTS
    for n in range(1, 23):  # 23 posts with Day 28: three pages of ten on the blog's index
        (posts / f"2021-08-{n:02d}-day-{n}.md").write_text(
            f'---\ntitle: "{n}일차"\ndate: 2021-08-{n:02d}\nslug: day-{n}\n'
            f"categories: [{'Boostcamp-AI-Tech' if n % 2 else 'Math'}]\n---\n\n"
            f"# {n}일차\n\n* 오늘 배운 것 {n}\n\n<!-- more -->\n\n* 나머지 {n}\n", encoding="utf-8")
    serve.save()
    rendered: list[str] = []
    real = jinja2.Template.render

    def render(self: jinja2.Template, *args: object, **kwargs: object) -> str:
        if self.name == "blog.html":
            rendered.append(str(args[0]["page"].url) if args else "")  # type: ignore[index]
        return real(self, *args, **kwargs)

    monkeypatch.setattr(jinja2.Template, "render", render)
    listings = [name for p in (serve.site_dir / "logs").rglob("index.html")
                if not re.match(r"logs/\d{4}/\d\d/\d\d/", name := p.relative_to(serve.site_dir).as_posix())]
    assert len(listings) >= 6  # the index's 3 pages, the archive's year, 2 categories

    # Below a post's separator: no listing shows it, none is rendered.
    _replace(posts / "2021-08-05-day-5.md", "나머지 5", "나머지 오")
    serve.save()
    assert rendered == []
    # Above it: the listings that show that post, and no other.
    _replace(posts / "2021-08-05-day-5.md", "오늘 배운 것 5", "오늘 고쳐 배운 것 5")
    serve.save()
    assert 0 < len(rendered) < len(listings)
    assert all(url.startswith("logs/") for url in rendered)
    assert "오늘 고쳐 배운 것 5" in (serve.site_dir / "logs/page/2/index.html").read_text(encoding="utf-8") or \
        "오늘 고쳐 배운 것 5" in (serve.site_dir / "logs/page/3/index.html").read_text(encoding="utf-8")
    # A newer post moves every post of the index one place on: each of its pages is rendered again.
    rendered.clear()
    (posts / "2021-09-20-day-39.md").write_text(
        '---\ntitle: "39일차"\ndate: 2021-09-20\nslug: day-39\ncategories: [Math]\n---\n\n# 39일차\n\n* 새 글\n',
        encoding="utf-8")
    serve.save()
    assert {"logs/", "logs/page/2/", "logs/page/3/"} <= set(rendered)
    # A post's category, which its excerpts show: the listings showing it, and the two categories' pages.
    rendered.clear()
    _replace(posts / "2021-08-10-day-10.md", "categories: [Math]", "categories: [Boostcamp-AI-Tech]")
    serve.save()
    assert {"logs/category/math/", "logs/page/2/"} <= set(rendered) and len(rendered) < len(listings)
    # Older posts: the index's first page shows the same posts, but its pagination a fourth page.
    rendered.clear()
    for n in range(1, 8):
        (posts / f"2021-07-{n:02d}-old-{n}.md").write_text(
            f'---\ntitle: "옛 글 {n}"\ndate: 2021-07-{n:02d}\nslug: old-{n}\ncategories: [Math]\n---\n\n# 옛 글 {n}\n',
            encoding="utf-8")
    serve.save()
    assert "logs/" in rendered and (serve.site_dir / "logs/page/4/index.html").exists()
    # A post's title in its front matter, which no listing shows (its excerpt starts with its own heading).
    _replace(posts / "2021-08-11-day-11.md", 'title: "11일차"', 'title: "열하루째"')
    serve.save()
    _assert_a_clean_build(serve, tmp_path)
