"""The plugin's shortcut for drawings: lifted out of a page's Markdown, put back into its HTML."""

from __future__ import annotations

import markdown

from generator.drawings import lift, new_nonce, put_back

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
