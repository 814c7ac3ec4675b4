"""Files every Studylog site serves as they are: KaTeX, the site's stylesheet and its math script.

They ship inside the package once (``generator/site_assets/``, laid out as they sit in
the site), so a project holds only its own content and an upgrade of Studylog reaches
every project. The MkDocs plugin adds them to the build in memory; ``python -m
generator generate`` writes them beside the generated pages, for builds without the
plugin (Zensical). ``mkdocs.yml`` links them by these paths (``extra_css``,
``extra_javascript``).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable

FOLDER = "site_assets"


@dataclass(frozen=True)
class Asset:
    path: str
    """Path relative to the docs folder, with forward slashes."""
    data: bytes


@functools.cache
def site_assets() -> tuple[Asset, ...]:
    """Every asset, sorted by path. Read once per process: they are part of the installed package."""
    root = resources.files(__package__).joinpath(FOLDER)
    return tuple(sorted(_walk(root, ""), key=lambda asset: asset.path))


def _walk(folder: Traversable, prefix: str) -> Iterator[Asset]:
    for entry in folder.iterdir():
        if entry.name.startswith(".") or entry.name == "__pycache__":
            continue
        if entry.is_dir():
            yield from _walk(entry, f"{prefix}{entry.name}/")
        else:
            yield Asset(prefix + entry.name, entry.read_bytes())
