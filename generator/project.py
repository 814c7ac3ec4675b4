"""A Studylog project: where its inputs are, how its site is laid out, and loading them into a Site.

Both edges call :func:`load_site`; neither reads the inputs on its own (the Markdown
extension, which needs only the catalogue, calls :func:`load_links`). The MkDocs
plugin makes its :class:`Project` from MkDocs' own configuration; the CLI reads
the same settings from ``mkdocs.yml`` with :meth:`Project.at`, so
``python -m generator check`` and ``mkdocs build`` agree on where things are.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from .catalogue import load_catalogue
from .errors import Diagnostic, Severity
from .layout import Layout
from .lock import read_lock
from .logs import read_logs, scan_logs
from .model import Site, SiteInfo, build_site

COMMAND = "python -m generator"
"""How the CLI is run, for hints."""
ENRICH_COMMAND = f"{COMMAND} enrich"
CITATIONS_COMMAND = f"{ENRICH_COMMAND} --citations"
CONFIG_FILE = "mkdocs.yml"
CATALOGUE = "papers.yaml"
LOCK = "papers.lock.json"


@dataclass(frozen=True)
class Project:
    root: Path
    catalogue: Path
    lock: Path
    docs_dir: Path
    layout: Layout = field(default_factory=Layout)
    site: SiteInfo = field(default_factory=SiteInfo)

    @property
    def logs_dir(self) -> str:
        """The folder of the logs, relative to ``docs_dir``."""
        return self.layout.logs_dir

    @classmethod
    def at(cls, root: str | Path = ".", *, catalogue: str | None = None, lock: str | None = None,
           docs_dir: str | None = None, logs_dir: str | None = None, config_file: str = CONFIG_FILE) -> Project:
        """The project at ``root``, as its ``mkdocs.yml`` (or ``config_file``) describes it (defaults without one).

        Arguments given override what ``mkdocs.yml`` says.
        """
        root = Path(root)
        settings = read_config(root / config_file)
        catalogue = catalogue or settings.catalogue
        lock = lock or settings.lock
        docs = docs_dir or settings.docs_dir
        layout = replace(settings.layout, docs_dir=docs)
        if logs_dir:
            layout = replace(layout, logs_dir=logs_dir.strip("/"))
        return cls(root, root / catalogue, root / lock, root / docs, layout, settings.site)


def load_site(project: Project) -> Site:
    """Read and validate every input. Raises StudylogError with file and line."""
    catalogue = load_catalogue(project.catalogue)
    lock = read_lock(project.lock)
    logs = read_logs(project.docs_dir, project.layout.logs_dir)
    return build_site(catalogue, lock, logs)


def load_site_leaving_out_broken_logs(project: Project) -> tuple[Site, tuple[Diagnostic, ...]]:
    """Like :func:`load_site`, but a log that cannot be read is left out and its problems returned.

    For ``mkdocs serve``, where one half-written log should not take the whole site down.
    The catalogue and the lock still raise: without them there is no site to show.
    """
    catalogue = load_catalogue(project.catalogue)
    lock = read_lock(project.lock)
    scan = scan_logs(project.docs_dir, project.layout.logs_dir)
    return build_site(catalogue, lock, scan.logs), scan.problems


def load_links(project: Project) -> Site:
    """The catalogue and the lock, without the logs: enough to know which paper or resource a link points to.

    For the Markdown extension, which marks such links in each log it renders (and must
    not read every log again for every page).
    """
    return build_site(load_catalogue(project.catalogue), read_lock(project.lock), ())


def notes(site: Site) -> list[Diagnostic]:
    """What is worth knowing about a site that builds fine: for now, papers without arXiv metadata."""
    missing = site.unfetched
    if not missing:
        return []
    sample = ", ".join(str(e.arxiv) for e in missing[:3]) + (", ..." if len(missing) > 3 else "")
    return [Diagnostic(
        f"{len(missing)} arXiv paper{'s' if len(missing) != 1 else ''} without metadata in the lock yet ({sample}); "
        "their pages use the fields in papers.yaml",
        hint=f"run `{ENRICH_COMMAND}` where there is network, and commit {LOCK}",
        severity=Severity.NOTE,
    )]


def warnings(site: Site, project: Project) -> list[Diagnostic]:
    """Problems in the content that do not stop a build (see ``errors``: what ``warning`` means)."""
    name = project.catalogue.name
    found = [warning for log in site.logs for warning in log.warnings]
    for log, link in site.unlisted:
        found.append(Diagnostic.at(
            f"links arXiv {link.arxiv}, which {name} lacks",
            path=log.path, line=link.line, severity=Severity.WARNING,
            hint=f"add it with `{COMMAND} add {link.arxiv} --topic TOPIC` (or `{COMMAND} add --from-logs`)",
        ))
    return found


# -- mkdocs.yml, read without MkDocs ---------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    """What ``mkdocs.yml`` says about a Studylog project."""

    catalogue: str = CATALOGUE
    lock: str = LOCK
    docs_dir: str = "docs"
    layout: Layout = field(default_factory=Layout)
    site: SiteInfo = field(default_factory=SiteInfo)
    site_dir: str = "site"
    """Where the builder writes the site (``site_dir``)."""
    korean_search: bool = True
    """The studylog plugin's ``korean_search``: add the words inside Korean compounds to the search index."""


class _MkDocsLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without MkDocs: ``!ENV`` resolves, other tags (``!!python/name:``) read as None."""


def _env(loader: yaml.SafeLoader, node: yaml.Node) -> object:
    if isinstance(node, yaml.ScalarNode):
        names = [loader.construct_scalar(node)]
    elif isinstance(node, yaml.SequenceNode):
        names = loader.construct_sequence(node)
    else:
        return None
    *variables, default = names if len(names) > 1 else (*names, None)
    for name in variables:
        if isinstance(name, str) and name in os.environ:
            return yaml.safe_load(os.environ[name]) if os.environ[name] else ""
    return default


_MkDocsLoader.add_constructor("!ENV", _env)
_MkDocsLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def read_config(config_file: Path) -> Settings:
    """The settings of ``mkdocs.yml``, as ``mkdocs build`` would see them.

    A missing or unreadable file gives the defaults; the build itself reports what
    is wrong with it.
    """
    try:
        with open(config_file, encoding="utf-8-sig") as handle:
            config = yaml.load(handle, Loader=_MkDocsLoader)
    except (OSError, yaml.YAMLError, RecursionError):
        return Settings()
    if not isinstance(config, dict):
        return Settings()
    plugins = _plugins(config.get("plugins"))
    blog = plugins.get("blog") or plugins.get("material/blog") or {}
    ours = plugins.get("studylog") or {}
    theme = config.get("theme")
    language = str((theme.get("language") if isinstance(theme, dict) else None) or "en")
    layout = layout_from(blog, ours.get("logs_dir"), language=language)
    if config.get("use_directory_urls") is False:
        layout = replace(layout, directory_urls=False)
    url = config.get("site_url")
    return Settings(
        catalogue=_text(ours.get("catalogue"), CATALOGUE),
        lock=_text(ours.get("lock"), LOCK),
        docs_dir=_text(config.get("docs_dir"), "docs"),
        site_dir=_text(config.get("site_dir"), "site"),
        korean_search=ours.get("korean_search") is not False,
        layout=layout,
        site=SiteInfo(
            url=str(url) if url else None,
            name=_text(config.get("site_name"), SiteInfo.name),
            description=_text(config.get("site_description"), ""),
            language=language,
        ),
    )


def layout_from(blog: Mapping[str, Any], logs_dir: object = None, *, language: str = "en") -> Layout:
    """The layout that Material's blog settings (``blog``) and the plugin's ``logs_dir`` give."""
    default = Layout()
    blog_dir = _text(blog.get("blog_dir"), "blog" if blog else default.blog_dir).strip("/")
    post_dir = _text(blog.get("post_dir"), "{blog}/posts").format(blog=blog_dir).strip("/")
    max_categories = blog.get("post_url_max_categories")
    return Layout(
        blog_dir=blog_dir,
        logs_dir=_text(logs_dir, post_dir).strip("/"),
        post_url_format=_text(blog.get("post_url_format"), default.post_url_format),
        post_url_date_format=_text(blog.get("post_url_date_format"), default.post_url_date_format),
        post_url_max_categories=max_categories if isinstance(max_categories, int) else 1,
        language=language,
    )


def _plugins(value: object) -> dict[str, dict[str, Any]]:
    """``plugins:`` as {name: options}, from either of the list or mapping forms MkDocs takes."""
    found: dict[str, dict[str, Any]] = {}
    items = value.items() if isinstance(value, dict) else (
        (next(iter(item.items())) if isinstance(item, dict) and len(item) == 1 else (item, {}))
        for item in (value if isinstance(value, list) else [])
    )
    for name, options in items:
        if isinstance(name, str):
            found[name] = options if isinstance(options, dict) else {}
    return found


def _text(value: object, default: str) -> str:
    return value if isinstance(value, str) and value else default


__all__ = ["CITATIONS_COMMAND", "COMMAND", "ENRICH_COMMAND", "Project", "Settings", "layout_from", "load_links", "load_site",
           "notes", "read_config", "warnings"]
