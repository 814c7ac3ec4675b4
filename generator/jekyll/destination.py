"""The logs folder the import writes into: what is there, whose it is, and writing the new logs.

Every log the import writes says so in its front matter, with the post it came
from and a fingerprint of its text, so a re-import knows its own files: it
updates them while they are unedited, and leaves a log alone once you edit it,
or when the file is not the import's at all.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .. import fsutil
from ..errors import Diagnostic, StudylogError
from ..logs import blog_slug, split_front_matter
from ..text import one_line
from .blog import POSTS_DIR, Blog, Post
from .front_matter import Reading
from .report import warning

# Written into the front matter of every imported log, so a re-import knows its own files.
_MARKER = "# Imported from a Jekyll blog by Studylog (python -m generator import-jekyll)."
_SOURCE_LINE = "# Source: {source} · fingerprint: {fingerprint}"
_EDIT_LINE = "# A re-import updates this file while it is unedited, and leaves it alone once you edit it."
_SOURCE_RE = re.compile(r"^# Source: (?P<source>.+) · fingerprint: (?P<fingerprint>[0-9a-f]*)$", re.M)


@dataclass(frozen=True)
class ExistingLog:
    name: str
    """Path relative to the logs folder, with forward slashes."""
    date: dt.date | None
    title: str | None
    slug: str | None
    source: str | None
    """The post it was imported from, for logs the import wrote."""


@dataclass
class Destination:
    dest: Path
    logs: dict[str, ExistingLog]
    problems: list[Diagnostic]

    @classmethod
    def scan(cls, dest: Path, blog: Blog) -> Destination:
        logs: dict[str, ExistingLog] = {}
        problems: list[Diagnostic] = []
        if dest.is_dir():
            for path in sorted(dest.rglob("*.md")):
                log = _read_existing(path, dest)
                logs[log.name] = log
        current = {post.rel for post in blog.posts}
        for log in logs.values():
            if log.source and log.source not in current and log.source.startswith(POSTS_DIR + "/"):
                problems.append(warning(dest / log.name, None, f"was imported from {log.source}, which the blog no "
                                        "longer has; left as it is", "delete it if the post is gone for good"))
        return cls(dest, logs, problems)

    def twin_of(self, reading: Reading) -> ExistingLog | None:
        """A log not written by the import that holds the same post (the same date and title)."""
        day = _day(reading.meta["date"])
        title = one_line(reading.meta["title"])
        for log in self.logs.values():
            if log.source is None and log.date == day and log.title and log.name != reading.name \
                    and one_line(log.title) == title:
                return log
        return None

    def state(self, target: Path, post: Post) -> str:
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

    def give_unique_urls(self, readings: list[Reading], problems: list[Diagnostic]) -> None:
        """Give a post another slug when its URL (date and slug) is taken."""
        names = {r.name for r in readings}
        taken = {(log.date, log.slug) for log in self.logs.values() if log.name not in names and log.date}
        for reading in readings:
            day = _day(reading.meta["date"])
            slug = reading.meta["slug"]
            if (day, slug) in taken:
                n = 2
                while (day, f"{slug}-{n}") in taken:
                    n += 1
                problems.append(warning(reading.post.path, None, f"another log has the URL {day:%Y/%m/%d}/{slug}/; "
                                        f"this one gets the slug {slug}-{n}", "give the post its own `slug:`"))
                slug = f"{slug}-{n}"
                reading.meta["slug"] = slug
            taken.add((day, slug))


def write(target: Path, text: str) -> bool:
    """Write a log atomically unless it already holds ``text``; a failure is one StudylogError."""
    try:
        return fsutil.write_if_changed(target, text)
    except OSError as err:
        reason = err.strerror or str(err)
        if err.errno == errno.ENOSPC:
            hint = "the disk is full: free some space and run the import again"
        elif err.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            hint = "the logs folder cannot be written to: pass --dest a folder you can write"
        else:
            hint = "check the logs folder, then run the import again"
        raise StudylogError(f"could not write the log {target.name}: {reason}", path=target,
                            hint=hint + "; the logs written before it are complete, and nothing half-written "
                            "is left behind") from None


def render_log(post: Post, meta: dict[str, Any], body: str) -> str:
    """The log's text; its fingerprint is the hash of everything else in it."""
    source = _SOURCE_LINE.format(source=post.rel, fingerprint="")
    lines = [_MARKER, source, _EDIT_LINE]
    lines += [_yaml_entry(key, value) for key, value in meta.items()]
    text = "---\n" + "\n".join(lines) + "\n---\n\n" + body.strip("\n") + "\n"
    signed = _SOURCE_LINE.format(source=post.rel, fingerprint=_fingerprint(text))
    return text.replace(source, signed, 1)


def _read_existing(path: Path, dest: Path) -> ExistingLog:
    name = path.relative_to(dest).as_posix()
    try:
        text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
        meta, _, _ = split_front_matter(text, path)
    except (OSError, UnicodeDecodeError, StudylogError):
        return ExistingLog(name, None, None, None, None)
    date = meta.get("date")
    date = date.get("created") if isinstance(date, dict) else date
    title = meta.get("title") if isinstance(meta.get("title"), str) else None
    slug = meta.get("slug") if isinstance(meta.get("slug"), str) else (blog_slug(title) if title else None)
    m = _SOURCE_RE.search(text[:2000])
    return ExistingLog(name, _day(date) if isinstance(date, dt.date) else None, title, slug,
                       m["source"] if m else None)


def _day(value: Any) -> dt.date:
    value = value.get("created") if isinstance(value, dict) else value
    return value.date() if isinstance(value, dt.datetime) else value


def _yaml_entry(key: str, value: Any) -> str:
    if key in ("title", "subtitle", "description") and isinstance(value, str):
        return f"{key}: {json.dumps(value, ensure_ascii=False)}"
    if isinstance(value, dict) and key == "date":
        return "\n".join([f"{key}:", *(f"  {_yaml_entry(k, v)}" for k, v in value.items())])
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
