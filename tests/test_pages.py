"""The pure path: catalogue, lock and logs -> model -> Markdown pages, without MkDocs.

Pages are read as Markdown (front matter, links between pages) and, where it matters,
as the HTML the site's own Markdown extensions make of them (``site_markdown``).
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

import markdown
import pytest
import yaml
from bs4 import BeautifulSoup, Tag

from generator.bibtex import Citations
from generator.catalogue import schema_text
from generator.exports import bibliography, csl_json
from generator.layout import Layout
from generator.lock import save_lock
from generator.model import Site, SiteInfo
from generator.pages import (
    GENERATED_MARKER,
    Page,
    fence,
    is_generated,
    md,
    md_block,
    page_title,
    render_site,
    safe_url,
    short_authors,
    yaml_str,
)
from generator.project import Project, load_site
from generator.text import one_line

from .sitebuild import HOSTILE, LATEX_SPECIAL, arxiv_record, write_project

CATALOGUE = """\
topics:
  - {id: qa, title: Question Answering}
  - {id: mt, title: "Translation <b>&</b> more"}
  - {id: empty, title: Nothing yet}
papers:
  - arxiv: "2002.08909"
    topics: [qa]
    added: 2021-09-01
  - arxiv: "2104.08691"
    title: The Power of Scale
    topics: [qa, mt]
    status: reading
    notes: |
      My *own* notes, in Markdown.
  - id: deepquest
    title: deepQuest
    authors: [Julia Ive, Frédéric Blain, Lucia Specia, Someone Else]
    year: 2018
    url: https://aclanthology.org/C18-1266/
    topics: [mt]
    status: read
  - id: untopical
    title: Filed Nowhere
resources:
  - {id: odqa, title: A Blog Post, url: "https://lilianweng.github.io/odqa.html", kind: blog, topics: [qa], authors: [Lilian Weng]}
"""


def log(day: str, slug: str, body: str) -> str:
    return f"---\ntitle: Day {slug}\ndate: {day}\nslug: {slug}\ncategories: [c]\ntags: [t]\n---\n\n{body}\n"


LOGS = {
    "a.md": log("2021-09-06", "a", "* [REALM](https://arxiv.org/abs/2002.08909)\n* Q. Unanswered?\n"),
    "b.md": log("2021-09-09", "b", "* [deepQuest](https://aclanthology.org/C18-1266.pdf)\n* Q. Why?\n  * Because.\n"),
}


def make(root: Path, logs: dict[str, str] = LOGS, logs_dir: str = "logs/posts") -> Site:
    """The project above, with REALM's metadata in the lock (its title from there, as hostile text)."""
    write_project(root, CATALOGUE, {})
    posts = root / "docs" / logs_dir
    posts.mkdir(parents=True, exist_ok=True)
    for name, text in logs.items():
        (posts / name).write_text(text, encoding="utf-8")
    save_lock(root / "papers.lock.json", {"2002.08909": arxiv_record(id="2002.08909", title=HOSTILE, authors=(HOSTILE,))})
    return load_site(Project.at(root, logs_dir=logs_dir))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    return make(tmp_path_factory.mktemp("pages"))


@pytest.fixture(scope="module")
def pages(site: Site) -> dict[str, str]:
    """The site's files with the default layout and no site URL (rendering is pure: once is enough)."""
    return pages_of(site)


def pages_of(site: Site, info: SiteInfo | None = None, layout: Layout | None = None) -> dict[str, str]:
    return {p.path: p.content for p in render_site(site, info, layout)}


def front_matter(text: str) -> tuple[dict, str]:
    match = re.match(r"---\n(.*?\n)---\n", text, re.S)
    assert match is not None, text[:200]
    return yaml.safe_load(match.group(1)), text[match.end():]


def html(site_markdown: markdown.Markdown, text: str) -> BeautifulSoup:
    return BeautifulSoup(site_markdown.reset().convert(front_matter(text)[1]), "html.parser")


def heading(tag: Tag) -> str:
    """A heading's text, without the permalink the table of contents adds."""
    return tag.get_text().removesuffix("¶")


def section(soup: BeautifulSoup, title: str) -> Tag:
    """The h2 whose text is ``title``."""
    found = next((h2 for h2 in soup.find_all("h2") if heading(h2) == title), None)
    assert found is not None, title
    return found


def test_every_file_of_the_site(site: Site, pages: dict[str, str]) -> None:
    assert sorted(pages) == sorted([
        "index.md", "papers/index.md", "topics/index.md", "qa/index.md", "stats/index.md", "graph/index.md", "tags.md",
        "qa/studylog-qa.apkg", "qa/studylog-qa.txt",
        "topics/qa.md", "topics/mt.md", "topics/empty.md",
        "papers/2002.08909.md", "papers/2104.08691.md", "papers/deepquest.md", "papers/untopical.md",
        "papers.schema.json", "papers.bib", "papers.json",
    ])  # no feed without the site's URL
    citations = Citations(site)
    assert pages["papers.schema.json"] == schema_text()
    assert pages["papers.bib"] == bibliography(site, citations)
    assert pages["papers.json"] == csl_json(site, citations)
    with_url = pages_of(site, SiteInfo("https://example.org/s/"))
    assert set(with_url) - set(pages) == {"feed.xml"}
    assert "<link>https://example.org/s/logs/2021/09/09/b/</link>" in with_url["feed.xml"]


def test_every_page_says_it_was_generated_and_has_a_safe_title(site: Site, pages: dict[str, str]) -> None:
    for path, text in pages.items():
        if not path.endswith(".md"):
            assert isinstance(text, bytes) or not is_generated(text), path
            continue
        meta, _ = front_matter(text)
        assert text.splitlines()[1] == GENERATED_MARKER and is_generated(text), path
        assert meta["title"] and "<" not in meta["title"], path
    titles = {path: front_matter(text)[0]["title"] for path, text in pages.items() if path.endswith(".md")}
    assert titles["topics/mt.md"] == "Translation &lt;b&gt;&amp;&lt;/b&gt; more"  # themes insert titles as HTML
    assert titles["papers/2002.08909.md"] == one_line(HOSTILE).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    assert titles["index.md"] == "Home" and titles["qa/index.md"] == "Mentoring Q&amp;A"
    assert not is_generated("---\ntitle: Mine\n---\n# My page\n")
    assert Page("x.md", "").is_markdown and not Page("feed.xml", "").is_markdown


def assert_links_resolve(site: Site, pages: dict[str, str], layout: Layout, site_markdown: markdown.Markdown) -> int:
    """Every link of every page, as the site's Markdown renders it, is http(s) or goes to a generated page,
    a log (and its question's anchor) or the blog's page. Returns how many links between pages there are."""
    logs = {log.src: log for log in site.logs}
    targets = {*pages, *logs, layout.blog_index}
    between = 0
    for path, text in pages.items():
        if not path.endswith(".md"):
            continue
        for a in html(site_markdown, text).find_all("a", href=True):
            link = a["href"]
            if re.match(r"^(https?://|#)", link):
                continue
            assert not re.match(r"^[a-z][a-z0-9+.-]*:", link, re.I), f"{path} links {link}"
            target, _, anchor = link.partition("#")
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(path), target))
            assert resolved in targets, f"{path} links {link}"
            if anchor:
                assert resolved in logs and anchor in {q.anchor for q in logs[resolved].questions}, f"{path} links {link}"
            between += 1
    return between


def test_every_link_between_pages_resolves(site: Site, pages: dict[str, str], site_markdown: markdown.Markdown) -> None:
    assert assert_links_resolve(site, pages, Layout(), site_markdown) >= 30
    assert "(../logs/posts/b.md#qa-1)" in pages["qa/index.md"]


def test_pages_follow_the_layout(tmp_path: Path, site_markdown: markdown.Markdown) -> None:
    layout = Layout(blog_dir="journal", logs_dir="journal/posts", post_url_format="{date}/{file}",
                    post_url_date_format="yyyy/MM")
    site = make(tmp_path, logs_dir="journal/posts")
    assert [log.src for log in site.logs] == ["journal/posts/a.md", "journal/posts/b.md"]
    pages = pages_of(site, SiteInfo("https://example.org/"), layout)
    assert assert_links_resolve(site, pages, layout, site_markdown) >= 30
    assert "(logs/index.md)" not in pages["index.md"] and "(journal/index.md)" in pages["index.md"]
    assert "(../journal/posts/b.md#qa-1)" in pages["qa/index.md"]
    assert "<link>https://example.org/journal/2021/09/b/</link>" in pages["feed.xml"]
    (tmp_path / "empty").mkdir()
    empty = make(tmp_path / "empty", logs={}, logs_dir="journal/posts")
    for path in ("index.md", "stats/index.md"):
        assert "Add one under `docs/journal/posts/`." in pages_of(empty, None, layout)[path]


def test_home_page(site: Site, pages: dict[str, str], site_markdown: markdown.Markdown) -> None:
    home = html(site_markdown, pages["index.md"])
    counts = dict(zip([th.get_text() for th in home.select("th")], [td.get_text() for td in home.select("td")], strict=True))
    assert counts == {"Papers": "4", "To read": "2", "Reading": "1", "Read": "1", "Resources": "1", "Logs": "2",
                      "Questions": "2"}
    latest = section(home, "Latest logs").find_next("ul").find_all("a")
    assert [(a["href"], a.get_text()) for a in latest] == [("logs/posts/b.md", "Day b"), ("logs/posts/a.md", "Day a")]
    recent = section(home, "Recently added papers").find_next("ul").find_all("li")
    assert [li.a["href"] for li in recent] == [
        "papers/2002.08909.md", "papers/untopical.md", "papers/deepquest.md", "papers/2104.08691.md",
    ]
    assert "RSS feed" not in home.get_text()
    with_feed = html(site_markdown, pages_of(site, SiteInfo("https://example.org/"))["index.md"])
    assert with_feed.find("a", string="RSS feed")["href"] == "feed.xml"


def test_reading_list(site: Site, pages: dict[str, str], site_markdown: markdown.Markdown) -> None:
    text = pages["papers/index.md"]
    body = html(site_markdown, text)
    assert "4 papers: 1 read, 1 reading, 2 to read." in body.get_text()
    # Topics in their order, an empty one left out, papers without a topic last.
    assert [heading(h2) for h2 in body.find_all("h2")] == ["Question Answering", "Translation <b>&</b> more", "Other papers"]
    rows = body.select(".sl-paper")
    assert [r.strong.a.get_text() for r in rows] == [one_line(HOSTILE), "The Power of Scale", "The Power of Scale",
                                                      "deepQuest", "Filed Nowhere"]
    deepquest = rows[3]
    assert deepquest.get_text(" ", strip=True) == (
        "deepQuest Julia Ive, Frédéric Blain, Lucia Specia et al. · 2018 · read · Link"
    )
    assert [a["href"] for a in deepquest.find_all("a")] == ["deepquest.md", "https://aclanthology.org/C18-1266/"]
    prompt = rows[1]
    assert prompt.select_one(".sl-status")["class"] == ["sl-status", "sl-status--reading"]
    assert [a["href"] for a in prompt.find_all("a")] == [
        "2104.08691.md", "https://arxiv.org/abs/2104.08691", "https://arxiv.org/pdf/2104.08691",
    ]
    assert prompt.select_one("[title='arXiv metadata not fetched yet']") is not None
    assert rows[0].select_one("[title='arXiv metadata not fetched yet']") is None
    assert rows[0].select_one("details.abstract").get_text(" ", strip=True) == (
        "Abstract We explore prompt tuning. A second paragraph."
    )
    blog = body.find("a", string="A Blog Post")
    assert blog["href"] == "https://lilianweng.github.io/odqa.html"
    assert blog.parent.get_text() == "A Blog Post · blog · Lilian Weng"
    assert body.find("a", string="BibTeX (papers.bib)")["href"] == "../papers.bib"


def test_paper_pages(site: Site, pages: dict[str, str], site_markdown: markdown.Markdown) -> None:
    unfetched = html(site_markdown, pages["papers/2104.08691.md"])
    assert heading(unfetched.h1) == "The Power of Scale"
    assert "python -m generator enrich" in unfetched.select_one("p.sl-offline").get_text()  # one quiet line
    notes = section(unfetched, "Notes").find_next("p")
    assert str(notes) == "<p>My <em>own</em> notes, in Markdown.</p>"  # the user's Markdown, rendered
    topics = [(a.get_text(), a["href"]) for a in unfetched.select(".sl-meta a") if a["href"].startswith("..")]
    assert topics == [("Question Answering", "../topics/qa.md"), ("Translation <b>&</b> more", "../topics/mt.md")]
    assert section(unfetched, "Discussed in").find_next("p").get_text() == "No study log links to this paper yet."
    bibtex = section(unfetched, "BibTeX").find_next("code").get_text()
    assert bibtex == Citations(site).bibtex(site.entries[1])
    fetched = html(site_markdown, pages["papers/2002.08909.md"])
    assert fetched.select_one(".admonition") is None
    assert [(a["href"], a.get_text()) for a in section(fetched, "Discussed in").find_next("ul").find_all("a")] == [
        ("../logs/posts/a.md", "Day a"),
    ]


def test_qa_page_groups_questions_by_log_newest_first(site: Site, pages: dict[str, str], site_markdown: markdown.Markdown) -> None:
    body = html(site_markdown, pages["qa/index.md"])
    assert "2 questions · 2 study logs." in body.get_text()
    assert [heading(h2) for h2 in body.find_all("h2")] == ["Sep 9, 2021 · Day b", "Sep 6, 2021 · Day a"]
    assert [heading(h3) for h3 in body.find_all("h3")] == ["Q. Why?", "Q. Unanswered?"]
    assert [a["href"] for a in body.select("a.sl-qa-source")] == ["../logs/posts/b.md#qa-1", "../logs/posts/a.md#qa-1"]
    assert body.find("li", string="Because.") is not None
    assert body.select_one(".sl-qa-unanswered").get_text() == "No answer recorded."


def test_topic_pages(site: Site, pages: dict[str, str], site_markdown: markdown.Markdown) -> None:
    index = html(site_markdown, pages["topics/index.md"])
    rows = [[td.get_text() for td in tr.find_all("td")] for tr in index.select("tbody tr")]
    assert rows == [["Question Answering", "2", "1"], ["Translation <b>&</b> more", "2", "1"], ["Nothing yet", "0", "0"]]
    mt = html(site_markdown, pages["topics/mt.md"])
    assert heading(mt.h1) == "Translation <b>&</b> more" and mt.find("b") is None
    assert [a.get_text() for a in mt.select(".sl-paper strong a")] == ["The Power of Scale", "deepQuest"]
    assert [a["href"] for a in section(mt, "Discussed in").find_next("ul").find_all("a")] == ["../logs/posts/b.md"]
    empty = html(site_markdown, pages["topics/empty.md"]).get_text()
    assert "No papers filed under this topic yet." in empty and "No study log links to these papers yet." in empty


UNTRUSTED = [
    HOSTILE,
    LATEX_SPECIAL,
    "$x$ \\(y\\) $$z$$ **b** __u__ `c` ~~s~~ ==m== ^^i^^ ++k++ {: .x} :material-alert: :smile: [^1] *[HTML]: x",
    "<!-- c --> &amp; &#60; <https://x.org> [l](javascript:alert(1)) ![i](x.png) | a | b |",
    "# not a heading\n- not a list\n> not a quote\n    not code\n!!! note\n??? x\n: not a definition",
    "line\\\nbreak, trailing backslash\\",
]


@pytest.mark.parametrize("text", UNTRUSTED, ids=range(len(UNTRUSTED)))
def test_untrusted_text_renders_as_the_same_text(site_markdown: markdown.Markdown, text: str) -> None:
    out = BeautifulSoup(site_markdown.reset().convert(md(text)), "html.parser")
    assert [tag.name for tag in out.find_all(True)] in (["p"], [])
    assert out.get_text() == one_line(text)


def test_md_block_keeps_paragraphs(site_markdown: markdown.Markdown) -> None:
    out = BeautifulSoup(site_markdown.reset().convert(md_block("First *one*\nwraps.\n\n  Second <b>two</b>  \n\n\n")),
                        "html.parser")
    assert [p.get_text() for p in out.find_all("p")] == ["First *one* wraps.", "Second <b>two</b>"]


def test_links_are_only_http_and_cannot_break_out() -> None:
    assert safe_url("https://x.org/a b(c)\"d'") == "https://x.org/a%20b%28c%29%22d'"
    assert safe_url("HTTP://X.org/?q=1&r=%20#f") == "HTTP://X.org/?q=1&r=%20#f"
    for bad in ("javascript:alert(1)", "data:text/html,x", "//x.org", "ftp://x.org", " https://x.org"):
        with pytest.raises(ValueError):
            safe_url(bad)


def test_small_helpers() -> None:
    assert fence("plain") == "```\nplain\n```"
    assert fence("a ```` b\n", "bibtex") == "`````bibtex\na ```` b\n`````"
    assert short_authors(("A", "B", "C")) == "A, B, C"
    assert short_authors(("A", "B", "C", "D")) == "A, B, C et al."
    assert short_authors(("A", "B"), n=1) == "A et al."
    for text in (HOSTILE, 'quote " and \\ and\nnewline', "한국어: 제목"):
        assert yaml.safe_load(f"title: {yaml_str(text)}") == {"title": one_line(text)}
    assert page_title("<b>A & B</b>") == '"&lt;b&gt;A &amp; B&lt;/b&gt;"'
