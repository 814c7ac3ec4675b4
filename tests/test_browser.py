"""The site in a real browser: Debian's chromium driven by playwright, served from 127.0.0.1."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .browser import SearchTabs, Watch, open_all, serve
from .sitebuild import HOSTILE_PAPER, ROOT, build_site, write_project
from .test_qa_forms import CODE_FORMS, XSS, code_logs

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")

# The enriched site (conftest): arXiv metadata, hostile text on 2103.10385, a math log.
PAGES = ["", "papers/", "papers/2104.08691/", "papers/2002.08909/", f"papers/{HOSTILE_PAPER}/", "topics/",
         "topics/prompt-tuning/", "qa/", "logs/", "logs/2021/09/09/day-28/", "logs/2021/09/13/day-30-math/", "tags/",
         "stats/"]
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
    paths = ["papers/", "papers/2104.08691/", "", "qa/", "stats/"]
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
