"""The lock file, ``papers.lock.json``: metadata fetched once and committed.

Builds read only this file, never the network, so the site is the same on every
machine. The file is sorted, pretty JSON, written atomically, in three sections:
arXiv's metadata, one record per arXiv ID (without version); Semantic Scholar's
citation data, one record per ID it was asked by; and the BibTeX key each paper
was given the first time ``enrich`` saw it, by the paper's id on the site::

    {
      "format": 2,
      "papers": {
        "2104.08691": {"version": 2, "title": "...", "authors": ["..."], ...}
      },
      "citations": {
        "ARXIV:2104.08691": {"paper_id": "ffdbd7f0...", "citation_count": 3012, "references": "2216341 19170988 ...", ...}
      },
      "keys": {"2104.08691": "power2021", "deepquest": "ive2018deepquest"}
    }

Format 1 is the same without ``citations`` and ``keys``; both are read, and a lock
without those sections is still written as format 1, so older Studylogs read it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema

from .errors import StudylogError
from .fsutil import write_atomic
from .memo import Latest

FORMAT = 2
"""The format this version writes when the lock holds citations or keys (else 1, which older versions read)."""
FORMATS = (1, 2)
"""The formats this version reads."""
SCHEMA_FILE = "lock.schema.json"


def iso_utc(when: datetime) -> str:
    """``2021-04-18T17:36:29Z``: how the lock writes a moment."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def now_utc() -> str:
    """This moment, as the lock writes it (a record's ``fetched``)."""
    return iso_utc(datetime.now(UTC))


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


@dataclass(frozen=True)
class CitationRecord:
    """What Semantic Scholar says about one paper: its venue, citation count, IDs and references.

    All text in it is untrusted.
    """

    id: str
    """The ID it was asked by: ``ARXIV:2002.08909``, ``DOI:10.18653/v1/N19-1423`` or ``ACL:C18-1266``."""
    paper_id: str
    """Semantic Scholar's own ID, 40 hex digits: its page is ``https://www.semanticscholar.org/paper/<paper_id>``."""
    corpus_id: int | None
    """Semantic Scholar's numeric ID, by which other papers' ``references`` name it."""
    venue: str | None
    """The venue's name as the paper gives it (``venue``)."""
    publication_venue: str | None
    """The venue's name in Semantic Scholar's list of venues (``publicationVenue.name``)."""
    venue_type: str | None
    """``conference`` or ``journal`` (``publicationVenue.type``), or None when it does not say."""
    year: int | None
    citation_count: int | None
    external_ids: tuple[tuple[str, str], ...]
    """The paper's IDs elsewhere (``externalIds``), sorted by name: ``(("ACL", "N19-1423"), ("DOI", ...))``."""
    references: tuple[int, ...]
    """The corpus IDs of the papers it cites, sorted (those Semantic Scholar could resolve)."""
    fetched: str
    """When this record was fetched, ISO 8601 in UTC."""

    def external_id(self, name: str) -> str | None:
        return dict(self.external_ids).get(name)

    @property
    def page_url(self) -> str:
        """The paper's page on semanticscholar.org (the schema makes ``paper_id`` 40 hex digits)."""
        return f"https://www.semanticscholar.org/paper/{self.paper_id}"

    def to_json(self) -> dict[str, Any]:
        return {
            "paper_id": self.paper_id, "corpus_id": self.corpus_id, "venue": self.venue,
            "publication_venue": self.publication_venue, "venue_type": self.venue_type, "year": self.year,
            "citation_count": self.citation_count, "external_ids": dict(self.external_ids),
            # One string of numbers: 48 references are one line of the lock, and one pattern to check.
            "references": " ".join(map(str, self.references)), "fetched": self.fetched,
        }

    @classmethod
    def from_json(cls, key: str, data: Mapping[str, Any]) -> CitationRecord:
        """A record from the lock's JSON, which ``lock.schema.json`` has checked."""
        values = dict(data)
        values["external_ids"] = tuple(sorted(values["external_ids"].items()))
        values["references"] = tuple(int(n) for n in values["references"].split())
        return cls(id=key, **values)


@dataclass
class Lock:
    """The whole lock: each section keyed as the file keys it. ``enrich`` fills it; builds only read it."""

    papers: dict[str, ArxivRecord] = field(default_factory=dict)
    """arXiv's metadata by arXiv ID without version."""
    citations: dict[str, CitationRecord] = field(default_factory=dict)
    """Semantic Scholar's records by the ID they were asked by (``ARXIV:...``, ``DOI:...``, ``ACL:...``)."""
    keys: dict[str, str] = field(default_factory=dict)
    """The BibTeX key recorded for each paper, by the paper's id on the site."""


def load_lock(path: str | Path) -> dict[str, ArxivRecord]:
    """The arXiv records of the lock at ``path`` (see :func:`read_lock`)."""
    return read_lock(path).papers


def read_lock(path: str | Path) -> Lock:
    """Read the lock. A missing file is an empty lock; a broken one is a StudylogError.

    The file is checked against ``lock.schema.json`` before any record is made, so a
    hand-edited or corrupt lock gets one message with its line, never a traceback.
    """
    path = Path(path)
    hint = f"restore it with `git checkout -- {path.name}`, or delete it and run `python -m generator enrich`"
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Lock()
    except IsADirectoryError:
        raise StudylogError("the lock is a folder, not a file", path=path,
                            hint=f"remove the folder; `python -m generator enrich` writes {path.name}") from None
    except OSError as err:
        raise StudylogError(f"cannot read the lock: {err.strerror or err}", path=path,
                            hint="check the file's permissions") from None
    text = _decode(raw, path, hint)
    kept = _PARSED.get(str(path), text, lambda: _parse(text, path, hint))
    # Callers own what they get (``enrich`` adds records): fresh dicts over the shared, frozen records.
    return Lock(papers=dict(kept.papers), citations=dict(kept.citations), keys=dict(kept.keys))


_PARSED: Latest[Lock] = Latest("locks")
"""The last lock parsed at each path, with its text: under `mkdocs serve` and `generate --watch`, a save that leaves the
lock as it was costs no JSON parse and no schema check (half a second at 2,000 papers)."""


def _parse(text: str, path: Path, hint: str) -> Lock:
    try:
        data = json.loads(text, parse_int=_bounded_int)
    except json.JSONDecodeError as err:
        raise StudylogError(f"not valid JSON: {err.msg}", path=path, line=err.lineno, hint=hint) from None
    except RecursionError:
        raise StudylogError("the JSON is nested too deeply to be a lock file", path=path, line=1, hint=hint) from None
    except ValueError as err:
        raise StudylogError(f"not valid JSON: {err}", path=path, hint=hint) from None
    if isinstance(data, dict) and "format" in data and data["format"] not in FORMATS:
        raise StudylogError(
            f"unknown lock format {data.get('format')!r}; this version of Studylog reads formats 1 and {FORMAT}",
            path=path, line=_line_of(text, "format") or 1, hint=hint,
        )
    unchecked = _unchecked(data, _CHECKED)
    error = jsonschema.exceptions.best_match(_validator().iter_errors(unchecked))
    if error is not None:
        where = [str(p) for p in error.absolute_path]
        which = f"'{where[2]}' of " if len(where) > 2 else ""
        place = f"{which}record '{where[1]}'" if len(where) > 1 else (f"'{where[0]}'" if where else "the lock")
        if where[:1] == ["keys"] and len(where) == 2:
            place = f"the key of '{where[1]}'"
        message = _schema_message(error)
        raise StudylogError(f"{place} {message}" if message.startswith("lacks") else f"{place}: {message}", path=path,
                            line=_line_of(text, *where[:3]) or 1, hint=hint)
    papers = _records(data, unchecked, "papers", ArxivRecord.from_json)
    citations = _records(data, unchecked, "citations", CitationRecord.from_json)
    _CHECKED.clear()
    _CHECKED.update({
        "papers": {key: (data["papers"][key], record) for key, record in papers.items()},
        "citations": {key: (data["citations"][key], record) for key, record in citations.items()},
        "keys": {key: (value, value) for key, value in data.get("keys", {}).items()},
    })
    return Lock(papers=papers, citations=citations, keys=dict(data.get("keys", {})))


_CHECKED: dict[str, dict[str, tuple[Any, Any]]] = {}
"""Each record of the last lock read well, by section and key: its JSON value, and the record made of it.
Every rule of the schema below the top level is about one record and its key, so a record that passed and
is the same passes again: a lock saved by `enrich` with one record changed has that record checked alone
(the whole lock's check was 0.5 s at 2,000 papers, on every save of it under serve)."""

_SECTIONS = ("papers", "citations", "keys")


def _unchecked(data: Any, known: Mapping[str, Mapping[str, tuple[Any, Any]]]) -> Any:
    """``data`` without the records that are, key and value, the ones of the last lock read well."""
    if not isinstance(data, dict):
        return data
    pruned = dict(data)
    for section in _SECTIONS:
        records, seen = data.get(section), known.get(section, {})
        if isinstance(records, dict):
            pruned[section] = {key: value for key, value in records.items()
                               if key not in seen or not _same(seen[key][0], value)}
    return pruned


def _same(a: Any, b: Any) -> bool:
    """JSON values equal and of the same types all through (Python's ``1 == 1.0 == True`` is not the schema's)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(value, b[key]) for key, value in a.items())
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def _records(data: dict[str, Any], unchecked: dict[str, Any], section: str, make: Any) -> dict[str, Any]:
    """A section's records: the last lock's for those left out of the check (the same), made for the others."""
    new = unchecked.get(section, {})
    known = _CHECKED.get(section, {})
    return {key: make(key, value) if key in new else known[key][1] for key, value in data.get(section, {}).items()}


@cache
def _validator() -> Any:
    schema = json.loads(resources.files("generator").joinpath(SCHEMA_FILE).read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(_inlined(schema, schema.get("$defs", {})))


def _inlined(node: Any, defs: Mapping[str, Any]) -> Any:
    """``node`` with every ``{"$ref": "#/$defs/name"}`` replaced by that definition (the lock's schema has
    no cycles). The file keeps one definition of each; the validator resolves none per record, which
    halves the time a lock of thousands of records takes to check."""
    if isinstance(node, list):
        return [_inlined(item, defs) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        rest = {k: v for k, v in node.items() if k != "$ref"}
        return _inlined({**defs[ref.removeprefix("#/$defs/")], **rest}, defs)
    return {key: _inlined(value, defs) for key, value in node.items()}


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
        path = list(error.absolute_path)
        if len(path) == 1:  # a key of a section (propertyNames reports the pattern at the section)
            what = {"papers": "an arXiv ID", "citations": "an ID Semantic Scholar is asked by (ARXIV:, DOI: or ACL:)",
                    "keys": "a paper's id"}.get(str(path[0]), "in the form expected")
        else:
            what = "a BibTeX key" if path[0] == "keys" else "in the form expected"
        return f"{shown} is not {what}"
    if kind in ("const", "enum"):
        wanted = error.validator_value if kind == "enum" else [error.validator_value]
        return f"must be {' or '.join(json.dumps(w) for w in wanted)}, not {shown}"
    return error.message


def dump_lock(lock: Lock | Mapping[str, ArxivRecord]) -> str:
    """The lock's text: stable, sorted and pretty, so diffs stay small. A mapping is a lock of arXiv records alone."""
    if not isinstance(lock, Lock):
        lock = Lock(papers=dict(lock))
    data: dict[str, Any] = {"format": 1, "papers": {key: record.to_json() for key, record in lock.papers.items()}}
    if lock.citations or lock.keys:
        data["format"] = FORMAT
        data["citations"] = {key: record.to_json() for key, record in lock.citations.items()}
        data["keys"] = dict(lock.keys)
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def save_lock(path: str | Path, lock: Lock | Mapping[str, ArxivRecord]) -> None:
    """Write the lock atomically. A mapping is a lock of arXiv records alone (a new lock, as tests make)."""
    write_atomic(path, dump_lock(lock))


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
