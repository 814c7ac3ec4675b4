"""`enrich`: the real `arxiv` client against the local arXiv stand-in (tests/arxiv_server.py).

Every fault ends the same way: the lock is valid JSON that load_lock reads, and a
rerun completes it.
"""

from __future__ import annotations

import io
import json
import re
import urllib.request
import xml.etree.ElementTree as ET
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from generator.arxiv_source import ArxivSource, Batch, Settings
from generator.enrich import EnrichReport, run_enrich
from generator.errors import StudylogError
from generator.ids import ArxivId
from generator.lock import ArxivRecord, load_lock, save_lock

from .arxiv_server import (  # noqa: F401
    ArxivStandIn,
    FakePaper,
    Fault,
    arxiv_server_fixture,
    fake_papers,
)

FIXTURES = Path(__file__).parent / "fixtures" / "atom"
ISO = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")


def ids_of(papers: dict[str, FakePaper]) -> list[ArxivId]:
    return [ArxivId(key) for key in papers]


def enrich(ids: list[ArxivId], lock: Path, **kwargs: Any) -> EnrichReport:
    kwargs.setdefault("out", io.StringIO())
    return run_enrich(ids, lock, **kwargs)


def expected(paper: FakePaper, version: int | None = None) -> ArxivRecord:
    """What the lock should say about ``paper``, ``fetched`` aside."""
    v = version or paper.version
    return ArxivRecord(
        id=paper.id,
        version=v,
        title=" ".join(paper.title.split()),
        authors=tuple(a.name for a in paper.authors),
        abstract=" ".join(paper.abstract.split()),
        published=paper.published,
        updated=paper.updated(v),
        primary_category=paper.categories[0],
        categories=paper.categories,
        doi=paper.doi,
        journal_ref=paper.journal_ref,
        comment=paper.comment,
        fetched="",
    )


def unfetched(record: ArxivRecord) -> ArxivRecord:
    return replace(record, fetched="")


def valid_lock(lock: Path) -> dict[str, ArxivRecord]:
    """The lock is whole JSON and load_lock reads it (no lock yet is an empty one)."""
    if lock.exists():
        json.loads(lock.read_text(encoding="utf-8"))
    return load_lock(lock)


def assert_complete_after_rerun(ids: list[ArxivId], lock: Path, server: ArxivStandIn) -> None:
    valid_lock(lock)
    report = enrich(ids, lock)
    assert not report.failed and not report.missing
    records = valid_lock(lock)
    assert set(records) == {i.base for i in ids}
    for arxiv_id in ids:
        assert unfetched(records[arxiv_id.base]) == expected(server.papers[arxiv_id.base], arxiv_id.version)


# The normal runs


def test_cold_run_writes_every_field(arxiv_server: ArxivStandIn, tmp_path: Path) -> None:
    arxiv_server.papers.update(fake_papers(6))
    ids = ids_of(arxiv_server.papers)
    lock = tmp_path / "papers.lock.json"
    before = datetime.now(UTC).replace(microsecond=0)
    report = enrich(ids, lock)
    after = datetime.now(UTC)
    assert report.fetched == tuple(str(i) for i in ids) == report.changed
    assert (report.unchanged, report.missing, report.failed, report.requests) == ((), (), (), 1)
    records = valid_lock(lock)
    # One record spelled out: wrapped title and abstract joined, markup kept as text,
    # every author in order, v1's date, two categories, a DOI and no comment.
    assert unfetched(records["1804.10003"]) == ArxivRecord(
        id="1804.10003",
        version=1,
        title="Paper 3: Tuning for experts & <i>transfer</i>",
        authors=("Hiroshi Kamabe", "Ada O'Neil", "이수진", "Caprice Stanley"),
        abstract="We study contrastive and evaluation. The results on prompt hold for n = 3.",
        published="2018-04-04T03:03:21Z",
        updated="2018-04-04T03:03:21Z",
        primary_category="math.CO",
        categories=("math.CO", "quant-ph"),
        doi="10.1234/fake.3",
        journal_ref=None,
        comment=None,
        fetched="",
    )
    assert records["1905.10004"].version == 2 and records["1905.10004"].updated == "2019-05-14T04:05:28Z"
    assert records["1501.10000"].journal_ref == "J. Fake Res. 0:1-2,2015"
    assert records["1501.10000"].comment == "2 pages, 0 figures"
    for arxiv_id in ids:
        record = records[arxiv_id.base]
        assert unfetched(record) == expected(arxiv_server.papers[arxiv_id.base])
        assert ISO.fullmatch(record.fetched)
        assert before <= datetime.fromisoformat(record.fetched) <= after
    # Sorted, pretty JSON keyed by ID without version.
    data = json.loads(lock.read_text(encoding="utf-8"))
    assert list(data["papers"]) == sorted(data["papers"]) and data["format"] == 1
    (request,) = arxiv_server.requests
    assert request.user_agent.startswith("studylog/") and "arxiv.py" in request.user_agent


def test_results_are_keyed_by_id_when_arxiv_shuffles_them(arxiv_server: ArxivStandIn, tmp_path: Path) -> None:
    arxiv_server.papers.update(fake_papers(20))
    ids = ids_of(arxiv_server.papers)
    # The stand-in answers out of order, as arXiv does.
    url = f"{arxiv_server.url}?id_list={','.join(map(str, ids))}&start=0&max_results=20"
    with urllib.request.urlopen(url) as response:
        root = ET.fromstring(response.read())
    served = [e.findtext("{http://www.w3.org/2005/Atom}id", "").rsplit("/", 1)[-1][:-2] for e in root]
    served = [s for s in served if s]
    assert sorted(served) == sorted(map(str, ids)) and served != [str(i) for i in ids]
    enrich(ids, tmp_path / "papers.lock.json")
    records = valid_lock(tmp_path / "papers.lock.json")
    for arxiv_id in ids:
        assert unfetched(records[arxiv_id.base]) == expected(arxiv_server.papers[arxiv_id.base])


def test_more_than_100_ids_go_in_batches_of_100(arxiv_server: ArxivStandIn, tmp_path: Path) -> None:
    arxiv_server.papers.update(fake_papers(250))
    ids = ids_of(arxiv_server.papers)
    out = io.StringIO()
    report = enrich(ids, tmp_path / "papers.lock.json", out=out)
    assert len(report.fetched) == 250 and report.requests == 3
    assert [len(r.id_list) for r in arxiv_server.requests] == [100, 100, 50]
    assert [r.max_results for r in arxiv_server.requests] == [100, 100, 50]
    assert [r.start for r in arxiv_server.requests] == [0, 0, 0]
    assert arxiv_server.requested_ids == [str(i) for i in ids]  # each once, in catalogue order
    assert len(valid_lock(tmp_path / "papers.lock.json")) == 250
    assert out.getvalue().splitlines() == [
        "batch 1/3: 100 IDs, 100 fetched, 0 missing",
        "batch 2/3: 100 IDs, 100 fetched, 0 missing",
        "batch 3/3: 50 IDs, 50 fetched, 0 missing",
    ]
    assert report.summary() == "enrich: 250 fetched, 0 unchanged, 0 missing, 0 failed (3 requests to arXiv)"


def test_a_missing_id_is_reported_and_nothing_is_deleted(arxiv_server: ArxivStandIn, tmp_path: Path) -> None:
    arxiv_server.papers.update(fake_papers(3))
    lock = tmp_path / "papers.lock.json"
    ids = ids_of(arxiv_server.papers)
    enrich(ids, lock)
    kept = valid_lock(lock)
    # arXiv no longer returns the first paper, and never had 2401.99999.
    gone = arxiv_server.papers.pop(ids[0].base)
    out = io.StringIO()
    report = enrich([*ids, ArxivId("2401.99999")], lock, refresh=True, out=out)
    assert report.missing == (str(ids[0]), "2401.99999")
    assert report.fetched == tuple(str(i) for i in ids[1:])
    assert "batch 1/1: 4 IDs, 2 fetched, 2 missing" in out.getvalue()
    assert "missing (arXiv returned nothing for them; check the IDs): 1501.10000, 2401.99999" in report.summary()
    records = valid_lock(lock)
    assert records[gone.id] == kept[gone.id]  # kept as it was
    assert "2401.99999" not in records
    assert not report.failed


def test_malformed_ids_are_never_sent(arxiv_server: ArxivStandIn, tmp_path: Path) -> None:
    arxiv_server.papers.update(fake_papers(2))
    good = ids_of(arxiv_server.papers)
    # ArxivId does not validate itself; the catalogue does. These slipped past it.
    bad = [ArxivId("abc"), ArxivId("0808.05394"), ArxivId("1501.10000 ")]
    report = enrich([bad[0], *good, *bad[1:]], tmp_path / "papers.lock.json")
    assert arxiv_server.requested_ids == [str(i) for i in good]
    assert report.failed == ("abc", "0808.05394", "1501.10000 ")
    assert report.fetched == tuple(map(str, good))
    assert any("'abc' is not an arXiv ID" in e for e in report.errors)
    assert any("IDs before 2015 have 4" in e for e in report.errors)


def test_a_warm_rerun_sends_no_request(arxiv_server: ArxivStandIn, tmp_path: Path) -> None:
    arxiv_server.papers.update(fake_papers(120))
    ids = ids_of(arxiv_server.papers)
    lock = tmp_path / "papers.lock.json"
    enrich(ids, lock)
    text = lock.read_text(encoding="utf-8")
    sent = len(arxiv_server.requests)
    report = enrich(ids, lock)
    assert len(arxiv_server.requests) == sent and report.requests == 0
    assert report.unchanged == tuple(map(str, ids)) and not report.fetched
    assert lock.read_text(encoding="utf-8") == text
    assert report.summary() == "enrich: 0 fetched, 120 unchanged, 0 missing, 0 failed (0 requests to arXiv)"


def test_refresh_refetches_everything(arxiv_server: ArxivStandIn, tmp_path: Path) -> None:
    arxiv_server.papers.update(fake_papers(3))
    ids = ids_of(arxiv_server.papers)
    lock = tmp_path / "papers.lock.json"
    enrich(ids, lock)
    paper = arxiv_server.papers[ids[1].base]
    arxiv_server.papers[paper.id] = replace(paper, title="A better title", version=paper.version + 1)
    report = enrich(ids, lock, refresh=True)
    assert report.fetched == tuple(map(str, ids)) and report.changed == (str(ids[1]),)
    assert "3 fetched (1 new or changed)" in report.summary()
    assert valid_lock(lock)[paper.id].title == "A better title"


def test_max_age_refetches_only_old_records(arxiv_server: ArxivStandIn, tmp_path: Path) -> None:
    arxiv_server.papers.update(fake_papers(3))
    ids = ids_of(arxiv_server.papers)
    lock = tmp_path / "papers.lock.json"
    enrich(ids, lock)
    records = load_lock(lock)
    records[ids[2].base] = replace(records[ids[2].base], fetched="2020-01-01T00:00:00Z")
    save_lock(lock, records)
    sent = len(arxiv_server.requests)
    report = enrich(ids, lock, max_age_days=30)
    assert arxiv_server.requested_ids[-1:] == [str(ids[2])] and len(arxiv_server.requests) == sent + 1
    assert report.fetched == (str(ids[2]),) and report.unchanged == tuple(map(str, ids[:2]))
    assert valid_lock(lock)[ids[2].base].fetched != "2020-01-01T00:00:00Z"
    with pytest.raises(StudylogError, match="at least 0"):
        enrich(ids, lock, max_age_days=-1)


def test_a_pinned_version_is_the_one_requested(arxiv_server: ArxivStandIn, tmp_path: Path) -> None:
    papers = fake_papers(3)
    paper = next(p for p in papers.values() if p.version == 3)
    arxiv_server.papers[paper.id] = paper
    lock = tmp_path / "papers.lock.json"
    enrich([ArxivId(paper.id, 1)], lock)
    assert arxiv_server.requested_ids == [f"{paper.id}v1"]
    assert unfetched(valid_lock(lock)[paper.id]) == expected(paper, 1)
    enrich([ArxivId(paper.id, 1)], lock)  # the lock has v1: nothing to ask
    enrich([ArxivId(paper.id)], lock)  # unpinned: any version in the lock will do
    assert len(arxiv_server.requests) == 1
    report = enrich([ArxivId(paper.id, 2)], lock)  # a new pin: fetch that version
    assert arxiv_server.requested_ids[-1] == f"{paper.id}v2" and report.fetched == (f"{paper.id}v2",)
    assert valid_lock(lock)[paper.id].version == 2
    report = enrich([ArxivId(paper.id, 7)], lock)  # no such version: missing, v2 is kept
    assert report.missing == (f"{paper.id}v7",) and valid_lock(lock)[paper.id].version == 2


def test_fixture_fields_are_normalised(arxiv_server: ArxivStandIn, tmp_path: Path) -> None:
    arxiv_server.replay = {
        "2104.08691": (200, (FIXTURES / "wrapped-fields.xml").read_bytes()),
        "math.GT/0309136": (200, (FIXTURES / "subject-class.xml").read_bytes()),
    }
    lock = tmp_path / "papers.lock.json"
    for arxiv_id in (ArxivId("2104.08691"), ArxivId("math.GT/0309136")):  # one recording each
        report = enrich([arxiv_id], lock)
        assert report.fetched == (str(arxiv_id),)
    records = valid_lock(lock)
    assert unfetched(records["2104.08691"]) == ArxivRecord(
        id="2104.08691",
        version=2,
        title="A fixture whose title wraps <script>alert(1)</script> over lines",
        authors=("Fixture Author", "Zoë Łukasiewicz"),
        abstract="First line of the abstract, wrapped at 80 columns as arXiv did; an indented line and a tab here.",
        published="2021-04-18T17:36:29Z",
        updated="2021-09-02T17:19:45Z",
        primary_category="cs.CL",
        categories=("cs.CL", "cs.LG"),
        doi="10.18653/v1/2021.emnlp-main.243",
        journal_ref=None,
        comment=None,  # whitespace only
        fetched="",
    )
    # arXiv answers math/0309136 for math.GT/0309136; the lock files it as the catalogue wrote it.
    assert records["math.GT/0309136"].version == 2
    assert records["math.GT/0309136"].title == "A fixture: old identifiers lose their subject class"


# Faults: each ends with a valid lock that a rerun completes.


@dataclass(frozen=True)
class FaultCase:
    """A run of ``papers`` fake papers while arXiv answers with ``faults``, and what the run must report."""

    name: str
    papers: int
    faults: tuple[Fault, ...]
    requests: int
    fetched: int
    """How many were fetched: the first ones, in order."""
    failed: int = 0
    """How many failed: the first ones, in order (a whole batch fails)."""
    missing: tuple[int, ...] = ()
    """Which papers (by place) the run reports as missing."""
    env: tuple[tuple[str, str], ...] = ()
    waits: tuple[float, ...] | None = None
    """When given, the run sleeps through ``ArxivSource``'s ``sleep``, and these are the waits it asked for."""
    progress: tuple[str, ...] = ()
    """Text the progress lines hold."""
    summary: tuple[str, ...] = ()
    """Text the summary holds."""
    locked: int | None = None
    """Records in the lock after the run, when not just the fetched ones."""


UNREADABLE = (FIXTURES / "wrapped-fields.xml").read_text(encoding="utf-8").replace(
    "<published>2021-04-18T17:36:29Z</published>", "<published>last week</published>"
)
FAULTS = [
    FaultCase("two 503s, then success", 5, (Fault.status(503), Fault.status(503)), requests=3, fetched=5,
              progress=("batch 1/1: HTTP 503 from arXiv; retrying (try 2 of 5) in 0 s", "try 3 of 5")),
    FaultCase("429 waits as long as Retry-After says", 5, (Fault.status(429, retry_after=7),), requests=2, fetched=5,
              waits=(7.0,)),
    FaultCase("backoff doubles and a long Retry-After fails the batch", 150,
              (Fault.status(503), Fault.status(502), Fault.status(500), Fault.status(429, retry_after=3600)),
              requests=4, fetched=0, failed=150, env=(("ARXIV_BACKOFF_SECONDS", "2"),), waits=(2.0, 4.0, 8.0),
              summary=("HTTP 429 from arXiv; it asks to wait 3600 s", "the other 50 IDs were not asked for"),
              locked=0),
    FaultCase("a timeout is retried", 5, (Fault.delay(30),), requests=2, fetched=5,
              env=(("ARXIV_TIMEOUT_SECONDS", "0.5"),),
              progress=("arXiv did not answer within 0.5 s; retrying (try 2 of 5)",)),
    FaultCase("a dropped connection is retried", 5, (Fault.disconnect(),), requests=2, fetched=5,
              progress=("could not reach arXiv (Remote end closed connection without response)",)),
    FaultCase("truncated XML is retried, never half saved", 8, (Fault.truncated(),), requests=2, fetched=8,
              progress=("arXiv sent broken XML",)),
    FaultCase("truncated XML every time fails the batch", 8, (Fault.truncated(),) * 3, requests=3, fetched=0,
              failed=8, env=(("ARXIV_RETRIES", "2"),),
              summary=("arXiv sent broken XML", "gave up after 3 tries"), locked=0),
    FaultCase("a page that is not Atom is retried", 5,
              (Fault.raw("<html><body>Please sign in to the Wi-Fi</body></html>"), Fault.raw("")), requests=3,
              fetched=5, progress=("arXiv sent XML that is not an Atom feed (<html>)",)),
    FaultCase("an entry the client cannot read fails its batch only, not retried", 150,
              (Fault.raw(UNREADABLE, content_type="application/atom+xml"),), requests=2, fetched=50, failed=100,
              summary=("could not read arXiv's answer (ValueError: Invalid isoformat string: 'last week')",)),
    FaultCase("an empty first page that claims results is asked again", 5, (Fault.empty_page(claims_results=True),),
              requests=2, fetched=5),
    FaultCase("an empty first page that claims none is asked again", 5, (Fault.empty_page(claims_results=False),),
              requests=2, fetched=5),
    FaultCase("a 400 error feed is reported, not retried, and the next batch is asked", 150,
              (Fault.error_feed("incorrect id format for 1501.1000"),), requests=2, fetched=50, failed=100,
              summary=("batch 1/2 (1501.10000 ... 2404.10099, 100 IDs): arXiv refused the request (HTTP 400): "
                       "incorrect id format for 1501.1000",), locked=50),
    FaultCase("one ID left out of a batch", 5, (Fault.omit(list(fake_papers(5))[3]),), requests=1, fetched=4,
              missing=(3,)),
]


@pytest.mark.parametrize("case", FAULTS, ids=[c.name for c in FAULTS])
def test_a_fault_ends_with_a_valid_lock_that_a_rerun_completes(
    arxiv_server: ArxivStandIn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: FaultCase
) -> None:
    arxiv_server.papers.update(fake_papers(case.papers))
    ids = ids_of(arxiv_server.papers)
    for name, value in case.env:
        monkeypatch.setenv(name, value)
    arxiv_server.script(*case.faults)
    lock, out, waits = tmp_path / "papers.lock.json", io.StringIO(), []
    if case.waits is None:
        report = enrich(ids, lock, out=out)
    else:
        with ArxivSource(Settings.from_env(), sleep=waits.append) as source:
            report = enrich(ids, lock, out=out, source=source)
        assert tuple(waits) == case.waits  # and not an hour
    missing = tuple(str(ids[n]) for n in case.missing)
    fetched = [i for i in ids[case.failed:] if str(i) not in missing][: case.fetched]
    assert report.requests == case.requests
    assert report.failed == tuple(map(str, ids[: case.failed]))
    assert report.fetched == tuple(map(str, fetched))
    assert report.missing == missing
    if not case.failed:
        assert not report.errors
    for text in case.progress:
        assert text in out.getvalue()
    for text in case.summary:
        assert text in report.summary()
    records = valid_lock(lock)
    assert set(records) == {i.base for i in fetched}
    assert len(records) == (case.fetched if case.locked is None else case.locked)
    assert_complete_after_rerun(ids, lock, arxiv_server)


def test_an_unreachable_arxiv_stops_the_run(
    arxiv_server: ArxivStandIn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    arxiv_server.papers.update(fake_papers(250))
    ids = ids_of(arxiv_server.papers)
    monkeypatch.setenv("ARXIV_RETRIES", "1")
    arxiv_server.script(Fault.status(503), Fault.status(503))  # the first batch's two tries
    report = enrich(ids, tmp_path / "papers.lock.json")
    assert report.requests == 2 and len(report.failed) == 250 and not report.fetched
    assert "HTTP 503 from arXiv (gave up after 2 tries)" in report.summary()
    with ArxivStandIn() as closed:
        dead = closed.url
    monkeypatch.setenv("ARXIV_API_URL", dead)
    waits: list[float] = []
    with ArxivSource(Settings.from_env(), sleep=waits.append) as source:
        report = enrich(ids, tmp_path / "papers.lock.json", source=source)
    # A host nobody answers on is said once, at once: no backoff, no request counted, no other batch tried.
    assert len(report.failed) == 250 and waits == [] and report.requests == 0
    assert "could not reach 127.0.0.1 (Connection refused)" in report.summary()
    assert "the other 150 IDs were not asked for" in report.summary()
    monkeypatch.setenv("ARXIV_API_URL", arxiv_server.url)
    assert_complete_after_rerun(ids, tmp_path / "papers.lock.json", arxiv_server)


def test_ctrl_c_after_a_batch_keeps_that_batch(arxiv_server: ArxivStandIn, tmp_path: Path) -> None:
    arxiv_server.papers.update(fake_papers(250))
    ids = ids_of(arxiv_server.papers)
    lock = tmp_path / "papers.lock.json"

    def interrupt(batch: Batch) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        enrich(ids, lock, on_batch=interrupt)
    assert set(valid_lock(lock)) == {i.base for i in ids[:100]}
    sent = len(arxiv_server.requests)
    report = enrich(ids, lock)  # picks up where it stopped
    assert len(arxiv_server.requests) == sent + 2 and len(report.fetched) == 150 and len(report.unchanged) == 100
    assert_complete_after_rerun(ids, lock, arxiv_server)


def test_ctrl_c_while_waiting_to_retry(arxiv_server: ArxivStandIn, tmp_path: Path) -> None:
    arxiv_server.papers.update(fake_papers(150))
    ids = ids_of(arxiv_server.papers)
    lock = tmp_path / "papers.lock.json"
    arxiv_server.script(Fault.ok(), Fault.status(503))  # batch 2 needs a retry

    def sleep(seconds: float) -> None:
        raise KeyboardInterrupt

    with ArxivSource(Settings.from_env(), sleep=sleep) as source, pytest.raises(KeyboardInterrupt):
        enrich(ids, lock, source=source)
    assert set(valid_lock(lock)) == {i.base for i in ids[:100]}
    assert_complete_after_rerun(ids, lock, arxiv_server)


def test_a_second_run_at_once_is_refused(arxiv_server: ArxivStandIn, tmp_path: Path) -> None:
    arxiv_server.papers.update(fake_papers(150))
    ids = ids_of(arxiv_server.papers)
    lock = tmp_path / "papers.lock.json"
    refusals: list[StudylogError] = []

    def second_run(batch: Batch) -> None:
        with pytest.raises(StudylogError) as caught:
            enrich(ids, lock)
        refusals.append(caught.value)

    report = enrich(ids, lock, on_batch=second_run)
    assert len(report.fetched) == 150 and len(refusals) == 2
    assert "another `enrich` is running on this lock file" in str(refusals[0])
    assert "hint: wait for it to finish" in str(refusals[0])
    assert_complete_after_rerun(ids, lock, arxiv_server)  # the lock is free again


def test_wrong_settings_are_user_errors(
    arxiv_server: ArxivStandIn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    arxiv_server.papers.update(fake_papers(1))
    ids = ids_of(arxiv_server.papers)
    monkeypatch.setenv("ARXIV_DELAY_SECONDS", "soon")
    with pytest.raises(StudylogError, match="ARXIV_DELAY_SECONDS must be a number of seconds"):
        enrich(ids, tmp_path / "papers.lock.json")
    monkeypatch.setenv("ARXIV_DELAY_SECONDS", "0")
    monkeypatch.setenv("ARXIV_API_URL", "export.arxiv.org/api/query")
    with pytest.raises(StudylogError, match="ARXIV_API_URL must be an http"):
        enrich(ids, tmp_path / "papers.lock.json")
    assert not arxiv_server.requests


def test_arxiv_itself_gets_at_least_3_seconds_between_requests() -> None:
    assert Settings.from_env({}).delay_seconds == 3.0
    assert Settings.from_env({"ARXIV_DELAY_SECONDS": "0"}).delay_seconds == 3.0
    assert Settings.from_env({"ARXIV_DELAY_SECONDS": "5"}).delay_seconds == 5.0
    local = {"ARXIV_API_URL": "http://127.0.0.1:8000/api/query", "ARXIV_DELAY_SECONDS": "0"}
    assert Settings.from_env(local).delay_seconds == 0.0


def test_a_terminal_gets_a_progress_bar(arxiv_server: ArxivStandIn, tmp_path: Path) -> None:
    pytest.importorskip("tqdm")

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    arxiv_server.papers.update(fake_papers(150))
    out = Terminal()
    enrich(ids_of(arxiv_server.papers), tmp_path / "papers.lock.json", out=out)
    assert "150/150" in out.getvalue() and "batch 1/2" not in out.getvalue()
