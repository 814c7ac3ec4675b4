"""A Python-Markdown extension for logs: each mentoring question's ``qa-N`` anchor, and excerpts.

It gives each mentoring question in a page its ``qa-N`` anchor, and puts the
excerpt separator (``<!-- more -->``) into a page that has none, where
:func:`generator.excerpt.excerpt_break` says, so that Material's blog lists a
short excerpt of a log written without one (an HTML comment shows nowhere else).
It runs inside Markdown itself, so it works wherever mkdocs.yml's
``markdown_extensions`` are honoured: MkDocs with or without the studylog plugin,
and Zensical, which reads mkdocs.yml but runs no MkDocs plugins. Register it as
``- generator.markdown_ext`` under ``markdown_extensions``.
"""

from __future__ import annotations

from typing import Any

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

from .excerpt import with_separator
from .qa import add_anchors


class _QuestionAnchors(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        return add_anchors("\n".join(lines)).split("\n")


class _ExcerptSeparator(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        return with_separator("\n".join(lines)).split("\n")


class QuestionAnchorsExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        # After whitespace normalisation (30), before raw HTML blocks are stashed (20).
        md.preprocessors.register(_QuestionAnchors(md), "studylog_qa_anchors", 29)
        # After generator.kramdown (28) has written the log in the form Python-Markdown reads, so the
        # separator sits between blocks both read alike; before fenced code is stashed (25).
        md.preprocessors.register(_ExcerptSeparator(md), "studylog_excerpt", 27)


def makeExtension(**kwargs: Any) -> QuestionAnchorsExtension:
    return QuestionAnchorsExtension(**kwargs)
