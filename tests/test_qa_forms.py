"""Mentoring Q&A in every form real logs write it: lists, paragraphs, headings, follow-ups.

Each form is found with its answer and its exact line, gets its ``qa-N`` anchor, and
the anchor lands in the HTML the site's own Markdown (mkdocs.yml's extensions) makes.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup
from mkdocs.config import load_config

from generator.qa import FollowUp, Question, add_anchors, find_questions, parser

from .sitebuild import ROOT

POSTS = Path(__file__).parent / "fixtures" / "jekyll" / "_posts"
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)(?:---|\.\.\.)[ \t]*\n", re.S)


def md(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


# (form, Markdown, [(question, answer, line)])
FORMS = [
    (
        "list: Q. bullets with nested answers (the seed)",
        """
        * Q. Word2Vec에서 꼭 원핫벡터를 사용해야하나요?
          * 단어들을 구분만 할 수 있다면 원핫벡터가 아니어도 괜찮다.
          * 예를 들면 라벨 스무딩도 가능하다.
        * Q. Batch first 를 사용하지 않는 이유
          * 사실 그냥 사용자 마음이다.
        """,
        [
            ("Word2Vec에서 꼭 원핫벡터를 사용해야하나요?",
             "* 단어들을 구분만 할 수 있다면 원핫벡터가 아니어도 괜찮다.\n* 예를 들면 라벨 스무딩도 가능하다.", 1),
            ("Batch first 를 사용하지 않는 이유", "* 사실 그냥 사용자 마음이다.", 4),
        ],
    ),
    (
        "list: a Q. nested under a peer-session bullet",
        """
        ## 🌱 피어 세션 정리

        * 과제 코드 리뷰
          * spaCy 토크나이저 결과 비교
          * Q. 한국어는 왜 형태소 단위로 토큰화해야 하나요?
            * 조사와 어미가 붙기 때문이다.
        * 내일 RNN 강의 듣기
        """,
        [("한국어는 왜 형태소 단위로 토큰화해야 하나요?", "* 조사와 어미가 붙기 때문이다.", 5)],
    ),
    (
        "list: loose, with blank lines between items",
        """
        * Q. LSTM에서 tanh를 쓰는 이유가 무엇인가요?

          * 값을 -1 ~ 1 사이로 정규화한다.

        * Q. truncated BPTT는 어떻게 구현하나요?

          hidden state를 일정 step마다 `detach()` 한다.

          * 메모리도 아낄 수 있다.

        * 다음 주제
        """,
        [
            ("LSTM에서 tanh를 쓰는 이유가 무엇인가요?", "* 값을 -1 ~ 1 사이로 정규화한다.", 1),
            ("truncated BPTT는 어떻게 구현하나요?",
             "hidden state를 일정 step마다 `detach()` 한다.\n\n* 메모리도 아낄 수 있다.", 5),
        ],
    ),
    (
        "list: the answer as sibling bullets (답변), A., A:)",
        """
        * Q. Beam size를 키우면 항상 좋아지나요?
        * 답변) 꼭 그렇지는 않다.
        * Q. Teacher forcing의 문제는?
        * A. exposure bias가 생긴다.
        * A: 그래서 비율을 점점 줄인다.
        * 이건 답이 아니라 다음 메모
        """,
        [
            ("Beam size를 키우면 항상 좋아지나요?", "* 꼭 그렇지는 않다.", 1),
            ("Teacher forcing의 문제는?", "* exposure bias가 생긴다.\n* 그래서 비율을 점점 줄인다.", 3),
        ],
    ),
    (
        "list: the answer on the next line of the item",
        """
        * Q. LayerNorm은 어디에 적용하나요?
          A. 각 sub-layer의 출력에 residual을 더한 뒤에.
        * Q. 정의 목록으로 답할 수도 있나요?
          : 네, 이렇게요.
        """,
        [
            ("LayerNorm은 어디에 적용하나요?", "각 sub-layer의 출력에 residual을 더한 뒤에.", 1),
            ("정의 목록으로 답할 수도 있나요?", "네, 이렇게요.", 3),
        ],
    ),
    (
        "paragraph: Q: / A: paragraphs",
        """
        Q: 포지셔널 인코딩은 왜 필요한가요?
        A: 셀프어텐션은 순서 정보가 없다.

        Q: 셀프어텐션의 시간 복잡도는?

        A: $O(n^2 \\cdot d)$이다.

        A: 대신 병렬로 계산할 수 있다.

        오늘 멘토링은 여기까지.
        """,
        [
            ("포지셔널 인코딩은 왜 필요한가요?", "셀프어텐션은 순서 정보가 없다.", 1),
            ("셀프어텐션의 시간 복잡도는?", "$O(n^2 \\cdot d)$이다.\n\n대신 병렬로 계산할 수 있다.", 4),
        ],
    ),
    (
        "paragraph: bold **Q. ...** and **Q.** ... / **A.** ...",
        """
        **Q. Multi-head로 나누면 파라미터 수가 늘어나나요?**
        head마다 차원을 줄이기 때문에 거의 같다.

        **Q. BatchNorm 대신 LayerNorm을 쓰는 이유는?**

        padding이 많아서 배치 통계가 불안정하다.

        **Q.** FFN은 왜 4배로 늘리나요?

        **A.** 표현력을 높이기 위해서다.
        """,
        [
            ("Multi-head로 나누면 파라미터 수가 늘어나나요?", "head마다 차원을 줄이기 때문에 거의 같다.", 1),
            ("BatchNorm 대신 LayerNorm을 쓰는 이유는?", "padding이 많아서 배치 통계가 불안정하다.", 4),
            ("FFN은 왜 4배로 늘리나요?", "표현력을 높이기 위해서다.", 8),
        ],
    ),
    (
        "heading: #### Q. with a paragraph, a `: ` definition, bullets, or nothing",
        """
        ### 질문 Time

        #### Q. MLM 마스킹 비율이 15%인 이유는?
        : 실험적으로 정한 값이다.

        #### Q. [CLS] 토큰은 어떻게 문장을 표현하나요?

        셀프어텐션으로 모든 토큰을 본다.

        ##### 참고

        * fine-tuning 때 학습된다.

        #### Q. GPT-1과 BERT의 차이는?
        * GPT-1은 디코더, BERT는 인코더.

        #### Q. 한국어에서도 WordPiece가 잘 되나요?

        ### 정리

        * 다음 주 복습
        """,
        [
            ("MLM 마스킹 비율이 15%인 이유는?", "실험적으로 정한 값이다.", 3),
            ("[CLS] 토큰은 어떻게 문장을 표현하나요?",
             "셀프어텐션으로 모든 토큰을 본다.\n\n##### 참고\n\n* fine-tuning 때 학습된다.", 6),
            ("GPT-1과 BERT의 차이는?", "* GPT-1은 디코더, BERT는 인코더.", 14),
            ("한국어에서도 WordPiece가 잘 되나요?", "", 17),
        ],
    ),
    (
        "a Q. item further down a list that answers a heading starts its own question",
        """
        #### Q. 헤딩 질문?
        * 헤딩의 답
        * Q. 리스트 질문?
          * 리스트의 답
        """,
        [("헤딩 질문?", "* 헤딩의 답", 1), ("리스트 질문?", "* 리스트의 답", 3)],
    ),
    (
        "numbering and spacing of the prefix",
        """
        * Q1. 첫 번째 질문
          * 첫 번째 답
        * Q 2) 두 번째 질문
          * 두 번째 답
        * Q.원핫벡터는 꼭 필요한가요?
          * 아니다.
        * Q.shape 는 텐서의 모양이다
        * 질문: 이건 질문 목록을 소개하는 문장이다
        """,
        [
            ("첫 번째 질문", "* 첫 번째 답", 1),
            ("두 번째 질문", "* 두 번째 답", 3),
            ("원핫벡터는 꼭 필요한가요?", "* 아니다.", 5),
        ],
    ),
    (
        "in a blockquote, and arrows as answer lines",
        """
        > Q. 인용한 질문?
        > A. 인용한 답.

        Q. 화살표로 답하면?
        → 이렇게 답한다.
        """,
        [("인용한 질문?", "인용한 답.", 1), ("화살표로 답하면?", "→ 이렇게 답한다.", 4)],
    ),
]


@pytest.mark.parametrize(("form", "body", "expected"), FORMS, ids=[f[0] for f in FORMS])
def test_question_forms(form: str, body: str, expected: list[tuple[str, str, int]]) -> None:
    body = md(body)
    found = find_questions(body)
    assert [(q.text, q.answer, q.line) for q in found] == expected
    assert [q.anchor for q in found] == [f"qa-{n}" for n in range(1, len(expected) + 1)]
    assert [q.answered for q in found] == [bool(answer) for _, answer, _ in expected]
    lines = body.split("\n")
    for q in found:
        assert q.text.split()[0] in lines[q.line - 1]  # the line is the question's own


def test_forms_are_named() -> None:
    body = "* Q. 리스트?\n  * 답\n\nQ: 문단?\nA: 답\n\n#### Q. 헤딩?\n답\n"
    assert [q.form for q in find_questions(body)] == ["list", "paragraph", "heading"]


FOLLOW_UPS = """
* Q. 트랜스포머 디코더의 마스킹은 학습과 추론에서 어떻게 다른가요?
  * 추가 질문: 추론할 때도 look-ahead mask가 필요한가요?
  * 그럼 KV 캐시는 언제 쓰는 건가요?
* Q. DistilBERT는 어떤 loss를 쓰나요?
  * KL divergence, MLM loss, cosine loss를 함께 쓴다.
  * Q. temperature는 몇으로 두나요?
    * 보통 2~4 사이로 둔다.
  * 꼬리 질문) student는 몇 층인가요?
#### Q. 헤딩 질문에도 꼬리 질문이 붙나요?
* 정말 붙나요?
"""


def test_follow_ups_are_attached_not_answers() -> None:
    unanswered, answered, heading = find_questions(md(FOLLOW_UPS))
    assert not unanswered.answered  # only follow-ups under it: listed as unanswered
    assert unanswered.followups == (
        FollowUp("추론할 때도 look-ahead mask가 필요한가요?", "", 2),
        FollowUp("그럼 KV 캐시는 언제 쓰는 건가요?", "", 3),
    )
    assert answered.answer == "* KL divergence, MLM loss, cosine loss를 함께 쓴다."
    assert answered.followups == (
        FollowUp("temperature는 몇으로 두나요?", "* 보통 2~4 사이로 둔다.", 6),
        FollowUp("student는 몇 층인가요?", "", 8),
    )
    assert [f.answered for f in answered.followups] == [True, False]
    assert heading.form == "heading" and not heading.answered
    assert [f.text for f in heading.followups] == ["정말 붙나요?"]


CODE = """
* Q. 이미지 데이터 증강은 NLP에도 적용할 수 있나요?
  * EDA나 back-translation을 쓴다.

```python
import albumentations as A
transform = A.Compose([
A.Resize(256, 256),
])
* Q. this is code
Q: this is code too
A: and this
# Q. 코드 속 주석
```

    Q. 들여쓴 코드 블록도 코드다
    A. 답이 아니다

Q: 코드로 답한 질문은?

```python
A: 코드 안의 A: 는 그대로
```
"""


def test_code_is_never_read_as_q_and_a() -> None:
    found = find_questions(md(CODE))
    assert [q.text for q in found] == ["이미지 데이터 증강은 NLP에도 적용할 수 있나요?", "코드로 답한 질문은?"]
    assert found[0].answer == "* EDA나 back-translation을 쓴다."
    assert found[1].answer == "```python\nA: 코드 안의 A: 는 그대로\n```"  # code in an answer stays verbatim
    anchored = [line for line in add_anchors(md(CODE)).splitlines() if 'id="qa-' in line]
    assert anchored == [
        '* <a id="qa-1"></a>Q. 이미지 데이터 증강은 NLP에도 적용할 수 있나요?',
        '<a id="qa-2"></a>Q: 코드로 답한 질문은?',
    ]


def test_a_resize_sibling_is_not_an_answer() -> None:
    [q] = find_questions("* Q. 전처리는 어떻게 하나요?\n* A.Resize(256, 256) 를 쓴다\n")
    assert not q.answered


def test_tokens_can_be_passed_in() -> None:
    body = md(FOLLOW_UPS)
    assert find_questions(body, tokens=parser().parse(body)) == find_questions(body)


def test_question_keeps_its_four_field_constructor() -> None:
    q = Question("질문", "답", 3, "qa-1")  # how generator/logs.py builds them
    assert q.followups == () and q.form == "list" and q.answered


# -- Anchors -------------------------------------------------------------------------------------

ANCHORED = """
* 피어 세션
  * Q. 중첩된 질문?
    * 답
* Q. 루즈 리스트?

  * 답

Q: 문단 질문?
A: 답

**Q. 볼드 질문?**
답

#### Q. 헤딩 질문?
: 정의로 답

Q. 정의 목록 질문?
: 답

> Q. 인용 질문?
> A. 답

```
* Q. 코드 속 질문
```
"""


def test_anchors_go_after_the_markers() -> None:
    anchored = add_anchors(md(ANCHORED))
    for expected in (
        '  * <a id="qa-1"></a>Q. 중첩된 질문?',
        '* <a id="qa-2"></a>Q. 루즈 리스트?',
        '<a id="qa-3"></a>Q: 문단 질문?',
        '<a id="qa-4"></a>**Q. 볼드 질문?**',
        '#### <a id="qa-5"></a>Q. 헤딩 질문?',
        '<a id="qa-6"></a>Q. 정의 목록 질문?',
        '> <a id="qa-7"></a>Q. 인용 질문?',
        "* Q. 코드 속 질문",
    ):
        assert expected + "\n" in anchored + "\n", expected
    assert add_anchors(anchored) == anchored  # running twice changes nothing
    assert len(anchored.split("\n")) == len(md(ANCHORED).split("\n"))


@pytest.fixture(scope="module")
def site_markdown() -> markdown.Markdown:
    """Python-Markdown with the site's own extensions (mkdocs.yml), generator.markdown_ext among them."""
    config = load_config(str(ROOT / "mkdocs.yml"))
    return markdown.Markdown(extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"])


def test_anchors_land_in_the_rendered_html(site_markdown: markdown.Markdown) -> None:
    html = BeautifulSoup(site_markdown.reset().convert(md(ANCHORED)), "html.parser")
    holders = {}
    for n in range(1, 8):
        anchor = html.find(id=f"qa-{n}")
        assert anchor is not None and anchor.name == "a", f"qa-{n}"
        holders[n] = anchor.parent.name
    assert holders == {1: "li", 2: "p", 3: "p", 4: "p", 5: "h4", 6: "dt", 7: "p"}
    assert html.find(id="qa-2").find_parent("li") is not None
    assert html.find(id="qa-7").find_parent("blockquote") is not None
    assert html.find(id="qa-8") is None
    # The heading keeps the id the table of contents gives it.
    plain = BeautifulSoup(site_markdown.reset().convert("#### Q. 헤딩 질문?\n"), "html.parser")
    assert html.find("h4")["id"] == plain.find("h4")["id"]
    assert html.find("h4").get_text(strip=True).rstrip("¶") == "Q. 헤딩 질문?"


# -- The fixture blog: real logs in every form ---------------------------------------------------

FIXTURE_FORMS = {
    "2021-09-06-Level2-Day25.md": ["list", "list"],
    "2021-09-07-Level2-Day26.md": ["list"],
    "2021-09-08-Level2-Day27.md": ["list", "list", "list"],
    "2021-09-09-Level2-Day28.md": ["list", "list", "list"],
    "2021-09-10-Level2-Day29.md": ["list", "list"],
    "2021-09-13-Level2-Day30.md": ["paragraph", "paragraph", "paragraph"],
    "2021-09-14-Level2-Day31.md": ["paragraph", "paragraph", "paragraph"],
    "2021-09-15-Level2-Day32.md": ["heading", "heading", "heading", "heading"],
    "2021-09-16-Level2-Day33.md": ["list", "list", "list"],
    "2021-09-17-Level2-Day34.md": ["list", "list", "paragraph"],
    "2021-09-23-Level2-Day35.md": [],
    "2021-09-24-KLUE-대회-회고.md": ["heading", "heading"],
    "2021-09-25-draft-note.md": [],
}


@pytest.mark.parametrize("name", sorted(FIXTURE_FORMS))
def test_fixture_logs(name: str) -> None:
    text = (POSTS / name).read_text(encoding="utf-8")
    body = text[_FRONT_MATTER.match(text).end() :]  # type: ignore[union-attr]
    found = find_questions(body)
    assert [q.form for q in found] == FIXTURE_FORMS[name]
    for q in found:
        assert "Q" in body.split("\n")[q.line - 1]
        assert "A.Resize" not in q.answer and "코드 속 주석" not in q.answer
    anchored = add_anchors(body)
    assert anchored.count('<a id="qa-') == len(found)
