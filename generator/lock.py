"""The lock file, ``papers.lock.json``: arXiv metadata fetched once and committed.

Builds read only this file, never the network, so the site is the same on every
machine. The file is sorted, pretty JSON with one record per arXiv ID (without
version), written atomically::

    {
      "format": 1,
      "papers": {
        "2104.08691": {"version": 2, "title": "...", "authors": ["..."], ...}
      }
    }
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema

from .errors import StudylogError
from .fsutil import write_atomic

FORMAT = 1
SCHEMA_FILE = "lock.schema.json"


@dataclass(frozen=True)
class ArxivRecord:
    """What arXiv says about one paper. All text in it is untrusted."""

    id: str
    """The ID without version, for example ``2104.08691`` or ``hep-th/9901001``."""
    version: int | None
    """The version that was fetched (the latest, unless the catalogue pins one)."""
    title: str
    authors: tuple[str, ...]
    abstract: str
    published: str
    """When v1 appeared, ISO 8601 in UTC (``2021-04-18T17:36:29Z``)."""
    updated: str
    """When the fetched version appeared, ISO 8601 in UTC."""
    primary_category: str
    categories: tuple[str, ...]
    doi: str | None
    journal_ref: str | None
    comment: str | None
    fetched: str
    """When this record was fetched, ISO 8601 in UTC."""

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        del data["id"]
        data["authors"] = list(self.authors)
        data["categories"] = list(self.categories)
        return data

    @classmethod
    def from_json(cls, key: str, data: Mapping[str, Any]) -> ArxivRecord:
        """A record from the lock's JSON, which ``lock.schema.json`` has checked."""
        values = dict(data)
        values["authors"] = tuple(values["authors"])
        values["categories"] = tuple(values["categories"])
        return cls(id=key, **values)


def load_lock(path: str | Path) -> dict[str, ArxivRecord]:
    """Read the lock. A missing file is an empty lock; a broken one is a StudylogError.

    The file is checked against ``lock.schema.json`` before any record is made, so a
    hand-edited or corrupt lock gets one message with its line, never a traceback.
    """
    path = Path(path)
    hint = f"restore it with `git checkout -- {path.name}`, or delete it and run `python -m generator enrich`"
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}
    except IsADirectoryError:
        raise StudylogError("the lock is a folder, not a file", path=path,
                            hint=f"remove the folder; `python -m generator enrich` writes {path.name}") from None
    except OSError as err:
        raise StudylogError(f"cannot read the lock: {err.strerror or err}", path=path,
                            hint="check the file's permissions") from None
    text = _decode(raw, path, hint)
    try:
        data = json.loads(text, parse_int=_bounded_int)
    except json.JSONDecodeError as err:
        raise StudylogError(f"not valid JSON: {err.msg}", path=path, line=err.lineno, hint=hint) from None
    except RecursionError:
        raise StudylogError("the JSON is nested too deeply to be a lock file", path=path, line=1, hint=hint) from None
    except ValueError as err:
        raise StudylogError(f"not valid JSON: {err}", path=path, hint=hint) from None
    if isinstance(data, dict) and "format" in data and data["format"] != FORMAT:
        raise StudylogError(
            f"unknown lock format {data.get('format')!r}; this version of Studylog reads format {FORMAT}",
            path=path, line=_line_of(text, "format") or 1, hint=hint,
        )
    error = jsonschema.exceptions.best_match(_validator().iter_errors(data))
    if error is not None:
        where = [str(p) for p in error.absolute_path]
        field = f"'{where[2]}' of " if len(where) > 2 else ""
        place = f"{field}record '{where[1]}'" if len(where) > 1 else (f"'{where[0]}'" if where else "the lock")
        message = _schema_message(error)
        raise StudylogError(f"{place} {message}" if message.startswith("lacks") else f"{place}: {message}", path=path,
                            line=_line_of(text, *(where[1:3] if len(where) > 1 else where)) or 1, hint=hint)
    return {key: ArxivRecord.from_json(key, value) for key, value in data["papers"].items()}


@cache
def _validator() -> Any:
    schema = json.loads(resources.files("generator").joinpath(SCHEMA_FILE).read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def _decode(raw: bytes, path: Path, hint: str) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise StudylogError("the lock is UTF-16; Studylog writes and reads UTF-8", path=path, hint=hint)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise StudylogError(f"not UTF-8 text (byte {err.start})", path=path, line=line, hint=hint) from None


def _bounded_int(text: str) -> int:
    if len(text) > 20:
        raise ValueError(f"a number of {len(text)} digits")
    return int(text)


def _schema_message(error: jsonschema.ValidationError) -> str:
    """What is wrong, in words: ``must be a whole number of at least 1, or null (not true)``."""
    shown = json.dumps(error.instance, ensure_ascii=False)
    shown = shown if len(shown) <= 40 else shown[:37] + "..."
    kind = error.validator
    if kind == "type":
        names = {"integer": "a whole number", "string": "text", "array": "a list", "object": "an object",
                 "null": "null", "boolean": "true or false", "number": "a number"}
        wanted = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        return f"must be {' or '.join(names.get(str(w), str(w)) for w in wanted)}, not {shown}"
    if kind in ("minimum", "maximum"):
        return f"{shown} is out of range"
    if kind == "required":
        return "lacks " + error.message.replace(" is a required property", "")
    if kind == "additionalProperties":
        return f"unknown key: {error.message.split('(')[-1].rstrip(')')}"
    if kind in ("pattern", "propertyNames"):
        return f"{shown} is not " + ("an arXiv ID" if kind == "propertyNames" or "papers" in error.absolute_path
                                     else "in the form expected")
    if kind == "const":
        return f"must be {error.validator_value}, not {shown}"
    return error.message


def dump_lock(records: Mapping[str, ArxivRecord]) -> str:
    """The lock's text: stable, sorted and pretty, so diffs stay small."""
    data = {"format": FORMAT, "papers": {key: records[key].to_json() for key in sorted(records)}}
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def save_lock(path: str | Path, records: Mapping[str, ArxivRecord]) -> None:
    write_atomic(path, dump_lock(records))


def _line_of(text: str, *keys: str) -> int | None:
    """The line of ``"key":`` (of the first key, then of each next one after it), as pretty JSON writes it."""
    found = None
    lines = text.splitlines()
    start = 0
    for key in keys:
        needle = json.dumps(key) + ":"
        found = next((n for n in range(start, len(lines)) if lines[n].strip().startswith(needle)), None)
        if found is None:
            break
        start = found + 1
    return found + 1 if found is not None else (start or None)
