"""Which messages the site's catalogs must hold: what the templates and the code pass through gettext.

For the catalogs' maintainers and their test (``tests/test_i18n.py``): a catalog is
complete when it translates every message :func:`used_messages` finds, and holds
no other. Apart from :mod:`generator.i18n`, which reads the catalogs, so that it
can look at every module without any of them depending on it.
"""

from __future__ import annotations

from importlib import resources

from .catalogue import schema
from .graph.data import EDGE_KINDS, NODE_KINDS
from .stats import NO_TOPIC, NO_YEAR
from .status import STATUSES


def dynamic_messages() -> set[str]:
    """Message ids that code passes through ``_()`` as values, not literals: labels the data carries."""
    kinds = schema()["$defs"]["resource"]["properties"]["kind"]["enum"]
    graph = {k.label for k in NODE_KINDS} | {k.label for k in EDGE_KINDS}
    return {s.label for s in STATUSES} | set(kinds) | {NO_YEAR, NO_TOPIC} | graph


def used_messages() -> set[str | tuple[str, str]]:
    """Every message id the templates and the code use: a text, or a (singular, plural) pair.

    Found with Babel's extractors (Jinja's for templates), plus :func:`dynamic_messages`.
    """
    from babel.messages.extract import extract_from_dir

    root = resources.files("generator")
    method_map = [("templates/**.j2", "jinja2"), ("project_template/**.j2", "jinja2"), ("**.py", "python")]
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2)}
    found: set[str | tuple[str, str]] = set(dynamic_messages())
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(root), method_map=method_map, keywords=keywords,
        options_map={pattern: {"extensions": "jinja2.ext.i18n", "newstyle_gettext": "true", "trim_blocks": "true",
                               "lstrip_blocks": "true"} for pattern in ("templates/**.j2", "project_template/**.j2")},
    ):
        found.add(message if isinstance(message, str) else (message[0], message[1]))
    return found
