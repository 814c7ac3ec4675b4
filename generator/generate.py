"""Writing the generated site to disk: what ``python -m generator generate`` does, once or on every save.

The plugin hands the pages to MkDocs in memory; a build without it (Zensical, or
MkDocs with the plugin off) reads them from the docs folder instead. So this
writes what the plugin would add, and keeps to what the plugin does:

* Only files whose content changed are written (atomically), so a server that
  watches the docs folder (``zensical serve``, ``mkdocs serve``) rebuilds only
  when something changed, and never loops.
* A Markdown page you wrote yourself at a generated path (say ``docs/index.md``,
  without Studylog's marker) is kept, as the plugin keeps it.
* A page ``generate`` wrote earlier for a paper or topic that is gone is removed:
  only a file holding Studylog's marker, only in the folders of paper and topic
  pages.
* The site's assets (KaTeX, the stylesheet, the math script) come from the package.
* Redirect pages of an imported blog's old addresses sit wherever that blog had its
  posts, so no fixed ``.gitignore`` line keeps them out of git: they get a
  ``.gitignore`` of their own in the target (MkDocs leaves dot-files out of the site),
  unless you wrote one there yourself.
"""

from __future__ import annotations

import dataclasses
import os
import posixpath
from dataclasses import dataclass
from pathlib import Path

from .assets import site_assets
from .errors import StudylogError
from .feed import is_site_url
from .fsutil import write_if_changed
from .model import SiteInfo
from .pages import is_generated, render_site
from .project import Project, load_site
from .redirects import GITIGNORE_HEAD, is_redirect_page


@dataclass(frozen=True)
class Generated:
    """What one run wrote. Paths are relative to ``target``, with forward slashes."""

    target: Path
    written: tuple[str, ...]
    removed: tuple[str, ...]
    kept: tuple[str, ...]
    """Your own pages at generated paths, left as they are."""
    unchanged: int
    feed: bool

    def summary(self) -> str:
        parts = [f"{len(self.written)} written", f"{self.unchanged} unchanged"]
        if self.removed:
            parts.append(f"{len(self.removed)} removed (gone from the site)")
        return f"generated pages in {self.target}: " + ", ".join(parts)

    def notes(self) -> list[str]:
        notes = [f"kept your own {path} (it has no Studylog marker, so it wins over the generated page)"
                 for path in self.kept]
        if not self.feed:
            notes.append("no site_url in mkdocs.yml, so no RSS feed; set it or pass --site-url")
        return notes


def site_info(project: Project, site_url: str | None = None) -> SiteInfo:
    """The site's settings, with ``site_url`` overridden; the feed needs it absolute."""
    info = dataclasses.replace(project.site, url=site_url) if site_url else project.site
    if info.url and not is_site_url(info.url):
        raise StudylogError(f"site_url {info.url!r} is not an absolute http(s) URL; the RSS feed needs one",
                            hint="give --site-url like https://me.github.io/studylog/")
    return info


def generate(project: Project, target: Path | None = None, site_url: str | None = None) -> Generated:
    """Read every input, then write the generated files into ``target`` (default: the docs folder).

    Raises StudylogError, having written nothing, when an input cannot be read.
    """
    info = site_info(project, site_url)
    site = load_site(project)
    target = target or project.docs_dir
    files: list[tuple[str, str | bytes]] = [(page.path, page.content)
                                            for page in render_site(site, info, project.layout)]
    files += [(asset.path, asset.data) for asset in site_assets()]
    written: list[str] = []
    kept: list[str] = []
    for path, data in files:
        if path.endswith(".md") and _users_own(target / path):
            kept.append(path)
        elif write_if_changed(target / path, data):
            written.append(path)
    removed = _remove_stale(target, {path for path, _ in files}, project)
    _ignore_redirects(target, sorted(path for path, data in files if is_redirect_page(data)))
    return Generated(target, tuple(written), tuple(removed), tuple(kept),
                     len(files) - len(written) - len(kept), bool(info.url))


def _ignore_redirects(target: Path, redirects: list[str]) -> None:
    """List the redirect pages in the target's own .gitignore, if Studylog wrote it (or nobody did)."""
    ignore = target / ".gitignore"
    if redirects and (not ignore.exists() or ignore.read_text(encoding="utf-8").startswith(GITIGNORE_HEAD)):
        write_if_changed(ignore, GITIGNORE_HEAD + "".join(f"/{path}\n" for path in redirects))


def _users_own(path: Path) -> bool:
    """A page there that Studylog did not write (the plugin's rule: the user's page wins). A link
    counts as the user's: it is neither read nor replaced."""
    if path.is_symlink():
        return True
    try:
        with open(path, encoding="utf-8-sig") as handle:
            return not is_generated(handle.read(400))
    except FileNotFoundError:
        return False
    except (OSError, UnicodeDecodeError):
        return True


def _remove_stale(target: Path, current: set[str], project: Project) -> list[str]:
    """Remove pages of papers and topics that are gone, if Studylog wrote them."""
    folders = {posixpath.dirname(project.layout.paper("x")), posixpath.dirname(project.layout.topic("x"))}
    removed = []
    for folder in sorted(folders):
        try:
            entries = sorted(os.scandir(target / folder), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            path = posixpath.join(folder, entry.name)
            if (entry.name.endswith(".md") and path not in current and entry.is_file(follow_symlinks=False)
                    and not _users_own(Path(entry.path))):
                try:
                    os.unlink(entry.path)
                except FileNotFoundError:
                    continue
                except OSError as err:
                    raise StudylogError(f"cannot remove {entry.name}, a page of something no longer on the site: "
                                        f"{err.strerror or err}", path=entry.path,
                                        hint="remove it yourself, or check the folder's permissions") from None
                removed.append(path)
    return removed


__all__ = ["Generated", "generate", "site_info"]
