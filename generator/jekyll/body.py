"""A post's body as a log's: kramdown and Liquid turned into what the site's Markdown reads.

Passes, in order: code (``code``: fences kept, ``{% highlight %}`` made fences);
blocks (display math set apart, kramdown options, comments and attribute lists);
each line's text (Liquid, math, strikethrough, span attribute lists, links:
``links``); then the page's shape: ``#`` headings one rank down, since the front
matter's title is the page's heading, the subtitle and the excerpt on top, and
the excerpt separator (``generator.excerpt``).

Code is never touched (tabs stay), and math is kept as written (``\\|``, ``<``).
List indentation is left to the site's Markdown extension, which reads lists as
kramdown does.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..excerpt import SEPARATOR, SUBTITLE_MARK, with_separator
from ..qa import parser
from .code import FENCE, Line, Problem, code_blocks
from .links import LinkRewriter

_SITE_VAR = re.compile(r"\{\{-?\s*site\.(?:baseurl|url|github\.url)\s*-?\}\}")
_URL_FILTER = re.compile(
    r"""\{\{-?\s*(?P<q>["'])(?P<path>[^"']*)(?P=q)\s*\|\s*"""
    r"""(?:relative_url|absolute_url|prepend:\s*site\.(?:baseurl|url))\s*-?\}\}"""
)
_LIQUID = re.compile(r"\{\{.*?\}\}|\{%.*?%\}")
_HANDLED_LIQUID = re.compile(r"\{%-?\s*(?:post_url\b|(?:end)?highlight\b)")
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`).+?(?<!`)\1(?!`)")
_MATH_SPAN = re.compile(r"(?<!\\)\$\$.+?(?<!\\)\$\$|(?<![\\$])\$(?!\s|\$).*?(?<![\\\s])\$(?!\d)")
_INLINE_DISPLAY = re.compile(r"(?<!\\)\$\$(?P<tex>.+?)(?<!\\)\$\$")
_ZWSP = re.compile(r"[\u200b\u2060\ufeff]*(\$+)[\u200b\u2060\ufeff]*")
_STRIKE = re.compile(r"(?<!~)~~(?=\S)(?P<text>[^~]+?)(?<=\S)~~(?!~)")
_MORE = re.compile(r"<!--\s*more\s*-->")
_SPAN_IAL = re.compile(r"(?<=[)\]*_`])\{:(?!:)(?P<attrs>[^}\n]*)\}")
_STRAY_IAL = re.compile(r"\{:(?!:)[^}\n]*\}")
_BLOCK_IAL = re.compile(r"^(?P<indent>[ \t]*)\{:(?!:)(?P<attrs>[^}\n]*)\}[ \t]*$")
_ALD = re.compile(r"^[ \t]*\{:[\w-]+:[^}]*\}[ \t]*$")
_EXTENSION = re.compile(r"\{::[^}]*\}")
_OPTIONS = re.compile(r"^[ \t]*\{::options\b[^}]*\}[ \t]*$")
_COMMENT_OPEN = re.compile(r"^[ \t]*\{::comment\}[ \t]*$")
_COMMENT_CLOSE = re.compile(r"^[ \t]*\{:/(?:comment)?\}[ \t]*$")
_DEFINITION = re.compile(r"^(?P<indent> {0,3}):(?:\t[ \t]*| {2,})(?=\S)")
_ATTR = re.compile(r"""[.#][\w-]+|[\w-]+=(?:"[^"]*"|'[^']*'|[^\s"']+)|\S+""")
_LIST_PREFIX = re.compile(r"^(?:[ \t]*>)*[ \t]*(?:(?:[*+-]|\d{1,9}[.)])[ \t]+)?")
_HEADING_HASHES = re.compile(r"^(?P<lead>(?:[ \t]*>)*[ \t]*(?:(?:[*+-]|\d{1,9}[.)])[ \t]+)?[ \t]*)(?P<hashes>#{1,6})"
                             r"(?=[ \t]|$)")


class BodyConverter:
    """The block pass and the line pass over one post's body."""

    def __init__(self, body: str, problem: Problem, links: LinkRewriter) -> None:
        self.source = body.split("\n")
        self.problem = problem
        self.inline = _Inline(problem, links)

    def convert(self) -> str:
        lines = code_blocks(self.source, self.problem)
        return "\n".join(line.text for line in self._blocks(lines))

    def _blocks(self, lines: list[Line]) -> list[Line]:
        kinds = _line_kinds("\n".join(line.text for line in lines))
        for n, kind in enumerate(kinds):
            if kind[0] in ("code_block", "fence"):
                lines[n].code = True
        out: list[Line] = []
        in_comment = False
        n = 0
        while n < len(lines):
            line = lines[n]
            display = None if line.code else _display_math(lines, n)
            if line.code or in_comment and not _COMMENT_CLOSE.match(line.text):
                out.append(line)
            elif display is not None:
                # Display math is a block of its own: blank lines around it, or Python-Markdown
                # reads it as text of the paragraph it is glued to (and eats its backslashes).
                own_item = _LIST_PREFIX.match(line.text)[0].strip() != ""  # type: ignore[index]
                if not own_item and out and out[-1].text.strip():
                    out.append(Line("", None))
                out.extend(Line(_ZWSP.sub(r"\1", lines[k].text), lines[k].src) for k in range(n, display))
                if not own_item and display < len(lines) and lines[display].text.strip():
                    out.append(Line("", None))
                n = display
                continue
            elif _OPTIONS.match(line.text):
                self.problem(line.src, f"kramdown options `{line.text.strip()}` dropped: they only configure kramdown",
                             None)
            elif _COMMENT_OPEN.match(line.text) or in_comment:
                # kramdown's comment block: an HTML comment says the same.
                in_comment = not in_comment
                out.append(Line(line.text.replace(line.text.strip(), "<!--" if in_comment else "-->"), line.src))
            elif _ALD.match(line.text):
                self.problem(line.src, f"kramdown attribute definition `{line.text.strip()}` dropped",
                             "Python-Markdown has no named attribute lists; put the attributes on the element")
            elif (ial := _BLOCK_IAL.match(line.text)) is not None:
                self._block_ial(line, ial, out, kinds[n - 1] if n else ("", False))
            else:
                out.append(Line(self.inline.line(line), line.src))
            n += 1
        return out

    def _block_ial(self, line: Line, m: re.Match[str], out: list[Line], before: tuple[str, bool]) -> None:
        """``{: .class}`` on its own line: kept where attr_list means the same, else reported and dropped."""
        words = m["attrs"].split()
        previous = out[-1] if out else None
        if words and words[0].lower() == "toc":
            dropped = [line.src]
            while out and out[-1].text.strip() and re.match(r"^\s*(?:[*+-]|\d+\.)\s", out[-1].text):
                dropped.insert(0, out.pop().src)
            first = next((s for s in dropped if s is not None), line.src)
            self.problem(first, "kramdown's table of contents (`{:toc}` and its list) dropped",
                         "Material shows the table of contents beside the page")
            return
        kind, in_list = before
        if previous is None or not previous.text.strip():
            where = "a block after a blank line"
        elif previous.code and FENCE.match(previous.text):
            lang = [w[len(".language-"):] for w in words if w.startswith(".language-")]
            opening = next((o for o in reversed(out) if o.code and FENCE.match(o.text) and o is not previous), None)
            fence = FENCE.match(opening.text) if opening is not None else None
            if lang and len(words) == 1 and opening is not None and fence is not None and not fence["info"].strip():
                opening.text = opening.text.rstrip() + lang[0]  # kramdown's way to name a code block's language
                return
            where = "a code block"
        elif kind in ("heading", "paragraph") and not (kind == "paragraph" and in_list):
            attrs = self.inline.attrs(m["attrs"], line.src)
            if attrs and kind == "heading":
                previous.text = f"{previous.text.rstrip()} {{ {' '.join(attrs)} }}"
            elif attrs:
                out.append(Line(f"{m['indent']}{{ {' '.join(attrs)} }}", line.src))
            return
        else:
            where = {"table": "a table", "hr": "a rule", "html_block": "an HTML block"}.get(
                kind, "a list" if in_list else f"a {kind or 'block'}")
        self.problem(line.src, f"kramdown attribute list `{line.text.strip()}` on {where} dropped",
                     "Python-Markdown's attr_list cannot put attributes there; edit the HTML by hand if you need them")


class _Inline:
    """One line of text: Liquid, math, strikethrough, attribute lists and links; code spans kept."""

    def __init__(self, problem: Problem, links: LinkRewriter) -> None:
        self.problem = problem
        self.links = links

    def line(self, line: Line) -> str:
        text = _MORE.sub(SEPARATOR, line.text)
        text = _DEFINITION.sub(r"\g<indent>: ", text)
        out = []
        for n, (chunk, is_code) in enumerate(_split_code(text)):
            if not is_code:
                chunk = self.liquid(chunk, line.src)
                chunk = _ZWSP.sub(r"\1", chunk)
                chunk = _INLINE_DISPLAY.sub(lambda m: f"${m['tex'].strip()}$", chunk)
                chunk = _outside_math(chunk, lambda s: _STRIKE.sub(r"<del>\g<text></del>", s))
                chunk = _outside_math(chunk, lambda s: self._span_ials(s, line.src))
                extension = _EXTENSION.search(chunk)
                if extension:
                    self.problem(line.src, f"kramdown extension `{extension[0]}` left as it is",
                                 "Python-Markdown does not know it; edit the line by hand")
                chunk = self.links.line(chunk, line.src, line_start=n == 0)
            out.append(chunk)
        return "".join(out)

    def liquid(self, text: str, src: int | None) -> str:
        text = _URL_FILTER.sub(lambda m: m["path"], text)
        text = self.links.liquid(_SITE_VAR.sub("", text), src)
        for m in _LIQUID.finditer(text):
            if not _HANDLED_LIQUID.match(m[0]):
                self.problem(src, f"Liquid `{m[0]}` left as it is: the site does not run Liquid",
                             "replace it with its value, or delete it")
        return text

    def _span_ials(self, text: str, src: int | None) -> str:
        def convert(m: re.Match[str]) -> str:
            attrs = self.attrs(m["attrs"], src)
            return f"{{ {' '.join(attrs)} }}" if attrs else ""

        def stray(m: re.Match[str]) -> str:
            self.problem(src, f"kramdown attribute list `{m[0]}` dropped: nothing here takes attributes",
                         "attr_list puts attributes on an image, link or emphasis right before it")
            return ""

        return _STRAY_IAL.sub(stray, _SPAN_IAL.sub(convert, text))

    def attrs(self, attrs: str, src: int | None) -> list[str]:
        """kramdown attributes as attr_list takes them; the rest reported and dropped."""
        kept, dropped = [], []
        for attr in _ATTR.findall(attrs):
            if (attr.startswith((".", "#")) or "=" in attr) and attr not in (".no_toc", ".no-toc"):
                kept.append(attr)
            else:
                dropped.append(attr)
        if dropped:
            self.problem(src, f"kramdown attribute{'s' if len(dropped) > 1 else ''} {', '.join(dropped)} dropped",
                         "Python-Markdown has no equivalent" if ".no_toc" in dropped
                         else "attribute list references to named definitions do not exist in Python-Markdown")
        return kept


def demote_headings(text: str) -> str:
    """Every heading one rank down when the body has a ``#`` one: the front matter's title is the page's heading.

    Jekyll themes show the title above the post, and the post's own ``#`` headings
    below it; on the site, a ``#`` heading would be taken for the page's title.
    ``===`` headings become ``##`` ones, and a ``######`` heading stays one.
    """
    tokens = [t for t in parser().parse(text) if t.type == "heading_open" and t.map]
    if not any(t.tag == "h1" for t in tokens):
        return text
    lines = text.split("\n")
    gone: set[int] = set()
    for tok in tokens:
        start, end = tok.map  # type: ignore[misc]
        if tok.markup.startswith("#"):
            m = _HEADING_HASHES.match(lines[start])
            if m and len(m["hashes"]) < 6:
                lines[start] = f"{m['lead']}#{m['hashes']}{lines[start][m.end():]}"
        elif end - start >= 2:  # a setext heading: its text, then a line of === or ---
            rank = 3 if tok.markup.startswith("-") else 2
            lines[start] = "#" * rank + " " + " ".join(line.strip() for line in lines[start : end - 1])
            gone.update(range(start + 1, end))
    return "\n".join(line for k, line in enumerate(lines) if k not in gone)


def page_body(body: str, *, subtitle: str | None, excerpt: str | None, separator: str) -> str:
    """The log's body: the subtitle under the title, then the post, with the excerpt separator placed.

    The post's own excerpt mark (``separator``, Jekyll's ``excerpt_separator``) becomes
    Material's; a post's ``excerpt`` becomes the text above the separator; else
    the separator goes where :func:`~generator.excerpt.excerpt_break` says.
    """
    head = [f"{subtitle}\n{SUBTITLE_MARK}"] if subtitle else []
    body = body.strip("\n")
    if separator.strip() and separator != SEPARATOR and separator in body:
        body = body.replace(separator, SEPARATOR, 1)
    if SEPARATOR not in body and excerpt:
        head += [excerpt, SEPARATOR]
    return with_separator("\n\n".join([*head, body]).strip("\n")) + "\n"


def _line_kinds(text: str) -> list[tuple[str, bool]]:
    """For each line: the innermost block markdown-it puts it in, and whether that is inside a list."""
    count = text.count("\n") + 1
    kinds: list[tuple[str, bool]] = [("", False)] * count
    stack: list[str] = []
    for tok in parser().parse(text):
        if tok.type == "inline":
            continue
        if tok.nesting == -1:
            if stack:
                stack.pop()
            continue
        if tok.map:
            kind = tok.type.removesuffix("_open")
            in_list = any(t == "list_item" for t in stack)
            for n in range(tok.map[0], min(tok.map[1], count)):
                kinds[n] = (kind, in_list)
        if tok.nesting == 1:
            stack.append(tok.type.removesuffix("_open"))
    return kinds


def _display_math(lines: list[Line], n: int) -> int | None:
    """If a ``$$`` display block starts at line ``n``, the index after its last line."""
    text = lines[n].text
    inner = text[_LIST_PREFIX.match(text).end() :].strip()  # type: ignore[union-attr]
    if not inner.startswith("$$"):
        return None
    if inner.endswith("$$") and len(inner) >= 4:
        return n + 1 if "$$" not in inner[2:-2] else None
    for k in range(n + 1, len(lines)):
        if lines[k].code:
            return None
        if lines[k].text.rstrip().endswith("$$"):
            return k + 1
        if not lines[k].text.strip():
            return None
    return None


def _split_code(text: str) -> list[tuple[str, bool]]:
    """``text`` in pieces, each marked whether it is an inline code span."""
    parts: list[tuple[str, bool]] = []
    last = 0
    for m in _CODE_SPAN.finditer(text):
        parts.append((text[last : m.start()], False))
        parts.append((m[0], True))
        last = m.end()
    parts.append((text[last:], False))
    return parts


def _outside_math(text: str, change: Callable[[str], str]) -> str:
    """``change`` applied to the parts of ``text`` outside ``$...$`` and ``$$...$$``."""
    out: list[str] = []
    last = 0
    for m in _MATH_SPAN.finditer(text):
        out.append(change(text[last : m.start()]))
        out.append(m[0])
        last = m.end()
    out.append(change(text[last:]))
    return "".join(out)
