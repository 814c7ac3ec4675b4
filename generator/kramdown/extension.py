"""The Python-Markdown extension: logs read as kramdown reads them (``- generator.kramdown``)."""

from __future__ import annotations

import xml.etree.ElementTree as etree

from markdown import Extension, Markdown
from markdown.blockprocessors import BlockQuoteProcessor, ListIndentProcessor, OListProcessor, UListProcessor
from markdown.preprocessors import Preprocessor

from . import canonical_lines


class _KramdownBlocks(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        return canonical_lines(lines, self.md.htmlStash.store)


class _OrderedList(OListProcessor):
    # kramdown keeps a list of the other kind apart; Python-Markdown would add its items to this one.
    SIBLING_TAGS = ["ol"]


class _BulletList(UListProcessor):
    SIBLING_TAGS = ["ul"]


class _ListContent(ListIndentProcessor):
    """Indented content of an item, which also finds its way into a definition inside an item.

    (def_list's own processor knows definitions, but runs after this one, which stops at them.)
    """

    ITEM_TYPES = ["li", "dd"]
    LIST_TYPES = ["ul", "ol", "dl"]

    def create_item(self, parent: etree.Element, block: str) -> None:
        item = etree.SubElement(parent, "dd" if parent.tag == "dl" else "li")
        self.parser.parseBlocks(item, [block])


class _Quote(BlockQuoteProcessor):
    """A quote after a quote is one of its own, as in kramdown, where a blank line ends a quote.

    (The writer puts ``>`` on every line of a quote, blank ones too, so each quote comes
    here as one block; Python-Markdown would add the second to the first.)
    """

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        block = blocks.pop(0)
        m = self.RE.search(block)
        if m:
            self.parser.parseBlocks(parent, [block[: m.start()]])
            block = "\n".join(self.clean(line) for line in block[m.start() :].split("\n"))
        quote = etree.SubElement(parent, "blockquote")
        self.parser.state.set("blockquote")
        self.parser.parseChunk(quote, block)
        self.parser.state.reset()


class KramdownExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        # After the Q&A anchors (29), which number questions in the text as written; before fenced
        # code (superfences, 25) and raw HTML (20) are taken out of the text.
        md.preprocessors.register(_KramdownBlocks(md), "studylog_kramdown", 28)
        # The same names and priorities as Python-Markdown's own, which these replace.
        md.parser.blockprocessors.register(_ListContent(md.parser), "indent", 90)
        md.parser.blockprocessors.register(_OrderedList(md.parser), "olist", 40)
        md.parser.blockprocessors.register(_BulletList(md.parser), "ulist", 30)
        md.parser.blockprocessors.register(_Quote(md.parser), "quote", 20)
