"""Render Markdown with kramdown (as Jekyll does) and with the site's Markdown, and compare their structure.

Shared by ``tests/test_kramdown.py`` and ``benchmarks/fidelity.py``.

- :func:`kramdown_html` renders many documents in one ``ruby`` process with
  kramdown's GFM parser and Jekyll's options (Debian's ``ruby-kramdown`` and
  ``ruby-kramdown-parser-gfm``).
- :func:`site_html` renders with Python-Markdown configured exactly as mkdocs.yml's
  ``markdown_extensions`` say, in-process.
- :func:`skeleton` reduces HTML to its structure: every list item, quote, code
  block, table, definition term, image, heading and rule, in document order, each
  with the containers it sits in (``ul/ul/li`` is an item of a list nested in a
  list). :func:`compare` sets two skeletons side by side.
- :func:`jekyll_liquid` does what Jekyll's Liquid pass does to a post before
  kramdown sees it, as far as structure goes (``{% highlight %}``, ``{% raw %}``).
"""

from __future__ import annotations

import difflib
import html
import json
import re
import shutil
import subprocess
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import markdown
from bs4 import BeautifulSoup, Tag

ROOT = Path(__file__).resolve().parent.parent

# Jekyll's kramdown options (Jekyll's defaults: GFM input, no hard wraps, auto ids).
_RUBY = r"""
require "json"
require "kramdown"
require "kramdown-parser-gfm"
docs = JSON.parse($stdin.read)
out = docs.map do |text|
  Kramdown::Document.new(text, input: "GFM", hard_wrap: false, auto_ids: true).to_html
end
$stdout.write(JSON.generate(out))
"""

INSTALL_HINT = "apt-get install -y ruby-kramdown ruby-kramdown-parser-gfm (what .ci/run does)"


class KramdownMissing(RuntimeError):
    pass


def kramdown_html(docs: Sequence[str]) -> list[str]:
    """Each document rendered by kramdown, all in one ruby process."""
    ruby = shutil.which("ruby")
    if ruby is None:
        raise KramdownMissing(f"ruby is not installed, so kramdown cannot run: {INSTALL_HINT}")
    proc = subprocess.run(
        [ruby, "-e", _RUBY], input=json.dumps(list(docs)), capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        raise KramdownMissing(f"kramdown failed ({proc.stderr.strip().splitlines()[-1:]}): {INSTALL_HINT}")
    result: list[str] = json.loads(proc.stdout)
    return result


@cache
def _site_config() -> tuple[tuple[str, ...], dict[str, dict[str, object]]]:
    from mkdocs.config import load_config

    config = load_config(str(ROOT / "mkdocs.yml"))
    return tuple(config["markdown_extensions"]), dict(config["mdx_configs"])


def site_markdown(*, without: Iterable[str] = ()) -> markdown.Markdown:
    """Python-Markdown with mkdocs.yml's extensions and their settings, as MkDocs builds it.

    ``without`` leaves extensions out, to see what the page would be without them.
    """
    extensions, configs = _site_config()
    kept = [name for name in extensions if name not in set(without)]
    return markdown.Markdown(extensions=kept, extension_configs=configs)


def site_html(text: str, md: markdown.Markdown | None = None) -> str:
    md = md or site_markdown()
    md.reset()
    return md.convert(text)


def log_structure(path: Path, *, without: Iterable[str] = ()) -> list[Node]:
    """The structure of the log at ``path`` (its body) as the site's Markdown renders it."""
    from generator.logs import split_front_matter

    body = split_front_matter(path.read_text(encoding="utf-8"), path)[1]
    return skeleton(site_html(body, site_markdown(without=without)))


# -- Jekyll's Liquid pass, as far as structure goes ------------------------------------------------

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n.*?\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_HIGHLIGHT = re.compile(
    r"\{%-?\s*highlight\s+(?P<lang>[^\s%]+)[^%]*?-?%\}(?P<code>.*?)\{%-?\s*endhighlight\s*-?%\}", re.S
)
_RAW = re.compile(r"\{%-?\s*raw\s*-?%\}(?P<body>.*?)\{%-?\s*endraw\s*-?%\}", re.S)
_TAG = re.compile(r"\{%.*?%\}|\{\{.*?\}\}", re.S)


def jekyll_liquid(text: str) -> str:
    """A post's body as Jekyll hands it to kramdown: front matter off, Liquid rendered.

    ``{% highlight %}`` becomes the HTML Jekyll writes, with the newline Jekyll's
    Markdown converter puts before and after it (``highlighter_prefix`` and
    ``highlighter_suffix``); ``{% raw %}`` keeps its body; other tags and
    ``{{ ... }}`` render to nothing (``site.baseurl`` is usually empty).
    """
    text = _FRONT_MATTER.sub("", text.replace("\r\n", "\n"), count=1)
    raws: list[str] = []

    def keep(m: re.Match[str]) -> str:
        raws.append(m["body"])
        return f"\x00{len(raws) - 1}\x00"

    def highlight(m: re.Match[str]) -> str:
        code = m["code"].strip("\n")
        lang = m["lang"]
        return (f'\n<figure class="highlight"><pre><code class="language-{lang}" data-lang="{lang}">'
                f"{html.escape(code, quote=False)}</code></pre></figure>\n")

    text = _RAW.sub(keep, text)
    text = _HIGHLIGHT.sub(highlight, text)
    text = _TAG.sub("", text)
    return re.sub(r"\x00(\d+)\x00", lambda m: raws[int(m[1])], text)


def import_pairs(src: Path, dest: Path) -> list[tuple[str, str, str]]:
    """Import the blog at ``src`` into ``dest`` with ``import-jekyll``; for every log it wrote:
    (its name, the post as Jekyll hands it to kramdown, the log's body)."""
    from generator.jekyll import import_jekyll
    from generator.logs import split_front_matter

    report = import_jekyll(src, dest)
    root = report.source.parent
    found = []
    for log in sorted(report.written):
        text = log.read_text(encoding="utf-8")
        source = re.search(r"^# Source: (?P<source>.+?) · fingerprint:", text, re.M)
        if source is None:
            raise ValueError(f"{log.name}: the imported log does not say which post it came from")
        original = (root / source["source"]).read_text(encoding="utf-8")
        found.append((log.name, jekyll_liquid(original), split_front_matter(text, log)[1]))
    return found


# -- Structure -------------------------------------------------------------------------------------

_CONTAINERS = {"ul": "ul", "ol": "ol", "blockquote": "quote", "dl": "dl"}
_ELEMENTS = {
    "li": "item", "blockquote": "quote", "pre": "code", "table": "table", "dt": "term", "dd": "definition",
    "img": "image", "hr": "rule", **{f"h{n}": f"h{n}" for n in range(1, 7)},
}


@dataclass(frozen=True)
class Node:
    kind: str
    """item, quote, code, table, term, definition, image, rule, or h1..h6."""
    path: str
    """The containers it sits in, outermost first: ``ul/ul`` for an item of a nested list."""
    text: str = ""
    """For code: the code, for comparing it."""

    @property
    def group(self) -> str:
        return "heading" if self.kind.startswith("h") and self.kind[1:].isdigit() else self.kind

    def __str__(self) -> str:
        return f"{self.path}/{self.kind}" if self.path else self.kind


def skeleton(html_text: str) -> list[Node]:
    """The structural elements of ``html_text`` in document order.

    Leaves out the table of contents kramdown makes for ``{:toc}`` (the site's theme
    shows its own beside the page; the importer drops the marker), and the footnotes
    (kramdown shows only those a page refers to, Python-Markdown all of them).
    """
    soup = BeautifulSoup(html_text, "html.parser")
    for aside in soup.select("#markdown-toc, div.footnotes, div.footnote"):
        aside.decompose()
    nodes: list[Node] = []
    for el in soup.find_all(list(_ELEMENTS)):
        assert isinstance(el, Tag)
        if el.find_parent("pre") is not None or "emoji" in " ".join(el.get("class") or []):
            continue  # (emoji shortcodes are the site's own: kramdown leaves them as text)
        path = "/".join(_CONTAINERS[p.name] for p in reversed(list(el.parents)) if p.name in _CONTAINERS)
        # Python-Markdown expands tabs to 4-column stops everywhere, code too (kramdown keeps them).
        text = el.get_text().strip("\n").expandtabs(4) if el.name == "pre" else ""
        nodes.append(Node(_ELEMENTS[el.name], path, text))
    return nodes


def demoted(nodes: Iterable[Node]) -> list[Node]:
    """``nodes`` one heading rank down: how an imported log shows a post's headings.

    A Jekyll theme shows the post's title as the page's heading above the body; the
    importer keeps that one heading of rank one and moves the body's headings down a rank
    (``generator.jekyll.body.demote_headings``), so ``#`` in the post is ``##`` in the log.
    A post without a ``#`` heading keeps its headings as they are.
    """
    nodes = list(nodes)
    if not any(n.kind == "h1" for n in nodes):
        return nodes
    return [Node(f"h{min(int(n.kind[1:]) + 1, 6)}", n.path, n.text) if n.group == "heading" else n for n in nodes]


def counts(nodes: Iterable[Node]) -> Counter[str]:
    """How many of each kind (headings together), and list items by depth (``item@2``)."""
    result: Counter[str] = Counter()
    for node in nodes:
        result[node.group] += 1
        if node.kind == "item":
            result[f"item@{node.path.count('ul') + node.path.count('ol')}"] += 1
    return result


def placed(expected: Sequence[Node], actual: Sequence[Node]) -> Counter[str]:
    """Of each kind, how many of ``expected`` have their counterpart in ``actual``, in the same place."""
    matcher = difflib.SequenceMatcher(None, [str(n) for n in expected], [str(n) for n in actual], autojunk=False)
    result: Counter[str] = Counter()
    for block in matcher.get_matching_blocks():
        for node in expected[block.a : block.a + block.size]:
            result[node.group] += 1
    return result


def spurious_code(expected: Sequence[Node], actual: Sequence[Node]) -> list[str]:
    """Code blocks in ``actual`` whose code is in no code block of ``expected``."""
    known = Counter(_squash(n.text) for n in expected if n.kind == "code")
    extra = []
    for node in actual:
        if node.kind != "code":
            continue
        key = _squash(node.text)
        if known[key]:
            known[key] -= 1
        else:
            extra.append(node.text)
    return extra


def _squash(code: str) -> str:
    return " ".join(code.split())


def compare(expected: Sequence[Node], actual: Sequence[Node]) -> str:
    """A readable diff of two skeletons (empty when they are the same)."""
    a = [_line(n) for n in expected]
    b = [_line(n) for n in actual]
    if a == b:
        return ""
    return "\n".join(difflib.unified_diff(a, b, "kramdown", "site", lineterm="", n=2))


def _line(node: Node) -> str:
    # Python-Markdown expands tabs everywhere, code too: compare code by its words.
    return f"{node}  {_squash(node.text)[:60]!r}" if node.kind == "code" else str(node)
