"""Small text helpers every module shares: one line of text, ASCII slugs, XML-safe text, YAML lines."""

from __future__ import annotations

import re
import unicodedata

# Characters XML 1.0 forbids even as references: user or arXiv text could hold them, SVG and RSS must not.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def one_line(text: object) -> str:
    """``text`` on one line: every run of whitespace (newlines too) becomes one space, none at the ends."""
    return " ".join(str(text).split())


def ascii_slug(text: str, separator: str = "-") -> str:
    """An ASCII URL slug: Latin letters (accents dropped) and digits kept, Hangul and the rest dropped.

    ``Level2-Day28`` gives ``level2-day28``; ``부스트캠프 28일차`` gives ``28``.
    """
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", separator, text.lower()).strip(separator)


def ascii_word(text: str) -> str:
    """``text`` as one lowercase ASCII word, for keys: ``Frédéric`` gives ``frederic``."""
    return ascii_slug(text, separator="")


def xml_text(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot hold, on one line."""
    return one_line(_NOT_XML.sub("", text))


def strip_not_xml(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot hold, line breaks kept."""
    return _NOT_XML.sub("", text)


def text_width(text: str, size: float = 12) -> float:
    """About how wide ``text`` is drawn at ``size``: wide (Hangul, CJK) characters 1em, others 0.6em.

    For SVG drawn at build time (charts, graphs), where nothing measures text.
    """
    if text.isascii():
        return len(text) * size * 0.6
    return sum(size if unicodedata.east_asian_width(ch) in "WF" else size * 0.6 for ch in text)


def fit_width(text: str, width: float, size: float = 12) -> str:
    """``text`` cut to fit ``width`` (see :func:`text_width`) with an ellipsis; one pass, whatever its length."""
    room = width - text_width("…", size)
    used = 0.0
    cut = 0
    for n, ch in enumerate(text):
        used += text_width(ch, size)
        if used > width:
            return text[:cut].rstrip() + "…"
        if used <= room:
            cut = n + 1
    return text


def yaml_line(error: BaseException, offset: int = 0) -> int | None:
    """The 1-based line a PyYAML error points at (its problem, else its context), plus ``offset``."""
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    return mark.line + 1 + offset if mark is not None else None


def yaml_problem(error: BaseException) -> str:
    """What a PyYAML error says is wrong, in one line."""
    return one_line(getattr(error, "problem", None) or getattr(error, "context", None) or str(error).split("\n")[0])


def plural(n: int, noun: str, nouns: str | None = None) -> str:
    """``1 log``, ``2 logs``: English counts for the CLI (the site's own words are translated elsewhere)."""
    return f"{n} {noun if n == 1 else (nouns or noun + 's')}"
