"""``python -m generator enrich``: fill the lock with arXiv metadata, batch by batch.

:func:`run_enrich` decides which IDs to fetch (those the lock lacks, or holds in
another version than the catalogue pins; all with ``refresh``; those fetched
more than ``max_age_days`` ago), asks arXiv in batches of 100 and saves the lock
atomically after every batch, so Ctrl-C or a crash loses at most one batch and a
rerun goes on where it stopped. A run with nothing to fetch sends no request.

An ID arXiv does not return is reported as missing; nothing is ever deleted from
the lock. Two runs on one lock at once are refused, through an OS file lock on
``papers.lock.json.lock`` beside it (released by the OS when a run dies).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO, Any, TextIO

from .arxiv_source import ArxivSource, Batch, Settings, batches
from .errors import StudylogError
from .fsutil import check_writable
from .ids import ArxivId, parse_arxiv_id
from .lock import ArxivRecord, load_lock, save_lock

LISTED = 10
"""How many IDs the summary names per line before it says "and N more"."""


@dataclass(frozen=True)
class EnrichReport:
    """What a run did, by arXiv ID (as the catalogue writes it, with its pinned version if any)."""

    fetched: tuple[str, ...] = ()
    """Fetched and saved in the lock."""
    changed: tuple[str, ...] = ()
    """The fetched ones that are new in the lock or whose metadata changed (a subset of ``fetched``)."""
    unchanged: tuple[str, ...] = ()
    """Already in the lock and not due for a refetch: not asked for."""
    missing: tuple[str, ...] = ()
    """Asked for, but arXiv has no such paper (or not that version). A record already in the lock stays."""
    failed: tuple[str, ...] = ()
    """Not fetched because of an error: see ``errors``. A rerun tries them again."""
    errors: tuple[str, ...] = ()
    """One line per problem, for the user."""
    requests: int = 0
    """HTTP requests that reached arXiv."""
    unavailable: bool = False
    """arXiv could not be reached or kept failing: what failed is worth asking for again later."""

    def summary(self) -> str:
        """``enrich: 98 fetched, 1900 unchanged, 2 missing, 0 failed``, then the missing and failed IDs."""
        counts = (
            f"enrich: {len(self.fetched)} fetched"
            + (f" ({len(self.changed)} new or changed)" if len(self.changed) != len(self.fetched) else "")
            + f", {len(self.unchanged)} unchanged, {len(self.missing)} missing, {len(self.failed)} failed"
            + f" ({self.requests} request{'s' if self.requests != 1 else ''} to arXiv)"
        )
        lines = [counts]
        if self.missing:
            lines.append(f"  missing (arXiv returned nothing for them; check the IDs): {_listed(self.missing)}")
        if self.failed:
            lines.append(f"  failed: {_listed(self.failed)}")
        lines += [f"  {error}" for error in self.errors]
        if self.failed:
            lines.append("  what was fetched is saved; run `python -m generator enrich` again to fetch the rest")
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
    on_batch: Callable[[Batch], None] | None = None,
) -> EnrichReport:
    """Fetch the metadata of ``ids`` that the lock at ``lock_path`` needs, and save it.

    ``refresh`` refetches every ID; ``max_age_days`` refetches records fetched longer
    ago than that. Progress goes to ``out`` (default: stderr): a bar on a terminal,
    one line per batch otherwise. ``source`` defaults to one built from the
    ``ARXIV_*`` environment variables; ``on_batch`` is called after each batch is saved.

    Raises StudylogError when another run holds the lock, the lock file is broken or
    a setting is wrong. On KeyboardInterrupt, what was fetched is saved, then it re-raises.
    """
    out = out if out is not None else sys.stderr
    if max_age_days is not None and not (max_age_days >= 0 and max_age_days != float("inf")):
        raise StudylogError(f"--max-age must be a number of days of at least 0, not {max_age_days}")
    lock_path = Path(lock_path)
    wanted, invalid = _valid(ids)
    with _exclusive(lock_path):
        records = load_lock(lock_path)
        todo, unchanged = _due(wanted, records, refresh=refresh, max_age_days=max_age_days)
        if not todo:
            return EnrichReport(
                unchanged=tuple(str(i) for i in unchanged),
                failed=tuple(invalid),
                errors=tuple(invalid.values()),
            )
        own = source is None
        source = source or ArxivSource(Settings.from_env())
        before = source.requests_sent
        try:
            report = _fetch(todo, records, lock_path, source, out=out, on_batch=on_batch)
        finally:
            if own:
                source.close()
    return replace(
        report,
        unchanged=tuple(str(i) for i in unchanged),
        failed=tuple(invalid) + report.failed,
        errors=tuple(invalid.values()) + report.errors,
        requests=source.requests_sent - before,
    )


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


def _due(
    ids: list[ArxivId], records: dict[str, ArxivRecord], *, refresh: bool, max_age_days: float | None
) -> tuple[list[ArxivId], list[ArxivId]]:
    """Split ``ids`` into those to fetch and those the lock already answers."""
    oldest = datetime.now(UTC) - timedelta(days=max_age_days) if max_age_days is not None else None
    todo: list[ArxivId] = []
    unchanged: list[ArxivId] = []
    for arxiv_id in ids:
        record = records.get(arxiv_id.base)
        due = (
            refresh
            or record is None
            or (arxiv_id.version is not None and record.version != arxiv_id.version)
            or (oldest is not None and _fetched_before(record, oldest))
        )
        (todo if due else unchanged).append(arxiv_id)
    return todo, unchanged


def _fetched_before(record: ArxivRecord, when: datetime) -> bool:
    try:
        fetched = datetime.fromisoformat(record.fetched)
    except ValueError:
        return True
    if fetched.tzinfo is None:
        fetched = fetched.replace(tzinfo=UTC)
    return fetched < when


def _fetch(
    todo: list[ArxivId],
    records: dict[str, ArxivRecord],
    lock_path: Path,
    source: ArxivSource,
    *,
    out: TextIO,
    on_batch: Callable[[Batch], None] | None,
) -> EnrichReport:
    fetched: list[str] = []
    changed: list[str] = []
    missing: list[str] = []
    failed: list[str] = []
    errors: list[str] = []
    groups = batches(todo)
    progress = _Progress(out, batches=len(groups), ids=len(todo))
    unsaved = False
    unavailable = False
    try:
        for number, group in enumerate(groups, start=1):
            batch = source.fetch_batch(group, on_retry=progress.retrying(number))
            if batch.records:
                for arxiv_id in batch.requested:
                    record = batch.records.get(arxiv_id.base)
                    if record is None:
                        continue
                    fetched.append(str(arxiv_id))
                    if not _same(records.get(arxiv_id.base), record):
                        changed.append(str(arxiv_id))
                records.update(batch.records)
                unsaved = True
                _save(lock_path, records)
                unsaved = False
            missing += [str(i) for i in batch.missing]
            failed += [str(i) for i in batch.failed]
            if batch.error:
                advice = "; run the command again later" if batch.unavailable else ""
                errors.append(f"batch {number}/{len(groups)} ({_span(batch.requested)}): {batch.error}{advice}")
            progress.batch(number, batch)
            if on_batch:
                on_batch(batch)
            if batch.unavailable and number < len(groups):
                rest = [i for g in groups[number:] for i in g]
                failed += [str(i) for i in rest]
                errors.append(f"arXiv is unavailable, so the other {len(rest)} IDs were not asked for")
            if batch.unavailable:
                unavailable = True
                break
    except KeyboardInterrupt:
        # Ctrl-C during the save leaves the old lock intact: save this batch after all.
        if unsaved:
            _save(lock_path, records)
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


def _save(lock_path: Path, records: dict[str, ArxivRecord]) -> None:
    save_lock(lock_path, records)  # atomic: on a full disk, what was saved before is intact


def _same(old: ArxivRecord | None, new: ArxivRecord) -> bool:
    return old is not None and replace(old, fetched="") == replace(new, fetched="")


def _span(ids: Sequence[ArxivId]) -> str:
    return str(ids[0]) if len(ids) == 1 else f"{ids[0]} ... {ids[-1]}, {len(ids)} IDs"


class _Progress:
    """A bar on a terminal (tqdm, when installed), else one plain line per batch."""

    def __init__(self, out: TextIO, *, batches: int, ids: int) -> None:
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
                self.bar = tqdm(total=ids, desc="arXiv", unit=" papers", file=out, dynamic_ncols=True)

    def batch(self, number: int, batch: Batch) -> None:
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


__all__ = ["EnrichReport", "run_enrich"]
