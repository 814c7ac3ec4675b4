"""File writes: atomic, through symlinks, never over a read-only file, with one message when the disk says no.

A reader sees the old file or the new one, never half: the text goes to a temp
file beside the target, is flushed to disk, then renamed over it. A symlinked
target is written through the link (the link stays, its target changes), if the
link points inside the folder that holds it: a link out of it (``papers.lock.json``
pointing at ``~/.bashrc``, in a project someone else made) is refused, so nothing
is written outside the project by following a link. A file
the user made read-only is refused, not silently replaced. Temp files left by a
process that died mid-write (``kill -9``) are removed by the next write, once
their writer is known to be gone. Every OSError becomes one StudylogError saying
which file, what happened and what to do.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import tempfile
from pathlib import Path

from .errors import StudylogError

_TEMP = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.[^.]+\.tmp$")


def write_atomic(path: str | Path, data: str | bytes) -> None:
    """Write ``data`` (text as UTF-8, or bytes as they are) to ``path`` through a temp file beside it and a rename."""
    target = _resolve(Path(path))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise _error(err, target.parent, "create the folder") from None
    check_writable(path)
    _remove_stale_temps(target)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp", dir=target.parent)
    except OSError as err:
        raise _error(err, target, "write") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, target.stat().st_mode & 0o777 if target.exists() else 0o644)
        os.replace(tmp, target)
    except BaseException as err:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        if isinstance(err, OSError):
            raise _error(err, target, "write") from None
        raise


def check_writable(path: str | Path) -> None:
    """Refuse, before any work, to replace a file the user made read-only."""
    target = _resolve(Path(path))
    if target.exists() and not os.access(target, os.W_OK):
        raise StudylogError(
            "the file is read-only, so it was left as it is",
            path=path,
            hint=f"make it writable (chmod u+w {target.name}) if it should change",
        )


def write_if_changed(path: str | Path, data: str | bytes) -> bool:
    """Write atomically unless the file already holds ``data``. Returns whether it wrote."""
    path = Path(path)
    _resolve(path)  # a link out of its folder is refused before it is read
    try:
        if isinstance(data, bytes):
            if path.read_bytes() == data:
                return False
        elif path.read_text(encoding="utf-8") == data:
            return False
    except (OSError, UnicodeDecodeError):
        pass
    write_atomic(path, data)
    return True


def _resolve(path: Path) -> Path:
    """The file a write to ``path`` should change: the link's target when ``path`` is a symlink
    pointing inside the folder that holds the link; a link out of it is refused."""
    if not path.is_symlink():
        return path
    target = Path(os.path.realpath(path))
    folder = Path(os.path.realpath(path.parent))
    if not target.is_relative_to(folder):
        raise StudylogError(f"the file is a link to {target}, outside its folder, so it was left as it is",
                            path=path, hint="Studylog writes through a link only to a file inside the link's folder; "
                            "replace the link with the file itself")
    return target


def _remove_stale_temps(target: Path) -> None:
    """Temp files of ``target`` whose writer process is gone (killed mid-write)."""
    try:
        siblings = list(target.parent.iterdir())
    except OSError:
        return
    for sibling in siblings:
        m = _TEMP.match(sibling.name)
        if m is None or m["name"] != target.name or _alive(int(m["pid"])):
            continue
        with contextlib.suppress(OSError):
            sibling.unlink()


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists, but is someone else's
    return True


_HINTS = {
    errno.ENOSPC: "the disk is full; free some space and run the command again (nothing was half-written)",
    errno.EDQUOT: "your disk quota is used up; free some space and run the command again",
    errno.EROFS: "the file system is read-only; run the command where the project can be written",
    errno.EACCES: "you may not write here; check the folder's permissions",
    errno.EPERM: "you may not write here; check the folder's permissions",
}


def _error(err: OSError, path: Path, doing: str) -> StudylogError:
    reason = err.strerror or str(err)
    return StudylogError(f"cannot {doing} {path.name}: {reason}", path=path,
                         hint=_HINTS.get(err.errno or 0, "check the folder and the disk, then run the command again"))
