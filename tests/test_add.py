"""`python -m generator add`: one command adds papers and keeps every line of papers.yaml."""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup

from generator.catalogue import load_catalogue
from generator.cli import main
from generator.ids import ArxivId
from generator.lock import load_lock
from generator.pages import render_site
from generator.project import Project, load_site

from .arxiv_server import (
    ArxivStandIn,
    Fault,
    arxiv_server_fixture,  # noqa: F401
    fake_papers,
)
from .sitebuild import UNLISTED_LOG, add_log


def _is_subsequence(old: list[str], new: list[str]) -> bool:
    it = iter(new)
    return all(any(line == candidate for candidate in it) for line in old)


def _add(project: Path, *args: str) -> int:
    return main(["--root", str(project), "add", "--no-fetch", *args])


def test_add_keeps_every_line_and_comment(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = (project / "papers.yaml").read_text(encoding="utf-8").splitlines()
    inputs = [
        "1706.03762",
        "hep-th/9901001v2",
        "https://arxiv.org/abs/1910.10683v3",
        "https://arxiv.org/pdf/2005.11401.pdf?download=1",
        "arxiv.org/pdf/1301.3781",
    ]
    assert _add(project, *inputs, "--topic", "transfer-learning", "--status", "reading") == 0
    after = (project / "papers.yaml").read_text(encoding="utf-8").splitlines()
    assert _is_subsequence(before, after)
    assert len(after) == len(before) + 5 * 5  # four lines and a blank line each, as the file does
    assert after.count("    topics: [transfer-learning]") == 1 + 5
    assert '  - arxiv: "hep-th/9901001v2"' in after
    # The new papers come right after the last one, before the resources' comment.
    assert after.index('  - arxiv: "1301.3781"') < after.index("# Links from the same list that are not papers.")
    catalogue = load_catalogue(project / "papers.yaml")
    new = catalogue.papers[-5:]
    assert [p.arxiv for p in new] == [
        ArxivId("1706.03762"),
        ArxivId("hep-th/9901001", 2),
        ArxivId("1910.10683", 3),
        ArxivId("2005.11401"),
        ArxivId("1301.3781"),
    ]
    assert all(p.status == "reading" and p.topics == ("transfer-learning",) and p.added for p in new)
    assert "added arXiv 1706.03762 to papers.yaml" in capsys.readouterr().out


def test_a_paper_already_listed_is_refused_and_nothing_changes(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = (project / "papers.yaml").read_bytes()
    assert _add(project, "1706.03762", "https://arxiv.org/abs/2002.08909v2", "--topic", "open-domain-qa") == 1
    err = capsys.readouterr().err
    assert "arXiv 2002.08909 is already in papers.yaml at line 34" in err
    assert (project / "papers.yaml").read_bytes() == before


def test_unknown_topic_lists_the_known_ones(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = (project / "papers.yaml").read_bytes()
    assert _add(project, "1706.03762", "--topic", "prompting") == 1
    err = capsys.readouterr().err
    assert "unknown topic 'prompting'" in err
    assert "known topics: open-domain-qa, unsupervised-nmt" in err and "prompt-tuning" in err
    assert (project / "papers.yaml").read_bytes() == before


def test_malformed_input_is_refused(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _add(project, "2104.0869", "--topic", "prompt-tuning") == 1
    assert "cannot add '2104.0869'" in capsys.readouterr().err


def test_add_into_an_empty_list_with_crlf_and_bom(tmp_path: Path) -> None:
    path = tmp_path / "papers.yaml"
    path.write_bytes("\ufeff# my list\r\ntopics:\r\n  - id: qa\r\n    title: QA\r\npapers: []  # none yet\r\n".encode("utf-8"))
    assert main(["--root", str(tmp_path), "add", "--no-fetch", "2002.08909", "--topic", "qa"]) == 0
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf# my list\r\ntopics:\r\n")
    assert b'papers:  # none yet\r\n  - arxiv: "2002.08909"\r\n    topics: [qa]\r\n' in raw
    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert [p.arxiv for p in load_catalogue(path).papers] == [ArxivId("2002.08909")]


def test_add_from_logs(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    add_log(project, UNLISTED_LOG)
    assert main(["--root", str(project), "add", "--no-fetch", "--from-logs", "--topic", "transfer-learning"]) == 0
    assert "added arXiv 1706.03762" in capsys.readouterr().out
    assert load_catalogue(project / "papers.yaml").papers[-1].arxiv == ArxivId("1706.03762")
    assert main(["--root", str(project), "add", "--no-fetch", "--from-logs"]) == 0
    assert "nothing to add" in capsys.readouterr().out


def test_compact_lists_stay_compact(tmp_path: Path) -> None:
    path = tmp_path / "papers.yaml"
    path.write_text("topics:\n- id: qa\n  title: QA\npapers:\n- arxiv: '2002.08909'\n- arxiv: '1810.04805'\nresources: []\n", encoding="utf-8")
    assert main(["--root", str(tmp_path), "add", "--no-fetch", "1706.03762", "--topic", "qa"]) == 0
    assert path.read_text(encoding="utf-8").splitlines()[6:9] == [
        '- arxiv: "1706.03762"',
        "  topics: [qa]",
        path.read_text(encoding="utf-8").splitlines()[8],
    ]
    assert path.read_text(encoding="utf-8").splitlines()[8].startswith("  added: ")
    assert path.read_text(encoding="utf-8").splitlines()[9] == "resources: []"



def test_add_fetches_into_the_lock_and_the_page_shows_it(
    project: Path, arxiv_server: ArxivStandIn, capsys: pytest.CaptureFixture[str], site_markdown: markdown.Markdown
) -> None:
    arxiv_server.papers.update(fake_papers(2))
    first, second = sorted(arxiv_server.papers)
    argv = ["--root", str(project), "add", first, f"https://arxiv.org/abs/{second}?context=cs", "--topic", "prompt-tuning"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "enrich: 2 fetched, 0 unchanged, 0 missing, 0 failed (1 request to arXiv)" in out
    assert len(arxiv_server.requests) == 1  # both IDs in one request
    lock = load_lock(project / "papers.lock.json")
    assert set(lock) >= {first, second}
    served = arxiv_server.papers[first]
    assert lock[first].title == " ".join(served.title.split())
    # The paper's page, as the site's Markdown renders it: the title arXiv sent holds "<i>", as text.
    settings = Project.at(project)
    (page,) = [p for p in render_site(load_site(settings), settings.site, settings.layout) if p.path == f"papers/{first}.md"]
    body = page.content.split("\n---\n", 1)[1]
    html = BeautifulSoup(site_markdown.reset().convert(body), "html.parser")
    heading = html.h1.get_text()
    assert heading.startswith("Paper ") and "<i>" in heading
    assert html.find("i") is None
    assert html.select_one(".sl-authors").get_text() == ", ".join(a.name for a in served.authors)


def test_add_when_arxiv_is_down_keeps_the_papers_and_says_what_to_run(
    project: Path, arxiv_server: ArxivStandIn, capsys: pytest.CaptureFixture[str]
) -> None:
    arxiv_server.papers.update(fake_papers(1))
    (only,) = arxiv_server.papers
    arxiv_server.script(*[Fault.status(503)] * 10)
    assert main(["--root", str(project), "add", only, "--topic", "prompt-tuning"]) == 0
    out, err = capsys.readouterr()
    assert "1 failed" in out and "run `python -m generator enrich` again" in out
    assert "warning: the papers were added; their metadata will come with `python -m generator enrich`" in err
    assert "Traceback" not in err
    assert load_catalogue(project / "papers.yaml").papers[-1].arxiv == ArxivId(only)


def test_add_offline_is_quick_keeps_the_papers_and_exits_0(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with ArxivStandIn() as closed:
        dead = closed.url  # nothing listens here any more: the connection is refused
    monkeypatch.setenv("ARXIV_API_URL", dead)
    assert main(["--root", str(project), "add", "1706.03762v5", "1910.10683", "--topic", "prompt-tuning"]) == 0
    out, err = capsys.readouterr()
    assert "(0 requests to arXiv)" in out  # nothing reached the server, so nothing is counted
    assert out.count("could not reach 127.0.0.1 (Connection refused)") == 1
    assert "retrying" not in err and "Traceback" not in err
    assert "metadata will come with `python -m generator enrich`" in err
    assert [str(p.arxiv) for p in load_catalogue(project / "papers.yaml").papers[-2:]] == ["1706.03762v5", "1910.10683"]
