"""Flashcards from the mentoring Q&A: an Anki deck (``.apkg``, with genanki) and Anki's plain text format.

Each card is one question of the logs: the question on the front; the answer (its
math as MathJax, which Anki renders), the date and a link back to its place in the
log on the back. Cards go into one deck per category of their log
(``Studylog::Boostcamp-AI-Tech``; a log without categories into ``Studylog``), and
carry the log's tags.

A card's ID (Anki's note GUID) comes from the log's file and the question's text,
never from its position: editing an answer, or writing a new question above it,
keeps every other card's ID, so re-importing the deck updates cards in place and
keeps their review history. Two questions with the same text in one log are told
apart by which comes first.

The deck is built in memory (genanki's ``write_to_db`` into an in-memory SQLite
database, serialized into a zip with fixed timestamps), so the same logs always
give the same bytes, and nothing is written outside the project. Answers are the
user's Markdown, rendered with the site's Markdown and then sanitized (nh3), so a
``<script>`` in a log runs nowhere, Anki included.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import json
import re
import sqlite3
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from html import escape

import genanki
import markdown
import nh3

from .i18n import Words
from .layout import Layout
from .memo import LastBuild, Memo
from .model import Site, SiteInfo

MODEL_ID = 1_733_917_204
"""Anki's id of the card type; fixed, so decks built anywhere update the same cards."""
DECK_ROOT = "Studylog"
_DECK_IDS = 1 << 30

_MARKDOWN_EXTENSIONS = ["extra", "sane_lists", "pymdownx.arithmatex", "pymdownx.tilde", "pymdownx.tasklist"]
_MARKDOWN_CONFIG = {"pymdownx.arithmatex": {"generic": True}}


@dataclass(frozen=True)
class Card:
    guid: str
    deck: str
    front: str
    """The question, as sanitized HTML."""
    back: str
    """The answer, the date and the link back, as sanitized HTML."""
    tags: tuple[str, ...]


def cards(site: Site, info: SiteInfo, layout: Layout) -> list[Card]:
    """One card per question of the site's logs, oldest log first.

    A log's cards are kept for the next call while the log, the site's settings and layout are those
    they were made from (under serve an unchanged log is the same object from save to save)."""
    _LOG_CARDS.next_build()
    words = Words(info.language)
    md: markdown.Markdown | None = None
    root = info.url if info.url and info.url.endswith("/") else (f"{info.url}/" if info.url else None)
    found: list[Card] = []
    for log in site.logs:
        inputs = (log, info, layout)
        kept = _LOG_CARDS.find(log.src, partial(_made_of, inputs))
        if kept is not None:
            found += kept[1]
            continue
        if md is None:
            md = markdown.Markdown(extensions=_MARKDOWN_EXTENSIONS, extension_configs=_MARKDOWN_CONFIG)
        made: list[Card] = []
        seen: dict[str, int] = {}
        for question in log.questions:
            text = " ".join(question.text.split())
            seen[text] = seen.get(text, 0) + 1
            guid = genanki.guid_for(log.path.name, text, seen[text])
            answer = question.answer if question.answered else f"*{words.gettext('No answer recorded.')}*"
            place = escape(f"{words.date(log.date)} · {log.title}")
            if root:
                href = escape(f"{root}{layout.post_url(log)}#{question.anchor}", quote=True)
                place = f'<a href="{href}">{place}</a>'
            back = _html(md, answer) + f'\n<p class="studylog-source">{place}</p>'
            made.append(Card(
                guid=guid,
                deck="::".join([DECK_ROOT, log.categories[0]]) if log.categories else DECK_ROOT,
                front=_html(md, text),
                back=_sanitize(back),
                tags=tuple(_tag(t) for t in dict.fromkeys(log.tags) if _tag(t)),
            ))
        _LOG_CARDS.put(log.src, (inputs, tuple(made)))
        found += made
    return found


def _made_of(inputs: tuple[object, ...], kept: tuple[tuple[object, ...], tuple[Card, ...]]) -> bool:
    return kept[0] == inputs


_LOG_CARDS: LastBuild[tuple[tuple[object, ...], tuple[Card, ...]]] = LastBuild("flashcards of each log")


def apkg(found: Sequence[Card], when: dt.date | None = None) -> bytes:
    """The ``.apkg`` file of ``found``: a zip holding Anki's SQLite collection. Same cards, same bytes."""
    model = genanki.Model(
        MODEL_ID,
        "Studylog Q&A",
        fields=[{"name": "Question"}, {"name": "Answer"}],
        templates=[{
            "name": "Card 1",
            "qfmt": "{{Question}}",
            "afmt": '{{FrontSide}}<hr id="answer">{{Answer}}',
        }],
        css=".card { font-family: sans-serif; font-size: 18px; text-align: left; } "
            ".studylog-source { font-size: 14px; opacity: 0.7; }",
    )
    decks: dict[str, genanki.Deck] = {}
    for card in found:
        if card.deck not in decks:
            decks[card.deck] = genanki.Deck(_deck_id(card.deck), card.deck)
        decks[card.deck].add_note(genanki.Note(model=model, fields=[card.front, card.back], guid=card.guid,
                                               tags=list(card.tags)))
    if not decks:
        decks[DECK_ROOT] = genanki.Deck(_deck_id(DECK_ROOT), DECK_ROOT)
    timestamp = dt.datetime.combine(when or dt.date(2021, 1, 1), dt.time(), tzinfo=dt.UTC).timestamp()
    connection = sqlite3.connect(":memory:")
    try:
        cursor = connection.cursor()
        package = genanki.Package(list(decks.values()))
        package.write_to_db(cursor, timestamp, itertools.count(int(timestamp * 1000)))
        connection.commit()
        database = connection.serialize()
    finally:
        connection.close()
    out = io.BytesIO()
    stamp = (2021, 1, 1, 0, 0, 0)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("collection.anki2", stamp), database)
        archive.writestr(zipfile.ZipInfo("media", stamp), json.dumps({}))
    return out.getvalue()


def anki_text(found: Sequence[Card]) -> str:
    """Anki's plain text import format: tab-separated, HTML fields, the GUID, deck and tags columns."""
    lines = ["#separator:tab", "#html:true", "#guid column:1", "#deck column:2", "#tags column:5"]
    for card in found:
        row = [card.guid, card.deck, card.front, card.back, " ".join(card.tags)]
        lines.append("\t".join(_one_field(value) for value in row))
    return "\n".join(lines) + "\n"


# Under `mkdocs serve` the deck is made again on every save, from questions that mostly did not change.
_HTML: Memo[str] = Memo("flashcard fields")


def _html(md: markdown.Markdown, text: str) -> str:
    """A question or answer as a card shows it (the Markdown is the same for every card: only the text counts)."""
    return _HTML.get(text, lambda: _sanitize(md.reset().convert(text)))


def _sanitize(html_text: str) -> str:
    """Only inert HTML: no script, style, event handler or javascript: link (Anki runs a card's scripts)."""
    return nh3.clean(html_text, attributes={"a": {"href", "title"}, "code": {"class"}, "span": {"class"},
                                            "p": {"class"}, "div": {"class"}},
                     url_schemes={"http", "https"})


def _one_field(value: str) -> str:
    """A field on one line of the text file: tabs and line breaks would end it."""
    return re.sub(r"[\t\r\n]+", " ", value)


def _tag(name: str) -> str:
    """An Anki tag has no spaces."""
    return re.sub(r"\s+", "_", name.strip())


def _deck_id(name: str) -> int:
    """A deck's id from its name: the same name, the same deck, in every build."""
    return int(genanki.guid_for("studylog-deck", name).encode("utf-8").hex(), 16) % _DECK_IDS + _DECK_IDS
