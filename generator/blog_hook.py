"""The MkDocs side of listing pages: Material's blog converts each post up to ``<!-- more -->`` only.

Material's blog shows a post on its listing pages (the blog's index, the archive,
the category) as an excerpt: it converts the post's whole Markdown again for each
of them and keeps the HTML before the separator. ``StudylogPlugin.on_page_content``
calls :func:`shorten_for_listings` once the post's own page is rendered: from then
on the post's Markdown is only read for excerpts, so it is cut to what an excerpt
needs (``memo.excerpt_source`` decides, and leaves a post whole when unsure). A post
without a separator gets it where the Markdown extension would put it
(``excerpt.with_separator``), so it is cut there too.
The excerpts, and so every page, are byte for byte what they were; a post of 60
lines with its separator after the day's schedule converts 3 times in a fraction.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .excerpt import SEPARATOR, with_separator
from .memo import excerpt_source

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.pages import Page


def shorten_for_listings(page: Page, config: MkDocsConfig) -> None:
    """Cut a blog post's Markdown to what its excerpts need, after the post's own page is rendered."""
    if getattr(page, "excerpt", None) is None or page.markdown is None:
        return  # not a post of Material's blog (the blog gives each post an excerpt)
    blogs = [plugin for name, plugin in config.plugins.items() if name.split(" #")[0] == "material/blog"]
    if len(blogs) != 1:
        return  # several blogs: which one's separator applies is theirs to know
    separator = getattr(blogs[0].config, "post_excerpt_separator", None)
    if not isinstance(separator, str) or not separator:
        return
    source = with_separator(page.markdown) if separator == SEPARATOR else page.markdown
    short = excerpt_source(source, separator)
    if short is not None:
        page.markdown = short
