"""The plugin's shortcuts for drawings and paper rows: lifted out of a page's Markdown, put back into its HTML."""

from __future__ import annotations

import markdown
import pytest

from generator.drawings import lift, lift_rows, new_nonce, put_back, put_back_rows, rows_html, rows_markdown

SVG = '<svg viewBox="0 0 10 10" role="img"><a><circle r="1"/><text>BERT &lt;x&gt;</text></a></svg>'
PAGE = f"""# Paper

## Connections

<div class="sl-graph" data-search-exclude>
<figure class="sl-graph__figure">
{SVG}
</figure>
<ul class="sl-graph__legend">
<li class="sl-key">Paper</li>
</ul>
</div>

Text with <svg>an inline one</svg> that is not a figure.
"""


def test_a_figure_goes_around_markdown_and_comes_back_the_same() -> None:
    nonce = new_nonce()
    lifted, drawings = lift(PAGE, nonce)
    assert SVG not in lifted and list(drawings.values()) == [SVG]
    assert "<svg>an inline one</svg>" in lifted  # only a figure's drawing is lifted
    assert put_back(lifted, drawings) == PAGE
    # Through Python-Markdown: the same HTML as the page converted with its drawing inside.
    assert put_back(markdown.markdown(lifted), drawings) == markdown.markdown(PAGE)


def test_tokens_differ_per_build_and_text_cannot_name_one() -> None:
    first, second = new_nonce(), new_nonce()
    assert first != second
    lifted, drawings = lift(PAGE + PAGE, first)
    assert len(drawings) == 2 and len(set(drawings)) == 2
    # A log (or a note) that writes a token of its own gets nothing: it cannot know the build's.
    forged = lifted.replace(first, second)
    assert put_back(forged, drawings) == forged
    # Each drawing goes in once, where its token is.
    assert put_back(lifted + next(iter(drawings)), drawings).count(SVG) == 2


def test_a_page_without_figures_is_left_alone() -> None:
    assert lift("# Topic\n\nNothing to draw.\n", new_nonce()) == ("# Topic\n\nNothing to draw.\n", {})


def _row(key: str, title: str, abstract: str | None = None) -> str:
    """A row as the templates' ``paper_row`` writes it."""
    details = f'\n??? abstract "초록"\n    {abstract}\n' if abstract else ""
    return (f'<div class="sl-paper" data-search-exclude data-key="{key}" data-status="read" data-search="{title} {key}" '
            f'markdown>\n**[{title}]({key}.md)**<br>\nAda · 2021 · <span class="sl-status">읽음</span> · '
            f'[arXiv](https://arxiv.org/abs/{key})\n{details}</div>')


_NMT = _row("1710.11041", "Unsupervised NMT", "Two lines\n    of abstract.")
LIST = f"""# 읽기 목록

논문 3편.

<section class="sl-topic" data-topic="qa" markdown>

## Question Answering

{_row("2002.08909", "REALM *retrieval*", "We `pre-train` with <retrieval> &amp; more.")}

{_row("1810.04805", "BERT")}

</section>

<section class="sl-topic" data-topic="mt" markdown>

## Translation

{_NMT}

</section>

## 다룬 로그

- [Day 28](../logs/day-28.md)
"""
TOPIC = f"""# Question Answering

## 논문

{_row("2002.08909", "REALM", "An abstract.")}

{_NMT}

## 다룬 로그

- [Day 28](../logs/day-28.md)
"""
EXTENSIONS = ["attr_list", "md_in_html", "pymdownx.details", "admonition", "toc"]


@pytest.mark.parametrize(("page", "count"), [(LIST, 3), (TOPIC, 2)], ids=["reading list", "topic"])
def test_paper_rows_converted_apart_make_the_pages_html(page: str, count: int) -> None:
    nonce = new_nonce()
    lifted, rows = lift_rows(page, nonce)
    assert len(rows) == count and '<div class="sl-paper"' not in lifted
    assert put_back(lifted, rows) == page  # the Markdown comes back whole, too
    converted = rows_html(markdown.markdown(rows_markdown(list(rows.values()), nonce), extensions=EXTENSIONS),
                          count, nonce)
    assert converted is not None and all('class="sl-paper"' in row for row in converted)
    html = put_back_rows(markdown.markdown(lifted, extensions=EXTENSIONS), dict(zip(rows, converted, strict=True)), nonce)
    assert html == markdown.markdown(page, extensions=EXTENSIONS)
    # Each row alone converts as it does among the others.
    for name, row in zip(rows, converted, strict=True):
        assert rows_html(markdown.markdown(rows_markdown([rows[name]], nonce), extensions=EXTENSIONS), 1, nonce) == [row]


def test_rows_that_do_not_come_apart_are_said_so_and_a_forged_token_is_left() -> None:
    nonce = new_nonce()
    assert rows_html("<p>one</p>", 2, nonce) is None
    lifted, rows = lift_rows(LIST, nonce)
    forged = f"<!-- studylog row {new_nonce()} 0 -->"  # a log's text cannot name this build's tokens
    html = put_back_rows(forged + "\n\n" + lifted, {name: "<p>row</p>" for name in rows}, nonce)
    assert html.startswith(forged) and html.count("<p>row</p>") == 3
    assert put_back_rows("<p>no rows</p>", {}, nonce) == "<p>no rows</p>"
