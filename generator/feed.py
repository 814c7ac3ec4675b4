"""The RSS 2.0 feed of the study logs: ``feed.xml``, newest log first.

Each item links to the log's page on the blog, at the URL Material's blog gives
it (``Layout.post_url``: ``logs/2021/09/09/day-28/`` with the shipped settings),
and carries a plain-text excerpt of the log, its categories and tags.

Dates: a log has a day, not a time, so its ``pubDate`` is that day at 00:00 in
Korea (``+0900``), the time zone the logs are written in. ``lastBuildDate`` is
the newest log's ``pubDate``, not the clock, so the same inputs always give the
same feed (and a rebuild without a new log does not look like news to readers).

Everything is written with ElementTree, which escapes text and attributes; the
excerpt is also HTML-escaped first, because readers take ``<description>`` as
HTML.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from email.utils import format_datetime
from urllib.parse import quote

from markdown_it.token import Token

from .layout import Layout
from .memo import Memo
from .model import Site, SiteInfo
from .qa import parser
from .text import strip_not_xml

KST = dt.timezone(dt.timedelta(hours=9), "KST")
ATOM = "http://www.w3.org/2005/Atom"
ET.register_namespace("atom", ATOM)

EXCERPT_CHARS = 300

_ADMONITION = re.compile(r"^[ \t]*(?:!!!|\?\?\?\+?)[ \t].*$", re.MULTILINE)
_TASK_BOX = re.compile(r"^\[[ xX]\][ \t]+")


def pub_date(day: dt.date) -> str:
    """RFC 822 date of a day at 00:00 KST: ``Thu, 09 Sep 2021 00:00:00 +0900``."""
    return format_datetime(dt.datetime(day.year, day.month, day.day, tzinfo=KST))


def plain_text(markdown: str) -> str:
    """The visible text of a log body as one line: no markup, code blocks, HTML or top heading.

    The ``# title`` heading repeats the log's title, and fenced code is not prose,
    so both are left out; task boxes (``[x]``) and admonition markers too.
    """
    tokens = parser().parse(_ADMONITION.sub("", markdown))
    return " ".join(" ".join(_visible(tokens)).split())


def excerpt(markdown: str, limit: int = EXCERPT_CHARS) -> str:
    """The first ``limit`` characters of the visible text, cut at a word and ended with "…"."""
    return _EXCERPTS.get((markdown, limit), lambda: _excerpt(markdown, limit))


_EXCERPTS: Memo[str] = Memo("feed excerpts")


def _excerpt(markdown: str, limit: int) -> str:
    text = plain_text(markdown)
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    if space > limit * 0.6:
        cut = cut[:space]
    return cut.rstrip(" ,.;:·-") + "…"


def is_site_url(url: str | None) -> bool:
    """Whether ``url`` is an absolute http(s) URL, as the feed's links need."""
    return bool(re.match(r"^https?://[^/?#\s]+", url or "", re.IGNORECASE))


def rss(site: Site, info: SiteInfo, layout: Layout, *, limit: int = 50) -> str:
    """The RSS 2.0 feed of the ``limit`` newest logs, as XML text.

    ``info.url`` is the absolute http(s) URL of the site's root (MkDocs' ``site_url``);
    every link in the feed is made from it.
    """
    site_url = info.url or ""
    if not is_site_url(site_url):
        raise ValueError(f"the feed needs an absolute http(s) site_url, not {site_url!r}")
    root = site_url if site_url.endswith("/") else site_url + "/"
    logs = sorted(site.logs, key=lambda log: (log.date, log.src), reverse=True)[: max(limit, 0)]

    rss = ET.Element("rss", version="2.0")
    channel = ET.SubElement(rss, "channel")
    _text(channel, "title", info.name)
    _text(channel, "link", root)
    _text(channel, "description", info.description or info.name)
    _text(channel, "language", info.language)
    if logs:
        _text(channel, "lastBuildDate", pub_date(logs[0].date))
    _text(channel, "generator", "Studylog")
    ET.SubElement(channel, f"{{{ATOM}}}link", href=root + layout.feed, rel="self", type="application/rss+xml")
    for log in logs:
        url = root + quote(layout.post_url(log))
        item = ET.SubElement(channel, "item")
        _text(item, "title", log.title)
        _text(item, "link", url)
        _text(item, "guid", url).set("isPermaLink", "true")
        _text(item, "pubDate", pub_date(log.date))
        for name in dict.fromkeys((*log.categories, *log.tags)):
            _text(item, "category", name)
        summary = excerpt(log.body)
        if summary:
            _text(item, "description", html.escape(summary, quote=False))
    ET.indent(rss, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(rss, encoding="unicode") + "\n"


def _text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, tag)
    element.text = strip_not_xml(text)
    return element


def _visible(tokens: list[Token]) -> Iterator[str]:
    skip_heading = False
    in_item = False
    for token in tokens:
        if token.type == "heading_open":
            skip_heading = token.tag == "h1"
        elif token.type == "heading_close":
            skip_heading = False
        elif token.type == "list_item_open":
            in_item = True
        elif token.type == "inline" and not skip_heading:
            text = "".join(_inline_text(token.children or []))
            if in_item:
                text = _TASK_BOX.sub("", text)
                in_item = False
            yield text
        # fence, code_block and html_block are not prose: left out.


def _inline_text(children: list[Token]) -> Iterator[str]:
    for child in children:
        if child.type in ("text", "code_inline"):
            yield child.content
        elif child.type in ("softbreak", "hardbreak"):
            yield " "
        # images, inline HTML and the markup of links and emphasis add no visible text.
