"""Changing ``papers.yaml`` from the command line without disturbing a single byte the user wrote.

``add`` appends papers (and, with ``--new-topic``, a topic); ``status`` sets a
paper's reading status. The file is read with ruamel.yaml's round-trip loader,
which knows where every node sits; the change is made as text at that place, in
the file's own indentation and spacing, and every other byte stays as it was
(BOM and CRLF line ends too). The result is validated by the same loader as any
hand edit before it replaces the file (atomically), so a bad edit can never leave
a broken catalogue behind.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from .catalogue import Catalogue, Paper, load_catalogue, parse_catalogue
from .errors import StudylogError, raise_all
from .fsutil import write_atomic
from .ids import EXAMPLES, ArxivId, parse_id_or_url
from .logs import Link
from .status import KEYS as STATUSES
from .text import one_line


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
    titles: Mapping[str, str] | None = None,
    new_topic: tuple[str, str] | None = None,
) -> Added:
    """Append ``ids`` to the catalogue at ``path``. Refuses (changing nothing) on any problem.

    ``titles`` gives working titles by arXiv base ID (shown until ``enrich`` brings arXiv's);
    ``new_topic`` is ``(id, title)`` of a topic to create first, unless one with that id exists.
    """
    catalogue = load_catalogue(path)
    known = [t.id for t in catalogue.topics]
    errors: list[StudylogError] = []
    create_topic = new_topic if new_topic and new_topic[0] not in known else None
    if new_topic:
        known.append(new_topic[0])
    for topic in topics:
        if topic not in known:
            close = difflib.get_close_matches(topic, known, n=1)
            errors.append(
                StudylogError(
                    f"unknown topic '{topic}'",
                    path=path,
                    hint=(f"did you mean '{close[0]}'? " if close else "")
                    + (f"known topics: {', '.join(known)}" if known else "add the topic under `topics:` first")
                    + "; or create it with --new-topic \"Its Title\"",
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
    text, had_bom = _read(path)
    if create_topic:
        text = insert_topic(text, *create_topic)
    new_text = insert_papers(text, list(unique.values()), topics=topics, status=status, today=today or dt.date.today(),
                             titles=titles or {})
    updated = parse_catalogue(new_text, path)  # validate before anything is written
    if len(updated.papers) != len(catalogue.papers) + len(unique):
        raise StudylogError("adding would not give the expected catalogue; nothing was changed", path=path)
    write_atomic(path, ("\ufeff" if had_bom else "") + new_text)
    return Added(tuple(unique.values()), updated)


def set_status(path: Path, paper: str, status: str) -> tuple[Paper, bool]:
    """Set the ``status`` of ``paper`` (an arXiv ID or URL, or a paper id). Returns (the paper, whether it changed).

    Only the status's value changes (or one ``status:`` line is added to the entry).
    """
    if status not in STATUSES:
        raise StudylogError(f"unknown status '{status}'", hint=f"use one of: {', '.join(STATUSES)}")
    catalogue = load_catalogue(path)
    found = find_paper(catalogue, paper)
    if found.status == status and _has_key(path, found, "status"):
        return found, False
    text, had_bom = _read(path)
    new_text = _set_key(text, found.position, "status", status)
    updated = parse_catalogue(new_text, path)
    changed = updated.papers[found.position]
    if changed.key != found.key or changed.status != status:
        raise StudylogError("setting the status would not give the expected catalogue; nothing was changed", path=path)
    write_atomic(path, ("\ufeff" if had_bom else "") + new_text)
    return changed, True


def find_paper(catalogue: Catalogue, text: str) -> Paper:
    """The paper ``text`` names: its id on the site, its arXiv ID (any version) or an arxiv.org URL."""
    for paper in catalogue.papers:
        if paper.key == text.strip():
            return paper
    try:
        arxiv_id = parse_id_or_url(text)
    except ValueError:
        arxiv_id = None
    found = catalogue.find_arxiv(arxiv_id) if arxiv_id else None
    if found is None:
        close = difflib.get_close_matches(text.strip(), [p.key for p in catalogue.papers], n=1)
        raise StudylogError(
            f"no paper '{text}' in {catalogue.path.name}", path=catalogue.path,
            hint=(f"did you mean '{close[0]}'? " if close else "")
            + "give its arXiv ID, an arxiv.org URL, or the id of a paper not on arXiv",
        )
    return found


def _read(path: Path) -> tuple[str, bool]:
    raw = path.read_bytes()  # bytes, so CRLF line ends are seen and kept
    return raw.decode("utf-8-sig"), raw.startswith(b"\xef\xbb\xbf")


def _has_key(path: Path, paper: Paper, key: str) -> bool:
    data = YAML(typ="rt").load(_read(path)[0])
    return key in data["papers"][paper.position]


def _set_key(text: str, position: int, key: str, value: str) -> str:
    """``text`` with ``key: value`` in the ``position``-th paper: the old value replaced, or a line added."""
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.replace("\r\n", "\n").split("\n")
    data = YAML(typ="rt").load(text)
    item = data["papers"][position]
    if not isinstance(item, CommentedMap):
        raise StudylogError("that paper's entry is not a mapping", hint="write it as `- arxiv: ...` lines")
    if key in item:
        line, col = item.lc.value(key)
        current = lines[line]
        m = re.match(r"[\"']?[\w.-]*[\"']?", current[col:])
        width = m.end() if m else 0
        lines[line] = current[:col] + value + current[col + width :]
    elif item.fa.flow_style():
        line, col = data["papers"].lc.item(position)
        # `- {arxiv: "...", topics: [x]}`: add the key before the closing brace on the entry's last line.
        end = _closing_brace(lines, line, col)
        row, at = end
        lines[row] = lines[row][:at] + f", {key}: {value}" + lines[row][at:]
    else:
        first_key = next(iter(item))
        line, col = item.lc.key(first_key)
        last_line = _last_line_of(item, lines)
        lines.insert(last_line + 1, " " * col + f"{key}: {value}")
    return newline.join(lines)


def _last_line_of(item: CommentedMap, lines: list[str]) -> int:
    """The index of the last line of a block mapping's entry (its deepest last value)."""
    last_key = list(item.keys())[-1]
    line = item.lc.value(last_key)[0] if item.lc.data.get(last_key) else item.lc.key(last_key)[0]
    value = item[last_key]
    if isinstance(value, CommentedMap | CommentedSeq) and len(value) and not value.fa.flow_style():
        line = max(line, _last_line_of(value, lines) if isinstance(value, CommentedMap)
                   else value.lc.item(len(value) - 1)[0])
    # A block scalar (notes: |) runs on while lines are more indented than its key.
    key_col = item.lc.key(last_key)[1]
    while line + 1 < len(lines) and lines[line + 1].strip() and len(lines[line + 1]) - len(lines[line + 1].lstrip()) > key_col:
        line += 1
    return line


def _closing_brace(lines: list[str], line: int, col: int) -> tuple[int, int]:
    depth = 0
    quote = ""
    for row in range(line, len(lines)):
        start = col if row == line else 0
        for at in range(start, len(lines[row])):
            ch = lines[row][at]
            if quote:
                quote = "" if ch == quote else quote
            elif ch in "\"'":
                quote = ch
            elif ch in "{[":
                depth += 1
            elif ch in "}]":
                depth -= 1
                if depth == 0:
                    return row, at
    raise StudylogError("could not find the end of that paper's entry", hint="edit the status by hand")


def insert_topic(text: str, topic_id: str, title: str) -> str:
    """``text`` with ``{id, title}`` appended to ``topics:`` (in the file's own style)."""
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.replace("\r\n", "\n").split("\n")
    data = YAML(typ="rt").load(text)
    if not isinstance(data, CommentedMap) or "topics" not in data:
        raise StudylogError("the catalogue has no `topics:` list to add to", hint="add a line `topics:` to it")
    topics = data["topics"]
    entry_title = json.dumps(title, ensure_ascii=False)
    key_line = data.lc.key("topics")[0]
    if isinstance(topics, CommentedSeq) and len(topics) and not topics.fa.flow_style():
        last = len(topics) - 1
        item_line, item_col = topics.lc.item(last)
        dash_col = _dash_column(lines[item_line], item_col)
        if isinstance(topics[last], CommentedMap) and topics[last].fa.flow_style():
            block = [f"{' ' * dash_col}- {{id: {topic_id}, title: {entry_title}}}"]
        else:
            block = [f"{' ' * dash_col}-{' ' * (item_col - dash_col - 1)}id: {topic_id}",
                     f"{' ' * item_col}title: {entry_title}"]
        end = _end_of_block(lines, item_line, data, "topics")
    else:
        if topics not in (None, []) and not (isinstance(topics, CommentedSeq) and len(topics) == 0):
            raise StudylogError("`topics:` is not a list", hint="write `topics:` followed by `- id: ...` items")
        lines[key_line] = re.sub(r"(topics\s*:)\s*(\[\s*\])?", r"\1", lines[key_line], count=1)
        block = [f"  - id: {topic_id}", f"    title: {entry_title}"]
        end = key_line + 1
    return newline.join(lines[:end] + block + lines[end:])


def insert_papers(
    text: str, ids: Sequence[ArxivId], *, topics: Sequence[str], status: str | None, today: dt.date,
    titles: Mapping[str, str] | None = None,
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
        if titles and titles.get(arxiv_id.base):
            block.append(f"{' ' * key_col}working_title: {json.dumps(titles[arxiv_id.base], ensure_ascii=False)}")
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


def link_titles(links: Iterable[tuple[object, Link]]) -> dict[str, str]:
    """Working titles from the text of the logs' links to arXiv papers: ``[VGG-16](arxiv...)`` gives ``VGG-16``.

    The first link whose text is words (not the URL, not the bare ID) names each paper.
    """
    titles: dict[str, str] = {}
    for _log, link in links:
        if link.arxiv is None or link.arxiv.base in titles:
            continue
        text = one_line(link.text)
        if not text or text == link.url or "arxiv.org" in text.lower() or link.arxiv.base in text \
                or re.fullmatch(r"(?i)(arxiv|pdf|paper|link|논문|링크)", text):
            continue
        titles[link.arxiv.base] = text[:200]
    return titles
