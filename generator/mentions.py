"""Logs about a paper that do not link it: found by the paper's names in their text.

A log that writes "BERT 논문을 읽었다" or "Attention Is All You Need" without a link is
about that paper as much as one that links it, and the paper page suggests it.
This has to be conservative: logs name models in passing all the time ("BERT 같은
모델"), and a wrong suggestion is worse than a missing one. So:

* **Names.** Each paper is known by what identifies it alone in the catalogue: its
  full title (three words or more); its short name, the part of the title before
  a colon (``REALM``, ``BERTScore``, ``Style Transformer``); the model names in its
  title that look like names (``Megatron-LM``, ``deepQuest``; not an acronym such as
  ``GPU``); a name its abstract introduces ("a new model called BERT", "we train
  GPT-3"); its first author's surname, as cited ("Devlin et al."); and the Hangul
  spelling the logs give a name (``버트(BERT)`` teaches 버트). A name two papers share,
  and a one-word name that the catalogue also uses as an ordinary word
  (``Transformer``), identifies neither and is dropped.
* **Matching.** Logs are read as passages (``passages``): code blocks never count. Latin
  names match whole words, case aside, whatever Hangul particle follows (``BERT를``).
  A Hangul name matches a word that is the name followed by particles or endings,
  as the Korean analyser Kiwi cuts it (``버트를``, ``버트였다``), or, where Kiwi cuts it
  otherwise, by the particle rule the search uses.
* **Evidence.** Each passage counts once, by its strongest mention: the full title,
  a name followed by 논문 / paper ("BERT 논문"), or an author cited with the
  paper's year count 3; an author cited without the year, or a name in a heading,
  2; a name in the text, 1. A passage naming the paper that also says 리뷰, 제안,
  실험, 구조, ... adds 1, once. A log is suggested from :data:`THRESHOLD` (3): the
  paper named in three passages, or in a heading and a passage, or referred to
  as a paper once; a model named in passing, once or twice, is not enough.

Logs that link the paper are never suggested (they are already "Discussed in").
The names are indexed once, and each log is read once: the cost grows with the
size of the logs, not with logs x papers.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .logs import Log
from .memo import LastBuild
from .passages import Passage, sentence_starts
from .search_ko import Analyse, kiwi_analyse, without_particle

if TYPE_CHECKING:
    from .model import Site

THRESHOLD = 3
"""The evidence from which a log is suggested."""
LIMIT = 5
"""Logs a paper suggests at most."""

TITLE, NAME, AUTHOR = "title", "name", "author"

# Latin words as names are made of: letters and digits, hyphenated compounds whole (Megatron-LM).
_TOKEN = re.compile(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*")
_SIZE = re.compile(r"(?:-(?:base|large|small|tiny|mini|medium|xl|xxl|uncased|cased))+$", re.I)
_HANGUL_WORD = re.compile("[\uac00-\ud7a3]+")
_HAS_WORD = re.compile(r"\w")
# A whole token in lower case (not the tail of deepQuest, nor a part of Megatron-LM).
_LOWER_TOKEN = re.compile(r"(?<![A-Za-z0-9-])[a-z0-9]+(?:-[a-z0-9]+)*(?![A-Za-z0-9-])")
# What a short name is separated from the rest of a title by.
_SHORT_NAME = re.compile(r"^(.{2,40}?)\s*(?::|\s--?\s|\s—\s)")
# Sentences of an abstract that introduce a name.
_INTRODUCED = re.compile(
    r"\b(?:called|named|dubbed|termed|coined)\s+([A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*)"
    r"|\b[Ww]e\s+(?:propose|introduce|present|train|release)\s+"
    r"(?:(?:a|an|the|new|novel|simple|method|approach|model|framework|technique)\s+){0,4}"
    r"([A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*)"
)
_CITED = re.compile(r"\s*(?:et\.?\s*al\.?|등|외)")
_YEAR = re.compile(r"[\s,(]*((?:19|20)\d\d)")
# The particles of a subject or topic, right after a name: BERT는, TransQuest가.
_SUBJECT = re.compile(r"(?:은|는|이|가)(?![\uac00-\ud7a3])")
_AS_PAPER = re.compile(r"\s*(?:의\s*)?(?:논문|paper)", re.I)
_GLOSS = re.compile(r"([\uac00-\ud7a3]{2,})[ \t]?\(([A-Za-z][^()]{0,60})\)")
CUES = ("리뷰", "review", "제안", "propose", "저자", "author", "실험", "experiment", "구조", "아키텍처",
        "architecture", "핵심", "요약", "summary", "읽")
"""Words that say a passage is about a paper's content, not a passing name."""
# Kiwi's tags that may follow a name inside one word: particles, endings, the copula, the plural 들.
_GRAMMAR_TAGS = ("J", "E", "VCP")
_STOP = frozenset({"the", "and", "for", "with", "from", "this", "that", "are", "not", "too", "all", "you", "need",
                   "is", "of", "on", "in", "to", "a", "an"})


@dataclass(frozen=True)
class Mention:
    """A log that names a paper without linking it."""

    log: Log
    score: int
    """The evidence (see the module's docstring); at least :data:`THRESHOLD`."""
    passage: int
    """The passage quoted: the one with the strongest mention."""
    start: int
    end: int
    """Where the mention is in that passage's text."""


@dataclass(frozen=True)
class _Name:
    key: str
    kind: str
    tokens: tuple[str, ...]


@dataclass(frozen=True)
class _Hit:
    key: str
    passage: int
    sentence: int
    start: int
    end: int
    weight: int
    subject: bool = False
    """The name starts its sentence as its subject (``BERT는 ...``, ``TransQuest가 ...``)."""


def tokens(text: str) -> list[str]:
    return [_normal(m.group(0)) for m in _TOKEN.finditer(text)]


def _normal(token: str) -> str:
    return _SIZE.sub("", token).lower() or token.lower()


def name_like(word: str, *, acronyms: bool = False) -> bool:
    """Whether a word of a title looks like a name: ``BERTScore``, ``Megatron-LM``, ``GPT-3``, ``T5``.

    Not a capitalised word (``Zero-Shot``); an acronym alone (``GPT``, ``GPU``) only with ``acronyms``.
    """
    parts = word.split("-")
    if not acronyms and len(parts) == 1 and word.isalpha() and word.isupper():
        return False
    if len(parts) > 1 and len(parts[0]) == 1 and parts[0].isupper():
        return True  # P-tuning, T-Few
    for part in parts:
        letters = any(c.isalpha() for c in part)
        if letters and any(c.isdigit() for c in part):
            return True
        if any(c.isupper() for c in part[1:]) and not (part.isupper() and len(part) < 2):
            return True
    return False


@dataclass(frozen=True)
class _Catalogue:
    """The names the catalogue gives its papers, looked up by first word (the logs' part is the aliases)."""

    by_first: dict[str, list[_Name]]
    authors: dict[str, list[str]]
    years: dict[str, int | None]


def _catalogue(site: Site) -> _Catalogue:
    names = list(_names(site))
    ordinary = _ordinary_words(site)
    best: dict[tuple[str, tuple[str, ...]], dict[str, int]] = {}
    for priority, name in names:
        if len(name.tokens) == 1 and name.kind != AUTHOR:
            word = name.tokens[0]
            if word in ordinary or word in _STOP or (len(word) < 3 and not any(c.isdigit() for c in word)):
                continue
        owners = best.setdefault((name.kind, name.tokens), {})
        owners[name.key] = max(priority, owners.get(name.key, 0))
    by_first: dict[str, list[_Name]] = {}
    authors: dict[str, list[str]] = {}
    for (kind, toks), owners in best.items():
        top = max(owners.values())
        keys = [k for k, p in owners.items() if p == top]
        if kind == AUTHOR:
            authors.setdefault(toks[0], []).extend(sorted(owners))
            continue
        if len(keys) != 1:
            continue  # two papers go by this name: it names neither
        by_first.setdefault(toks[0], []).append(_Name(keys[0], kind, toks))
    for found in by_first.values():
        found.sort(key=lambda n: (-len(n.tokens), n.kind, n.key))
    return _Catalogue(by_first, authors, {e.key: e.year for e in site.entries})


def _catalogue_inputs(site: Site) -> tuple[object, ...]:
    """Everything of the site that :func:`_catalogue` reads (``_names``, ``_ordinary_words``, the years)."""
    return (tuple(t.title for t in site.topics), tuple(r.resource.title for r in site.resources),
            tuple((e.key, e.paper.title, e.record.title if e.record else None, e.title, e.abstract,
                   e.authors[:1], e.year) for e in site.entries))


def _glosses(passages: Sequence[Passage]) -> tuple[tuple[str, str], ...]:
    """The (Hangul, Latin) pairs a log's passages gloss: ``버트(BERT)``."""
    return tuple(pair for passage in passages for pair in _GLOSS.findall(passage.text))


class NameIndex:
    """Every paper's names, looked up by first word; built once per site."""

    def __init__(self, site: Site, analyse: Analyse = kiwi_analyse, catalogue: _Catalogue | None = None,
                 glosses: Iterable[tuple[str, str]] | None = None) -> None:
        """``catalogue`` and ``glosses``, when given, are :func:`_catalogue` of ``site`` and the
        :func:`_glosses` of all its logs' passages."""
        self.analyse = analyse
        found = catalogue or _catalogue(site)
        self.by_first, self.authors, self.years = found.by_first, found.authors, found.years
        if glosses is None:
            glosses = (pair for log in site.logs for pair in _glosses(log.passages))
        self.aliases = self._aliases(glosses)

    def _aliases(self, glosses: Iterable[tuple[str, str]]) -> dict[str, str]:
        """Hangul spellings the logs gloss with a paper's name: 버트(BERT) -> 버트 is BERT."""
        glossed: dict[str, set[str]] = {}
        for hangul, english in glosses:
            toks = tuple(tokens(english))
            name = self._lookup(toks)
            if name is not None and name.kind == NAME:
                glossed.setdefault(hangul, set()).add(name.key)
            elif toks:
                glossed.setdefault(hangul, set()).add("")
        return {hangul: next(iter(keys)) for hangul, keys in glossed.items() if len(keys) == 1 and "" not in keys}

    def _lookup(self, toks: tuple[str, ...]) -> _Name | None:
        for name in self.by_first.get(toks[0], []) if toks else []:
            if name.tokens == toks:
                return name
        return None

    def hits(self, passages: Sequence[Passage]) -> Iterator[_Hit]:
        """Every mention of a paper's name in a log's passages."""
        for index, passage in enumerate(passages):
            text = passage.text
            starts = sentence_starts(text)
            found = list(self._latin(index, passage, text))
            if self.aliases:
                found += self._hangul(index, passage, text)
            for key, start, end, weight in found:
                sentence = bisect_right(starts, start) - 1
                subject = bool(_SUBJECT.match(text, end)) and not _HAS_WORD.search(text[starts[sentence] : start])
                if subject and weight == 1:
                    weight = 2
                yield _Hit(key, index, sentence, start, end, weight, subject)

    def _latin(self, index: int, passage: Passage, text: str) -> Iterator[tuple[str, int, int, int]]:
        found = [(m.start(), m.end(), _normal(m.group(0)), m.group(0)) for m in _TOKEN.finditer(text)]
        k = 0
        while k < len(found):
            start, end, word, raw = found[k]
            matched = 0
            for name in self.by_first.get(word, ()):
                n = len(name.tokens)
                if k + n > len(found) or any(found[k + j][2] != t for j, t in enumerate(name.tokens)):
                    continue
                if any(_HAS_WORD.search(text[found[k + j][1] : found[k + j + 1][0]]) for j in range(n - 1)):
                    continue  # the words of a name are next to each other, with nothing but spaces or marks
                stop = found[k + n - 1][1]
                yield name.key, start, stop, self._weight(name.kind, passage, text, stop)
                matched = n
                break
            if not matched and raw[:1].isupper() and word in self.authors:
                cited = _CITED.match(text, end)
                if cited:
                    year = _YEAR.match(text, cited.end())
                    keys = self.authors[word]
                    if year:  # a year that is not the paper's says it is another paper
                        keys = [key for key in keys if str(self.years.get(key)) == year.group(1)]
                    if len(keys) == 1:
                        yield keys[0], start, year.end() if year else cited.end(), 3 if year else 2
            k += max(1, matched)

    def _hangul(self, index: int, passage: Passage, text: str) -> Iterator[tuple[str, int, int, int]]:
        for m in _HANGUL_WORD.finditer(text):
            word = m.group(0)
            for length in range(len(word), 1, -1):
                key = self.aliases.get(word[:length])
                if key is not None and (length == len(word) or self._grammar_after(word, length)):
                    stop = m.start() + length
                    yield key, m.start(), stop, self._weight(NAME, passage, text, stop)
                    break

    def _grammar_after(self, word: str, length: int) -> bool:
        """Whether ``word`` is a name of ``length`` letters and then only particles or endings (버트를, 버트였다)."""
        morphemes = self.analyse(word)
        after = [m for m in morphemes if m.start >= length]
        cut = any(m.end == length for m in morphemes) and all(m.end <= length or m.start >= length for m in morphemes)
        if cut and after and all(m.tag.startswith(_GRAMMAR_TAGS) or m.form == "들" for m in after):
            return True
        return without_particle(word) == word[:length]  # the analyser cut it otherwise: the search's rule

    @staticmethod
    def _weight(kind: str, passage: Passage, text: str, stop: int) -> int:
        if kind == TITLE or _AS_PAPER.match(text, stop):
            return 3
        return 2 if passage.heading else 1


_CATALOGUES: LastBuild[tuple[tuple[object, ...], _Catalogue]] = LastBuild("paper names")
_GLOSSED: LastBuild[tuple[tuple[Passage, ...], tuple[tuple[str, str], ...]]] = LastBuild("logs' glosses")
_HITS: LastBuild[tuple[tuple[object, ...], tuple[_Hit, ...]]] = LastBuild("names in logs")
"""Under `mkdocs serve`, what the last build found, so that a save reads again only the logs (and
the names) it changed: the catalogue's names by what they are made of, each log's glosses by its
passages, each log's mentions by its passages, the names and the aliases."""


def mentions(site: Site, analyse: Analyse = kiwi_analyse) -> dict[str, tuple[Mention, ...]]:
    """The logs about each paper that do not link it, by paper key: the strongest evidence first."""
    for kept in (_CATALOGUES, _GLOSSED, _HITS):
        kept.next_build()
    inputs = _catalogue_inputs(site)
    catalogue = _CATALOGUES.get("", lambda: (inputs, _catalogue(site)), lambda kept: kept[0] == inputs)[0][1]
    index = NameIndex(site, analyse, catalogue, (pair for log in site.logs for pair in _glossed(log)))
    linked = {e.key: {log.src for log in e.discussed_in} for e in site.entries}
    found: dict[str, list[Mention]] = {}
    for log in site.logs:
        hits = _hits(index, catalogue, log)
        named: dict[tuple[int, int], set[str]] = {}
        for hit in hits:
            named.setdefault((hit.passage, hit.sentence), set()).add(hit.key)
        by_paper: dict[str, list[_Hit]] = {}
        for hit in hits:
            by_paper.setdefault(hit.key, []).append(hit)
        for key, found_hits in by_paper.items():
            if log.src in linked.get(key, ()):
                continue
            others = {unit for unit, keys in named.items() if keys - {key}}
            mention = _evidence(log, found_hits, others)
            if mention is not None:
                found.setdefault(key, []).append(mention)
    return {
        key: tuple(sorted(ms, key=lambda m: (-m.score, -m.log.date.toordinal(), m.log.src))[:LIMIT])
        for key, ms in found.items()
    }


def _glossed(log: Log) -> tuple[tuple[str, str], ...]:
    """:func:`_glosses` of a log, kept by its passages."""
    passages = log.passages
    kept, _ = _GLOSSED.get(log.src, lambda: (passages, _glosses(passages)), lambda kept: kept[0] == passages)
    return kept[1]


def _hits(index: NameIndex, catalogue: _Catalogue, log: Log) -> tuple[_Hit, ...]:
    """``index.hits`` of a log, kept by its passages, the names (``catalogue``, the very one, which is kept while
    what it is made of is equal), the aliases and the analyser."""
    made_of = (log.passages, catalogue, index.aliases, index.analyse)

    def same(kept: tuple[tuple[object, ...], tuple[_Hit, ...]]) -> bool:
        was = kept[0]
        return was[0] == made_of[0] and was[1] is catalogue and was[2] == made_of[2] and was[3] is made_of[3]

    found, _ = _HITS.get(log.src, lambda: (made_of, tuple(index.hits(log.passages))), same)
    return found[1]


def _evidence(log: Log, hits: Sequence[_Hit], others: set[tuple[int, int]]) -> Mention | None:
    """Each sentence counts once, by its strongest mention. A plain mention in a sentence
    that names another paper too (a list, a comparison: ``RoBERTa는 BERT를 ...``) counts
    nothing, and a cue counts only in a sentence that names no other paper.
    ``others``: the sentences that name another paper."""
    strongest: dict[tuple[int, int], _Hit] = {}
    for hit in hits:
        unit = (hit.passage, hit.sentence)
        if hit.weight == 1 and unit in others:
            continue
        kept = strongest.get(unit)
        if kept is None or hit.weight > kept.weight:
            strongest[unit] = hit
    if not any(hit.weight >= 2 for hit in strongest.values()):
        return None  # a name in passing, however often, is not a log about the paper
    score = sum(hit.weight for hit in strongest.values())
    if any(
        unit not in others and any(cue in _sentence(log, hit).lower() for cue in CUES)
        for unit, hit in strongest.items()
    ):
        score += 1
    if score < THRESHOLD:
        return None
    best = max(strongest.values(), key=lambda h: (h.weight, not log.passages[h.passage].heading, -h.passage))
    return Mention(log, score, best.passage, best.start, best.end)


def _sentence(log: Log, hit: _Hit) -> str:
    text = log.passages[hit.passage].text
    starts = sentence_starts(text)
    return text[starts[hit.sentence] : starts[hit.sentence + 1] if hit.sentence + 1 < len(starts) else len(text)]


def _names(site: Site) -> Iterator[tuple[int, _Name]]:
    """(priority, name) for every name of every paper; a higher priority wins a name two papers share."""
    topic_titles = {tuple(tokens(t.title)) for t in site.topics} | {tuple(tokens(r.resource.title)) for r in site.resources}
    for e in site.entries:
        title = e.paper.title or (e.record.title if e.record else None)
        if not title:
            continue
        whole = tuple(tokens(title))
        if len(whole) >= 3:
            yield 3, _Name(e.key, NAME if whole in topic_titles else TITLE, whole)
        short = _SHORT_NAME.match(title)
        if short and 1 <= len(tokens(short.group(1))) <= 4:
            yield 3, _Name(e.key, NAME, tuple(tokens(short.group(1))))
        for m in _TOKEN.finditer(title):
            if name_like(m.group(0)):
                yield 1, _Name(e.key, NAME, (_normal(m.group(0)),))
        for m in _INTRODUCED.finditer(e.abstract or ""):
            word = m.group(1) or m.group(2)
            if name_like(word, acronyms=len(word) >= 3):
                yield 2, _Name(e.key, NAME, (_normal(word),))
        if e.authors:
            surname = e.authors[0].split()[-1] if e.authors[0].split() else ""
            if len(surname) >= 3 and surname.isascii() and surname.isalpha():
                yield 1, _Name(e.key, AUTHOR, (surname.lower(),))


def _ordinary_words(site: Site) -> set[str]:
    """Words the catalogue writes in lower case somewhere: words, not names (``transformer``)."""
    found: set[str] = set()
    for e in site.entries:
        for text in (e.title, e.abstract or ""):
            found.update(_LOWER_TOKEN.findall(text))
    return found


__all__ = ["CUES", "LIMIT", "THRESHOLD", "Mention", "NameIndex", "mentions", "name_like", "tokens"]

