"""Where the site keeps things: the pages Studylog generates, and where Material's blog puts the logs.

One :class:`Layout` is made per build from the configuration (``mkdocs.yml``:
the blog plugin's ``blog_dir``, ``post_dir``, ``post_url_format`` and
``post_url_date_format``, and the studylog plugin's ``logs_dir``), and every
page, link, hint and the feed take their paths from it. Nothing else spells out
``logs/`` or ``docs/logs/posts``.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import unquote

from babel.dates import format_date, format_datetime
from pymdownx.slugs import slugify


class Post(Protocol):
    """What the blog's URL of a log is made from (a ``logs.Log`` is one)."""

    @property
    def src(self) -> str: ...
    @property
    def date(self) -> dt.date: ...
    @property
    def slug(self) -> str: ...
    @property
    def categories(self) -> Sequence[str]: ...

# Material's blog slugifies categories (for `{categories}` in URLs) this way by default.
_category_slug = slugify(case="lower")


@dataclass(frozen=True)
class Layout:
    """Paths are relative to the docs folder, with forward slashes."""

    blog_dir: str = "logs"
    """Material blog's ``blog_dir``: the logs page is ``<blog_dir>/index.md``, posts' URLs start here."""
    logs_dir: str = "logs/posts"
    """The folder of the log files (the blog's ``post_dir``)."""
    post_url_format: str = "{date}/{slug}"
    """Material blog's ``post_url_format``: ``{date}``, ``{slug}``, ``{categories}``, ``{file}``."""
    post_url_date_format: str = "yyyy/MM/dd"
    """Material blog's ``post_url_date_format``, a Babel date pattern."""
    post_url_max_categories: int = 1
    language: str = "en"
    """``theme.language``: Material formats dates in URLs in it (``MMMM`` gives month names)."""
    docs_dir: str = "docs"
    """The docs folder, relative to the project (for hints that name a place on disk)."""
    directory_urls: bool = True
    """MkDocs' ``use_directory_urls``: a page ``papers/x.md`` is served at ``papers/x/`` (else ``papers/x.html``)."""

    # The pages Studylog generates, by what they hold.
    home: str = "index.md"
    reading_list: str = "papers/index.md"
    topics: str = "topics/index.md"
    qa: str = "qa/index.md"
    stats: str = "stats/index.md"
    graph: str = "graph/index.md"
    tags: str = "tags.md"
    """Material's tags index (the page holding ``<!-- material/tags -->``)."""
    feed: str = "feed.xml"
    bibtex: str = "papers.bib"
    csl_json: str = "papers.json"
    schema: str = "papers.schema.json"
    flashcards: str = "qa/studylog-qa.apkg"
    """The Q&A as an Anki deck."""
    flashcards_text: str = "qa/studylog-qa.txt"
    """The Q&A in Anki's plain text import format."""

    @property
    def blog_index(self) -> str:
        return posixpath.join(self.blog_dir, "index.md")

    @property
    def logs_on_disk(self) -> str:
        """Where a user puts a new log, as a path from the project: ``docs/logs/posts/``."""
        return posixpath.join(self.docs_dir, self.logs_dir) + "/"

    def paper(self, key: str) -> str:
        return f"papers/{key}.md"

    def topic(self, topic_id: str) -> str:
        return f"topics/{topic_id}.md"

    def post_url(self, log: Post) -> str:
        """The site-relative URL of a log's page, as Material's blog makes it: ``logs/2021/09/09/day-28/``."""
        created = log.date if isinstance(log.date, dt.datetime) else dt.datetime.combine(log.date, dt.time())
        categories = [_category_slug(name, "-") for name in log.categories[: self.post_url_max_categories]]
        path = self.post_url_format.format(
            categories="/".join(categories),
            date=self._format_date(created),
            file=posixpath.splitext(posixpath.basename(log.src))[0],
            slug=log.slug,
        )
        path = posixpath.normpath(path.strip("/"))
        return posixpath.join(self.blog_dir, path) + "/"

    def url_of(self, page: str) -> str:
        """The site-relative URL MkDocs serves a docs page at: ``papers/x.md`` gives ``papers/x/``.

        For links MkDocs cannot rewrite, such as those inside an SVG drawn at build time.
        """
        stem = page.removesuffix(".md")
        if not self.directory_urls:
            return stem + ".html"
        if stem == "index" or stem.endswith("/index"):
            return stem.removesuffix("index")
        return stem + "/"

    def log_url(self, log: Post) -> str:
        """The site-relative URL of a log's page as :meth:`url_of` gives it (Material's blog makes
        the post a page at :meth:`post_url` plus ``.md``)."""
        return self.url_of(self.post_url(log).rstrip("/") + ".md")

    def _format_date(self, when: dt.datetime) -> str:
        locale = self.language.replace("-", "_")
        pattern = self.post_url_date_format
        if pattern in ("full", "long", "medium", "short"):
            return format_date(when, format=pattern, locale=locale)
        return format_datetime(when, format=pattern, locale=locale)


DEFAULT = Layout()


def redirect_file(old: str) -> str:
    """The file, relative to the site, that answers the old path ``old``: as Jekyll wrote it.

    ``/a/b/`` is ``a/b/index.html``, ``/a/b.html`` is itself, and ``/a/b`` (served
    from ``a/b.html`` by GitHub Pages) is ``a/b.html``. ``%XX`` escapes are decoded,
    as web servers do before they look for the file.
    """
    path = unquote(old).strip().lstrip("/")
    if not path or path.endswith("/"):
        return path + "index.html"
    return path if posixpath.splitext(posixpath.basename(path))[1] else path + ".html"
