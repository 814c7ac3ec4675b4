"""Where a Studylog project keeps its inputs, and loading them into a Site.

Both edges (the MkDocs plugin and the CLI) call :func:`load_site`; neither reads
the inputs on its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .catalogue import load_catalogue
from .lock import load_lock
from .logs import read_logs
from .model import Site, build_site

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
