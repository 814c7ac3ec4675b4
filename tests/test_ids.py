"""arXiv IDs are validated before any request and normalised the same way everywhere."""

from __future__ import annotations

import pytest

from generator.ids import ArxivId, arxiv_id_from_url, parse_arxiv_id, parse_id_or_url


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2104.08691", ArxivId("2104.08691")),
        ("2104.08691v2", ArxivId("2104.08691", 2)),
        ("arXiv:1710.11041", ArxivId("1710.11041")),
        ("0704.0001", ArxivId("0704.0001")),
        ("1412.6980", ArxivId("1412.6980")),
        ("hep-th/9901001", ArxivId("hep-th/9901001")),
        ("quant-ph/0201082v1", ArxivId("quant-ph/0201082", 1)),
        ("math.GT/0309136", ArxivId("math.GT/0309136")),
    ],
)
def test_valid_ids(text: str, expected: ArxivId) -> None:
    assert parse_arxiv_id(text) == expected


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("abc", "not an arXiv ID"),
        ("2113.00001", "month 13"),
        ("0703.0001", "before April 2007"),
        ("1501.0001", "IDs from 2015 on have 5"),
        ("1412.00001", "IDs before 2015 have 4"),
        ("foo/9901001", "not an arXiv archive"),
        ("2104.08691v0", "not an arXiv ID"),
        ("2104.08691 2104.08692", "not an arXiv ID"),
    ],
)
def test_invalid_ids(text: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        parse_arxiv_id(text)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://arxiv.org/abs/2002.08909", ArxivId("2002.08909")),
        ("http://arxiv.org/abs/2002.08909v3", ArxivId("2002.08909", 3)),
        ("https://arxiv.org/pdf/2002.08909.pdf", ArxivId("2002.08909")),
        ("https://arxiv.org/pdf/2002.08909v1?context=cs", ArxivId("2002.08909", 1)),
        ("arxiv.org/abs/hep-th/9901001", ArxivId("hep-th/9901001")),
        ("https://www.arxiv.org/abs/1810.04805/", ArxivId("1810.04805")),
        ("https://example.org/abs/2002.08909", None),
        ("https://arxiv.org/list/cs.CL/recent", None),
    ],
)
def test_ids_from_urls(url: str, expected: ArxivId | None) -> None:
    assert arxiv_id_from_url(url) == expected


def test_id_or_url() -> None:
    assert parse_id_or_url("https://arxiv.org/abs/2104.08691v2") == ArxivId("2104.08691", 2)
    assert parse_id_or_url("2104.08691") == ArxivId("2104.08691")
    with pytest.raises(ValueError):
        parse_id_or_url("https://example.org/paper")


def test_slug_and_links() -> None:
    old = parse_arxiv_id("hep-th/9901001v2")
    assert old.slug == "hep-th-9901001"
    assert old.abs_url == "https://arxiv.org/abs/hep-th/9901001v2"
    assert parse_arxiv_id("2104.08691").pdf_url == "https://arxiv.org/pdf/2104.08691"
