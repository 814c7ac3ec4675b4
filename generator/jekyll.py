"""Import a Jekyll blog's posts as study logs (Material blog posts).

:func:`import_jekyll` reads a Jekyll ``_posts`` folder (or a site root holding one),
converts each post and writes it into the logs folder, one file per post under the
post's own file name. It never writes into the blog. Running it again updates the
logs it wrote before, writes only what changed, and leaves a log alone once you
have edited it. What it could not convert safely is listed in the report, with the
file and line, and left as it was: nothing is dropped without a word.

Front matter
    ``date`` comes from the front matter or the file name; Jekyll's
    ``2021-09-09 10:00:00 +0900`` (text to YAML) becomes a real datetime.
    ``categories`` and ``tags`` become flat lists of text (a string is split on
    spaces, as Jekyll does). ``published: false`` becomes ``draft: true``.
    Keys only Jekyll uses (``layout``, ``permalink``, ``use_math``, ``comments``,
    a pasted ``defaults`` block, ...) are dropped; the rest is kept. An ASCII
    ``slug`` from the file name keeps URLs ASCII when titles are Korean.

Body
    Liquid (``{{ site.baseurl }}``, ``{% highlight %}``, ``{% post_url %}``,
    ``{% raw %}``), kramdown attribute lists (``{: .class}``), inline ``$$...$$``
    math, display math glued to text, zero-width spaces beside ``$``, ``~~strike~~``
    and ``<!--more-->`` are turned into what the site's Markdown understands.
    Code is never touched (tabs stay), and math is kept as written (``\\|``, ``<``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from .errors import StudylogError
from .fsutil import write_if_changed
from .logs import ascii_slug, blog_slug, split_front_matter
from .qa import parser

POSTS_DIR = "_posts"

_POST_NAME = re.compile(r"^(?P<date>\d{4}-\d{2}-\d{2})-(?P<title>.+)$")
_MARKDOWN_EXTS = {".md", ".markdown", ".mkd", ".mkdn", ".mdown", ".mdwn", ".markdn"}
# Jekyll's own pattern: front matter is the first block between two `---` lines.
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<yaml>.*?\n)??(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)

# Written into the front matter of every imported log, so a re-import knows its own files.
_MARKER = "# Imported from a Jekyll blog by Studylog (python -m generator import-jekyll)."
_SOURCE_LINE = "# Source: {source} · fingerprint: {fingerprint}"
_EDIT_LINE = "# A re-import updates this file while it is unedited, and leaves it alone once you edit it."
_SOURCE_RE = re.compile(r"^# Source: (?P<source>.+) · fingerprint: (?P<fingerprint>[0-9a-f]*)$", re.M)

# Front matter keys that only mean something to Jekyll or its themes.
_JEKYLL_ONLY = frozenset({
    "layout", "permalink", "published", "defaults", "use_math", "usemath", "math", "mathjax", "katex",
    "comments", "comment", "share", "related", "sitemap", "excerpt_separator", "render_with_liquid",
    "author_profile", "read_time", "toc", "toc_sticky", "toc_label", "toc_icon", "sidebar", "classes",
    "header", "show_date", "redirect_from", "redirect_to", "hidden", "nav_order", "parent", "has_children",
    "date_format", "lang", "sort", "pin_in_home",
})
# Keys MkDocs or Material read with their own meaning: a Jekyll value there could break the build.
_RESERVED = frozenset({"authors", "readtime", "pin", "links", "template", "hide", "status", "icon", "search"})
_FIRST_KEYS = ("title", "subtitle", "description", "date", "slug", "draft", "categories", "tags")


@dataclass(frozen=True)
class Problem:
    """Something the import could not convert safely, with where it is."""

    path: Path
    """The file it is in: a post of the blog (or, for a clash, a log in the destination)."""
    line: int
    """1-based line in that file; 0 when it concerns the whole file."""
    message: str
    hint: str | None = None
    skipped: bool = False
    """Whether the post was left out of the import because of it."""

    def render(self, base: Path | None = None) -> str:
        where = _shown(self.path, base)
        where = f"{where}:{self.line}" if self.line else where
        text = f"{'skipped' if self.skipped else 'warning'}: {where}: {self.message}"
        return text + (f"\n  hint: {self.hint}" if self.hint else "")

    def __str__(self) -> str:
        return self.render()


@dataclass(frozen=True)
class ImportReport:
    """What :func:`import_jekyll` did: the logs it wrote, kept or skipped, and the problems."""

    source: Path
    """The blog's ``_posts`` folder."""
    dest: Path
    """The logs folder written into."""
    converted: tuple[Path, ...] = ()
    """Logs written for the first time."""
    updated: tuple[Path, ...] = ()
    """Logs imported before, rewritten because the post (or the converter) changed."""
    unchanged: tuple[Path, ...] = ()
    """Logs that already held what the import would write (or that you edited), not rewritten."""
    skipped: tuple[Path, ...] = ()
    """Posts not imported; each has a problem saying why."""
    problems: tuple[Problem, ...] = ()

    @property
    def written(self) -> tuple[Path, ...]:
        return self.converted + self.updated

    def render(self) -> str:
        """The report as text for a terminal: a summary, one line per file, then the problems."""
        warnings = [p for p in self.problems if not p.skipped]
        head = (
            f"Imported Jekyll posts from {_shown(self.source)} into {_shown(self.dest)}: "
            f"{len(self.converted)} new, {len(self.updated)} updated, {len(self.unchanged)} unchanged, "
            f"{len(self.skipped)} skipped, {len(warnings)} warning{'s' if len(warnings) != 1 else ''}."
        )
        lines = [head]
        for label, paths in (("new", self.converted), ("updated", self.updated), ("unchanged", self.unchanged)):
            lines += [f"  {label:<9}  {path.name}" for path in paths]
        lines += [f"  {'skipped':<9}  {_shown(path, self.source.parent)}" for path in self.skipped]
        if self.problems:
            lines.append("")
            lines += [p.render(self.source.parent) for p in self.problems]
        return "\n".join(lines) + "\n"


def import_jekyll(src: Path | str, dest: Path | str) -> ImportReport:
    """Convert the posts of the Jekyll blog at ``src`` into study logs in ``dest``.

    ``src`` is the blog's folder (holding ``_posts/``) or its ``_posts`` folder.
    Raises StudylogError only when there is nothing to import; every problem with
    a single post goes into the report.
    """
    blog = _Blog.open(Path(src))
    dest = Path(dest)
    if _inside(dest, blog.posts_dir):
        raise StudylogError(
            f"the destination {dest} is inside the blog's posts folder {blog.posts_dir}",
            hint="the import never writes into the blog; pass --dest the site's logs folder (docs/logs/posts)",
        )
    problems: list[Problem] = list(blog.problems)
    skipped: list[Path] = [p.path for p in blog.problems if p.skipped]
    existing = _Existing.scan(dest, blog)
    problems += existing.problems

    read = [_read_post(post, blog) for post in blog.posts]
    converted: list[_Converted] = []
    for result in read:
        if not result.ok:
            skipped.append(result.post.path)
            continue
        # A post already in the logs by other means (the same date and title) is not imported twice.
        twin = existing.twin_of(result)
        if twin is not None:
            problems.append(Problem(
                result.post.path, 0, f"already in the logs as {twin.name} (same date and title); not imported again",
                hint=f"delete {twin.name} to import this post instead", skipped=True,
            ))
            skipped.append(result.post.path)
            blog.links[result.post.stem] = twin.name
            continue
        converted.append(result)
    for result in converted:
        result.body = _Body(result.source_body, result.body_line, result.post, blog, result.problem).convert()
    problems += [p for result in read for p in result.problems]
    _unique_urls(converted, existing, problems)

    created: list[Path] = []
    updated: list[Path] = []
    unchanged: list[Path] = []
    for result in converted:
        target = dest / result.name
        text = result.render()
        state = existing.state(target, result.post)
        if state == "foreign":
            problems.append(Problem(
                target, 0, f"{target.name} exists and was not written by the import; left alone, "
                f"{result.post.rel} not imported",
                hint="move that file away (or rename the post) and import again", skipped=True,
            ))
            skipped.append(result.post.path)
        elif state == "edited":
            problems.append(Problem(
                target, 0, f"you edited {target.name} since it was imported; kept your version",
                hint=f"delete {target.name} and import again to take {result.post.rel} as it is now",
            ))
            unchanged.append(target)
        elif write_if_changed(target, text):
            (updated if state == "imported" else created).append(target)
        else:
            unchanged.append(target)
    return ImportReport(
        source=blog.posts_dir,
        dest=dest,
        converted=tuple(created),
        updated=tuple(updated),
        unchanged=tuple(unchanged),
        skipped=tuple(skipped),
        problems=tuple(sorted(problems, key=lambda p: (str(p.path), p.line))),
    )


# -- The blog ------------------------------------------------------------------------------------


@dataclass
class _Post:
    path: Path
    rel: str
    """Path relative to the blog's root, with forward slashes (``_posts/2021-09-09-Day28.md``)."""
    date: dt.date
    stem: str
    """File name without extension: what ``{% post_url %}`` names."""
    title_part: str
    """The file name after the date: Jekyll's ``:title`` (``Level2-Day28``)."""

    @property
    def name(self) -> str:
        return f"{self.stem}.md"


@dataclass
class _Blog:
    root: Path
    posts_dir: Path
    baseurl: str = ""
    url: str = ""
    defaults: list[dict[str, Any]] = field(default_factory=list)
    posts: list[_Post] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    links: dict[str, str] = field(default_factory=dict)
    """Post stem -> the log file name it ends up as (for ``{% post_url %}`` and old links)."""

    @classmethod
    def open(cls, src: Path) -> _Blog:
        if not src.exists():
            raise StudylogError(f"{src} does not exist", hint="pass the Jekyll blog's folder, the one holding _posts/")
        if (src / POSTS_DIR).is_dir():
            root, posts_dir = src, src / POSTS_DIR
        elif src.is_dir() and src.name == POSTS_DIR:
            root, posts_dir = src.parent, src
        elif src.is_dir() and any(_file_date(p.stem) for p in src.iterdir() if p.suffix.lower() in _MARKDOWN_EXTS):
            root, posts_dir = src, src
        else:
            raise StudylogError(
                f"{src} has no {POSTS_DIR} folder", hint="pass the Jekyll blog's folder, the one holding _posts/"
            )
        blog = cls(root.resolve(), posts_dir.resolve())
        blog._read_config(root / "_config.yml")
        blog._find_posts()
        if not blog.posts and not blog.problems:
            raise StudylogError(f"no posts in {posts_dir}", hint="Jekyll posts are named YYYY-MM-DD-title.md")
        return blog

    def _read_config(self, path: Path) -> None:
        if not path.is_file():
            return
        try:
            config = yaml.safe_load(path.read_text(encoding="utf-8-sig")) or {}
        except (yaml.YAMLError, UnicodeDecodeError) as err:
            message = f"could not read the blog's settings: {_yaml_problem(err)}"
            self.problems.append(Problem(path, _yaml_line(err), message,
                                         hint="site.baseurl and the defaults of _config.yml are not applied"))
            return
        if not isinstance(config, dict):
            return
        self.baseurl = str(config.get("baseurl") or "").rstrip("/")
        self.url = str(config.get("url") or "").rstrip("/")
        defaults = config.get("defaults")
        if isinstance(defaults, list):
            self.defaults = [d for d in defaults if isinstance(d, dict) and isinstance(d.get("values"), dict)]

    def _find_posts(self) -> None:
        seen: dict[str, _Post] = {}
        for path in sorted(self.posts_dir.rglob("*")):
            rel_parts = path.relative_to(self.posts_dir).parts
            if not path.is_file() or any(part.startswith((".", "_", "#", "~")) for part in rel_parts):
                continue
            rel = path.relative_to(self.root).as_posix()
            m = _POST_NAME.match(path.stem)
            if path.suffix.lower() not in _MARKDOWN_EXTS:
                kind = "an HTML post" if path.suffix.lower() in (".html", ".htm") else "not a Markdown post"
                self.problems.append(Problem(path, 0, f"{kind}; not imported", skipped=True,
                                             hint="only Markdown posts (.md, .markdown) are imported"))
                continue
            date = _file_date(path.stem)
            if m is None or date is None:
                self.problems.append(Problem(path, 0, "not named like a Jekyll post (YYYY-MM-DD-title.md); "
                                             "Jekyll does not publish it either", skipped=True,
                                             hint="rename it to start with its date, e.g. 2021-09-09-day-28.md"))
                continue
            post = _Post(path, rel, date, path.stem, m["title"])
            if post.stem in seen:
                self.problems.append(Problem(path, 0, f"has the same file name as {seen[post.stem].rel}; not imported",
                                             hint="logs are written under the post's file name; rename one",
                                             skipped=True))
                continue
            seen[post.stem] = post
            self.posts.append(post)
            self.links[post.stem] = post.name

    def defaults_for(self, post: _Post) -> dict[str, Any]:
        """The ``values`` of ``_config.yml``'s ``defaults`` whose scope takes this post."""
        values: dict[str, Any] = {}
        for entry in self.defaults:
            scope = entry.get("scope") or {}
            if not isinstance(scope, dict):
                continue
            kind = scope.get("type")
            where = str(scope.get("path") or "").strip("/")
            if kind not in (None, "posts") or (where and not (post.rel + "/").startswith(where + "/")):
                continue
            values.update(entry["values"])
        return values

    def post_for_path(self, path: str) -> str | None:
        """The log a link to the old blog's ``path`` means (``/2021/09/08/Level2-Day27.html``), if any."""
        parts = [p for p in path.split("/") if p]
        if not parts:
            return None
        last = re.sub(r"\.html?$", "", parts[-1], flags=re.I)
        for k in range(len(parts) - 3):
            y, m, d = parts[k : k + 3]
            if not (y.isdigit() and m.isdigit() and d.isdigit() and len(y) == 4):
                continue
            for post in self.posts:
                if (post.date.year, post.date.month, post.date.day) == (int(y), int(m), int(d)) \
                        and post.title_part.lower() == last.lower():
                    return self.links.get(post.stem)
        return None


# -- The destination -----------------------------------------------------------------------------


@dataclass
class _Log:
    name: str
    """Path relative to the logs folder, with forward slashes."""
    date: dt.date | None
    title: str | None
    slug: str | None
    source: str | None
    """The post it was imported from, for logs this import wrote."""


@dataclass
class _Existing:
    dest: Path
    logs: dict[str, _Log]
    problems: list[Problem]

    @classmethod
    def scan(cls, dest: Path, blog: _Blog) -> _Existing:
        logs: dict[str, _Log] = {}
        problems: list[Problem] = []
        if dest.is_dir():
            for path in sorted(dest.rglob("*.md")):
                log = _read_existing(path, dest)
                logs[log.name] = log
        current = {post.rel for post in blog.posts}
        for log in logs.values():
            if log.source and log.source not in current and log.source.startswith(POSTS_DIR + "/"):
                problems.append(Problem(dest / log.name, 0, f"was imported from {log.source}, which the blog no "
                                        "longer has; left as it is", hint="delete it if the post is gone for good"))
        return cls(dest, logs, problems)

    def twin_of(self, result: _Converted) -> _Log | None:
        """A log not written by the import that holds the same post (the same date and title)."""
        date = result.meta["date"]
        day = date.date() if isinstance(date, dt.datetime) else date
        title = " ".join(str(result.meta["title"]).split())
        for log in self.logs.values():
            if log.source is None and log.date == day and log.title and log.name != result.name \
                    and " ".join(log.title.split()) == title:
                return log
        return None

    def state(self, target: Path, post: _Post) -> str:
        """``new``, ``imported`` (ours, unedited), ``edited`` (ours, edited) or ``foreign``."""
        if not target.exists():
            return "new"
        try:
            text = target.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return "foreign"
        m = _SOURCE_RE.search(text)
        if m is None or m["source"] != post.rel:
            return "foreign"
        return "imported" if _fingerprint(text) == m["fingerprint"] else "edited"


def _read_existing(path: Path, dest: Path) -> _Log:
    name = path.relative_to(dest).as_posix()
    try:
        text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
        meta, _, _ = split_front_matter(text, path)
    except (OSError, UnicodeDecodeError, StudylogError):
        return _Log(name, None, None, None, None)
    date = meta.get("date")
    if isinstance(date, dt.datetime):
        date = date.date()
    title = meta.get("title") if isinstance(meta.get("title"), str) else None
    slug = meta.get("slug") if isinstance(meta.get("slug"), str) else (blog_slug(title) if title else None)
    m = _SOURCE_RE.search(text[:2000])
    return _Log(name, date if isinstance(date, dt.date) else None, title, slug, m["source"] if m else None)


def _unique_urls(converted: list[_Converted], existing: _Existing, problems: list[Problem]) -> None:
    """Give a post another slug when its URL (date and slug) is taken."""
    names = {c.name for c in converted}
    taken = {(log.date, log.slug) for log in existing.logs.values() if log.name not in names and log.date}
    for result in converted:
        date = result.meta["date"]
        day = date.date() if isinstance(date, dt.datetime) else date
        slug = result.meta["slug"]
        if (day, slug) in taken:
            n = 2
            while (day, f"{slug}-{n}") in taken:
                n += 1
            problems.append(Problem(result.post.path, 0, f"another log has the URL {day:%Y/%m/%d}/{slug}/; "
                                    f"this one gets the slug {slug}-{n}", hint="give the post its own `slug:`"))
            slug = f"{slug}-{n}"
            result.meta["slug"] = slug
        taken.add((day, slug))


# -- One post ------------------------------------------------------------------------------------


@dataclass
class _Converted:
    """A post on its way to a log: front matter first (to spot twins), then the body."""

    post: _Post
    meta: dict[str, Any] = field(default_factory=dict)
    source_body: str = ""
    body_line: int = 1
    """1-based line of the post where its body starts."""
    body: str = ""
    problems: list[Problem] = field(default_factory=list)
    ok: bool = True
    """False when the post cannot be imported (a problem says why)."""

    @property
    def name(self) -> str:
        return self.post.name

    def problem(self, line: int, message: str, hint: str | None = None, *, skipped: bool = False) -> None:
        self.problems.append(Problem(self.post.path, line, message, hint, skipped))
        self.ok = self.ok and not skipped

    def render(self) -> str:
        """The log's text; its fingerprint is the hash of everything else in it."""
        source = _SOURCE_LINE.format(source=self.post.rel, fingerprint="")
        lines = [_MARKER, source, _EDIT_LINE]
        lines += [_yaml_entry(key, value) for key, value in self.meta.items()]
        text = "---\n" + "\n".join(lines) + "\n---\n\n" + self.body.strip("\n") + "\n"
        signed = _SOURCE_LINE.format(source=self.post.rel, fingerprint=_fingerprint(text))
        return text.replace(source, signed, 1)


def _read_post(post: _Post, blog: _Blog) -> _Converted:
    """A post's front matter converted, and its body as the blog has it."""
    result = _Converted(post)
    try:
        text = post.path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as err:
        result.problem(0, f"not UTF-8 text (byte {err.start}); not imported", "save it as UTF-8, as Jekyll expects",
                       skipped=True)
        return result
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    m = _FRONT_MATTER.match(text)
    raw: dict[str, Any] = {}
    if m:
        result.body_line = text[: m.end()].count("\n") + 1
        try:
            loaded = yaml.safe_load(m["yaml"] or "")
        except yaml.YAMLError as err:
            result.problem(_yaml_line(err) + 1, f"invalid YAML in the front matter: {_yaml_problem(err)}; not imported",
                           "check the quoting on that line; titles with ':' or '[' need quotes", skipped=True)
            return result
        if loaded is not None and not isinstance(loaded, dict):
            result.problem(2, "the front matter is not a mapping of keys; not imported",
                           "write it as `key: value` lines", skipped=True)
            return result
        raw = loaded or {}
    result.source_body = text[m.end() :] if m else text
    front_lines = text.split("\n")[: result.body_line - 1]

    def problem(key: str, message: str, hint: str | None = None) -> None:
        line = next((n for n, text in enumerate(front_lines, 1) if re.match(rf"^{re.escape(key)}\s*:", text)), 1)
        result.problem(line, message, hint)

    result.meta = _front_matter(raw, post, blog, problem)
    return result


def _front_matter(raw: dict[str, Any], post: _Post, blog: _Blog,
                  problem: Callable[..., None]) -> dict[str, Any]:
    data = {str(k): v for k, v in blog.defaults_for(post).items()}
    data.update({str(k): v for k, v in raw.items()})
    meta: dict[str, Any] = {}

    title = data.get("title")
    if title is None or (isinstance(title, str) and not title.strip()):
        title = post.title_part.replace("-", " ").strip() or post.stem  # what Jekyll shows
    meta["title"] = _one_line(title)
    for key in ("subtitle", "description"):
        if data.get(key) is not None:
            meta[key] = _one_line(data[key])

    meta["date"] = _date(data.get("date"), post, problem)

    slug = data.get("slug")
    if isinstance(slug, str) and slug and ascii_slug(slug) == slug:
        meta["slug"] = slug
    else:
        if slug is not None:
            problem("slug", f"slug {slug!r} is not a lowercase ASCII slug; made one from the file name")
        meta["slug"] = ascii_slug(post.title_part) or ascii_slug(str(meta["title"])) or \
            "post-" + hashlib.sha1(post.title_part.encode()).hexdigest()[:8]

    published = data.get("published")
    if published is False or (isinstance(published, str) and published.strip().lower() in ("false", "no")):
        meta["draft"] = True
        problem("published", "`published: false` became `draft: true`: Material leaves drafts out of "
                "`mkdocs build` and shows them under `mkdocs serve`", "remove `draft: true` to publish it")
    elif isinstance(data.get("draft"), bool):
        meta["draft"] = data["draft"]

    # Jekyll reads both the plural and the singular key.
    categories = _names(data.get("categories"), split=True) + _names(data.get("category"), split=False)
    tags = _names(data.get("tags"), split=True) + _names(data.get("tag"), split=False)
    if categories:
        meta["categories"] = list(dict.fromkeys(categories))
    if tags:
        meta["tags"] = list(dict.fromkeys(tags))

    for key, value in data.items():
        if key in _FIRST_KEYS or key in ("category", "tag") or key in _JEKYLL_ONLY:
            continue
        if key in _RESERVED:
            problem(key, f"dropped `{key}: {_short(value)}`: MkDocs or Material reads `{key}` with another meaning",
                    f"rename it (e.g. `jekyll_{key}`) in the post if you want to keep it")
            continue
        try:
            yaml.safe_dump({key: value})
        except yaml.YAMLError:
            problem(key, f"dropped `{key}`: its value cannot be written back as YAML")
            continue
        meta[key] = value
    return meta


_JEKYLL_DATE = re.compile(
    r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
    r"(?:[Tt ]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:\.(?P<f>\d{1,6})\d*)?)?)?"
    r"[ \t]*(?P<tz>Z|UTC|GMT|KST|[+-]\d{2}(?::?\d{2})?)?$",
    re.I,
)


def _date(value: Any, post: _Post, problem: Callable[..., None]) -> dt.date:
    """The post's date as YAML writes it: a date, or a datetime with its offset."""
    if isinstance(value, dt.datetime | dt.date):
        return value
    if value is None:
        return post.date
    m = _JEKYLL_DATE.match(str(value).strip())
    if m is None:
        problem("date", f"could not read the date {value!r}; used the file name's date, {post.date.isoformat()}",
                "write it as `date: 2021-09-09` or `date: 2021-09-09 10:00:00 +0900`")
        return post.date
    try:
        day = dt.date(int(m["y"]), int(m["m"]), int(m["d"]))
        if m["H"] is None:
            return day
        tz = m["tz"]
        tzinfo: dt.tzinfo | None = None
        if tz:
            tz = tz.upper()
            if tz in ("Z", "UTC", "GMT"):
                tzinfo = dt.UTC
            elif tz == "KST":
                tzinfo = dt.timezone(dt.timedelta(hours=9))
            else:
                digits = tz[1:].replace(":", "")
                hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
                sign = -1 if tz[0] == "-" else 1
                tzinfo = dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))
        micro = int((m["f"] or "0").ljust(6, "0"))
        return dt.datetime(day.year, day.month, day.day, int(m["H"]), int(m["M"]), int(m["S"] or 0), micro,
                           tzinfo=tzinfo)
    except ValueError:
        problem("date", f"the date {value!r} does not exist; used the file name's date, {post.date.isoformat()}")
        return post.date


def _names(value: Any, *, split: bool) -> list[str]:
    """Categories or tags as Jekyll reads them: a string split on spaces, lists flattened, empties dropped."""
    if value is None:
        return []
    if isinstance(value, str):
        return value.split() if split else ([value.strip()] if value.strip() else [])
    if isinstance(value, list | tuple):
        out: list[str] = []
        for item in value:
            out += _names(item, split=False)
        return out
    if isinstance(value, bool):
        return ["true" if value else "false"]
    if isinstance(value, dt.date | int | float):
        return [value.isoformat() if isinstance(value, dt.date) else str(value)]
    if isinstance(value, dict):
        return [str(k).strip() for k in value if str(k).strip()]
    return [" ".join(str(value).split())] if str(value).strip() else []


# -- The body ------------------------------------------------------------------------------------

_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
_HIGHLIGHT = re.compile(
    r"^(?P<indent>[ \t]*)\{%-?\s*highlight\s+(?P<lang>[^\s%]+)(?P<opts>[^%]*?)\s*-?%\}(?P<after>.*)$"
)
_ENDHIGHLIGHT = re.compile(r"\{%-?\s*endhighlight\s*-?%\}")
_RAW_TAG = re.compile(r"\{%-?\s*(?:end)?raw\s*-?%\}")
_SITE_VAR = re.compile(r"\{\{-?\s*site\.(?:baseurl|url|github\.url)\s*-?\}\}")
_URL_FILTER = re.compile(
    r"""\{\{-?\s*(?P<q>["'])(?P<path>[^"']*)(?P=q)\s*\|\s*"""
    r"""(?:relative_url|absolute_url|prepend:\s*site\.(?:baseurl|url))\s*-?\}\}"""
)
_POST_URL = re.compile(r"\{%-?\s*post_url\s+(?P<name>[^\s%]+)\s*-?%\}")
_LINK_TAG = re.compile(r"\{%-?\s*link\s+(?P<path>[^\s%]+)\s*-?%\}")
_LIQUID = re.compile(r"\{\{.*?\}\}|\{%.*?%\}")
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`).+?(?<!`)\1(?!`)")
_MATH_SPAN = re.compile(r"(?<!\\)\$\$.+?(?<!\\)\$\$|(?<![\\$])\$(?!\s|\$).*?(?<![\\\s])\$(?!\d)")
_INLINE_DISPLAY = re.compile(r"(?<!\\)\$\$(?P<tex>.+?)(?<!\\)\$\$")
_ZWSP = re.compile(r"[\u200b\u2060\ufeff]*(\$+)[\u200b\u2060\ufeff]*")
_STRIKE = re.compile(r"(?<!~)~~(?=\S)(?P<text>[^~]+?)(?<=\S)~~(?!~)")
_MORE = re.compile(r"<!--\s*more\s*-->")
_SPAN_IAL = re.compile(r"(?<=[)\]*_`])\{:(?!:)(?P<attrs>[^}\n]*)\}")
_STRAY_IAL = re.compile(r"\{:(?!:)[^}\n]*\}")
_BLOCK_IAL = re.compile(r"^(?P<indent>[ \t]*)\{:(?!:)(?P<attrs>[^}\n]*)\}[ \t]*$")
_ALD = re.compile(r"^[ \t]*\{:[\w-]+:[^}]*\}[ \t]*$")
_EXTENSION = re.compile(r"\{::[^}]*\}")
_OPTIONS = re.compile(r"^[ \t]*\{::options\b[^}]*\}[ \t]*$")
_COMMENT_OPEN = re.compile(r"^[ \t]*\{::comment\}[ \t]*$")
_COMMENT_CLOSE = re.compile(r"^[ \t]*\{:/(?:comment)?\}[ \t]*$")
_DEFINITION = re.compile(r"^(?P<indent> {0,3}):(?:\t[ \t]*| {2,})(?=\S)")
_ATTR = re.compile(r"""[.#][\w-]+|[\w-]+=(?:"[^"]*"|'[^']*'|[^\s"']+)|\S+""")
_MD_LINK = re.compile(
    r"(?P<bang>!?)\[(?P<text>[^\]\n]*)\]\(\s*<?(?P<url>[^)\s>]+)>?(?P<title>\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)"
)
_HTML_URL = re.compile(r"""(?P<attr>\b(?:src|href)\s*=\s*)(?P<q>["'])(?P<url>.*?)(?P=q)""", re.I)
_REF_DEF = re.compile(r"^(?P<lead>\s{0,3}\[[^\]]+\]:\s*<?)(?P<url>[^\s>]+)")
_LIST_PREFIX = re.compile(r"^(?:[ \t]*>)*[ \t]*(?:(?:[*+-]|\d{1,9}[.)])[ \t]+)?")


@dataclass
class _Line:
    text: str
    src: int | None
    """0-based line of the body it came from (None for a line the import added)."""
    code: bool = False


class _Body:
    def __init__(self, body: str, body_line: int, post: _Post, blog: _Blog,
                 problem: Callable[..., None]) -> None:
        self.source = body.split("\n")
        self.body_line = body_line
        self.post = post
        self.blog = blog
        self._problem = problem
        self._reported: set[tuple[int | None, str]] = set()

    def problem(self, src: int | None, message: str, hint: str | None = None) -> None:
        self._problem(self.body_line + (src or 0), message, hint)

    def convert(self) -> str:
        lines = self._blocks()
        lines = self._text(lines)
        return "\n".join(line.text for line in lines)

    # -- Pass 1: code (fences, {% highlight %}) -------------------------------------------------

    def _blocks(self) -> list[_Line]:
        """Fences kept verbatim, ``{% highlight %}`` turned into fences, ``{% raw %}`` tags dropped."""
        out: list[_Line] = []
        src = self.source
        i = 0
        while i < len(src):
            line = src[i]
            m = _HIGHLIGHT.match(line)
            fence = _FENCE.match(line)
            if fence and fence["fence"][0] == "`" and "`" in fence["info"]:
                fence = None  # "```code```" is inline code, not a fence
            if m:
                i = self._highlight(i, m, out)
                continue
            if fence:
                out.append(_Line(line, i, code=True))
                char, size = fence["fence"][0], len(fence["fence"])
                closing = re.compile(rf"^[ \t]*{re.escape(char)}{{{size},}}[ \t]*$")
                i += 1
                while i < len(src):
                    text = _RAW_TAG.sub("", src[i])
                    if text.strip() or not _RAW_TAG.search(src[i]):
                        out.append(_Line(text, i, code=True))
                    if closing.match(src[i]):
                        break
                    i += 1
                i += 1
                continue
            text = _RAW_TAG.sub("", line)
            if text.strip() or not _RAW_TAG.search(line):
                out.append(_Line(text, i))
            i += 1
        return out

    def _highlight(self, start: int, m: re.Match[str], out: list[_Line]) -> int:
        src = self.source
        end = next((k for k in range(start, len(src)) if _ENDHIGHLIGHT.search(src[k] if k > start else m["after"])),
                   None)
        if end is None:
            self.problem(start, "`{% highlight %}` without `{% endhighlight %}`; left as it is",
                         "close the block with {% endhighlight %}")
            out.append(_Line(src[start], start))
            return start + 1
        content: list[tuple[str, int]] = []
        if m["after"].strip() and end > start:
            content.append((m["after"], start))
        for k in range(start + 1, end):
            content.append((_RAW_TAG.sub("", src[k]), k))
        before_end = (_ENDHIGHLIGHT.split(src[end], 1)[0] if end > start else
                      _ENDHIGHLIGHT.split(m["after"], 1)[0])
        after_end = _ENDHIGHLIGHT.split(src[end] if end > start else m["after"], 1)[1]
        if before_end.strip():
            content.append((before_end, end))
        longest = max((len(run) for text, _ in content for run in re.findall(r"`+", text)), default=0)
        ticks = "`" * max(3, longest + 1)
        info = m["lang"]
        opts = m["opts"].split()
        lines_marked = re.search(r"""(?:hl_lines|mark_lines)=["']([\d\s-]+)["']""", m["opts"])
        if "linenos" in opts or any(o.startswith("linenos=") for o in opts):
            info += ' linenums="1"'
        if lines_marked:
            info += f' hl_lines="{lines_marked[1].strip()}"'
        indent = m["indent"]
        # Jekyll's Markdown converter puts a blank line before and after what the tag renders
        # (highlighter_prefix and _suffix): a table or a list right after it is one.
        if out and out[-1].text.strip():
            out.append(_Line("", None))
        out.append(_Line(f"{indent}{ticks}{info}", start, code=True))
        out.extend(_Line(text, k, code=True) for text, k in content)
        out.append(_Line(f"{indent}{ticks}", end, code=True))
        if after_end.strip():
            out.append(_Line("", None))
            out.append(_Line(after_end.strip(), end))
        elif end + 1 < len(src) and src[end + 1].strip():
            out.append(_Line("", None))
        return end + 1

    # -- Pass 2: text ---------------------------------------------------------------------------

    def _text(self, lines: list[_Line]) -> list[_Line]:
        kinds = _line_kinds("\n".join(line.text for line in lines))
        for n, kind in enumerate(kinds):
            if kind[0] in ("code_block", "fence"):
                lines[n].code = True
        out: list[_Line] = []
        in_comment = False
        n = 0
        while n < len(lines):
            line = lines[n]
            if line.code:
                out.append(line)
                n += 1
                continue
            display = self._display_math(lines, n)
            if display is not None:
                # Display math is a block of its own: blank lines around it, or Python-Markdown
                # reads it as text of the paragraph it is glued to (and eats its backslashes).
                own_item = _LIST_PREFIX.match(line.text)[0].strip() != ""  # type: ignore[index]
                if not own_item and out and out[-1].text.strip():
                    out.append(_Line("", None))
                out.extend(_Line(_ZWSP.sub(r"\1", lines[k].text), lines[k].src) for k in range(n, display))
                n = display
                if not own_item and n < len(lines) and lines[n].text.strip():
                    out.append(_Line("", None))
                continue
            if _OPTIONS.match(line.text):
                self.problem(line.src, f"kramdown options `{line.text.strip()}` dropped: they only configure kramdown")
                n += 1
                continue
            if _COMMENT_OPEN.match(line.text) or (in_comment and _COMMENT_CLOSE.match(line.text)):
                # kramdown's comment block: an HTML comment says the same.
                in_comment = not in_comment
                out.append(_Line(line.text.replace(line.text.strip(), "<!--" if in_comment else "-->"), line.src))
                n += 1
                continue
            if in_comment:
                out.append(line)
                n += 1
                continue
            ial = _BLOCK_IAL.match(line.text)
            if ial and not _ALD.match(line.text):
                self._block_ial(line, ial, out, kinds[n - 1] if n else ("", False))
                n += 1
                continue
            if _ALD.match(line.text):
                self.problem(line.src, f"kramdown attribute definition `{line.text.strip()}` dropped",
                             "Python-Markdown has no named attribute lists; put the attributes on the element")
                n += 1
                continue
            out.append(_Line(self._line(line), line.src))
            n += 1
        return out

    def _display_math(self, lines: list[_Line], n: int) -> int | None:
        """If a ``$$`` display block starts at line ``n``, the index after its last line."""
        text = lines[n].text
        inner = text[_LIST_PREFIX.match(text).end() :].strip()  # type: ignore[union-attr]
        if not inner.startswith("$$"):
            return None
        if inner.endswith("$$") and len(inner) >= 4:
            return n + 1 if "$$" not in inner[2:-2] else None
        for k in range(n + 1, len(lines)):
            if lines[k].code:
                return None
            if lines[k].text.rstrip().endswith("$$"):
                return k + 1
            if not lines[k].text.strip():
                return None
        return None

    def _line(self, line: _Line) -> str:
        """One line of text: Liquid, math, strikethrough, attribute lists and links; code spans kept."""
        text = _MORE.sub("<!-- more -->", line.text)
        text = _DEFINITION.sub(r"\g<indent>: ", text)
        out = []
        for n, (chunk, is_code) in enumerate(_split_code(text)):
            if not is_code:
                chunk = self._liquid(chunk, line.src)
                chunk = _ZWSP.sub(r"\1", chunk)
                chunk = _INLINE_DISPLAY.sub(lambda m: f"${m['tex'].strip()}$", chunk)
                chunk = _outside_math(chunk, lambda s: _STRIKE.sub(r"<del>\g<text></del>", s))
                chunk = _outside_math(chunk, lambda s: self._span_ials(s, line.src))
                extension = _EXTENSION.search(chunk)
                if extension:
                    self.problem(line.src, f"kramdown extension `{extension[0]}` left as it is",
                                 "Python-Markdown does not know it; edit the line by hand")
                chunk = self._links(chunk, line.src, line_start=n == 0)
            out.append(chunk)
        return "".join(out)

    def _liquid(self, text: str, src: int | None) -> str:
        text = _URL_FILTER.sub(lambda m: m["path"], text)
        text = _SITE_VAR.sub("", text)

        def post_url(m: re.Match[str]) -> str:
            stem = PurePosixPath(m["name"]).name
            stem = re.sub(r"\.(?:md|markdown)$", "", stem)
            target = self.blog.links.get(stem)
            if target is None:
                day = _file_date(stem)
                old = f"/{day:%Y/%m/%d}/{_POST_NAME.match(stem)['title']}.html" if day else m[0]  # type: ignore[index]
                self.problem(src, f"`{m[0]}` names a post the blog does not have; written as {old}",
                             "fix the name, or link to the log by hand")
                self._reported.add((src, old))
                return old
            return target

        def link(m: re.Match[str]) -> str:
            path = m["path"].lstrip("/")
            stem = PurePosixPath(path).stem
            if path.startswith(POSTS_DIR + "/") and stem in self.blog.links:
                return self.blog.links[stem]
            return "/" + path

        text = _POST_URL.sub(post_url, text)
        text = _LINK_TAG.sub(link, text)
        for m in _LIQUID.finditer(text):
            if _POST_URL.match(m[0]) or re.match(r"\{%-?\s*(?:end)?highlight\b", m[0]):
                continue  # reported on their own
            self.problem(src, f"Liquid `{m[0]}` left as it is: the site does not run Liquid",
                         "replace it with its value, or delete it")
        return text

    def _span_ials(self, text: str, src: int | None) -> str:
        def convert(m: re.Match[str]) -> str:
            attrs = self._attrs(m["attrs"], src)
            return f"{{ {' '.join(attrs)} }}" if attrs else ""

        def stray(m: re.Match[str]) -> str:
            self.problem(src, f"kramdown attribute list `{m[0]}` dropped: nothing here takes attributes",
                         "attr_list puts attributes on an image, link or emphasis right before it")
            return ""

        return _STRAY_IAL.sub(stray, _SPAN_IAL.sub(convert, text))

    def _attrs(self, attrs: str, src: int | None) -> list[str]:
        """kramdown attributes as attr_list takes them; the rest reported and dropped."""
        kept, dropped = [], []
        for attr in _ATTR.findall(attrs):
            if attr.startswith((".", "#")) or "=" in attr:
                if attr in (".no_toc", ".no-toc"):
                    dropped.append(attr)
                else:
                    kept.append(attr)
            else:
                dropped.append(attr)
        if dropped:
            self.problem(src, f"kramdown attribute{'s' if len(dropped) > 1 else ''} {', '.join(dropped)} dropped",
                         "Python-Markdown has no equivalent" if ".no_toc" in dropped
                         else "attribute list references to named definitions do not exist in Python-Markdown")
        return kept

    def _block_ial(self, line: _Line, m: re.Match[str], out: list[_Line], before: tuple[str, bool]) -> None:
        """``{: .class}`` on its own line: kept where attr_list means the same, else reported and dropped."""
        words = m["attrs"].split()
        previous = out[-1] if out else None
        if words and words[0].lower() == "toc":
            dropped = [line.src]
            while out and out[-1].text.strip() and re.match(r"^\s*(?:[*+-]|\d+\.)\s", out[-1].text):
                dropped.insert(0, out.pop().src)
            first = next((s for s in dropped if s is not None), line.src)
            self.problem(first, "kramdown's table of contents (`{:toc}` and its list) dropped",
                         "Material shows the table of contents beside the page")
            return
        kind, in_list = before
        if previous is None or not previous.text.strip():
            where = "a block after a blank line"
        elif previous.code and _FENCE.match(previous.text):
            lang = [w[len(".language-"):] for w in words if w.startswith(".language-")]
            opening = next((o for o in reversed(out) if o.code and _FENCE.match(o.text) and o is not previous), None)
            fence = _FENCE.match(opening.text) if opening is not None else None
            if lang and len(words) == 1 and opening is not None and fence is not None and not fence["info"].strip():
                opening.text = opening.text.rstrip() + lang[0]  # kramdown's way to name a code block's language
                return
            where = "a code block"
        elif kind == "heading":
            attrs = self._attrs(m["attrs"], line.src)
            if attrs:
                previous.text = f"{previous.text.rstrip()} {{ {' '.join(attrs)} }}"
            return
        elif kind == "paragraph" and not in_list:
            attrs = self._attrs(m["attrs"], line.src)
            if attrs:
                out.append(_Line(f"{m['indent']}{{ {' '.join(attrs)} }}", line.src))
            return
        else:
            where = {"table": "a table", "hr": "a rule", "html_block": "an HTML block"}.get(
                kind, "a list" if in_list else f"a {kind or 'block'}")
        self.problem(line.src, f"kramdown attribute list `{line.text.strip()}` on {where} dropped",
                     "Python-Markdown's attr_list cannot put attributes there; edit the HTML by hand if you need them")

    def _links(self, text: str, src: int | None, *, line_start: bool) -> str:
        """Links and images to the old blog's own files or pages: rewritten to logs, or reported."""
        def md_link(m: re.Match[str]) -> str:
            url = self._url(m["url"], src, "image" if m["bang"] else "link")
            return f"{m['bang']}[{m['text']}]({url}{m['title'] or ''})"

        def html_url(m: re.Match[str]) -> str:
            kind = "image" if m["attr"].lower().startswith("src") else "link"
            return f"{m['attr']}{m['q']}{self._url(m['url'], src, kind, html=True)}{m['q']}"

        text = _MD_LINK.sub(md_link, text)
        text = _HTML_URL.sub(html_url, text)
        ref = _REF_DEF.match(text) if line_start else None
        if ref:
            text = ref["lead"] + self._url(ref["url"], src, "link") + text[ref.end() :]
        return text

    def _url(self, url: str, src: int | None, kind: str, *, html: bool = False) -> str:
        """``url`` as the log should have it: a log's file for a link to a post, else as it was.

        In HTML (``<img src>``, ``<a href>``) MkDocs rewrites nothing, so there a link to
        another post is reported rather than pointed at its Markdown file.
        """
        path = url
        if self.blog.url and url.startswith(self.blog.url + "/"):
            path = url[len(self.blog.url) :]
        elif not url or re.match(r"^[a-z][a-z0-9+.-]*:|^//|^#", url, re.I):
            return url
        path, hash_, fragment = path.partition("#")
        anchor = hash_ + fragment
        name = PurePosixPath(path).name
        stem = re.sub(r"\.(?:md|markdown)$", "", name)
        if not html and name != stem and stem in self.blog.links:
            return self.blog.links[stem] + anchor  # a relative link to another post's file
        if not html and name in self.blog.links.values() and "/" not in path:
            return url  # a log of the site, beside this one
        relative = not path.startswith("/")
        if relative:
            # A relative link has nothing to point at beside the log; read it from the blog's root.
            base = PurePosixPath("/" + self.post.rel).parent if (self.post.path.parent / path).exists() else "/"
            path = posixpath.normpath(posixpath.join(str(base), re.sub(r"^(?:\./)+", "", path)))
            path = "/" + path.lstrip("/")
            while path.startswith("/../"):
                path = path[3:]
        elif self.blog.baseurl and path.startswith(self.blog.baseurl + "/"):
            path = path[len(self.blog.baseurl) :]
        target = None if html else self.blog.post_for_path(path)
        if target is not None:
            return target + anchor
        self._report_file(path, src, kind, url, relative=relative)
        return path + anchor if relative else url

    def _report_file(self, path: str, src: int | None, kind: str, url: str, *, relative: bool = False) -> None:
        if (src, url) in self._reported:
            return
        self._reported.add((src, url))
        on_disk = self.blog.root / path.lstrip("/")
        state = f"written as {path}, so the build does not look for it beside the log" if relative else "left as it is"
        if on_disk.is_file():
            hint = (f"copy {on_disk} into the site's docs/ folder (e.g. docs{path}) and change the "
                    f"{kind} to a path relative to the log")
        else:
            hint = "the blog has no such file either; fix or remove the " + kind
        self.problem(src, f"{kind} `{url}` points at the Jekyll blog's {path}, which this site does not have; "
                     f"{state}", hint)


def _line_kinds(text: str) -> list[tuple[str, bool]]:
    """For each line: the innermost block markdown-it puts it in, and whether that is inside a list."""
    count = text.count("\n") + 1
    kinds: list[tuple[str, bool]] = [("", False)] * count
    stack: list[str] = []
    for tok in parser().parse(text):
        if tok.type == "inline":
            continue
        if tok.nesting == -1:
            if stack:
                stack.pop()
            continue
        if tok.map:
            kind = tok.type.removesuffix("_open")
            in_list = any(t == "list_item" for t in stack)
            for n in range(tok.map[0], min(tok.map[1], count)):
                kinds[n] = (kind, in_list)
        if tok.nesting == 1:
            stack.append(tok.type.removesuffix("_open"))
    return kinds


def _split_code(text: str) -> list[tuple[str, bool]]:
    """``text`` in pieces, each marked whether it is an inline code span."""
    parts: list[tuple[str, bool]] = []
    last = 0
    for m in _CODE_SPAN.finditer(text):
        parts.append((text[last : m.start()], False))
        parts.append((m[0], True))
        last = m.end()
    parts.append((text[last:], False))
    return parts


def _outside_math(text: str, change: Callable[[str], str]) -> str:
    """``change`` applied to the parts of ``text`` outside ``$...$`` and ``$$...$$``."""
    out: list[str] = []
    last = 0
    for m in _MATH_SPAN.finditer(text):
        out.append(change(text[last : m.start()]))
        out.append(m[0])
        last = m.end()
    out.append(change(text[last:]))
    return "".join(out)


# -- Small helpers -------------------------------------------------------------------------------


def _yaml_entry(key: str, value: Any) -> str:
    if key in ("title", "subtitle", "description") and isinstance(value, str):
        return f"{key}: {json.dumps(value, ensure_ascii=False)}"
    if isinstance(value, dt.datetime):
        return f"{key}: {value.isoformat(' ')}"
    if isinstance(value, dt.date):
        return f"{key}: {value.isoformat()}"
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        flow = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=1_000_000).strip()
        return f"{key}: {flow}"
    dumped = yaml.safe_dump({key: value}, allow_unicode=True, sort_keys=False, width=1_000_000)
    return dumped.rstrip("\n")


def _fingerprint(text: str) -> str:
    m = _SOURCE_RE.search(text)
    if m is not None:
        text = text[: m.start("fingerprint")] + text[m.end("fingerprint") :]
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _file_date(stem: str) -> dt.date | None:
    m = _POST_NAME.match(stem)
    if not m:
        return None
    try:
        return dt.date.fromisoformat(m["date"])
    except ValueError:
        return None


def _one_line(value: Any) -> str:
    return " ".join(str(value).split())


def _short(value: Any) -> str:
    text = _one_line(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _yaml_line(err: Exception) -> int:
    mark = getattr(err, "problem_mark", None)
    return mark.line + 1 if mark else 1


def _yaml_problem(err: Exception) -> str:
    return str(getattr(err, "problem", None) or str(err).split("\n")[0])


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def _shown(path: Path, base: Path | None = None) -> str:
    for root in (base, Path.cwd()):
        if root is None:
            continue
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except (ValueError, OSError):
            continue
    return str(path)

