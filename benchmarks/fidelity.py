"""Does an imported Jekyll blog keep the structure Jekyll's kramdown gave it?

    python benchmarks/fidelity.py ~/my-blog            # the blog's folder or its _posts folder
    python benchmarks/fidelity.py tests/fixtures/jekyll --posts   # ... and one line per post that differs

Runs the importer (`generator.jekyll.import_jekyll`) into a temp folder, renders
every imported log with the site's Markdown (Python-Markdown with mkdocs.yml's
`markdown_extensions`) and every original post with kramdown, as Jekyll does
(Liquid first: `{% highlight %}` becomes Jekyll's HTML), and counts what each
holds: list items (and by depth), quotes, code blocks, tables, definition terms
and definitions, images, headings and rules.

Prints a Markdown table, one line per element: kramdown's count, the site's,
how far apart they are (% of kramdown's), and how many of kramdown's sit in the
same place in the site's page (same order, same containers). Then the code
blocks the site has and kramdown has not (spurious code). Goal: every element
within 1% of kramdown, no spurious code.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.jekyll import POSTS_DIR  # noqa: E402
from tests.fidelity import (  # noqa: E402
    Node,
    compare,
    counts,
    demoted,
    import_pairs,
    kramdown_html,
    placed,
    site_html,
    site_markdown,
    skeleton,
    spurious_code,
)

ROWS = [
    ("list items", "item"), ("  at depth 1", "item@1"), ("  at depth 2", "item@2"), ("  at depth 3", "item@3"),
    ("  at depth 4+", "item@4+"), ("block quotes", "quote"), ("code blocks", "code"), ("tables", "table"),
    ("definition terms", "term"), ("definitions", "definition"), ("images", "image"), ("headings", "heading"),
    ("rules", "rule"),
]


def _depth_key(counter: Counter[str]) -> Counter[str]:
    deep = sum(v for k, v in counter.items() if k.startswith("item@") and int(k[5:]) >= 4)
    counter["item@4+"] = deep
    return counter


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("src", type=Path, help="a Jekyll blog's folder or its _posts folder")
    ap.add_argument("--posts", action="store_true", help="also show, per post, how its structure differs")
    args = ap.parse_args(argv)
    src: Path = args.src
    if not (src / POSTS_DIR).is_dir() and src.name != POSTS_DIR:
        raise SystemExit(f"{src} is neither a Jekyll blog (with {POSTS_DIR}/) nor a {POSTS_DIR} folder")

    with tempfile.TemporaryDirectory() as tmp:
        found = import_pairs(src, Path(tmp) / "logs")
    if not found:
        raise SystemExit(f"no post of {src} was imported")
    kramdown = kramdown_html([original for _, original, _ in found])
    md = site_markdown()
    want: Counter[str] = Counter()
    got: Counter[str] = Counter()
    same: Counter[str] = Counter()
    extra: list[tuple[str, str]] = []
    differing: list[tuple[str, str]] = []
    for (name, _, body), k_html in zip(found, kramdown, strict=True):
        expected: list[Node] = demoted(skeleton(k_html))  # the importer moves body headings one rank down
        actual: list[Node] = skeleton(site_html(body, md))
        want += counts(expected)
        got += counts(actual)
        same += placed(expected, actual)
        extra += [(name, code) for code in spurious_code(expected, actual)]
        diff = compare(expected, actual)
        if diff:
            differing.append((name, diff))
    want, got = _depth_key(want), _depth_key(got)

    print(f"{len(found)} posts from {src}\n")
    print("| Element | kramdown | site | apart | in the same place |")
    print("|---|---:|---:|---:|---:|")
    for label, key in ROWS:
        k, s = want[key], got[key]
        apart = f"{abs(s - k) / k:.1%}" if k else ("0" if not s else "new")
        where = f"{same[key]:,}" if not key.startswith("item@") else ""
        print(f"| {label} | {k:,} | {s:,} | {apart} | {where} |")
    print(f"\nspurious code blocks (code the site shows and kramdown does not): {len(extra)}")
    for name, code in extra[:20]:
        print(f"  {name}: {code[:70]!r}")
    print(f"posts whose structure differs from kramdown's: {len(differing)} of {len(found)}")
    if args.posts:
        for name, diff in differing:
            print(f"\n## {name}\n{diff}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
