"""Adding papers to ``papers.yaml`` without disturbing a single line the user wrote.

The file is read with ruamel.yaml's round-trip loader, which knows where every
node sits. The new entries are inserted as text right after the last paper, in
the file's own indentation and spacing; every other byte stays as it was. The
result is validated by the same loader as any hand edit before it replaces the
file (atomically), so a bad add can never leave a broken catalogue behind.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from .catalogue import Catalogue, load_catalogue, parse_catalogue
from .errors import StudylogError, raise_all
from .fsutil import write_atomic
from .ids import EXAMPLES, ArxivId, parse_id_or_url
from .status import KEYS as STATUSES


@dataclass(frozen=True)
class Added:
    ids: tuple[ArxivId, ...]
    catalogue: Catalogue


def parse_inputs(inputs: Sequence[str]) -> list[ArxivId]:
    """IDs from what the user typed: IDs, versioned IDs, abs/pdf URLs. All problems at once."""
    ids: list[ArxivId] = []
    errors = []
    for text in inputs:
        try:
            ids.append(parse_id_or_url(text))
        except ValueError as err:
            errors.append(StudylogError(f"cannot add '{text}': {err}", hint=f"give an arXiv ID like {EXAMPLES}, or an arxiv.org/abs/... URL"))
    raise_all(errors)
    return ids


def add_papers(
    path: Path,
    ids: Sequence[ArxivId],
    *,
    topics: Sequence[str] = (),
    status: str | None = None,
    today: dt.date | None = None,
) -> Added:
    """Append ``ids`` to the catalogue at ``path``. Refuses (changing nothing) on any problem."""
    catalogue = load_catalogue(path)
    known = [t.id for t in catalogue.topics]
    errors: list[StudylogError] = []
    for topic in topics:
        if topic not in known:
            close = difflib.get_close_matches(topic, known, n=1)
            errors.append(
                StudylogError(
                    f"unknown topic '{topic}'",
                    path=path,
                    hint=(f"did you mean '{close[0]}'? " if close else "")
                    + (f"known topics: {', '.join(known)}" if known else "add the topic under `topics:` first"),
                )
            )
    if status is not None and status not in STATUSES:
        errors.append(StudylogError(f"unknown status '{status}'", hint=f"use one of: {', '.join(STATUSES)}"))
    unique: dict[str, ArxivId] = {}
    for arxiv_id in ids:
        existing = catalogue.find_arxiv(arxiv_id)
        if existing is not None:
            errors.append(
                StudylogError(
                    f"arXiv {arxiv_id.base} is already in {path.name} at line {existing.line}",
                    path=path,
                    line=existing.line,
                    hint="edit that entry instead",
                )
            )
        elif arxiv_id.base in unique:
            errors.append(StudylogError(f"arXiv {arxiv_id.base} is given twice", hint="give each paper once"))
        else:
            unique[arxiv_id.base] = arxiv_id
    raise_all(errors)
    if not unique:
        return Added((), catalogue)
    raw = path.read_bytes()  # bytes, so CRLF line ends are seen and kept
    text = raw.decode("utf-8-sig")
    had_bom = raw.startswith(b"\xef\xbb\xbf")
    new_text = insert_papers(text, list(unique.values()), topics=topics, status=status, today=today or dt.date.today())
    updated = parse_catalogue(new_text, path)  # validate before anything is written
    if len(updated.papers) != len(catalogue.papers) + len(unique):
        raise StudylogError("adding would not give the expected catalogue; nothing was changed", path=path)
    write_atomic(path, ("\ufeff" if had_bom else "") + new_text)
    return Added(tuple(unique.values()), updated)


def insert_papers(
    text: str, ids: Sequence[ArxivId], *, topics: Sequence[str], status: str | None, today: dt.date
) -> str:
    """``text`` with one entry per ID appended to ``papers:``; every other line is kept as is."""
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.replace("\r\n", "\n").split("\n")
    data = YAML(typ="rt").load(text)
    if not isinstance(data, CommentedMap) or "papers" not in data:
        raise StudylogError("the catalogue has no `papers:` list to add to", hint="add a line `papers:` to it")
    papers = data["papers"]
    key_line = data.lc.key("papers")[0]
    blocks_block = isinstance(papers, CommentedSeq) and len(papers) and not papers.fa.flow_style()
    if blocks_block:
        last = len(papers) - 1
        item_line, item_col = papers.lc.item(last)
        dash_col = _dash_column(lines[item_line], item_col)
        key_col = item_col
        separated = any(not lines[papers.lc.item(i)[0] - 1].strip() for i in range(1, len(papers)))
        end = _end_of_block(lines, item_line, data, "papers")
    else:
        # `papers:` or `papers: []`: start a block list under the key.
        if papers not in (None, []) and not (isinstance(papers, CommentedSeq) and len(papers) == 0):
            raise StudylogError("`papers:` is not a list", hint="write `papers:` followed by `- arxiv: ...` items")
        lines[key_line] = re.sub(r"(papers\s*:)\s*(\[\s*\])?", r"\1", lines[key_line], count=1)
        dash_col, key_col, separated = 2, 4, False
        end = key_line + 1
    entries: list[str] = []
    for arxiv_id in ids:
        block = [f'{" " * dash_col}-{" " * (key_col - dash_col - 1)}arxiv: "{arxiv_id}"']
        if topics:
            block.append(f"{' ' * key_col}topics: [{', '.join(topics)}]")
        if status:
            block.append(f"{' ' * key_col}status: {status}")
        block.append(f"{' ' * key_col}added: {today.isoformat()}")
        entries.append("\n".join(block))
    joiner = "\n\n" if separated else "\n"
    inserted = joiner.join(entries)
    before, after = lines[:end], lines[end:]
    piece = ([""] if separated and blocks_block else []) + inserted.split("\n")
    result = before + piece + after
    return newline.join(result)


def _dash_column(line: str, key_col: int) -> int:
    m = re.match(r"^(\s*)-", line)
    return len(m.group(1)) if m else max(0, key_col - 2)


def _end_of_block(lines: list[str], item_line: int, data: CommentedMap, key: str) -> int:
    """The index after the last line of the last item of ``key``'s list.

    The list ends where the next top-level key starts, less the blank lines and
    column-0 comments just above that key (they introduce the next section).
    """
    keys = list(data.keys())
    index = keys.index(key)
    stop = data.lc.key(keys[index + 1])[0] if index + 1 < len(keys) else len(lines)
    end = stop
    while end > item_line + 1 and (not lines[end - 1].strip() or lines[end - 1].startswith("#")):
        end -= 1
    return end
