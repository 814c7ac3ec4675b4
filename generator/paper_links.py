"""Links in a log to the papers of the catalogue, and the badge that leads to each paper's page.

A log that links a paper (its arXiv page or PDF, a bare arXiv URL, an ``arXiv:`` mention,
the paper's own ``url``) gets, right after that link, a small badge with the paper's
reading status that leads to the paper's page on the site; a resource's badge leads to
its topic's page, where it is listed. The Markdown extension (``markdown_ext.py``) puts
them in, so they appear in every build that honours ``mkdocs.yml``'s
``markdown_extensions``: MkDocs with or without the plugin, and Zensical.

Python-Markdown tells an extension neither which project it is building nor which page
it is rendering, so this module finds both itself:

- The project comes from its ``mkdocs.yml``: the path the studylog plugin passes to the
  extension (``config_file``), or ``mkdocs.yml`` in the current folder. Its catalogue and
  lock are loaded once (or handed over by the plugin, which has just loaded them: see
  :func:`remember`) and again whenever one of the three files changes, so a rebuild
  under ``mkdocs serve`` sees an edit.
- A page is known to be a log by its text: the text of every file in the logs folder
  after its front matter, whitespace aside, is indexed once, and read again when a
  page's text is not found (a log edited or added since). The badge's link is written
  relative to the log's file, like any link between pages, and MkDocs or Zensical turn
  it into the page's URL, also in the blog's excerpts of the post.

Pages Studylog generates start with :data:`GENERATED_PAGE`; the extension leaves their
links alone (a paper's page links to arXiv on purpose) and never looks them up.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import re
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .errors import StudylogError
from .i18n import Words
from .layout import Layout
from .logs import strip_front_matter
from .model import Entry, ResourceEntry, Site
from .project import CONFIG_FILE, Project, load_links

GENERATED_PAGE = "<!-- studylog: generated page -->"
"""The first line of the body of every page Studylog generates (the extension removes it)."""


def generated_page_marker(lines: Sequence[str]) -> int | None:
    """Where :data:`GENERATED_PAGE` is in a page's lines when it is the first that is not blank; else None."""
    first = next((n for n, line in enumerate(lines) if line.strip()), None)
    return first if first is not None and lines[first].strip() == GENERATED_PAGE else None

_WHITESPACE = re.compile(r"\s+")

Stamp = tuple[int, int, int]


@dataclass(frozen=True)
class Badge:
    """What goes after a link to a paper or resource: a status badge leading to its page."""

    key: str
    """The paper or resource, so that a page marks each one once."""
    page: str
    """The paper's (or the resource's topic's) page, relative to the docs folder (``papers/2104.08691.md``)."""
    label: str
    title: str
    classes: str


def fingerprint(text: str) -> str:
    """A page's text, whitespace aside: the same for a log's file and for what MkDocs or Zensical render of it."""
    compact = _WHITESPACE.sub("", text.replace("\ufeff", ""))
    return hashlib.blake2b(compact.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _stamp(path: Path) -> Stamp | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_mtime_ns, stat.st_size, stat.st_ino)


class LogIndex:
    """Which log file a page's text is, for the logs under one folder."""

    def __init__(self, docs_dir: Path, logs_dir: str) -> None:
        self.docs_dir = docs_dir
        self.folder = docs_dir / logs_dir
        self._files: dict[Path, tuple[Stamp, str]] = {}
        self._by_print: dict[str, set[Path]] = {}
        self._cuts: dict[str, Path] = {}
        """The text a log is cut to for the blog's listing pages (``blog_hook``), by its print."""
        self._cut_of: dict[Path, str] = {}
        self._lock = threading.Lock()

    def cut(self, text: str, path: Path) -> None:
        """``text`` is what the log at ``path`` is cut to for the blog's listing pages (``blog_hook``): their
        excerpts of it get its badges as the whole log would (an excerpt of a log not cut is found whole)."""
        if not path.is_relative_to(self.folder):
            return
        value = fingerprint(text)
        with self._lock:
            old = self._cut_of.pop(path, None)
            if old is not None and self._cuts.get(old) == path:
                del self._cuts[old]
            self._cuts[value] = path
            self._cut_of[path] = value

    def find(self, text: str) -> str | None:
        """The log whose body ``text`` is, as a path relative to the docs folder; None for any other page.

        Material's blog renders a post's excerpt with the post's title as a heading in
        front, so a text starting with a heading is also tried without it.
        """
        def prints() -> Iterator[str]:
            yield fingerprint(text)
            first, _, rest = text.lstrip().partition("\n")
            if first.startswith("#"):
                yield fingerprint(rest)

        with self._lock:
            found = self._lookup(prints())
            if found is None and self._rescan():
                found = self._lookup(prints())
            if found is None:
                found = next((path for value in prints() if (path := self._cuts.get(value)) in self._files), None)
        return found.relative_to(self.docs_dir).as_posix() if found is not None else None

    def _lookup(self, prints: Iterable[str]) -> Path | None:
        for value in prints:
            paths = self._by_print.get(value, set())
            if not paths or any(_stamp(p) != self._files[p][0] for p in paths):
                continue  # unknown, or a file changed since it was read: a rescan will tell
            # Two logs with the same text in two folders would need two different links: mark neither.
            if len({p.parent for p in paths}) == 1:
                return min(paths)
        return None

    def _rescan(self) -> bool:
        """Read the logs that changed since the last scan. Whether anything did."""
        found: dict[Path, Stamp] = {}
        if self.folder.is_dir():
            for path in self.folder.rglob("*.md"):
                stamp = _stamp(path)
                if stamp is not None and path.is_file():
                    found[path] = stamp
        changed = found.keys() != self._files.keys()
        for path in self._files.keys() - found.keys():
            self._forget(path)
        for path, stamp in found.items():
            known = self._files.get(path)
            if known is not None and known[0] == stamp:
                continue
            changed = True
            self._forget(path)
            try:
                text = path.read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError):
                continue  # `check` and the build report it
            value = fingerprint(strip_front_matter(text))
            self._files[path] = (stamp, value)
            self._by_print.setdefault(value, set()).add(path)
        return changed

    def _forget(self, path: Path) -> None:
        cut = self._cut_of.pop(path, None)
        if cut is not None and self._cuts.get(cut) == path:
            del self._cuts[cut]
        known = self._files.pop(path, None)
        if known is not None:
            self._by_print.get(known[1], set()).discard(path)


@dataclass
class SiteLinks:
    """One project's catalogue, as the extension needs it: what a link points to, and the badge for it."""

    site: Site
    layout: Layout
    words: Words
    logs: LogIndex
    topics: frozenset[str] = field(default_factory=frozenset)
    _badges: dict[str, Badge | None] = field(default_factory=dict, repr=False)

    def badge(self, url: str) -> Badge | None:
        """The badge for a link to ``url``; None if it points at nothing listed. Kept per URL: a page links many.
        Inside :func:`recording_badges`, each answer is also noted there."""
        if url not in self._badges:
            self._badges[url] = self._badge(url)
        found = self._badges[url]
        seen: list[tuple[str, Badge | None]] | None = getattr(_recording, "seen", None)
        if seen is not None:
            seen.append((url, found))
        return found

    def href(self, badge: Badge, log_src: str) -> str:
        """The badge's link written from the log's file (``logs/posts/x.md``), as links between pages are."""
        return posixpath.relpath(badge.page, posixpath.dirname(log_src) or ".")

    def _badge(self, url: str) -> Badge | None:
        return self._badge_of(self.site.linked_by(url))

    def _badge_of(self, item: Entry | ResourceEntry | None) -> Badge | None:
        if isinstance(item, Entry):
            key, page, title = f"paper:{item.key}", self.layout.paper(item.key), item.title
            label, classes = self.words.gettext(item.status.label), f"sl-status {item.status.css_class}"
        elif isinstance(item, ResourceEntry):
            topic = next((t for t in item.resource.topics if t in self.topics), None)
            if topic is None:
                return None
            key, page, title = f"resource:{item.resource.key}", self.layout.topic(topic), item.resource.title
            label, classes = self.words.gettext(item.resource.kind), "sl-status"
        else:
            return None
        return Badge(
            key=key,
            page=page,
            label=label,
            title=self.words.gettext("On the reading list: %(title)s", title=title),
            classes=f"sl-onsite {classes}",
        )


_recording = threading.local()


@contextmanager
def recording_badges() -> Iterator[list[tuple[str, Badge | None]]]:
    """Every badge :meth:`SiteLinks.badge` gives in this thread meanwhile, with the URL it was asked for: what a
    conversion of a page read of the catalogue, so that it is known to hold while each answer is the same."""
    seen: list[tuple[str, Badge | None]] = []
    outer = getattr(_recording, "seen", None)
    _recording.seen = seen
    try:
        yield seen
    finally:
        _recording.seen = outer


@dataclass(frozen=True)
class _Loaded:
    files: tuple[Path, ...]
    """mkdocs.yml, and the catalogue and lock it names."""
    stamps: tuple[Stamp | None, ...]
    links: SiteLinks | None


_projects: dict[Path, _Loaded] = {}
_projects_lock = threading.Lock()


def site_links(config_file: str | os.PathLike[str] = CONFIG_FILE) -> SiteLinks | None:
    """The project that ``config_file`` (an ``mkdocs.yml``) describes; None without one or when its catalogue has errors.

    Errors are not reported here: the plugin, ``generate`` and ``check`` report them
    with file and line; a page rendered meanwhile simply gets no badges.
    """
    config = Path(config_file).absolute()
    with _projects_lock:
        loaded = _projects.get(config)
        if loaded is not None and tuple(map(_stamp, loaded.files)) == loaded.stamps:
            return loaded.links
        if _stamp(config) is None:
            _projects.pop(config, None)
            return None
        project = Project.at(config.parent, config_file=config.name)
        files = (config, project.catalogue, project.lock)
        stamps = tuple(map(_stamp, files))  # taken first: an edit made while loading is seen next time
        try:
            site: Site | None = load_links(project)
        except StudylogError:
            site = None
        _projects[config] = _Loaded(files, stamps, _links(project, site, loaded))
        return _projects[config].links


def remember(config_file: str | os.PathLike[str], project: Project, site: Site) -> None:
    """A site just loaded from ``project`` (by the plugin), for :func:`site_links` not to load the catalogue again."""
    config = Path(config_file).absolute()
    files = (config, project.catalogue, project.lock)
    with _projects_lock:
        _projects[config] = _Loaded(files, tuple(map(_stamp, files)), _links(project, site, _projects.get(config)))


def _links(project: Project, site: Site | None, previous: _Loaded | None) -> SiteLinks | None:
    if site is None:
        return None
    # The logs' texts are kept across catalogue changes (under `serve`), as long as the folder is the same.
    logs = previous.links.logs if previous is not None and previous.links is not None else None
    if logs is None or logs.folder != project.docs_dir / project.layout.logs_dir:
        logs = LogIndex(project.docs_dir, project.layout.logs_dir)
    return SiteLinks(site, project.layout, Words(project.site.language), logs, frozenset(t.id for t in site.topics))
