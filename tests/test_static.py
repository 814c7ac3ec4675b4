"""Pages written to disk by `generate` build the same site without the plugin, and with Zensical.

The Zensical build is `python -m generator build` (generate, `zensical build`, the Korean
words into its search index), compared with the MkDocs build page by page, and searched
with Zensical's own search worker in Debian's chromium.
"""

from __future__ import annotations

import importlib.util
import io
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import Tag

from generator.assets import site_assets
from generator.cli import main
from generator.search_index import HIDDEN_OPEN, strip_hidden

from .browser import Watch, require_chromium, serve, zensical_search
from .fidelity import log_structure, skeleton
from .sitebuild import MATH_LOG, ROOT, BuiltSite, add_log, article, build_site, copy_project, page

PAGES = ["", "papers/", "papers/2002.08909/", "papers/deepquest/", "topics/", "topics/quality-estimation/", "qa/", "stats/",
         "graph/"]
LOG = "logs/2021/09/09/day-28/"


def assert_graphs_lead_to_pages(site: Path, logs: int) -> None:
    """The graph page's map and a paper's local graph are drawn, and every node links a page of the site:
    the demo's 10 topics and 15 papers, and its ``logs`` that link a paper."""
    nodes = page(site, "graph/").select("svg.sl-graph__svg a.sl-node")
    assert len(nodes) == 10 + 15 + logs
    local = page(site, "papers/2002.08909/").select("svg.sl-graph__svg .sl-node")
    assert local and local[0].find_parent("svg").select(".sl-node--here")
    for base, links in (("graph/", nodes), ("papers/2002.08909/", local)):
        for a in links:
            if a.name == "a":
                assert (site / base / a["xlink:href"] / "index.html").resolve().is_file(), (base, a["xlink:href"])


def _html_files(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html")}


# A post with Material's excerpt marker: with the plugin, listing pages convert it only up to the
# marker (generator.blog_hook); without it, whole. Both must show the same excerpt.
EXCERPTED = """---
title: "[Boostcamp AI Tech] 29일차 학습정리"
date: 2021-09-10
slug: day-29
categories: [Boostcamp-AI-Tech]
tags: [6주차, NLP]
---

## 부스트캠프 29일차

* 9/10(금)
  - [x] 강의 수강[^1]
* Q. 프롬프트 튜닝은 언제 쓰나요?
  * 모델이 클 때.

[^1]: 녹화본으로.

<!-- more -->

## 🌼 멘토링

```python
print("<!-- more -->")
```

* [Prompt Tuning](https://arxiv.org/abs/2104.08691)
"""
LISTINGS = ["logs/", "logs/archive/2021/", "logs/category/boostcamp-ai-tech/"]


def _content(site: Path, path: str) -> Tag:
    """A listing page's content: the excerpts of its posts."""
    found = page(site, path).select_one("div.md-content__inner")
    assert found is not None and found.select(".md-post"), f"no posts on {path}"
    return found


def _project(folder: Path) -> Path:
    project = copy_project(folder)
    (project / "docs" / "logs" / "posts" / "2021-09-10-day-29.md").write_text(EXCERPTED, encoding="utf-8")
    return project


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """The shipped project with the Day 29 log, built with the plugin, and after `generate` with
    the plugin off: (with the plugin, from disk, the generated project)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("STUDYLOG_SITE_URL", raising=False)  # the same site_url in both
        with_plugin = build_site(_project(tmp_path_factory.mktemp("plugin")))
        project = _project(tmp_path_factory.mktemp("disk"))
        assert main(["--root", str(project), "generate"], out=io.StringIO()) == 0
        mp.setenv("STUDYLOG_ENABLED", "false")
        return with_plugin, build_site(project), project


def test_generated_pages_build_the_same_site_without_the_plugin(both: tuple[Path, Path, Path]) -> None:
    with_plugin, site, project = both
    assert (project / "docs" / "index.md").is_file()  # the pages are on disk ...
    assert _html_files(with_plugin) == _html_files(site)
    for path in PAGES + ["logs/2021/09/09/day-28/", "logs/2021/09/10/day-29/"]:
        assert str(article(with_plugin, path)) == str(article(site, path)), path
    for path in LISTINGS:
        assert str(_content(with_plugin, path)) == str(_content(site, path)), path
    posts = {("29일차" in post.get_text()): post for post in _content(with_plugin, "logs/").select(".md-post")}
    # Day 29 up to its own marker; Day 28, which has none, up to where the Markdown extension puts one.
    assert "강의 수강" in posts[True].get_text() and "멘토링" not in posts[True].get_text()
    assert "Prompt Tuning" not in posts[False].get_text()
    assert all(post.select(".md-post__action") for post in posts.values())  # "continue reading"
    for data in ("papers.bib", "papers.json", "papers.schema.json", "feed.xml"):
        assert (with_plugin / data).read_bytes() == (site / data).read_bytes(), data
    # The same search index (in another order: MkDocs lists generated pages after those on disk).
    index, plugins_index = (json.loads((built / "search" / "search_index.json").read_text(encoding="utf-8"))
                            for built in (site, with_plugin))
    assert plugins_index["config"] == index["config"]
    assert sorted(plugins_index["docs"], key=json.dumps) == sorted(index["docs"], key=json.dumps)
    # The map's labels stay out of it (data-search-exclude).
    graph_text = " ".join(doc["text"] for doc in index["docs"] if doc["location"].startswith("graph/"))
    assert "주제" in graph_text and "Quality Estimation" not in graph_text and "논문 1편" not in graph_text
    assert_graphs_lead_to_pages(with_plugin, logs=2)  # Day 28 and Day 29
    # KaTeX, the stylesheet and the math script: from the package in both, none kept in docs/.
    assert not (ROOT / "docs" / "assets").exists() and not (ROOT / "docs" / "stylesheets").exists()
    for asset in site_assets():
        assert (with_plugin / asset.path).read_bytes() == asset.data == (site / asset.path).read_bytes(), asset.path


ZENSICAL_INSTALLED = importlib.util.find_spec("zensical") is not None
needs_zensical = pytest.mark.skipif(not ZENSICAL_INSTALLED,
                                    reason="zensical is not installed (pip install -e '.[test]' installs it)")
# Theirs, not ours: each theme's own scripts and styles, each search's index, Material's
# gzipped sitemap and tags export. Every other file is in both builds.
THEME_FILES = re.compile(r"^assets/(javascripts|stylesheets)/(?!katex)|^search/|^search\.json$|^sitemap\.xml\.gz$|^tags\.json$")
QUERIES = ["벡터", "시스템"]  # inside 원핫벡터를 and 추천시스템 in the Day 28 log


@pytest.fixture(scope="module")
def zensical_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str, Path]:
    """The shipped project with the math log, built by `python -m generator build` (generate,
    zensical build, Korean search) and, before that, by `mkdocs build` with the plugin:
    (project, Zensical's site, what the command said, MkDocs' site)."""
    if not ZENSICAL_INSTALLED:
        pytest.skip("zensical is not installed")
    project = copy_project(tmp_path_factory.mktemp("zensical"))
    add_log(project, MATH_LOG)
    with_plugin = build_site(project).rename(project / "mkdocs-site")
    result = subprocess.run([sys.executable, "-m", "generator", "build"], cwd=project, capture_output=True,
                            text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    return project, project / "site", result.stdout + result.stderr, with_plugin


def _files(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}


def _words(node: Tag) -> list[str]:
    return node.get_text(" ", strip=True).replace("¶", " ").split()


@needs_zensical
def test_zensical_builds_the_generated_site(zensical_site: tuple[Path, Path, str, Path]) -> None:
    project, site, said, _ = zensical_site
    assert "No issues found" in said
    for path in PAGES:
        assert (site / path / "index.html").exists(), path
    realm = page(site, "papers/2002.08909/")
    assert "REALM: Retrieval-Augmented Language Model Pre-Training" in realm.h1.get_text()
    assert realm.find("a", href="../../logs/2021/09/09/day-28/") is not None  # Discussed in
    qa = page(site, "qa/")
    sources = [a["href"] for a in qa.select("a.sl-qa-source")]
    assert sources == [f"../logs/2021/09/09/day-28/#qa-{n}" for n in (1, 2, 3)]
    log = page(site, "logs/2021/09/09/day-28/")
    assert all(log.find(id=f"qa-{n}") is not None for n in (1, 2, 3))
    # The log is read as kramdown reads it here too: Zensical runs mkdocs.yml's markdown_extensions.
    seed = project / "docs" / "logs" / "posts" / "2021-09-09-day-28.md"
    structure = skeleton(str(article(site, "logs/2021/09/09/day-28/")))
    assert structure[0].kind == "h1"  # the title, written by the theme above the body
    assert structure[1:] == log_structure(seed) != log_structure(seed, without=["generator.kramdown"])
    # The badge beside a link to a paper comes from the Markdown extension, so Zensical has it too,
    # and navigation.footer gives each log the next (and previous) one.
    badge = log.select_one("a[href='https://arxiv.org/abs/2002.08909'] + a.sl-onsite")
    assert badge is not None and badge["href"] == "../../../../../papers/2002.08909/"
    assert [a["href"] for a in log.select("a.md-footer__link--next")] == ["../../13/day-30-math/"]
    assert [a["href"] for a in page(site, "logs/2021/09/13/day-30-math/").select("a.md-footer__link--prev")] == ["../../09/day-28/"]
    assert page(site, "stats/").select("figure.sl-chart svg[role=img]")
    assert_graphs_lead_to_pages(site, logs=1)  # Day 28; the math log links no paper
    assert page(site, "graph/").find("script", src=lambda s: s and s.endswith("javascripts/graph.js")) is not None
    for blog_page in ("logs/", "logs/archive/2021/", "logs/category/boostcamp-ai-tech/"):
        assert page(site, blog_page).find("a", href=lambda h: h and "2021/09/09/day-28/" in h), blog_page
    assert (site / "feed.xml").read_bytes() == (project / "docs" / "feed.xml").read_bytes()


@needs_zensical
def test_zensical_and_mkdocs_build_the_same_site(zensical_site: tuple[Path, Path, str, Path]) -> None:
    _, site, _, with_plugin = zensical_site
    mkdocs_files = {f for f in _files(with_plugin) if not THEME_FILES.search(f)}
    zensical_files = {f for f in _files(site) if not THEME_FILES.search(f)}
    assert mkdocs_files == zensical_files
    # Every page holds the same words (a log shows its tags elsewhere: the same words, in another order).
    # The blog's lists of posts are each theme's own (dates in its own format): not compared.
    for html in sorted(f for f in mkdocs_files if f.endswith(".html")):
        ours, theirs = (page(built, html).select_one("article.md-content__inner") for built in (with_plugin, site))
        assert (ours is None) == (theirs is None), html
        if ours is not None and theirs is not None:
            assert sorted(_words(ours)) == sorted(_words(theirs)), html
    for path in PAGES:
        assert _words(article(with_plugin, path)) == _words(article(site, path)), path
    # Key content, exactly: titles, Q&A anchors, backlinks, the stats' charts.
    for path in PAGES + [LOG]:
        assert article(with_plugin, path).h1.get_text() == article(site, path).h1.get_text(), path
    ids = [[node["id"] for node in article(built, LOG).select("[id^=qa-]")] for built in (with_plugin, site)]
    assert ids[0] == ids[1] == ["qa-1", "qa-2", "qa-3"]
    for path in ("papers/2002.08909/", "qa/", ""):
        links = [[a["href"] for a in article(built, path).select("a[href*='day-28']")] for built in (with_plugin, site)]
        assert links[0] == links[1] and links[0], path
    charts = [[str(svg) for svg in article(built, "stats/").select("figure.sl-chart svg")] for built in (with_plugin, site)]
    assert charts[0] == charts[1] and len(charts[0]) == 4
    # The feed, the exports and the site's assets: byte for byte.
    for data in ("feed.xml", "papers.bib", "papers.json", "papers.schema.json"):
        assert (with_plugin / data).read_bytes() == (site / data).read_bytes(), data
    # The map's labels stay out of Zensical's index too (data-search-exclude).
    index = json.loads((site / "search.json").read_text(encoding="utf-8"))
    graph_text = " ".join(doc["text"] for doc in index["items"] if doc["location"].startswith("graph/"))
    assert "주제" in graph_text and "Quality Estimation" not in graph_text and "논문 1편" not in graph_text
    for asset in site_assets():
        assert (site / asset.path).read_bytes() == asset.data, asset.path


def test_paper_rows_of_list_pages_stay_out_of_the_search_index(shipped_site: BuiltSite) -> None:
    with_plugin = shipped_site.site
    index = json.loads((with_plugin / "search" / "search_index.json").read_text(encoding="utf-8"))
    text = {doc["location"]: strip_hidden(doc["title"] + " " + doc["text"]) for doc in index["docs"]}
    title = "The Power of Scale for Parameter-Efficient Prompt Tuning"
    # Found on the paper's own page, not again in every list of papers that shows it (the topic's
    # list of the logs that discussed it names the paper too: that section stays).
    sections = {loc for loc, words in text.items() if title in words}
    assert "papers/2104.08691/" in {loc.split("#")[0] for loc in sections}
    assert not {loc for loc in sections if loc.startswith("papers/#") or loc == "papers/"}
    assert "topics/prompt-tuning/" not in sections
    assert "Prompt Tuning" in text["topics/prompt-tuning/"]  # the list's own words stay


@needs_zensical
def test_zensical_search_index_gets_the_korean_words(zensical_site: tuple[Path, Path, str, Path]) -> None:
    project, site, said, _ = zensical_site
    assert "words inside Korean compounds added (Zensical" in said
    index = json.loads((site / "search.json").read_text(encoding="utf-8"))
    day_28 = " ".join(i["text"] for i in index["items"] if i["location"].startswith("logs/2021/09/09/day-28/"))
    added = " ".join(re.findall(re.escape(HIDDEN_OPEN) + r"([^<]*)</span>", day_28))
    assert {"벡터를", "클래스", "시스템"} <= set(added.split()), added
    # Only hidden words were added; the rest is as Zensical wrote it, and a second run changes nothing.
    again = subprocess.run([sys.executable, "-m", "generator", "search-index"], cwd=project, capture_output=True,
                           text=True, timeout=600)
    assert again.returncode == 0 and "already had the words" in again.stdout, again.stdout + again.stderr
    title = "The Power of Scale for Parameter-Efficient Prompt Tuning"
    sections = {i["location"] for i in index["items"] if title in i["title"] + i["text"]}
    assert "papers/2104.08691/" in {loc.split("#")[0] for loc in sections}
    assert not {loc for loc in sections if loc.startswith("papers/#") or loc in ("papers/", "topics/prompt-tuning/")}


def test_search_index_says_what_is_wrong(tmp_path: Path) -> None:
    err = io.StringIO()
    assert main(["--root", str(tmp_path), "search-index", "site"], err=err) == 1
    assert "no search index in" in err.getvalue() and "hint: build the site first" in err.getvalue()
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "search.json").write_text('{"config": {}, "docs": []}', encoding="utf-8")
    err = io.StringIO()
    assert main(["--root", str(tmp_path), "search-index", "site"], err=err) == 1
    assert "search.json" in err.getvalue() and "not a search index Studylog knows (Zensical)" in err.getvalue()
    assert "Traceback" not in err.getvalue()


# -- Zensical's search, in a browser ----------------------------------------------------------


@pytest.fixture(scope="module")
def zensical_served(zensical_site: tuple[Path, Path, str, Path], tmp_path_factory: pytest.TempPathFactory
                    ) -> Iterator[dict[str, str]]:
    """The site as built, and a copy with Zensical's index as it wrote it (the added words taken out)."""
    require_chromium()
    _, site, _, _ = zensical_site
    plain = tmp_path_factory.mktemp("zensical-plain") / "site"
    shutil.copytree(site, plain)
    index = json.loads((site / "search.json").read_text(encoding="utf-8"))
    for item in index["items"]:
        item["title"], item["text"] = strip_hidden(item["title"]), strip_hidden(item["text"])
    (plain / "search.json").write_text(json.dumps(index, ensure_ascii=False), encoding="utf-8")
    with serve(site) as on, serve(plain) as off:
        yield {"on": on, "off": off}


@pytest.mark.filterwarnings("ignore::ResourceWarning")  # playwright leaves sockets to the collector
@needs_zensical
def test_zensical_search_finds_words_inside_korean_compounds(zensical_served: dict[str, str],
                                                             browser_context: tuple[object, Watch]) -> None:
    context, watch = browser_context
    tab = watch.attach(context.new_page())
    found = {}
    for setting, base in zensical_served.items():
        found[setting] = zensical_search(tab, base, [*QUERIES, "원핫벡터"])
    for query in QUERIES:
        assert LOG in found["on"][query], (query, found["on"][query])
        assert LOG not in found["off"][query], (query, found["off"][query])
    assert LOG in found["off"]["원핫벡터"] and LOG in found["on"]["원핫벡터"]  # whole words, found either way

    # In the search box, as a reader types: the log is found, and the added words are not shown.
    tab.goto(zensical_served["on"], wait_until="networkidle")
    tab.click(".md-search__button")
    tab.keyboard.type("벡터")
    result = tab.locator("ol[role=listbox] a[href*='day-28']").first
    result.wait_for(timeout=15000)
    hidden = result.locator("span[hidden]")
    assert hidden.count() >= 1
    for words in hidden.all():
        assert not words.is_visible()
        assert words.text_content().strip() not in result.inner_text()  # e.g. "벡터가 벡터를"
    assert watch.errors == [] and watch.outside == []
