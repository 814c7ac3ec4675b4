"""The MkDocs plugin ``studylog``: a thin adapter that hands the generated pages to the build.

All the work happens in the core (``project.load_site`` and ``pages.render_site``);
this module only converts between MkDocs' world and it. The Q&A anchors in logs
and the badges beside their links to papers come from the Markdown extension
``generator.markdown_ext``, so that they also appear in builds without this plugin
(Zensical); the plugin tells the extension where ``mkdocs.yml`` is.

What the user hears (see ``errors`` for the severities): an error fails the build
with ``PluginError``; warnings about the content (a log linking a paper the
catalogue lacks) and notes (metadata not fetched yet) are INFO lines, one
summary each, so ``mkdocs build --strict`` fails only on what breaks the site.

Under ``mkdocs serve`` an error must not fail the rebuild: MkDocs would then leave
every request hanging until the next good build. Instead the site shows the
problem: a broken catalogue or lock replaces the generated pages with the
diagnostics; a broken log is left out of the site (so Material's blog never reads
it) and the home page lists it. The next save that fixes it brings the site back.

Speed: MkDocs rebuilds the whole site on every save under serve, in this process.
What Studylog does for a page is kept by its text across rebuilds (``memo``), and
Material's compiled templates too; what MkDocs and Material redo for an unchanged page
(its conversion, its blog excerpts, its search entries, the theme's page) is given back
from the last build (``render_hook``); Material's blog converts each post only up to
``<!-- more -->`` for its listing pages (``blog_hook``); the graphs' SVG goes into the
finished page, past Markdown and search (``drawings``). README, "Scale", has the figures.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import ChoiceLoader, DictLoader, pass_context
from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files

from . import paper_links
from .assets import site_assets
from .blog_hook import defer_excerpt_parsers, index_posts, keep_front_matter, keep_readtimes, shorten_for_listings
from .drawings import lift, lift_rows, new_nonce, put_back, put_back_rows
from .errors import Diagnostic, StudylogError
from .idle_gc import IdleCollection
from .memo import TEMPLATES
from .model import SiteInfo
from .pages import Page, error_pages, is_generated, render_site
from .project import COMMAND, Project, layout_from, load_site, load_site_leaving_out_broken_logs, notes, warnings
from .render_hook import (
    KEPT_TEMPLATE,
    KEPT_VIEW_TEMPLATE,
    KeptOutputs,
    KeptRenders,
    convert_rows,
    keep_search_entries,
    usable,
)
from .search_hook import on_post_build_korean
from .text import one_line
from .unchanged import Unchanged

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page as MkDocsPage

log = logging.getLogger(f"mkdocs.plugins.{__name__}")


def _users_own(file: File, page: Page) -> bool:
    """A Markdown file the user wrote at a generated path wins; one `generate` wrote does not."""
    if file.generated_by or not page.is_markdown or file.abs_src_path is None:
        return False
    try:
        with open(file.abs_src_path, encoding="utf-8-sig") as handle:
            return not is_generated(handle.read(400))
    except (OSError, UnicodeDecodeError):
        return True


def _leave_out(files: Files, problems: tuple[Diagnostic, ...], config: MkDocsConfig) -> None:
    """Take the logs that could not be read out of the build, so nothing downstream reads them."""
    broken = {os.path.realpath(d.path) for d in problems if d.path}
    for file in list(files):
        if file.abs_src_path and os.path.realpath(file.abs_src_path) in broken:
            files.remove(file)


def summary(diagnostics: list[Diagnostic], what: str) -> str:
    """One line for several diagnostics: the first, and how many more."""
    first = diagnostics[0]
    more = f" (and {len(diagnostics) - 1} more; `{COMMAND} check` lists them)" if len(diagnostics) > 1 else ""
    return f"{len(diagnostics)} {what}{'s' if len(diagnostics) != 1 else ''}: {first.location or ''}" \
        f"{': ' if first.location else ''}{first.message}{more}"


class FileNameSlugs:
    """Material's ``post_slugify``, except for logs whose slug comes from their file name.

    Material's blog makes a post's URL from its ``slug``, else from
    ``post_slugify(title)``, and reads the post's file itself, so the file-name slug
    of a log whose title makes no ASCII slug (see ``logs``) reaches it here: by the
    log's title, which ``logs`` makes sure no two such logs share. This is the
    blog's documented option, wrapped; Material's own function does the rest.
    """

    def __init__(self, slugify: Callable[[str, str], str]) -> None:
        self.slugify = slugify
        self.slugs: dict[str, str] = {}

    def __call__(self, title: str, separator: str) -> str:
        return self.slugs.get(one_line(title)) or self.slugify(title, separator)


class StudylogConfig(Config):
    enabled = opt.Type(bool, default=True)
    """Generate the Studylog pages. Default true; turn off to build pages written by `generate`."""
    catalogue = opt.Type(str, default="papers.yaml")
    """The catalogue, relative to mkdocs.yml. Default `papers.yaml`."""
    lock = opt.Type(str, default="papers.lock.json")
    """The lock file of arXiv metadata, relative to mkdocs.yml. Default `papers.lock.json`."""
    logs_dir = opt.Optional(opt.Type(str))
    """The folder of study logs, relative to docs_dir. Default: the blog's `post_dir` (`logs/posts` here)."""
    korean_search = opt.Type(bool, default=True)
    """Add the words inside Korean compounds (벡터 in 원핫벡터) to Material's search index.
    Default true; turns Korean segmentation of the search index off for comparison."""


MARKDOWN_EXTENSION = "generator.markdown_ext"


class StudylogPlugin(BasePlugin[StudylogConfig]):
    serving = False
    unchanged: Unchanged | None = None
    """Under serve, which pages a save left as they were, so they are not built again (see ``unchanged``)."""
    kept: KeptRenders | None = None
    """Under serve, the conversions of unchanged pages, kept across saves (see ``render_hook``)."""
    idle: IdleCollection | None = None
    """Under serve, the garbage collector held off during rebuilds (see ``idle_gc``)."""
    nonce = ""
    """The random part of the drawings' tokens: one per process, so an unchanged page's Markdown stays the same."""
    drawings: dict[str, dict[str, str]]
    """Each generated page's drawings, lifted out of its Markdown, by the page's path (see ``drawings``)."""

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"
        # MkDocs keeps a plugin with on_startup across builds in one process: each serve starts afresh.
        self.unchanged = Unchanged() if self.serving and not dirty else None
        if self.idle is not None:
            self.idle.release()
        self.idle = IdleCollection() if self.serving else None

    def on_config(self, config: MkDocsConfig) -> None:
        self.drawings = {}
        self.rows: dict[str, dict[str, str]] = {}
        self.row_html: dict[str, dict[str, str]] = {}
        self.nav: Navigation | None = None
        self.outputs: KeptOutputs | None = None
        self.nonce = self.nonce or new_nonce()
        self.kept = None
        self.entries: list[Any] | None = None
        self.files: Files | None = None
        # The Markdown extension finds the catalogue through mkdocs.yml; tell it which one,
        # in every build, also one from `generate`'s pages with the plugin disabled.
        if MARKDOWN_EXTENSION in config.markdown_extensions and config.config_file_path:
            config.mdx_configs.setdefault(MARKDOWN_EXTENSION, {})["config_file"] = config.config_file_path
        if not self.config.enabled:
            return
        root = Path(os.path.dirname(config.config_file_path or ".") or ".")
        blog = config.plugins.get("material/blog")
        language = str(config.theme["language"] or "en")
        layout = layout_from(dict(blog.config) if blog is not None else {}, self.config.logs_dir, language=language)
        layout = replace(layout, docs_dir=os.path.relpath(config.docs_dir, root),
                         directory_urls=bool(config.use_directory_urls))
        info = SiteInfo(config.site_url or None, config.site_name, config.site_description or "", language)
        self.project = Project(root, root / self.config.catalogue, root / self.config.lock, Path(config.docs_dir),
                               layout, info)
        if self.serving and usable(config) and config.config_file_path:
            keep_readtimes()
            keep_front_matter()
            defer_excerpt_parsers()
            config_file = config.config_file_path
            self.kept = KeptRenders(Path(config_file), lambda: paper_links.site_links(config_file))
            search = config.plugins.get("material/search")
            report = self.unchanged.entries if self.unchanged is not None else None
            if search is None:
                self.entries = []  # no index to keep: an empty one stands for it
            elif keep_search_entries(search, report):
                self.entries = search.search_index.entries
        self.slugs: FileNameSlugs | None = None
        if blog is not None:
            self.slugs = blog.config.post_slugify = FileNameSlugs(blog.config.post_slugify)

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        if self.unchanged is not None:
            usable = self.kept is not None and self.entries is not None and KeptOutputs.usable(config)
            self.unchanged.begin(config.site_dir, self.entries, usable)

    # Before Material's blog (-50), so the pages exist when it resolves posts and views.
    @event_priority(50)
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        if not self.config.enabled:
            return files
        problems: tuple[Diagnostic, ...] = ()
        site = None
        try:
            if self.serving:
                site, problems = load_site_leaving_out_broken_logs(self.project)
            else:
                site = load_site(self.project)
            pages = render_site(site, self.project.site, self.project.layout, problems=problems)
        except StudylogError as err:
            if not self.serving:
                raise PluginError(f"studylog: {err}") from None
            log.error("studylog: %s", err.render())
            pages = error_pages(err.diagnostics, self.project.site, self.project.layout)
        if problems:
            log.error("studylog: %s", "\n".join(d.render() for d in problems))
            _leave_out(files, problems, config)
        if self.slugs is not None and site is not None:
            self.slugs.slugs = {log.title: log.slug for log in site.logs if log.slug_from_name}
        if config.config_file_path and site is not None:
            paper_links.remember(config.config_file_path, self.project, site)  # the extension's badges need it too
        for page in pages:
            existing = files.get_file_from_path(page.path)
            if existing is not None and _users_own(existing, page):
                log.info("keeping your %s instead of the generated one", page.path)
                continue
            if existing is not None:
                files.remove(existing)
            content = page.content
            if self.unchanged is not None and self.kept is not None and isinstance(content, str) and page.is_markdown:
                self.unchanged.offer(page.path, content, self.kept.config)
            if isinstance(content, str) and page.is_markdown:  # the graphs go in after conversion (``drawings``)
                content, drawings = lift(content, self.nonce)
                if drawings:
                    self.drawings[page.path] = drawings
                content, rows = lift_rows(content, self.nonce)  # so do the paper rows, converted apart
                if rows:
                    self.rows[page.path] = rows
            files.append(File.generated(config, page.path, content=content))
        # KaTeX, the stylesheet and the math script come from the installed package,
        # so an upgrade reaches the site; a copy in docs/ (say, from `generate`) gives way.
        for asset in site_assets():
            existing = files.get_file_from_path(asset.path)
            if existing is not None:
                files.remove(existing)
            files.append(File.generated(config, asset.path, content=asset.data))
        if site is not None:
            found = warnings(site, self.project)
            if found:
                log.info(summary(found, "warning"))
            for note in notes(site):
                log.info("%s\n  hint: %s", note.message, note.hint)
        return files

    def on_page_markdown(self, markdown: str, *, page: MkDocsPage, config: MkDocsConfig, files: Files) -> str:
        if self.kept is not None:
            self.kept.install(page)
        return markdown

    # After Material's blog (-50), which settles its posts' and views' places in the navigation.
    @event_priority(-100)
    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        self.nav = nav
        index_posts(config)  # the blog's posts are sorted by now (its on_files)
        if self.unchanged is not None:
            self.unchanged.choose(files, nav)
        return nav

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        # MkDocs makes the theme's environment anew for each build: under `mkdocs serve`,
        # a save then compiles Material's templates again, unless their code is kept.
        if self.serving:
            env.bytecode_cache = TEMPLATES
        self.files = files
        unchanged = self.unchanged
        if unchanged is not None:
            unchanged.check_nav(self.nav, files)
        # Every page is read now: the theme's pages of unchanged ones are given back (``render_hook``).
        if self.kept is not None and self.nav is not None and KeptOutputs.usable(config):
            self.outputs = outputs = KeptOutputs(self.kept, self.nav)
            env.loader = ChoiceLoader([DictLoader({KEPT_TEMPLATE: "{{ studylog_kept_page(page.file.src_uri) }}",
                                                   KEPT_VIEW_TEMPLATE: "{{ studylog_kept_view() }}"}),
                                       env.loader or DictLoader({})])
            env.globals["studylog_kept_page"] = outputs.output
            env.globals["studylog_kept_view"] = pass_context(lambda context: outputs.view(context))
            for file in files.documentation_pages():
                if file.page is not None and not (unchanged is not None and unchanged.skips(file)):
                    outputs.choose(file.page)
        return env

    # After Material's blog (0) has read the post's HTML for its reading time; the
    # post's page is rendered, and its Markdown is only read again for excerpts.
    @event_priority(-100)
    def on_page_content(self, html: str, *, page: MkDocsPage, config: MkDocsConfig, files: Files) -> str:
        if self.config.enabled:
            shorten_for_listings(page, config)
        if self.kept is not None and getattr(page, "excerpt", None) is not None:
            self.kept.install_excerpt(page.excerpt, files)  # type: ignore[attr-defined]
        return html

    # The paper rows' HTML, for every page the theme renders (also one ``unchanged`` gave its last state).
    def on_page_context(self, context: Any, *, page: MkDocsPage, config: MkDocsConfig, nav: Navigation) -> Any:
        rows = self.rows.get(page.file.src_uri)
        if rows and self.files is not None:
            self.row_html[page.file.src_uri] = convert_rows(page, config, self.files, rows, self.nonce, self.kept)
        return context

    # First: the theme's page as its template made it is what ``render_hook`` keeps.
    @event_priority(100)
    def on_post_page(self, output: str, *, page: MkDocsPage, config: MkDocsConfig) -> str:
        if self.outputs is not None:
            self.outputs.keep(page, output)
        rows = self.row_html.get(page.file.src_uri)
        if rows:
            output = put_back_rows(output, rows, self.nonce)
        drawings = self.drawings.get(page.file.src_uri)
        return put_back(output, drawings) if drawings else output

    # After Material's search (0), which writes search/search_index.json in its own
    # on_post_build, and before Material's offline plugin (-100), which copies it.
    @event_priority(-50)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.config.korean_search:
            try:
                on_post_build_korean(config, config.site_dir)
            except StudylogError as err:
                raise PluginError(f"studylog: {err}") from None
        if self.unchanged is not None and self.files is not None:
            self.unchanged.finish(self.files, self.kept.used if self.kept is not None else {}, config.site_dir,
                                  config.config_file_path)
            log.debug("studylog: %d unchanged pages not built again", self.unchanged.skipped_last)

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder: object) -> None:
        if self.config.enabled:
            server.watch(str(self.project.catalogue))
            server.watch(str(self.project.lock))
        if self.unchanged is not None and config.config_file_path:
            self.unchanged.serve(server, config.config_file_path)
        if self.idle is not None:
            self.idle.serve(server)

    def on_shutdown(self) -> None:
        if self.idle is not None:
            self.idle.release()
