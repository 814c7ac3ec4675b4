"""Projects and built sites for the tests: copy or write a project, build it, read its HTML.

The fixtures in ``conftest.py`` are made from these; a test file that needs its own
project or build calls them directly.
"""

from __future__ import annotations

import gzip
import io
import logging
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bs4 import BeautifulSoup
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.structure.files import Files, get_files

from generator.cli import main
from generator.lock import ArxivRecord, save_lock
from generator.model import Site
from generator.project import Project, load_site

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
POSTS = Path("docs") / "logs" / "posts"
"""Where the shipped project keeps its logs, relative to the project."""

MATH_LOG = FIXTURES / "logs" / "2021-09-13-day-30-math.md"
"""A log with inline and display math (built at ``logs/2021/09/13/day-30-math/``)."""
UNLISTED_LOG = FIXTURES / "logs" / "2021-09-10-day-29-unlisted.md"
"""A log linking arXiv 1706.03762 (line 9), which the shipped catalogue lacks, and 1810.04805v2, which it has."""
EMPTY_LOCK = '{"format": 1, "papers": {}}\n'


def copy_project(dest: Path) -> Path:
    """The shipped project (config, catalogue, lock, docs) copied to ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("mkdocs.yml", "papers.yaml", "papers.lock.json"):
        shutil.copy(ROOT / name, dest / name)
    shutil.copytree(ROOT / "docs", dest / "docs", ignore=shutil.ignore_patterns("_generated"))
    return dest


def add_log(project: Path, log: Path, name: str | None = None) -> Path:
    """Copy the log file ``log`` into the project's logs folder (under ``name``, or its own name)."""
    target = project / POSTS / (name or log.name)
    shutil.copy(log, target)
    return target


def build_site(project: Path, *, strict: bool = True, **overrides: object) -> Path:
    """``mkdocs build`` of ``project`` in this process; the built site's folder."""
    site_dir = project / "site"
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(site_dir), strict=strict, **overrides)
    build(config)
    return site_dir


@dataclass(frozen=True)
class BuiltSite:
    """A project and the site built from it, with what MkDocs logged while building it."""

    project: Path
    site: Path
    """The built site's folder (``site/`` in the project)."""
    site_url: str | None
    """MkDocs' ``site_url`` for this build."""
    messages: tuple[tuple[str, int, str], ...]
    """(logger name, level, message) of every record of the ``mkdocs`` loggers, INFO and up."""

    def ours(self) -> list[tuple[int, str]]:
        """(level, message) of what the studylog plugin logged."""
        return [(level, text) for name, level, text in self.messages if name.startswith("mkdocs.plugins.generator")]


class _Recorder(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


@contextmanager
def mkdocs_log() -> Iterator[list[tuple[str, int, str]]]:
    """Records what the ``mkdocs`` loggers say at INFO and up, while in the block."""
    logger = logging.getLogger("mkdocs")
    recorder, level = _Recorder(), logger.level
    logger.addHandler(recorder)
    logger.setLevel(logging.INFO)
    try:
        yield recorder.records
    finally:
        logger.removeHandler(recorder)
        logger.setLevel(level)


def build_recorded(project: Path, *, strict: bool = True, **overrides: object) -> BuiltSite:
    """``build_site``, keeping what MkDocs logged and the site_url it built with."""
    site_dir = project / "site"
    with mkdocs_log() as records:
        config = load_config(str(project / "mkdocs.yml"), site_dir=str(site_dir), strict=strict, **overrides)
        build(config)
    return BuiltSite(project, site_dir, config.site_url, tuple(records))


@contextmanager
def plugin_events(project: Path) -> Iterator[tuple[MkDocsConfig, Files]]:
    """MkDocs' events of a build of ``project`` up to ``on_files``, run in this process as ``mkdocs build``
    runs them (every plugin of its mkdocs.yml, the studylog plugin among them); yields the config and the
    files. No page is rendered and nothing is written. A plugin's ``PluginError`` is raised by the ``with``.
    """
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(project / "site"))
    # As mkdocs.commands.build.build runs them. (Not on_startup/on_shutdown, which the `mkdocs` command adds:
    # MkDocs keeps plugin instances across configs in one process, and Material's blog removes its
    # temporary folder on shutdown.)
    config = config.plugins.on_config(config)
    files = config.plugins.on_files(get_files(config), config=config)
    yield config, files


def page(site_dir: Path, path: str) -> BeautifulSoup:
    """The parsed HTML of a page; ``path`` like ``papers/2002.08909/``."""
    file = site_dir / path / "index.html" if not path.endswith(".html") else site_dir / path
    return BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")


def article(site_dir: Path, path: str) -> BeautifulSoup:
    found = page(site_dir, path).select_one("article.md-content__inner")
    assert found is not None, f"no article on {path}"
    return found


def write_project(root: Path, catalogue: str, logs: dict[str, str]) -> Site:
    """A project of ``catalogue``, an empty lock and ``logs`` (file name -> text) at ``root``, loaded."""
    (root / "papers.yaml").write_text(catalogue, encoding="utf-8")
    (root / "papers.lock.json").write_text(EMPTY_LOCK, encoding="utf-8")
    posts = root / POSTS
    posts.mkdir(parents=True)
    for name, text in logs.items():
        (posts / name).write_text(text, encoding="utf-8")
    return load_site(Project.at(root))


def arxiv_record(**changes: object) -> ArxivRecord:
    """A lock record of 2104.08691 (prompt tuning) as arXiv gives it; ``changes`` replace fields."""
    values: dict[str, object] = dict(
        id="2104.08691",
        version=2,
        title="Title From The Lock",
        authors=("Brian Lester", "Rami Al-Rfou", "Noah Constant"),
        abstract="We explore prompt tuning.\n\nA second paragraph.",
        published="2021-04-18T17:36:29Z",
        updated="2021-09-02T17:20:50Z",
        primary_category="cs.CL",
        categories=("cs.CL", "cs.LG"),
        doi=None,
        journal_ref=None,
        comment="Accepted to EMNLP 2021",
        fetched="2026-11-24T00:00:00Z",
    )
    values.update(changes)
    return ArxivRecord(**values)  # type: ignore[arg-type]


def drop_yaml_line(project: Path, line: str) -> None:
    """Remove one line (``line``, without its newline) from the project's papers.yaml."""
    catalogue = project / "papers.yaml"
    text = catalogue.read_text(encoding="utf-8")
    assert line + "\n" in text, line
    catalogue.write_text(text.replace(line + "\n", "", 1), encoding="utf-8")


# -- The enriched site: the shipped project with arXiv metadata, hostile text and a user's own page --------

LATEX_SPECIAL = "Costs & Benefits: 100% of $x_1$ #1 {braces} ~tilde^ back\\slash"
"""A title with every character LaTeX gives meaning to (2002.08909's, in the enriched site)."""
HOSTILE = (
    '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'
    '<iframe src="https://evil.example"></iframe><iframe src="javascript:window.__pwned = 3"></iframe>'
    ' [click](javascript:window.__pwned=4) <a href="javascript:window.__pwned = 5">x</a>'
)
"""Markup that would run if it reached a page as HTML (2103.10385's title, authors, abstract and comment)."""
HOSTILE_PAPER = "2103.10385"
STALE_VENUE = "STALE VENUE"
USERS_OWN_PAGE = "# My own topics page\n\nWritten by hand.\n"
STALE_CSS = "/* written by an older Studylog */\n"


def enrich_project(project: Path) -> Path:
    """Turn a copy of the shipped project into the enriched one (see ``conftest.enriched_site``)."""
    save_lock(project / "papers.lock.json", {
        "2104.08691": arxiv_record(),
        "2002.08909": arxiv_record(id="2002.08909", title=LATEX_SPECIAL, authors=("Kelvin Guu", "Kenton Lee"),
                                   doi="10.1000/x_y"),
        HOSTILE_PAPER: arxiv_record(id=HOSTILE_PAPER, title=HOSTILE, authors=(HOSTILE, "Ada"), abstract=HOSTILE,
                                    comment=HOSTILE, journal_ref=HOSTILE),
    })
    drop_yaml_line(project, '    title: "REALM: Retrieval-Augmented Language Model Pre-Training"')
    drop_yaml_line(project, "    title: GPT Understands, Too")
    add_log(project, MATH_LOG)
    # A page `generate` wrote, gone stale since; and a page the user wrote at a generated path.
    generated = project / "generated"
    assert main(["--root", str(project), "generate", "--out", str(generated)], out=io.StringIO()) == 0
    stale = (generated / "papers" / "deepquest.md").read_text(encoding="utf-8")
    assert "COLING 2018" in stale
    (project / "docs" / "papers").mkdir()
    (project / "docs" / "papers" / "deepquest.md").write_text(stale.replace("COLING 2018", STALE_VENUE),
                                                              encoding="utf-8")
    shutil.rmtree(generated)
    (project / "docs" / "topics").mkdir()
    (project / "docs" / "topics" / "index.md").write_text(USERS_OWN_PAGE, encoding="utf-8")
    # A stylesheet an older Studylog's `generate` left in docs/: the package's own must win.
    (project / "docs" / "stylesheets").mkdir()
    (project / "docs" / "stylesheets" / "studylog.css").write_text(STALE_CSS, encoding="utf-8")
    return project


def site_files(site: Path) -> dict[str, bytes]:
    """Every file of a built site, with what differs between any two builds taken out: the build date."""
    files = {}
    for path in sorted(site.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if path.name.endswith(".gz"):
            data = gzip.decompress(data)  # its header holds the build time
        if path.name.startswith("sitemap.xml"):
            data = re.sub(rb"<lastmod>[^<]*</lastmod>", b"", data)
        files[path.relative_to(site).as_posix()] = data
    return files
