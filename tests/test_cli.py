"""`python -m generator`: check and generate, with clean messages and exit codes.

The commands run in this process through ``generator.cli.main``; `test_corpus.py` runs
`python -m generator check` once as a subprocess, which proves the module's wiring.
Everything the commands tell the user is a ``generator.errors.Diagnostic``, printed with
``Diagnostic.render``: ``severity: file:line: message``, then ``  hint: ...``.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from generator.assets import site_assets
from generator.catalogue import load_catalogue
from generator.cli import main
from generator.errors import Diagnostic, Severity, StudylogError
from generator.status import KEYS

from .sitebuild import ROOT, UNLISTED_LOG, add_log


def run(project: Path, *args: str) -> tuple[int, str, str]:
    """``python -m generator --root project args...`` in this process: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    code = main(["--root", str(project), *args], out=out, err=err)
    return code, out.getvalue(), err.getvalue()


NOTE = Diagnostic(
    "14 arXiv papers without metadata in the lock yet (2002.08909, 1710.11041, 1905.05621, ...); "
    "their pages use the fields in papers.yaml",
    hint="run `python -m generator enrich` where there is network, and commit papers.lock.json",
    severity=Severity.NOTE,
)


def test_check_passes_on_the_shipped_content() -> None:
    code, out, err = run(ROOT, "check")
    assert code == 0, err
    assert err == ""
    # The unfetched lock is a note, not an error.
    assert out == NOTE.render() + "\nok: 15 papers, 3 resources, 10 topics, 1 log, 3 questions\n"
    assert out.startswith("note: 14 arXiv papers without metadata")


def test_check_reports_errors_with_file_and_line(project: Path) -> None:
    catalogue = project / "papers.yaml"
    text = catalogue.read_text(encoding="utf-8")
    bad = '  - arxiv: "2104.0869"\n    topics: [prompt-tuning]\n\n'
    catalogue.write_text(text.replace("# Links from the same list", bad + "# Links from the same list"), encoding="utf-8")
    line = text[: text.index("# Links from the same list")].count("\n") + 1
    code, out, err = run(project, "check")
    assert code == 1 and out == ""
    lines = err.splitlines()
    assert lines[0] == f"error: {catalogue}:{line}: malformed arXiv ID in 'arxiv' of paper #16: '2104.0869' has 4 digits after the dot; IDs from 2015 on have 5"
    assert lines[1].startswith("  hint: write it like")
    assert len(lines) == 2  # one error: no count


def test_check_reports_a_broken_log(project: Path) -> None:
    log = add_log(project, UNLISTED_LOG)
    log.write_text(log.read_text(encoding="utf-8").replace("date: 2021-09-10", "date: 2021-09-10 10:00:00 +0900"),
                   encoding="utf-8")
    code, _, err = run(project, "check")
    assert code == 1
    assert err.startswith(f"error: {log}:3: date '2021-09-10 10:00:00 +0900' is read as text")


def test_every_error_of_a_file_is_rendered_then_counted(project: Path) -> None:
    catalogue = project / "papers.yaml"
    catalogue.write_text('topics: []\npapers:\n  - arxiv: "abc"\n  - arxiv: "2104.08691"\n    year: "2021"\n  - titel: x\n',
                         encoding="utf-8")
    code, out, err = run(project, "check")
    assert code == 1 and out == ""
    with pytest.raises(StudylogError) as caught:
        load_catalogue(catalogue)
    diagnostics = caught.value.diagnostics
    assert [d.line for d in diagnostics] == [3, 5, 6, 6]
    assert err == "\n".join(d.render() for d in diagnostics) + "\n4 errors\n"
    assert err.count("error: ") == 4 and err.count("\n  hint: ") == 4


def test_a_multi_error_renders_each_diagnostic_and_a_count() -> None:
    found = [
        Diagnostic("second", path="b.md", line=2, hint="fix b"),
        Diagnostic("first", path="a.md", line=9),
        Diagnostic("third", path="b.md", line=10, hint="fix it"),
    ]
    error = StudylogError.of(found)
    assert error.render() == (
        "error: a.md:9: first\n"
        "error: b.md:2: second\n  hint: fix b\n"
        "error: b.md:10: third\n  hint: fix it\n"
        "3 errors"
    )
    assert (error.path, error.line, error.message) == ("a.md", 9, "first")  # the first, in file order
    single = StudylogError("only", path="c.md", line=1, hint="h")
    assert single.render() == "error: c.md:1: only\n  hint: h"
    with pytest.raises(ValueError):
        StudylogError.of([])


def test_warnings_and_notes_are_rendered_diagnostics_and_strict_fails_on_warnings(project: Path) -> None:
    log = add_log(project, UNLISTED_LOG, "2021-09-10-day-29.md")
    code, out, err = run(project, "check")
    assert code == 0
    warning = Diagnostic(
        "links arXiv 1706.03762, which papers.yaml lacks", path=str(log), line=9, severity=Severity.WARNING,
        hint="add it with `python -m generator add 1706.03762 --topic TOPIC` (or `python -m generator add --from-logs`)",
    )
    # 1810.04805 (linked as v2) is in the catalogue: one warning only.
    assert err == warning.render() + "\n"
    assert err.startswith(f"warning: {log}:9: links arXiv 1706.03762, which papers.yaml lacks\n  hint: add it with")
    assert out == NOTE.render() + "\nok: 15 papers, 3 resources, 10 topics, 2 logs, 3 questions, 1 warning\n"
    code, out, err = run(project, "check", "--strict")
    assert code == 1
    assert err == warning.render() + "\nfailed: --strict treats the 1 warning above as errors\n"


def test_generate_writes_pages_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main(["--root", str(ROOT), "generate", "--out", str(out)]) == 0
    # 15 paper pages, 10 topic pages, home, reading list, topics, Q&A, stats, tags, the Anki deck and text,
    # the schema, the two exports and the feed (site_url is in mkdocs.yml); and the site's assets.
    assert f"{38 + len(site_assets())} written" in capsys.readouterr().out
    assert (out / "assets" / "katex" / "fonts" / "KaTeX_Main-Regular.woff2").read_bytes()[:4] == b"wOF2"
    assert (out / "feed.xml").read_text(encoding="utf-8").count("<item>") == 1
    assert "<link>http://127.0.0.1:8000/logs/2021/09/09/day-28/</link>" in (out / "feed.xml").read_text(encoding="utf-8")
    text = (out / "papers" / "2002.08909.md").read_text(encoding="utf-8")
    assert text.startswith("---\n# Generated by Studylog: edits are overwritten.")
    assert '\ntitle: "REALM: Retrieval-Augmented Language Model Pre-Training"\n' in text
    assert (out / "qa" / "index.md").exists() and (out / "index.md").exists()
    assert main(["--root", str(ROOT), "generate", "--out", str(out)]) == 0
    assert "0 written" in capsys.readouterr().out


def test_generate_takes_the_site_url_from_the_command_line_or_writes_no_feed(project: Path) -> None:
    (project / "mkdocs.yml").write_text("site_name: Mine\n", encoding="utf-8")
    code, out, _ = run(project, "generate")
    assert code == 0
    assert out.splitlines()[-1] == "note: no site_url in mkdocs.yml, so no RSS feed; set it or pass --site-url"
    assert not (project / "docs" / "feed.xml").exists()
    assert run(project, "generate", "--site-url", "https://example.org/log")[0] == 0
    feed = (project / "docs" / "feed.xml").read_text(encoding="utf-8")
    assert "<title>Mine</title>" in feed and "https://example.org/log/logs/2021/09/09/day-28/" in feed
    code, _, err = run(project, "generate", "--site-url", "javascript:alert(1)")
    assert code == 1
    assert err == (
        "error: site_url 'javascript:alert(1)' is not an absolute http(s) URL; the RSS feed needs one\n"
        "  hint: give --site-url like https://me.github.io/studylog/\n"
    )


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["--root", str(ROOT), "frobnicate"])
    assert caught.value.code == 2 and "invalid choice: 'frobnicate'" in capsys.readouterr().err


def test_add_takes_the_statuses_the_status_module_defines(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["add", "--help"])
    assert f"--status {{{','.join(KEYS)}}}" in capsys.readouterr().out
    with pytest.raises(SystemExit) as caught:
        main(["add", "2104.08691", "--topic", "x", "--status", "done"])
    assert caught.value.code == 2
    choices = re.search(r"invalid choice: '?done'? \(choose from (.*)\)", capsys.readouterr().err)
    assert choices is not None
    assert [c.strip("'") for c in choices.group(1).split(", ")] == list(KEYS)  # quoted or not, by Python version
