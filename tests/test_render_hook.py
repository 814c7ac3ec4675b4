"""Under serve, an unchanged page is not converted again: what is kept, and when it is not used."""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

import pytest
from mkdocs.config import load_config
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from generator import excerpt, render_hook
from generator.drawings import lift_rows, new_nonce
from generator.paper_links import GENERATED_PAGE, site_links
from generator.render_hook import KEPT_TEMPLATE, KNOWN_EXTENSIONS, KeptOutputs, KeptRenders, keep_search_entries, usable

from .sitebuild import ROOT, copy_project

TEXT = """# 오늘의 로그

## 멘토링

* Q. 질문입니다?
  * [다른 글](b.md#notes)과 [없는 글](missing.md)
"""


@pytest.fixture()
def setup(tmp_path: Path):  # type: ignore[no-untyped-def]
    render_hook.clear()
    project = copy_project(tmp_path / "project")
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    yield project, config
    render_hook.clear()


def _files(config, *names: str) -> Files:  # type: ignore[no-untyped-def]
    docs = config.docs_dir
    return Files([File(name, docs, config.site_dir, use_directory_urls=True) for name in ("a.md", *(names or ["b.md"]))])


def _kept(project: Path) -> KeptRenders:
    return KeptRenders(project / "mkdocs.yml", lambda: site_links(project / "mkdocs.yml"))


def _edit_catalogue(project: Path, old: str, new: str) -> None:
    catalogue = project / "papers.yaml"
    text = catalogue.read_text(encoding="utf-8")
    assert old in text, old
    catalogue.write_text(text.replace(old, new, 1), encoding="utf-8")
    os.utime(catalogue, ns=(time.time_ns() + 10**10,) * 2)  # surely another stamp than the last (coarse clocks)


def _render(kept: KeptRenders, config, files: Files, text: str = TEXT) -> Page:  # type: ignore[no-untyped-def]
    page = Page(None, files.get_file_from_path("a.md"), config)  # type: ignore[arg-type]
    page.markdown = text
    kept.install(page)
    page.render(config, files)
    return page


def _state(page: Page) -> tuple:  # type: ignore[type-arg]
    return (page.content, str(page.toc), page.title, page.present_anchor_ids,
            {f.src_uri: a for f, a in (page.links_to_anchors or {}).items()})


def test_an_unchanged_page_is_given_back_whole_and_its_messages_logged_again(setup, caplog) -> None:  # type: ignore[no-untyped-def]
    project, config = setup
    kept = _kept(project)
    hits = render_hook.stats()["hits"]
    with caplog.at_level(logging.INFO, logger="mkdocs"):
        first = _render(kept, config, _files(config))
        said = [r.getMessage() for r in caplog.records if "missing.md" in r.getMessage()]
        assert said  # MkDocs tells of the link to a missing page
        caplog.clear()
        # The next build: new config, new files, new page objects, as `mkdocs serve` makes them.
        again = _render(_kept(project), config, _files(config))
        assert [r.getMessage() for r in caplog.records if "missing.md" in r.getMessage()] == said
    assert render_hook.stats()["hits"] == hits + 1
    assert _state(again) == _state(first)
    assert first.title == "오늘의 로그" and 'id="qa-1"' in first.content and "b/#notes" in first.content
    assert _state(first)[4]["b.md"] == {"notes": "b.md#notes"}  # checked by MkDocs once every page is built
    again.toc.items[0].title = "changed"  # a page's toc is its own
    assert str(_render(kept, config, _files(config)).toc) == str(first.toc)


def test_a_changed_text_link_target_badge_or_mkdocs_yml_converts_again(setup) -> None:  # type: ignore[no-untyped-def]
    """Each change follows a build of the page as it was, whose conversion is the one kept (``LastBuild``)."""
    project, config = setup
    base = _render(_kept(project), config, _files(config))

    def converts(*names: str, text: str = TEXT) -> tuple[bool, str]:
        """Whether the page converts again after a build of it as it was; and its HTML."""
        _render(_kept(project), config, _files(config))  # the last build: the page as it was
        misses = render_hook.stats()["misses"]
        page = _render(_kept(project), config, _files(config, *names), text)
        return render_hook.stats()["misses"] == misses + 1, page.content or ""

    assert not converts()[0]  # nothing changed
    assert converts(text=TEXT + "\n한 줄 더.\n")[0]
    # A new page the text does not link: nothing to convert again (a new log leaves the others alone).
    assert not converts("b.md", "new-log.md")[0]
    # The linked page moved: a link in an unchanged text now leads elsewhere.
    converted, html = converts("c.md")
    assert converted and html != base.content
    # A link to a missing page now finds one.
    converted, html = converts("b.md", "missing.md")
    assert converted and 'href="../missing/"' in html
    # mkdocs.yml is read by the conversion too (the badges: see below).
    _render(_kept(project), config, _files(config))
    (project / "mkdocs.yml").write_text((project / "mkdocs.yml").read_text(encoding="utf-8") + "\n# edited\n",
                                        encoding="utf-8")
    misses = render_hook.stats()["misses"]
    _render(_kept(project), config, _files(config))
    assert render_hook.stats()["misses"] == misses + 1


def test_only_what_the_last_build_used_is_kept(setup) -> None:  # type: ignore[no-untyped-def]
    project, config = setup
    _render(_kept(project), config, _files(config))
    _render(_kept(project), config, _files(config), TEXT + "\n한 줄 더.\n")  # the page edited
    assert render_hook.stats()["pages"] == 2  # the last build's, and this one's
    _render(_kept(project), config, _files(config), TEXT + "\n한 줄 더.\n")
    assert render_hook.stats()["pages"] == 1  # the old version is gone


def test_a_generated_page_does_not_depend_on_the_badges(setup) -> None:  # type: ignore[no-untyped-def]
    project, config = setup
    page = f"{GENERATED_PAGE}\n\n# Paper\n\n[arXiv](https://arxiv.org/abs/2104.08691)\n"
    misses = render_hook.stats()["misses"]
    _render(_kept(project), config, _files(config), page)
    _edit_catalogue(project, '  - arxiv: "2104.08691"\n', '  - arxiv: "2104.08691"\n    status: read\n')
    _render(_kept(project), config, _files(config), page)
    assert render_hook.stats()["misses"] == misses + 1


def test_a_log_converts_again_only_when_a_badge_it_shows_or_could_show_changes(setup) -> None:  # type: ignore[no-untyped-def]
    """A log is known by its text in the logs folder; its links to papers get badges from the catalogue."""
    project, config = setup
    config.mdx_configs.setdefault("generator.markdown_ext", {})["config_file"] = str(project / "mkdocs.yml")  # as the plugin does
    log = ("# 배지\n\n- [REALM](https://arxiv.org/abs/2002.08909) 읽음\n"
           "- [아직 없는 논문](https://arxiv.org/abs/2401.00001)\n")
    (project / "docs" / "logs" / "posts" / "2021-09-10-badges.md").write_text(
        f"---\ntitle: 배지\ndate: 2021-09-10\n---\n\n{log}", encoding="utf-8")

    def converts() -> tuple[bool, str]:
        misses = render_hook.stats()["misses"]
        page = _render(_kept(project), config, _files(config), log)
        return render_hook.stats()["misses"] == misses + 1, page.content or ""

    converted, html = converts()
    assert converted and html.count("sl-onsite") == 1 and "sl-status--to-read" in html
    assert converts() == (False, html)
    # Another paper's status: no badge of this log changes, the conversion is kept.
    _edit_catalogue(project, '  - arxiv: "1810.04805"\n', '  - arxiv: "1810.04805"\n    status: read\n')
    assert converts() == (False, html)
    # The linked paper's status: its badge changes.
    _edit_catalogue(project, '  - arxiv: "2002.08909"\n', '  - arxiv: "2002.08909"\n    status: read\n')
    converted, html = converts()
    assert converted and "sl-status--read" in html and "sl-status--to-read" not in html
    assert converts() == (False, html)
    # A link that found no paper finds one now: a second badge.
    _edit_catalogue(project, "papers:\n", 'papers:\n  - arxiv: "2401.00001"\n    title: A New Paper\n')
    converted, html = converts()
    assert converted and html.count("sl-onsite") == 2
    # Without a readable catalogue, no badges; and back.
    _edit_catalogue(project, "papers:\n", "papers: [\n")
    converted, bare = converts()
    assert converted and "sl-onsite" not in bare
    _edit_catalogue(project, "papers: [\n", "papers:\n")
    assert converts() == (True, html)


def test_only_extensions_that_read_nothing_else_allow_it(setup) -> None:  # type: ignore[no-untyped-def]
    _, config = setup
    assert usable(config)
    config.markdown_extensions.append("pymdownx.snippets")  # includes other files: a save of those must show
    assert not usable(config)


def test_the_templates_extensions_are_all_known() -> None:
    config = load_config(str(ROOT / "mkdocs.yml"))
    assert set(config.markdown_extensions) <= KNOWN_EXTENSIONS


class _Search:
    """Material's search plugin as far as keep_search_entries sees it: the index object of one build."""

    def __init__(self) -> None:
        from material.plugins.search.plugin import SearchIndex

        self.search_index = SearchIndex(lang=["en"], separator=r"[\s\-]+", pipeline=[], fields={})


def _indexed(page: Page) -> list[dict]:  # type: ignore[type-arg]
    search = _Search()
    search.search_index.add_entry_from_context(page)
    return search.search_index.entries


def test_search_entries_are_kept_by_what_they_are_made_of(setup) -> None:  # type: ignore[no-untyped-def]
    project, config = setup
    page = _render(_kept(project), config, _files(config))
    page.meta = {"tags": ["NLP"]}
    expected = _indexed(page)
    assert len(expected) >= 2 and all(e["tags"] == ["NLP"] for e in expected)  # a section per heading
    hits = render_hook.stats()["entry hits"]
    for _ in range(2):  # a build, then the next one with the page unchanged
        search = _Search()
        assert keep_search_entries(search)
        search.search_index.add_entry_from_context(page)
        assert search.search_index.entries == expected
    assert render_hook.stats()["entry hits"] == hits + 1
    search.search_index.entries[0]["title"] = "changed"  # each build's entries are its own
    page.meta = {"tags": ["NLP", "QA"]}  # what the entries are made of changes: made again
    search = _Search()
    keep_search_entries(search)
    search.search_index.add_entry_from_context(page)
    assert search.search_index.entries == _indexed(page) != expected
    page.content = (page.content or "") + "<p>새 문단</p>"  # and so does the HTML
    search = _Search()
    keep_search_entries(search)
    search.search_index.add_entry_from_context(page)
    assert "새 문단" in search.search_index.entries[-1]["text"]
    assert render_hook.stats()["entry hits"] == hits + 1
    assert not keep_search_entries(object())  # not Material's search: left alone


def _paper_page(config, content: str = "<p>논문</p>", title: str = "논문", in_nav: bool = False) -> Page:  # type: ignore[no-untyped-def]
    from mkdocs.structure.files import InclusionLevel

    file = File("papers/x.md", config.docs_dir, config.site_dir, use_directory_urls=True)
    file.generated_by = "studylog"
    file.inclusion = InclusionLevel.INCLUDED if in_nav else InclusionLevel.NOT_IN_NAV
    page = Page(title, file, config)
    page.content, page.meta = content, {}
    return page


def test_the_themes_page_is_kept_by_all_it_shows(setup) -> None:  # type: ignore[no-untyped-def]
    """Outside the navigation, a page Studylog generated is given back as the theme made it, while
    its HTML, title, front matter, the navigation and mkdocs.yml are the same."""
    project, config = setup
    first = KeptOutputs(_kept(project), "Page(title='홈', url='/')")
    page = _paper_page(config)
    first.choose(page)
    assert "template" not in page.meta  # nothing kept yet: the theme renders it
    first.keep(page, "<html>논문</html>")

    nav = "Page(title='홈', url='/')"

    def build(nav: str = nav, **changes: object) -> bool:
        """One build of the page: whether the theme's page was given back."""
        outputs = KeptOutputs(_kept(project), nav)
        again = _paper_page(config, **changes)  # type: ignore[arg-type]
        outputs.choose(again)
        if again.meta.get("template") != KEPT_TEMPLATE:
            outputs.keep(again, "<html>논문</html>")  # the theme made it again: kept for the next build
            return False
        assert outputs.output("papers/x.md") == "<html>논문</html>"
        return True

    def kept(nav: str = nav, **changes: object) -> bool:
        """Whether the page is given back in a build after one of the page as it was."""
        build()
        return build(nav, **changes)

    assert kept()
    assert not kept(content="<p>바뀐 논문</p>")
    assert not kept(title="다른 제목")
    assert not kept(nav="Page(title='홈', url='/') Page(title='새 로그', url='logs/new/')")
    assert not kept(in_nav=True) and not kept(in_nav=True)  # pages in the navigation are always rendered
    build()
    (project / "mkdocs.yml").write_text((project / "mkdocs.yml").read_text(encoding="utf-8") + "\n# x\n",
                                        encoding="utf-8")
    assert not build()
    assert build()


def test_theme_pages_are_kept_only_with_the_theme_and_plugins_it_knows(setup) -> None:  # type: ignore[no-untyped-def]
    project, config = setup
    assert KeptOutputs.usable(config)
    config.plugins["git-revision-date"] = object()  # another plugin: what it adds to a page is unknown
    assert not KeptOutputs.usable(config)
    (project / "overrides").mkdir()  # templates of the user's own, edited under serve
    overridden = load_config(str(project / "mkdocs.yml"), theme={"name": "material", "custom_dir": "overrides"})
    assert not KeptOutputs.usable(overridden)


def test_a_kept_value_is_handed_out_as_a_copy_of_its_own() -> None:
    import markdown
    from mkdocs.structure.toc import get_toc

    md = markdown.Markdown(extensions=["toc"])
    md.convert("# A\n\n## B\n\n### C\n\n## D\n")
    toc = get_toc(md.toc_tokens)
    entry = {"location": "x/", "title": "A", "text": "<p>a</p>", "tags": ["t"], "boost": 2.0, "meta": ("m", [1])}
    for kept in (toc, entry, [entry, None]):
        fresh = render_hook._fresh(kept)
        assert type(fresh) is type(kept) and fresh is not kept
        assert str(fresh) == str(kept)
    fresh_toc = render_hook._fresh(toc)
    assert [type(link) for link in fresh_toc] == [type(link) for link in toc] and fresh_toc.items[0].active
    fresh_toc.items[0].children.append(fresh_toc.items[0].children[0])  # what Material's blog does to a listing's
    fresh_toc.items[0].title = "changed"
    assert str(toc) == "A - #a\n    B - #b\n        C - #c\n    D - #d\n"
    fresh_entry = render_hook._fresh(entry)
    fresh_entry["tags"].append("u")
    fresh_entry["meta"][1].append(2)
    assert entry["tags"] == ["t"] and entry["meta"] == ("m", [1])


def test_a_posts_theme_page_is_kept_by_what_the_blog_shows_of_it(setup) -> None:  # type: ignore[no-untyped-def]
    """A post of Material's blog is kept like a generated page, and also by its dates, reading time,
    categories, authors and the link back to the blog."""
    from types import SimpleNamespace

    from material.plugins.blog.structure import Post
    from mkdocs.structure.files import InclusionLevel

    project, config = setup
    post_file = Path(config.docs_dir) / "logs" / "posts" / "kept.md"
    post_file.parent.mkdir(parents=True, exist_ok=True)
    front = "---\ntitle: 기록\ndate: 2021-09-09\ncategories: [Boostcamp]\n---\n\n본문\n"
    nav = "Page(title='홈', url='/')"

    def build(text: str = front, **changes: object) -> bool:
        """One build of the post: whether the theme's page was given back."""
        post_file.write_text(text, encoding="utf-8")
        file = File("logs/posts/kept.md", config.docs_dir, config.site_dir, use_directory_urls=True)
        file.inclusion = InclusionLevel.NOT_IN_NAV
        post = Post(file, config)
        post.content = "<p>본문</p>"
        post.categories = [SimpleNamespace(title=changes.get("category", "Boostcamp"), url="logs/category/boostcamp/")]
        post.authors = changes.get("authors", [])
        post.config.readtime = changes.get("readtime", 1)
        post.parent = SimpleNamespace(title="Logs", url=changes.get("parent", "logs/"))
        outputs = KeptOutputs(_kept(project), nav)
        outputs.choose(post)
        if post.meta.get("template") != KEPT_TEMPLATE:
            outputs.keep(post, "<html>기록</html>")
            return False
        assert outputs.output("logs/posts/kept.md") == "<html>기록</html>"
        return True

    def kept(text: str = front, **changes: object) -> bool:
        build()
        return build(text, **changes)

    assert not build() and build()
    assert not kept(front.replace("2021-09-09", "2021-09-10"))
    assert not kept(category="부스트캠프")
    assert not kept(readtime=2)
    assert not kept(parent="blog/")
    assert not kept(authors=[SimpleNamespace(name="나", description="", avatar="a.png", url=None)])
    assert not kept(front.replace("---\n\n", "template: my-post.html\n---\n\n")) and not build(
        front.replace("---\n\n", "template: my-post.html\n---\n\n"))  # a post's own template is always rendered
    links = front.replace("---\n\n", "links:\n  - index.md\n---\n\n")
    assert not kept(links) and not build(links)  # so is one with links:, resolved against the site's files
    assert kept()


def test_paper_rows_are_converted_again_only_when_new_or_their_links_find_other_pages(setup) -> None:  # type: ignore[no-untyped-def]
    project, config = setup
    names = ("papers/index.md", "papers/a.md", "papers/b.md")
    files = Files([File(name, config.docs_dir, config.site_dir, use_directory_urls=True) for name in names])
    page = Page(None, files.get_file_from_path("papers/index.md"), config)  # type: ignore[arg-type]
    nonce = new_nonce()

    def rows(title: str = "A") -> dict[str, str]:
        text = "".join(f'<div class="sl-paper" data-search-exclude data-key="{key}" markdown>\n**[{t}]({key}.md)**\n</div>\n\n'
                       for key, t in (("a", title), ("b", "B")))
        return lift_rows(text, nonce)[1]

    def convert(found_rows: dict[str, str], kept: KeptRenders | None) -> tuple[list[str], int]:
        before = render_hook.stats()["row hits"]
        html = render_hook.convert_rows(page, config, files, found_rows, nonce, kept)
        return list(html.values()), render_hook.stats()["row hits"] - before

    separators = excerpt._SEPARATED.misses
    fresh, _ = convert(rows(), None)
    assert excerpt._SEPARATED.misses == separators  # read as the generated page it is part of, not as a log
    assert fresh[0].startswith('<div class="sl-paper"') and 'href="a/"' in fresh[0]
    assert "data-search-exclude" not in fresh[0]  # as Material's search leaves the page
    assert convert(rows(), _kept(project)) == (fresh, 0)
    assert convert(rows(), _kept(project)) == (fresh, 2)  # the next build: both kept
    edited, hits = convert(rows("A, edited"), _kept(project))
    assert hits == 1 and "A, edited" in edited[0] and edited[1] == fresh[1]
    files.remove(files.get_file_from_path("papers/b.md"))  # a link now finds nothing: every row again
    assert convert(rows("A, edited"), _kept(project))[1] == 0
    # Without Studylog's Markdown extension the marker stays in the HTML: it is taken off the rows.
    config.markdown_extensions = [name for name in config.markdown_extensions if not name.startswith("generator.")]
    bare, _ = convert(rows(), None)
    assert bare[0].startswith('<div class="sl-paper"') and all("studylog" not in row for row in bare)


def test_a_lookup_is_checked_as_mkdocs_looks_a_path_up(setup) -> None:  # type: ignore[no-untyped-def]
    _, config = setup
    files = _files(config, "b.md", "logs/c.md")
    paths = ["b.md", "./b.md", "logs//c.md", "logs/./c.md", "logs/../b.md", "missing.md", "logs/c.md/"]
    found = tuple((path, render_hook._found(files.get_file_from_path(path))) for path in paths)
    assert [seen is not None for _, seen in found] == [True, True, True, True, False, False, True]
    assert render_hook._still_found(found, files)
    for at, (path, seen) in enumerate(found):  # each one found otherwise is noticed
        other = (files.get_file_from_path("a.md"),) if seen is None else (None,)
        changed = (*found[:at], (path, render_hook._found(other[0])), *found[at + 1:])
        assert not render_hook._still_found(changed, files), path
