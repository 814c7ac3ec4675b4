"""Citation data from the Semantic Scholar Graph API, as lock records.

One :class:`ScholarSource` serves a whole run through the shared HTTP layer
(:mod:`generator.http`: one session, a pause between requests, retries with
backoff that honour ``Retry-After``, one message at once for a host that cannot
be reached). :meth:`ScholarSource.fetch_batch` asks for up to 100 papers in one
request to the batch endpoint, as its documentation describes::

    POST {S2_API_URL}/paper/batch?fields=corpusId,venue,publicationVenue,year,citationCount,externalIds,references.corpusId
    {"ids": ["ARXIV:2002.08909", "DOI:10.18653/v1/N19-1423", "ACL:C18-1266"]}

The answer is a list in the order of the IDs, with ``null`` for an ID Semantic
Scholar does not know. Only the fields Studylog uses are asked for, and of each
reference only its ``corpusId`` (Semantic Scholar's numeric ID; ``paperId`` comes
along), so an answer stays small: the API answers at most 500 IDs, 10 MB and 9,999
citations per request, and a batch of 100 papers with about 50 references each is
some 5,000 references and 400 KB. A batch the API still finds too large (HTTP 400,
"Response would exceed maximum size") is asked for again in two halves. The lock
keeps the references as corpus IDs, about 11 bytes each.

Settings come from the environment (:meth:`ScholarSettings.from_env`):

======================  ============================================  =========================================
Variable                Default                                       What it does
======================  ============================================  =========================================
``S2_API_URL``          ``https://api.semanticscholar.org/graph/v1``  the endpoint; tests use a local server
``S2_API_KEY``          (none)                                        sent as ``x-api-key``; empty is none
``S2_DELAY_SECONDS``    ``1``                                         the pause between requests (at least 1
                                                                      against semanticscholar.org without a key)
``S2_TIMEOUT_SECONDS``  ``30``                                        how long to wait for an answer
``S2_RETRIES``          ``4``                                         tries after the first one, per batch
``S2_BACKOFF_SECONDS``  ``2``                                         the first retry's wait; it doubles
======================  ============================================  =========================================
"""

from __future__ import annotations

import json
import logging
import os
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import requests

from . import http
from .http import Failure, Refused, Transient
from .lock import CitationRecord, now_utc
from .text import one_line

log = logging.getLogger(__name__)

API_URL = "https://api.semanticscholar.org/graph/v1"
SERVICE = "Semantic Scholar"
BATCH_SIZE = 100
"""Papers per request: their references stay far below what one answer may hold."""
MAX_BATCH = 500
"""The batch endpoint's limit on IDs per request."""
S2_MIN_DELAY = 1.0
"""Semantic Scholar's public rate limit, shared by everyone without a key: about one request a second."""
FIELDS = "corpusId,venue,publicationVenue,year,citationCount,externalIds,references.corpusId"
"""What is asked for: the paper's numeric ID, the venue and its kind, the year, the citation count, the
paper's other IDs, and the numeric IDs of the papers it cites (nothing else of them)."""
USER_AGENT = http.user_agent(f"python-requests/{requests.__version__}")

_PAPER_ID = re.compile(r"[0-9a-f]{40}")
_ID_NAME = re.compile(r"[A-Za-z]{1,40}")
_MAX_TEXT = 1000

Batch = http.Batch[str, CitationRecord]
"""What one request for a batch of lookup IDs brought back; records are keyed by the ID asked."""


@dataclass(frozen=True)
class ScholarSettings(http.Settings):
    """How to talk to Semantic Scholar. :meth:`from_env` reads them from ``S2_*`` variables."""

    api_url: str = API_URL
    delay_seconds: float = S2_MIN_DELAY
    backoff_seconds: float = 2.0
    api_key: str | None = field(default=None, repr=False)
    """``S2_API_KEY``, sent as ``x-api-key``; never shown."""
    batch_size: int = BATCH_SIZE

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> ScholarSettings:
        """Settings from ``S2_API_URL``, ``S2_API_KEY``, ``S2_DELAY_SECONDS``, ``S2_TIMEOUT_SECONDS``,
        ``S2_RETRIES`` and ``S2_BACKOFF_SECONDS``. An empty ``S2_API_KEY`` (what a GitHub workflow passes
        for a secret that is not set) is no key. Raises StudylogError on a bad value."""
        env = os.environ if environ is None else environ
        key = (env.get("S2_API_KEY") or "").strip() or None

        def floor(host: str, delay: float) -> float:
            if key is None and _is_s2(host) and delay < S2_MIN_DELAY:
                log.warning("S2_DELAY_SECONDS=%s is below Semantic Scholar's public rate of one request a second; "
                            "using 1 s for %s (an API key lifts this)", delay, host)
                return S2_MIN_DELAY
            return delay

        settings = cls.read(env, prefix="S2", api_url=API_URL, example="http://127.0.0.1:8000/graph/v1", floor=floor)
        return replace(settings, api_key=key)


def _is_s2(host: str) -> bool:
    return host == "semanticscholar.org" or host.endswith(".semanticscholar.org")


class _TooLarge:
    """The API's answer for a batch would exceed the size it allows: ask for halves."""


_TOO_LARGE = _TooLarge()


class ScholarSource(http.Service):
    """Fetches Semantic Scholar's records, up to 100 papers per request. Close it when done."""

    name = SERVICE
    missing_note = "Semantic Scholar does not know them; they are asked for again next time"

    def __init__(self, settings: ScholarSettings | None = None, *, sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.settings = settings or ScholarSettings.from_env()
        if not 1 <= self.settings.batch_size <= MAX_BATCH:
            raise ValueError(f"a batch holds 1 to {MAX_BATCH} IDs, not {self.settings.batch_size}")
        self.batch_size = self.settings.batch_size
        super().__init__(self.settings, agent=USER_AGENT, sleep=sleep, clock=clock)
        if self.settings.api_key:
            self.client.session.headers["x-api-key"] = self.settings.api_key

    @staticmethod
    def key(lookup: str) -> str:
        """The key of ``lookup``'s record in the lock: the ID as asked (``ARXIV:2002.08909``)."""
        return lookup

    def fetch_batch(self, ids: Sequence[str], *, on_retry: Callable[[str], None] | None = None) -> Batch:
        """Ask for ``ids`` (``ARXIV:...``, ``DOI:...``, ``ACL:...``; at most 500) in one request, retrying
        what is worth it; a batch whose answer would be too large is asked for in halves. Never raises
        for what the API answers; ``on_retry`` hears about each retry."""
        requested = tuple(ids)
        if not requested:
            return Batch(())
        if len(requested) > MAX_BATCH:
            raise ValueError(f"at most {MAX_BATCH} IDs per request, not {len(requested)}")
        result = self.client.call(lambda: self._read(requested, self._query(requested)), on_retry=on_retry)
        if isinstance(result, Failure):
            return Batch.failure(requested, result)
        if isinstance(result, _TooLarge):
            if len(requested) == 1:
                return Batch.failure(requested, Failure("its answer would exceed the size Semantic Scholar allows"))
            half = len(requested) // 2
            if on_retry:
                on_retry(f"the answer would exceed the size Semantic Scholar allows; asking for {half} and "
                         f"{len(requested) - half} papers apart")
            first = self.fetch_batch(requested[:half], on_retry=on_retry)
            if first.stops_the_run:
                return _merge(requested, first, Batch(requested[half:], failed=requested[half:]))
            return _merge(requested, first, self.fetch_batch(requested[half:], on_retry=on_retry))
        return result

    def _query(self, ids: Sequence[str]) -> requests.Response:
        """One request for ``ids``, paced (see the API's documentation of ``POST /paper/batch``)."""
        return self.client.send("POST", f"{self.settings.api_url.rstrip('/')}/paper/batch",
                                 params={"fields": FIELDS}, json={"ids": list(ids)})

    def _read(self, requested: tuple[str, ...], response: requests.Response) -> Batch | _TooLarge:
        """The records in a checked answer; raises Refused or Transient unless it is a whole one."""
        http.check_status(response, SERVICE)
        status = response.status_code
        body = response.content
        if status != 200:
            detail = _error_message(body)
            if status == 400 and "exceed" in detail.lower():
                return _TOO_LARGE
            if status in (401, 403) and self.settings.api_key:
                raise Refused(f"Semantic Scholar refused the API key in S2_API_KEY (HTTP {status}"
                              f"{': ' + detail if detail else ''}); check it, or unset it to use the public rate",
                              final=True)
            if status == 404:
                where = response.url.split("?")[0]
                raise Refused(f"HTTP 404 from {where} (is S2_API_URL right?)", final=True)
            raise Refused(f"Semantic Scholar refused the request (HTTP {status}){': ' + detail if detail else ''}")
        try:
            data = json.loads(body)
        except ValueError as err:
            raise Transient(f"Semantic Scholar sent broken JSON ({len(body)} bytes, {_json_problem(err)})") from None
        if not isinstance(data, list):
            raise Transient(f"Semantic Scholar sent {_kind(data)}, not a list of papers")
        if len(data) != len(requested):
            raise Transient(f"Semantic Scholar answered a list of {len(data)} for {len(requested)} IDs")
        fetched = now_utc()
        records: dict[str, CitationRecord] = {}
        missing: list[str] = []
        for asked, item in zip(requested, data, strict=True):
            if item is None:
                missing.append(asked)
            else:
                records[asked] = record_from_json(asked, item, fetched=fetched)
        return Batch(requested, records, tuple(missing))


def record_from_json(asked: str, item: Any, *, fetched: str) -> CitationRecord:
    """One paper of the batch endpoint's answer as a lock record. Raises ValueError for one the
    API's format does not allow (no ``paperId``, a count that is not a number)."""
    if not isinstance(item, dict):
        raise ValueError(f"the answer for {asked} is {_kind(item)}, not a paper")
    paper_id = item.get("paperId")
    if not isinstance(paper_id, str) or not _PAPER_ID.fullmatch(paper_id):
        raise ValueError(f"the answer for {asked} has no Semantic Scholar paperId ({_shown(paper_id)})")
    venue = item.get("publicationVenue")
    if venue is not None and not isinstance(venue, dict):
        raise ValueError(f"publicationVenue of {asked} is {_kind(venue)}")
    venue = venue or {}
    external_ids = _external_ids(item.get("externalIds"), asked)
    corpus_id = item.get("corpusId")
    if corpus_id is None:
        corpus_id = dict(external_ids).get("CorpusId")
    return CitationRecord(
        id=asked,
        paper_id=paper_id,
        corpus_id=_corpus_id(corpus_id, f"corpusId of {asked}"),
        venue=_text(item.get("venue"), "venue", asked),
        publication_venue=_text(venue.get("name"), "publicationVenue.name", asked),
        venue_type=venue.get("type") if venue.get("type") in ("conference", "journal") else None,
        year=_year(item.get("year"), asked),
        citation_count=_count(item.get("citationCount"), asked),
        external_ids=external_ids,
        references=_references(item.get("references"), asked),
        fetched=fetched,
    )


def _text(value: Any, name: str, asked: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{name} of {asked} is {_kind(value)}, not text")
    return one_line(value)[:_MAX_TEXT] or None


def _year(value: Any, asked: str) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"year of {asked} is {_shown(value)}, not a year")
    return value if 1000 <= value <= 3000 else None


def _count(value: Any, asked: str) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(f"citationCount of {asked} is {_shown(value)}, not a count")
    return value


def _corpus_id(value: Any, name: str) -> int | None:
    """A corpus ID (a whole number; ``externalIds`` sends it as one, sometimes as digits), or None."""
    if value is None:
        return None
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or not 0 < value < 10**12:
        raise ValueError(f"{name} is {_shown(value)}, not a corpus ID")
    return value


def _external_ids(value: Any, asked: str) -> tuple[tuple[str, str], ...]:
    if value is None:
        return ()
    if not isinstance(value, dict):
        raise ValueError(f"externalIds of {asked} is {_kind(value)}")
    found = {}
    for name, ident in value.items():
        if _ID_NAME.fullmatch(str(name)) and isinstance(ident, (str, int)) and not isinstance(ident, bool):
            text = one_line(str(ident))
            if text and len(text) <= 500:
                found[str(name)] = text
    return tuple(sorted(found.items()))[:50]


def _references(value: Any, asked: str) -> tuple[int, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise ValueError(f"references of {asked} is {_kind(value)}, not a list")
    found: set[int] = set()
    for reference in value:
        if not isinstance(reference, dict):
            raise ValueError(f"a reference of {asked} is {_kind(reference)}")
        corpus_id = _corpus_id(reference.get("corpusId"), f"a reference of {asked}")
        if corpus_id is not None:
            found.add(corpus_id)  # a reference Semantic Scholar could not resolve has none
    return tuple(sorted(found))


def _merge(requested: tuple[str, ...], first: Batch, second: Batch) -> Batch:
    """One batch of two halves' answers."""
    errors = [b.error for b in (first, second) if b.error]
    return Batch(
        requested,
        {**first.records, **second.records},
        first.missing + second.missing,
        first.failed + second.failed,
        error="; ".join(dict.fromkeys(errors)) or None,
        unavailable=first.unavailable or second.unavailable,
        unreachable=first.unreachable or second.unreachable,
        final=first.final or second.final,
    )


def _error_message(body: bytes) -> str:
    """The message of an error answer (``{"error": "..."}`` or ``{"message": "..."}``), shortened; else ''."""
    try:
        data = json.loads(body)
    except ValueError:
        return ""
    if isinstance(data, dict):
        for name in ("error", "message"):
            if isinstance(data.get(name), str):
                return one_line(data[name])[:300]
    return ""


def _json_problem(err: ValueError) -> str:
    return f"{err.msg} at character {err.pos}" if isinstance(err, json.JSONDecodeError) else str(err)


def _kind(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "text", bool: "true or false", int: "a number",
             float: "a number", type(None): "null"}
    return names.get(type(value), type(value).__name__)


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False) if isinstance(value, (str, int, float, bool, type(None))) else _kind(value)
    return text if len(text) <= 40 else text[:37] + "..."


__all__ = ["API_URL", "BATCH_SIZE", "FIELDS", "MAX_BATCH", "USER_AGENT", "Batch", "ScholarSettings", "ScholarSource",
           "record_from_json"]
