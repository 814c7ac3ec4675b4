"""`python -m generator serve`: Zensical's server on the generated pages, kept current as you edit.

One child process, as a user runs it: a save of papers.yaml reaches the page (the
live-reload socket names it, and the page holds the edit), Zensical's search index
gets the Korean words again after the rebuild, no rebuild loop follows, and Ctrl-C
stops both processes.
"""

from __future__ import annotations

import importlib.util
import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.search_index import HIDDEN_OPEN

from .sitebuild import copy_project
from .zensical_server import WAIT, LiveReload, Serve, get

pytestmark = pytest.mark.skipif(importlib.util.find_spec("zensical") is None,
                                reason="zensical is not installed (pip install -e '.[test]' installs it)")

TOPIC = "topics/text-style-transfer/"


@pytest.fixture()
def served(tmp_path: Path) -> Iterator[tuple[Serve, Path]]:
    project = copy_project(tmp_path)
    server = Serve(project)
    try:
        yield server, project
    finally:
        server.stop()


def _until(check: object, what: str, server: Serve) -> None:
    deadline = time.monotonic() + WAIT
    while not check():  # type: ignore[operator]
        if time.monotonic() > deadline:
            pytest.fail(f"{what}, after {WAIT} s\n{server.text()}")
        time.sleep(0.2)


def _index_has_korean_words(site: Path) -> bool:
    try:
        index = json.loads((site / "search.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):  # not built yet, or being written
        return False
    return any(HIDDEN_OPEN in item.get("text", "") for item in index.get("items", []))


def _settle(server: Serve) -> tuple[int, int]:
    """Wait until neither Studylog nor Zensical has run for a few seconds; their counts."""
    counts = (server.runs(), server.builds())
    quiet_since = time.monotonic()
    deadline = quiet_since + WAIT
    while time.monotonic() < deadline:
        time.sleep(0.5)
        now = (server.runs(), server.builds())
        if now != counts:
            counts, quiet_since = now, time.monotonic()
        elif time.monotonic() - quiet_since > 4:
            return counts
    pytest.fail(f"serve kept rebuilding: a rebuild loop\n{server.text()}")


def test_a_save_reaches_the_page_without_a_loop_and_ctrl_c_stops_both(served: tuple[Serve, Path]) -> None:
    server, project = served
    site = project / "site"
    _until(lambda: _index_has_korean_words(site), "the search index never got the Korean words", server)
    runs, builds = _settle(server)

    socket_ = LiveReload(server.base, TOPIC)
    catalogue = project / "papers.yaml"
    catalogue.write_text(catalogue.read_text(encoding="utf-8").replace(
        "title: Text Style Transfer", "title: Style Transfer, Edited While Serving", 1), encoding="utf-8")
    told: list[str] = []
    while f"/{TOPIC}" not in told:  # every page that changed is named; this one is among them
        told.append(socket_.message())
    socket_.close()
    assert "Style Transfer, Edited While Serving" in get(server.base + TOPIC)
    # Zensical wrote a new index, without the words; they come back.
    _until(lambda: _index_has_korean_words(site), "the rebuilt index never got the Korean words", server)

    # One run of generate, and the builds it caused, then quiet: no loop on our own writes.
    after_runs, after_builds = _settle(server)
    assert after_runs == runs + 1, server.text()
    assert 1 <= after_builds - builds <= 2, server.text()

    assert server.interrupt() == 0, server.text()
    assert "studylog: stopped" in server.text()
    with socket.socket() as probe:  # Zensical let go of the port: it stopped too
        probe.bind(("127.0.0.1", server.port))


def test_a_broken_save_is_said_once_and_the_site_keeps_its_pages(served: tuple[Serve, Path]) -> None:
    server, project = served
    runs, _ = _settle(server)
    before = get(server.base + TOPIC)
    catalogue = project / "papers.yaml"
    good = catalogue.read_text(encoding="utf-8")
    catalogue.write_text(good + "  - arxiv: [\n", encoding="utf-8")
    _until(lambda: server.runs() > runs, "no run after the save", server)
    after_runs, _ = _settle(server)
    assert after_runs == runs + 1
    assert server.text().count("papers.yaml:") == 1 and "the pages from the last good run stay" in server.text()
    assert get(server.base + TOPIC) == before
    catalogue.write_text(good.replace("title: Text Style Transfer", "title: Fixed Again", 1), encoding="utf-8")
    _until(lambda: "Fixed Again" in get(server.base + TOPIC), "the fix never reached the page", server)
