"""Serve a built site on 127.0.0.1 and drive Debian's chromium with playwright (shared by browser tests)."""

from __future__ import annotations

import functools
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def require_chromium() -> None:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (`.ci/run` installs it: apt-get install chromium)")


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve(site: Path) -> Iterator[str]:
    """The site over HTTP on 127.0.0.1; yields its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@contextmanager
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield instance
        finally:
            instance.close()


class Watch:
    """Records console errors, page errors and every request a page makes; blocks non-local ones."""

    def __init__(self, context: object) -> None:
        self.errors: list[str] = []
        self.outside: list[str] = []
        context.route("**/*", self._route)  # type: ignore[attr-defined]

    def _route(self, route: object) -> None:
        url = route.request.url  # type: ignore[attr-defined]
        if url.startswith(("http://127.0.0.1:", "data:", "blob:", "about:")):
            route.continue_()  # type: ignore[attr-defined]
        else:
            self.outside.append(url)
            route.abort()  # type: ignore[attr-defined]

    def attach(self, page: object) -> object:
        page.on("console", lambda m: self.errors.append(f"console: {m.text}") if m.type == "error" else None)  # type: ignore[attr-defined]
        page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))  # type: ignore[attr-defined]
        return page


def search(page: object, base: str, query: str) -> list[str]:
    """Load the site's home page, then type a query into Material's search box, as a user does; the
    pages of all results, as paths from ``base`` (the site's root URL), without query or fragment."""
    page.goto(base, wait_until="networkidle")  # type: ignore[attr-defined]
    return search_again(page, base, query)


def search_again(page: object, base: str, query: str) -> list[str]:
    """Type ``query`` into the search box of a page of the site that is already loaded, as a user
    searching once more does; the pages of all results, as ``search`` gives them."""
    if not page.evaluate("document.querySelector('[data-md-toggle=search]').checked"):  # type: ignore[attr-defined]
        page.keyboard.press("/")  # type: ignore[attr-defined]
    box = page.locator("input.md-search__input")  # type: ignore[attr-defined]
    if box.input_value() != query:  # the same query again: Material shows its results already
        # Material rewrites this line for every new query it answers: emptied now, it shows this query's count.
        page.eval_on_selector(".md-search-result__meta", "el => { el.textContent = '' }")  # type: ignore[attr-defined]
        box.fill(query)
        box.press("End")  # a key event, which is what makes Material run the query
    page.wait_for_function(  # type: ignore[attr-defined]
        "document.querySelector('.md-search-result__meta').textContent.match(/\\d|없습니다/)", timeout=15000
    )
    links = page.eval_on_selector_all(".md-search-result__item > a", "els => els.map(e => e.href)")  # type: ignore[attr-defined]
    return sorted({link.removeprefix(base).split("?")[0].split("#")[0] for link in links})


class SearchTabs:
    """One tab per site, kept open for the whole run, whose search box takes query after query.

    Loading a site and its search index once, not once per query, is most of what the
    search tests cost. ``watch`` records the errors and outside requests of every tab.
    """

    def __init__(self, chromium: object) -> None:
        self.context = chromium.new_context()  # type: ignore[attr-defined]
        self.watch = Watch(self.context)
        self._tabs: dict[str, object] = {}

    def tab(self, base: str) -> object:
        """The tab showing the site at ``base`` (its home page, loaded the first time)."""
        if base not in self._tabs:
            tab = self.watch.attach(self.context.new_page())  # type: ignore[attr-defined]
            tab.goto(base, wait_until="networkidle")  # type: ignore[attr-defined]
            self._tabs[base] = tab
        return self._tabs[base]

    def search(self, base: str, query: str) -> list[str]:
        return search_again(self.tab(base), base, query)

    def close(self) -> None:
        self.context.close()  # type: ignore[attr-defined]


def open_all(context: object, watch: Watch, urls: list[str], *, viewport: dict[str, int] | None = None) -> list[object]:
    """Open every URL in a tab of its own, all loading at once; return the tabs once each has
    finished loading (no request for 500 ms: ``networkidle``)."""
    tabs = []
    for url in urls:
        tab = watch.attach(context.new_page())  # type: ignore[attr-defined]
        if viewport:
            tab.set_viewport_size(viewport)  # type: ignore[attr-defined]
        tab.goto(url, wait_until="commit")  # type: ignore[attr-defined]
        tabs.append(tab)
    for tab in tabs:
        tab.wait_for_load_state("networkidle")  # type: ignore[attr-defined]
    return tabs


# Zensical's own search worker, fed the index as its search box feeds it (SETUP with the whole
# index, then a query); every page of results, as the paths of their pages.
ZENSICAL_WORKER = """
async (queries) => {
  const config = JSON.parse(document.querySelector("#__config").textContent)
  const base = new URL(config.base, location.href)
  const index = await (await fetch(new URL("search.json", base))).json()
  const worker = new Worker(new URL(config.search, base))
  const reply = () => new Promise(resolve => worker.addEventListener("message", ev => resolve(ev.data), { once: true }))
  worker.postMessage({ type: 0, data: index })
  await reply()
  const out = {}
  for (const query of queries) {
    const found = []
    let page
    do {
      worker.postMessage({ type: 2, data: page ? { input: query, page } : { input: query } })
      const { data } = await reply()
      found.push(...data.items.map(item => index.items[item.id].location.split("#")[0]))
      page = data.pagination.next
    } while (page)
    out[query] = [...new Set(found)].sort()
  }
  worker.terminate()
  return out
}
"""


def zensical_search(page: object, base: str, queries: list[str]) -> dict[str, list[str]]:
    """Each query's result pages, from Zensical's own search worker (as paths from ``base``)."""
    page.goto(base, wait_until="networkidle")  # type: ignore[attr-defined]
    return page.evaluate(ZENSICAL_WORKER, queries)  # type: ignore[attr-defined,no-any-return]
