"""Downloads a reference manager can read: ``papers.bib`` (BibTeX) and ``papers.json`` (CSL-JSON).

Both hold one entry per paper of the catalogue, under the keys :class:`Citations`
gives (the ones the paper pages show). CSL-JSON is what Zotero and pandoc import.
"""

from __future__ import annotations

import json
from typing import Any

from .bibtex import Citations
from .memo import LastBuild
from .model import Entry, Site
from .text import one_line
from .venues import CONFERENCE, JOURNAL, is_preprint

_PARTICLES = {"van", "von", "der", "den", "de", "del", "della", "da", "di", "du", "la", "le", "dos", "das", "ter", "ten"}


def bibliography(site: Site, citations: Citations) -> str:
    header = f"% {len(site.entries)} papers from Studylog's papers.yaml\n\n"
    return header + "\n".join(citations.bibtex(e) for e in site.entries)


def csl_name(name: str) -> dict[str, str]:
    """``"Julia Ive"`` as CSL's ``{"given": "Julia", "family": "Ive"}``; particles stay with the family name."""
    words = name.split()
    if len(words) <= 1:
        return {"literal": name.strip()}
    start = len(words) - 1
    while start > 1 and words[start - 1].lower() in _PARTICLES:
        start -= 1
    given, family = words[:start], words[start:]
    out = {"given": " ".join(given), "family": " ".join(family)}
    if len(family) > 1 and family[0].lower() in _PARTICLES:
        out = {"given": " ".join(given), "non-dropping-particle": " ".join(family[:-1]), "family": family[-1]}
    return out


CSL_TYPES = {CONFERENCE: "paper-conference", JOURNAL: "article-journal", None: "article"}
"""The CSL type by the kind of venue: the same rule as BibTeX's entry types (:data:`generator.bibtex.ENTRY_TYPES`)."""


def csl_item(e: Entry, key: str) -> dict[str, Any]:
    kind = CSL_TYPES[e.venue_type]
    item: dict[str, Any] = {"id": key, "type": kind, "title": e.title}
    if e.authors:
        item["author"] = [csl_name(a) for a in e.authors]
    published = e.published
    if e.paper.year is not None or published is None:
        if e.year:
            item["issued"] = {"date-parts": [[e.year]]}
    else:
        item["issued"] = {"date-parts": [[published.year, published.month, published.day]]}
    if e.venue and not is_preprint(e.venue):
        item["container-title" if e.venue_type else "note"] = e.venue
    if e.arxiv:
        item["URL"] = e.abs_url
        if e.venue_type is None:  # a preprint: arXiv published it
            item["publisher"] = "arXiv"
            item["number"] = str(e.arxiv)
            if e.primary_category:
                item["genre"] = f"arXiv preprint [{e.primary_category}]"
    elif e.url:
        item["URL"] = e.url
    if e.doi:
        item["DOI"] = e.doi
    if e.abstract:
        item["abstract"] = one_line(e.abstract)
    return item


def csl_json(site: Site, citations: Citations) -> str:
    """The catalogue as CSL-JSON; the last call's text while what it is made of is the same: each entry's
    fields, arXiv's and Semantic Scholar's records (not the logs that link it) and citation key. Under
    serve, a log's save leaves them as they were: 0.2 s at 2,000 papers."""
    keys = [citations.key(e) for e in site.entries]
    shown = (tuple((e.paper, e.record, e.scholar) for e in site.entries), tuple(keys))

    def make() -> tuple[object, str]:
        items = [csl_item(e, key) for e, key in zip(site.entries, keys, strict=True)]
        return shown, json.dumps(items, indent=2, ensure_ascii=False) + "\n"

    _CSL.next_build()
    (_, text), _ = _CSL.get("csl", make, lambda kept: kept[0] == shown)
    return text


_CSL: LastBuild[tuple[object, str]] = LastBuild("CSL-JSON")
