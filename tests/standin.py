"""What the local API stand-ins share (tests/arxiv_server.py, tests/s2_server.py).

A :class:`StandIn` runs a threaded HTTP server on 127.0.0.1 from construction to
:meth:`StandIn.close`, logs every request, and answers each with
:meth:`StandIn.answer`, unless a :class:`Fault` was scripted for it: a status
code, a delay past the client's timeout, a body cut short, any body, a dropped
connection, IDs left out of the answer.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Generic, Self, TypeVar


@dataclass(frozen=True)
class Fault:
    """What goes wrong with one request. Build them with the class methods."""

    kind: str
    code: int = 200
    retry_after: str | None = None
    seconds: float = 0.0
    claims_results: bool = True
    message: str = ""
    ids: frozenset[str] = frozenset()
    body: bytes = b""

    @classmethod
    def ok(cls) -> Fault:
        """No fault: answer this request normally (to script a fault for a later one)."""
        return cls("ok")

    @classmethod
    def status(cls, code: int, retry_after: str | int | None = None) -> Fault:
        """An HTTP error with the small body the API's front end sends (503, 429 ...)."""
        return cls("status", code=code, retry_after=None if retry_after is None else str(retry_after))

    @classmethod
    def delay(cls, seconds: float) -> Fault:
        """Answer normally, but only after ``seconds`` (longer than the client's timeout)."""
        return cls("delay", seconds=seconds)

    @classmethod
    def truncated(cls) -> Fault:
        """A 200 whose body stops in the middle."""
        return cls("truncated")

    @classmethod
    def empty_page(cls, *, claims_results: bool = True) -> Fault:
        """arXiv: a feed with no entries; ``opensearch:totalResults`` says how many there are, or 0."""
        return cls("empty", claims_results=claims_results)

    @classmethod
    def error_feed(cls, message: str = "incorrect id format for abc", status: int = 400) -> Fault:
        """arXiv's error feed, as it answers a malformed ID."""
        return cls("error", code=status, message=message)

    @classmethod
    def omit(cls, *ids: str) -> Fault:
        """Answer as if the API lacked these IDs (arXiv leaves them out, Semantic Scholar answers null)."""
        return cls("omit", ids=frozenset(ids))

    @classmethod
    def raw(cls, body: str | bytes, *, status: int = 200, content_type: str = "text/html") -> Fault:
        """Answer with ``body`` as it is (a proxy's HTML page, an entry the client cannot read)."""
        return cls("raw", code=status, message=content_type, body=body.encode() if isinstance(body, str) else body)

    @classmethod
    def disconnect(cls) -> Fault:
        """Close the connection without answering."""
        return cls("disconnect")


Seen = TypeVar("Seen")


class StandIn(Generic[Seen]):
    """A stand-in server, running in a thread from construction until :meth:`close`.

    A subclass names its ``handler`` (a :class:`Handler` that turns a request into a
    ``Seen`` record and calls :meth:`Handler.respond`) and writes :meth:`answer`.
    """

    handler: type[Handler[Any]]

    def __init__(self) -> None:
        self.requests: list[Seen] = []
        self._faults: deque[Fault] = deque()
        self._lock = threading.Lock()
        self.stopping = threading.Event()
        self._httpd = _Server(("127.0.0.1", 0), self.handler)
        self._httpd.stand_in = self
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, name=type(self).__name__, daemon=True
        )
        self._thread.start()

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def script(self, *faults: Fault) -> None:
        """Queue ``faults``: the next request gets the first, and so on; then normal answers."""
        with self._lock:
            self._faults.extend(faults)

    def answer(self, seen: Seen, fault: Fault | None) -> tuple[int, dict[str, str], bytes]:
        """Status, headers and body for ``seen``."""
        raise NotImplementedError

    def close(self) -> None:
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.close_connections()
        self._httpd.server_close()
        self._thread.join()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def receive(self, seen: Seen) -> Fault | None:
        """Log ``seen``; the fault scripted for it, if any."""
        with self._lock:
            self.requests.append(seen)
            return self._faults.popleft() if self._faults else None


class _Server(ThreadingHTTPServer):
    stand_in: StandIn[Any]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()
        super().__init__(*args, **kwargs)

    def get_request(self) -> tuple[socket.socket, Any]:
        sock, address = super().get_request()
        with self._open_lock:
            self._open.add(sock)
        return sock, address

    def shutdown_request(self, request: Any) -> None:
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """End kept-alive connections, so their threads finish and ``server_close`` can join them."""
        with self._open_lock:
            sockets = list(self._open)
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that timed out and hung up is not news


class Handler(BaseHTTPRequestHandler, Generic[Seen]):
    protocol_version = "HTTP/1.1"  # keep-alive, as the real APIs
    server: _Server

    def respond(self, seen: Seen) -> None:
        """Log ``seen``, then answer it, or do what its fault says."""
        stand_in = self.server.stand_in
        fault = stand_in.receive(seen)
        if fault and fault.kind == "disconnect":
            self.close_connection = True
            return
        if fault and fault.kind == "delay" and stand_in.stopping.wait(fault.seconds):
            self.close_connection = True
            return
        status, headers, body = stand_in.answer(seen, fault)
        try:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except OSError:
            self.close_connection = True

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002, RUF100 (http.server's name)
        pass


def point_at(monkeypatch: Any, prefix: str, url: str) -> None:
    """Point a client's ``<PREFIX>_*`` variables at a stand-in: no delay between requests, no backoff,
    a 5 s timeout, 4 retries, and no proxy for 127.0.0.1."""
    for name, value in (("API_URL", url), ("DELAY_SECONDS", "0"), ("BACKOFF_SECONDS", "0"),
                        ("TIMEOUT_SECONDS", "5"), ("RETRIES", "4")):
        monkeypatch.setenv(f"{prefix}_{name}", value)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.delenv("no_proxy", raising=False)


def to_int(text: str | None, default: int) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default
