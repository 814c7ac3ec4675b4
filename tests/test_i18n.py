"""One language: every word Studylog writes follows theme.language, from gettext catalogs; Korean and English ship."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup

from generator.catalogs import used_messages
from generator.cli import main
from generator.i18n import Words, available
from generator.pages import render_site
from generator.project import Project, load_site
from generator.scaffold import template_files

from .sitebuild import ROOT, build_site, copy_project

LOCALE = ROOT / "generator" / "locale"
CATALOGS = sorted(LOCALE.glob("*.po"))


def catalog(path: Path) -> dict[str | tuple[str, str], str | tuple[str, ...]]:
    with open(path, "rb") as handle:
        parsed = read_po(handle, locale=path.stem)
    return {
        (m.id if isinstance(m.id, str) else (m.id[0], m.id[1])): m.string
        for m in parsed if m.id
    }


def test_korean_ships_and_english_is_the_source() -> None:
    assert available() == ("en", "ko")
    assert [p.name for p in CATALOGS] == ["ko.po"]


@pytest.mark.parametrize("path", CATALOGS, ids=[p.stem for p in CATALOGS])
def test_every_catalog_translates_every_message_and_keeps_the_placeholders(path: Path) -> None:
    messages = catalog(path)
    used = used_messages()
    assert sorted(map(str, used - messages.keys())) == []  # nothing untranslated
    assert sorted(map(str, messages.keys() - used)) == []  # nothing stale
    placeholder = re.compile(r"%\((\w+)\)[sd]")
    for msgid, translated in messages.items():
        ids = [msgid] if isinstance(msgid, str) else list(msgid)
        forms = [translated] if isinstance(translated, str) else list(translated)
        assert all(forms), f"{msgid!r} has an empty translation"
        for form in forms:
            assert set(placeholder.findall(form)) == set(placeholder.findall(ids[-1])), (msgid, form)


def test_words_write_dates_and_plurals_the_way_each_language_does() -> None:
    day = dt.date(2021, 9, 9)
    en, ko = Words("en"), Words("ko")
    assert en.date(day) == "Sep 9, 2021"
    assert ko.date(day) == "2021. 9. 9."
    assert [en.ngettext("%(num)d paper", "%(num)d papers", n) for n in (0, 1, 2)] == ["0 papers", "1 paper", "2 papers"]
    assert [ko.ngettext("%(num)d paper", "%(num)d papers", n) for n in (1, 2)] == ["논문 1편", "논문 2편"]
    assert en.weekday_names()[:2] == ("Sun", "Mon") and ko.weekday_names()[1] == "월"
    assert en.month_names()[8] == "Sep" and ko.month_names()[8] == "9월"
    assert Words("ko-KR").gettext("Reading list") == "읽기 목록"  # a region falls back to its language
    assert Words("fr").gettext("Reading list") == "Reading list"  # no catalog: the source words


def test_pages_follow_the_language(tmp_path: Path) -> None:
    project = Project.at(ROOT)
    site = load_site(project)
    for language, expected, absent in (("ko", "읽기 목록", "Reading list"), ("en", "Reading list", "읽기 목록")):
        info = project.site.__class__(project.site.url, project.site.name, "", language)
        pages = {p.path: p.content for p in render_site(site, info, project.layout)}
        assert f'title: "{expected}"' in pages["papers/index.md"]
        assert absent not in pages["papers/index.md"]
        assert (f"## {'최근 로그' if language == 'ko' else 'Latest logs'}") in pages["index.md"]


# A project whose own content uses neither language's words, so that whatever of a
# catalog shows up on the built site was written by Studylog.
NEUTRAL_CATALOGUE = """\
topics:
  - id: lorem
    title: Lorem Ipsum
papers:
  - arxiv: "2104.08691"
    title: Dolor Sit Amet
    topics: [lorem]
    status: reading
  - id: consectetur
    title: Consectetur Adipiscing
    year: 2018
    url: https://aclanthology.org/C18-1266/
    topics: [lorem]
resources:
  - id: elit
    title: Sed Do Eiusmod
    url: https://example.org/elit
    kind: blog
    date: 2021-01-02
    topics: [lorem]
"""
NEUTRAL_LOG = """\
---
title: Tempor 1
date: 2021-09-09
slug: tempor-1
categories: [Incididunt]
tags: [labore]
---

# Tempor 1

* Q. Ut enim ad minim veniam?
  * Quis nostrud exercitation.
* [Dolor](https://arxiv.org/abs/2104.08691)
"""


def _neutral_site(root: Path, language: str) -> Path:
    assert main(["init", str(root), "--language", language]) == 0
    (root / "papers.yaml").write_text(NEUTRAL_CATALOGUE, encoding="utf-8")
    (root / "docs" / "logs" / "posts" / "2021-09-09-tempor-1.md").write_text(NEUTRAL_LOG, encoding="utf-8")
    return build_site(root, strict=True)


def _visible_text(site_dir: Path) -> str:
    texts = []
    for page in sorted(site_dir.rglob("*.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for hidden in soup.select("script, style, code, pre"):
            hidden.decompose()
        texts.append(soup.get_text(" "))
        texts += [el.get("title", "") for el in soup.select("[title]")] + [el.get("aria-label", "") for el in soup.select("[aria-label]")]
    return " ".join(" ".join(texts).split())


def _phrases(language: str) -> set[str]:
    """What a catalog makes of its messages, as phrases to look for (placeholders cut out)."""
    entries = catalog(LOCALE / "ko.po")
    found = set()
    for msgid, translated in entries.items():
        text = (msgid if isinstance(msgid, str) else msgid[0]) if language == "en" else (
            translated if isinstance(translated, str) else translated[0])
        for piece in re.split(r"%\(\w+\)[sd]|`[^`]*`", text):
            piece = piece.strip(" .:,·()")
            if len(piece) >= 2:
                found.add(piece)
    return found


@pytest.mark.parametrize(("language", "other"), [("ko", "en"), ("en", "ko")])
def test_a_built_site_holds_no_studylog_word_of_the_other_language(tmp_path: Path, language: str, other: str) -> None:
    text = _visible_text(_neutral_site(tmp_path / "site", language))
    assert text, "nothing was built"
    # Whole words only: "read" must not be found inside "thread".
    leaked = sorted(p for p in _phrases(other) if re.search(rf"(?<!\w){re.escape(p)}(?!\w)", text))
    assert leaked == []
    # And the site's own language is there: the tabs, the Q&A page, the statuses.
    ours = ["읽기 목록", "멘토링 Q&A", "읽는 중"] if language == "ko" else ["Reading list", "Mentoring Q&A", "reading"]
    for phrase in ours:
        assert phrase in text


def test_the_shipped_site_speaks_korean_throughout(tmp_path: Path) -> None:
    site_dir = build_site(copy_project(tmp_path), strict=True)
    home = BeautifulSoup((site_dir / "index.html").read_text(encoding="utf-8"), "html.parser")
    tabs = [a.get_text(strip=True) for a in home.select(".md-tabs__link")]
    assert tabs == ["홈", "읽기 목록", "주제", "학습 로그", "멘토링 Q&A", "태그", "통계", "그래프"]
    toggles = [label.get("title") for label in home.select("label.md-header__button[for^=__palette]")]
    assert toggles == ["어두운 모드로 전환", "밝은 모드로 전환"]
    qa = BeautifulSoup((site_dir / "qa" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert "질문 3개 · 학습 로그 1개" in qa.get_text()
    assert "questions" not in qa.select_one("article").get_text()


def test_the_project_template_is_rendered_in_the_language_init_is_given() -> None:
    ko, en = template_files("ko")["mkdocs.yml"].decode(), template_files("en")["mkdocs.yml"].decode()
    assert "language: ko" in ko and "language: en" in en
    assert '"어두운 모드로 전환"' in ko and '"Switch to dark mode"' in en
    assert '- "학습 로그":' in ko and '- "Study logs":' in en
    assert (ROOT / "mkdocs.yml").read_text(encoding="utf-8") == ko  # the demo is the Korean template
