"""Where the blog's posts lived: Jekyll's permalinks, and which log an old link means.

Every post's old address is computed as Jekyll computes it: the post's own
``permalink``, else ``_config.yml``'s (a named style, ``date`` by default, or a
template), with its placeholders (``:categories``, ``:year``, ``:month``,
``:i_month``, ``:day``, ``:title``, ``:slug``, ...) filled from the post's date
in the site's ``timezone``, its categories and its file name. With the post's own
``redirect_from``, these become the log's ``redirect_from``, so the site answers
each old address with a redirect to the log's new page (``generator.redirects``).

The same table resolves links between posts: ``{{ site.url }}{{ site.baseurl }}``
and absolute links to the old site, site paths, and relative ``.html`` links read
from the linking post's old address.
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import unquote, urljoin, urlsplit

from .blog import Post, SiteConfig
from .front_matter import Reading

# Jekyll's named permalink styles.
STYLES = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}
_PLACEHOLDER = re.compile(r":([a-z_]+)")
_PRETTY_KEEP = set("._~!$&'()+,;=@")
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"]
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def jekyll_slugify(text: str, *, pretty: bool = False, cased: bool = False) -> str:
    """Jekyll's ``Utils.slugify``: runs of other characters become ``-`` (Hangul is a letter, and stays)."""
    out: list[str] = []
    for char in text:
        keep = char.isalnum() or (pretty and char in _PRETTY_KEEP)
        if keep:
            out.append(char)
        elif not out or out[-1] != "-":
            out.append("-")
    slug = "".join(out).strip("-")
    return slug if cased else slug.lower()


def placeholders(reading: Reading) -> dict[str, str]:
    """The values of a post's permalink placeholders."""
    when = reading.when
    day = when if isinstance(when, dt.date) else reading.post.date
    clock = when if isinstance(when, dt.datetime) else dt.datetime.combine(day, dt.time())
    post = reading.post
    slug = reading.slug or post.title_part
    iso = day.isocalendar()
    return {
        "year": f"{day.year:04d}", "month": f"{day.month:02d}", "day": f"{day.day:02d}",
        "i_month": str(day.month), "i_day": str(day.day), "short_year": f"{day.year % 100:02d}",
        "hour": f"{clock.hour:02d}", "minute": f"{clock.minute:02d}", "second": f"{clock.second:02d}",
        "y_day": f"{day.timetuple().tm_yday:03d}", "short_month": _MONTHS[day.month - 1][:3].upper(),
        "long_month": _MONTHS[day.month - 1], "short_day": _DAYS[day.weekday()][:3].upper(),
        "long_day": _DAYS[day.weekday()], "week": f"{iso.week:02d}", "w_year": str(iso.year),
        "w_day": str(iso.weekday),
        "title": jekyll_slugify(slug, pretty=True, cased=True),
        "slug": jekyll_slugify(slug),
        "name": jekyll_slugify(post.stem),
        "categories": "/".join(dict.fromkeys(c.lower() for c in reading.categories)),
        "output_ext": ".html",
    }


def permalink(reading: Reading, config: SiteConfig) -> tuple[str, list[str]]:
    """The post's old address relative to the site (``/boostcamp-ai-tech/2021/09/09/Level2-Day28.html``),
    and the placeholders it could not fill."""
    template = reading.permalink or STYLES.get(config.permalink, config.permalink)
    values = placeholders(reading)
    unknown: list[str] = []

    def fill(m: re.Match[str]) -> str:
        if m[1] in values:
            return values[m[1]].strip("/") if m[1] != "categories" else values[m[1]]
        unknown.append(m[0])
        return m[0]

    url = re.sub(r"/{2,}", "/", _PLACEHOLDER.sub(fill, template))
    trailing = url.endswith("/")
    url = "/" + "/".join(part for part in url.split("/") if part and not re.fullmatch(r"\.+", part))
    return (url + "/" if trailing and url != "/" else url), unknown


def old_addresses(reading: Reading, config: SiteConfig) -> tuple[list[str], list[str]]:
    """Every old address of a post (its permalink, then its ``redirect_from``), and placeholders not filled."""
    url, unknown = permalink(reading, config)
    found = [] if unknown else [url]
    for old in reading.redirect_from:
        path = "/" + old.strip().lstrip("/")
        if path != "/" and "://" not in path:
            found.append(path)
    return list(dict.fromkeys(found)), unknown


class Addresses:
    """Old addresses of the blog's posts, and the log each one is now."""

    def __init__(self, config: SiteConfig) -> None:
        self.config = config
        self._logs: dict[str, str] = {}
        self._by_date: dict[tuple[dt.date, str], str] = {}

    def add(self, post: Post, name: str, addresses: list[str]) -> None:
        """``post`` is now the log ``name`` (a file name in the logs folder); it lived at ``addresses``."""
        for address in addresses:
            self._logs.setdefault(_key(address), name)
        self._by_date.setdefault((post.date, post.title_part.lower()), name)

    def log_for(self, url: str, base: str | None = None) -> str | None:
        """The log a link to ``url`` means, if it is a post of the blog.

        ``base`` is the linking post's old address, against which a relative link is read.
        """
        path = self.site_path(url, base)
        if path is None:
            return None
        found = self._logs.get(_key(path))
        if found is not None:
            return found
        # Another permalink style than the blog has now (it changed once): /YYYY/MM/DD/<title>.html anywhere.
        parts = [p for p in unquote(path).split("/") if p]
        if not parts:
            return None
        last = re.sub(r"\.html?$", "", parts[-1], flags=re.I).lower()
        for k in range(len(parts) - 3):
            y, m, d = parts[k : k + 3]
            if len(y) == 4 and y.isdigit() and m.isdigit() and d.isdigit():
                try:
                    day = dt.date(int(y), int(m), int(d))
                except ValueError:
                    continue
                if (day, last) in self._by_date:
                    return self._by_date[(day, last)]
        return None

    def site_path(self, url: str, base: str | None = None) -> str | None:
        """``url`` as a path of the old site (without ``baseurl``), or None when it points elsewhere."""
        parts = urlsplit(url)
        if parts.scheme or parts.netloc:
            old = urlsplit(self.config.url)
            if not old.netloc or parts.scheme not in ("", "http", "https") or \
                    parts.netloc.lower().removeprefix("www.") != old.netloc.lower().removeprefix("www."):
                return None
        path = parts.path
        if not path.startswith("/"):
            if base is None:
                return None
            path = urlsplit(urljoin("http://old.invalid" + self.config.baseurl + base, path)).path
        baseurl = self.config.baseurl
        if baseurl and (path == baseurl or path.startswith(baseurl + "/")):
            path = path[len(baseurl) :] or "/"
        return path


def _key(path: str) -> str:
    """An address as a lookup key: decoded, lowercase, without ``index.html``, ``.html`` or a trailing slash."""
    key = unquote(path).lower()
    key = re.sub(r"/index\.html?$", "/", key)
    key = re.sub(r"\.html?$", "", key)
    return key.rstrip("/") or "/"
