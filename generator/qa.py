"""Mentoring Q&A: find the questions in a log and the answers nested under them.

A question is a list item whose text starts with ``Q.`` (or ``Q:``, ``Q)``,
optionally in bold). Its answer is what is nested below it, plus any sibling
items right after it that start with ``A.``, ``A:`` or ``답변)``. Parsing goes
through markdown-it, so nothing inside code blocks is ever taken.

Each question gets an anchor ``qa-N`` (N counts from 1 in the log), which the
site inserts into the rendered log so the Q&A index links to the exact place.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.token import Token

_QUESTION = re.compile(r"^\s*(?P<bold>\*\*|__)?\s*Q\s*(?:\d+\s*)?[.:)]\s*(?P<rest>.*)$", re.S)
_ANSWER = re.compile(r"^\s*(?:\*\*|__)?\s*(?:A\s*[.:)]|답변\s*[):.]|답\s*[):.])\s*(?P<rest>.*)$", re.S)
ANCHOR_PREFIX = "qa-"


@dataclass(frozen=True)
class Question:
    text: str
    """The question, as inline Markdown, without its ``Q.`` prefix."""
    answer: str
    """The answer as block Markdown (often a list); empty when unanswered."""
    line: int
    """1-based line of the question in the text it was found in."""
    anchor: str

    @property
    def answered(self) -> bool:
        return bool(self.answer.strip())


def parser() -> MarkdownIt:
    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


def find_questions(body: str, *, tokens: list[Token] | None = None) -> tuple[Question, ...]:
    """Every question in ``body``, in order, with its answer."""
    lines = body.splitlines()
    tokens = tokens if tokens is not None else parser().parse(body)
    found: list[Question] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.type == "list_item_open":
            match = _item_question(tokens, i)
            if match is not None:
                text, para_end = match
                item_end = _closing(tokens, i)
                start, stop = tok.map or (0, 0)
                answer_lines = lines[para_end:stop]
                j = item_end + 1
                # Sibling answers: "* A. ..." or "* 답변) ..." right after the question.
                while j < len(tokens) and tokens[j].type == "list_item_open":
                    sibling = _item_text(tokens, j)
                    if sibling is None or not _ANSWER.match(sibling):
                        break
                    s_start, s_stop = tokens[j].map or (0, 0)
                    answer_lines.extend(lines[s_start:s_stop])
                    j = _closing(tokens, j) + 1
                answer = _strip_answer_prefixes(textwrap.dedent("\n".join(answer_lines)).strip("\n"))
                found.append(Question(text, answer, start + 1, f"{ANCHOR_PREFIX}{len(found) + 1}"))
                i = j
                continue
        i += 1
    return tuple(found)


def add_anchors(body: str, questions: tuple[Question, ...] | None = None) -> str:
    """``body`` with an empty ``<a id="qa-N">`` at the start of each question's text.

    The rendered page looks the same; the anchors give the Q&A index exact targets.
    """
    questions = find_questions(body) if questions is None else questions
    if not questions:
        return body
    lines = body.split("\n")
    for q in questions:
        index = q.line - 1
        line = lines[index]
        marker = re.match(r"^(\s*(?:[*+-]|\d+[.)])\s+)", line)
        if marker:
            cut = marker.end()
            lines[index] = f'{line[:cut]}<a id="{q.anchor}"></a>{line[cut:]}'
    return "\n".join(lines)


def _item_text(tokens: list[Token], start: int) -> str | None:
    """The text of the first paragraph of the list item opening at ``start``."""
    if start + 2 < len(tokens) and tokens[start + 1].type == "paragraph_open" and tokens[start + 2].type == "inline":
        return tokens[start + 2].content
    return None


def _item_question(tokens: list[Token], start: int) -> tuple[str, int] | None:
    text = _item_text(tokens, start)
    if text is None:
        return None
    m = _QUESTION.match(text)
    if not m:
        return None
    rest = m["rest"].strip()
    if m["bold"]:
        rest = re.sub(r"^(.*?)(\*\*|__)", r"\1", rest, count=1)
    para = tokens[start + 1]
    para_end = para.map[1] if para.map else (tokens[start].map or (0, 0))[0] + 1
    return " ".join(rest.split()), para_end


def _closing(tokens: list[Token], start: int) -> int:
    """Index of the token that closes the one opening at ``start``."""
    depth = 0
    for k in range(start, len(tokens)):
        depth += tokens[k].nesting
        if depth == 0:
            return k
    return len(tokens) - 1


def _strip_answer_prefixes(text: str) -> str:
    out = []
    for line in text.split("\n"):
        m = re.match(r"^(\s*(?:[*+-]|\d+[.)])\s+)(.*)$", line)
        if m:
            a = _ANSWER.match(m[2])
            if a:
                line = m[1] + a["rest"]
        out.append(line)
    return "\n".join(out)
