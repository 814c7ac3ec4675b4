"""The MkDocs side of Korean search: rewrite the index Material's search plugin wrote.

``StudylogPlugin.on_post_build`` calls ``on_post_build_korean`` after Material's
search plugin has written ``search/search_index.json`` (``search_index`` says what
is added, and why the pages do not change).
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

from .search_index import MATERIAL, rewrite_index

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

log = logging.getLogger(f"mkdocs.plugins.{__name__}")


def on_post_build_korean(config: MkDocsConfig, site_dir: str | None = None) -> None:
    """Add the words inside Korean compounds to the site's search index, if it has one.

    Raises ``StudylogError`` when kiwipiepy is not installed, or the index is not Material's.
    """
    began = time.perf_counter()
    # None: search is off, or another search plugin is used.
    done = rewrite_index(site_dir or config.site_dir, MATERIAL)
    if done is not None:
        log.debug("Korean search: index %d -> %d bytes in %.2f s", done.before, done.after,
                  time.perf_counter() - began)
