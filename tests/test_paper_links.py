"""Links in a log to the papers of the catalogue: the Markdown extension's badges, in-process.

Each test renders a log the way MkDocs and Zensical do (its text after the front matter,
through Python-Markdown with the site's extensions from mkdocs.yml) and reads the HTML back.
The project's mkdocs.yml is this repository's, so the badges speak Korean.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup
from mkdocs.config import load_config

from generator.logs import arxiv_in_text, strip_front_matter
from generator.model import Entry, ResourceEntry
from generator.paper_links import GENERATED_PAGE, fingerprint
from generator.project import Project, load_links

from .sitebuild import ROOT, write_project

CATALOGUE = """\
topics:
  - id: prompts
    title: Prompts
  - id: qe
    title: Quality Estimation
papers:
  - arxiv: "2104.08691"
    title: The Power of Scale for Parameter-Efficient Prompt Tuning
    topics: [prompts]
    status: read
  - arxiv: "1810.04805"
    title: BERT
    topics: [prompts]
    status: reading
  - id: deepquest
    title: deepQuest
    url: https://aclanthology.org/C18-1266/
    topics: [qe]
resources:
  - id: weng
    title: How to Build an Open-Domain Question Answering System?
    url: https://lilianweng.github.io/lil-log/2020/10/29/open-domain-question-answering.html
    kind: blog
    topics: [qe]
"""

LOG = """\
---
title: Day 1
date: 2021-09-09
slug: day-1
---

# Day 1

Read [prompt tuning](https://arxiv.org/abs/2104.08691v2) and then https://arxiv.org/pdf/2104.08691 again.
BERT is arXiv:1810.04805, and [deepQuest](https://aclanthology.org/C18-1266.pdf) is not on arXiv.
A [blog post](https://lilianweng.github.io/lil-log/2020/10/29/open-domain-question-answering.html).
Not listed: [Attention](https://arxiv.org/abs/1706.03762), nor arxiv.org/abs/2005.11401.

Code stays code: `arXiv:1810.04805` and

```
https://arxiv.org/abs/2104.08691
```
"""


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    write_project(tmp_path, CATALOGUE, {"2021-09-09-day-1.md": LOG})
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    return tmp_path


def render(project: Path, text: str) -> BeautifulSoup:
    """``text`` (a page's Markdown after its front matter) as the site renders it, through mkdocs.yml's extensions."""
    config = load_config(str(project / "mkdocs.yml"))
    configs = {**config["mdx_configs"], "generator.markdown_ext": {"config_file": str(project / "mkdocs.yml")}}
    md = markdown.Markdown(extensions=config["markdown_extensions"], extension_configs=configs)
    return BeautifulSoup(md.convert(text), "html.parser")


def log_body(project: Path, name: str = "2021-09-09-day-1.md", folder: str = "") -> str:
    return strip_front_matter((project / "docs" / "logs" / "posts" / folder / name).read_text(encoding="utf-8"))


def badges(html: BeautifulSoup) -> list[tuple[str, str, str]]:
    """Each badge: (the link it follows, its own link, its text)."""
    return [(str(b.find_previous_sibling("a")["href"]), str(b["href"]), b.get_text()) for b in html.select("a.sl-onsite")]


def test_each_listed_paper_a_log_links_gets_a_badge_to_its_page(project: Path) -> None:
    html = render(project, log_body(project))
    assert badges(html) == [
        ("https://arxiv.org/abs/2104.08691v2", "../../papers/2104.08691.md", "읽음"),  # once, though linked twice
        ("https://arxiv.org/abs/1810.04805", "../../papers/1810.04805.md", "읽는 중"),
        ("https://aclanthology.org/C18-1266.pdf", "../../papers/deepquest.md", "읽을 예정"),
        # A resource has no page of its own: its topic's page lists it.
        ("https://lilianweng.github.io/lil-log/2020/10/29/open-domain-question-answering.html", "../../topics/qe.md", "블로그"),
    ]
    first = html.select_one("a.sl-onsite")
    assert first["class"] == ["sl-onsite", "sl-status", "sl-status--read"]
    assert first["title"] == "읽기 목록에 있음: The Power of Scale for Parameter-Efficient Prompt Tuning"
    assert first.has_attr("data-search-exclude")  # the badge's words stay out of the search index
    assert first.previous_sibling.previous_sibling.get_text() == "prompt tuning"  # right after the link it marks


def test_arxiv_mentions_and_bare_urls_become_links_but_code_stays_code(project: Path) -> None:
    html = render(project, log_body(project))
    links = {a.get_text(): a["href"] for a in html.find_all("a") if "sl-onsite" not in a.get("class", [])}
    assert links["arXiv:1810.04805"] == "https://arxiv.org/abs/1810.04805"
    assert links["https://arxiv.org/pdf/2104.08691"] == "https://arxiv.org/pdf/2104.08691"  # magiclink
    assert links["arxiv.org/abs/2005.11401"] == "https://arxiv.org/abs/2005.11401"  # no https://: ours
    assert links["Attention"] == "https://arxiv.org/abs/1706.03762"  # a link, but no badge: not listed
    assert [c.get_text() for c in html.find_all("code")] == ["arXiv:1810.04805", "https://arxiv.org/abs/2104.08691\n"]
    assert all(c.find("a", href=lambda h: "arxiv" in h) is None for c in html.find_all("code"))


def test_a_bare_arxiv_url_in_brackets_is_a_link_too(project: Path) -> None:
    html = render(project, "BERT (arxiv.org/abs/1810.04805) and [REALM](https://arxiv.org/abs/2002.08909).\n")
    assert [a["href"] for a in html.find_all("a")] == ["https://arxiv.org/abs/1810.04805", "https://arxiv.org/abs/2002.08909"]


def test_a_mention_that_is_no_arxiv_id_stays_text(project: Path) -> None:
    html = render(project, "See arXiv:2113.99999 and arXiv:1810.04805.\n")
    assert [a["href"] for a in html.find_all("a")] == ["https://arxiv.org/abs/1810.04805"]
    assert "arXiv:2113.99999" in html.get_text()


def test_the_badge_links_from_the_logs_own_folder(project: Path) -> None:
    nested = project / "docs" / "logs" / "posts" / "2021"
    nested.mkdir()
    text = LOG.replace("Day 1", "Day 2").replace("day-1", "day-2")
    (nested / "2021-09-10-day-2.md").write_text(text, encoding="utf-8")
    html = render(project, log_body(project, "2021-09-10-day-2.md", "2021"))
    assert badges(html)[0][1] == "../../../papers/2104.08691.md"


def test_the_blogs_excerpt_of_a_log_gets_the_badges_too(project: Path) -> None:
    # Material's blog renders a post's excerpt on the logs page with the title in front.
    html = render(project, "# Day 1\n\n" + log_body(project))
    assert len(badges(html)) == 4


def test_the_excerpt_of_a_log_cut_for_the_listings_gets_the_badges_of_its_part(project: Path) -> None:
    """``blog_hook`` cuts a post to what its excerpts need and says so: the cut text is the log's too."""
    from generator.paper_links import site_links

    body = log_body(project)
    cut = body[: body.index("\n", body.index("arxiv.org")) + 1]  # up to the line of the first paper link
    assert badges(render(project, "# Day 1\n\n" + cut)) == []  # not a log's text
    links = site_links(project / "mkdocs.yml")
    assert links is not None
    log = project / "docs" / "logs" / "posts" / "2021-09-09-day-1.md"
    links.logs.cut(cut, project / "outside" / "x.md")  # not a log: ignored
    assert badges(render(project, "# Day 1\n\n" + cut)) == []
    links.logs.cut(cut, log)
    assert [b[2] for b in badges(render(project, "# Day 1\n\n" + cut))] == ["읽음"]
    log.unlink()  # a log gone takes its cut with it
    assert badges(render(project, "# Day 1\n\n" + cut)) == []


def test_pages_that_are_not_logs_get_no_badges(project: Path) -> None:
    html = render(project, log_body(project) + "\nA page of my own that quotes the log.\n")
    assert badges(html) == []
    assert html.find("a", href="https://arxiv.org/abs/1810.04805") is not None  # mentions are links on any page


def test_generated_pages_are_left_alone_and_lose_their_first_line(project: Path) -> None:
    html = render(project, f"{GENERATED_PAGE}\n# Paper\n\n[arXiv](https://arxiv.org/abs/2104.08691) arXiv:1810.04805\n")
    assert badges(html) == []
    assert html.find("a", href="https://arxiv.org/abs/1810.04805") is None
    assert "studylog" not in str(html)
    assert html.h1.get_text().rstrip("¶") == "Paper"


def test_edits_to_the_log_and_the_catalogue_are_seen_by_the_next_page(project: Path) -> None:
    assert badges(render(project, log_body(project)))[1][2] == "읽는 중"
    catalogue = project / "papers.yaml"
    catalogue.write_text(CATALOGUE.replace("status: reading", "status: read"), encoding="utf-8")
    _touch_later(catalogue)
    assert badges(render(project, log_body(project)))[1][2] == "읽음"
    log = project / "docs" / "logs" / "posts" / "2021-09-09-day-1.md"
    log.write_text(LOG + "\nOne more line about [BERT](https://arxiv.org/abs/1810.04805).\n", encoding="utf-8")
    _touch_later(log)
    assert len(badges(render(project, log_body(project)))) == 4
    (log.parent / "2021-09-11-day-3.md").write_text(LOG.replace("day-1", "day-3") + "\nNew.\n", encoding="utf-8")
    assert len(badges(render(project, log_body(project, "2021-09-11-day-3.md")))) == 4


def test_two_logs_with_one_text_in_two_folders_get_no_badges(project: Path) -> None:
    other = project / "docs" / "logs" / "posts" / "old"
    other.mkdir()
    shutil.copy(project / "docs" / "logs" / "posts" / "2021-09-09-day-1.md", other / "2021-09-09-day-1.md")
    assert badges(render(project, log_body(project))) == []  # which folder's link would be right?


def test_a_broken_catalogue_gives_no_badges_and_no_traceback(project: Path) -> None:
    (project / "papers.yaml").write_text("papers: [\n", encoding="utf-8")
    html = render(project, log_body(project))
    assert badges(html) == []
    assert html.find("a", href="https://arxiv.org/abs/1810.04805") is not None


def test_without_the_projects_mkdocs_yml_there_are_no_badges(project: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    config = load_config(str(project / "mkdocs.yml"))
    elsewhere = tmp_path_factory.mktemp("elsewhere") / "mkdocs.yml"
    md = markdown.Markdown(extensions=config["markdown_extensions"],
                           extension_configs={**config["mdx_configs"], "generator.markdown_ext": {"config_file": str(elsewhere)}})
    html = BeautifulSoup(md.convert(log_body(project)), "html.parser")
    assert badges(html) == []


def test_the_log_is_known_by_its_text_whitespace_aside() -> None:
    assert fingerprint("a b\n\nc") == fingerprint("\ufeffa  b\r\n\r\n\tc\n")
    assert fingerprint("a b c") != fingerprint("a b d")


def test_a_link_meets_the_paper_or_resource_it_points_to(project: Path) -> None:
    site = load_links(Project.at(project))
    for url in ("https://arxiv.org/abs/2104.08691", "http://arxiv.org/pdf/2104.08691v1.pdf", "arxiv.org/abs/2104.08691v3"):
        found = site.linked_by(url)
        assert isinstance(found, Entry) and found.key == "2104.08691", url
    deepquest = site.linked_by("http://www.aclanthology.org/C18-1266")
    assert isinstance(deepquest, Entry) and deepquest.key == "deepquest"
    weng = site.linked_by("https://lilianweng.github.io/lil-log/2020/10/29/open-domain-question-answering.html/")
    assert isinstance(weng, ResourceEntry) and weng.resource.key == "weng"
    assert site.linked_by("https://arxiv.org/abs/1706.03762") is None
    assert site.linked_by("https://example.org/") is None


def test_arxiv_in_text_leaves_the_sentences_full_stop_out() -> None:
    found = list(arxiv_in_text("See https://arxiv.org/abs/2104.08691. Then arxiv.org/pdf/2005.11401v2, arXiv:1810.04805!"))
    assert [(f.text, f.url, str(f.arxiv)) for f in found] == [
        ("https://arxiv.org/abs/2104.08691", "https://arxiv.org/abs/2104.08691", "2104.08691"),
        ("arxiv.org/pdf/2005.11401v2", "https://arxiv.org/pdf/2005.11401v2", "2005.11401v2"),
        ("arXiv:1810.04805", "https://arxiv.org/abs/1810.04805", "1810.04805"),
    ]


def _touch_later(path: Path) -> None:
    """Give ``path`` a modification time surely different from the one it had (coarse file-system clocks)."""
    later = time.time() + 10
    os.utime(path, (later, later))


def test_the_badges_a_conversion_reads_are_recorded_and_follow_what_badges_say(project: Path) -> None:
    """Under serve, a log is converted again when a badge it asked for would change (``render_hook``), not on every edit."""
    from generator.paper_links import recording_badges, site_links

    catalogue = project / "papers.yaml"
    text = catalogue.read_text(encoding="utf-8")
    urls = ("https://arxiv.org/abs/2104.08691", "https://arxiv.org/abs/1810.04805", "https://example.com/nothing")

    def badges(new_text: str) -> list[tuple[str, object]]:
        catalogue.write_text(new_text, encoding="utf-8")
        os.utime(catalogue, ns=(time.time_ns(), time.time_ns()))
        links = site_links(project / "mkdocs.yml")
        assert links is not None
        with recording_badges() as seen:
            for url in urls:
                links.badge(url)
        return seen

    first = badges(text)
    assert [url for url, _ in first] == list(urls) and first[2][1] is None and first[0][1] is not None
    paper = '  - arxiv: "2104.08691"\n'
    assert badges(text.replace(paper, paper + "    notes: 새 메모.\n")) == first  # notes show on no badge
    status = text.replace("    status: read\n", "    status: reading\n", 1)
    assert sum(a != b for a, b in zip(badges(status), first, strict=True)) == 1
    assert badges(text.replace("The Power of Scale for Parameter-Efficient Prompt Tuning", "Prompt Tuning"))[0] != first[0]
    assert badges(text) == first
    links = site_links(project / "mkdocs.yml")
    assert links is not None
    links.badge(urls[0])  # asked outside a recording: nothing noted anywhere
    with recording_badges() as outer:
        with recording_badges() as inner:
            links.badge(urls[1])
        links.badge(urls[0])
    assert [url for url, _ in inner] == [urls[1]] and [url for url, _ in outer] == [urls[0]]
