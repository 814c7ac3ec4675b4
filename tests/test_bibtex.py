"""BibTeX: citation keys (and their clashes), entries, and LaTeX escaping, without MkDocs."""

from __future__ import annotations

from collections.abc import Callable

import bibtexparser
import pytest
from pylatexenc.latex2text import LatexNodes2Text

from generator.bibtex import Citations, entry, latex, verbatim
from generator.citekeys import assign_keys, stem
from generator.model import Site

from .sitebuild import LATEX_SPECIAL

MakeProject = Callable[..., Site]


def papers(*rows: str) -> str:
    return "topics: []\npapers:\n" + "".join(f"  - {row}\n" for row in rows)


@pytest.mark.parametrize(
    ("row", "key"),
    [
        ('{id: p, title: "REALM: Retrieval-Augmented Language Model Pre-Training", authors: [Kelvin Guu, Kenton Lee], year: 2020}',
         "guu2020realm"),
        ('{id: p, title: "The Power of Scale for Prompt Tuning", authors: [Brian Lester], year: 2021}', "lester2021power"),
        ('{id: p, title: "What Is It", authors: [Ada Lovelace], year: 1950}', "lovelace1950it"),  # stopwords skipped
        ('{id: p, title: "The Of", authors: [Ada Lovelace], year: 1950}', "lovelace1950the"),  # all stopwords: the first
        ('{id: p, title: "Über-Modelle: mehr", authors: ["Frédéric Blain"], year: 2018}', "blain2018uber"),  # ASCII only
        ('{id: p, title: "deepQuest", authors: [Julia Ive, Lucia Specia]}', "ivedeepquest"),  # no year
        ('{id: p, title: "REALM", year: 2020}', "realm2020"),  # no authors (metadata not fetched yet)
        ('{id: p, title: "한국어 모델", authors: ["홍길동"]}', "p"),  # nothing ASCII to make a key of: the id
        ('{id: p, title: "GPT-3 / In: Context", authors: ["van der Berg"], year: 2020}', "berg2020gpt"),
    ],
)
def test_base_keys_look_like_google_scholars(make_project: MakeProject, row: str, key: str) -> None:
    (e,) = make_project(papers(row)).entries
    assert stem(e.paper) == key


def test_clashing_keys_get_letters_in_catalogue_order(make_project: MakeProject) -> None:
    site = make_project(papers(
        '{id: a, title: "REALM", authors: [Kelvin Guu], year: 2020}',
        '{id: b, title: "Other", authors: [Kelvin Guu], year: 2020}',
        '{id: c, title: "REALM, again", authors: [Kelvin Guu], year: 2020}',
        '{id: d, title: "REALM, once more", authors: [Kelvin Guu], year: 2020}',
    ))
    assert assign_keys(site.catalogue.papers, {}) == {"a": "guu2020realm", "b": "guu2020other", "c": "guu2020realma",
                                         "d": "guu2020realmb"}


def test_keys_stay_unique_when_a_lettered_key_is_also_a_base(make_project: MakeProject) -> None:
    site = make_project(papers(
        '{id: a, title: "REALM", authors: [Kelvin Guu], year: 2020}',
        '{id: b, title: "REALM", authors: [Kelvin Guu], year: 2020}',
        '{id: c, title: "Realma", authors: [Kelvin Guu], year: 2020}',  # its own key is guu2020realma
    ))
    keys = assign_keys(site.catalogue.papers, {})
    assert len(set(keys.values())) == 3, keys
    assert keys["a"] == "guu2020realm" and keys["c"] == "guu2020realma"


def test_many_clashes_keep_keys_bibtex_can_read(make_project: MakeProject) -> None:
    site = make_project(papers(*[f'{{id: p{n}, title: "REALM", authors: [Kelvin Guu], year: 2020}}' for n in range(30)]))
    keys = list(assign_keys(site.catalogue.papers, {}).values())
    assert len(set(keys)) == 30
    assert keys[:3] == ["guu2020realm", "guu2020realma", "guu2020realmb"]
    assert all(key.isascii() and key.isalnum() for key in keys), keys
    bib = "\n".join(entry(e, key) for e, key in zip(site.entries, keys, strict=True))
    library = bibtexparser.parse_string(bib)
    assert library.failed_blocks == [] and [e.key for e in library.entries] == keys


def test_citations_give_one_key_and_entry_per_paper(make_project: MakeProject) -> None:
    site = make_project(papers(
        '{id: a, title: "REALM", authors: [Kelvin Guu], year: 2020}',
        '{id: b, title: "REALM", authors: [Kelvin Guu], year: 2020}',
    ))
    citations = Citations(site)
    a, b = site.entries
    assert (citations.key(a), citations.key(b)) == ("guu2020realm", "guu2020realma")
    assert citations.bibtex(b).startswith("@misc{guu2020realma,\n")
    assert citations.bibtex(b) is citations.bibtex(b)  # made once


def test_an_entry_has_every_field_aligned(make_project: MakeProject) -> None:
    site = make_project(papers(
        '{arxiv: "2104.08691v2", title: "The Power of Scale", authors: [Brian Lester, Noah Constant], year: 2021, '
        'venue: EMNLP 2021, doi: "10.18653/v1/2021.emnlp-main.243"}',
        '{id: deepquest, title: deepQuest, authors: [Julia Ive], year: 2018, venue: preprint, '
        'url: "https://aclanthology.org/C18-1266/"}',
    ))
    prompt, deepquest = site.entries
    assert entry(prompt, "lester2021power") == (  # EMNLP: a conference, so @inproceedings with its booktitle
        "@inproceedings{lester2021power,\n"
        "  title         = {{The Power of Scale}},\n"
        "  author        = {Brian Lester and Noah Constant},\n"
        "  booktitle     = {EMNLP 2021},\n"
        "  year          = {2021},\n"
        "  eprint        = {2104.08691v2},\n"
        "  archiveprefix = {arXiv},\n"
        "  doi           = {10.18653/v1/2021.emnlp-main.243},\n"
        "  url           = {https://arxiv.org/abs/2104.08691v2}\n"
        "}\n"
    )
    # "preprint" is no venue; without arXiv the paper's own URL is given.
    assert entry(deepquest, "ive2018deepquest") == (
        "@misc{ive2018deepquest,\n"
        "  title  = {{deepQuest}},\n"
        "  author = {Julia Ive},\n"
        "  year   = {2018},\n"
        "  url    = {https://aclanthology.org/C18-1266/}\n"
        "}\n"
    )


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("plain title, with: punctuation (ok)?", "plain title, with: punctuation (ok)?"),
        ("Costs & 100% of $x_1$ #1", r"Costs {\&} 100{\%} of {\$}x{\_}1{\$} {\#}1"),
        ("{braces} ~tilde^ back\\slash", r"{\{}braces{\}} {\textasciitilde}tilde{\textasciicircum} back{\textbackslash}slash"),
        ("Frédéric Müller", r"Fr{\'e}d{\'e}ric M{\"u}ller"),
        ("two\n  lines", "two lines"),
    ],
)
def test_latex_escaping(text: str, escaped: str) -> None:
    assert latex(text) == escaped


def test_escaped_text_reads_back_as_written() -> None:
    # pylatexenc reads \textasciicircum back as U+02C6.
    assert LatexNodes2Text().latex_to_text(latex(LATEX_SPECIAL)).replace("\u02c6", "^") == LATEX_SPECIAL
    assert LatexNodes2Text().latex_to_text(latex("Łukasiewicz, Zoë & <i>")) == "Łukasiewicz, Zoë & <i>"


def test_verbatim_fields_lose_only_what_could_end_them() -> None:
    assert verbatim("10.1000/x_y%z") == "10.1000/x_y%z"
    assert verbatim("https://x.org/a b}{c}\\d\n") == "https://x.org/abcd"


def test_hostile_fields_cannot_break_out_of_the_entry(make_project: MakeProject) -> None:
    site = make_project(papers(
        '{id: x, title: "}, evil = {x", authors: ["A } and B"], year: 2020, url: "https://x.org/}@misc{y,"}',
    ))
    (e,) = site.entries
    library = bibtexparser.parse_string(entry(e, "key"))
    assert library.failed_blocks == [] and [b.key for b in library.entries] == ["key"]
    assert set(library.entries[0].fields_dict) == {"title", "author", "year", "url"}
    assert LatexNodes2Text().latex_to_text(library.entries[0]["title"]) == "}, evil = {x"
