"""Links and images in a post's body: to other posts, rewritten to their logs; to the blog's files, reported.

A link to another post, in whatever form the blog wrote it (``{% post_url %}``,
an absolute link to the old site, ``{{ site.baseurl }}/2021/09/08/...``, a
relative ``Level2-Day27.html``), becomes a link to that post's log file, which
MkDocs and Zensical turn into the log's page. A link to a file the blog had
(``/assets/img/...``) is reported with a hint to copy it. A link that is not a
well-formed URL (``[x]([https://...](https://...))``) is reported and left
exactly as written.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import PurePosixPath
from urllib.parse import urljoin

from .addresses import Addresses
from .blog import POST_NAME, POSTS_DIR, Blog, Post, file_date

Problem = Callable[[int | None, str, str | None], None]
"""Reports a problem at a 0-based line of the body (None: a line the import added)."""

_MD_LINK = re.compile(
    r"(?P<bang>!?)\[(?P<text>[^\]\n]*)\]\(\s*<?(?P<url>[^)\s>]+)>?(?P<title>\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)"
)
_HTML_URL = re.compile(r"""(?P<attr>\b(?:src|href)\s*=\s*)(?P<q>["'])(?P<url>.*?)(?P=q)""", re.I)
_REF_DEF = re.compile(r"^(?P<lead>\s{0,3}\[[^\]]+\]:\s*<?)(?P<url>[^\s>]+)")
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)
# What a well-formed URL never holds unescaped (RFC 3986), or a `%` that is not an escape.
_MALFORMED = re.compile(r"""[\s\[\]<>"{}|\\^`]|%(?![0-9A-Fa-f]{2})""")
_POST_URL = re.compile(r"\{%-?\s*post_url\s+(?P<name>[^\s%]+)\s*-?%\}")
_LINK_TAG = re.compile(r"\{%-?\s*link\s+(?P<path>[^\s%]+)\s*-?%\}")


class LinkRewriter:
    """Rewrites the links of one post's body."""

    def __init__(self, blog: Blog, post: Post, old_url: str | None, addresses: Addresses,
                 logs: dict[str, str], problem: Problem) -> None:
        self.blog = blog
        self.post = post
        self.old_url = old_url
        """The post's old address, against which its relative links are read."""
        self.addresses = addresses
        self.logs = logs
        """Post file stem -> the log file it is now."""
        self.problem = problem
        self._reported: set[tuple[int | None, str]] = set()

    def liquid(self, text: str, src: int | None) -> str:
        """``{% post_url name %}`` and ``{% link _posts/... %}`` as links to logs."""
        def post_url(m: re.Match[str]) -> str:
            stem = re.sub(r"\.(?:md|markdown)$", "", PurePosixPath(m["name"]).name)
            if stem in self.logs:
                return self.logs[stem]
            day = file_date(stem)
            name = POST_NAME.match(stem)
            old = f"/{day:%Y/%m/%d}/{name['title']}.html" if isinstance(day, dt.date) and name else m[0]
            self.problem(src, f"`{m[0]}` names a post the blog does not have; written as {old}",
                         "fix the name, or link to the log by hand")
            self._reported.add((src, old))
            return old

        def link(m: re.Match[str]) -> str:
            path = m["path"].lstrip("/")
            stem = PurePosixPath(path).stem
            if path.startswith(POSTS_DIR + "/") and stem in self.logs:
                return self.logs[stem]
            return "/" + path

        return _LINK_TAG.sub(link, _POST_URL.sub(post_url, text))

    def line(self, text: str, src: int | None, *, line_start: bool) -> str:
        """Markdown links and images, HTML ``src``/``href`` and reference definitions on one line."""
        def md_link(m: re.Match[str]) -> str:
            url = self.url(m["url"], src, "image" if m["bang"] else "link")
            return f"{m['bang']}[{m['text']}]({url}{m['title'] or ''})"

        def html_url(m: re.Match[str]) -> str:
            kind = "image" if m["attr"].lower().startswith("src") else "link"
            return f"{m['attr']}{m['q']}{self.url(m['url'], src, kind, html=True)}{m['q']}"

        text = _MD_LINK.sub(md_link, text)
        text = _HTML_URL.sub(html_url, text)
        ref = _REF_DEF.match(text) if line_start else None
        if ref:
            text = ref["lead"] + self.url(ref["url"], src, "link") + text[ref.end() :]
        return text

    def url(self, url: str, src: int | None, kind: str, *, html: bool = False) -> str:
        """``url`` as the log should have it: a log's file for a link to a post, else as it was.

        In HTML (``<img src>``, ``<a href>``) MkDocs rewrites nothing, so there a link to
        another post is reported rather than pointed at its Markdown file.
        """
        if not url or url.startswith("#"):
            return url
        path, hash_, fragment = url.partition("#")
        anchor = hash_ + fragment
        name = PurePosixPath(path).name
        stem = re.sub(r"\.(?:md|markdown)$", "", name)
        if not html and not _SCHEME.match(path) and name != stem and stem in self.logs:
            return self.logs[stem] + anchor  # a relative link to another post's file
        if not html and "/" not in path and name in self.logs.values():
            return url  # a log of the site, beside this one
        if _MALFORMED.search(url):
            self._report(src, url, f"{kind} `{url}` is not a well-formed URL; left as it is",
                         f"fix the {kind} in the log (a URL has no spaces, brackets or quotes)")
            return url
        target = self.addresses.log_for(path, self.old_url)
        if target is not None:
            if html:
                self._report(src, url, f"HTML {kind} `{url}` to another post of the blog left as it is: "
                             "links in HTML are not rewritten", f"write it as a Markdown {kind} to {target}")
                return url
            return target + anchor
        relative = not (path.startswith("/") or _SCHEME.match(path))
        if not relative and self.addresses.site_path(path) is None:
            return url  # another site
        return self._blog_file(path, anchor, src, kind, url, relative=relative)

    def _blog_file(self, path: str, anchor: str, src: int | None, kind: str, url: str, *, relative: bool) -> str:
        """A link to a file of the old blog: reported; a relative one made absolute (nothing is beside the log)."""
        site_path = self.addresses.site_path(path) or path
        if relative:
            # Read from the post's folder when the file is there, else from the blog's root.
            beside = self.post.path.parent / path
            base = "/" + PurePosixPath(self.post.rel).parent.as_posix() + "/" \
                if self.blog.inside(beside) and beside.exists() else "/"
            site_path = urljoin("http://old.invalid" + base, path).removeprefix("http://old.invalid")
        state = f"written as {site_path}, so the build does not look for it beside the log" if relative \
            else "left as it is"
        on_disk = self.blog.root / site_path.lstrip("/")
        if self.blog.inside(on_disk) and on_disk.is_file():
            hint = (f"copy {on_disk} into the site's docs/ folder (e.g. docs{site_path}) and change the "
                    f"{kind} to a path relative to the log")
        else:
            hint = "the blog has no such file either; fix or remove the " + kind
        self._report(src, url, f"{kind} `{url}` points at the Jekyll blog's {site_path}, which this site does not "
                     f"have; {state}", hint)
        return site_path + anchor if relative else url

    def _report(self, src: int | None, url: str, message: str, hint: str) -> None:
        if (src, url) not in self._reported:
            self._reported.add((src, url))
            self.problem(src, message, hint)
