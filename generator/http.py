"""The HTTP layer every metadata source shares: one session, pacing, retries, backoff.

A :class:`Client` serves a whole run against one API (arXiv, Semantic Scholar):
one ``requests`` session and one connection at a time, with Studylog's
User-Agent, a timeout on every request and at least ``delay_seconds`` between
the start of one request and the next. :meth:`Client.call` runs one attempt
(a request and the reading of its answer) and tries again on what is worth
trying again: HTTP 429 and 5xx, timeouts, dropped connections and answers
that arrive broken, backing off exponentially and honouring ``Retry-After``.
A host that cannot be reached at all (offline, no DNS, refused) is reported
at once, within :data:`CONNECT_TIMEOUT`, and never retried.

An attempt tells the client what it made of an answer by raising one of
:class:`Refused` (asking again will not change it), :class:`Transient` (ask
again) or :class:`Doubtful` (an answer that may be right: ask once more, then
take it). What ``call`` cannot turn into a result comes back as a
:class:`Failure`, never as an exception.

Settings come from ``<PREFIX>_*`` environment variables (:meth:`Settings.read`).
"""

from __future__ import annotations

import logging
import math
import re
import socket
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from importlib.metadata import PackageNotFoundError, version
from typing import Any, Generic, Self, TypeVar
from urllib.parse import urlsplit

import requests
import urllib3
from requests.adapters import HTTPAdapter

from .errors import StudylogError

log = logging.getLogger(__name__)

CONNECT_TIMEOUT = 5.0
"""Seconds to wait for a connection: offline, a run says so within this, instead of retrying."""

T = TypeVar("T")
ID = TypeVar("ID")
R = TypeVar("R")


def user_agent(detail: str = "") -> str:
    """``studylog/0.1.0 (reading-list site generator; <detail>)``: who is asking, for the API's operators."""
    try:
        ours = version("studylog")
    except PackageNotFoundError:
        ours = "0+unknown"
    return f"studylog/{ours} (reading-list site generator{'; ' + detail if detail else ''})"


@dataclass(frozen=True)
class Settings:
    """How to talk to one API. :meth:`read` takes them from ``<PREFIX>_*`` variables."""

    api_url: str
    delay_seconds: float = 1.0
    """The pause between two requests."""
    timeout_seconds: float = 30.0
    """How long to wait to connect, and then for each read, before giving up on a request."""
    retries: int = 4
    """Tries after the first, per batch, on 429, 5xx, timeouts and broken answers."""
    backoff_seconds: float = 3.0
    """The wait before the first retry; it doubles for each next one (3, 6, 12, 24 s)."""
    max_wait_seconds: float = 600.0
    """A ``Retry-After`` longer than this fails the batch instead of waiting."""

    @classmethod
    def read(cls, env: Mapping[str, str], *, prefix: str, api_url: str, example: str,
             floor: Callable[[str, float], float] | None = None) -> Self:
        """Settings from ``<PREFIX>_API_URL``, ``_DELAY_SECONDS``, ``_TIMEOUT_SECONDS``, ``_RETRIES`` and
        ``_BACKOFF_SECONDS``; an unset one keeps the class's default. ``floor(host, delay)`` gives the
        delay to use with a host (the least its terms allow). Raises StudylogError on a bad value."""
        url = (env.get(f"{prefix}_API_URL") or "").strip() or api_url
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
            raise StudylogError(
                f"{prefix}_API_URL must be an http(s) URL without a query, not {url!r}",
                hint=f"unset it to use {api_url}, or set it like {example}",
            )
        delay = env_number(env, f"{prefix}_DELAY_SECONDS", cls.delay_seconds, minimum=0.0)
        if floor is not None:
            delay = floor(parts.hostname, delay)
        return cls(
            api_url=url,
            delay_seconds=delay,
            timeout_seconds=env_number(env, f"{prefix}_TIMEOUT_SECONDS", cls.timeout_seconds, minimum=0.001),
            retries=int(env_number(env, f"{prefix}_RETRIES", cls.retries, minimum=0, integer=True)),
            backoff_seconds=env_number(env, f"{prefix}_BACKOFF_SECONDS", cls.backoff_seconds, minimum=0.0),
        )


def env_number(env: Mapping[str, str], name: str, default: float, *, minimum: float, integer: bool = False) -> float:
    """The number in the variable ``name``, or ``default`` when it is unset or empty."""
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


class Refused(Exception):
    """An answer that asking again will not change (an error the API states, a 4xx).

    ``final``: no later batch will fare better either (the API refuses the key), so the run stops.
    """

    def __init__(self, message: str, *, final: bool = False) -> None:
        super().__init__(message)
        self.final = final


class Transient(Exception):
    """An answer worth asking again for: 429, 5xx, a body cut short or not in the API's format."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Doubtful(Exception, Generic[T]):
    """An answer that may be right but looks wrong (arXiv's empty page): asked once more, then taken."""

    def __init__(self, message: str, answer: T) -> None:
        super().__init__(message)
        self.answer = answer


class Unreachable(Exception):
    """The host cannot be reached at all (no network, no DNS, refused): asking again soon will not help."""


@dataclass(frozen=True)
class Failure:
    """Why :meth:`Client.call` got no result."""

    error: str
    unavailable: bool = False
    """The API was unavailable (retries ran out, or it asks to wait too long): worth asking again later."""
    unreachable: bool = False
    """The host could not be reached at all (offline, no DNS): no later request will fare better."""
    final: bool = False
    """The API refuses every request alike (a bad key): no later request will fare better."""


@dataclass(frozen=True)
class Batch(Generic[ID, R]):
    """What asking for a batch of IDs brought back: records, IDs the API does not know, IDs that failed."""

    requested: tuple[ID, ...]
    records: dict[str, R] = field(default_factory=dict)
    """The records, keyed by the ID they answer (as the source keys its records)."""
    missing: tuple[ID, ...] = ()
    """IDs the API answered without: it has no such paper."""
    failed: tuple[ID, ...] = ()
    """IDs not fetched because of ``error``."""
    error: str | None = None
    """Why the IDs in ``failed`` failed."""
    unavailable: bool = False
    """The failure was the API being unavailable (retries ran out), not a refusal of this batch."""
    unreachable: bool = False
    """The host could not be reached at all (offline, no DNS): no later batch will fare better."""
    final: bool = False
    """The API refuses every request alike (a bad key): no later batch will fare better."""

    @classmethod
    def failure(cls, requested: tuple[ID, ...], failure: Failure) -> Batch[ID, R]:
        """Every ID of ``requested`` failed, for ``failure``'s reason."""
        return cls(requested, failed=requested, error=failure.error, unavailable=failure.unavailable,
                   unreachable=failure.unreachable, final=failure.final)

    @property
    def stops_the_run(self) -> bool:
        """No later batch is worth asking for in this run."""
        return self.unavailable or self.final


def check_status(response: requests.Response, service: str) -> None:
    """Raise Transient for HTTP 429 and 5xx, with the wait ``Retry-After`` asks for."""
    status = response.status_code
    if status == 429 or status >= 500:
        raise Transient(f"HTTP {status} from {service}", retry_after(response.headers.get("Retry-After")))


def retry_after(value: str | None) -> float | None:
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


class _Adapter(HTTPAdapter):
    """Adds a default timeout and the User-Agent to every request, and counts those that reached the host."""

    def __init__(self, timeout: float, agent: str) -> None:
        super().__init__()
        self.timeout = timeout
        self.agent = agent
        self.reached = 0
        """Requests that reached the server (it answered, or it took the request and timed out)."""

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> requests.Response:
        request.headers["User-Agent"] = self.agent
        if kwargs.get("timeout") is None:
            # Connecting is quick or not at all: an unreachable host fails within CONNECT_TIMEOUT.
            kwargs["timeout"] = (min(CONNECT_TIMEOUT, self.timeout), self.timeout)
        try:
            response = super().send(request, *args, **kwargs)
        except requests.exceptions.ConnectTimeout:
            raise
        except requests.ConnectionError as err:
            if not never_connected(err):
                self.reached += 1
            raise
        except requests.Timeout:
            self.reached += 1  # connected, then no answer in time
            raise
        self.reached += 1
        return response


class Client:
    """One API's session for a run: pacing, retries, counting (a :class:`Service` owns and closes it)."""

    def __init__(self, settings: Settings, *, service: str, agent: str,
                 sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic) -> None:
        self.settings = settings
        self.service = service
        """The API's name in messages: ``arXiv``, ``Semantic Scholar``."""
        self._sleep = sleep
        self._clock = clock
        self._last_request: float | None = None
        self._adapter = _Adapter(settings.timeout_seconds, agent)
        self.session = requests.Session()
        self.session.mount("http://", self._adapter)
        self.session.mount("https://", self._adapter)

    @property
    def requests_sent(self) -> int:
        """How many requests reached the host (a request that never connected does not count)."""
        return self._adapter.reached

    def send(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        """One request, paced; raises Unreachable when no connection could be made at all."""
        if self._last_request is not None:
            pause = self.settings.delay_seconds - (self._clock() - self._last_request)
            if pause > 0:
                self._sleep(pause)
        self._last_request = self._clock()
        try:
            return self.session.request(method, url, **kwargs)
        except requests.exceptions.ConnectTimeout:
            raise Unreachable(f"could not connect to {host(url)} within "
                              f"{min(CONNECT_TIMEOUT, self.settings.timeout_seconds):g} s") from None
        except requests.ConnectionError as err:
            if never_connected(err):
                raise Unreachable(f"could not reach {host(url)} ({short(err)})") from None
            raise

    def call(self, attempt: Callable[[], T], *, on_retry: Callable[[str], None] | None = None) -> T | Failure:
        """``attempt()``'s result, trying again what is worth it; a Failure when there is none.

        ``on_retry`` hears about each retry. Never raises for what the API answers.
        """
        settings, service = self.settings, self.service
        tries = settings.retries + 1
        doubted = False
        reason = ""
        for number in range(tries):
            wait_at_least = 0.0
            once_more = False
            try:
                return attempt()
            except Doubtful as err:
                if doubted or number + 1 == tries:
                    return err.answer
                doubted = once_more = True
                reason = str(err)
            except Refused as err:
                return Failure(str(err), final=err.final)
            except Unreachable as err:
                return Failure(str(err), unavailable=True, unreachable=True)
            except Transient as err:
                reason, wait_at_least = str(err), err.retry_after or 0.0
            except requests.Timeout:
                reason = f"{service} did not answer within {settings.timeout_seconds:g} s"
            except (
                requests.ConnectionError,
                requests.exceptions.ChunkedEncodingError,
                requests.exceptions.ContentDecodingError,
            ) as err:
                reason = f"could not reach {service} ({short(err)})"
            except requests.RequestException as err:
                return Failure(f"could not ask {service}: {short(err)}", unavailable=True)
            except (ValueError, TypeError, AttributeError, LookupError) as err:
                # A well-formed answer that cannot be read (a bad date, say): asking again won't help.
                return Failure(f"could not read {service}'s answer ({type(err).__name__}: {err})")
            if number + 1 == tries:
                break
            wait = max(settings.delay_seconds, settings.backoff_seconds * 2**number, wait_at_least)
            if wait > settings.max_wait_seconds:
                return Failure(f"{reason}; it asks to wait {wait:.0f} s", unavailable=True)
            if on_retry:
                again = "asking once more" if once_more else f"retrying (try {number + 2} of {tries})"
                on_retry(f"{reason}; {again} in {wait:.3g} s")
            log.info("%s; retrying in %s s", reason, wait)
            self._sleep(wait)
            self._last_request = None  # the backoff was the pause
        return Failure(f"{reason} (gave up after {tries} tries)", unavailable=True)


class Service:
    """A metadata source that asks its API through one :class:`Client`: a subclass sets ``name`` and calls
    ``self.client``. It counts what reached the API, closes the session, and works in a ``with``."""

    name = "the API"

    def __init__(self, settings: Settings, *, agent: str, sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.client = Client(settings, service=self.name, agent=agent, sleep=sleep, clock=clock)

    @property
    def requests_sent(self) -> int:
        """How many requests reached the API (a request that never connected does not count)."""
        return self.client.requests_sent

    def close(self) -> None:
        self.client.session.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def batches(items: Sequence[T], size: int) -> list[list[T]]:
    """``items`` cut into requests of at most ``size``."""
    return [list(items[i : i + size]) for i in range(0, len(items), size)]


def host(url: str) -> str:
    return urlsplit(url).hostname or url


def never_connected(err: requests.ConnectionError) -> bool:
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


def short(err: BaseException) -> str:
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


__all__ = ["CONNECT_TIMEOUT", "Batch", "Client", "Doubtful", "Failure", "Refused", "Service", "Settings", "Transient",
           "Unreachable",
           "batches", "check_status", "env_number", "retry_after", "short", "user_agent"]
