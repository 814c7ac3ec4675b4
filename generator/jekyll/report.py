"""What an import did: the logs written, kept and skipped, and every problem as a Diagnostic."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Diagnostic, Severity, shown_path
from ..text import plural


def warning(path: Path, line: int | None, message: str, hint: str | None = None) -> Diagnostic:
    """A problem of the import: the post (or log) it is in, its 1-based line (None: the whole file)."""
    return Diagnostic.at(message, path=path, line=line, hint=hint, severity=Severity.WARNING)


@dataclass(frozen=True)
class ImportReport:
    """What :func:`~generator.jekyll.import_jekyll` did."""

    source: Path
    """The blog's ``_posts`` folder."""
    dest: Path
    """The logs folder written into."""
    converted: tuple[Path, ...] = ()
    """Logs written for the first time."""
    updated: tuple[Path, ...] = ()
    """Logs imported before, rewritten because the post (or the converter) changed."""
    unchanged: tuple[Path, ...] = ()
    """Logs that already held what the import would write (or that you edited), not rewritten."""
    skipped: tuple[Path, ...] = ()
    """Posts not imported; a diagnostic on each says why."""
    diagnostics: tuple[Diagnostic, ...] = ()
    """Every problem, sorted by file and line; all warnings: the import goes on past each."""
    dropped: dict[str, int] = field(default_factory=dict)
    """Front matter keys left out because only Jekyll or its themes use them: key -> how many posts had it."""
    redirects: int = 0
    """Old addresses written into the logs' ``redirect_from``."""

    @property
    def written(self) -> tuple[Path, ...]:
        return self.converted + self.updated

    def render(self) -> str:
        """The report for a terminal: a summary, one line per file, the keys dropped, then the problems."""
        warnings = [d for d in self.diagnostics if d.severity is not Severity.NOTE]
        lines = [
            f"Imported Jekyll posts from {shown_path(self.source)} into {shown_path(self.dest)}: "
            f"{len(self.converted)} new, {len(self.updated)} updated, {len(self.unchanged)} unchanged, "
            f"{len(self.skipped)} skipped, {plural(len(warnings), 'warning')}."
        ]
        for label, paths in (("new", self.converted), ("updated", self.updated), ("unchanged", self.unchanged)):
            lines += [f"  {label:<9}  {path.name}" for path in paths]
        lines += [f"  {'skipped':<9}  {shown_path(path)}" for path in self.skipped]
        if self.redirects:
            lines.append(f"{plural(self.redirects, 'old address', 'old addresses')} of the blog redirect to "
                         "their logs (`redirect_from` in each log)")
        if self.dropped:
            counts = ", ".join(f"{key} ({n})" for key, n in sorted(self.dropped.items(), key=lambda kv: (-kv[1], kv[0])))
            lines.append(f"front matter keys only Jekyll uses, left out (posts): {counts}")
        if self.diagnostics:
            lines.append("")
            lines += [d.render() for d in self.diagnostics]
        return "\n".join(lines) + "\n"


def count_dropped(keys: list[list[str]]) -> dict[str, int]:
    """Per key, how many posts dropped it."""
    return dict(Counter(key for post in keys for key in set(post)))
