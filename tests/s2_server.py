"""A local stand-in for the Semantic Scholar Graph API's batch endpoint, for the tests and the benchmarks.

It serves ``POST /graph/v1/paper/batch?fields=...`` with a JSON body ``{"ids": [...]}`` on
127.0.0.1, answering as the API's documentation describes (the shapes of its examples,
see tests/fixtures/s2/): a JSON list in the order of the IDs, ``null`` for an ID it
does not know, and per paper ``paperId`` plus exactly the fields asked for:
``venue``, ``publicationVenue`` (``id``, ``name``, ``type``, ``alternate_names``,
``url``, ``issn``), ``year``, ``citationCount``, ``corpusId``, ``externalIds`` (``ArXiv``,
``DOI``, ``ACL``, ``DBLP``, ``MAG``, ``CorpusId`` as a number) and ``references`` with
the subfields asked for (``paperId`` always; ``null`` for a reference it could not
resolve). Like the API it

* finds a paper by any of its IDs: ``ARXIV:``, ``DOI:`` (in any case), ``ACL:``,
  ``CorpusId:`` or its bare ``paperId``;
* refuses unknown fields (HTTP 400, ``{"error": "Unrecognized or unsupported fields: [...]"}``),
  more than 500 IDs, and an answer past its size limit (HTTP 400, ``{"error":
  "Response would exceed maximum size..."}``; :attr:`ScholarStandIn.max_references`);
* answers 429 with the message the API sends, and 403 for an API key it does not
  accept (:attr:`ScholarStandIn.keys`).

Every request is logged in :attr:`ScholarStandIn.requests`; :meth:`~tests.standin.StandIn.script`
queues faults (tests/standin.py): ``Fault.omit(...)`` answers ``null`` for those IDs.

    with ScholarStandIn(fake_scholar_papers(2000)) as server:
        os.environ["S2_API_URL"] = server.url

In tests, the ``s2_server`` fixture does that (no delay, no backoff, no key):
``from tests.s2_server import s2_server_fixture  # noqa: F401``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from .arxiv_server import paper_id
from .standin import Fault, Handler, StandIn, point_at

PATH = "/graph/v1/paper/batch"
MAX_IDS = 500
TOO_MANY_REQUESTS = ("Too Many Requests. Please wait and try again or apply for a key for higher rate limits. "
                     "https://www.semanticscholar.org/product/api#api-key-form")
TOO_LARGE = ("Response would exceed maximum size. Please try again with a smaller batch, or make use of the "
             "limit and offset features.")
PAPER_FIELDS = frozenset(["paperId", "corpusId", "externalIds", "url", "title", "abstract", "venue", "publicationVenue",
                          "year", "referenceCount", "citationCount", "influentialCitationCount", "isOpenAccess",
                          "fieldsOfStudy", "publicationTypes", "publicationDate", "journal", "authors", "citations",
                          "references"])
REFERENCE_FIELDS = frozenset(["paperId", "corpusId", "title", "externalIds", "year", "venue"])

VENUES: tuple[dict[str, Any] | None, ...] = (
    {"id": "fc0a208c-acb7-47dc-a0d4-af8190e21d29", "name": "International Conference on Machine Learning",
     "type": "conference", "alternate_names": ["ICML", "Int Conf Mach Learn"], "url": "https://icml.cc/"},
    {"id": "1e33b3be-b2ab-46e9-96e8-d4eb4bad6e44", "name": "Annual Meeting of the Association for Computational "
     "Linguistics", "type": "conference", "alternate_names": ["Annu Meet Assoc Comput Linguistics", "ACL"],
     "url": "https://www.aclweb.org/anthology/venues/acl/"},
    {"id": "8b2ba0d6-5b4b-4a7a-9b1c-28e6e49e6a3c", "name": "Transactions of the Association for Computational "
     "Linguistics", "type": "journal", "issn": "2307-387X", "url": "https://www.transacl.org/"},
    {"id": "1901e811-ee72-4b20-8f7e-de08cd395a10", "name": "arXiv.org", "alternate_names": ["ArXiv"],
     "issn": "2331-8422", "url": "https://arxiv.org"},
    None,
)


def s2_id(text: str) -> str:
    """A Semantic Scholar paperId (40 hex digits) made from ``text``."""
    return hashlib.sha1(text.encode()).hexdigest()


def corpus_of(paper_id: str) -> int:
    """The corpus ID (a whole number of nine digits) of the fake paper ``paper_id``."""
    return 100_000_000 + int(paper_id[:8], 16) % 900_000_000


@dataclass(frozen=True)
class FakeScholarPaper:
    """One paper as the stand-in serves it."""

    paper_id: str
    external_ids: Mapping[str, str | int]
    """As the API sends them: ``{"ArXiv": "2002.08909", "DOI": "...", "CorpusId": 211204736}``."""
    venue: str
    """The API sends "" when it knows no venue."""
    publication_venue: Mapping[str, Any] | None
    year: int | None
    citation_count: int
    references: tuple[str | None, ...] = ()
    """The paperIds of the papers it cites; None for one the API could not resolve."""
    title: str = "A fake paper"

    def lookups(self) -> Iterator[str]:
        """Every ID the API finds it by."""
        yield self.paper_id
        names = {"ArXiv": "ARXIV", "DOI": "DOI", "ACL": "ACL", "CorpusId": "CorpusId"}
        for name, prefix in names.items():
            if name in self.external_ids:
                yield _normal(f"{prefix}:{self.external_ids[name]}")

    def as_json(self, top: set[str], references: set[str]) -> dict[str, Any]:
        """The paper with ``paperId`` and the ``top`` fields asked for (of references, ``references``)."""
        values: dict[str, Any] = {
            "paperId": self.paper_id, "title": self.title, "venue": self.venue,
            "publicationVenue": dict(self.publication_venue) if self.publication_venue else None,
            "year": self.year, "citationCount": self.citation_count, "referenceCount": len(self.references),
            "externalIds": dict(self.external_ids), "corpusId": self.external_ids.get("CorpusId"),
            "url": f"https://www.semanticscholar.org/paper/{self.paper_id}",
        }
        out = {"paperId": self.paper_id}
        for name in sorted(top):
            if name == "references":
                out[name] = [_reference(ref, references) for ref in self.references]
            else:
                out[name] = values.get(name)
        return out


def _reference(ref: str | None, subfields: set[str]) -> dict[str, Any]:
    corpus = None if ref is None else corpus_of(ref)
    values = {"paperId": ref, "corpusId": corpus, "title": None if ref is None else f"Reference {ref[:6]}",
              "externalIds": None if ref is None else {"CorpusId": corpus}, "year": None, "venue": ""}
    return {name: values[name] for name in ["paperId", *sorted(subfields - {"paperId"})]}


def fake_scholar_paper(arxiv_id: str, n: int, *, cites: Iterable[str] = ()) -> FakeScholarPaper:
    """A deterministic record for the arXiv paper ``arxiv_id``; ``n`` varies every optional field.

    It cites the papers ``cites`` (paperIds), 45 papers outside any catalogue, and two
    references the API could not resolve.
    """
    own = s2_id(f"paper:{arxiv_id}")
    ids: dict[str, str | int] = {"ArXiv": arxiv_id, "DBLP": f"journals/corr/abs-{arxiv_id}",
                                 "MAG": str(3_000_000_000 + n), "CorpusId": corpus_of(own)}
    if n % 3 == 0:
        ids["DOI"] = f"10.18653/v1/fake.{n}"
    if n % 4 == 1:
        ids["ACL"] = f"2021.fake-main.{n}"
    venue = VENUES[n % len(VENUES)]
    outside = [s2_id(f"outside:{n}:{k}") for k in range(45)]
    return FakeScholarPaper(
        paper_id=own,
        external_ids=ids,
        venue=venue["name"] if venue else "",
        publication_venue=venue,
        year=2015 + n % 10 if n % 7 else None,
        citation_count=(n * 7919) % 100_000,
        references=(*cites, *outside[:20], None, *outside[20:], None),
    )


def fake_scholar_papers(count: int, start: int = 0) -> list[FakeScholarPaper]:
    """Records for the fake arXiv papers of tests/arxiv_server.py (``paper_id(i)``); each cites the
    three before it, so the catalogue's citations link up."""
    papers: list[FakeScholarPaper] = []
    for i in range(start, start + count):
        papers.append(fake_scholar_paper(paper_id(i), i, cites=[p.paper_id for p in papers[-3:]]))
    return papers


@dataclass(frozen=True)
class SeenBatch:
    """One request the stand-in received."""

    method: str
    path: str
    fields: str | None
    ids: tuple[str, ...] | None
    """The IDs of the JSON body, or None when it had none."""
    api_key: str | None
    user_agent: str
    content_type: str
    query: Mapping[str, str] = field(default_factory=dict)


class ScholarStandIn(StandIn[SeenBatch]):
    """The stand-in server; it runs in a thread from construction until :meth:`close`."""

    def __init__(self, papers: Iterable[FakeScholarPaper] = (), *,
                 replay: Mapping[str, tuple[int, str | bytes]] | None = None) -> None:
        self.handler = _Handler
        self.index: dict[str, FakeScholarPaper] = {}
        self.add(*papers)
        self.replay = dict(replay) if replay is not None else None
        """When set: the IDs as sent, comma-separated -> (status, body); others get a 404."""
        self.keys: set[str] | None = None
        """The API keys it accepts; None accepts any (and none)."""
        self.max_references = 9999
        """An answer with more references than this is refused as too large."""
        super().__init__()

    @property
    def url(self) -> str:
        """The API's root, for ``S2_API_URL``."""
        return f"{self.origin}/graph/v1"

    def add(self, *papers: FakeScholarPaper) -> None:
        """Serve ``papers`` (replacing any paper with the same paperId)."""
        for paper in papers:
            for lookup in paper.lookups():
                self.index[lookup] = paper

    def forget(self, paper: FakeScholarPaper) -> None:
        """Answer ``null`` for ``paper`` from now on."""
        for lookup in paper.lookups():
            self.index.pop(lookup, None)

    @property
    def requested_ids(self) -> list[str]:
        return [i for r in self.requests for i in r.ids or ()]

    def answer(self, seen: SeenBatch, fault: Fault | None) -> tuple[int, dict[str, str], bytes]:
        if seen.path != PATH or seen.method != "POST":
            return _json(404, {"error": "Not found"})
        if fault and fault.kind == "status":
            headers = {"Retry-After": fault.retry_after} if fault.retry_after is not None else {}
            message = TOO_MANY_REQUESTS if fault.code == 429 else (
                "Endpoint request timed out" if fault.code == 504 else "Internal Server Error")
            status, more, body = _json(fault.code, {"message": message, "code": str(fault.code)})
            return status, {**more, **headers}, body
        if fault and fault.kind == "raw":
            return fault.code, {"Content-Type": fault.message}, fault.body
        if self.keys is not None and seen.api_key is not None and seen.api_key not in self.keys:
            return _json(403, {"message": "Forbidden"})
        if self.replay is not None:
            key = ",".join(seen.ids or ())
            if key not in self.replay:
                return _json(404, {"error": f"no recording for {key}"})
            status, recorded = self.replay[key]
            return status, {"Content-Type": "application/json"}, recorded.encode() if isinstance(recorded, str) else recorded
        top, references, unknown = _fields(seen.fields)
        if unknown:
            return _json(400, {"error": f"Unrecognized or unsupported fields: [{', '.join(unknown)}]"})
        if seen.ids is None:
            return _json(400, {"error": 'Body must be a JSON object of the form {"ids": [...]}'})
        if len(seen.ids) > MAX_IDS:
            return _json(400, {"error": f"Too many ids: {len(seen.ids)}; the maximum is {MAX_IDS}"})
        omitted = fault.ids if fault and fault.kind == "omit" else frozenset()
        answers: list[dict[str, Any] | None] = []
        for asked in seen.ids:
            paper = self.index.get(_normal(asked))
            answers.append(paper.as_json(top, references) if paper and asked not in omitted else None)
        if "references" in top and sum(len(a["references"]) for a in answers if a) > self.max_references:
            return _json(400, {"error": TOO_LARGE})
        status, headers, body = _json(200, answers)
        if fault and fault.kind == "truncated":
            body = body[: len(body) // 2]
        return status, headers, body


def _normal(lookup: str) -> str:
    """A lookup ID as the index keys it: the prefix in capitals, a DOI in lower case."""
    prefix, sep, value = lookup.partition(":")
    if not sep:
        return lookup.lower()
    prefix = "CorpusId" if prefix.lower() == "corpusid" else prefix.upper()
    return f"{prefix}:{value.lower() if prefix == 'DOI' else value}"


def _fields(text: str | None) -> tuple[set[str], set[str], list[str]]:
    """The top-level fields, the subfields of references, and the names the API does not know."""
    if not text:
        return {"title"}, set(), []
    top: set[str] = set()
    references: set[str] = set()
    unknown: list[str] = []
    for name in text.split(","):
        head, _, sub = name.strip().partition(".")
        if head not in PAPER_FIELDS or (sub and (head != "references" or sub not in REFERENCE_FIELDS)):
            unknown.append(name)
            continue
        top.add(head)
        if head == "references":
            references.add(sub or "title")
    return top, references, unknown


def _json(status: int, data: Any) -> tuple[int, dict[str, str], bytes]:
    return status, {"Content-Type": "application/json"}, json.dumps(data).encode()


class _Handler(Handler[SeenBatch]):
    def do_POST(self) -> None:  # noqa: N802, RUF100 (http.server's name)
        parts = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            body = json.loads(raw)
        except ValueError:
            body = None
        ids = body.get("ids") if isinstance(body, dict) else None
        self.respond(SeenBatch(
            method="POST",
            path=parts.path,
            fields=query.get("fields"),
            ids=tuple(str(i) for i in ids) if isinstance(ids, list) else None,
            api_key=self.headers.get("x-api-key"),
            user_agent=self.headers.get("User-Agent", ""),
            content_type=self.headers.get("Content-Type", ""),
            query=query,
        ))

    def do_GET(self) -> None:  # noqa: N802, RUF100 (http.server's name)
        self.respond(SeenBatch("GET", urlsplit(self.path).path, None, None, None, "", ""))


try:
    import pytest
except ImportError:  # pragma: no cover (the benchmarks need no pytest)
    pass
else:

    @pytest.fixture(name="s2_server")
    def s2_server_fixture(monkeypatch: pytest.MonkeyPatch) -> Iterator[ScholarStandIn]:
        """An empty stand-in (add papers with ``.add``), with ``S2_*`` pointing at it: no delay between
        requests, no backoff, a 5 s timeout, no API key."""
        with ScholarStandIn() as server:
            point_at(monkeypatch, "S2", server.url)
            monkeypatch.delenv("S2_API_KEY", raising=False)
            yield server
