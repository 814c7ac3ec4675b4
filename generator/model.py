"""The site model: the catalogue, the lock and the logs joined into one read-only view.

This is the only place the three inputs meet. A YAML field wins over what arXiv
says; a paper missing from the lock still gets everything its YAML gives. Logs
are connected to papers and resources through the links they make.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from .catalogue import Catalogue, Paper, Resource, Topic
from .ids import ArxivId
from .lock import ArxivRecord
from .logs import Link, Log
from .qa import Question
from .status import STATUSES, Status, status


@dataclass(frozen=True)
class SiteInfo:
    """What the site says about itself (MkDocs' site_url, site_name, site_description)."""

    url: str | None = None
    """The absolute http(s) URL of the site's root. The RSS feed needs it; without it there is none."""
    name: str = "Studylog"
    description: str = ""
    language: str = "en"
    """``theme.language``: the language the site's own words are written in."""


@dataclass(frozen=True)
class Backlink:
    """A log that links a paper or resource, and its first link to it (which the page quotes)."""

    log: Log
    link: Link


@dataclass(frozen=True)
class Entry:
    """A paper as the site shows it: the user's fields over arXiv's."""

    paper: Paper
    record: ArxivRecord | None
    backlinks: tuple[Backlink, ...]
    """The logs that link it, newest first."""

    @property
    def discussed_in(self) -> tuple[Log, ...]:
        return tuple(b.log for b in self.backlinks)

    @property
    def key(self) -> str:
        return self.paper.key

    @property
    def arxiv(self) -> ArxivId | None:
        return self.paper.arxiv

    @property
    def fetched(self) -> bool:
        return self.record is not None

    @property
    def needs_fetch(self) -> bool:
        return self.paper.arxiv is not None and self.record is None

    @property
    def title(self) -> str:
        return (self.paper.title or (self.record.title if self.record else None) or self.paper.working_title
                or str(self.paper.arxiv))

    @property
    def authors(self) -> tuple[str, ...]:
        if self.paper.authors is not None:
            return self.paper.authors
        return self.record.authors if self.record else ()

    @property
    def published(self) -> dt.date | None:
        return _iso_date(self.record.published) if self.record else None

    @property
    def updated(self) -> dt.date | None:
        return _iso_date(self.record.updated) if self.record else None

    @property
    def year(self) -> int | None:
        if self.paper.year is not None:
            return self.paper.year
        published = self.published
        return published.year if published else None

    @property
    def abstract(self) -> str | None:
        return self.paper.abstract or (self.record.abstract if self.record else None)

    @property
    def doi(self) -> str | None:
        return self.paper.doi or (self.record.doi if self.record else None)

    @property
    def venue(self) -> str | None:
        return self.paper.venue or (self.record.journal_ref if self.record else None)

    @property
    def categories(self) -> tuple[str, ...]:
        return self.record.categories if self.record else ()

    @property
    def primary_category(self) -> str | None:
        return self.record.primary_category if self.record else None

    @property
    def comment(self) -> str | None:
        return self.record.comment if self.record else None

    @property
    def version(self) -> int | None:
        if self.paper.arxiv and self.paper.arxiv.version:
            return self.paper.arxiv.version
        return self.record.version if self.record else None

    @property
    def abs_url(self) -> str | None:
        return self.paper.arxiv.abs_url if self.paper.arxiv else None

    @property
    def pdf_url(self) -> str | None:
        return self.paper.arxiv.pdf_url if self.paper.arxiv else None

    @property
    def url(self) -> str | None:
        return self.paper.url

    @property
    def status(self) -> Status:
        return status(self.paper.status)


@dataclass(frozen=True)
class ResourceEntry:
    resource: Resource
    backlinks: tuple[Backlink, ...]

    @property
    def discussed_in(self) -> tuple[Log, ...]:
        return tuple(b.log for b in self.backlinks)

    def __getattr__(self, name: str) -> object:
        return getattr(self.resource, name)


@dataclass(frozen=True)
class AskedQuestion:
    log: Log
    question: Question


@dataclass(frozen=True)
class Site:
    catalogue: Catalogue
    entries: tuple[Entry, ...]
    resources: tuple[ResourceEntry, ...]
    logs: tuple[Log, ...]
    unlisted: tuple[tuple[Log, Link], ...]
    """Links from logs to arXiv papers that the catalogue lacks."""
    _by_topic: Mapping[str, tuple[Entry, ...]] = field(repr=False, default_factory=dict)

    @property
    def topics(self) -> tuple[Topic, ...]:
        return self.catalogue.topics

    @property
    def questions(self) -> tuple[AskedQuestion, ...]:
        return tuple(AskedQuestion(log, q) for log in self.logs for q in log.questions)

    @property
    def unfetched(self) -> tuple[Entry, ...]:
        return tuple(e for e in self.entries if e.needs_fetch)

    def entries_in(self, topic: Topic) -> tuple[Entry, ...]:
        return self._by_topic.get(topic.id, ())

    def resources_in(self, topic: Topic) -> tuple[ResourceEntry, ...]:
        return tuple(r for r in self.resources if topic.id in r.resource.topics)

    def logs_about(self, topic: Topic) -> tuple[Log, ...]:
        """Logs that discussed a paper or resource of this topic, newest first."""
        return tuple(b.log for b in self.backlinks_in(topic))

    def backlinks_in(self, topic: Topic) -> tuple[Backlink, ...]:
        """Each log that links a paper or resource of this topic, with its first such link; newest first."""
        found: dict[str, Backlink] = {}
        for b in [*(b for e in self.entries_in(topic) for b in e.backlinks),
                  *(b for r in self.resources_in(topic) for b in r.backlinks)]:
            kept = found.get(b.log.src)
            if kept is None or b.link.line < kept.link.line:
                found[b.log.src] = b
        return _newest_first(found.values())

    def status_counts(self) -> tuple[tuple[Status, int], ...]:
        """Papers per status, in the statuses' order (every status, even with none)."""
        counts = dict.fromkeys(STATUSES, 0)
        for e in self.entries:
            counts[e.status] += 1
        return tuple(counts.items())

    def recent_entries(self, n: int = 5) -> tuple[Entry, ...]:
        """Most recently added first: by ``added``, then by place in the file."""
        return tuple(
            sorted(
                self.entries,
                key=lambda e: (e.paper.added or dt.date.min, e.paper.position),
                reverse=True,
            )[:n]
        )


def build_site(catalogue: Catalogue, lock: Mapping[str, ArxivRecord], logs: tuple[Log, ...]) -> Site:
    by_arxiv: dict[str, list[Backlink]] = {}
    by_url: dict[str, list[Backlink]] = {}
    listed_urls = {normalize_url(p.url) for p in catalogue.papers if p.url}
    listed_urls |= {normalize_url(r.url) for r in catalogue.resources}
    unlisted: list[tuple[Log, Link]] = []
    for log in logs:
        for link in log.links:
            if link.arxiv is not None:
                _add_once(by_arxiv.setdefault(link.arxiv.base, []), Backlink(log, link))
                if catalogue.find_arxiv(link.arxiv) is None:
                    unlisted.append((log, link))
            else:
                key = normalize_url(link.url)
                if key in listed_urls:
                    _add_once(by_url.setdefault(key, []), Backlink(log, link))

    def discussed(paper_or_resource: Paper | Resource) -> tuple[Backlink, ...]:
        found: list[Backlink] = []
        arxiv = getattr(paper_or_resource, "arxiv", None)
        if arxiv is not None:
            found += by_arxiv.get(arxiv.base, [])
        if paper_or_resource.url:
            found += by_url.get(normalize_url(paper_or_resource.url), [])
        unique: dict[str, Backlink] = {}
        for b in found:  # a log that links both the arXiv page and the url: its first link
            if b.log.src not in unique or b.link.line < unique[b.log.src].link.line:
                unique[b.log.src] = b
        return _newest_first(unique.values())

    entries = [
        Entry(p, lock.get(p.arxiv.base) if p.arxiv else None, discussed(p)) for p in catalogue.papers
    ]
    by_topic: dict[str, list[Entry]] = {}
    for e in entries:
        for t in e.paper.topics:
            by_topic.setdefault(t, []).append(e)
    return Site(
        catalogue=catalogue,
        entries=tuple(entries),
        resources=tuple(ResourceEntry(r, discussed(r)) for r in catalogue.resources),
        logs=logs,
        unlisted=tuple(unlisted),
        _by_topic={k: tuple(v) for k, v in by_topic.items()},
    )


def normalize_url(url: str) -> str:
    """A key under which two spellings of one link meet.

    ``https://aclanthology.org/C18-1266.pdf`` and ``http://www.aclanthology.org/C18-1266/``
    both become ``aclanthology.org/c18-1266``.
    """
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url
    host = (parts.hostname or "").lower().removeprefix("www.")
    path = re.sub(r"(\.pdf|/)+$", "", parts.path)
    return f"{host}{path}".lower()


def _add_once(backlinks: list[Backlink], backlink: Backlink) -> None:
    """The first link of each log (links come in the log's order)."""
    if all(existing.log.src != backlink.log.src for existing in backlinks):
        backlinks.append(backlink)


def _newest_first(backlinks: Iterable[Backlink]) -> tuple[Backlink, ...]:
    return tuple(sorted(backlinks, key=lambda b: (b.log.date, b.log.src), reverse=True))


def _iso_date(text: str) -> dt.date | None:
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        return None
