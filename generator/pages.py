"""Markdown pages from the site model, rendered from Jinja2 templates.

Pure: a Site goes in, a list of (path, Markdown) comes out. The MkDocs plugin
hands these to the build; ``python -m generator generate`` writes them to disk.

Text from arXiv is untrusted. Templates put it through the ``md`` filter, which
escapes HTML and Markdown so that it renders as inert text; links are only ever
built from validated IDs and http(s) URLs.
"""

from __future__ import annotations

import html
import json
import posixpath
import re
from dataclasses import dataclass
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, StrictUndefined

from . import exports
from .catalogue import schema_text
from .logs import Log
from .model import Site

HOME = "index.md"
READING_LIST = "papers/index.md"
TOPICS = "topics/index.md"
QA = "qa/index.md"
SCHEMA = "papers.schema.json"

# Characters Python-Markdown and the pymdownx extensions give meaning to.
# ("&", "<" and ">" are escaped by html.escape first.)
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~^=:$'\"@])")


@dataclass(frozen=True)
class Page:
    path: str
    """Path relative to the docs folder, with forward slashes."""
    content: str


def paper_path(key: str) -> str:
    return f"papers/{key}.md"


def topic_path(topic_id: str) -> str:
    return f"topics/{topic_id}.md"


def md(text: object) -> str:
    """Untrusted text as inert Markdown.

    HTML is escaped, and every character that Markdown or an extension gives
    meaning to (``*``, ``[``, ``$``, ``\\``, ``:`` ...) becomes a numeric character
    reference, which no extension parses but every browser shows as the character.
    Backslash escapes would not do: ``\\(`` starts inline math.
    """
    escaped = html.escape(" ".join(str(text).split()), quote=False)
    return _MD_SPECIAL.sub(lambda m: f"&#{ord(m.group(1))};", escaped)


def md_block(text: object) -> str:
    """Like ``md`` but keeps paragraph breaks (blank lines) of a longer text."""
    paragraphs = re.split(r"\n\s*\n", str(text).strip())
    return "\n\n".join(md(p) for p in paragraphs if p.strip())


def safe_url(url: str) -> str:
    """A URL that cannot break out of Markdown link syntax. Callers pass only http(s) URLs."""
    if not re.match(r"^https?://", url, re.I):
        raise ValueError(f"refusing to link to {url!r}")
    return quote(url, safe=":/?#[]@!$&'*+,;=%~")


def yaml_str(text: str) -> str:
    """A YAML scalar that reads back as ``text`` (JSON strings are valid YAML)."""
    return json.dumps(" ".join(text.split()), ensure_ascii=False)


def fence(text: str, lang: str = "") -> str:
    """A fenced code block longer than any run of backticks inside ``text``."""
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    ticks = "`" * max(3, longest + 1)
    return f"{ticks}{lang}\n{text.rstrip()}\n{ticks}"


def short_authors(authors: tuple[str, ...], n: int = 3) -> str:
    if len(authors) <= n:
        return ", ".join(authors)
    return ", ".join(authors[:n]) + " et al."


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("generator", "templates"),
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=StrictUndefined,
    )
    env.filters.update(
        md=md,
        md_block=md_block,
        url=safe_url,
        yaml_str=yaml_str,
        fence=fence,
        short_authors=short_authors,
        indent4=lambda text: "\n".join(("    " + line) if line else "" for line in str(text).split("\n")),
    )
    env.globals.update(paper_path=paper_path, topic_path=topic_path)
    return env


class _Renderer:
    def __init__(self, site: Site) -> None:
        self.site = site
        self.env = _environment()

    def render(self, template: str, path: str, **context: object) -> Page:
        def rel(target: str) -> str:
            """A link from this page to ``target`` (a docs-relative .md path, maybe with #anchor)."""
            target_path, _, anchor = target.partition("#")
            link = posixpath.relpath(target_path, posixpath.dirname(path) or ".")
            return link + (f"#{anchor}" if anchor else "")

        content = self.env.get_template(template).render(site=self.site, here=path, rel=rel, **context)
        return Page(path, re.sub(r"\n{3,}", "\n\n", content))


def render_site(site: Site) -> list[Page]:
    """Every generated file of the site: the Markdown pages and the data files beside them."""
    return [
        *render_pages(site),
        Page(SCHEMA, schema_text()),
        Page(exports.BIB, exports.bibliography(site)),
        Page(exports.CSL, exports.csl_json(site)),
    ]


def render_pages(site: Site) -> list[Page]:
    """Every generated Markdown page of the site."""
    r = _Renderer(site)
    pages = [
        r.render("home.md.j2", HOME),
        r.render("reading_list.md.j2", READING_LIST, bib=exports.BIB, csl=exports.CSL),
        r.render("topics.md.j2", TOPICS),
        r.render("qa.md.j2", QA, by_date=_questions_by_date(site)),
    ]
    pages += [r.render("topic.md.j2", topic_path(t.id), topic=t) for t in site.topics]
    pages += [r.render("paper.md.j2", paper_path(e.key), e=e) for e in site.entries]
    return pages


def _questions_by_date(site: Site) -> list[tuple[Log, list]]:
    groups = [(log, list(log.questions)) for log in site.logs if log.questions]
    return sorted(groups, key=lambda g: (g[0].date, g[0].src), reverse=True)
