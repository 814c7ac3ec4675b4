"""arXiv identifiers: parse, validate and normalise them before anything asks arXiv.

arXiv rejects a whole request when one ID in it is malformed, so every ID is
checked here first. Two schemes exist (https://info.arxiv.org/help/arxiv_identifier.html):

* new style, since April 2007: ``YYMM.NNNN`` (to 2014) or ``YYMM.NNNNN`` (2015 on);
* old style, before: ``archive(.SC)/YYMMNNN``, for example ``hep-th/9901001``.

Either may carry a version suffix ``vN``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

OLD_ARCHIVES = frozenset(
    ["acc-phys", "adap-org", "alg-geom", "ao-sci", "astro-ph", "atom-ph", "bayes-an", "chao-dyn", "chem-ph", "cmp-lg", "comp-gas", "cond-mat", "cs", "dg-ga", "funct-an", "gr-qc", "hep-ex", "hep-lat", "hep-ph", "hep-th", "math", "math-ph", "mtrl-th", "nlin", "nucl-ex", "nucl-th", "patt-sol", "physics", "plasm-ph", "q-alg", "q-bio", "quant-ph", "solv-int", "supr-con"]
)

_NEW = re.compile(r"(?P<yymm>\d{4})\.(?P<num>\d{4,5})(?:v(?P<v>[1-9]\d*))?")
_OLD = re.compile(
    r"(?P<archive>[a-z]+(?:-[a-z]+)?)(?P<sc>\.[A-Z]{2})?/(?P<yymm>\d{4})(?P<num>\d{3})"
    r"(?:v(?P<v>[1-9]\d*))?"
)

EXAMPLES = '"2104.08691", "2104.08691v2" or "hep-th/9901001"'


@dataclass(frozen=True, order=True)
class ArxivId:
    """An arXiv identifier. ``base`` has no version; ``version`` is None when unpinned."""

    base: str
    version: int | None = None

    def __str__(self) -> str:
        return f"{self.base}v{self.version}" if self.version else self.base

    @property
    def abs_url(self) -> str:
        return f"https://arxiv.org/abs/{self}"

    @property
    def pdf_url(self) -> str:
        return f"https://arxiv.org/pdf/{self}"

    @property
    def slug(self) -> str:
        """A file-name-safe form: ``hep-th/9901001`` becomes ``hep-th-9901001``."""
        return self.base.replace("/", "-")


def _problem(text: str) -> str | None:
    """Why ``text`` is not a valid ID, or None when it is one."""
    m = _NEW.fullmatch(text)
    if m:
        month = int(m["yymm"][2:])
        if not 1 <= month <= 12:
            return f"month {m['yymm'][2:]} in '{text}' does not exist"
        year = int(m["yymm"][:2])
        digits = len(m["num"])
        if (year, month) < (7, 4):
            return f"'{text}' is new-style but dated before April 2007, when that style began"
        if digits == 4 and year >= 15:
            return f"'{text}' has 4 digits after the dot; IDs from 2015 on have 5"
        if digits == 5 and year < 15:
            return f"'{text}' has 5 digits after the dot; IDs before 2015 have 4"
        return None
    m = _OLD.fullmatch(text)
    if m:
        if m["archive"] not in OLD_ARCHIVES:
            return f"'{m['archive']}' is not an arXiv archive"
        if not 1 <= int(m["yymm"][2:]) <= 12:
            return f"month {m['yymm'][2:]} in '{text}' does not exist"
        return None
    return f"'{text}' is not an arXiv ID"


def parse_arxiv_id(text: str) -> ArxivId:
    """Parse an ID such as ``2104.08691``, ``arXiv:2104.08691v2`` or ``hep-th/9901001``.

    Raises ValueError with a message that says what is wrong.
    """
    raw = text.strip()
    if raw[:6].lower() == "arxiv:":
        raw = raw[6:].strip()
    problem = _problem(raw)
    if problem:
        raise ValueError(problem)
    m = _NEW.fullmatch(raw) or _OLD.fullmatch(raw)
    assert m is not None
    version = int(m["v"]) if m["v"] else None
    base = raw[: m.start("v") - 1] if version else raw
    return ArxivId(base, version)


_ARXIV_HOSTS = {"arxiv.org", "www.arxiv.org", "export.arxiv.org"}
_PATH = re.compile(r"/(?:abs|pdf|html)/(?P<id>.+?)(?:\.pdf)?/?$")


def arxiv_id_from_url(url: str) -> ArxivId | None:
    """The arXiv ID an ``arxiv.org/abs|pdf|html/...`` URL points at, or None."""
    text = url.strip()
    if "://" not in text:
        text = "https://" + text
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if (parts.hostname or "").lower() not in _ARXIV_HOSTS:
        return None
    m = _PATH.match(parts.path)
    if not m:
        return None
    try:
        return parse_arxiv_id(m["id"])
    except ValueError:
        return None


_ACL_HOSTS = {"aclanthology.org": "/", "www.aclanthology.org": "/", "aclweb.org": "/anthology/",
              "www.aclweb.org": "/anthology/"}
_ACL_ID = re.compile(r"(?P<id>[A-Z]\d{2}-\d{4}|\d{4}\.[a-z0-9]+(?:-[a-z0-9]+)*\.\d+)(?:v\d+)?(?:\.pdf)?/?")


def acl_id_from_url(url: str) -> str | None:
    """The ACL Anthology ID of an ``aclanthology.org`` (or ``aclweb.org/anthology``) paper URL, or None.

    ``https://aclanthology.org/C18-1266/`` gives ``C18-1266``; ``.../2020.acl-main.447.pdf`` gives ``2020.acl-main.447``.
    """
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    prefix = _ACL_HOSTS.get((parts.hostname or "").lower())
    if prefix is None or not parts.path.startswith(prefix):
        return None
    m = _ACL_ID.fullmatch(parts.path[len(prefix):])
    return m["id"] if m else None


def scholar_id(arxiv: ArxivId | None, doi: str | None, url: str | None) -> str | None:
    """The ID Semantic Scholar's API knows a paper by: ``ARXIV:2002.08909``, else ``DOI:...``, else ``ACL:C18-1266``."""
    if arxiv is not None:
        return f"ARXIV:{arxiv.base}"
    if doi:
        return f"DOI:{doi}"
    acl = acl_id_from_url(url) if url else None
    return f"ACL:{acl}" if acl else None


def parse_id_or_url(text: str) -> ArxivId:
    """An ID typed by a user, either bare or as an arXiv URL. Raises ValueError."""
    found = arxiv_id_from_url(text) if ("/abs/" in text or "/pdf/" in text or "://" in text) else None
    if found:
        return found
    return parse_arxiv_id(text)
