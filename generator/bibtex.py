"""BibTeX entries for papers, with stable keys and LaTeX escaping done by pylatexenc.

Keys look like Google Scholar's, ``guu2020realm``: first author's family name,
year, first significant title word. Without authors (metadata not fetched yet) the
key is ``realm2020``. Clashes get ``a``, ``b``, ... in catalogue order, so a key
only changes when the data it is made from changes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING

from pylatexenc.latexencode import UnicodeToLatexEncoder

if TYPE_CHECKING:
    from .model import Entry

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
    text = " ".join(text.split())
    if not _PLAIN.search(text):
        return text
    return _ENCODER.unicode_to_latex(text)


def verbatim(text: str) -> str:
    """A value for a verbatim field (doi, url): kept as is, minus what could end the field."""
    return re.sub(r"[{}\\\s]", "", text)


def _ascii_word(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]", "", text.lower())


def base_key(entry: Entry) -> str:
    words = [_ascii_word(w) for w in re.split(r"[\s\-:/]+", entry.title)]
    word = next((w for w in words if w and w not in _STOPWORDS), "") or next((w for w in words if w), "paper")
    year = str(entry.year or "")
    if entry.authors:
        family = _ascii_word(entry.authors[0].split()[-1]) if entry.authors[0].split() else ""
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
