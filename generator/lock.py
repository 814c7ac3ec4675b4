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
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from .errors import StudylogError
from .fsutil import write_atomic

FORMAT = 1


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
        expected = {f.name for f in fields(cls)} - {"id"}
        missing = expected - set(data)
        unknown = set(data) - expected
        if missing or unknown:
            raise ValueError(
                f"record '{key}' "
                + (f"lacks {', '.join(sorted(missing))}" if missing else "")
                + ("; " if missing and unknown else "")
                + (f"has unknown keys {', '.join(sorted(unknown))}" if unknown else "")
            )
        values = dict(data)
        for name in ("title", "abstract", "published", "updated", "primary_category", "fetched"):
            if not isinstance(values[name], str):
                raise ValueError(f"record '{key}': '{name}' must be a string")
        for name in ("doi", "journal_ref", "comment"):
            if values[name] is not None and not isinstance(values[name], str):
                raise ValueError(f"record '{key}': '{name}' must be a string or null")
        for name in ("authors", "categories"):
            if not isinstance(values[name], list) or not all(isinstance(v, str) for v in values[name]):
                raise ValueError(f"record '{key}': '{name}' must be a list of strings")
            values[name] = tuple(values[name])
        if values["version"] is not None and not isinstance(values["version"], int):
            raise ValueError(f"record '{key}': 'version' must be an integer or null")
        return cls(id=key, **values)


def load_lock(path: str | Path) -> dict[str, ArxivRecord]:
    """Read the lock. A missing file is an empty lock; a broken one is a StudylogError."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return {}
    hint = "restore it with `git checkout -- papers.lock.json`, or delete it and run `python -m generator enrich`"
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise StudylogError(f"not valid JSON: {err.msg}", path=path, line=err.lineno, hint=hint) from None
    if not isinstance(data, dict) or not isinstance(data.get("papers"), dict):
        raise StudylogError('expected an object with a "papers" object', path=path, line=1, hint=hint)
    if data.get("format") != FORMAT:
        raise StudylogError(
            f"unknown lock format {data.get('format')!r}; this version of Studylog reads format {FORMAT}",
            path=path,
            line=1,
            hint=hint,
        )
    records = {}
    for key, value in data["papers"].items():
        try:
            if not isinstance(value, dict):
                raise ValueError(f"record '{key}' must be an object")
            records[key] = ArxivRecord.from_json(key, value)
        except ValueError as err:
            raise StudylogError(str(err), path=path, line=_line_of(text, key), hint=hint) from None
    return records


def dump_lock(records: Mapping[str, ArxivRecord]) -> str:
    """The lock's text: stable, sorted and pretty, so diffs stay small."""
    data = {"format": FORMAT, "papers": {key: records[key].to_json() for key in sorted(records)}}
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def save_lock(path: str | Path, records: Mapping[str, ArxivRecord]) -> None:
    write_atomic(path, dump_lock(records))


def _line_of(text: str, key: str) -> int | None:
    needle = json.dumps(key) + ":"
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip().startswith(needle):
            return number
    return None
