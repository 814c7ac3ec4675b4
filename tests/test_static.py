"""Pages written to disk by `generate` build the same site without the plugin, and with Zensical."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import Tag

from generator.assets import site_assets
from generator.cli import main

from .sitebuild import ROOT, article, build_site, copy_project, page

PAGES = ["", "papers/", "papers/2002.08909/", "papers/deepquest/", "topics/", "topics/quality-estimation/", "qa/", "stats/"]


def _html_files(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html")}


# A post with Material's excerpt marker: with the plugin, listing pages convert it only up to the
# marker (generator.blog_hook); without it, whole. Both must show the same excerpt.
EXCERPTED = """---
title: "[Boostcamp AI Tech] 29일차 학습정리"
date: 2021-09-10
slug: day-29
categories: [Boostcamp-AI-Tech]
tags: [6주차, NLP]
---

# 부스트캠프 29일차

* 9/10(금)
  - [x] 강의 수강[^1]
* Q. 프롬프트 튜닝은 언제 쓰나요?
  * 모델이 클 때.

[^1]: 녹화본으로.

<!-- more -->

## 🌼 멘토링

```python
print("<!-- more -->")
```

* [Prompt Tuning](https://arxiv.org/abs/2104.08691)
"""
LISTINGS = ["logs/", "logs/archive/2021/", "logs/category/boostcamp-ai-tech/"]


def _content(site: Path, path: str) -> Tag:
    """A listing page's content: the excerpts of its posts."""
    found = page(site, path).select_one("div.md-content__inner")
    assert found is not None and found.select(".md-post"), f"no posts on {path}"
    return found


def _project(folder: Path) -> Path:
    project = copy_project(folder)
    (project / "docs" / "logs" / "posts" / "2021-09-10-day-29.md").write_text(EXCERPTED, encoding="utf-8")
    return project


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    with_plugin = build_site(_project(tmp_path_factory.mktemp("plugin")))
    project = _project(tmp_path_factory.mktemp("disk"))
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
    for path in PAGES + ["logs/2021/09/09/day-28/", "logs/2021/09/10/day-29/"]:
        assert str(article(with_plugin, path)) == str(article(from_disk, path)), path
    for path in LISTINGS:
        assert str(_content(with_plugin, path)) == str(_content(from_disk, path)), path
    posts = _content(with_plugin, "logs/").select(".md-post")
    excerpted = next(post for post in posts if "29일차" in post.get_text())
    assert excerpted.select(".md-post__action")  # "continue reading"
    assert "강의 수강" in excerpted.get_text() and "멘토링" not in excerpted.get_text()
    assert not any(post.select(".md-post__action") for post in posts if post is not excerpted)
    for data in ("papers.bib", "papers.json", "papers.schema.json", "feed.xml"):
        assert (with_plugin / data).read_bytes() == (from_disk / data).read_bytes()
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
    assert page(site, "stats/").select("figure.sl-chart svg[role=img]")
    for blog_page in ("logs/", "logs/archive/2021/", "logs/category/boostcamp-ai-tech/"):
        assert page(site, blog_page).find("a", href=lambda h: h and "2021/09/09/day-28/" in h), blog_page
    assert (site / "feed.xml").read_bytes() == (project / "docs" / "feed.xml").read_bytes()
