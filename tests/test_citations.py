"""Citations from Semantic Scholar: `enrich --citations` against a local stand-in of the Graph API
(tests/s2_server.py), the lock's `citations` section, the model's links between papers, the pages.

Every fault ends the same way: the lock is valid JSON that read_lock reads, and a rerun completes it.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from generator.catalogue import parse_catalogue
from generator.cli import main
from generator.enrich import EnrichReport, run_citations, run_enrich
from generator.errors import StudylogError
from generator.graph import paper_relations, site_graph
from generator.ids import ArxivId
from generator.layout import Layout
from generator.lock import CitationRecord, Lock, load_lock, read_lock, save_lock
from generator.model import build_site
from generator.pages import render_site
from generator.semantic_scholar import FIELDS, ScholarSettings, ScholarSource, record_from_json

from .arxiv_server import ArxivStandIn, arxiv_server_fixture, fake_paper, fake_papers  # noqa: F401
from .s2_server import (  # noqa: F401
    FakeScholarPaper,
    Fault,
    ScholarStandIn,
    corpus_of,
    fake_scholar_paper,
    fake_scholar_papers,
    s2_id,
    s2_server_fixture,
)
from .sitebuild import article, copy_project
from .sitebuild import build_site as build_real_site

FIXTURES = Path(__file__).parent / "fixtures" / "s2"
ISO = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")


def lookups(papers: list[FakeScholarPaper]) -> list[str]:
    return [f"ARXIV:{p.external_ids['ArXiv']}" for p in papers]


def cite(ids: list[str], lock: Path, **kwargs: Any) -> EnrichReport:
    kwargs.setdefault("out", io.StringIO())
    return run_citations(ids, lock, **kwargs)


def expected(paper: FakeScholarPaper, asked: str) -> CitationRecord:
    """What the lock should say about ``paper``, ``fetched`` aside."""
    venue = paper.publication_venue or {}
    return CitationRecord(
        id=asked,
        paper_id=paper.paper_id,
        corpus_id=corpus_of(paper.paper_id),
        venue=paper.venue or None,
        publication_venue=venue.get("name"),
        venue_type=venue.get("type"),
        year=paper.year,
        citation_count=paper.citation_count,
        external_ids=tuple(sorted((k, str(v)) for k, v in paper.external_ids.items())),
        references=tuple(sorted({corpus_of(r) for r in paper.references if r})),
        fetched="",
    )


def valid_lock(lock: Path) -> Lock:
    """The lock is whole JSON and read_lock reads it (no lock yet is an empty one)."""
    if lock.exists():
        json.loads(lock.read_text(encoding="utf-8"))
    return read_lock(lock)


def assert_complete_after_rerun(ids: list[str], lock: Path, server: ScholarStandIn) -> None:
    valid_lock(lock)
    report = cite(ids, lock)
    assert not report.failed and not report.missing, report.summary()
    records = valid_lock(lock).citations
    assert set(records) == set(ids)
    for asked in ids:
        assert replace(records[asked], fetched="") == expected(server.index[asked], asked)


# The normal runs


def test_cold_run_asks_the_batch_endpoint_and_writes_every_field(s2_server: ScholarStandIn, tmp_path: Path) -> None:
    papers = fake_scholar_papers(5)
    s2_server.add(*papers)
    ids = lookups(papers)
    lock = tmp_path / "papers.lock.json"
    before = datetime.now(UTC).replace(microsecond=0)
    report = cite(ids, lock)
    assert report.fetched == tuple(ids) == report.changed
    assert (report.missing, report.failed, report.requests) == ((), (), 1)
    assert report.summary() == "citations: 5 fetched, 0 unchanged, 0 missing, 0 failed (1 request to Semantic Scholar)"
    (request,) = s2_server.requests
    assert (request.method, request.path, request.fields, request.ids) == ("POST", "/graph/v1/paper/batch", FIELDS, tuple(ids))
    assert request.content_type == "application/json" and request.api_key is None
    assert request.user_agent.startswith("studylog/")
    records = valid_lock(lock).citations
    # One record spelled out: a conference, every external ID as text, references sorted, once each,
    # without the two the API could not resolve, the papers it cites in the catalogue among them.
    third = records["ARXIV:1703.10002"]
    assert third.venue == third.publication_venue == "Transactions of the Association for Computational Linguistics"
    assert (third.venue_type, third.year, third.citation_count) == ("journal", 2017, 15838)
    assert third.external_ids == (("ArXiv", "1703.10002"), ("CorpusId", str(third.corpus_id)),
                                  ("DBLP", "journals/corr/abs-1703.10002"), ("MAG", "3000000002"))
    assert third.corpus_id == corpus_of(papers[2].paper_id)
    cited = {corpus_of(papers[0].paper_id), corpus_of(papers[1].paper_id)}
    assert len(third.references) == 47 and cited <= set(third.references)
    assert list(third.references) == sorted(third.references)
    assert records["ARXIV:1602.10001"].external_id("ACL") == "2021.fake-main.1"
    assert records["ARXIV:1501.10000"].venue_type == "conference"
    arxiv_only = records["ARXIV:1804.10003"]  # arXiv.org: a publication venue of no kind
    assert (arxiv_only.venue, arxiv_only.venue_type) == ("arXiv.org", None)
    assert records["ARXIV:1905.10004"].venue is None  # the API's "" is no venue
    for asked, paper in zip(ids, papers, strict=True):
        record = records[asked]
        assert replace(record, fetched="") == expected(paper, asked)
        assert ISO.fullmatch(record.fetched) and before <= datetime.fromisoformat(record.fetched)
    data = json.loads(lock.read_text(encoding="utf-8"))
    assert data["format"] == 2 and list(data["citations"]) == sorted(data["citations"])
    assert data["papers"] == {}


def test_a_documented_answer_is_read_field_by_field(s2_server: ScholarStandIn, tmp_path: Path) -> None:
    """tests/fixtures/s2/batch-documented.json: an answer in the shapes of the API documentation's
    examples (a conference paper, a journal article, a paper with nulls and "", an unknown ID)."""
    ids = ["DOI:10.18653/v1/2020.acl-main.447", "ARXIV:2106.15928", "ACL:N18-3011", "ACL:X99-9999"]
    s2_server.replay = {",".join(ids): (200, (FIXTURES / "batch-documented.json").read_bytes())}
    lock = tmp_path / "papers.lock.json"
    report = cite(ids, lock)
    assert report.fetched == tuple(ids[:3]) and report.missing == ("ACL:X99-9999",)
    records = valid_lock(lock).citations
    assert replace(records[ids[0]], fetched="") == CitationRecord(
        id=ids[0],
        paper_id="5c5751d45e298cea054f32b392c12c61027d2fe7",
        corpus_id=215416146,
        venue="Annual Meeting of the Association for Computational Linguistics",
        publication_venue="Annual Meeting of the Association for Computational Linguistics",
        venue_type="conference",
        year=2020,
        citation_count=453,
        external_ids=(("ACL", "2020.acl-main.447"), ("CorpusId", "215416146"), ("DBLP", "conf/acl/LoWNKW20"),
                      ("DOI", "10.18653/V1/2020.ACL-MAIN.447"), ("MAG", "3015453090")),
        references=(2216341, 19170988, 235669875),  # once each, sorted, without the one it could not resolve
        fetched="",
    )
    assert (records[ids[1]].venue, records[ids[1]].venue_type) == ("Epidemics", "journal")
    empty = records[ids[2]]
    assert (empty.venue, empty.publication_venue, empty.year, empty.references) == (None, None, None, ())
    assert empty.corpus_id == 19170988  # from externalIds when corpusId is null
    assert "missing (Semantic Scholar does not know them; they are asked for again next time): ACL:X99-9999" in (
        report.summary())


def test_more_than_100_papers_go_in_batches_of_100(s2_server: ScholarStandIn, tmp_path: Path) -> None:
    papers = fake_scholar_papers(250)
    s2_server.add(*papers)
    ids = lookups(papers)
    out = io.StringIO()
    report = cite(ids, tmp_path / "papers.lock.json", out=out)
    assert len(report.fetched) == 250 and report.requests == 3
    assert [len(r.ids or ()) for r in s2_server.requests] == [100, 100, 50]
    assert s2_server.requested_ids == ids
    assert out.getvalue().splitlines() == [
        "batch 1/3: 100 IDs, 100 fetched, 0 missing",
        "batch 2/3: 100 IDs, 100 fetched, 0 missing",
        "batch 3/3: 50 IDs, 50 fetched, 0 missing",
    ]


def test_a_warm_rerun_sends_no_request_and_refresh_and_max_age_refetch(s2_server: ScholarStandIn,
                                                                         tmp_path: Path) -> None:
    papers = fake_scholar_papers(3)
    s2_server.add(*papers)
    ids = lookups(papers)
    lock = tmp_path / "papers.lock.json"
    cite(ids, lock)
    text = lock.read_text(encoding="utf-8")
    report = cite(ids, lock)
    assert len(s2_server.requests) == 1 and report.requests == 0 and report.unchanged == tuple(ids)
    assert lock.read_text(encoding="utf-8") == text
    # The count grows: --refresh fetches it.
    s2_server.add(replace(papers[1], citation_count=papers[1].citation_count + 10))
    report = cite(ids, lock, refresh=True)
    assert report.fetched == tuple(ids) and report.changed == (ids[1],) and report.requests == 1
    assert valid_lock(lock).citations[ids[1]].citation_count == papers[1].citation_count + 10
    # --max-age: only the record fetched long ago.
    old = read_lock(lock)
    old.citations[ids[2]] = replace(old.citations[ids[2]], fetched="2020-01-01T00:00:00Z")
    save_lock(lock, old)
    report = cite(ids, lock, max_age_days=30)
    assert report.fetched == (ids[2],) and s2_server.requested_ids[-1:] == [ids[2]]


def test_an_unknown_id_is_reported_and_nothing_is_deleted(s2_server: ScholarStandIn, tmp_path: Path) -> None:
    papers = fake_scholar_papers(3)
    s2_server.add(*papers)
    ids = lookups(papers)
    lock = tmp_path / "papers.lock.json"
    cite(ids, lock)
    kept = valid_lock(lock).citations[ids[0]]
    s2_server.forget(papers[0])  # Semantic Scholar now answers null for it, and never knew DOI:10.1/none
    report = cite([*ids, "DOI:10.1/none"], lock, refresh=True)
    assert report.missing == (ids[0], "DOI:10.1/none") and report.fetched == tuple(ids[1:])
    records = valid_lock(lock).citations
    assert records[ids[0]] == kept and "DOI:10.1/none" not in records
    assert cite(["DOI:10.1/none"], lock).requests == 1  # not recorded: asked for again next time


def test_the_api_key_is_sent_only_when_set_and_never_shown(s2_server: ScholarStandIn, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    papers = fake_scholar_papers(2)
    s2_server.add(*papers)
    ids = lookups(papers)
    monkeypatch.setenv("S2_API_KEY", "")  # what the workflow passes when the secret is not set
    cite(ids, tmp_path / "a.json")
    monkeypatch.setenv("S2_API_KEY", "  s3cret-key ")
    cite(ids, tmp_path / "b.json")
    assert [r.api_key for r in s2_server.requests] == [None, "s3cret-key"]
    settings = ScholarSettings.from_env()
    assert settings.api_key == "s3cret-key" and "s3cret" not in repr(settings)
    # A key the API refuses stops the run at once, and says so without showing it.
    s2_server.keys = {"another-key"}
    more = fake_scholar_papers(150)
    s2_server.add(*more)
    report = cite(lookups(more), tmp_path / "c.json")
    assert report.requests == 1 and len(report.failed) == 150 and not report.unavailable
    assert "Semantic Scholar refused the API key in S2_API_KEY (HTTP 403: Forbidden)" in report.summary()
    assert "the other 50 IDs were not asked for" in report.summary() and "s3cret" not in report.summary()
    assert valid_lock(tmp_path / "c.json").citations == {}


def test_the_public_rate_is_kept_against_semantic_scholar_itself() -> None:
    assert ScholarSettings.from_env({}).delay_seconds == 1.0
    assert ScholarSettings.from_env({"S2_DELAY_SECONDS": "0.2"}).delay_seconds == 1.0
    assert ScholarSettings.from_env({"S2_DELAY_SECONDS": "0.2", "S2_API_KEY": "k"}).delay_seconds == 0.2
    local = {"S2_API_URL": "http://127.0.0.1:8000/graph/v1", "S2_DELAY_SECONDS": "0"}
    assert ScholarSettings.from_env(local).delay_seconds == 0.0
    with pytest.raises(StudylogError, match="S2_API_URL must be an http"):
        ScholarSettings.from_env({"S2_API_URL": "api.semanticscholar.org/graph/v1"})
    with pytest.raises(StudylogError, match="S2_RETRIES must be a whole number"):
        ScholarSettings.from_env({"S2_RETRIES": "many"})


# Faults: each ends with a valid lock that a rerun completes.

TOO_MANY = "HTTP 429 from Semantic Scholar; retrying (try 2 of 5) in 7 s"

FAULTS = {
    # name: (faults, papers, expected waits, requests, fetched, failed, missing, words in the output and summary)
    "429-retry-after": ([Fault.status(429, retry_after=7)], 5, [7.0], 2, 5, 0, 0, TOO_MANY),
    "5xx-twice": ([Fault.status(503), Fault.status(504)], 5, [0.0, 0.0], 3, 5, 0, 0, "HTTP 504 from Semantic Scholar"),
    "5xx-every-time": ([Fault.status(500)] * 5, 150, [0.0] * 4, 5, 0, 150, 0,
                       "HTTP 500 from Semantic Scholar (gave up after 5 tries); run the command again later"),
    "null-ids": ([Fault.omit("ARXIV:1602.10001", "ARXIV:1804.10003")], 5, [], 1, 3, 0, 2,
                 "missing (Semantic Scholar does not know them"),
    "malformed-json": ([Fault.raw("<html><body>Please sign in</body></html>")], 5, [0.0], 2, 5, 0, 0,
                       "Semantic Scholar sent broken JSON (40 bytes, Expecting value at character 0)"),
    "truncated-json": ([Fault.truncated()], 5, [0.0], 2, 5, 0, 0, "Semantic Scholar sent broken JSON"),
    "not-a-list": ([Fault.raw('{"message": "Internal Server Error"}', content_type="application/json")], 5, [0.0],
                   2, 5, 0, 0, "Semantic Scholar sent an object, not a list of papers"),
    "wrong-length": ([Fault.raw("[null]", content_type="application/json")], 5, [0.0], 2, 5, 0, 0,
                     "Semantic Scholar answered a list of 1 for 5 IDs"),
    "unreadable-paper": ([Fault.raw('[{"paperId": "nope"}]', content_type="application/json")], 1, [], 1, 0, 1, 0,
                         "could not read Semantic Scholar's answer (ValueError: the answer for ARXIV:1501.10000 has "
                         'no Semantic Scholar paperId ("nope"))'),
    "timeout": ([Fault.delay(30)], 5, [0.0], 2, 5, 0, 0, "Semantic Scholar did not answer within 0.5 s"),
    "dropped-connection": ([Fault.disconnect()], 5, [0.0], 2, 5, 0, 0,
                           "could not reach Semantic Scholar (Remote end closed connection without response)"),
    "long-retry-after": ([Fault.status(429, retry_after=3600)], 150, [], 1, 0, 150, 0,
                         "HTTP 429 from Semantic Scholar; it asks to wait 3600 s"),
    "unreachable": ([], 150, [], 0, 0, 150, 0, "could not reach 127.0.0.1 (Connection refused)"),
}


@pytest.mark.parametrize("name", list(FAULTS))
def test_a_fault_is_reported_and_a_rerun_completes_the_lock(
    name: str, s2_server: ScholarStandIn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    faults, count, waits_expected, requests, fetched, failed, missing, words = FAULTS[name]
    papers = fake_scholar_papers(count)
    s2_server.add(*papers)
    ids = lookups(papers)
    lock = tmp_path / "papers.lock.json"
    if name == "timeout":
        monkeypatch.setenv("S2_TIMEOUT_SECONDS", "0.5")
    if name == "unreachable":
        with ScholarStandIn() as closed:
            monkeypatch.setenv("S2_API_URL", closed.url)
    s2_server.script(*faults)
    waits: list[float] = []
    out = io.StringIO()
    with ScholarSource(ScholarSettings.from_env(), sleep=waits.append) as source:
        report = cite(ids, lock, source=source, out=out)
    assert waits == waits_expected
    assert (report.requests, len(report.fetched), len(report.failed), len(report.missing)) == (
        requests, fetched, failed, missing), report.summary()
    assert words in out.getvalue() + report.summary()
    assert set(valid_lock(lock).citations) == set(report.fetched)
    monkeypatch.setenv("S2_API_URL", s2_server.url)
    assert_complete_after_rerun(ids, lock, s2_server)


def test_an_answer_too_large_for_the_api_is_asked_for_in_halves(s2_server: ScholarStandIn, tmp_path: Path) -> None:
    papers = fake_scholar_papers(100)
    s2_server.add(*papers)
    s2_server.max_references = 2000  # 100 papers cite about 4,900 papers: two halves are still too large
    out = io.StringIO()
    report = cite(lookups(papers), tmp_path / "papers.lock.json", out=out)
    assert len(report.fetched) == 100 and not report.failed
    assert [len(r.ids or ()) for r in s2_server.requests] == [100, 50, 25, 25, 50, 25, 25]
    assert ("batch 1/1: the answer would exceed the size Semantic Scholar allows; asking for 50 and 50 papers apart"
            in out.getvalue())
    s2_server.max_references = 10
    report = cite(lookups(papers[:1]), tmp_path / "one.json")
    assert report.failed == tuple(lookups(papers[:1])) and "would exceed the size" in report.summary()


def test_ctrl_c_after_a_batch_keeps_that_batch_and_the_arxiv_section(
    s2_server: ScholarStandIn, tmp_path: Path
) -> None:
    papers = fake_scholar_papers(150)
    s2_server.add(*papers)
    ids = lookups(papers)
    lock = tmp_path / "papers.lock.json"
    save_lock(lock, Lock(keys={"1501.10000": "paper2015"}))

    def interrupt(batch: object) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        cite(ids, lock, on_batch=interrupt)
    saved = valid_lock(lock)
    assert set(saved.citations) == set(ids[:100]) and saved.keys == {"1501.10000": "paper2015"}
    assert_complete_after_rerun(ids, lock, s2_server)


def test_the_two_sources_keep_each_others_sections(
    s2_server: ScholarStandIn, arxiv_server: ArxivStandIn, tmp_path: Path
) -> None:
    arxiv_server.papers.update(fake_papers(3))
    papers = fake_scholar_papers(3)
    s2_server.add(*papers)
    lock = tmp_path / "papers.lock.json"
    run_enrich([ArxivId(k) for k in arxiv_server.papers], lock, out=io.StringIO())
    cite(lookups(papers), lock)
    run_enrich([ArxivId(k) for k in arxiv_server.papers], lock, refresh=True, out=io.StringIO())
    both = valid_lock(lock)
    assert len(both.papers) == 3 and len(both.citations) == 3
    assert load_lock(lock) == both.papers


# The lock


def test_old_locks_are_read_and_a_lock_without_citations_stays_format_1(tmp_path: Path) -> None:
    lock = tmp_path / "papers.lock.json"
    lock.write_text('{"format": 1, "papers": {}}\n', encoding="utf-8")
    assert read_lock(lock) == Lock()
    save_lock(lock, Lock())
    assert json.loads(lock.read_text(encoding="utf-8")) == {"format": 1, "papers": {}}
    lock.write_text('{"format": 3, "papers": {}}\n', encoding="utf-8")
    with pytest.raises(StudylogError, match="unknown lock format 3; this version of Studylog reads formats 1 and 2"):
        read_lock(lock)


RECORD = ('{"paper_id": "%s", "corpus_id": null, "venue": null, "publication_venue": null, "venue_type": null, "year": null, '
          '"citation_count": 3, "external_ids": {}, "references": "", "fetched": "2026-11-27T08:00:00Z"}')


@pytest.mark.parametrize(("section", "message"), [
    ('"citations": {"ARXIV:2002.08909": ' + RECORD % "../../evil" + "}",
     "'paper_id' of record 'ARXIV:2002.08909': \"../../evil\" is not in the form expected"),
    ('"citations": {"PMID:123": ' + RECORD % ("a" * 40) + "}",
     '"PMID:123" is not an ID Semantic Scholar is asked by (ARXIV:, DOI: or ACL:)'),
    ('"keys": {"2002.08909": "a key"}', "the key of '2002.08909': \"a key\" is not a BibTeX key"),
    ('"citations": {"ARXIV:2002.08909": ' + (RECORD % ("a" * 40)).replace('"references": ""', '"references": "12 x"')
     + "}", "'references' of record 'ARXIV:2002.08909': \"12 x\" is not in the form expected"),
])
def test_a_broken_citations_or_keys_section_is_one_message_with_its_line(tmp_path: Path, section: str,
                                                                      message: str) -> None:
    lock = tmp_path / "papers.lock.json"
    lock.write_text('{\n  "format": 2,\n  "papers": {},\n  ' + section + "\n}\n", encoding="utf-8")
    with pytest.raises(StudylogError) as caught:
        read_lock(lock)
    assert message in str(caught.value) and caught.value.line == 4


# The model and the pages

CATALOGUE = """\
topics:
  - id: t
    title: T
papers:
  - arxiv: "1501.10000"
    title: Zero
    year: 2015
    topics: [t]
  - arxiv: "1602.10001"
    title: One
    year: 2016
    topics: [t]
    status: read
  - arxiv: "1703.10002"
    title: Two
    topics: [t]
  - id: four
    title: Four
    url: https://aclanthology.org/C18-1266/
    topics: [t]
  - id: five
    title: Five
    topics: [t]
"""


def _site(records: dict[str, CitationRecord]) -> Any:
    catalogue = parse_catalogue(CATALOGUE, Path("papers.yaml"))
    return build_site(catalogue, Lock(citations=records), ())


def _records() -> dict[str, CitationRecord]:
    papers = fake_scholar_papers(3)
    acl = fake_scholar_paper("none", 7, cites=[papers[2].paper_id, papers[0].paper_id, papers[0].paper_id])
    records = {f"ARXIV:{p.external_ids['ArXiv']}": p for p in papers} | {"ACL:C18-1266": acl}
    return {k: record_from_json(k, p.as_json({"corpusId", "venue", "publicationVenue", "year", "citationCount",
                                              "externalIds", "references"}, {"corpusId"}), fetched="2026-11-27T08:00:00Z")
            for k, p in records.items()}


def test_citations_are_the_graphs_arrows() -> None:
    site = _site(_records())
    zero, one, two, four, _ = (e.key for e in site.entries)
    cites = {(one, zero), (two, zero), (two, one), (four, zero), (four, two)}
    assert set(paper_relations(site)) == {("cites", a, b) for a, b in cites}
    graph = site_graph(site, Layout(), paper_relations(site))
    assert {(e.source, e.target) for e in graph.edges if e.kind == "cites"} == {
        (f"paper:{a}", f"paper:{b}") for a, b in cites}
    assert paper_relations(_site({})) == ()


def test_each_paper_is_looked_up_by_its_arxiv_id_else_its_doi_else_its_acl_anthology_url() -> None:
    catalogue = parse_catalogue(
        "topics: []\npapers:\n"
        '  - {arxiv: "2002.08909v2", doi: 10.1234/x}\n'
        "  - {id: a, title: A, doi: 10.18653/v1/N19-1423, url: https://aclanthology.org/N19-1423/}\n"
        "  - {id: b, title: B, url: https://aclanthology.org/2020.acl-main.447.pdf}\n"
        "  - {id: c, title: C, url: https://www.aclweb.org/anthology/C18-1266}\n"
        "  - {id: d, title: D, url: https://aclanthology.org/venues/acl/}\n",
        Path("papers.yaml"),
    )
    assert [p.scholar_id for p in catalogue.papers] == [
        "ARXIV:2002.08909", "DOI:10.18653/v1/N19-1423", "ACL:2020.acl-main.447", "ACL:C18-1266", None]


def test_cites_and_cited_by_link_the_catalogues_papers() -> None:
    site = _site(_records())
    zero, one, two, four, five = site.entries
    assert four.scholar is not None and four.paper.scholar_id == "ACL:C18-1266"
    assert five.scholar is None and five.paper.scholar_id is None
    assert site.cites(one) == (zero,) and site.cites(two) == (zero, one)
    assert site.cites(four) == (zero, two)  # once each, in catalogue order
    assert site.cited_by(zero) == (one, two, four) and site.cited_by(two) == (four,) and site.cited_by(four) == ()
    assert site.cites(five) == site.cited_by(five) == ()
    assert (two.year, four.year) == (2017, None)  # Semantic Scholar's year, when neither papers.yaml nor arXiv has one
    assert one.citation_count == 7919 and one.citations_fetched is not None
    assert one.doi is None and zero.doi == "10.18653/v1/fake.0"  # the DOI Semantic Scholar knows
    # Venues: a conference, a journal; arXiv.org is no venue.
    assert (one.venue, one.venue_type) == ("Annual Meeting of the Association for Computational Linguistics",
                                           "conference")
    assert (zero.venue, zero.venue_type) == ("International Conference on Machine Learning", "conference")
    assert (two.venue, two.venue_type) == ("Transactions of the Association for Computational Linguistics",
                                           "journal")


def test_links_among_2000_papers() -> None:
    papers = fake_scholar_papers(2000)
    records = {f"ARXIV:{p.external_ids['ArXiv']}": p for p in papers}
    body = "topics: []\npapers:\n" + "".join(f'  - arxiv: "{p.external_ids["ArXiv"]}"\n' for p in papers)
    catalogue = parse_catalogue(body, Path("papers.yaml"))
    lock = Lock(citations={k: record_from_json(k, p.as_json({"corpusId", "references"}, {"corpusId"}),
                                               fetched="2026-11-27T08:00:00Z")
                           for k, p in records.items()})
    site = build_site(catalogue, lock, ())
    assert sum(len(site.cites(e)) for e in site.entries) == sum(min(i, 3) for i in range(2000))
    assert site.cited_by(site.entries[0]) == site.entries[1:4]


def test_paper_pages_show_the_count_the_links_and_credit_semantic_scholar() -> None:
    site = _site(_records())
    pages = {p.path: p.content for p in render_site(site)}
    zero = pages["papers/1501.10000.md"]
    assert ("| Citations | cited by 0 ([Semantic Scholar](https://www.semanticscholar.org/paper/"
            f"{s2_id('paper:1501.10000')}), Nov 27, 2026) |") in zero
    assert "| DOI | [10&#46;18653/v1/fake&#46;0](https://doi.org/10.18653/v1/fake.0) |" in zero
    assert "**Cited by**\n\n- [One](1602.10001.md) (2016)\n- [Two](1703.10002.md) (2017)\n- [Four](four.md)\n" in zero
    assert "**Cites**\n\nNo paper of this reading list.\n" in zero
    assert "From the references [Semantic Scholar](https://www.semanticscholar.org/paper/" in zero
    one = pages["papers/1602.10001.md"]
    assert "| Citations | cited by 7,919 (" in one
    assert "Semantic Scholar is asked by arXiv ID, DOI or ACL Anthology URL" in pages["papers/five.md"]
    reading = pages["papers/index.md"]
    assert 'data-status="read" data-topics="t" data-year="2016" data-citations="7919" ' in reading
    five = next(line for line in reading.splitlines() if 'data-key="five"' in line)
    assert 'data-status="to-read"' in five and "data-citations" not in five  # five: not known
    assert "Citation counts come from [Semantic Scholar](https://www.semanticscholar.org/)." in reading
    # A site without any citation data says nothing of them.
    bare = {p.path: p.content for p in render_site(_site({}))}
    assert "Semantic Scholar" not in bare["papers/1501.10000.md"] + bare["papers/index.md"]
    assert "data-citations" not in bare["papers/index.md"] and 'class="sl-paper"' in bare["papers/index.md"]


def test_hostile_venue_text_from_semantic_scholar_stays_text() -> None:
    records = _records()
    records["ARXIV:1501.10000"] = replace(records["ARXIV:1501.10000"], venue="<script>alert(1)</script> [x](javascript:y)",
                                          publication_venue=None)
    pages = {p.path: p.content for p in render_site(_site(records))}
    row = next(line for line in pages["papers/1501.10000.md"].splitlines() if line.startswith("| Venue"))
    assert "<script>" not in row and "](javascript" not in row and "&lt;script&gt;" in row


# Wiring: the CLI against both stand-ins, and one real build


def _stand_ins_for(project: Path, arxiv_server: ArxivStandIn, s2_server: ScholarStandIn) -> list[str]:
    """Serve every paper of ``project``'s catalogue from both stand-ins; the IDs Semantic Scholar is asked by."""
    catalogue = parse_catalogue((project / "papers.yaml").read_text(encoding="utf-8"), project / "papers.yaml")
    asked = []
    cited: list[str] = []
    for n, paper in enumerate(catalogue.papers):
        if paper.arxiv:
            arxiv_server.papers[paper.arxiv.base] = fake_paper(paper.arxiv.base, n)
        record = fake_scholar_paper(paper.arxiv.base if paper.arxiv else paper.key, n, cites=cited[-2:])
        if not paper.arxiv:
            ids = {**record.external_ids, "ACL": "C18-1266"}
            ids.pop("ArXiv")
            record = replace(record, external_ids=ids)
        s2_server.add(record)
        cited.append(record.paper_id)
        asked.append(paper.scholar_id)
    return asked


def test_enrich_citations_for_the_shipped_catalogue_is_one_request(
    tmp_path: Path, arxiv_server: ArxivStandIn, s2_server: ScholarStandIn, capsys: pytest.CaptureFixture[str]
) -> None:
    project = copy_project(tmp_path)
    asked = _stand_ins_for(project, arxiv_server, s2_server)
    assert main(["--root", str(project), "enrich", "--citations"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "enrich: 14 fetched, 0 unchanged, 0 missing, 0 failed (1 request to arXiv)"
    assert out[1] == "  recorded the BibTeX keys of 15 papers in the lock: they stay as they are now"
    assert out[2] == "citations: 15 fetched, 0 unchanged, 0 missing, 0 failed (1 request to Semantic Scholar)"
    assert s2_server.requested_ids == asked and "ACL:C18-1266" in asked
    assert main(["--root", str(project), "enrich", "--citations"]) == 0  # warm: no request at all
    assert capsys.readouterr().out.splitlines() == [
        "enrich: 0 fetched, 14 unchanged, 0 missing, 0 failed (0 requests to arXiv)",
        "citations: 0 fetched, 15 unchanged, 0 missing, 0 failed (0 requests to Semantic Scholar)",
    ]
    assert len(s2_server.requests) == 1 and len(arxiv_server.requests) == 1
    # A paper with neither an arXiv ID, a DOI nor an ACL Anthology URL is named, not asked for.
    catalogue = project / "papers.yaml"
    catalogue.write_text(catalogue.read_text(encoding="utf-8").replace(
        "resources:", "  - id: offline\n    title: Offline\n    topics: [code-lms]\n\nresources:", 1), encoding="utf-8")
    main(["--root", str(project), "enrich", "--citations"])
    assert "  not asked (no arXiv ID, DOI or ACL Anthology URL): offline" in capsys.readouterr().out


def test_a_built_site_keeps_the_data_attributes_and_shows_the_citations(
    tmp_path: Path, arxiv_server: ArxivStandIn, s2_server: ScholarStandIn
) -> None:
    project = copy_project(tmp_path)
    _stand_ins_for(project, arxiv_server, s2_server)
    assert main(["--root", str(project), "enrich", "--citations"]) == 0
    site = build_real_site(project, strict=True)
    rows = article(site, "papers/").select(".sl-paper")
    assert len(rows) == 15 and all(r.has_attr("data-citations") and r["data-citations"].isdigit() for r in rows)
    realm = next(r for r in rows if "REALM" in r.get_text())
    assert (realm["data-year"], realm["data-status"], realm["data-topics"]) == ("2020", "to-read", "open-domain-qa")
    body = article(site, "papers/2002.08909/")
    text = body.get_text(" ")
    assert re.search(r"\d[\d,]*회 인용됨 \( Semantic Scholar , \d{4}\. \d+\. \d+\.\)", text), text
    assert body.find("a", href=re.compile(r"^https://www\.semanticscholar\.org/paper/[0-9a-f]{40}$"))
    heading = body.find("h2", id="이-읽기-목록-안의-인용")
    assert heading is not None
    cited_by = [a["href"] for a in heading.find_all_next("a", href=re.compile(r"^\.\./"))[:2]]
    assert cited_by == ["../1710.11041/", "../1905.05621/"]  # the next two papers cite REALM
