"""The block structure of a page as kramdown reads it: a port of kramdown 2.4's block parsers.

kramdown with the GFM parser (Jekyll's default) tries, at each line, in this order:
blank lines, indented code, fenced code, quotes, ATX headings, rules, lists,
definition lists, HTML, setext headings, display math, tables, footnote, link and
abbreviation definitions, attribute lists and extensions, end-of-block markers, and
last a paragraph. :func:`read` does the same, one line at a time, and returns the
tree of :mod:`generator.kramdown.tree`, which only records where blocks start and
end and what lines they hold.

What decides the structure follows kramdown's code (``parser/kramdown/*.rb``,
``kramdown-parser-gfm``): an item's content starts at the column its text starts
at, and a line indented that far belongs to it; an unindented line right after the
item's text is a lazy continuation; a list, heading, quote, fence or definition
interrupts a paragraph; a quote takes every line up to a blank one; a table and
display math need a blank line before and after.

Where kramdown's reading is an accident rather than a habit, the reader keeps
Python-Markdown's (the site renders with it), and says so below: HTML tag names are
ASCII, ``$$ ... $$`` is never cut in two, a table needs its ``|---|`` line, and a
fence is what superfences takes.

Every search looks ahead through an index built once per container
(:class:`_Lines`), so the work is linear in the page; containers nested deeper than
:data:`MAX_DEPTH` are kept as they are.
"""

from __future__ import annotations

import bisect
import functools
import re

from .tree import EOB, Blank, Box, Definition, Definitions, Item, Leaf, List, Node, Quote

MAX_DEPTH = 20
"""Containers (lists, quotes, definitions) nested deeper than this are kept as they are."""

# -- kramdown's block patterns, per line (tabs already expanded) -------------------------------------

_SPAN_ELEMENTS = (
    "a|abbr|acronym|b|big|bdo|br|button|cite|code|del|dfn|em|i|img|input|ins|kbd|label|mark|option|q|rb|"
    "rbc|rp|rt|rtc|ruby|samp|select|small|span|strong|sub|sup|tt|u|var|script"
)
# kramdown takes any XML name, so "<참고>" opens an element that swallows the rest of the page;
# the site takes ASCII names only, as browsers and Python-Markdown do.
_NAME = r"[A-Za-z][\w:.-]*"
_HTML_START = re.compile(rf" {{0,3}}<(?!(?:{_SPAN_ELEMENTS})\b){_NAME}", re.A)
_HTML_STOP = re.compile(rf" {{0,3}}</(?!(?:{_SPAN_ELEMENTS})\b){_NAME}\s*>", re.A)
_HTML_TAG = re.compile(rf"<(/?)({_NAME})(?:\s[^<>]*?)?(/?)>", re.A)
_VOID = frozenset({
    "area", "base", "br", "col", "command", "embed", "hr", "img", "input", "keygen", "link", "meta", "param",
    "source", "track", "wbr",
})
_IAL_BLOCK = re.compile(r" {0,3}\{:(?!:|/)(?:\\\}|[^}])+\}\s*$")
_EOB = re.compile(r"\^\s*$")
_LIST_START = re.compile(r" {0,3}(?:[+*-]|\d+\.)[\t| ]")
_UL_START = re.compile(r"( {0,3}[+*-])([\t| ].*)$", re.S)
_OL_START = re.compile(r"( {0,3}\d+\.)([\t| ].*)$", re.S)
_DL_START = re.compile(r"( {0,3}:)([\t| ].*)$", re.S)
_ATX = re.compile(r"(#{1,6})[\t ]+(.*)$")
_QUOTE = re.compile(r" {0,3}> ?")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})(.*)$")
_FENCE_CLOSE = re.compile(r" {0,3}(`{3,}|~{3,})\s*$")
# The info strings pymdownx.superfences takes: a word, {attributes}, or a word and key="value" options.
# (kramdown takes one word only, and reads "```code```" as an opening fence; the site follows superfences,
# which renders the page.)
_FENCE_INFO = re.compile(
    r"[ \t]*(?:\{[^}\n]*\}|\.?[\w#.+-]*(?:[ \t]+[a-zA-Z]\w*(?:=(?:\"[^\"\n]*\"|'[^'\n]*'|\S+))?)*"
    r"(?:[ \t]*\{[^}\n]*\})?)[ \t]*$"
)
_HR = re.compile(r" {0,3}([*_-])[ \t]*\1[ \t]*\1(?:\1|[ \t])*$")
_SETEXT_TEXT = re.compile(r" {0,3}[^ \t]")
_SETEXT_LINE = re.compile(r"[-=][-=]*[ \t\r\f\v]*$")
_TABLE_LINE = re.compile(r" {0,3}(?=\S)(?:\||.*?[^\\]\|)")
_PIPE = re.compile(r"(?:\||.*?[^\\]\|)")
_MATH_START = re.compile(r" {0,3}\$\$")
_FOOTNOTE_DEF = re.compile(r" {0,3}\[\^\w[\w-]*\]:")
_LINK_DEF = re.compile(r" {0,3}\[[^\]]+\]:[ \t]*(?:<.*?>|\S.*)$")
_ABBREV_DEF = re.compile(r" {0,3}\*\[.+?\]:.*$")
_EXTENSION = re.compile(r" {0,3}\{::(\w+)(?:\s(?:\\\}|[^}])*?|)(/)?\}\s*$")
_ALD = re.compile(r" {0,3}\{:\w[\w-]*:(?:\\\}|[^}])+\}\s*$")
_BLOCK_EXTENSION = re.compile(r" {0,3}\{:")
_ITEM_IAL_ONLY = re.compile(r"\s*(?:\{:(?!(?:\w[\w-]*)?:|/)(?:\\\}|[^}])+\})?\s*$")
# Python-Markdown's own containers: !!! admonitions and ??? details, their body indented by four.
_BOX = re.compile(r"(?:!!!|\?\?\?\+?) ?[\w-]+(?: +[\w-]+)*(?: +\".*?\")? *$|\?\?\?\+? +\".*?\" *$")


def _blank(line: str) -> bool:
    """kramdown's blank line: spaces and tabs only (not every Unicode space, as str.strip would)."""
    return not line.strip(" \t\r\f\v")


def _spaces(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _table_separator(line: str) -> bool:
    """kramdown's TABLE_SEP_LINE: only ``+|:-``, spaces and tabs, with a ``-``."""
    return "-" in line and not line.strip("+|:- \t")


def unclosed_math(line: str) -> bool:
    """Whether ``line`` opens (or closes) a ``$$`` it does not close (or open) itself."""
    return line.count("$$") % 2 == 1


def _lazy_end(line: str) -> bool:
    """kramdown's LAZY_END: what ends a paragraph's or a quote's lazy lines."""
    return _blank(line) or bool(
        _IAL_BLOCK.match(line) or _EOB.match(line) or _HTML_STOP.match(line) or _HTML_START.match(line)
    )


def _paragraph_end(line: str) -> bool:
    """kramdown-parser-gfm's PARAGRAPH_END: lists, headings, quotes, fences and definitions interrupt."""
    return _lazy_end(line) or bool(
        _LIST_START.match(line) or _ATX.match(line) or _DL_START.match(line) or _QUOTE.match(line)
        or _FENCE.match(line)
    )


def _lazy_stop(line: str, indentation: int) -> bool:
    """What kramdown's lazy lines of an item refuse: an IAL or an HTML block tag at the item's level."""
    if _spaces(line) > min(indentation, 3):
        return False
    rest = line.lstrip(" ")
    return bool(_IAL_BLOCK.match(rest) or _HTML_STOP.match(rest) or _HTML_START.match(rest))


def _after_boundary(into: list[Node]) -> bool:
    """kramdown's after_block_boundary?: at the start, after a blank line or an end-of-block marker."""
    return not into or isinstance(into[-1], Blank) or into[-1] is EOB


def _boundary(line: str) -> bool:
    """kramdown's BLOCK_BOUNDARY, on the line after a block."""
    return _blank(line) or bool(_EOB.match(line) or _IAL_BLOCK.match(line))


def _first_line(indentation: int, content: str) -> tuple[str, int]:
    """kramdown's parse_first_list_line: an item's text, and the column its content starts at."""
    if _ITEM_IAL_ONLY.match(content):
        return content.strip(), 4
    return content.lstrip(" \t\r\f\v"), indentation + _spaces(content)


def _sibling(kind: str, indentation: int) -> re.Pattern[str]:
    """kramdown's fetch_pattern: the next item's marker may sit left of this item's text."""
    return _sibling_pattern(kind, min(max(indentation - 1, 0), 3))


@functools.cache
def _sibling_pattern(kind: str, most: int) -> re.Pattern[str]:
    marker = {"ul": r"[+*-]", "ol": r"\d+\.", "dl": ":"}[kind]
    return re.compile(rf"( {{0,{most}}}{marker})([\t| ].*)$", re.S)


class _Lines:
    """A container's lines, with look-ahead indexes, each built on first use in one pass."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.n = len(lines)
        self._next: dict[str, list[int]] = {}
        self._closers: dict[str, list[tuple[int, int]]] = {}
        self._longest: dict[str, list[int]] = {}
        self._html: dict[tuple[int, str], int] | None = None
        self._unclosed: dict[str, int] = {}

    def next_with(self, needle: str, i: int) -> int:
        """The first line at or after ``i`` holding ``needle``; ``n`` when there is none."""
        found = self._next.get(needle)
        if found is None:
            found = [self.n] * (self.n + 1)
            for k in range(self.n - 1, -1, -1):
                found[k] = k if needle in self.lines[k] else found[k + 1]
            self._next[needle] = found
        return found[min(i, self.n)]

    def fence_end(self, start: int, char: str, size: int) -> int | None:
        """The line closing a fence of ``size`` times ``char`` opened at ``start``, if any."""
        if not self._closers:
            # Closing lines by character, as (line, length), and the longest closer from each on.
            self._closers = {"`": [], "~": []}
            for k, line in enumerate(self.lines):
                m = _FENCE_CLOSE.match(line)
                if m:
                    self._closers[m[1][0]].append((k, len(m[1])))
            for c, closers in self._closers.items():
                longest = [0] * (len(closers) + 1)
                for k in range(len(closers) - 1, -1, -1):
                    longest[k] = max(closers[k][1], longest[k + 1])
                self._longest[c] = longest
        found = self._closers[char]
        first = bisect.bisect_right(found, (start, 1 << 62))
        if self._longest[char][first] < size:
            return None
        # The first closer long enough: every line passed over becomes the fence's content.
        return next(found[k][0] for k in range(first, len(found)) if found[k][1] >= size)

    def html_end(self, start: int, name: str) -> int | None:
        """The line where the element ``name`` opened first on line ``start`` closes (same-name nesting)."""
        if self._html is None:
            self._html = {}
            stacks: dict[str, list[tuple[int, bool]]] = {}
            for k, line in enumerate(self.lines):
                if "<" not in line:
                    continue
                for n, m in enumerate(_HTML_TAG.finditer(line)):
                    closing, tag, self_closing = m[1], m[2].lower(), m[3]
                    if closing:
                        if stacks.get(tag):
                            opened, first = stacks[tag].pop()
                            if first:
                                self._html[(opened, tag)] = k
                    elif not self_closing and tag not in _VOID:
                        stacks.setdefault(tag, []).append((k, n == 0))
        return self._html.get((start, name))

    def extension_end(self, start: int, name: str) -> int | None:
        """The line of ``{:/name}`` (or ``{:/}``) closing the extension opened at ``start``."""
        if start >= self._unclosed.get(name, self.n + 1):
            return None  # none after an earlier one either
        stop = re.compile(rf" {{0,3}}\{{:/(?:{re.escape(name)})?\}}\s*$")
        k = self.next_with("{:/", start + 1)
        while k < self.n:
            if stop.match(self.lines[k]):
                return k  # the lines passed over are the extension's body
            k = self.next_with("{:/", k + 1)
        self._unclosed[name] = start
        return None


def read(lines: list[str]) -> list[Node]:
    """The block tree of a page, given as lines with tabs expanded to 4-column stops."""
    nodes: list[Node] = []
    _Reader(0).blocks(lines, nodes)
    return nodes


class _Reader:
    def __init__(self, depth: int) -> None:
        self.depth = depth

    def inner(self, lines: list[str], into: list[Node]) -> None:
        """Read a container's content one level deeper (past MAX_DEPTH, keep it as it is)."""
        if self.depth >= MAX_DEPTH:
            into.append(Leaf("verbatim", lines))
        else:
            _Reader(self.depth + 1).blocks(lines, into)

    def blocks(self, lines: list[str], into: list[Node]) -> None:
        src = _Lines(lines)
        i = 0
        while i < src.n:
            i = self.block(src, i, into)

    def block(self, src: _Lines, i: int, into: list[Node]) -> int:
        """Read the block at line ``i`` into ``into``; return the line after it."""
        line = src.lines[i]
        if _blank(line):
            j = i
            while j < src.n and _blank(src.lines[j]):
                j += 1
            if not (into and isinstance(into[-1], Blank)):
                into.append(Blank())
            return j
        if line.startswith("    "):
            return self.code(src, i, into)
        for attempt in (self.fence, self.quote, self.heading, self.rule, self.items, self.definitions, self.html,
                        self.setext, self.math, self.table, self.footnote, self.definition_line, self.extension,
                        self.end_of_block, self.box):
            found = attempt(src, i, into)
            if found is not None:
                return found
        return self.paragraph(src, i, into)

    # -- Leaves --------------------------------------------------------------------------------------

    def code(self, src: _Lines, i: int, into: list[Node]) -> int:
        """Indented code: indented lines, with blank lines between, and lazy lines glued on (kramdown's)."""
        end = _code_end(src, i)
        code: list[str] = []
        for line in src.lines[i:end]:
            if code and not _blank(line) and _spaces(line) < 4:
                code[-1] += " " + line  # kramdown joins a lazy line to the code line before it
            else:
                code.append(line[4:])
        into.append(Leaf("code", code))
        return end

    def fence(self, src: _Lines, i: int, into: list[Node]) -> int | None:
        m = _FENCE.match(src.lines[i])
        if not m or not _FENCE_INFO.match(m[2]) or (m[1][0] == "`" and "`" in m[2]):
            return None
        end = src.fence_end(i, m[1][0], len(m[1]))
        if end is None:
            return None
        # kramdown keeps the content lines as they are (it strips no fence indentation).
        into.append(Leaf("fence", [m[1] + m[2], *src.lines[i + 1 : end], m[1]]))
        return end + 1

    def heading(self, src: _Lines, i: int, into: list[Node]) -> int | None:
        m = _ATX.match(src.lines[i])
        if not m or not re.sub(r"[\t ]#+$", "", m[2].rstrip()).rstrip():
            return None
        into.append(Leaf("heading", [src.lines[i]]))
        return i + 1

    def rule(self, src: _Lines, i: int, into: list[Node]) -> int | None:
        m = _HR.match(src.lines[i])
        if not m:
            return None
        into.append(Leaf("rule", [m[1] * 3]))
        return i + 1

    def setext(self, src: _Lines, i: int, into: list[Node]) -> int | None:
        lines = src.lines
        if not (i + 1 < src.n and _after_boundary(into) and _SETEXT_TEXT.match(lines[i])
                and _SETEXT_LINE.match(lines[i + 1])):
            return None
        into.append(Leaf("setext", [lines[i], lines[i + 1]]))
        return i + 2

    def math(self, src: _Lines, i: int, into: list[Node]) -> int | None:
        """Display math: ``$$ ... $$`` with a block boundary before and after."""
        first = src.lines[i]
        if not _MATH_START.match(first) or not _after_boundary(into):
            return None
        rest = first[first.index("$$") + 2 :]
        if "$$" in rest:
            end, tail = i, rest[rest.index("$$") + 2 :]
        else:
            end = src.next_with("$$", i + 1)
            if end >= src.n:
                return None
            tail = src.lines[end][src.lines[end].index("$$") + 2 :]
        if tail.strip() or not (end + 1 >= src.n or _boundary(src.lines[end + 1])):
            return None
        into.append(Leaf("math", src.lines[i : end + 1]))
        return end + 1

    def html(self, src: _Lines, i: int, into: list[Node]) -> int | None:
        line = src.lines[i]
        text = line.lstrip(" ")
        if text.startswith("<!--"):
            if _spaces(line):
                return None  # kramdown takes a comment at the very start of the line only
            end = i if "-->" in text[4:] else src.next_with("-->", i + 1)
            if end >= src.n:
                return None
        else:
            tag = _HTML_TAG.match(text)
            if not _HTML_START.match(line) or tag is None or tag[1]:
                return None  # a closing tag opens nothing
            name = tag[2].lower()
            found = i if tag[3] or name in _VOID else src.html_end(i, name)
            # Unclosed, it runs to the end (of the page, or of the item or quote it is in), as it does
            # in kramdown, and in Python-Markdown, which keeps it all as HTML.
            end = found if found is not None else src.n - 1
        into.append(Leaf("html", src.lines[i : end + 1]))
        return end + 1

    def table(self, src: _Lines, i: int, into: list[Node]) -> int | None:
        """A table: lines with a pipe, with a block boundary before and after, and a body."""
        lines = src.lines
        if not _TABLE_LINE.match(lines[i]) or not _after_boundary(into):
            return None
        j = i
        while j < src.n and _PIPE.match(lines[j]):
            j += 1
        if j < src.n and not _boundary(lines[j]):
            return None
        rows = lines[i:j]
        # kramdown also takes rows without a |---| line under the first, often by accident (a "|" in
        # $...$); Python-Markdown cannot, so the site keeps them as text.
        if len(rows) < 3 or not _table_separator(rows[1]) or all(_table_separator(row) for row in rows[2:]):
            return None
        into.append(Leaf("table", rows))
        return j

    def footnote(self, src: _Lines, i: int, into: list[Node]) -> int | None:
        """A footnote definition: the text after ``[^1]:`` and what kramdown reads as code after it."""
        m = _FOOTNOTE_DEF.match(src.lines[i])
        if not m:
            return None
        end = _code_end(src, i + 1)
        body = [src.lines[i][m.end() :].lstrip(" "), *(line[4:] if line.startswith("    ") else line
                                                       for line in src.lines[i + 1 : end])]
        children: list[Node] = []
        self.inner(body, children)
        into.append(Box(m[0].strip(), children))
        return end

    def definition_line(self, src: _Lines, i: int, into: list[Node]) -> int | None:
        """A link, abbreviation or attribute definition: one line, kept as it is."""
        line = src.lines[i]
        if not (_LINK_DEF.match(line) or _ABBREV_DEF.match(line) or _ALD.match(line)):
            return None
        into.append(Leaf("verbatim", [line]))
        return i + 1

    def extension(self, src: _Lines, i: int, into: list[Node]) -> int | None:
        """A block attribute list ``{: ...}`` or an extension ``{::comment} ... {:/comment}``."""
        line = src.lines[i]
        if not _BLOCK_EXTENSION.match(line):
            return None
        if _IAL_BLOCK.match(line):
            # Right under a block it is that block's; after a blank line, the next block's.
            glued = bool(into) and not isinstance(into[-1], Blank)
            into.append(Leaf("attributes" if glued else "verbatim", [line]))
            return i + 1
        m = _EXTENSION.match(line)
        if m is None:
            return None
        end = i if m[2] else src.extension_end(i, m[1])
        if end is None:
            return None
        into.append(Leaf("verbatim", src.lines[i : end + 1]))
        return end + 1

    def end_of_block(self, src: _Lines, i: int, into: list[Node]) -> int | None:
        if not _EOB.match(src.lines[i]):
            return None
        into.append(EOB)
        return i + 1

    def paragraph(self, src: _Lines, i: int, into: list[Node]) -> int:
        lines = src.lines
        j = i + 1
        # A $$ left open holds the paragraph together (kramdown would let a list start inside it).
        math = unclosed_math(lines[i])
        while j < src.n and (math or not _paragraph_end(lines[j])):
            if unclosed_math(lines[j]):
                math = not math
            j += 1
        last = into[-1] if into else None
        if isinstance(last, Leaf) and last.kind == "para":
            last.lines.extend(lines[i:j])  # kramdown adds a paragraph to the one right before it
        else:
            into.append(Leaf("para", lines[i:j]))
        return j

    # -- Containers ----------------------------------------------------------------------------------

    def quote(self, src: _Lines, i: int, into: list[Node]) -> int | None:
        """A quote: every line up to a blank one (lazy lines too), less one ``>`` each."""
        lines = src.lines
        if not _QUOTE.match(lines[i]):
            return None
        j = i + 1
        while j < src.n and not _lazy_end(lines[j]):
            j += 1
        children: list[Node] = []
        self.inner([_unquote(line) for line in lines[i:j]], children)
        into.append(Quote(children))
        return j

    def box(self, src: _Lines, i: int, into: list[Node]) -> int | None:
        """An admonition or details block (Python-Markdown's, not kramdown's): its body indented by four."""
        lines = src.lines
        if not _BOX.match(lines[i]):
            return None
        j = end = i + 1
        while j < src.n and (_blank(lines[j]) or lines[j].startswith("    ")):
            j += 1
            if not _blank(lines[j - 1]):
                end = j
        children: list[Node] = []
        self.inner([line[4:] for line in lines[i + 1 : end]], children)
        into.append(Box(lines[i], children))
        return end

    def items(self, src: _Lines, i: int, into: list[Node]) -> int | None:
        """A list (kramdown's parse_list): the items, and the lines that belong to each."""
        lines = src.lines
        kind = "ul" if _UL_START.match(lines[i]) else "ol" if _OL_START.match(lines[i]) else None
        if kind is None:
            return None
        start = _UL_START if kind == "ul" else _OL_START
        found: list[Item] = []
        chunks: list[list[list[str]]] = []
        """Each item's lines, in chunks: kramdown reads a list nested under the item's text apart."""
        indentation = 0
        nested = last_blank = eob = False
        j = i
        while j < src.n:
            line = lines[j]
            if last_blank and _HR.match(line):
                break
            if _EOB.match(line):
                eob = True
                j += 1
                break
            m = start.match(line)
            if m:
                text, indentation = _first_line(len(m[1]), m[2])
                if found:
                    found[-1].blank_after = last_blank
                found.append(Item(m[1].strip()))
                chunks.append([[text]])
                start = _sibling(kind, indentation)
                nested = bool(_LIST_START.match(text))
                last_blank = False
            elif _blank(line):
                nested = last_blank = True
                chunks[-1][-1].append("")
            else:
                indented = _spaces(line) >= indentation
                if not indented and (last_blank or _lazy_stop(line, indentation)):
                    break
                text = line[indentation:] if indented else line
                if not nested and indented and _LIST_START.match(text):
                    chunks[-1].append([])
                    nested = True
                elif nested and not indented and _LIST_START.match(text):
                    text = " " * (indentation + 4) + text
                chunks[-1][-1].append(text)
                last_blank = False
            j += 1
        trailing = False
        for item, parts in zip(found, chunks, strict=True):
            for part in parts:
                self.inner(part, item.children)
            # A blank line at the end of an item is not the item's (the last one's goes after the list).
            trailing = bool(item.children) and isinstance(item.children[-1], Blank)
            if trailing:
                item.children.pop()
        into.append(List(found))
        if eob:
            into.append(EOB)
        elif trailing:
            into.append(Blank())
        return j

    def definitions(self, src: _Lines, i: int, into: list[Node]) -> int | None:
        """A definition list: the paragraph right before (or one blank line before) is its terms."""
        lines = src.lines
        if not _DL_START.match(lines[i]):
            return None
        last = into[-1] if into else None
        after_blank = isinstance(last, Blank)
        if last is None or (len(into) == 1 and not _is_para(last)) or (
            len(into) >= 2 and not _is_para(last) and not (after_blank and _is_para(into[-2]))
        ):
            return None
        if after_blank:
            into.pop()
        para = into.pop()
        assert isinstance(para, Leaf)
        entries: list[str | Definition] = [line.strip() for line in para.lines]
        start = _DL_START
        definition: Definition | None = None
        indentation = 0
        last_blank = False
        j = i
        while j < src.n:
            line = lines[j]
            m = start.match(line)
            if m:
                text, indentation = _first_line(len(m[1]), m[2])
                definition = Definition([text], after_blank)
                entries.append(definition)
                start = _sibling("dl", indentation)
                after_blank = last_blank = False
            elif _EOB.match(line):
                break
            elif _blank(line):
                assert definition is not None
                definition.lines.append("")
                after_blank = last_blank = True
            else:
                assert definition is not None
                indented = _spaces(line) >= indentation
                if not indented and (last_blank or _lazy_stop(line, indentation)):
                    break
                definition.lines.append(line[indentation:] if indented else line)
                after_blank = last_blank = False
            j += 1
        trailing = False
        for entry in entries:
            if isinstance(entry, Definition):
                self.inner(entry.lines, entry.children)
                entry.lines = []
                trailing = bool(entry.children) and isinstance(entry.children[-1], Blank)
                if trailing:
                    entry.children.pop()
        # Right after a definition list (or one blank line after it), the new one continues it.
        if len(into) >= 2 and isinstance(into[-1], Blank) and isinstance(into[-2], Definitions):
            into.pop()
            entries.insert(0, "")  # a blank line before the new terms
        previous = into[-1] if into else None
        if isinstance(previous, Definitions):
            previous.entries.extend(entries)
        else:
            into.append(Definitions(entries))
        if trailing:
            into.append(Blank())
        return j


def _code_end(src: _Lines, i: int) -> int:
    """kramdown's CODEBLOCK_MATCH from line ``i``: indented lines, blank lines before more of them,
    and the lazy lines (not blank, not an attribute list or HTML tag) after them."""
    lines, n = src.lines, src.n
    end = i
    while True:
        k = end
        while k < n and _blank(lines[k]):
            k += 1
        if not (k < n and lines[k].startswith("    ")):
            return end
        while k < n and lines[k].startswith("    ") and not _blank(lines[k]):
            k += 1
        while k < n and not _blank(lines[k]) and not (
            _IAL_BLOCK.match(lines[k]) or _EOB.match(lines[k]) or _HTML_STOP.match(lines[k])
            or _HTML_START.match(lines[k])
        ):
            k += 1
        end = k


def _is_para(node: Node | None) -> bool:
    return isinstance(node, Leaf) and node.kind == "para"


def _unquote(line: str) -> str:
    m = _QUOTE.match(line)
    return line[m.end() :] if m else line
