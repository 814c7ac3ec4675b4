"""papers.bib and papers.json: one entry per paper, readable by a reference manager.

The pure functions first (``exports.csl_name``, ``csl_item``, ``bibliography``,
``csl_json``), then the files the enriched site (``conftest``) publishes.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import bibtexparser
import pytest
from pylatexenc.latex2text import LatexNodes2Text

from generator.bibtex import Citations
from generator.exports import bibliography, csl_item, csl_json, csl_name
from generator.lock import save_lock
from generator.model import Site
from generator.project import Project, load_site

from .sitebuild import LATEX_SPECIAL, BuiltSite, article, arxiv_record, write_project

MakeProject = Callable[..., Site]

CATALOGUE = """\
topics: []
papers:
  - arxiv: "2104.08691"
    title: The Power of Scale
    year: 2021
    venue: EMNLP 2021
  - arxiv: "2002.08909"
    venue: preprint
  - id: deepquest
    title: deepQuest
    authors: [Julia Ive, Frédéric Blain]
    year: 2018
    venue: COLING 2018
    url: https://aclanthology.org/C18-1266/
    doi: 10.18653/dq
  - id: bare
    title: Nothing Else
"""


@pytest.mark.parametrize(
    ("name", "csl"),
    [
        ("Julia Ive", {"given": "Julia", "family": "Ive"}),
        ("Ada Augusta King Lovelace", {"given": "Ada Augusta King", "family": "Lovelace"}),
        ("Ludwig van Beethoven", {"given": "Ludwig", "non-dropping-particle": "van", "family": "Beethoven"}),
        ("Johannes Diderik van der Waals", {"given": "Johannes Diderik", "non-dropping-particle": "van der", "family": "Waals"}),
        ("Plato", {"literal": "Plato"}),
        ("  Facebook AI  ", {"given": "Facebook", "family": "AI"}),
        ("van Halen", {"given": "van", "family": "Halen"}),  # a particle first is a given name
    ],
)
def test_csl_names(name: str, csl: dict[str, str]) -> None:
    assert csl_name(name) == csl


@pytest.fixture()
def site(make_project: MakeProject, tmp_path) -> Site:  # type: ignore[no-untyped-def]
    make_project(CATALOGUE)
    return _with_lock(tmp_path)


def _with_lock(root: Path) -> Site:
    save_lock(root / "papers.lock.json", {
        "2104.08691": arxiv_record(),
        "2002.08909": arxiv_record(id="2002.08909", title="REALM", authors=("Kelvin Guu",), journal_ref="ICML 2020",
                                   published="2020-02-10T17:53:19Z", doi="10.1/realm", primary_category="cs.CL"),
    })
    return load_site(Project.at(root))


def test_csl_items_of_arxiv_and_other_papers(site: Site) -> None:
    prompt, realm, deepquest, bare = site.entries
    assert csl_item(prompt, "k1") == {  # EMNLP is a conference: the paper is in its proceedings
        "id": "k1", "type": "paper-conference", "title": "The Power of Scale",
        "author": [{"given": "Brian", "family": "Lester"}, {"given": "Rami", "family": "Al-Rfou"},
                   {"given": "Noah", "family": "Constant"}],
        "issued": {"date-parts": [[2021]]},  # the YAML year wins over arXiv's date
        "container-title": "EMNLP 2021", "URL": "https://arxiv.org/abs/2104.08691",
        "abstract": "We explore prompt tuning. A second paragraph.",
    }
    realm_item = csl_item(realm, "k2")
    assert realm_item["issued"] == {"date-parts": [[2020, 2, 10]]}  # arXiv's v1 date, to the day
    # The YAML venue "preprint" wins over arXiv's journal_ref, and is no venue.
    assert "note" not in realm_item and "container-title" not in realm_item
    assert realm_item["DOI"] == "10.1/realm" and realm_item["author"] == [{"given": "Kelvin", "family": "Guu"}]
    assert csl_item(deepquest, "k3") == {
        "id": "k3", "type": "paper-conference", "title": "deepQuest",
        "author": [{"given": "Julia", "family": "Ive"}, {"given": "Frédéric", "family": "Blain"}],
        "issued": {"date-parts": [[2018]]},
        "container-title": "COLING 2018", "URL": "https://aclanthology.org/C18-1266/", "DOI": "10.18653/dq",
    }
    assert csl_item(bare, "k4") == {"id": "k4", "type": "article", "title": "Nothing Else"}  # no venue: not a proceedings
    assert realm_item["type"] == "article" and realm_item["publisher"] == "arXiv"  # arXiv only: a preprint


def test_both_files_hold_every_paper_under_the_citation_keys(site: Site) -> None:
    citations = Citations(site)
    bib = bibliography(site, citations)
    assert bib.startswith("% 4 papers from Studylog's papers.yaml\n\n@inproceedings{power2021,\n")
    library = bibtexparser.parse_string(bib)
    assert library.failed_blocks == []
    keys = [citations.key(e) for e in site.entries]
    # Keys from papers.yaml alone (authors fetched later never change them); REALM has no title there.
    assert [e.key for e in library.entries] == keys == ["power2021", "arxiv2002.08909", "ive2018deepquest", "nothing"]
    items = json.loads(csl_json(site, citations))
    assert [i["id"] for i in items] == keys
    assert items == [csl_item(e, k) for e, k in zip(site.entries, keys, strict=True)]
    assert csl_json(site, citations).endswith("]\n") and "Frédéric" in csl_json(site, citations)  # UTF-8, not \\u


# -- the files the enriched site publishes --------------------------------------------------------------


def test_bibtex_has_one_entry_per_paper_with_the_right_fields(enriched_site: BuiltSite) -> None:
    library = bibtexparser.parse_string((enriched_site.site / "papers.bib").read_text(encoding="utf-8"))
    assert library.failed_blocks == []
    entries = {e.key: e for e in library.entries}
    assert len(library.entries) == 15 == len(entries)
    # Keys come from papers.yaml alone: the authors the lock brings do not change them.
    lester = entries["power2021"]
    assert lester["eprint"] == "2104.08691" and lester["archiveprefix"] == "arXiv"
    assert lester["author"] == "Brian Lester and Rami Al-Rfou and Noah Constant"
    assert lester["primaryclass"] == "cs.CL" and lester["year"] == "2021"
    deepquest = entries["ive2018deepquest"]
    assert "eprint" not in deepquest.fields_dict
    assert LatexNodes2Text().latex_to_text(deepquest["author"]) == "Julia Ive and Frédéric Blain and Lucia Specia"
    assert deepquest["url"] == "https://aclanthology.org/C18-1266/"


def test_the_entry_type_follows_the_venue(shipped_site: BuiltSite) -> None:
    library = bibtexparser.parse_string((shipped_site.site / "papers.bib").read_text(encoding="utf-8"))
    entries = {e.key: e for e in library.entries}
    kinds = {key: (e.entry_type, {f for f in ("booktitle", "journal", "note") if f in e.fields_dict})
             for key, e in entries.items()}
    # A conference (by the venue's name): @inproceedings with booktitle, eprint fields kept.
    assert kinds["power2021"] == ("inproceedings", {"booktitle"}) and entries["power2021"]["booktitle"] == "EMNLP 2021"
    assert kinds["ive2018deepquest"] == ("inproceedings", {"booktitle"})
    # A journal: TACL by its name, AI Open by `venue_type: journal` in papers.yaml.
    assert kinds["olmpics2019"] == ("article", {"journal"}) and entries["olmpics2019"]["journal"] == "TACL 2020"
    assert kinds["gpt2021"] == ("article", {"journal"}) and entries["gpt2021"]["journal"] == "AI Open 2023"
    # A preprint stays @misc with its eprint fields, and "preprint" is no venue.
    assert kinds["evaluating2021"] == ("misc", set()) and entries["evaluating2021"]["eprint"] == "2107.03374"
    assert {kind for kind, _ in kinds.values()} == {"inproceedings", "article", "misc"}


def test_latex_special_characters_are_escaped(enriched_site: BuiltSite) -> None:
    library = bibtexparser.parse_string((enriched_site.site / "papers.bib").read_text(encoding="utf-8"))
    realm = next(e for e in library.entries if "eprint" in e.fields_dict and e["eprint"] == "2002.08909")
    assert realm.key == "arxiv2002.08909"  # papers.yaml gives it neither a title nor authors here
    title = realm["title"]
    for raw in ("&", "%", "$", "_", "#"):
        assert f"\\{raw}" in title  # escaped for LaTeX
    # ... and reads back as the original (pylatexenc reads \textasciicircum as U+02C6).
    assert LatexNodes2Text().latex_to_text(title).replace("\u02c6", "^") == LATEX_SPECIAL
    assert realm["doi"] == "10.1000/x_y"  # doi and url are verbatim fields


def test_csl_json_matches_the_bibtex(enriched_site: BuiltSite) -> None:
    items = json.loads((enriched_site.site / "papers.json").read_text(encoding="utf-8"))
    library = bibtexparser.parse_string((enriched_site.site / "papers.bib").read_text(encoding="utf-8"))
    assert [i["id"] for i in items] == [e.key for e in library.entries]
    csl_types = {"inproceedings": "paper-conference", "article": "article-journal", "misc": "article"}
    assert [i["type"] for i in items] == [csl_types[e.entry_type] for e in library.entries]
    by_id = {i["id"]: i for i in items}
    assert by_id["ive2018deepquest"]["author"][1] == {"given": "Frédéric", "family": "Blain"}
    assert by_id["ive2018deepquest"]["type"] == "paper-conference"
    assert by_id["ive2018deepquest"]["container-title"] == "COLING 2018"
    assert by_id["olmpics2019"]["type"] == "article-journal" and by_id["olmpics2019"]["container-title"] == "TACL 2020"
    lester = by_id["power2021"]
    assert lester["type"] == "paper-conference" and lester["container-title"] == "EMNLP 2021"
    assert lester["URL"] == "https://arxiv.org/abs/2104.08691" and "publisher" not in lester
    assert lester["issued"] == {"date-parts": [[2021]]}  # the YAML year wins
    assert lester["abstract"] == "We explore prompt tuning. A second paragraph."
    codex = by_id["evaluating2021"]
    assert (codex["type"], codex["publisher"], codex["number"]) == ("article", "arXiv", "2107.03374")
    assert "container-title" not in codex and "note" not in codex
    assert all(i["title"] and i.get("issued") for i in items)


def test_reading_list_links_both_downloads(enriched_site: BuiltSite) -> None:
    hrefs = [a["href"] for a in article(enriched_site.site, "papers/").find_all("a")]
    assert "../papers.bib" in hrefs and "../papers.json" in hrefs


def test_csl_json_is_kept_while_the_entries_and_keys_are_the_same(site: Site, tmp_path: Path) -> None:
    from dataclasses import replace

    from generator import exports

    citations = Citations(site)
    first = csl_json(site, citations)
    hits = exports._CSL.hits
    assert csl_json(site, citations) is first and exports._CSL.hits == hits + 1
    # The same catalogue and lock with a log that links a paper: the logs that link it are not in its item.
    (tmp_path / "linked").mkdir()
    write_project(tmp_path / "linked", CATALOGUE, {"2021-09-09-day-1.md": (
        '---\ntitle: "1일차"\ndate: 2021-09-09\n---\n\n* [Prompt Tuning](https://arxiv.org/abs/2104.08691) 읽기\n')})
    linked = _with_lock(tmp_path / "linked")
    assert linked.entries[0].backlinks and not site.entries[0].backlinks
    assert csl_json(linked, citations) is first
    entry = site.entries[0]
    changed = replace(entry, paper=replace(entry.paper, title="The Power of Scale, Edited"))
    edited = replace(site, entries=(changed, *site.entries[1:]))
    assert json.loads(csl_json(edited, citations))[0]["title"] == "The Power of Scale, Edited"

    class Renamed(Citations):
        def key(self, e):  # type: ignore[no-untyped-def]
            return "renamed" + super().key(e)

    assert json.loads(csl_json(edited, Renamed(edited)))[0]["id"] == "renamed" + citations.key(changed)
