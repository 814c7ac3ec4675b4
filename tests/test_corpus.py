"""A corpus of malformed inputs: each gets one clear message with file and line from both
`python -m generator check` and `mkdocs build`, and never a traceback. Some must be accepted.

Every case goes through both edges in this process: the CLI's ``main`` and the MkDocs
events of a build up to the studylog plugin's ``on_files`` (the real plugin, configured
from the project's mkdocs.yml). A sample then goes through the real commands: five broken
logs in one project through `python -m generator check` and `mkdocs build --strict` as
subprocesses, and the accepted cases together through a whole `mkdocs build --strict`.
"""

from __future__ import annotations

import io
import logging
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from mkdocs.exceptions import PluginError

from generator.cli import main

from .sitebuild import FIXTURES, POSTS, build_site, copy_project, mkdocs_log, plugin_events

CORPUS = yaml.safe_load((FIXTURES / "corpus.yaml").read_text(encoding="utf-8"))
CATALOGUE_CASES = [
    {"name": f"catalogue: {c['name']}", "file": "papers.yaml", "content": c["input"], "line": c["line"], "message": c["message"]}
    for c in yaml.safe_load((FIXTURES / "catalogue_errors.yaml").read_text(encoding="utf-8"))
]
CASES = CORPUS + CATALOGUE_CASES
ACCEPTED = [c for c in CASES if c.get("accept")]
BROKEN_LOGS = [  # one of each kind of log mistake, for the real commands
    "log without a date",
    "log with a Jekyll date string",
    "log with broken front matter YAML",
    "log with a slug that escapes the folder",
    "log that is not UTF-8",
]


def test_the_corpus_is_large_enough() -> None:
    rejected = [c for c in CASES if not c.get("accept")]
    assert len(rejected) >= 30 and len(ACCEPTED) >= 3
    assert {c["name"] for c in CASES} >= set(BROKEN_LOGS)


def _place(project: Path, case: dict, log_name: str = "2021-09-10-day-29.md") -> Path:
    target = project / POSTS / log_name if case["file"] == "log" else project / case["file"]
    if "content_hex" in case:
        target.write_bytes(bytes.fromhex(case["content_hex"]))
    elif "content_parts" in case:
        target.write_bytes("".join(text * times for text, times in case["content_parts"]).encode("utf-8"))
    else:
        target.write_bytes(case["content"].encode("utf-8"))
    return target


def _where(project: Path, target: Path, line: int | None) -> str:
    shown = target.relative_to(project).as_posix()  # paths are shown relative to the working folder
    return f"{shown}:{line}: " if line else f"{shown}: "


def _check(project: Path) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["--root", str(project), "check"], out=out, err=err)
    return code, out.getvalue() + err.getvalue()


def _build_until_files(project: Path) -> tuple[str | None, list[tuple[str, int, str]]]:
    """The studylog plugin's error in a build of ``project`` (None if it has none), and what MkDocs logged."""
    with mkdocs_log() as records:
        try:
            with plugin_events(project):
                pass
        except PluginError as error:
            return str(error), records
    return None, records


def _assert_one_message(output: str, where: str, case: dict, edge: str) -> str:
    lines = [line for line in output.splitlines() if where in line]
    assert len(lines) == 1, f"{edge}:\n{output}"
    assert case["message"] in lines[0], f"{edge}:\n{output}"
    assert "hint:" in output, f"{edge}:\n{output}"
    return lines[0]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_case(project: Path, case: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    target = _place(project, case)
    monkeypatch.chdir(project)
    code, check = _check(project)
    built, logged = _build_until_files(project)
    if case.get("accept"):
        assert code == 0, check
        assert "ok: " in check
        assert built is None, built
        assert [m for m in logged if m[1] >= logging.WARNING] == []  # --strict would pass
        return
    where = _where(project, target, case["line"])
    assert code == 1, f"check accepted it:\n{check}"
    assert _assert_one_message(check, where, case, "check").startswith(f"error: {where}")
    assert built is not None, "mkdocs build accepted it"
    assert built.startswith("studylog: "), built
    _assert_one_message(built, where, case, "mkdocs build")


def _run(project: Path, *command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *command], cwd=project, capture_output=True, text=True, timeout=300)


def test_broken_logs_through_the_real_commands(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    cases = [next(c for c in CASES if c["name"] == name) for name in BROKEN_LOGS]
    targets = [_place(project, case, f"2021-09-1{n}-case.md") for n, case in enumerate(cases)]
    check = _run(project, "generator", "check")
    build = _run(project, "mkdocs", "build", "--strict")
    for result, edge in ((check, "check"), (build, "mkdocs build")):
        output = result.stdout + result.stderr
        assert "Traceback" not in output, output
        assert result.returncode == 1, f"{edge}:\n{output}"
        for case, target in zip(cases, targets, strict=True):
            _assert_one_message(output, _where(project, target, case["line"]), case, edge)
        assert output.count("\n  hint: ") == len(cases), output
    # Every diagnostic once, in file order, then how many there are.
    assert check.stderr.splitlines()[-1] == f"{len(cases)} errors"
    errors = [line for line in check.stderr.splitlines() if line.startswith("error: ")]
    assert [e.split(":")[1].strip() for e in errors] == [t.relative_to(project).as_posix() for t in targets]
    assert "ERROR   -  studylog: docs/logs/posts/2021-09-10-case.md:1: " in build.stderr
    assert "Aborted with a BuildError!" in build.stdout + build.stderr
    assert not (project / "site" / "index.html").exists()


def test_accepted_cases_build_for_real(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    # Every accepted log, and one accepted catalogue (a project has one papers.yaml; the others are
    # accepted through both edges in test_case).
    logs = [case for case in ACCEPTED if case["file"] == "log"]
    catalogue = next(case for case in ACCEPTED if case["name"] == "catalogue with CRLF, a BOM and comments everywhere")
    placed = [_place(project, case, f"2021-09-1{n}-case.md") for n, case in enumerate(logs)]
    placed.append(_place(project, catalogue))
    assert len(placed) == len(logs) + 1 >= 4
    assert _check(project)[0] == 0
    site = build_site(project, strict=True)
    urls = ("logs/2021/09/10/day-29/", "logs/2021/09/13/day-30/", "logs/2021/09/14/day-31/", "logs/2021/09/10/case/",
            "papers/2002.08909/", "papers/hep-th-9901001/")
    for url in urls:
        assert (site / url / "index.html").is_file(), url
    crlf = (site / "logs/2021/09/10/day-29/index.html").read_text(encoding="utf-8")
    assert "CRLF?" in crlf and 'id="qa-1"' in crlf and "\ufeff" not in crlf
