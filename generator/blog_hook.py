"""The MkDocs side of listing pages: Material's blog converts each post up to ``<!-- more -->`` only.

Material's blog shows a post on its listing pages (the blog's index, the archive,
the category) as an excerpt: it converts the post's whole Markdown again for each
of them and keeps the HTML before the separator. ``StudylogPlugin.on_page_content``
calls :func:`shorten_for_listings` once the post's own page is rendered: from then
on the post's Markdown is only read for excerpts, so it is cut to what an excerpt
needs (``memo.excerpt_source`` decides, and leaves a post whole when unsure). A post
without a separator gets it where the Markdown extension would put it
(``excerpt.with_separator``), so it is cut there too.
The excerpts, and so every page, are byte for byte what they were; a post of 60
lines with its separator after the day's schedule converts 3 times in a fraction.
"""

from __future__ import annotations

import copy
import hashlib
import importlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from mkdocs.structure.pages import Page

from .excerpt import SEPARATOR, with_separator
from .memo import Memo, excerpt_source
from .paper_links import site_links

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig


def _blogs(config: MkDocsConfig) -> list[Any]:
    """The instances of Material's blog plugin in ``mkdocs.yml`` (``material/blog``, ``material/blog #2`` ...)."""
    return [plugin for name, plugin in config.plugins.items() if name.split(" #")[0] == "material/blog"]


class _Posts(list[Any]):
    """A blog's posts, answering ``page in posts`` as the list does, without comparing every page with every post.

    Material's blog asks, for every page of the site and twice (``on_page_markdown``,
    ``on_page_content``), whether it is one of the blog's posts: the list compares it
    with each post by ``Page.__eq__``, which is False at once unless the page is a
    ``Post`` (its first test is ``isinstance(other, self.__class__)``). At 2,000 papers
    and 400 logs that is two million comparisons a build. Here a page that is not of
    the posts' class is answered False, and one that is a post itself True, as the
    comparisons would; any other page is compared as before.
    """

    def __init__(self, posts: list[Any], kind: type) -> None:
        super().__init__(posts)
        self._kind = kind
        self._ids = {id(post) for post in posts}

    def __contains__(self, page: object) -> bool:
        if not isinstance(page, self._kind):
            return False
        if id(page) in self._ids and any(post is page for post in self):
            return True
        return super().__contains__(page)


def index_posts(config: MkDocsConfig) -> bool:
    """Give each of Material's blogs a posts list that knows its posts (:class:`_Posts`), after the blog made it.

    False, and the blog's list left as it is, when its posts are not all of one class that
    compares as ``Page`` does (another version of the blog, or a plugin's own posts).
    """
    done = False
    for plugin in _blogs(config):
        blog: Any = getattr(plugin, "blog", None)
        posts = getattr(blog, "posts", None)
        if type(posts) is not list or not posts:
            continue
        kinds = {type(post) for post in posts}
        kind = next(iter(kinds))
        if len(kinds) != 1 or not issubclass(kind, Page) or kind.__eq__ is not Page.__eq__:
            continue
        blog.posts = _Posts(posts, kind)
        done = True
    return done


def shorten_for_listings(page: Page, config: MkDocsConfig) -> None:
    """Cut a blog post's Markdown to what its excerpts need, after the post's own page is rendered."""
    if getattr(page, "excerpt", None) is None or page.markdown is None:
        return  # not a post of Material's blog (the blog gives each post an excerpt)
    blogs = _blogs(config)
    if len(blogs) != 1:
        return  # several blogs: which one's separator applies is theirs to know
    separator = getattr(blogs[0].config, "post_excerpt_separator", None)
    if not isinstance(separator, str) or not separator:
        return
    source = with_separator(page.markdown) if separator == SEPARATOR else page.markdown
    short = excerpt_source(source, separator)
    if short is not None:
        page.markdown = short
        links = site_links(config.config_file_path) if config.config_file_path else None
        if links is not None:  # the excerpts' badges: the extension knows a log by its text
            links.logs.cut(short, Path(page.file.abs_src_path or ""))


def _replace_in(module_name: str, name: str, is_original: Callable[[Any], bool], make: Callable[[Any], Any]) -> bool:
    """Give Material's ``module_name.name`` the value ``make(original)``, once per process (the replacement is
    marked ``studylog_kept``). False, and nothing changed, when the module is not there or its value is not
    the one this was written for (``is_original``)."""
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        return False
    found = getattr(module, name, None)
    if getattr(found, "studylog_kept", False):
        return True
    if not is_original(found):
        return False
    replacement = make(found)
    replacement.studylog_kept = True
    setattr(module, name, replacement)
    return True


_READTIMES: Memo[int] = Memo("posts' reading times")
_BLOG_MODULE = "material.plugins.blog.plugin"


def keep_readtimes() -> bool:
    """Under serve: Material's blog works out each post's reading time from its HTML in every build, an
    HTML parse of every post (a tenth of a save at 400 logs). The same HTML and words per minute give the
    same time, so Material's ``readtime`` is given one that keeps its answers by the HTML's digest.

    False, and nothing changed, when Material's blog is not there or its ``readtime`` is not Material's own.
    """
    def materials(found: Any) -> bool:
        return callable(found) and getattr(found, "__module__", "") == "material.plugins.blog.readtime"

    def kept(material: Callable[[str, int], int]) -> Callable[[str, int], int]:
        def readtime(html: str, words_per_minute: int) -> int:
            key = (hashlib.blake2b(html.encode("utf-8", "surrogatepass"), digest_size=20).hexdigest(),
                   words_per_minute)
            return _READTIMES.get(key, lambda: material(html, words_per_minute))
        return readtime

    return _replace_in(_BLOG_MODULE, "readtime", materials, kept)


_STRUCTURE_MODULE = "material.plugins.blog.structure"
_FRONT_MATTER: Memo[Any] = Memo("posts' front matter")


def keep_front_matter() -> bool:
    """Under serve: Material's blog reads every post again in each build (its ``Post``, in ``on_files``),
    and parses its front matter with PyYAML's pure-Python loader: 400 parses a save at 400 logs. The same
    text gives the same data, so Material's ``SafeLoader`` is given one that keeps what it parsed by the
    text, and hands out a copy each time (the blog adds to a post's ``hide`` and ``template``).

    False, and nothing changed, when Material's blog is not there or does not parse with PyYAML's own
    ``SafeLoader``.
    """
    return _replace_in(_STRUCTURE_MODULE, "SafeLoader", lambda found: found is yaml.SafeLoader,
                       lambda _: _KeptSafeLoader)


class _KeptSafeLoader(yaml.SafeLoader):
    """``yaml.load(text, _KeptSafeLoader)`` is ``yaml.load(text, SafeLoader)``, parsed once per text."""

    def __init__(self, stream: Any) -> None:
        self._text = stream if isinstance(stream, str) else None
        super().__init__(stream)

    def get_single_data(self) -> Any:
        if self._text is None:
            return super().get_single_data()
        parse = super().get_single_data
        return copy.deepcopy(_FRONT_MATTER.get(self._text, parse))  # a parse error is raised, not kept


class _Registrations:
    """A deferred parser's ``treeprocessors`` until the parser is made: registrations are noted, and a
    processor asked for by name is found among them; anything else makes the parser and is asked of its registry."""

    def __init__(self, deferred: DeferredMarkdown) -> None:
        self._deferred = deferred

    def register(self, item: Any, name: str, priority: float) -> None:
        self._deferred.registered.append((item, name, priority))

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):  # by name, as Python-Markdown's Registry answers it: the last registered
            for item, name, _ in reversed(self._deferred.registered):
                if name == key:
                    return item
            raise KeyError(key)
        return self._deferred.made().treeprocessors[key]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._deferred.made().treeprocessors, name)


class DeferredMarkdown:
    """What Material's blog gets for an excerpt's parser (``Markdown(...)``): the same parser, made when it is
    first used, with the tree processors the blog registered, in the same order.

    Material makes one Python-Markdown, with every extension of ``mkdocs.yml``, for each post's excerpt
    in every build (400 a save at 400 logs). Under serve most excerpts are given back as the last build
    converted them (``render_hook``) and their parser is never used.
    """

    def __init__(self, **kwargs: Any) -> None:
        self._kwargs = kwargs
        self._made: Any = None
        self.registered: list[tuple[Any, str, float]] = []

    @property
    def treeprocessors(self) -> Any:
        return self._made.treeprocessors if self._made is not None else _Registrations(self)

    def made(self) -> Any:
        if self._made is None:
            from markdown import Markdown

            parser = Markdown(**self._kwargs)
            for item, name, priority in self.registered:
                parser.treeprocessors.register(item, name, priority)
            self._made = parser
        return self._made

    def __getattr__(self, name: str) -> Any:
        return getattr(self.made(), name)


def defer_excerpt_parsers() -> bool:
    """Under serve: Material's blog makes each excerpt's parser when it is first used (:class:`DeferredMarkdown`).

    False, and nothing changed, when Material's blog is not there or does not make its parsers with
    Python-Markdown's own ``Markdown``.
    """
    from markdown import Markdown

    return _replace_in(_STRUCTURE_MODULE, "Markdown", lambda found: found is Markdown, lambda _: DeferredMarkdown)
