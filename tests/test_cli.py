"""`python -m generator`: check and generate, with clean messages and exit codes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from generator.cli import main

from .sitebuild import ROOT, copy_project

EXTRA_LOG = """---
title: Day 29
date: 2021-09-10
categories: [Boostcamp-AI-Tech]
---

# Day 29

* [Attention Is All You Need](https://arxiv.org/abs/1706.03762)
* [BERT again](https://arxiv.org/pdf/1810.04805v2.pdf)
"""


def run(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(project), *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )


def test_check_passes_on_the_shipped_content() -> None:
    result = run(ROOT, "check")
    assert result.returncode == 0, result.stderr
    assert "ok: 15 papers, 3 resources, 10 topics, 1 logs, 3 questions" in result.stdout
    assert "python -m generator enrich" in result.stdout  # the unfetched lock is noted, not an error


def test_check_reports_errors_with_file_and_line_and_no_traceback(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    catalogue = project / "papers.yaml"
    text = catalogue.read_text(encoding="utf-8")
    bad = '  - arxiv: "2104.0869"\n    topics: [prompt-tuning]\n\n'
    catalogue.write_text(text.replace("# Links from the same list", bad + "# Links from the same list"), encoding="utf-8")
    line = text[: text.index("# Links from the same list")].count("\n") + 1
    result = run(project, "check")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines[0] == f"error: {catalogue}:{line}: malformed arXiv ID in 'arxiv' of paper #16: '2104.0869' has 4 digits after the dot; IDs from 2015 on have 5"
    assert lines[1].startswith("  hint: write it like")


def test_check_reports_a_broken_log(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    log = project / "docs" / "logs" / "posts" / "2021-09-10-day-29.md"
    log.write_text(EXTRA_LOG.replace("date: 2021-09-10", "date: 2021-09-10 10:00:00 +0900"), encoding="utf-8")
    result = run(project, "check")
    assert result.returncode == 1
    assert f"error: {log}:3: date '2021-09-10 10:00:00 +0900' is read as text" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_warns_about_papers_the_logs_link_but_the_catalogue_lacks(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    log = project / "docs" / "logs" / "posts" / "2021-09-10-day-29.md"
    log.write_text(EXTRA_LOG, encoding="utf-8")
    result = run(project, "check")
    assert result.returncode == 0
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert warnings == [f"warning: {log}:9: links arXiv 1706.03762, which papers.yaml lacks"]
    assert run(project, "check", "--strict").returncode == 1


def test_generate_writes_pages_once(tmp_path: Path, capsys) -> None:
    out = tmp_path / "out"
    assert main(["--root", str(ROOT), "generate", "--out", str(out)]) == 0
    assert "32 written" in capsys.readouterr().out
    assert (out / "papers" / "2002.08909.md").read_text(encoding="utf-8").startswith('---\ntitle: "REALM')
    assert (out / "qa" / "index.md").exists() and (out / "index.md").exists()
    assert main(["--root", str(ROOT), "generate", "--out", str(out)]) == 0
    assert "0 written" in capsys.readouterr().out


def test_usage_errors_exit_2() -> None:
    result = run(ROOT, "frobnicate")
    assert result.returncode == 2 and "invalid choice" in result.stderr
