"""Fixtures shared by every test file. Helpers they are made of live in ``sitebuild.py`` and ``browser.py``.

Projects (function scope: yours to change)
    ``project``          a copy of the shipped project (mkdocs.yml, papers.yaml, the lock, docs/) in ``tmp_path``.
    ``make_project``     ``make_project(catalogue_text, {log file name: text})`` writes a project of that
                         catalogue, an empty lock and those logs into ``tmp_path``; returns the loaded ``Site``.

Built sites (session scope: each is built once per run, with ``mkdocs build --strict`` in this process;
shared by every test, so read them and never write into them). Each is a ``sitebuild.BuiltSite``:
``.project``, ``.site`` (the built folder), ``.site_url``, ``.messages`` (what MkDocs logged; ``.ours()``
is the studylog plugin's part).
    ``shipped_site``     the shipped project as it is (empty lock, the Day 28 log).
    ``enriched_site``    the shipped project plus: lock records for 2104.08691 (``arxiv_record()``: its YAML
                         title wins), 2002.08909 (title ``LATEX_SPECIAL``, YAML title dropped) and 2103.10385
                         (``HOSTILE`` in title, authors, abstract and comment; YAML title dropped); the math log
                         (``MATH_LOG``); a stale page ``generate`` wrote at ``docs/papers/deepquest.md`` (venue
                         ``STALE_VENUE``), which the plugin must replace; the user's own ``docs/topics/index.md``
                         (``USERS_OWN_PAGE``), which the plugin must keep.

Markdown
    ``site_markdown``    Python-Markdown with the extensions of the shipped mkdocs.yml (``.reset()`` it before
                         each ``convert``): a generated page's Markdown as the site renders it, without a build.

Browser (Debian's chromium through playwright; tests using these are skipped when it is missing)
    ``chromium``         one browser for the whole run.
    ``browser_context``  a fresh context per test, with a ``Watch`` on it: ``(context, watch)``.
    ``search_tabs``      a ``browser.SearchTabs``: one tab per site, kept open, that takes query after query.
    ``enriched_server``  the enriched site served on 127.0.0.1: its base URL.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import markdown
import pytest
from mkdocs.config import load_config

from generator.model import Site

from .browser import SearchTabs, Watch, browser, require_chromium, serve
from .sitebuild import ROOT, BuiltSite, build_recorded, copy_project, enrich_project, write_project

# Settings read from the environment that would change what the shared sites hold.
_ENVIRONMENT = ("STUDYLOG_SITE_URL", "STUDYLOG_ENABLED", "STUDYLOG_KOREAN_SEARCH")


def _build_hermetic(project: Path) -> BuiltSite:
    with pytest.MonkeyPatch.context() as mp:
        for name in _ENVIRONMENT:
            mp.delenv(name, raising=False)
        return build_recorded(project, strict=True)


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


@pytest.fixture()
def make_project(tmp_path: Path) -> Callable[..., Site]:
    def make(catalogue: str, logs: dict[str, str] | None = None) -> Site:
        return write_project(tmp_path, catalogue, logs or {})

    return make


@pytest.fixture(scope="session")
def shipped_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    return _build_hermetic(copy_project(tmp_path_factory.mktemp("shipped")))


@pytest.fixture(scope="session")
def enriched_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    return _build_hermetic(enrich_project(copy_project(tmp_path_factory.mktemp("enriched"))))


@pytest.fixture(scope="session")
def site_markdown() -> markdown.Markdown:
    config = load_config(str(ROOT / "mkdocs.yml"))
    return markdown.Markdown(extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"])


@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
    require_chromium()
    with browser() as instance:
        yield instance


@pytest.fixture()
def browser_context(chromium: object) -> Iterator[tuple[object, Watch]]:
    context = chromium.new_context()  # type: ignore[attr-defined]
    watch = Watch(context)
    try:
        yield context, watch
    finally:
        context.close()


@pytest.fixture(scope="session")
def search_tabs(chromium: object) -> Iterator[SearchTabs]:
    tabs = SearchTabs(chromium)
    try:
        yield tabs
    finally:
        tabs.close()


@pytest.fixture(scope="session")
def enriched_server(enriched_site: BuiltSite) -> Iterator[str]:
    with serve(enriched_site.site) as base:
        yield base
