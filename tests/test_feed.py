"""The RSS feed of the study logs: valid RSS 2.0, newest first, absolute links, escaped text."""

from __future__ import annotations

import datetime as dt
import html
import json
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable

import feedparser
import pytest

from generator.feed import excerpt, plain_text, pub_date, rss
from generator.layout import Layout
from generator.model import Site, SiteInfo

from .sitebuild import BuiltSite

SITE_URL = "https://example.org/studylog/"
ATOM = "{http://www.w3.org/2005/Atom}"
HOSTILE = """<script>alert(1)</script> & ]]> "quoted" 'single'"""
HOSTILE_YAML = json.dumps(HOSTILE)  # JSON strings are YAML scalars

CATALOGUE = """\
topics:
  - id: nlp
    title: NLP
papers:
  - id: sample
    title: A Sample Paper
    year: 2020
    topics: [nlp]
"""

LOGS = {
    "2021-09-01-first.md": """\
---
title: First day
date: 2021-09-01
slug: first-day
categories: [Boostcamp]
tags: [NLP, "C++ & <T>"]
---

# First day

Some **bold** text, a [link to REALM](https://arxiv.org/abs/2002.08909) and `inline code`.

```python
print("inside a fence")
```

- [x] a task that is done
- [ ] a task that is not

<div class="note">raw html block</div>
""",
    "2021-09-05-long.md": """\
---
title: "긴 하루"
date: 2021-09-05
slug: long-day
categories: [Boostcamp]
tags: []
---

"""
    + " ".join(f"단어{i}" for i in range(200))
    + "\n",
    "2021-09-10-hostile.md": f"""\
---
title: {HOSTILE_YAML}
date: 2021-09-10
slug: hostile
categories: [{HOSTILE_YAML}]
tags: [NLP]
---

Text with <b>inline html</b>, an entity &amp; a CDATA end ]]> and a control\x07 character.
""",
}


@pytest.fixture
def site(make_project: Callable[..., Site]) -> Site:
    return make_project(CATALOGUE, LOGS)


def feed_of(site: Site, **kwargs: object) -> str:
    info = SiteInfo(SITE_URL, "Studylog", "A study log", language="ko")
    return rss(site, info, Layout(), **kwargs)  # type: ignore[arg-type]


def test_feed_is_well_formed_rss_2(site: Site) -> None:
    root = ET.fromstring(feed_of(site).encode("utf-8"))
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    assert channel is not None
    assert channel.findtext("title") == "Studylog"
    assert channel.findtext("link") == SITE_URL
    assert channel.findtext("description") == "A study log"
    assert channel.findtext("language") == "ko"
    assert channel.findtext("lastBuildDate") == "Fri, 10 Sep 2021 00:00:00 +0900"  # the newest log, not the clock
    self_link = channel.find(f"{ATOM}link")
    assert self_link is not None
    assert self_link.attrib == {"href": SITE_URL + "feed.xml", "rel": "self", "type": "application/rss+xml"}
    for item in channel.findall("item"):
        assert item.findtext("link") == item.findtext("guid")
        assert item.find("guid").get("isPermaLink") == "true"  # type: ignore[union-attr]


def test_feedparser_reads_items_newest_first(site: Site) -> None:
    parsed = feedparser.parse(feed_of(site))
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "rss20"
    assert parsed.feed.language == "ko"
    assert [e.link for e in parsed.entries] == [
        SITE_URL + "logs/2021/09/10/hostile/",
        SITE_URL + "logs/2021/09/05/long-day/",
        SITE_URL + "logs/2021/09/01/first-day/",
    ]
    assert [e.id for e in parsed.entries] == [e.link for e in parsed.entries]
    # 00:00 in Korea is 15:00 UTC the day before.
    assert parsed.entries[0].published_parsed == time.struct_time((2021, 9, 9, 15, 0, 0, 3, 252, 0))
    first = parsed.entries[2]
    assert first.title == "First day"
    assert [t.term for t in first.tags] == ["Boostcamp", "NLP", "C++ & <T>"]


def test_hostile_title_and_text_are_escaped(site: Site) -> None:
    xml = feed_of(site)
    assert "<script>" not in xml and "<b>" not in xml and "\x07" not in xml
    item = ET.fromstring(xml.encode("utf-8")).find("channel/item")
    assert item is not None
    assert item.findtext("title") == HOSTILE
    assert [c.text for c in item.findall("category")] == [HOSTILE, "NLP"]
    entry = feedparser.parse(xml).entries[0]
    assert entry.title == HOSTILE  # a plain-text title, read back exactly
    # The description is HTML: the excerpt's "<" arrives as text, never as a tag.
    assert entry.summary_detail.type == "text/html"
    assert html.unescape(entry.summary) == "Text with inline html, an entity & a CDATA end ]]> and a control character."


def test_description_is_a_plain_text_excerpt(site: Site) -> None:
    items = {e.link.rsplit("/", 2)[-2]: e for e in feedparser.parse(feed_of(site)).entries}
    first = html.unescape(items["first-day"].summary)
    assert first == "Some bold text, a link to REALM and inline code. a task that is done a task that is not"
    long = html.unescape(items["long-day"].summary)
    assert long.startswith("단어0 단어1") and long.endswith("…")
    assert len(long) <= 301 and "  " not in long


def test_limit_keeps_the_newest(site: Site) -> None:
    parsed = feedparser.parse(feed_of(site, limit=2))
    assert [e.link.rsplit("/", 2)[-2] for e in parsed.entries] == ["hostile", "long-day"]


def test_site_url_is_required_and_normalised(site: Site) -> None:
    xml = rss(site, SiteInfo("https://example.org/sub", "S"), Layout())
    links = [e.text for e in ET.fromstring(xml.encode()).iter("link")]
    assert links[0] == "https://example.org/sub/"
    assert links[1] == "https://example.org/sub/logs/2021/09/10/hostile/"
    for bad in ("", "/studylog/", "example.org", "javascript:alert(1)"):
        with pytest.raises(ValueError, match="site_url"):
            rss(site, SiteInfo(bad, "S"), Layout())


def test_feed_without_logs(make_project: Callable[..., Site]) -> None:
    site = make_project(CATALOGUE, {})
    xml = feed_of(site)
    parsed = feedparser.parse(xml)
    assert not parsed.bozo and parsed.entries == []
    assert ET.fromstring(xml.encode()).find("channel/lastBuildDate") is None


def test_dates_paths_and_plain_text() -> None:
    assert pub_date(dt.date(2021, 9, 9)) == "Thu, 09 Sep 2021 00:00:00 +0900"
    body = "# Title\n\n## Sub\n\nA *b* `c` [d](https://e) ![img](x.png)\n\n    indented code\n"
    assert plain_text(body) == "Sub A b c d"
    assert plain_text('!!! note "Heads up"\n    inside an admonition\n\nafter') == "after"
    assert excerpt("word " * 100, limit=20) == "word word word word…"
    assert excerpt("short") == "short"


def test_log_path_is_the_blog_url(site: Site) -> None:
    assert [Layout().post_url(log) for log in site.logs] == [
        "logs/2021/09/01/first-day/", "logs/2021/09/05/long-day/", "logs/2021/09/10/hostile/",
    ]


def test_built_feed_links_to_built_log_pages(shipped_site: BuiltSite) -> None:
    site_url = shipped_site.site_url
    assert site_url == "http://127.0.0.1:8000/"  # mkdocs.yml's, with STUDYLOG_SITE_URL unset
    xml = (shipped_site.site / "feed.xml").read_text(encoding="utf-8")
    parsed = feedparser.parse(xml)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.feed.link == site_url
    assert len(parsed.entries) == len(list((shipped_site.project / "docs" / "logs" / "posts").glob("*.md"))) == 1
    for entry in parsed.entries:
        assert entry.link.startswith(site_url)
        page = shipped_site.site / entry.link.removeprefix(site_url) / "index.html"
        assert page.is_file(), f"{entry.link} is not a page of the built site"
