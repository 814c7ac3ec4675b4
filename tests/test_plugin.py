"""The MkDocs plugin: a thin adapter between MkDocs and the core.

Each test loads a project's mkdocs.yml with MkDocs and runs the build's events up to
``on_files`` in this process (``sitebuild.plugin_events``): the real plugin, configured
by MkDocs, among the other plugins of the shipped mkdocs.yml. Nothing is rendered;
`test_build.py` builds whole sites.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
import yaml
from mkdocs.exceptions import PluginError

from generator.assets import site_assets
from generator.cli import main
from generator.drawings import put_back
from generator.errors import Diagnostic
from generator.layout import Layout
from generator.model import SiteInfo
from generator.pages import GENERATED_MARKER, render_site
from generator.plugin import StudylogPlugin, summary
from generator.project import Project, load_site

from .sitebuild import UNLISTED_LOG, add_log, mkdocs_log, plugin_events


def _docs(project: Path) -> dict[str, bytes]:
    return {p.relative_to(project).as_posix(): p.read_bytes() for p in (project / "docs").rglob("*") if p.is_file()}


def test_the_plugin_is_configured_from_mkdocs_config(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STUDYLOG_SITE_URL", "https://example.org/studylog/")
    with plugin_events(project) as (config, _):
        plugin = config.plugins["studylog"]
        assert isinstance(plugin, StudylogPlugin)
        ours = plugin.project
    assert ours.root == project and ours.catalogue == project / "papers.yaml" and ours.lock == project / "papers.lock.json"
    assert ours.docs_dir == project / "docs"
    assert ours.layout == Layout(blog_dir="logs", logs_dir="logs/posts", post_url_format="{date}/{slug}",
                                 post_url_date_format="yyyy/MM/dd", language="ko", docs_dir="docs")
    description = yaml.load((project / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Tolerant)["site_description"]
    assert ours.site == SiteInfo("https://example.org/studylog/", "Studylog", description, "ko")
    # The CLI reads the same settings from mkdocs.yml without MkDocs.
    assert Project.at(project) == ours


def test_every_generated_file_goes_to_the_build_and_nothing_to_docs(project: Path) -> None:
    before = _docs(project)
    with plugin_events(project) as (config, files):
        ours = config.plugins["studylog"].project
        drawings = config.plugins["studylog"].drawings
        rows = config.plugins["studylog"].rows
        generated = {f.src_uri: f for f in files if f.generated_by == "studylog"}
    expected = render_site(load_site(ours), ours.site, ours.layout)
    assets = site_assets()
    assert sorted(generated) == sorted([*(p.path for p in expected), *(a.path for a in assets)])
    # 15 papers, 10 topics, 6 more pages, the schema, two exports, the feed and the two flashcard files
    assert len(expected) == 38
    for page in expected:
        if isinstance(page.content, bytes):
            assert generated[page.path].content_bytes == page.content, page.path
            continue
        # The graphs and the paper rows are lifted out of the Markdown MkDocs converts, and go back
        # into the page it made (the rows converted apart).
        content = generated[page.path].content_string
        assert "sl-graph__figure\">\n<svg" not in content and '<div class="sl-paper"' not in content, page.path
        assert put_back(put_back(content, rows.get(page.path, {})), drawings.get(page.path, {})) == page.content, \
            page.path
    assert len(drawings) == 1 + 10 + 15  # the graph page, each topic, each paper
    site = load_site(ours)
    listed = {"papers/index.md": len(site.entries)} | {
        ours.layout.topic(t.id): len(site.entries_in(t)) for t in site.topics if site.entries_in(t)}
    assert {path: len(found) for path, found in rows.items()} == listed  # each paper in the list and its topics
    for asset in assets:  # KaTeX, the stylesheet and the math script, from the package
        assert generated[asset.path].content_bytes == asset.data, asset.path
    assert {"index.md", "papers/index.md", "qa/index.md", "stats/index.md", "feed.xml", "papers.bib"} <= set(generated)
    assert _docs(project) == before  # served from memory: `mkdocs serve` sees no change, so no rebuild loop


def test_the_users_own_page_wins_and_a_generated_one_is_replaced(project: Path, tmp_path: Path) -> None:
    assert main(["--root", str(project), "generate", "--out", str(tmp_path / "out")]) == 0
    docs = project / "docs"
    (docs / "index.md").write_text("# My own home page\n", encoding="utf-8")
    (docs / "qa").mkdir()
    (docs / "qa" / "index.md").write_bytes("# Q&A à la main\n".encode("latin-1"))  # not UTF-8: still the user's
    (docs / "papers").mkdir()
    stale = (tmp_path / "out" / "papers" / "2002.08909.md").read_text(encoding="utf-8").replace("ICML 2020", "STALE")
    assert GENERATED_MARKER in stale
    (docs / "papers" / "2002.08909.md").write_text(stale, encoding="utf-8")
    (docs / "papers.bib").write_text("% an old export\n", encoding="utf-8")  # data files carry no marker
    with mkdocs_log() as logged, plugin_events(project) as (config, files):
        fresh = {p.path: p.content for p in render_site(load_site(config.plugins["studylog"].project),
                                                        config.plugins["studylog"].project.site,
                                                        config.plugins["studylog"].project.layout)}
        home, qa = files.get_file_from_path("index.md"), files.get_file_from_path("qa/index.md")
        paper, bib = files.get_file_from_path("papers/2002.08909.md"), files.get_file_from_path("papers.bib")
        assert home is not None and qa is not None and paper is not None and bib is not None
        assert home.generated_by is None and home.abs_src_path == str(docs / "index.md")
        assert qa.generated_by is None and qa.abs_src_path == str(docs / "qa" / "index.md")
        drawings = config.plugins["studylog"].drawings["papers/2002.08909.md"]
        assert paper.generated_by == "studylog"
        assert put_back(paper.content_string, drawings) == fresh["papers/2002.08909.md"]
        assert "STALE" not in paper.content_string and "ICML 2020" in paper.content_string
        assert bib.generated_by == "studylog" and bib.content_string == fresh["papers.bib"]
        assert len([f for f in files if f.src_uri == "index.md"]) == 1  # replaced, not added beside
    ours = [(level, text) for name, level, text in logged if name == "mkdocs.plugins.generator.plugin"]
    assert (logging.INFO, "keeping your index.md instead of the generated one") in ours
    assert (logging.INFO, "keeping your qa/index.md instead of the generated one") in ours
    assert not [text for _, text in ours if "papers/2002.08909.md" in text or "papers.bib" in text]


def test_errors_become_a_plugin_error_with_file_and_line(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project)
    (project / "papers.yaml").write_text('topics: []\npapers:\n  - arxiv: "abc"\n  - titel: x\n', encoding="utf-8")
    with pytest.raises(PluginError) as caught, plugin_events(project):
        pass
    message = str(caught.value)
    assert message.startswith("studylog: papers.yaml:3: malformed arXiv ID in 'arxiv' of paper #1")
    assert [line.split(": ", 1)[0] for line in message.splitlines() if not line.startswith("  hint:")] == [
        "studylog", "papers.yaml:4", "papers.yaml:4",
    ]
    assert message.count("\n  hint: ") == 3
    assert caught.value.__cause__ is None and caught.value.__suppress_context__  # no traceback of ours behind it


def test_warnings_and_notes_are_info_lines(project: Path) -> None:
    add_log(project, UNLISTED_LOG, "2021-09-10-day-29.md")
    (project / "docs" / "logs" / "posts" / "2021-09-11-day-30.md").write_text(
        "---\ntitle: Day 30\ndate: 2021-09-11\n---\n\n[T5](https://arxiv.org/abs/1910.10683)\n", encoding="utf-8"
    )
    with mkdocs_log() as logged, plugin_events(project):
        pass
    ours = [(level, text) for name, level, text in logged if name.startswith("mkdocs.plugins.generator")]
    assert [level for level, _ in ours] == [logging.INFO, logging.INFO]  # never WARNING: --strict builds pass
    assert ours[0][1] == (
        "2 warnings: docs/logs/posts/2021-09-10-day-29.md:9: links arXiv 1706.03762, which papers.yaml lacks"
        " (and 1 more; `python -m generator check` lists them)"
    ).replace("docs/", str(project / "docs") + "/")
    assert ours[1][1].startswith("14 arXiv papers without metadata in the lock yet (2002.08909, 1710.11041, 1905.05621, ...)")
    assert ours[1][1].endswith("\n  hint: run `python -m generator enrich` where there is network, and commit papers.lock.json")


def test_summary_of_diagnostics() -> None:
    one = [Diagnostic("links arXiv 1706.03762, which papers.yaml lacks", path="a.md", line=9)]
    assert summary(one, "warning") == "1 warning: a.md:9: links arXiv 1706.03762, which papers.yaml lacks"
    three = [*one, Diagnostic("second", path="b.md"), Diagnostic("third")]
    assert summary(three, "warning") == (
        "3 warnings: a.md:9: links arXiv 1706.03762, which papers.yaml lacks"
        " (and 2 more; `python -m generator check` lists them)"
    )
    assert summary([Diagnostic("no file")], "note") == "1 note: no file"


def test_a_disabled_plugin_adds_nothing(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STUDYLOG_ENABLED", "false")
    (project / "papers.yaml").write_text("not: [valid", encoding="utf-8")  # not even read
    with plugin_events(project) as (_, files):
        assert [f.src_uri for f in files if f.generated_by == "studylog"] == []
        assert files.get_file_from_path("index.md") is None


class _Tolerant(yaml.SafeLoader):
    """mkdocs.yml's own tags (!ENV, !!python/name) read as None: only plain keys are wanted here."""


_Tolerant.add_multi_constructor("", lambda loader, suffix, node: None)


def test_a_posts_reading_time_is_materials_and_worked_out_once_per_html(monkeypatch: pytest.MonkeyPatch) -> None:
    import material.plugins.blog.plugin as blog_plugin
    from material.plugins.blog.readtime import readtime as materials

    from generator import blog_hook

    monkeypatch.setattr(blog_plugin, "readtime", materials)  # as Material has it, whatever ran before
    assert blog_hook.keep_readtimes() and blog_plugin.readtime is not materials
    kept = blog_plugin.readtime
    assert blog_hook.keep_readtimes() and blog_plugin.readtime is kept  # once is enough
    pages = ["<p>" + "word " * n + "</p>" + '<img src="a.png">' * images for n in (0, 10, 400, 2000) for images in (0, 3)]
    for html in pages:
        for words_per_minute in (100, 265):
            assert kept(html, words_per_minute) == materials(html, words_per_minute)
    hits = blog_hook._READTIMES.hits
    assert [kept(html, 265) for html in pages] == [materials(html, 265) for html in pages]
    assert blog_hook._READTIMES.hits == hits + len(pages)
    monkeypatch.setattr(blog_plugin, "readtime", lambda html, wpm: 1)  # not Material's: left alone
    assert not blog_hook.keep_readtimes()


def test_the_blogs_posts_answer_membership_as_the_list_does(project: Path) -> None:
    from mkdocs.structure.nav import get_navigation

    from generator.blog_hook import _Posts, index_posts

    add_log(project, UNLISTED_LOG)
    with plugin_events(project) as (config, files):
        blog = config.plugins["material/blog"].blog
        posts = list(blog.posts)
        config.plugins.on_nav(get_navigation(files, config), config=config, files=files)
        assert isinstance(blog.posts, _Posts) and list(blog.posts) == posts and len(posts) >= 2
        assert not index_posts(config)  # once is enough: a list that knows its posts is left alone
        kind = type(posts[0])
        twin = kind.__new__(kind)  # not a post of the blog, but equal to one (same title and file)
        twin.__dict__.update(posts[1].__dict__)
        pages = [f.page for f in files.documentation_pages() if f.page is not None]
        for page in [*pages, *posts, twin, blog, None, "text"]:
            assert (page in blog.posts) == (page in posts), page
        assert sum(page in blog.posts for page in pages) == len(posts) and twin in blog.posts


def test_posts_front_matter_is_parsed_once_per_text_and_handed_out_as_a_copy(monkeypatch: pytest.MonkeyPatch) -> None:
    import material.plugins.blog.structure as structure

    from generator import blog_hook

    monkeypatch.setattr(structure, "SafeLoader", yaml.SafeLoader)  # as Material has it, whatever ran before
    assert blog_hook.keep_front_matter() and structure.SafeLoader is not yaml.SafeLoader
    kept = structure.SafeLoader
    assert blog_hook.keep_front_matter() and structure.SafeLoader is kept  # once is enough
    texts = ['title: "28일차"\ndate: 2021-09-09 10:00:00 +0900\ncategories: [Boostcamp]\ntags:\n  - NLP\n',
             "date: 2021-09-09\nhide: [toc]\nauthors: [me]\n", "", "slug: a\nx: {b: [1, 2.5, true, null]}\n"]
    for text in texts:
        assert yaml.load(text, kept) == yaml.load(text, yaml.SafeLoader)
    first = yaml.load(texts[1], kept)
    first["hide"].append("navigation")  # what Material's Post does to its meta
    hits = blog_hook._FRONT_MATTER.hits
    assert yaml.load(texts[1], kept) == yaml.load(texts[1], yaml.SafeLoader)  # not the changed copy
    assert blog_hook._FRONT_MATTER.hits == hits + 1
    for _ in range(2):  # a parse error is Material's to report, every time
        with pytest.raises(yaml.YAMLError):
            yaml.load("title: [unclosed\n", kept)
    monkeypatch.setattr(structure, "SafeLoader", yaml.FullLoader)  # not PyYAML's SafeLoader: left alone
    assert not blog_hook.keep_front_matter()


def test_an_excerpts_parser_is_made_only_when_used_and_converts_as_materials(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import material.plugins.blog.structure as structure
    from markdown import Markdown

    from generator import blog_hook
    from generator.blog_hook import DeferredMarkdown

    monkeypatch.setattr(structure, "Markdown", Markdown)
    assert blog_hook.defer_excerpt_parsers() and structure.Markdown is DeferredMarkdown
    assert blog_hook.defer_excerpt_parsers()  # once is enough
    made: list[object] = []
    real_init = Markdown.__init__
    monkeypatch.setattr(Markdown, "__init__", lambda self, **kw: (made.append(self), real_init(self, **kw))[-1])
    with plugin_events(project) as (config, files):
        blog = config.plugins["material/blog"].blog
        view = blog
        assert blog.posts
        made.clear()  # what the build made before
        for post in blog.posts:
            deferred = structure.Excerpt(post, config, files)
            assert isinstance(deferred.md, DeferredMarkdown) and made == []  # nothing made yet
            assert deferred.md.treeprocessors["relpath"] is not None and made == []
            monkeypatch.setattr(structure, "Markdown", Markdown)
            materials = structure.Excerpt(post, config, files)
            monkeypatch.setattr(structure, "Markdown", DeferredMarkdown)
            made.clear()
            for excerpt in (deferred, materials):
                excerpt.render(view, "<!-- more -->")
            assert len(made) == 1  # the deferred one, at its first use
            assert (deferred.content, deferred.more, str(deferred.toc)) == (
                materials.content, materials.more, str(materials.toc))
            assert [name for name in deferred.md.treeprocessors._priority] == [
                name for name in materials.md.treeprocessors._priority]
            made.clear()
    monkeypatch.setattr(structure, "Markdown", lambda **kw: None)  # not Python-Markdown's: left alone
    assert not blog_hook.defer_excerpt_parsers()
