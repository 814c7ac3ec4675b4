"""Write a block tree in the one form Python-Markdown reads as the same structure.

- An item's content goes four columns right of its marker (``*   text``, ``1.  text``),
  where Python-Markdown nests, and where kramdown does too, so the result reads the
  same to both.
- Blocks are apart by a blank line, except a list right under an item's text (which
  Python-Markdown nests there, and keeps tight). After an item of several blocks a
  blank line comes before the next item, or Python-Markdown would read its marker as
  text of the item before.
- An item or definition whose first block is not a paragraph, list, heading or rule
  gets its marker on a line of its own (Python-Markdown reads nothing else on that line).
- A quote gets ``>`` on every line, blank ones too.
- Code, math, HTML and the like are copied line for line under the new indentation. An
  indented code block right after a list is written fenced, or Python-Markdown would
  read it as the list's. HTML inside an item or a quote goes to Python-Markdown's stash
  (``raw``), as HTML at the margin does: kramdown keeps it as it is, and Python-Markdown
  would otherwise read the Markdown inside it.
- A footnote's definition, like an admonition, is its head line and a body indented by four.
- A paragraph line that kramdown reads as text but Python-Markdown as markup (``#tag``,
  ``1. x`` inside an item's text, ``---`` under a line) gets its first character
  escaped; so does a table's ``|---|`` line in a paragraph kramdown does not read as a
  table; a line of the paragraph that starts with an HTML tag stays indented (at the
  margin, Python-Markdown would take the tag out of the paragraph). A table's ``|---|``
  line gets one cell per header cell, as Python-Markdown needs.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..qa import ANCHOR_PREFIX
from .reader import unclosed_math
from .tree import EOB, Blank, Box, Definition, Definitions, Leaf, List, Node, Quote

# The Q&A anchors (generator.markdown_ext, which runs first) go where markdown-it sees a question;
# where kramdown reads that line as code, the anchor would show in the code, so it is taken out.
_ANCHOR = re.compile(rf'<a id="{ANCHOR_PREFIX}\d+"></a>')

# What Python-Markdown reads as markup at the start of a line inside a paragraph.
_PM_ITEM = re.compile(r"(?:[*+-]|\d+\.)[ ]+")
# (An atomic group, as in Python-Markdown's own pattern: "-----x" must fail without trying every split.)
_PM_RULE = re.compile(r"(?>(?:-+[ ]{0,2}){3,}|(?:_+[ ]{0,2}){3,}|(?:\*+[ ]{0,2}){3,})[ ]*$")
_PM_SETEXT = re.compile(r"[=-]+[ ]*$")
_PM_DEFINITION = re.compile(r":[ ]{1,3}")
_PM_BOX = re.compile(r"(?:!!!|\?\?\?)")
_PM_NOTE = re.compile(r"\[\^[^\]]*\]:|\[[^\[\]]*\]:[ ]*\S")
_PM_FENCE = re.compile(r"`{3,}|~{3,}")
_PM_TABLE_SEP = re.compile(r"\|?[ ]*:?-+:?[ ]*(?:\|[ ]*:?-+:?[ ]*)*\|?[ ]*$")
_TICKS = re.compile(r"`+")
_MARKDOWN_ATTRIBUTE = re.compile(r"\smarkdown\b", re.I)
# Escapes that show the character itself: a backslash where Python-Markdown takes one, else an entity.
_ENTITY = {"`": "&#96;", "~": "&#126;", ":": "&#58;", "=": "&#61;", "?": "&#63;"}


def write(nodes: list[Node], raw: Callable[[str], str] | None = None) -> list[str]:
    """The lines of ``nodes``. With ``raw``, HTML inside an item, quote or definition is handed to it,
    and what it returns (a placeholder) is written instead; see :meth:`_Writer.leaf`."""
    writer = _Writer(raw)
    writer.nodes(nodes, "", "")
    return writer.out


def as_text(line: str, *, first: bool) -> str:
    """A paragraph line without its indentation, escaped where Python-Markdown would read markup."""
    text = line.lstrip(" \t")
    if not text:
        return text
    if not (
        text[0] in "#>" or _PM_ITEM.match(text) or _PM_BOX.match(text) or _PM_NOTE.match(text)
        or _PM_FENCE.match(text) or _PM_DEFINITION.match(text)
        or (not first and (_PM_SETEXT.match(text) or _PM_RULE.match(text)))
    ):
        return text
    if text[0] in _ENTITY:
        return _ENTITY[text[0]] + text[1:]
    if text[0].isdigit():  # "1. x": the dot
        dot = text.index(".")
        return f"{text[:dot]}\\{text[dot:]}"
    return "\\" + text


def _on_marker_line(node: Node) -> bool:
    """Whether Python-Markdown reads ``node`` right after a list marker (or ``:   ``) with what follows."""
    return isinstance(node, List) or (isinstance(node, Leaf) and node.kind in ("para", "heading", "rule"))


class _Writer:
    def __init__(self, raw: Callable[[str], str] | None) -> None:
        self.raw = raw
        self.out: list[str] = []
        self.blanks = 0
        """Blank lines written between blocks so far."""

    def blank(self, rest: str) -> None:
        self.out.append(rest.rstrip())
        self.blanks += 1

    def nodes(self, nodes: list[Node], first: str, rest: str, *, item: bool = False) -> None:
        """Write ``nodes``: ``first`` prefixes the first line written, ``rest`` every other.

        In an ``item``, a list right under the item's text stays right under it.
        """
        previous: Node | None = None
        block: Node | None = None
        """The last block written, less the attribute lines under it."""
        gap = False
        for node in nodes:
            if isinstance(node, Blank) or node is EOB:
                gap = True
                continue
            prefix = first if previous is None else rest
            if previous is not None:
                glued = not gap and (
                    (isinstance(node, Leaf) and node.kind == "attributes")
                    or (item and isinstance(node, List) and previous is nodes[0] and _is_para(previous))
                )
                if not glued:
                    self.blank(rest)
            if isinstance(node, Leaf) and node.kind == "code" and isinstance(block, (List, Definitions, Box)):
                self.fenced(node.lines, prefix, rest)  # indented, it would be read as the list's
            else:
                self.node(node, prefix, rest)
            previous = node
            if not (isinstance(node, Leaf) and node.kind == "attributes"):
                block = node
            gap = False

    def node(self, node: Node, first: str, rest: str) -> None:
        if isinstance(node, Leaf):
            self.leaf(node, first, rest)
        elif isinstance(node, List):
            apart = False
            for n, item in enumerate(node.items):
                if n and (node.items[n - 1].blank_after or apart):
                    self.blank(rest)
                before = self.blanks
                self.marked(item.marker.ljust(3) + " ", item.children, first if n == 0 else rest, rest)
                apart = self.blanks > before
        elif isinstance(node, Quote):
            if not node.children:
                self.out.append(first + ">")
            self.nodes(node.children, first + "> ", rest + "> ")
        elif isinstance(node, Definitions):
            self.definitions(node, first, rest)
        elif isinstance(node, Box):
            self.out.append(first + node.head.strip())
            self.nodes(node.children, rest + "    ", rest + "    ")

    def marked(self, marker: str, children: list[Node], first: str, rest: str) -> None:
        """An item (or a definition): the marker, and its content four columns in."""
        inner = rest + "    "
        if children and _on_marker_line(children[0]):
            self.nodes(children, first + marker, inner, item=marker.strip() != ":")
            return
        # Alone on its line, "- " under a line of text would be a heading's underline.
        self.out.append(first + ("*" + marker[1:] if marker.startswith("-") else marker))
        if children:
            self.blank(inner)
            self.nodes(children, inner, inner)

    def definitions(self, node: Definitions, first: str, rest: str) -> None:
        prefix = first
        apart = False
        terms: list[str] = []
        for entry in [*node.entries, None]:
            if isinstance(entry, str) and entry:
                terms.append(entry)
                continue
            if terms:
                # kramdown's terms were a paragraph, one term a line: written as one.
                self.paragraph(terms, prefix, rest)
                terms = []
                prefix = rest
            if entry == "":
                self.blank(rest)
            if not isinstance(entry, Definition):
                continue
            if entry.after_blank or apart:
                self.blank(rest)
            before = self.blanks
            self.marked(":   ", entry.children, prefix, rest)
            apart = self.blanks > before
            prefix = rest

    def paragraph(self, lines: list[str], first: str, rest: str) -> None:
        # Python-Markdown takes a comment at the start of a line out as a block of its own (kramdown
        # leaves it in the text, where it shows nothing): the rest is read apart.
        start = 0
        while start + 1 < len(lines) and lines[start].lstrip(" ").startswith("<!--") \
                and lines[start].rstrip().endswith("-->"):
            self.out.append(first + lines[start].lstrip(" "))
            start, first = start + 1, rest
        lines = lines[start:]
        math = False
        for n, line in enumerate(lines):
            text = line.lstrip(" \t") if math else as_text(line, first=n == 0)
            if n == 1 and "|" in lines[0] and _PM_TABLE_SEP.match(text) and "|" in text:
                text = "\\" + text  # Python-Markdown would read a table where kramdown reads text
            elif n and text.startswith("<"):
                text = "    " + text  # at the margin, Python-Markdown would take an HTML tag out of the text
            self.out.append((first if n == 0 else rest) + text)
            if unclosed_math(line):
                math = not math

    def fenced(self, lines: list[str], first: str, rest: str) -> None:
        lines = [_ANCHOR.sub("", line) for line in lines]
        ticks = "`" * max(3, 1 + max((len(run) for line in lines for run in re.findall(r"`+", line)), default=0))
        self.copy([ticks, *lines, ticks], first, rest)

    def copy(self, lines: list[str], first: str, rest: str) -> None:
        for n, line in enumerate(lines):
            self.out.append((first if n == 0 else rest) + line if line.strip() else rest.rstrip())

    def leaf(self, node: Leaf, first: str, rest: str) -> None:
        kind, lines = node.kind, node.lines
        if kind in ("code", "fence", "math"):
            lines = [_ANCHOR.sub("", line) for line in lines]
        if kind == "para":
            self.paragraph(lines, first, rest)
        elif kind == "code":
            self.copy(["    " + line if line.strip() else "" for line in lines], first, rest)
        elif kind == "setext":
            self.out.append(first + as_text(lines[0], first=True))
            self.out.append(rest + lines[1].strip())
        elif kind == "table":
            rows = [line.lstrip(" ") for line in lines]
            rows[1] = _separator(rows[0], rows[1])
            self.copy(rows, first, rest)
        elif kind in ("heading", "rule", "math"):
            self.copy([line.lstrip(" ") for line in lines], first, rest)
        elif kind == "html" and self.raw is not None and rest and not _MARKDOWN_ATTRIBUTE.search(lines[0]):
            # kramdown keeps HTML in an item as it is; Python-Markdown takes HTML as a block only at
            # the margin, and would read the Markdown inside it. So it goes by as a placeholder.
            self.copy([self.raw("\n".join(lines))], first, rest)
        else:  # fence, html, attributes, verbatim: line for line
            self.copy(lines, first, rest)


def _is_para(node: Node | None) -> bool:
    return isinstance(node, Leaf) and node.kind == "para"


def _cells(row: str) -> int:
    """How many cells Python-Markdown finds in a table row (pipes in code or escaped do not count)."""
    count = 1
    code = 0
    k = 0
    while k < len(row):
        char = row[k]
        if char == "\\":
            k += 2
            continue
        if char == "`":
            run = len(_TICKS.match(row, k)[0])  # type: ignore[index]  # a backtick is there
            code = 0 if code == run else (code or run)
            k += run
            continue
        if char == "|" and not code:
            count += 1
        k += 1
    stripped = row.strip()
    return count - stripped.startswith("|") - (stripped.endswith("|") and not stripped.endswith("\\|") and count > 1)


def _separator(header: str, line: str) -> str:
    """kramdown's ``|---|`` line as Python-Markdown needs it: one cell per header cell, only ``|:-``."""
    aligns = [cell.strip() for cell in re.split(r"[|+]", line.strip().strip("|+")) if cell.strip()]
    wanted = max(_cells(header), 1)
    if len(aligns) == wanted and set(line.strip()) <= set("|:- "):
        return line
    cells = []
    for n in range(wanted):
        align = aligns[n] if n < len(aligns) else "-"
        cells.append((":" if align.startswith(":") else "") + "---" + (":" if align.endswith(":") else ""))
    return "| " + " | ".join(cells) + " |"
