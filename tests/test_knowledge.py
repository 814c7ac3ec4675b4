"""What the site knows beyond links: backlinks with their context, related papers, logs that name a paper."""

from __future__ import annotations

import random
import shutil
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from generator import pages, related
from generator.catalogue import Catalogue, load_catalogue
from generator.lock import CitationRecord, Lock
from generator.logs import read_log, read_logs
from generator.mentions import mentions, name_like
from generator.model import Site, SiteInfo, build_site
from generator.pages import quote_log, render_pages
from generator.passages import ELLIPSIS, passages, snippet
from generator.qa import parser

from .sitebuild import ROOT, article, copy_project
from .sitebuild import build_site as mkdocs_build

FIXTURE = Path(__file__).parent / "fixtures" / "knowledge"
LABELS = yaml.safe_load((FIXTURE / "labels.yaml").read_text(encoding="utf-8"))


def fixture_site(folder: str = "logs") -> Site:
    return build_site(load_catalogue(FIXTURE / "papers.yaml"), Lock(), read_logs(FIXTURE, folder))


def shown(pieces: tuple) -> str:  # type: ignore[type-arg]
    """A snippet as text: marked parts in [[ ]], code in ` `."""
    return "".join(f"[[{p.text}]]" if p.marked else f"`{p.text}`" if p.code else p.text for p in pieces)


def links_of(body: str) -> list[tuple[str, str]]:
    found = passages(parser().parse(body), 0)
    return [
        (run.href or "", shown(snippet(found, i, a, b)))
        for i, p in enumerate(found) for a, b, run in p.spans() if run.href
    ]


# -- backlinks with context ----------------------------------------------------------------


def test_a_backlink_quotes_the_bullet_and_the_bullet_above_a_bare_link() -> None:
    seed = ROOT / "docs" / "logs" / "posts" / "2021-09-09-day-28.md"
    log = read_log(seed, ROOT / "docs")
    realm = next(link for link in log.links if link.arxiv and link.arxiv.base == "2002.08909")
    pieces = snippet(log.passages, realm.passage, realm.start, realm.end)
    assert shown(pieces) == "Open-Domain Question Answering System › [[REALM: Retrieval-Augmented Language Model Pre-Training]]"


def test_a_backlink_quotes_its_sentence_and_cuts_a_long_bullet_around_the_link() -> None:
    body = (
        "첫 문장이다. 오늘 [BERT](https://arxiv.org/abs/1810.04805)를 `from_pretrained`로 불러왔다. 마지막 문장.\n\n"
        "* " + " ".join(f"앞{i}" for i in range(80)) + " [REALM](https://arxiv.org/abs/2002.08909) "
        + " ".join(f"뒤{i}" for i in range(80)) + "\n"
    )
    (_, sentence), (_, long) = links_of(body)
    assert sentence == "오늘 [[BERT]]를 `from_pretrained`로 불러왔다."
    assert long.startswith(ELLIPSIS) and long.endswith(ELLIPSIS)
    assert "[[REALM]]" in long and "앞79 [[REALM]] 뒤0" in long
    assert "앞0 " not in long and " 뒤79" not in long
    assert len(long) <= 170


def test_code_blocks_are_never_passages_and_a_link_in_one_is_no_backlink() -> None:
    body = "```\n[in code](https://arxiv.org/abs/1706.03762)\n```\n\n    arXiv:1810.04805 indented code\n\n글 `arXiv:2002.08909` 코드 스팬\n"
    found = passages(parser().parse(body), 0)
    assert [p.text for p in found] == ["글 arXiv:2002.08909 코드 스팬"]
    assert links_of(body) == []


def test_a_quote_is_inert_markdown_with_code_kept_as_code() -> None:
    log = read_log(FIXTURE / "hostile.md", FIXTURE)
    link = next(link for link in log.links if link.arxiv)
    said = quote_log(log, link.passage, link.start, link.end)
    assert "<script>" not in said and "alert&#40;1&#41;" in said  # raw HTML is markup, not what the log says
    assert "`<b>code</b>`" in said  # inline code stays a code span, which Markdown escapes itself
    assert "<mark>REALM paper</mark>" in said
    assert "&#36;x&#36;" in said and "&#91;" in said  # math and brackets are text
    assert quote_log(log, 99, 0, 1) == ""


# -- related papers --------------------------------------------------------------------------


def test_related_papers_are_the_similar_ones_with_the_terms_that_explain_them() -> None:
    site = fixture_site()
    found = related.related_papers(site.entries)
    titles = {key: [r.entry.key for r in rs] for key, rs in found.items()}
    assert titles["2011.01536"][0] == "deepquest"  # quality estimation
    assert titles["1907.11692"][0] == "1810.04805"  # RoBERTa: BERT
    assert titles["1301.3781"] == ["1802.05365"]  # word2vec: ELMo, word representations
    assert titles["1409.3215"][:2] == ["1409.0473", "1706.03762"]  # seq2seq: attention, the Transformer
    trans = {r.entry.key: r for r in found["2011.01536"]}
    assert trans["deepquest"].terms[0] == "quality estimation"
    # A paper with a title and nothing else still finds what its title shares.
    assert titles["deepquest"][0] == "2011.01536"
    # Unrelated papers are not listed, however short the list.
    assert "1301.3781" not in titles["2104.04473"] and "2104.04473" not in titles["1301.3781"]
    for rs in found.values():
        assert len(rs) <= related.LIMIT
        assert all(r.similarity >= related.MIN_SIMILARITY for r in rs)
        assert [r.similarity for r in rs] == sorted((r.similarity for r in rs), reverse=True)


def test_related_papers_are_the_same_whatever_the_order_and_the_block_size(monkeypatch: pytest.MonkeyPatch) -> None:
    site = fixture_site()
    first = related.related_papers(site.entries)
    shuffled = list(site.entries)
    random.Random(4).shuffle(shuffled)
    monkeypatch.setattr(related, "BLOCK", 3)
    again = related.related_papers(shuffled)

    def plain(found: dict) -> dict:  # type: ignore[type-arg]
        return {k: [(r.entry.key, r.similarity, r.terms) for r in v] for k, v in found.items()}

    assert plain(again) == plain(first)


def test_related_papers_are_found_again_only_when_a_papers_text_changes() -> None:
    """Under serve, a save that leaves every paper's text alone finds no neighbours again; the pages
    still get the entries of this build (a status just changed shows)."""
    from dataclasses import replace

    site = fixture_site()
    first = related.related_papers(site.entries)
    misses = related._NEIGHBOURS.misses
    entries = [replace(e, paper=replace(e.paper, status="read")) for e in site.entries]
    again = related.related_papers(entries)
    assert related._NEIGHBOURS.misses == misses
    assert {k: [(r.entry.key, r.similarity) for r in v] for k, v in again.items()} == \
        {k: [(r.entry.key, r.similarity) for r in v] for k, v in first.items()}
    assert all(r.entry.paper.status == "read" for rs in again.values() for r in rs)
    edited = [replace(entries[0], paper=replace(entries[0].paper, notes="quality estimation"))] + entries[1:]
    terms_read = related._TERMS.misses
    found = related.related_papers(edited)
    assert related._NEIGHBOURS.misses == misses + 1
    assert related._TERMS.misses == terms_read + 1  # the edited paper's words alone are read again
    related._NEIGHBOURS.clear()
    related._TERMS.clear()
    assert related.related_papers(edited) == found  # what a fresh reading finds


def test_ties_go_to_the_smaller_key() -> None:
    catalogue = FIXTURE.parent / "knowledge-ties.yaml"
    site = build_site(load_catalogue(catalogue), Lock(), ())
    found = related.related_papers(site.entries)
    assert [r.entry.key for r in found["a"]] == ["b", "c"]  # b and c are the same text
    assert found["d"] == ()  # no word the others have


# -- logs that name a paper without linking it ------------------------------------------------


def measure(group: str, folder: str) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    site = fixture_site(folder)
    found = mentions(site)
    predicted = {(m.log.path.name, key) for key, ms in found.items() for m in ms}
    truth = {(log, key) for log, keys in LABELS[group].items() for key in keys}
    return predicted, truth


@pytest.mark.parametrize(("group", "folder"), [("tuned", "logs"), ("held-out", "held-out"), ("held-out-2", "held-out-2")])
def test_logs_that_name_a_paper_are_found_with_a_precision_of_at_least_0_9(group: str, folder: str) -> None:
    predicted, truth = measure(group, folder)
    assert {name for name, _ in truth} <= {p.name for p in (FIXTURE / folder).glob("*.md")}
    right = predicted & truth
    precision = len(right) / len(predicted)
    recall = len(right) / len(truth)
    assert precision >= 0.9, sorted(predicted - truth)
    assert recall >= 0.6, sorted(truth - predicted)


def test_a_log_that_links_the_paper_is_not_suggested_and_names_in_code_do_not_count() -> None:
    site = fixture_site()
    bert = {m.log.path.name for m in mentions(site).get("1810.04805", ())}
    assert "2021-08-27-linked-bert.md" not in bert  # links BERT, and names it in three passages
    assert "2021-08-25-code.md" not in bert  # BERT four times in code, once in passing
    assert {"2021-08-02-bert-review.md", "2021-08-12-bert-finetune.md", "2021-08-13-bert-korean.md"} <= bert


def test_hangul_names_are_learnt_from_glosses_and_matched_through_particles() -> None:
    site = fixture_site()
    korean = next(m for m in mentions(site)["1810.04805"] if m.log.path.name == "2021-08-13-bert-korean.md")
    text = korean.log.passages[korean.passage].text
    assert text[korean.start : korean.end] == "버트"
    # Without the log that glosses 버트(BERT), 버트 names nothing.
    logs = tuple(log for log in site.logs if log.path.name != "2021-08-12-bert-finetune.md")
    alone = build_site(site.catalogue, Lock(), logs)
    assert "2021-08-13-bert-korean.md" not in {m.log.path.name for m in mentions(alone).get("1810.04805", ())}


def test_logs_and_names_are_read_again_only_when_they_change_and_the_mentions_stay_fresh(tmp_path: Path) -> None:
    """Under serve, a save reads again only the logs it changed (all of them when the names change: a
    paper's title, a gloss in another log); what is found is each time what a fresh reading finds."""
    from generator import mentions as module

    kept = (module._CATALOGUES, module._GLOSSED, module._HITS)

    def found(site: Site) -> tuple[dict[str, tuple[object, ...]], int]:
        misses = module._HITS.misses
        again = mentions(site)
        read = module._HITS.misses - misses
        for memo in kept:
            memo.clear()
        assert again == mentions(site)  # what a fresh reading finds
        mentions(site)  # and the memos as a build leaves them
        return again, read

    site = fixture_site()
    logs = len(site.logs)
    assert found(site)[1] == logs  # the memos were empty
    assert found(site)[1] == 0  # the same site: no log read again
    # A log's text: that log alone is read again, and what it says now counts.
    review = next(log for log in site.logs if log.path.name == "2021-08-02-bert-review.md")
    silent = replace(review, passages=passages(parser().parse("오늘은 쉬었다.\n"), 0))
    edited = build_site(site.catalogue, Lock(), tuple(silent if log is review else log for log in site.logs))
    after, read = found(edited)
    assert read == 1
    assert "2021-08-02-bert-review.md" not in {m.log.path.name for m in after.get("1810.04805", ())}
    # The log that glosses 버트(BERT) no longer does: the aliases change, so every log is read again.
    logs_left = tuple(replace(log, passages=passages(parser().parse("BERT를 다시 봤다.\n"), 0))
                      if log.path.name == "2021-08-12-bert-finetune.md" else log for log in edited.logs)
    after, read = found(build_site(site.catalogue, Lock(), logs_left))
    assert read == logs
    assert "2021-08-13-bert-korean.md" not in {m.log.path.name for m in after.get("1810.04805", ())}
    # A paper's title: the names change, every log is read again.
    text = (FIXTURE / "papers.yaml").read_text(encoding="utf-8")
    assert "Attention Is All You Need" in text
    (tmp_path / "papers.yaml").write_text(text.replace("Attention Is All You Need", "Attention Is Everything"),
                                          encoding="utf-8")
    renamed = build_site(load_catalogue(tmp_path / "papers.yaml"), Lock(), site.logs)
    assert found(renamed)[1] == logs
    # Notes on a paper: the names are the same, nothing is read again.
    renamed_text = (tmp_path / "papers.yaml").read_text(encoding="utf-8")
    noted = renamed_text.replace("    year: 2017\n", "    year: 2017\n    notes: Attention, BERT and more\n", 1)
    assert noted != renamed_text
    (tmp_path / "papers.yaml").write_text(noted, encoding="utf-8")
    assert found(build_site(load_catalogue(tmp_path / "papers.yaml"), Lock(), site.logs))[1] == 0


def test_what_looks_like_a_name() -> None:
    assert [w for w in ("BERTScore", "Megatron-LM", "GPT-3", "T5", "deepQuest", "P-tuning") if name_like(w)] == [
        "BERTScore", "Megatron-LM", "GPT-3", "T5", "deepQuest", "P-tuning"]
    assert [w for w in ("Zero-Shot", "Text-to-Image", "GPU", "Transformer", "Cross-lingual") if name_like(w)] == []
    assert name_like("BERT", acronyms=True)


# -- the paper page ---------------------------------------------------------------------------


def test_the_paper_page_quotes_its_logs_suggests_the_others_and_lists_related_papers() -> None:
    site = fixture_site()
    page = {p.path: p.content for p in render_pages(site)}["papers/1810.04805.md"]
    discussed = page[page.index("## Discussed in") : page.index("### Named without a link")]
    assert "<mark>BERT</mark>" in discussed and "day-30" not in discussed  # quoted, linked by file
    assert "2021-08-27-linked-bert.md" in discussed
    named = page[page.index("### Named without a link") : page.index("## Related papers")]
    assert "2021-08-02-bert-review.md" in named and "<mark>" in named
    assert "2021-08-27-linked-bert.md" not in named
    listed = page[page.index("## Related papers") : page.index("## BibTeX")]
    assert "(1907.11692.md)" in listed and 'class="sl-terms"' in listed


def test_the_built_paper_page_shows_the_quote_inert(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    (project / "docs" / "logs" / "posts" / "2021-09-10-hostile.md").write_text(
        (FIXTURE / "hostile.md").read_text(encoding="utf-8"), encoding="utf-8")
    site_dir = mkdocs_build(project, strict=True)
    body = article(site_dir, "papers/2002.08909/")
    quotes = body.select(".sl-quote")
    hostile = next(q for q in quotes if "alert(1)" in q.get_text())
    assert hostile.find("script") is None and hostile.find("b") is None
    assert hostile.mark.get_text() == "REALM paper"  # emphasis is markup: its text is kept
    assert hostile.code.get_text() == "<b>code</b>"
    assert "$x$ [1]" in hostile.get_text() and "{: .x }" in hostile.get_text()
    assert body.find("h2", id="관련-논문") is not None
    related_links = [a["href"] for a in body.find("h2", id="관련-논문").find_next("ul").find_all("a")]
    assert "../1912.13283/" in related_links  # oLMpics: "language model pre-training", as REALM


# -- a paper's or topic's page, or the reading list, is made again only when what it shows changes ------


def _with_paper(catalogue: Catalogue, key: str, **changes: object) -> Catalogue:
    return replace(catalogue, papers=tuple(replace(p, **changes) if p.key == key else p for p in catalogue.papers))


def _edit_log(logs: Path, name: str, old: str, new: str) -> None:
    path = logs / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


BERT, ATTENTION = "1810.04805", "1706.03762"
PAPER_PAGE_EDITS: dict[str, Callable[[Catalogue, Lock, Path], tuple[Catalogue, Lock, SiteInfo]]] = {
    "its status": lambda c, lock, logs: (_with_paper(c, BERT, status="read"), lock, SiteInfo()),
    "its topic's title": lambda c, lock, logs: (replace(c, topics=tuple(
        replace(t, title="Pretrained LMs") if t.id == "pretraining" else t for t in c.topics)), lock, SiteInfo()),
    "a related paper's title": lambda c, lock, logs: (_with_paper(c, ATTENTION, title="Attention, Retitled"), lock,
                                                      SiteInfo()),
    "which papers cite it": lambda c, lock, logs: (c, replace(lock, citations={
        k: replace(r, references=()) if k == f"ARXIV:{BERT}" else r for k, r in lock.citations.items()}), SiteInfo()),
    "the text around a link to it": lambda c, lock, logs: (
        _edit_log(logs, "2021-08-27-linked-bert.md", "다시 보기", "한 번 더 보기"), c, lock, SiteInfo())[1:],
    "the title of a log that links it": lambda c, lock, logs: (
        _edit_log(logs, "2021-08-27-linked-bert.md", "30일차 학습정리", "30일차"), c, lock, SiteInfo())[1:],
    "a log that names it": lambda c, lock, logs: (
        _edit_log(logs, "2021-08-13-bert-korean.md", "버트는 문장 쌍을", "버트는 두 문장을"), c, lock, SiteInfo())[1:],
    "another paper's citation key": lambda c, lock, logs: (replace(c, papers=(*c.papers, replace(
        next(p for p in c.papers if p.key == ATTENTION), arxiv=None, key="vaswani-again", position=99, title="Another Vaswani", bibtex_key="vaswani2017attention",
        abstract="Unrelated words entirely.", topics=()))), lock, SiteInfo()),
    "the site's language": lambda c, lock, logs: (c, lock, SiteInfo(language="ko")),
}


def test_a_save_of_a_log_away_from_its_links_keeps_the_reading_list_and_the_topic_pages(tmp_path: Path) -> None:
    """A line added to a log that links papers: the log's text changes, what the lists show of it does not."""
    shutil.copytree(FIXTURE / "logs", tmp_path / "logs")
    catalogue = load_catalogue(FIXTURE / "papers.yaml")

    def lists() -> dict[str, str]:
        site = build_site(catalogue, Lock(), read_logs(tmp_path, "logs"))
        return {p.path: str(p.content) for p in render_pages(site, SiteInfo())
                if p.path == "papers/index.md" or p.path.startswith("topics/") and p.path != "topics/index.md"}

    before = lists()
    linked = tmp_path / "logs" / "2021-08-27-linked-bert.md"
    linked.write_text(linked.read_text(encoding="utf-8") + "\n오늘은 여기까지.\n", encoding="utf-8")
    misses = pages._KEPT_PAGES.misses
    kept = lists()
    assert pages._KEPT_PAGES.misses == misses + 1  # the page of BERT, which names the log's passages, alone
    pages._KEPT_PAGES.clear()
    assert kept == lists() == before


@pytest.mark.parametrize(("edit", "graphs"), [
    *((edit, True) for edit in PAPER_PAGE_EDITS),
    # Without local graphs, which show topics' titles, citations and the site's language too.
    *((edit, False) for edit in ("its topic's title", "which papers cite it", "the site's language",
                                 "the title of a log that links it", "the text around a link to it")),
])
def test_a_kept_page_is_made_again_when_anything_it_shows_changes(
        tmp_path: Path, edit: str, graphs: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    if not graphs:
        monkeypatch.setattr(pages.graph, "local_map", lambda *args, **kwargs: None)
    shutil.copytree(FIXTURE / "logs", tmp_path / "logs")
    catalogue = load_catalogue(FIXTURE / "papers.yaml")
    scholar = {BERT: 2, ATTENTION: 1}
    lock = Lock(citations={f"ARXIV:{arxiv}": CitationRecord(
        id=f"ARXIV:{arxiv}", paper_id=f"p{n}", corpus_id=n, venue=None, publication_venue=None, venue_type=None,
        year=2018, citation_count=n, external_ids=(), references=(1,) if arxiv == BERT else (),
        fetched="2026-11-01T00:00:00Z") for arxiv, n in scholar.items()})

    def paper_pages(catalogue: Catalogue, lock: Lock, info: SiteInfo) -> dict[str, str]:
        site = build_site(catalogue, lock, read_logs(tmp_path, "logs"))
        return {p.path: str(p.content) for p in render_pages(site, info) if p.path.startswith(("papers/", "topics/"))
                and p.path != "topics/index.md"}  # the papers', topics' pages and the reading list (papers/index.md)

    before = paper_pages(catalogue, lock, SiteInfo())
    hits = pages._KEPT_PAGES.hits
    assert paper_pages(catalogue, lock, SiteInfo()) == before
    assert pages._KEPT_PAGES.hits == hits + len(before)  # nothing changed: every page was the one kept
    changed = PAPER_PAGE_EDITS[edit](catalogue, lock, tmp_path / "logs")
    kept = paper_pages(*changed)
    pages._KEPT_PAGES.clear()
    fresh = paper_pages(*changed)
    assert kept == fresh
    assert fresh[f"papers/{BERT}.md"] != before[f"papers/{BERT}.md"] or \
        fresh[f"papers/{ATTENTION}.md"] != before[f"papers/{ATTENTION}.md"]
