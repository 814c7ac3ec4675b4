"""BibTeX keys: made once from what ``papers.yaml`` says, recorded in the lock, never changed after.

A document that cites ``\\cite{realm2020}`` must keep working, so a paper's key
depends on nothing that arrives or changes later:

* ``key:`` in ``papers.yaml`` wins; the catalogue checks it is unique and BibTeX-safe.
* Otherwise the key is made from ``papers.yaml`` alone plus the arXiv ID, never from
  fetched metadata (authors arriving from arXiv would change it): the first
  author's family name if ``authors`` are given, the year (``year``, else the arXiv
  ID's), and the first significant word of ``title`` if given, like Google
  Scholar's ``ive2018deepquest``; ``realm2020`` without authors; ``arxiv2104.08691``
  for an arXiv paper the file gives neither a title nor authors.
* The first ``enrich`` that sees a paper records its key in the lock (``keys``),
  and a recorded key is kept whatever happens to the file: a title edited, a paper
  with the same stem added above it. Stems that clash get ``a``, ``b``, ... in
  catalogue order, after every recorded key has been given out, so a new paper
  never takes an existing paper's key.

:func:`assign_keys` is the one place keys are decided; ``enrich`` records what it
gives, and the site (:class:`generator.bibtex.Citations`) shows the same.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence

from .catalogue import Paper
from .ids import ArxivId
from .text import ascii_word

KEY_PATTERN = r"^[A-Za-z0-9_](?:[A-Za-z0-9_:.+/-]{0,62}[A-Za-z0-9_])?(?![\s\S])"
"""A BibTeX-safe key: ASCII letters, digits and ``_ : . + / -``, at most 64, ending in a letter, digit or ``_``.

BibTeX, biber and pandoc (``@key``) all take these; ``papers.schema.json`` and
``lock.schema.json`` hold the same pattern (a test keeps them equal)."""

_STOPWORDS = frozenset(["a", "an", "the", "on", "of", "in", "for", "to", "and", "with", "from", "at", "by", "is", "are",
                        "do", "does", "what", "how", "why"])


def is_key(text: str) -> bool:
    return re.match(KEY_PATTERN, text) is not None


def stem(paper: Paper) -> str:
    """The key ``paper`` gets unless another paper has it: from ``papers.yaml``'s fields and the arXiv ID only."""
    words = [ascii_word(w) for w in re.split(r"[\s\-:/]+", paper.title or "")]
    word = next((w for w in words if w and w not in _STOPWORDS), "") or next((w for w in words if w), "")
    year = paper.year or (arxiv_year(paper.arxiv) if paper.arxiv else None)
    names = paper.authors[0].split() if paper.authors else []
    family = ascii_word(names[-1]) if names else ""
    if family:
        return f"{family}{year or ''}{word}"[:60]
    if word:
        return f"{word}{year or ''}"[:60]
    if paper.arxiv:
        return f"arxiv{paper.arxiv.slug}"
    return re.sub(r"[^a-z0-9]", "", paper.key)[:60] or "paper"


def arxiv_year(arxiv_id: ArxivId) -> int:
    """The year an arXiv ID was given: ``2104.08691`` is 2021, ``hep-th/9901001`` 1999."""
    yy = int(arxiv_id.base.rsplit("/", 1)[-1][:2])
    return 1900 + yy if yy >= 91 else 2000 + yy


def assign_keys(papers: Sequence[Paper], recorded: Mapping[str, str]) -> dict[str, str]:
    """A unique BibTeX key for every paper, by the paper's site key.

    ``key:`` first, then the keys ``recorded`` in the lock (by site key), then new ones
    from :func:`stem`, in catalogue order, with ``a``, ``b``, ... on a clash.
    """
    keys: dict[str, str] = {}
    taken: set[str] = set()
    for paper in papers:
        if paper.bibtex_key:
            keys[paper.key] = paper.bibtex_key
            taken.add(paper.bibtex_key.lower())
    for paper in papers:
        old = recorded.get(paper.key)
        if paper.key not in keys and old and is_key(old) and old.lower() not in taken:
            keys[paper.key] = old
            taken.add(old.lower())
    new = [paper for paper in papers if paper.key not in keys]
    stems = {paper.key: stem(paper) for paper in new}
    # A clash's letters never take another new paper's own stem: REALM twice and Realma make three keys.
    reserved = {base.lower() for base in stems.values()}
    for paper in new:
        base = stems[paper.key]
        if base.lower() in taken:
            base = next(k for k in _candidates(base) if k.lower() not in taken and k.lower() not in reserved)
        keys[paper.key] = base
        taken.add(base.lower())
    return {paper.key: keys[paper.key] for paper in papers}


def _candidates(base: str) -> Iterator[str]:
    """``base``, then ``basea`` ... ``basez``, ``baseaa`` ...: the keys a clash tries in turn."""
    yield base
    n = 0
    while True:
        suffix, m = "", n
        while True:
            suffix = chr(ord("a") + m % 26) + suffix
            m = m // 26 - 1
            if m < 0:
                break
        yield base + suffix
        n += 1


__all__ = ["KEY_PATTERN", "arxiv_year", "assign_keys", "is_key", "stem"]
