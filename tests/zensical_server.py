"""`python -m generator serve` in a child process, and the page's live-reload socket (shared by the
serve test and benchmarks/zensical.py).

Zensical's pages hold a script that opens a WebSocket to the page's own URL; after a
rebuild the server sends each changed page's path on it, and a page whose path it is
reloads. ``LiveReload`` is that socket, client side, in a few lines of the protocol
(RFC 6455: a handshake, then frames), so a test sees what a browser is told.
"""

from __future__ import annotations

import base64
import contextlib
import os
import re
import signal
import socket
import struct
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

WAIT = 120  # seconds: a bound on waiting, not a speed assertion


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(url: str, timeout: float = 10) -> str:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return str(response.read().decode("utf-8"))


def _as_from_a_terminal() -> None:
    """In the child, before it runs: Ctrl-C's signals handled by default and none blocked, as when a user
    starts it in a terminal (a test runner started in the background passes SIGINT on ignored)."""
    signal.pthread_sigmask(signal.SIG_SETMASK, set())
    for number in (signal.SIGINT, signal.SIGQUIT):
        signal.signal(number, signal.SIG_DFL)


class Serve:
    """``python -m generator serve`` on a free port of 127.0.0.1, in a session of its own (so
    ``interrupt`` is Ctrl-C: SIGINT to the whole group, Zensical too)."""

    def __init__(self, project: Path, *, wait: float = WAIT) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}/"
        self.log = project / "serve.log"
        self._log_file = self.log.open("w", encoding="utf-8")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "generator", "serve", "--dev-addr", f"127.0.0.1:{self.port}"],
            cwd=project, stdout=self._log_file, stderr=subprocess.STDOUT, start_new_session=True,
            preexec_fn=_as_from_a_terminal,
            env={**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONFAULTHANDLER": "1"},  # SIGABRT: its threads' stacks
        )
        deadline = time.monotonic() + wait
        while True:
            try:
                get(self.base)
                return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"serve did not start:\n{self.text()}") from None
                time.sleep(0.2)

    def text(self) -> str:
        return self.log.read_text(encoding="utf-8")

    def builds(self) -> int:
        """Zensical's builds so far (it says so after each)."""
        return self.text().count("No issues found") + len(re.findall(r"^Error", self.text(), re.M))

    def runs(self) -> int:
        """Studylog's runs of generate so far."""
        return len(re.findall(r"generated pages in|nothing written", self.text()))

    def interrupt(self) -> int:
        """Ctrl-C; the exit code."""
        os.killpg(self.process.pid, signal.SIGINT)
        try:
            return self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.kill(self.process.pid, signal.SIGABRT)  # where it is stuck, written to its log
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=10)
            raise AssertionError(f"serve did not stop within 60 s of Ctrl-C:\n{self.text()}") from None

    def stop(self) -> None:
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGINT)
                self.process.wait(timeout=30)
            except (subprocess.TimeoutExpired, ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self._log_file.close()


class LiveReload:
    """The page's live-reload WebSocket: ``message()`` is the next path the server says changed."""

    def __init__(self, base: str, path: str = "") -> None:
        host, port = base.removeprefix("http://").rstrip("/").split(":")
        self.sock = socket.create_connection((host, int(port)), timeout=WAIT)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall(
            f"GET /{path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n".encode()
        )
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(1)
            if not chunk:
                raise ConnectionError("the server closed the socket during the handshake")
            head += chunk
        if b" 101 " not in head.split(b"\r\n", 1)[0]:
            raise ConnectionError(f"no WebSocket here: {head!r}")

    def _read(self, n: int) -> bytes:
        data = b""
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            if not chunk:
                raise ConnectionError("the server closed the socket")
            data += chunk
        return data

    def message(self, timeout: float = WAIT) -> str:
        self.sock.settimeout(timeout)
        while True:
            first, second = self._read(2)
            length = second & 0x7F
            if length == 126:
                length = struct.unpack("!H", self._read(2))[0]
            elif length == 127:
                length = struct.unpack("!Q", self._read(8))[0]
            mask = self._read(4) if second & 0x80 else b""
            payload = self._read(length)
            if mask:
                payload = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
            opcode = first & 0x0F
            if opcode == 0x1:
                return payload.decode("utf-8")
            if opcode == 0x8:
                raise ConnectionError("the server closed the socket")
            if opcode == 0x9:  # ping: answer, masked as a client must
                pong_mask = os.urandom(4)
                masked = bytes(b ^ pong_mask[i % 4] for i, b in enumerate(payload))
                self.sock.sendall(bytes([0x8A, 0x80 | len(payload)]) + pong_mask + masked)

    def close(self) -> None:
        self.sock.close()
