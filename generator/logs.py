"""Study logs: daily Markdown posts with front matter, read into frozen records.

A log is a Material blog post. This module reads its front matter the way the
blog does (PyYAML's safe loader), checks what the blog needs (a date, list-valued
categories and tags, an ASCII URL slug), and finds what the site connects: the
links it makes (arXiv papers among them) and its mentoring questions.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pymdownx.slugs import slugify

from . import yamlsafe
from .errors import Diagnostic, StudylogError, raise_all
from .ids import ArxivId, arxiv_id_from_url, parse_arxiv_id
from .memo import Memo
from .qa import Question, find_questions, parser
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


@dataclass(frozen=True)
class Log:
    src: str
    """Path relative to the docs folder, with forward slashes (``logs/posts/x.md``)."""
    path: Path
    title: str
    date: dt.date
    slug: str
    categories: tuple[str, ...]
    tags: tuple[str, ...]
    body: str
    body_line: int
    """1-based line of the file where ``body`` starts."""
    links: tuple[Link, ...]
    questions: tuple[Question, ...]
    """Questions, with lines counted in the file."""
    draft: bool = False
    """``draft: true`` in front matter: Material's blog leaves it out of `mkdocs build`, and so does the site."""


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
    problems: list[Diagnostic] = []
    for path in sorted(root.rglob("*.md")):
        if path.is_dir():
            continue  # a folder named like a log is a folder, as MkDocs sees it
        try:
            log = read_log(path, docs)
        except StudylogError as err:
            problems.extend(err.diagnostics)
            continue
        (drafts if log.draft else logs).append(log)
    problems += _clashing_urls(logs)
    return Scan(tuple(sorted(logs, key=lambda log: (log.date, log.src))), tuple(drafts), tuple(problems))


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
    return _LOGS.get((str(path), str(docs_dir), text), lambda: _parse_log(path, docs_dir, text))


# A save under `mkdocs serve` reads every log again; only the changed ones are parsed again.
_LOGS: Memo[Log] = Memo("logs")


def _parse_log(path: Path, docs_dir: Path, text: str) -> Log:
    meta, body, body_line = split_front_matter(text, path)
    src = path.relative_to(docs_dir).as_posix()
    errors: list[StudylogError] = []

    def problem(message: str, key: str | None, hint: str) -> None:
        errors.append(StudylogError(message, path=path, line=_key_line(text, key), hint=hint))

    date = _read_date(meta.get("date"), path, problem)
    _check_blog_keys(meta, problem)
    categories = _string_list(meta, "categories", problem)
    tags = _string_list(meta, "tags", problem)
    title = meta.get("title")
    if title is not None and not isinstance(title, str):
        problem("'title' must be text", "title", f'quote it: title: "{title}"')
        title = None
    title = title or _first_heading(body) or path.stem
    slug = meta.get("slug")
    if slug is not None and (not isinstance(slug, str) or ascii_slug(slug) != slug):
        problem(
            f"slug {slug!r} must use lowercase ASCII letters, digits and hyphens",
            "slug",
            f"for example `slug: {ascii_slug(str(slug)) or _slug_from_name(path)}`",
        )
    if not slug:
        slug = blog_slug(title)
        if not slug.isascii() or not slug:
            problem(
                f"the log's URL would be made from its title, as '{slug}'; URLs must be ASCII",
                "title",
                f"add an ASCII slug to the front matter, for example `slug: {_slug_from_name(path)}`",
            )
    raise_all(errors)
    assert date is not None
    tokens = parser().parse(body)
    offset = body_line - 1
    questions = tuple(
        dataclasses.replace(
            q,
            line=q.line + offset,
            followups=tuple(dataclasses.replace(f, line=f.line + offset) for f in q.followups),
        )
        for q in find_questions(body, tokens=tokens)
    )
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
        links=tuple(_links(tokens, body, offset)),
        questions=questions,
        draft=meta.get("draft") is True,
    )


def split_front_matter(text: str, path: Path) -> tuple[dict[str, Any], str, int]:
    """(front matter, body, 1-based line where the body starts)."""
    match = _FRONT_MATTER.match(text)
    if not match:
        raise StudylogError(
            "the log has no front matter",
            path=path,
            line=1,
            hint="start the file with a block such as\n---\ntitle: Day 28\ndate: 2021-09-09\n---",
        )
    meta = yamlsafe.load(match.group(1) or "", path, line_offset=1, where=" in the front matter",
                         hint="check the quoting on that line; titles with ':' or '[' need quotes") or {}
    if not isinstance(meta, dict):
        raise StudylogError(
            "the front matter must be a mapping of keys", path=path, line=2, hint="write it as `key: value` lines"
        )
    body = text[match.end() :]
    return meta, body, text[: match.end()].count("\n") + 1


def _read_date(value: Any, path: Path, problem: Any) -> dt.date | None:
    file_date = _FILE_DATE.match(path.name)
    example = file_date.group(1) if file_date else "2021-09-09"
    if isinstance(value, dict):  # Material's `date: {created: ..., updated: ...}`
        for key, when in value.items():
            if key != "created" and not isinstance(when, dt.date):
                problem(f"date.{key} must be a date, not {_kind(when)}", "date", f"write `{key}: {example}`")
        value = value.get("created")
        if value is None:
            problem("the log's date has no `created`", "date", f"write `date: {{created: {example}}}`")
            return None
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
    """A slug suggestion from the file name: ``2021-09-09-Level2-Day28.md`` gives ``level2-day28``."""
    return ascii_slug(_FILE_DATE.sub("", path.stem)) or "day-1"


def _first_heading(body: str) -> str | None:
    m = re.search(r"^#\s+(.+?)\s*#*\s*$", body, re.M)
    return m.group(1) if m else None


def _links(tokens: Iterable[Any], body: str, offset: int) -> Iterable[Link]:
    lines = body.split("\n")
    for block in tokens:
        if block.type != "inline" or not block.children:
            continue
        start, stop = block.map or (0, 1)

        def line_of(needle: str, start: int = start, stop: int = stop) -> int:
            for n in range(start, min(stop, len(lines))):
                if needle in lines[n]:
                    return n + 1 + offset
            return start + 1 + offset

        children = block.children
        linked: set[str] = set()
        for k, child in enumerate(children):
            if child.type == "link_open":
                href = str(child.attrs.get("href", ""))
                text = []
                for inner in children[k + 1 :]:
                    if inner.type == "link_close":
                        break
                    text.append(inner.content)
                linked.add(href)
                yield Link(href, "".join(text), line_of(href), arxiv_id_from_url(href))
            elif child.type == "text":
                for m in _BARE_ARXIV.finditer(child.content):
                    found = m.group(0)
                    arxiv: ArxivId | None
                    if found.lower().startswith("arxiv:"):
                        try:
                            parsed = parse_arxiv_id(found)
                        except ValueError:
                            continue
                        url, arxiv = parsed.abs_url, parsed
                    else:
                        url = found if "://" in found else "https://" + found
                        arxiv = arxiv_id_from_url(url)
                    if url not in linked:
                        yield Link(url, found, line_of(found), arxiv)


def _clashing_urls(logs: list[Log]) -> list[Diagnostic]:
    seen: dict[tuple[dt.date, str], Log] = {}
    found = []
    for log in logs:
        key = (log.date, log.slug)
        if key in seen:
            found.append(Diagnostic.at(
                f"this log and {seen[key].src} would share the URL {log.date:%Y/%m/%d}/{log.slug}/",
                path=log.path, line=1, hint="give one of them another `slug:` in its front matter",
            ))
        else:
            seen[key] = log
    return found
