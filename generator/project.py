"""Where a Studylog project keeps its inputs, and loading them into a Site.

Both edges (the MkDocs plugin and the CLI) call :func:`load_site`; neither reads
the inputs on its own.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import yaml

from .catalogue import load_catalogue
from .lock import load_lock
from .logs import read_logs
from .model import Site, SiteInfo, build_site

ENRICH_COMMAND = "python -m generator enrich"


@dataclass(frozen=True)
class Project:
    catalogue: Path
    lock: Path
    docs_dir: Path
    logs_dir: str
    """The posts folder, relative to ``docs_dir`` (Material blog's ``post_dir``)."""

    @classmethod
    def at(cls, root: str | Path = ".", *, catalogue: str = "papers.yaml", lock: str = "papers.lock.json",
           docs_dir: str = "docs", logs_dir: str = "logs/posts") -> Project:
        root = Path(root)
        return cls(root / catalogue, root / lock, root / docs_dir, logs_dir)


def load_site(project: Project) -> Site:
    """Read and validate every input. Raises StudylogError with file and line."""
    catalogue = load_catalogue(project.catalogue)
    lock = load_lock(project.lock)
    logs = read_logs(project.docs_dir, project.logs_dir)
    return build_site(catalogue, lock, logs)


def unfetched_message(site: Site) -> str | None:
    missing = site.unfetched
    if not missing:
        return None
    sample = ", ".join(str(e.arxiv) for e in missing[:3]) + (", ..." if len(missing) > 3 else "")
    return (
        f"{len(missing)} arXiv paper(s) have no metadata in the lock yet ({sample}); "
        f"their pages use the fields in papers.yaml. Run `{ENRICH_COMMAND}` to fetch them."
    )


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


def site_info(config_file: Path) -> SiteInfo:
    """site_url, site_name and site_description of mkdocs.yml, as ``mkdocs build`` would see them.

    A missing or unreadable file gives the defaults (no site_url, so no feed);
    the build itself reports what is wrong with it.
    """
    try:
        with open(config_file, encoding="utf-8-sig") as handle:
            config = yaml.load(handle, Loader=_MkDocsLoader)
    except (OSError, yaml.YAMLError):
        return SiteInfo()
    if not isinstance(config, dict):
        return SiteInfo()
    url = config.get("site_url")
    return SiteInfo(
        url=str(url) if url else None,
        name=str(config.get("site_name") or SiteInfo.name),
        description=str(config.get("site_description") or ""),
    )
