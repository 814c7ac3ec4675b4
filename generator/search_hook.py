"""The MkDocs side of Korean search: rewrite the index Material's search plugin wrote.

``StudylogPlugin.on_post_build`` calls ``on_post_build_korean`` after Material's
search plugin has written ``search/search_index.json`` (``search_ko`` says what
is added, and why the pages do not change).
"""

from __future__ import annotations

import logging
import os
import time
from typing import TYPE_CHECKING

from .fsutil import write_atomic
from .search_ko import enrich_search_index

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

log = logging.getLogger(f"mkdocs.plugins.{__name__}")

INDEX = os.path.join("search", "search_index.json")


def on_post_build_korean(config: MkDocsConfig, site_dir: str | None = None) -> None:
    """Add the words inside Korean compounds to the site's search index, if it has one.

    Raises ``StudylogError`` when kiwipiepy is not installed.
    """
    path = os.path.join(site_dir or config.site_dir, INDEX)
    if not os.path.isfile(path):  # search is off, or another search plugin is used
        return
    began = time.perf_counter()
    with open(path, encoding="utf-8") as handle:
        before = handle.read()
    after = enrich_search_index(before)
    write_atomic(path, after)
    log.debug(
        "Korean search: index %d -> %d bytes in %.2f s", len(before), len(after), time.perf_counter() - began
    )
