"""The one error type for user mistakes.

Every problem a user can fix (a typo in ``papers.yaml``, a broken log front
matter, a corrupt lock file) is raised as :class:`StudylogError`. It carries the
file, the line and a hint, and is turned into a clean message at the edge: the
CLI exit code, or MkDocs' ``PluginError``. Nothing below the edge prints.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path


class StudylogError(Exception):
    """A mistake in the user's input, with where it is and how to fix it."""

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        line: int | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        self.hint = hint

    @property
    def location(self) -> str:
        """``file:line``, the file relative to the working folder when it is inside it."""
        if self.path is None:
            return ""
        path = _shown(self.path)
        return f"{path}:{self.line}" if self.line else path

    def __str__(self) -> str:
        text = f"{self.location}: {self.message}" if self.location else self.message
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


class StudylogErrors(StudylogError):
    """Several independent mistakes found in one pass, reported together."""

    def __init__(self, errors: Iterable[StudylogError]) -> None:
        self.errors = sorted(errors, key=lambda e: (e.path or "", e.line or 0))
        first = self.errors[0]
        super().__init__(first.message, path=first.path, line=first.line, hint=first.hint)

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)


def _shown(path: str) -> str:
    try:
        return Path(path).resolve().relative_to(Path.cwd().resolve()).as_posix()
    except (ValueError, OSError):
        return path


def raise_all(errors: list[StudylogError]) -> None:
    """Raise the collected errors, if there are any."""
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise StudylogErrors(errors)
