"""What Studylog tells the user: one diagnostic type, and the error that carries diagnostics.

Every problem a user can fix (a typo in ``papers.yaml``, a broken log, a post
the import skipped, a log linking a paper the catalogue lacks) is a
:class:`Diagnostic`: the file, the line, what is wrong, how to fix it, and how
bad it is. A problem that stops the work is raised as :class:`StudylogError`,
which carries one or more diagnostics; warnings and notes travel in reports and
lists. Nothing below the edges prints: the CLI renders diagnostics with
:meth:`Diagnostic.render`, and the MkDocs plugin turns errors into
``PluginError`` and the rest into log lines.

Severities, and what each one does at the edges:

``error``
    The input cannot be used. ``check`` exits 1; ``mkdocs build`` fails.
``warning``
    The site builds, but something is probably not what you meant (a log links
    an arXiv paper the catalogue lacks; a post the import skipped). ``check``
    prints it and ``check --strict`` fails on it. MkDocs shows one summary line
    at INFO level, so ``mkdocs build --strict`` does not fail on content
    warnings: they do not break the site being built.
``note``
    A normal state worth knowing (arXiv metadata not fetched yet offline).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


@dataclass(frozen=True)
class Diagnostic:
    """One problem (or note) for the user, with where it is and how to fix it."""

    message: str
    path: str | None = None
    """The file it concerns, as given (shown relative to the working folder when inside it)."""
    line: int | None = None
    """1-based line in that file; None when it concerns the whole file (or no file)."""
    hint: str | None = None
    severity: Severity = Severity.ERROR

    @classmethod
    def at(cls, message: str, *, path: str | Path | None = None, line: int | None = None, hint: str | None = None,
           severity: Severity = Severity.ERROR) -> Diagnostic:
        return cls(message, str(path) if path is not None else None, line or None, hint, severity)

    @property
    def location(self) -> str:
        """``file:line``, the file relative to the working folder when it is inside it."""
        if self.path is None:
            return ""
        path = shown_path(self.path)
        return f"{path}:{self.line}" if self.line else path

    def __str__(self) -> str:
        text = f"{self.location}: {self.message}" if self.location else self.message
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text

    def render(self) -> str:
        """``error: papers.yaml:12: ...`` with the hint on the next line, as the CLI prints it."""
        return f"{self.severity.value}: {self}"


class StudylogError(Exception):
    """A mistake in the user's input that stops the work: one or more error diagnostics.

    ``StudylogError(message, path=..., line=..., hint=...)`` makes one;
    :meth:`of` gathers several found in one pass.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        line: int | None = None,
        hint: str | None = None,
    ) -> None:
        self.diagnostics: tuple[Diagnostic, ...] = (Diagnostic.at(message, path=path, line=line, hint=hint),)
        super().__init__(message)

    @classmethod
    def of(cls, diagnostics: Iterable[Diagnostic]) -> StudylogError:
        """One error carrying every diagnostic given, sorted by file and line."""
        found = sorted(diagnostics, key=lambda d: (d.path or "", d.line or 0))
        if not found:
            raise ValueError("an error needs at least one diagnostic")
        error = cls(found[0].message, path=found[0].path, line=found[0].line, hint=found[0].hint)
        error.diagnostics = tuple(found)
        return error

    @property
    def first(self) -> Diagnostic:
        return self.diagnostics[0]

    @property
    def message(self) -> str:
        return self.first.message

    @property
    def path(self) -> str | None:
        return self.first.path

    @property
    def line(self) -> int | None:
        return self.first.line

    @property
    def hint(self) -> str | None:
        return self.first.hint

    def __str__(self) -> str:
        return "\n".join(str(d) for d in self.diagnostics)

    def render(self) -> str:
        """Every diagnostic as the CLI prints it, with a count when there are several."""
        lines = [d.render() for d in self.diagnostics]
        if len(lines) > 1:
            lines.append(f"{len(lines)} errors")
        return "\n".join(lines)


def raise_all(errors: Iterable[StudylogError | Diagnostic]) -> None:
    """Raise what was collected, if anything, as one StudylogError."""
    found: list[Diagnostic] = []
    for error in errors:
        found.extend(error.diagnostics if isinstance(error, StudylogError) else (error,))
    if found:
        raise StudylogError.of(found)


def shown_path(path: str | Path) -> str:
    """``path`` relative to the working folder when it is inside it, else as given."""
    try:
        return Path(path).resolve().relative_to(Path.cwd().resolve()).as_posix()
    except (ValueError, OSError, RuntimeError):  # RuntimeError: a symlink loop
        return str(path)
