"""The site with Zensical, Material's successor: ``build``, ``serve`` and ``search-index``.

Zensical reads ``mkdocs.yml`` and honours its ``markdown_extensions`` (the Q&A
anchors), but runs no MkDocs plugin. So what the studylog plugin does inside a
MkDocs build is done around Zensical's:

* before it builds, ``generate`` writes the pages, the data files and the assets
  into the docs folder (and, under ``serve``, again after every save of an input:
  ``watch``);
* after it wrote its search index (``search.json``), the words inside Korean
  compounds are added to it (``search_index``), as the plugin adds them to
  Material's. Under ``serve`` Zensical rewrites the index on every rebuild, so a
  keeper thread adds them again each time.

Zensical runs in a child process (``python -m zensical``), with this
interpreter; it is an optional dependency, and its absence is one clear message.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TextIO

from .errors import StudylogError
from .generate import generate
from .project import COMMAND, CONFIG_FILE, Project, read_config
from .search_index import FORMATS, rewrite_index, rewrite_site_indexes
from .watch import watch_and_generate

INSTALL_HINT = "pip install zensical (or pip install 'studylog[zensical]')"
_KEEPER_POLL_SECONDS = 0.3


def zensical_command(*args: str) -> list[str]:
    """``python -m zensical ARGS`` with this interpreter; a clear error if Zensical is not installed."""
    if importlib.util.find_spec("zensical") is None:
        raise StudylogError("Zensical is not installed in this Python environment", hint=INSTALL_HINT)
    return [sys.executable, "-m", "zensical", *args]


def site_dir(project: Project) -> Path:
    return project.root / read_config(project.root / CONFIG_FILE).site_dir


def _config_file(project: Project) -> Path:
    config = project.root / CONFIG_FILE
    if not config.is_file():
        raise StudylogError("there is no mkdocs.yml here, which Zensical builds the site from", path=config,
                            hint=f"run this in a Studylog project, or give --root (make one with `{COMMAND} init DIR`)")
    return config


# -- the search index ------------------------------------------------------------------------


def add_korean_words(site: Path, *, out: TextIO) -> int:
    """``search-index SITE_DIR``: add the words inside Korean compounds to the site's search index."""
    began = time.perf_counter()
    done = rewrite_site_indexes(site)
    if not done:
        names = " or ".join(fmt.path for fmt in FORMATS)
        raise StudylogError(f"no search index in {site} ({names})", path=site,
                            hint="build the site first (`zensical build` or `mkdocs build`), then give its folder")
    for found in done:
        what = ("words inside Korean compounds added" if found.changed else
                "changed while this ran, so it was left as it is; run this again" if found.superseded else
                "already had the words inside Korean compounds")
        print(f"{found.path}: {what} ({found.fmt.builder}; {found.before:,} -> {found.after:,} bytes, "
              f"{time.perf_counter() - began:.1f} s)", file=out, flush=True)
    return 0


# -- build -----------------------------------------------------------------------------------


def build(project: Project, *, site_url: str | None = None, clean: bool = False, strict: bool = False,
          out: TextIO, err: TextIO) -> int:
    """``build``: generate, ``zensical build``, then the Korean words into its search index."""
    command = zensical_command("build", "--config-file", str(_config_file(project)),
                               *(["--clean"] if clean else []), *(["--strict"] if strict else []))
    result = generate(project, site_url=site_url)
    print(result.summary(), file=out, flush=True)
    for note in result.notes():
        print(f"note: {note}", file=out)
    env = {**os.environ, **({"STUDYLOG_SITE_URL": site_url} if site_url else {})}
    out.flush()
    finished = subprocess.run(command, cwd=project.root, env=env, check=False)
    if finished.returncode != 0:
        raise StudylogError(f"zensical build failed (exit {finished.returncode}); its messages are above",
                            hint="fix what it reports, then run the command again")
    if read_config(project.root / CONFIG_FILE).korean_search:
        add_korean_words(site_dir(project), out=out)
    return 0


# -- serve -----------------------------------------------------------------------------------


class IndexKeeper(threading.Thread):
    """Under ``zensical serve``: adds the Korean words to the search index after each rebuild.

    It looks at the index files every ``_KEEPER_POLL_SECONDS``; once one changed and
    then held still for a look (Zensical has finished writing it), it adds the words.
    The file it wrote is not looked at again, so there is no loop; an index Zensical
    rewrote meanwhile is kept and done next. Kiwi stays loaded between rebuilds, and
    its cache of words makes every rebuild after the first cheaper. It also notices
    Zensical stopping, and stops the watch then.
    """

    def __init__(self, site: Path, server: subprocess.Popen[bytes], stop: threading.Event, *,
                 korean: bool, err: TextIO) -> None:
        super().__init__(name="studylog-search-index", daemon=True)
        self.site, self.server, self.stop, self.korean, self.err = site, server, stop, korean, err
        self.rewrites = 0

    def _state(self) -> dict[str, tuple[int, int, int]]:
        found = {}
        for fmt in FORMATS:
            with contextlib.suppress(OSError):
                st = (self.site / fmt.path).stat()
                found[fmt.path] = (st.st_ino, st.st_mtime_ns, st.st_size)
        return found

    def run(self) -> None:
        done: dict[str, tuple[int, int, int]] = {}
        seen = done
        reported: str | None = None
        while not self.stop.wait(_KEEPER_POLL_SECONDS):
            if self.server.poll() is not None:
                self.stop.set()
                return
            now = self._state() if self.korean else {}
            if now == done or not now:
                continue
            if now != seen:  # maybe still being written: look again
                seen = now
                continue
            try:
                results = [rewrite_index(self.site, fmt) for fmt in FORMATS if fmt.path in now]
            except StudylogError as error:  # reported once, until the next rebuild
                if error.render() != reported:
                    reported = error.render()
                    print(f"{reported}\nstudylog: the search index is left as Zensical wrote it", file=self.err,
                          flush=True)
                done = seen = now
                continue
            self.rewrites += 1
            if not any(r is not None and r.superseded for r in results):
                done = seen = self._state()


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop Zensical as Ctrl-C does; insist if it does not listen."""
    for send, wait in ((lambda: process.send_signal(signal.SIGINT), 3), (process.terminate, 5), (process.kill, 5)):
        if process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            send()
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=wait)


@contextlib.contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """``kill PID`` stops the server as Ctrl-C does, with Zensical, instead of leaving it behind."""
    def interrupt(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, interrupt)
    except ValueError:  # not the main thread (tests): nothing to install
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def serve(load_project: Callable[[], Project], *, dev_addr: str | None = None, out: TextIO, err: TextIO,
          stop: threading.Event | None = None) -> int:
    """``serve``: ``zensical serve`` on the generated pages, kept current as the inputs change.

    Generates, starts Zensical's server, then regenerates after each save of papers.yaml,
    the lock, mkdocs.yml or a log (``watch``), while the keeper adds the Korean words to each
    search index Zensical writes. Ctrl-C (or ``stop``) stops both. Returns the exit code.
    """
    stop = stop or threading.Event()
    project = load_project()
    command = zensical_command("serve", "--config-file", str(_config_file(project)),
                               *(["--dev-addr", dev_addr] if dev_addr else []))
    korean = read_config(project.root / CONFIG_FILE).korean_search
    started: list[subprocess.Popen[bytes]] = []
    keeper: list[IndexKeeper] = []

    def start_server() -> None:
        out.flush()
        server = subprocess.Popen(command, cwd=project.root)
        started.append(server)
        keeper.append(IndexKeeper(site_dir(project), server, stop, korean=korean, err=err))
        keeper[0].start()

    crashed: int | None = None
    try:
        with _sigterm_as_interrupt():
            watch_and_generate(load_project, out=out, err=err, stop=stop, ready=start_server)
    except KeyboardInterrupt:
        pass
    finally:
        # Zensical gone before we stopped it: it could not start (a port in use) or it failed.
        crashed = started[0].poll() if started else None
        stop.set()
        for server in started:
            _stop(server)
        for thread in keeper:
            thread.join(timeout=30)
    if crashed:
        print(f"studylog: zensical serve stopped (exit {crashed}); its messages are above", file=err, flush=True)
        return 1
    print("studylog: stopped", file=out, flush=True)
    return 0


__all__ = ["INSTALL_HINT", "IndexKeeper", "add_korean_words", "build", "serve", "site_dir", "zensical_command"]
