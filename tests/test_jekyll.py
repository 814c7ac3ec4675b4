"""Importing a Jekyll blog as study logs: front matter, body, re-runs, the report, a real build.

The blog is tests/fixtures/jekyll: thirteen Korean Boostcamp posts in the style of
the user's own Day 28 log (which is one of them), written the ways real Jekyll
blogs write them, plus one HTML post and one stray note the import must skip.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import shutil
from pathlib import Path

import pytest
import yaml

from generator.errors import StudylogError
from generator.i18n import Words
from generator.jekyll import ImportReport, import_jekyll
from generator.logs import read_logs

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
        "title": TITLE.format(25), "subtitle": SUBTITLE.format(25), "date": dt.datetime(2021, 9, 6, 10, tzinfo=KST),
        "slug": "level2-day25", "categories": ["Boostcamp-AI-Tech"],
        "tags": ["6주차", "Level2-U-Stage", "NLP", "Word2Vec"],
    },
    # A YAML date; tags as nested lists.
    "2021-09-07-Level2-Day26.md": {
        "title": TITLE.format(26), "subtitle": SUBTITLE.format(26), "date": dt.date(2021, 9, 7),
        "slug": "level2-day26", "categories": ["Boostcamp-AI-Tech"], "tags": ["6주차", "NLP", "Level2-U-Stage", "과제"],
    },
    # No date (the file name's), an unquoted category string, `tags: [null]`.
    "2021-09-08-Level2-Day27.md": {
        "title": TITLE.format(27), "subtitle": SUBTITLE.format(27), "date": dt.date(2021, 9, 8),
        "slug": "level2-day27", "categories": ["Boostcamp-AI-Tech"],
    },
    # The user's own log, exactly as the seed has it.
    "2021-09-09-Level2-Day28.md": {
        "title": TITLE.format(28), "subtitle": "Naver Boostcamp AI Tech Level1 Day28", "date": dt.date(2021, 9, 9),
        "slug": "level2-day28", "categories": ["Boostcamp-AI-Tech"], "tags": ["6주차", "Level2-U-Stage", "NLP"],
    },
    # A YAML datetime; a whole `defaults:` block, `permalink` and `comments` pasted in.
    "2021-09-10-Level2-Day29.md": {
        "title": TITLE.format(29), "subtitle": SUBTITLE.format(29), "date": dt.datetime(2021, 9, 10, 20, tzinfo=KST),
        "slug": "level2-day29", "categories": ["Boostcamp-AI-Tech"],
        "tags": ["6주차", "Level2-U-Stage", "NLP", "Seq2Seq", "어텐션"],
    },
    "2021-09-13-Level2-Day30.md": {
        "title": TITLE.format(30), "subtitle": SUBTITLE.format(30), "date": dt.datetime(2021, 9, 13, 9, 30, tzinfo=KST),
        "slug": "level2-day30", "categories": ["Boostcamp-AI-Tech"],
        "tags": ["7주차", "Level2-U-Stage", "NLP", "Transformer"],
    },
    # `True` / `False` values of Jekyll-only keys.
    "2021-09-14-Level2-Day31.md": {
        "title": TITLE.format(31), "subtitle": SUBTITLE.format(31), "date": dt.datetime(2021, 9, 14, 21, tzinfo=KST),
        "slug": "level2-day31", "categories": ["Boostcamp-AI-Tech"],
        "tags": ["7주차", "Level2-U-Stage", "NLP", "Transformer"],
    },
    # Tags with spaces around and inside items.
    "2021-09-15-Level2-Day32.md": {
        "title": TITLE.format(32), "subtitle": SUBTITLE.format(32), "date": dt.date(2021, 9, 15),
        "slug": "level2-day32", "categories": ["Boostcamp-AI-Tech", "NLP"],
        "tags": ["7주차", "Level2 U-Stage", "BERT", "GPT-1"],
    },
    # A quoted Jekyll date string.
    "2021-09-16-Level2-Day33.md": {
        "title": TITLE.format(33), "subtitle": SUBTITLE.format(33), "date": dt.datetime(2021, 9, 16, 18, tzinfo=KST),
        "slug": "level2-day33", "categories": ["Boostcamp-AI-Tech"],
        "tags": ["7주차", "Level2-U-Stage", "NLP", "GPT-2", "GPT-3", "ELECTRA"],
    },
    # Space-separated categories; a block list of tags with blanks, nulls and padding.
    "2021-09-17-Level2-Day34.md": {
        "title": TITLE.format(34), "subtitle": SUBTITLE.format(34),
        "date": dt.datetime(2021, 9, 17, 22, 10, tzinfo=KST), "slug": "level2-day34",
        "categories": ["Boostcamp-AI-Tech", "NLP"], "tags": ["7주차", "Level2-U-Stage", "주간회고"],
    },
    # A date without an offset; `tags: [[]]`; categories from _config.yml's defaults.
    "2021-09-23-Level2-Day35.md": {
        "title": TITLE.format(35), "subtitle": SUBTITLE.format(35), "date": dt.datetime(2021, 9, 23, 9),
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
    assert report.source == POSTS.resolve()


@pytest.mark.parametrize("name", sorted(EXPECTED_FRONT_MATTER))
def test_front_matter_values(imported: tuple[ImportReport, Path], name: str) -> None:
    _, dest = imported
    meta, _ = split(dest / name)
    assert meta == EXPECTED_FRONT_MATTER[name]


def test_imported_logs_are_valid_logs(imported: tuple[ImportReport, Path]) -> None:
    _, dest = imported
    logs = read_logs(dest.parent, dest.name)  # raises on any log the site would refuse
    assert len(logs) == 12  # 13 imported; the draft is not part of the site
    assert "draft-note" not in {log.slug for log in logs}
    assert all(log.slug.isascii() and log.slug for log in logs)
    day29 = next(log for log in logs if log.slug == "level2-day29")
    assert day29.date == dt.date(2021, 9, 10) and day29.tags[-1] == "어텐션"


def test_front_matter_written_plainly(imported: tuple[ImportReport, Path]) -> None:
    _, dest = imported
    text = (dest / "2021-09-06-Level2-Day25.md").read_text(encoding="utf-8")
    head = text.split("\n---\n", 1)[0]
    assert 'title: "[Boostcamp AI Tech] 25일차 학습정리"' in head
    assert "date: 2021-09-06 10:00:00+09:00" in head
    assert "tags: [6주차, Level2-U-Stage, NLP, Word2Vec]" in head
    assert "# Source: _posts/2021-09-06-Level2-Day25.md" in head
    for dropped in ("layout", "use_math", "permalink", "comments", "defaults", "published", "toc"):
        for path in dest.iterdir():
            assert not re.search(rf"^{dropped}\s*:", path.read_text(encoding="utf-8"), re.M), (dropped, path.name)


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
    ("2021-09-15-Level2-Day32.md", "### GPT-1 { #gpt-1 .lecture }\n", "{: #gpt-1"),
    # kramdown's table of contents, options and attribute definitions.
    ("2021-09-14-Level2-Day31.md", "# 부스트캠프 31일차", "{:toc}"),
    ("2021-09-24-KLUE-대회-회고.md", "# 부스트캠프 36일차", "{::options"),
    ("2021-09-24-KLUE-대회-회고.md", "## 🌼 멘토링", "{:refdef"),
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
    # A link to another post's old URL.
    ("2021-09-23-Level2-Day35.md", "[34일차](2021-09-17-Level2-Day34.md)", "Level2-Day34.html"),
    # GFM strikethrough, which the site's Markdown lacks; Jekyll's excerpt mark.
    ("2021-09-23-Level2-Day35.md", "- [ ] <del>베이스라인 제출</del> (서버", "~~"),
    ("2021-09-23-Level2-Day35.md", "<!-- more -->", "<!--more-->"),
    # Not convertible: kept as written (and reported).
    ("2021-09-23-Level2-Day35.md", '{% include figure.html image="/assets/img/day35-klue-re.png"', None),
    # A relative image would send the build looking beside the log.
    ("2021-09-24-KLUE-대회-회고.md", "![실험 결과 그래프](/assets/img/day36-klue-f1.png)", "../assets"),
    # --- separators and HTML images in list items stay as they are.
    ("2021-09-13-Level2-Day30.md", "  - [x] 멘토링\n\n---\n\n## 📚 강의 내용 정리", None),
    ("2021-09-13-Level2-Day30.md", '* 셀프어텐션 구조\n  <img width="480" alt="self-attention"', None),
]


@pytest.mark.parametrize(("name", "present", "absent"), BODY_CASES)
def test_body_conversions(imported: tuple[ImportReport, Path], name: str, present: str, absent: str | None) -> None:
    _, dest = imported
    _, body = split(dest / name)
    assert present in body
    if absent is not None:
        assert absent not in body


def test_the_seed_body_is_unchanged(imported: tuple[ImportReport, Path]) -> None:
    _, dest = imported
    _, body = split(dest / "2021-09-09-Level2-Day28.md")
    seed = "\n".join(body_lines(POSTS / "2021-09-09-Level2-Day28.md"))
    assert body.strip("\n") == seed.strip("\n")


# Liquid and kramdown words: syntax the import replaces, not content.
_SYNTAX = {"highlight", "endhighlight", "raw", "endraw", "post_url", "site", "url", "baseurl", "toc"}


@pytest.mark.parametrize("name", sorted(EXPECTED_FRONT_MATTER))
def test_no_line_is_lost(imported: tuple[ImportReport, Path], name: str) -> None:
    """Every non-empty line of a post survives in the log, or the report names it."""
    report, dest = imported
    source = body_lines(POSTS / name)
    offset = len((POSTS / name).read_text(encoding="utf-8").split("\n")) - len(source)
    reported = {p.line for p in report.problems if p.path.name == name}
    _, log = split(dest / name)
    for number, line in enumerate(source, start=offset + 1):
        if not line.strip() or re.fullmatch(r"\s*\{%-?\s*(?:end)?raw\s*-?%\}\s*", line):
            continue
        text = re.sub(r"\]\([^)]*\)", "]", line)  # link targets may be rewritten; their text may not
        words = set(re.findall(r"[\w가-힣]+", text)) - _SYNTAX
        missing = [w for w in words if w not in log]
        assert not missing or number in reported, f"{name}:{number}: {line!r} lost {missing}"


# -- The report --------------------------------------------------------------------------------


def test_report_names_the_blogs_files_and_what_it_could_not_convert(imported: tuple[ImportReport, Path]) -> None:
    report, _ = imported
    found = {(p.path.name, p.line, p.skipped) for p in report.problems}
    assert found == {
        ("2021-09-06-Level2-Day25.md", 31, False),  # ![..]({{ site.baseurl }}/assets/img/...)
        ("2021-09-13-Level2-Day30.md", 29, False),  # <img src="/assets/img/..."> in a list item
        ("2021-09-14-Level2-Day31.md", 14, False),  # * TOC / {:toc}
        ("2021-09-16-Level2-Day33.md", 25, False),  # {{site.url}}{{site.baseurl}}/assets/img/...
        ("2021-09-20-chuseok.html", 0, True),
        ("2021-09-23-Level2-Day35.md", 25, False),  # /assets/pdf/...
        ("2021-09-23-Level2-Day35.md", 29, False),  # {% include %}
        ("2021-09-24-KLUE-대회-회고.md", 8, False),  # {::options /}
        ("2021-09-24-KLUE-대회-회고.md", 23, False),  # ../assets/img/...
        ("2021-09-24-KLUE-대회-회고.md", 25, False),  # {:refdef: ...}
        ("2021-09-25-draft-note.md", 4, False),  # published: false
        ("notes.md", 0, True),
    }
    text = report.render()
    assert text.startswith("Imported Jekyll posts from ")
    assert "13 new, 0 updated, 0 unchanged, 2 skipped, 10 warnings." in text
    assert ("warning: _posts/2021-09-06-Level2-Day25.md:31: image `/assets/img/day25-word2vec.png` points at "
            "the Jekyll blog's /assets/img/day25-word2vec.png") in text
    # The blog has that image: the hint says where it is.
    assert f"copy {BLOG.resolve() / 'assets/img/day25-word2vec.png'} into the site's docs/ folder" in text
    assert "warning: _posts/2021-09-23-Level2-Day35.md:29: Liquid `{% include figure.html" in text
    assert "skipped: _posts/notes.md: not named like a Jekyll post" in text


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
    assert "0 new, 0 updated, 13 unchanged" in second.render()


def test_a_changed_post_updates_its_log(tmp_path: Path) -> None:
    blog = shutil.copytree(BLOG, tmp_path / "blog")
    dest = tmp_path / "posts"
    import_jekyll(blog, dest)
    post = blog / "_posts" / "2021-09-08-Level2-Day27.md"
    post.write_text(post.read_text(encoding="utf-8") + "* GRU 구현 과제는 다음 주에 다시 보기\n", encoding="utf-8")
    report = import_jekyll(blog, dest)
    assert [p.name for p in report.updated] == ["2021-09-08-Level2-Day27.md"]
    assert report.converted == () and len(report.unchanged) == 12
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
    problem = next(p for p in report.problems if p.path == log)
    assert "you edited 2021-09-13-Level2-Day30.md since it was imported; kept your version" in problem.message
    assert problem.hint and "delete" in problem.hint


def test_a_file_it_did_not_write_is_left_alone(tmp_path: Path) -> None:
    dest = tmp_path / "posts"
    dest.mkdir()
    mine = dest / "2021-09-07-Level2-Day26.md"
    mine.write_text("---\ntitle: 내 글\ndate: 2021-09-07\nslug: mine\n---\n\n직접 쓴 글\n", encoding="utf-8")
    report = import_jekyll(BLOG, dest)
    assert mine.read_text(encoding="utf-8").endswith("직접 쓴 글\n")
    assert POSTS.resolve() / "2021-09-07-Level2-Day26.md" in report.skipped
    assert any(p.path == mine and p.skipped and "was not written by the import" in p.message for p in report.problems)


def test_a_post_already_in_the_logs_is_not_imported_twice(tmp_path: Path) -> None:
    """The shipped project holds Day 28 as 2021-09-09-day-28.md; the import knows it by date and title."""
    project = copy_project(tmp_path)
    dest = project / "docs" / "logs" / "posts"
    report = import_jekyll(BLOG, dest)
    assert POSTS.resolve() / "2021-09-09-Level2-Day28.md" in report.skipped
    assert not (dest / "2021-09-09-Level2-Day28.md").exists()
    problem = next(p for p in report.problems if p.path.name == "2021-09-09-Level2-Day28.md")
    assert "already in the logs as 2021-09-09-day-28.md" in problem.message
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
    assert report.problems == ()
    meta, _ = split(tmp_path / "posts" / "2021-09-09-day-28.md")
    assert meta["date"] == expected and type(meta["date"]) is type(expected)


def test_a_date_it_cannot_read_falls_back_to_the_file_name(tmp_path: Path) -> None:
    write_post(tmp_path / "blog", "2021-09-09-day-28.md", "title: Day 28\ndate: 다음 주 목요일\n")
    report = import_jekyll(tmp_path / "blog", tmp_path / "posts")
    meta, _ = split(tmp_path / "posts" / "2021-09-09-day-28.md")
    assert meta["date"] == dt.date(2021, 9, 9)
    [problem] = report.problems
    assert problem.line == 3 and "could not read the date '다음 주 목요일'" in problem.message


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
    messages = [p.message for p in report.problems]
    assert any("this one gets the slug boostcamp-ai-tech-28-2" in m for m in messages)
    assert any("slug '학습정리' is not a lowercase ASCII slug" in m for m in messages)
    read_logs(tmp_path, "posts")  # the site takes them


def test_broken_front_matter_skips_the_post_with_its_line(tmp_path: Path) -> None:
    write_post(tmp_path / "blog", "2021-09-09-day-28.md", "title: [Boostcamp] 28일차: 정리\ntags: [a\n")
    write_post(tmp_path / "blog", "2021-09-10-day-29.md", "title: Day 29\n")
    report = import_jekyll(tmp_path / "blog", tmp_path / "posts")
    assert [p.name for p in report.converted] == ["2021-09-10-day-29.md"]
    [problem] = report.problems
    assert problem.skipped and problem.path.name == "2021-09-09-day-28.md" and problem.line == 2
    assert "invalid YAML in the front matter" in problem.message


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


def test_refuses_to_write_into_the_blog(tmp_path: Path) -> None:
    blog = shutil.copytree(BLOG, tmp_path / "blog")
    with pytest.raises(StudylogError, match="inside the blog's posts folder"):
        import_jekyll(blog, blog / "_posts" / "imported")


# -- A real site built from the imported logs --------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped project with the blog imported into its logs, built with --strict."""
    project = copy_project(tmp_path_factory.mktemp("site"))
    # Every post but Day 28, which the shipped project holds already: all posts have a log.
    blog = shutil.copytree(BLOG, project.parent / "blog")
    report = import_jekyll(blog, project / "docs" / "logs" / "posts")
    assert len(report.converted) == 12
    return build_site(project, strict=True)


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
            holder = target.find_parent(["li", "p", "h4", "dt"])
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
    assert day32.select_one("h3#gpt-1.lecture") is not None
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
    assert "12 new, 0 updated, 0 unchanged, 3 skipped" in out
    assert "already in the logs as 2021-09-09-day-28.md" in out
    posts = project / "docs" / "logs" / "posts"
    assert len(list(posts.glob("*.md"))) == 13
    assert main(["--root", str(project), "import-jekyll", str(blog / "_posts")]) == 0
    assert "0 new, 0 updated, 12 unchanged" in capsys.readouterr().out
    assert len(list(posts.glob("*.md"))) == 13
    assert {p: p.read_bytes() for p in blog.rglob("*") if p.is_file()} == before
    assert main(["--root", str(project), "import-jekyll", str(tmp_path / "nowhere")]) == 1
    assert "does not exist" in capsys.readouterr().err
