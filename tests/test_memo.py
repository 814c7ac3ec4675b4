"""Work done once per text (generator.memo): the memo itself, and the excerpt cut listing pages convert."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import markdown
import pytest
from jinja2 import DictLoader, Environment
from mkdocs.config import load_config

from generator.catalogue import load_catalogue
from generator.errors import StudylogError
from generator.feed import excerpt
from generator.lock import read_lock, save_lock
from generator.logs import read_log
from generator.memo import EXCERPT_STUB, Latest, Memo, TemplateCache, excerpt_source
from generator.paper_links import GENERATED_PAGE

from .sitebuild import ROOT, arxiv_record

SEPARATOR = "<!-- more -->"


def test_a_memo_computes_once_per_key_and_keeps_nothing_that_raised() -> None:
    memo: Memo[str] = Memo("test")
    calls: list[str] = []

    def upper(text: str) -> str:
        calls.append(text)
        return text.upper()

    assert memo.get("a", lambda: upper("a")) == "A"
    assert memo.get("a", lambda: upper("a")) == "A"
    assert memo.get(("a", 1), lambda: upper("a1")) == "A1"  # a tuple key is another key
    assert calls == ["a", "a1"]
    assert (memo.hits, memo.misses) == (1, 2)

    def fail() -> str:
        raise ValueError("broken")

    with pytest.raises(ValueError):
        memo.get("b", fail)
    assert memo.get("b", lambda: upper("b")) == "B"
    assert calls == ["a", "a1", "b"]


def test_a_memo_is_bounded_by_the_characters_of_its_keys() -> None:
    memo: Memo[int] = Memo("test", max_chars=10)
    for key in ("aaaa", "bbbb", "cccc"):  # 12 characters: the least recently used goes
        memo.get(key, lambda: 1)
    assert len(memo) == 2
    calls: list[int] = []
    memo.get("aaaa", lambda: calls.append(1) or 1)  # type: ignore[func-returns-value]
    assert calls == [1], "aaaa was dropped, so it is computed again"
    memo.get("x" * 11, lambda: 2)
    assert "x" * 11 not in memo._items  # larger than the whole memo: never kept
    texts: Memo[str] = Memo("test", max_chars=10)
    texts.get("key", lambda: "a result of eight")  # a text result counts too: 3 + 17 > 10
    assert len(texts) == 0


def test_a_changed_log_is_read_again_and_an_unchanged_one_is_not(tmp_path: Path) -> None:
    posts = tmp_path / "docs" / "logs" / "posts"
    posts.mkdir(parents=True)
    log = posts / "2021-09-09-day-28.md"
    log.write_text("---\ntitle: Day 28\ndate: 2021-09-09\nslug: day-28\n---\n\n* Q. 왜요?\n  * 그래서.\n", encoding="utf-8")
    first = read_log(log, tmp_path / "docs")
    assert read_log(log, tmp_path / "docs") is first
    log.write_text(log.read_text(encoding="utf-8").replace("왜요", "어떻게 하나요"), encoding="utf-8")
    second = read_log(log, tmp_path / "docs")
    assert second is not first and second.questions[0].text == "어떻게 하나요?"
    assert excerpt("* one\n* two\n") == excerpt("* one\n* two\n") == "one two"


def test_latest_keeps_one_result_per_place_made_from_its_last_text() -> None:
    latest: Latest[str] = Latest("test")
    made: list[str] = []

    def make(text: str) -> str:
        made.append(text)
        return text.upper()

    first = latest.get("a.yaml", "x" * 100, lambda: make("x" * 100))
    assert latest.get("a.yaml", "x" * 100, lambda: make("x" * 100)) is first
    assert latest.get("b.yaml", "x" * 100, lambda: make("x" * 100)) == first  # another place: made again
    assert latest.get("a.yaml", "y", lambda: make("y")) == "Y"
    assert latest.get("a.yaml", "x" * 100, lambda: make("x" * 100)) == first  # the old text was not kept
    assert len(made) == 4 and len(latest) == 2

    def fail() -> str:
        raise ValueError("broken")

    with pytest.raises(ValueError):
        latest.get("a.yaml", "z", fail)
    assert latest.get("a.yaml", "x" * 100, fail) == first  # what raised replaced nothing


def test_an_unchanged_catalogue_and_lock_are_parsed_once_and_an_edit_is_read(tmp_path: Path) -> None:
    catalogue, lock = tmp_path / "papers.yaml", tmp_path / "papers.lock.json"
    shutil.copy(ROOT / "papers.yaml", catalogue)
    save_lock(lock, {"2104.08691": arxiv_record()})
    first = load_catalogue(catalogue)
    assert load_catalogue(catalogue) is first
    text = catalogue.read_text(encoding="utf-8")
    catalogue.write_text(text.replace("    year: 2020\n", "    year: 2020\n    status: reading\n", 1), encoding="utf-8")
    edited = load_catalogue(catalogue)
    assert edited is not first and edited.papers[0].status == "reading" != first.papers[0].status
    catalogue.write_text(text + "\n  - arxiv: [", encoding="utf-8")
    for _ in range(2):  # a broken file is never kept: each read says so again
        with pytest.raises(StudylogError):
            load_catalogue(catalogue)

    read = read_lock(lock)
    again = read_lock(lock)
    arxiv = "2104.08691"
    assert again.papers[arxiv] is read.papers[arxiv]  # the records are shared, not parsed again
    again.papers.clear()  # and each reader owns its dicts: `enrich` adds to them
    assert arxiv in read_lock(lock).papers
    data = json.loads(lock.read_text(encoding="utf-8"))
    data["papers"][arxiv]["title"] = "A title edited in the lock"
    lock.write_text(json.dumps(data), encoding="utf-8")
    assert read_lock(lock).papers[arxiv].title == "A title edited in the lock"


def test_a_lock_with_one_record_changed_checks_that_record_alone_and_reads_as_a_fresh_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator import lock as lock_module

    lock = tmp_path / "papers.lock.json"
    save_lock(lock, {pid: arxiv_record(id=pid, version=1) for pid in ("2104.08691", "2002.08909", "1706.03762")})
    first = read_lock(lock)
    checked: list[list[str]] = []
    real = lock_module._unchecked

    def unchecked(data, known):  # type: ignore[no-untyped-def]
        pruned = real(data, known)
        checked.append(sorted(pruned["papers"]))
        return pruned

    monkeypatch.setattr(lock_module, "_unchecked", unchecked)
    data = json.loads(lock.read_text(encoding="utf-8"))
    data["papers"]["2002.08909"]["title"] = "REALM, edited"
    lock.write_text(json.dumps(data), encoding="utf-8")
    read = read_lock(lock)
    assert checked == [["2002.08909"]]
    assert read.papers["2104.08691"] is first.papers["2104.08691"]  # the same record, not made again
    assert read.papers["2002.08909"].title == "REALM, edited"
    lock_module._CHECKED.clear()
    lock_module._PARSED.clear()
    assert read_lock(lock) == read  # what a lock read afresh holds
    # A value of another JSON type that Python calls equal (true for 1) is checked, and refused, as new.
    data = json.loads(lock.read_text(encoding="utf-8"))
    data["papers"]["2104.08691"]["version"] = True
    lock.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(StudylogError) as caught:
        read_lock(lock)
    assert "'version' of record '2104.08691'" in str(caught.value)


# -- the excerpt cut: what listing pages convert of a post ------------------------------------------

POST = """# Day 1

* 09/09(목)
  - [x] 강의 수강
* Q. 원핫벡터를 꼭 써야 하나요?
  * 아니다.

<!-- more -->

## 실습

```python
print("<!-- more -->")
```

$$ a^2 $$
"""

CUT = [
    ("plain", POST),
    ("a footnote used before the cut, defined before it", POST.replace("강의 수강", "강의 수강[^1]").replace(
        "<!-- more -->\n", "[^1]: 각주.\n\n<!-- more -->\n", 1)),
    ("list items around the cut", "* a\n\n<!-- more -->\n\n* b\n* c\n"),
    ("an admonition before the cut", "!!! note\n    안녕\n\n<!-- more -->\n\n본문\n"),
    ("duplicate heading ids across the cut", "## 실습\n\n<!-- more -->\n\n## 실습\n"),
]
WHOLE = [
    ("no separator", "# Day 1\n\n* a\n"),
    ("the separator only in code", "```\n<!-- more -->\n```\n\ntext\n"),
    ("the separator inline", "text <!-- more --> more\n\nrest\n"),
    ("the separator indented", "* a\n\n    <!-- more -->\n\nrest\n"),
    ("nothing after it", "text\n\n<!-- more -->\n"),
    ("a footnote defined after it", "text[^1]\n\n<!-- more -->\n\n[^1]: 각주.\n"),
    ("a reference link defined after it", "[arXiv][a]\n\n<!-- more -->\n\n[a]: https://arxiv.org/abs/2104.08691\n"),
    ("an abbreviation defined after it", "HTML\n\n<!-- more -->\n\n*[HTML]: Hyper Text Markup Language\n"),
    ("a top heading after it", "text\n\n<!-- more -->\n\n# Title\n"),
    ("an HTML block across it", '<div markdown="1">\n\ntext\n\n<!-- more -->\n\n</div>\n'),
]


def _site_markdown() -> markdown.Markdown:
    config = load_config(str(ROOT / "mkdocs.yml"))
    return markdown.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs)


def _excerpt_html(md: markdown.Markdown, text: str) -> tuple[str, bool]:
    """What Material's blog keeps of a post for a listing page: the HTML before the separator, and whether more follows."""
    md.reset()
    content, *more = md.convert(text).split(SEPARATOR, 1)
    return content, bool(more and more[0])


@pytest.mark.parametrize(("name", "text"), CUT, ids=[name for name, _ in CUT])
def test_a_cut_post_renders_the_same_excerpt(name: str, text: str) -> None:
    short = excerpt_source(text, SEPARATOR)
    assert short is not None and short.endswith(f"{SEPARATOR}\n\n{EXCERPT_STUB}\n")
    assert len(short) < len(text)
    md = _site_markdown()
    assert _excerpt_html(md, short) == _excerpt_html(md, text)


@pytest.mark.parametrize(("name", "text"), WHOLE, ids=[name for name, _ in WHOLE])
def test_a_post_is_left_whole_when_the_cut_could_change_its_excerpt(name: str, text: str) -> None:
    assert excerpt_source(text, SEPARATOR) is None


@pytest.mark.parametrize("name", ["the separator only in code", "nothing after it", "a footnote defined after it",
                                  "a reference link defined after it"])
def test_cutting_those_posts_anyway_would_change_their_excerpt(name: str) -> None:
    """The cases above are left whole for a reason: a plain cut at the separator shows another excerpt."""
    text = dict(WHOLE)[name]
    naive = text[: text.index(SEPARATOR)] + f"{SEPARATOR}\n\n{EXCERPT_STUB}\n"
    md = _site_markdown()
    assert _excerpt_html(md, naive) != _excerpt_html(md, text)


def test_the_extension_puts_the_separator_in_a_log_and_not_in_a_generated_page() -> None:
    """A log written without a separator gets one after its first block; a page Studylog generates is
    no post, and finding the break there cost a tenth of a build at 400 papers."""
    body = "첫 문단.\n\n* 목록\n* 둘\n\n마지막 문단.\n"
    md = _site_markdown()
    md.reset()
    assert md.convert(body).count(SEPARATOR) == 1
    md.reset()
    assert SEPARATOR not in md.convert(f"{GENERATED_PAGE}\n\n{body}")


class _CountingEnvironment(Environment):
    compiled = 0

    def compile(self, *args, **kwargs):  # type: ignore[no-untyped-def, override]
        _CountingEnvironment.compiled += 1
        return super().compile(*args, **kwargs)


def test_templates_compile_once_across_environments_and_again_when_edited() -> None:
    """MkDocs makes a new Jinja environment per build; under serve the compiled templates are kept."""
    cache = TemplateCache()
    sources = {"page.html": "{{ 1 + 1 }}"}
    for _ in range(3):
        env = _CountingEnvironment(loader=DictLoader(sources), bytecode_cache=cache)
        assert env.get_template("page.html").render() == "2"
    assert _CountingEnvironment.compiled == 1
    sources["page.html"] = "{{ 1 + 2 }}"  # a theme override edited while serving
    env = _CountingEnvironment(loader=DictLoader(sources), bytecode_cache=cache)
    assert env.get_template("page.html").render() == "3"
    assert _CountingEnvironment.compiled == 2
