"""The site model: the catalogue, the lock and the logs joined into one read-only view.

This is the only place the three inputs meet. A YAML field wins over what arXiv
says, and arXiv over Semantic Scholar; a paper missing from the lock still gets
everything its YAML gives. Logs are connected to papers and resources through
the links they make, and papers to each other through the references Semantic
Scholar lists (:meth:`Site.cites`, :meth:`Site.cited_by`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from .catalogue import Catalogue, Paper, Resource, Topic
from .ids import ArxivId, arxiv_id_from_url
from .lock import ArxivRecord, CitationRecord, Lock
from .logs import Link, Log
from .qa import Question
from .status import STATUSES, Status, status
from .venues import PREPRINT, is_preprint, kind_of


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
    scholar: CitationRecord | None = None
    """What Semantic Scholar says about it (by :attr:`Paper.scholar_id`), once fetched."""

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
        if published:
            return published.year
        return self.scholar.year if self.scholar else None

    @property
    def abstract(self) -> str | None:
        return self.paper.abstract or (self.record.abstract if self.record else None)

    @property
    def doi(self) -> str | None:
        return (self.paper.doi or (self.record.doi if self.record else None)
                or (self.scholar.external_id("DOI") if self.scholar else None))

    @property
    def venue(self) -> str | None:
        """Where it was published: ``venue:``, else arXiv's journal reference, else Semantic Scholar's
        venue (but never a preprint server's name: the arXiv link says that)."""
        return self.paper.venue or (self.record.journal_ref if self.record else None) or self._scholar_venue

    @property
    def _scholar_venue(self) -> str | None:
        name = (self.scholar.publication_venue or self.scholar.venue) if self.scholar else None
        return name if name and not is_preprint(name) else None

    @property
    def venue_type(self) -> str | None:
        """``conference`` or ``journal``, or None for a preprint or a venue of no known kind.

        ``venue_type:`` decides; else the kind of the venue shown, by its name when it comes
        from papers.yaml or arXiv, by Semantic Scholar when it comes from there, each one
        falling back on the other (:mod:`generator.venues`).
        """
        kind = self.paper.venue_type
        venue = self.venue
        if kind is None and venue:
            told = self.scholar.venue_type if self.scholar and self._scholar_venue else None
            by_name = kind_of(venue)
            kind = (told or by_name) if venue == self._scholar_venue else (by_name or told)
        return None if kind == PREPRINT or not venue else kind

    @property
    def citation_count(self) -> int | None:
        """How many papers cite it, by Semantic Scholar's count when it was fetched."""
        return self.scholar.citation_count if self.scholar else None

    @property
    def citations_fetched(self) -> dt.date | None:
        return _iso_date(self.scholar.fetched) if self.scholar else None

    @property
    def scholar_url(self) -> str | None:
        """Its page on semanticscholar.org."""
        return self.scholar.page_url if self.scholar else None

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
    keys: Mapping[str, str] = field(repr=False, default_factory=dict)
    """The BibTeX keys recorded in the lock, by paper key (:mod:`generator.citekeys` decides the rest)."""
    _cites: Mapping[str, tuple[Entry, ...]] = field(repr=False, default_factory=dict)
    _cited_by: Mapping[str, tuple[Entry, ...]] = field(repr=False, default_factory=dict)
    has_citations: bool = False
    """Whether any paper has Semantic Scholar's data (pages show citations only then)."""
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

    def cites(self, entry: Entry) -> tuple[Entry, ...]:
        """The papers of the catalogue that ``entry`` cites, in catalogue order."""
        return self._cites.get(entry.key, ())

    def cited_by(self, entry: Entry) -> tuple[Entry, ...]:
        """The papers of the catalogue that cite ``entry``, in catalogue order."""
        return self._cited_by.get(entry.key, ())

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


def build_site(catalogue: Catalogue, lock: Lock, logs: tuple[Log, ...]) -> Site:
    by_key: dict[str, list[Backlink]] = {}
    items: list[Paper | Resource] = [*catalogue.papers, *catalogue.resources]
    listed = {key for item in items for key in _keys_of(item)}
    unlisted: list[tuple[Log, Link]] = []
    for log in logs:
        for link in log.links:
            key = link_key(link.url, link.arxiv)
            if link.arxiv is not None or key in listed:
                _add_once(by_key.setdefault(key, []), Backlink(log, link))
            if link.arxiv is not None and catalogue.find_arxiv(link.arxiv) is None:
                unlisted.append((log, link))

    def discussed(paper_or_resource: Paper | Resource) -> tuple[Backlink, ...]:
        found = [b for key in _keys_of(paper_or_resource) for b in by_key.get(key, [])]
        unique: dict[str, Backlink] = {}
        for b in found:  # a log that links both the arXiv page and the url: its first link
            if b.log.src not in unique or b.link.line < unique[b.log.src].link.line:
                unique[b.log.src] = b
        return _newest_first(unique.values())

    entries = [
        Entry(p, lock.papers.get(p.arxiv.base) if p.arxiv else None, discussed(p),
              lock.citations.get(p.scholar_id) if p.scholar_id else None)
        for p in catalogue.papers
    ]
    cites, cited_by = citation_links(entries)
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
        keys=lock.keys,
        _cites=cites,
        _cited_by=cited_by,
        has_citations=any(e.scholar for e in entries),
        _by_link=by_link,
    )


def citation_links(entries: list[Entry]) -> tuple[dict[str, tuple[Entry, ...]], dict[str, tuple[Entry, ...]]]:
    """Which papers of the catalogue each one cites, and is cited by, from Semantic Scholar's references.

    One pass over every reference of every paper, each looked up among the catalogue's
    corpus IDs (Semantic Scholar's numeric IDs): linear in the number of references.
    """
    by_id = {e.scholar.corpus_id: e for e in entries if e.scholar and e.scholar.corpus_id is not None}
    position = {e.key: n for n, e in enumerate(entries)}
    cites: dict[str, set[str]] = {}
    cited_by: dict[str, set[str]] = {}
    for e in entries:
        for reference in e.scholar.references if e.scholar else ():
            cited = by_id.get(reference)
            if cited is not None and cited.key != e.key:
                cites.setdefault(e.key, set()).add(cited.key)
                cited_by.setdefault(cited.key, set()).add(e.key)
    entry = {e.key: e for e in entries}

    def ordered(links: dict[str, set[str]]) -> dict[str, tuple[Entry, ...]]:
        return {k: tuple(entry[v] for v in sorted(vs, key=position.__getitem__)) for k, vs in links.items()}

    return ordered(cites), ordered(cited_by)


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
