"""Build a real site in a temp folder and read its HTML (shared by the build tests)."""

from __future__ import annotations

import shutil
from pathlib import Path

from bs4 import BeautifulSoup
from mkdocs.commands.build import build
from mkdocs.config import load_config

from generator.model import Site
from generator.project import Project, load_site

ROOT = Path(__file__).resolve().parent.parent


def copy_project(dest: Path) -> Path:
    """The shipped project (config, catalogue, lock, docs) copied to ``dest``."""
    for name in ("mkdocs.yml", "papers.yaml", "papers.lock.json"):
        shutil.copy(ROOT / name, dest / name)
    shutil.copytree(ROOT / "docs", dest / "docs", ignore=shutil.ignore_patterns("_generated"))
    return dest


def build_site(project: Path, *, strict: bool = True, **overrides: object) -> Path:
    site_dir = project / "site"
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(site_dir), strict=strict, **overrides)
    build(config)
    return site_dir


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
    (root / "papers.lock.json").write_text('{"format": 1, "papers": {}}\n', encoding="utf-8")
    posts = root / "docs" / "logs" / "posts"
    posts.mkdir(parents=True)
    for name, text in logs.items():
        (posts / name).write_text(text, encoding="utf-8")
    return load_site(Project.at(root))
