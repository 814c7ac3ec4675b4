"""Under `mkdocs serve`: the pages of papers and topics that a save left as they were are not built again.

MkDocs builds every page on every save. At 2,000 papers most pages are Studylog's
paper and topic pages, and most saves (a log, a paper's notes) leave nearly all of
them as they were; even with their conversions and theme pages kept (``render_hook``),
passing each through MkDocs' loop, every plugin's events and a fresh file is a third
of a save. MkDocs' dirty builds (``mkdocs serve --dirty``) skip a page whose file is
older than its output, but they are inexact: a generated file is always "modified",
a source file is judged by times alone, a skipped page is never read (its title, table
of contents and search entries are missing from the rest of the build), and a deleted
page's output stays.

:class:`Unchanged` makes them exact for the pages it skips, and a clean build of
everything else:

- after a build that went well, with ``mkdocs.yml`` as it was, the serve's next build is
  a dirty one (:meth:`Unchanged.serve` wraps the serve's builder; a serve the user
  started with ``--dirty`` is left alone); any other build is a clean one;
- in a dirty build every file is built and copied as in a clean one (:meth:`~Unchanged.choose`),
  except a page Studylog generated outside the navigation whose text (with its drawings),
  URL, output path and ``mkdocs.yml`` are what the last build had, whose links find the
  same files, and whose output file is as that build left it (size and time);
- such a page gets the state the last build gave it (front matter, HTML, table of
  contents, title, anchors, the messages its conversion logged) before any page is read,
  so nothing else in the build sees a difference; its search entries go into Material's
  index at its place (:meth:`~Unchanged.replay`, called where MkDocs asks whether the
  page changed); if the navigation's titles then differ from the last build's, the
  theme's page of every skipped page is made again (:meth:`~Unchanged.check_nav`);
- what the last build wrote and this one does not have is removed (:meth:`~Unchanged.finish`):
  a deleted log's page, a paper taken out of the catalogue.

It is used with the plugins, theme and Markdown extensions ``render_hook`` knows, and
a test compares the served site after a series of saves with a clean build.
"""

from __future__ import annotations

import logging
import os
import shutil
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .render_hook import _digest, _fresh, _Rendered, _still_found

if TYPE_CHECKING:
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.pages import Page

Stat = tuple[int, int]

_DIRTY_WARNING = "A 'dirty' build is being performed"


class _QuietDirty(logging.Filter):
    """MkDocs warns of a dirty build each time; these builds are exact, and a warning fails `--strict`.
    One for the process, on MkDocs' build logger, quiet only while a build :class:`Unchanged` made dirty runs."""

    active = False

    def filter(self, record: logging.LogRecord) -> bool:
        return not (self.active and str(record.msg).startswith(_DIRTY_WARNING))


_QUIET = _QuietDirty()


@dataclass(frozen=True)
class _Record:
    """A page as a build made it: the key it was made for, its state after conversion, its search entries,
    and its output file's size and time after the build."""

    key: bytes
    rendered: _Rendered
    meta: dict[str, Any]
    entries: tuple[dict[str, Any], ...]
    stat: Stat


def _stat(path: str) -> Stat | None:
    try:
        found = os.stat(path)
    except OSError:
        return None
    return (found.st_size, found.st_mtime_ns)


class Unchanged:
    """One serve's skipping of unchanged pages; its methods are called from the plugin's events, in order."""

    def __init__(self) -> None:
        self.dirty = False
        """The build under way is a dirty one (the serve's builder was told so)."""
        self._good: bytes | None = None
        """The digest of mkdocs.yml of the last build that went well and was recorded, else None."""
        self._records: dict[str, _Record] = {}
        self._written: set[str] = set()
        self._nav = b""
        self._usable = False
        self._start()
        self.skipped_last = 0
        """How many pages the last build skipped (for tests and the benchmark)."""

    def _start(self) -> None:
        self._keys: dict[str, bytes] = {}
        self._skipped: dict[str, _Record] = {}
        self._entries: dict[str, tuple[dict[str, Any], ...]] = {}
        self._meta: dict[str, dict[str, Any]] = {}
        self._restored: dict[str, _Record] = {}
        """Pages given their last state but built all the same (the navigation changed)."""
        self._building = False
        self._index: list[dict[str, Any]] | None = None

    def serve(self, server: Any, config_file: str) -> bool:
        """Make the serve's builds after a good one dirty. False, and nothing done, when the serve's builder
        is not MkDocs 1.6's (a closure over ``is_dirty``) or the user asked for ``--dirty``."""
        builder: Any = getattr(server, "builder", None)
        code, closure = getattr(builder, "__code__", None), getattr(builder, "__closure__", None)
        if code is None or not closure or "is_dirty" not in code.co_freevars:
            return False
        cell = closure[code.co_freevars.index("is_dirty")]
        if cell.cell_contents is not False:
            return False

        def build(config: Any = None) -> None:
            self.dirty = self._good is not None and self._good == _file_digest(Path(config_file))
            cell.cell_contents = _QUIET.active = self.dirty
            try:
                builder(config)
            finally:
                cell.cell_contents = _QUIET.active = self.dirty = False

        server.builder = build
        logging.getLogger("mkdocs.commands.build").addFilter(_QUIET)  # once: a filter is added only once
        return True

    def begin(self, site_dir: str, index: list[dict[str, Any]] | None, usable: bool) -> None:
        """A build starts (``on_pre_build``): ``index`` is Material's list of search entries, if any;
        ``usable``, whether this build's plugins, theme and extensions are those this was written for.
        A dirty build that cannot skip is made a clean one."""
        self._start()
        self._good = None
        self._index = index
        self._usable = usable
        if self.dirty and not usable:
            _empty(site_dir)
            self._records.clear()
            self._written.clear()
        elif not self.dirty:
            self._records.clear()
            self._written.clear()

    def offer(self, path: str, text: str, config_digest: str) -> None:
        """A page Studylog generated, with its text before its drawings were lifted (``on_files``)."""
        self._keys[path] = _digest(f"{config_digest}\0{path}\0{text}")

    def choose(self, files: Files, nav: Any) -> None:
        """Before any page is read (``on_nav``, after Material's blog has placed its pages): skip the
        unchanged pages outside the navigation, build every other file."""
        if not self.dirty:
            return
        in_nav = {page.file.src_uri for page in nav.pages}
        for file in files:
            record = self._records.get(file.src_uri)
            if (record is not None and file.page is not None and file.src_uri not in in_nav
                    and self._unchanged(file, record, files)):
                self._skip(file, file.page, record, files)
            else:
                file.is_modified = _always  # type: ignore[method-assign]

    def _unchanged(self, file: File, record: _Record, files: Files) -> bool:
        return (self._keys.get(file.src_uri) == record.key and file.inclusion.is_not_in_nav()
                and not file.inclusion.is_excluded()
                and _stat(file.abs_dest_path) == record.stat and _still_found(record.rendered.found, files))

    def _skip(self, file: File, page: Page, record: _Record, files: Files) -> None:
        record.rendered.restore(page, files)
        page.meta = dict(record.meta)
        page.markdown = ""  # read, as far as anything after conversion asks (``Page.title``)
        self._skipped[file.src_uri] = record
        file.is_modified = lambda: self.replay(record)  # type: ignore[method-assign]

    def skips(self, file: File) -> bool:
        return file.src_uri in self._skipped

    def check_nav(self, nav: object, files: Files) -> None:
        """After every page is read (``on_env``): with other titles in the navigation, the skipped pages'
        theme pages are made again (from the state they were given). Each other page's front matter is
        noted now, as its conversion left it, before ``render_hook`` may choose a template for it."""
        for path in self._keys.keys() - self._skipped.keys():
            file = files.get_file_from_path(path)
            if file is not None and file.page is not None:
                self._meta[path] = dict(file.page.meta)
        nav_digest = _digest(str(nav))
        if self.dirty and nav_digest != self._nav and self._skipped:
            for path in self._skipped:
                file = files.get_file_from_path(path)
                if file is not None:
                    file.is_modified = _always  # type: ignore[method-assign]
            self._restored, self._skipped = self._skipped, {}
        self._nav = nav_digest
        self._building = True

    def replay(self, record: _Record) -> bool:
        """MkDocs asks whether a skipped page changed: not at all; while pages are built, its search entries
        go into the index here, at the page's place."""
        if self._building and self._index is not None:
            self._index.extend(_fresh(list(record.entries)))
        return False

    def entries(self, page: Page, entries: tuple[dict[str, Any], ...]) -> None:
        """The search entries Material's index got for a page (``render_hook.keep_search_entries``)."""
        self._entries[page.file.src_uri] = entries

    def finish(self, files: Files, rendered: dict[str, _Rendered], site_dir: str, config_file: str | None) -> None:
        """The build went well (``on_post_build``): remember each page for the next, remove what is gone."""
        records: dict[str, _Record] = {}
        for path, key in self._keys.items():
            skipped = self._skipped.get(path)
            if skipped is not None:
                records[path] = skipped
                continue
            file = files.get_file_from_path(path)
            restored = self._restored.get(path)
            if restored is not None and file is not None and (stat := _stat(file.abs_dest_path)) is not None:
                records[path] = replace(restored, entries=self._entries.get(path, restored.entries), stat=stat)
                continue
            made, meta = rendered.get(path), self._meta.get(path)
            if file is None or made is None or meta is None or "tags" in meta or "template" in meta:
                continue  # tags and templates are other plugins' business: such a page is always built
            if self._index is not None and path not in self._entries:
                continue
            stat = _stat(file.abs_dest_path)
            if stat is not None:
                records[path] = _Record(key, made, meta, self._entries.get(path, ()), stat)
        written = {file.abs_dest_path for file in files}
        if self.dirty:
            _remove(self._written - written, site_dir)
        self.skipped_last = len(self._skipped)
        self._records, self._written = records, written
        self._good = _file_digest(Path(config_file)) if self._usable and config_file else None
        self._start()


def _always() -> bool:
    return True


def _file_digest(path: Path) -> bytes | None:
    try:
        return _digest(path.read_bytes().decode("utf-8", "surrogateescape"))
    except OSError:
        return None


def _empty(site_dir: str) -> None:
    """What MkDocs' clean build does first: empty the site's folder."""
    if os.path.isdir(site_dir):
        for entry in os.scandir(site_dir):
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
            else:
                os.remove(entry.path)


def _remove(paths: set[str], site_dir: str) -> None:
    """Delete each of ``paths`` that is a file inside ``site_dir``, and the folders that leaves empty."""
    root = os.path.realpath(site_dir)
    for path in sorted(paths):
        real = os.path.realpath(path)
        if not real.startswith(root + os.sep) or not os.path.isfile(real):
            continue
        os.remove(real)
        folder = os.path.dirname(real)
        while folder != root and folder.startswith(root + os.sep):
            try:
                os.rmdir(folder)
            except OSError:
                break
            folder = os.path.dirname(folder)
