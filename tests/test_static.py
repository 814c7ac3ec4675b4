"""Pages written to disk by `generate` build the same site without the plugin, and with Zensical."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.assets import site_assets
from generator.cli import main

from .fidelity import log_structure, skeleton
from .sitebuild import ROOT, article, build_site, copy_project, page

PAGES = ["", "papers/", "papers/2002.08909/", "papers/deepquest/", "topics/", "topics/quality-estimation/", "qa/", "stats/",
         "graph/"]


def assert_graphs_lead_to_pages(site: Path) -> None:
    """The graph page's map and a paper's local graph are drawn, and every node links a page of the site."""
    nodes = page(site, "graph/").select("svg.sl-graph__svg a.sl-node")
    assert len(nodes) == 10 + 15 + 1  # the demo's topics and papers, and Day 28
    local = page(site, "papers/2002.08909/").select("svg.sl-graph__svg .sl-node")
    assert local and local[0].find_parent("svg").select(".sl-node--here")
    for base, links in (("graph/", nodes), ("papers/2002.08909/", local)):
        for a in links:
            if a.name == "a":
                assert (site / base / a["xlink:href"] / "index.html").resolve().is_file(), (base, a["xlink:href"])


def _html_files(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html")}


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    with_plugin = build_site(copy_project(tmp_path_factory.mktemp("plugin")))
    project = copy_project(tmp_path_factory.mktemp("disk"))
    assert main(["--root", str(project), "generate"]) == 0
    os.environ["STUDYLOG_ENABLED"] = "false"
    try:
        from_disk = build_site(project)
    finally:
        del os.environ["STUDYLOG_ENABLED"]
    return with_plugin, from_disk, project


def test_generated_pages_build_the_same_site_without_the_plugin(both: tuple[Path, Path, Path]) -> None:
    with_plugin, from_disk, _ = both
    assert _html_files(with_plugin) == _html_files(from_disk)
    for path in PAGES + ["logs/2021/09/09/day-28/"]:
        assert str(article(with_plugin, path)) == str(article(from_disk, path)), path
    for data in ("papers.bib", "papers.json", "papers.schema.json", "feed.xml"):
        assert (with_plugin / data).read_bytes() == (from_disk / data).read_bytes()
    assert_graphs_lead_to_pages(with_plugin)
    # KaTeX, the stylesheet and the math script: from the package in both, none kept in docs/.
    assert not (ROOT / "docs" / "assets").exists() and not (ROOT / "docs" / "stylesheets").exists()
    for asset in site_assets():
        assert (with_plugin / asset.path).read_bytes() == asset.data == (from_disk / asset.path).read_bytes(), asset.path


def test_the_plugin_replaces_stale_generated_pages_but_keeps_the_users(both: tuple[Path, Path, Path], tmp_path: Path) -> None:
    _, _, generated = both
    project = copy_project(tmp_path)
    shutil.copytree(generated / "docs" / "papers", project / "docs" / "papers")
    stale = project / "docs" / "papers" / "2002.08909.md"
    stale.write_text(stale.read_text(encoding="utf-8").replace("ICML 2020", "STALE VENUE"), encoding="utf-8")
    (project / "docs" / "index.md").write_text("# My own home page\n", encoding="utf-8")
    stale_css = project / "docs" / "stylesheets" / "studylog.css"
    stale_css.parent.mkdir()
    stale_css.write_text("/* written by an older Studylog */\n", encoding="utf-8")
    site = build_site(project)
    packaged = next(a for a in site_assets() if a.path == "stylesheets/studylog.css")
    assert (site / "stylesheets" / "studylog.css").read_bytes() == packaged.data
    assert "STALE VENUE" not in article(site, "papers/2002.08909/").get_text()
    assert article(site, "").h1.get_text(strip=True).startswith("My own home page")


ZENSICAL = shutil.which("zensical", path=os.path.dirname(sys.executable)) or shutil.which("zensical")


@pytest.mark.skipif(ZENSICAL is None, reason="zensical is not installed (pip install -e '.[test]' installs it)")
def test_zensical_builds_the_generated_site(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    assert main(["--root", str(project), "generate"]) == 0
    result = subprocess.run(
        [ZENSICAL, "build", "--config-file", "mkdocs.yml"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No issues found" in result.stdout + result.stderr
    site = project / "site"
    for path in PAGES:
        assert (site / path / "index.html").exists(), path
    realm = page(site, "papers/2002.08909/")
    assert "REALM: Retrieval-Augmented Language Model Pre-Training" in realm.h1.get_text()
    assert realm.find("a", href="../../logs/2021/09/09/day-28/") is not None  # Discussed in
    qa = page(site, "qa/")
    sources = [a["href"] for a in qa.select("a.sl-qa-source")]
    assert sources == [f"../logs/2021/09/09/day-28/#qa-{n}" for n in (1, 2, 3)]
    log = page(site, "logs/2021/09/09/day-28/")
    assert all(log.find(id=f"qa-{n}") is not None for n in (1, 2, 3))
    # The log is read as kramdown reads it here too: Zensical runs mkdocs.yml's markdown_extensions.
    seed = project / "docs" / "logs" / "posts" / "2021-09-09-day-28.md"
    structure = skeleton(str(article(site, "logs/2021/09/09/day-28/")))
    assert structure[0].kind == "h1"  # the title, written by the theme above the body
    assert structure[1:] == log_structure(seed) != log_structure(seed, without=["generator.kramdown"])
    assert page(site, "stats/").select("figure.sl-chart svg[role=img]")
    assert_graphs_lead_to_pages(site)
    assert page(site, "graph/").find("script", src=lambda s: s and s.endswith("javascripts/graph.js")) is not None
    for blog_page in ("logs/", "logs/archive/2021/", "logs/category/boostcamp-ai-tech/"):
        assert page(site, blog_page).find("a", href=lambda h: h and "2021/09/09/day-28/" in h), blog_page
    assert (site / "feed.xml").read_bytes() == (project / "docs" / "feed.xml").read_bytes()
