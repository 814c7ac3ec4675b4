"""Related papers: for each paper of the catalogue, the few most like it.

The recipe is arxiv-sanity-lite's: scikit-learn's ``TfidfVectorizer`` over each
paper's text, words and pairs of words (1- and 2-grams), English stop words
dropped, sublinear term frequency (1 + log tf), smoothed idf and rows of unit
length, so that the dot product of two rows is their cosine similarity. A paper's
text is its title (counted twice: a title says what a paper is about more densely
than its abstract), its abstract and the user's notes (without their URLs). Korean
words in notes lose their particles first (``트랜스포머를`` is ``트랜스포머``), by the rule
the search index uses.

* A paper is related to another when their similarity is at least
  :data:`MIN_SIMILARITY`; each paper lists at most :data:`LIMIT`, the most similar
  first. A paper with a title and nothing else is compared by its title.
* Each match says why: the :data:`TERMS` terms whose weights, multiplied across
  the two papers, add the most to their similarity.
* The same inputs give the same lists: ties go to the smaller key (arXiv ID or id).
* Memory stays linear in the catalogue: the matrix is sparse, and similarities
  are computed :data:`BLOCK` papers at a time (a dense float32 block of
  BLOCK x papers), never as one papers x papers matrix.

Pure: entries in, lists out. scikit-learn is imported when the first list is
made, not when the site is loaded.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from .memo import LastBuild, Memo
from .search_ko import without_particle

if TYPE_CHECKING:
    from .model import Entry

LIMIT = 5
"""Related papers a paper lists at most."""
MIN_SIMILARITY = 0.075
"""The cosine similarity below which two papers are not listed as related."""
TERMS = 3
"""Shared terms shown for each match."""
BLOCK = 256
"""Papers whose similarities are computed at once."""

_FIELD = "\x1f"  # between a paper's fields in the text handed to the vectorizer: no pair of words spans two
_URL = re.compile(r"(?:https?://|www\.)\S+", re.I)
_LATEX = re.compile(r"\\[A-Za-z]+")
# arxiv-sanity-lite's words: a letter, then letters and digits (two characters at least); and Hangul
# words. Hyphenated compounds are read whole, then cut: a prefix stays with its word (pre-training
# is pretraining), the other parts are words of their own (text-to-image).
_WORD = re.compile(r"[^\W\d_][^\W_]*(?:-[^\W_]+)*")
_PREFIXES = frozenset({"pre", "post", "re", "non", "multi", "self", "co", "semi", "un", "sub", "cross", "inter",
                       "intra", "bi", "uni", "de", "over", "under", "anti", "auto", "meta", "hyper"})
_HANGUL = re.compile("[\uac00-\ud7a3]")
# Words every abstract uses to say what it does, not what it is about (with scikit-learn's English
# stop words). A catalogue of thousands learns they are common; one of twenty cannot.
ABSTRACT_WORDS = frozenset({
    "able", "achieve", "achieved", "achieves", "al", "approach", "approaches", "art", "based", "better", "called",
    "challenging", "current", "demonstrate", "demonstrated", "demonstrates", "effective", "effectively", "et",
    "existing", "finally", "furthermore", "general", "however", "improve", "improved", "improves", "including",
    "introduce", "introduced", "introduces", "introducing", "led", "method", "methods", "moreover", "need", "new",
    "novel", "paper", "powerful", "present", "presented", "presents", "propose", "proposed", "proposes", "recent",
    "recently", "result", "results", "show", "shown", "shows", "significant", "significantly", "simple", "specific",
    "state", "study", "use", "used", "uses", "using", "way", "work", "works",
})


@dataclass(frozen=True)
class Related:
    entry: Entry
    similarity: float
    """Cosine similarity of the two papers' tf-idf vectors, 0 to 1."""
    terms: tuple[str, ...]
    """The terms that explain the match best, the strongest first."""


def words(text: str) -> list[str]:
    """The words of ``text`` as the vectorizer sees them: lowercased, accents dropped, stop words out."""
    stop = _stop_words()
    found = []
    for token in _WORD.findall(text):
        for word in _parts(token) if "-" in token else (token,):
            if word.isascii():
                word = word.lower()
            elif _HANGUL.search(word):
                word = without_particle(word)
                if len(word) >= 2:
                    found.append(word)
                continue
            else:
                word = "".join(c for c in unicodedata.normalize("NFKD", word.lower()) if not unicodedata.combining(c))
            if word not in stop and len(word) >= 2:
                found.append(word)
    return found


def _parts(token: str) -> list[str]:
    """A hyphenated compound's words: ``pre-trained`` -> pretrained, ``text-to-image`` -> text, to, image."""
    parts: list[str] = []
    prefix = ""
    for part in token.split("-"):
        if part.lower() in _PREFIXES:
            prefix += part
        else:
            parts.append(prefix + part)
            prefix = ""
    if prefix:
        parts.append(prefix)
    return parts


@cache
def _stop_words() -> frozenset[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return ENGLISH_STOP_WORDS | ABSTRACT_WORDS


def terms(document: str) -> list[str]:
    """The features of a document: each field's words and pairs of neighbouring words."""
    found: list[str] = []
    for field in document.split(_FIELD):
        ws = words(field)
        found += ws
        found += [f"{a} {b}" for a, b in zip(ws, ws[1:], strict=False)]
    return found


def document(entry: Entry) -> str:
    """The text a paper is compared by: its title twice, its abstract, its notes."""
    fields = [entry.title, entry.title, entry.abstract or "", entry.paper.notes or ""]
    cleaned = (_LATEX.sub(" ", _URL.sub(" ", f)).replace(_FIELD, " ") for f in fields)
    return _FIELD.join(cleaned)


Neighbours = tuple[tuple[tuple[int, float, tuple[str, ...]], ...], ...]
"""For each paper (by position), its related papers: (position, similarity, shared terms)."""

# Under `mkdocs serve` every save rebuilds the pages, and most saves (a log, a status) leave every
# paper's text as it was: the neighbours are found again only when one changed.
_NEIGHBOURS: Memo[Neighbours] = Memo("related papers", max_chars=32_000_000)


def related_papers(
    entries: Sequence[Entry],
    *,
    limit: int = LIMIT,
    min_similarity: float = MIN_SIMILARITY,
    n_terms: int = TERMS,
) -> dict[str, tuple[Related, ...]]:
    """The related papers of each entry, by key (every key is there, maybe with none)."""
    documents = tuple((e.key, document(e)) for e in entries)
    neighbours = _NEIGHBOURS.get((documents, limit, min_similarity, n_terms),
                                 lambda: _neighbours(documents, limit, min_similarity, n_terms))
    return {e.key: tuple(Related(entries[j], similarity, terms) for j, similarity, terms in found)
            for e, found in zip(entries, neighbours, strict=True)}


def _kept_terms(document: str) -> tuple[str, ...]:
    """:func:`terms`, kept for the next build while the document is the same: a save of one paper's notes
    makes the whole catalogue's tf-idf again, but reads the words of that paper alone."""
    found, _ = _TERMS.get(document, lambda: tuple(map(sys.intern, terms(document))))
    return found


_TERMS: LastBuild[tuple[str, ...]] = LastBuild("related papers' terms")


def _neighbours(documents: tuple[tuple[str, str], ...], limit: int, min_similarity: float,
                n_terms: int) -> Neighbours:
    found: list[tuple[tuple[int, float, tuple[str, ...]], ...]] = [() for _ in documents]
    if len(documents) < 2:
        return tuple(found)
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    _TERMS.next_build()
    vectorizer = TfidfVectorizer(analyzer=_kept_terms, sublinear_tf=True, norm="l2", use_idf=True, smooth_idf=True,
                                 dtype=np.float32)
    try:
        matrix = vectorizer.fit_transform([text for _, text in documents]).tocsr()
    except ValueError:  # not one word in the whole catalogue
        return tuple(found)
    matrix.sort_indices()
    names = vectorizer.get_feature_names_out()
    # Ties go to the smaller key: each paper's rank among the keys.
    order = np.argsort(np.array([key for key, _ in documents], dtype=object), kind="stable")
    rank = np.empty(len(documents), dtype=np.int64)
    rank[order] = np.arange(len(documents))
    is_pair = np.array([" " in name for name in names], dtype=bool)
    transposed = matrix.T.tocsc()
    for first in range(0, len(documents), BLOCK):
        # Rounded, so that a difference in the last bits of a float never decides the order.
        block = np.round((matrix[first : first + BLOCK] @ transposed).toarray().astype(np.float64), 6)
        for row, sims in enumerate(block):
            i = first + row
            sims[i] = -1.0
            candidates = np.flatnonzero(sims >= min_similarity)
            if len(candidates) > limit:  # keep the best, and whatever ties with the last of them
                kth = np.partition(sims[candidates], len(candidates) - limit)[len(candidates) - limit]
                candidates = candidates[sims[candidates] >= kth]
            if not len(candidates):
                continue
            best = candidates[np.lexsort((rank[candidates], -sims[candidates]))[:limit]]
            found[i] = tuple((int(j), float(sims[j]), _shared_terms(matrix, names, is_pair, i, j, n_terms))
                             for j in best)
    return tuple(found)


def _shared_terms(matrix: Any, names: Any, is_pair: Any, i: int, j: int, n: int) -> tuple[str, ...]:
    """The terms that add most to the similarity of papers i and j (weight in i x weight in j).

    A word inside a pair already shown (``language`` after ``language model``) says
    nothing more and is skipped.
    """
    import numpy as np

    a = slice(matrix.indptr[i], matrix.indptr[i + 1])
    b = slice(matrix.indptr[j], matrix.indptr[j + 1])
    shared, in_a, in_b = np.intersect1d(matrix.indices[a], matrix.indices[b], assume_unique=True, return_indices=True)
    if not len(shared):
        return ()
    weight = np.round(matrix.data[a][in_a].astype(np.float64) * matrix.data[b][in_b], 9)
    chosen: list[str] = []
    covered: set[str] = set()
    # Ties: a pair of words before a word (it says more), then the vocabulary's (alphabetical) order.
    for k in np.lexsort((shared, ~is_pair[shared], -weight)):
        term = str(names[shared[k]])
        parts = term.split(" ")
        if all(p in covered for p in parts):
            continue
        if len(parts) > 1:
            chosen = [t for t in chosen if t not in parts]
        chosen.append(term)
        covered.update(parts)
        if len(chosen) == n:
            break
    return tuple(chosen)
