"""Flashcards from the mentoring Q&A: an Anki deck read back (it is SQLite in a zip), and Anki's text format.

The card IDs must survive edits: an answer changed, or a question written above, keeps every other ID.
"""

from __future__ import annotations

import io
import sqlite3
import zipfile
from pathlib import Path

from generator.flashcards import anki_text, apkg, cards
from generator.layout import Layout
from generator.model import Site, SiteInfo

from .sitebuild import write_project

SITE = SiteInfo("https://me.example/log/", "Studylog", language="ko")

LOG = """---
title: Day {n}
date: 2021-09-{n:02d}
slug: day-{n}
categories: [{category}]
tags: [NLP, 6주차]
---

{above}* Q. 어텐션에서 $\\sqrt{{d_k}}$로 나누는 이유는?
  * 분산을 1로 맞춰 softmax가 {answer}

* Q. 같은 질문?
  * 첫 번째

* Q. 같은 질문?
  * 두 번째 <script>window.__xss = 1</script> <img src=x onerror="alert(1)">

#### Q. 답이 없는 질문
"""


def make(tmp: Path, *, answer: str = "포화되지 않게 한다.", above: str = "", category: str = "Boostcamp") -> Site:
    tmp.mkdir(parents=True, exist_ok=True)
    logs = {"2021-09-09-day-9.md": LOG.format(n=9, answer=answer, above=above, category=category),
            "2021-09-10-day-10.md": LOG.format(n=10, answer="다른 답.", above="", category="Math")}
    return write_project(tmp, "topics: []\npapers: []\n", logs)


def notes(deck: bytes) -> dict[str, tuple[str, str, str]]:
    """GUID -> (question, answer, tags) of every note in an .apkg."""
    with zipfile.ZipFile(io.BytesIO(deck)) as archive:
        assert sorted(archive.namelist()) == ["collection.anki2", "media"]
        data = archive.read("collection.anki2")
    connection = sqlite3.connect(":memory:")
    connection.deserialize(data)
    try:
        rows = connection.execute("SELECT guid, flds, tags FROM notes").fetchall()
        assert connection.execute("SELECT count(*) FROM cards").fetchone()[0] == len(rows)
        decks = connection.execute("SELECT decks FROM col").fetchone()[0]
    finally:
        connection.close()
    assert '"Studylog::Boostcamp"' in decks and '"Studylog::Math"' in decks
    return {guid: (*fields.split("\x1f"), tags.strip()) for guid, fields, tags in rows}


def test_every_question_is_a_card_with_its_answer_math_date_and_link(tmp_path: Path) -> None:
    found = cards(make(tmp_path), SITE, Layout())
    assert len(found) == 8  # four questions in each of the two logs
    first = found[0]
    assert first.deck == "Studylog::Boostcamp" and first.tags == ("NLP", "6주차")
    assert "어텐션에서" in first.front and "\\(\\sqrt{d_k}\\)" in first.front  # math as MathJax, which Anki renders
    assert "포화되지 않게 한다." in first.back
    assert '<a href="https://me.example/log/logs/2021/09/09/day-9/#qa-1"' in first.back and "2021. 9. 9." in first.back
    assert "기록된 답이 없습니다." in found[3].back  # unanswered, in the site's language
    assert {card.deck for card in found} == {"Studylog::Boostcamp", "Studylog::Math"}


def test_nothing_in_a_log_runs_in_a_card(tmp_path: Path) -> None:
    found = cards(make(tmp_path), SITE, Layout())
    second = next(card for card in found if "두 번째" in card.back)
    assert "<script" not in second.back and "onerror" not in second.back and "__xss" not in second.back


def test_the_deck_reads_back_and_ids_survive_edits(tmp_path: Path) -> None:
    before = notes(apkg(cards(make(tmp_path / "a"), SITE, Layout())))
    assert len(before) == 8
    # An answer edited, and a new question written above the others: every other card keeps its ID.
    edited = make(tmp_path / "b", answer="바뀐 답.", above="* Q. 새 질문?\n  * 새 답.\n\n")
    after = notes(apkg(cards(edited, SITE, Layout())))
    assert len(after) == 9 and set(before) <= set(after)
    new = set(after) - set(before)
    assert [after[guid][0] for guid in new] == ["<p>새 질문?</p>"]
    changed = next(guid for guid, (question, *_) in before.items() if "어텐션" in question)
    assert "바뀐 답." in after[changed][1]
    # The two questions with the same text keep their own IDs, by which comes first.
    same = [guid for guid in after if "같은 질문" in after[guid][0]]
    assert len(same) == 4  # two in each log, each its own card
    assert {after[guid][1].split("<p")[0].strip() for guid in same} >= {"<ul>\n<li>첫 번째</li>\n</ul>"}


def test_the_same_logs_give_the_same_bytes(tmp_path: Path) -> None:
    site = make(tmp_path)
    assert apkg(cards(site, SITE, Layout())) == apkg(cards(site, SITE, Layout()))


def test_the_text_file_is_what_anki_imports(tmp_path: Path) -> None:
    found = cards(make(tmp_path), SITE, Layout())
    text = anki_text(found)
    lines = text.splitlines()
    assert lines[:5] == ["#separator:tab", "#html:true", "#guid column:1", "#deck column:2", "#tags column:5"]
    rows = [line.split("\t") for line in lines[5:]]
    assert len(rows) == len(found) and all(len(row) == 5 for row in rows)
    assert [row[0] for row in rows] == [card.guid for card in found]
    assert rows[0][4] == "NLP 6주차"


def test_a_logs_cards_are_kept_while_the_log_and_the_sites_settings_are_the_same(tmp_path: Path) -> None:
    from dataclasses import replace

    from generator import flashcards

    site, layout = make(tmp_path / "a"), Layout()
    first = cards(site, SITE, layout)
    hits = flashcards._LOG_CARDS.hits
    assert cards(site, SITE, layout) == first and flashcards._LOG_CARDS.hits == hits + len(site.logs)
    # One log edited, the other the same object: the edit shows, and the deck is what a fresh one is.
    edited = next(log for log in make(tmp_path / "b", answer="바뀐 답.").logs if "day-9" in log.src)
    mixed = replace(site, logs=tuple(edited if log.src == edited.src else log for log in site.logs))
    kept = cards(mixed, SITE, layout)
    assert any("바뀐 답" in card.back for card in kept) and kept != first
    flashcards._LOG_CARDS.clear()
    assert cards(mixed, SITE, layout) == kept
    # Another site address: every card's link follows it.
    other = SiteInfo("https://other.example/", "Studylog", language="ko")
    assert all("https://other.example/" in card.back for card in cards(site, other, layout))
