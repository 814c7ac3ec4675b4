"""The catalogue, ``papers.yaml``: load it, validate everything, build frozen records.

The rules live in one place, the JSON Schema the project publishes
(``generator/papers.schema.json``), so an editor and ``python -m generator check``
agree. On top of it come the checks a schema cannot express: duplicates, topic
references and the exact arXiv ID grammar. Every problem is reported with the
file, the line, what is wrong and how to fix it.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from .errors import StudylogError, raise_all
from .ids import EXAMPLES, ArxivId, parse_arxiv_id

SCHEMA_FILE = "papers.schema.json"
STATUSES = ("to-read", "reading", "read")

JsonPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Topic:
    id: str
    title: str
    description: str | None
    line: int


@dataclass(frozen=True)
class Paper:
    """One entry of ``papers:`` as the user wrote it. Fields left out are None."""

    key: str
    """Its id on the site and in URLs: ``id``, or the arXiv ID made file-safe."""
    arxiv: ArxivId | None
    title: str | None
    authors: tuple[str, ...] | None
    year: int | None
    venue: str | None
    url: str | None
    doi: str | None
    abstract: str | None
    topics: tuple[str, ...]
    status: str
    notes: str | None
    added: dt.date | None
    line: int
    position: int
    """Its index in ``papers:``; later entries were added later."""


@dataclass(frozen=True)
class Resource:
    """A blog post, announcement or other non-paper link worth keeping."""

    key: str
    title: str
    url: str
    kind: str
    authors: tuple[str, ...]
    date: dt.date | None
    topics: tuple[str, ...]
    notes: str | None
    added: dt.date | None
    line: int


@dataclass(frozen=True)
class Catalogue:
    path: Path
    topics: tuple[Topic, ...]
    papers: tuple[Paper, ...]
    resources: tuple[Resource, ...]

    def arxiv_ids(self) -> list[ArxivId]:
        return [p.arxiv for p in self.papers if p.arxiv is not None]

    def find_arxiv(self, arxiv_id: ArxivId) -> Paper | None:
        return next((p for p in self.papers if p.arxiv and p.arxiv.base == arxiv_id.base), None)


@cache
def schema_text() -> str:
    """The JSON Schema for ``papers.yaml``, as published (the site serves it too)."""
    return resources.files(__package__).joinpath(SCHEMA_FILE).read_text(encoding="utf-8")


@cache
def schema() -> dict[str, Any]:
    return json.loads(schema_text())


def load_catalogue(path: str | Path) -> Catalogue:
    """Read and validate ``papers.yaml``. Raises StudylogError(s) naming file and line."""
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
    return parse_catalogue(text, path)


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
    errors = doc.schema_errors(data)
    if errors:
        raise_all(errors)
    return doc.build(data)


class _Document:
    """One parse of the file, keeping the line of every key and item."""

    def __init__(self, text: str, path: Path) -> None:
        self.text = text
        self.path = path
        self.line_of: dict[JsonPath, int] = {}
        # Its own: a constructor keeps every node it has built (constructed_objects) for good.
        self._constructor = yaml.SafeLoader("")

    def error(self, message: str, where: JsonPath, hint: str | None = None) -> StudylogError:
        return StudylogError(message, path=self.path, line=self._line(where), hint=hint)

    def _line(self, where: JsonPath) -> int:
        for end in range(len(where), -1, -1):
            if where[:end] in self.line_of:
                return self.line_of[where[:end]]
        return 1

    def load(self) -> yaml.Node | None:
        """The file's YAML node tree (libyaml's parser when PyYAML has it), or a StudylogError.

        Nodes, not values: they keep the line of every key and item and the very
        characters of each scalar, so ``1710.11040`` keeps its last zero.
        """
        try:
            return yaml.compose(self.text, Loader=_Loader)
        except yaml.MarkedYAMLError as err:
            mark = err.problem_mark or err.context_mark
            line = mark.line + 1 if mark else None
            problem = err.problem or err.context or "invalid YAML"
            raise StudylogError(
                f"invalid YAML: {problem}", path=self.path, line=line, hint="check the indentation and quoting on that line"
            ) from None
        except yaml.YAMLError as err:
            raise StudylogError(f"invalid YAML: {err}", path=self.path, hint="check the file's syntax") from None

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
        try:
            return self._constructor.construct_object(node, deep=True)
        except yaml.YAMLError as err:
            raise StudylogError(
                f"invalid YAML: {getattr(err, 'problem', None) or err}",
                path=self.path,
                line=node.start_mark.line + 1,
                hint="check the value on that line",
            ) from None

    # -- validation ------------------------------------------------------------

    def schema_errors(self, data: Any) -> list[StudylogError]:
        validator = jsonschema.Draft202012Validator(schema())
        errors: list[StudylogError] = []
        for err in validator.iter_errors(data):
            errors.extend(self._explain(err))
        # One message per place: a type error explains itself; drop follow-ups on the same spot.
        seen: set[tuple[int | None, str]] = set()
        unique = []
        for e in errors:
            if (e.line, e.message) not in seen:
                seen.add((e.line, e.message))
                unique.append(e)
        return unique

    def _explain(self, err: jsonschema.ValidationError) -> Iterator[StudylogError]:
        where: JsonPath = tuple(err.absolute_path)
        what = _describe(where)
        kind = err.validator
        if kind == "additionalProperties":
            allowed = sorted(err.schema.get("properties", {}))
            for key in sorted(set(err.instance) - set(allowed)):
                close = difflib.get_close_matches(key, allowed, n=1)
                hint = f"did you mean '{close[0]}'? " if close else ""
                yield self.error(
                    f"unknown key '{key}' in {what}",
                    (*where, key),
                    hint + f"the keys {what.split(' ')[0]}s take are: {', '.join(allowed)}",
                )
        elif kind == "anyOf" and where and where[0] == "papers":
            if "arxiv" not in err.instance and "title" not in err.instance:
                yield self.error(
                    f"{what} has no arXiv ID and no title",
                    where,
                    'give its arXiv ID (arxiv: "2104.08691"), or give `id` and `title` yourself',
                )
            else:
                yield self.error(
                    f"{what} is not on arXiv, so it needs an `id`",
                    where,
                    "add `id:` with lowercase letters, digits and hyphens, for example `id: deepquest`",
                )
        elif kind == "required":
            for key in err.validator_value:
                if key not in err.instance:
                    yield self.error(f"{what} lacks '{key}'", where, f"add `{key}:` to it")
        elif kind == "type":
            yield self.error(*_type_message(where, what, err.instance, err.validator_value))
        elif kind == "enum":
            choices = ", ".join(str(c) for c in err.validator_value)
            yield self.error(
                f"{what} is {err.instance!r}, which is not one of: {choices}", where, f"use one of: {choices}"
            )
        elif kind == "pattern":
            yield self.error(*_pattern_message(where, what, err.instance))
        elif kind in ("minimum", "maximum"):
            yield self.error(f"{what} is {err.instance}, which is out of range", where, "write a four-digit year")
        elif kind == "minLength":
            yield self.error(f"{what} is empty", where, "write something, or remove the key")
        else:
            yield self.error(f"{what}: {err.message}", where)

    # -- records ---------------------------------------------------------------

    def build(self, data: dict[str, Any]) -> Catalogue:
        errors: list[StudylogError] = []
        topics: list[Topic] = []
        seen_topics: dict[str, int] = {}
        for i, raw in enumerate(data.get("topics") or []):
            where: JsonPath = ("topics", i)
            if raw["id"] in seen_topics:
                errors.append(
                    self.error(
                        f"topic '{raw['id']}' is defined twice (first at line {seen_topics[raw['id']]})",
                        (*where, "id"),
                        "remove one of them, or give this one another id",
                    )
                )
                continue
            seen_topics[raw["id"]] = self._line((*where, "id"))
            topics.append(Topic(raw["id"], raw["title"], raw.get("description"), self._line(where)))
        known = [t.id for t in topics]

        def check_topics(raw: dict[str, Any], where: JsonPath) -> tuple[str, ...]:
            refs = raw.get("topics") or []
            for j, ref in enumerate(refs):
                if ref not in seen_topics:
                    close = difflib.get_close_matches(ref, known, n=1)
                    hint = (f"did you mean '{close[0]}'? " if close else "") + (
                        f"known topics: {', '.join(known)}; or add '{ref}' under `topics:`"
                        if known
                        else f"add it under `topics:` (id: {ref}, title: ...)"
                    )
                    errors.append(self.error(f"unknown topic '{ref}' in {_describe(where)}", (*where, "topics", j), hint))
            duplicates = {r for r in refs if refs.count(r) > 1}
            for ref in sorted(duplicates):
                errors.append(
                    self.error(
                        f"topic '{ref}' is listed twice in {_describe(where)}",
                        (*where, "topics"),
                        "list each topic once",
                    )
                )
            return tuple(dict.fromkeys(refs))

        papers: list[Paper] = []
        keys: dict[str, int] = {}
        arxiv_seen: dict[str, tuple[int, str]] = {}
        for i, raw in enumerate(data.get("papers") or []):
            where = ("papers", i)
            line = self._line(where)
            arxiv_id = None
            if "arxiv" in raw:
                try:
                    arxiv_id = parse_arxiv_id(raw["arxiv"])
                except ValueError as err:
                    errors.append(
                        self.error(
                            f"malformed arXiv ID in {_describe((*where, 'arxiv'))}: {err}",
                            (*where, "arxiv"),
                            f"write it like {EXAMPLES}",
                        )
                    )
                    continue
                if arxiv_id.base in arxiv_seen:
                    first_line, first_text = arxiv_seen[arxiv_id.base]
                    same = "" if first_text == raw["arxiv"] else f" ('{first_text}' and '{raw['arxiv']}' are one paper)"
                    errors.append(
                        self.error(
                            f"duplicate paper: arXiv {arxiv_id.base} is already listed at line {first_line}{same}",
                            (*where, "arxiv"),
                            "keep one entry and merge its topics and notes into it",
                        )
                    )
                    continue
                arxiv_seen[arxiv_id.base] = (self._line((*where, "arxiv")), raw["arxiv"])
            key = raw.get("id") or (arxiv_id.slug if arxiv_id else "")
            if key in keys:
                errors.append(
                    self.error(
                        f"duplicate paper id '{key}' (first at line {keys[key]})",
                        (*where, "id") if "id" in raw else where,
                        "give each paper its own id",
                    )
                )
                continue
            keys[key] = line
            papers.append(
                Paper(
                    key=key,
                    arxiv=arxiv_id,
                    title=_clean(raw.get("title")),
                    authors=tuple(raw["authors"]) if "authors" in raw else None,
                    year=raw.get("year"),
                    venue=raw.get("venue"),
                    url=raw.get("url"),
                    doi=raw.get("doi"),
                    abstract=raw.get("abstract"),
                    topics=check_topics(raw, where),
                    status=raw.get("status", "to-read"),
                    notes=raw.get("notes"),
                    added=_date(raw.get("added")),
                    line=line,
                    position=i,
                )
            )

        resources_: list[Resource] = []
        for i, raw in enumerate(data.get("resources") or []):
            where = ("resources", i)
            if raw["id"] in keys:
                errors.append(
                    self.error(
                        f"duplicate id '{raw['id']}' (first at line {keys[raw['id']]})",
                        (*where, "id"),
                        "papers and resources share one set of ids; rename one",
                    )
                )
                continue
            keys[raw["id"]] = self._line(where)
            resources_.append(
                Resource(
                    key=raw["id"],
                    title=_clean(raw["title"]) or raw["title"],
                    url=raw["url"],
                    kind=raw.get("kind", "other"),
                    authors=tuple(raw.get("authors") or ()),
                    date=_date(raw.get("date")),
                    topics=check_topics(raw, where),
                    notes=raw.get("notes"),
                    added=_date(raw.get("added")),
                    line=self._line(where),
                )
            )
        for section in ("papers", "resources"):
            for i, raw in enumerate(data.get(section) or []):
                for field in ("added", "date"):
                    if field in raw and _date(raw[field]) is None:
                        errors.append(
                            self.error(
                                f"{_describe((section, i, field))} '{raw[field]}' is not a real date",
                                (section, i, field),
                                "write an existing date as YYYY-MM-DD",
                            )
                        )
        raise_all(errors)
        return Catalogue(self.path, tuple(topics), tuple(papers), tuple(resources_))


# libyaml's C parser where PyYAML was built with it (the wheels are): 3-4x faster than Python's.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_NUMBER_TAGS = frozenset({"tag:yaml.org,2002:int", "tag:yaml.org,2002:float"})


def _describe(where: JsonPath) -> str:
    """A human name for a place: 'paper #3', 'topic #1', "'year' of paper #2"."""
    if not where:
        return "the catalogue"
    names = {"papers": "paper", "topics": "topic", "resources": "resource"}
    if len(where) == 1:
        return f"`{where[0]}`"
    base = f"{names.get(str(where[0]), where[0])} #{int(where[1]) + 1}"
    if len(where) == 2:
        return base
    if len(where) == 3:
        return f"'{where[2]}' of {base}"
    return f"item {int(where[3]) + 1} of '{where[2]}' of {base}"


_TYPE_NAMES = {"string": "text", "integer": "a whole number", "array": "a list", "object": "a mapping", "boolean": "true or false"}


def _json_type(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int):
        return "a number"
    if isinstance(value, float):
        return "a decimal number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    return "a mapping"


def _type_message(where: JsonPath, what: str, value: Any, expected: Any) -> tuple[str, JsonPath, str]:
    want = _TYPE_NAMES.get(expected, str(expected))
    shown = f" ({value!r})" if isinstance(value, (str, int, float)) and not isinstance(value, bool) else ""
    message = f"{what} must be {want}, not {_json_type(value)}{shown}"
    field = where[-1] if where else ""
    if expected == "array" and isinstance(value, str):
        hint = f"write a list: `{field}: [{value}]`"
    elif expected == "integer" and isinstance(value, str) and value.strip().isdigit():
        hint = f"remove the quotes: `{field}: {value.strip()}`"
    elif expected == "string" and value is None:
        hint = f"give `{field}` a value, or remove the key"
    elif expected == "string":
        hint = f'quote it: `{field}: "{value}"`'
    elif expected == "object" and not where:
        hint = "the catalogue is a mapping with `topics:` and `papers:` lists (see README.md)"
    elif expected == "object" and where and where[0] in ("papers", "topics", "resources"):
        hint = f"each item of `{where[0]}` is a mapping of keys, such as `- title: ...`"
    elif expected == "array":
        hint = f"`{field}` is a list; start each item with `- `"
    else:
        hint = f"`{field}` must be {want}"
    return message, where, hint


def _pattern_message(where: JsonPath, what: str, value: str) -> tuple[str, JsonPath, str]:
    field = str(where[-1]) if where else ""
    if field == "arxiv":
        try:
            parse_arxiv_id(value)
            problem = f"'{value}' is not an arXiv ID"
        except ValueError as err:
            problem = str(err)
        return f"malformed arXiv ID in {what}: {problem}", where, f"write it like {EXAMPLES}"
    if field == "url":
        scheme = value.split(":", 1)[0] if ":" in value else ""
        if scheme and scheme.lower() not in ("http", "https"):
            return f"{what} uses the '{scheme}:' scheme; only http(s) links are allowed", where, "use an https:// URL"
        return f"{what} '{value}' is not an http(s) URL", where, "write a full URL such as https://aclanthology.org/C18-1266/"
    if field in ("added", "date"):
        return f"{what} '{value}' is not a date", where, "write it as YYYY-MM-DD, for example 2021-09-09"
    if field == "doi":
        return f"{what} '{value}' is not a DOI", where, "write the bare DOI, such as 10.18653/v1/N19-1423"
    return (
        f"{what} '{value}' may only use lowercase letters, digits and single hyphens",
        where,
        f"for example '{_slugish(value)}'",
    )


def _slugish(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "my-id"


def _clean(text: str | None) -> str | None:
    return " ".join(text.split()) if text else text


def _date(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None
