"""Under `mkdocs serve`: a page whose Markdown and surroundings did not change is not converted again.

MkDocs rebuilds the whole site on every save, and converting each page's Markdown
to HTML is the largest part of a rebuild (about a third on the 60-post blog, more on a
large catalogue), although a save changes one page. :class:`KeptRenders` remembers,
for each page, what MkDocs' ``Page.render`` made of it, and gives it back when the
same Markdown is rendered again at the same place in an unchanged site:

- the key is the page's Markdown (after every plugin's ``on_page_markdown``), its path
  and URL, and a digest of everything else a conversion reads: ``mkdocs.yml``, the
  catalogue and the lock (the badges in logs), and every file's path and URL (links
  between pages);
- what is kept is all that ``render`` sets: the HTML, the table of contents, the title
  from the first heading, the anchors and the links to anchors MkDocs validates after
  the build, and the messages MkDocs logged while converting (a link to a missing
  page), which are logged again, so ``--strict`` fails as it did;
- it is used only when every Markdown extension in ``mkdocs.yml`` is one known to read
  nothing but the page's text and the files above (:data:`KNOWN_EXTENSIONS`); a site
  that adds another (say, one that includes other files) converts every page on every save.

Material's blog converts each post again for every listing page that shows it (the
blog's index, its year in the archive, its category): :meth:`KeptRenders.install_excerpt`
keeps those conversions the same way, by the post's Markdown and title, the post's and
the listing's URLs and the same digest of the site.

Everything after the conversion runs as in any build: the other plugins' events,
Material's search, blog and tags, the theme's templates. A test compares the served
site after a series of saves with a clean build.
"""

from __future__ import annotations

import copy
import hashlib
import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .memo import Memo

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page
    from mkdocs.structure.toc import TableOfContents

KNOWN_EXTENSIONS = frozenset({
    "toc", "tables", "fenced_code", "admonition", "attr_list", "md_in_html", "def_list", "footnotes", "abbr",
    "pymdownx.details", "pymdownx.superfences", "pymdownx.highlight", "pymdownx.inlinehilite",
    "pymdownx.magiclink", "pymdownx.tasklist", "pymdownx.emoji", "pymdownx.arithmatex",
    "generator.markdown_ext", "generator.kramdown",
})
"""Extensions whose output depends only on the page's text, mkdocs.yml, and (``generator.markdown_ext``)
the catalogue and lock: those of the project template, and Python-Markdown's abbreviations."""

_RENDERED_CHARS = 48_000_000
"""Keys (the Markdown) and HTML together: about 100 MB at most, room for 2,000 papers and 400 logs."""

Render = Callable[["MkDocsConfig", "Files"], None]
RenderExcerpt = Callable[["Page", str], None]


@dataclass(frozen=True)
class _Rendered:
    """What one ``Page.render`` set on its page, and what MkDocs logged meanwhile."""

    content: str
    toc: TableOfContents
    title: str | None
    anchors: frozenset[str] | None
    links_to_anchors: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] | None
    messages: tuple[tuple[str, int, str], ...]

    @classmethod
    def of(cls, page: Page, messages: Iterable[logging.LogRecord]) -> _Rendered:
        links = page.links_to_anchors
        return cls(
            content=page.content or "",
            toc=copy.deepcopy(page.toc),
            title=page._title_from_render,
            anchors=frozenset(page.present_anchor_ids) if page.present_anchor_ids is not None else None,
            links_to_anchors=None if links is None else tuple(
                (target.src_uri, tuple(anchors.items())) for target, anchors in links.items()),
            messages=tuple((record.name, record.levelno, record.getMessage()) for record in messages),
        )

    def restore(self, page: Page, files: Files) -> None:
        page.content = self.content
        page.toc = copy.deepcopy(self.toc)
        page._title_from_render = self.title
        page.present_anchor_ids = set(self.anchors) if self.anchors is not None else None
        if self.links_to_anchors is not None:
            page.links_to_anchors = {
                target: dict(anchors) for src, anchors in self.links_to_anchors
                if (target := files.get_file_from_path(src)) is not None
            }
        for name, level, message in self.messages:
            logging.getLogger(name).log(level, message)


_RENDERED: Memo[_Rendered] = Memo("rendered pages", _RENDERED_CHARS, weigh=lambda kept: len(kept.content))


@dataclass(frozen=True)
class _Excerpt:
    """What Material's ``Excerpt.render`` set: the HTML before the separator, the rest, the toc."""

    content: str
    more: str | None
    toc: TableOfContents


_EXCERPTS: Memo[_Excerpt] = Memo("rendered excerpts", _RENDERED_CHARS // 4,
                                 weigh=lambda kept: len(kept.content) + len(kept.more or ""))


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


class KeptRenders:
    """One build's use of the kept conversions: :meth:`install` on each page before MkDocs renders it."""

    def __init__(self, inputs: Iterable[Path]) -> None:
        self.inputs = tuple(inputs)
        self._context: tuple[int, str] | None = None

    def install(self, page: Page) -> None:
        """Make ``page.render`` give back a kept conversion when there is one (on this page object only)."""
        original: Render = page.render
        page.render = lambda config, files: self._render(page, config, files, original)  # type: ignore[method-assign]

    def install_excerpt(self, excerpt: Any) -> None:
        """The same for a post's excerpt in Material's blog (its ``render(view, separator)``)."""
        original: RenderExcerpt = excerpt.render
        excerpt.render = lambda view, separator: self._render_excerpt(excerpt, view, separator, original)

    def _render_excerpt(self, excerpt: Any, view: Page, separator: str, original: RenderExcerpt) -> None:
        if self._context is None:  # no page converted yet in this build: nothing to key the site by
            original(view, separator)
            return
        post = excerpt.post
        key = ("excerpt", post.markdown or "", post._title_from_render or "", post.title,
               post.url, view.url, separator, self._context[1])
        made = False

        def make() -> _Excerpt:
            nonlocal made
            made = True
            original(view, separator)
            return _Excerpt(excerpt.content, excerpt.more, copy.deepcopy(excerpt.toc))

        kept = _EXCERPTS.get(key, make)
        if not made:
            excerpt.content, excerpt.more, excerpt.toc = kept.content, kept.more, copy.deepcopy(kept.toc)

    def _render(self, page: Page, config: MkDocsConfig, files: Files, original: Render) -> None:
        key = (page.markdown or "", page.file.src_uri, page.url, self._site(config, files))
        made = False

        def make() -> _Rendered:
            nonlocal made
            made = True
            with _captured("mkdocs") as messages:
                original(config, files)
            return _Rendered.of(page, messages)

        kept = _RENDERED.get(key, make)
        if not made:
            kept.restore(page, files)

    def _site(self, config: MkDocsConfig, files: Files) -> str:
        """The digest of what every conversion of this build reads besides its page (once per build)."""
        if self._context is None or self._context[0] != id(files):
            digest = hashlib.sha256()
            for path in (Path(config.config_file_path or "mkdocs.yml"), *self.inputs):
                digest.update(_read(path) + b"\0")
            for file in sorted(files, key=lambda f: f.src_uri):
                digest.update(f"{file.src_uri}\0{file.url}\n".encode())
            self._context = (id(files), digest.hexdigest())
        return self._context[1]


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b"\0missing"


def clear() -> None:
    """Forget every kept conversion (tests)."""
    _RENDERED.clear()
    _EXCERPTS.clear()


def stats() -> dict[str, Any]:
    return {"hits": _RENDERED.hits, "misses": _RENDERED.misses, "pages": len(_RENDERED),
            "excerpt hits": _EXCERPTS.hits, "excerpts": len(_EXCERPTS)}
