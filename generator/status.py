"""Reading status: the one definition of what a paper's ``status`` can be.

The order is the order of progress (to read, reading, read). Everything else
derives from :data:`STATUSES`: the catalogue's default, the CLI's choices, the
labels and badges on the pages, the order of the stats chart. The JSON Schema's
enum must equal :data:`KEYS` (a test checks it, since the schema is a published
file, not code). Colours live in the stylesheet only, as ``.sl-status--<key>``
for badges and ``.sl-fill--<key>`` for charts.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Status:
    key: str
    """As written in ``papers.yaml``: ``to-read``, ``reading``, ``read``."""
    label: str
    """As the site shows it (the English message id; pages translate it)."""

    @property
    def css_class(self) -> str:
        return f"sl-status--{self.key}"


STATUSES: tuple[Status, ...] = (
    Status("to-read", "to read"),
    Status("reading", "reading"),
    Status("read", "read"),
)
KEYS: tuple[str, ...] = tuple(s.key for s in STATUSES)
DEFAULT = STATUSES[0].key
BY_KEY = {s.key: s for s in STATUSES}


def status(key: str) -> Status:
    """The status written as ``key``. Raises KeyError for an unknown one (the schema refuses it first)."""
    return BY_KEY[key]
