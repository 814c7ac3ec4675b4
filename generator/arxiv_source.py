"""Metadata from the arXiv API, as lock records.

One :class:`ArxivSource` serves a whole run: one HTTP session, one connection at
a time, a pause between requests (arXiv's terms ask for at most one request every
3 s). :meth:`ArxivSource.fetch_batch` asks for up to 100 IDs in one request and
returns a :class:`Batch`: the records keyed by ID (arXiv returns entries in any
order), the IDs arXiv did not return, or why the batch failed.

This module owns the HTTP layer: it sends the request the API's user manual
describes (``id_list``, ``start``, ``max_results``) with a timeout and Studylog's
User-Agent, so a new release of a library cannot change what is sent. Every answer
is checked before it is read: arXiv's error feed, HTTP 429 and 5xx, XML that is cut
short or is not an Atom feed. Entries become ``arxiv.Result`` records through the
``arxiv`` package's public constructor. Retries back off exponentially and honour
``Retry-After``; a host that cannot be reached at all (offline, no DNS, refused) is
reported at once, within :data:`CONNECT_TIMEOUT`, and not retried.

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
import math
import os
import re
import socket
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from importlib.metadata import PackageNotFoundError, version
from typing import Any, Self
from urllib.parse import urlsplit

import arxiv  # type: ignore[import-untyped, unused-ignore]
import requests
import urllib3
from requests.adapters import HTTPAdapter

from .errors import StudylogError
from .ids import ArxivId
from .lock import ArxivRecord
from .text import one_line

log = logging.getLogger(__name__)

API_URL = "https://export.arxiv.org/api/query"
BATCH_SIZE = 100
"""IDs per request. arXiv answers up to 2,000 per page, but 100 keeps a lost batch small."""
ARXIV_MIN_DELAY = 3.0
"""arXiv's terms of use: no more than one request every three seconds."""
CONNECT_TIMEOUT = 5.0
"""Seconds to wait for a connection: offline, a run says so within this, instead of retrying."""

_ATOM = "{http://www.w3.org/2005/Atom}"
_OPENSEARCH = "{http://a9.com/-/spec/opensearch/1.1/}"


def _user_agent() -> str:
    try:
        ours = version("studylog")
    except PackageNotFoundError:
        ours = "0+unknown"
    return f"studylog/{ours} (reading-list site generator; arxiv.py/{arxiv.__version__})"


USER_AGENT = _user_agent()


@dataclass(frozen=True)
class Settings:
    """How to talk to arXiv. :meth:`from_env` reads them from ``ARXIV_*`` variables."""

    api_url: str = API_URL
    delay_seconds: float = ARXIV_MIN_DELAY
    """The pause between two requests."""
    timeout_seconds: float = 30.0
    """How long to wait to connect, and then for each read, before giving up on a request."""
    retries: int = 4
    """Tries after the first, per batch, on 429, 5xx, timeouts, broken XML and empty pages."""
    backoff_seconds: float = 3.0
    """The wait before the first retry; it doubles for each next one (3, 6, 12, 24 s)."""
    max_wait_seconds: float = 600.0
    """A ``Retry-After`` longer than this fails the batch instead of waiting."""

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Settings from ``ARXIV_API_URL``, ``ARXIV_DELAY_SECONDS``, ``ARXIV_TIMEOUT_SECONDS``,
        ``ARXIV_RETRIES`` and ``ARXIV_BACKOFF_SECONDS``. Raises StudylogError on a bad value."""
        env = os.environ if environ is None else environ
        url = (env.get("ARXIV_API_URL") or "").strip() or API_URL
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
            raise StudylogError(
                f"ARXIV_API_URL must be an http(s) URL without a query, not {url!r}",
                hint=f"unset it to use arXiv ({API_URL}), or set it like http://127.0.0.1:8000/api/query",
            )
        delay = _number(env, "ARXIV_DELAY_SECONDS", ARXIV_MIN_DELAY, minimum=0.0)
        if _is_arxiv(parts.hostname) and delay < ARXIV_MIN_DELAY:
            log.warning("ARXIV_DELAY_SECONDS=%s is below arXiv's 3 s; using 3 s for %s", delay, parts.hostname)
            delay = ARXIV_MIN_DELAY
        return cls(
            api_url=url,
            delay_seconds=delay,
            timeout_seconds=_number(env, "ARXIV_TIMEOUT_SECONDS", cls.timeout_seconds, minimum=0.001),
            retries=int(_number(env, "ARXIV_RETRIES", cls.retries, minimum=0, integer=True)),
            backoff_seconds=_number(env, "ARXIV_BACKOFF_SECONDS", cls.backoff_seconds, minimum=0.0),
        )


def _is_arxiv(host: str) -> bool:
    return host == "arxiv.org" or host.endswith(".arxiv.org")


def _number(env: Mapping[str, str], name: str, default: float, *, minimum: float, integer: bool = False) -> float:
    text = (env.get(name) or "").strip()
    if not text:
        return default
    try:
        value = int(text) if integer else float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value >= minimum):
        kind = "a whole number" if integer else "a number of seconds"
        raise StudylogError(
            f"{name} must be {kind} of at least {minimum:g}, not {text!r}",
            hint=f"unset it to use the default, {default:g}",
        )
    return value


@dataclass(frozen=True)
class Batch:
    """What one request for a batch of IDs brought back."""

    requested: tuple[ArxivId, ...]
    records: dict[str, ArxivRecord] = field(default_factory=dict)
    """The records, keyed by ID without version (as requested, whatever order arXiv sent)."""
    missing: tuple[ArxivId, ...] = ()
    """IDs arXiv answered without (it has no such paper, or not that version)."""
    error: str | None = None
    """Why the batch failed; then ``records`` and ``missing`` are empty."""
    unavailable: bool = False
    """The failure was arXiv being unavailable (retries ran out), not a refusal of this batch."""
    unreachable: bool = False
    """The host could not be reached at all (offline, no DNS): no later batch will fare better."""

    @property
    def failed(self) -> tuple[ArxivId, ...]:
        return self.requested if self.error else ()


class _Refused(Exception):
    """An answer that asking again will not change: arXiv's error feed, or a 4xx."""


class _Transient(Exception):
    """An answer worth asking again for: 429, 5xx, broken XML, an empty page."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class _Adapter(HTTPAdapter):
    """Adds a default timeout and Studylog's User-Agent to every request, and counts those that reached arXiv."""

    def __init__(self, timeout: float) -> None:
        super().__init__()
        self.timeout = timeout
        self.reached = 0
        """Requests that reached the server (it answered, or it took the request and timed out)."""

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> requests.Response:
        request.headers["User-Agent"] = USER_AGENT
        if kwargs.get("timeout") is None:
            # Connecting is quick or not at all: an unreachable host fails within CONNECT_TIMEOUT.
            kwargs["timeout"] = (min(CONNECT_TIMEOUT, self.timeout), self.timeout)
        try:
            response = super().send(request, *args, **kwargs)
        except requests.exceptions.ConnectTimeout:
            raise
        except requests.ConnectionError as err:
            if not _never_connected(err):
                self.reached += 1
            raise
        except requests.Timeout:
            self.reached += 1  # connected, then no answer in time
            raise
        self.reached += 1
        return response


class _Unreachable(Exception):
    """The host cannot be reached at all (no network, no DNS, refused): asking again soon will not help."""


def _check_response(response: requests.Response) -> ET.Element:
    """The Atom feed of ``response``; raises _Refused or _Transient unless it is a whole one."""
    status = response.status_code
    body = response.content
    if status == 429 or status >= 500:
        raise _Transient(f"HTTP {status} from arXiv", _retry_after(response.headers.get("Retry-After")))
    if status != 200:
        detail = _error_summary(body)
        if detail:
            raise _Refused(f"arXiv refused the request (HTTP {status}): {detail}")
        where = response.url.split("?")[0]
        raise _Refused(f"HTTP {status} from {where}" + (" (is ARXIV_API_URL right?)" if status == 404 else ""))
    try:
        root = ET.fromstring(body)
    except ET.ParseError as err:
        raise _Transient(f"arXiv sent broken XML ({len(body)} bytes, {err})") from None
    if root.tag != f"{_ATOM}feed":
        raise _Transient(f"arXiv sent XML that is not an Atom feed (<{root.tag}>)")
    detail = _error_summary(body, root)
    if detail:
        raise _Refused(f"arXiv refused the request: {detail}")
    entries = root.findall(f"{_ATOM}entry")
    if not entries:
        total = _int(root.findtext(f"{_OPENSEARCH}totalResults"))
        start = _int(root.findtext(f"{_OPENSEARCH}startIndex"))
        if total > start:
            raise _Transient(f"arXiv sent an empty page that claims {total} results")
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


def _retry_after(value: str | None) -> float | None:
    """``Retry-After`` in seconds: either a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


class ArxivSource:
    """Fetches arXiv metadata, one batch of up to 100 IDs per request. Close it when done.

    One HTTP session and one connection for the whole run, and at least
    ``settings.delay_seconds`` between the start of one request and the next.
    """

    def __init__(self, settings: Settings | None = None, *, sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.settings = settings or Settings.from_env()
        self._sleep = sleep
        self._clock = clock
        self._last_request: float | None = None
        self._adapter = _Adapter(self.settings.timeout_seconds)
        self._session = requests.Session()
        self._session.mount("http://", self._adapter)
        self._session.mount("https://", self._adapter)

    @property
    def requests_sent(self) -> int:
        """How many requests reached arXiv (a request that never connected does not count)."""
        return self._adapter.reached

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def fetch_batch(self, ids: Sequence[ArxivId], *, on_retry: Callable[[str], None] | None = None) -> Batch:
        """Ask arXiv for ``ids`` (at most 100) in one request, retrying what is worth it.

        A pinned ID (``2104.08691v1``) asks for that version, an unpinned one for the
        latest. The IDs are sent as they are: check them with :mod:`generator.ids` first,
        since arXiv refuses a whole request for one malformed ID. Never raises for what
        arXiv answers; ``on_retry`` hears about each retry. A host that cannot be reached
        at all fails the batch at once, marked ``unreachable``.
        """
        requested = tuple(ids)
        if not requested:
            return Batch(())
        if len(requested) > BATCH_SIZE:
            raise ValueError(f"at most {BATCH_SIZE} IDs per request, not {len(requested)}")
        tries = self.settings.retries + 1
        asked_again = False
        for attempt in range(tries):
            retry_after = None
            empty = False
            try:
                results = self._query(requested)
            except _Refused as err:
                return Batch(requested, error=str(err))
            except _Unreachable as err:
                return Batch(requested, error=str(err), unavailable=True, unreachable=True)
            except _Transient as err:
                reason, retry_after = str(err), err.retry_after
            except requests.Timeout:
                reason = f"arXiv did not answer within {self.settings.timeout_seconds:g} s"
            except (
                requests.ConnectionError,
                requests.exceptions.ChunkedEncodingError,
                requests.exceptions.ContentDecodingError,
            ) as err:
                reason = f"could not reach arXiv ({_short(err)})"
            except requests.RequestException as err:
                return Batch(requested, error=f"could not ask arXiv: {_short(err)}", unavailable=True)
            except (ValueError, TypeError, AttributeError, LookupError) as err:
                # Well-formed XML that cannot be read (a bad date, say): asking again won't help.
                return Batch(requested, error=f"could not read arXiv's answer ({type(err).__name__}: {err})")
            else:
                if results or asked_again or attempt + 1 == tries:
                    return _collect(requested, results, fetched=_now())
                # arXiv now and then sends an empty page for IDs it has: ask once more.
                asked_again = empty = True
                reason = "arXiv returned none of the IDs"
            if attempt + 1 == tries:
                break
            wait = max(self.settings.delay_seconds, self.settings.backoff_seconds * 2**attempt, retry_after or 0.0)
            if wait > self.settings.max_wait_seconds:
                return Batch(requested, error=f"{reason}; it asks to wait {wait:.0f} s", unavailable=True)
            if on_retry:
                again = "asking once more" if empty else f"retrying (try {attempt + 2} of {tries})"
                on_retry(f"{reason}; {again} in {wait:.3g} s")
            log.info("%s; retrying in %s s", reason, wait)
            self._sleep(wait)
            self._last_request = None  # the backoff was the pause
        return Batch(requested, error=f"{reason} (gave up after {tries} tries)", unavailable=True)

    def _query(self, ids: Sequence[ArxivId]) -> list[arxiv.Result]:
        """One request for ``ids``, paced; the entries of a checked answer (see the API's user manual)."""
        if self._last_request is not None:
            pause = self.settings.delay_seconds - (self._clock() - self._last_request)
            if pause > 0:
                self._sleep(pause)
        self._last_request = self._clock()
        params = {"id_list": ",".join(str(i) for i in ids), "start": "0", "max_results": str(len(ids))}
        try:
            response = self._session.get(self.settings.api_url, params=params)
        except requests.exceptions.ConnectTimeout:
            raise _Unreachable(f"could not connect to {_host(self.settings.api_url)} within "
                               f"{min(CONNECT_TIMEOUT, self.settings.timeout_seconds):g} s") from None
        except requests.ConnectionError as err:
            if _never_connected(err):
                raise _Unreachable(f"could not reach {_host(self.settings.api_url)} ({_short(err)})") from None
            raise
        return [_result(entry) for entry in _check_response(response).findall(f"{_ATOM}entry")]


def _host(url: str) -> str:
    return urlsplit(url).hostname or url


def _never_connected(err: requests.ConnectionError) -> bool:
    """Whether the request failed before a connection stood: no DNS, refused, no route."""
    cause: BaseException | None = err
    for _ in range(10):
        if cause is None:
            return False
        if isinstance(cause, (urllib3.exceptions.NameResolutionError, urllib3.exceptions.NewConnectionError,
                              socket.gaierror, ConnectionRefusedError)):
            return True
        inner = getattr(cause, "reason", None)
        if not isinstance(inner, BaseException):
            inner = cause.__cause__ or next((a for a in cause.args if isinstance(a, BaseException)), None)
        cause = inner
    return False


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


def _short(err: BaseException) -> str:
    """What went wrong, without urllib3's wrapping: ``Connection refused``, not three nested reprs."""
    cause: BaseException = err
    for _ in range(10):
        inner = getattr(cause, "reason", None)
        if not isinstance(inner, BaseException):
            inner = next((a for a in reversed(cause.args) if isinstance(a, BaseException)), None)
        if inner is None:
            break
        cause = inner
    text = str(cause) or type(cause).__name__
    # "HTTPConnection(host='127.0.0.1', port=1): Failed to establish ..." -> "Failed to establish ..."
    text = re.sub(r"^\w*(?:Connection|Pool)\w*\(.*?\): ", "", text)
    # "Failed to establish a new connection: [Errno 111] Connection refused" -> "Connection refused"
    text = re.sub(r"^Failed to establish a new connection: ", "", text)
    text = re.sub(r"\[Errno -?\d+\] ", "", text)
    return text[:200]


def _now() -> str:
    return iso_utc(datetime.now(UTC))


def batches(ids: Sequence[ArxivId], size: int = BATCH_SIZE) -> list[list[ArxivId]]:
    """``ids`` cut into requests of at most ``size``."""
    return [list(ids[i : i + size]) for i in range(0, len(ids), size)]


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
        fetched=fetched or _now(),
    )


def _squash(text: str | None) -> str:
    """arXiv wraps titles and abstracts over lines: one space between words, none at the ends."""
    return one_line(text or "")


def iso_utc(when: datetime) -> str:
    """``2021-04-18T17:36:29Z``."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


__all__ = [
    "API_URL",
    "BATCH_SIZE",
    "USER_AGENT",
    "ArxivSource",
    "Batch",
    "Settings",
    "batches",
    "iso_utc",
    "match_key",
    "record_from_result",
    "split_entry_id",
]
