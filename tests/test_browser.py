"""The site in a real browser: Debian's chromium driven by playwright, served from 127.0.0.1."""

from __future__ import annotations

import math
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.lock import save_lock

from .browser import Watch, browser, require_chromium, search, serve
from .sitebuild import ROOT, build_site, copy_project, write_project
from .test_build import MATH_LOG, _record
from .test_qa_forms import CODE_FORMS, XSS, code_logs

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")

HOSTILE = (
    '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'
    '<iframe src="javascript:window.__pwned = 3"></iframe> [x](javascript:window.__pwned=4)'
)
PAGES = ["", "papers/", "papers/2104.08691/", "papers/2002.08909/", "topics/", "topics/prompt-tuning/", "qa/", "logs/", "logs/2021/09/09/day-28/", "logs/2021/09/13/day-30-math/", "tags/", "graph/"]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    require_chromium()
    project = copy_project(tmp_path_factory.mktemp("browser"))
    (project / "docs" / "logs" / "posts" / "2021-09-13-day-30.md").write_text(MATH_LOG, encoding="utf-8")
    save_lock(
        project / "papers.lock.json",
        {
            "2104.08691": _record(),
            "2002.08909": _record(id="2002.08909", title=HOSTILE, authors=(HOSTILE,), abstract=HOSTILE, comment=HOSTILE),
        },
    )
    catalogue = project / "papers.yaml"
    catalogue.write_text(
        catalogue.read_text(encoding="utf-8").replace('    title: "REALM: Retrieval-Augmented Language Model Pre-Training"\n', ""),
        encoding="utf-8",
    )
    with serve(build_site(project)) as base:
        yield base


@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    require_chromium()
    with browser() as b:
        yield b


@pytest.fixture()
def ctx(chromium: object) -> Iterator[tuple[object, Watch]]:
    context = chromium.new_context()  # type: ignore[attr-defined]
    watch = Watch(context)
    try:
        yield context, watch
    finally:
        context.close()


def test_no_console_errors_no_outside_requests_no_script_from_arxiv(site: str, ctx: tuple[object, Watch]) -> None:
    context, watch = ctx
    page = watch.attach(context.new_page())
    for path in PAGES:
        page.goto(site + path, wait_until="networkidle")
        assert page.evaluate("window.__pwned") is None, path
    assert watch.errors == []
    assert watch.outside == []  # no Google Fonts, no CDN: everything is served by the site


def test_hostile_text_is_shown_not_run(site: str, ctx: tuple[object, Watch]) -> None:
    context, watch = ctx
    page = watch.attach(context.new_page())
    page.goto(site + "papers/2002.08909/", wait_until="networkidle")
    assert "<script>window.__pwned = 1</script>" in page.inner_text("article h1")
    assert page.locator("article script, article iframe, article img[onerror]").count() == 0
    assert page.evaluate("window.__pwned") is None


def test_math_renders_offline_with_katex(site: str, ctx: tuple[object, Watch]) -> None:
    context, watch = ctx
    page = watch.attach(context.new_page())
    page.goto(site + "logs/2021/09/13/day-30-math/", wait_until="networkidle")
    assert page.locator("article span.arithmatex > .katex").count() == 2
    assert page.locator("article div.arithmatex .katex-display").count() == 2
    # The second block's \{ \}, \| and \\ render: braces, a norm and two rows, no error.
    second = page.locator("article div.arithmatex").nth(1)
    assert second.locator(".katex-html .base").count() >= 2
    assert "{" in second.inner_text() and "∥" in second.inner_text()  # \| is KaTeX's U+2225
    assert page.locator("article .katex-error").count() == 0
    assert watch.errors == [] and watch.outside == []


def test_abstract_toggles_and_bibtex_copies(site: str, ctx: tuple[object, Watch]) -> None:
    context, watch = ctx
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site.rstrip("/"))
    page = watch.attach(context.new_page())
    page.goto(site + "papers/", wait_until="networkidle")
    details = page.locator(".sl-paper details", has_text="We explore prompt tuning").first
    assert not details.evaluate("d => d.open")
    details.locator("summary").click()
    assert details.evaluate("d => d.open")
    assert details.locator("p").first.is_visible()
    page.goto(site + "papers/2104.08691/", wait_until="networkidle")
    block = page.locator("pre", has_text="@misc{lester2021power")
    block.hover()
    block.locator("button[data-md-type=copy]").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("@misc{lester2021power,") and "eprint" in copied


def test_qa_links_land_on_the_question(site: str, ctx: tuple[object, Watch]) -> None:
    context, watch = ctx
    page = watch.attach(context.new_page())
    page.set_viewport_size({"width": 1280, "height": 700})
    page.goto(site + "qa/", wait_until="networkidle")
    page.locator("a.sl-qa-source").nth(2).click()
    page.wait_for_url("**/logs/2021/09/09/day-28/#qa-3")
    target = page.locator("#qa-3")
    box = target.bounding_box()
    assert box is not None and 0 <= box["y"] < 700
    assert "Batch first" in target.locator("xpath=..").inner_text()


def test_light_and_dark_palettes(site: str, ctx: tuple[object, Watch]) -> None:
    context, watch = ctx
    page = watch.attach(context.new_page())
    page.goto(site + "papers/2104.08691/", wait_until="networkidle")
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


def test_reading_list_fits_a_phone(site: str, ctx: tuple[object, Watch]) -> None:
    context, watch = ctx
    page = watch.attach(context.new_page())
    page.set_viewport_size({"width": 390, "height": 844})
    for path in ("papers/", "papers/2104.08691/", "", "qa/", "stats/", "graph/"):
        page.goto(site + path, wait_until="networkidle")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"
        # Nor does a table hide columns in its own scroll box (Material wraps tables in one).
        hidden = page.evaluate(
            "Math.max(0, ...[...document.querySelectorAll('article .md-typeset__scrollwrap')]"
            ".map(box => box.scrollWidth - box.clientWidth))"
        )
        assert hidden <= 0, f"a table on {path} hides {hidden}px of columns"


def test_the_graph_draws_lights_up_filters_zooms_and_its_nodes_lead_to_their_pages(site: str, ctx: tuple[object, Watch]) -> None:
    context, watch = ctx
    page = watch.attach(context.new_page())
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(site + "graph/", wait_until="networkidle")
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


def test_the_graph_follows_the_palette(site: str, ctx: tuple[object, Watch]) -> None:
    context, watch = ctx
    page = watch.attach(context.new_page())
    page.goto(site + "graph/", wait_until="networkidle")
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
def test_search_finds_pages(site: str, ctx: tuple[object, Watch], query: str, expected: str) -> None:
    context, watch = ctx
    page = watch.attach(context.new_page())
    links = search(page, site, query)
    assert expected in links, links




def test_code_in_answers_does_not_run_on_the_qa_page(tmp_path: Path, ctx: tuple[object, Watch]) -> None:
    """Issue 11: a log whose answer holds ``<script>`` in code is inert on its own page, and must
    be on /qa/ too. One build of a small site with one log per Q&A form (tests/test_qa_forms.py)."""
    write_project(tmp_path, "topics: []\npapers: []\n", code_logs())
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    shutil.copy(ROOT / "docs" / "logs" / "index.md", tmp_path / "docs" / "logs" / "index.md")
    context, watch = ctx
    with serve(build_site(tmp_path)) as base:
        page = watch.attach(context.new_page())  # type: ignore[attr-defined]
        page.goto(base + "qa/", wait_until="networkidle")
        assert page.evaluate("typeof window.__xss") == "undefined"  # set by any form whose code ran
        assert page.locator("article script").count() == 0
        shown = page.eval_on_selector_all("article pre code", "els => els.map(e => e.textContent.trim())")
        assert sorted(shown) == sorted(XSS.format(n=n) for n in range(1, len(CODE_FORMS) + 1))
        assert page.locator("article h3").count() == len(CODE_FORMS)
        assert watch.errors == [] and watch.outside == []
