"""The catalogue's records: frozen, typed, made once when ``papers.yaml`` is loaded."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from ..ids import ArxivId, scholar_id


@dataclass(frozen=True)
class Topic:
    id: str
    title: str
    description: str | None
    line: int


@dataclass(frozen=True)
class Paper:
    """One entry of ``papers:`` as the user wrote it. Fields left out are None."""

    key: str
    """Its id on the site and in URLs: ``id``, or the arXiv ID made file-safe."""
    arxiv: ArxivId | None
    title: str | None
    working_title: str | None
    """Shown until arXiv's title arrives; ``title`` wins over arXiv's, this does not."""
    authors: tuple[str, ...] | None
    year: int | None
    venue: str | None
    url: str | None
    doi: str | None
    abstract: str | None
    topics: tuple[str, ...]
    status: str
    notes: str | None
    added: dt.date | None
    line: int
    position: int
    """Its index in ``papers:``; later entries were added later."""
    bibtex_key: str | None = None
    """``key:``, the BibTeX key the user gave it."""
    venue_type: str | None = None
    """``venue_type:``: conference, journal or preprint."""

    @property
    def scholar_id(self) -> str | None:
        """The ID Semantic Scholar knows it by (:func:`generator.ids.scholar_id`), or None."""
        return scholar_id(self.arxiv, self.doi, self.url)


@dataclass(frozen=True)
class Resource:
    """A blog post, announcement or other non-paper link worth keeping."""

    key: str
    title: str
    url: str
    kind: str
    authors: tuple[str, ...]
    date: dt.date | None
    topics: tuple[str, ...]
    notes: str | None
    added: dt.date | None
    line: int


@dataclass(frozen=True)
class Catalogue:
    path: Path
    topics: tuple[Topic, ...]
    papers: tuple[Paper, ...]
    resources: tuple[Resource, ...]

    def arxiv_ids(self) -> list[ArxivId]:
        return [p.arxiv for p in self.papers if p.arxiv is not None]

    def find_arxiv(self, arxiv_id: ArxivId) -> Paper | None:
        return self._by_arxiv.get(arxiv_id.base)

    @property
    def _by_arxiv(self) -> dict[str, Paper]:
        # Built on first use and kept: a frozen dataclass has no field for it, so it lives in __dict__.
        index = self.__dict__.get("_arxiv_index")
        if index is None:
            index = {p.arxiv.base: p for p in self.papers if p.arxiv is not None}
            object.__setattr__(self, "_arxiv_index", index)
        return index
