"""Work done once per text: pure results kept for the next call with the same text.

``mkdocs serve`` rebuilds the whole site, in the same process, on every save, and
Material's blog converts each post again for every listing page that shows it
(the blog's index, its year in the archive, its category). Most of that work is on
text that did not change. A :class:`Memo` keeps the result of a pure function
under its key (the text, and whatever else the result depends on), so the second
call with the same key costs a dictionary lookup.

What keeps it correct: only pure functions are memoized, and the key holds every
input the result depends on, so a result is never stale; a changed text is a new
key. Results must be immutable (str, tuples, frozen dataclasses), since callers
share them. What keeps it small: each memo is bounded by the characters of its
keys (and text results) and drops the least recently used entries first.

Also here, the one decision of what a listing page needs of a post
(:func:`excerpt_source`), which the MkDocs side (``blog_hook``) acts on.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from jinja2 import BytecodeCache
from jinja2.bccache import Bucket

V = TypeVar("V")

DEFAULT_MAX_CHARS = 8_000_000
"""Per memo, keys and text results together: at most about 16 MB (Python stores Hangul at 2 bytes
a character); 1,000 logs of 4 KB, each with its result, take 8 MB."""


def key_size(key: Hashable) -> int:
    """Characters in a key: a str, or a tuple holding some."""
    if isinstance(key, str):
        return len(key)
    if isinstance(key, tuple):
        return sum(key_size(part) for part in key) + 1
    return 1


class Memo(Generic[V]):
    """A bounded map from key to the result of a pure function; least recently used out first.

    The bound counts the characters of the keys and of results that are text; other results
    (a parsed log) are about the size of their key, which holds the text they were made from.
    """

    def __init__(self, name: str, max_chars: int = DEFAULT_MAX_CHARS) -> None:
        self.name = name
        self.max_chars = max_chars
        self.hits = 0
        self.misses = 0
        self._items: OrderedDict[Hashable, tuple[int, V]] = OrderedDict()
        self._chars = 0
        self._lock = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], V]) -> V:
        """The result kept for ``key``, or ``make()``'s, which is kept. ``make`` may raise: nothing is kept then."""
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
                self.hits += 1
                return found[1]
            self.misses += 1
        value = make()
        size = key_size(key) + (len(value) if isinstance(value, str) else 0)
        if size > self.max_chars:
            return value
        with self._lock:
            if key not in self._items:
                self._items[key] = (size, value)
                self._chars += size
                while self._chars > self.max_chars:
                    _, (dropped, _value) = self._items.popitem(last=False)
                    self._chars -= dropped
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._chars = 0

    def __len__(self) -> int:
        return len(self._items)


class LastBuild(Generic[V]):
    """What one build of `mkdocs serve` made, kept for the next: anything the next one does not ask for is dropped.

    For results as large as the site itself (each page's HTML), where a bound on
    characters would have to be as large as the site, and least-recently-used order
    drops everything when a build asks for more than the bound (a build asks for every
    page in turn). :meth:`next_build` starts a build: what the last one used stays
    findable until this one is over, and what it did not use (an edited page's old
    versions) goes. So at most two builds' results are held, and usually one.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self.hits = 0
        self.misses = 0
        self._current: dict[Hashable, V] = {}
        self._last: dict[Hashable, V] = {}
        self._lock = threading.Lock()

    def next_build(self) -> None:
        with self._lock:
            if self._current:  # a build that used nothing (it failed early) leaves the last one's results
                self._last = self._current
            self._current = {}

    def find(self, key: Hashable, still_good: Callable[[V], bool] = lambda _: True) -> V | None:
        """The result kept for ``key``, if there is one and ``still_good`` says so (it is then kept for the next build)."""
        with self._lock:
            found = self._current.get(key)
            if found is None:
                found = self._last.pop(key, None)
        if found is None or not still_good(found):
            with self._lock:
                self.misses += 1
            return None
        with self._lock:
            self._current[key] = found
            self.hits += 1
        return found

    def put(self, key: Hashable, value: V) -> None:
        with self._lock:
            self._current[key] = value

    def get(self, key: Hashable, make: Callable[[], V], still_good: Callable[[V], bool] = lambda _: True) -> tuple[V, bool]:
        """The result kept for ``key`` if ``still_good`` says so, else ``make()``'s, which is kept; and whether it was made."""
        found = self.find(key, still_good)
        if found is not None:
            return found, False
        value = make()
        self.put(key, value)
        return value, True

    def clear(self) -> None:
        with self._lock:
            self._current.clear()
            self._last.clear()

    def __len__(self) -> int:
        return len(self._current) + len(self._last)


class Latest(Generic[V]):
    """One result per place (a file's path): the one made from the text the place held last.

    For files read whole on every build, whose results are as large as they are (the
    catalogue, the lock): a save that leaves such a file as it was costs a comparison of
    texts, and an edited file replaces its one kept result, so nothing accumulates.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self.hits = 0
        self.misses = 0
        self._items: dict[str, tuple[str, V]] = {}
        self._lock = threading.Lock()

    def get(self, place: str, text: str, make: Callable[[], V]) -> V:
        """The result kept for ``place`` if it was made from ``text``, else ``make()``'s, which is kept. ``make`` may raise."""
        with self._lock:
            found = self._items.get(place)
            if found is not None and found[0] == text:
                self.hits += 1
                return found[1]
            self.misses += 1
        value = make()
        with self._lock:
            self._items[place] = (text, value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)


class TemplateCache(BytecodeCache):
    """Compiled Jinja templates, kept in memory across the builds of one process.

    MkDocs makes the theme's Jinja environment anew for every build, so under
    `mkdocs serve` each save compiles Material's templates again. Jinja checks a
    template's source against the checksum stored with its code, so an edited
    template (a theme override) is compiled afresh, never served stale.
    """

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()

    def clear(self) -> None:
        self._code.clear()


TEMPLATES = TemplateCache()


# -- What a listing page needs of a post -----------------------------------------------------------

_FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})")
_DEFINITION = re.compile(r"^[ \t]{0,3}(?:\[[^\]\n]+\]:|\*\[[^\]\n]+\]:)", re.MULTILINE)
"""A reference link, footnote or abbreviation definition: the part before the cut may use it."""
_TOP_HEADING = re.compile(r"^[ \t]{0,3}#(?:[ \t]|$)|^[ \t]{0,3}=+[ \t]*$", re.MULTILINE)
_HTML_BLOCK = re.compile(r"^[ \t]{0,3}<(?!!--)[A-Za-z/]")
EXCERPT_STUB = "\u2026"
"""What stands for the rest of a post after the cut: a listing page only asks whether there is a rest."""


def excerpt_source(markdown: str, separator: str) -> str | None:
    """The Markdown that renders a post's excerpt exactly as the whole post does, but shorter; None if unsure.

    Material's blog makes a listing page's excerpt of a post by converting the
    whole post and cutting the HTML at ``separator`` (``<!-- more -->``); what
    follows the cut is only asked whether it exists. So the post up to the
    separator, the separator, and a one-character rest render the same excerpt,
    as long as nothing before the cut depends on what comes after it. That holds
    unless the separator is not a line of its own outside code and HTML blocks,
    or the rest defines a reference link, footnote or abbreviation (the part
    before may use it), or holds a top-level heading (the excerpt's table of
    contents lists those). In those cases: None, and the post is converted whole.
    """
    lines = markdown.split("\n")
    fence: str | None = None
    for at, line in enumerate(lines):
        opened = _FENCE.match(line)
        if fence is not None:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence) \
                    and not line.strip().strip(fence[0]):
                fence = None
            continue
        if opened:
            fence = opened.group(1)
            continue
        if _HTML_BLOCK.match(line):
            return None  # a raw HTML block (a <div markdown>, <details>) may span the cut
        if separator in line and (line.strip() != separator or line.startswith((" ", "\t"))):
            return None  # inline, or in an indented block: not where the HTML is cut
        if line.strip() == separator:
            rest = "\n".join(lines[at + 1:])
            if not rest.strip() or _DEFINITION.search(rest) or _TOP_HEADING.search(rest):
                return None
            head = "\n".join(lines[:at])
            return f"{head}\n{separator}\n\n{EXCERPT_STUB}\n"
    return None
