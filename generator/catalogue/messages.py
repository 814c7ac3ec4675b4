"""What a schema error in ``papers.yaml`` means to the person who wrote it.

jsonschema says ``'2021' is not of type 'integer'`` at ``papers/3/year``; this
module says ``'year' of paper #4 must be a whole number, not text ('2021')`` with
the hint ``remove the quotes: `year: 2021```.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import Any

import jsonschema

from ..ids import EXAMPLES, parse_arxiv_id
from ..text import ascii_slug

JsonPath = tuple[str | int, ...]
Message = tuple[str, JsonPath, str | None]
"""(what is wrong, where, hint)."""


def explain(err: jsonschema.ValidationError) -> Iterator[Message]:
    """One message (or several, for several unknown keys) for a schema error."""
    where: JsonPath = tuple(err.absolute_path)
    what = describe(where)
    kind = err.validator
    if kind == "additionalProperties":
        allowed = sorted(err.schema.get("properties", {}))
        for key in sorted(set(err.instance) - set(allowed)):
            close = difflib.get_close_matches(key, allowed, n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            yield (f"unknown key '{key}' in {what}", (*where, key),
                   hint + f"the keys {what.split(' ')[0]}s take are: {', '.join(allowed)}")
    elif kind == "anyOf" and where and where[0] == "papers":
        if "arxiv" not in err.instance and "title" not in err.instance:
            yield (f"{what} has no arXiv ID and no title", where,
                   'give its arXiv ID (arxiv: "2104.08691"), or give `id` and `title` yourself')
        else:
            yield (f"{what} is not on arXiv, so it needs an `id`", where,
                   "add `id:` with lowercase letters, digits and hyphens, for example `id: deepquest`")
    elif kind == "required":
        for key in err.validator_value:
            if key not in err.instance:
                yield f"{what} lacks '{key}'", where, f"add `{key}:` to it"
    elif kind == "type":
        yield type_message(where, what, err.instance, err.validator_value)
    elif kind == "enum":
        choices = ", ".join(str(c) for c in err.validator_value)
        yield f"{what} is {err.instance!r}, which is not one of: {choices}", where, f"use one of: {choices}"
    elif kind == "pattern":
        yield pattern_message(where, what, err.instance)
    elif kind in ("minimum", "maximum"):
        yield f"{what} is {err.instance}, which is out of range", where, "write a four-digit year"
    elif kind == "not":
        section = where[0] if where else "papers"
        yield (f"{what} is '{err.instance}', a name the site keeps for its own page ({section}/{err.instance}.md)",
               where, f"choose another id, for example '{err.instance}-1'")
    elif kind == "minLength":
        yield f"{what} is empty", where, "write something, or remove the key"
    else:
        yield f"{what}: {err.message}", where, None


def describe(where: JsonPath) -> str:
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


_TYPE_NAMES = {"string": "text", "integer": "a whole number", "array": "a list", "object": "a mapping",
               "boolean": "true or false"}


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


def type_message(where: JsonPath, what: str, value: Any, expected: Any) -> Message:
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


def quoted(value: str) -> str:
    """``'value'``, with line breaks and other control characters shown as escapes (``'deepquest\\n'``)."""
    if value.isprintable():
        return f"'{value}'"
    return "'" + value.encode("unicode_escape").decode("ascii").replace("'", "\\'") + "'"


def pattern_message(where: JsonPath, what: str, value: str) -> Message:
    field = str(where[-1]) if where else ""
    if field == "arxiv":
        try:
            parse_arxiv_id(value)
            problem = f"{quoted(value)} is not an arXiv ID"
        except ValueError as err:
            problem = str(err)
        return f"malformed arXiv ID in {what}: {problem}", where, f"write it like {EXAMPLES}"
    if field == "url":
        scheme = value.split(":", 1)[0] if ":" in value else ""
        if scheme and scheme.lower() not in ("http", "https"):
            return f"{what} uses the '{scheme}:' scheme; only http(s) links are allowed", where, "use an https:// URL"
        return f"{what} {quoted(value)} is not an http(s) URL", where, "write a full URL such as https://aclanthology.org/C18-1266/"
    if field in ("added", "date"):
        return f"{what} {quoted(value)} is not a date", where, "write it as YYYY-MM-DD, for example 2021-09-09"
    if field == "key":
        return (f"{what} {quoted(value)} is not a BibTeX key Studylog writes", where,
                "use ASCII letters, digits and _ : . + / - (at most 64, no spaces), for example 'guu2020realm'")
    if field == "doi":
        return f"{what} {quoted(value)} is not a DOI", where, "write the bare DOI, such as 10.18653/v1/N19-1423"
    return (
        f"{what} {quoted(value)} may only use lowercase letters, digits and single hyphens",
        where,
        f"for example '{ascii_slug(value) or 'my-id'}'",
    )
