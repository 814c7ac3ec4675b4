"""Build the site for real and read its HTML: pages, backlinks, Q&A, search.

Two sites are built once per run (``conftest``): the shipped project as it is, and the
enriched one (arXiv metadata in the lock, hostile text, a math log, a stale generated
page and a page of the user's own). Where a page lists the catalogue, what it must show
is read from papers.yaml itself, not from the code under test.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any

import bibtexparser
import yaml
from bs4 import Tag

from generator.assets import site_assets
from generator.i18n import Words

from .fidelity import log_structure, skeleton
from .sitebuild import (
    HOSTILE,
    HOSTILE_PAPER,
    ROOT,
    STALE_CSS,
    STALE_VENUE,
    BuiltSite,
    article,
    page,
)

LOG_URL = "logs/2021/09/09/day-28/"
CATALOGUE: dict[str, Any] = yaml.safe_load((ROOT / "papers.yaml").read_text(encoding="utf-8"))
SEED = ROOT / "docs" / "logs" / "posts" / "2021-09-09-day-28.md"
KO = Words("ko")


def _key(paper: dict[str, Any]) -> str:
    return str(paper["arxiv"]).replace("/", "-") if "arxiv" in paper else paper["id"]


def _texts(tags: list[Tag]) -> list[str]:
    return [t.get_text(strip=True).rstrip("¶") for t in tags]


def _section(h2: Tag, name: str, css_class: str | None = None) -> list[Tag]:
    """The ``name`` elements (with ``css_class``) among the siblings after ``h2``, up to the next h2."""
    found = []
    for el in h2.find_next_siblings(True):
        if el.name == "h2":
            break
        if el.name == name and (css_class is None or css_class in (el.get("class") or [])):
            found.append(el)
    return found


# -- the shipped site ------------------------------------------------------------------------------------


def test_home_counts_and_latest(shipped_site: BuiltSite) -> None:
    home = article(shipped_site.site, "")
    cells = [td.get_text(strip=True) for td in home.select(".sl-counts td")]
    headers = [th.get_text(strip=True) for th in home.select(".sl-counts th")]
    counts = dict(zip(headers, cells, strict=True))
    assert counts == {  # the shipped site speaks Korean (theme.language: ko)
        "논문": "15", "읽을 예정": "15", "읽는 중": "0", "읽음": "0",
        "자료": "3", "로그": "1", "질문": "3",
    }
    latest = home.find("h2", id="최근-로그").find_next("ul")
    assert latest.a["href"] == LOG_URL
    assert KO.date(dt.date(2021, 9, 9)) in latest.get_text()
    # The five papers added last: all on one day, so the last five of the file, newest first.
    papers = CATALOGUE["papers"]
    newest = sorted(range(len(papers)), key=lambda i: (str(papers[i]["added"]), i), reverse=True)[:5]
    recent = home.find("h2", id="최근-추가한-논문").find_next("ul").find_all("li")
    assert [(li.a["href"], li.a.get_text()) for li in recent] == [
        (f"papers/{_key(papers[i])}/", papers[i]["title"]) for i in newest
    ]
    for li, i in zip(recent, newest, strict=True):
        added = KO.gettext("added %(date)s", date=KO.date(papers[i]["added"]))
        assert li.get_text() == f"{papers[i]['title']} · {papers[i]['year']} · {added}"


def test_reading_list_groups_every_paper_by_topic(shipped_site: BuiltSite) -> None:
    body = article(shipped_site.site, "papers/")
    headings = body.find_all("h2")
    assert _texts(headings) == [t["title"] for t in CATALOGUE["topics"]]
    assert len(body.select(".sl-paper")) == 15
    for h2, topic in zip(headings, CATALOGUE["topics"], strict=True):
        papers = [p for p in CATALOGUE["papers"] if topic["id"] in p["topics"]]
        rows = _section(h2, "div", "sl-paper")
        assert len(rows) == len(papers), topic["id"]
        for row, paper in zip(rows, papers, strict=True):
            title = row.select_one("strong a")
            assert (title.get_text(), title["href"]) == (paper["title"], f"{_key(paper)}/")
            # Authors (only deepQuest has them without a lock), year, status, then the links.
            line = row.p.get_text().split("\n", 1)[1]
            parts = [part.strip() for part in line.split(" · ")]
            authors = [", ".join(paper["authors"])] if "authors" in paper else []
            links = ["arXiv", "PDF"] if "arxiv" in paper else [KO.gettext("Link")]
            assert parts == [*authors, str(paper["year"]), KO.gettext("to read"), *links], paper["title"]
            assert row.select_one(".sl-status")["class"] == ["sl-status", "sl-status--to-read"]
            hrefs = [a["href"] for a in row.find_all("a")][1:]
            if "arxiv" in paper:
                assert hrefs == [f"https://arxiv.org/abs/{paper['arxiv']}", f"https://arxiv.org/pdf/{paper['arxiv']}"]
                assert row.select_one(f"[title='{KO.gettext('arXiv metadata not fetched yet')}']") is not None
            else:
                assert hrefs == [paper["url"]]
                assert row.select_one(f"[title='{KO.gettext('arXiv metadata not fetched yet')}']") is None
            assert row.select_one("details") is None  # no abstract without the lock
        # The topic's resources, after its papers.
        resources = [r for r in CATALOGUE.get("resources", []) if topic["id"] in r["topics"]]
        boxes = _section(h2, "div", "sl-resources")
        assert len(boxes) == (1 if resources else 0), topic["id"]
        items = [li for box in boxes for li in box.select("ul > li")]
        assert [(li.a.get_text(), li.a["href"]) for li in items] == [(r["title"], r["url"]) for r in resources]
        for li, resource in zip(items, resources, strict=True):
            assert f" · {KO.gettext(resource['kind'])}" in li.get_text()
            for author in resource.get("authors", []):
                assert author in li.get_text()


def test_paper_page_without_lock_is_complete_from_yaml(shipped_site: BuiltSite) -> None:
    body = article(shipped_site.site, "papers/2002.08909/")
    assert body.h1.get_text(strip=True).startswith("REALM: Retrieval-Augmented Language Model Pre-Training")
    # Offline, one quiet line says where the rest comes from; no warning box.
    assert body.select_one(".admonition") is None
    note = body.select_one("p.sl-offline")
    assert note is not None and "python -m generator enrich" in note.get_text()
    rows = {tr.find_all("td")[0].get_text(strip=True): tr.find_all("td")[1] for tr in body.select(".sl-meta tbody tr")}
    assert {name: cell.get_text(" ", strip=True) for name, cell in rows.items()} == {
        KO.gettext("Status"): KO.gettext("to read"),
        KO.gettext("Topics"): "Open-Domain Question Answering",
        KO.gettext("Year"): "2020",
        KO.gettext("Venue"): "ICML 2020",
        "arXiv": "2002.08909 · PDF",
    }
    assert [a["href"] for a in rows[KO.gettext("Topics")].find_all("a")] == ["../../topics/open-domain-qa/"]
    assert [a["href"] for a in rows["arXiv"].find_all("a")] == [
        "https://arxiv.org/abs/2002.08909", "https://arxiv.org/pdf/2002.08909",
    ]
    assert body.find("h2", id="초록").find_next("p").get_text().startswith(KO.gettext("No abstract yet."))
    bibtex = body.find("h2", id="bibtex").find_next("pre").get_text()
    assert bibtex.startswith("@inproceedings{realm2020,\n")  # ICML 2020: a conference
    library = bibtexparser.parse_string(bibtex)
    assert library.failed_blocks == [] and [e.key for e in library.entries] == ["realm2020"]
    assert {k: f.value for k, f in library.entries[0].fields_dict.items()} == {
        "title": "{REALM: Retrieval-Augmented Language Model Pre-Training}",
        "year": "2020",
        "booktitle": "ICML 2020",
        "eprint": "2002.08909",
        "archiveprefix": "arXiv",
        "url": "https://arxiv.org/abs/2002.08909",
    }


def test_paper_backlinks_to_the_log(shipped_site: BuiltSite) -> None:
    for path in ("papers/2002.08909/", "papers/deepquest/", "papers/2103.00020/"):
        body = article(shipped_site.site, path)
        section = body.find("h2", id="다룬-로그").find_next("ul")
        link = section.find("a")
        assert link["href"] == f"../../{LOG_URL}", path
        assert "28일차 학습정리" in link.get_text()
        assert "2021. 9. 9." in section.get_text()


def test_topic_page_lists_papers_and_logs(shipped_site: BuiltSite) -> None:
    body = article(shipped_site.site, "topics/quality-estimation/")
    titles = [a.get_text() for a in body.select(".sl-paper strong a")]
    assert titles == [
        "deepQuest: A Framework for Neural-based Quality Estimation",
        "TransQuest: Translation Quality Estimation with Cross-lingual Transformers",
        "BERTScore: Evaluating Text Generation with BERT",
    ]
    discussed = body.find("h2", id="다룬-로그").find_next("ul").a
    assert discussed["href"] == f"../../{LOG_URL}"
    index = article(shipped_site.site, "topics/")
    assert len(index.select("tbody tr")) == 10


def test_log_renders_at_an_ascii_url(shipped_site: BuiltSite) -> None:
    body = article(shipped_site.site, LOG_URL)
    assert [h1.get_text(strip=True) for h1 in body.select("h1")] == ["[Boostcamp AI Tech] 28일차 학습정리"]
    assert body.select_one("h1 + p.sl-subtitle").get_text(strip=True) == "Naver Boostcamp AI Tech Level1 Day28"
    boxes = body.select("li.task-list-item input[type=checkbox]")
    assert len(boxes) == 3 and all(box.has_attr("checked") for box in boxes)
    assert any("📝" in h3.get_text() for h3 in body.find_all("h3"))
    nested = body.find("a", string="REALM: Retrieval-Augmented Language Model Pre-Training")
    assert nested.find_parent("ul").find_parent("li") is not None  # a nested bullet
    assert page(shipped_site.site, LOG_URL).html["lang"] == "ko"
    # Read as kramdown reads it (generator.kramdown; tests/test_kramdown.py compares with kramdown).
    # (The theme writes the title as the page's one h1, above the body.)
    page_structure = skeleton(str(body))
    assert page_structure[0].kind == "h1"
    assert page_structure[1:] == log_structure(SEED) != log_structure(SEED, without=["generator.kramdown"])


def test_qa_page_links_to_exact_places(shipped_site: BuiltSite) -> None:
    body = article(shipped_site.site, "qa/")
    group = body.find("h2")
    assert "2021. 9. 9." in group.get_text() and "28일차" in group.get_text()
    questions = body.find_all("h3")
    assert [q.get_text(strip=True).rstrip("¶") for q in questions][0] == "Q. Word2Vec에서 꼭 원핫벡터를 사용해야하나요?"
    assert len(questions) == 3
    sources = [a["href"] for a in body.select("a.sl-qa-source")]
    assert sources == [f"../{LOG_URL}#qa-{n}" for n in (1, 2, 3)]
    assert "원핫벡터가 아니어도 괜찮다" in questions[0].find_next("ul").get_text()
    log = article(shipped_site.site, LOG_URL)
    for n, q in enumerate(questions, start=1):
        target = log.find(id=f"qa-{n}")
        assert target is not None
        question = q.get_text(strip=True).rstrip("¶").removeprefix("Q. ")
        assert question in target.find_parent("li").get_text()


def test_search_index_covers_papers_logs_and_qa(shipped_site: BuiltSite) -> None:
    index = json.loads((shipped_site.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = {doc["location"] for doc in index["docs"]}
    assert "papers/2002.08909/" in locations
    assert LOG_URL in locations
    assert "qa/" in locations
    qa_text = " ".join(doc["text"] + doc["title"] for doc in index["docs"] if doc["location"].startswith("qa/"))
    assert "원핫벡터" in qa_text
    # Punctuation separates words, so 트랜스포머(Transformer) yields both.
    assert "(" in index["config"]["separator"]


def test_unfetched_papers_are_one_informational_note(shipped_site: BuiltSite) -> None:
    # Built with --strict: a note is not a warning.
    assert [m for m in shipped_site.messages if m[1] >= logging.WARNING] == []
    ours = shipped_site.ours()
    notes = [text for _, text in ours if "without metadata" in text]
    assert len(notes) == 1
    assert notes[0].startswith("14 arXiv papers without metadata in the lock yet (2002.08909, 1710.11041, 1905.05621, ...)")
    assert "python -m generator enrich" in notes[0]
    assert [level for level, _ in ours] == [logging.INFO] * len(ours)


def test_the_site_publishes_the_catalogue_schema(shipped_site: BuiltSite) -> None:
    published = json.loads((shipped_site.site / "papers.schema.json").read_text(encoding="utf-8"))
    assert published["title"] == "Studylog catalogue (papers.yaml)"
    assert "arxiv" in published["$defs"]["paper"]["properties"]
    assert published == json.loads((ROOT / "generator" / "papers.schema.json").read_text(encoding="utf-8"))


def test_tags_and_blog_views(shipped_site: BuiltSite) -> None:
    tags = article(shipped_site.site, "tags/").get_text()
    assert "NLP" in tags and "6주차" in tags
    for view in ("logs/category/boostcamp-ai-tech/", "logs/archive/2021/"):
        content = page(shipped_site.site, view).select_one(".md-content")
        assert content.find("a", href="../../2021/09/09/day-28/") is not None, view


# -- the enriched site -----------------------------------------------------------------------------------


def test_lock_metadata_fills_the_page_and_yaml_wins(enriched_site: BuiltSite) -> None:
    body = article(enriched_site.site, "papers/2104.08691/")
    assert body.h1.get_text(strip=True).startswith("The Power of Scale for Parameter-Efficient Prompt Tuning")
    assert "Title From The Lock" not in body.get_text()
    assert body.select_one(".sl-authors").get_text() == "Brian Lester, Rami Al-Rfou, Noah Constant"
    text = body.get_text(" ")
    assert "2021. 4. 18. (v1)" in text and "2021. 9. 2. 갱신 (v2)" in text
    assert "cs.CL" in text and "(주 분류)" in text and "Accepted to EMNLP 2021" in text
    assert body.select_one("p.sl-offline") is None  # fetched: no offline line
    abstract = body.find("h2", id="초록")
    assert abstract.find_next("p").get_text() == "We explore prompt tuning."
    assert abstract.find_next("p").find_next("p").get_text() == "A second paragraph."
    bibtex = body.find("h2", id="bibtex").find_next("pre").get_text()
    assert bibtex.startswith("@inproceedings{power2021,")  # EMNLP 2021: a conference; the key from papers.yaml
    assert "Brian Lester and Rami Al-Rfou and Noah Constant" in bibtex
    row = next(r for r in article(enriched_site.site, "papers/").select(".sl-paper") if "Parameter-Efficient" in r.get_text())
    details = row.select_one("details.abstract")
    assert details is not None and "We explore prompt tuning." in details.get_text()
    assert "Brian Lester, Rami Al-Rfou, Noah Constant · 2021" in row.get_text()


def test_text_from_arxiv_renders_inert(enriched_site: BuiltSite) -> None:
    site = enriched_site.site
    for path in (f"papers/{HOSTILE_PAPER}/", "papers/", "topics/prompt-tuning/", ""):
        whole = page(site, path)
        assert not [s for s in whole.find_all("script") if "__pwned" in (s.string or "")], path
        assert whole.find("iframe") is None and whole.find("img", onerror=True) is None, path
        body = article(site, path)
        assert "<script>window.__pwned = 1</script>" in body.get_text(), path  # shown as text
        assert body.find("script") is None, path
        assert body.find("iframe") is None, path
        assert not [tag for tag in body.find_all(True) if any(a.startswith("on") for a in tag.attrs)], path
        assert not [a for a in body.find_all("a") if a.get("href", "").lower().startswith("javascript")], path
    body = article(site, f"papers/{HOSTILE_PAPER}/")
    assert body.h1.get_text(strip=True).removesuffix("¶") == HOSTILE  # the whole title, as text
    assert body.select_one(".sl-authors").get_text() == f"{HOSTILE}, Ada"


def test_math_in_logs_renders_with_the_sites_own_katex(enriched_site: BuiltSite) -> None:
    site = enriched_site.site
    html = page(site, "logs/2021/09/13/day-30-math/")
    inline = [s.get_text() for s in html.select("article span.arithmatex")]
    assert inline == [r"\(\sigma(z)_i = \frac{e^{z_i}}{\sum_j e^{z_j}}\)", r"\(i < n\)"]
    block = html.select_one("article div.arithmatex").get_text()
    assert r"\lVert x \rVert = \sqrt{\sum_i x_i^2}" in block
    second = html.select("article div.arithmatex")[1].get_text()
    assert r"S = \{ x \mid \|x\| < 1 \} \\" in second  # \{ \}, \|, < and \\ reach KaTeX as written
    scripts = [s["src"] for s in html.find_all("script", src=True)]
    assert any(src.endswith("assets/katex/katex.min.js") for src in scripts)
    assert any(src.endswith("javascripts/math.js") for src in scripts)
    # Everything the page loads comes from the site itself (rel=canonical names the page, loads nothing).
    loaded = [link["href"] for link in html.find_all("link", href=True) if "canonical" not in link.get("rel", [])]
    external = [u for u in scripts + loaded if "//" in u]
    assert external == []
    assert (site / "assets" / "katex" / "fonts" / "KaTeX_Main-Regular.woff2").exists()


def test_the_plugin_replaces_stale_generated_pages_but_keeps_the_users(enriched_site: BuiltSite) -> None:
    stale = enriched_site.project / "docs" / "papers" / "deepquest.md"
    assert STALE_VENUE in stale.read_text(encoding="utf-8")  # on disk, written by `generate`, now stale
    built = article(enriched_site.site, "papers/deepquest/")
    assert STALE_VENUE not in built.get_text() and "COLING 2018" in built.get_text()
    topics = article(enriched_site.site, "topics/")
    assert topics.h1.get_text(strip=True).startswith("My own topics page")
    assert "Written by hand." in topics.get_text()
    assert (logging.INFO, "keeping your topics/index.md instead of the generated one") in enriched_site.ours()
    # Site assets come from the installed package: a copy an older Studylog left in docs/ gives way.
    packaged = next(a for a in site_assets() if a.path == "stylesheets/studylog.css")
    assert (enriched_site.project / "docs" / "stylesheets" / "studylog.css").read_text(encoding="utf-8") == STALE_CSS
    assert (enriched_site.site / "stylesheets" / "studylog.css").read_bytes() == packaged.data



def test_the_qa_page_offers_the_flashcards(shipped_site: BuiltSite) -> None:
    shipped = shipped_site.site
    body = article(shipped, "qa/")
    links = {a["href"]: a for a in body.select("a.sl-download")}
    assert set(links) == {"studylog-qa.apkg", "studylog-qa.txt"}
    assert all(a.has_attr("download") for a in links.values())
    deck = (shipped / "qa" / "studylog-qa.apkg").read_bytes()
    assert deck[:2] == b"PK"  # a zip, as Anki's .apkg is
    text = (shipped / "qa" / "studylog-qa.txt").read_text(encoding="utf-8")
    assert text.startswith("#separator:tab\n#html:true\n#guid column:1") and text.count("\n") == 5 + 3
