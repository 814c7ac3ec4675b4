"""``python -m generator enrich``: fill the lock from arXiv (and Semantic Scholar), batch by batch.

:func:`run_enrich` decides which arXiv IDs to fetch (those the lock lacks, or holds
in another version than the catalogue pins; all with ``refresh``; those fetched
more than ``max_age_days`` ago), asks arXiv in batches of 100 and saves the lock
atomically after every batch, so Ctrl-C or a crash loses at most one batch and a
rerun goes on where it stopped. A run with nothing to fetch sends no request.
Given the catalogue's papers, it first records the BibTeX key of every paper the
lock has no key for (:mod:`generator.citekeys`), so that keys never change after.

:func:`run_citations` does the same for Semantic Scholar's citation data
(:mod:`generator.semantic_scholar`), by the IDs the catalogue's papers are looked
up by, into the lock's ``citations`` section. Both share one loop.

An ID a source does not return is reported as missing; nothing is ever deleted
from the lock. Two runs on one lock at once are refused, through an OS file lock
on ``papers.lock.json.lock`` beside it (released by the OS when a run dies).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Protocol, TextIO, TypeVar

from .arxiv_source import ArxivSource, Settings
from .citekeys import assign_keys
from .errors import StudylogError
from .fsutil import check_writable
from .http import Batch, batches
from .ids import ArxivId, parse_arxiv_id
from .lock import ArxivRecord, CitationRecord, Lock, read_lock, save_lock
from .project import CITATIONS_COMMAND, ENRICH_COMMAND

if TYPE_CHECKING:
    from .catalogue import Paper
    from .semantic_scholar import ScholarSource

LISTED = 10
"""How many IDs the summary names per line before it says "and N more"."""


class _Record(Protocol):
    @property
    def fetched(self) -> str: ...


ID = TypeVar("ID")
ID_contra = TypeVar("ID_contra", contravariant=True)
R = TypeVar("R", bound=_Record)


class Source(Protocol[ID_contra]):
    """What the loop needs of a metadata source (``ArxivSource``, ``ScholarSource``)."""

    name: str
    """Its name in messages: ``arXiv``."""
    missing_note: str
    """Why IDs come back missing, and what to do: ``arXiv returned nothing for them; check the IDs``."""
    batch_size: int

    @property
    def requests_sent(self) -> int: ...

    def fetch_batch(self, ids: Sequence[ID_contra], *,
                    on_retry: Callable[[str], None] | None = None) -> Batch[Any, Any]: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class EnrichReport:
    """What a run did, by ID as the catalogue gives it: an arXiv ID with its pinned version, if any;
    ``ARXIV:...``, ``DOI:...`` or ``ACL:...`` for Semantic Scholar."""

    fetched: tuple[str, ...] = ()
    """Fetched and saved in the lock."""
    changed: tuple[str, ...] = ()
    """The fetched ones that are new in the lock or whose metadata changed (a subset of ``fetched``)."""
    unchanged: tuple[str, ...] = ()
    """Already in the lock and not due for a refetch: not asked for."""
    missing: tuple[str, ...] = ()
    """Asked for, but the source has no such paper (or not that version). A record already in the lock stays."""
    failed: tuple[str, ...] = ()
    """Not fetched because of an error: see ``errors``. A rerun tries them again."""
    errors: tuple[str, ...] = ()
    """One line per problem, for the user."""
    requests: int = 0
    """HTTP requests that reached the source."""
    unavailable: bool = False
    """The source could not be reached or kept failing: what failed is worth asking for again later."""
    keys_recorded: int = 0
    """Papers whose BibTeX key this run recorded in the lock."""
    source: str = ArxivSource.name
    label: str = "enrich"
    """What the summary starts with: ``enrich`` (arXiv), ``citations`` (Semantic Scholar)."""
    missing_note: str = ArxivSource.missing_note
    command: str = ENRICH_COMMAND
    """The command that fetches what failed."""

    def summary(self) -> str:
        """``enrich: 98 fetched, 1900 unchanged, 2 missing, 0 failed``, then the missing and failed IDs."""
        counts = (
            f"{self.label}: {len(self.fetched)} fetched"
            + (f" ({len(self.changed)} new or changed)" if len(self.changed) != len(self.fetched) else "")
            + f", {len(self.unchanged)} unchanged, {len(self.missing)} missing, {len(self.failed)} failed"
            + f" ({self.requests} request{'s' if self.requests != 1 else ''} to {self.source})"
        )
        lines = [counts]
        if self.missing:
            lines.append(f"  missing ({self.missing_note}): {_listed(self.missing)}")
        if self.failed:
            lines.append(f"  failed: {_listed(self.failed)}")
        lines += [f"  {error}" for error in self.errors]
        if self.failed:
            lines.append(f"  what was fetched is saved; run `{self.command}` again to fetch the rest")
        if self.keys_recorded:
            papers = f"{self.keys_recorded} paper{'s' if self.keys_recorded != 1 else ''}"
            lines.append(f"  recorded the BibTeX keys of {papers} in the lock: they stay as they are now")
        return "\n".join(lines)


def _listed(ids: Sequence[str]) -> str:
    shown = ", ".join(ids[:LISTED])
    return shown + (f" and {len(ids) - LISTED} more" if len(ids) > LISTED else "")


def run_enrich(
    ids: Sequence[ArxivId],
    lock_path: str | Path,
    *,
    refresh: bool = False,
    max_age_days: float | None = None,
    out: TextIO | None = None,
    source: ArxivSource | None = None,
    on_batch: Callable[[Batch[ArxivId, ArxivRecord]], None] | None = None,
    papers: Sequence[Paper] | None = None,
) -> EnrichReport:
    """Fetch the metadata of ``ids`` that the lock at ``lock_path`` needs, and save it.

    ``refresh`` refetches every ID; ``max_age_days`` refetches records fetched longer
    ago than that. Progress goes to ``out`` (default: stderr): a bar on a terminal,
    one line per batch otherwise. ``source`` defaults to one built from the
    ``ARXIV_*`` environment variables; ``on_batch`` is called after each batch is saved.
    Given the catalogue's ``papers``, it first records the BibTeX key of each paper
    the lock has none for (even when nothing is fetched).

    Raises StudylogError when another run holds the lock, the lock file is broken or
    a setting is wrong. On KeyboardInterrupt, what was fetched is saved, then it re-raises.
    """
    wanted, invalid = _valid(ids)
    report = _run(
        wanted, Path(lock_path), section=_papers, key=ArxivSource.key, source=source,
        make_source=lambda: ArxivSource(Settings.from_env()),
        stale=lambda arxiv_id, record: arxiv_id.version is not None and record.version != arxiv_id.version,
        prepare=(lambda lock: _record_keys(lock, papers)) if papers is not None else None,
        refresh=refresh, max_age_days=max_age_days, out=out, on_batch=on_batch,
    )
    return replace(report, failed=tuple(invalid) + report.failed, errors=tuple(invalid.values()) + report.errors)


def run_citations(
    ids: Sequence[str],
    lock_path: str | Path,
    *,
    refresh: bool = False,
    max_age_days: float | None = None,
    out: TextIO | None = None,
    source: ScholarSource | None = None,
    on_batch: Callable[[Batch[str, CitationRecord]], None] | None = None,
) -> EnrichReport:
    """Fetch Semantic Scholar's records of ``ids`` (``ARXIV:...``, ``DOI:...``, ``ACL:...``) that the
    lock lacks, into its ``citations`` section, as :func:`run_enrich` does for arXiv. ``source``
    defaults to one built from the ``S2_*`` environment variables."""
    from .semantic_scholar import ScholarSettings, ScholarSource

    report = _run(
        list(dict.fromkeys(ids)), Path(lock_path), section=_citations, key=ScholarSource.key, source=source,
        make_source=lambda: ScholarSource(ScholarSettings.from_env()),
        refresh=refresh, max_age_days=max_age_days, out=out, on_batch=on_batch,
    )
    return replace(report, source=ScholarSource.name, label="citations", missing_note=ScholarSource.missing_note,
                   command=CITATIONS_COMMAND)


def _papers(lock: Lock) -> dict[str, ArxivRecord]:
    return lock.papers


def _citations(lock: Lock) -> dict[str, CitationRecord]:
    return lock.citations


def _record_keys(lock: Lock, papers: Sequence[Paper]) -> int:
    """Record in ``lock`` the key of each paper it has none for, or another than its ``key:``; how many."""
    keys = assign_keys(papers, lock.keys)
    new = {paper: key for paper, key in keys.items() if lock.keys.get(paper) != key}
    lock.keys.update(new)
    return len(new)


def _valid(ids: Sequence[ArxivId]) -> tuple[list[ArxivId], dict[str, str]]:
    """The IDs worth asking for, once each, and why the others are not (arXiv refuses a
    whole request for one malformed ID, so those never leave the machine)."""
    wanted: dict[str, ArxivId] = {}
    invalid: dict[str, str] = {}
    for arxiv_id in ids:
        try:
            ok = parse_arxiv_id(str(arxiv_id)) == arxiv_id
            problem = "" if ok else "it is not in its normal form"
        except ValueError as err:
            ok, problem = False, str(err)
        if not ok:
            invalid[str(arxiv_id)] = f"not asked for {arxiv_id}: {problem}"
        elif arxiv_id.base not in wanted:
            wanted[arxiv_id.base] = arxiv_id
    return list(wanted.values()), invalid


def _run(
    items: Sequence[ID],
    lock_path: Path,
    *,
    section: Callable[[Lock], dict[str, R]],
    key: Callable[[ID], str],
    source: Source[ID] | None,
    make_source: Callable[[], Source[ID]],
    refresh: bool,
    max_age_days: float | None,
    out: TextIO | None,
    on_batch: Callable[[Any], None] | None,
    stale: Callable[[ID, R], bool] | None = None,
    prepare: Callable[[Lock], int] | None = None,
) -> EnrichReport:
    """The run both sources share: under the file lock, what is due, then the batches."""
    out = out if out is not None else sys.stderr
    if max_age_days is not None and not (max_age_days >= 0 and max_age_days != float("inf")):
        raise StudylogError(f"--max-age must be a number of days of at least 0, not {max_age_days}")
    with _exclusive(lock_path):
        lock = read_lock(lock_path)
        recorded = prepare(lock) if prepare is not None else 0
        if recorded:
            _save(lock_path, lock)
        records = section(lock)
        todo, unchanged = _due(items, records, key, refresh=refresh, max_age_days=max_age_days, stale=stale)
        if not todo:
            return EnrichReport(unchanged=tuple(str(i) for i in unchanged), keys_recorded=recorded)
        own = source is None
        source = source or make_source()
        before = source.requests_sent
        try:
            report = _fetch(todo, lock, records, key, lock_path, source, out=out, on_batch=on_batch)
        finally:
            if own:
                source.close()
    return replace(report, unchanged=tuple(str(i) for i in unchanged), requests=source.requests_sent - before,
                   keys_recorded=recorded)


def _due(
    items: Sequence[ID], records: dict[str, R], key: Callable[[ID], str], *, refresh: bool,
    max_age_days: float | None, stale: Callable[[ID, R], bool] | None,
) -> tuple[list[ID], list[ID]]:
    """Split ``items`` into those to fetch and those the lock already answers."""
    oldest = datetime.now(UTC) - timedelta(days=max_age_days) if max_age_days is not None else None
    todo: list[ID] = []
    unchanged: list[ID] = []
    for item in items:
        record = records.get(key(item))
        due = (
            refresh
            or record is None
            or (stale is not None and stale(item, record))
            or (oldest is not None and _fetched_before(record, oldest))
        )
        (todo if due else unchanged).append(item)
    return todo, unchanged


def _fetched_before(record: _Record, when: datetime) -> bool:
    try:
        fetched = datetime.fromisoformat(record.fetched)
    except ValueError:
        return True
    if fetched.tzinfo is None:
        fetched = fetched.replace(tzinfo=UTC)
    return fetched < when


def _fetch(
    todo: list[ID],
    lock: Lock,
    records: dict[str, R],
    key: Callable[[ID], str],
    lock_path: Path,
    source: Source[ID],
    *,
    out: TextIO,
    on_batch: Callable[[Any], None] | None,
) -> EnrichReport:
    fetched: list[str] = []
    changed: list[str] = []
    missing: list[str] = []
    failed: list[str] = []
    errors: list[str] = []
    groups = batches(todo, source.batch_size)
    progress = _Progress(out, batches=len(groups), ids=len(todo), name=source.name)
    unsaved = False
    unavailable = False
    try:
        for number, group in enumerate(groups, start=1):
            batch = source.fetch_batch(group, on_retry=progress.retrying(number))
            if batch.records:
                for item in batch.requested:
                    record = batch.records.get(key(item))
                    if record is None:
                        continue
                    fetched.append(str(item))
                    if not _same(records.get(key(item)), record):
                        changed.append(str(item))
                records.update(batch.records)
                unsaved = True
                _save(lock_path, lock)
                unsaved = False
            missing += [str(i) for i in batch.missing]
            failed += [str(i) for i in batch.failed]
            if batch.error:
                advice = "; run the command again later" if batch.unavailable else ""
                errors.append(f"batch {number}/{len(groups)} ({_span(batch.failed or batch.requested)}): "
                              f"{batch.error}{advice}")
            progress.batch(number, batch)
            if on_batch:
                on_batch(batch)
            if batch.stops_the_run and number < len(groups):
                rest = [i for g in groups[number:] for i in g]
                failed += [str(i) for i in rest]
                why = f"{source.name} is unavailable, so " if batch.unavailable else ""
                errors.append(f"{why}the other {len(rest)} IDs were not asked for")
            if batch.stops_the_run:
                unavailable = batch.unavailable
                break
    except KeyboardInterrupt:
        # Ctrl-C during the save leaves the old lock intact: save this batch after all.
        if unsaved:
            _save(lock_path, lock)
        raise
    finally:
        progress.close()
    return EnrichReport(
        fetched=tuple(fetched),
        changed=tuple(changed),
        missing=tuple(missing),
        failed=tuple(failed),
        errors=tuple(errors),
        unavailable=unavailable,
    )


def _save(lock_path: Path, lock: Lock) -> None:
    save_lock(lock_path, lock)  # atomic: on a full disk, what was saved before is intact


def _same(old: _Record | None, new: _Record) -> bool:
    return old is not None and replace(old, fetched="") == replace(new, fetched="")  # type: ignore[type-var]


def _span(ids: Sequence[Any]) -> str:
    return str(ids[0]) if len(ids) == 1 else f"{ids[0]} ... {ids[-1]}, {len(ids)} IDs"


class _Progress:
    """A bar on a terminal (tqdm, when installed), else one plain line per batch."""

    def __init__(self, out: TextIO, *, batches: int, ids: int, name: str) -> None:
        self.out = out
        self.batches = batches
        self.bar: Any = None
        isatty = getattr(out, "isatty", None)
        if isatty is not None and isatty():
            try:
                from tqdm import tqdm  # type: ignore[import-untyped, unused-ignore]
            except ImportError:
                pass
            else:
                self.bar = tqdm(total=ids, desc=name, unit=" papers", file=out, dynamic_ncols=True)

    def batch(self, number: int, batch: Batch[Any, Any]) -> None:
        if self.bar is not None:
            self.bar.update(len(batch.requested))
            if batch.error:
                self.note(f"batch {number}/{self.batches}: failed: {batch.error}")
            return
        count = len(batch.requested)
        text = (
            f"batch {number}/{self.batches}: {count} ID{'s' if count != 1 else ''}, "
            f"{len(batch.records)} fetched, {len(batch.missing)} missing"
        )
        if batch.error:
            text += f", failed: {batch.error}"
        print(text, file=self.out, flush=True)

    def retrying(self, number: int) -> Callable[[str], None]:
        """What ``fetch_batch`` calls to tell of a retry in batch ``number``."""
        return lambda text: self.note(f"batch {number}/{self.batches}: {text}")

    def note(self, text: str) -> None:
        if self.bar is not None:
            self.bar.write(text, file=self.out)
        else:
            print(text, file=self.out, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


@contextmanager
def _exclusive(lock_path: Path) -> Iterator[None]:
    """Hold an OS lock on ``<lock>.lock`` for the run, or refuse if another run holds it."""
    guard = lock_path.with_name(lock_path.name + ".lock")
    check_writable(lock_path)
    try:
        guard.parent.mkdir(parents=True, exist_ok=True)
        handle = open(guard, "a+", encoding="utf-8")  # noqa: SIM115  (closed by the with below)
    except OSError as err:
        raise StudylogError(
            f"cannot create {guard.name}, which keeps two runs from writing the lock at once: "
            f"{err.strerror or err}",
            path=guard,
            hint="run `enrich` where the project can be written (it saves the lock there)",
        ) from None
    with handle:
        if not _try_lock(handle):
            try:
                handle.seek(0)
                holder = handle.read().strip()
            except OSError:
                holder = ""
            raise StudylogError(
                "another `enrich` is running on this lock file" + (f" (process {holder})" if holder.isdigit() else ""),
                path=lock_path,
                hint="wait for it to finish, or stop it with Ctrl-C (it saves what it fetched)",
            )
        try:
            handle.seek(0)
            handle.truncate()
            handle.write(str(os.getpid()))
            handle.flush()
            yield
        finally:
            _unlock(handle)


if sys.platform == "win32":  # pragma: no cover
    import msvcrt

    def _try_lock(handle: IO[str]) -> bool:
        handle.seek(0)
        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(handle: IO[str]) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(handle: IO[str]) -> bool:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(handle: IO[str]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


__all__ = ["EnrichReport", "Source", "run_citations", "run_enrich"]
