"""A site whose blog is laid out differently: Material's blog at ``journal/``, the logs in
``docs/journal/posts``, posts at ``journal/<category>/<yyyy>/<MM>/<file>/``.

Every link Studylog makes must follow, with no ``logs/`` left anywhere; `check` and
`generate` read the same layout from mkdocs.yml (``project.read_config``). One real build.
"""

from __future__ import annotations

import io
import posixpath
import shutil
from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup

from generator.cli import main
from generator.layout import Layout
from generator.project import read_config

from .sitebuild import BuiltSite, article, build_recorded, copy_project, page

SITE_URL = "https://example.org/studylog/"
LOG = "journal/boostcamp-ai-tech/2021/09/2021-09-09-day-28/"
SOURCE = "journal/posts/2021-09-09-day-28.md"


def relayout(project: Path) -> Path:
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    for old, new in (
        ('site_url: !ENV [STUDYLOG_SITE_URL, "http://127.0.0.1:8000/"]', f"site_url: {SITE_URL}"),
        ("      blog_dir: logs\n", "      blog_dir: journal\n"),
        ('      post_url_format: "{date}/{slug}"\n', '      post_url_format: "{categories}/{date}/{file}"\n'),
        ("      post_url_date_format: yyyy/MM/dd\n", "      post_url_date_format: yyyy/MM\n"),
        ("      logs_dir: logs/posts\n", ""),  # the plugin takes the blog's post_dir
        ("      - logs/index.md\n", "      - journal/index.md\n"),
    ):
        assert old in text, old
        text = text.replace(old, new)
    config.write_text(text, encoding="utf-8")
    shutil.move(project / "docs" / "logs", project / "docs" / "journal")
    return project


@pytest.fixture(scope="module")
def journal(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    return build_recorded(relayout(copy_project(tmp_path_factory.mktemp("journal"))), strict=True)


def test_the_layout_is_read_from_mkdocs_yml(journal: BuiltSite) -> None:
    settings = read_config(journal.project / "mkdocs.yml")
    assert settings.layout == Layout(blog_dir="journal", logs_dir="journal/posts",
                                     post_url_format="{categories}/{date}/{file}", post_url_date_format="yyyy/MM",
                                     language="ko")
    assert settings.site.url == SITE_URL
    assert (journal.site / LOG / "index.html").is_file()  # where Material's blog put the log
    assert not (journal.site / "logs").exists()


def _links(site: Path, path: str) -> list[tuple[str, str]]:
    """(href, the built file it points at) of every link in a page's article that stays on the site."""
    found = []
    for a in article(site, path).find_all("a", href=True):
        href = a["href"]
        if href.startswith(("http://", "https://", "#", "mailto:")):
            continue
        target = posixpath.normpath(posixpath.join(path, href.split("#")[0]))
        found.append((href, target))
    return found


def _assert_resolves(site: Path, path: str, href: str, target: str) -> None:
    downloads = (".xml", ".bib", ".json", ".html", ".apkg", ".txt")
    file = site / target if target.endswith(downloads) else site / target / "index.html"
    assert file.is_file(), f"{path or '/'}: {href} goes nowhere"
    if "#" in href:
        anchor = href.split("#", 1)[1]
        assert BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser").find(id=anchor) is not None, href


@pytest.mark.parametrize(
    "path",
    ["", "papers/", "papers/2002.08909/", "papers/deepquest/", "topics/", "topics/open-domain-qa/", "qa/", "stats/"],
)
def test_every_link_follows_the_layout(journal: BuiltSite, path: str) -> None:
    links = _links(journal.site, path)
    assert links, path
    for href, target in links:
        assert not target.startswith("logs/"), f"{path}: {href}"
        _assert_resolves(journal.site, path, href, target)


def test_logs_are_linked_where_the_blog_put_them(journal: BuiltSite) -> None:
    home = article(journal.site, "")
    assert home.find("h2", id="최근-로그").find_next("ul").a["href"] == LOG
    assert home.select(".sl-counts td a")[1]["href"] == "journal/"  # the count of logs links the blog
    for path in ("papers/2002.08909/", "papers/deepquest/", "topics/open-domain-qa/"):
        discussed = article(journal.site, path).find("h2", id="다룬-로그").find_next("ul").a
        assert discussed["href"] == f"../../{LOG}", path
    sources = [a["href"] for a in article(journal.site, "qa/").select("a.sl-qa-source")]
    assert sources == [f"../{LOG}#qa-{n}" for n in (1, 2, 3)]
    stats = article(journal.site, "stats/")
    assert "학습 로그 1개 · 공부한 날 1일" in stats.get_text()
    marked = [c["data-date"] for c in stats.select("figure.sl-chart--calendar rect[data-date]") if c["data-level"] != "0"]
    assert marked == ["2021-09-09"]


def test_the_feed_links_each_log_where_it_is(journal: BuiltSite) -> None:
    parsed = feedparser.parse((journal.site / "feed.xml").read_text(encoding="utf-8"))
    assert not parsed.bozo and [e.link for e in parsed.entries] == [SITE_URL + LOG]
    assert (journal.site / parsed.entries[0].link.removeprefix(SITE_URL) / "index.html").is_file()
    assert page(journal.site, "").find("a", href="feed.xml") is not None


def test_check_and_generate_read_the_same_layout(journal: BuiltSite, tmp_path: Path) -> None:
    out = io.StringIO()
    assert main(["--root", str(journal.project), "check"], out=out, err=io.StringIO()) == 0
    assert out.getvalue().splitlines()[-1] == "ok: 15 papers, 3 resources, 10 topics, 1 log, 3 questions"
    target = tmp_path / "generated"
    assert main(["--root", str(journal.project), "generate", "--out", str(target)], out=io.StringIO()) == 0
    assert (target / "feed.xml").read_bytes() == (journal.site / "feed.xml").read_bytes()
    qa = (target / "qa" / "index.md").read_text(encoding="utf-8")
    assert f"](../{SOURCE}#qa-1)" in qa and "logs/" not in qa
    assert f"](../{SOURCE})" in (target / "papers" / "2002.08909.md").read_text(encoding="utf-8")
