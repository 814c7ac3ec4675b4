"""A post's front matter as a log's: what is kept, converted, moved into the body, or left out.

``date`` comes from the front matter or the file name; Jekyll's
``2021-09-09 10:00:00 +0900`` (text to YAML) becomes a real datetime, and a date
that does not exist (``2021-02-30``) is reported and replaced by the file name's.
``last_modified_at`` becomes Material's ``date: {created, updated}``.
``categories`` and ``tags`` become flat lists of text, as Jekyll reads them.
``published: false`` becomes ``draft: true``; ``toc: false`` becomes
``hide: [toc]``. ``subtitle`` and ``excerpt`` go into the body (see ``body``),
``permalink`` and ``redirect_from`` into the log's old addresses (see
``addresses``). Keys only Jekyll or its themes use are left out and counted.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from .. import yamlsafe
from ..errors import Diagnostic, StudylogError
from ..logs import find_front_matter
from ..text import ascii_slug, one_line
from .blog import Blog, Post
from .report import warning

# Front matter keys that only mean something to Jekyll or its themes.
JEKYLL_ONLY = frozenset({
    "layout", "published", "defaults", "use_math", "usemath", "math", "mathjax", "katex",
    "comments", "comment", "share", "related", "sitemap", "excerpt_separator", "render_with_liquid",
    "author_profile", "read_time", "toc_sticky", "toc_label", "toc_icon", "sidebar", "classes",
    "header", "show_date", "redirect_to", "hidden", "nav_order", "parent", "has_children",
    "date_format", "lang", "sort", "pin_in_home", "permalink", "redirect_from", "last_modified_at",
    "subtitle", "excerpt", "toc",
})
# Keys MkDocs or Material read with their own meaning: a Jekyll value there could break the build.
_RESERVED = frozenset({"authors", "readtime", "pin", "links", "template", "hide", "status", "icon", "search"})
# Keys read above, each into its own place in the log.
_READ = frozenset({"title", "description", "date", "slug", "draft", "categories", "tags", "category", "tag"})
# Of JEKYLL_ONLY, the keys the import reads (into the body, the addresses, the date): not "left out".
_USED = frozenset({"published", "permalink", "redirect_from", "last_modified_at", "subtitle", "excerpt",
                   "excerpt_separator", "toc", "defaults"})


@dataclass
class Reading:
    """A post on its way to a log: its front matter read and converted, its body as the blog has it."""

    post: Post
    meta: dict[str, Any] = field(default_factory=dict)
    """The log's front matter, in the order it is written."""
    body: str = ""
    body_line: int = 1
    """1-based line of the post where its body starts."""
    subtitle: str | None = None
    excerpt: str | None = None
    excerpt_separator: str = "\n\n"
    when: dt.date = dt.date.min
    """The post's date as Jekyll had it, for its old address."""
    categories: list[str] = field(default_factory=list)
    slug: str | None = None
    """The post's own ``slug``, as Jekyll reads it for ``:title`` and ``:slug``."""
    permalink: str | None = None
    redirect_from: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)
    ok: bool = True
    """False when the post cannot be imported (a problem says why)."""

    @property
    def name(self) -> str:
        return self.post.name

    @property
    def published(self) -> bool:
        return self.meta.get("draft") is not True

    def problem(self, line: int | None, message: str, hint: str | None = None, *, skip: bool = False) -> None:
        self.problems.append(warning(self.post.path, line, message + ("; not imported" if skip else ""), hint))
        self.ok = self.ok and not skip


def read_post(post: Post, blog: Blog) -> Reading:
    """A post's front matter converted, and its body as the blog has it."""
    reading = Reading(post, excerpt_separator=blog.config.excerpt_separator)
    try:
        text = post.path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as err:
        reading.problem(None, f"not UTF-8 text (byte {err.start})", "save it as UTF-8, as Jekyll expects", skip=True)
        return reading
    except OSError as err:
        reading.problem(None, f"could not be read ({err.strerror or err})", skip=True)
        return reading
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    found = find_front_matter(text if text.endswith("\n") else text + "\n")  # Jekyll takes a `---` at the very end
    raw: Any = {}
    if found is not None:
        front, reading.body, reading.body_line = found
        try:
            raw = yamlsafe.load(front, post.path, line_offset=1, where="in the front matter", dates_as_text=True,
                                hint="check the quoting on that line; titles with ':' or '[' need quotes") or {}
        except StudylogError as err:
            for d in err.diagnostics:
                reading.problem(d.line, d.message, d.hint, skip=True)
            return reading
        if not isinstance(raw, dict):
            reading.problem(2, "the front matter is not a mapping of keys", "write it as `key: value` lines",
                            skip=True)
            return reading
    else:
        reading.body = text
    front_lines = text.split("\n")[: reading.body_line - 1]

    def problem(key: str, message: str, hint: str | None = None) -> None:
        line = next((n for n, line in enumerate(front_lines, 1) if re.match(rf"^{re.escape(key)}\s*:", line)), 1)
        reading.problem(line, message, hint)

    _convert(reading, {str(k): v for k, v in raw.items()}, blog, problem)
    return reading


def _convert(reading: Reading, raw: dict[str, Any], blog: Blog, problem: Any) -> None:
    post = reading.post
    defaults = {str(k): v for k, v in blog.defaults_for(post).items()}
    data = {**defaults, **raw}
    meta = reading.meta

    title = data.get("title")
    if title is None or (isinstance(title, str) and not title.strip()):
        title = post.title_part.replace("-", " ").strip() or post.stem  # what Jekyll shows
    meta["title"] = one_line(title)
    if data.get("description") is not None:
        meta["description"] = one_line(data["description"])
    reading.subtitle = _text(data.get("subtitle"), "subtitle", problem)
    reading.excerpt = _text(data.get("excerpt"), "excerpt", problem, lines=True)
    if isinstance(data.get("excerpt_separator"), str) and data["excerpt_separator"]:
        reading.excerpt_separator = data["excerpt_separator"]

    created = _date(data.get("date"), post, problem, "date")
    reading.when = _in_zone(created, blog.config.timezone)
    updated = _date(data["last_modified_at"], post, problem, "last_modified_at", fallback=False) \
        if data.get("last_modified_at") is not None else None
    meta["date"] = {"created": created, "updated": updated} if updated is not None else created

    slug = data.get("slug")
    reading.slug = str(slug) if isinstance(slug, str | int) and str(slug).strip() else None
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

    # Jekyll adds a post's categories to those of _config.yml's defaults, and reads the singular key too.
    categories = _names(defaults.get("categories"), "categories", problem, split=True)
    categories += _names(raw.get("categories"), "categories", problem, split=True)
    categories += _names(data.get("category"), "category", problem, split=False)
    tags = _names(data.get("tags"), "tags", problem, split=True) + _names(data.get("tag"), "tag", problem, split=False)
    reading.categories = list(dict.fromkeys(categories))
    if categories:
        meta["categories"] = reading.categories
    if tags:
        meta["tags"] = list(dict.fromkeys(tags))
    if data.get("toc") is False:
        meta["hide"] = ["toc"]

    permalink = data.get("permalink")
    reading.permalink = permalink.strip() if isinstance(permalink, str) and permalink.strip() else None
    redirects = data.get("redirect_from")
    redirects = [redirects] if isinstance(redirects, str) else redirects
    if redirects is not None and not (isinstance(redirects, list) and all(isinstance(r, str) for r in redirects)):
        problem("redirect_from", "`redirect_from` is not a list of paths; those old addresses are not redirected")
        redirects = []
    reading.redirect_from = list(redirects or [])

    for key, value in data.items():
        if key in _READ or key in JEKYLL_ONLY:
            if key in JEKYLL_ONLY and key not in _USED:
                reading.dropped.append(key)
            continue
        if key in _RESERVED:
            problem(key, f"dropped `{key}: {_short(value)}`: MkDocs or Material reads `{key}` with another meaning",
                    f"rename it (e.g. `jekyll_{key}`) in the post if you want to keep it")
            continue
        try:
            yaml.safe_dump({key: value})
        except (yaml.YAMLError, RecursionError):
            problem(key, f"dropped `{key}`: its value cannot be written back as YAML")
            continue
        meta[key] = value


_JEKYLL_DATE = re.compile(
    r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
    r"(?:[Tt ]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:\.(?P<f>\d{1,6})\d*)?)?)?"
    r"[ \t]*(?P<tz>Z|UTC|GMT|KST|[+-]\d{2}(?::?\d{2})?)?$",
    re.I,
)


def _date(value: Any, post: Post, problem: Any, key: str, *, fallback: bool = True) -> Any:
    """A date as YAML writes it (a date, or a datetime with its offset); the file name's when unreadable.

    With ``fallback=False``, None instead of the file name's date.
    """
    if isinstance(value, dt.datetime | dt.date):
        return value
    if value is None:
        return post.date if fallback else None
    instead = f"used the file name's date, {post.date.isoformat()}" if fallback else "left it out"
    m = _JEKYLL_DATE.match(one_line(value))
    if m is None:
        problem(key, f"could not read the date {_short(value)!r}; {instead}",
                f"write it as `{key}: 2021-09-09` or `{key}: 2021-09-09 10:00:00 +0900`")
        return post.date if fallback else None
    try:
        day = dt.date(int(m["y"]), int(m["m"]), int(m["d"]))
        if m["H"] is None:
            return day
        micro = int((m["f"] or "0").ljust(6, "0"))
        return dt.datetime(day.year, day.month, day.day, int(m["H"]), int(m["M"]), int(m["S"] or 0), micro,
                           tzinfo=_zone(m["tz"]))
    except ValueError:
        problem(key, f"the date {_short(value)!r} does not exist; {instead}",
                f"write a real date, like `{key}: {post.date.isoformat()}`")
        return post.date if fallback else None


def _zone(tz: str | None) -> dt.tzinfo | None:
    if not tz:
        return None
    tz = tz.upper()
    if tz in ("Z", "UTC", "GMT"):
        return dt.UTC
    if tz == "KST":
        return dt.timezone(dt.timedelta(hours=9))
    digits = tz[1:].replace(":", "")
    offset = dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0))
    return dt.timezone(-offset if tz[0] == "-" else offset)


def _in_zone(when: dt.date, zone: dt.tzinfo | None) -> dt.date:
    """The date Jekyll puts in a post's address: an aware time in the site's zone (UTC without one)."""
    if isinstance(when, dt.datetime) and when.tzinfo is not None:
        return when.astimezone(zone or dt.UTC)
    return when


def _names(value: Any, key: str, problem: Any, *, split: bool) -> list[str]:
    """Categories or tags as Jekyll reads them: a string split on spaces, lists flattened, empties dropped.

    A mapping is not a name: it is reported and left out.
    """
    if value is None:
        return []
    if isinstance(value, str):
        return value.split() if split else ([value.strip()] if value.strip() else [])
    if isinstance(value, list | tuple):
        out: list[str] = []
        for item in value:
            out += _names(item, key, problem, split=False)
        return out
    if isinstance(value, bool):
        return ["true" if value else "false"]
    if isinstance(value, dt.date | int | float):
        return [value.isoformat() if isinstance(value, dt.date) else str(value)]
    if isinstance(value, dict):
        problem(key, f"left out a mapping among the {key} ({_short(value)}): a {key.rstrip('s')} is a word",
                f"write `{key}: [first, second]`")
        return []
    return [one_line(value)] if str(value).strip() else []


def _text(value: Any, key: str, problem: Any, *, lines: bool = False) -> str | None:
    """A key that holds text (``subtitle``, ``excerpt``); anything else is reported and left out."""
    if value is None:
        return None
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        problem(key, f"left out `{key}`: it is not text")
        return None
    text = str(value).strip() if lines else one_line(value)
    return text or None


def _short(value: Any) -> str:
    text = one_line(value)
    return text if len(text) <= 40 else text[:37] + "..."
