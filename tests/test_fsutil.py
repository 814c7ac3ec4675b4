"""Files the user owns: writes are atomic, go through symlinks, never replace a read-only file, clean up
after a killed writer, and a full disk or a read-only folder is one message, from every command that writes."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from generator.cli import main
from generator.errors import StudylogError
from generator.fsutil import write_atomic, write_if_changed
from generator.lock import load_lock

from .sitebuild import copy_project


def test_write_is_atomic_and_keeps_the_mode(tmp_path: Path) -> None:
    target = tmp_path / "a.txt"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    write_atomic(target, "new ✓")
    assert target.read_text(encoding="utf-8") == "new ✓"
    assert target.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]  # no temp file left behind
    assert write_if_changed(target, "new ✓") is False


def test_a_read_only_file_is_refused_and_left_as_it_is(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "papers.lock.json"
    target.write_text("{}", encoding="utf-8")
    target.chmod(0o444)
    # As root, os.access says yes to anything: ask as a user would be answered.
    monkeypatch.setattr(os, "access", lambda path, mode: not (mode & os.W_OK and Path(path) == target))
    with pytest.raises(StudylogError, match="the file is read-only, so it was left as it is") as caught:
        write_atomic(target, "replaced")
    assert "chmod u+w papers.lock.json" in str(caught.value)
    assert target.read_text(encoding="utf-8") == "{}"
    assert target.stat().st_mode & 0o777 == 0o444


def test_a_symlinked_file_is_written_through_the_link(tmp_path: Path) -> None:
    real = tmp_path / "store" / "papers.lock.json"
    real.parent.mkdir()
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "papers.lock.json"
    link.symlink_to(real)
    write_atomic(link, "new")
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text(encoding="utf-8") == "new"


def test_a_link_out_of_its_folder_is_not_written_through(tmp_path: Path) -> None:
    outside = tmp_path / "home" / ".bashrc"
    outside.parent.mkdir()
    outside.write_text("mine", encoding="utf-8")
    project = tmp_path / "project"
    project.mkdir()
    link = project / "papers.lock.json"
    link.symlink_to(outside)
    with pytest.raises(StudylogError, match="outside its folder, so it was left as it is"):
        write_atomic(link, "{}")
    relative = project / "docs" / "index.md"
    relative.parent.mkdir()
    relative.symlink_to("../../home/.bashrc")
    with pytest.raises(StudylogError, match="outside its folder"):
        write_if_changed(relative, "# Home\n")
    assert outside.read_text(encoding="utf-8") == "mine"
    assert link.is_symlink() and relative.is_symlink()


def test_temp_files_of_a_killed_writer_are_removed_by_the_next_write(tmp_path: Path) -> None:
    target = tmp_path / "papers.lock.json"
    # A writer that dies mid-write (kill -9) leaves its temp file behind.
    code = (
        "import os, sys, tempfile\n"
        f"fd, tmp = tempfile.mkstemp(prefix='.papers.lock.json.' + str(os.getpid()) + '.', suffix='.tmp', dir={str(tmp_path)!r})\n"
        "os.write(fd, b'half'); os._exit(9)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=False)
    stale = [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert len(stale) == 1
    # A temp file of a writer still running is not touched.
    fd, alive = tempfile.mkstemp(prefix=f".papers.lock.json.{os.getppid()}.", suffix=".tmp", dir=tmp_path)
    os.close(fd)
    write_atomic(target, "whole")
    assert target.read_text(encoding="utf-8") == "whole"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["papers.lock.json", Path(alive).name])


def _disk_full(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every atomic write lands on /dev/full, which answers ENOSPC like a full disk."""
    real_mkstemp = tempfile.mkstemp

    def mkstemp(*args: object, **kwargs: object) -> tuple[int, str]:
        fd, path = real_mkstemp(*args, **kwargs)  # type: ignore[call-overload]
        os.close(fd)
        return os.open("/dev/full", os.O_WRONLY), path

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize(
    ("argv", "file"),
    [
        (["add", "--no-fetch", "1706.03762", "--topic", "transfer-learning"], "papers.yaml"),
        (["generate"], "index.md"),
    ],
    ids=["add", "generate"],
)
def test_a_full_disk_is_one_message_and_nothing_half_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, argv: list[str], file: str
) -> None:
    project = copy_project(tmp_path)
    before = (project / "papers.yaml").read_bytes()
    _disk_full(monkeypatch)
    err = io.StringIO()
    assert main(["--root", str(project), *argv], out=io.StringIO(), err=err) == 1
    lines = err.getvalue().splitlines()
    assert lines[0].startswith("error: ") and f"cannot write {file}: No space left on device" in lines[0]
    assert lines[1] == "  hint: the disk is full; free some space and run the command again (nothing was half-written)"
    assert (project / "papers.yaml").read_bytes() == before
    assert not [p for p in project.rglob("*.tmp")]


def test_enrich_refuses_a_read_only_lock_before_asking_arxiv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = copy_project(tmp_path)
    lock = project / "papers.lock.json"
    monkeypatch.setattr(os, "access", lambda path, mode: not (mode & os.W_OK and Path(path) == lock))
    monkeypatch.setenv("ARXIV_API_URL", "http://127.0.0.1:9/api/query")  # never reached
    err = io.StringIO()
    assert main(["--root", str(project), "enrich"], out=io.StringIO(), err=err) == 1
    assert "papers.lock.json: the file is read-only, so it was left as it is" in err.getvalue()
    assert load_lock(lock) == {}


def test_enrich_in_a_read_only_project_is_one_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = copy_project(tmp_path)
    (project / "papers.lock.json").unlink()
    real_open = open

    def read_only_folder(file: object, *args: object, **kwargs: object) -> object:
        if str(file).endswith("papers.lock.json.lock"):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr("builtins.open", read_only_folder)
    err = io.StringIO()
    assert main(["--root", str(project), "enrich"], out=io.StringIO(), err=err) == 1
    text = err.getvalue()
    assert "papers.lock.json.lock: cannot create papers.lock.json.lock, which keeps two runs" in text
    assert "Permission denied" in text and "Traceback" not in text


def test_a_log_that_is_a_dangling_link_or_a_folder(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    posts = project / "docs" / "logs" / "posts"
    (posts / "2021-09-10-folder.md").mkdir()  # a folder named like a log is not a log
    err = io.StringIO()
    assert main(["--root", str(project), "check"], out=io.StringIO(), err=err) == 0, err.getvalue()
    (posts / "2021-09-11-gone.md").symlink_to(tmp_path / "nowhere.md")
    err = io.StringIO()
    assert main(["--root", str(project), "check"], out=io.StringIO(), err=err) == 1
    assert "docs/logs/posts/2021-09-11-gone.md: the log is a link to a file that does not exist" in err.getvalue()
