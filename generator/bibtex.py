"""Citations: each paper's BibTeX key and entry, made once per build, with LaTeX escaping by pylatexenc.

:class:`Citations` is the one place keys are decided; the paper pages, ``papers.bib``
and the CSL-JSON export all ask it. Keys look like Google Scholar's,
``guu2020realm``: first author's family name, year, first significant title word.
Without authors (metadata not fetched yet) the key is ``realm2020``. Clashes get
``a``, ``b``, ... in catalogue order, so a key only changes when the data it is
made from changes.
"""

from __future__ import annotations

import itertools
import re
import string
from collections.abc import Iterator, Sequence

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


def _suffixes() -> Iterator[str]:
    """``a`` to ``z``, then ``aa``, ``ab``, ...: letters that tell clashing keys apart and stay valid in BibTeX."""
    for length in itertools.count(1):
        for letters in itertools.product(string.ascii_lowercase, repeat=length):
            yield "".join(letters)


def assign_keys(entries: Sequence[Entry]) -> dict[str, str]:
    """A unique BibTeX key for every entry, keyed by the entry's site key.

    A clash takes the first free letters; a key that is some entry's own base key is
    never given to another, so ``REALM`` twice and ``Realma`` make three keys.
    """
    bases = [base_key(e) for e in entries]
    reserved = set(bases)
    used: set[str] = set()
    keys: dict[str, str] = {}
    for e, base in zip(entries, bases, strict=True):
        key = base
        if key in used:
            key = next(base + s for s in _suffixes() if base + s not in used and base + s not in reserved)
        used.add(key)
        keys[e.key] = key
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
