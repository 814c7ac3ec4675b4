"""Metadata from the arXiv API, as lock records.

One :class:`ArxivSource` serves a whole run: one HTTP session, one connection at
a time, a pause between requests (arXiv's terms ask for at most one request every
3 s). :meth:`ArxivSource.fetch_batch` asks for up to 100 IDs in one request and
returns a :class:`Batch`: the records keyed by ID (arXiv returns entries in any
order), the IDs arXiv did not return, or why the batch failed.

This module sends the request the API's user manual describes (``id_list``,
``start``, ``max_results``) through the shared HTTP layer (:mod:`generator.http`:
timeout, Studylog's User-Agent, pacing, retries with backoff that honour
``Retry-After``, one message at once for a host that cannot be reached), so a new
release of a library cannot change what is sent. Every answer is checked before it
is read: arXiv's error feed, HTTP 429 and 5xx, XML that is cut short or is not an
Atom feed. Entries become ``arxiv.Result`` records through the ``arxiv`` package's
public constructor.

Settings come from the environment (:meth:`Settings.from_env`):

==========================  ======================================  ======================================
Variable                    Default                                 What it does
==========================  ======================================  ======================================
``ARXIV_API_URL``           ``https://export.arxiv.org/api/query``  the endpoint; tests use a local server
``ARXIV_DELAY_SECONDS``     ``3``                                   the pause between requests (at least
                                                                    3 against arxiv.org)
``ARXIV_TIMEOUT_SECONDS``   ``30``                                  how long to wait for an answer
``ARXIV_RETRIES``           ``4``                                   tries after the first one, per batch
``ARXIV_BACKOFF_SECONDS``   ``3``                                   the first retry's wait; it doubles
==========================  ======================================  ======================================
"""

from __future__ import annotations

import logging
import os
import re
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import arxiv  # type: ignore[import-untyped, unused-ignore]
import requests

from . import http
from .http import Failure, Refused, Transient
from .ids import ArxivId
from .lock import ArxivRecord, iso_utc, now_utc
from .text import one_line

log = logging.getLogger(__name__)

API_URL = "https://export.arxiv.org/api/query"
BATCH_SIZE = 100
"""IDs per request. arXiv answers up to 2,000 per page, but 100 keeps a lost batch small."""
ARXIV_MIN_DELAY = 3.0
"""arXiv's terms of use: no more than one request every three seconds."""
CONNECT_TIMEOUT = http.CONNECT_TIMEOUT
SERVICE = "arXiv"

_ATOM = "{http://www.w3.org/2005/Atom}"
_OPENSEARCH = "{http://a9.com/-/spec/opensearch/1.1/}"

USER_AGENT = http.user_agent(f"arxiv.py/{arxiv.__version__}")

Batch = http.Batch[ArxivId, ArxivRecord]
"""What one request for a batch of arXiv IDs brought back; records are keyed by ID without version."""


@dataclass(frozen=True)
class Settings(http.Settings):
    """How to talk to arXiv. :meth:`from_env` reads them from ``ARXIV_*`` variables."""

    api_url: str = API_URL
    delay_seconds: float = ARXIV_MIN_DELAY

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Settings from ``ARXIV_API_URL``, ``ARXIV_DELAY_SECONDS``, ``ARXIV_TIMEOUT_SECONDS``,
        ``ARXIV_RETRIES`` and ``ARXIV_BACKOFF_SECONDS``. Raises StudylogError on a bad value."""
        return cls.read(os.environ if environ is None else environ, prefix="ARXIV", api_url=API_URL,
                        example="http://127.0.0.1:8000/api/query", floor=_at_least_arxivs_pause)


def _at_least_arxivs_pause(host: str, delay: float) -> float:
    if _is_arxiv(host) and delay < ARXIV_MIN_DELAY:
        log.warning("ARXIV_DELAY_SECONDS=%s is below arXiv's 3 s; using 3 s for %s", delay, host)
        return ARXIV_MIN_DELAY
    return delay


def _is_arxiv(host: str) -> bool:
    return host == "arxiv.org" or host.endswith(".arxiv.org")


def _check_response(response: requests.Response) -> ET.Element:
    """The Atom feed of ``response``; raises Refused or Transient unless it is a whole one."""
    http.check_status(response, SERVICE)
    status = response.status_code
    body = response.content
    if status != 200:
        detail = _error_summary(body)
        if detail:
            raise Refused(f"arXiv refused the request (HTTP {status}): {detail}")
        where = response.url.split("?")[0]
        raise Refused(f"HTTP {status} from {where}" + (" (is ARXIV_API_URL right?)" if status == 404 else ""))
    try:
        root = ET.fromstring(body)
    except ET.ParseError as err:
        raise Transient(f"arXiv sent broken XML ({len(body)} bytes, {err})") from None
    if root.tag != f"{_ATOM}feed":
        raise Transient(f"arXiv sent XML that is not an Atom feed (<{root.tag}>)")
    detail = _error_summary(body, root)
    if detail:
        raise Refused(f"arXiv refused the request: {detail}")
    entries = root.findall(f"{_ATOM}entry")
    if not entries:
        total = _int(root.findtext(f"{_OPENSEARCH}totalResults"))
        start = _int(root.findtext(f"{_OPENSEARCH}startIndex"))
        if total > start:
            raise Transient(f"arXiv sent an empty page that claims {total} results")
    return root


def _int(text: str | None) -> int:
    try:
        return int((text or "").strip())
    except ValueError:
        return 0


def _error_summary(body: bytes, root: ET.Element | None = None) -> str | None:
    """The message of arXiv's error feed (an entry whose id is ``.../api/errors#...``), if it is one."""
    if root is None:
        try:
            root = ET.fromstring(body)
        except ET.ParseError:
            return None
    for entry in root.iter(f"{_ATOM}entry"):
        entry_id = entry.findtext(f"{_ATOM}id") or ""
        if "/api/errors" in entry_id:
            summary = one_line(entry.findtext(f"{_ATOM}summary") or "")
            return summary or entry_id.rsplit("#", 1)[-1].replace("_", " ")
    return None


class ArxivSource(http.Service):
    """Fetches arXiv metadata, one batch of up to 100 IDs per request. Close it when done.

    One HTTP session and one connection for the whole run, and at least
    ``settings.delay_seconds`` between the start of one request and the next.
    """

    name = SERVICE
    missing_note = "arXiv returned nothing for them; check the IDs"
    batch_size = BATCH_SIZE

    def __init__(self, settings: Settings | None = None, *, sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.settings = settings or Settings.from_env()
        super().__init__(self.settings, agent=USER_AGENT, sleep=sleep, clock=clock)

    @staticmethod
    def key(arxiv_id: ArxivId) -> str:
        """The key of ``arxiv_id``'s record in the lock: the ID without version."""
        return arxiv_id.base

    def fetch_batch(self, ids: Sequence[ArxivId], *, on_retry: Callable[[str], None] | None = None) -> Batch:
        """Ask arXiv for ``ids`` (at most 100) in one request, retrying what is worth it.

        A pinned ID (``2104.08691v1``) asks for that version, an unpinned one for the
        latest. The IDs are sent as they are: check them with :mod:`generator.ids` first,
        since arXiv refuses a whole request for one malformed ID. Never raises for what
        arXiv answers; ``on_retry`` hears about each retry. A host that cannot be reached
        at all fails the batch at once, marked ``unreachable``. arXiv now and then sends
        an empty page for IDs it has, so an answer without any of them is asked for once more.
        """
        requested = tuple(ids)
        if not requested:
            return Batch(())
        if len(requested) > BATCH_SIZE:
            raise ValueError(f"at most {BATCH_SIZE} IDs per request, not {len(requested)}")

        def attempt() -> Batch:
            batch = _collect(requested, self._query(requested), fetched=now_utc())
            if not batch.records:
                raise http.Doubtful("arXiv returned none of the IDs", batch)
            return batch

        result = self.client.call(attempt, on_retry=on_retry)
        return Batch.failure(requested, result) if isinstance(result, Failure) else result

    def _query(self, ids: Sequence[ArxivId]) -> list[arxiv.Result]:
        """One request for ``ids``, paced; the entries of a checked answer (see the API's user manual)."""
        params = {"id_list": ",".join(str(i) for i in ids), "start": "0", "max_results": str(len(ids))}
        response = self.client.send("GET", self.settings.api_url, params=params)
        return [_result(entry) for entry in _check_response(response).findall(f"{_ATOM}entry")]


_ARXIV_NS = "{http://arxiv.org/schemas/atom}"


def _result(entry: ET.Element) -> arxiv.Result:
    """One Atom ``<entry>`` as an ``arxiv.Result`` (the package's public record of a paper).

    Raises ValueError for an entry the API's format does not allow (no id, a date that is not one).
    """
    def text(path: str) -> str | None:
        found = entry.find(path)
        return found.text if found is not None and found.text is not None else None

    entry_id = text(f"{_ATOM}id")
    if not entry_id:
        raise ValueError("an entry without <id>")
    primary = entry.find(f"{_ARXIV_NS}primary_category")
    return arxiv.Result(
        entry_id=entry_id,
        updated=_when(text(f"{_ATOM}updated"), "updated"),
        published=_when(text(f"{_ATOM}published"), "published"),
        title=text(f"{_ATOM}title") or "",
        authors=[arxiv.Result.Author(author.findtext(f"{_ATOM}name") or "")
                 for author in entry.findall(f"{_ATOM}author")],
        summary=text(f"{_ATOM}summary") or "",
        comment=text(f"{_ARXIV_NS}comment"),
        journal_ref=text(f"{_ARXIV_NS}journal_ref"),
        doi=text(f"{_ARXIV_NS}doi"),
        primary_category=(primary.get("term") if primary is not None else None) or "",
        categories=[c.get("term") or "" for c in entry.findall(f"{_ATOM}category") if c.get("term")],
        links=[arxiv.Result.Link(link.get("href") or "", title=link.get("title"), rel=link.get("rel") or "",
                                 content_type=link.get("type"))
               for link in entry.findall(f"{_ATOM}link") if link.get("href")],
    )


def _when(text: str | None, name: str) -> datetime:
    if text is None:
        raise ValueError(f"an entry without <{name}>")
    when = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def _collect(requested: tuple[ArxivId, ...], results: Iterable[arxiv.Result], *, fetched: str) -> Batch:
    """Key ``results`` by the IDs asked for; whatever was not returned is missing."""
    wanted = {match_key(i.base): i for i in requested}
    records: dict[str, ArxivRecord] = {}
    for result in results:
        base, got_version = split_entry_id(result.entry_id)
        asked = wanted.get(match_key(base))
        if asked is None:
            log.warning("arXiv returned %s, which was not asked for", result.entry_id)
            continue
        if asked.version is not None and got_version != asked.version:
            log.warning("asked arXiv for %s, it returned %s", asked, result.entry_id)
            continue
        if asked.base not in records:
            records[asked.base] = record_from_result(result, key=asked.base, fetched=fetched)
    missing = tuple(i for i in requested if i.base not in records)
    return Batch(requested, records, missing)


_ENTRY_ID = re.compile(r"/abs/(?P<base>.+?)(?:v(?P<v>\d+))?/?$")
_SUBJECT_CLASS = re.compile(r"^(?P<archive>[a-z-]+)\.[A-Z]{2}/")


def split_entry_id(entry_id: str) -> tuple[str, int | None]:
    """``http://arxiv.org/abs/hep-th/9901001v2`` -> ``("hep-th/9901001", 2)``."""
    m = _ENTRY_ID.search(entry_id.strip())
    if not m:
        return entry_id.strip(), None
    return m["base"], int(m["v"]) if m["v"] else None


def match_key(base: str) -> str:
    """The form arXiv answers in: old IDs lose their subject class (``math.GT/0309136`` -> ``math/0309136``)."""
    return _SUBJECT_CLASS.sub(r"\g<archive>/", base)


def record_from_result(result: arxiv.Result, *, key: str | None = None, fetched: str | None = None) -> ArxivRecord:
    """An ``arxiv.Result`` as a lock record. ``key`` is the ID to file it under (default: its own)."""
    base, got_version = split_entry_id(result.entry_id)
    categories = tuple(dict.fromkeys(c for c in result.categories if c))
    return ArxivRecord(
        id=key or base,
        version=got_version,
        title=_squash(result.title),
        authors=tuple(_squash(a.name) for a in result.authors if _squash(a.name)),
        abstract=_squash(result.summary),
        published=iso_utc(result.published),
        updated=iso_utc(result.updated),
        primary_category=result.primary_category or (categories[0] if categories else ""),
        categories=categories,
        doi=_squash(result.doi) or None,
        journal_ref=_squash(result.journal_ref) or None,
        comment=_squash(result.comment) or None,
        fetched=fetched or now_utc(),
    )


def _squash(text: str | None) -> str:
    """arXiv wraps titles and abstracts over lines: one space between words, none at the ends."""
    return one_line(text or "")


__all__ = [
    "API_URL",
    "BATCH_SIZE",
    "USER_AGENT",
    "ArxivSource",
    "Batch",
    "Settings",
    "iso_utc",
    "match_key",
    "record_from_result",
    "split_entry_id",
]
