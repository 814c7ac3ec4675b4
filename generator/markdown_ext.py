"""The site's Python-Markdown extension: Q&A anchors, excerpts, and links from logs to the papers' pages.

It runs inside Markdown itself, so it works wherever mkdocs.yml's
``markdown_extensions`` are honoured: MkDocs with or without the studylog plugin,
and Zensical, which reads mkdocs.yml but runs no MkDocs plugins. Register it as
``- generator.markdown_ext`` under ``markdown_extensions``. It does four things:

- gives each mentoring question in a page its ``qa-N`` anchor, for the Q&A page;
- puts the excerpt separator (``<!-- more -->``) into a page that has none, where
  :func:`generator.excerpt.excerpt_break` says, so that Material's blog lists a short
  excerpt of a log written without one (an HTML comment shows nowhere else);
- makes each ``arXiv:2104.08691`` mention and bare ``arxiv.org/abs/...`` URL a link
  (``pymdownx.magiclink`` does the same for other bare URLs);
- puts a badge after each link in a log to a paper or resource of the catalogue, with
  the paper's reading status, leading to its page on the site (see ``paper_links``).

Option ``config_file``: the project's ``mkdocs.yml``, where the catalogue is found. The
studylog plugin sets it; without the plugin (Zensical), ``mkdocs.yml`` in the current
folder.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass
from typing import Any

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

from .excerpt import with_separator
from .logs import arxiv_in_text
from .memo import Memo
from .paper_links import generated_page_marker, site_links
from .project import CONFIG_FILE
from .qa import add_anchors, may_ask

# One parse per text: Material's blog converts a post again for each listing page, and
# `mkdocs serve` converts every page again on each save (see ``memo``).
_ANCHORED: Memo[str] = Memo("qa anchors")

# Elements whose text is not prose: nothing in them becomes a link.
_NOT_PROSE = {"a", "code", "pre", "kbd", "script", "style", "textarea"}
_ARXIV_URL = re.compile(r"(?:https?://)?(?:www\.|export\.)?arxiv\.org/")


@dataclass
class _Page:
    """What the processors of one conversion share: the page's text as the tool handed it."""

    text: str = ""
    generated: bool = False


class _ReadPage(Preprocessor):
    """Keeps the page's text (to know whether it is a log) and takes off a generated page's first line."""

    def __init__(self, md: Markdown, page: _Page) -> None:
        super().__init__(md)
        self.page = page

    def run(self, lines: list[str]) -> list[str]:
        marker = generated_page_marker(lines)
        self.page.generated = marker is not None
        if marker is not None:
            lines = lines[:marker] + lines[marker + 1 :]
        self.page.text = "\n".join(lines)
        return lines


class _QuestionAnchors(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        if not may_ask(text):
            return lines  # nothing to parse, and nothing worth keeping: most pages at scale
        return _ANCHORED.get(text, lambda: add_anchors(text)).split("\n")


class _ExcerptSeparator(Preprocessor):
    """Places the separator in a log; a page Studylog generates is no blog post and needs none."""

    def __init__(self, md: Markdown, page: _Page) -> None:
        super().__init__(md)
        self.page = page

    def run(self, lines: list[str]) -> list[str]:
        if self.page.generated:
            return lines  # finding the break parses the page twice: a tenth of a build at scale
        return with_separator("\n".join(lines)).split("\n")


class _PaperLinks(Treeprocessor):
    """arXiv mentions become links; links to listed papers and resources get their badge."""

    def __init__(self, md: Markdown, page: _Page, config_file: str) -> None:
        super().__init__(md)
        self.page = page
        self.config_file = config_file

    def run(self, root: etree.Element) -> None:
        if self.page.generated:
            return
        if _may_mention_arxiv(self.page.text):
            _link_mentions(root)
        links = site_links(self.config_file)
        if links is None:
            return
        found = [(a, badge) for a in root.iter("a") if (badge := links.badge(a.get("href") or "")) is not None]
        if not found:
            return
        log = links.logs.find(self.page.text)
        if log is None:
            return  # not a log: a page of the user's own, or the blog's index
        parents = {child: parent for parent in root.iter() for child in parent}
        marked: set[str] = set()
        for a, badge in found:
            if badge.key in marked or a not in parents:
                continue
            marked.add(badge.key)
            mark = etree.Element("a", {"href": links.href(badge, log), "class": badge.classes, "title": badge.title,
                                       "data-search-exclude": ""})
            mark.text = AtomicString(badge.label)
            mark.tail, a.tail = a.tail, " "
            parent = parents[a]
            parent.insert(list(parent).index(a) + 1, mark)


def _may_mention_arxiv(text: str) -> bool:
    """Whether the page may name an arXiv paper outside a link: ``arXiv:``, or an arXiv URL not a link's ``](...)``/``<...>``."""
    lowered = text.lower()
    return "arxiv:" in lowered or any(
        text[max(0, m.start() - 2) : m.start()] != "](" and text[m.start() - 1 : m.start()] != "<"
        for m in _ARXIV_URL.finditer(lowered)
    )


def _link_mentions(element: etree.Element) -> None:
    """Each ``arXiv:`` mention and bare arXiv URL in the prose under ``element`` becomes a link."""
    if element.tag in _NOT_PROSE or "arithmatex" in (element.get("class") or ""):
        return
    if element.text and not isinstance(element.text, AtomicString):
        element.text, made = _split(element.text)
        for n, a in enumerate(made):
            element.insert(n, a)
    for child in list(element):
        _link_mentions(child)
        if child.tail and not isinstance(child.tail, AtomicString):
            child.tail, made = _split(child.tail)
            at = list(element).index(child) + 1
            for n, a in enumerate(made):
                element.insert(at + n, a)


def _split(text: str) -> tuple[str, list[etree.Element]]:
    """``text`` up to its first mention, and a link for each mention (the text after it as its tail)."""
    found = list(arxiv_in_text(text))
    if not found:
        return text, []
    made = []
    for n, mention in enumerate(found):
        a = etree.Element("a", {"href": mention.url})
        a.text = AtomicString(mention.text)
        a.tail = text[mention.end : found[n + 1].start if n + 1 < len(found) else len(text)]
        made.append(a)
    return text[: found[0].start], made


class StudylogExtension(Extension):
    def __init__(self, **kwargs: Any) -> None:
        self.config = {
            "config_file": [CONFIG_FILE, "The project's mkdocs.yml (the studylog plugin sets it). Default: mkdocs.yml."],
        }
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        page = _Page()
        # Before whitespace normalisation (30), to see the page as the tool read it from its file.
        md.preprocessors.register(_ReadPage(md, page), "studylog_page", 31)
        # After whitespace normalisation (30), before raw HTML blocks are stashed (20).
        md.preprocessors.register(_QuestionAnchors(md), "studylog_qa_anchors", 29)
        # After generator.kramdown (28) has written the log in the form Python-Markdown reads, so the
        # separator sits between blocks both read alike; before fenced code is stashed (25).
        md.preprocessors.register(_ExcerptSeparator(md, page), "studylog_excerpt", 27)
        # After the table of contents (5), so no badge joins a heading's entry there, and before
        # MkDocs resolves links between pages (0), so the badges' links are resolved too.
        md.treeprocessors.register(_PaperLinks(md, page, str(self.getConfig("config_file"))), "studylog_paper_links", 4)


def makeExtension(**kwargs: Any) -> StudylogExtension:
    return StudylogExtension(**kwargs)
