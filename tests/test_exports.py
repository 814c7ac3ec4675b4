"""papers.bib and papers.json: one entry per paper, readable by a reference manager."""

from __future__ import annotations

import json
from pathlib import Path

import bibtexparser
import pytest
from pylatexenc.latex2text import LatexNodes2Text

from generator.lock import save_lock

from .sitebuild import article, build_site, copy_project
from .test_build import _record

TRICKY = "Costs & Benefits: 100% of $x_1$ #1 {braces} ~tilde^ back\\slash"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("exports"))
    save_lock(
        project / "papers.lock.json",
        {
            "2104.08691": _record(),
            "2002.08909": _record(id="2002.08909", title=TRICKY, authors=("Kelvin Guu", "Kenton Lee"), doi="10.1000/x_y"),
        },
    )
    catalogue = project / "papers.yaml"
    catalogue.write_text(
        catalogue.read_text(encoding="utf-8").replace('    title: "REALM: Retrieval-Augmented Language Model Pre-Training"\n', ""),
        encoding="utf-8",
    )
    return build_site(project)


def test_bibtex_has_one_entry_per_paper_with_the_right_fields(site: Path) -> None:
    library = bibtexparser.parse_string((site / "papers.bib").read_text(encoding="utf-8"))
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


def test_the_entry_type_follows_the_venue(site: Path) -> None:
    library = bibtexparser.parse_string((site / "papers.bib").read_text(encoding="utf-8"))
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


def test_latex_special_characters_are_escaped(site: Path) -> None:
    library = bibtexparser.parse_string((site / "papers.bib").read_text(encoding="utf-8"))
    realm = next(e for e in library.entries if "eprint" in e.fields_dict and e["eprint"] == "2002.08909")
    assert realm.key == "arxiv2002.08909"  # papers.yaml gives it neither a title nor authors here
    title = realm["title"]
    for raw in ("&", "%", "$", "_", "#"):
        assert f"\\{raw}" in title  # escaped for LaTeX
    # ... and reads back as the original (pylatexenc reads \textasciicircum as U+02C6).
    assert LatexNodes2Text().latex_to_text(title).replace("\u02c6", "^") == TRICKY
    assert realm["doi"] == "10.1000/x_y"  # doi and url are verbatim fields


def test_csl_json_matches_the_bibtex(site: Path) -> None:
    items = json.loads((site / "papers.json").read_text(encoding="utf-8"))
    library = bibtexparser.parse_string((site / "papers.bib").read_text(encoding="utf-8"))
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


def test_reading_list_links_both_downloads(site: Path) -> None:
    hrefs = [a["href"] for a in article(site, "papers/").find_all("a")]
    assert "../papers.bib" in hrefs and "../papers.json" in hrefs
