"""Does Material's search find Korean words inside compounds? Recall, precision and index size.

    python benchmarks/search_recall.py              # 40 generated logs, both settings
    python benchmarks/search_recall.py --logs 60 --misses   # ... and list every miss and false hit
    python benchmarks/search_recall.py --builder zensical   # the same, built and searched with Zensical

It writes a site of realistic Boostcamp-style Korean study logs (generated here
from sentence templates and a vocabulary of NLP/ML terms), builds it twice with
`mkdocs build` -- `korean_search` on and off (STUDYLOG_KOREAN_SEARCH) -- checks
that every page except the search index is byte-identical, and runs a query set
through Material's own search: its web worker (lunr and Material's query
handling, unchanged) in Debian's chromium, fed each built index as the search
box feeds it. `--ui` also types every query into the search box and checks that
the page shows the worker's count of results and only its pages (slower).

What counts as a right answer: the corpus is written with its compounds marked
(`멀티|헤드|어텐션`), marks that are removed from the pages. A page is relevant
to a query word when some word on it (title, text or tags, split by the site's
search separator) has the query at its start, or at the start of one of its
marked parts: `헤드어텐션` and `어텐션` are in `멀티헤드어텐션을`, `지도학습` is
not in `비지도학습` (비- is a prefix, not a word). A query is a word of the
corpus; the set holds the compounds, their parts and tails, single terms,
English glosses, forms with particles, and distractors: words that look like
parts of single loanwords but are not (`플로우` in `텐서플로우`, `캠프` in
`부스트캠프`). It shares no query with the tests.

Prints a Markdown table: page-level recall and precision (over all (query,
page) pairs), how many queries whose word is on the site find nothing, and the
size of search_index.json (raw and gzipped) for each setting.

With `--builder zensical`, the site is written by `python -m generator generate`
and built once by `zensical build`; "on" is that site after `python -m generator
search-index`, "off" is it as Zensical wrote it; both are searched by Zensical's
own search worker (its prefix expansion, and its fuzzy matching when nothing
matches a prefix), fed as its search box feeds it, and right answers are computed
from Zensical's own index.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser import serve, zensical_search  # noqa: E402  (the tests' static server and Zensical's worker)

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]

# -- the corpus ------------------------------------------------------------------------------
# `|` marks where a compound is made of words (removed from the pages). A term may carry an
# English gloss, written after it in parentheses, as study logs do: 트랜스포머(Transformer).

TOPICS: dict[str, list[str]] = {
    "AI Math": [
        "벡터", "행렬", "경사|하강법", "확률적|경사|하강법", "확률론", "베이즈|통계학", "조건부|확률",
        "최대|가능도|추정", "손실|함수", "소프트맥스|함수", "활성화|함수", "역전파", "원핫|벡터",
        "행렬|곱셈", "선형|회귀", "딥러닝", "신경망",
    ],
    "PyTorch": [
        "파이토치", "텐서", "텐서플로우", "텐서보드", "데이터|로더", "커스텀|데이터셋", "모델|저장",
        "전이|학습", "하이퍼|파라미터|튜닝", "하이퍼|파라미터", "멀티|GPU", "체크포인트", "파인|튜닝",
        "자동|미분",
    ],
    "DL Basic": [
        "최적화", "배치|정규화", "레이어|정규화", "드롭아웃", "오버피팅", "가중치|감쇠",
        "학습률|스케줄러", "조기|종료", "합성곱|신경망", "순환|신경망", "그래디언트|소실",
        "기울기|소실", "컴퓨터|비전", "이미지|분류", "데이터|증강", "교차|검증", "앙상블",
        "베이스라인", "리더보드",
    ],
    "NLP": [
        "자연어|처리", "토크나이저", "서브워드|토크나이저", "바이트|페어|인코딩", "워드|임베딩",
        "임베딩|벡터", "단어|임베딩", "언어|모델", "사전|학습", "사전|학습|모델", "시퀀스|투|시퀀스",
        "어텐션", "셀프|어텐션", "멀티|헤드|어텐션", "마스크드|어텐션", "크로스|어텐션", "트랜스포머",
        "포지셔널|인코딩", "인코더", "디코더", "트랜스포머|인코더", "빔|서치", "기계|번역",
        "신경망|기계|번역", "문장|분류", "개체명|인식", "감성|분석", "질의|응답", "레이블|스무딩",
        "크로스|엔트로피|손실", "GPT|모델", "BERT|기반", "Word2Vec", "GloVe", "Seq2Seq", "비지도|학습",
        "지도|학습",
    ],
}
GLOSS = {
    "트랜스포머": "Transformer", "어텐션": "Attention", "셀프|어텐션": "Self-Attention",
    "빔|서치": "Beam Search", "배치|정규화": "Batch Normalization", "포지셔널|인코딩": "Positional Encoding",
    "레이블|스무딩": "Label Smoothing", "드롭아웃": "Dropout", "역전파": "Backpropagation",
    "경사|하강법": "Gradient Descent", "워드|임베딩": "Word Embedding", "언어|모델": "Language Model",
    "조기|종료": "Early Stopping", "가중치|감쇠": "Weight Decay", "전이|학습": "Transfer Learning",
    "바이트|페어|인코딩": "BPE", "개체명|인식": "NER", "마스크드|어텐션": "Masked Attention",
}
CAMP = [
    "피어|세션", "멘토링", "마스터|클래스", "오피스|아워", "특강", "코드|리뷰", "논문|리뷰", "과제|회고",
    "팀|회고", "깃허브", "협업|툴", "모더레이터", "그라운드|룰",
]

LECTURE = [
    "{A}의 핵심 개념을 정리했다.",
    "{A은} {B과} 함께 자주 쓰인다.",
    "{A을} 직접 구현해 보면서 {B}의 동작 원리를 이해했다.",
    "강의에서 {A}에 대해 배웠는데, {B과} 비교하니 차이가 명확했다.",
    "{A을} 적용하면 학습이 훨씬 안정적으로 된다고 한다.",
    "{A} 수식을 손으로 유도해 보았다.",
    "{A}의 장단점: 계산량은 늘지만 성능이 좋아진다.",
    "오늘 배운 {A은} 다음 주 {B} 강의의 기초가 된다.",
    "{G을} 이해하려면 먼저 {B을} 알아야 한다.",
    "{A} 관련 실습 코드를 돌려보고 결과를 비교했다.",
    "논문에서 제안한 {A이} 기존 {B}보다 성능이 좋았다.",
    "{A}에서 {B} 부분으로 넘어가는 내용이 헷갈려서 다시 들었다.",
    "교수님께서 {A}의 직관적인 의미를 그림으로 설명해 주셨다.",
    "{G은} {B}의 한계를 보완하기 위해 나왔다.",
    "실습 과제로 {A을} 처음부터 짜 보았는데 시간이 꽤 걸렸다.",
    "{A과} {B}의 관계를 표로 정리해 두었다.",
    "{A} 부분은 아직 완벽하게 이해하지 못해서 주말에 복습할 예정이다.",
    "{A이} 왜 필요한지 예시를 통해 알 수 있었다.",
]
PEER = [
    "{C}에서 {A}에 대한 질문을 서로 나누었다.",
    "오늘 {C}에서는 각자 구현한 {A} 코드를 공유했다.",
    "{C} 시간에 {A과} {B}의 차이를 토론했다.",
    "{C} 때 {A} 관련 논문을 한 편씩 읽고 요약했다.",
    "다음 {C}까지 {A} 실험 결과를 정리해 오기로 했다.",
    "{C}에서 정한 그라운드 룰을 다시 확인했다.",
]
QUESTIONS = [
    ("{A}에서 꼭 {B을} 사용해야 하나요?", "{B이} 아니어도 되지만 보통은 {B을} 쓰는 것이 안정적이다."),
    ("{A과} {B은} 어떤 차이가 있나요?", "{A은} {B}보다 계산량이 많지만 표현력이 좋다."),
    ("{A을} 쓸 때 {B은} 어떻게 설정하나요?", "처음에는 기본값으로 두고 {B}만 바꿔가며 실험해 보는 것이 좋다."),
    ("실무에서도 {A을} 많이 사용하나요?", "요즘은 대부분 {A을} 기본으로 깔고 시작한다."),
]
RETRO = [
    "{A을} 공부하면서 {B}의 중요성을 다시 느꼈다.",
    "오늘은 {A}에 시간을 많이 써서 {B} 복습을 못 했다.",
    "{C}에서 받은 피드백을 바탕으로 {A} 코드를 고쳐야겠다.",
    "내일은 {A과} {B을} 같이 정리해 보려고 한다.",
    "{A이} 생각보다 어려웠지만 재미있었다.",
]
HEADINGS = ["📚 강의 복습", "🧪 실습|정리", "📖 개념|정리"]
PEER_HEADINGS = ["🌱 피어 세션 정리", "🌱 피어|세션 정리", "🌱 피어|세션|정리"]

WEEKDAYS = "월화수목금토일"


def _batchim(term: str) -> bool:
    """Whether the (marked-up) term ends in a consonant, for 을/를, 은/는, 이/가, 과/와, (으)로."""
    last = term.rstrip(")").split("(")[0].replace("|", "")[-1]
    if "\uac00" <= last <= "\ud7a3":
        return (ord(last) - 0xAC00) % 28 != 0
    return last.lower() in "lmn"


PARTICLES = {"을": ("을", "를"), "은": ("은", "는"), "이": ("이", "가"), "과": ("과", "와")}


def _fill(template: str, terms: dict[str, str]) -> str:
    def one(match: re.Match[str]) -> str:
        term = terms[match.group(1)]
        particle = match.group(2)
        if particle:
            pair = PARTICLES[particle]
            return term + (pair[0] if _batchim(term) else pair[1])
        return term

    return re.sub(r"\{([ABCG])(을|은|이|과)?\}", one, template)


def _glossed(term: str) -> str:
    return f"{term}({GLOSS[term]})" if term in GLOSS else term


def make_logs(posts: Path, count: int, seed: int = 20210802) -> list[str]:
    """Write ``count`` study logs; return every marked-up term and heading used (the gold marks)."""
    rnd = random.Random(seed)
    marked: set[str] = set()
    topics = list(TOPICS)

    def fill(template: str, topic: str) -> str:
        a, b = rnd.sample(TOPICS[topic], 2)
        glossed = rnd.choice([t for t in TOPICS[topic] if t in GLOSS] or [a])
        terms = {"A": a, "B": b, "C": rnd.choice(CAMP), "G": _glossed(glossed)}
        if rnd.random() < 0.3:
            terms["A"] = _glossed(a)
        marked.update(t for t in (a, b, terms["C"], glossed) if "|" in t)
        return _fill(template, terms)

    for n in range(count):
        day = 1 + n
        week = 1 + n // 5
        topic = topics[(n // 10) % len(topics)]
        date = time.strftime("%Y-%m-%d", time.gmtime(1627862400 + (n + n // 5 * 2) * 86400))
        weekday = WEEKDAYS[time.gmtime(1627862400 + (n + n // 5 * 2) * 86400).tm_wday]
        title = rnd.choice(["학습|정리", "학습|정리", "회고", "TIL"])
        lines = [
            "---",
            f'title: "[Boostcamp AI Tech] {day}일차 {title}"',
            f"date: {date}",
            f"slug: day-{day}",
            "categories: [Boostcamp-AI-Tech]",
            f"tags: [{week}주차, Level1-U-Stage, {topic.replace(' ', '-')}]",
            "---",
            "",
            f"# 부스트캠프 {day}일차",
            "",
            "## 📝 오늘 일정 정리",
            "",
            f"* {date[5:].replace('-', '/')}({weekday})",
        ]
        lecture = rnd.sample(TOPICS[topic], 3)
        marked.update(t for t in lecture if "|" in t)
        lines += [f"  - [x] {t} 강의 수강" for t in lecture[:2]]
        lines += [f"  - [ ] {lecture[2]} 과제 제출", f"  - [x] {rnd.choice(CAMP)} 4시~5시", ""]
        heading = rnd.choice(HEADINGS)
        lines += [f"## {heading}", ""]
        for term in lecture[:2]:
            lines += [f"### {_glossed(term)}", ""]
            lines += [f"* {fill(s, topic)}" for s in rnd.sample(LECTURE, 4)]
            lines += [f"  * {fill(rnd.choice(LECTURE), topic)}", ""]
        peer = rnd.choice(PEER_HEADINGS)
        lines += [f"## {peer}", ""]
        lines += [f"* {fill(s, topic)}" for s in rnd.sample(PEER, 3)]
        lines.append("")
        if n % 3 == 0:
            lines += ["## 🌼 멘토링", "", "### 질문 Time", ""]
            for q, a in rnd.sample(QUESTIONS, 2):
                pair = rnd.sample(TOPICS[topic], 2)
                marked.update(t for t in pair if "|" in t)
                lines += [f"* Q. {_fill(q, {'A': pair[0], 'B': pair[1]})}", f"  * {_fill(a, {'A': pair[0], 'B': pair[1]})}"]
            lines.append("")
        lines += ["## 🚀 학습 회고", ""]
        lines += [f"* {fill(s, topic)}" for s in rnd.sample(RETRO, 2)]
        text = "\n".join(lines) + "\n"
        marked.update({title, heading.split(" ", 1)[1], peer.split(" ", 1)[1]} - {"회고", "TIL"})
        (posts / f"{date}-day-{day}.md").write_text(text.replace("|", ""), encoding="utf-8")
    return sorted(marked)


def make_project(dest: Path, logs: int, seed: int = 20210802) -> tuple[Path, list[str]]:
    for name in ("mkdocs.yml", "papers.yaml", "papers.lock.json"):
        shutil.copy(ROOT / name, dest / name)
    shutil.copytree(ROOT / "docs", dest / "docs", ignore=shutil.ignore_patterns("_generated"))
    posts = dest / "docs" / "logs" / "posts"
    for old in posts.glob("*.md"):  # the corpus is all marked up; the shipped log is not
        old.unlink()
    return dest, make_logs(posts, logs, seed)


# -- what is right --------------------------------------------------------------------------


def gold_marks(marked: list[str]) -> dict[str, list[int]]:
    """Compound (marks removed) -> where its parts start, e.g. 멀티헤드어텐션 -> [0, 2, 4]."""
    marks = {}
    for term in marked:
        for chunk in re.split(r"[\s()]+", term):
            if "|" in chunk:
                parts = chunk.split("|")
                starts = [sum(len(p) for p in parts[:i]) for i in range(len(parts))]
                marks["".join(parts)] = starts
    return marks


def _text_runs(value: str) -> Iterator[str]:
    """The text between tags, as Material's worker reads a field."""
    yield from re.split(r"<[^>]*>", value)


def page_words(index: dict, separator: re.Pattern[str], sections: str = "docs") -> dict[str, set[str]]:
    """Page -> the lowercased words the search indexes on it (title, text, tags of all its sections)."""
    pages: dict[str, set[str]] = {}
    for doc in index[sections]:
        words = pages.setdefault(doc["location"].split("#")[0], set())
        values = [doc.get("title") or "", doc.get("text") or "", *(doc.get("tags") or [])]
        for value in values:
            for run in _text_runs(value):
                words.update(w.lower() for w in separator.split(run) if w)
    return pages


def word_starts(word: str, marks: dict[str, list[int]]) -> set[int]:
    """Where the marked words inside ``word`` start: the marks of the longest marked
    compounds found in it (지도|학습 does not count inside 비지도|학습)."""
    starts = {0}
    taken: list[tuple[int, int]] = []
    for compound in sorted(marks, key=len, reverse=True):
        low = compound.lower()
        at = word.find(low)
        while at >= 0:
            end = at + len(low)
            if not any(a <= at and end <= b for a, b in taken):
                taken.append((at, end))
                starts.update(at + p for p in marks[compound])
            at = word.find(low, at + 1)
    return starts


def relevant(query: str, pages: dict[str, set[str]], marks: dict[str, list[int]], separator: re.Pattern[str]) -> set[str]:
    terms = [t.lower() for t in separator.split(query) if t]
    found = set()
    for page, words in pages.items():
        if any(word[s:].startswith(t) for word in words for s in word_starts(word, marks) for t in terms):
            found.add(page)
    return found


TEST_QUERIES = {"벡터", "어텐션", "정리", "transformer", "트랜스포머", "원핫벡터"}  # tests/test_search_ko.py's
DISTRACTORS = ["토치", "보드", "라인", "피팅", "아웃", "캠프", "코더", "플로우"]  # parts of single loanwords
WITH_PARTICLES = ["정규화를", "어텐션을", "임베딩을", "세션에서", "인코딩의", "함수를", "학습을"]


def queries(marks: dict[str, list[int]]) -> list[str]:
    found: set[str] = set()
    for topic in [*TOPICS.values(), CAMP]:
        for term in topic:
            found.add(term.replace("|", ""))
    for compound, starts in marks.items():
        found.add(compound)
        for i, s in enumerate(starts):
            end = starts[i + 1] if i + 1 < len(starts) else len(compound)
            found.add(compound[s:end])  # each part of two letters or more (not 셋, 투)
            if end - s >= 2:
                found.add(compound[s:])  # and the tail it starts (헤드어텐션)
    for gloss in GLOSS.values():
        found.update(gloss.split())
    found.update(DISTRACTORS)
    found.update(WITH_PARTICLES)
    return sorted(q for q in found if len(q) >= 2 and q.lower() not in TEST_QUERIES)


# -- building and searching ----------------------------------------------------------------


def build(project: Path, korean: bool) -> Path:
    site = project / ("site-on" if korean else "site-off")
    env = {
        **os.environ,
        "STUDYLOG_KOREAN_SEARCH": "true" if korean else "false",
        "NO_MKDOCS_2_WARNING": "1",
        "SOURCE_DATE_EPOCH": "1632700800",  # the same sitemap dates in both builds
    }
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(project / "mkdocs.yml"), "-d", str(site)],
        check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    return site


def build_zensical(project: Path) -> tuple[Path, Path, float, float]:
    """Zensical's site as it builds it ("off") and after `search-index` ("on"), and their times."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1632700800"}

    def run(*command: str) -> None:
        subprocess.run(command, cwd=project, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    began = time.perf_counter()
    run(sys.executable, "-m", "generator", "generate")
    run(sys.executable, "-m", "zensical", "build", "--clean", "--config-file", "mkdocs.yml")
    seconds_off = time.perf_counter() - began
    off, on = project / "site-off", project / "site-on"
    (project / "site").rename(off)
    shutil.copytree(off, on)
    began = time.perf_counter()
    run(sys.executable, "-m", "generator", "search-index", str(on))
    return on, off, seconds_off + time.perf_counter() - began, seconds_off


def differing_pages(a: Path, b: Path) -> list[str]:
    names = {p.relative_to(a) for p in a.rglob("*") if p.is_file()} | {p.relative_to(b) for p in b.rglob("*") if p.is_file()}
    indexes = {Path("search") / "search_index.json", Path("search.json")}
    return sorted(
        str(n) for n in names
        if n not in indexes and (not (a / n).exists() or not (b / n).exists() or (a / n).read_bytes() != (b / n).read_bytes())
    )


# Material's search box, without the box: the same worker, fed the same messages
# (SETUP with the index and options, then QUERY with the raw text typed).
WORKER_SEARCH = """
async (queries) => {
  const config = JSON.parse(document.querySelector("#__config").textContent)
  const base = new URL(config.base, location.href)
  const index = await (await fetch(new URL("search/search_index.json", base))).json()
  const worker = new Worker(new URL(config.search, base))
  const reply = () => new Promise(resolve =>
    worker.addEventListener("message", ev => resolve(ev.data), { once: true }))
  worker.postMessage({ type: 0, data: { config: index.config, docs: index.docs,
                                        options: { suggest: config.features.includes("search.suggest") } } })
  await reply()
  const out = {}
  for (const query of queries) {
    worker.postMessage({ type: 2, data: query })
    const { data } = await reply()
    out[query] = [...new Set(data.items.flat().map(item => item.location.split("#")[0]))]
  }
  worker.terminate()
  return out
}
"""


def search_worker(page: object, base: str, qs: list[str]) -> dict[str, set[str]]:
    page.goto(base, wait_until="networkidle")  # type: ignore[attr-defined]
    found = page.evaluate(WORKER_SEARCH, qs)  # type: ignore[attr-defined]
    return {q: set(found[q]) for q in qs}


def check_ui(page: object, base: str, found: dict[str, set[str]]) -> list[str]:
    """Type each query into the search box, as a reader does, and compare with the worker's
    answer: the count of pages shown and the pages of the first results rendered (Material
    renders ten at a time, more as one scrolls). Returns the queries that disagree."""
    page.goto(base, wait_until="networkidle")  # type: ignore[attr-defined]
    page.keyboard.press("/")  # type: ignore[attr-defined]
    box = page.locator("input.md-search__input")  # type: ignore[attr-defined]
    meta = "document.querySelector('.md-search-result__meta').textContent"
    wrong = []
    for q, pages in found.items():
        box.fill("")
        box.press("End")  # an empty box shows the placeholder: the previous answer is gone
        page.wait_for_function(f"!/\\d|없습니다/.test({meta})", timeout=15000)  # type: ignore[attr-defined]
        box.fill(q)
        box.press("End")  # a key event, which is what makes Material run the query
        page.wait_for_function(f"/\\d|없습니다/.test({meta})", timeout=15000)  # type: ignore[attr-defined]
        total = int(m.group()) if (m := re.search(r"\d+", page.evaluate(meta))) else 0  # type: ignore[attr-defined]
        links = page.eval_on_selector_all(".md-search-result__item > a", "els => els.map(e => e.href)")  # type: ignore[attr-defined]
        shown = {link[len(base) :].split("?")[0].split("#")[0] for link in links}
        if total != len(pages) or not shown <= pages or len(shown) != min(total, 10):
            wrong.append(q)
    return wrong


def score(found: dict[str, set[str]], gold: dict[str, set[str]]) -> dict[str, object]:
    hits = sum(len(found[q] & gold[q]) for q in gold)
    wanted = sum(len(gold[q]) for q in gold)
    returned = sum(len(found[q]) for q in gold)
    empty = sorted(q for q in gold if gold[q] and not found[q])
    return {
        "recall": hits / wanted if wanted else 1.0,
        "precision": hits / returned if returned else 1.0,
        "empty": empty,
        "missed": {q: sorted(gold[q] - found[q]) for q in gold if gold[q] - found[q]},
        "extra": {q: sorted(found[q] - gold[q]) for q in gold if found[q] - gold[q]},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--logs", type=int, default=40)
    parser.add_argument("--seed", type=int, default=20210802, help="another seed writes other logs")
    parser.add_argument("--ui", action="store_true", help="also type every query into the search box and compare")
    parser.add_argument("--misses", action="store_true", help="list every missed page and false hit")
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it")
    parser.add_argument("--builder", choices=("mkdocs", "zensical"), default="mkdocs",
                        help="build with MkDocs and Material (the plugin), or with Zensical after generate")
    args = parser.parse_args()
    zensical = args.builder == "zensical"
    if not Path(CHROMIUM).exists():
        raise SystemExit("needs Debian's chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for leftover in ("docs", "site", "site-on", "site-off"):
            shutil.rmtree(folder / leftover, ignore_errors=True)
        project, marked = make_project(folder, args.logs, args.seed)
        marks = gold_marks(marked)
        if zensical:
            on, off, seconds_on, seconds_off = build_zensical(project)
        else:
            began = time.perf_counter()
            on = build(project, korean=True)
            seconds_on = time.perf_counter() - began
            began = time.perf_counter()
            off = build(project, korean=False)
            seconds_off = time.perf_counter() - began
        changed = differing_pages(on, off)

        index_file = Path("search.json") if zensical else Path("search") / "search_index.json"
        raw = {s: (site / index_file).read_bytes() for s, site in (("on", on), ("off", off))}
        index = json.loads(raw["off"])
        separator = re.compile(index["config"]["separator"])
        pages = page_words(index, separator, "items" if zensical else "docs")
        qs = queries(marks)
        gold = {q: relevant(q, pages, marks, separator) for q in qs}

        results = {}
        results_found: dict[str, dict[str, set[str]]] = {}
        ui_wrong: dict[str, list[str]] = {}
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            try:
                for setting, site in (("on", on), ("off", off)):
                    with serve(site) as base:
                        page = browser.new_page()
                        if zensical:
                            results_found[setting] = {q: set(v) for q, v in zensical_search(page, base, qs).items()}
                        else:
                            results_found[setting] = search_worker(page, base, qs)
                        results[setting] = score(results_found[setting], gold)
                        if args.ui and not zensical:
                            ui_wrong[setting] = check_ui(page, base, results_found[setting])
                        page.close()
            finally:
                browser.close()

    logs = args.logs
    on_q = sum(1 for q in qs if gold[q])
    print(f"{logs} logs, {len(pages)} pages; {len(qs)} queries ({on_q} with a word on the site), "
          f"{sum(len(g) for g in gold.values())} relevant (query, page) pairs; "
          f"searched by {'Zensical' if zensical else 'Material'}'s search worker in chromium\n")
    print("| korean_search | recall | precision | queries on the site finding nothing | index bytes | gzipped | vs Material's | build |")
    print("|---|---|---|---|---|---|---|---|")
    base_raw, base_gz = len(raw["off"]), len(gzip.compress(raw["off"], 9))
    for setting, seconds in (("on", seconds_on), ("off", seconds_off)):
        r = results[setting]
        size, gz = len(raw[setting]), len(gzip.compress(raw[setting], 9))
        print(
            f"| {'true' if setting == 'on' else 'false'} | {r['recall']:.3f} | {r['precision']:.3f} | "
            f"{len(r['empty'])}/{on_q} | {size:,} | {gz:,} | {size / base_raw:.3f}× ({gz / base_gz:.3f}× gzipped) | {seconds:.1f} s |"
        )
    plain = {q: g for q, g in gold.items() if q not in DISTRACTORS}
    print(
        f"\nWithout the {len(DISTRACTORS)} distractor queries (parts of single loanwords: {', '.join(DISTRACTORS)}), "
        "precision is " + ", ".join(
            f"{score({q: results_found[s][q] for q in plain}, plain)['precision']:.3f} ({s})" for s in ("on", "off")
        ) + "."
    )
    print(f"Pages other than the search index that differ between the two builds: {len(changed)}"
          + (f" ({', '.join(changed[:5])})" if changed else ""))
    for setting in ("on", "off"):
        r = results[setting]
        if r["empty"]:
            print(f"korean_search {setting}: finds nothing for {', '.join(r['empty'][:40])}"
                  + (" ..." if len(r["empty"]) > 40 else ""))
    for setting, wrong in ui_wrong.items():
        print(f"Typed into the search box (korean_search {setting}): {len(qs) - len(wrong)}/{len(qs)} queries show "
              "the worker's count of pages and only its pages" + (f"; not: {', '.join(wrong)}" if wrong else ""))
    if args.misses:
        for setting in ("on", "off"):
            r = results[setting]
            print(f"\n## korean_search {setting}: missed pages")
            for q, missed in r["missed"].items():
                print(f"- {q}: {len(missed)} ({', '.join(missed[:3])})")
            print(f"\n## korean_search {setting}: pages found that are not relevant")
            for q, extra in r["extra"].items():
                print(f"- {q}: {len(extra)} ({', '.join(extra[:3])})")


if __name__ == "__main__":
    main()
