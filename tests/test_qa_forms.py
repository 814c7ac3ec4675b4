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

from generator.layout import Layout
from generator.logs import read_log
from generator.model import Site
from generator.pages import render_pages
from generator.qa import (
    QA_SECTIONS,
    FollowUp,
    Question,
    add_anchors,
    ends_as_question,
    find_questions,
    inline_text,
    is_qa_section,
    parser,
)

from .sitebuild import ROOT, write_project

POSTS = Path(__file__).parent / "fixtures" / "jekyll" / "_posts"
LOGS = Path(__file__).parent / "fixtures" / "logs"
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
    (
        "in a blockquote, the answer inside the same quote",
        """
        > Q. 인용한 질문?
        > 같은 문단의 다음 줄이 답이다.

        > * Q. 인용한 리스트 질문?
        >   * 리스트의 답.

        > Q. 두 줄에 걸친
        > 긴 질문인가요?
        > 그 다음 줄이 답이다.
        """,
        [
            ("인용한 질문?", "같은 문단의 다음 줄이 답이다.", 1),
            ("인용한 리스트 질문?", "* 리스트의 답.", 4),
            ("두 줄에 걸친 긴 질문인가요?", "그 다음 줄이 답이다.", 7),
        ],
    ),
    (
        "an answer item that ends with ? stays an answer",
        """
        * Q. 데이터가 적으면 어떻게 하나요?
          * → 증강을 해 보면 어떨까?
          * 멘토님: 사전학습 모델을 쓰는 건 어떨까요?
          * 답변 : 둘 다 해 보지 않을까?
        """,
        [
            ("데이터가 적으면 어떻게 하나요?",
             "* → 증강을 해 보면 어떨까?\n* 사전학습 모델을 쓰는 건 어떨까요?\n* 둘 다 해 보지 않을까?", 1),
        ],
    ),
    (
        "the answer on the question's own line, in marked forms",
        """
        * Q. 시간 복잡도는? : $O(n^2)$
        * Q. 과제 2 : 어떤 loss를 쓰나요?
          * cross entropy.

        Q: GPU는 몇 개 쓰나요? 답변: 한 개.

        #### Q. 사전학습 모델을 써도 되나요? yes
        """,
        [
            ("시간 복잡도는?", "$O(n^2)$", 1),
            ("과제 2 : 어떤 loss를 쓰나요?", "* cross entropy.", 2),
            ("GPU는 몇 개 쓰나요?", "한 개.", 5),
            ("사전학습 모델을 써도 되나요?", "yes", 7),
        ],
    ),
    (
        "질문: labels count anywhere, when they ask",
        """
        * 질문: dropout은 언제 끄나요?
          * `model.eval()`을 호출하면 꺼진다.
        * **질문:** 학습률 스케줄러는 뭘 쓸까?
        * 질문: 이건 목록을 소개하는 문장이다
        """,
        [("dropout은 언제 끄나요?", "* `model.eval()`을 호출하면 꺼진다.", 1), ("학습률 스케줄러는 뭘 쓸까?", "", 3)],
    ),
    # -- Unmarked: bullets that ask, in a Q&A section --------------------------------------------
    (
        "unmarked: ? bullets under a peer-session heading; statements nested in them answer them",
        """
        ## 🌱 피어 세션 정리

        * 과제 코드 리뷰
        * attention mask는 왜 필요한가요?
          * padding 토큰을 무시하기 위해서다.
          * 그래서 softmax 전에 -inf를 더한다.
        * 다음 주 발표는 누가 할까요?
        * 코드 리뷰 일정 잡기
        """,
        [
            ("attention mask는 왜 필요한가요?", "* padding 토큰을 무시하기 위해서다.\n* 그래서 softmax 전에 -inf를 더한다.", 4),
            ("다음 주 발표는 누가 할까요?", "", 7),
        ],
    ),
    (
        "unmarked: Korean question endings, read at the sentence's end; false friends are not",
        """
        ## 질의응답

        * warmup은 꼭 필요한지 (어떤 것이 더 효율적인지)
        * BPE와 WordPiece 중 무엇을 쓸까
        * 배치 정규화는 언제 쓰나요?!
        * 이 방법도 괜찮을까요ㅠㅠ 😅
        * **왜 loss가 줄지 않는지**
        * 평가 지표는 무엇인가
        * 제출은 몇 번까지 할 수 있습니까
        * 시험은 몇 시까지
        * 실험 결과가 재현되는지 확인하기
        * 학습 일지
        * 학습 데이터 이미지
        * 그러니까
        * [왜 BERT는 양방향일까?](https://example.com/bert)
        * 오늘은 여기까지.
        """,
        [
            ("warmup은 꼭 필요한지 (어떤 것이 더 효율적인지)", "", 3),
            ("BPE와 WordPiece 중 무엇을 쓸까", "", 4),
            ("배치 정규화는 언제 쓰나요?!", "", 5),
            ("이 방법도 괜찮을까요ㅠㅠ 😅", "", 6),
            ("**왜 loss가 줄지 않는지**", "", 7),
            ("평가 지표는 무엇인가", "", 8),
            ("제출은 몇 번까지 할 수 있습니까", "", 9),
        ],
    ),
    (
        "unmarked: the answer on the question's own line, after ` : `, `답변 :`, an arrow, or yes / no",
        """
        ## 피어 세션

        * BERT에서 [SEP] 토큰이 꼭 필요한가? : 문장 쌍을 구분하려면 필요하다.
        * 배치 크기는 어떻게 정하나요? 답변 : GPU 메모리에 맞춘다.
        * tokenizer를 그대로 써도 되나요? yes
        * 마스킹 확률을 바꿔도 될까요? No.
        * 과제 2 : 어떤 모델을 쓸지 → 일단 BERT-base로 한다.
        * 레이어 수 : 12
        """,
        [
            ("BERT에서 [SEP] 토큰이 꼭 필요한가?", "문장 쌍을 구분하려면 필요하다.", 3),
            ("배치 크기는 어떻게 정하나요?", "GPU 메모리에 맞춘다.", 4),
            ("tokenizer를 그대로 써도 되나요?", "yes", 5),
            ("마스킹 확률을 바꿔도 될까요?", "No.", 6),
            ("과제 2 : 어떤 모델을 쓸지", "일단 BERT-base로 한다.", 7),
        ],
    ),
    (
        "unmarked: the answer as sibling items",
        """
        ## 질의응답

        1. 학습률은 얼마로 하나요?
        2. 답변: 1e-4로 시작한다.
        3. 에폭 수는?
        4. → 10 에폭
        5. 다음 회의 준비
        """,
        [("학습률은 얼마로 하나요?", "2. 1e-4로 시작한다.", 3), ("에폭 수는?", "4. → 10 에폭", 5)],
    ),
    (
        "unmarked: a Q&A heading at any level, up to the next heading of its level or higher",
        """
        ## 강의 정리

        #### Q&A

        * 이건 질문인가요?

        ##### 세부 내용

        * 하위 헤딩 아래도 질문인가요?

        #### 다른 주제

        * 여기는 질문이 아닌가요?

        ### 질문과 답변

        - 이건요?

        ## 다음

        - 이건 아니죠?
        """,
        [("이건 질문인가요?", "", 5), ("하위 헤딩 아래도 질문인가요?", "", 9), ("이건요?", "", 17)],
    ),
    (
        "unmarked: nested at any depth under a Q&A bullet",
        """
        ## 오늘 한 일

        * 강의 듣기
          * RNN은 왜 어려울까?
        * 피어세션
          * 과제 관련 논의
            * 첫 번째 질문인가요?
              * 첫 번째 답.
          * 그리고 이건요?
        * 다른 일
          * 이건 아닌가요?
        """,
        [("첫 번째 질문인가요?", "* 첫 번째 답.", 7), ("그리고 이건요?", "", 9)],
    ),
    (
        "unmarked: never a heading, a paragraph, a statement or a to-do",
        """
        ## 질문 Time

        #### 헤딩은 질문이 아닌가요?

        문단은 질문이 아닌가요?

        * 진술은 질문이 아니다.
        - [ ] 이 할 일은 질문인가요?
        - [x] 끝낸 일은 질문인가요?
        * 유일한 질문인가요?
        """,
        [("유일한 질문인가요?", "", 10)],
    ),
    (
        "outside a Q&A section (a lecture summary) only marked questions count",
        """
        ## 📚 강의 내용 정리

        ### 질문 생성(Question Generation) 모델

        * 어떤 질문이 좋은 질문일까?
        * Q. 표시한 질문은 찾나요?
          * 찾는다.
        """,
        [("표시한 질문은 찾나요?", "* 찾는다.", 6)],
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
    body = "* Q. 리스트?\n  * 답\n\nQ: 문단?\nA: 답\n\n#### Q. 헤딩?\n답\n\n### 피어 세션\n\n* 표시 없는 질문?\n"
    assert [q.form for q in find_questions(body)] == ["list", "paragraph", "heading", "unmarked"]


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


@pytest.mark.parametrize(
    ("line", "asks"),
    [
        ("Word2Vec에서 꼭 원핫벡터를 사용해야하나요?", True),
        ("어떤 차이가 있는지 (어떤 것이 더 효율적인지)", True),  # the seed's ending, in brackets
        ("무엇인가요? (과제 2번 관련)", True),  # a trailing remark
        ("이 방법도 괜찮을까요ㅠㅠ 😅", True),
        ("**왜 loss가 줄지 않는지**", True),
        ("Why not batch first?", True),
        ("어떤 모델을 쓸지", True),
        ("무엇을 써야 할까", True),
        ("제출은 몇 번까지 할 수 있습니까", True),
        ("평가 지표는 무엇인가", True),
        ("괜찮은지요", True),
        ("뭐가 다르냐", True),
        ("실험 결과가 재현되는지 확인하기", False),  # a to-do's wording
        ("내일까지", False),
        ("학습 일지", False),
        ("학습데이터 이미지", False),
        ("세 가지", False),
        ("전문가", False),
        ("그러니까", False),
        ("최신 가요", False),
        ("[왜 BERT는 양방향일까?](https://example.com/bert)", False),  # a shared link's title
        ("사실 그냥 사용자 마음이다.", False),
        ("", False),
    ],
)
def test_ends_as_question(line: str, asks: bool) -> None:
    assert ends_as_question(line) is asks


@pytest.mark.parametrize(
    ("name", "section"),
    [
        ("🌱 피어 세션 정리", True),
        ("질문 Time", True),
        ("🌼 멘토링", True),
        ("Q&A", True),
        ("멘토링 Q&A", True),
        ("스페셜 피어세션", True),
        ("과제 관련 논의:", True),
        ("질문과 답변", True),
        ("질의응답 (5시~6시)", True),
        ("**오피스 아워**", True),
        ("[x] 피어 세션", True),
        ("📝 오늘 일정 정리", False),
        ("💎 마스터 클래스", False),
        ("질의응답(Question Answering) 모델", False),  # a lecture about the task
        ("질문 생성 모델", False),
        ("내일 RNN 강의 듣고 질문 정리하기", False),
        ("멘토링 5시~6시", False),
    ],
)
def test_section_names(name: str, section: bool) -> None:
    assert is_qa_section(name) is section


def test_section_vocabulary_is_documented() -> None:
    """The README's Q&A table lists QA_SECTIONS, the one definition the finder uses."""
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    header = next(n for n, line in enumerate(lines) if line.lstrip().startswith("| Q&A section names"))
    names = lines[header + 2].split("|")[1]
    assert re.findall(r"`([^`]+)`", names) == list(QA_SECTIONS)


def test_quoted_problem_text_is_context_not_the_answer() -> None:
    body = md(
        """
        ## 피어 세션

        * 이 코드는 왜 에러가 날까요?
          > RuntimeError: expected scalar type Float
          * dtype이 달라서 생긴다.
        * 이 문제의 답은 무엇인가요?
          > 다음 코드의 출력은 무엇인가?

        #### Q. 과제 3번은 어떻게 푸나요?

        > 문제: 두 벡터의 내적을 구하라.

        `torch.dot`을 쓴다.

        Q: 인용한 답도 답인가요?

        > A. 답으로 시작하는 인용은 답이다.
        """
    )
    found = find_questions(body)
    assert [(q.answer, q.context) for q in found] == [
        ("* dtype이 달라서 생긴다.", "> RuntimeError: expected scalar type Float"),
        ("", "> 다음 코드의 출력은 무엇인가?"),
        ("`torch.dot`을 쓴다.", "> 문제: 두 벡터의 내적을 구하라."),
        ("> 답으로 시작하는 인용은 답이다.", ""),
    ]
    assert [q.answered for q in found] == [True, False, True, True]


def test_answer_items_after_a_follow_up_answer_it() -> None:
    [q] = find_questions(
        md(
            """
            * Q. fp16으로 학습해도 되나요?
              * 대부분 괜찮지만 loss scaling이 필요하다.
              * 그럼 bf16은 어떤가요?
              * → 속도는 비슷한데 더 안정적이다.
              * 추가 질문: int8은?
            """
        )
    )
    assert q.answer == "* 대부분 괜찮지만 loss scaling이 필요하다."
    assert q.followups == (
        FollowUp("그럼 bf16은 어떤가요?", "* → 속도는 비슷한데 더 안정적이다.", 3),
        FollowUp("int8은?", "", 5),
    )


UNMARKED_LOG = [  # (form, question, answer, line in the file) of tests/fixtures/logs/qa-unmarked.md
    ("list", "retriever는 어떻게 학습하나요?", "* in-batch negative로 학습한다.", 24),
    ("unmarked", "attention mask는 왜 필요한지", "* padding 토큰을 무시하기 위해서다.", 31),
    ("unmarked", "BERT에서 [SEP] 토큰이 꼭 필요한가?", "문장 쌍을 구분하려면 필요하다.", 33),
    ("unmarked", "배치 크기는 어떻게 정하나요?", "GPU 메모리에 맞춘다.", 34),
    ("unmarked", "pretrained tokenizer를 그대로 써도 되나요?", "yes", 35),
    ("unmarked", "마스킹 확률을 바꿔 봐도 될까요?", "no", 36),
    ("unmarked", "다음 주 발표는 누가 할까요?", "", 37),
    ("list", "dropout은 언제 끄나요?", "* `model.eval()`을 호출하면 꺼진다.", 40),
    ("unmarked", "러닝 레이트 스케줄러는 뭘 쓸지", "* cosine annealing을 쓰기로 했다.", 42),
    ("unmarked", "fp16으로 학습해도 되나요?", "- 대부분 괜찮지만 loss scaling이 필요하다.", 48),
    ("list", "Knowledge distillation에서 temperature는 어떻게 정하나요?", "* 보통 2~4 사이에서 실험적으로 정한다.", 57),
    ("unmarked", "Gradient accumulation은 언제 쓰나요?", "* 메모리가 부족해서 큰 배치를 못 쓸 때 쓴다.", 59),
    ("unmarked", "이 코드는 왜 에러가 날까요?", "* 입력과 모델의 dtype이 달라서 생긴다.", 61),
    ("paragraph", "인용 안의 질문도 찾나요?", "인용 안의 답변도 함께 찾는다.", 66),
]


def test_a_log_with_questions_without_q() -> None:
    """A whole log: every form found with its answer, and nothing else (headings, paragraphs,
    statements, to-dos, lecture notes, shared links, questions outside Q&A sections)."""
    log = read_log(LOGS / "qa-unmarked.md", LOGS)
    assert [(q.form, q.text, q.answer, q.line) for q in log.questions] == UNMARKED_LOG
    by_line = {q.line: q for q in log.questions}
    assert by_line[48].followups == (FollowUp("그럼 bf16은 어떤가요?", "- → 속도는 비슷한데 더 안정적이지 않을까?", 50),)
    assert by_line[61].context == "> RuntimeError: expected scalar type Float but found Half"
    lines = (LOGS / "qa-unmarked.md").read_text(encoding="utf-8").split("\n")
    anchored = add_anchors(log.body).split("\n")
    assert add_anchors("\n".join(anchored)) == "\n".join(anchored)  # running twice changes nothing
    for n, q in enumerate(log.questions, start=1):
        assert q.anchor == f"qa-{n}"
        assert f'<a id="qa-{n}"></a>' in anchored[q.line - log.body_line]
        assert q.text.split()[0] in lines[q.line - 1]


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

## 피어 세션

* 과제 관련 논의
  * 표시 없는 질문인가요?
    * 답
* 한 줄에 답한 질문인가요? : 답

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
        '  * <a id="qa-8"></a>표시 없는 질문인가요?',
        '* <a id="qa-9"></a>한 줄에 답한 질문인가요? : 답',
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
    for n in range(1, 10):
        anchor = html.find(id=f"qa-{n}")
        assert anchor is not None and anchor.name == "a", f"qa-{n}"
        holders[n] = anchor.parent.name
    assert holders == {1: "li", 2: "p", 3: "p", 4: "p", 5: "h4", 6: "dt", 7: "p", 8: "li", 9: "li"}
    assert html.find(id="qa-2").find_parent("li") is not None
    assert html.find(id="qa-7").find_parent("blockquote") is not None
    assert html.find(id="qa-8").parent.get_text(" ", strip=True).startswith("표시 없는 질문인가요?")
    assert html.find(id="qa-9").parent.get_text(" ", strip=True) == "한 줄에 답한 질문인가요? : 답"
    assert html.find(id="qa-10") is None
    # The heading keeps the id the table of contents gives it.
    plain = BeautifulSoup(site_markdown.reset().convert("#### Q. 헤딩 질문?\n"), "html.parser")
    assert html.find("h4")["id"] == plain.find("h4")["id"]
    assert html.find("h4").get_text(strip=True).rstrip("¶") == "Q. 헤딩 질문?"


# -- The fixture blog: real logs in every form ---------------------------------------------------

FIXTURE_FORMS = {
    "2021-09-06-Level2-Day25.md": ["list", "list"],
    "2021-09-07-Level2-Day26.md": ["list", "unmarked"],
    "2021-09-08-Level2-Day27.md": ["list", "list", "list"],
    "2021-09-09-Level2-Day28.md": ["list", "list", "list"],
    "2021-09-10-Level2-Day29.md": ["list", "list", "unmarked", "unmarked"],
    "2021-09-13-Level2-Day30.md": ["paragraph", "paragraph", "paragraph"],
    "2021-09-14-Level2-Day31.md": ["paragraph", "paragraph", "paragraph"],
    "2021-09-15-Level2-Day32.md": ["heading", "heading", "heading", "heading"],
    "2021-09-16-Level2-Day33.md": ["list", "list", "list"],
    "2021-09-17-Level2-Day34.md": ["list", "list", "paragraph"],
    "2021-09-23-Level2-Day35.md": ["unmarked", "unmarked"],
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
        assert ("Q" in body.split("\n")[q.line - 1]) is (q.form != "unmarked")
        assert "A.Resize" not in q.answer and "코드 속 주석" not in q.answer
    anchored = add_anchors(body)
    assert anchored.count('<a id="qa-') == len(found)


# -- Code in answers stays code, and nothing in a question changes the Q&A page (issue 11) -------

XSS = "<script>window.__xss={n}</script>"
# One log per form, each with code in a question's answer (or its context, or a follow-up's answer)
# whose text would run as a script if it ever came out of its code block.
CODE_FORMS = {
    "heading, indented code": "#### Q. What does this print?\n\n    {xss}\n",
    "paragraph Q:, indented code": "Q: What does this print?\n\n    {xss}\n",
    "list Q., indented code nested in the item": "* Q. What does this print?\n\n      {xss}\n",
    "list Q., a fence nested in the item": "* Q. What does this print?\n  ```html\n  {xss}\n  ```\n",
    "list Q., code in a nested item": "* Q. What does this print?\n  * this:\n\n        {xss}\n",
    "quoted Q., code in the same quote": "> Q. What does this print?\n>\n>     {xss}\n",
    "unmarked, a fence": "## 질의응답\n\n* 이건 무엇을 출력하나요?\n  ```\n  {xss}\n  ```\n",
    "a follow-up's answer": "* Q. 질문이 있나요?\n  * 그럼 이건 무엇을 출력하나요?\n\n        {xss}\n",
    "quoted context": "## 피어 세션\n\n* 이 코드는 왜 에러가 날까요?\n  >     {xss}\n  * dtype이 달라서 생긴다.\n",
    "a fence never closed": "#### Q. What does this print?\n\n```\n{xss}\n",
}


def code_logs() -> dict[str, str]:
    """The CODE_FORMS as log files, form n holding ``window.__xss=n``."""
    return {
        f"2021-10-{n:02d}-code-{n}.md": f"---\ntitle: Code {n}\ndate: 2021-10-{n:02d}\nslug: code-{n}\n"
        f"categories: [Test]\ntags: []\n---\n\n{body.format(xss=XSS.format(n=n))}"
        for n, body in enumerate(CODE_FORMS.values(), start=1)
    }


def qa_page_html(site: Site, markdown_: markdown.Markdown) -> BeautifulSoup:
    """The Q&A page's Markdown, as the plugin makes it, rendered with the site's Markdown."""
    page = next(p for p in render_pages(site) if p.path == Layout().qa)
    body = _FRONT_MATTER.sub("", page.content, count=1)
    return BeautifulSoup(markdown_.reset().convert(body), "html.parser")


@pytest.fixture(scope="module")
def code_qa_page(tmp_path_factory: pytest.TempPathFactory, site_markdown: markdown.Markdown) -> BeautifulSoup:
    site = write_project(tmp_path_factory.mktemp("code"), "topics: []\npapers: []\n", code_logs())
    return qa_page_html(site, site_markdown)


@pytest.mark.parametrize(("n", "form"), list(enumerate(CODE_FORMS, start=1)), ids=list(CODE_FORMS))
def test_code_in_an_answer_stays_code_on_the_qa_page(n: int, form: str, code_qa_page: BeautifulSoup) -> None:
    assert code_qa_page.find("script") is None
    code = [c for c in code_qa_page.find_all("code") if c.get_text().strip() == XSS.format(n=n)]
    assert len(code) == 1, form


def test_every_code_form_is_a_question_with_its_code_in_the_answer() -> None:
    """The forms above are what they say: the code is in the answer, context or a follow-up."""
    for n, body in enumerate(CODE_FORMS.values(), start=1):
        [q] = find_questions(body.format(xss=XSS.format(n=n)))
        parts = [q.answer, q.context, *(f.answer for f in q.followups)]
        assert sum(f"window.__xss={n}" in part for part in parts) == 1
        holder = next(part for part in parts if "window.__xss" in part)
        assert re.search(r"^[ >]*```", holder, re.M), holder  # written out as a fence


HOSTILE_QUESTIONS = """---
title: Hostile questions
date: 2021-10-20
slug: hostile-questions
categories: [Test]
tags: []
---

* Q. a <div> in the question?
* Q. an attribute list? { .evil onclick="window.__xss=1" }
* Q. Why C#
* Q. `<b>code</b>` and $x_{i}$ stay? <!-- a comment left open
  * yes, and *emphasis* too
* Q. a follow-up below?
  * follow-up with <span>html</span> { onclick=x }?
* Q. a heading in the answer?
  ## 정리
  내용

#### Q. an unclosed div in the answer?

<div>
unclosed

#### Q. the question after it?

its answer
"""


@pytest.mark.parametrize(
    ("text", "inert"),
    [
        ("왜 $\\sqrt{d_k}$로 나누나요?", "왜 $\\sqrt{d_k}$로 나누나요?"),  # math is kept
        ("`x.view()`와 **reshape**의 차이는?", "`x.view()`와 **reshape**의 차이는?"),  # so is inline Markdown
        ("a <div> b", "a &lt;div> b"),
        ("`<b>` <b>", "`<b>` &lt;b>"),  # code spans are code already
        ("x { .evil onclick=alert(1) }", "x &#123; .evil onclick=alert(1) &#125;"),
        ("Why C#", "Why C&#35;"),
        ("<https://example.org> 참고", "<https://example.org> 참고"),
        ("$0 < f_t < 1$인가요?", "$0 \\lt f_t \\lt 1$인가요?"),  # inert even if it were not math
        ("$*x*{: onclick=alert(1)}$", "$*x* {: onclick=alert(1)}$"),
    ],
)
def test_inline_text(text: str, inert: str) -> None:
    assert inline_text(text) == inert


def test_nothing_in_a_question_changes_the_qa_page(tmp_path: Path, site_markdown: markdown.Markdown) -> None:
    site = write_project(tmp_path, "topics: []\npapers: []\n", {"2021-10-20-hostile.md": HOSTILE_QUESTIONS})
    html = qa_page_html(site, site_markdown)
    titles = [h3.get_text().rstrip("¶") for h3 in html.find_all("h3")]
    assert titles == [
        "Q. a <div> in the question?",
        'Q. an attribute list? { .evil onclick="window.__xss=1" }',
        "Q. Why C#",
        "Q. <b>code</b> and \\(x_{i}\\) stay? <!-- a comment left open",
        "Q. a follow-up below?",
        "Q. a heading in the answer?",
        "Q. an unclosed div in the answer?",
        "Q. the question after it?",
    ]
    assert all(h3.find(["div", "b", "script"]) is None for h3 in html.find_all("h3"))
    assert [span["class"] for span in html.select("h3 span")] == [["arithmatex"]]
    assert html.select("h3 code")[0].get_text() == "<b>code</b>" and html.select_one("h3 .arithmatex") is not None
    assert not [el for el in html.find_all(True) if any(a.startswith("on") for a in el.attrs)]
    assert html.select(".evil") == []
    followups = html.select_one(".sl-qa-followups").find_next("ul")
    assert followups.find("span") is None and "<span>html</span> { onclick=x }?" in followups.get_text()
    # The unclosed <div> shows as text, and the next question and its answer stay on the page.
    # The answer's "## 정리" stays under its question, not a group of its own.
    assert [h2.get_text().rstrip("¶") for h2 in html.find_all("h2")] == ["Oct 20, 2021 · Hostile questions"]
    assert [h4.get_text().rstrip("¶") for h4 in html.find_all("h4")] == ["정리"]
    answers = [h3.find_next_siblings("p", limit=2)[1].get_text() for h3 in html.find_all("h3")[-2:]]
    assert answers == ["<div>\nunclosed", "its answer"]
    assert html.find("div", class_=False) is None
