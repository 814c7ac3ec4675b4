"""A local stand-in for the arXiv API, for the tests and the benchmarks.

It serves ``/api/query?id_list=...`` on 127.0.0.1 in arXiv's real Atom format (the
structure of the recordings in ``../shared/arxiv-recordings``): a feed with the
``opensearch:`` counts, and per paper an entry with ``id``
(``http://arxiv.org/abs/XXXXvN``), ``title``, ``updated``, links, ``summary``,
categories, ``published``, ``arxiv:comment``, ``arxiv:primary_category``,
``arxiv:journal_ref``, ``arxiv:doi`` and authors with affiliations. Like arXiv it

* answers from a dict of papers (:func:`fake_papers` makes thousands), in shuffled
  order, honouring ``start`` and ``max_results``, the latest version for an
  unversioned ID and the asked one for ``2104.08691v1``;
* leaves out IDs it does not have (HTTP 200, fewer entries), and refuses a request
  with a malformed ID with HTTP 400 and its error feed.

Every request is logged in :attr:`ArxivStandIn.requests`. :meth:`ArxivStandIn.script`
queues faults, one per coming request (:class:`Fault`: 503, 429 with Retry-After, a
delay past the client's timeout, truncated XML, an empty page, the 400 error feed,
an ID left out, a dropped connection, any body).  ``replay`` serves recorded bodies instead.

    with ArxivStandIn(fake_papers(2000)) as server:
        os.environ["ARXIV_API_URL"] = server.url

In tests, the ``arxiv_server`` fixture does that (and sets no delay and no backoff):
``from tests.arxiv_server import arxiv_server_fixture  # noqa: F401``.
"""

from __future__ import annotations

import random
import re
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape, quoteattr

from .standin import Fault, Handler, StandIn, point_at, to_int

__all__ = ["ArxivStandIn", "FakeAuthor", "FakePaper", "Fault", "SeenRequest", "fake_paper", "fake_papers", "paper_id"]

NAMESPACES = (
    'xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" '
    'xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom"'
)
_ID = re.compile(r"(?:\d{4}\.\d{4,5}|[a-z]+(?:-[a-z]+)?(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?")
_VERSION = re.compile(r"^(?P<base>.+?)(?:v(?P<v>\d+))?$")


@dataclass(frozen=True)
class FakeAuthor:
    name: str
    affiliations: tuple[str, ...] = ()


@dataclass(frozen=True)
class FakePaper:
    """One paper as the stand-in serves it. Text is what arXiv would send (titles may wrap)."""

    id: str
    """Without version, as arXiv writes it (old IDs without subject class)."""
    version: int
    """The latest version; every version from 1 up to it exists."""
    title: str
    abstract: str
    authors: tuple[FakeAuthor, ...]
    published: str
    categories: tuple[str, ...]
    """The primary category first."""
    doi: str | None = None
    journal_ref: str | None = None
    comment: str | None = None

    def updated(self, version: int) -> str:
        """When ``version`` appeared: 9 days after the one before."""
        first = datetime.strptime(self.published, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
        return (first + timedelta(days=9 * (version - 1), minutes=version - 1)).strftime("%Y-%m-%dT%H:%M:%SZ")


def paper_id(i: int) -> str:
    """The ``i``-th fake new-style ID (2015 to 2024, 5 digits: valid for :mod:`generator.ids`)."""
    return f"{15 + i % 10:02d}{1 + i % 12:02d}.{10000 + i:05d}"


_WORDS: tuple[str, ...] = ("attention", "retrieval", "prompt", "tuning", "language", "model", "contrastive")
_WORDS += ("translation", "sparse", "mixture", "experts", "alignment", "reasoning", "evaluation")
_WORDS += ("benchmark", "robust", "scaling", "transfer")
_NAMES = ["Caprice Stanley", "Tobias Windisch", "Zoë Łukasiewicz", "Hiroshi Kamabe", "Ada O'Neil", "이수진"]
_CATEGORIES = ["cs.CL", "cs.LG", "stat.ML", "math.CO", "quant-ph", "cs.IR"]


def fake_paper(arxiv_id: str, n: int) -> FakePaper:
    """A deterministic paper for ``arxiv_id``; ``n`` varies every optional field."""
    words = [_WORDS[(n + k * 7) % len(_WORDS)] for k in range(6)]
    authors = tuple(
        FakeAuthor(_NAMES[(n + k) % len(_NAMES)], ("Ohio State",) if (n + k) % 3 == 0 else ()) for k in range(1 + n % 4)
    )
    primary = _CATEGORIES[n % len(_CATEGORIES)]
    categories = (primary,) + ((_CATEGORIES[(n + 1) % len(_CATEGORIES)],) if n % 2 else ())
    published = datetime(2015 + n % 10, 1 + n % 12, 1 + n % 28, n % 24, n % 60, (n * 7) % 60, tzinfo=UTC)
    return FakePaper(
        id=arxiv_id,
        version=1 + n % 3,
        # arXiv wraps long titles and abstracts; a title may hold markup, sent escaped.
        title=f"Paper {n}: {words[0].title()} for\n  {words[1]} & <i>{words[2]}</i>",
        abstract=f"  We study {words[3]} and {words[4]}.\nThe  results on {words[5]}\nhold for n = {n}.\n",
        authors=authors,
        published=published.strftime("%Y-%m-%dT%H:%M:%SZ"),
        categories=categories,
        doi=f"10.1234/fake.{n}" if n % 3 == 0 else None,
        journal_ref=f"J. Fake Res. {n % 50}:1-{n % 97 + 2},{2015 + n % 10}" if n % 5 == 0 else None,
        comment=f"{n % 40 + 2} pages, {n % 9} figures" if n % 2 == 0 else None,
    )


def fake_papers(count: int, start: int = 0) -> dict[str, FakePaper]:
    """``count`` fake papers keyed by ID, from the ``start``-th on."""
    return {paper_id(i): fake_paper(paper_id(i), i) for i in range(start, start + count)}


@dataclass(frozen=True)
class SeenRequest:
    """One request the stand-in received."""

    path: str
    id_list: tuple[str, ...]
    start: int
    max_results: int
    user_agent: str
    query: Mapping[str, str] = field(default_factory=dict)


class ArxivStandIn(StandIn[SeenRequest]):
    """The stand-in server; it runs in a thread from construction until :meth:`close`."""

    def __init__(
        self,
        papers: Mapping[str, FakePaper] | None = None,
        *,
        replay: Mapping[str, tuple[int, str | bytes]] | None = None,
        seed: int = 0,
    ) -> None:
        self.handler = _Handler
        self.papers: dict[str, FakePaper] = dict(papers or {})
        self.replay: dict[str, tuple[int, str | bytes]] | None = dict(replay) if replay is not None else None
        """When set: ``id_list`` as sent (comma-separated) -> (status, body); others get a 404."""
        self.seed = seed
        super().__init__()

    @property
    def url(self) -> str:
        """The endpoint, for ``ARXIV_API_URL``."""
        return f"{self.origin}/api/query"

    @property
    def requested_ids(self) -> list[str]:
        """Every ID sent, in order, over all requests."""
        return [i for r in self.requests for i in r.id_list]

    def answer(self, seen: SeenRequest, fault: Fault | None) -> tuple[int, dict[str, str], bytes]:
        """Status, headers and body for ``seen``."""
        if seen.path != "/api/query":
            return 404, {"Content-Type": "text/plain"}, b"not found"
        if fault and fault.kind == "status":
            headers = {"Content-Type": "text/html"}
            if fault.retry_after is not None:
                headers["Retry-After"] = fault.retry_after
            html = f"<html><body><h1>{fault.code}</h1><p>Please try again later.</p></body></html>"
            return fault.code, headers, html.encode()
        if fault and fault.kind == "raw":
            return fault.code, {"Content-Type": fault.message}, fault.body
        if fault and fault.kind == "error":
            return fault.code, _ATOM_TYPE, error_feed(fault.message).encode()
        if self.replay is not None:
            key = ",".join(seen.id_list)
            if key not in self.replay:
                return 404, {"Content-Type": "text/plain"}, f"no recording for id_list={key}".encode()
            status, recorded = self.replay[key]
            return status, _ATOM_TYPE, recorded.encode() if isinstance(recorded, str) else recorded
        for arxiv_id in seen.id_list:
            if not _ID.fullmatch(arxiv_id):
                return 400, _ATOM_TYPE, error_feed(f"incorrect id format for {arxiv_id}").encode()
        omitted = fault.ids if fault and fault.kind == "omit" else frozenset()
        found: dict[str, tuple[FakePaper, int]] = {}
        for arxiv_id in seen.id_list:
            m = _VERSION.match(arxiv_id)
            assert m is not None
            paper = self.papers.get(m["base"])
            version = int(m["v"]) if m["v"] else paper.version if paper else 0
            if paper and paper.id not in omitted and 1 <= version <= paper.version:
                found.setdefault(paper.id, (paper, version))
        entries = list(found.values())
        # arXiv's order is not the request's.
        random.Random(self.seed ^ zlib.crc32(",".join(seen.id_list).encode())).shuffle(entries)
        if len(entries) > 1 and [p.id for p, _ in entries] == list(found):
            entries = entries[1:] + entries[:1]
        total = len(entries)
        page = entries[seen.start : seen.start + seen.max_results]
        if fault and fault.kind == "empty":
            page, total = [], total if fault.claims_results else 0
        body = feed(seen, page, total).encode()
        if fault and fault.kind == "truncated":
            cut = body.rfind(b"</author>")
            body = body[: cut if cut > 0 else len(body) // 2]
        return 200, _ATOM_TYPE, body


_ATOM_TYPE = {"Content-Type": "application/atom+xml; charset=utf-8"}


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def feed(seen: SeenRequest, page: list[tuple[FakePaper, int]], total: int) -> str:
    """A results feed, laid out as arXiv lays it out."""
    ids = ",".join(seen.id_list)
    query = f"search_query=&amp;id_list={escape(ids)}&amp;start={seen.start}&amp;max_results={seen.max_results}"
    link = f"https://arxiv.org/api/query?search_query=&amp;start={seen.start}&amp;max_results={seen.max_results}&amp;id_list={escape(ids)}"
    head = [
        "<?xml version='1.0' encoding='UTF-8'?>",
        f"<feed {NAMESPACES}>",
        f"  <id>https://arxiv.org/api/{zlib.crc32(ids.encode()):08x}</id>",
        f"  <title>arXiv Query: {query}</title>",
        f"  <updated>{_now()}</updated>",
        f'  <link href="{link}" type="application/atom+xml"/>',
        f"  <opensearch:itemsPerPage>{seen.max_results}</opensearch:itemsPerPage>",
        f"  <opensearch:totalResults>{total}</opensearch:totalResults>",
        f"  <opensearch:startIndex>{seen.start}</opensearch:startIndex>",
    ]
    return "\n".join(head + [entry(paper, version) for paper, version in page] + ["</feed>", ""])


def entry(paper: FakePaper, version: int) -> str:
    """One ``<entry>``, its elements in arXiv's order."""
    vid = f"{paper.id}v{version}"
    lines = [
        "  <entry>",
        f"    <id>http://arxiv.org/abs/{vid}</id>",
        f"    <title>{escape(paper.title)}</title>",
        f"    <updated>{paper.updated(version)}</updated>",
        f'    <link href="https://arxiv.org/abs/{vid}" rel="alternate" type="text/html"/>',
        f'    <link href="https://arxiv.org/pdf/{vid}" rel="related" type="application/pdf" title="pdf"/>',
    ]
    if paper.doi:
        lines.append(f'    <link href="https://doi.org/{escape(paper.doi)}" rel="related" title="doi"/>')
    lines.append(f"    <summary>{escape(paper.abstract)}</summary>")
    lines += [f'    <category term={quoteattr(c)} scheme="http://arxiv.org/schemas/atom"/>' for c in paper.categories]
    lines.append(f"    <published>{paper.published}</published>")
    if paper.comment:
        lines.append(f"    <arxiv:comment>{escape(paper.comment)}</arxiv:comment>")
    lines.append(f"    <arxiv:primary_category term={quoteattr(paper.categories[0])}/>")
    if paper.journal_ref:
        lines.append(f"    <arxiv:journal_ref>{escape(paper.journal_ref)}</arxiv:journal_ref>")
    if paper.doi:
        lines.append(f"    <arxiv:doi>{escape(paper.doi)}</arxiv:doi>")
    for author in paper.authors:
        lines += ["    <author>", f"      <name>{escape(author.name)}</name>"]
        lines += [f"      <arxiv:affiliation>{escape(a)}</arxiv:affiliation>" for a in author.affiliations]
        lines.append("    </author>")
    lines.append("  </entry>")
    return "\n".join(lines)


def error_feed(message: str) -> str:
    """arXiv's answer to a malformed request (HTTP 400), as in the ``id_abc`` recording."""
    anchor = "https://arxiv.org/api/errors#" + re.sub(r"\W+", "_", message)
    now = _now()
    return "\n".join(
        [
            "<?xml version='1.0' encoding='UTF-8'?>",
            f"<feed {NAMESPACES}>",
            "  <id>https://arxiv.org/</id>",
            "  <title>arXiv Search Results</title>",
            f"  <updated>{now}</updated>",
            "  <opensearch:itemsPerPage>1</opensearch:itemsPerPage>",
            "  <opensearch:totalResults>1</opensearch:totalResults>",
            "  <opensearch:startIndex>0</opensearch:startIndex>",
            "  <entry>",
            f"    <id>{escape(anchor)}</id>",
            "    <title>Error</title>",
            f"    <updated>{now}</updated>",
            f'    <link href="{escape(anchor)}" rel="alternate" type="text/html"/>',
            f"    <summary>{escape(message)}</summary>",
            "    <author>",
            "      <name>arXiv api core</name>",
            "    </author>",
            "  </entry>",
            "</feed>",
            "",
        ]
    )


class _Handler(Handler[SeenRequest]):
    def do_GET(self) -> None:  # noqa: N802, RUF100 (http.server's name)
        parts = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        self.respond(SeenRequest(
            path=parts.path,
            id_list=tuple(i for i in query.get("id_list", "").split(",") if i),
            start=to_int(query.get("start"), 0),
            max_results=to_int(query.get("max_results"), 10),
            user_agent=self.headers.get("User-Agent", ""),
            query=query,
        ))


try:
    import pytest
except ImportError:  # pragma: no cover (the benchmarks need no pytest)
    pass
else:

    @pytest.fixture(name="arxiv_server")
    def arxiv_server_fixture(monkeypatch: pytest.MonkeyPatch) -> Iterator[ArxivStandIn]:
        """An empty stand-in (add papers to ``.papers``), with ``ARXIV_*`` pointing at it:
        no delay between requests, no backoff, a 5 s timeout."""
        with ArxivStandIn() as server:
            point_at(monkeypatch, "ARXIV", server.url)
            yield server
