"""A Python-Markdown extension that gives each mentoring question in a page its ``qa-N`` anchor.

It runs inside Markdown itself, so it works wherever mkdocs.yml's
``markdown_extensions`` are honoured: MkDocs with or without the studylog plugin,
and Zensical, which reads mkdocs.yml but runs no MkDocs plugins. Register it as
``- generator.markdown_ext`` under ``markdown_extensions``.
"""

from __future__ import annotations

from typing import Any

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

from .memo import Memo
from .qa import add_anchors, may_ask

# One parse per text: Material's blog converts a post again for each listing page, and
# `mkdocs serve` converts every page again on each save (see ``memo``).
_ANCHORED: Memo[str] = Memo("qa anchors")


class _QuestionAnchors(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        if not may_ask(text):
            return lines  # nothing to parse, and nothing worth keeping: most pages at scale
        return _ANCHORED.get(text, lambda: add_anchors(text)).split("\n")


class QuestionAnchorsExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        # After whitespace normalisation (30), before raw HTML blocks are stashed (20).
        md.preprocessors.register(_QuestionAnchors(md), "studylog_qa_anchors", 29)


def makeExtension(**kwargs: Any) -> QuestionAnchorsExtension:
    return QuestionAnchorsExtension(**kwargs)
