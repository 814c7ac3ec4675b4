"""Mentoring Q&A: find the questions in a log and their answers, in every form logs write them.

A **marked** question starts with ``Q.`` (or ``Q:``, ``Q)``, ``Q1.``), optionally in
bold (``**Q. ...**`` or ``**Q.** ...``), and is one of:

- a **list item**. Its answer is what is nested below it, plus sibling items right
  after it that start with ``A.``, ``A:``, ``답변)`` (or another answer prefix) or an
  arrow. Loose lists (blank lines between items) and questions nested under another
  bullet work the same.
- a **paragraph** (``Q: ...``). Its answer is the rest of the paragraph (lines from
  the first ``A:``, ``답변)`` or ``: `` definition line on, or after the line that ends
  the question with ``?``; all of it after a bold question) and the blocks after it:
  ``A:`` paragraphs, lists, code, tables.
- a **heading** (``#### Q. ...``). Its answer is everything below it up to the next
  heading of its level or higher: a paragraph, a ``: `` definition line, bullets.

``질문: ...`` (or ``질문)``, ``질문 1.``) counts like ``Q.`` when it ends as a question.

An **unmarked** question (form ``unmarked``) is a bullet in a Q&A section whose first
line ends as a question: with ``?``, or with a Korean question ending (``…인지``,
``…나요``, ``…을까요``, ``…까``; see ``ends_as_question``). A Q&A section is what is
under a heading named after one of ``QA_SECTIONS`` (``## 🌱 피어 세션 정리``,
``### 질문 Time``, ``#### Q&A``) up to the next heading of its level or higher, or what
is nested, at any depth, under a bullet so named (``* 과제 관련 논의``). Headings,
paragraphs, statements and to-do items (``- [ ] ...``) never become unmarked
questions, and outside Q&A sections only marked questions count.

Every form may answer on the question's own line: after `` : ``, ``답변 :``, ``A:`` or
an arrow, or with a trailing ``yes`` / ``no`` (``네`` / ``아니요``), provided what comes
before ends as a question. Quoted text right after a question, before any answer (a
problem statement, an error message), is the question's ``context``, not its answer.

Each form stops at the next question, heading or rule. Nested items that are
questions themselves (``Q.``, ``추가 질문:``, or ending as a question) are follow-ups:
they are attached to the question with their own answers and are not part of its
answer, so a question that only has follow-ups is unanswered. A nested item that
starts with an answer prefix or an arrow is an answer, whatever it ends with.

Parsing goes through markdown-it, so nothing inside code blocks is ever taken
(``A.Resize(256, 256)`` in a code block is code, not an answer). Code in an answer
stays code: every code block in it, indented or fenced, nested in a list item or a
quote, is written out as a closed fenced block, so the dedent that an answer gets
can never turn code into raw HTML on the Q&A page.

Each question gets an anchor ``qa-N`` (N counts from 1 in the log), which the site
inserts into the rendered log (at the start of the item, paragraph or heading
text) so the Q&A index links to the exact place.
"""

from __future__ import annotations

import re
import textwrap
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser

from markdown_it import MarkdownIt
from markdown_it.token import Token

ANCHOR_PREFIX = "qa-"

QA_SECTIONS = ("피어 세션", "질의응답", "질문", "Q&A", "QnA", "멘토링", "오피스 아워", "과제 관련 논의")
"""What Q&A sections are named after: headings and bullets under which a bullet that
asks is a question without ``Q.``. Spaces inside a name are optional (``피어세션``) and
Latin letters match in any case. A name may carry up to three words before it and
words from ``_SECTION_SUFFIXES`` after it (``스페셜 피어 세션 정리``, ``질문 Time``,
``질문과 답변``), emoji, a trailing colon or a trailing ``(...)``."""

# Words a section's name may end with after its vocabulary word.
_SECTION_SUFFIXES = (
    "정리", "시간", "타임", "time", "준비", "내용", "목록", "리스트", "list", "기록", "메모", "노트",
    "notes?", "사항", "후기", "요약", "모음", "및", "답변", "응답", "세션", "session", "진행",
)  # fmt: skip

_BOLD = r"(?:\*\*|__)"
# After a prefix: a space, the end, or Hangul right away ("Q.원핫벡터"), never code ("A.Resize").
_AFTER = r"(?:[ \t]+|$|(?=[\uac00-\ud7a3]))"
_QUESTION = re.compile(
    rf"^(?P<bold>{_BOLD})?[ \t]*Q[ \t]*\d{{0,3}}[ \t]*[.:)](?P<closed>{_BOLD})?{_AFTER}(?P<rest>.*)$", re.S
)
# "질문: ..." asks only when it ends as a question ("질문: 이건 목록을 소개하는 문장이다" does not).
_LABEL = re.compile(
    rf"^(?P<bold>{_BOLD})?[ \t]*질문[ \t]*\d{{0,3}}[ \t]*[.:)](?P<closed>{_BOLD})?{_AFTER}(?P<rest>.*)$", re.S
)
# Every marked question form has this somewhere in it (follow-ups only count under a question).
_MAYBE_QUESTION = re.compile(r"Q[ \t]*\d{0,3}[ \t]*[.:)]")
# Who answers, before ".", ":" or ")": "A.", "답변 :", "멘토님:".
_ANSWER_WORD = r"(?:멘토님[ \t]*답변|멘토님|멘토|답변|대답|답|[Aa]nswer|A)"
_ANSWER = re.compile(rf"^{_BOLD}?[ \t]*{_ANSWER_WORD}[ \t]*\d{{0,3}}[ \t]*[.:)]{_BOLD}?{_AFTER}(?P<rest>.*)$", re.S)
_DEFINITION = re.compile(r"^:[ \t]+(?P<rest>.*)$", re.S)
# Lines inside a question's paragraph that start its answer without an "A." prefix.
_ARROW = re.compile(r"^(?:→|->|=>|⇒|ㄴ|└|↳)[ \t]")
_FOLLOWUP = re.compile(
    rf"^(?P<bold>{_BOLD})?[ \t]*(?:(?:추가|꼬리|후속)[ \t]*질문|follow[- ]?up(?:[ \t]+questions?)?)"
    rf"[ \t]*\d{{0,3}}[ \t]*[.:)]?(?P<closed>{_BOLD})?[ \t]*(?P<rest>.*)$",
    re.S | re.I,
)
# The answer given on the question's own line: "...? : 답", "...? 답변 : 답", "...? → 답".
_INLINE_ANSWER = re.compile(rf"[ \t]+:[ \t]+|[ \t]+{_ANSWER_WORD}[ \t]*[.:)][ \t]*|[ \t]*(?:→|->|=>|⇒)[ \t]*")
_YES_NO = re.compile(r"[ \t]+(?P<answer>(?:yes|no|네|아니요|아니오)[.!]*)[ \t]*$", re.I)
_TODO = re.compile(r"^\[[ xX]\](?:[ \t]|$)")
_OWN_ANCHOR = re.compile(rf'^<a id="{ANCHOR_PREFIX}\d+"></a>')
# Where the text of a line starts: after blockquote markers, a list marker or heading hashes.
_LINE_PREFIX = re.compile(r"^((?:[ \t]*>)*[ \t]*(?:(?:[*+-]|\d{1,9}[.)])[ \t]+)?(?:#{1,6}[ \t]+)?)")
# An answer line: its blockquote markers and list marker, then its text.
_ANSWER_LINE = re.compile(r"^((?:[ \t]*>)*[ \t]*(?:(?:[*+-]|\d{1,9}[.)])[ \t]+)?)(.*)$", re.S)


def _name(name: str) -> str:
    """A pattern for ``name``: spaces optional anywhere, Latin letters in either case.

    (Character classes rather than ``re.I``: the pattern is searched in every page the
    anchor extension sees, and ``re.I`` makes that search several times slower.)
    """
    return r"\s*".join(
        f"[{c.upper()}{c.lower()}]" if c.isascii() and c.isalpha() else re.escape(c) for c in name.replace(" ", "")
    )


_SECTION_WORD = "(?:" + "|".join(_name(n) for n in QA_SECTIONS) + ")"
_SECTION_HINT = re.compile(_SECTION_WORD)
_SECTION_NAME = re.compile(
    rf"^(?:\S+\s+){{0,3}}?{_SECTION_WORD}(?:들|과|와|에서)?"
    rf"(?:\s*(?:{_SECTION_WORD}|{'|'.join(_SECTION_SUFFIXES)})(?:들|과|와)?)*$",
    re.I,
)


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

    @property
    def page_text(self) -> str:
        """``text`` as inline Markdown that cannot change the page around it (see ``inline_text``)."""
        return inline_text(self.text)


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
    """How the log writes it: ``list`` (a bullet), ``paragraph``, ``heading``, or
    ``unmarked`` (a bullet without ``Q.`` in a Q&A section)."""
    context: str = ""
    """Quoted text given with the question, before its answer (block Markdown, a quote)."""

    @property
    def answered(self) -> bool:
        return bool(self.answer.strip())

    @property
    def page_text(self) -> str:
        """``text`` as inline Markdown that cannot change the page around it (see ``inline_text``)."""
        return inline_text(self.text)


def parser() -> MarkdownIt:
    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


def may_ask(body: str) -> bool:
    """Whether ``body`` has a question marker or a Q&A section word: without either, it asks nothing."""
    return bool(_MAYBE_QUESTION.search(body) or _SECTION_HINT.search(body))


def find_questions(body: str, *, tokens: list[Token] | None = None) -> tuple[Question, ...]:
    """Every question in ``body``, in order, with its answer and follow-ups."""
    if not may_ask(body):
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


# -- What asks: the end of a sentence ------------------------------------------------------------

# What may trail a sentence after its last word: spaces, closing brackets and quotes,
# punctuation other than "?", emphasis and code markers, ㅠㅠ and ㅋㅋ (emoji are symbols).
_TRAILING = " \t.,;!~…·)]}>」』》〉\"'”’`*_^ㅠㅜㅎㅋ"
_TRAILING_LINK = re.compile(r"(?:!?\[[^\]\n]*\]\([^)\n]*\)|<https?://[^>\s]*>|https?://\S+|:[a-z0-9_+-]+:)[ \t]*$")
_TRAILING_REMARK = re.compile(r"[ \t]*[(（][^()（）\n]*[)）][ \t]*$")
_HANGUL_WORD = re.compile(r"[\uac00-\ud7a3]+$")
# Two-syllable words that end like a question but are nouns ("학습 일지", "편지", "선지").
_NOT_QUESTIONS = frozenset({"일지", "인지", "한지", "반지", "편지", "선지", "현지", "단지", "전지", "진지", "간지", "인가", "한가"})
_FINAL_N, _FINAL_L, _FINAL_B = 4, 8, 17  # ㄴ, ㄹ, ㅂ as the final consonant of a syllable
# Bounds that keep untrusted lines linear: a sentence's end is read in its last _TAIL
# characters, an answer on the question's line is looked for after at most
# _MAX_SEPARATORS separators, and a section's name is short.
_TAIL = 500
_MAX_SEPARATORS = 8
_MAX_NAME = 200


def _final(syllable: str) -> int:
    return (ord(syllable) - 0xAC00) % 28


def _is_symbol(ch: str) -> bool:
    return unicodedata.category(ch) in ("So", "Sk", "Cf", "Mn")


def _sentence_end(text: str) -> str:
    """``text`` without what may trail its last word (see ``_TRAILING``), links and emoji."""
    while True:
        trimmed = _TRAILING_LINK.sub("", text)
        end = len(trimmed)
        while end and (trimmed[end - 1] in _TRAILING or _is_symbol(trimmed[end - 1])):
            end -= 1
        trimmed = trimmed[:end]
        if trimmed == text:
            return text
        text = trimmed


def _korean_asks(word: str) -> bool:
    """Whether a Hangul word ends a question: …나요, …까요, …인가요, …ㄹ까, …습니까, …인지, …ㄹ지, …는가, …냐."""
    if word in _NOT_QUESTIONS or word.endswith(("일지", "편지")):
        return False
    if word.endswith(("나요", "까요", "냐")):
        return True
    before = word[-2] if len(word) >= 2 else ""
    if word.endswith("가요"):
        return len(word) >= 3 and _final(word[-3]) == _FINAL_N
    if word.endswith("까") and before:
        return _final(before) == _FINAL_L or (before == "니" and len(word) >= 3 and _final(word[-3]) == _FINAL_B)
    if word.endswith("지요"):
        return len(word) >= 3 and _final(word[-3]) in (_FINAL_N, _FINAL_L)
    if word.endswith("지") and before:
        return _final(before) in (_FINAL_N, _FINAL_L)  # "까지", "이미지", "가지" end otherwise
    if word.endswith("가") and before:
        return before in "는인은한던건운"  # "무엇인가", "필요한가"; not "전문가"
    return False


def ends_as_question(text: str) -> bool:
    """Whether ``text`` (one line) ends as a question: with ``?``, or a Korean question ending.

    The end is read after what may trail a sentence (closing brackets, ``.``, ``!``,
    emoji, ``ㅠㅠ``, a trailing link); a trailing remark in brackets may also be left
    out (``무엇인가요? (과제 2번)``). False friends are not questions: ``…까지``,
    ``…인지 확인하기``, ``학습 일지``, ``이미지``.
    """
    text = text[-_TAIL:]  # the end is what counts; and a long line costs no more than a short one
    ends = [_sentence_end(text)]
    unlinked = text
    while (link := _TRAILING_LINK.search(unlinked.rstrip())) is not None:
        unlinked = unlinked.rstrip()[: link.start()]  # "[왜 어려울까?](url)" shares a link, it does not ask
    remark = _TRAILING_REMARK.search(unlinked)
    if remark:
        ends.append(_sentence_end(unlinked[: remark.start()]))
    for end in ends:
        if end.endswith(("?", "？")):
            return True
        word = _HANGUL_WORD.search(end)
        if word and _korean_asks(word.group()):
            return True
    return False


def _split_inline(line: str) -> tuple[str, str] | None:
    """``(question, answer)`` when ``line`` asks and then answers on the same line."""
    yes_no = _YES_NO.search(line)
    if yes_no and ends_as_question(line[: yes_no.start()]):
        return line[: yes_no.start()].strip(), yes_no["answer"]
    for n, sep in enumerate(_INLINE_ANSWER.finditer(line)):
        if n == _MAX_SEPARATORS:
            break
        question, answer = line[: sep.start()], line[sep.end() :]
        if answer.strip() and question.strip() and ends_as_question(question):
            return question.strip(), answer.strip()
    return None


def _section_name(text: str) -> str:
    """The first line of a heading or bullet as a plain name: no emoji, markup, check box, ``(...)``."""
    name = text.split("\n", 1)[0]
    name = _TODO.sub("", name)
    name = re.sub(r"!?\[([^\]\n]*)\]\([^)\n]*\)", r"\1", name)
    name = re.sub(r":[a-z0-9_+-]+:|\{[^{}\n]*\}[ \t]*$", " ", name)
    name = "".join(" " if _is_symbol(ch) else ch for ch in name)
    name = re.sub(r"[*_`#~]+", " ", name).strip(" \t:：-–—·|")
    name = _TRAILING_REMARK.sub("", name).strip(" \t:：-–—·|")
    name = re.sub(r"^(?:\d{1,3}[.)]|[①-⑳])[ \t]*", "", name)
    return " ".join(name.split())


def is_qa_section(text: str) -> bool:
    """Whether a heading's or bullet's text names a Q&A section (see ``QA_SECTIONS``)."""
    first = text.split("\n", 1)[0]
    if len(first) > _MAX_NAME or not _SECTION_HINT.search(first):
        return False
    return bool(_SECTION_NAME.match(_section_name(first)))


# -- Question text on the Q&A page ---------------------------------------------------------------

# Inline code and math are kept as they are; in the rest, raw HTML, attribute lists and
# a heading's closing hashes are shown as text.
_INLINE_KEEP = re.compile(
    r"(?P<code>(?P<ticks>`+).+?(?<!`)(?P=ticks)(?!`))"
    r"|(?P<math>(?<![\\$])\$(?![\s$])[^$\n]+?(?<![\s\\])\$(?!\$)|\\\(.+?\\\))"
    r"|(?P<autolink><https?://[^>\s]+>)"
)


def inline_text(text: str) -> str:
    """One line of inline Markdown that cannot change the page it is put into.

    Code spans, math and autolinks stay as they are; elsewhere ``<`` (raw HTML, comments),
    ``{`` and ``}`` (attribute lists, which could add classes or event handlers) and
    trailing ``#`` (a heading's closing hashes) become character references, which
    show as the characters. Emphasis, links and the rest of inline Markdown keep working.
    """
    out: list[str] = []
    pos = 0
    for keep in _INLINE_KEEP.finditer(text):
        out.append(_inert(text[pos : keep.start()]))
        kept = keep.group()
        if keep["math"]:
            # Inert even where the site's math extension would not take it for math:
            # TeX's \lt for "<", and a space (which TeX ignores) between "*x*" and "{".
            kept = _ATTR_AFTER.sub(" {", kept.replace("<", r"\lt "))
        out.append(kept)
        pos = keep.end()
    out.append(_inert(text[pos:]))
    joined = " ".join("".join(out).split())
    hashes = len(joined) - len(joined.rstrip("#"))
    return joined[: len(joined) - hashes] + "&#35;" * hashes


_ATTR_AFTER = re.compile(r"(?<=[*`)\]])\{")


def _inert(text: str) -> str:
    return text.replace("<", "&lt;").replace("{", "&#123;").replace("}", "&#125;")


# -- The walk over markdown-it's tokens ----------------------------------------------------------

_LISTS = ("bullet_list_open", "ordered_list_open")
_CODE = ("fence", "code_block")
_LANG = re.compile(r"[\w#+.-]+")
_LIST_MARKER = re.compile(r"(?:[*+-]|\d{1,9}[.)])(?=[ \t])")
_HEADING_FLOOR = 4  # the Q&A page puts each question under a "###" heading


@dataclass(frozen=True)
class _Head:
    """A question (or follow-up) as read from the first paragraph of its block."""

    text: str
    answer_from: int | None
    """0-based source line where the answer starts inside that same paragraph, if it does."""
    inline_answer: str = ""
    """The answer given on the question's own line (``... ? : 답``, ``... ? yes``)."""
    marked: bool = True
    """Whether a prefix (``Q.``, ``질문:``, ``추가 질문:``) marks it."""


class _Finder:
    def __init__(self, lines: list[str], tokens: list[Token]) -> None:
        self.lines = lines
        self.tokens = tokens
        self.code: dict[int, Token] = {}
        for tok in tokens:
            if tok.type in _CODE:
                self.code.update(dict.fromkeys(_lines_of(tok), tok))
        self.html = {n: tok for tok in tokens if tok.type == "html_block" for n in _lines_of(tok)}
        self.headings = {_lines_of(tok).start: k for k, tok in enumerate(tokens) if tok.type == "heading_open"}

    def run(self) -> Iterator[Question]:
        tokens = self.tokens
        count = 0
        i = 0
        section_level: int | None = None  # the level of the Q&A heading the walk is under
        section_bullet_end = -1  # the token closing the Q&A bullet the walk is under
        while i < len(tokens):
            kind = tokens[i].type
            if kind == "heading_open":
                level = int(tokens[i].tag[1:])
                if section_level is not None and level <= section_level:
                    section_level = None
                if section_level is None and is_qa_section(tokens[i + 1].content):
                    section_level = level
            in_section = section_level is not None or i < section_bullet_end
            anchor = f"{ANCHOR_PREFIX}{count + 1}"
            found: tuple[Question, int] | None = None
            if kind == "list_item_open":
                found = self._list_question(i, anchor, asked=in_section)
                first = _first_inline(tokens, i)
                if found is None and first is not None and is_qa_section(first.content):
                    section_bullet_end = max(section_bullet_end, _closing(tokens, i))
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

    def _list_question(self, start: int, anchor: str, *, asked: bool) -> tuple[Question, int] | None:
        """A ``* Q.`` item (or, with ``asked``, any item that asks): what is nested in it and
        ``* A.`` siblings after it answer it."""
        tokens = self.tokens
        head = self._head(_first_inline(tokens, start), asked=asked)
        if head is None:
            return None
        item_end = _closing(tokens, start)
        lines, context, followups = self._item_content(start, item_end, head, split_followups=True)
        siblings, j = self._answer_items(item_end + 1)
        lines |= siblings
        line = _lines_of(tokens[start]).start
        quoted = self._quoted(line)
        return (
            Question(
                head.text,
                self._answer(lines, quoted, head.inline_answer),
                line + 1,
                anchor,
                tuple(followups),
                "list" if head.marked else "unmarked",
                self._answer(context, quoted),
            ),
            j,
        )

    def _block_question(self, start: int, anchor: str, form: str) -> tuple[Question, int] | None:
        """A ``Q:`` paragraph or a ``#### Q.`` heading: the blocks after it answer it."""
        tokens = self.tokens
        head = self._head(tokens[start + 1])
        if head is None:
            return None
        span = _lines_of(tokens[start])
        lines: set[int] = set()
        context: set[int] = set()
        explicit = head.answer_from is not None or bool(head.inline_answer)
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
            elif tok.type == "blockquote_open" and not (lines or explicit) and not self._quotes_an_answer(k):
                context.update(_lines_of(tok))  # the problem the question is about, quoted
            else:
                lines.update(_lines_of(tok))
            k = end + 1
        quoted = self._quoted(span.start)
        answer = self._answer(lines, quoted, head.inline_answer)
        question = Question(
            head.text, answer, span.start + 1, anchor, tuple(followups), form, self._answer(context, quoted)
        )
        return question, k

    # -- Pieces --------------------------------------------------------------------------------

    def _head(self, inline: Token | None, *, asked: bool = False) -> _Head | None:
        """The question that starts ``inline`` (a paragraph's text), and where its answer starts.

        With ``asked`` (a bullet in a Q&A section, or an item nested under a question),
        a first line that ends as a question needs no prefix, and ``추가 질문:`` counts.
        """
        if inline is None or inline.type != "inline":
            return None
        content = inline.content
        if content.startswith("<a id="):
            content = _OWN_ANCHOR.sub("", content, count=1)  # text that add_anchors has been over
        first = _lines_of(inline).start
        m = _QUESTION.match(content)
        if m:
            head = self._prefixed(m, first, needs_ending=False)
            # "* Q." not filled in yet (a fresh log from `new`) asks nothing.
            return head if head is not None and re.search(r"\w", head.text) else None
        m = _LABEL.match(content)
        if m:
            return self._prefixed(m, first, needs_ending=True)
        if not asked:
            return None
        m = _FOLLOWUP.match(content)
        if m:
            return self._prefixed(m, first, needs_ending=False)
        if _TODO.match(content) or _ANSWER.match(content) or _ARROW.match(content):
            return None  # a to-do, or an answer that ends with "?", never asks
        head = self._asks(content.split("\n"), first, needs_ending=True)
        return None if head is None else _Head(head.text, head.answer_from, head.inline_answer, marked=False)

    def _prefixed(self, m: re.Match[str], first: int, *, needs_ending: bool) -> _Head | None:
        rest = m["rest"]
        bold = m["bold"]
        if bold and not m["closed"]:
            question, sep, tail = rest.partition(bold)
            if sep:
                # "**Q. question?**": the bold is the question (with any words after it on
                # its line); the lines below it answer it.
                tail_line, newline, _ = tail.partition("\n")
                text = _one_line(question + " " + tail_line)
                if needs_ending and not ends_as_question(text):
                    return None
                lines_used = question.count("\n") + 1
                return _Head(text, first + lines_used if newline else None)
        return self._asks(rest.split("\n"), first, needs_ending=needs_ending)

    def _asks(self, lines: list[str], first: int, *, needs_ending: bool) -> _Head | None:
        """The question in a paragraph's ``lines`` (prefix removed) and where its answer starts.

        An answer on the first line is split off; otherwise the question runs up to the
        first line that starts an answer (``A:``, ``: ``, an arrow) or ends as a question
        (and the lines right after it that ask too). With ``needs_ending``, the first line
        must end as a question, and is the question.
        """
        split = _split_inline(lines[0])
        if split is not None:
            return _Head(_one_line(split[0]), first + 1 if len(lines) > 1 else None, split[1])
        if needs_ending:
            if not ends_as_question(lines[0]):
                return None
            cut = 1
        else:
            cut = next(
                (n for n, line in enumerate(lines[1:], 1) if _ANSWER.match(line) or _DEFINITION.match(line)
                 or _ARROW.match(line)),
                len(lines),
            )
            asked = next((n for n in range(cut) if ends_as_question(lines[n])), None)
            if asked is not None:
                cut = asked + 1
                while cut < len(lines) and ends_as_question(lines[cut]):
                    cut += 1
        answer_from = first + cut if cut < len(lines) else None
        return _Head(_one_line("\n".join(lines[:cut])), answer_from)

    def _item_content(
        self, start: int, item_end: int, head: _Head, *, split_followups: bool
    ) -> tuple[set[int], set[int], list[FollowUp]]:
        """Answer lines, quoted context lines and follow-ups inside the list item ``start..item_end``."""
        tokens = self.tokens
        lines: set[int] = set()
        context: set[int] = set()
        followups: list[FollowUp] = []
        answered = head.answer_from is not None or bool(head.inline_answer)
        if head.answer_from is not None:
            lines.update(range(head.answer_from, _lines_of(tokens[start + 1]).stop))
        k = _closing(tokens, start + 1) + 1
        while k < item_end:
            end = _closing(tokens, k)
            if split_followups and tokens[k].type in _LISTS:
                item_lines, item_followups, _ = self._list_items(k, end)
                lines.update(item_lines)
                followups.extend(item_followups)
            elif tokens[k].type == "blockquote_open" and not (lines or answered) and not self._quotes_an_answer(k):
                context.update(_lines_of(tokens[k]))  # the problem the question is about, quoted
            else:
                lines.update(_lines_of(tokens[k]))
            k = end + 1
        return lines, context, followups

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
            if new_questions and self._head(_first_inline(self.tokens, k)) is not None:
                return lines, followups, k
            found = self._followup(k, item_end)
            if found is None:
                lines.update(_lines_of(self.tokens[k]))
                k = item_end + 1
            else:
                followup, k = found
                followups.append(followup)
        return lines, followups, None

    def _followup(self, start: int, item_end: int) -> tuple[FollowUp, int] | None:
        """A nested item that asks rather than answers (``Q.``, ``추가 질문:``, or ending as a
        question), answered by what is nested in it and by answer items right after it."""
        head = self._head(_first_inline(self.tokens, start), asked=True)
        if head is None:
            return None
        lines, context, _ = self._item_content(start, item_end, head, split_followups=False)
        siblings, after = self._answer_items(item_end + 1)
        line = _lines_of(self.tokens[start]).start
        answer = self._answer(lines | context | siblings, self._quoted(line), head.inline_answer)
        return FollowUp(head.text, answer, line + 1), after

    def _answer_items(self, k: int) -> tuple[set[int], int]:
        """The lines of the list items from ``k`` on that start with an answer prefix or an
        arrow (``* A. ...``, ``* 답변) ...``, ``* → ...``), and the index after them."""
        lines: set[int] = set()
        while k < len(self.tokens) and self.tokens[k].type == "list_item_open":
            inline = _first_inline(self.tokens, k)
            if inline is None or not (_ANSWER.match(inline.content) or _ARROW.match(inline.content)):
                break
            lines.update(_lines_of(self.tokens[k]))
            k = _closing(self.tokens, k) + 1
        return lines, k

    def _is_question(self, k: int) -> bool:
        """Whether the block opening at ``k`` starts another (marked) question."""
        tokens = self.tokens
        if tokens[k].type in ("paragraph_open", "heading_open"):
            return self._head(tokens[k + 1]) is not None
        if tokens[k].type in (*_LISTS, "blockquote_open"):
            inline = _first_inline(tokens, k + 1) if tokens[k].type in _LISTS else _first_inline(tokens, k)
            return self._head(inline) is not None
        return False

    def _quotes_an_answer(self, k: int) -> bool:
        """Whether the blockquote opening at ``k`` starts with an answer prefix (``> A. ...``)."""
        inline = _first_inline(self.tokens, k)
        return inline is not None and bool(_ANSWER.match(inline.content) or _ARROW.match(inline.content))

    def _quoted(self, line: int) -> int:
        """How many blockquotes the source line ``line`` sits in."""
        text = self.lines[line] if line < len(self.lines) else ""
        return text[: len(text) - len(text.lstrip(" \t>"))].count(">")

    def _answer(self, picked: set[int], quoted: int = 0, lead: str = "") -> str:
        """The source lines ``picked`` as one dedented block, without answer prefixes.

        ``lead`` (an answer given on the question's line) comes first. Blank lines between
        picked blocks are kept; where something was left out (a follow-up question), the
        blocks on either side stay apart. Code blocks come out as closed fenced blocks
        (``_fenced``), and raw HTML whose tags do not close is shown as text, so neither
        the dedent nor the page around the answer can change what they are.
        """
        out: list[str] = []
        previous: int | None = None
        fence_above = False  # whether the last line out closes a fence
        html = sorted({n for n in picked if n in self.html})
        inert_html = bool(html) and not _balanced("\n".join(self.lines[n] for n in html))
        emitted: set[int] = set()
        for n in sorted(n for n in picked if n < len(self.lines)):
            if n in emitted:
                continue
            if previous is not None and n > previous + 1 and out and out[-1].strip():
                out.append("")  # a gap (blank lines, or a block left out) is one blank line
            previous = n
            line = self.lines[n]
            code = self.code.get(n)
            if code is None and not line.strip():
                if out and out[-1].strip():
                    out.append("")
                continue
            if code is not None:
                block = self._fenced(code)
                emitted.update(_lines_of(code))
                previous = max(_lines_of(code), default=n)
                opens_item = bool(_LIST_MARKER.search(_ANSWER_LINE.match(block[0])[1]))  # type: ignore[index]
            elif n in self.headings:
                block = [self._heading(self.headings[n])]
                emitted.update(_lines_of(self.tokens[self.headings[n]]))  # a setext heading's underline too
                opens_item = False
            else:
                block = [_inert_html(line) if inert_html and n in self.html else _strip_prefix(line)]
                opens_item = False
            if out and out[-1].strip(" \t>") and (fence_above or (code is not None and not opens_item)):
                out.append(_quote_markers(out[-1]).rstrip())  # a fence and the lines beside it stay apart
            out.extend(block)
            fence_above = code is not None
        if quoted:
            # A question inside a blockquote: its answer without the quote markers.
            out = [re.sub(rf"^(?:[ \t]*>[ \t]?){{1,{quoted}}}", "", line) for line in out]
        text = textwrap.dedent("\n".join(out)).strip("\n")
        if lead:
            text = f"{lead}\n\n{text}" if text else lead
        return text

    def _heading(self, k: int) -> str:
        """The heading opening at token ``k`` as one ATX line, at least ``_HEADING_FLOOR`` deep.

        On the Q&A page an answer sits under its question's ``###`` heading; a ``##`` in
        it (after the dedent, a top-level one) would split the page's groups by date.
        """
        tok = self.tokens[k]
        source = self.lines[_lines_of(tok).start]
        level = max(int(tok.tag[1:]), _HEADING_FLOOR)
        lead = _ANSWER_LINE.match(source)[1]  # type: ignore[index]  # the pattern matches any line
        return f"{lead}{'#' * level} {_one_line(self.tokens[k + 1].content)}"

    def _fenced(self, tok: Token) -> list[str]:
        """A code block as source lines of a closed backtick fence, at its container's place.

        The fence is longer than any run of backticks in the code; a fence's language is
        kept when it is a plain word. Indented code keeps its container (list item,
        quote) and loses only its own four columns, which a fence does not need.
        """
        start = _lines_of(tok).start
        source = self.lines[start] if start < len(self.lines) else ""
        body = tok.content.split("\n")
        while body and not body[-1].strip():
            body.pop()
        lang = ""
        if tok.type == "fence":
            at = source.find(tok.markup) if tok.markup else -1
            prefix = source[:at] if at >= 0 else _quote_markers(source)
            word = tok.info.strip().lstrip("{.").split(maxsplit=1)
            lang = word[0] if word and _LANG.fullmatch(word[0]) else ""
        else:
            prefix = self._code_prefix(tok, body)
        longest = max((len(run) for run in re.findall(r"`+", tok.content)), default=0)
        fence = "`" * max(3, longest + 1)
        # A list marker starts only the first line ("* ```"); the lines below are indented instead.
        inner = _LIST_MARKER.sub(lambda m: " " * len(m.group()), prefix)
        blank = inner.rstrip()
        code = [inner + fence + lang, *((inner + line) if line.strip() else blank for line in body), inner + fence]
        if inner != prefix:
            # Code on a list marker's line ("* ```"): Python-Markdown opens no fence there, so
            # the item gets a line of its own and the fence goes below it.
            return [prefix + "&nbsp;", blank, *code]
        return code

    def _code_prefix(self, tok: Token, body: list[str]) -> str:
        """The container's prefix (quote markers, list indentation) of an indented code block."""
        start = _lines_of(tok).start
        for k, code in enumerate(body):
            if code.strip() and start + k < len(self.lines):
                source = self.lines[start + k]
                if source.endswith(code):
                    return _drop_columns(source[: len(source) - len(code)], 4)
                break
        source = self.lines[start] if start < len(self.lines) else ""
        markers = _quote_markers(source)
        indent = len(source[len(markers) :].expandtabs(4)) - len(source[len(markers) :].lstrip(" \t").expandtabs(4))
        return markers + " " * max(0, indent - 4)


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
    lead, text = _ANSWER_LINE.match(line).groups()  # type: ignore[union-attr]  # the pattern matches any line
    m = _ANSWER.match(text) or _DEFINITION.match(text)
    return lead + m["rest"] if m else line


def _quote_markers(line: str) -> str:
    return re.match(r"(?:[ \t]*>[ \t]?)*", line).group()  # type: ignore[union-attr]  # matches any line


def _drop_columns(prefix: str, columns: int) -> str:
    """``prefix`` without up to ``columns`` columns of whitespace at its end."""
    cut = len(prefix)
    dropped = 0
    while cut and dropped < columns and prefix[cut - 1] in " \t":
        dropped += 4 if prefix[cut - 1] == "\t" else 1
        cut -= 1
    return prefix[:cut]


_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)


class _TagBalance(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.broken = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.open and self.open[-1] == tag:
            self.open.pop()
        elif tag not in _VOID:
            self.broken = True


def _balanced(html: str) -> bool:
    """Whether every tag in ``html`` that opens also closes, in order (and no comment is left open)."""
    if html.count("<!--") != html.count("-->"):
        return False
    balance = _TagBalance()
    balance.feed(html)
    balance.close()
    return not balance.open and not balance.broken


def _inert_html(line: str) -> str:
    return line.replace("&", "&amp;").replace("<", "&lt;")
