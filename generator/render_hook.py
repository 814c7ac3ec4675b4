"""Under `mkdocs serve`: a page whose Markdown and surroundings did not change is not converted again.

MkDocs rebuilds the whole site on every save, and converting each page's Markdown
to HTML is the largest part of a rebuild (about a third on the 60-post blog, more on a
large catalogue), although a save changes one page. :class:`KeptRenders` remembers,
for each page, what MkDocs' ``Page.render`` made of it, and gives it back when the
same Markdown is rendered again at the same place in an unchanged site:

- the key is the page's Markdown (after every plugin's ``on_page_markdown``), its path
  and URL, a digest of ``mkdocs.yml``, and for a page Studylog did not generate, whether
  the catalogue could be read;
- with the result go the badges the Markdown extension asked the catalogue for, one per
  link, and what each was (``paper_links.recording_badges``: a paper's status or title,
  or no paper at all). A kept result is used only while every one is still the same, so
  a save that changes a paper's status or title converts again the logs that link that
  paper, or whose link now finds a paper, and no other;
- with the result go the files the conversion looked up (each link's target) and what
  it found: the URL, or nothing. A kept result is used only while every one of them is
  still found the same, so a page that moved, or a link that now finds its page,
  converts again, and a new log converts nothing else;
- what is kept is all that ``render`` sets: the HTML, the table of contents, the title
  from the first heading, the anchors and the links to anchors MkDocs validates after
  the build, and the messages MkDocs logged while converting (a link to a missing
  page), which are logged again, so ``--strict`` fails as it did;
- it is used only when every Markdown extension in ``mkdocs.yml`` is one known to read
  nothing but the page's text and the catalogue (:data:`KNOWN_EXTENSIONS`); a site that
  adds another (say, one that includes other files) converts every page on every save.

Material's blog converts each post again for every listing page that shows it (the
blog's index, its year in the archive, its category): :meth:`KeptRenders.install_excerpt`
keeps those conversions the same way, by the post's Markdown and title, the post's and
the listing's URLs, and the files its links found.

Material's search reads every page's HTML again, tag by tag, for its index (a third of
a rebuild, once conversions are kept): :func:`keep_search_entries` keeps the entries it
makes of a page by everything they are made of (the HTML, the table of contents, the URL,
the title, and the page's ``title``, ``tags`` and ``search`` settings).

The theme renders every page again too, with the whole navigation in it (another third
at 2,000 papers). For the pages Studylog generates outside the navigation (each paper's
and topic's page), :class:`KeptOutputs` keeps the page the theme made, by everything
the theme reads of it (its HTML, table of contents, title, front matter, URL, source
path, neighbours), the whole navigation's titles and URLs, and ``mkdocs.yml``; on a
match the page is rendered with a template that gives the kept page back. It is used
only with the plugins and theme it was written for: Material without ``custom_dir`` or
hooks, and no plugins but search, blog, tags and studylog, whose context it knows.

Everything else runs as in any build: the other plugins' events,
Material's search, blog and tags, the theme's templates. A test compares the served
site after a series of saves with a clean build.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import logging
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any

from mkdocs.structure.toc import AnchorLink, TableOfContents

from .drawings import rows_html, rows_markdown
from .memo import LastBuild
from .paper_links import GENERATED_PAGE, Badge, SiteLinks, generated_page_marker, recording_badges

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.pages import Page

KNOWN_EXTENSIONS = frozenset({
    "toc", "tables", "fenced_code", "admonition", "attr_list", "md_in_html", "def_list", "footnotes", "abbr",
    "pymdownx.details", "pymdownx.superfences", "pymdownx.highlight", "pymdownx.inlinehilite",
    "pymdownx.magiclink", "pymdownx.tasklist", "pymdownx.emoji", "pymdownx.arithmatex",
    "generator.markdown_ext", "generator.kramdown",
})
"""Extensions whose output depends only on the page's text, mkdocs.yml, and (``generator.markdown_ext``)
the catalogue's badges: those of the project template, and Python-Markdown's abbreviations."""

Render = Callable[["MkDocsConfig", "Files"], None]
RenderExcerpt = Callable[["Page", str], None]
Found = tuple[tuple[str, "tuple[str, str] | None"], ...]
"""Each path a conversion looked up, and what it found: the file's URL and inclusion, or None."""
Badges = tuple[tuple[str, "Badge | None"], ...]
"""The badges a conversion asked the catalogue for: each URL, and the badge it got (None: no paper)."""


def _found(file: File | None) -> tuple[str, str] | None:
    return None if file is None else (file.url, str(file.inclusion))


class _Lookups:
    """``Files`` as a conversion sees them, noting each path it looks up and what it finds."""

    def __init__(self, files: Files) -> None:
        self._files = files
        self.found: dict[str, tuple[str, str] | None] = {}

    def get_file_from_path(self, path: str) -> File | None:
        file = self._files.get_file_from_path(path)
        self.found[path] = _found(file)
        return file

    def __getattr__(self, name: str) -> Any:
        return getattr(self._files, name)


_ATOMS = (str, int, float, bool, type(None))
_PLAIN_OBJECTS = (AnchorLink, TableOfContents)


def _fresh(value: Any) -> Any:
    """A copy of a kept value that the build may change (Material's blog appends to a listing's toc).

    ``copy.deepcopy``'s result, made faster for what is kept: tables of contents (objects
    of plain attributes and lists) and search entries (dicts, lists and text); anything
    else goes to ``copy.deepcopy``. A tenth of a rebuild at 2,000 papers went to deepcopy.
    """
    kind = type(value)
    if kind in _ATOMS:
        return value
    if kind is list:
        return [_fresh(item) for item in value]
    if kind is dict:
        return {key: _fresh(item) for key, item in value.items()}
    if kind is tuple:
        return tuple(_fresh(item) for item in value)
    if kind in _PLAIN_OBJECTS:
        made = object.__new__(kind)
        made.__dict__.update(_fresh(value.__dict__))
        return made
    return copy.deepcopy(value)


def _still_found(found: Found, files: Files) -> bool:
    """Whether each path looked up finds what it found then. ``Files.get_file_from_path`` makes a PurePath
    of each (a tenth of a second per 10,000 lookups; a save at 2,000 papers checks 30,000); the same
    normalising of a path is kept instead."""
    uris = files.src_uris
    return all(_found(uris.get(_posix(path))) == seen for path, seen in found)


@functools.lru_cache(maxsize=1 << 16)
def _posix(path: str) -> str:
    """``PurePath(path).as_posix()``: the key ``Files.get_file_from_path`` looks a path up by."""
    return PurePath(path).as_posix()


@dataclass(frozen=True)
class _Rendered:
    """What one ``Page.render`` set on its page, what MkDocs logged meanwhile, and the files it looked up."""

    content: str
    toc: TableOfContents
    title: str | None
    anchors: frozenset[str] | None
    links_to_anchors: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] | None
    messages: tuple[tuple[str, int, str], ...]
    found: Found
    badges: Badges = ()

    @classmethod
    def of(cls, page: Page, messages: Iterable[logging.LogRecord], found: Found, badges: Badges = ()) -> _Rendered:
        links = page.links_to_anchors
        return cls(
            content=page.content or "",
            toc=_fresh(page.toc),
            title=page._title_from_render,
            anchors=frozenset(page.present_anchor_ids) if page.present_anchor_ids is not None else None,
            links_to_anchors=None if links is None else tuple(
                (target.src_uri, tuple(anchors.items())) for target, anchors in links.items()),
            messages=tuple((record.name, record.levelno, record.getMessage()) for record in messages),
            found=found,
            badges=badges,
        )

    def restore(self, page: Page, files: Files) -> None:
        page.content = self.content
        page.toc = _fresh(self.toc)
        page._title_from_render = self.title
        page.present_anchor_ids = set(self.anchors) if self.anchors is not None else None
        if self.links_to_anchors is not None:
            uris = files.src_uris
            page.links_to_anchors = {
                target: dict(anchors) for src, anchors in self.links_to_anchors
                if (target := uris.get(_posix(src))) is not None
            }
        for name, level, message in self.messages:
            logging.getLogger(name).log(level, message)


@dataclass(frozen=True)
class _Excerpt:
    """What Material's ``Excerpt.render`` set: the HTML before the separator, the rest, the toc."""

    content: str
    more: str | None
    toc: TableOfContents
    found: Found
    badges: Badges = ()


# What the last build converted and indexed, by digests of the texts (see ``memo.LastBuild``): about
# the size of the site's HTML once more (a build holds every page's HTML anyway).
_RENDERED: LastBuild[_Rendered] = LastBuild("rendered pages")
_EXCERPTS: LastBuild[_Excerpt] = LastBuild("rendered excerpts")
_ENTRIES: LastBuild[tuple[dict[str, Any], ...]] = LastBuild("search entries")
# The paper rows of the reading list and the topic pages (``drawings.lift_rows``): each row's HTML by its
# text and page; and for each page, every file its rows' links looked up, with what they found.
_ROWS: LastBuild[str] = LastBuild("rendered rows")
_ROW_LOOKUPS: LastBuild[dict[str, tuple[str, str] | None]] = LastBuild("rows' lookups")


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


@contextmanager
def _captured(logger: str) -> Iterator[list[logging.LogRecord]]:
    """The records logged under ``logger`` meanwhile (they still go where they went)."""
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = Keep(logging.DEBUG)
    target = logging.getLogger(logger)
    target.addHandler(handler)
    try:
        yield records
    finally:
        target.removeHandler(handler)


def usable(config: MkDocsConfig) -> bool:
    """Whether every Markdown extension of the site is one whose output :class:`KeptRenders` can key."""
    return all(isinstance(name, str) and name in KNOWN_EXTENSIONS for name in config.markdown_extensions)


def _generated(markdown: str) -> bool:
    """A page Studylog generated: the Markdown extension gives its links no badges (see ``markdown_ext``)."""
    return generated_page_marker(markdown.split("\n", 8)) is not None


class KeptRenders:
    """One build's use of the kept conversions: :meth:`install` on each page before MkDocs renders it.

    ``config_file`` is mkdocs.yml; ``links`` gives the catalogue as the Markdown extension reads it
    (``paper_links.site_links``, None when it cannot be read), asked once per build.
    """

    def __init__(self, config_file: Path, links: Callable[[], SiteLinks | None]) -> None:
        for kept in (_RENDERED, _EXCERPTS, _ROWS, _ROW_LOOKUPS):
            kept.next_build()
        self.config = hashlib.sha256(_read(config_file)).hexdigest()
        self._links_of = links
        self._links: tuple[SiteLinks | None] | None = None
        self.used: dict[str, _Rendered] = {}
        """Each page's conversion this build, made or kept, by the page's path."""

    @property
    def links(self) -> SiteLinks | None:
        if self._links is None:
            self._links = (self._links_of(),)
        return self._links[0]

    @property
    def catalogue(self) -> str:
        """Whether the extension can read the catalogue (a log's key; its badges are checked one by one)."""
        return "catalogue" if self.links is not None else "no catalogue"

    def _badges_hold(self, badges: Badges) -> bool:
        """Whether the catalogue gives each URL the badge it gave when the kept conversion was made."""
        links = self.links
        if links is None:
            return not badges
        with recording_badges():  # asked here, not by a conversion
            return all(links.badge(url) == badge for url, badge in badges)

    def install(self, page: Page) -> None:
        """Make ``page.render`` give back a kept conversion when there is one (on this page object only)."""
        original: Render = page.render
        page.render = lambda config, files: self._render(page, config, files, original)  # type: ignore[method-assign]

    def _render(self, page: Page, config: MkDocsConfig, files: Files, original: Render) -> None:
        markdown = page.markdown or ""
        key = (_digest(markdown), page.file.src_uri, page.url, self.config,
               "" if _generated(markdown) else self.catalogue)

        def make() -> _Rendered:
            lookups = _Lookups(files)
            with _captured("mkdocs") as messages, recording_badges() as badges:
                original(config, lookups)  # type: ignore[arg-type]
            return _Rendered.of(page, messages, tuple(lookups.found.items()), tuple(badges))

        kept, made = _RENDERED.get(
            key, make, lambda kept: _still_found(kept.found, files) and self._badges_hold(kept.badges))
        if not made:
            kept.restore(page, files)
        self.used[page.file.src_uri] = kept

    def install_excerpt(self, excerpt: Any, files: Files) -> None:
        """The same for a post's excerpt in Material's blog (its ``render(view, separator)``).

        The excerpt converts with the blog's own Markdown, whose link processor (``relpath``)
        holds the build's files; without one, the excerpt is left as it is.
        """
        try:
            relpath = excerpt.md.treeprocessors["relpath"]  # a deferred parser (blog_hook) answers unmade
        except (AttributeError, KeyError):
            return
        if getattr(relpath, "files", None) is not files:
            return
        original: RenderExcerpt = excerpt.render
        excerpt.render = lambda view, separator: self._render_excerpt(excerpt, relpath, view, separator, original)

    def _render_excerpt(self, excerpt: Any, relpath: Any, view: Page, separator: str,
                        original: RenderExcerpt) -> None:
        post, files = excerpt.post, relpath.files
        key = (_digest(post.markdown or ""), post._title_from_render or "", post.title,
               post.url, view.url, separator, self.config, self.catalogue)

        def make() -> _Excerpt:
            lookups = relpath.files = _Lookups(files)
            try:
                with recording_badges() as badges:
                    original(view, separator)
            finally:
                relpath.files = files
            return _Excerpt(excerpt.content, excerpt.more, _fresh(excerpt.toc), tuple(lookups.found.items()),
                            tuple(badges))

        kept, made = _EXCERPTS.get(
            key, make, lambda kept: _still_found(kept.found, files) and self._badges_hold(kept.badges))
        if not made:
            excerpt.content, excerpt.more, excerpt.toc = kept.content, kept.more, _fresh(kept.toc)


def keep_search_entries(search: Any, report: Callable[[Page, tuple[dict[str, Any], ...]], None] | None = None) -> bool:
    """Make Material's search plugin (``material/search``) keep each page's entries by what they are made of.

    Its index object is made anew in each build's ``on_config``; the wrapper goes on that
    object only. ``report`` hears each page's entries. False, and nothing done, when the plugin
    is not the one this was written for (no ``search_index`` with ``entries`` and ``add_entry_from_context``).
    """
    index = getattr(search, "search_index", None)
    original = getattr(index, "add_entry_from_context", None)
    if index is None or original is None or not isinstance(getattr(index, "entries", None), list):
        return False

    def add_entry_from_context(page: Page) -> None:
        meta = page.meta or {}
        key = (_digest(page.content or ""), _digest(str(page.toc)), page.url, str(page.title),
               repr((meta.get("title"), meta.get("tags"), meta.get("search"))))

        def make() -> tuple[dict[str, Any], ...]:
            start = len(index.entries)
            original(page)
            return tuple(_fresh(index.entries[start:]))

        entries, made = _ENTRIES.get(key, make)
        if not made:
            index.entries.extend(_fresh(list(entries)))
        if report is not None:
            report(page, entries)

    _ENTRIES.next_build()
    index.add_entry_from_context = add_entry_from_context
    return True


KEPT_TEMPLATE = "studylog-kept-page.html"
"""The template a page is rendered with when the theme's page for it is kept: it gives that back."""
KEPT_VIEW_TEMPLATE = "studylog-kept-view.html"
"""The template a listing page of Material's blog is rendered with: its kept page, or ``blog.html``'s."""
VIEW_TEMPLATE = "blog.html"
_KNOWN_PLUGINS = frozenset({"material/search", "material/blog", "material/tags", "studylog"})
_OUTPUTS: LastBuild[str] = LastBuild("theme pages")


class KeptOutputs:
    """One build's use of the kept theme pages: :meth:`choose` after every page is read (``on_env``),
    :meth:`keep` with the theme's output (first thing in ``on_post_page``)."""

    def __init__(self, kept: KeptRenders, nav: Any) -> None:
        _OUTPUTS.next_build()
        self.site = _digest(f"{kept.config}\0{nav}")  # mkdocs.yml as this build's conversions read it
        self.keys: dict[str, bytes] = {}
        self.kept: dict[str, str] = {}

    @staticmethod
    def usable(config: MkDocsConfig) -> bool:
        theme = config.theme
        return (theme.name == "material" and not theme.custom_dir and not config.hooks
                and all(name.split(" #")[0] in _KNOWN_PLUGINS for name in config.plugins))

    def choose(self, page: Page) -> None:
        """Key a page Studylog generated outside the navigation, or a post of Material's blog; when the
        theme's page for it is kept, use it. A listing page of the blog gets the template of :meth:`view`."""
        file = page.file
        if _is_view(page):
            page.meta["template"] = KEPT_VIEW_TEMPLATE  # keyed once the blog has put its excerpts in the context
            return
        post = _post_parts(page)
        if not file.inclusion.is_not_in_nav() or (post is None and (
                file.generated_by != "studylog" or page.meta.get("template"))):
            return
        key = _digest("\0".join([_page_parts(page), post or ""])) + self.site
        self.keys[file.src_uri] = key
        output = _OUTPUTS.find(key)
        if output is not None:
            self.kept[file.src_uri] = output
            page.meta["template"] = KEPT_TEMPLATE

    def output(self, src_uri: str) -> str:
        return self.kept[src_uri]

    def view(self, context: Any) -> str:
        """A listing page of Material's blog, rendered (``KEPT_VIEW_TEMPLATE``) once the blog has put its
        excerpts and pagination in the context: the page kept for all it shows, else ``blog.html``'s."""
        page = context["page"]
        key = _digest("\0".join([_page_parts(page), _view_parts(page, context)])) + self.site
        output = _OUTPUTS.find(key)
        if output is None:
            output = context.environment.get_template(VIEW_TEMPLATE).render(context.get_all())
            _OUTPUTS.put(key, output)
        return output

    def keep(self, page: Page, output: str) -> None:
        """The theme's page, as its template made it, before any plugin's ``on_post_page``."""
        key = self.keys.get(page.file.src_uri)
        if key is not None and page.file.src_uri not in self.kept:
            _OUTPUTS.put(key, output)


def _page_parts(page: Page) -> str:
    """What the theme shows of any page besides the site's settings and navigation."""
    neighbours = [(str(p.title), p.url) if p is not None else None for p in (page.previous_page, page.next_page)]
    return "\0".join([page.content or "", str(page.toc), str(page.title), repr(sorted(page.meta.items())),
                      page.url, page.file.src_uri, repr(neighbours)])


def _is_view(page: Page) -> bool:
    """A listing page of Material's blog (its index, a year, a category, a page of one) rendered with ``blog.html``."""
    from material.plugins.blog.structure import View

    return isinstance(page, View) and page.meta.get("template") == VIEW_TEMPLATE


def _view_parts(page: Any, context: Any) -> str:
    """What ``blog.html`` shows of a listing page besides what every page shows: each excerpt in it (its HTML,
    whether it has more, its URL, the post's settings, and the categories and authors shown with it), and
    the pagination (how many posts the listing has, its pages' URLs, which one this is)."""
    posts = context.get("posts") or []
    shown = [(excerpt.content, bool(excerpt.more), excerpt.url,
              sorted((name, value) for name, value in excerpt.config.items() if name != "links"),
              [(c.title, c.url) for c in excerpt.categories],
              [(a.name, a.description, a.avatar, a.url) for a in excerpt.authors]) for excerpt in posts]
    pages = list(getattr(page, "pages", None) or [])
    pagination = (context.get("pagination") is not None, len(getattr(page, "posts", None) or []),
                  [p.url for p in pages], next((at for at, p in enumerate(pages) if p is page), None))
    return repr((shown, pagination))


def _post_parts(page: Page) -> str | None:
    """What the theme shows of a post of Material's blog besides what every page shows, or None when the
    page is not such a post, or is one whose page this cannot key (its own template, ``links:``).

    Material's ``blog-post.html`` shows the post's settings (dates, reading time, authors and
    categories by name, draft, pin, slug), each category's title and URL, each author's name,
    description, avatar and URL, and the link back to the blog's index.
    """
    from material.plugins.blog.structure import Post

    if type(page) is not Post or page.meta.get("template") != "blog-post.html":
        return None
    post: Any = page
    config = post.config
    if config.get("links"):
        return None  # a section of links, resolved against the site's files, shown in the sidebar
    parent = post.parent
    return repr((
        sorted((name, value) for name, value in config.items() if name != "links"),
        [(c.title, c.url) for c in post.categories],
        [(a.name, a.description, a.avatar, a.url) for a in post.authors],
        (parent.title, parent.url) if parent is not None else None,
    ))


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b"\0missing"


SEARCH_ATTRIBUTES = re.compile(r'\s?data-search-\w+="[^"]+"')
"""What Material's search plugin takes out of every page's HTML once it has indexed it (its ``on_page_context``)."""


def searched(config: MkDocsConfig) -> bool:
    """Whether Material's search runs in this build (and so takes ``SEARCH_ATTRIBUTES`` out of the pages)."""
    search = config.plugins.get("material/search")
    return search is not None and bool(getattr(search.config, "enabled", True))


def convert_rows(page: Page, config: MkDocsConfig, files: Files, rows: dict[str, str], nonce: str,
                 kept: KeptRenders | None) -> dict[str, str]:
    """Each row's HTML, by its token: converted as part of ``page`` (by MkDocs' ``Page.render``, so its
    links resolve from the page's place), the rows in one document, and with Material's search's
    attributes taken out as Material takes them out of the page. Under serve (``kept``), a row is
    converted only when its text is new, while every link of the page's rows finds what it found."""
    from mkdocs.structure.pages import Page as MkDocsPage

    html: dict[str, str] = {}
    strip = searched(config)
    place = (page.file.src_uri, page.url, kept.config if kept is not None else "", strip)
    seen: dict[str, tuple[str, str] | None] | None = None
    if kept is not None:
        seen = _ROW_LOOKUPS.find(place, lambda found: _still_found(tuple(found.items()), files))
    missing = list(rows)
    if seen is not None:
        missing = []
        for name, text in rows.items():
            found = _ROWS.find((_digest(text), *place))
            if found is None:
                missing.append(name)
            else:
                html[name] = found
    if missing:
        lookups = _Lookups(files)
        # Marked as a page Studylog generated, as the page is: the Markdown extension then reads it as one
        # (a log's document would be parsed whole for an excerpt break, a megabyte at 2,000 papers).
        stand_in = _StandIn(page.file, f"{GENERATED_PAGE}\n\n{rows_markdown([rows[name] for name in missing], nonce)}")
        MkDocsPage.render(stand_in, config, lookups)  # type: ignore[arg-type]
        content = (stand_in.content or "").lstrip("\n")
        if content.startswith(GENERATED_PAGE):  # no extension took the marker off
            content = content[len(GENERATED_PAGE):]
        parts = rows_html(content, len(missing), nonce)
        if parts is None:  # the rows did not come apart (never seen): convert each on its own
            parts = []
            for name in missing:
                alone = _StandIn(page.file, rows[name])
                MkDocsPage.render(alone, config, lookups)  # type: ignore[arg-type]
                parts.append((alone.content or "").strip("\n"))
        for name, part in zip(missing, parts, strict=True):
            html[name] = part = SEARCH_ATTRIBUTES.sub("", part) if strip else part
            if kept is not None:
                _ROWS.put((_digest(rows[name]), *place), part)
        if page.present_anchor_ids is not None and stand_in.present_anchor_ids:
            page.present_anchor_ids |= stand_in.present_anchor_ids
        if page.links_to_anchors is not None and stand_in.links_to_anchors:
            for target, anchors in stand_in.links_to_anchors.items():
                page.links_to_anchors.setdefault(target, {}).update(anchors)
        seen = {**(seen or {}), **lookups.found}
    if kept is not None and seen is not None:
        _ROW_LOOKUPS.put(place, seen)
    return {name: html[name] for name in rows}


class _StandIn:
    """What ``Page.render`` reads and sets of a page: the rows' conversion, apart from the page itself."""

    def __init__(self, file: File, markdown: str) -> None:
        self.file = file
        self.markdown = markdown
        self.content: str | None = None
        self.present_anchor_ids: set[str] | None = None
        self.links_to_anchors: dict[File, dict[str, str]] | None = None


def clear() -> None:
    """Forget every kept conversion (tests)."""
    _RENDERED.clear()
    _ROWS.clear()
    _ROW_LOOKUPS.clear()
    _EXCERPTS.clear()
    _ENTRIES.clear()
    _OUTPUTS.clear()


def stats() -> dict[str, Any]:
    return {"hits": _RENDERED.hits, "misses": _RENDERED.misses, "pages": len(_RENDERED),
            "excerpt hits": _EXCERPTS.hits, "excerpts": len(_EXCERPTS),
            "entry hits": _ENTRIES.hits, "entries": len(_ENTRIES), "row hits": _ROWS.hits, "rows": len(_ROWS),
            "page hits": _OUTPUTS.hits, "theme pages": len(_OUTPUTS)}
