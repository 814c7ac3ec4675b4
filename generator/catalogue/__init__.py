"""The catalogue, ``papers.yaml``: load it, validate everything, build frozen records.

The rules live in one place, the JSON Schema the project publishes
(``generator/papers.schema.json``), so an editor and ``python -m generator check``
agree. On top of it come the checks a schema cannot express: duplicates, topic
references and the exact arXiv ID grammar. Every problem is reported with the
file, the line, what is wrong and how to fix it (``messages`` words them).
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
from collections import Counter
from collections.abc import Iterator
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from .. import yamlsafe
from ..errors import Diagnostic, StudylogError, raise_all
from ..ids import EXAMPLES, parse_arxiv_id
from ..memo import Latest
from ..status import DEFAULT as DEFAULT_STATUS
from ..text import one_line
from .messages import JsonPath, describe, explain
from .records import Catalogue, Paper, Resource, Topic

SCHEMA_FILE = "papers.schema.json"


@cache
def schema_text() -> str:
    """The JSON Schema for ``papers.yaml``, as published (the site serves it too)."""
    return resources.files("generator").joinpath(SCHEMA_FILE).read_text(encoding="utf-8")


@cache
def schema() -> dict[str, Any]:
    return json.loads(schema_text())


def load_catalogue(path: str | Path) -> Catalogue:
    """Read and validate ``papers.yaml``. Raises StudylogError naming file and line."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise StudylogError(
            "the catalogue does not exist",
            path=path,
            hint="create it (see README.md, 'The catalogue') or point the `catalogue` option at it",
        ) from None
    except UnicodeDecodeError as err:
        raise StudylogError(
            f"not UTF-8 text (byte {err.start})", path=path, hint="save the file as UTF-8"
        ) from None
    return _PARSED.get(str(path), text, lambda: parse_catalogue(text, path))


_PARSED: Latest[Catalogue] = Latest("catalogues")
"""The last catalogue parsed at each path, with its text: a save of anything else costs no YAML parse
and no schema check (about half a second at 2,000 papers, under `mkdocs serve` and `generate --watch`)."""


def parse_catalogue(text: str, path: Path) -> Catalogue:
    doc = _Document(text, path)
    raw = doc.load()
    if raw is None:
        raise StudylogError(
            "the catalogue is empty",
            path=path,
            line=1,
            hint="start it with `topics:` and `papers:` lists (see README.md)",
        )
    data = doc.plain(raw, ())
    raise_all(doc.schema_errors(data))
    return _Builder(doc).build(data)


class _Document:
    """One parse of the file, keeping the line of every key and item."""

    def __init__(self, text: str, path: Path) -> None:
        self.text = text
        self.path = path
        self.line_of: dict[JsonPath, int] = {}
        self._constructor = yamlsafe.constructor()

    def error(self, message: str, where: JsonPath, hint: str | None = None) -> Diagnostic:
        return Diagnostic.at(message, path=self.path, line=self.line(where), hint=hint)

    def line(self, where: JsonPath) -> int:
        for end in range(len(where), -1, -1):
            if where[:end] in self.line_of:
                return self.line_of[where[:end]]
        return 1

    def load(self) -> yaml.Node | None:
        """The file's YAML node tree, bounded (``yamlsafe``), or a StudylogError.

        Nodes, not values: they keep the line of every key and item and the very
        characters of each scalar, so ``1710.11040`` keeps its last zero.
        """
        return yamlsafe.compose(self.text, self.path)

    def plain(self, node: yaml.Node, where: JsonPath) -> Any:
        """Plain JSON-like data from the YAML nodes, recording each position's line."""
        if isinstance(node, yaml.MappingNode):
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                key = str(self.plain(key_node, where)) if isinstance(key_node, yaml.ScalarNode) else "?"
                child = (*where, key)
                if key in out:
                    raise StudylogError(
                        f"invalid YAML: duplicate key '{key}' (first at line {self.line_of[child]})",
                        path=self.path,
                        line=key_node.start_mark.line + 1,
                        hint="each key may appear once per entry; remove or rename the repeated one",
                    )
                self.line_of[child] = key_node.start_mark.line + 1
                if key == "arxiv" and isinstance(value_node, yaml.ScalarNode) and value_node.tag in _NUMBER_TAGS:
                    out[key] = value_node.value  # what was typed: YAML would read 1710.11040 as 1710.1104
                else:
                    out[key] = self.plain(value_node, child)
            return out
        if isinstance(node, yaml.SequenceNode):
            out_list = []
            for index, item in enumerate(node.value):
                child = (*where, index)
                self.line_of[child] = item.start_mark.line + 1
                out_list.append(self.plain(item, child))
            return out_list
        if node.tag == _TIMESTAMP:
            return node.value  # dates stay as typed, so 2021-02-30 gets a message with its line
        return yamlsafe.construct(node, self.path, using=self._constructor)

    def schema_errors(self, data: Any) -> list[Diagnostic]:
        validator = jsonschema.Draft202012Validator(schema())
        found: list[Diagnostic] = []
        seen: set[tuple[int | None, str]] = set()
        for err in validator.iter_errors(data):
            for message, where, hint in explain(err):
                # One message per place: a type error explains itself; drop follow-ups on the same spot.
                diagnostic = self.error(message, where, hint)
                if (diagnostic.line, diagnostic.message) not in seen:
                    seen.add((diagnostic.line, diagnostic.message))
                    found.append(diagnostic)
        return found


class _Builder:
    """Records from data the schema accepted, with the checks a schema cannot make."""

    def __init__(self, doc: _Document) -> None:
        self.doc = doc
        self.errors: list[Diagnostic] = []
        self.topic_lines: dict[str, int] = {}
        self.keys: dict[str, int] = {}
        """Paper and resource ids -> the line of the first one (they share one namespace)."""

    def error(self, message: str, where: JsonPath, hint: str | None = None) -> None:
        self.errors.append(self.doc.error(message, where, hint))

    def build(self, data: dict[str, Any]) -> Catalogue:
        topics = tuple(self._topics(data.get("topics") or []))
        papers = tuple(self._papers(data.get("papers") or []))
        resources_ = tuple(self._resources(data.get("resources") or []))
        self._dates(data)
        raise_all(self.errors)
        return Catalogue(self.doc.path, topics, papers, resources_)

    def _topics(self, items: list[dict[str, Any]]) -> Iterator[Topic]:
        for i, raw in enumerate(items):
            where: JsonPath = ("topics", i)
            if raw["id"] in self.topic_lines:
                self.error(
                    f"topic '{raw['id']}' is defined twice (first at line {self.topic_lines[raw['id']]})",
                    (*where, "id"),
                    "remove one of them, or give this one another id",
                )
                continue
            self.topic_lines[raw["id"]] = self.doc.line((*where, "id"))
            yield Topic(raw["id"], raw["title"], raw.get("description"), self.doc.line(where))

    def _topic_refs(self, raw: dict[str, Any], where: JsonPath) -> tuple[str, ...]:
        refs: list[str] = raw.get("topics") or []
        known = list(self.topic_lines)
        for j, ref in enumerate(refs):
            if ref not in self.topic_lines:
                close = difflib.get_close_matches(ref, known, n=1)
                hint = (f"did you mean '{close[0]}'? " if close else "") + (
                    f"known topics: {', '.join(known)}; or add '{ref}' under `topics:`"
                    if known
                    else f"add it under `topics:` (id: {ref}, title: ...)"
                )
                self.error(f"unknown topic '{ref}' in {describe(where)}", (*where, "topics", j), hint)
        for ref, count in sorted(Counter(refs).items()):
            if count > 1:
                self.error(f"topic '{ref}' is listed twice in {describe(where)}", (*where, "topics"),
                           "list each topic once")
        return tuple(dict.fromkeys(refs))

    def _papers(self, items: list[dict[str, Any]]) -> Iterator[Paper]:
        arxiv_seen: dict[str, tuple[int, str]] = {}
        bibtex_keys: dict[str, int] = {}
        for i, raw in enumerate(items):
            where: JsonPath = ("papers", i)
            line = self.doc.line(where)
            arxiv_id = None
            if "arxiv" in raw:
                try:
                    arxiv_id = parse_arxiv_id(raw["arxiv"])
                except ValueError as err:
                    self.error(f"malformed arXiv ID in {describe((*where, 'arxiv'))}: {err}", (*where, "arxiv"),
                               f"write it like {EXAMPLES}")
                    continue
                if arxiv_id.base in arxiv_seen:
                    first_line, first_text = arxiv_seen[arxiv_id.base]
                    same = "" if first_text == raw["arxiv"] else f" ('{first_text}' and '{raw['arxiv']}' are one paper)"
                    self.error(f"duplicate paper: arXiv {arxiv_id.base} is already listed at line {first_line}{same}",
                               (*where, "arxiv"), "keep one entry and merge its topics and notes into it")
                    continue
                arxiv_seen[arxiv_id.base] = (self.doc.line((*where, "arxiv")), raw["arxiv"])
            key = raw.get("id") or (arxiv_id.slug if arxiv_id else "")
            if key in self.keys:
                self.error(f"duplicate paper id '{key}' (first at line {self.keys[key]})",
                           (*where, "id") if "id" in raw else where, "give each paper its own id")
                continue
            self.keys[key] = line
            bibtex_key = raw.get("key")
            if bibtex_key is not None:
                first = bibtex_keys.get(bibtex_key.lower())
                if first is not None:
                    self.error(f"duplicate BibTeX key '{bibtex_key}' (first at line {first})", (*where, "key"),
                               "give each paper its own key, or remove `key:` to let Studylog make one")
                    continue
                bibtex_keys[bibtex_key.lower()] = self.doc.line((*where, "key"))
            yield Paper(
                key=key,
                arxiv=arxiv_id,
                title=_clean(raw.get("title")),
                working_title=_clean(raw.get("working_title")),
                authors=tuple(raw["authors"]) if "authors" in raw else None,
                year=raw.get("year"),
                venue=raw.get("venue"),
                url=raw.get("url"),
                doi=raw.get("doi"),
                abstract=raw.get("abstract"),
                topics=self._topic_refs(raw, where),
                status=raw.get("status", DEFAULT_STATUS),
                notes=raw.get("notes"),
                added=_date(raw.get("added")),
                line=line,
                position=i,
                bibtex_key=bibtex_key,
                venue_type=raw.get("venue_type"),
            )

    def _resources(self, items: list[dict[str, Any]]) -> Iterator[Resource]:
        for i, raw in enumerate(items):
            where: JsonPath = ("resources", i)
            if raw["id"] in self.keys:
                self.error(f"duplicate id '{raw['id']}' (first at line {self.keys[raw['id']]})", (*where, "id"),
                           "papers and resources share one set of ids; rename one")
                continue
            self.keys[raw["id"]] = self.doc.line(where)
            yield Resource(
                key=raw["id"],
                title=_clean(raw["title"]) or raw["title"],
                url=raw["url"],
                kind=raw.get("kind", "other"),
                authors=tuple(raw.get("authors") or ()),
                date=_date(raw.get("date")),
                topics=self._topic_refs(raw, where),
                notes=raw.get("notes"),
                added=_date(raw.get("added")),
                line=self.doc.line(where),
            )

    def _dates(self, data: dict[str, Any]) -> None:
        """Dates the schema's pattern lets through but the calendar does not have (2021-02-30)."""
        for section in ("papers", "resources"):
            for i, raw in enumerate(data.get(section) or []):
                for field in ("added", "date"):
                    if field in raw and _date(raw[field]) is None:
                        self.error(f"{describe((section, i, field))} '{raw[field]}' is not a real date",
                                   (section, i, field), "write an existing date as YYYY-MM-DD")


_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_NUMBER_TAGS = frozenset({"tag:yaml.org,2002:int", "tag:yaml.org,2002:float"})


def _clean(text: str | None) -> str | None:
    return one_line(text) if text else text


def _date(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


__all__ = ["SCHEMA_FILE", "Catalogue", "Paper", "Resource", "Topic", "load_catalogue", "parse_catalogue", "schema",
           "schema_text"]
