"""The daily loop on the command line: `new` starts today's log, `status` files a paper, `add` with
a working title or a new topic; each keeps every other byte of papers.yaml."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from generator.catalogue import load_catalogue
from generator.cli import main
from generator.logs import read_log
from generator.newlog import day_number, next_day_text

from .sitebuild import copy_project, write_project


def run(project: Path, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["--root", str(project), *argv], out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_new_starts_the_next_day_from_the_last_log(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    code, out, _ = run(project, "new", "--date", "2021-09-10")
    path = Path(out.strip())
    assert code == 0 and path == project / "docs" / "logs" / "posts" / "2021-09-10-day-29.md"
    log = read_log(path, project / "docs")
    assert log.title == "[Boostcamp AI Tech] 29일차 학습정리"  # the last log's title, its day moved on
    assert (log.date.isoformat(), log.slug) == ("2021-09-10", "day-29")
    assert log.categories == ("Boostcamp-AI-Tech",) and log.tags == ("6주차", "Level2-U-Stage", "NLP")
    assert log.questions == ()  # the template's empty "* Q." asks nothing yet
    template = project / "docs" / "logs" / ".template.md"
    assert template.exists()  # made on first use; from now on it is the user's
    # It never overwrites: where the next log would go, a file of the user's stays as it was.
    mine = path.parent / "2021-09-13-day-30.md"
    mine.write_text("mine\n", encoding="utf-8")
    code, _, err = run(project, "new", "--date", "2021-09-13")
    assert code == 1 and "new never overwrites a file" in err and mine.read_text(encoding="utf-8") == "mine\n"
    mine.unlink()
    # The user's own template shapes the next log.
    template.write_text('---\ntitle: "{{ title }}"\ndate: {{ date }}\nslug: {{ slug }}\n---\n\nDay {{ day }}: mine\n',
                        encoding="utf-8")
    code, out, _ = run(project, "new", "--date", "2021-09-13", "--title", "Day 30 of mine")
    text = Path(out.strip()).read_text(encoding="utf-8")
    assert code == 0 and "Day 30: mine" in text and "slug: day-30-of-mine" in text


def test_new_in_an_empty_project_and_a_broken_template(tmp_path: Path) -> None:
    write_project(tmp_path, "topics: []\npapers: []\n", {})
    code, out, _ = run(tmp_path, "new", "--date", "2022-01-03")
    log = read_log(Path(out.strip()), tmp_path / "docs")
    assert code == 0 and log.slug == "day-1" and log.title == "Day 1"  # no mkdocs.yml: English
    (tmp_path / "docs" / "logs" / ".template.md").write_text("{{ nope }}\n{% for %}", encoding="utf-8")
    code, _, err = run(tmp_path, "new", "--date", "2022-01-04")
    assert code == 1 and "the log template cannot be filled in" in err and "Traceback" not in err
    code, _, err = run(tmp_path, "new", "--date", "2022-13-01")
    assert code == 1 and "--date '2022-13-01' is not a date" in err


@pytest.mark.parametrize(("text", "number", "moved"), [
    ("[Boostcamp AI Tech] 28일차 학습정리", 28, "[Boostcamp AI Tech] 29일차 학습정리"),
    ("Day 7 notes", 7, "Day 29 notes"), ("level2-day28", 28, "level2-day29"), ("회고", None, None),
])
def test_the_day_number(text: str, number: int | None, moved: str | None) -> None:
    assert day_number(text) == number
    assert next_day_text(text, 29) == moved


def test_status_changes_one_value_and_keeps_every_other_byte(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    catalogue = project / "papers.yaml"
    original = b"\xef\xbb\xbf" + catalogue.read_bytes().replace(b"\n", b"\r\n")
    catalogue.write_bytes(original)  # CRLF and a BOM survive too
    code, out, _ = run(project, "status", "https://arxiv.org/abs/2104.08691v2", "reading")
    assert code == 0 and out == "2104.08691: reading\n"
    after = catalogue.read_bytes()
    assert after.startswith(b"\xef\xbb\xbf") and after.count(b"\r\n") == original.count(b"\r\n") + 1
    added = [line for line in after.split(b"\r\n") if line not in original.split(b"\r\n")]
    assert added == [b"    status: reading"]
    code, _, _ = run(project, "status", "2104.08691", "read")  # now the value is replaced in place
    assert [line for line in catalogue.read_bytes().split(b"\r\n") if b"status:" in line] == [b"    status: read"]
    assert load_catalogue(catalogue).find_arxiv(load_catalogue(catalogue).papers[10].arxiv).status == "read"  # type: ignore[arg-type,union-attr]
    code, out, _ = run(project, "status", "deepquest", "read")
    assert code == 0 and next(p for p in load_catalogue(catalogue).papers if p.key == "deepquest").status == "read"
    code, out, _ = run(project, "status", "deepquest", "read")
    assert out == "deepquest: read (it already was)\n"
    code, _, err = run(project, "status", "deepqest", "read")
    assert code == 1 and "no paper 'deepqest'" in err and "did you mean 'deepquest'?" in err


def test_status_in_a_flow_style_entry(tmp_path: Path) -> None:
    write_project(tmp_path, 'topics: [{id: qa, title: QA}]\npapers:\n  - {arxiv: "2104.08691", topics: [qa]}  # mine\n', {})
    assert run(tmp_path, "status", "2104.08691", "read")[0] == 0
    assert (tmp_path / "papers.yaml").read_text(encoding="utf-8") == (
        'topics: [{id: qa, title: QA}]\npapers:\n  - {arxiv: "2104.08691", topics: [qa], status: read}  # mine\n'
    )


def test_add_with_a_working_title_and_a_new_topic(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    before = (project / "papers.yaml").read_text(encoding="utf-8")
    code, out, _ = run(project, "add", "--no-fetch", "1706.03762", "--title", "Attention Is All You Need",
                       "--new-topic", "Attention Models")
    assert code == 0 and "topic attention-models (Attention Models)" in out
    catalogue = load_catalogue(project / "papers.yaml")
    topic = catalogue.topics[-1]
    assert (topic.id, topic.title) == ("attention-models", "Attention Models")
    paper = catalogue.papers[-1]
    assert paper.working_title == "Attention Is All You Need" and paper.title is None
    assert paper.topics == ("attention-models",)
    after = (project / "papers.yaml").read_text(encoding="utf-8")
    assert [line for line in before.splitlines() if line not in after.splitlines()] == []  # nothing lost
    code, _, err = run(project, "add", "--no-fetch", "1810.04805v2", "1910.10683", "--title", "X", "--topic", "qa")
    assert code == 2 and "--title names one paper" in err


def test_add_from_logs_takes_the_link_text_as_the_working_title(tmp_path: Path) -> None:
    log = ("---\ntitle: Day 1\ndate: 2021-09-01\nslug: day-1\n---\n\n"
           "* [VGG-16](https://arxiv.org/abs/1409.1556)\n* https://arxiv.org/abs/1512.03385\n")
    write_project(tmp_path, "topics: [{id: cv, title: CV}]\npapers: []\n", {"2021-09-01-day-1.md": log})
    assert run(tmp_path, "add", "--no-fetch", "--from-logs", "--topic", "cv")[0] == 0
    papers = {str(p.arxiv): p.working_title for p in load_catalogue(tmp_path / "papers.yaml").papers}
    assert papers == {"1409.1556": "VGG-16", "1512.03385": None}  # a bare URL names nothing
