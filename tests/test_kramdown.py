"""Logs render the way Jekyll's kramdown renders them (generator.kramdown).

The oracle is kramdown itself: every post under tests/fixtures/kramdown/_posts/ is
rendered by kramdown (one ruby process for the whole session) and by the site's
Markdown (Python-Markdown with mkdocs.yml's extensions, in-process), both as a new
log and as imported by `import-jekyll`, and their structures must be the same: list
items and their depth, quotes, code blocks (and their code), tables, definition
terms, images, headings, rules.
"""

from __future__ import annotations

import cProfile
import pstats
import random
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.kramdown import canonical
from generator.kramdown.reader import MAX_DEPTH
from generator.logs import split_front_matter
from generator.qa import find_questions
from tests.fidelity import (
    ROOT,
    KramdownMissing,
    Node,
    compare,
    counts,
    demoted,
    import_pairs,
    jekyll_liquid,
    kramdown_html,
    site_html,
    site_markdown,
    skeleton,
    spurious_code,
)

FIXTURES = ROOT / "tests" / "fixtures" / "kramdown"
POSTS = sorted((FIXTURES / "_posts").glob("*.md"))
HABITS = [p for p in POSTS if "Level2" not in p.name]
"""The posts written for one habit each (the others are whole study logs)."""
SEED = sorted((ROOT / "docs" / "logs" / "posts").glob("*.md"))
JEKYLL = ROOT / "tests" / "fixtures" / "jekyll"

QUESTIONS = """\
## 멘토링
오늘 받은 질문
* Q. 어텐션에서 스케일링을 하는 이유는?
    * 내적 값이 커지면 softmax의 기울기가 작아진다.
        * 그래서 $\\sqrt{d_k}$로 나눈다.

1. 대회 질문
  * Q. 검증 세트는 어떻게 나누나요?
    * 클래스 비율을 유지해서 나눈다.

> * Q. 인용 안의 질문도 찾나요?
>   * 찾는다.

#### Q. 제목으로 쓴 질문
답은 제목 아래의 문단이다.

```text
* Q. 코드 안의 이것은 질문이 아니다
```
"""


def generated_logs(count: int, seed: int = 28) -> list[str]:
    """Logs made of the habits at random: items at 0 to 12 spaces or tabs, markers of every kind, text
    right under items, quotes, definitions, fences, tables, headings, images, blank lines between."""
    rng = random.Random(seed)
    words = ["모델", "학습", "RNN", "`code`", "**굵게**", "$x^2$", "[링크](https://a.b)", "![그림](/a.png)", "Q.", "#태그"]

    def text() -> str:
        return " ".join(rng.choice(words) for _ in range(rng.randint(1, 4)))

    def line(indent: str) -> str:
        kind = rng.random()
        if kind < 0.55:
            return indent + rng.choice(["* ", "- ", "+ ", "1. ", "2. ", "-   "]) + text()
        if kind < 0.65:
            return indent + text()
        if kind < 0.72:
            return ""
        if kind < 0.77:
            return indent + "> " + rng.choice(["", "* ", "1. "]) + text()
        if kind < 0.81:
            return f"{indent}```python\n{indent}x = 1\n{indent}```"
        if kind < 0.85:
            return f"{indent}{text()}\n{indent}: {text()}"
        if kind < 0.88:
            return f"{indent}| a | b |\n{indent}|---|---|\n{indent}| 1 | 2 |"
        if kind < 0.93:
            return rng.choice(["## 제목", "### " + text(), "---", "![그림](/assets/x.png)"])
        return "\t" * rng.randint(1, 2) + rng.choice(["* ", "- "]) + text()

    logs = []
    for _ in range(count):
        lines, depth = [], 0
        for _ in range(rng.randint(2, 12)):
            depth = max(0, min(12, depth + rng.choice([0, 0, 2, 3, 4, -2, -4, 8])))
            lines.append(line(" " * depth))
        logs.append("\n".join(lines) + "\n")
    return logs


GENERATED = generated_logs(300)
EXTRA = {
    "questions": QUESTIONS,
    "a pipe in math": "$P(y|x)$ 가 커진다\n",
    "nesting and definitions": "* a\n  * b\n\nterm\n: definition\n",
}
"""More pages for the session's one ruby process."""


@dataclass(frozen=True)
class Rendered:
    kramdown: list[Node]
    new_log: list[Node]
    """The post's body rendered by the site, as a log written for the site."""
    imported: list[Node]
    """The post imported by import-jekyll, rendered by the site."""
    jekyll: list[Node]
    """The post as Jekyll renders it (Liquid first, then kramdown)."""


def _body(path: Path) -> str:
    return split_front_matter(path.read_text(encoding="utf-8"), path)[1]


@pytest.fixture(scope="session")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Rendered]:
    """Every fixture post, the seed log and the sample Jekyll blog, rendered once, with one ruby process."""
    dest = tmp_path_factory.mktemp("imported")
    imported = {name: body for name, _, body in import_pairs(FIXTURES, dest / "kramdown")}
    jekyll = import_pairs(JEKYLL, dest / "jekyll")
    posts = [(p.name, _body(p), jekyll_liquid(p.read_text(encoding="utf-8"))) for p in POSTS + SEED]
    posts += [(name, text, text) for name, text in EXTRA.items()]
    posts += [(f"generated/{n}", log, log) for n, log in enumerate(GENERATED)]
    texts = list(dict.fromkeys([text for _, body, liquid in posts for text in (body, liquid)]
                               + [original for _, original, _ in jekyll]))
    structure = dict(zip(texts, (skeleton(html) for html in kramdown_html(texts)), strict=True))
    md = site_markdown()
    result = {}
    for name, body, liquid in posts:
        result[name] = Rendered(
            kramdown=structure[body],
            new_log=skeleton(site_html(body, md)),
            imported=skeleton(site_html(imported[name], md)) if name in imported else [],
            jekyll=demoted(structure[liquid]),
        )
    for name, original, body in jekyll:
        result[f"jekyll/{name}"] = Rendered([], [], skeleton(site_html(body, md)), demoted(structure[original]))
    return result


# -- The fixtures, new and imported ------------------------------------------------------------------


@pytest.mark.parametrize("post", [p.name for p in POSTS], ids=lambda name: name[11:-3])
def test_a_new_log_renders_as_kramdown_renders_it(rendered: dict[str, Rendered], post: str) -> None:
    r = rendered[post]
    assert r.kramdown == r.new_log, compare(r.kramdown, r.new_log)


@pytest.mark.parametrize("post", [p.name for p in POSTS], ids=lambda name: name[11:-3])
def test_an_imported_log_renders_as_jekyll_rendered_the_post(rendered: dict[str, Rendered], post: str) -> None:
    r = rendered[post]
    assert r.imported, f"{post} was not imported"
    assert r.jekyll == r.imported, compare(r.jekyll, r.imported)


@pytest.mark.parametrize("log", [p.name for p in SEED])
def test_the_shipped_log_renders_as_kramdown_renders_it(rendered: dict[str, Rendered], log: str) -> None:
    r = rendered[log]
    assert r.kramdown == r.new_log, compare(r.kramdown, r.new_log)
    assert counts(r.kramdown)["item@2"] > 20  # it nests by two spaces: the case that matters


def test_the_sample_blog_keeps_kramdowns_structure(rendered: dict[str, Rendered]) -> None:
    """tests/fixtures/jekyll: the same elements as Jekyll, and no code that Jekyll did not show.

    One code block sits elsewhere on purpose: Jekyll renders a {% highlight %} inside a list
    item outside the list (its HTML starts at the margin); the import keeps it in the item.
    """
    samples = {k: v for k, v in rendered.items() if k.startswith("jekyll/")}
    assert len(samples) == 14
    want = sum((counts(r.jekyll) for r in samples.values()), start=counts([]))
    got = sum((counts(r.imported) for r in samples.values()), start=counts([]))
    assert want == got
    assert want["item"] > 150 and want["code"] >= 4
    assert not [code for r in samples.values() for code in spurious_code(r.jekyll, r.imported)]
    moved = [k for k, r in samples.items() if r.jekyll != r.imported]
    assert moved == ["jekyll/2021-09-16-Level2-Day33.md"]
    r = samples["jekyll/2021-09-16-Level2-Day33.md"]
    assert [n.path for n in r.jekyll if n.kind == "code" and "ElectraModel" in n.text] == [""]
    assert [n.path for n in r.imported if n.kind == "code" and "ElectraModel" in n.text] == ["ul"]


@pytest.mark.parametrize("post", [p.name for p in HABITS], ids=lambda name: name[11:-3])
def test_each_habit_needs_the_extension(post: str) -> None:
    """Without generator.kramdown, Python-Markdown renders the habit posts otherwise: they test something.

    Tabs are the exception: a tab is four columns, where Python-Markdown nests anyway.
    """
    body = _body(FIXTURES / "_posts" / post)
    plain = skeleton(site_html(body, site_markdown(without=["generator.kramdown"])))
    if "by-tab" in post:
        assert plain == skeleton(site_html(body))
    else:
        assert plain != skeleton(site_html(body)), post


def test_generated_logs_render_as_kramdown_renders_them(rendered: dict[str, Rendered]) -> None:
    """300 logs mixing the habits at random (seeded): the same structure as kramdown's, each of them."""
    differ = [(n, log) for n, log in enumerate(GENERATED) if rendered[f"generated/{n}"].kramdown
              != rendered[f"generated/{n}"].new_log]
    assert not differ, "\n\n".join(
        f"{log}\n{compare(rendered[f'generated/{n}'].kramdown, rendered[f'generated/{n}'].new_log)}"
        for n, log in differ[:3]
    )
    assert sum(counts(rendered[f"generated/{n}"].kramdown)["item@3"] for n in range(len(GENERATED))) > 50


# -- Code and math ----------------------------------------------------------------------------------


def test_code_is_never_rewritten(rendered: dict[str, Rendered]) -> None:
    """Every code block shows its code character for character, as kramdown shows it."""
    r = rendered["2021-10-11-code-stays-code.md"]
    expected = [n.text for n in r.kramdown if n.kind == "code"]
    actual = [n.text for n in r.new_log if n.kind == "code"]
    assert len(expected) == 6
    assert actual == expected


def test_math_stays_math() -> None:
    body = _body(FIXTURES / "_posts" / "2021-10-11-code-stays-code.md")
    html = site_html(body)
    assert "\\begin{aligned}\n- a &amp;= b \\\\\n* c &amp;= d\n\\end{aligned}" in html
    assert '<span class="arithmatex">\\(p(y \\mid x)\\)</span>' in html
    # Display math in a paragraph is never cut where a line looks like a list.
    glued = "풀이\n$$\n\\begin{aligned}\n- a &= b\n\\end{aligned}\n$$"
    assert canonical(glued) == glued


# -- The Q&A anchors --------------------------------------------------------------------------------


def test_question_anchors_land_on_their_question(rendered: dict[str, Rendered]) -> None:
    """The anchors (numbered on the text as written) sit at the start of each question's element."""
    from bs4 import BeautifulSoup

    r = rendered["questions"]
    assert r.kramdown == r.new_log, compare(r.kramdown, r.new_log)

    questions = find_questions(QUESTIONS)
    assert [q.text for q in questions] == [
        "어텐션에서 스케일링을 하는 이유는?", "검증 세트는 어떻게 나누나요?", "인용 안의 질문도 찾나요?", "제목으로 쓴 질문"
    ]
    soup = BeautifulSoup(site_html(QUESTIONS), "html.parser")
    for n, q in enumerate(questions, 1):
        anchor = soup.find(id=f"qa-{n}")
        assert anchor is not None, q.text
        holder = anchor.find_parent(["li", "p", "h4"])
        assert holder is not None and holder.contents[0] is anchor, (q.text, holder)
        assert holder.get_text().strip().startswith(f"Q. {q.text[:10]}"), (q.text, holder)
        assert anchor.find_parent("pre") is None
    assert soup.find(id="qa-5") is None
    assert "* Q. 코드 안의 이것은 질문이 아니다" in soup.find("pre").get_text()
    # The answers nest under their question as kramdown nests them.
    first = soup.find(id="qa-1").find_parent("li")
    assert [li.get_text(" ", strip=True)[:3] for li in first.find_all("li")] == ["내적 ", "그래서"]


def test_an_anchor_never_lands_in_code() -> None:
    """Where markdown-it sees a question and kramdown sees code, the code stays as written."""
    text = "    indented code\n* Q. a lazy line of the code above, to kramdown\n"
    assert len(find_questions(text)) == 1
    html = site_html(text)
    assert "qa-1" not in html
    assert "* Q. a lazy line of the code above, to kramdown" in html


# -- Pages written for Python-Markdown --------------------------------------------------------------


def test_pages_written_for_python_markdown_come_out_as_they_went_in(tmp_path: Path) -> None:
    """Every page `generate` writes for the shipped project renders the same with and without the extension."""
    from generator.cli import main
    from tests.sitebuild import copy_project

    project = copy_project(tmp_path)
    assert main(["--root", str(project), "generate", "--out", str(tmp_path / "out")]) == 0
    pages = sorted((tmp_path / "out").rglob("*.md"))
    assert len(pages) > 20
    plain = site_markdown(without=["generator.kramdown"])
    site = site_markdown()
    for page in pages:
        text = page.read_text(encoding="utf-8").split("\n---\n", 1)[-1]
        assert site_html(text, site) == site_html(text, plain), page.relative_to(tmp_path)


def test_python_markdown_constructs_are_kept() -> None:
    """Admonitions, details, HTML with markdown, attribute lists, footnotes: as Python-Markdown reads them."""
    page = """\
!!! note "메모"
    * 네 칸 들여쓴 본문
        * 하위 항목

??? abstract "초록"
    접힌 본문

<div class="sl-paper" markdown>
**굵게**
  * 그대로
</div>

[원문](https://example.com){ .sl-source }

텍스트[^1]

[^1]: 각주
    이어지는 각주
"""
    html = site_html(page)
    assert html == site_html(page, site_markdown(without=["generator.kramdown"]))
    assert "<details" in html and 'class="admonition note"' in html and 'class="sl-source"' in html
    assert 'id="fn:1"' in html and [str(n) for n in skeleton(html)][:2] == ["ul/item", "ul/ul/item"]


# -- Hostile input ---------------------------------------------------------------------------------


HOSTILE = {
    "a long list": lambda n: "\n".join(f"* 항목 {i}" for i in range(n)),
    "a list nested by two spaces": lambda n: "\n".join("  " * (i % 8) + f"* 항목 {i}" for i in range(n)),
    "lazy lines": lambda n: "\n".join(f"* a {i}" if i % 2 else f"lazy {i}" for i in range(n)),
    "unclosed fences": lambda n: "\n".join("````x" if i % 2 else "```" for i in range(n)),
    "unclosed HTML": lambda n: "\n".join("<div>" for _ in range(n)),
    "unclosed math": lambda n: "\n".join("$$ x" for _ in range(n)),
    "unclosed extensions": lambda n: "\n".join("{::comment}" if i % 2 else "{:/nomarkdown}" for i in range(n)),
    "nested quotes": lambda n: "\n".join(">" * (i % 50) + " x" for i in range(n)),
    "definitions": lambda n: "\n".join("term" if i % 2 == 0 else ": def" for i in range(n)),
    "comments in a paragraph": lambda n: "\n".join(" <!-- 주석 -->" for _ in range(n)),
    "a long table": lambda n: "| a | b |\n|---|---|\n" + "\n".join(f"| {i} | `x|y` |" for i in range(n)),
}


def _calls(text: str) -> int:
    profile = cProfile.Profile()
    profile.runcall(canonical, text)
    return pstats.Stats(profile).total_calls  # type: ignore[attr-defined, no-any-return]


@pytest.mark.parametrize("shape", list(HOSTILE))
def test_the_work_grows_linearly_with_the_page(shape: str) -> None:
    """Ten times the lines, at most about ten times the work (counted in calls, not timed)."""
    make = HOSTILE[shape]
    small, large = _calls(make(500)), _calls(make(5_000))
    assert large <= 11 * small, (small, large)


def test_long_lines_that_almost_match() -> None:
    """Lines built to make a backtracking pattern try every way (these would not finish if one did)."""
    dashes = "-" * 40 + "x"
    assert canonical(f"글\n{dashes}") == f"글\n{dashes}"  # not a rule, not a heading's underline: text
    assert canonical(f"| a |\n|{dashes}\n| b |") == f"| a |\n|{dashes}\n| b |"  # not a table
    assert canonical("| a |\n|---|\n" + "`a" * 20_000).count("\n") == 2
    assert canonical("```" + " a" * 20_000 + " !\ncode\n```").startswith("&#96;``")  # no fence: text


def test_deep_nesting_is_kept_as_it_is() -> None:
    deep = "\n".join(" " * (2 * i) + "* x" for i in range(MAX_DEPTH + 30))
    quotes = ">" * 5_000 + " 인용"
    assert canonical(deep).count("\n") >= MAX_DEPTH + 29
    assert canonical(quotes).endswith("인용")
    site_html(deep)
    site_html(quotes)


# -- Where the site keeps Python-Markdown's reading ------------------------------------------------


def test_kramdowns_accidents_are_not_copied(rendered: dict[str, Rendered]) -> None:
    """The deviations the README lists: each one renders the way Python-Markdown reads it."""
    # "<참고>" is not an HTML element that swallows the rest of the page.
    html = site_html("<참고> 첫 줄\n\n* 항목\n")
    assert "&lt;참고&gt;" in html and "<li>항목</li>" in html
    # A "|" in $...$ does not make a table.
    r = rendered["a pipe in math"]
    assert [str(n) for n in r.kramdown] == ["table"] and r.new_log == []


def test_without_ruby_the_tests_say_how_to_install_kramdown(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda _: None)
    with pytest.raises(KramdownMissing, match=re.escape("apt-get install -y ruby-kramdown")):
        kramdown_html(["* x"])


def test_kramdown_is_really_kramdown(rendered: dict[str, Rendered]) -> None:
    """The oracle nests by the text's column and reads a definition list, as kramdown does."""
    r = rendered["nesting and definitions"]
    assert [str(n) for n in r.kramdown] == ["ul/item", "ul/ul/item", "dl/term", "dl/definition"]
