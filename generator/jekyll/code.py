"""The body's first pass: code. Fences are kept verbatim, ``{% highlight %}`` becomes a fence.

What comes out is the body as :class:`Line` records, each knowing the line of the
post it came from and whether it is code, which every later pass leaves alone
(tabs stay tabs, Liquid in code stays as written).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
_HIGHLIGHT = re.compile(
    r"^(?P<indent>[ \t]*)\{%-?\s*highlight\s+(?P<lang>[^\s%]+)(?P<opts>[^%]*?)\s*-?%\}(?P<after>.*)$"
)
_ENDHIGHLIGHT = re.compile(r"\{%-?\s*endhighlight\s*-?%\}")
RAW_TAG = re.compile(r"\{%-?\s*(?:end)?raw\s*-?%\}")

Problem = Callable[[int | None, str, str | None], None]


@dataclass
class Line:
    text: str
    src: int | None
    """0-based line of the body it came from (None for a line the import added)."""
    code: bool = False


def code_blocks(source: list[str], problem: Problem) -> list[Line]:
    """Fences kept verbatim, ``{% highlight %}`` turned into fences, ``{% raw %}`` tags dropped."""
    out: list[Line] = []
    i = 0
    while i < len(source):
        line = source[i]
        m = _HIGHLIGHT.match(line)
        fence = FENCE.match(line)
        if fence and fence["fence"][0] == "`" and "`" in fence["info"]:
            fence = None  # "```code```" is inline code, not a fence
        if m:
            i = _highlight(source, i, m, out, problem)
            continue
        if fence:
            out.append(Line(line, i, code=True))
            char, size = fence["fence"][0], len(fence["fence"])
            closing = re.compile(rf"^[ \t]*{re.escape(char)}{{{size},}}[ \t]*$")
            i += 1
            while i < len(source):
                text = RAW_TAG.sub("", source[i])
                if text.strip() or not RAW_TAG.search(source[i]):
                    out.append(Line(text, i, code=True))
                if closing.match(source[i]):
                    break
                i += 1
            i += 1
            continue
        text = RAW_TAG.sub("", line)
        if text.strip() or not RAW_TAG.search(line):
            out.append(Line(text, i))
        i += 1
    return out


def _highlight(source: list[str], start: int, m: re.Match[str], out: list[Line], problem: Problem) -> int:
    """A ``{% highlight lang %}`` block as a fence; the index of the line after it."""
    end = next((k for k in range(start, len(source))
                if _ENDHIGHLIGHT.search(source[k] if k > start else m["after"])), None)
    if end is None:
        problem(start, "`{% highlight %}` without `{% endhighlight %}`; left as it is",
                "close the block with {% endhighlight %}")
        out.append(Line(source[start], start))
        return start + 1
    content: list[tuple[str, int]] = []
    if m["after"].strip() and end > start:
        content.append((m["after"], start))
    for k in range(start + 1, end):
        content.append((RAW_TAG.sub("", source[k]), k))
    last = source[end] if end > start else m["after"]
    before_end, after_end = _ENDHIGHLIGHT.split(last, 1)
    if before_end.strip():
        content.append((before_end, end))
    longest = max((len(run) for text, _ in content for run in re.findall(r"`+", text)), default=0)
    ticks = "`" * max(3, longest + 1)
    info = m["lang"]
    opts = m["opts"].split()
    lines_marked = re.search(r"""(?:hl_lines|mark_lines)=["']([\d\s-]+)["']""", m["opts"])
    if "linenos" in opts or any(o.startswith("linenos=") for o in opts):
        info += ' linenums="1"'
    if lines_marked:
        info += f' hl_lines="{lines_marked[1].strip()}"'
    indent = m["indent"]
    # Jekyll's Markdown converter puts a blank line before and after what the tag renders
    # (highlighter_prefix and _suffix): a table or a list right after it is one.
    if out and out[-1].text.strip():
        out.append(Line("", None))
    out.append(Line(f"{indent}{ticks}{info}", start, code=True))
    out.extend(Line(text, k, code=True) for text, k in content)
    out.append(Line(f"{indent}{ticks}", end, code=True))
    if after_end.strip():
        out.append(Line("", None))
        out.append(Line(after_end.strip(), end))
    elif end + 1 < len(source) and source[end + 1].strip():
        out.append(Line("", None))
    return end + 1
