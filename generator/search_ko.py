"""Korean words inside compounds, for a site's search index.

The search of Material for MkDocs (lunr, in a web worker) and Zensical's both
match a query word against the *start* of the words in the index: ``원핫벡터``
finds ``원핫벡터를``, but ``벡터`` does not, nor ``어텐션`` in ``셀프어텐션`` or
``정리`` in ``학습정리``. This module finds, for each such word, its tails that
start at a morpheme boundary inside it: ``원핫벡터를`` yields ``벡터를`` (which
``벡터`` and ``벡터를`` find), ``피어세션정리`` yields ``세션정리`` and ``정리``.
``search_index`` adds them to the index a builder wrote.

* The words are found by the Korean morphological analyser Kiwi (kiwipiepy): a
  content morpheme (noun, root, foreign word) that starts inside a word, not
  right after a prefix such as 비-, starts a tail.
* Kiwi leaves compounds of loanwords it does not know as one word
  (``원핫벡터``, ``멀티헤드어텐션``, ``배치정규화``). Those are cut again by
  the nouns Kiwi does know, the nouns that stand alone somewhere on the site and
  the unknown pieces that recur in several of them (``멀티|헤드|어텐션``),
  keeping the cut that covers most of the word with known words; a leftover of
  two letters or more is a piece of its own (``원핫|벡터``). A noun is cut the
  same way whatever particle follows it.
* Logs write loanwords with their English in parentheses (``빔서치(Beam Search)``);
  a gloss of several English words says where such a word is cut.

This module knows words, not index files: ``site_inner_words`` takes a site's
words and texts, whatever wrote them.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .errors import StudylogError

_HANGUL = re.compile("[\uac00-\ud7a3]")
_HANGUL_WORD = re.compile("[\uac00-\ud7a3]+")

NOUNS = frozenset({"NNG", "NNP"})
# Morphemes that can start a word inside a compound: nouns, roots, foreign words, Hanja.
CONTENT = frozenset({"NNG", "NNP", "XR", "SL", "SH"})
# What the stem of a word is made of: content, and noun-deriving suffixes (정규-화, 효율-적).
STEM = CONTENT | {"XSN"}
# Kiwi's prefixes: 비지도학습 is not found by 지도학습, nor 역전파 by 전파.
PREFIXES = frozenset({"XPN"})

# What may not follow a particle inside one word (it is a mis-cut compound then).
ODD_AFTER_PARTICLE = frozenset({"MAG", "MM", "NNB", "IC"})
MIN_PIECE = 2  # letters; shorter Hangul pieces (셋 in 데이터셋, 률 in 학습률) are suffixes more often than words
MAX_SPLIT = 24  # longest unknown word the fallback splits (its work grows with the square of the length)


@dataclass(frozen=True)
class Morpheme:
    form: str
    tag: str
    start: int
    end: int
    known: bool = True  # False for a word the analyser guessed (Kiwi's OOV)


Analyse = Callable[[str], Sequence[Morpheme]]


@lru_cache(maxsize=1)
def _kiwi() -> Any:
    try:
        from kiwipiepy import Kiwi
    except ImportError:  # a runtime dependency, but say what to do
        raise StudylogError(
            "Korean search needs the Korean analyser kiwipiepy, which is not installed",
            hint="pip install kiwipiepy, or set `korean_search: false` under `studylog` in mkdocs.yml",
        ) from None
    # The model ships in the kiwipiepy_model package: nothing is downloaded. Without the
    # dictionary of multi-word entries ("자연어 처리"), Kiwi cuts those compounds like any
    # other, loads in half the time and takes 330 MB of memory instead of 520 MB.
    return Kiwi(load_multi_dict=False, load_typo_dict=False)


@lru_cache(maxsize=200_000)
def kiwi_analyse(word: str) -> tuple[Morpheme, ...]:
    """Kiwi's morphemes of one word, with offsets into it (cached: a site repeats its words)."""
    return tuple(Morpheme(t.form, t.tag, t.start, t.start + t.len, not t.oov) for t in _kiwi().tokenize(word))


class Segmenter:
    """Finds the words inside a word. ``vocabulary``: nouns that stand alone on the site."""

    def __init__(
        self, analyse: Analyse = kiwi_analyse, vocabulary: Iterable[str] = (), glosses: Mapping[str, int] | None = None
    ) -> None:
        self.analyse = analyse
        self.vocabulary = {w for w in vocabulary if len(w) >= MIN_PIECE}
        self.glosses = dict(glosses or {})
        """Hangul words the site glosses in English, and how many English words the gloss has."""
        self._known: dict[str, bool] = {}

    def is_known(self, piece: str) -> bool:
        """A noun the analyser knows as one word (가중치 = 가중 + -치 too), or one that
        stands alone on the site."""
        found = self._known.get(piece)
        if found is None:
            if piece in self.vocabulary:
                found = True
            else:
                ms = self.analyse(piece)
                found = (
                    bool(ms)
                    and ms[0].tag in NOUNS
                    and all(m.known for m in ms)
                    and all(m.tag == "XSN" for m in ms[1:])
                    and "".join(m.form for m in ms) == piece
                )
            self._known[piece] = found
        return found

    def pieces(self, noun: str) -> list[tuple[int, int, bool]]:
        """The best cut of a noun into pieces of two letters or more: (start, end, known).

        Of all cuts (never the whole noun as one piece), keep the one whose known
        pieces cover the most letters, then the one with the fewest pieces. An
        unknown piece is never next to another. ``[]`` if no cut has a known piece.
        """
        n = len(noun)
        if n < 2 * MIN_PIECE or n > MAX_SPLIT:
            return []
        # best[i]: (known letters, -pieces, pieces) over noun[:i]
        best: list[tuple[int, int, tuple[tuple[int, int, bool], ...]] | None] = [None] * (n + 1)
        best[0] = (0, 0, ())
        for i in range(n):
            here = best[i]
            if here is None:
                continue
            for j in range(i + MIN_PIECE, n + 1):
                if j - i == n:
                    continue
                known = self.is_known(noun[i:j])
                if not known and here[2] and not here[2][-1][2]:
                    continue
                cand = (here[0] + (j - i if known else 0), here[1] - 1, (*here[2], (i, j, known)))
                old = best[j]
                if old is None or cand[:2] > old[:2]:
                    best[j] = cand
        found = best[n]
        return list(found[2]) if found is not None and found[0] > 0 else []

    def attest(self, words: Iterable[str]) -> None:
        """Learn the unknown pieces that recur: a piece the analyser does not know, found
        in two different unknown nouns of the site (임베딩 in 워드임베딩 and 단어임베딩),
        is taken for a word."""
        seen: dict[str, set[str]] = {}
        for word in words:
            for m in self.analyse(word):
                if m.tag in NOUNS and not m.known:
                    for start, end, known in self.pieces(m.form):
                        if not known:
                            seen.setdefault(m.form[start:end], set()).add(m.form)
        learnt = {piece for piece, nouns in seen.items() if len(nouns) >= 2}
        if learnt:
            self.vocabulary |= learnt
            self._known.clear()

    def _starts(self, word: str, morphemes: Sequence[Morpheme]) -> set[int]:
        starts: set[int] = set()
        for k, m in enumerate(morphemes):
            raw = word[m.start : m.end]
            if m.start > 0 and m.tag in CONTENT and (k == 0 or morphemes[k - 1].tag not in PREFIXES):
                hangul = bool(_HANGUL.match(raw))
                if (hangul and len(raw) >= MIN_PIECE) or (not hangul and _HANGUL.match(word[m.start - 1])):
                    starts.add(m.start)
            if m.tag in NOUNS and m.form == raw:
                if not m.known:
                    starts.update(m.start + a for a in _cuts(self.pieces(raw)))
                elif len(raw) >= 3 * MIN_PIECE:
                    starts.update(m.start + a for a in self._split_known(raw))
        return starts

    def boundaries(self, word: str) -> set[int]:
        """Where the words inside ``word`` start (never 0)."""
        morphemes = self.analyse(word)
        starts = self._starts(word, morphemes)
        # The analyser may cut a word differently once its particle is gone:
        # 질의응답은 is one noun to Kiwi, 질의응답 is 질의 + 응답.
        stem = _stem_length(morphemes)
        if 0 < stem < len(word):
            starts |= self._starts(word[:stem], self.analyse(word[:stem]))
        # A particle inside a word, followed by more (데이터/로/더 for 데이터로더) is the
        # analyser lost in a compound it does not know: cut it into known nouns, if it can be.
        for k, m in enumerate(morphemes[:-1]):
            if m.tag.startswith("J") and morphemes[k + 1].tag in ODD_AFTER_PARTICLE:
                # The longest head of the word that is all known nouns (데이터|로더 of 데이터로더와).
                for end in sorted({x.end for x in morphemes[k + 1 :]}, reverse=True):
                    cut = self.pieces(word[:end]) if _HANGUL_WORD.fullmatch(word[:end]) else []
                    if cut and all(known for _, _, known in cut):
                        starts.update(a for a, _, _ in cut[1:])
                        break
                break
        return {s for s in starts if 0 < s < len(word)}

    def inner_words_of(self, words: Iterable[str]) -> dict[str, list[str]]:
        """``inner_words`` of each of a site's words, learning from all of them first
        (``attest``), and cutting a noun the same way whatever particle follows it:
        the analyser may cut 개체명인식 but not 개체명인식의; both get 인식."""
        hangul = sorted({w for w in words if _HANGUL.search(w)})
        self.attest(hangul)
        cuts = {w: self.boundaries(w) for w in hangul}
        family: dict[str, set[int]] = {
            word: set(self.gloss_cuts(word, parts)) for word, parts in self.glosses.items()
        }
        for word, starts in cuts.items():
            stem = without_particle(word)
            family.setdefault(stem, set()).update(s for s in starts if s < len(stem))
        return {word: _tails(word, starts | family[without_particle(word)]) for word, starts in cuts.items()}

    def inner_words(self, word: str) -> list[str]:
        """The tails of ``word`` that start at a morpheme boundary inside it, particles kept.

        ``원핫벡터를`` -> ``["벡터를"]``; ``피어세션정리`` -> ``["세션정리", "정리"]``;
        ``GPT모델`` -> ``["모델"]``; a word without Hangul, or without a boundary, -> ``[]``.
        With the worker's trailing wildcard, a query finds a word when it starts at
        one of them: 벡터 and 벡터를 find 원핫벡터를.
        """
        return _tails(word, self.boundaries(word)) if _HANGUL.search(word) else []

    def gloss_cuts(self, word: str, parts: int) -> list[int]:
        """Where to cut a word the logs gloss with ``parts`` English words: 빔서치(Beam Search)
        is two words, so 빔|서치, the cut whose known nouns cover most of it.

        Only for words the analyser does not know whole; a gloss of one word (인코더(Encoder),
        텐서플로우(TensorFlow)) never cuts, so 코더 and 플로우 stay out of them.
        """
        n = len(word)
        if not 2 <= parts <= n or n > MAX_SPLIT:
            return []
        whole = self.analyse(word)
        if len(whole) == 1 and whole[0].known and whole[0].form == word:
            return []  # a word the analyser knows (its own cuts apply)
        best: tuple[int, tuple[int, ...]] | None = None
        for cut in itertools.combinations(range(1, n), parts - 1):
            bounds = (0, *cut, n)
            pieces = [word[a:b] for a, b in itertools.pairwise(bounds)]
            known = sum(len(p) for p in pieces if len(p) >= MIN_PIECE and self.is_known(p))
            if known and (best is None or known > best[0]):
                best = (known, cut)
        return list(best[1]) if best else []

    def _split_known(self, noun: str) -> list[int]:
        """A long noun the analyser knows whole (``마스터클래스``): cut it only into known
        pieces of three letters or more, or ones that stand alone on the site."""
        cut = self.pieces(noun)
        if len(cut) > 1 and all(
            known and (end - start >= 3 or noun[start:end] in self.vocabulary) for start, end, known in cut
        ):
            return [start for start, _, _ in cut[1:]]
        return []


def _tails(word: str, starts: Iterable[int]) -> list[str]:
    return [word[s:] for s in sorted(starts) if len(word) - s >= MIN_PIECE or not _HANGUL.match(word[s])]


# Particles and the copula: what ``without_particle`` takes off a word (longest first).
PARTICLES = sorted(
    (
        "에서는", "에서도", "에서의", "에게서", "으로는", "으로도", "으로서", "으로써", "이라는", "이라고",
        "에서", "에게", "한테", "으로", "로는", "로도", "로서", "로써", "까지", "부터", "보다", "처럼",
        "만큼", "이나", "이랑", "에는", "에도", "과는", "와는", "과의", "와의", "라는", "라고", "이다",
        "이고", "이며", "이면", "은", "는", "이", "가", "을", "를", "의", "에", "로", "와", "과", "도",
        "만", "나", "랑",
    ),
    key=len,
    reverse=True,
)


def without_particle(word: str) -> str:
    """``word`` without the particle it ends in, by rule (``데이터로더와`` -> ``데이터로더``)."""
    for particle in PARTICLES:
        if word.endswith(particle) and len(word) - len(particle) >= MIN_PIECE:
            return word[: -len(particle)]
    return word


def _cuts(pieces: list[tuple[int, int, bool]]) -> list[int]:
    """Where to cut a noun of these pieces: before a known piece (원핫|벡터), or before an
    unknown one that follows a known one (가중치|감쇠); not between two guesses."""
    return [
        start for k, (start, _, known) in enumerate(pieces) if k > 0 and (known or pieces[k - 1][2])
    ]


def _stem_length(morphemes: Sequence[Morpheme]) -> int:
    """How long a word's stem is: its leading run of content morphemes and noun suffixes."""
    end = 0
    for m in morphemes:
        if m.tag not in STEM:
            break
        end = max(end, m.end)
    return end


def standalone_nouns(words: Iterable[str], analyse: Analyse = kiwi_analyse) -> set[str]:
    """Nouns that make a whole word on their own, up to particles and endings (``어텐션을`` -> 어텐션)."""
    found = set()
    for word in words:
        if not _HANGUL.search(word):
            continue
        morphemes = analyse(word)
        if (
            morphemes
            and morphemes[0].start == 0
            and morphemes[0].tag in NOUNS
            and len(morphemes[0].form) >= MIN_PIECE
            and morphemes[0].form == word[: morphemes[0].end]
            and not any(m.tag in CONTENT for m in morphemes[1:])
        ):
            found.add(morphemes[0].form)
    return found


# A Hangul word with its English gloss in parentheses, as logs write loanwords: 빔서치(Beam Search).
_GLOSS = re.compile(r"([\uac00-\ud7a3]{2,})[ \t]?\(([A-Za-z][A-Za-z0-9]*(?:[ \t-]+[A-Za-z0-9]+)*)\)")
_ENGLISH_WORD = re.compile(r"[A-Za-z0-9]+")


def _transliterates(hangul: str, english: Sequence[str]) -> bool:
    """Whether ``hangul`` can be ``english`` spelt in Hangul, by length: each English vowel
    group needs a syllable at least. 빔서치 has room for Beam Search; 디코더 has none
    for Decoder-only (3 letters for 5), so that gloss says nothing about where to cut."""
    return sum(max(1, len(re.findall(r"[aeiouy]+", w.lower()))) for w in english) <= len(hangul)


def glosses(texts: Iterable[str]) -> dict[str, int]:
    """Hangul words the texts gloss in English, and how many English words each gloss has
    (``빔서치(Beam Search)`` -> ``{"빔서치": 2}``), when the Hangul has room for them."""
    return {
        hangul: len(english_words)
        for text in texts
        for hangul, english in _GLOSS.findall(text)
        if _transliterates(hangul, english_words := _ENGLISH_WORD.findall(english))
    }


def site_inner_words(words: Iterable[str], texts: Iterable[str], analyse: Analyse = kiwi_analyse) -> dict[str, list[str]]:
    """The inner words of each Hangul word of a site, learnt from all of them at once.

    ``words``: every word the search indexes; ``texts``: the texts they come from (for
    the glosses). The nouns that stand alone among the words, and the glossed loanwords,
    teach the segmenter the site's own vocabulary.
    """
    hangul = {word for word in words if _HANGUL.search(word)}
    return Segmenter(analyse, standalone_nouns(hangul, analyse), glosses(texts)).inner_words_of(hangul)

