"""A study blog of realistic length: N Korean Boostcamp-style posts, as `import-jekyll` leaves them.

    python benchmarks/blog.py DEST [--posts 60] [--more]

Used by ``benchmarks/build.py`` for the "imported 60-post blog" case. Each post is the
sentences of ``search_recall.make_logs`` (lecture notes, peer session, mentoring Q&A,
retrospective) plus what real study logs hold and the synthetic benchmark logs lack: a
code block, display and inline math, a table, a nested to-do list and links to the
papers of the shipped catalogue (about 3.5 KB a post; the user's Day 28 log is 4.7 KB). Deterministic:
the same seed writes the same bytes. ``--more`` puts Material's excerpt marker
(``<!-- more -->``) after each post's first section, as imported logs now get it.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from search_recall import make_logs  # noqa: E402

PAPERS = ["2002.08909", "1710.11041", "1905.05621", "2011.01536", "1904.09675", "2104.04473", "1912.13283",
          "1810.04805", "2005.14165", "2104.08691", "2103.10385", "2107.03374", "2102.12092", "2103.00020"]

CODE = '''```python
import torch
import torch.nn as nn


class {name}(nn.Module):
    def __init__(self, vocab_size: int, hidden: int = {hidden}):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, hidden)
        self.rnn = nn.{cell}(hidden, hidden, batch_first=True)
        self.out = nn.Linear(hidden, vocab_size)

    def forward(self, x, lengths):
        packed = nn.utils.rnn.pack_padded_sequence(self.embedding(x), lengths, batch_first=True)
        output, _ = self.rnn(packed)
        output, _ = nn.utils.rnn.pad_packed_sequence(output, batch_first=True)
        return self.out(output)  # (batch, seq, vocab)
```'''

MATH = r'''$$
\text{{Attention}}(Q, K, V) = \text{{softmax}}\left(\frac{{QK^\top}}{{\sqrt{{d_k}}}}\right)V
$$

여기서 $d_k = {dk}$ 이고, $\sqrt{{d_k}}$ 로 나누는 이유는 내적 값의 분산을 1로 맞추기 위해서다.'''

TABLE = '''| 실험 | learning rate | batch | 정확도 |
|---|---|---|---|
| baseline | 1e-3 | 32 | {a:.1f}% |
| + 스케줄러 | 1e-3 | 32 | {b:.1f}% |
| + 데이터 증강 | 5e-4 | 64 | {c:.1f}% |'''


def extra(rnd: random.Random, n: int) -> str:
    """The parts real logs have beyond sentences: code, math, a table, paper links, a to-do list."""
    papers = rnd.sample(PAPERS, 3)
    acc = sorted(rnd.uniform(70, 95) for _ in range(3))
    parts = [
        "## 🧑‍💻 실습 코드", "",
        CODE.format(name=f"Model{n}", hidden=rnd.choice([128, 256, 512]), cell=rnd.choice(["LSTM", "GRU"])), "",
        "## 🧮 수식 정리", "",
        MATH.format(dk=rnd.choice([64, 128])), "",
        "## 📊 실험 결과", "",
        TABLE.format(a=acc[0], b=acc[1], c=acc[2]), "",
        "## 📄 읽은 논문", "",
        *[f"* [arXiv {p}](https://arxiv.org/abs/{p})\n  * 핵심 아이디어를 정리하고 실험 세팅을 확인했다." for p in papers], "",
        "## ✅ 내일 할 일", "",
        "* 과제",
        "  - [ ] 모델 구조 다시 점검하기",
        "  - [ ] 하이퍼파라미터 실험 로그 정리",
        "* 복습",
        "  - [x] 강의 노트 다시 읽기",
        "",
    ]
    return "\n".join(parts)


def make_blog(posts: Path, count: int = 60, *, more: bool = False, seed: int = 20210803) -> list[Path]:
    """Write ``count`` posts into ``posts``; return their paths."""
    posts.mkdir(parents=True, exist_ok=True)
    scratch = posts.parent / ".blog-scratch"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir()
    try:
        make_logs(scratch, count, seed)
        rnd = random.Random(seed)
        written = []
        for n, source in enumerate(sorted(scratch.glob("*.md"))):
            text = source.read_text(encoding="utf-8")
            if more:  # after the day's schedule: the excerpt is the title and the to-do list
                head, sep, tail = text.partition("\n## ")
                head2, sep2, tail2 = tail.partition("\n## ")
                text = head + sep + head2 + "\n<!-- more -->\n" + sep2 + tail2
            text = text.rstrip("\n") + "\n\n" + extra(rnd, n)
            target = posts / source.name
            target.write_text(text, encoding="utf-8")
            written.append(target)
        return written
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def make_project(dest: Path, posts: int = 60, *, more: bool = False) -> Path:
    """The shipped project (catalogue, lock, docs) with its log replaced by ``posts`` generated posts."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("mkdocs.yml", "papers.yaml", "papers.lock.json"):
        shutil.copy(ROOT / name, dest / name)
    shutil.copytree(ROOT / "docs", dest / "docs", ignore=shutil.ignore_patterns("_generated"), dirs_exist_ok=True)
    folder = dest / "docs" / "logs" / "posts"
    for old in folder.glob("*.md"):
        old.unlink()
    make_blog(folder, posts, more=more)
    return dest


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("dest", type=Path)
    parser.add_argument("--posts", type=int, default=60)
    parser.add_argument("--more", action="store_true", help="put <!-- more --> after each post's first section")
    args = parser.parse_args()
    make_project(args.dest, args.posts, more=args.more)


if __name__ == "__main__":
    main()
