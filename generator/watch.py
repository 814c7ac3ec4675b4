"""Keeping the generated pages current while you edit: ``python -m generator generate --watch``.

It watches what the pages are made from: ``papers.yaml``, the lock, ``mkdocs.yml``
and the logs (with watchfiles: inotify on Linux, FSEvents on macOS). A save often
is several events (a temp file, a rename, a second write); they are gathered until
the folder has been quiet for ``SETTLE_SECONDS``, then ``generate`` runs once, and
writes only the files whose content changed, so a server watching the docs folder
(``zensical serve``) rebuilds only what changed and never loops on our writes.

A save that breaks an input (YAML that does not parse, an unknown topic, a bad
date in a log) is reported once, with file, line and hint, and nothing is
written: the pages from the last good run stay until a save fixes it.

Folders are watched, not files: an editor, ``add`` and ``enrich`` all save by
writing a new file and renaming it over the old one, which a watch on the file
itself would lose after the first save.
"""

from __future__ import annotations

import os
import queue
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from .errors import StudylogError
from .generate import Generated, generate
from .project import CONFIG_FILE, Project

SETTLE_SECONDS = 0.1
"""How long the inputs must be quiet before a run: a save settles well within it."""
_STEP_MS = 50  # watchfiles: a batch ends after this much quiet
_POLL_SECONDS = 0.25  # how often the loop looks at the stop event


@dataclass(frozen=True)
class Inputs:
    """The files a project's generated pages are made from, as absolute paths."""

    files: frozenset[str]
    """The catalogue, the lock and mkdocs.yml."""
    logs: str
    """The logs folder."""

    @classmethod
    def of(cls, project: Project) -> Inputs:
        files = (project.catalogue, project.lock, project.root / CONFIG_FILE)
        return cls(frozenset(os.path.abspath(f) for f in files),
                   os.path.abspath(project.docs_dir / project.layout.logs_dir))

    @property
    def folders(self) -> list[str]:
        """The folders that hold the files (watched without their subfolders)."""
        return sorted({os.path.dirname(f) for f in self.files})

    def relevant(self, path: str) -> bool:
        if path in self.files:
            return True
        name = os.path.basename(path)
        inside = path.startswith(self.logs + os.sep)
        # A log, or a folder of logs (a folder that is gone has no suffix to tell it by).
        return inside and not name.startswith(".") and (name.endswith(".md") or "." not in name)


class Watcher:
    """Batches of changed inputs, one per save (``batches``), until ``close`` or ``stop``."""

    def __init__(self, inputs: Inputs, stop: threading.Event) -> None:
        import watchfiles  # imported here: only the watching commands need it

        self.inputs = inputs
        self.stop = stop
        self._closed = threading.Event()
        self._changes: queue.Queue[set[str] | BaseException] = queue.Queue()
        watches = [(inputs.folders, False)]
        if os.path.isdir(inputs.logs):
            watches.append(([inputs.logs], True))
        self._threads = [
            threading.Thread(target=self._pump, args=(watchfiles, paths, recursive), daemon=True,
                             name=f"studylog-watch-{n}")
            for n, (paths, recursive) in enumerate(watches)
        ]
        for thread in self._threads:
            thread.start()

    def _pump(self, watchfiles: object, paths: list[str], recursive: bool) -> None:
        either = _Either(self.stop, self._closed)
        try:
            for changes in watchfiles.watch(  # type: ignore[attr-defined]
                *paths, recursive=recursive, stop_event=either, step=_STEP_MS, rust_timeout=500,
                watch_filter=lambda _change, path: self.inputs.relevant(path), raise_interrupt=False,
            ):
                self._changes.put({path for _, path in changes})
        except BaseException as err:  # the folder went away, or the OS refused a watch
            self._changes.put(err)

    def batches(self) -> Iterator[set[str]]:
        """Each save's changed paths, gathered until the inputs are quiet."""
        while not (self.stop.is_set() or self._closed.is_set()):
            try:
                first = self._changes.get(timeout=_POLL_SECONDS)
            except queue.Empty:
                continue
            batch = self._take(first)
            while True:
                try:
                    batch |= self._take(self._changes.get(timeout=SETTLE_SECONDS))
                except queue.Empty:
                    break
            yield batch

    @staticmethod
    def _take(item: set[str] | BaseException) -> set[str]:
        if isinstance(item, BaseException):
            raise StudylogError(f"cannot watch the project's files: {item}",
                                hint="check that the folders exist and can be read, then start again")
        return item

    def close(self) -> None:
        self._closed.set()
        for thread in self._threads:
            thread.join(timeout=5)


class _Either:
    """Set when either event is (watchfiles asks its stop event ``is_set``)."""

    def __init__(self, *events: threading.Event) -> None:
        self.events = events

    def is_set(self) -> bool:
        return any(event.is_set() for event in self.events)


def _names(paths: set[str], root: Path) -> str:
    shown = sorted(os.path.relpath(p, root) for p in paths)
    return ", ".join(shown[:3]) + (f" and {len(shown) - 3} more" if len(shown) > 3 else "")


def watch_and_generate(
    load_project: Callable[[], Project],
    *,
    target: Path | None = None,
    site_url: str | None = None,
    out: TextIO,
    err: TextIO,
    stop: threading.Event | None = None,
    on_run: Callable[[Generated | StudylogError], None] | None = None,
    ready: Callable[[], None] | None = None,
) -> None:
    """Generate now, then again after every save of an input, until ``stop`` is set.

    ``load_project`` reads mkdocs.yml (again, when it changes). ``on_run`` hears the
    outcome of every run: what was written, or the error that kept the pages as they were.
    ``ready`` is called once, after the first run (``serve`` starts Zensical there).
    """
    stop = stop or threading.Event()
    project = load_project()

    def run(why: str) -> None:
        began = time.perf_counter()
        result: Generated | StudylogError
        try:
            result = generate(project, target, site_url)
        except StudylogError as error:
            print(error.render(), file=err)
            print(f"{why}: nothing written; the pages from the last good run stay until a save fixes this",
                  file=err, flush=True)
            result = error
        else:
            print(f"{why}: {result.summary()} ({time.perf_counter() - began:.1f} s)", file=out, flush=True)
        if on_run is not None:
            on_run(result)

    run("start")
    if ready is not None:
        ready()
    while not stop.is_set():
        inputs = Inputs.of(project)
        watcher = Watcher(inputs, stop)
        print(f"watching {_names(set(inputs.files) | {inputs.logs}, project.root)} (Ctrl-C stops)", file=out,
              flush=True)
        try:
            for changed in watcher.batches():
                if os.path.abspath(project.root / CONFIG_FILE) in changed:
                    project = load_project()
                run(f"{time.strftime('%H:%M:%S')} {_names(changed, project.root)} changed")
                if Inputs.of(project) != inputs:
                    break  # mkdocs.yml moved the inputs: watch the new places
        finally:
            watcher.close()


__all__ = ["SETTLE_SECONDS", "Inputs", "Watcher", "watch_and_generate"]
