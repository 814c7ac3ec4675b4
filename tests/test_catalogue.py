"""papers.yaml: every validation rule reports file, line, what is wrong and a hint."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from generator.catalogue import load_catalogue, schema
from generator.errors import Diagnostic, StudylogError
from generator.ids import ArxivId
from generator.status import DEFAULT as DEFAULT_STATUS
from generator.status import KEYS

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).parent.parent
CASES = yaml.safe_load((FIXTURES / "catalogue_errors.yaml").read_text(encoding="utf-8"))


def _errors(err: StudylogError) -> tuple[Diagnostic, ...]:
    return err.diagnostics


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_each_mistake_gets_one_clear_message(tmp_path: Path, case: dict) -> None:
    path = tmp_path / "papers.yaml"
    path.write_text(case["input"], encoding="utf-8")
    with pytest.raises(StudylogError) as caught:
        load_catalogue(path)
    errors = _errors(caught.value)
    assert len(errors) == 1, [str(e) for e in errors]
    error = errors[0]
    assert error.path == str(path)
    assert error.line == case["line"], str(error)
    assert case["message"] in error.message
    assert error.hint and case["hint"] in error.hint
    assert str(error).startswith(f"{path}:{case['line']}: ")


def test_all_mistakes_in_a_file_are_reported_together(tmp_path: Path) -> None:
    path = tmp_path / "papers.yaml"
    path.write_text(
        'topics: []\npapers:\n  - arxiv: "abc"\n  - arxiv: "2104.08691"\n    year: "2021"\n  - titel: x\n',
        encoding="utf-8",
    )
    with pytest.raises(StudylogError) as caught:
        load_catalogue(path)
    lines = sorted(e.line for e in _errors(caught.value))
    assert lines == [3, 5, 6, 6]  # bad ID, quoted year, unknown key + no title


def test_unquoted_id_keeps_its_trailing_zero(tmp_path: Path) -> None:
    """YAML reads 1710.11040 as the float 1710.1104; the catalogue reads what was typed."""
    path = tmp_path / "papers.yaml"
    path.write_text("topics: []\npapers:\n  - arxiv: 1710.11040   # unquoted\n  - arxiv: 1810.04805\n", encoding="utf-8")
    papers = load_catalogue(path).papers
    assert [p.arxiv for p in papers] == [ArxivId("1710.11040"), ArxivId("1810.04805")]


def test_accepted_forms(tmp_path: Path) -> None:
    """CRLF with a BOM, comments everywhere, versioned and old-style IDs all load."""
    text = (
        "\ufeff# reading list\r\n"
        "topics:  # the topics\r\n"
        "  - id: qa   # short\r\n"
        "    title: QA\r\n"
        "papers:\r\n"
        "  # a versioned new-style ID\r\n"
        '  - arxiv: "2002.08909v2"\r\n'
        "    topics: [qa]\r\n"
        "    status: read\r\n"
        '  - arxiv: "hep-th/9901001v1"  # old style\r\n'
        '  - arxiv: "arXiv:math.GT/0309136"\r\n'
        "  - id: deepquest\r\n"
        "    title: deepQuest\r\n"
        "    notes: |\r\n"
        "      Markdown *notes*\r\n"
    )
    path = tmp_path / "papers.yaml"
    path.write_bytes(text.encode("utf-8"))
    cat = load_catalogue(path)
    assert [p.key for p in cat.papers] == ["2002.08909", "hep-th-9901001", "math.GT-0309136", "deepquest"]
    assert cat.papers[0].arxiv == ArxivId("2002.08909", 2)
    assert cat.papers[0].status == "read" and cat.papers[1].status == "to-read"
    assert cat.papers[0].line == 7
    assert cat.papers[3].notes == "Markdown *notes*\n"


def test_missing_catalogue_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StudylogError, match="does not exist"):
        load_catalogue(tmp_path / "nope.yaml")


def test_schema_is_valid_and_referenced_from_the_shipped_catalogue() -> None:
    jsonschema.Draft202012Validator.check_schema(schema())
    first_line = (ROOT / "papers.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first_line == "# yaml-language-server: $schema=./generator/papers.schema.json"
    on_disk = json.loads((ROOT / "generator" / "papers.schema.json").read_text(encoding="utf-8"))
    assert on_disk == schema()


def test_shipped_catalogue_holds_the_master_class_list() -> None:
    cat = load_catalogue(ROOT / "papers.yaml")
    assert len(cat.topics) == 10
    assert len([p for p in cat.papers if p.arxiv]) == 14
    deepquest = next(p for p in cat.papers if p.key == "deepquest")
    assert deepquest.arxiv is None and deepquest.venue == "COLING 2018"
    assert deepquest.authors == ("Julia Ive", "Frédéric Blain", "Lucia Specia")
    assert {r.kind for r in cat.resources} == {"blog", "announcement"}
    # Every paper is filed under one of the ten topics.
    assert all(p.topics for p in cat.papers)


def test_the_schemas_statuses_are_the_status_modules() -> None:
    """The schema is a published file, not code: it must say what generator.status defines."""
    status_schema = schema()["$defs"]["paper"]["properties"]["status"]
    assert status_schema["enum"] == list(KEYS)
    assert status_schema["default"] == DEFAULT_STATUS == KEYS[0]
    for key in KEYS:
        assert key in status_schema["description"]
