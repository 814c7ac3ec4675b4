"""Pages written to disk by `generate` build the same site without the plugin, and with Zensical."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.assets import site_assets
from generator.cli import main

from .fidelity import log_structure, skeleton
from .sitebuild import MATH_LOG, ROOT, BuiltSite, add_log, article, build_site, copy_project, page

PAGES = ["", "papers/", "papers/2002.08909/", "papers/deepquest/", "topics/", "topics/quality-estimation/", "qa/", "stats/"]


def _html_files(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html")}


@pytest.fixture(scope="module")
def from_disk(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The shipped project after `generate`, built with the plugin off: (project, site)."""
    project = copy_project(tmp_path_factory.mktemp("disk"))
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("STUDYLOG_SITE_URL", raising=False)  # the same site_url as the shipped site's
        assert main(["--root", str(project), "generate"], out=io.StringIO()) == 0
        mp.setenv("STUDYLOG_ENABLED", "false")
        return project, build_site(project)


def test_generated_pages_build_the_same_site_without_the_plugin(shipped_site: BuiltSite, from_disk: tuple[Path, Path]) -> None:
    with_plugin, (project, site) = shipped_site.site, from_disk
    assert (project / "docs" / "index.md").is_file()  # the pages are on disk ...
    assert _html_files(with_plugin) == _html_files(site)
    for path in PAGES + ["logs/2021/09/09/day-28/"]:
        assert str(article(with_plugin, path)) == str(article(site, path)), path
    for data in ("papers.bib", "papers.json", "papers.schema.json", "feed.xml"):
        assert (with_plugin / data).read_bytes() == (site / data).read_bytes()
    # KaTeX, the stylesheet and the math script: from the package in both, none kept in docs/.
    assert not (ROOT / "docs" / "assets").exists() and not (ROOT / "docs" / "stylesheets").exists()
    for asset in site_assets():
        assert (with_plugin / asset.path).read_bytes() == asset.data == (site / asset.path).read_bytes(), asset.path


ZENSICAL = shutil.which("zensical", path=os.path.dirname(sys.executable)) or shutil.which("zensical")


@pytest.mark.skipif(ZENSICAL is None, reason="zensical is not installed (pip install -e '.[test]' installs it)")
def test_zensical_builds_the_generated_site(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    add_log(project, MATH_LOG)
    assert main(["--root", str(project), "generate"], out=io.StringIO()) == 0
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
    # The badge beside a link to a paper comes from the Markdown extension, so Zensical has it too,
    # and navigation.footer gives each log the next (and previous) one.
    badge = log.select_one("a[href='https://arxiv.org/abs/2002.08909'] + a.sl-onsite")
    assert badge is not None and badge["href"] == "../../../../../papers/2002.08909/"
    assert [a["href"] for a in log.select("a.md-footer__link--next")] == ["../../13/day-30-math/"]
    assert [a["href"] for a in page(site, "logs/2021/09/13/day-30-math/").select("a.md-footer__link--prev")] == ["../../09/day-28/"]
    assert page(site, "stats/").select("figure.sl-chart svg[role=img]")
    for blog_page in ("logs/", "logs/archive/2021/", "logs/category/boostcamp-ai-tech/"):
        assert page(site, blog_page).find("a", href=lambda h: h and "2021/09/09/day-28/" in h), blog_page
    assert (site / "feed.xml").read_bytes() == (project / "docs" / "feed.xml").read_bytes()
