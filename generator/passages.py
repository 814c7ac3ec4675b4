"""The passages of a study log, and the snippets quoted from them.

A passage is one run of inline text in a log: a heading, a paragraph, a bullet's
text or a table cell, as Markdown parsed it. Code blocks are not passages (what is
in them is code, not something the log says), nor is raw HTML. A passage keeps
its text as runs of plain text and inline code, with the links in it, so that the
site can quote it around a link or a mention:

* the paper pages' "Discussed in" shows, for each log, the sentence or bullet
  holding the link, with the link marked (:func:`snippet`);
* the search for logs that talk about a paper without linking it reads the
  passages (``mentions``), so a name inside a code block is never a mention.

Pure: markdown-it tokens in, frozen records out; ``logs`` parses each log once
and keeps its passages.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

WIDTH = 160
"""How many characters of a passage a snippet shows at most, around what it marks."""
PARENT_WIDTH = 60
"""How much of the enclosing bullet a snippet shows when the passage is only the link."""
ELLIPSIS = "…"
PARENT_SEPARATOR = " › "

# Where a sentence may end: after ., ! or ? (also Korean 다. 요.) and a space; not after an
# abbreviation (`ex.`, `e.g.`, `et al.`, `Fig.`), a single letter or inside parentheses.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_ABBREVIATION = re.compile(r"(?:\b(?:ex|eg|e\.g|ie|i\.e|etc|vs|cf|fig|al|no|approx|resp|sec|eq)|\b\w)\.$", re.I)
# A task list's box, which Markdown leaves in the text of its bullet.
_TASK_BOX = re.compile(r"\A\[[ xX]\][ \t]+")
# What a passage holds besides its link when it says nothing else: `* [Title](url)`, `- [Title](url):`.
_NOTHING_ELSE = re.compile(r"[\s\W_]*")


@dataclass(frozen=True)
class Run:
    """A piece of a passage's text: plain text or inline code, maybe the text of a link."""

    text: str
    code: bool = False
    href: str | None = None
    """The URL of the link this is the text of."""
    bare: bool = False
    """A link written as text (a bare URL, ``arXiv:2104.08691``): ``href`` is the text as written."""


@dataclass(frozen=True)
class Passage:
    line: int
    """1-based line in the log file where the passage starts."""
    lines: int
    """How many lines of the file it spans."""
    heading: bool
    runs: tuple[Run, ...]
    parent: int | None = None
    """The passage of the bullet this one is nested in (its index in the log's passages)."""

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)

    def spans(self) -> Iterator[tuple[int, int, Run]]:
        """(start, end, run): where each run sits in ``text``."""
        at = 0
        for run in self.runs:
            yield at, at + len(run.text), run
            at += len(run.text)


@dataclass(frozen=True)
class Piece:
    """A piece of a snippet: text or code, marked or not."""

    text: str
    code: bool = False
    marked: bool = False


def passages(tokens: Sequence[Any], offset: int, bare_links: re.Pattern[str] | None = None) -> tuple[Passage, ...]:
    """The passages of a parsed log body, in order. ``offset``: file lines before the body.

    ``bare_links`` finds links written as text (a bare arXiv URL, ``arXiv:2104.08691``):
    each match becomes a run of its own, with the match as its ``href``.
    """
    found: list[Passage] = []
    items: list[int | None] = []  # the first passage of each open list item
    heading = False
    for token in tokens:
        if token.type == "list_item_open":
            items.append(None)
        elif token.type == "list_item_close":
            items.pop()
        elif token.type == "heading_open":
            heading = True
        elif token.type == "heading_close":
            heading = False
        elif token.type == "inline":
            runs = tuple(_runs(token.children or (), bare_links))
            if not runs:
                continue
            start, stop = token.map or (0, 1)
            parent = None
            if items:
                if items[-1] is None:
                    runs = _without_task_box(runs)
                    items[-1] = len(found)
                    parent = next((i for i in reversed(items[:-1]) if i is not None), None)
                else:
                    parent = items[-1]
            found.append(Passage(start + 1 + offset, max(1, stop - start), heading, runs, parent))
    return tuple(found)


def _without_task_box(runs: tuple[Run, ...]) -> tuple[Run, ...]:
    first = runs[0]
    box = _TASK_BOX.match(first.text) if not first.code and first.href is None else None
    if box is None:
        return runs
    rest = first.text[box.end() :]
    return ((Run(rest),) if rest else ()) + runs[1:]


def _runs(children: Iterable[Any], bare_links: re.Pattern[str] | None) -> Iterator[Run]:
    href: str | None = None
    for child in children:
        kind = child.type
        if kind == "link_open":
            href = str(child.attrs.get("href", ""))
        elif kind == "link_close":
            href = None
        elif kind == "code_inline":
            yield Run(child.content, code=True, href=href)
        elif kind in ("softbreak", "hardbreak"):
            yield Run(" ", href=href)
        elif kind == "text" and child.content:
            if href is not None or bare_links is None:
                yield Run(child.content, href=href)
                continue
            at = 0
            for m in bare_links.finditer(child.content):
                if m.start() > at:
                    yield Run(child.content[at : m.start()])
                yield Run(m.group(0), href=m.group(0), bare=True)
                at = m.end()
            if at < len(child.content):
                yield Run(child.content[at:])
        # Images, raw HTML and emphasis markers say nothing a snippet should show.


def snippet(passages: Sequence[Passage], index: int, start: int, end: int, width: int = WIDTH) -> tuple[Piece, ...]:
    """What to quote of passage ``index`` around ``text[start:end]``, which is marked.

    The sentence holding the mark, cut to about ``width`` characters around it
    with "…" where it was cut. A passage that is only the mark (a bullet that is
    one link) is shown after the start of the bullet it is nested in, as
    ``Quality Estimation › TransQuest: ...``.
    """
    passage = passages[index]
    text = passage.text
    lo, hi = _sentence(text, start, end)
    lo, hi, cut_lo, cut_hi = _window(text, lo, hi, start, end, width)
    pieces = _pieces(passage, lo, hi, start, end)
    if cut_lo:
        pieces.insert(0, Piece(ELLIPSIS))
    if cut_hi:
        pieces.append(Piece(ELLIPSIS))
    alone = _NOTHING_ELSE.fullmatch(text[:start] + text[end:]) is not None
    if alone and passage.parent is not None:
        parent = passages[passage.parent]
        head = parent.text
        p_lo, p_hi = _sentence(head, 0, 0)
        p_lo, p_hi, _, p_cut = _window(head, p_lo, p_hi, 0, 0, PARENT_WIDTH)
        before = _pieces(parent, p_lo, p_hi, 0, 0)
        if before:
            if p_cut:
                before.append(Piece(ELLIPSIS))
            pieces = [*before, Piece(PARENT_SEPARATOR), *pieces]
    return tuple(_merge(pieces))


def sentence_starts(text: str) -> list[int]:
    """Where each sentence of ``text`` starts (0 first)."""
    starts = [0]
    for m in _SENTENCE_END.finditer(text):
        before = text[: m.start()]
        if _ABBREVIATION.search(before[-8:]) or before.count("(") > before.count(")"):
            continue
        starts.append(m.end())
    return starts


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """The bounds of the sentence(s) of ``text`` that hold ``text[start:end]``."""
    starts = sentence_starts(text)
    lo = max((s for s in starts if s <= start), default=0)
    later = [s for s in starts if s > max(start, end - 1)]
    return lo, (later[0] if later else len(text))


def _window(text: str, lo: int, hi: int, start: int, end: int, width: int) -> tuple[int, int, bool, bool]:
    """``text[lo:hi]`` cut to about ``width`` around ``[start, end)``, at spaces: (lo, hi, cut before, cut after)."""
    while lo < hi and text[lo].isspace():
        lo += 1
    while hi > lo and text[hi - 1].isspace():
        hi -= 1
    if hi - lo <= width:
        return lo, hi, False, False
    room = max(0, width - (end - start))
    before = min(start - lo, room // 2)
    after = min(hi - end, room - before)
    before = min(start - lo, room - after)
    new_lo, new_hi = start - before, end + after
    if new_lo > lo:
        space = text.find(" ", new_lo, start)
        new_lo = space + 1 if space != -1 else new_lo
    if new_hi < hi:
        space = text.rfind(" ", end, new_hi)
        new_hi = space if space != -1 else new_hi
    return new_lo, new_hi, new_lo > lo, new_hi < hi


def _pieces(passage: Passage, lo: int, hi: int, start: int, end: int) -> list[Piece]:
    """The runs of ``passage`` within ``[lo, hi)``, split where the mark ``[start, end)`` begins and ends."""
    pieces = []
    cuts = sorted({lo, hi, max(lo, min(start, hi)), max(lo, min(end, hi))})
    for a, b, run in passage.spans():
        for x, y in zip(cuts, cuts[1:], strict=False):
            s, e = max(a, x), min(b, y)
            if s < e:
                pieces.append(Piece(run.text[s - a : e - a], run.code, start <= s and e <= end and start < end))
    return pieces


def _merge(pieces: Iterable[Piece]) -> Iterator[Piece]:
    """Neighbouring pieces of text of one kind as one (code spans stay apart)."""
    last: Piece | None = None
    for piece in pieces:
        if last is not None and not last.code and (last.code, last.marked) == (piece.code, piece.marked):
            last = Piece(last.text + piece.text, last.code, last.marked)
            continue
        if last is not None:
            yield last
        last = piece
    if last is not None:
        yield last
