"""Mentoring Q&A: find the questions in a log and their answers, in every form logs write them.

A question starts with ``Q.`` (or ``Q:``, ``Q)``, ``Q1.``), optionally in
bold (``**Q. ...**`` or ``**Q.** ...``), and is one of:

- a **list item**. Its answer is what is nested below it, plus sibling items right
  after it that start with ``A.``, ``A:`` or ``답변)``. Loose lists (blank lines
  between items) and questions nested under another bullet work the same.
- a **paragraph** (``Q: ...``). Its answer is the rest of the paragraph (lines from
  the first ``A:``, ``답변)`` or ``: `` definition line on; all of it after a bold
  question) and the blocks after it: ``A:`` paragraphs, lists, code, tables.
- a **heading** (``#### Q. ...``). Its answer is everything below it up to the next
  heading of its level or higher: a paragraph, a ``: `` definition line, bullets.

Each form stops at the next question, heading or rule. Nested items that are
questions themselves (``Q.``, ``추가 질문:``, or ending with ``?``) are follow-ups:
they are attached to the question with their own answers and are not part of its
answer, so a question that only has follow-ups is unanswered.

Parsing goes through markdown-it, so nothing inside code blocks is ever taken
(``A.Resize(256, 256)`` in a code block is code, not an answer).

Each question gets an anchor ``qa-N`` (N counts from 1 in the log), which the site
inserts into the rendered log (at the start of the item, paragraph or heading
text) so the Q&A index links to the exact place.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.token import Token

ANCHOR_PREFIX = "qa-"

_BOLD = r"(?:\*\*|__)"
# After a prefix: a space, the end, or Hangul right away ("Q.원핫벡터"), never code ("A.Resize").
_AFTER = r"(?:[ \t]+|$|(?=[\uac00-\ud7a3]))"
_QUESTION = re.compile(
    rf"^(?P<bold>{_BOLD})?[ \t]*Q[ \t]*\d{{0,3}}[ \t]*[.:)](?P<closed>{_BOLD})?{_AFTER}(?P<rest>.*)$", re.S
)
# Every question form has this somewhere in it (follow-ups only count under a question).
_MAYBE_QUESTION = re.compile(r"Q[ \t]*\d{0,3}[ \t]*[.:)]")
_ANSWER = re.compile(rf"^{_BOLD}?[ \t]*(?:A|답변|답)[ \t]*\d{{0,3}}[ \t]*[.:)]{_BOLD}?{_AFTER}(?P<rest>.*)$", re.S)
_DEFINITION = re.compile(r"^:[ \t]+(?P<rest>.*)$", re.S)
# Lines inside a question's paragraph that start its answer without an "A." prefix.
_ARROW = re.compile(r"^(?:→|->|=>|⇒|ㄴ|└|↳)[ \t]")
_FOLLOWUP = re.compile(
    rf"^{_BOLD}?[ \t]*(?:(?:추가|꼬리|후속)[ \t]*질문|follow[- ]?up(?:[ \t]+questions?)?)"
    rf"[ \t]*\d{{0,3}}[ \t]*[.:)]?{_BOLD}?[ \t]*(?P<rest>.*)$",
    re.S | re.I,
)
# Where the text of a line starts: after blockquote markers, a list marker or heading hashes.
_LINE_PREFIX = re.compile(r"^((?:[ \t]*>)*[ \t]*(?:(?:[*+-]|\d{1,9}[.)])[ \t]+)?(?:#{1,6}[ \t]+)?)")
_ITEM_MARKER = re.compile(r"^(?P<lead>[ \t]*(?:[*+-]|\d{1,9}[.)])[ \t]+)(?P<text>.*)$")


@dataclass(frozen=True)
class FollowUp:
    """A question asked under another question (``* Q.`` nested in ``* Q.``, ``추가 질문: ...``)."""

    text: str
    """The follow-up question as inline Markdown, without its prefix."""
    answer: str
    """Its answer as block Markdown; empty when unanswered."""
    line: int
    """1-based line of the follow-up in the text it was found in."""

    @property
    def answered(self) -> bool:
        return bool(self.answer.strip())


@dataclass(frozen=True)
class Question:
    text: str
    """The question, as inline Markdown, without its ``Q.`` prefix."""
    answer: str
    """The answer as block Markdown (often a list); empty when unanswered."""
    line: int
    """1-based line of the question in the text it was found in."""
    anchor: str
    followups: tuple[FollowUp, ...] = ()
    """Questions asked under this one, in order; not part of ``answer``."""
    form: str = "list"
    """How the log writes it: ``list`` (a bullet), ``paragraph`` or ``heading``."""

    @property
    def answered(self) -> bool:
        return bool(self.answer.strip())


def parser() -> MarkdownIt:
    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


def find_questions(body: str, *, tokens: list[Token] | None = None) -> tuple[Question, ...]:
    """Every question in ``body``, in order, with its answer and follow-ups."""
    if not _MAYBE_QUESTION.search(body):
        return ()  # most pages hold no question; parsing them would cost most of the time
    tokens = tokens if tokens is not None else parser().parse(body)
    finder = _Finder(body.splitlines(), tokens)
    return tuple(finder.run())


def add_anchors(body: str, questions: tuple[Question, ...] | None = None) -> str:
    """``body`` with an empty ``<a id="qa-N">`` at the start of each question's text.

    The anchor goes after the list marker, the heading hashes or the blockquote
    marker, so the rendered page looks the same; the anchors give the Q&A index
    exact targets.
    """
    questions = find_questions(body) if questions is None else questions
    if not questions:
        return body
    lines = body.split("\n")
    for q in questions:
        index = q.line - 1
        if not 0 <= index < len(lines):
            continue
        line = lines[index]
        tag = f'<a id="{q.anchor}"></a>'
        if tag in line:
            continue
        cut = _LINE_PREFIX.match(line).end()  # type: ignore[union-attr]  # the pattern matches any line
        lines[index] = f"{line[:cut]}{tag}{line[cut:]}"
    return "\n".join(lines)


# -- The walk over markdown-it's tokens ----------------------------------------------------------

_LISTS = ("bullet_list_open", "ordered_list_open")


@dataclass(frozen=True)
class _Head:
    """A question (or follow-up) as read from the first paragraph of its block."""

    text: str
    answer_from: int | None
    """0-based source line where the answer starts inside that same paragraph, if it does."""


class _Finder:
    def __init__(self, lines: list[str], tokens: list[Token]) -> None:
        self.lines = lines
        self.tokens = tokens
        self.code = {n for tok in tokens if tok.type in ("fence", "code_block") for n in _lines_of(tok)}

    def run(self) -> Iterator[Question]:
        count = 0
        i = 0
        while i < len(self.tokens):
            kind = self.tokens[i].type
            anchor = f"{ANCHOR_PREFIX}{count + 1}"
            found: tuple[Question, int] | None = None
            if kind == "list_item_open":
                found = self._list_question(i, anchor)
            elif kind == "heading_open":
                found = self._block_question(i, anchor, "heading")
            elif kind == "paragraph_open":
                found = self._block_question(i, anchor, "paragraph")
            if found is None:
                i += 1
                continue
            question, i = found
            count += 1
            yield question

    # -- The three forms -----------------------------------------------------------------------

    def _list_question(self, start: int, anchor: str) -> tuple[Question, int] | None:
        """A ``* Q.`` item: what is nested in it and ``* A.`` siblings after it answer it."""
        tokens = self.tokens
        head = self._head(_first_inline(tokens, start), _QUESTION)
        if head is None:
            return None
        item_end = _closing(tokens, start)
        lines, followups = self._item_content(start, item_end, head, split_followups=True)
        j = item_end + 1
        while j < len(tokens) and tokens[j].type == "list_item_open":
            sibling = _first_inline(tokens, j)
            if sibling is None or not _ANSWER.match(sibling.content):
                break
            lines.update(_lines_of(tokens[j]))
            j = _closing(tokens, j) + 1
        line = _lines_of(tokens[start]).start + 1
        return Question(head.text, self._answer(lines), line, anchor, tuple(followups), "list"), j

    def _block_question(self, start: int, anchor: str, form: str) -> tuple[Question, int] | None:
        """A ``Q:`` paragraph or a ``#### Q.`` heading: the blocks after it answer it."""
        tokens = self.tokens
        head = self._head(tokens[start + 1], _QUESTION)
        if head is None:
            return None
        span = _lines_of(tokens[start])
        lines: set[int] = set()
        explicit = head.answer_from is not None
        if head.answer_from is not None:
            lines.update(range(head.answer_from, span.stop))
        level = int(tokens[start].tag[1:]) if form == "heading" else 0
        followups: list[FollowUp] = []
        k = _closing(tokens, start) + 1
        # Siblings only: a closing token ends the container the question sits in.
        while k < len(tokens) and tokens[k].nesting != -1:
            tok = tokens[k]
            end = _closing(tokens, k)
            if tok.type == "hr" or self._is_question(k):
                break
            if tok.type == "heading_open" and (form != "heading" or int(tok.tag[1:]) <= level):
                break
            if tok.type == "paragraph_open":
                text = tokens[k + 1].content
                prefixed = bool(_ANSWER.match(text) or _DEFINITION.match(text))
                if form == "paragraph" and explicit and not prefixed:
                    break  # "Q: ... / A: ..." ends at the first paragraph that is not an "A:".
                explicit = explicit or prefixed
                lines.update(_lines_of(tok))
            elif tok.type in _LISTS:
                item_lines, item_followups, resume = self._list_items(k, end, new_questions=True)
                lines.update(item_lines)
                followups.extend(item_followups)
                if resume is not None:
                    k = resume  # a "* Q." item further down the list is a question of its own
                    break
            else:
                lines.update(_lines_of(tok))
            k = end + 1
        first = self.lines[span.start]
        quoted = first[: len(first) - len(first.lstrip(" \t>"))].count(">")
        answer = self._answer(lines, quoted)
        question = Question(head.text, answer, span.start + 1, anchor, tuple(followups), form)
        return question, k

    # -- Pieces --------------------------------------------------------------------------------

    def _head(self, inline: Token | None, pattern: re.Pattern[str]) -> _Head | None:
        """The question that starts ``inline`` (a paragraph's text), and where its answer starts."""
        if inline is None or inline.type != "inline":
            return None
        m = pattern.match(inline.content)
        if not m:
            return None
        first = _lines_of(inline).start
        rest = m["rest"]
        bold = m.groupdict().get("bold")
        if bold and not m.groupdict().get("closed"):
            question, sep, tail = rest.partition(bold)
            if sep:
                # "**Q. question?**": the bold is the question (with any words after it on
                # its line); the lines below it answer it.
                tail_line, newline, _ = tail.partition("\n")
                lines_used = question.count("\n") + 1
                answer_from = first + lines_used if newline else None
                return _Head(_one_line(question + " " + tail_line), answer_from)
        rest_lines = rest.split("\n")
        cut = next(
            (n for n, line in enumerate(rest_lines[1:], 1) if _ANSWER.match(line) or _DEFINITION.match(line)
             or _ARROW.match(line)),
            len(rest_lines),
        )
        answer_from = first + cut if cut < len(rest_lines) else None
        return _Head(_one_line("\n".join(rest_lines[:cut])), answer_from)

    def _item_content(
        self, start: int, item_end: int, head: _Head, *, split_followups: bool
    ) -> tuple[set[int], list[FollowUp]]:
        """Answer lines and follow-ups inside the list item ``start..item_end``."""
        tokens = self.tokens
        lines: set[int] = set()
        followups: list[FollowUp] = []
        if head.answer_from is not None:
            lines.update(range(head.answer_from, _lines_of(tokens[start + 1]).stop))
        k = _closing(tokens, start + 1) + 1
        while k < item_end:
            end = _closing(tokens, k)
            if split_followups and tokens[k].type in _LISTS:
                item_lines, item_followups, _ = self._list_items(k, end)
                lines.update(item_lines)
                followups.extend(item_followups)
            else:
                lines.update(_lines_of(tokens[k]))
            k = end + 1
        return lines, followups

    def _list_items(
        self, start: int, end: int, *, new_questions: bool = False
    ) -> tuple[set[int], list[FollowUp], int | None]:
        """The items of the list ``start..end``: follow-up questions apart, the rest as answer.

        With ``new_questions`` (a list after a paragraph or heading question), a ``* Q.``
        item is a new question: the answer stops before it, and its index is returned.
        """
        lines: set[int] = set()
        followups: list[FollowUp] = []
        k = start + 1
        while k < end:
            item_end = _closing(self.tokens, k)
            if new_questions and self._head(_first_inline(self.tokens, k), _QUESTION) is not None:
                return lines, followups, k
            followup = self._followup(k, item_end)
            if followup is None:
                lines.update(_lines_of(self.tokens[k]))
            else:
                followups.append(followup)
            k = item_end + 1
        return lines, followups, None

    def _followup(self, start: int, item_end: int) -> FollowUp | None:
        """A nested item that asks rather than answers: ``Q.``, ``추가 질문:``, or ending in ``?``."""
        inline = _first_inline(self.tokens, start)
        if inline is None:
            return None
        head = self._head(inline, _QUESTION) or self._head(inline, _FOLLOWUP)
        if head is None:
            first_line, newline, _ = inline.content.partition("\n")
            if _ANSWER.match(first_line) or not re.search(r"[?？]\)?$", first_line.rstrip()):
                return None
            head = _Head(_one_line(first_line), _lines_of(inline).start + 1 if newline else None)
        lines, _ = self._item_content(start, item_end, head, split_followups=False)
        return FollowUp(head.text, self._answer(lines), _lines_of(self.tokens[start]).start + 1)

    def _is_question(self, k: int) -> bool:
        """Whether the block opening at ``k`` starts another question."""
        tokens = self.tokens
        if tokens[k].type in ("paragraph_open", "heading_open"):
            return bool(_QUESTION.match(tokens[k + 1].content))
        if tokens[k].type in (*_LISTS, "blockquote_open"):
            inline = _first_inline(tokens, k + 1) if tokens[k].type in _LISTS else _first_inline(tokens, k)
            return inline is not None and bool(_QUESTION.match(inline.content))
        return False

    def _answer(self, picked: set[int], quoted: int = 0) -> str:
        """The source lines ``picked`` as one dedented block, without answer prefixes.

        Blank lines between picked blocks are kept; where something was left out
        (a follow-up question), the blocks on either side stay apart.
        """
        out: list[str] = []
        previous: int | None = None
        for n in sorted(n for n in picked if n < len(self.lines)):
            if previous is not None and n > previous + 1:
                gap = self.lines[previous + 1 : n]
                out.extend([""] if any(line.strip() for line in gap) else gap)
            out.append(self.lines[n] if n in self.code else _strip_prefix(self.lines[n]))
            previous = n
        if quoted:
            # A question inside a blockquote: its answer without the quote markers.
            out = [re.sub(rf"^(?:[ \t]*>[ \t]?){{1,{quoted}}}", "", line) for line in out]
        text = textwrap.dedent("\n".join(out)).strip("\n")
        return re.sub(r"\n{3,}", "\n\n", text)


def _first_inline(tokens: list[Token], start: int) -> Token | None:
    """The inline token of the first paragraph of the list item opening at ``start``."""
    if start + 2 < len(tokens) and tokens[start + 1].type == "paragraph_open" and tokens[start + 2].type == "inline":
        return tokens[start + 2]
    return None


def _lines_of(tok: Token) -> range:
    """The 0-based source lines a block token covers."""
    begin, stop = tok.map or (0, 0)
    return range(begin, stop)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _closing(tokens: list[Token], start: int) -> int:
    """Index of the token that closes the one opening at ``start`` (``start`` itself for a leaf)."""
    if tokens[start].nesting != 1:
        return start
    depth = 0
    for k in range(start, len(tokens)):
        depth += tokens[k].nesting
        if depth == 0:
            return k
    return len(tokens) - 1


def _strip_prefix(line: str) -> str:
    """A line of an answer without its ``A.``, ``답변)`` or ``: `` marker (a list marker stays)."""
    item = _ITEM_MARKER.match(line)
    if item:
        lead, text = item["lead"], item["text"]
    else:
        text = line.lstrip(" \t>")
        lead = line[: len(line) - len(text)]
    m = _ANSWER.match(text) or _DEFINITION.match(text)
    return lead + m["rest"] if m else line
