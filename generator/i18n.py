"""The site's own words in the site's language (``theme.language``): gettext catalogs, read with Babel.

Every string Studylog writes onto a page is an English message id, translated
through a gettext catalog: templates call ``_()`` and ``ngettext()`` (Jinja's i18n
extension), Python code calls :meth:`Words.gettext` and :meth:`Words.ngettext`.
Dates and month and weekday names come from Babel's CLDR data, so they are written
the way each language writes them.

A language is one file, ``generator/locale/<language>.po`` (``ko.po`` ships;
English is the message ids themselves). To add one, copy ``ko.po`` to, say,
``ja.po``, set its ``Language`` and ``Plural-Forms`` header and translate each
``msgstr``; ``tests/test_i18n.py`` checks that every catalog holds every message
the templates and the code use. Catalogs are read as ``.po`` and compiled in memory,
so there is no build step.
"""

from __future__ import annotations

import datetime as dt
import gettext
import io
from dataclasses import dataclass
from functools import cache
from importlib import resources

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, get_day_names, get_month_names
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

SOURCE_LANGUAGE = "en"
"""The language of the message ids."""
LOCALE_DIR = "locale"


def available() -> tuple[str, ...]:
    """The languages with a catalog, the source language first."""
    folder = resources.files("generator").joinpath(LOCALE_DIR)
    found = sorted(p.name.removesuffix(".po") for p in folder.iterdir() if p.name.endswith(".po"))
    return (SOURCE_LANGUAGE, *found)


def catalog_file(language: str) -> str | None:
    """The catalog's name for ``language`` (``pt_BR`` falls back to ``pt``), or None for English or no catalog."""
    names = {name.lower(): name for name in available()}
    code = language.replace("-", "_")
    for candidate in (code, code.split("_")[0]):
        name = names.get(candidate.lower())
        if name and name != SOURCE_LANGUAGE:
            return name
    return None


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The translations of ``language``: its catalog compiled in memory, or the message ids themselves."""
    name = catalog_file(language)
    if name is None:
        return gettext.NullTranslations()
    text = resources.files("generator").joinpath(LOCALE_DIR, f"{name}.po").read_bytes()
    catalog = read_po(io.BytesIO(text), locale=name)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled)


def _locale(language: str) -> Locale:
    try:
        return Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse(SOURCE_LANGUAGE)


@dataclass(frozen=True)
class Words:
    """The site's words in one language, for Python code (templates get the same through Jinja)."""

    language: str = SOURCE_LANGUAGE

    @property
    def _t(self) -> gettext.NullTranslations:
        return translations(self.language)

    def gettext(self, message: str, **values: object) -> str:
        text = self._t.gettext(message)
        return text % values if values else text

    def ngettext(self, singular: str, plural: str, n: int, **values: object) -> str:
        return self._t.ngettext(singular, plural, n) % {"num": n, **values}

    def date(self, day: dt.date, form: str = "medium") -> str:
        """``Sep 9, 2021`` in English, ``2021. 9. 9.`` in Korean."""
        return format_date(day, format=form, locale=_locale(self.language))

    def month_names(self) -> tuple[str, ...]:
        """Abbreviated month names, January first."""
        names = get_month_names("abbreviated", locale=_locale(self.language))
        return tuple(names[m] for m in range(1, 13))

    def weekday_names(self) -> tuple[str, ...]:
        """Abbreviated weekday names, Sunday first (the calendar's rows)."""
        names = get_day_names("abbreviated", locale=_locale(self.language))
        return tuple(names[(d + 6) % 7] for d in range(7))  # Babel counts from Monday = 0


def dynamic_messages() -> set[str]:
    """Message ids that code passes through ``_()`` as values, not literals: labels the data carries."""
    from .catalogue import schema
    from .graph.data import EDGE_KINDS, NODE_KINDS
    from .stats import NO_TOPIC, NO_YEAR
    from .status import STATUSES

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
