"""Citations: each paper's BibTeX key and entry, made once per build, with LaTeX escaping by pylatexenc.

:class:`Citations` is the one place keys are decided; the paper pages, ``papers.bib``
and the CSL-JSON export all ask it. Keys look like Google Scholar's,
``guu2020realm``: first author's family name, year, first significant title word.
Without authors (metadata not fetched yet) the key is ``realm2020``. Clashes get
``a``, ``b``, ... in catalogue order, so a key only changes when the data it is
made from changes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pylatexenc.latexencode import UnicodeToLatexEncoder

from .model import Entry, Site
from .text import ascii_word, one_line

_ENCODER = UnicodeToLatexEncoder(
    non_ascii_only=False,
    replacement_latex_protection="braces-all",
    unknown_char_policy="keep",
    unknown_char_warning=False,
)
_STOPWORDS = frozenset(["a", "an", "the", "on", "of", "in", "for", "to", "and", "with", "from", "at", "by", "is", "are", "do", "does", "what", "how", "why"])


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


def base_key(entry: Entry) -> str:
    words = [ascii_word(w) for w in re.split(r"[\s\-:/]+", entry.title)]
    word = next((w for w in words if w and w not in _STOPWORDS), "") or next((w for w in words if w), "paper")
    year = str(entry.year or "")
    if entry.authors:
        family = ascii_word(entry.authors[0].split()[-1]) if entry.authors[0].split() else ""
        if family:
            return f"{family}{year}{word}"
    return f"{word}{year}"


def assign_keys(entries: Sequence[Entry]) -> dict[str, str]:
    """A unique BibTeX key for every entry, keyed by the entry's site key."""
    keys: dict[str, str] = {}
    taken: dict[str, int] = {}
    for e in entries:
        base = base_key(e)
        count = taken.get(base, 0)
        taken[base] = count + 1
        keys[e.key] = base if count == 0 else f"{base}{chr(ord('a') + count - 1)}"
    return keys


class Citations:
    """The BibTeX key and entry of every paper of a site; each entry is made once, when first asked for."""

    def __init__(self, site: Site) -> None:
        self._keys = assign_keys(site.entries)
        self._entries: dict[str, str] = {}

    def key(self, e: Entry) -> str:
        return self._keys[e.key]

    def bibtex(self, e: Entry) -> str:
        if e.key not in self._entries:
            self._entries[e.key] = entry(e, self.key(e))
        return self._entries[e.key]


def entry(e: Entry, key: str) -> str:
    fields: list[tuple[str, str]] = [("title", "{" + latex(e.title) + "}")]
    if e.authors:
        fields.append(("author", " and ".join(latex(a) for a in e.authors)))
    if e.year:
        fields.append(("year", str(e.year)))
    if e.venue and e.venue.lower() != "preprint":
        fields.append(("note", latex(e.venue)))
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
    return f"@misc{{{key},\n{body}\n}}\n"
