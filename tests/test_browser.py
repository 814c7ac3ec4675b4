"""The site in a real browser: Debian's chromium driven by playwright, served from 127.0.0.1."""

from __future__ import annotations

import math
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from generator.lock import save_lock

from .browser import SearchTabs, Watch, open_all, require_chromium, serve
from .sitebuild import HOSTILE_PAPER, MATH_LOG, ROOT, add_log, arxiv_record, build_site, copy_project, write_project
from .test_qa_forms import CODE_FORMS, XSS, code_logs

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")

# The enriched site (conftest): arXiv metadata, hostile text on 2103.10385, a math log.
PAGES = ["", "papers/", "papers/2104.08691/", "papers/2002.08909/", f"papers/{HOSTILE_PAPER}/", "topics/",
         "topics/prompt-tuning/", "qa/", "logs/", "logs/2021/09/09/day-28/", "logs/2021/09/13/day-30-math/", "tags/",
         "stats/", "graph/"]
Context = tuple[object, Watch]


def test_no_console_errors_no_outside_requests_no_script_from_arxiv(enriched_server: str, browser_context: Context) -> None:
    context, watch = browser_context
    tabs = open_all(context, watch, [enriched_server + path for path in PAGES])  # all at once: one wait, not 13
    for path, tab in zip(PAGES, tabs, strict=True):
        assert tab.url == enriched_server + path  # type: ignore[attr-defined]
        assert tab.evaluate("document.readyState") == "complete", path  # type: ignore[attr-defined]
        assert tab.evaluate("window.__pwned") is None, path  # type: ignore[attr-defined]
    assert watch.errors == []
    assert watch.outside == []  # no Google Fonts, no CDN: everything is served by the site


def test_hostile_text_is_shown_not_run(enriched_server: str, browser_context: Context) -> None:
    context, watch = browser_context
    page = watch.attach(context.new_page())
    page.goto(enriched_server + f"papers/{HOSTILE_PAPER}/", wait_until="networkidle")
    assert "<script>window.__pwned = 1</script>" in page.inner_text("article h1")
    assert page.locator("article script, article iframe, article img[onerror]").count() == 0
    assert page.evaluate("window.__pwned") is None


def test_math_renders_offline_with_katex(enriched_server: str, browser_context: Context) -> None:
    context, watch = browser_context
    page = watch.attach(context.new_page())
    page.goto(enriched_server + "logs/2021/09/13/day-30-math/", wait_until="networkidle")
    assert page.locator("article span.arithmatex > .katex").count() == 2
    assert page.locator("article div.arithmatex .katex-display").count() == 2
    # The second block's \{ \}, \| and \\ render: braces, a norm and two rows, no error.
    second = page.locator("article div.arithmatex").nth(1)
    assert second.locator(".katex-html .base").count() >= 2
    assert "{" in second.inner_text() and "∥" in second.inner_text()  # \| is KaTeX's U+2225
    assert page.locator("article .katex-error").count() == 0
    assert watch.errors == [] and watch.outside == []


def test_abstract_toggles_and_bibtex_copies(enriched_server: str, browser_context: Context) -> None:
    context, watch = browser_context
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=enriched_server.rstrip("/"))
    page = watch.attach(context.new_page())
    page.goto(enriched_server + "papers/", wait_until="networkidle")
    details = page.locator(".sl-paper details", has_text="We explore prompt tuning").first
    assert not details.evaluate("d => d.open")
    details.locator("summary").click()
    assert details.evaluate("d => d.open")
    assert details.locator("p").first.is_visible()
    page.goto(enriched_server + "papers/2104.08691/", wait_until="networkidle")
    block = page.locator("pre", has_text="@inproceedings{power2021")
    block.hover()
    block.locator("button[data-md-type=copy]").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("@inproceedings{power2021,") and "eprint" in copied


def test_qa_links_land_on_the_question(enriched_server: str, browser_context: Context) -> None:
    context, watch = browser_context
    page = watch.attach(context.new_page())
    page.set_viewport_size({"width": 1280, "height": 700})
    page.goto(enriched_server + "qa/", wait_until="networkidle")
    page.locator("a.sl-qa-source").nth(2).click()
    page.wait_for_url("**/logs/2021/09/09/day-28/#qa-3")
    target = page.locator("#qa-3")
    box = target.bounding_box()
    assert box is not None and 0 <= box["y"] < 700
    assert "Batch first" in target.locator("xpath=..").inner_text()


def test_light_and_dark_palettes(enriched_server: str, browser_context: Context) -> None:
    context, watch = browser_context
    page = watch.attach(context.new_page())
    page.goto(enriched_server + "papers/2104.08691/", wait_until="networkidle")
    scheme = lambda: page.evaluate("document.body.getAttribute('data-md-color-scheme')")  # noqa: E731
    background = lambda: page.evaluate("getComputedStyle(document.body).backgroundColor")  # noqa: E731
    text = lambda: page.evaluate("getComputedStyle(document.querySelector('article')).color")  # noqa: E731
    assert scheme() == "default"
    light = (background(), text())
    page.locator("form[data-md-component=palette] label:visible").first.click()
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")
    dark = (background(), text())
    assert light[0] != dark[0] and light[1] != dark[1]
    page.locator("form[data-md-component=palette] label:visible").first.click()
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'default'")
    assert watch.errors == []


def test_reading_list_fits_a_phone(enriched_server: str, browser_context: Context) -> None:
    context, watch = browser_context
    paths = ["papers/", "papers/?sort=year&text=prompt", "papers/2104.08691/", "", "qa/", "stats/", "logs/2021/09/09/day-28/", "graph/"]
    tabs = open_all(context, watch, [enriched_server + path for path in paths], viewport={"width": 390, "height": 844})
    for path, page in zip(paths, tabs, strict=True):
        assert page.evaluate("window.innerWidth") == 390  # type: ignore[attr-defined]
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")  # type: ignore[attr-defined]
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"
        # Nor does a table hide columns in its own scroll box (Material wraps tables in one).
        hidden = page.evaluate(  # type: ignore[attr-defined]
            "Math.max(0, ...[...document.querySelectorAll('article .md-typeset__scrollwrap')]"
            ".map(box => box.scrollWidth - box.clientWidth))"
        )
        assert hidden <= 0, f"a table on {path} hides {hidden}px of columns"


def test_the_graph_draws_lights_up_filters_zooms_and_its_nodes_lead_to_their_pages(enriched_server: str, browser_context: Context) -> None:
    context, watch = browser_context
    page = watch.attach(context.new_page())
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(enriched_server + "graph/", wait_until="networkidle")
    svg = page.locator(".sl-graph--map svg.sl-graph__svg")
    # It draws: every node has a finite place and a size, inside the drawing.
    boxes = svg.locator(".sl-node").evaluate_all(
        "els => els.map(e => { const b = e.getBBox(); return [b.x, b.y, b.width, b.height]; })")
    view = [float(v) for v in svg.get_attribute("viewBox").split()]
    assert len(boxes) == 10 + 15 + 1  # the demo's topics and papers, and Day 28 (Day 30 links no paper)
    for x, y, w, h in boxes:
        assert all(math.isfinite(v) for v in (x, y, w, h)) and w > 0 and h > 0
        assert view[0] <= x and x + w <= view[0] + view[2] + 1 and view[1] <= y and y + h <= view[1] + view[3] + 1
    assert page.locator(".sl-graph__tools").is_visible()  # the script ran
    # The drawing's edges, by the nodes' pages.
    href = dict(svg.locator(".sl-node").evaluate_all(
        "els => els.map(e => [e.dataset.n, e.getAttribute('xlink:href')])"))
    lines = svg.locator(".sl-edge").evaluate_all("els => els.map(e => [e.dataset.s, e.dataset.t])")
    near: dict[str, set[str]] = {}
    for s_, t in lines:
        near.setdefault(href[s_], set()).add(href[t])
        near.setdefault(href[t], set()).add(href[s_])
    # Pointing at a paper lights up it and its neighbours: its topic, the log that links it, its related papers.
    paper = svg.locator('a.sl-node[*|href="../papers/2104.08691/"]')
    paper.locator("circle").hover()
    assert svg.evaluate("s => s.classList.contains('sl-graph--focus')")
    lit = svg.locator(".sl-node.is-near").evaluate_all("els => els.map(e => e.getAttribute('xlink:href'))")
    assert set(lit) == {"../papers/2104.08691/"} | near["../papers/2104.08691/"]
    assert {"../logs/2021/09/09/day-28/", "../topics/prompt-tuning/"} < set(lit)
    page.mouse.move(0, 0)
    # The topic filter: Prompt Tuning, its papers, and what they connect to (the log, related papers).
    page.select_option(".sl-graph__filter", label="Prompt Tuning")
    shown = svg.locator(".sl-node").evaluate_all(
        "els => els.filter(e => getComputedStyle(e).display !== 'none').map(e => e.getAttribute('xlink:href'))")
    papers = near["../topics/prompt-tuning/"]
    assert papers == {"../papers/2103.10385/", "../papers/2104.08691/"}
    assert set(shown) == {"../topics/prompt-tuning/"} | papers | set().union(*(near[p] for p in papers))
    assert "../topics/quality-estimation/" not in shown
    page.select_option(".sl-graph__filter", value="")
    assert svg.locator(".sl-node").evaluate_all("els => els.every(e => getComputedStyle(e).display !== 'none')")
    # Zoom in, then back to the whole map.
    whole = svg.get_attribute("viewBox")
    page.click("button[data-zoom=in]")
    assert svg.get_attribute("viewBox") != whole
    page.click("button[data-zoom=fit]")
    assert svg.get_attribute("viewBox") == whole
    # A click on a node opens its page, whose own graph leads on.
    paper.locator("circle").click()
    page.wait_for_url("**/papers/2104.08691/")
    local = page.locator(".sl-graph:not(.sl-graph--map) svg.sl-graph__svg")
    assert local.locator(".sl-node--here").count() == 1
    local.locator('a.sl-node--topic[*|href="../../topics/prompt-tuning/"] rect').click()
    page.wait_for_url("**/topics/prompt-tuning/")
    assert page.locator(".sl-graph svg .sl-node--here").count() == 1
    assert watch.errors == [] and watch.outside == []


def test_the_graph_follows_the_palette(enriched_server: str, browser_context: Context) -> None:
    context, watch = browser_context
    page = watch.attach(context.new_page())
    page.goto(enriched_server + "graph/", wait_until="networkidle")
    parts = (".sl-label", ".sl-node--paper circle", ".sl-node--log path", ".sl-edge--link")
    colours = lambda: {part: page.evaluate(  # noqa: E731
        f"[...document.querySelectorAll('.sl-graph__svg {part}')].map(e => getComputedStyle(e).fill + getComputedStyle(e).stroke)")
        for part in parts}
    light = colours()
    page.locator("form[data-md-component=palette] label:visible").first.click()
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")
    dark = colours()
    for part in parts:  # labels, papers, logs and lines all take the palette's colours
        assert light[part] and len(light[part]) == len(dark[part])
        assert all(a != b for a, b in zip(light[part], dark[part], strict=True)), part
    assert watch.errors == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Lester", "papers/2104.08691/"),
        ("prompt tuning", "papers/2104.08691/"),
        ("원핫벡터", "logs/2021/09/09/day-28/"),
        ("원핫벡터", "qa/"),
        ("멘토링", "logs/2021/09/09/day-28/"),
        ("deepQuest", "papers/deepquest/"),
    ],
)
def test_search_finds_pages(enriched_server: str, search_tabs: SearchTabs, query: str, expected: str) -> None:
    links = search_tabs.search(enriched_server, query)
    assert expected in links, links
    assert search_tabs.watch.errors == [] and search_tabs.watch.outside == []


def test_code_in_answers_does_not_run_on_the_qa_page(tmp_path: Path, browser_context: Context) -> None:
    """Issue 11: a log whose answer holds ``<script>`` in code is inert on its own page, and must
    be on /qa/ too. One build of a small site with one log per Q&A form (tests/test_qa_forms.py)."""
    write_project(tmp_path, "topics: []\npapers: []\n", code_logs())
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    shutil.copy(ROOT / "docs" / "logs" / "index.md", tmp_path / "docs" / "logs" / "index.md")
    context, watch = browser_context
    with serve(build_site(tmp_path)) as base:
        page = watch.attach(context.new_page())  # type: ignore[attr-defined]
        page.goto(base + "qa/", wait_until="networkidle")
        assert page.evaluate("typeof window.__xss") == "undefined"  # set by any form whose code ran
        assert page.locator("article script").count() == 0
        shown = page.eval_on_selector_all("article pre code", "els => els.map(e => e.textContent.trim())")
        assert sorted(shown) == sorted(XSS.format(n=n) for n in range(1, len(CODE_FORMS) + 1))
        assert page.locator("article h3").count() == len(CODE_FORMS)
        assert watch.errors == [] and watch.outside == []


# A log older than Day 28, for the reading features: a heading and a question with math in
# them, a bare arXiv URL, an arXiv: mention, a paper linked twice and one not on arXiv.
DAY_27 = r"""---
title: Day 27 attention
date: 2021-09-08
slug: day-27
categories: [Boostcamp-AI-Tech]
---

# Attention

## Scaled dot-product: $\sqrt{d_k}$

#### Q. Why divide by $\sqrt{d_k}$?

To keep the softmax out of its flat ends.

Read again: https://arxiv.org/abs/2104.08691 and arXiv:1810.04805, then [deepQuest](https://aclanthology.org/C18-1266.pdf).
Once more, [prompt tuning](https://arxiv.org/pdf/2104.08691v2).
"""


@pytest.fixture(scope="module")
def reading_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The shipped project with the Day 27 log, the math log, a lock record, statuses, notes and a paper under two topics."""
    require_chromium()
    project = copy_project(tmp_path_factory.mktemp("reading"))
    posts = project / "docs" / "logs" / "posts"
    add_log(project, MATH_LOG)
    save_lock(project / "papers.lock.json", {"2104.08691": arxiv_record()})  # three authors, to search
    (posts / "2021-09-08-day-27.md").write_text(DAY_27, encoding="utf-8")
    catalogue = project / "papers.yaml"
    text = catalogue.read_text(encoding="utf-8")
    for old, new in (
        # Statuses to filter by, notes to search, and a paper under two topics (two rows, one paper).
        ('  - arxiv: "2104.08691"\n', '  - arxiv: "2104.08691"\n    status: read\n    notes: Soft prompts match full fine-tuning at scale.\n'),
        ('  - arxiv: "1810.04805"\n', '  - arxiv: "1810.04805"\n    status: reading\n'),
        ("    venue: EMNLP 2021\n    topics: [prompt-tuning]\n", "    venue: EMNLP 2021\n    topics: [prompt-tuning, in-context-learning]\n"),
    ):
        assert old in text, old
        text = text.replace(old, new)
    catalogue.write_text(text, encoding="utf-8")
    with serve(build_site(project)) as base:
        yield base


# -- Reading the site: the reading list's filters, links in logs, previous and next, math in the contents


def _rows(page: object) -> list[str]:
    """The papers of the reading list's rows in view, in order (a paper under two topics has two rows)."""
    return page.eval_on_selector_all(  # type: ignore[attr-defined, no-any-return]
        "article .sl-paper", "els => els.filter(e => e.checkVisibility()).map(e => e.dataset.key)")


def _visible(page: object, selector: str) -> list[str]:
    return page.eval_on_selector_all(  # type: ignore[attr-defined, no-any-return]
        selector, "els => els.filter(e => e.checkVisibility()).map(e => e.textContent.replace('¶', '').trim())")


def test_the_reading_list_filters_by_status_topic_year_and_text(reading_site: str, browser_context: Context) -> None:
    context, watch = browser_context
    page = watch.attach(context.new_page())
    page.goto(reading_site + "papers/", wait_until="networkidle")
    everything = _rows(page)
    assert len(everything) == 16 and len(set(everything)) == 15
    assert page.inner_text(".sl-filters__count") == "논문 15편 중 15편"

    page.select_option("select[name=status]", "read")
    assert _rows(page) == ["2104.08691", "2104.08691"]  # under both of its topics
    assert page.inner_text(".sl-filters__count") == "논문 15편 중 1편"
    assert page.url == reading_site + "papers/?status=read"
    # Topics without a row left hide, in the page and in its table of contents, and so do
    # the "Also worth reading" blocks (resources have no status).
    assert _visible(page, "article h2") == ["In-Context Learning", "Prompt Tuning"]
    assert _visible(page, ".md-sidebar--secondary .md-nav__link") == ["In-Context Learning", "Prompt Tuning"]
    assert _visible(page, "article .sl-resources") == []

    page.select_option("select[name=status]", "reading")
    assert _rows(page) == ["1810.04805"]
    page.select_option("select[name=status]", "")
    page.select_option("select[name=topic]", "in-context-learning")
    assert _rows(page) == ["2005.14165", "2104.08691"]
    assert _visible(page, "article h2") == ["In-Context Learning"]
    page.select_option("select[name=topic]", "")
    page.select_option("select[name=year]", "2017")
    assert _rows(page) == ["1710.11041"]
    page.select_option("select[name=status]", "to-read")
    page.select_option("select[name=year]", "2018")
    assert _rows(page) == ["deepquest"]  # BERT (2018) is being read
    page.select_option("select[name=status]", "")
    page.select_option("select[name=year]", "")

    # The text filter reads titles, every author, venues, notes and arXiv IDs; accents and case aside.
    for text, expected in (
        ("frederic blain", ["deepquest"]),
        ("SOFT PROMPTS", ["2104.08691", "2104.08691"]),
        ("naacl", ["1810.04805"]),
        ("Noah Constant", ["2104.08691", "2104.08691"]),  # the third author, from the lock
        ("2103.00020", ["2103.00020"]),
    ):
        page.fill("input[name=text]", text)
        assert _rows(page) == expected, text
    page.fill("input[name=text]", "weng")  # a resource's author: the resource shows, under its topic
    assert _rows(page) == [] and _visible(page, "article h2") == ["Open-Domain Question Answering"]
    assert "Lilian Weng" in " ".join(_visible(page, "article .sl-resources li"))

    page.fill("input[name=text]", "no such paper")
    assert _rows(page) == [] and _visible(page, "article h2") == []
    assert page.inner_text(".sl-filters__count") == "논문 15편 중 0편"
    empty = page.locator(".sl-filters__empty")
    assert empty.is_visible() and "조건에 맞는 논문이 없습니다" in empty.inner_text()
    empty.locator("button").click()
    assert _rows(page) == everything and page.url == reading_site + "papers/"
    assert not empty.is_visible()
    assert watch.errors == [] and watch.outside == []


def test_the_reading_lists_state_lives_in_the_url(reading_site: str, browser_context: Context) -> None:
    context, watch = browser_context
    page = watch.attach(context.new_page())
    page.goto(reading_site + "papers/", wait_until="networkidle")
    page.select_option("select[name=status]", "to-read")
    page.select_option("select[name=year]", "2021")
    page.select_option("select[name=sort]", "title")
    chosen, shared = _rows(page), page.url
    assert shared == reading_site + "papers/?status=to-read&year=2021&sort=title"
    assert len(chosen) == 5 and _visible(page, "article h2") == []  # one flat list, by title

    # The URL shared: a new page shows the same rows, and so does a reload.
    other = watch.attach(context.new_page())
    other.goto(shared, wait_until="networkidle")
    assert _rows(other) == chosen
    assert [other.input_value(f"select[name={name}]") for name in ("status", "year", "sort")] == ["to-read", "2021", "title"]
    other.reload(wait_until="networkidle")
    assert _rows(other) == chosen

    # Back and forward step through the changes; a burst of typing is one step.
    page.select_option("select[name=sort]", "topic")
    by_topic = _rows(page)
    assert page.url == reading_site + "papers/?status=to-read&year=2021" and by_topic != chosen
    page.locator("input[name=text]").press_sequentially("gpt")
    assert page.url == reading_site + "papers/?status=to-read&year=2021&text=gpt" and _rows(page) == ["2103.10385"]
    page.go_back()
    assert page.url == reading_site + "papers/?status=to-read&year=2021" and _rows(page) == by_topic
    assert page.input_value("input[name=text]") == ""
    page.go_back()
    assert page.url == shared and _rows(page) == chosen and page.input_value("select[name=sort]") == "title"
    page.go_forward()
    assert _rows(page) == by_topic and page.input_value("select[name=sort]") == "topic"

    # Values the list does not have are the defaults.
    page.goto(reading_site + "papers/?status=finished&topic=nope&year=1066&sort=sideways", wait_until="networkidle")
    assert len(_rows(page)) == 16
    assert [page.input_value(f"select[name={name}]") for name in ("status", "topic", "year", "sort")] == ["", "", "", "topic"]
    assert watch.errors == [] and watch.outside == []


def test_the_reading_list_sorts_by_year_title_and_citations(reading_site: str, browser_context: Context) -> None:
    context, watch = browser_context
    page = watch.attach(context.new_page())
    page.goto(reading_site + "papers/", wait_until="networkidle")
    by_topic = list(dict.fromkeys(_rows(page)))
    page.select_option("select[name=sort]", "year")
    keys = _rows(page)
    assert sorted(keys) == sorted(by_topic)  # each paper once, though one is under two topics
    years = page.eval_on_selector_all("article .sl-paper", "els => els.filter(e => e.checkVisibility()).map(e => +e.dataset.year)")
    assert years == sorted(years, reverse=True)
    assert keys == sorted(by_topic, key=lambda key: -years[keys.index(key)])  # a year's papers keep the list's order
    page.select_option("select[name=sort]", "title")
    titles = page.eval_on_selector_all(
        "article .sl-paper", "els => els.filter(e => e.checkVisibility()).map(e => e.querySelector('a').textContent)")
    assert len(titles) == 15 and titles == sorted(titles, key=str.casefold)
    # No paper carries a citation count here, so there is no such order to choose.
    assert page.locator("select[name=sort] option[value=citations]").count() == 0

    # With counts (data-citations, from a source of citation counts), the most cited come first
    # and papers without a count last, in the list's order.
    def with_citations(route: object) -> None:
        html = route.fetch().text()  # type: ignore[attr-defined]
        for key, n in (("1810.04805", 90000), ("2005.14165", 30000), ("1904.09675", 3000)):
            html = html.replace(f'data-key="{key}"', f'data-key="{key}" data-citations="{n}"')
        route.fulfill(body=html, content_type="text/html")  # type: ignore[attr-defined]

    page.route(lambda url: urlsplit(url).path == "/papers/", with_citations)
    page.goto(reading_site + "papers/?sort=citations", wait_until="networkidle")
    assert page.input_value("select[name=sort]") == "citations"
    cited = _rows(page)
    assert cited[:3] == ["1810.04805", "2005.14165", "1904.09675"]
    assert cited[3:] == [key for key in by_topic if key not in cited[:3]]
    assert watch.errors == [] and watch.outside == []


def test_without_javascript_the_whole_reading_list_shows(reading_site: str, chromium: object) -> None:
    context = chromium.new_context(java_script_enabled=False)  # type: ignore[attr-defined]
    try:
        page = context.new_page()
        page.goto(reading_site + "papers/?status=read&text=nothing", wait_until="networkidle")
        assert len(_rows(page)) == 16
        assert not page.locator("form.sl-filters").is_visible()  # no control that could not work
    finally:
        context.close()


def test_a_log_leads_to_the_pages_of_the_papers_it_links(reading_site: str, browser_context: Context) -> None:
    context, watch = browser_context
    page = watch.attach(context.new_page())
    page.goto(reading_site + "logs/2021/09/08/day-27/", wait_until="networkidle")
    badges = page.locator("article a.sl-onsite")
    assert badges.all_inner_texts() == ["읽음", "읽는 중", "읽을 예정"]  # 2104.08691 once, though linked twice
    assert page.locator("article a", has_text="arXiv:1810.04805").get_attribute("href") == "https://arxiv.org/abs/1810.04805"
    assert page.locator("article a", has_text="https://arxiv.org/abs/2104.08691").count() == 1  # the bare URL is a link
    badges.first.click()
    page.wait_for_url(reading_site + "papers/2104.08691/")
    assert "The Power of Scale" in page.inner_text("article h1")
    # Day 28 links every paper of the master class.
    page.goto(reading_site + "logs/2021/09/09/day-28/", wait_until="networkidle")
    page.locator("article a[href='https://arxiv.org/abs/2002.08909'] + a.sl-onsite").first.click()
    page.wait_for_url(reading_site + "papers/2002.08909/")
    assert watch.errors == [] and watch.outside == []


def test_each_log_links_the_previous_and_the_next(reading_site: str, browser_context: Context) -> None:
    context, watch = browser_context
    page = watch.attach(context.new_page())
    older, newer = page.locator("a.md-footer__link--prev"), page.locator("a.md-footer__link--next")
    page.goto(reading_site + "logs/2021/09/08/day-27/", wait_until="networkidle")
    assert older.count() == 0 and "28일차" in newer.inner_text()
    newer.click()
    page.wait_for_url(reading_site + "logs/2021/09/09/day-28/")
    assert "Day 27 attention" in older.inner_text() and "Day 30 math" in newer.inner_text()
    newer.click()
    page.wait_for_url(reading_site + "logs/2021/09/13/day-30-math/")
    assert newer.count() == 0
    older.click()
    page.wait_for_url(reading_site + "logs/2021/09/09/day-28/")
    assert watch.errors == []


def test_paper_and_topic_pages_are_under_the_reading_list_tab(reading_site: str, browser_context: Context) -> None:
    context, watch = browser_context
    page = watch.attach(context.new_page())
    for path in ("papers/2104.08691/", "topics/prompt-tuning/"):
        page.goto(reading_site + path, wait_until="networkidle")
        assert _visible(page, ".md-tabs__item--active") == ["읽기 목록"], path
        page.locator("article a.sl-back").click()
        page.wait_for_url(reading_site + "papers/")
    page.goto(reading_site + "qa/", wait_until="networkidle")
    assert _visible(page, ".md-tabs__item--active") == ["멘토링 Q&A"]  # Material's own, untouched
    assert watch.errors == []


def test_math_in_headings_shows_as_math_in_the_table_of_contents(reading_site: str, browser_context: Context) -> None:
    context, watch = browser_context
    page = watch.attach(context.new_page())
    for path, heading in (("qa/", "Why divide by"), ("logs/2021/09/08/day-27/", "Scaled dot-product")):
        page.goto(reading_site + path, wait_until="networkidle")
        entry = page.locator(".md-sidebar--secondary .md-nav__link", has_text=heading)
        assert entry.count() == 1, path
        assert entry.locator(".katex").count() == 1, path
        assert "\\(" not in entry.inner_text(), path
        assert page.locator(".katex-error").count() == 0
    assert watch.errors == []
