"""``python -m generator new``: start the day's study log from a template the user owns.

The template is ``<blog_dir>/.template.md`` in the docs folder (``docs/logs/.template.md``):
MkDocs leaves dot-files out of the site, and the blog reads posts only from its posts
folder. The first ``new`` writes it, in the site's language, for the user to shape;
after that it is theirs. It is a Jinja template, rendered in a sandbox with:

``date``        the day, ``2021-09-10``
``title``       ``--title``, or the last log's title with its day number moved on
                (``[Boostcamp AI Tech] 28일차 학습정리`` → ``... 29일차 ...``), or the template's
``slug``        an ASCII slug: the last log's with its day number moved on, or made from the title
``day``         one more than the last log's day number (from ``28일차`` / ``Day 28`` / ``day-28``)
``categories``, ``tags``  the last log's, as YAML flow lists

The log is written as ``<logs_dir>/<date>-<slug>.md``; an existing file is never overwritten.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path

from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from .errors import StudylogError
from .fsutil import write_atomic
from .i18n import Words
from .logs import Log, scan_logs
from .project import Project
from .text import ascii_slug

TEMPLATE_NAME = ".template.md"
_DAY = re.compile(r"(?P<n>\d{1,4})(?P<unit>\s*일차)|(?P<word>\bday[\s_-]*)(?P<m>\d{1,4})\b", re.I)


@dataclass(frozen=True)
class NewLog:
    path: Path
    template: Path
    template_created: bool


def template_path(project: Project) -> Path:
    return project.docs_dir / project.layout.blog_dir / TEMPLATE_NAME


def default_template(language: str) -> str:
    words = Words(language)
    today, peers, mentoring = (words.gettext("Today's work"), words.gettext("Peer session"),
                               words.gettext("Mentoring Q&A"))
    return (
        "---\n"
        'title: "{{ title }}"\n'
        "date: {{ date }}\n"
        "slug: {{ slug }}\n"
        "categories: {{ categories }}\n"
        "tags: {{ tags }}\n"
        "---\n\n"
        "# {{ title }}\n\n"
        f"## {today}\n\n- \n\n"
        "<!-- more -->\n\n"
        f"## {peers}\n\n- \n\n"
        f"## {mentoring}\n\n* Q. \n  * \n"
    )


def day_number(text: str) -> int | None:
    m = _DAY.search(text)
    if m is None:
        return None
    return int(m["n"] or m["m"])


def next_day_text(text: str, day: int) -> str | None:
    """``text`` with its day number replaced by ``day``, or None when it has none."""
    m = _DAY.search(text)
    if m is None:
        return None
    start, end = m.span("n") if m["n"] else m.span("m")
    return text[:start] + str(day) + text[end:]


def new_log(project: Project, day: dt.date, *, title: str | None = None) -> NewLog:
    scan = scan_logs(project.docs_dir, project.layout.logs_dir)  # a half-written log elsewhere does not stop `new`
    logs = (*scan.logs, *scan.drafts)
    last = max(logs, key=lambda log: (log.date, log.src), default=None)
    number = _next_day(last)
    template = template_path(project)
    created = False
    if not template.exists():
        write_atomic(template, default_template(project.site.language))
        created = True
    try:
        source = template.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise StudylogError(f"cannot read the log template: {err}", path=template,
                            hint="save it as UTF-8 text, or delete it to get the default one back") from None
    words = Words(project.site.language)
    shown_title = title or (next_day_text(last.title, number) if last else None) or \
        words.gettext("Day %(day)d", day=number)
    slug = (next_day_text(last.slug, number) if last and title is None else None) or ascii_slug(shown_title) \
        or f"day-{number}"
    values = {
        "date": day.isoformat(),
        "title": shown_title.replace("\\", "\\\\").replace('"', '\\"'),
        "slug": slug,
        "day": number,
        "categories": json.dumps(list(last.categories) if last else [], ensure_ascii=False),
        "tags": json.dumps(list(last.tags) if last else [], ensure_ascii=False),
    }
    env = SandboxedEnvironment(undefined=StrictUndefined, keep_trailing_newline=True, autoescape=False)
    try:
        text = env.from_string(source).render(values)
    except TemplateError as err:
        line = getattr(err, "lineno", None)
        raise StudylogError(f"the log template cannot be filled in: {err.message or err}", path=template, line=line,
                            hint="it may use {{ date }}, {{ title }}, {{ slug }}, {{ day }}, {{ categories }} and "
                            "{{ tags }}") from None
    target = project.docs_dir / project.layout.logs_dir / f"{day.isoformat()}-{slug}.md"
    if target.exists():
        raise StudylogError("a log with this date and slug exists; new never overwrites a file", path=target,
                            hint="give another --title, or edit that log")
    taken = next((log for log in logs if log.date == day and log.slug == slug), None)
    if taken is not None:
        raise StudylogError(f"{taken.src} already has the URL of this date and slug", path=target,
                            hint="give another --title, or edit that log")
    write_atomic(target, text)
    return NewLog(target, template, created)


def _next_day(last: Log | None) -> int:
    if last is None:
        return 1
    found = day_number(last.title) or day_number(last.slug)
    return found + 1 if found is not None else 1
