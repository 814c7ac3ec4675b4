"""The Jekyll blog being imported: its ``_config.yml`` and its posts, all read from inside it.

Nothing outside the blog's folder is read: a post (or ``_config.yml``, or the
``_posts`` folder) that is a link to a file elsewhere (``/etc/passwd``) is
refused and reported, and linked folders are not followed out of it.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import yamlsafe
from ..errors import Diagnostic, StudylogError
from ..text import one_line
from .report import warning

POSTS_DIR = "_posts"
CONFIG_FILE = "_config.yml"
MARKDOWN_EXTS = frozenset({".md", ".markdown", ".mkd", ".mkdn", ".mdown", ".mdwn", ".markdn"})
POST_NAME = re.compile(r"^(?P<date>\d{4}-\d{2}-\d{2})-(?P<title>.+)$")


@dataclass(frozen=True)
class Post:
    """A post file of the blog, as its name describes it."""

    path: Path
    rel: str
    """Path relative to the blog's root, with forward slashes (``_posts/2021-09-09-Day28.md``)."""
    date: dt.date
    """The date in its file name."""
    stem: str
    """File name without extension: what ``{% post_url %}`` names."""
    title_part: str
    """The file name after the date (``Level2-Day28``): Jekyll's default slug."""

    @property
    def name(self) -> str:
        """The log's file name: the post's own, as Markdown."""
        return f"{self.stem}.md"


@dataclass(frozen=True)
class SiteConfig:
    """What ``_config.yml`` says that the import needs."""

    url: str = ""
    """The old site's address (``https://me.github.io``), without a trailing slash."""
    baseurl: str = ""
    """The old site's folder under ``url`` (``/blog``), without a trailing slash."""
    permalink: str = "date"
    """Jekyll's ``permalink``: a style name (date, pretty, ordinal, weekdate, none) or a template."""
    timezone: dt.tzinfo | None = None
    """``timezone``: the zone Jekyll puts dates in for URLs (None: UTC, as on GitHub Pages)."""
    excerpt_separator: str = "\n\n"
    defaults: tuple[dict[str, Any], ...] = ()


@dataclass
class Blog:
    root: Path
    """The blog's folder, resolved: nothing outside it is read."""
    base: Path
    """The blog's folder as given (absolute, links not followed): posts' ``rel`` paths start here."""
    posts_dir: Path
    config: SiteConfig = field(default_factory=SiteConfig)
    posts: list[Post] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)

    @classmethod
    def open(cls, src: Path) -> Blog:
        """The blog at ``src`` (its folder, or its ``_posts`` folder); raises StudylogError when it is none."""
        if not src.exists():
            raise StudylogError(f"{src} does not exist", hint="pass the Jekyll blog's folder, the one holding _posts/")
        if (src / POSTS_DIR).is_dir():
            root, posts_dir = src, src / POSTS_DIR
        elif src.is_dir() and src.name == POSTS_DIR:
            root, posts_dir = src.parent, src
        elif src.is_dir() and any(file_date(p.stem) for p in src.iterdir() if p.suffix.lower() in MARKDOWN_EXTS):
            root, posts_dir = src, src
        else:
            raise StudylogError(f"{src} has no {POSTS_DIR} folder",
                                hint="pass the Jekyll blog's folder, the one holding _posts/")
        blog = cls(root.resolve(), root.absolute(), posts_dir.absolute())
        if not blog.inside(posts_dir):
            raise StudylogError(f"{posts_dir} is a link to {posts_dir.resolve()}, outside the blog",
                                hint="the import reads only the blog's own folder; copy the posts into it")
        blog.config = blog._read_config(root / CONFIG_FILE)
        blog._find_posts()
        if not blog.posts and not blog.problems:
            raise StudylogError(f"no posts in {posts_dir}", hint="Jekyll posts are named YYYY-MM-DD-title.md")
        return blog

    def inside(self, path: Path) -> bool:
        """Whether ``path``, links followed, is inside the blog's folder."""
        try:
            path.resolve().relative_to(self.root)
        except (ValueError, OSError, RuntimeError):
            return False
        return True

    def skip(self, path: Path, message: str, hint: str | None = None) -> None:
        self.problems.append(warning(path, None, message + "; not imported", hint))
        self.skipped.append(path)

    def _read_config(self, path: Path) -> SiteConfig:
        if not path.is_file():
            return SiteConfig()
        if not self.inside(path):
            self.problems.append(warning(path, None, f"is a link to {path.resolve()}, outside the blog; not read",
                                         "site.url, baseurl, permalink and the defaults of _config.yml are not "
                                         "applied"))
            return SiteConfig()
        not_applied = "site.url, baseurl, permalink and the defaults of _config.yml are not applied"
        try:
            config = yamlsafe.load(path.read_text(encoding="utf-8-sig"), path, hint=not_applied, dates_as_text=True)
        except StudylogError as err:
            self.problems += [warning(path, d.line, f"could not read the blog's settings: {d.message}", not_applied)
                              for d in err.diagnostics]
            return SiteConfig()
        except (OSError, UnicodeDecodeError) as err:
            self.problems.append(warning(path, None, f"could not read the blog's settings: {err}", not_applied))
            return SiteConfig()
        if not isinstance(config, dict):
            return SiteConfig()
        defaults = config.get("defaults")
        return SiteConfig(
            url=_text(config.get("url")).rstrip("/"),
            baseurl=("/" + _text(config.get("baseurl")).strip("/")).rstrip("/"),
            permalink=_text(config.get("permalink")) or "date",
            timezone=self._timezone(config.get("timezone"), path),
            excerpt_separator=_text(config.get("excerpt_separator")) or "\n\n",
            defaults=tuple(d for d in defaults if isinstance(d, dict) and isinstance(d.get("values"), dict))
            if isinstance(defaults, list) else (),
        )

    def _timezone(self, name: object, path: Path) -> dt.tzinfo | None:
        if not name:
            return None
        try:
            return zoneinfo.ZoneInfo(str(name))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            self.problems.append(warning(path, None, f"unknown timezone {one_line(name)!r}; dates of old addresses "
                                         "are read in UTC", "write an IANA name, like Asia/Seoul"))
            return None

    def _find_posts(self) -> None:
        seen: dict[str, Post] = {}
        for folder, dirs, files in os.walk(self.posts_dir):
            base = Path(folder)
            for name in sorted(dirs):
                if (base / name).is_symlink() and not self.inside(base / name):
                    self.problems.append(warning(base / name, None, f"is a link to {(base / name).resolve()}, "
                                                 "outside the blog; not read",
                                                 "the import reads only the blog's own folder"))
            dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_", "#", "~")))
            for name in sorted(files):
                if not name.startswith((".", "_", "#", "~")):
                    self._add_post(base / name, seen)
        self.posts.sort(key=lambda post: post.rel)

    def _add_post(self, path: Path, seen: dict[str, Post]) -> None:
        if not self.inside(path):
            self.skip(path, f"is a link to {path.resolve()}, outside the blog",
                      "the import reads only the blog's own folder; copy the file into it if it is a post")
            return
        if path.suffix.lower() not in MARKDOWN_EXTS:
            kind = "an HTML post" if path.suffix.lower() in (".html", ".htm") else "not a Markdown post"
            self.skip(path, kind, "only Markdown posts (.md, .markdown) are imported")
            return
        m = POST_NAME.match(path.stem)
        date = file_date(path.stem)
        if m is None or date is None:
            self.skip(path, "not named like a Jekyll post (YYYY-MM-DD-title.md), so Jekyll does not publish it "
                      "either", "rename it to start with its date, e.g. 2021-09-09-day-28.md")
            return
        post = Post(path, path.relative_to(self.base).as_posix(), date, path.stem, m["title"])
        if post.stem in seen:
            self.skip(path, f"has the same file name as {seen[post.stem].rel}",
                      "logs are written under the post's file name; rename one")
            return
        seen[post.stem] = post
        self.posts.append(post)

    def defaults_for(self, post: Post) -> dict[str, Any]:
        """The ``values`` of ``_config.yml``'s ``defaults`` whose scope takes this post."""
        values: dict[str, Any] = {}
        for entry in self.config.defaults:
            scope = entry.get("scope") or {}
            if not isinstance(scope, dict):
                continue
            kind = scope.get("type")
            where = str(scope.get("path") or "").strip("/")
            if kind not in (None, "posts") or (where and not (post.rel + "/").startswith(where + "/")):
                continue
            values.update(entry["values"])
        return values


def file_date(stem: str) -> dt.date | None:
    """The date a post's file name starts with, if it is a real one."""
    m = POST_NAME.match(stem)
    if not m:
        return None
    try:
        return dt.date.fromisoformat(m["date"])
    except ValueError:
        return None


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""
