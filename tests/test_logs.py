"""Study logs: front matter, paper links and mentoring Q&A."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from generator.errors import StudylogError
from generator.ids import ArxivId
from generator.logs import ascii_slug, blog_slug, read_log, read_logs
from generator.qa import add_anchors, find_questions
from generator.yamlsafe import MAX_NODES

FIXTURES = Path(__file__).parent / "fixtures" / "logs"
SEED = Path(__file__).parent.parent / "docs" / "logs" / "posts" / "2021-09-09-day-28.md"


def test_seed_log_front_matter_and_questions() -> None:
    log = read_log(SEED, SEED.parents[2])
    assert log.src == "logs/posts/2021-09-09-day-28.md"
    assert log.date == dt.date(2021, 9, 9)
    assert log.slug == "day-28"
    assert log.categories == ("Boostcamp-AI-Tech",)
    assert log.tags == ("6주차", "Level2-U-Stage", "NLP")
    assert [q.text for q in log.questions] == [
        "Word2Vec에서 꼭 원핫벡터를 사용해야하나요?",
        "transformer에서도 pack_padded_sequence / Bucketing 를 이용해서 연산량을 효율적으로 만들 수 있을지",
        "Batch first 를 사용하지 않는 이유 / 순서가 바뀌는데 어떤 차이가 있는지 (어떤 것이 더 효율적인지)",
    ]
    lines = SEED.read_text(encoding="utf-8").splitlines()
    for q in log.questions:
        assert lines[q.line - 1].startswith("* Q. ")  # line numbers point into the file
    assert log.questions[0].answer.splitlines() == [
        "* 단어들을 구분만 할 수 있다면 원핫벡터가 아니어도 괜찮다.",
        "* 예를 들면 원핫벡터가 아니라 0.1, 0.9 이런 식으로 사실 라벨 스무싱 할 수도 있다.",
    ]


def test_seed_log_links_every_master_class_paper() -> None:
    log = read_log(SEED, SEED.parents[2])
    arxiv = [link.arxiv.base for link in log.links if link.arxiv]
    assert len(arxiv) == 14 and len(set(arxiv)) == 14
    assert "2002.08909" in arxiv and "1710.11041" in arxiv
    deepquest = next(link for link in log.links if "aclanthology" in link.url)
    assert deepquest.arxiv is None
    assert SEED.read_text(encoding="utf-8").splitlines()[deepquest.line - 1].strip().startswith("* [DeepQuest")


def test_question_forms_and_code_blocks() -> None:
    log = read_log(FIXTURES / "qa-forms.md", FIXTURES)
    texts = [q.text for q in log.questions]
    assert texts == [
        "Word2Vec에서 꼭 원핫벡터를 사용해야하나요?",
        "Batch first를 쓰지 않는 이유는?",
        "Transformer는 왜 빠른가요?",
        "아직 답을 못 들은 질문",
    ]
    by_text = {q.text: q for q in log.questions}
    assert by_text["Batch first를 쓰지 않는 이유는?"].answer == "* 사실 그냥 사용자 마음이다."
    assert "병렬화가 된다." in by_text["Transformer는 왜 빠른가요?"].answer
    assert not by_text["아직 답을 못 들은 질문"].answered
    assert all("Resize" not in q.answer and "this is code" not in q.text for q in log.questions)
    assert [q.anchor for q in log.questions] == ["qa-1", "qa-2", "qa-3", "qa-4"]


def test_links_found_in_text_and_markdown() -> None:
    log = read_log(FIXTURES / "qa-forms.md", FIXTURES)
    found = [link.arxiv for link in log.links if link.arxiv]
    assert found == [ArxivId("1512.00567"), ArxivId("1706.03762"), ArxivId("1810.04805", 2)]


def test_anchors_go_where_the_questions_are() -> None:
    body = "intro\n\n* Q. first?\n  * yes\n\n```\n* Q. not this\n```\n\n- Q: second?\n"
    anchored = add_anchors(body)
    assert '* <a id="qa-1"></a>Q. first?' in anchored
    assert '- <a id="qa-2"></a>Q: second?' in anchored
    assert "* Q. not this" in anchored
    assert len(find_questions(body)) == 2


@pytest.mark.parametrize(
    ("name", "line", "message", "hint"),
    [
        ("bad-no-date.md", 1, "the log has no date", "date:"),
        ("bad-jekyll-date.md", 3, "is read as text, not a date", "+09:00"),
        ("bad-categories.md", 4, "'categories' must be a list", "categories: [Boostcamp-AI-Tech]"),
        ("bad-yaml.md", 2, "invalid YAML in the front matter", "need quotes"),
        ("2021-09-09-학습정리.md", 2, "would be made from its title, as '학습정리'; URLs must be ASCII, and its file name has no "
         "ASCII letters either", "slug: day-28"),
        ("bad-no-front-matter.md", 1, "no front matter", "date: 2021-09-09"),
    ],
)
def test_log_mistakes(name: str, line: int, message: str, hint: str) -> None:
    with pytest.raises(StudylogError) as caught:
        read_log(FIXTURES / name, FIXTURES)
    err = caught.value
    assert err.path == str(FIXTURES / name)
    assert err.line == line, str(err)
    assert message in err.message
    assert err.hint and hint in err.hint


def test_two_logs_with_one_url_are_refused(tmp_path: Path) -> None:
    posts = tmp_path / "logs" / "posts"
    posts.mkdir(parents=True)
    shutil.copy(SEED, posts / "a.md")
    shutil.copy(SEED, posts / "b.md")
    with pytest.raises(StudylogError, match="would share the URL 2021/09/09/day-28/"):
        read_logs(tmp_path, "logs/posts")


def test_slugs() -> None:
    assert ascii_slug("[Boostcamp AI Tech] 28일차 학습정리") == "boostcamp-ai-tech-28"
    assert ascii_slug("학습정리") == ""
    assert blog_slug("Day 30: Attention") == "day-30-attention"  # what Material's blog makes


SHARED_SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "2021-09-09-Level2-Day28.md"


@pytest.mark.skipif(not SHARED_SEED.exists(), reason="../shared/seed is not beside this checkout")
def test_shipped_log_keeps_the_users_text() -> None:
    """Only what the site needs changed: a date, categories as a list, an ASCII slug, the subtitle under the
    title, and headings one rank down, since the title is the page's heading."""
    original = SHARED_SEED.read_text(encoding="utf-8").splitlines()
    shipped = [re.sub(r"^#(#+ )", r"\1", line) for line in SEED.read_text(encoding="utf-8").splitlines()]
    removed = [line for line in original if line not in shipped]
    added = [line for line in shipped if line not in original]
    assert removed == ['subtitle:   "Naver Boostcamp AI Tech Level1 Day28"', 'categories: "Boostcamp-AI-Tech"']
    assert added == ["categories: [Boostcamp-AI-Tech]", "date: 2021-09-09", "slug: day-28",
                     "Naver Boostcamp AI Tech Level1 Day28", "{ .sl-subtitle }"]
    assert read_log(SEED, SEED.parents[2]).warnings == ()


def write_log(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / "logs" / "posts" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_title_without_an_ascii_slug_takes_the_file_names(tmp_path: Path) -> None:
    path = write_log(tmp_path, "2021-09-09-Level2-Day28.md", "---\ntitle: 부스트캠프 28일차\ndate: 2021-09-09\n---\n\n본문\n")
    log = read_log(path, tmp_path)
    assert (log.slug, log.slug_from_name) == ("level2-day28", True)
    [warning] = log.warnings
    assert warning.severity.value == "warning" and warning.line == 2 and "Zensical" in warning.message
    assert warning.hint == "write `slug: level2-day28` in the front matter"
    # A title that makes an ASCII slug, or a slug written out: nothing to say.
    path.write_text("---\ntitle: Day 28\ndate: 2021-09-09\n---\n\n본문\n", encoding="utf-8")
    assert (read_log(path, tmp_path).slug, read_log(path, tmp_path).warnings) == ("day-28", ())


def test_two_logs_that_share_a_korean_title_need_slugs(tmp_path: Path) -> None:
    """The plugin hands Material file-name slugs by title, so two such logs must not share one."""
    for name in ("2021-09-09-a.md", "2021-09-10-b.md"):
        write_log(tmp_path, name, "---\ntitle: 회고\ndate: 2021-09-09\n---\n\n본문\n")
    with pytest.raises(StudylogError, match="have the same title and neither has a `slug`") as caught:
        read_logs(tmp_path, "logs/posts")
    assert caught.value.line == 2 and caught.value.hint == "write `slug: b` in its front matter"


@pytest.mark.parametrize(
    ("body", "title", "lines"),
    [
        # The front matter's title is the heading; a `#` heading anywhere in the body would take its place.
        ("## 오늘\n\n본문\n", "Day 28", []),
        ("# Day 28\n\n## 오늘\n", "Day 28", []),  # the title itself, on the first line
        ("# Day 28\n\n# 참조\n", "Day 28", [8]),
        ("# 부스트캠프 28일차\n\n## 오늘\n", "Day 28", [6]),
        ("본문\n\n# 참조\n\n* 링크\n", "Day 28", [8]),
        ("```\n# a comment in code\n```\n\n참조\n===\n", "Day 28", [10]),
    ],
)
def test_a_heading_that_would_replace_the_title_is_a_warning(tmp_path: Path, body: str, title: str,
                                                              lines: list[int]) -> None:
    path = write_log(tmp_path, "2021-09-09-day-28.md", f"---\ntitle: {title}\ndate: 2021-09-09\n---\n\n{body}")
    log = read_log(path, tmp_path)
    assert log.title == title
    assert [w.line for w in log.warnings] == lines
    assert all("write it as `##`" in (w.hint or "") for w in log.warnings)


def test_without_a_title_the_first_line_heading_is_the_title(tmp_path: Path) -> None:
    """As MkDocs and Zensical do: a `#` heading on the first line, else the file name."""
    path = write_log(tmp_path, "2021-09-09-x.md", "---\ndate: 2021-09-09\n---\n\n# Day 28: RNN\n\n본문\n")
    log = read_log(path, tmp_path)
    assert (log.title, log.slug, log.warnings) == ("Day 28: RNN", "day-28-rnn", ())
    path = write_log(tmp_path, "2021-09-09-day-28.md", "---\ndate: 2021-09-09\n---\n\n본문\n")
    log = read_log(path, tmp_path)
    assert log.title == "2021 09 09 day 28"  # MkDocs' title from a file name
    assert [w.message for w in log.warnings] == ["the log has no title; the page is titled '2021 09 09 day 28' "
                                                 "after its file name"]


def test_materials_created_and_updated_dates(tmp_path: Path) -> None:
    path = write_log(tmp_path, "2021-09-09-day-28.md",
                     "---\ntitle: Day 28\ndate:\n  created: 2021-09-09 10:00:00+09:00\n  updated: 2021-09-11\n---\n")
    log = read_log(path, tmp_path)
    assert (log.date, log.updated) == (dt.date(2021, 9, 9), dt.date(2021, 9, 11))


def test_redirects_are_site_paths_and_belong_to_one_log(tmp_path: Path) -> None:
    path = write_log(tmp_path, "2021-09-09-a.md", "---\ntitle: A\ndate: 2021-09-09\n"
                     "redirect_from: [/2021/09/09/a.html, old/a/]\n---\n")
    assert read_log(path, tmp_path).redirect_from == ("/2021/09/09/a.html", "/old/a/")
    for bad in ("https://elsewhere.example/a.html", "/../../etc/passwd", "/a?b=1", "//host/a"):
        path.write_text(f"---\ntitle: A\ndate: 2021-09-09\nredirect_from: ['{bad}']\n---\n", encoding="utf-8")
        with pytest.raises(StudylogError, match="is not a path of this site") as caught:
            read_log(path, tmp_path)
        assert caught.value.line == 4
    path.write_text("---\ntitle: A\ndate: 2021-09-09\nredirect_from: /old/a.html\n---\n", encoding="utf-8")
    write_log(tmp_path, "2021-09-10-b.md", "---\ntitle: B\ndate: 2021-09-10\nredirect_from: [/old/a.html]\n---\n")
    with pytest.raises(StudylogError, match="both redirect /old/a.html to themselves"):
        read_logs(tmp_path, "logs/posts")


def test_front_matter_aliases_are_bounded(tmp_path: Path) -> None:
    bomb = "\n".join(f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9) if n else 'x'}]" for n in range(9))
    path = write_log(tmp_path, "2021-09-09-a.md", f"---\ntitle: A\ndate: 2021-09-09\n{bomb}\ntags: *a8\n---\n")
    with pytest.raises(StudylogError, match=f"aliases expand to more than the {MAX_NODES:,} values"):
        read_log(path, tmp_path)
