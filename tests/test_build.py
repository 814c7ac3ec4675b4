"""Build the shipped site for real and read its HTML: pages, backlinks, Q&A, search."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from generator.lock import ArxivRecord, save_lock

from .fidelity import ROOT, log_structure, skeleton
from .sitebuild import article, build_site, copy_project, page

LOG_URL = "logs/2021/09/09/day-28/"
SEED = ROOT / "docs" / "logs" / "posts" / "2021-09-09-day-28.md"


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("shipped"))
    return build_site(project, strict=True)


def test_home_counts_and_latest(shipped: Path) -> None:
    home = article(shipped, "")
    cells = [td.get_text(strip=True) for td in home.select(".sl-counts td")]
    headers = [th.get_text(strip=True) for th in home.select(".sl-counts th")]
    counts = dict(zip(headers, cells, strict=True))
    assert counts == {  # the shipped site speaks Korean (theme.language: ko)
        "논문": "15", "읽을 예정": "15", "읽는 중": "0", "읽음": "0",
        "자료": "3", "로그": "1", "질문": "3",
    }
    latest = home.find("h2", id="최근-로그").find_next("ul")
    assert latest.a["href"] == LOG_URL
    assert "2021. 9. 9." in latest.get_text()
    recent = home.find("h2", id="최근-추가한-논문").find_next("ul").find_all("a")
    assert len(recent) == 5 and all(a["href"].startswith("papers/") for a in recent)


def test_reading_list_groups_every_paper_by_topic(shipped: Path) -> None:
    body = article(shipped, "papers/")
    topics = [h2.get_text(strip=True).rstrip("¶") for h2 in body.find_all("h2")]
    assert topics[:3] == ["Open-Domain Question Answering", "Unsupervised Neural Machine Translation", "Text Style Transfer"]
    assert len(topics) == 10
    rows = body.select(".sl-paper")
    assert len(rows) == 15
    realm = next(r for r in rows if "REALM" in r.get_text())
    links = {a.get_text(): a["href"] for a in realm.find_all("a")}
    assert links["REALM: Retrieval-Augmented Language Model Pre-Training"] == "2002.08909/"
    assert links["arXiv"] == "https://arxiv.org/abs/2002.08909"
    assert links["PDF"] == "https://arxiv.org/pdf/2002.08909"
    assert "2020" in realm.get_text() and "읽을 예정" in realm.get_text()
    deepquest = next(r for r in rows if "deepQuest" in r.get_text())
    assert "Julia Ive, Frédéric Blain, Lucia Specia" in deepquest.get_text()
    # Resources sit under their topic.
    assert "Lilian Weng" in body.get_text()


def test_paper_page_without_lock_is_complete_from_yaml(shipped: Path) -> None:
    body = article(shipped, "papers/2002.08909/")
    assert body.h1.get_text(strip=True).startswith("REALM: Retrieval-Augmented Language Model Pre-Training")
    # Offline, one quiet line says where the rest comes from; no warning box.
    assert body.select_one(".admonition") is None
    note = body.select_one("p.sl-offline")
    assert note is not None and "python -m generator enrich" in note.get_text()
    rows = {tr.th.get_text(strip=True) if tr.th else tr.td.get_text(strip=True): tr for tr in body.select("table tr")}
    text = body.get_text(" ")
    assert "ICML 2020" in text and "2020" in text
    hrefs = [a["href"] for a in body.find_all("a", href=True)]  # the local graph's nodes link by xlink:href
    assert "https://arxiv.org/abs/2002.08909" in hrefs and "https://arxiv.org/pdf/2002.08909" in hrefs
    assert "../../topics/open-domain-qa/" in hrefs
    bib = body.select_one("code")
    assert bib is not None
    assert rows  # the metadata table is there
    bibtex = body.find("h2", id="bibtex").find_next("pre").get_text()
    assert bibtex.startswith("@misc{realm2020,")
    assert "eprint" in bibtex and "2002.08909" in bibtex


def test_paper_backlinks_to_the_log(shipped: Path) -> None:
    for path in ("papers/2002.08909/", "papers/deepquest/", "papers/2103.00020/"):
        body = article(shipped, path)
        section = body.find("h2", id="다룬-로그").find_next("ul")
        link = section.find("a")
        assert link["href"] == f"../../{LOG_URL}", path
        assert "28일차 학습정리" in link.get_text()
        assert "2021. 9. 9." in section.get_text()


def test_topic_page_lists_papers_and_logs(shipped: Path) -> None:
    body = article(shipped, "topics/quality-estimation/")
    titles = [a.get_text() for a in body.select(".sl-paper strong a")]
    assert titles == [
        "deepQuest: A Framework for Neural-based Quality Estimation",
        "TransQuest: Translation Quality Estimation with Cross-lingual Transformers",
        "BERTScore: Evaluating Text Generation with BERT",
    ]
    discussed = body.find("h2", id="다룬-로그").find_next("ul").a
    assert discussed["href"] == f"../../{LOG_URL}"
    index = article(shipped, "topics/")
    assert len(index.select("tbody tr")) == 10


def test_log_renders_at_an_ascii_url(shipped: Path) -> None:
    body = article(shipped, LOG_URL)
    assert [h1.get_text(strip=True) for h1 in body.select("h1")] == ["[Boostcamp AI Tech] 28일차 학습정리"]
    assert body.select_one("h1 + p.sl-subtitle").get_text(strip=True) == "Naver Boostcamp AI Tech Level1 Day28"
    boxes = body.select("li.task-list-item input[type=checkbox]")
    assert len(boxes) == 3 and all(box.has_attr("checked") for box in boxes)
    assert any("📝" in h3.get_text() for h3 in body.find_all("h3"))
    nested = body.find("a", string="REALM: Retrieval-Augmented Language Model Pre-Training")
    assert nested.find_parent("ul").find_parent("li") is not None  # a nested bullet
    assert page(shipped, LOG_URL).html["lang"] == "ko"
    # Read as kramdown reads it (generator.kramdown; tests/test_kramdown.py compares with kramdown).
    # (The theme writes the title as the page's one h1, above the body.)
    page_structure = skeleton(str(body))
    assert page_structure[0].kind == "h1"
    assert page_structure[1:] == log_structure(SEED) != log_structure(SEED, without=["generator.kramdown"])


def test_qa_page_links_to_exact_places(shipped: Path) -> None:
    body = article(shipped, "qa/")
    group = body.find("h2")
    assert "2021. 9. 9." in group.get_text() and "28일차" in group.get_text()
    questions = body.find_all("h3")
    assert [q.get_text(strip=True).rstrip("¶") for q in questions][0] == "Q. Word2Vec에서 꼭 원핫벡터를 사용해야하나요?"
    assert len(questions) == 3
    sources = [a["href"] for a in body.select("a.sl-qa-source")]
    assert sources == [f"../{LOG_URL}#qa-{n}" for n in (1, 2, 3)]
    assert "원핫벡터가 아니어도 괜찮다" in questions[0].find_next("ul").get_text()
    log = article(shipped, LOG_URL)
    for n, q in enumerate(questions, start=1):
        target = log.find(id=f"qa-{n}")
        assert target is not None
        question = q.get_text(strip=True).rstrip("¶").removeprefix("Q. ")
        assert question in target.find_parent("li").get_text()


def test_search_index_covers_papers_logs_and_qa(shipped: Path) -> None:
    index = json.loads((shipped / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = {doc["location"] for doc in index["docs"]}
    assert "papers/2002.08909/" in locations
    assert LOG_URL in locations
    assert "qa/" in locations
    qa_text = " ".join(doc["text"] + doc["title"] for doc in index["docs"] if doc["location"].startswith("qa/"))
    assert "원핫벡터" in qa_text
    # Punctuation separates words, so 트랜스포머(Transformer) yields both.
    assert "(" in index["config"]["separator"]


def test_unfetched_papers_are_one_informational_note(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="mkdocs")
    build_site(copy_project(tmp_path), strict=True)  # strict: a note is not a warning
    ours = [r for r in caplog.records if r.name == "mkdocs.plugins.generator.plugin"]
    assert [r.levelno for r in ours if r.levelno >= logging.WARNING] == []
    notes = [r.getMessage() for r in ours if "without metadata" in r.getMessage()]
    assert len(notes) == 1
    assert "14 arXiv papers" in notes[0] and "python -m generator enrich" in notes[0]


def _record(**changes: object) -> ArxivRecord:
    values = dict(
        id="2104.08691",
        version=2,
        title="Title From The Lock",
        authors=("Brian Lester", "Rami Al-Rfou", "Noah Constant"),
        abstract="We explore prompt tuning.\n\nA second paragraph.",
        published="2021-04-18T17:36:29Z",
        updated="2021-09-02T17:20:50Z",
        primary_category="cs.CL",
        categories=("cs.CL", "cs.LG"),
        doi=None,
        journal_ref=None,
        comment="Accepted to EMNLP 2021",
        fetched="2026-11-24T00:00:00Z",
    )
    values.update(changes)
    return ArxivRecord(**values)  # type: ignore[arg-type]


def test_lock_metadata_fills_the_page_and_yaml_wins(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    save_lock(project / "papers.lock.json", {"2104.08691": _record()})
    site = build_site(project)
    body = article(site, "papers/2104.08691/")
    assert body.h1.get_text(strip=True).startswith("The Power of Scale for Parameter-Efficient Prompt Tuning")
    assert "Title From The Lock" not in body.get_text()
    assert body.select_one(".sl-authors").get_text() == "Brian Lester, Rami Al-Rfou, Noah Constant"
    text = body.get_text(" ")
    assert "2021. 4. 18. (v1)" in text and "2021. 9. 2. 갱신 (v2)" in text
    assert "cs.CL" in text and "(주 분류)" in text and "Accepted to EMNLP 2021" in text
    assert body.select_one("p.sl-offline") is None  # fetched: no offline line
    abstract = body.find("h2", id="초록")
    assert abstract.find_next("p").get_text() == "We explore prompt tuning."
    bibtex = body.find("h2", id="bibtex").find_next("pre").get_text()
    assert bibtex.startswith("@misc{lester2021power,")
    assert "Brian Lester and Rami Al-Rfou and Noah Constant" in bibtex
    row = next(r for r in article(site, "papers/").select(".sl-paper") if "Parameter-Efficient" in r.get_text())
    details = row.select_one("details.abstract")
    assert details is not None and "We explore prompt tuning." in details.get_text()


HOSTILE = '<script>alert("t")</script><img src=x onerror=alert(1)><iframe src="https://evil.example"></iframe> [click](javascript:alert(1)) <a href="javascript:alert(2)">x</a>'


def test_text_from_arxiv_renders_inert(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    record = _record(title=HOSTILE, authors=(HOSTILE, "Ada"), abstract=HOSTILE, comment=HOSTILE, journal_ref=HOSTILE)
    save_lock(project / "papers.lock.json", {"2104.08691": record})
    (project / "papers.yaml").write_text(
        (project / "papers.yaml").read_text(encoding="utf-8").replace(
            "    title: The Power of Scale for Parameter-Efficient Prompt Tuning\n", ""
        ),
        encoding="utf-8",
    )
    site = build_site(project)
    for path in ("papers/2104.08691/", "papers/", "topics/prompt-tuning/", ""):
        whole = page(site, path)
        assert not [s for s in whole.find_all("script") if "alert" in (s.string or "")], path
        assert whole.find("iframe") is None and whole.find("img", onerror=True) is None, path
        body = article(site, path)
        assert body.find("script") is None, path
        assert body.find("iframe") is None, path
        assert not [tag for tag in body.find_all(True) if any(a.startswith("on") for a in tag.attrs)], path
        assert not [a for a in body.find_all("a") if a.get("href", "").lower().startswith("javascript")], path
    body = article(site, "papers/2104.08691/")
    assert '<script>alert("t")</script>' in body.h1.get_text()  # shown as text, not run


MATH_LOG = r"""---
title: Day 30 math
date: 2021-09-13
categories: [Boostcamp-AI-Tech]
---

# Softmax

The softmax is $\sigma(z)_i = \frac{e^{z_i}}{\sum_j e^{z_j}}$ for $i < n$.

$$
\lVert x \rVert = \sqrt{\sum_i x_i^2}
$$

$$
S = \{ x \mid \|x\| < 1 \} \\
T = \{ y \}
$$
"""


def test_math_in_logs_renders_with_the_sites_own_katex(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    (project / "docs" / "logs" / "posts" / "2021-09-13-day-30.md").write_text(MATH_LOG, encoding="utf-8")
    site = build_site(project)
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


def test_the_site_publishes_the_catalogue_schema(shipped: Path) -> None:
    published = json.loads((shipped / "papers.schema.json").read_text(encoding="utf-8"))
    assert published["title"] == "Studylog catalogue (papers.yaml)"
    assert "arxiv" in published["$defs"]["paper"]["properties"]


def test_tags_and_blog_views(shipped: Path) -> None:
    tags = article(shipped, "tags/").get_text()
    assert "NLP" in tags and "6주차" in tags
    category = shipped / "logs" / "category" / "boostcamp-ai-tech" / "index.html"
    assert category.exists()
    archive = shipped / "logs" / "archive" / "2021" / "index.html"
    assert archive.exists()


def test_the_qa_page_offers_the_flashcards(shipped: Path) -> None:
    body = article(shipped, "qa/")
    links = {a["href"]: a for a in body.select("a.sl-download")}
    assert set(links) == {"studylog-qa.apkg", "studylog-qa.txt"}
    assert all(a.has_attr("download") for a in links.values())
    deck = (shipped / "qa" / "studylog-qa.apkg").read_bytes()
    assert deck[:2] == b"PK"  # a zip, as Anki's .apkg is
    text = (shipped / "qa" / "studylog-qa.txt").read_text(encoding="utf-8")
    assert text.startswith("#separator:tab\n#html:true\n#guid column:1") and text.count("\n") == 5 + 3
