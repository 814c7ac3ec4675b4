"""Citations: each paper's BibTeX key and entry, made once per build, with LaTeX escaping by pylatexenc.

:class:`Citations` is the one place the site asks for keys and entries; the paper
pages, ``papers.bib`` and the CSL-JSON export all ask it. Keys come from
:func:`generator.citekeys.assign_keys`: ``key:``, else the key recorded in the
lock, else one made from papers.yaml alone (``ive2018deepquest``, ``realm2020``),
so a key never changes when metadata arrives or another paper is added.

The entry type follows the venue (:attr:`generator.model.Entry.venue_type`): a
conference paper is ``@inproceedings`` with ``booktitle``, a journal article
``@article`` with ``journal``, anything else ``@misc`` (with the venue, if any,
in ``note``). An arXiv paper keeps its ``eprint`` fields whatever its type.
"""

from __future__ import annotations

import re

from pylatexenc.latexencode import UnicodeToLatexEncoder

from .citekeys import assign_keys
from .model import Entry, Site
from .text import one_line
from .venues import CONFERENCE, JOURNAL, is_preprint

_ENCODER = UnicodeToLatexEncoder(
    non_ascii_only=False,
    replacement_latex_protection="braces-all",
    unknown_char_policy="keep",
    unknown_char_warning=False,
)
# Text with none of these needs no escaping (pylatexenc is slow, and most titles are plain ASCII).
_PLAIN = re.compile(r"[^A-Za-z0-9 ,.;:'()/?!+=@*-]")


def latex(text: str) -> str:
    """``text`` with LaTeX's special characters and non-ASCII letters escaped."""
    text = one_line(text)
    if not _PLAIN.search(text):
        return text
    return _ENCODER.unicode_to_latex(text)


def verbatim(text: str) -> str:
    """A value for a verbatim field (doi, url): kept as is, minus what could end the field."""
    return re.sub(r"[{}\\\s]", "", text)


class Citations:
    """The BibTeX key and entry of every paper of a site; each entry is made once, when first asked for."""

    def __init__(self, site: Site) -> None:
        self._keys = assign_keys(site.catalogue.papers, site.keys)
        self._entries: dict[str, str] = {}

    def key(self, e: Entry) -> str:
        return self._keys[e.key]

    def bibtex(self, e: Entry) -> str:
        if e.key not in self._entries:
            self._entries[e.key] = entry(e, self.key(e))
        return self._entries[e.key]


ENTRY_TYPES = {CONFERENCE: ("inproceedings", "booktitle"), JOURNAL: ("article", "journal"), None: ("misc", "note")}
"""The entry type and the field that holds the venue, by the kind of venue."""


def entry(e: Entry, key: str) -> str:
    kind, venue_field = ENTRY_TYPES[e.venue_type]
    fields: list[tuple[str, str]] = [("title", "{" + latex(e.title) + "}")]
    if e.authors:
        fields.append(("author", " and ".join(latex(a) for a in e.authors)))
    if e.venue and not is_preprint(e.venue):
        fields.append((venue_field, latex(e.venue)))
    if e.year:
        fields.append(("year", str(e.year)))
    if e.arxiv:
        fields += [("eprint", str(e.arxiv)), ("archiveprefix", "arXiv")]
        if e.primary_category:
            fields.append(("primaryclass", latex(e.primary_category)))
    if e.doi:
        fields.append(("doi", verbatim(e.doi)))
    url = e.abs_url or e.url
    if url:
        fields.append(("url", verbatim(url)))
    width = max(len(name) for name, _ in fields)
    body = ",\n".join(f"  {name.ljust(width)} = {{{value}}}" for name, value in fields)
    return f"@{kind}{{{key},\n{body}\n}}\n"
