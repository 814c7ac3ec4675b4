"""Conformance: real arXiv answers (../shared/arxiv-recordings), replayed through the
local stand-in to the real `arxiv` client, parse into the records the XML says.

The recordings live beside the project, not in it: without them this module skips.
"""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from generator.arxiv_source import ArxivSource, Settings, split_entry_id
from generator.enrich import run_enrich
from generator.ids import ArxivId, parse_arxiv_id
from generator.lock import ArxivRecord, load_lock

from .arxiv_server import ArxivStandIn

RECORDINGS = Path(__file__).resolve().parents[2] / "shared" / "arxiv-recordings"
if not RECORDINGS.is_dir():
    pytest.skip(f"no recorded arXiv answers at {RECORDINGS} (they sit beside the project)", allow_module_level=True)

ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV = "{http://arxiv.org/schemas/atom}"


def _recordings() -> dict[str, tuple[int, str]]:
    """``id_list`` as sent -> (status, body), for every recording."""
    found = {}
    for path in sorted(RECORDINGS.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        id_list = parse_qs(urlsplit(data["url"]).query)["id_list"][0]
        found[id_list] = (data["status_code"], data["body"])
    return found


RECORDED = _recordings()


@pytest.fixture()
def replay(monkeypatch: pytest.MonkeyPatch) -> Iterator[ArxivStandIn]:
    with ArxivStandIn(replay=RECORDED) as server:
        monkeypatch.setenv("ARXIV_API_URL", server.url)
        monkeypatch.setenv("ARXIV_DELAY_SECONDS", "0")
        monkeypatch.setenv("ARXIV_BACKOFF_SECONDS", "0")
        monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
        yield server


@pytest.fixture()
def source(replay: ArxivStandIn) -> Iterator[ArxivSource]:
    with ArxivSource(Settings.from_env()) as source:
        yield source


def fetch(source: ArxivSource, *ids: str) -> dict[str, ArxivRecord]:
    """Fetch IDs as given, past the validation of generator.ids (to replay what arXiv was sent)."""
    batch = source.fetch_batch([ArxivId(*_split(i)) for i in ids])
    assert batch.error is None
    return batch.records


def _split(text: str) -> tuple[str, int | None]:
    """``quant-ph/0201082v1`` -> ``("quant-ph/0201082", 1)``."""
    m = re.fullmatch(r"(?P<base>.+?)(?:v(?P<v>\d+))?", text)
    assert m is not None
    return m["base"], int(m["v"]) if m["v"] else None


def squash(text: str | None) -> str:
    return " ".join((text or "").split())


def what_the_xml_says(entry: ET.Element) -> dict[str, object]:
    """An entry's fields, read with ElementTree, independent of the arxiv package."""
    _, version = split_entry_id(entry.findtext(f"{ATOM}id", ""))
    return {
        "version": version,
        "title": squash(entry.findtext(f"{ATOM}title")),
        "authors": tuple(squash(a.findtext(f"{ATOM}name")) for a in entry.iter(f"{ATOM}author")),
        "abstract": squash(entry.findtext(f"{ATOM}summary")),
        "published": entry.findtext(f"{ATOM}published"),
        "updated": entry.findtext(f"{ATOM}updated"),
        "primary_category": entry.find(f"{ARXIV}primary_category").get("term"),  # type: ignore[union-attr]
        "categories": tuple(c.get("term") for c in entry.iter(f"{ATOM}category")),
        "doi": squash(entry.findtext(f"{ARXIV}doi")) or None,
        "journal_ref": squash(entry.findtext(f"{ARXIV}journal_ref")) or None,
        "comment": squash(entry.findtext(f"{ARXIV}comment")) or None,
    }


@pytest.mark.parametrize("id_list", [k for k, (status, _) in RECORDED.items() if status == 200])
def test_every_recorded_entry_parses_as_its_xml_says(source: ArxivSource, id_list: str) -> None:
    root = ET.fromstring(RECORDED[id_list][1].encode("utf-8"))
    entries = {split_entry_id(e.findtext(f"{ATOM}id", ""))[0]: e for e in root.iter(f"{ATOM}entry")}
    records = fetch(source, *id_list.split(","))
    assert set(records) == {_split(i)[0] for i in id_list.split(",")} & set(entries)
    for key, record in records.items():
        fields = {name: getattr(record, name) for name in what_the_xml_says(entries[key])}
        assert fields == what_the_xml_says(entries[key])


def test_one_new_style_id(source: ArxivSource) -> None:
    record = fetch(source, "1605.08386")["1605.08386"]
    assert record.version == 1
    assert record.title == "Heat-bath random walks with Markov bases"
    assert record.authors == ("Caprice Stanley", "Tobias Windisch")
    assert record.abstract.startswith("Graphs on lattice points are studied whose edges come from")
    assert record.abstract.endswith("is an expander in fixed dimension.")
    assert record.comment == "20 pages, 3 figures"
    assert record.primary_category == "math.CO" and record.categories == ("math.CO", "math.ST")
    assert record.published == record.updated == "2016-05-26T17:59:46Z"
    assert record.doi is None and record.journal_ref is None


def test_two_ids_in_one_request_are_keyed_by_id(source: ArxivSource, replay: ArxivStandIn) -> None:
    # arXiv answered only the second ID; a client keyed by position would file
    # 1707.08567's metadata under 0808.05394.
    batch = source.fetch_batch([ArxivId("0808.05394"), ArxivId("1707.08567")])
    assert replay.requests[0].id_list == ("0808.05394", "1707.08567")
    assert list(batch.records) == ["1707.08567"] and batch.missing == (ArxivId("0808.05394"),)
    record = batch.records["1707.08567"]
    assert record.title == "Proceedings of Workshop AEW10: Concepts in Information Theory and Communications"
    assert len(record.authors) == 34 and record.authors[0] == "Kees A. Schouhamer Immink"
    assert record.authors[-1] == "Hirosuke Yamamoto"
    # As recorded: arXiv's own text holds this mojibake; it is kept, not guessed at.
    assert "Dirk WÃ¼bben" in record.authors
    assert record.comment == "44 pages, editors for the proceedings: Yanling Chen and A. J. Han Vinck"


def test_a_2008_id_with_5_digits_is_never_sent(replay: ArxivStandIn, tmp_path: Path) -> None:
    # arXiv answers 0808.05394 with nothing; generator.ids knows IDs before 2015 have 4 digits.
    with pytest.raises(ValueError, match="IDs before 2015 have 4"):
        parse_arxiv_id("0808.05394")
    report = run_enrich(
        [ArxivId("0808.05394"), ArxivId("1707.08567")], tmp_path / "papers.lock.json", out=io.StringIO()
    )
    assert [r.id_list for r in replay.requests] == [("1707.08567",)]
    assert report.failed == ("0808.05394",) and report.fetched == ("1707.08567",)


@pytest.mark.parametrize(
    ("arxiv_id", "key", "categories"),
    [
        (ArxivId("2104.12255", 1), "2104.12255", ("cs.CR",)),
        (ArxivId("quant-ph/0201082", 1), "quant-ph/0201082", ("quant-ph", "cs.PL")),
    ],
)
def test_versioned_ids(
    replay: ArxivStandIn, tmp_path: Path, arxiv_id: ArxivId, key: str, categories: tuple[str, ...]
) -> None:
    lock = tmp_path / "papers.lock.json"
    report = run_enrich([arxiv_id], lock, out=io.StringIO())
    assert report.fetched == (str(arxiv_id),) and replay.requests[0].id_list == (str(arxiv_id),)
    record = load_lock(lock)[key]
    assert record.version == 1 and record.categories == categories and record.primary_category == categories[0]


def test_a_title_that_is_just_0(source: ArxivSource) -> None:
    assert fetch(source, "2104.12255v1")["2104.12255"].title == "0"


def test_old_style_id_with_affiliations_and_journal_ref(replay: ArxivStandIn, tmp_path: Path) -> None:
    lock = tmp_path / "papers.lock.json"
    run_enrich([parse_arxiv_id("astro-ph/0601001")], lock, out=io.StringIO())
    record = load_lock(lock)["astro-ph/0601001"]
    assert record.version == 1
    assert record.journal_ref == "ActaAstron.56:1-50,2006"
    assert record.authors == ("Andrew Gould", "Susan Dorsher", "B. Scott Gaudi", "Andrzej Udalski")
    assert record.primary_category == "astro-ph" and record.categories == ("astro-ph",)
    # The abstract's leading spaces go; its escaped XML comes back as text.
    assert record.abstract.startswith("We derive the frequencies of hot Jupiters")
    assert "following Gould & Morgan (2003)" in record.abstract and "V_max<17.5" in record.abstract
    assert record.comment is not None and record.comment.startswith("62 pages including 16 figures")


def test_a_nonexistent_id_gives_no_result_and_no_error(source: ArxivSource, replay: ArxivStandIn) -> None:
    batch = source.fetch_batch([ArxivId("0000.0000")])
    assert batch.error is None and batch.records == {} and batch.missing == (ArxivId("0000.0000"),)
    assert len(replay.requests) == 2  # an all-empty answer is asked once more before it is believed


def test_a_malformed_id_gets_arxivs_400_which_is_reported(source: ArxivSource, replay: ArxivStandIn) -> None:
    batch = source.fetch_batch([ArxivId("abc")])
    assert batch.error == "arXiv refused the request (HTTP 400): incorrect id format for abc"
    assert batch.failed == (ArxivId("abc"),) and not batch.unavailable
    assert len(replay.requests) == 1  # not retried
