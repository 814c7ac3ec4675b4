"""BibTeX keys never change once a paper has one: not when metadata arrives, not with `enrich --refresh`,
not when a paper with the same stem is added anywhere in papers.yaml; `key:` sets one by hand."""

from __future__ import annotations

import json
import re
from pathlib import Path

import bibtexparser
import pytest

from generator.catalogue import parse_catalogue
from generator.citekeys import KEY_PATTERN, arxiv_year, assign_keys, is_key, stem
from generator.cli import main
from generator.ids import ArxivId

from .arxiv_server import ArxivStandIn, arxiv_server_fixture, fake_paper  # noqa: F401
from .sitebuild import ROOT, copy_project

HEAD = "topics: []\npapers:\n"


def papers(body: str) -> list:
    return list(parse_catalogue(HEAD + body, Path("papers.yaml")).papers)


def test_a_stem_is_made_from_papers_yaml_and_the_arxiv_id_alone() -> None:
    deepquest, realm, bare, old, hangul = papers(
        "  - id: deepquest\n    title: 'deepQuest: A Framework'\n    authors: [Julia Ive, Frédéric Blain]\n"
        "    year: 2018\n"
        '  - arxiv: "2002.08909"\n    title: "REALM: Retrieval-Augmented Language Model Pre-Training"\n'
        '  - arxiv: "2104.08691v2"\n'
        '  - arxiv: "hep-th/9901001"\n    title: The Large N Limit\n'
        '  - arxiv: "2103.10385"\n    authors: [이수진, Frédéric Blain]\n    title: "Of GPT: A Study"\n'
    )
    assert stem(deepquest) == "ive2018deepquest"
    assert stem(realm) == "realm2020"  # no year in the file: the arXiv ID's
    assert stem(bare) == "arxiv2104.08691"  # neither a title nor authors in the file
    assert stem(old) == "large1999"
    assert stem(hangul) == "gpt2021"  # a family name without Latin letters is left out
    assert arxiv_year(ArxivId("0704.0001")) == 2007 and arxiv_year(ArxivId("math/9105001")) == 1991
    assert all(is_key(stem(p)) for p in (deepquest, realm, bare, old, hangul))


def test_recorded_keys_and_hand_keys_win_and_clashes_get_letters() -> None:
    catalogue = papers(
        '  - arxiv: "2002.08910"\n    title: REALM Reloaded\n    year: 2020\n'  # added above the first REALM
        '  - arxiv: "2002.08909"\n    title: "REALM: Retrieval-Augmented"\n    year: 2020\n'
        '  - arxiv: "2002.08911"\n    title: REALM Again\n    year: 2020\n'
        '  - arxiv: "1810.04805"\n    title: BERT\n    key: Realm2020b\n'
    )
    # Nothing recorded: catalogue order decides; a key by hand is taken first, in any case.
    assert assign_keys(catalogue, {}) == {"2002.08910": "realm2020", "2002.08909": "realm2020a",
                                          "2002.08911": "realm2020c", "1810.04805": "Realm2020b"}
    # 2002.08909 was recorded as realm2020 before the others were added: it keeps it.
    keys = assign_keys(catalogue, {"2002.08909": "realm2020"})
    assert keys == {"2002.08910": "realm2020a", "2002.08909": "realm2020", "2002.08911": "realm2020c",
                    "1810.04805": "Realm2020b"}
    # A recorded key a hand key now holds, or one that is not a key, is made anew.
    assert assign_keys(catalogue, {"2002.08909": "realm2020B", "2002.08911": "bad key"})["2002.08909"] == "realm2020a"
    assert assign_keys(catalogue, {"2002.08911": "bad key"})["2002.08911"] == "realm2020c"
    many = papers("".join(f'  - arxiv: "2002.{10000 + n}"\n    title: Same\n    year: 2020\n' for n in range(30)))
    assert list(assign_keys(many, {}).values())[26:29] == ["same2020z", "same2020aa", "same2020ab"]


def test_one_key_pattern_in_the_code_and_both_schemas() -> None:
    catalogue = json.loads((ROOT / "generator" / "papers.schema.json").read_text(encoding="utf-8"))
    lock = json.loads((ROOT / "generator" / "lock.schema.json").read_text(encoding="utf-8"))
    assert catalogue["$defs"]["paper"]["properties"]["key"]["pattern"] == KEY_PATTERN
    assert lock["$defs"]["bibtexKey"]["pattern"] == KEY_PATTERN
    assert catalogue["$defs"]["paper"]["properties"]["venue_type"]["enum"] == ["conference", "journal", "preprint"]
    for good in ("guu2020realm", "arxiv2104.08691", "Lester:2021", "a", "x_1+y/z-2"):
        assert is_key(good), good
    for bad in ("", "a b", "a,b", "a{b", "é2020", "ends.", "-starts", "x" * 65, "a%b", "a#b"):
        assert not is_key(bad), bad


def _keys(project: Path) -> dict[str, str]:
    """The key of each paper in the site's papers.bib (as the build writes it), by its eprint or url."""
    assert main(["--root", str(project), "generate", "--out", str(project / "out")]) == 0
    library = bibtexparser.parse_string((project / "out" / "papers.bib").read_text(encoding="utf-8"))
    return {(e.fields_dict["eprint"].value if "eprint" in e.fields_dict else e["url"]): e.key for e in library.entries}


def _serve_the_catalogue(server: ArxivStandIn, project: Path) -> None:
    text = (project / "papers.yaml").read_text(encoding="utf-8")
    for n, arxiv in enumerate(re.findall(r'arxiv: "([^"]+)"', text)):
        server.papers[arxiv] = fake_paper(arxiv, n)  # every paper gets authors, as arXiv gives them


def test_keys_survive_enrich_refresh_and_a_same_stem_paper_added_above(
    tmp_path: Path, arxiv_server: ArxivStandIn, capsys: pytest.CaptureFixture[str]
) -> None:
    project = copy_project(tmp_path)
    _serve_the_catalogue(arxiv_server, project)
    before = _keys(project)  # a fresh clone, never enriched: the keys come from papers.yaml alone
    assert before["2002.08909"] == "realm2020" and before["https://aclanthology.org/C18-1266/"] == "ive2018deepquest"
    assert main(["--root", str(project), "enrich"]) == 0  # authors arrive; the keys are recorded
    assert "recorded the BibTeX keys of 15 papers" in capsys.readouterr().out
    lock = json.loads((project / "papers.lock.json").read_text(encoding="utf-8"))
    assert lock["format"] == 2 and lock["keys"]["2002.08909"] == "realm2020" and lock["keys"]["deepquest"]
    assert _keys(project) == before
    assert main(["--root", str(project), "enrich", "--refresh"]) == 0
    assert "recorded the BibTeX keys" not in capsys.readouterr().out
    assert _keys(project) == before
    # A paper with the same stem (title word and year) added above REALM, at the top of the list.
    catalogue = project / "papers.yaml"
    text = catalogue.read_text(encoding="utf-8")
    catalogue.write_text(text.replace("papers:\n", 'papers:\n  - arxiv: "2012.00001"\n    title: REALM Again\n'
                                      "    year: 2020\n    topics: [open-domain-qa]\n\n", 1), encoding="utf-8")
    arxiv_server.papers["2012.00001"] = fake_paper("2012.00001", 99)
    after = _keys(project)  # before enrich has seen it
    assert after["2002.08909"] == "realm2020" and after["2012.00001"] == "realm2020a"
    assert {k: v for k, v in after.items() if k != "2012.00001"} == before
    assert main(["--root", str(project), "enrich"]) == 0
    assert "recorded the BibTeX keys of 1 paper in the lock" in capsys.readouterr().out
    assert _keys(project) == after
    # Editing the title does not change a recorded key; `key:` does, by hand.
    catalogue.write_text(catalogue.read_text(encoding="utf-8").replace(
        'title: "REALM: Retrieval-Augmented Language Model Pre-Training"',
        "title: Retrieval-Augmented Pre-Training\n    key: guu2020realm"), encoding="utf-8")
    edited = _keys(project)
    assert edited["2002.08909"] == "guu2020realm" and edited["2012.00001"] == "realm2020a"
    # A fresh clone (the project as committed: papers.yaml and the lock) gives the same keys.
    clone = tmp_path / "clone"
    clone.mkdir()
    copy_project(clone)
    for name in ("papers.yaml", "papers.lock.json"):
        (clone / name).write_bytes((project / name).read_bytes())
    assert _keys(clone) == edited


def test_add_records_the_key_of_the_papers_it_adds(
    tmp_path: Path, arxiv_server: ArxivStandIn, capsys: pytest.CaptureFixture[str]
) -> None:
    project = copy_project(tmp_path)
    arxiv_server.papers["2106.09685"] = fake_paper("2106.09685", 5)
    assert main(["--root", str(project), "add", "2106.09685", "--topic", "prompt-tuning"]) == 0
    keys = json.loads((project / "papers.lock.json").read_text(encoding="utf-8"))["keys"]
    assert keys["2106.09685"] == "arxiv2106.09685" and len(keys) == 16
    assert _keys(project)["2106.09685"] == "arxiv2106.09685"
