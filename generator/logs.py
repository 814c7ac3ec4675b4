"""Study logs: daily Markdown posts with front matter, read into frozen records.

A log is a Material blog post. This module reads its front matter the way the
blog does (a safe YAML loader, with aliases bounded: ``yamlsafe``), checks what the
blog needs (a date, list-valued categories and tags, an ASCII URL slug), and finds
what the site connects: the links it makes (arXiv papers among them) and its
mentoring questions.

Title
    The front matter's ``title`` is the log's heading: MkDocs and Zensical use it
    for the page's title, and the theme writes it as the page's ``<h1>`` because a
    log's body has no ``#`` heading of its own (sections start at ``##``). A log
    without ``title`` is titled by a ``#`` heading on its first line, as MkDocs
    does (and one with a ``title`` may repeat it there). Any other ``#`` heading
    would be shown as the page's heading instead of its title (or leave the page
    without one at the top), so it is a warning.

URL slug
    ``slug``, else Material's slug of the title when that is ASCII, else the file
    name after its date (``2021-09-09-Level2-Day28.md`` gives ``level2-day28``).
    MkDocs builds take that last one through the plugin (``post_slugify``);
    Zensical runs no plugin and would make a Hangul URL, so it is a warning that
    says which ``slug:`` to write.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pymdownx.slugs import slugify

from . import yamlsafe
from .errors import Diagnostic, Severity, StudylogError, raise_all
from .ids import ArxivId, arxiv_id_from_url, parse_arxiv_id
from .passages import Passage, Run, passages
from .qa import Question, find_questions, parser
from .redirects import redirect_file
from .text import ascii_slug, one_line

# The same pattern MkDocs and Material's blog use to find front matter.
_FRONT_MATTER = re.compile(r"\A-{3}[ \t]*\n(.*?\n)?(?:\.{3}|-{3})[ \t]*\n", re.S)
_FILE_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})-")
_BARE_ARXIV = re.compile(
    r"(?:https?://)?(?:www\.|export\.)?arxiv\.org/(?:abs|pdf|html)/[^\s)\]>\"'<]+"
    r"|\barXiv:\s?(?:\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?",
    re.I,
)


EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2999, 12, 31)
"""Dates a study log can have; anything else is a typo (and would break the calendar's arithmetic)."""


@dataclass(frozen=True)
class Link:
    url: str
    text: str
    line: int
    """1-based line in the log file."""
    arxiv: ArxivId | None
    passage: int = 0
    """Where the link is: its passage in the log's ``passages``, and its text's place in it."""
    start: int = 0
    end: int = 0


@dataclass(frozen=True)
class Log:
    src: str
    """Path relative to the docs folder, with forward slashes (``logs/posts/x.md``)."""
    path: Path
    title: str
    """The page's heading (see the module's doc): what the page, search, home, Q&A and feed show."""
    date: dt.date
    """When it was written (Material's ``date``, or ``date.created``)."""
    slug: str
    categories: tuple[str, ...]
    tags: tuple[str, ...]
    body: str
    body_line: int
    """1-based line of the file where ``body`` starts."""
    links: tuple[Link, ...]
    questions: tuple[Question, ...]
    """Questions, with lines counted in the file."""
    passages: tuple[Passage, ...] = ()
    """Its headings, paragraphs, bullets and table cells as text, code blocks left out."""
    draft: bool = False
    """``draft: true`` in front matter: Material's blog leaves it out of `mkdocs build`, and so does the site."""
    updated: dt.date | None = None
    """``date.updated``: when it was last changed, if it says."""
    slug_from_name: bool = False
    """The slug came from the file name (no ``slug``, and the title makes no ASCII one)."""
    redirect_from: tuple[str, ...] = ()
    """Old addresses of the page, relative to the site (``/2021/09/09/Level2-Day28.html``), that redirect to it."""
    warnings: tuple[Diagnostic, ...] = ()
    """What the site builds fine with but is probably not meant (``check`` prints them)."""


# The slug Material's blog (and Zensical, which supports no other) makes from a title.
_blog_slugify = slugify(case="lower")


def blog_slug(title: str) -> str:
    return _blog_slugify(title, "-")


@dataclass(frozen=True)
class Scan:
    """Every log file of a folder, read: the good ones, and what is wrong with the others."""

    logs: tuple[Log, ...]
    """Published logs, oldest first."""
    drafts: tuple[Log, ...]
    problems: tuple[Diagnostic, ...]
    """One or more per log that could not be read (those logs are in neither list)."""


def scan_logs(docs_dir: str | Path, logs_dir: str) -> Scan:
    """Read every log under ``docs_dir/logs_dir``; never raises for a problem of one log."""
    docs = Path(docs_dir)
    root = docs / logs_dir
    if not root.is_dir():
        return Scan((), (), ())
    logs: list[Log] = []
    drafts: list[Log] = []
    errors: list[StudylogError] = []
    for path in sorted(root.rglob("*.md")):
        if path.is_dir():
            continue  # a folder named like a log is a folder, as MkDocs sees it
        try:
            log = read_log(path, docs)
        except StudylogError as err:
            errors.append(err)
            continue
        (drafts if log.draft else logs).append(log)
    _check_unique_urls(logs, errors)
    _check_redirects(logs, errors)
    problems = tuple(d for err in errors for d in err.diagnostics)
    return Scan(tuple(sorted(logs, key=lambda log: (log.date, log.src))), tuple(drafts), problems)


def read_logs(docs_dir: str | Path, logs_dir: str) -> tuple[Log, ...]:
    """Every published log under ``docs_dir/logs_dir``, oldest first. Collects all errors, then raises."""
    scan = scan_logs(docs_dir, logs_dir)
    raise_all(scan.problems)
    return scan.logs


def read_log(path: Path, docs_dir: Path) -> Log:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as err:
        raise StudylogError(f"not UTF-8 text (byte {err.start})", path=path, hint="save the file as UTF-8") from None
    except FileNotFoundError:
        raise StudylogError("the log is a link to a file that does not exist", path=path,
                            hint="remove the link, or point it at the log") from None
    except OSError as err:
        raise StudylogError(f"cannot read the log: {err.strerror or err}", path=path,
                            hint="check that the file is readable") from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    meta, body, body_line = split_front_matter(text, path)
    src = path.relative_to(docs_dir).as_posix()
    errors: list[StudylogError] = []
    warnings: list[Diagnostic] = []

    def problem(message: str, key: str | None, hint: str) -> None:
        errors.append(StudylogError(message, path=path, line=_key_line(text, key), hint=hint))

    def warn(message: str, line: int, hint: str) -> None:
        warnings.append(Diagnostic.at(message, path=path, line=line, hint=hint, severity=Severity.WARNING))

    date, updated = _read_dates(meta.get("date"), path, problem)
    _check_blog_keys(meta, problem)
    categories = _string_list(meta, "categories", problem)
    tags = _string_list(meta, "tags", problem)
    tokens = parser().parse(body)
    offset = body_line - 1
    title = meta.get("title")
    if title is not None and not isinstance(title, str):
        problem("'title' must be text", "title", f'quote it: title: "{title}"')
        title = None
    headings = _h1_lines(tokens)
    if title:
        if _first_line_heading(tokens) == one_line(title):
            headings = headings[1:]  # the title itself, on the first line: the page shows the same
        for line in headings:
            warn("a `#` heading in the body: the page shows it as a second title (or instead of the title)", line
                 + offset, "write it as `##`: the front matter's `title` is the page's heading")
    else:
        first = _first_line_heading(tokens)
        title = first or _mkdocs_file_title(path)
        for line in headings[1:] if first else headings:
            warn("a `#` heading below the first line: the page shows it as a heading of its own rank", line + offset,
                 "write it as `##`; the log's title is its front matter's `title` (or a `#` heading on line 1)")
        if not first:
            warn(f"the log has no title; the page is titled '{title}' after its file name", _key_line(text, None),
                 'add `title: "..."` to the front matter')
    slug = meta.get("slug")
    slug_from_name = False
    if slug is not None and (not isinstance(slug, str) or ascii_slug(slug) != slug):
        problem(
            f"slug {slug!r} must use lowercase ASCII letters, digits and hyphens",
            "slug",
            f"for example `slug: {ascii_slug(str(slug)) or _slug_from_name(path) or 'day-1'}`",
        )
    if not slug:
        slug = blog_slug(title)
        if not slug.isascii() or not slug:
            slug = _slug_from_name(path)
            slug_from_name = True
            if not slug:
                problem(
                    f"the log's URL would be made from its title, as '{blog_slug(title)}'; URLs must be ASCII, "
                    "and its file name has no ASCII letters either",
                    "title",
                    "add an ASCII slug to the front matter, for example `slug: day-28`",
                )
            else:
                warn(f"the URL is made from the file name ({slug}): the title has no ASCII slug; Zensical, which "
                     "runs no plugin, would make a Hangul URL instead", _key_line(text, "title"),
                     f"write `slug: {slug}` in the front matter")
    redirect_from = _redirects(meta.get("redirect_from"), problem)
    raise_all(errors)
    assert date is not None
    questions = tuple(
        dataclasses.replace(
            q,
            line=q.line + offset,
            followups=tuple(dataclasses.replace(f, line=f.line + offset) for f in q.followups),
        )
        for q in find_questions(body, tokens=tokens)
    )
    found = passages(tokens, offset, _BARE_ARXIV)
    return Log(
        src=src,
        path=path,
        title=one_line(title),
        date=date,
        slug=slug,
        categories=categories,
        tags=tags,
        body=body,
        body_line=body_line,
        links=tuple(_links(found, body, offset)),
        questions=questions,
        passages=found,
        draft=meta.get("draft") is True,
        updated=updated,
        slug_from_name=slug_from_name,
        redirect_from=redirect_from,
        warnings=tuple(warnings),
    )


def find_front_matter(text: str) -> tuple[str, str, int] | None:
    """(the front matter's YAML, the body, the 1-based line where the body starts), or None without one.

    The pattern is MkDocs' and Material's: a ``---`` line, YAML, a ``---`` or ``...`` line.
    """
    match = _FRONT_MATTER.match(text)
    if not match:
        return None
    return match.group(1) or "", text[match.end() :], text[: match.end()].count("\n") + 1


def split_front_matter(text: str, path: Path) -> tuple[dict[str, Any], str, int]:
    """(front matter, body, 1-based line where the body starts)."""
    found = find_front_matter(text)
    if found is None:
        raise StudylogError(
            "the log has no front matter",
            path=path,
            line=1,
            hint="start the file with a block such as\n---\ntitle: Day 28\ndate: 2021-09-09\n---",
        )
    front, body, body_line = found
    meta = yamlsafe.load(front, path, line_offset=1, where="in the front matter",
                         hint="check the quoting on that line; titles with ':' or '[' need quotes") or {}
    if not isinstance(meta, dict):
        raise StudylogError(
            "the front matter must be a mapping of keys", path=path, line=2, hint="write it as `key: value` lines"
        )
    return meta, body, body_line


def _read_dates(value: Any, path: Path, problem: Any) -> tuple[dt.date | None, dt.date | None]:
    """``date``, or Material's ``date: {created: ..., updated: ...}``: (created, updated)."""
    if isinstance(value, dict):
        created = _read_date(value.get("created"), path, problem)
        updated = value.get("updated")
        if updated is not None and not isinstance(updated, dt.date):
            problem(f"date.updated {updated!r} is not a date", "date", "write `updated: 2021-09-10` under `date:`")
            updated = None
        return created, updated.date() if isinstance(updated, dt.datetime) else updated
    return _read_date(value, path, problem), None


def _read_date(value: Any, path: Path, problem: Any) -> dt.date | None:
    file_date = _FILE_DATE.match(path.name)
    example = file_date.group(1) if file_date else "2021-09-09"
    if value is None:
        problem("the log has no date", None, f"add `date: {example}` to the front matter")
        return None
    if isinstance(value, dt.date):
        day = value.date() if isinstance(value, dt.datetime) else value
        if not EARLIEST <= day <= LATEST:
            problem(f"date {day.isoformat()} is out of range for a study log ({EARLIEST.year} to {LATEST.year})",
                    "date", f"check the year; for example `date: {example}`")
            return None
        return day
    if isinstance(value, str):
        problem(
            f"date {value!r} is read as text, not a date",
            "date",
            "write it as YAML reads dates: `date: 2021-09-09` or `date: 2021-09-09 10:00:00+09:00`"
            " (`+0900` needs a colon: `+09:00`)",
        )
        return None
    problem(f"date must be a date, not {type(value).__name__}", "date", f"write `date: {example}`")
    return None


def _kind(value: object) -> str:
    return {bool: "true/false", int: "a number", float: "a number", str: "text", list: "a list",
            dict: "a mapping"}.get(type(value), "empty" if value is None else type(value).__name__)


def _check_blog_keys(meta: dict[str, Any], problem: Any) -> None:
    """The keys Material's blog reads, checked as it checks them (``PostConfig``), so `check` and the build agree."""
    for key in ("draft", "pin"):
        if key in meta and not isinstance(meta[key], bool):
            problem(f"'{key}' must be true or false, not {_kind(meta[key])} ({meta[key]!r})", key,
                    f"write `{key}: true` or `{key}: false`")
    if meta.get("readtime") is not None and (isinstance(meta["readtime"], bool) or not isinstance(meta["readtime"], int)):
        problem(f"'readtime' must be a whole number of minutes, not {_kind(meta['readtime'])}", "readtime",
                "write `readtime: 5`, or remove it to let the blog count")
    if "authors" in meta and not (isinstance(meta["authors"], list) and all(isinstance(a, str) for a in meta["authors"])):
        problem("'authors' must be a list of author ids", "authors", "write `authors: [me]` (ids from .authors.yml)")
    if meta.get("links") is not None and not _is_nav(meta["links"]):
        problem("'links' must be a list of pages or `title: page` items", "links",
                "write `links:` with items like `- papers/index.md` or `- Reading list: papers/index.md`")


def _is_nav(value: object) -> bool:
    """Whether ``value`` is what MkDocs takes as navigation: a list of paths, ``title: path`` or ``title: [...]``."""
    if not isinstance(value, list):
        return False
    for item in value:
        if isinstance(item, dict):
            if len(item) != 1:
                return False
            (title, inner), = item.items()
            if not isinstance(title, str) or not (isinstance(inner, str) or _is_nav(inner)):
                return False
        elif not isinstance(item, str):
            return False
    return True


def _string_list(meta: dict[str, Any], key: str, problem: Any) -> tuple[str, ...]:
    value = meta.get(key)
    if value is None:
        return ()
    if isinstance(value, str):
        problem(f"'{key}' must be a list", key, f"write `{key}: [{value}]`")
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problem(f"'{key}' must be a list of text items", key, f"write `{key}: [first, second]`")
        return ()
    return tuple(value)


def _key_line(text: str, key: str | None) -> int:
    if key:
        for number, line in enumerate(text.split("\n")[1:], start=2):
            if re.match(rf"^{re.escape(key)}\s*:", line):
                return number
            if line.strip() in ("---", "..."):
                break
    return 1


def _slug_from_name(path: Path) -> str:
    """The slug of the file name after its date: ``2021-09-09-Level2-Day28.md`` gives ``level2-day28``."""
    return ascii_slug(_FILE_DATE.sub("", path.stem))


def _h1_lines(tokens: list[Any]) -> list[int]:
    """1-based lines (in the body) of its ``#`` headings (and ``===`` ones), code blocks left out."""
    return [tok.map[0] + 1 for tok in tokens if tok.type == "heading_open" and tok.tag == "h1" and tok.map]


def _first_line_heading(tokens: list[Any]) -> str | None:
    """The ``#`` heading that opens the body, which MkDocs takes as the title of a page without one."""
    if len(tokens) > 1 and tokens[0].type == "heading_open" and tokens[0].tag == "h1":
        return one_line(tokens[1].content) or None
    return None


def _mkdocs_file_title(path: Path) -> str:
    """The title MkDocs gives a page with none: its file name with spaces, capitalised when all lowercase."""
    title = path.stem.replace("-", " ").replace("_", " ")
    return title.capitalize() if title.lower() == title else title


def _redirects(value: Any, problem: Any) -> tuple[str, ...]:
    """``redirect_from`` (jekyll-redirect-from's key): old paths of the site that lead to this log."""
    if value is None:
        return ()
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
        problem("'redirect_from' must be a list of paths", "redirect_from",
                "write `redirect_from: [/2021/09/09/day-28.html]`")
        return ()
    found: list[str] = []
    for item in items:
        path = item.strip()
        parts = path.strip("/").split("/")
        if not path.strip("/") or re.search(r"[?#\\]|^[a-z][a-z0-9+.-]*:|^//", path, re.I) \
                or any(part in ("", ".", "..") for part in parts):
            problem(f"redirect_from {item!r} is not a path of this site", "redirect_from",
                    "write the old address from the site's root, like /2021/09/09/day-28.html")
            continue
        found.append("/" + path.lstrip("/"))
    return tuple(dict.fromkeys(found))


def _links(passages: Sequence[Passage], body: str, offset: int) -> Iterable[Link]:
    lines = body.split("\n")
    for index, passage in enumerate(passages):
        start = passage.line - 1 - offset

        def line_of(needle: str, start: int = start, stop: int = start + passage.lines) -> int:
            for n in range(start, min(stop, len(lines))):
                if needle in lines[n]:
                    return n + 1 + offset
            return start + 1 + offset

        linked: set[str] = set()
        for a, end, first in _link_spans(passage):
            href = first.href
            assert href is not None
            if not first.bare:
                linked.add(href)
                yield Link(href, passage.text[a:end], line_of(href), arxiv_id_from_url(href), index, a, end)
                continue
            arxiv: ArxivId | None
            if href.lower().startswith("arxiv:"):
                try:
                    parsed = parse_arxiv_id(href)
                except ValueError:
                    continue
                url, arxiv = parsed.abs_url, parsed
            else:
                url = href if "://" in href else "https://" + href
                arxiv = arxiv_id_from_url(url)
            if url not in linked:
                yield Link(url, href, line_of(href), arxiv, index, a, end)


def _link_spans(passage: Passage) -> Iterator[tuple[int, int, Run]]:
    """(start, end, first run) of each link in a passage: a link's text may be several runs (text, code)."""
    current: tuple[int, int, Run] | None = None
    for a, b, run in passage.spans():
        if current is not None and run.href == current[2].href and not run.bare and a == current[1]:
            current = (current[0], b, current[2])
            continue
        if current is not None:
            yield current
        current = (a, b, run) if run.href is not None else None
    if current is not None:
        yield current


def _check_unique_urls(logs: list[Log], errors: list[StudylogError]) -> None:
    seen: dict[tuple[dt.date, str], Log] = {}
    titles: dict[str, Log] = {}
    for log in logs:
        if log.slug_from_name:
            # The plugin hands Material these slugs by title (see plugin.FileNameSlugs).
            other = titles.setdefault(log.title, log)
            if other is not log:
                errors.append(StudylogError(
                    f"this log and {other.src} have the same title and neither has a `slug`",
                    path=log.path, line=_key_line(log.path.read_text(encoding="utf-8-sig"), "title"),
                    hint=f"write `slug: {log.slug}` in its front matter",
                ))
        key = (log.date, log.slug)
        if key in seen:
            errors.append(
                StudylogError(
                    f"this log and {seen[key].src} would share the URL {log.date:%Y/%m/%d}/{log.slug}/",
                    path=log.path,
                    line=1,
                    hint="give one of them another `slug:` in its front matter",
                )
            )
        else:
            seen[key] = log


def _check_redirects(logs: list[Log], errors: list[StudylogError]) -> None:
    seen: dict[str, Log] = {}
    for log in logs:
        for old in log.redirect_from:
            key = redirect_file(old)
            if key in seen and seen[key] is not log:
                errors.append(StudylogError(
                    f"this log and {seen[key].src} both redirect {old} to themselves",
                    path=log.path, line=1, hint="keep the old address in one of them",
                ))
            seen.setdefault(key, log)
