"""The site model: the catalogue, the lock and the logs joined into one read-only view.

This is the only place the three inputs meet. A YAML field wins over what arXiv
says; a paper missing from the lock still gets everything its YAML gives. Logs
are connected to papers and resources through the links they make.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from .catalogue import Catalogue, Paper, Resource, Topic
from .ids import ArxivId, arxiv_id_from_url
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
class Entry:
    """A paper as the site shows it: the user's fields over arXiv's."""

    paper: Paper
    record: ArxivRecord | None
    discussed_in: tuple[Log, ...]

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
        return self.paper.title or (self.record.title if self.record else None) or str(self.paper.arxiv)

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
    discussed_in: tuple[Log, ...]

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
    _by_link: Mapping[str, Entry | ResourceEntry] = field(repr=False, default_factory=dict)

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

    def linked_by(self, url: str) -> Entry | ResourceEntry | None:
        """The paper or resource a link points to (an arXiv URL, or the entry's own ``url``), if any.

        The same rule that connects logs to the papers they discuss (see :func:`link_key`).
        """
        return self._by_link.get(link_key(url))

    def resources_in(self, topic: Topic) -> tuple[ResourceEntry, ...]:
        return tuple(r for r in self.resources if topic.id in r.resource.topics)

    def logs_about(self, topic: Topic) -> tuple[Log, ...]:
        """Logs that discussed a paper or resource of this topic, newest first."""
        logs = {log.src: log for e in self.entries_in(topic) for log in e.discussed_in}
        logs.update({log.src: log for r in self.resources_in(topic) for log in r.discussed_in})
        return tuple(sorted(logs.values(), key=lambda log: (log.date, log.src), reverse=True))

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
    by_key: dict[str, list[Log]] = {}
    items: list[Paper | Resource] = [*catalogue.papers, *catalogue.resources]
    listed = {key for item in items for key in _keys_of(item)}
    unlisted: list[tuple[Log, Link]] = []
    for log in logs:
        for link in log.links:
            key = link_key(link.url, link.arxiv)
            if link.arxiv is not None or key in listed:
                _add_once(by_key.setdefault(key, []), log)
            if link.arxiv is not None and catalogue.find_arxiv(link.arxiv) is None:
                unlisted.append((log, link))

    def discussed(paper_or_resource: Paper | Resource) -> tuple[Log, ...]:
        found = [log for key in _keys_of(paper_or_resource) for log in by_key.get(key, [])]
        unique = {log.src: log for log in found}
        return tuple(sorted(unique.values(), key=lambda log: (log.date, log.src), reverse=True))

    entries = [
        Entry(p, lock.get(p.arxiv.base) if p.arxiv else None, discussed(p)) for p in catalogue.papers
    ]
    resources = [ResourceEntry(r, discussed(r)) for r in catalogue.resources]
    by_topic: dict[str, list[Entry]] = {}
    for e in entries:
        for t in e.paper.topics:
            by_topic.setdefault(t, []).append(e)
    by_link: dict[str, Entry | ResourceEntry] = {}
    for e in entries:
        for key in _keys_of(e.paper):
            by_link.setdefault(key, e)  # the first entry in papers.yaml wins
    for r in resources:
        for key in _keys_of(r.resource):
            by_link.setdefault(key, r)
    return Site(
        catalogue=catalogue,
        entries=tuple(entries),
        resources=tuple(resources),
        logs=logs,
        unlisted=tuple(unlisted),
        _by_topic={k: tuple(v) for k, v in by_topic.items()},
        _by_link=by_link,
    )


def link_key(url: str, arxiv: ArxivId | None = None) -> str:
    """The key under which a link meets the paper or resource it points to.

    An arXiv paper by its ID without version (``arxiv.org/abs/2104.08691v2``, ``.../pdf/2104.08691``
    and ``arXiv:2104.08691`` meet), anything else by its :func:`normalize_url`.
    """
    found = arxiv or arxiv_id_from_url(url)
    return f"arxiv:{found.base}" if found is not None else normalize_url(url)


def _keys_of(item: Paper | Resource) -> list[str]:
    """The keys (see :func:`link_key`) under which links reach a paper or resource."""
    keys = []
    arxiv = getattr(item, "arxiv", None)
    if arxiv is not None:
        keys.append(link_key("", arxiv))
    if item.url:
        keys.append(link_key(item.url))
    return keys


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


def _add_once(logs: list[Log], log: Log) -> None:
    if all(existing.src != log.src for existing in logs):
        logs.append(log)


def _iso_date(text: str) -> dt.date | None:
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        return None
