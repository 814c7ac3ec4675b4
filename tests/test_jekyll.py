"""Importing a Jekyll blog as study logs: front matter, body, addresses, re-runs, the report,
hostile blogs, and one real build (titles, excerpts, redirects, links).

The blog is tests/fixtures/jekyll: fourteen Korean Boostcamp posts in the style of
the user's own Day 28 log (which is one of them), written the ways real Jekyll
blogs write them, plus one HTML post and one stray note the import must skip.
Day 37 is written like the second blog's posts: no heading on top, a `# 참조`
heading at the bottom, its own permalink, excerpt, author and last_modified_at.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urljoin

import pytest
import yaml

from generator.errors import StudylogError
from generator.excerpt import SEPARATOR
from generator.i18n import Words
from generator.jekyll import ImportReport, import_jekyll
from generator.jekyll.addresses import STYLES, permalink
from generator.jekyll.blog import Post, SiteConfig
from generator.jekyll.body import demote_headings
from generator.jekyll.front_matter import Reading
from generator.layout import Layout
from generator.logs import read_logs
from generator.redirects import redirect_file, redirect_pages
from generator.search_index import strip_hidden

from .sitebuild import ROOT, article, build_site, copy_project, page

BLOG = Path(__file__).parent / "fixtures" / "jekyll"
POSTS = BLOG / "_posts"
KST = dt.timezone(dt.timedelta(hours=9))
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)(?:---|\.\.\.)[ \t]*\n", re.S)

TITLE = "[Boostcamp AI Tech] {}일차 학습정리"
SUBTITLE = "Naver Boostcamp AI Tech Level2 Day{}"
EXPECTED_FRONT_MATTER = {
    # `layout : post`, a Jekyll date string with +0900, categories as a string, a flow list of tags.
    "2021-09-06-Level2-Day25.md": {
        "title": TITLE.format(25), "date": dt.datetime(2021, 9, 6, 10, tzinfo=KST),
        "slug": "level2-day25", "categories": ["Boostcamp-AI-Tech"],
        "tags": ["6주차", "Level2-U-Stage", "NLP", "Word2Vec"],
    },
    # A YAML date; tags as nested lists.
    "2021-09-07-Level2-Day26.md": {
        "title": TITLE.format(26), "date": dt.date(2021, 9, 7),
        "slug": "level2-day26", "categories": ["Boostcamp-AI-Tech"], "tags": ["6주차", "NLP", "Level2-U-Stage", "과제"],
    },
    # No date (the file name's), an unquoted category string, `tags: [null]`.
    "2021-09-08-Level2-Day27.md": {
        "title": TITLE.format(27), "date": dt.date(2021, 9, 8),
        "slug": "level2-day27", "categories": ["Boostcamp-AI-Tech"],
    },
    # The user's own log, exactly as the seed has it.
    "2021-09-09-Level2-Day28.md": {
        "title": TITLE.format(28), "date": dt.date(2021, 9, 9),
        "slug": "level2-day28", "categories": ["Boostcamp-AI-Tech"], "tags": ["6주차", "Level2-U-Stage", "NLP"],
    },
    # A YAML datetime; a whole `defaults:` block, `permalink` and `comments` pasted in.
    "2021-09-10-Level2-Day29.md": {
        "title": TITLE.format(29), "date": dt.datetime(2021, 9, 10, 20, tzinfo=KST),
        "slug": "level2-day29", "categories": ["Boostcamp-AI-Tech"],
        "tags": ["6주차", "Level2-U-Stage", "NLP", "Seq2Seq", "어텐션"],
    },
    "2021-09-13-Level2-Day30.md": {
        "title": TITLE.format(30), "date": dt.datetime(2021, 9, 13, 9, 30, tzinfo=KST),
        "slug": "level2-day30", "categories": ["Boostcamp-AI-Tech"],
        "tags": ["7주차", "Level2-U-Stage", "NLP", "Transformer"],
    },
    # `True` / `False` values of Jekyll-only keys.
    "2021-09-14-Level2-Day31.md": {
        "title": TITLE.format(31), "date": dt.datetime(2021, 9, 14, 21, tzinfo=KST),
        "slug": "level2-day31", "categories": ["Boostcamp-AI-Tech"],
        "tags": ["7주차", "Level2-U-Stage", "NLP", "Transformer"],
    },
    # Tags with spaces around and inside items.
    "2021-09-15-Level2-Day32.md": {
        "title": TITLE.format(32), "date": dt.date(2021, 9, 15),
        "slug": "level2-day32", "categories": ["Boostcamp-AI-Tech", "NLP"],
        "tags": ["7주차", "Level2 U-Stage", "BERT", "GPT-1"],
    },
    # A quoted Jekyll date string.
    "2021-09-16-Level2-Day33.md": {
        "title": TITLE.format(33), "date": dt.datetime(2021, 9, 16, 18, tzinfo=KST),
        "slug": "level2-day33", "categories": ["Boostcamp-AI-Tech"],
        "tags": ["7주차", "Level2-U-Stage", "NLP", "GPT-2", "GPT-3", "ELECTRA"],
    },
    # Space-separated categories; a block list of tags with blanks, nulls and padding.
    "2021-09-17-Level2-Day34.md": {
        "title": TITLE.format(34),
        "date": dt.datetime(2021, 9, 17, 22, 10, tzinfo=KST), "slug": "level2-day34",
        "categories": ["Boostcamp-AI-Tech", "NLP"], "tags": ["7주차", "Level2-U-Stage", "주간회고"],
    },
    # A date without an offset; `tags: [[]]`; categories from _config.yml's defaults.
    "2021-09-23-Level2-Day35.md": {
        "title": TITLE.format(35), "date": dt.datetime(2021, 9, 23, 9),
        "slug": "level2-day35", "categories": ["Boostcamp-AI-Tech"],
    },
    # A Korean file name; `category:` beside the defaults' categories; tags as a string.
    "2021-09-24-KLUE-대회-회고.md": {
        "title": TITLE.format(36), "date": dt.datetime(2021, 9, 24, 23, 50, tzinfo=KST), "slug": "klue",
        "categories": ["Boostcamp-AI-Tech", "P-Stage"], "tags": ["KLUE", "관계추출", "엔티티마커"],
    },
    # `published: false`.
    "2021-09-25-draft-note.md": {
        "title": "[Boostcamp AI Tech] 추석 연휴 논문 읽기 (작성 중)", "date": dt.date(2021, 9, 25),
        "slug": "draft-note",
        "draft": True, "categories": ["Boostcamp-AI-Tech"], "tags": ["논문", "어텐션"],
    },
    # The second blog's way: last_modified_at, toc: false, an author; subtitle and excerpt go into the body.
    "2021-09-27-Level2-Day37.md": {
        "title": TITLE.format(37), "slug": "level2-day37", "categories": ["Boostcamp-AI-Tech"], "tags": ["KLUE", "P-Stage"],
        "date": {"created": dt.datetime(2021, 9, 27, 23, 30, tzinfo=KST), "updated": dt.datetime(2021, 9, 29, 8, tzinfo=KST)},
        "hide": ["toc"], "author": "김부캠",
    },
}
# Where each published post lived: _config.yml's permalink (/:categories/:year/:month/:day/:title.html, categories
# lowercased), or the post's own (Day 29; Day 37 with placeholders), and its own redirect_from (Day 37).
OLD_ADDRESSES = {
    name: [f"/boostcamp-ai-tech/{'nlp/' if day in (32, 34) else ''}2021/09/{name[8:10]}/Level2-Day{day}.html"]
    for name, day in ((name, int(name[-5:-3])) for name in EXPECTED_FRONT_MATTER if "Level2-Day" in name)
} | {
    "2021-09-10-Level2-Day29.md": ["/nlp/day29/"],
    "2021-09-24-KLUE-대회-회고.md": ["/boostcamp-ai-tech/p-stage/2021/09/24/KLUE-대회-회고.html"],
    "2021-09-27-Level2-Day37.md": ["/boostcamp-ai-tech/2021/9/level2-day37/", "/klue/week2.html"],
}


def split(path: Path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8")
    m = _FRONT_MATTER.match(text)
    assert m, f"{path.name} has no front matter"
    return yaml.safe_load(m.group(1)), text[m.end() :]


def body_lines(path: Path) -> list[str]:
    """The body of a post of the blog (or a log), split into lines."""
    text = path.read_text(encoding="utf-8")
    m = _FRONT_MATTER.match(text)
    return text[m.end() if m else 0 :].split("\n")


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*")) if p.is_file()
    }


def found(report: ImportReport) -> set[tuple[str, int | None, bool]]:
    """(file name, line, whether the file was skipped) of every diagnostic."""
    skipped = {p.resolve() for p in report.skipped}
    return {(Path(d.path or "").name, d.line, Path(d.path or "").resolve() in skipped) for d in report.diagnostics}


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[ImportReport, Path]:
    dest = tmp_path_factory.mktemp("docs") / "posts"
    return import_jekyll(BLOG, dest), dest


# -- What it imports ---------------------------------------------------------------------------


def test_report_lists_converted_and_skipped(imported: tuple[ImportReport, Path]) -> None:
    report, dest = imported
    assert [p.name for p in report.converted] == sorted(EXPECTED_FRONT_MATTER)
    assert report.updated == () and report.unchanged == ()
    assert sorted(p.name for p in report.skipped) == ["2021-09-20-chuseok.html", "notes.md"]
    assert sorted(p.name for p in dest.iterdir()) == sorted(EXPECTED_FRONT_MATTER)  # one log per post, file names kept
    assert report.source.resolve() == POSTS.resolve()


@pytest.mark.parametrize("name", sorted(EXPECTED_FRONT_MATTER))
def test_front_matter_values(imported: tuple[ImportReport, Path], name: str) -> None:
    _, dest = imported
    meta, _ = split(dest / name)
    redirects = {"redirect_from": OLD_ADDRESSES[name]} if name in OLD_ADDRESSES else {}
    assert meta == EXPECTED_FRONT_MATTER[name] | redirects


def test_imported_logs_are_valid_logs(imported: tuple[ImportReport, Path]) -> None:
    _, dest = imported
    logs = read_logs(dest.parent, dest.name)  # raises on any log the site would refuse
    assert len(logs) == 13  # 14 imported; the draft is not part of the site
    assert "draft-note" not in {log.slug for log in logs}
    assert all(log.slug.isascii() and log.slug and not log.slug_from_name for log in logs)
    assert all(log.warnings == () for log in logs)  # no `#` heading left to take the title's place
    day29 = next(log for log in logs if log.slug == "level2-day29")
    assert day29.date == dt.date(2021, 9, 10) and day29.tags[-1] == "어텐션"
    day37 = next(log for log in logs if log.slug == "level2-day37")
    assert (day37.date, day37.updated) == (dt.date(2021, 9, 27), dt.date(2021, 9, 29))
    assert day37.redirect_from == tuple(OLD_ADDRESSES["2021-09-27-Level2-Day37.md"])


def test_front_matter_written_plainly(imported: tuple[ImportReport, Path]) -> None:
    report, dest = imported
    text = (dest / "2021-09-06-Level2-Day25.md").read_text(encoding="utf-8")
    head = text.split("\n---\n", 1)[0]
    assert 'title: "[Boostcamp AI Tech] 25일차 학습정리"' in head
    assert "date: 2021-09-06 10:00:00+09:00" in head
    assert "tags: [6주차, Level2-U-Stage, NLP, Word2Vec]" in head
    assert "redirect_from: [/boostcamp-ai-tech/2021/09/06/Level2-Day25.html]" in head
    assert "# Source: _posts/2021-09-06-Level2-Day25.md" in head
    dropped = ("layout", "use_math", "permalink", "comments", "defaults", "published", "toc", "subtitle", "excerpt",
               "last_modified_at")
    for key in dropped:
        for path in dest.iterdir():
            assert not re.search(rf"^{key}\s*:", path.read_text(encoding="utf-8"), re.M), (key, path.name)
    # The report counts what it left out, by key.
    assert report.dropped == {"layout": 14, "comments": 14, "use_math": 5}  # comments: from _config.yml's defaults
    assert "front matter keys only Jekyll uses, left out (posts): comments (14), layout (14), use_math (5)\n" \
        in report.render()


# -- The body ----------------------------------------------------------------------------------

# (log, text that must be in it, text that must not)
BODY_CASES = [
    # {{ site.baseurl }} and {{site.url}} in links and images.
    ("2021-09-06-Level2-Day25.md", "![Word2Vec 구조](/assets/img/day25-word2vec.png)", "site.baseurl"),
    ("2021-09-16-Level2-Day33.md", "![GPT-3 few-shot](/assets/img/day33-gpt3-few-shot.png){ width=\"70%\" .center }",
     "{{site.url}}"),
    ("2021-09-23-Level2-Day35.md", "[P-Stage 안내 PDF](/assets/pdf/pstage-klue-guide.pdf)", "site.url"),
    # Zero-width spaces beside $.
    ("2021-09-06-Level2-Day25.md", "입력층의 가중치 $W_{in}$이 곧", "\u200b"),
    # {% highlight %}, also inside a list item; {% raw %}.
    ("2021-09-07-Level2-Day26.md", "```python\nfrom collections import Counter", "{% highlight"),
    ("2021-09-16-Level2-Day33.md", "  ```python\n  from transformers import", "endhighlight"),
    ("2021-09-14-Level2-Day31.md", '```python\n# 과제 템플릿의 f-string 출력\nprint(f"{{head}} heads', "{% raw %}"),
    # Tabs in code stay tabs.
    ("2021-09-07-Level2-Day26.md", "\tvocab = {}\n\tfor sentence in sentences:\n\t\tfor word", "    vocab"),
    # kramdown attribute lists: on a paragraph, a heading, an image.
    ("2021-09-07-Level2-Day26.md", "벡터로 바꿨다.\n{ .notice--info }\n", "{: .notice--info}"),
    ("2021-09-15-Level2-Day32.md", "#### GPT-1 { #gpt-1 .lecture }\n", "{: #gpt-1"),
    # kramdown's table of contents, options and attribute definitions. Headings one rank down under the title.
    ("2021-09-14-Level2-Day31.md", "\n## 부스트캠프 31일차\n", "{:toc}"),
    ("2021-09-24-KLUE-대회-회고.md", "\n## 부스트캠프 36일차\n", "{::options"),
    ("2021-09-24-KLUE-대회-회고.md", "\n### 🌼 멘토링\n", "{:refdef"),
    # Definition lists: `:` followed by a tab becomes `: `.
    ("2021-09-08-Level2-Day27.md", "GRU\n: Gated Recurrent Unit.", ":\t"),
    # $$...$$ inline (and in tables) becomes $...$; \| and < stay.
    ("2021-09-08-Level2-Day27.md", r"| $\|\frac{\partial h_t}{\partial h_{t-1}}\| < 1$ |", "$$"),
    ("2021-09-10-Level2-Day29.md", "디코더 hidden state $s_t$와", "$$s_t$$"),
    # Display math glued to text is set apart by blank lines; its \{ \} and \\ stay.
    ("2021-09-10-Level2-Day29.md", "구한다.\n\n$$\ne_t = \\{ s_t^\\top h_1, \\dots, s_t^\\top h_N \\} \\\\\n",
     "구한다.\n$$"),
    ("2021-09-10-Level2-Day29.md", "h_i\n$$\n\n여기서 $a_t$는", None),
    # {% post_url %} to a post of the blog.
    ("2021-09-10-Level2-Day29.md", "[28일차 학습정리](2021-09-09-Level2-Day28.md)", "post_url"),
    # Links to another post's old address: site paths (another case, a permalink the blog no longer has),
    # the old site's absolute URL, relative .html links read from the post's old address, with anchors.
    ("2021-09-23-Level2-Day35.md", "[34일차](2021-09-17-Level2-Day34.md)", "Level2-Day34.html"),
    ("2021-09-27-Level2-Day37.md", "[베이스라인 정리](2021-09-23-Level2-Day35.md)", "boostcamp-log.github.io"),
    ("2021-09-27-Level2-Day37.md", "[30일차](2021-09-13-Level2-Day30.md)", "../../09/13"),
    ("2021-09-27-Level2-Day37.md", "[31일차](2021-09-14-Level2-Day31.md#multi-head-attention)", "site.url"),
    # A malformed link is left exactly as written (and reported), never "repaired".
    ("2021-09-27-Level2-Day37.md",
     "[R-BERT 코드]([https://github.com/monologg/R-BERT](https://github.com/monologg/R-BERT))", "/[https:/"),
    # GFM strikethrough, which the site's Markdown lacks; Jekyll's excerpt mark.
    ("2021-09-23-Level2-Day35.md", "- [ ] <del>베이스라인 제출</del> (서버", "~~"),
    ("2021-09-23-Level2-Day35.md", "정리는 [34", None),
    # Not convertible: kept as written (and reported).
    ("2021-09-23-Level2-Day35.md", '{% include figure.html image="/assets/img/day35-klue-re.png"', None),
    # A relative image would send the build looking beside the log.
    ("2021-09-24-KLUE-대회-회고.md", "![실험 결과 그래프](/assets/img/day36-klue-f1.png)", "../assets"),
    # --- separators and HTML images in list items stay as they are.
    ("2021-09-13-Level2-Day30.md", "  - [x] 멘토링\n\n<!-- more -->\n\n---\n\n### 📚 강의 내용 정리", None),
    ("2021-09-13-Level2-Day30.md", '* 셀프어텐션 구조\n  <img width="480" alt="self-attention"', None),
    # The second blog's `# 참조` at the bottom is a section, not the page's title.
    ("2021-09-27-Level2-Day37.md", "\n## 참조\n", "\n# 참조"),
]


@pytest.mark.parametrize(("name", "present", "absent"), BODY_CASES)
def test_body_conversions(imported: tuple[ImportReport, Path], name: str, present: str, absent: str | None) -> None:
    _, dest = imported
    _, body = split(dest / name)
    assert present in body
    if absent is not None:
        assert absent not in body


# (log, what its body starts with: the subtitle under the title, then the excerpt, then the separator)
TOPS = [
    # The separator after the first block with text: here the day's schedule, a list, after the headings.
    ("2021-09-09-Level2-Day28.md",
     "Naver Boostcamp AI Tech Level1 Day28\n{ .sl-subtitle }\n\n## 부스트캠프 28일차\n\n### 📝 오늘 일정 정리\n\n"
     "* 9/9(목)\n  - [x] RNN 모델 구현 시작\n  - [x] 멘토링 5시~6시\n  - [x] 마스터클래스 9/9 (목) 18:00~19:00 주재걸 "
     "마스터님\n\n<!-- more -->\n\n### 🚩 모델 구현 과정\n"),
    # The post's own mark (<!--more-->) is kept where the author put it.
    ("2021-09-23-Level2-Day35.md",
     "Naver Boostcamp AI Tech Level2 Day35\n{ .sl-subtitle }\n\n## 부스트캠프 35일차\n\n추석 연휴가 끝나고 P-Stage 대회가 "
     "시작됐다. 오늘은 대회 소개와 베이스라인 코드를 살펴봤다.\n\n<!-- more -->\n\n### 📝 오늘 일정 정리\n"),
    # The post's `excerpt:` is what the listings show.
    ("2021-09-27-Level2-Day37.md",
     "Naver Boostcamp AI Tech Level2 Day37\n{ .sl-subtitle }\n\nKLUE 대회 2주차: 엔티티 마커와 R-BERT를 비교했다.\n\n"
     "<!-- more -->\n\n대회 2주차가 시작됐다."),
]


@pytest.mark.parametrize(("name", "top"), TOPS)
def test_subtitle_and_excerpt_on_top(imported: tuple[ImportReport, Path], name: str, top: str) -> None:
    _, dest = imported
    _, body = split(dest / name)
    assert body.lstrip("\n").startswith(top)
    assert body.count(SEPARATOR) == 1


def test_every_log_has_one_excerpt_separator_outside_lists_and_code(imported: tuple[ImportReport, Path]) -> None:
    _, dest = imported
    for path in dest.iterdir():
        _, body = split(path)
        if path.name == "2021-09-25-draft-note.md":  # one list and nothing after it: the excerpt is the whole post
            assert SEPARATOR not in body
            continue
        lines = body.split("\n")
        at = lines.index(SEPARATOR)
        assert lines[at - 1] == "" and lines[at + 1] == "", path.name  # a block of its own, never inside one
        assert body.count("```", 0, body.index(SEPARATOR)) % 2 == 0, path.name


def test_the_seed_body_only_changes_shape(imported: tuple[ImportReport, Path]) -> None:
    """The user's log: its subtitle on top, headings one rank down, the excerpt separator; not a word else."""
    _, dest = imported
    _, body = split(dest / "2021-09-09-Level2-Day28.md")
    seed = "\n".join(body_lines(POSTS / "2021-09-09-Level2-Day28.md"))
    shaped = body.replace("Naver Boostcamp AI Tech Level1 Day28\n{ .sl-subtitle }\n", "")
    shaped = shaped.replace(f"\n{SEPARATOR}\n", "")
    assert shaped.strip("\n") == demote_headings(seed).strip("\n")
    assert demote_headings(seed) != seed


def test_demoting_headings_leaves_code_and_keeps_ranks() -> None:
    text = "# A\n\nintro\n\nB\n===\n\nC\n---\n\n```\n# not a heading\n```\n\n> # quoted\n\n###### six\n"
    assert demote_headings(text) == (
        "## A\n\nintro\n\n## B\n\n### C\n\n```\n# not a heading\n```\n\n> ## quoted\n\n###### six\n"
    )
    assert demote_headings("## Already\n\n### fine\n") == "## Already\n\n### fine\n"


# Liquid and kramdown words: syntax the import replaces, not content.
_SYNTAX = {"highlight", "endhighlight", "raw", "endraw", "post_url", "site", "url", "baseurl", "toc"}


@pytest.mark.parametrize("name", sorted(EXPECTED_FRONT_MATTER))
def test_no_line_is_lost(imported: tuple[ImportReport, Path], name: str) -> None:
    """Every non-empty line of a post survives in the log, or the report names it."""
    report, dest = imported
    source = body_lines(POSTS / name)
    offset = len((POSTS / name).read_text(encoding="utf-8").split("\n")) - len(source)
    reported = {d.line for d in report.diagnostics if Path(d.path or "").name == name}
    _, log = split(dest / name)
    for number, line in enumerate(source, start=offset + 1):
        if not line.strip() or re.fullmatch(r"\s*\{%-?\s*(?:end)?raw\s*-?%\}\s*", line):
            continue
        text = re.sub(r"\]\([^)]*\)", "]", line)  # link targets may be rewritten; their text may not
        words = set(re.findall(r"[\w가-힣]+", text)) - _SYNTAX
        missing = [w for w in words if w not in log]
        assert not missing or number in reported, f"{name}:{number}: {line!r} lost {missing}"


# -- Old addresses -----------------------------------------------------------------------------


def reading(name: str, *, when: dt.date, categories: list[str], slug: str | None = None,
            own: str | None = None) -> Reading:
    stem = name.removesuffix(".md")
    post = Post(Path(name), f"_posts/{name}", dt.date.fromisoformat(stem[:10]), stem, stem[11:])
    return Reading(post, when=when, categories=categories, slug=slug, permalink=own)


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        ("date", "/boostcamp-ai-tech/nlp/2021/09/09/Level2-Day28.html"),  # Jekyll's default
        ("pretty", "/boostcamp-ai-tech/nlp/2021/09/09/Level2-Day28/"),
        ("ordinal", "/boostcamp-ai-tech/nlp/2021/252/Level2-Day28.html"),
        ("weekdate", "/boostcamp-ai-tech/nlp/2021/W36/THU/Level2-Day28.html"),
        ("none", "/boostcamp-ai-tech/nlp/Level2-Day28.html"),
        ("/:year/:i_month/:i_day/:slug", "/2021/9/9/level2-day28"),
        ("/:short_year/:long_month/:title.html", "/21/September/Level2-Day28.html"),
        ("/blog/:name/", "/blog/2021-09-09-level2-day28/"),
        ("/:categories/:title/", "/boostcamp-ai-tech/nlp/Level2-Day28/"),
    ],
)
def test_permalinks_as_jekyll_makes_them(style: str, expected: str) -> None:
    post = reading("2021-09-09-Level2-Day28.md", when=dt.date(2021, 9, 9), categories=["Boostcamp-AI-Tech", "NLP"])
    assert permalink(post, SiteConfig(permalink=style)) == (expected, [])
    assert set(STYLES) == {"date", "pretty", "ordinal", "weekdate", "none"}


def test_permalinks_take_the_posts_own_slug_date_zone_and_permalink() -> None:
    late = dt.datetime(2021, 9, 9, 23, 30, tzinfo=KST)  # 14:30 UTC: the same day in Seoul and on GitHub Pages
    early = dt.datetime(2021, 9, 10, 1, 0, tzinfo=KST)  # still 9 September in UTC
    post = reading("2021-09-10-학습정리.md", when=early.astimezone(dt.UTC), categories=[], slug="Day 29 정리")
    assert permalink(post, SiteConfig())[0] == "/2021/09/09/Day-29-정리.html"  # no categories: no empty folder
    post = reading("2021-09-09-x.md", when=late, categories=["a b"], own="/:categories/:year/:month/:slug/")
    assert permalink(post, SiteConfig(permalink="pretty"))[0] == "/a b/2021/09/x/"
    post = reading("2021-09-09-x.md", when=late, categories=[], own="/:year/:hour/:unknown/x.html")
    assert permalink(post, SiteConfig()) == ("/2021/23/:unknown/x.html", [":unknown"])


def test_the_sites_timezone_decides_the_day(tmp_path: Path) -> None:
    blog = tmp_path / "blog"
    write_post(blog, "2021-09-10-day-29.md", "title: Day 29\ndate: 2021-09-10 01:00:00 +0900\n")
    (blog / "_config.yml").write_text("permalink: /:year/:month/:day/:title/\n", encoding="utf-8")
    import_jekyll(blog, tmp_path / "utc")  # GitHub Pages builds in UTC: the 9th
    assert split(tmp_path / "utc" / "2021-09-10-day-29.md")[0]["redirect_from"] == ["/2021/09/09/day-29/"]
    (blog / "_config.yml").write_text("permalink: /:year/:month/:day/:title/\ntimezone: Asia/Seoul\n")
    import_jekyll(blog, tmp_path / "seoul")
    assert split(tmp_path / "seoul" / "2021-09-10-day-29.md")[0]["redirect_from"] == ["/2021/09/10/day-29/"]


def test_redirect_pages_point_at_the_logs_new_page(imported: tuple[ImportReport, Path]) -> None:
    """The brief's example: /boostcamp-ai-tech/2021/09/09/Level2-Day28.html leads to /logs/2021/09/09/level2-day28/."""
    _, dest = imported
    logs = read_logs(dest.parent, dest.name)
    pages = dict(redirect_pages(logs, Layout()))
    page = pages["boostcamp-ai-tech/2021/09/09/Level2-Day28.html"]
    assert 'content="0; url=../../../../logs/2021/09/09/level2-day28/"' in page
    assert "<title>[Boostcamp AI Tech] 28일차 학습정리</title>" in page
    assert pages["nlp/day29/index.html"].count("url=../../logs/2021/09/10/level2-day29/") == 1
    assert "klue/week2.html" in pages and "boostcamp-ai-tech/2021/9/level2-day37/index.html" in pages
    assert len(pages) == sum(len(v) for v in OLD_ADDRESSES.values())
    # Another blog layout moves the targets with it.
    moved = dict(redirect_pages(logs, Layout(blog_dir="blog", post_url_format="{slug}")))
    assert 'url=../../../../blog/level2-day28/"' in moved["boostcamp-ai-tech/2021/09/09/Level2-Day28.html"]


def test_redirect_files_are_where_jekyll_wrote_the_pages() -> None:
    assert redirect_file("/a/b.html") == "a/b.html"
    assert redirect_file("/a/b/") == "a/b/index.html"
    assert redirect_file("/a/b") == "a/b.html"  # GitHub Pages serves /a/b from a/b.html
    assert redirect_file("/a/KLUE-%EB%8C%80%ED%9A%8C.html") == "a/KLUE-대회.html"


# -- The report --------------------------------------------------------------------------------


def test_report_names_the_blogs_files_and_what_it_could_not_convert(imported: tuple[ImportReport, Path]) -> None:
    report, _ = imported
    assert found(report) == {
        ("2021-09-06-Level2-Day25.md", 31, False),  # ![..]({{ site.baseurl }}/assets/img/...)
        ("2021-09-13-Level2-Day30.md", 29, False),  # <img src="/assets/img/..."> in a list item
        ("2021-09-14-Level2-Day31.md", 14, False),  # * TOC / {:toc}
        ("2021-09-16-Level2-Day33.md", 25, False),  # {{site.url}}{{site.baseurl}}/assets/img/...
        ("2021-09-20-chuseok.html", None, True),
        ("2021-09-23-Level2-Day35.md", 25, False),  # /assets/pdf/...
        ("2021-09-23-Level2-Day35.md", 29, False),  # {% include %}
        ("2021-09-24-KLUE-대회-회고.md", 8, False),  # {::options /}
        ("2021-09-24-KLUE-대회-회고.md", 23, False),  # ../assets/img/...
        ("2021-09-24-KLUE-대회-회고.md", 25, False),  # {:refdef: ...}
        ("2021-09-25-draft-note.md", 4, False),  # published: false
        ("2021-09-27-Level2-Day37.md", 28, False),  # [..]([https://...](https://...))
        ("notes.md", None, True),
    }
    assert all(d.severity.value == "warning" for d in report.diagnostics)
    text = report.render()
    assert text.startswith("Imported Jekyll posts from ")
    assert "14 new, 0 updated, 0 unchanged, 2 skipped, 13 warnings." in text
    assert "14 old addresses of the blog redirect to their logs" in text
    assert ("_posts/2021-09-06-Level2-Day25.md:31: image `/assets/img/day25-word2vec.png` points at "
            "the Jekyll blog's /assets/img/day25-word2vec.png") in text
    # The blog has that image: the hint says where it is.
    assert f"copy {BLOG.resolve() / 'assets/img/day25-word2vec.png'} into the site's docs/ folder" in text
    assert "_posts/2021-09-23-Level2-Day35.md:29: Liquid `{% include figure.html" in text
    assert "_posts/notes.md: not named like a Jekyll post" in text
    assert "_posts/2021-09-27-Level2-Day37.md:28: link `[https://github.com/monologg/R-BERT]" in text


# -- Running it again --------------------------------------------------------------------------


def test_a_second_run_writes_nothing(tmp_path: Path) -> None:
    dest = tmp_path / "posts"
    first = import_jekyll(BLOG, dest)
    before = {p.name: (p.stat().st_mtime_ns, p.stat().st_ino, p.read_bytes()) for p in dest.iterdir()}
    second = import_jekyll(BLOG, dest)
    assert second.converted == () and second.updated == ()
    assert [p.name for p in second.unchanged] == [p.name for p in first.converted]
    after = {p.name: (p.stat().st_mtime_ns, p.stat().st_ino, p.read_bytes()) for p in dest.iterdir()}
    assert after == before  # no duplicates, nothing rewritten
    assert "0 new, 0 updated, 14 unchanged" in second.render()


def test_a_changed_post_updates_its_log(tmp_path: Path) -> None:
    blog = shutil.copytree(BLOG, tmp_path / "blog")
    dest = tmp_path / "posts"
    import_jekyll(blog, dest)
    post = blog / "_posts" / "2021-09-08-Level2-Day27.md"
    post.write_text(post.read_text(encoding="utf-8") + "* GRU 구현 과제는 다음 주에 다시 보기\n", encoding="utf-8")
    report = import_jekyll(blog, dest)
    assert [p.name for p in report.updated] == ["2021-09-08-Level2-Day27.md"]
    assert report.converted == () and len(report.unchanged) == 13
    assert "GRU 구현 과제는 다음 주에" in (dest / "2021-09-08-Level2-Day27.md").read_text(encoding="utf-8")


def test_a_log_you_edited_is_kept(tmp_path: Path) -> None:
    blog = shutil.copytree(BLOG, tmp_path / "blog")
    dest = tmp_path / "posts"
    import_jekyll(blog, dest)
    log = dest / "2021-09-13-Level2-Day30.md"
    edited = log.read_text(encoding="utf-8").replace("멘토링", "멘토링 (수정함)")
    log.write_text(edited, encoding="utf-8")
    post = blog / "_posts" / "2021-09-13-Level2-Day30.md"
    post.write_text(post.read_text(encoding="utf-8") + "\n* 추가\n", encoding="utf-8")
    report = import_jekyll(blog, dest)
    assert log.read_text(encoding="utf-8") == edited
    assert log in report.unchanged and report.updated == ()
    problem = next(d for d in report.diagnostics if d.path == str(log))
    assert "you edited 2021-09-13-Level2-Day30.md since it was imported; kept your version" in problem.message
    assert problem.hint and "delete" in problem.hint


def test_a_file_it_did_not_write_is_left_alone(tmp_path: Path) -> None:
    dest = tmp_path / "posts"
    dest.mkdir()
    mine = dest / "2021-09-07-Level2-Day26.md"
    mine.write_text("---\ntitle: 내 글\ndate: 2021-09-07\nslug: mine\n---\n\n직접 쓴 글\n", encoding="utf-8")
    report = import_jekyll(BLOG, dest)
    assert mine.read_text(encoding="utf-8").endswith("직접 쓴 글\n")
    assert POSTS.resolve() / "2021-09-07-Level2-Day26.md" in {p.resolve() for p in report.skipped}
    assert any(d.path == str(mine) and "was not written by the import" in d.message for d in report.diagnostics)


def test_a_post_already_in_the_logs_is_not_imported_twice(tmp_path: Path) -> None:
    """The shipped project holds Day 28 as 2021-09-09-day-28.md; the import knows it by date and title."""
    project = copy_project(tmp_path)
    dest = project / "docs" / "logs" / "posts"
    report = import_jekyll(BLOG, dest)
    assert POSTS.resolve() / "2021-09-09-Level2-Day28.md" in {p.resolve() for p in report.skipped}
    assert not (dest / "2021-09-09-Level2-Day28.md").exists()
    problem = next(d for d in report.diagnostics if Path(d.path or "").name == "2021-09-09-Level2-Day28.md")
    assert "already in the logs as 2021-09-09-day-28.md" in problem.message
    # Its old address is not lost: the hint says how to keep it.
    assert problem.hint and "redirect_from: [/boostcamp-ai-tech/2021/09/09/Level2-Day28.html]" in problem.hint
    # Links to that post go to the log that holds it.
    _, body = split(dest / "2021-09-10-Level2-Day29.md")
    assert "[28일차 학습정리](2021-09-09-day-28.md)" in body


def test_the_blog_is_never_written(tmp_path: Path) -> None:
    before = tree_digest(BLOG)
    import_jekyll(BLOG, tmp_path / "a")
    import_jekyll(POSTS, tmp_path / "a")  # the _posts folder itself works too
    assert tree_digest(BLOG) == before


# -- Dates, slugs and refusals, on small blogs -------------------------------------------------


def write_post(blog: Path, name: str, front_matter: str, body: str = "본문\n") -> None:
    (blog / "_posts").mkdir(parents=True, exist_ok=True)
    (blog / "_posts" / name).write_text(f"---\n{front_matter}---\n\n{body}", encoding="utf-8")


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("2021-09-09 10:00:00 +0900", dt.datetime(2021, 9, 9, 10, tzinfo=KST)),
        ("2021-09-09 10:00 +0900", dt.datetime(2021, 9, 9, 10, tzinfo=KST)),
        ("2021-09-09T01:00:00Z", dt.datetime(2021, 9, 9, 1, tzinfo=dt.UTC)),
        ("'2021-09-09 10:00:00 KST'", dt.datetime(2021, 9, 9, 10, tzinfo=KST)),
        ("'2021-09-09 10:00:00 -0500'", dt.datetime(2021, 9, 9, 10, tzinfo=dt.timezone(-dt.timedelta(hours=5)))),
        ("2021-09-09", dt.date(2021, 9, 9)),
        ("2021-9-9", dt.date(2021, 9, 9)),
    ],
)
def test_dates_as_jekyll_writes_them(tmp_path: Path, written: str, expected: dt.date) -> None:
    write_post(tmp_path / "blog", "2021-09-09-day-28.md", f"title: Day 28\ndate: {written}\n")
    report = import_jekyll(tmp_path / "blog", tmp_path / "posts")
    assert report.diagnostics == ()
    meta, _ = split(tmp_path / "posts" / "2021-09-09-day-28.md")
    assert meta["date"] == expected and type(meta["date"]) is type(expected)


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("다음 주 목요일", "could not read the date '다음 주 목요일'"),
        ("2021-13-45", "the date '2021-13-45' does not exist"),
        ("2021-02-30", "the date '2021-02-30' does not exist"),
        ("2021-09-09T25:00:00", "the date '2021-09-09T25:00:00' does not exist"),
        ("2021-09-09 25:00:00 +0900", "the date '2021-09-09 25:00:00 +0900' does not exist"),
    ],
)
def test_a_date_it_cannot_read_falls_back_to_the_file_name(tmp_path: Path, written: str, message: str) -> None:
    write_post(tmp_path / "blog", "2021-09-09-day-28.md", f"title: Day 28\ndate: {written}\n")
    write_post(tmp_path / "blog", "2021-09-10-day-29.md", "title: Day 29\n")
    report = import_jekyll(tmp_path / "blog", tmp_path / "posts")
    assert [p.name for p in report.converted] == ["2021-09-09-day-28.md", "2021-09-10-day-29.md"]
    meta, _ = split(tmp_path / "posts" / "2021-09-09-day-28.md")
    assert meta["date"] == dt.date(2021, 9, 9)
    [problem] = report.diagnostics
    assert problem.line == 3 and message in problem.message and "used the file name's date, 2021-09-09" in problem.message


def test_slugs_are_ascii_and_unique(tmp_path: Path) -> None:
    blog = tmp_path / "blog"
    write_post(blog, "2021-09-09-회고.md", 'title: "[Boostcamp AI Tech] 28일차 회고"\n')
    write_post(blog, "2021-09-09-정리.md", 'title: "[Boostcamp AI Tech] 28일차 정리"\n')
    write_post(blog, "2021-09-10-학습정리.md", 'title: "학습정리"\nslug: 학습정리\n')
    report = import_jekyll(blog, tmp_path / "posts")
    slugs = {p.name: split(p)[0]["slug"] for p in (tmp_path / "posts").iterdir()}
    assert slugs["2021-09-09-정리.md"] == "boostcamp-ai-tech-28"
    assert slugs["2021-09-09-회고.md"] == "boostcamp-ai-tech-28-2"  # the same URL: it gets another
    assert re.fullmatch(r"post-[0-9a-f]{8}", slugs["2021-09-10-학습정리.md"])
    assert all(slug.isascii() for slug in slugs.values())
    messages = [d.message for d in report.diagnostics]
    assert any("this one gets the slug boostcamp-ai-tech-28-2" in m for m in messages)
    assert any("slug '학습정리' is not a lowercase ASCII slug" in m for m in messages)
    read_logs(tmp_path, "posts")  # the site takes them


def test_broken_front_matter_skips_the_post_with_its_line(tmp_path: Path) -> None:
    write_post(tmp_path / "blog", "2021-09-09-day-28.md", "title: [Boostcamp] 28일차: 정리\ntags: [a\n")
    write_post(tmp_path / "blog", "2021-09-10-day-29.md", "title: Day 29\n")
    report = import_jekyll(tmp_path / "blog", tmp_path / "posts")
    assert [p.name for p in report.converted] == ["2021-09-10-day-29.md"]
    [problem] = report.diagnostics
    assert Path(problem.path or "").name == "2021-09-09-day-28.md" and problem.line == 2
    assert [p.name for p in report.skipped] == ["2021-09-09-day-28.md"]
    assert "invalid YAML in the front matter" in problem.message and problem.message.endswith("; not imported")


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda tmp: tmp / "nowhere", "does not exist"),
        (lambda tmp: tmp, "has no _posts folder"),
    ],
)
def test_refuses_what_is_not_a_blog(tmp_path: Path, setup, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(StudylogError, match=message) as caught:
        import_jekyll(setup(tmp_path), tmp_path / "posts")
    assert caught.value.hint


# -- Hostile blogs: links out of the blog, writing into it, YAML bombs, bad posts, full disks ---


@pytest.mark.parametrize("where", ["_posts/imported", "docs/logs/posts", "."])
def test_refuses_to_write_into_the_blog(tmp_path: Path, where: str) -> None:
    blog = shutil.copytree(BLOG, tmp_path / "blog")
    before = tree_digest(blog)
    for src in (blog, blog / "_posts"):
        with pytest.raises(StudylogError, match="inside the blog's folder") as caught:
            import_jekyll(src, blog / where)
        assert caught.value.hint and "never writes into the blog" in caught.value.hint
    assert tree_digest(blog) == before


def test_links_out_of_the_blog_are_refused(tmp_path: Path) -> None:
    outside = tmp_path / "secret.md"
    outside.write_text("---\ntitle: root:x:0:0\n---\n\nroot:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "2021-01-12-y.md").write_text("---\ntitle: y\n---\n\nsecret y\n", encoding="utf-8")
    blog = tmp_path / "blog"
    write_post(blog, "2021-01-10-fine.md", "title: fine\n", "[옆 파일](../secret.md)\n")
    (blog / "_posts" / "2021-01-11-x.md").symlink_to(outside)
    (blog / "_posts" / "2021-01-12-passwd.md").symlink_to("/etc/passwd")
    (blog / "_posts" / "more").symlink_to(tmp_path / "elsewhere")
    (blog / "_config.yml").symlink_to(outside)
    report = import_jekyll(blog, tmp_path / "posts")
    assert [p.name for p in report.converted] == ["2021-01-10-fine.md"]
    assert sorted(p.name for p in report.skipped) == ["2021-01-11-x.md", "2021-01-12-passwd.md"]
    messages = {Path(d.path or "").name: d.message for d in report.diagnostics}
    assert messages["2021-01-11-x.md"] == f"is a link to {outside}, outside the blog; not imported"
    assert messages["2021-01-12-passwd.md"] == "is a link to /etc/passwd, outside the blog; not imported"
    assert messages["more"].startswith("is a link to") and messages["_config.yml"].startswith("is a link to")
    written = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "posts").iterdir())
    assert "root:x:0:0" not in written and "secret y" not in written and "/bin/bash" not in written


def test_a_posts_folder_linked_from_elsewhere_is_refused(tmp_path: Path) -> None:
    write_post(tmp_path / "real", "2021-01-10-a.md", "title: a\n")
    (tmp_path / "blog").mkdir()
    (tmp_path / "blog" / "_posts").symlink_to(tmp_path / "real" / "_posts")
    with pytest.raises(StudylogError, match="outside the blog"):
        import_jekyll(tmp_path / "blog", tmp_path / "posts")


def _alias_bomb(levels: int = 9, width: int = 9) -> str:
    lines = ["bomb:", f"  - &a0 [{', '.join(['lol'] * width)}]"]
    for n in range(1, levels):
        lines.append(f"  - &a{n} [{', '.join([f'*a{n - 1}'] * width)}]")
    return "\n".join(lines) + f"\ntags: *a{levels - 1}\n"


_BOMB_RUN = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))  # 1 GiB: the bomb would take over 5
from generator.jekyll import import_jekyll
report = import_jekyll(sys.argv[1], sys.argv[2])
print(report.render())
"""


def test_an_alias_bomb_is_refused_within_a_memory_cap(tmp_path: Path) -> None:
    blog = tmp_path / "blog"
    write_post(blog, "2021-09-09-bomb.md", "title: bomb\n" + _alias_bomb())
    write_post(blog, "2021-09-10-fine.md", "title: fine\ntags: &t [a, b]\ncategories: *t\n")  # aliases still work
    result = subprocess.run([sys.executable, "-c", _BOMB_RUN, str(blog), str(tmp_path / "posts")],
                            capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert "1 new, 0 updated, 0 unchanged, 1 skipped" in result.stdout
    assert re.search(r"_posts/2021-09-09-bomb\.md:\d+: YAML aliases expand to more than the 200,000 values .*"
                     r"; not imported", result.stdout), result.stdout
    meta, _ = split(tmp_path / "posts" / "2021-09-10-fine.md")
    assert meta["tags"] == ["a", "b"] and meta["categories"] == ["a", "b"]


def test_a_recursive_alias_is_a_message(tmp_path: Path) -> None:
    write_post(tmp_path / "blog", "2021-09-09-loop.md", "title: loop\nnotes: &r [*r]\n")
    write_post(tmp_path / "blog", "2021-09-10-fine.md", "title: fine\n")
    report = import_jekyll(tmp_path / "blog", tmp_path / "posts")
    [problem] = report.diagnostics
    assert problem.line == 3 and "a YAML alias refers to the value that holds it" in problem.message
    assert [p.name for p in report.converted] == ["2021-09-10-fine.md"]


def test_a_config_bomb_is_reported_and_the_posts_imported(tmp_path: Path) -> None:
    write_post(tmp_path / "blog", "2021-09-10-fine.md", "title: fine\n")
    (tmp_path / "blog" / "_config.yml").write_text("url: https://x.github.io\n" + _alias_bomb(), encoding="utf-8")
    report = import_jekyll(tmp_path / "blog", tmp_path / "posts")
    [problem] = report.diagnostics
    assert Path(problem.path or "").name == "_config.yml" and problem.line == 8  # the first value past the limit
    assert "could not read the blog's settings: YAML aliases expand" in problem.message
    assert [p.name for p in report.converted] == ["2021-09-10-fine.md"]


def test_a_mapping_among_the_tags_is_left_out(tmp_path: Path) -> None:
    write_post(tmp_path / "blog", "2021-09-09-day-28.md", "title: Day 28\ntags: [NLP, {a: {b: 1}}, [x, {c: d}]]\n")
    report = import_jekyll(tmp_path / "blog", tmp_path / "posts")
    meta, _ = split(tmp_path / "posts" / "2021-09-09-day-28.md")
    assert meta["tags"] == ["NLP", "x"]
    assert [(d.line, "left out a mapping among the tags" in d.message) for d in report.diagnostics] == \
        [(3, True), (3, True)]


def test_a_full_disk_is_one_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    from generator import fsutil
    from generator.cli import main

    def full(path: Path, text: str) -> bool:
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(fsutil, "write_if_changed", full)
    project = copy_project(tmp_path)
    assert main(["--root", str(project), "import-jekyll", str(BLOG)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    [line, hint] = err.strip().split("\n")
    assert line.startswith("error: ") and line.endswith(
        "docs/logs/posts/2021-09-06-Level2-Day25.md: could not write the log 2021-09-06-Level2-Day25.md: "
        "No space left on device")
    assert hint.startswith("  hint: the disk is full: free some space and run the import again")


# -- A real site built from the imported logs --------------------------------------------------


# A log written by hand, with a Korean title, no slug and no excerpt separator.
HANDWRITTEN = """---
title: 추석 연휴 회고
date: 2021-09-26
categories: [Boostcamp-AI-Tech]
---

연휴 동안 논문 세 편을 다시 읽었다.

## 읽은 것

* BERT를 처음부터 다시 읽었다.
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped project with the blog imported into its logs and a log written by hand, built with --strict."""
    project = copy_project(tmp_path_factory.mktemp("site"))
    # Every post but Day 28, which the shipped project holds already: all posts have a log.
    blog = shutil.copytree(BLOG, project.parent / "blog")
    report = import_jekyll(blog, project / "docs" / "logs" / "posts")
    assert len(report.converted) == 13
    (project / "docs" / "logs" / "posts" / "2021-09-26-Chuseok-Review.md").write_text(HANDWRITTEN, encoding="utf-8")
    return build_site(project, strict=True)


def _logs(site: Path) -> list:
    """The logs of the built project, read back as the site reads them."""
    return list(read_logs(site.parent / "docs", "logs/posts"))


def _target(site: Path, old: str) -> Path:
    """Follow the redirect page at the old address ``old`` to the file of the page it names."""
    path = redirect_file(old)
    html = page(site, path)
    refresh = html.find("meta", attrs={"http-equiv": "refresh"})["content"]
    href = refresh.split("url=", 1)[1]
    assert html.find("link", rel="canonical")["href"] == href
    new = unquote(urljoin("http://site.invalid/" + path, href)).removeprefix("http://site.invalid/")
    return site / new / "index.html"


def test_every_old_address_leads_to_its_log(site: Path) -> None:
    followed = 0
    for log in _logs(site):
        for old in log.redirect_from:
            target = _target(site, old)
            assert target.is_file(), (old, target)
            assert target.parent.relative_to(site).as_posix() + "/" == Layout(language="ko").post_url(log)
            assert page(site, target.parent.relative_to(site).as_posix() + "/").select_one("article h1")\
                .get_text(strip=True) == log.title
            followed += 1
    assert followed == sum(len(v) for k, v in OLD_ADDRESSES.items() if k != "2021-09-09-Level2-Day28.md")
    # Jekyll's pretty permalink (a folder), a post's own one with placeholders, its redirect_from, a Korean name.
    assert _target(site, "/nlp/day29/") == site / "logs/2021/09/10/level2-day29/index.html"
    assert _target(site, "/boostcamp-ai-tech/2021/9/level2-day37/") == site / "logs/2021/09/27/level2-day37/index.html"
    assert _target(site, "/klue/week2.html") == site / "logs/2021/09/27/level2-day37/index.html"
    assert _target(site, "/boostcamp-ai-tech/p-stage/2021/09/24/KLUE-%EB%8C%80%ED%9A%8C-%ED%9A%8C%EA%B3%A0.html") \
        == site / "logs/2021/09/24/klue/index.html"


def test_the_front_matter_title_is_the_page_title_everywhere(site: Path) -> None:
    logs = _logs(site)
    layout = Layout(language="ko")
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    home = article(site, "").get_text(" ", strip=True)
    feed = (site / "feed.xml").read_text(encoding="utf-8")
    qa = article(site, "qa/").get_text(" ", strip=True)
    for log in logs:
        url = layout.post_url(log)
        html = page(site, url)
        assert html.title.get_text().startswith(log.title + " - "), url
        # One h1, the title, at the top of the article, with the subtitle right under it when there is one.
        body = html.select_one("article.md-content__inner")
        assert [h.get_text(strip=True) for h in body.select("h1")] == [log.title], url
        subtitle = body.select_one(".sl-subtitle")
        if subtitle is not None:
            assert subtitle.find_previous_sibling() is body.h1, url
        # Search lists the page under its title (with Korean search's hidden word parts after it).
        title = next(d["title"] for d in index if d["location"] == url)
        assert strip_hidden(title) == log.title, url
        assert f"<title>{log.title}</title>" in feed.replace("&amp;", "&")
        if log.questions:
            assert log.title in qa
    assert logs[-1].title in home  # the latest logs on the home page
    # The second blog's post, whose only `#` heading was `# 참조` at the bottom: the title on top, 참조 a section.
    day37 = article(site, "logs/2021/09/27/level2-day37/")
    assert day37.h1.get_text(strip=True) == TITLE.format(37) and day37.find("h2", id="참조") is not None
    def toc_hidden(url: str) -> bool:
        return page(site, url).select_one("div.md-sidebar--secondary").has_attr("hidden")

    assert toc_hidden("logs/2021/09/27/level2-day37/") and not toc_hidden("logs/2021/09/23/level2-day35/")  # toc: false
    assert day37.select_one("p.sl-subtitle").get_text(strip=True) == "Naver Boostcamp AI Tech Level2 Day37"


def test_listing_pages_show_excerpts(site: Path) -> None:
    logs = {log.slug: log for log in _logs(site)}
    for listing in ("logs/", "logs/archive/2021/", "logs/category/boostcamp-ai-tech/"):
        html = page(site, listing)
        excerpts = html.select("article.md-post--excerpt")
        assert excerpts, listing
        for excerpt in excerpts:
            title = excerpt.select_one("h2").get_text(strip=True)
            assert title in {log.title for log in logs.values()}, (listing, title)
            assert excerpt.select_one(".md-post__action a"), (listing, title)  # "continue reading"
    text = page(site, "logs/").get_text(" ", strip=True)
    # What the excerpts hold: up to the separator (the schedule; a post's `excerpt:`; a hand-written first paragraph).
    assert "KLUE 대회 2주차: 엔티티 마커와 R-BERT를 비교했다." in text
    assert "연휴 동안 논문 세 편을 다시 읽었다." in text
    # What they do not: what comes after it.
    for later in ("대회 2주차가 시작됐다", "BERT를 처음부터 다시 읽었다", "지난주 정리는", "엔티티 마커를 쓰면 micro F1"):
        assert later not in text, later
    assert (site / "logs" / "index.html").stat().st_size < 60_000


def test_a_title_without_an_ascii_slug_takes_the_file_names(site: Path) -> None:
    """Material's blog would make the URL from the Korean title; the plugin gives it the file name's slug."""
    log = next(log for log in _logs(site) if log.title == "추석 연휴 회고")
    assert log.slug == "chuseok-review" and log.slug_from_name
    assert article(site, "logs/2021/09/26/chuseok-review/").h1.get_text(strip=True) == "추석 연휴 회고"
    assert not (site / "logs" / "2021" / "09" / "26" / "추석-연휴-회고").exists()
    [warning] = log.warnings
    assert "Zensical" in warning.message and warning.hint == "write `slug: chuseok-review` in the front matter"


QA_GROUPS = [  # (date, log URL, number of questions, unanswered questions)
    ("2021-09-24", "logs/2021/09/24/klue/", 2, ["클래스 불균형이 심할 때는 어떤 loss를 쓰면 좋을까요?"]),
    ("2021-09-23", "logs/2021/09/23/level2-day35/", 2, []),  # questions without Q. in a peer session
    ("2021-09-17", "logs/2021/09/17/level2-day34/", 3, []),
    ("2021-09-16", "logs/2021/09/16/level2-day33/", 3,
     ["트랜스포머 디코더의 마스킹은 학습과 추론에서 어떻게 다른가요?"]),
    ("2021-09-15", "logs/2021/09/15/level2-day32/", 4, ["사전학습 데이터가 한국어일 때도 WordPiece가 잘 동작하나요?"]),
    ("2021-09-14", "logs/2021/09/14/level2-day31/", 3, []),
    ("2021-09-13", "logs/2021/09/13/level2-day30/", 3, []),
    ("2021-09-10", "logs/2021/09/10/level2-day29/", 4, ["beam search 구현은 누가 맡을까요?"]),
    ("2021-09-09", "logs/2021/09/09/day-28/", 3, []),
    ("2021-09-08", "logs/2021/09/08/level2-day27/", 3, []),
    ("2021-09-07", "logs/2021/09/07/level2-day26/", 2, []),
    ("2021-09-06", "logs/2021/09/06/level2-day25/", 2, []),
]


def _qa_groups(site: Path) -> list[tuple[str, list]]:
    body = article(site, "qa/")
    groups = []
    for h2 in body.find_all("h2"):
        questions = []
        for el in h2.find_all_next(["h2", "h3"]):
            if el.name == "h2":
                break
            questions.append(el)
        groups.append((h2.get_text(" ", strip=True), questions))
    return groups


def test_qa_page_groups_questions_by_date(site: Path) -> None:
    groups = _qa_groups(site)
    assert [g[0].split(" · ")[0] for g in groups] == [Words("ko").date(dt.date.fromisoformat(date)) for date, *_ in QA_GROUPS]
    assert [len(g[1]) for g in groups] == [n for _, _, n, _ in QA_GROUPS]
    body = article(site, "qa/")
    assert "질문 34개 · 학습 로그 12개" in body.get_text()


def test_qa_page_shows_answers_and_marks_unanswered(site: Path) -> None:
    for (heading, questions), (_, _, _, unanswered) in zip(_qa_groups(site), QA_GROUPS, strict=True):
        marked = []
        for h3 in questions:
            after = h3.find_next_sibling(lambda el: el.name != "p" or "sl-qa-source" not in str(el))
            if after is not None and "sl-qa-unanswered" in (after.get("class") or []):
                marked.append(h3.get_text(strip=True).rstrip("¶").removeprefix("Q. "))
        assert marked == unanswered, heading
    text = article(site, "qa/").get_text(" ", strip=True)
    for answer in (
        "입력 순서를 바꿔도 결과가 같아서",  # Q: / A: paragraphs
        "배치 통계보다 각 토큰 벡터 안의 통계가 안정적이다",  # **Q. ...** then a paragraph
        "실험적으로 정한 값이다",  # #### Q. then a `: ` definition
        "BERT는 트랜스포머 인코더로 양방향 문맥을 모두 본다",  # #### Q. then bullets
        "length normalization을 같이 쓴다",  # * 답변) sibling
        "Mecab, Okt 같은 형태소 분석기",  # a Q. nested under a peer-session bullet
        "detach()",  # a loose list with a paragraph answer
        "감성 분석에서는 'not' 같은 단어가 오히려 중요하다",  # a question without Q. in a peer session
        "일단 256으로 시작하기로 했다",  # ... answered after ` : ` on its own line
    ):
        assert answer in text
    assert "A.Resize" not in text and "코드 속 주석" not in text


def test_qa_links_land_on_each_question(site: Path) -> None:
    body = article(site, "qa/")
    hrefs = [a["href"] for a in body.select("a.sl-qa-source")]
    expected = [f"../{url}#qa-{n}" for _, url, count, _ in QA_GROUPS for n in range(1, count + 1)]
    assert hrefs == expected
    for (_, questions), (_, url, _, _) in zip(_qa_groups(site), QA_GROUPS, strict=True):
        log = article(site, url)
        for n, h3 in enumerate(questions, start=1):
            target = log.find(id=f"qa-{n}")
            assert target is not None, f"{url}#qa-{n}"
            question = h3.get_text(" ", strip=True).rstrip("¶").strip().removeprefix("Q. ")
            holder = target.find_parent(["li", "p", "h4", "h5", "dt"])  # `#### Q.` is an h5 under the title
            assert holder is not None and question in holder.get_text(" ", strip=True), (url, n)


def test_math_survives(site: Path) -> None:
    day27 = [m.get_text() for m in article(site, "logs/2021/09/08/level2-day27/").select("span.arithmatex")]
    assert r"\(\|\frac{\partial h_t}{\partial h_{t-1}}\| < 1\)" in day27  # \| and < in a table
    assert r"\(0 < f_t < 1\)" in day27
    day29 = article(site, "logs/2021/09/10/level2-day29/")
    display = day29.select_one("div.arithmatex").get_text()
    assert r"e_t = \{ s_t^\top h_1, \dots, s_t^\top h_N \} \\" in display  # \{ \} and \\ kept
    assert [m.get_text() for m in day29.select("span.arithmatex")][:2] == [r"\(s_t\)", r"\(a_t\)"]
    day25 = [m.get_text() for m in article(site, "logs/2021/09/06/level2-day25/").select("span.arithmatex")]
    assert day25[:2] == [r"\(W_{in}\)", r"\(d\)"]  # no zero-width space left in the math


def test_converted_markup_renders(site: Path) -> None:
    day26 = article(site, "logs/2021/09/07/level2-day26/")
    assert day26.select_one("p.notice--info") is not None
    assert "def build_vocab(sentences):" in day26.select_one("div.highlight code").get_text()
    day32 = article(site, "logs/2021/09/15/level2-day32/")
    assert day32.select_one("h4#gpt-1.lecture") is not None  # `### GPT-1 {: #gpt-1 .lecture}`, one rank down
    day33 = article(site, "logs/2021/09/16/level2-day33/")
    img = day33.find("img", alt="GPT-3 few-shot")
    assert img["width"] == "70%" and "center" in img["class"] and img["src"] == "/assets/img/day33-gpt3-few-shot.png"
    day27 = article(site, "logs/2021/09/08/level2-day27/")
    assert [dt_.get_text() for dt_ in day27.select("dl dt")] == ["LSTM", "GRU"]
    day30 = article(site, "logs/2021/09/13/level2-day30/")
    assert day30.find("img", width="480").find_parent("li") is not None
    assert day30.find("hr") is not None
    day35 = article(site, "logs/2021/09/23/level2-day35/")
    assert day35.find("del").get_text() == "베이스라인 제출"
    link = day35.find("a", string="34일차")
    assert link["href"] == "../../17/level2-day34/"


def test_drafts_are_left_out_of_the_build(site: Path) -> None:
    assert not (site / "logs" / "2021" / "09" / "25" / "draft-note").exists()


def test_drafts_are_not_linked(site: Path) -> None:
    assert "draft-note" not in (site / "index.html").read_text(encoding="utf-8")


def test_qa_page_shows_follow_ups(site: Path) -> None:
    body = article(site, "qa/")
    assert body.select_one(".sl-qa-followups") is not None
    text = body.get_text(" ", strip=True)
    assert "추론할 때도 look-ahead mask가 필요한가요?" in text
    assert "그럼 KV 캐시는 언제 쓰는 건가요?" in text


def test_shipped_page_is_kept(site: Path) -> None:
    """The import writes logs only; the rest of the shipped site builds as before."""
    assert page(site, "logs/2021/09/09/day-28/").html["lang"] == "ko"
    assert (ROOT / "docs" / "logs" / "posts" / "2021-09-09-day-28.md").exists()


def test_cli_imports_into_the_sites_posts_folder_and_reruns_cleanly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from generator.cli import main

    project = copy_project(tmp_path)
    blog = shutil.copytree(BLOG, tmp_path / "blog")
    before = {p: p.read_bytes() for p in blog.rglob("*") if p.is_file()}
    assert main(["--root", str(project), "import-jekyll", str(blog)]) == 0
    out = capsys.readouterr().out
    assert "13 new, 0 updated, 0 unchanged, 3 skipped" in out
    assert "already in the logs as 2021-09-09-day-28.md" in out
    posts = project / "docs" / "logs" / "posts"
    assert len(list(posts.glob("*.md"))) == 14
    assert main(["--root", str(project), "import-jekyll", str(blog / "_posts")]) == 0
    assert "0 new, 0 updated, 13 unchanged" in capsys.readouterr().out
    assert len(list(posts.glob("*.md"))) == 14
    assert {p: p.read_bytes() for p in blog.rglob("*") if p.is_file()} == before
    assert main(["--root", str(project), "import-jekyll", str(tmp_path / "nowhere")]) == 1
    assert "does not exist" in capsys.readouterr().err
    # The blog is never written, even when asked to.
    assert main(["--root", str(project), "import-jekyll", str(blog), "--dest", str(blog / "docs")]) == 1
    assert "inside the blog's folder" in capsys.readouterr().err
    assert {p: p.read_bytes() for p in blog.rglob("*") if p.is_file()} == before
