"""Korean search: words inside compounds are found (벡터 in 원핫벡터), and nothing else changes.

The segmentation is tested as a pure function against a golden table; the site is
built for real, with `korean_search` on and off, and searched in Debian's chromium
by typing into Material's own search box.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from generator.search_hook import on_post_build_korean
from generator.search_index import HIDDEN_OPEN, enrich_field, enrich_search_index, segment_index, strip_hidden
from generator.search_ko import Segmenter, without_particle

from .browser import SearchTabs, serve
from .sitebuild import build_site, copy_project

FIXTURES = Path(__file__).parent / "fixtures" / "search"
WORDS = yaml.safe_load((FIXTURES / "words.yaml").read_text(encoding="utf-8"))
SEPARATOR = r'[\s\-,:;!?=\[\]()<>{}"\'/\\|·]+|\.(?!\d)'

DAY_40 = "logs/2021/09/27/day-40/"  # 셀프어텐션은, 멀티헤드어텐션을, 원핫벡터를, 학습정리, 트랜스포머(Transformer)
DAY_41 = "logs/2021/09/28/day-41/"  # none of them: 배치정규화를, GPT모델의, 데이터로더의
MAX_RATIO = 1.3  # the index may grow by 30% at most over Material's own


# -- the words of a word ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def segmenter() -> Segmenter:
    return Segmenter()


@pytest.mark.parametrize(("word", "expected"), list(WORDS.items()), ids=list(WORDS))
def test_inner_words(segmenter: Segmenter, word: str, expected: list[str]) -> None:
    assert segmenter.inner_words(word) == expected


def test_a_noun_is_cut_alike_whatever_particle_follows() -> None:
    # Kiwi cuts 개체명인식 (개체/명/인식) but reads 개체명인식의 as 개체/명/인/식/의.
    found = Segmenter().inner_words_of(["개체명인식", "개체명인식의"])
    assert found == {"개체명인식": ["인식"], "개체명인식의": ["인식의"]}


def test_unknown_pieces_that_recur_on_the_site_are_words() -> None:
    # 임베딩 is unknown to Kiwi; found after 단어 and after 워드, it is taken for a word.
    assert Segmenter().inner_words_of(["워드임베딩", "단어임베딩을"]) == {"워드임베딩": ["임베딩"], "단어임베딩을": ["임베딩을"]}


@pytest.mark.parametrize(
    ("word", "stem"), [("데이터로더와", "데이터로더"), ("어텐션에서는", "어텐션"), ("모델", "모델"), ("정의", "정의")]
)
def test_without_particle(word: str, stem: str) -> None:
    assert without_particle(word) == stem


# -- the index ------------------------------------------------------------------------------


def _enrich(value: str) -> str:
    return enrich_field(value, re.compile(SEPARATOR), Segmenter().inner_words)


def test_added_words_go_hidden_at_the_end_of_their_block() -> None:
    # A block is what the worker shows as a preview: a top-level element, or the text.
    assert _enrich("<ul> <li>원핫벡터를 쓴다</li> </ul><p>학습정리</p>") == (
        "<ul> <li>원핫벡터를 쓴다</li> <span hidden=\"hidden\">벡터를</span></ul><p>학습정리<span hidden=\"hidden\">정리</span></p>"
    )
    assert _enrich("28일차 학습정리") == "28일차 학습정리<span hidden=\"hidden\">정리</span>"
    # Text before a list shares the list's block, so its words go into the list.
    assert _enrich("셀프어텐션 <ul><li>x</li></ul>") == "셀프어텐션 <ul><li>x</li><span hidden=\"hidden\">어텐션</span></ul>"


def test_words_a_block_already_has_are_not_added() -> None:
    assert _enrich("<p>벡터와 원핫벡터</p>") == "<p>벡터와 원핫벡터</p>"  # 벡터 finds the block already
    assert _enrich("Transformer, attention") == "Transformer, attention"


def _index(*docs: dict[str, object]) -> str:
    config = {"lang": ["en"], "separator": SEPARATOR, "pipeline": [" "], "fields": {"title": {"boost": 1000.0}}}
    return json.dumps({"config": config, "docs": list(docs)}, separators=(",", ":"))


def test_enrich_search_index_keeps_everything_else() -> None:
    tags = ["6주차", "학습정리"]
    data = _index(
        {"location": "a/", "title": "부스트캠프 28일차", "text": "", "tags": tags},
        {"location": "a/#x", "title": "학습정리", "text": "<ul> <li>셀프어텐션은 &lt;중요&gt;</li> </ul>", "boost": 2},
    )
    out = json.loads(enrich_search_index(data))
    before = json.loads(data)
    assert out["config"] == before["config"]
    assert out["docs"][0]["tags"] == tags  # tags are shown as they are: left alone
    assert out["docs"][1]["text"] == "<ul> <li>셀프어텐션은 &lt;중요&gt;</li> <span hidden=\"hidden\">어텐션은</span></ul>"
    assert out["docs"][1]["boost"] == 2
    for a, b in zip(out["docs"], before["docs"], strict=True):
        assert {k: strip_hidden(v) if isinstance(v, str) else v for k, v in a.items()} == b


def test_enrich_search_index_is_idempotent_and_written_as_material_writes() -> None:
    data = _index({"location": "a/", "title": "학습정리", "text": "<p>원핫벡터</p>"})
    once = enrich_search_index(data)
    assert enrich_search_index(once) == once
    assert "\\ud559" in once  # Material's json.dumps escapes non-ASCII; so do we
    english = _index({"location": "b/", "title": "Prompt Tuning", "text": "<p>The power of scale</p>"})
    assert enrich_search_index(english) == english


def test_a_rewrite_reads_again_only_the_fields_that_changed() -> None:
    """Under serve the index is rewritten after every save; an unchanged field is not read again."""
    from generator import search_index

    docs = [{"location": f"p{n}/", "title": f"논문 {n}", "text": f"<p>원핫벡터 {n}</p>"} for n in range(5)]
    first = enrich_search_index(_index(*docs))
    reads = search_index._FIELDS.misses
    docs[2]["text"] = "<p>셀프어텐션은 바뀐 문단</p>"
    second = enrich_search_index(_index(*docs))
    assert search_index._FIELDS.misses == reads + 1  # the one text that changed
    assert json.loads(second)["docs"][0] == json.loads(first)["docs"][0]
    assert "어텐션은" in json.loads(second)["docs"][2]["text"]
    assert second == enrich_search_index(_index(*docs))  # kept or read again, the same words


def test_a_field_with_its_words_is_kept_while_the_sites_words_are_the_same() -> None:
    """A field's added words come from the whole site's vocabulary: when that changes, every field is made again."""
    from generator import search_index

    a = {"location": "a/", "title": "디코딩", "text": "<p>빔서치는 느리다.</p>"}
    first = enrich_search_index(_index(a))
    made = search_index._ENRICHED.misses
    assert enrich_search_index(_index(a)) == first
    assert search_index._ENRICHED.misses == made  # both fields kept
    b = {"location": "b/", "title": "그 뒤", "text": "<p>빔서치(Beam Search)로 문장을 고른다.</p>"}
    second = enrich_search_index(_index(a, b))
    assert json.loads(second)["docs"][0]["text"] != json.loads(first)["docs"][0]["text"]  # b's gloss cuts a's word
    search_index._ENRICHED.clear()
    search_index._ENRICHED_WITH.clear()
    assert enrich_search_index(_index(a, b)) == second


def test_an_english_gloss_of_several_words_cuts_a_loanword_kiwi_does_not_know() -> None:
    data = _index(
        {"location": "a/", "title": "디코딩", "text": "<p>빔서치(Beam Search)로 문장을 고른다.</p>"},
        {"location": "b/", "title": "그 뒤", "text": "<p>빔서치는 느리다. 인코더(Encoder)와 디코더(Decoder-only)</p>"},
    )
    docs = json.loads(enrich_search_index(data))["docs"]
    assert "<span hidden=\"hidden\">서치</span>" in docs[0]["text"]
    assert "<span hidden=\"hidden\">서치는</span>" in docs[1]["text"]  # every form of the word, on every page
    # A gloss of one word never cuts: 코더 is not a word inside 인코더.
    assert "코더" not in "".join(re.findall(r"<span hidden=\"hidden\">([^<]*)</span>", docs[1]["text"]))


def test_segment_index_does_not_change_its_argument() -> None:
    index = json.loads(_index({"location": "a/", "title": "학습정리", "text": ""}))
    copy = json.loads(json.dumps(index))
    segment_index(index)
    assert index == copy


def test_the_hook_rewrites_the_index_material_wrote(tmp_path: Path) -> None:
    config = SimpleNamespace(site_dir=str(tmp_path))
    on_post_build_korean(config)  # type: ignore[arg-type]
    assert not (tmp_path / "search").exists()  # no search plugin, nothing to do
    index = tmp_path / "search" / "search_index.json"
    index.parent.mkdir()
    index.write_text(_index({"location": "a/", "title": "학습정리", "text": ""}), encoding="utf-8")
    on_post_build_korean(config)  # type: ignore[arg-type]
    assert json.loads(index.read_text(encoding="utf-8"))["docs"][0]["title"] == "학습정리<span hidden=\"hidden\">정리</span>"


# -- the site ---------------------------------------------------------------------------------


def _build(tmp: Path, korean: bool) -> Path:
    project = copy_project(tmp)
    for log in (FIXTURES / "logs").glob("*.md"):
        shutil.copy(log, project / "docs" / "logs" / "posts" / log.name)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("STUDYLOG_KOREAN_SEARCH", "true" if korean else "false")
        mp.setenv("SOURCE_DATE_EPOCH", "1632700800")  # the sitemaps' dates, even across midnight
        return build_site(project, strict=False)


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return {
        "on": _build(tmp_path_factory.mktemp("korean-on"), korean=True),
        "off": _build(tmp_path_factory.mktemp("korean-off"), korean=False),
    }


def _files(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def test_pages_are_byte_identical_with_korean_search_on_and_off(sites: dict[str, Path]) -> None:
    on, off = _files(sites["on"]), _files(sites["off"])
    index = "search/search_index.json"
    assert on.keys() == off.keys()
    assert [name for name in on if name != index and on[name] != off[name]] == []
    assert on[index] != off[index]


def test_index_grows_little_and_only_by_hidden_words(sites: dict[str, Path]) -> None:
    on = (sites["on"] / "search" / "search_index.json").read_bytes()
    off = (sites["off"] / "search" / "search_index.json").read_bytes()
    assert len(on) <= MAX_RATIO * len(off)
    assert len(gzip.compress(on)) <= MAX_RATIO * len(gzip.compress(off))
    index_on, index_off = json.loads(on), json.loads(off)
    assert index_on["config"] == index_off["config"]
    for a, b in zip(index_on["docs"], index_off["docs"], strict=True):
        assert {k: strip_hidden(v) if isinstance(v, str) else v for k, v in a.items()} == b
    text = " ".join(d["text"] for d in index_on["docs"] if d["location"].startswith(DAY_40))
    assert HIDDEN_OPEN in text


# -- Material's search, in a browser -----------------------------------------------------------

# Playwright leaves sockets to the garbage collector.
in_browser = pytest.mark.filterwarnings("ignore::ResourceWarning")


@pytest.fixture(scope="module")
def served(sites: dict[str, Path]) -> Iterator[dict[str, str]]:
    with serve(sites["on"]) as on, serve(sites["off"]) as off:
        yield {"on": on, "off": off}


@in_browser
@pytest.mark.parametrize("query", ["벡터", "어텐션", "정리", "Transformer", "트랜스포머", "원핫벡터"])
def test_korean_search_finds_words_inside_compounds(served: dict[str, str], search_tabs: SearchTabs, query: str) -> None:
    found = search_tabs.search(served["on"], query)
    assert DAY_40 in found, found
    assert DAY_41 not in found, found  # it has none of these words
    assert search_tabs.watch.errors == [] and search_tabs.watch.outside == []


@in_browser
@pytest.mark.parametrize(("query", "also"), [("정규화", None), ("모델", None), ("로더", None), ("헤드어텐션", DAY_40)])
def test_korean_search_finds_other_compounds(
    served: dict[str, str], search_tabs: SearchTabs, query: str, also: str | None
) -> None:
    found = search_tabs.search(served["on"], query)
    assert (DAY_40 if also else DAY_41) in found, found


@in_browser
@pytest.mark.parametrize("query", ["벡터", "어텐션", "정리"])
def test_without_it_words_inside_compounds_are_missed(served: dict[str, str], search_tabs: SearchTabs, query: str) -> None:
    found = search_tabs.search(served["off"], query)
    assert DAY_40 not in found, found


@in_browser
@pytest.mark.parametrize("query", ["원핫벡터", "Transformer", "트랜스포머"])
def test_without_it_whole_words_and_glued_english_are_found(
    served: dict[str, str], search_tabs: SearchTabs, query: str
) -> None:
    # The search separator splits 트랜스포머(Transformer) into both words with or without Korean search.
    assert DAY_40 in search_tabs.search(served["off"], query)


@in_browser
def test_previews_do_not_show_the_added_words(served: dict[str, str], search_tabs: SearchTabs) -> None:
    search_tabs.search(served["on"], "어텐션")
    tab = search_tabs.tab(served["on"])
    hidden = tab.eval_on_selector_all(  # type: ignore[attr-defined]
        ".md-search-result span[hidden]", "els => els.map(e => [getComputedStyle(e).display, e.textContent])"
    )
    assert hidden and all(display == "none" for display, _ in hidden), hidden
    shown = tab.inner_text(".md-search-result__list")  # type: ignore[attr-defined]
    assert "셀프어텐션은" in shown and "어텐션은 " not in shown.replace("셀프어텐션은", "")


@in_browser
def test_previews_of_whole_words_are_unchanged(served: dict[str, str], search_tabs: SearchTabs) -> None:
    # A query Material answered before gets the same results, shown the same way.
    shown = {}
    for setting in ("on", "off"):
        found = search_tabs.search(served[setting], "원핫벡터")
        shown[setting] = (found, search_tabs.tab(served[setting]).inner_text(".md-search-result"))  # type: ignore[attr-defined]
    assert shown["on"] == shown["off"]
