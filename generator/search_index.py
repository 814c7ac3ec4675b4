"""The search index a builder writes, with the words inside Korean compounds added to it.

Two builders write one, each read by its own search worker in the browser:

* Material for MkDocs: ``search/search_index.json``, ``{"config", "docs": [...]}``,
  read by lunr; the studylog plugin rewrites it after Material's search plugin
  wrote it (``search_hook``).
* Zensical: ``search.json``, ``{"config", "items": [...]}``, read by Zensical's own
  engine, and ``search.js`` (the same, as a script) when its offline plugin is on;
  ``python -m generator search-index`` (or ``build``, or ``serve``) rewrites them
  after ``zensical build``.

Both hold one record per page section, whose ``title`` and ``text`` are HTML
fragments; both workers index the words between the tags, split by the index's
``config.separator``, and match a query word against the start of a word (lunr's
trailing wildcard; Zensical's prefix expansion, on NFKD-decomposed text). So one
rewrite serves both. The words ``search_ko`` finds inside a compound go at the end
of each block of a field (a top-level list or paragraph: what Material shows as
a result preview) inside ``<span hidden="hidden">``: the workers index them like any other
text, and the previews, which render the text as HTML, do not show them. The
words the page shows keep their place, so every query that matched before still
matches, and highlights, as before. Tags are left alone.

Nothing here imports MkDocs or Zensical.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import StudylogError
from .fsutil import write_if_changed
from .memo import LastBuild
from .search_ko import Analyse, kiwi_analyse, site_inner_words

# `hidden="hidden"`, not a bare `hidden`: Zensical's previews render the text with Preact, which
# reads a bare `hidden` as `hidden=""`, false, and shows the words.
HIDDEN_OPEN = '<span hidden="hidden">'
HIDDEN_CLOSE = "</span>"
FIELDS = ("title", "text")
# Material's own default, used when the index's separator is not a Python regex.
_DEFAULT_SEPARATOR = r"[\s\-]+"


@dataclass(frozen=True)
class IndexFormat:
    """Where a builder writes its search index, and how."""

    builder: str
    path: str
    """Relative to the built site, with forward slashes."""
    sections: str
    """The key of the list of section records."""
    ascii: bool
    """Whether the builder writes non-ASCII as ``\\uXXXX`` (Material's ``json.dumps`` does)."""
    prefix: str = ""
    """Text before the JSON (an index for ``file://`` pages is a script)."""
    suffix: str = ""


MATERIAL = IndexFormat("Material for MkDocs", "search/search_index.json", "docs", ascii=True)
ZENSICAL = IndexFormat("Zensical", "search.json", "items", ascii=False)
ZENSICAL_OFFLINE = IndexFormat("Zensical (offline)", "search.js", "items", ascii=False,
                               prefix="var __index = ", suffix=";")
FORMATS = (MATERIAL, ZENSICAL, ZENSICAL_OFFLINE)


# -- a field's blocks ----------------------------------------------------------------------------


def _sections(value: str) -> Iterator[tuple[str, int, int, int]]:
    """Material's ``extract``, in Python: (kind, block, start, end) for each tag and text run.

    Kinds are "open" and "close" for the tags that open and close a top-level
    block, and "text". Nested tags are skipped, as the worker skips them.
    """
    block = start = stack = 0
    end = 0
    for end, char in enumerate(value):
        if char == "<" and end > start:
            yield "text", block, start, end
            start = end
        elif char == ">":
            if value[start + 1 : start + 2] == "/":
                stack -= 1
                if stack == 0:
                    yield "close", block, start, end + 1
                    block += 1
            elif value[end - 1 : end] != "/":
                if stack == 0:
                    yield "open", block, start, end + 1
                stack += 1
            start = end + 1
    end = len(value)
    if end > start:
        yield "text", block, start, end


def _words(value: str, separator: re.Pattern[str]) -> Iterator[tuple[int, str]]:
    """(block, word) for every word the worker indexes in a field value."""
    for kind, block, start, end in _sections(value):
        if kind == "text":
            for word in separator.split(value[start:end]):
                if word:
                    yield block, word


@dataclass(frozen=True)
class _Field:
    """A field value as the workers read it: the words of each block, and where each block ends."""

    words: tuple[tuple[int, tuple[str, ...]], ...]
    ends: tuple[tuple[int, int], ...]


def _read_field(value: str, separator: re.Pattern[str]) -> _Field:
    words: dict[int, list[str]] = {}
    for block, word in _words(value, separator):
        words.setdefault(block, []).append(word)
    ends = tuple((block, start) for kind, block, start, _ in _sections(value) if kind == "close") if words else ()
    return _Field(tuple((block, tuple(shown)) for block, shown in words.items()), ends)


# Under `mkdocs serve` the index is rewritten after every save, and most of its fields are
# the same as last time: each is read once (reading is a walk over every character).
_FIELDS: LastBuild[_Field] = LastBuild("search index fields")


def _field(value: str, separator: re.Pattern[str]) -> _Field:
    return _FIELDS.get((value, separator.pattern), lambda: _read_field(value, separator))[0]


def enrich_field(value: str, separator: re.Pattern[str], inner: Callable[[str], list[str]]) -> str:
    """``value`` with the inner words of each block appended to it, hidden."""
    field = _field(value, separator)
    if not field.words:
        return value
    # Where each block ends: before its closing tag, or at the end of the value.
    ends = dict(field.ends)
    inserts: list[tuple[int, str]] = []
    for block, shown in field.words:
        have = [w.lower() for w in shown]
        extra: list[str] = []
        for word in shown:
            extra.extend(inner(word))
        add: list[str] = []
        for word in sorted(set(extra), key=lambda w: (-len(w), w)):
            low = word.lower()
            # A word the block has, or a longer one starting with it, already matches it.
            if not any(h.startswith(low) for h in have):
                add.append(word)
                have.append(low)
        if add:
            inserts.append((ends.get(block, len(value)), HIDDEN_OPEN + " ".join(sorted(add)) + HIDDEN_CLOSE))
    for at, text in sorted(inserts, reverse=True):
        value = value[:at] + text + value[at:]
    return value


def strip_hidden(value: str) -> str:
    """A field value without what ``enrich_field`` added."""
    if HIDDEN_OPEN not in value:  # a builder's own field (38,000 at 2,000 papers): nothing to look for
        return value
    return re.sub(re.escape(HIDDEN_OPEN) + r"[^<]*" + re.escape(HIDDEN_CLOSE), "", value)


# -- the index -----------------------------------------------------------------------------------


def _separator(index: dict[str, Any]) -> re.Pattern[str]:
    pattern = (index.get("config") or {}).get("separator") or _DEFAULT_SEPARATOR
    try:
        return re.compile(pattern)
    except re.error:  # JavaScript-only syntax
        return re.compile(_DEFAULT_SEPARATOR)


def _values(records: list[dict[str, Any]]) -> Iterator[tuple[dict[str, Any], str]]:
    for record in records:
        for field in FIELDS:
            if isinstance(record.get(field), str):
                yield record, field


def segment_index(index: dict[str, Any], analyse: Analyse = kiwi_analyse, *,
                  fmt: IndexFormat = MATERIAL) -> dict[str, Any]:
    """A copy of a search index (the parsed JSON) with the inner words added."""
    separator = _separator(index)
    records = [dict(record) for record in index.get(fmt.sections, [])]
    texts = [record[field] for record, field in _values(records)]
    _FIELDS.next_build()
    words = {word for text in texts for _, shown in _field(text, separator).words for word in shown}
    inner = site_inner_words(words, texts, analyse)
    _ENRICHED.next_build()
    if inner != _ENRICHED_WITH.get("inner"):  # the site learnt other words: no kept field is good now
        _ENRICHED.clear()
        _ENRICHED_WITH["inner"] = inner
    def words_of(word: str) -> list[str]:
        return inner.get(word, [])

    def enriched(value: str) -> str:
        return _ENRICHED.get((value, separator.pattern), lambda: enrich_field(value, separator, words_of))[0]

    for record, field in _values(records):
        record[field] = enriched(record[field])
    return {**index, fmt.sections: records}


# Each field with its inner words added, as the last rewrite of the index made it, while the site's
# inner words (``site_inner_words``, learnt from all of its words) are the same: under serve, a save
# leaves most fields and the site's vocabulary as they were.
_ENRICHED: LastBuild[str] = LastBuild("search index fields with inner words")
_ENRICHED_WITH: dict[str, dict[str, list[str]]] = {}


def _shape_problem(index: object, fmt: IndexFormat) -> str | None:
    if not isinstance(index, dict):
        return "it is not a JSON object"
    records = index.get(fmt.sections)
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        return f"it has no list of sections under {fmt.sections!r}"
    if not isinstance(index.get("config", {}), dict):
        return "its 'config' is not an object"
    return None


def enrich_search_index(data: str, analyse: Analyse = kiwi_analyse, *, fmt: IndexFormat = MATERIAL) -> str:
    """A search index's text, with the inner words added; written as its builder writes it.

    Idempotent: a second run starts from the builder's text again. Raises ValueError
    when ``data`` is not an index of the format ``fmt``.
    """
    body = data.strip()
    if not (body.startswith(fmt.prefix) and body.endswith(fmt.suffix)):
        raise ValueError(f"it does not look like {fmt.builder}'s {fmt.path}")
    index = json.loads(body[len(fmt.prefix) : len(body) - len(fmt.suffix)])
    problem = _shape_problem(index, fmt)
    if problem:
        raise ValueError(problem)
    for record, field in _values(index[fmt.sections]):
        record[field] = strip_hidden(record[field])
    out = json.dumps(segment_index(index, analyse, fmt=fmt), separators=(",", ":"), default=str,
                     ensure_ascii=fmt.ascii)
    return fmt.prefix + out + fmt.suffix


@dataclass(frozen=True)
class Rewritten:
    path: Path
    fmt: IndexFormat
    before: int
    """Bytes before the words were added (the builder's index, or the last rewrite)."""
    after: int
    changed: bool
    superseded: bool = False
    """The builder wrote the file again while the words were found: it was left to the builder."""


def _version(path: Path) -> tuple[int, int, int]:
    st = path.stat()
    return st.st_ino, st.st_mtime_ns, st.st_size


def rewrite_index(site_dir: str | Path, fmt: IndexFormat, analyse: Analyse = kiwi_analyse) -> Rewritten | None:
    """Add the inner words to the index of format ``fmt`` in a built site; None if it has none.

    Writes only when the text changes (a rewritten index is not rewritten again), and
    not if the file changed while its words were found (a server rebuilt it meanwhile:
    the newer index is kept, ``superseded``). Raises StudylogError when the file is not
    such an index, or kiwipiepy is missing.
    """
    path = Path(site_dir) / fmt.path
    try:
        version = _version(path)
        before = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as err:
        raise StudylogError(f"cannot read the search index: {err}", path=path,
                            hint="build the site again, then run this command") from None
    try:
        after = enrich_search_index(before, analyse, fmt=fmt)
    except (ValueError, RecursionError) as err:
        raise StudylogError(
            f"this is not a search index Studylog knows ({fmt.builder}): {err}", path=path,
            hint="build the site again; if it still fails, this builder's index format changed "
                 "(Studylog reads Material 9 and Zensical 0.0.73)",
        ) from None
    sizes = (len(before.encode("utf-8")), len(after.encode("utf-8")))
    try:
        if _version(path) != version:
            return Rewritten(path, fmt, *sizes, changed=False, superseded=True)
    except FileNotFoundError:
        return Rewritten(path, fmt, *sizes, changed=False, superseded=True)
    return Rewritten(path, fmt, *sizes, changed=write_if_changed(path, after))


def rewrite_site_indexes(site_dir: str | Path, analyse: Analyse = kiwi_analyse) -> list[Rewritten]:
    """Add the inner words to every search index a built site holds, whichever builder wrote it."""
    return [found for fmt in FORMATS if (found := rewrite_index(site_dir, fmt, analyse)) is not None]


__all__ = ["FORMATS", "HIDDEN_OPEN", "MATERIAL", "ZENSICAL", "ZENSICAL_OFFLINE", "IndexFormat", "Rewritten",
           "enrich_field", "enrich_search_index", "rewrite_index", "rewrite_site_indexes", "segment_index",
           "strip_hidden"]
