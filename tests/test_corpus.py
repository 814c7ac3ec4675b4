"""A corpus of malformed inputs: each gets one clear message with file and line from both
`python -m generator check` and `mkdocs build`, and never a traceback. Some must be accepted."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from .sitebuild import copy_project

FIXTURES = Path(__file__).parent / "fixtures"
CORPUS = yaml.safe_load((FIXTURES / "corpus.yaml").read_text(encoding="utf-8"))
CATALOGUE_CASES = [
    {"name": f"catalogue: {c['name']}", "file": "papers.yaml", "content": c["input"], "line": c["line"], "message": c["message"]}
    for c in yaml.safe_load((FIXTURES / "catalogue_errors.yaml").read_text(encoding="utf-8"))
]
CASES = CORPUS + CATALOGUE_CASES


def test_the_corpus_is_large_enough() -> None:
    rejected = [c for c in CASES if not c.get("accept")]
    accepted = [c for c in CASES if c.get("accept")]
    assert len(rejected) >= 30 and len(accepted) >= 3


def _place(project: Path, case: dict) -> Path:
    if case["file"] == "log":
        target = project / "docs" / "logs" / "posts" / "2021-09-10-day-29.md"
    else:
        target = project / case["file"]
    if "content_hex" in case:
        target.write_bytes(bytes.fromhex(case["content_hex"]))
    elif "content_parts" in case:
        target.write_bytes("".join(text * times for text, times in case["content_parts"]).encode("utf-8"))
    else:
        target.write_bytes(case["content"].encode("utf-8"))
    return target


def _run(project: Path, *command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *command], cwd=project, capture_output=True, text=True, timeout=300
    )


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_case(tmp_path: Path, case: dict) -> None:
    project = copy_project(tmp_path)
    target = _place(project, case)
    check = _run(project, "generator", "check")
    build = _run(project, "mkdocs", "build", "--strict")
    for result in (check, build):
        output = result.stdout + result.stderr
        assert "Traceback" not in output, output
    if case.get("accept"):
        assert check.returncode == 0, check.stderr
        assert build.returncode == 0, build.stderr
        return
    shown = target.relative_to(project).as_posix()  # paths are shown relative to the working folder
    where = f"{shown}:{case['line']}: " if case["line"] else f"{shown}: "
    for result, name in ((check, "check"), (build, "mkdocs build")):
        output = result.stdout + result.stderr
        assert result.returncode != 0, f"{name} accepted it:\n{output}"
        lines = [line for line in output.splitlines() if where in line]
        assert len(lines) == 1, f"{name}:\n{output}"
        assert case["message"] in lines[0], f"{name}:\n{output}"
        assert "hint:" in output, f"{name}:\n{output}"
