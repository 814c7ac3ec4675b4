"""Under `mkdocs serve`, the cyclic garbage collector is off during a rebuild and collects once the serve is idle
(``idle_gc``): what a build left in cycles is freed after it, or before the next build at the latest."""

from __future__ import annotations

import gc
import threading
import weakref
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest

from generator.idle_gc import IdleCollection

from . import test_unchanged
from .sitebuild import copy_project


class _Cycle:
    def __init__(self) -> None:
        self.me = self


@pytest.fixture(autouse=True)
def _collector_on() -> Iterator[None]:
    assert gc.isenabled()
    yield
    gc.enable()  # whatever a failed test left


def _served(delay: float, build: object) -> tuple[IdleCollection, SimpleNamespace]:
    idle = IdleCollection(delay)
    server = SimpleNamespace(builder=build)
    idle.serve(server)
    return idle, server


def _wait(condition: object) -> bool:
    """Whether ``condition()`` came true within ten seconds (a timer thread's work; not a timing)."""
    done = threading.Event()
    for _ in range(1000):
        if condition():  # type: ignore[operator]
            return True
        done.wait(0.01)
    return False


def test_the_collector_is_off_during_a_build_and_on_again_after_an_idle_collection() -> None:
    seen: list[bool] = []
    left: list[weakref.ref[_Cycle]] = []

    def build() -> str:
        seen.append(gc.isenabled())
        left.append(weakref.ref(_Cycle()))  # garbage in a cycle: only the collector frees it
        return "built"

    idle, server = _served(0.01, build)
    assert server.builder() == "built"
    assert seen == [False]
    assert _wait(lambda: idle.collections == 1 and gc.isenabled())
    assert left[0]() is None


def test_a_build_before_the_idle_collection_makes_it_first_so_garbage_waits_one_build_at_most() -> None:
    left: list[weakref.ref[_Cycle]] = []
    alive_at_start: list[bool] = []

    def build() -> None:
        alive_at_start.append(bool(left) and left[-1]() is not None)
        left.append(weakref.ref(_Cycle()))

    idle, server = _served(3600.0, build)  # the serve is never idle long enough
    server.builder()
    assert left[0]() is not None and idle.collections == 0 and not gc.isenabled()
    server.builder()
    assert alive_at_start == [False, False]  # the first build's cycle was freed before the second ran
    assert idle.collections == 1
    idle.release()
    assert gc.isenabled()


def test_a_failed_build_still_collects_and_a_collector_turned_off_elsewhere_stays_off() -> None:
    def failing() -> None:
        raise RuntimeError("a broken save")

    idle, server = _served(0.01, failing)
    with pytest.raises(RuntimeError):
        server.builder()
    assert _wait(lambda: idle.collections == 1 and gc.isenabled())

    gc.disable()
    try:
        idle, server = _served(0.01, lambda: None)
        server.builder()
        idle.release()
        assert not gc.isenabled() and idle.collections == 0
    finally:
        gc.enable()


def test_mkdocs_serve_rebuilds_with_the_collector_off_and_the_serve_gives_it_back(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = copy_project(tmp_path / "project")
    served = test_unchanged.Serve(project, tmp_path / "site")
    try:
        seen: list[bool] = []
        real = test_unchanged.build

        def build(config: object, **kwargs: object) -> None:
            seen.append(gc.isenabled())
            real(config, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(test_unchanged, "build", build)
        served.save()
        assert seen == [False]
    finally:
        served.close()  # a new start of the plugin, as `mkdocs build` starts it
    assert gc.isenabled()
