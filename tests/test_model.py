"""The site model: the catalogue, the lock and the logs joined, in this process and without MkDocs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.catalogue import load_catalogue
from generator.ids import ArxivId
from generator.lock import Lock
from generator.logs import read_logs
from generator.model import Site, build_site, normalize_url
from generator.status import STATUSES, status

from .sitebuild import arxiv_record

CATALOGUE = """\
topics:
  - {id: qa, title: Question Answering}
  - {id: mt, title: Translation}
  - {id: empty, title: Nothing yet}
papers:
  - arxiv: "2002.08909"
    title: REALM From YAML
    topics: [qa]
    added: 2021-09-01
  - arxiv: "2104.08691v1"
    topics: [qa, mt]
    status: reading
    added: 2021-09-03
  - id: deepquest
    title: deepQuest
    authors: [Julia Ive, Lucia Specia]
    year: 2018
    venue: COLING 2018
    url: https://aclanthology.org/C18-1266/
    topics: [mt]
    status: read
  - arxiv: "1706.03762"
    topics: [mt]
    added: 2021-09-03
resources:
  - {id: odqa, title: A Blog Post, url: "https://lilianweng.github.io/odqa.html", kind: blog, topics: [qa]}
"""


def log(day: str, slug: str, body: str, *, draft: bool = False) -> str:
    extra = "draft: true\n" if draft else ""
    return f"---\ntitle: Day {slug}\ndate: {day}\nslug: {slug}\ncategories: [c]\ntags: [t]\n{extra}---\n\n{body}\n"


LOGS = {
    "a.md": log("2021-09-06", "a", "\n".join([
        "* [REALM v2](https://arxiv.org/abs/2002.08909v2)",
        "* [deepQuest PDF](http://www.aclanthology.org/C18-1266.pdf)",
        "* BERT is arXiv:1810.04805, which the list lacks",
        "* [a blog](https://lilianweng.github.io/odqa.html)",
    ])),
    "b.md": log("2021-09-09", "b", "\n".join([
        "* [REALM](https://arxiv.org/pdf/2002.08909)",
        "* [REALM again](https://arxiv.org/abs/2002.08909)",
        "* Q. Why retrieve?",
        "  * To ground answers.",
    ])),
    "c.md": log("2021-09-10", "c", "[prompt tuning](https://arxiv.org/abs/2104.08691)", draft=True),
}

LOCK = {
    "2002.08909": arxiv_record(id="2002.08909", version=3, title="REALM From The Lock", authors=("Kelvin Guu", "Kenton Lee"),
                               published="2020-02-10T17:53:19Z", updated="2020-02-12T01:00:00Z", doi="10.1/realm",
                               journal_ref="ICML 2020", comment="A comment", primary_category="cs.CL",
                               categories=("cs.CL", "cs.LG")),
    "2104.08691": arxiv_record(),
}


@pytest.fixture()
def site(tmp_path: Path) -> Site:
    (tmp_path / "papers.yaml").write_text(CATALOGUE, encoding="utf-8")
    posts = tmp_path / "docs" / "logs" / "posts"
    posts.mkdir(parents=True)
    for name, text in LOGS.items():
        (posts / name).write_text(text, encoding="utf-8")
    return build_site(load_catalogue(tmp_path / "papers.yaml"), Lock(papers=LOCK), read_logs(tmp_path / "docs", "logs/posts"))


def test_yaml_fields_win_over_the_lock_and_the_lock_fills_the_rest(site: Site) -> None:
    realm = site.entries[0]
    assert realm.key == "2002.08909" and realm.fetched and not realm.needs_fetch
    assert realm.title == "REALM From YAML"  # the YAML title wins
    assert realm.authors == ("Kelvin Guu", "Kenton Lee")  # the rest comes from arXiv
    assert realm.year == 2020 and realm.published == dt.date(2020, 2, 10) and realm.updated == dt.date(2020, 2, 12)
    assert realm.venue == "ICML 2020" and realm.doi == "10.1/realm" and realm.comment == "A comment"
    assert realm.abstract == "We explore prompt tuning.\n\nA second paragraph."
    assert realm.categories == ("cs.CL", "cs.LG") and realm.primary_category == "cs.CL"
    assert realm.version == 3  # unpinned: the version fetched
    assert realm.abs_url == "https://arxiv.org/abs/2002.08909" and realm.pdf_url == "https://arxiv.org/pdf/2002.08909"
    assert realm.status == status("to-read") == STATUSES[0]


def test_a_pinned_version_and_a_title_from_the_lock(site: Site) -> None:
    prompt = site.entries[1]
    assert prompt.arxiv == ArxivId("2104.08691", 1)
    assert prompt.title == "Title From The Lock"
    assert prompt.version == 1  # the version papers.yaml pins, not the one in the lock
    assert prompt.status.key == "reading" and prompt.status.label == "reading"
    assert prompt.discussed_in == ()  # only a draft links it


def test_a_paper_not_on_arxiv_is_whole_from_yaml(site: Site) -> None:
    deepquest = site.entries[2]
    assert deepquest.arxiv is None and deepquest.abs_url is None and deepquest.pdf_url is None
    assert not deepquest.needs_fetch and not deepquest.fetched
    assert (deepquest.title, deepquest.authors, deepquest.year, deepquest.venue) == (
        "deepQuest", ("Julia Ive", "Lucia Specia"), 2018, "COLING 2018",
    )
    assert deepquest.url == "https://aclanthology.org/C18-1266/"
    assert deepquest.published is None and deepquest.categories == () and deepquest.version is None


def test_an_arxiv_paper_not_in_the_lock_yet(site: Site) -> None:
    attention = site.entries[3]
    assert attention.needs_fetch and not attention.fetched
    assert attention.title == "1706.03762"  # the ID until arXiv's title arrives
    assert attention.authors == () and attention.year is None and attention.abstract is None
    assert site.unfetched == (attention,)


def test_logs_are_linked_to_papers_and_resources_by_arxiv_id_and_url(site: Site) -> None:
    a, b = site.logs  # the draft is left out
    assert [log.slug for log in site.logs] == ["a", "b"]
    realm, _, deepquest, _ = site.entries
    assert realm.discussed_in == (b, a)  # newest first, each log once (b links it twice)
    assert deepquest.discussed_in == (a,)  # http://www. and .pdf meet the catalogue's URL
    (resource,) = site.resources
    assert resource.discussed_in == (a,) and resource.title == "A Blog Post"


def test_links_to_papers_the_catalogue_lacks(site: Site) -> None:
    assert [(log.slug, link.arxiv, link.line) for log, link in site.unlisted] == [("a", ArxivId("1810.04805"), 11)]  # line 11: the third line of the body


def test_topics_gather_their_papers_resources_and_logs(site: Site) -> None:
    qa, mt, empty = site.topics
    assert [e.key for e in site.entries_in(qa)] == ["2002.08909", "2104.08691"]
    assert [e.key for e in site.entries_in(mt)] == ["2104.08691", "deepquest", "1706.03762"]
    assert site.entries_in(empty) == () and site.resources_in(empty) == () and site.logs_about(empty) == ()
    assert [r.key for r in site.resources_in(qa)] == ["odqa"] and site.resources_in(mt) == ()
    assert [log.slug for log in site.logs_about(qa)] == ["b", "a"]
    assert [log.slug for log in site.logs_about(mt)] == ["a"]


def test_counts_recent_papers_and_questions(site: Site) -> None:
    assert [(s.key, n) for s, n in site.status_counts()] == [("to-read", 2), ("reading", 1), ("read", 1)]
    # By `added`, then by place in the file; a paper without `added` last.
    assert [e.key for e in site.recent_entries()] == ["1706.03762", "2104.08691", "2002.08909", "deepquest"]
    assert [e.key for e in site.recent_entries(2)] == ["1706.03762", "2104.08691"]
    (asked,) = site.questions
    assert asked.log.slug == "b" and asked.question.text == "Why retrieve?"
    assert asked.question.answer.strip() == "* To ground answers."


def test_every_status_is_counted_even_with_no_paper(tmp_path: Path) -> None:
    (tmp_path / "papers.yaml").write_text("topics: []\npapers: []\n", encoding="utf-8")
    empty = build_site(load_catalogue(tmp_path / "papers.yaml"), Lock(), ())
    assert empty.status_counts() == tuple((s, 0) for s in STATUSES)
    assert empty.recent_entries() == () and empty.questions == () and empty.unfetched == ()


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("https://aclanthology.org/C18-1266/", "aclanthology.org/c18-1266"),
        ("http://www.aclanthology.org/C18-1266.pdf", "aclanthology.org/c18-1266"),
        ("https://ACLAnthology.org/C18-1266//", "aclanthology.org/c18-1266"),
        ("https://example.org/a.pdf/", "example.org/a"),
        ("  https://example.org/x?y=1#z  ", "example.org/x"),
        ("http://[invalid", "http://[invalid"),  # not a URL: compared as it is
    ],
)
def test_normalize_url(url: str, key: str) -> None:
    assert normalize_url(url) == key
