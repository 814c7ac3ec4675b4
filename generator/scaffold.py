"""``python -m generator init DIR``: a new, empty Studylog project of one's own.

A project is the package's template (``generator/project_template/``) copied as it
is, and three things that depend on the moment: an empty lock, the empty logs
folder, and ``requirements.txt`` naming the Studylog that made the project, which the
Publish workflow installs. This repository's own ``mkdocs.yml``, docs skeleton,
``.gitignore`` and workflow are checked against the template by a test, so the
template is the one definition of what a project holds.

Nothing is overwritten and nothing is written outside DIR: every path is checked
before the first write, and a failed write takes back what was written.
"""

from __future__ import annotations

import contextlib
import json
import os
import shlex
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import metadata, resources
from importlib.resources.abc import Traversable
from pathlib import Path

from jinja2 import Environment, StrictUndefined

from .errors import StudylogError
from .fsutil import write_atomic
from .i18n import translations
from .lock import dump_lock

TEMPLATE = "project_template"
LOCK = "papers.lock.json"
REQUIREMENTS = "requirements.txt"
GITIGNORE = ".gitignore"
LOGS_DIR = "docs/logs/posts"
"""The template's ``mkdocs.yml`` says the same (the studylog plugin's ``logs_dir``); a test checks."""
DISTRIBUTION = "studylog"


@dataclass(frozen=True)
class Requirement:
    line: str
    """What ``pip install -r requirements.txt`` reads, e.g. ``studylog==0.1.0``."""
    note: str | None = None
    """Said to the user when the line may not be what CI can install."""


@dataclass(frozen=True)
class Created:
    root: Path
    files: tuple[str, ...]
    """Paths written, relative to ``root``, with forward slashes; ``.gitignore`` when merged too."""
    merged_gitignore: bool
    requirement: Requirement

    def render(self) -> str:
        shown = [f"  {name}" + (" (your lines kept, Studylog's added)" if name == GITIGNORE and self.merged_gitignore else "")
                 for name in sorted([*self.files, LOGS_DIR + "/"])]
        lines = [f"created a Studylog project in {self.root}:", *shown]
        if self.requirement.note:
            lines.append(f"note: {self.requirement.note}")
        lines += [
            "next:",
            f"  cd {shlex.quote(str(self.root))}",
            "  python -m generator import-jekyll ~/my-blog   # your Jekyll blog's posts, if you have one",
            "  mkdocs serve                                  # then open http://127.0.0.1:8000/",
            "  to publish on GitHub Pages: push to GitHub, then Settings > Pages > Source: GitHub Actions",
        ]
        return "\n".join(lines)


DEFAULT_LANGUAGE = "ko"
"""The language a new project's site speaks unless `init --language` says otherwise."""


def template_files(language: str = DEFAULT_LANGUAGE) -> dict[str, bytes]:
    """Every file of the project template, by path relative to the project, dotfiles included.

    A ``*.j2`` file is rendered in ``language`` (its words through the site's catalogs) and
    written without the suffix.
    """
    files = {}
    for name, data in _walk(resources.files(__package__).joinpath(TEMPLATE), ""):
        if name.endswith(".j2"):
            name, data = name.removesuffix(".j2"), _render(data.decode("utf-8"), language).encode("utf-8")
        files[name] = data
    return files


def _render(text: str, language: str) -> str:
    env = Environment(autoescape=False, keep_trailing_newline=True, undefined=StrictUndefined,
                      extensions=["jinja2.ext.i18n"])
    env.install_gettext_translations(translations(language), newstyle=True)  # type: ignore[attr-defined]
    env.filters["yaml"] = lambda value: json.dumps(str(value), ensure_ascii=False)  # JSON strings are YAML
    return env.from_string(text).render(language=language)


def _walk(folder: Traversable, prefix: str) -> Iterator[tuple[str, bytes]]:
    for entry in folder.iterdir():
        if entry.name == "__pycache__":
            continue
        if entry.is_dir():
            yield from _walk(entry, f"{prefix}{entry.name}/")
        else:
            yield prefix + entry.name, entry.read_bytes()


def installed() -> metadata.Distribution | None:
    """This Studylog's installed distribution; None when it runs from a source folder uninstalled."""
    try:
        return metadata.distribution(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return None


def studylog_requirement(dist: metadata.Distribution | None) -> Requirement:
    """The requirement that installs the Studylog of ``dist`` again, on a CI runner.

    Installed from a git URL or an archive URL, that URL (at the exact commit);
    otherwise the version from PyPI. An install from a local folder (a clone,
    ``pip install -e .``) cannot be reached from CI, so that case says so.
    """
    if dist is None:
        return Requirement(
            DISTRIBUTION,
            note="Studylog is not installed as a package here, so requirements.txt names it without a version; "
            "pin the one CI should install.",
        )
    version = dist.version
    try:
        direct = json.loads(dist.read_text("direct_url.json") or "null")
    except json.JSONDecodeError:
        direct = None
    if isinstance(direct, dict):
        url = str(direct.get("url", ""))
        vcs = direct.get("vcs_info")
        if isinstance(vcs, dict) and vcs.get("vcs") == "git" and vcs.get("commit_id") and not url.startswith("file:"):
            return Requirement(f"{DISTRIBUTION} @ git+{url}@{vcs['commit_id']}")
        if "archive_info" in direct and url.startswith("https://"):
            return Requirement(f"{DISTRIBUTION} @ {url}")
        if url.startswith("file:"):
            return Requirement(
                f"{DISTRIBUTION}=={version}",
                note=(
                    f"Studylog is installed from a folder on this machine ({url}), which CI cannot reach; "
                    f"requirements.txt names {DISTRIBUTION}=={version} from PyPI. If it is not there, write a line "
                    f"CI can install instead, such as `{DISTRIBUTION} @ git+https://github.com/OWNER/studylog@v{version}`."
                ),
            )
    return Requirement(f"{DISTRIBUTION}=={version}")


def requirements_text(requirement: Requirement) -> str:
    return (
        "# What the Publish workflow installs (pip install -r requirements.txt): the Studylog\n"
        "# that made this project. Change the line to upgrade; check and build locally first.\n"
        f"{requirement.line}\n"
    )


def project_files(requirement: Requirement, language: str = DEFAULT_LANGUAGE) -> dict[str, bytes]:
    """Everything ``init`` writes, by path relative to the project."""
    files = template_files(language)
    files[LOCK] = dump_lock({}).encode("utf-8")
    files[REQUIREMENTS] = requirements_text(requirement).encode("utf-8")
    return files


def init_project(root: str | Path, *, requirement: Requirement | None = None,
                 language: str = DEFAULT_LANGUAGE) -> Created:
    """Create a new, empty project at ``root`` (missing, empty, or holding other files). Raises StudylogError, changing nothing."""
    root = Path(root)
    requirement = requirement or studylog_requirement(installed())
    files = project_files(requirement, language)
    merged = _merge_gitignore(root, files)
    _check_target(root, files, merged)
    written: list[Path] = []
    made: list[Path] = []
    try:
        for rel in sorted(files):
            target = root / rel
            made += _missing_folders(target.parent)
            write_atomic(target, files[rel])
            if not (rel == GITIGNORE and merged is not None):
                written.append(target)
        logs = root / LOGS_DIR
        made += _missing_folders(logs)
        logs.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        _take_back(written, made, root / GITIGNORE, merged)
        raise StudylogError(
            f"cannot write the project: {err.strerror or err}",
            path=err.filename or root,
            hint="check that the folder is writable and the disk has room; nothing was left behind",
        ) from None
    return Created(root, tuple(sorted(files)), merged is not None, requirement)


def _merge_gitignore(root: Path, files: dict[str, bytes]) -> bytes | None:
    """An existing .gitignore is kept, with the template's missing lines added. Returns its old bytes."""
    path = root / GITIGNORE
    if not path.is_file() or path.is_symlink() or path.stat().st_size > 1 << 20:
        return None
    try:
        old = path.read_bytes()
        theirs = old.decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None  # left to _check_target, which reports it as in the way
    have = {line.strip() for line in theirs.splitlines()}
    ours = files[GITIGNORE].decode("utf-8").splitlines()
    missing = [line for line in ours if line.strip() and not line.startswith("#") and line.strip() not in have]
    newline = "\r\n" if "\r\n" in theirs else "\n"
    text = theirs if not theirs or theirs.endswith("\n") else theirs + newline
    if missing:
        text += newline.join(["# Studylog (python -m generator init)", *missing]) + newline
    files[GITIGNORE] = (b"\xef\xbb\xbf" if old.startswith(b"\xef\xbb\xbf") else b"") + text.encode("utf-8")
    return old


def _check_target(root: Path, files: dict[str, bytes], merged: bytes | None) -> None:
    if os.path.lexists(root) and not root.is_dir():
        raise StudylogError(
            "is not a folder", path=root, hint="give init a folder that is empty or does not exist yet"
        )
    inside = root.resolve()
    in_the_way: list[str] = []
    outside: list[str] = []
    for rel in sorted([*files, LOGS_DIR + "/"]):
        if rel == GITIGNORE and merged is not None:
            continue
        parts = rel.rstrip("/").split("/")
        for depth in range(1, len(parts) + 1):
            path = root.joinpath(*parts[:depth])
            is_folder = depth < len(parts) or rel.endswith("/")
            if not os.path.lexists(path):
                break
            if path.is_symlink() and not _resolves_inside(path, inside):
                outside.append("/".join(parts[:depth]))
                break
            if not is_folder or not path.is_dir():
                in_the_way.append("/".join(parts[:depth]))
                break
    if outside:
        first = sorted(set(outside))[0]
        # The folder as the location: showing the link itself would resolve it, and a loop never resolves.
        raise StudylogError(
            f"{first} is a link to {os.readlink(root / first)}, which leads out of the project or nowhere; "
            "init writes nothing outside the folder it is given",
            path=root,
            hint="run init in a folder without links that lead out of it",
        )
    if in_the_way:
        first, *rest = sorted(set(in_the_way), key=lambda rel: (rel.count("/"), rel))
        raise StudylogError(
            "already exists, and init never overwrites a file"
            + (f" (also in the way: {', '.join(rest)})" if rest else ""),
            path=root / first,
            hint="run init in an empty or new folder, or move these away first",
        )


def _resolves_inside(path: Path, inside: Path) -> bool:
    try:
        return path.resolve(strict=True).is_relative_to(inside)
    except (OSError, RuntimeError):  # a dangling link, or a loop of links: nowhere to write
        return False


def _missing_folders(folder: Path) -> list[Path]:
    """The folders down to ``folder`` that do not exist yet (``root`` and its parents too), outermost first."""
    missing = []
    for path in [folder, *folder.parents]:
        if os.path.lexists(path):
            break
        missing.append(path)
    return list(reversed(missing))


def _take_back(written: list[Path], made: list[Path], gitignore: Path, old: bytes | None) -> None:
    for path in written:
        with contextlib.suppress(OSError):
            path.unlink()
    if old is not None:
        with contextlib.suppress(OSError):
            write_atomic(gitignore, old)
    for folder in reversed(made):
        with contextlib.suppress(OSError):
            folder.rmdir()
