"""The stats page: inline SVG charts of the reading list and the study days, plus their numbers."""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup

from generator.model import Site
from generator.pages import Renderer
from generator.project import Project, load_site
from generator.stats import (
    bar_chart,
    calendar,
    collect_stats,
    column_chart,
    intensity,
    render_stats,
    stacked_bar,
)

from .sitebuild import BuiltSite, article, write_project

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = """<script>alert(1)</script> & ]]> "x" """.strip()

CATALOGUE = f"""\
topics:
  - id: odqa
    title: Open-Domain QA
  - id: hostile
    title: {json.dumps(HOSTILE)}
  - id: empty
    title: Nothing Here
papers:
  - {{id: p1, title: One, year: 2017, topics: [odqa], status: read}}
  - {{id: p2, title: Two, year: 2020, topics: [odqa, hostile], status: reading}}
  - {{id: p3, title: Three, year: 2020, topics: [odqa]}}
  - {{id: p4, title: Four, topics: [hostile]}}
"""


def log(day: str, slug: str, title: str, body: str) -> str:
    return f"---\ntitle: {json.dumps(title)}\ndate: {day}\nslug: {slug}\ncategories: [c]\ntags: [t]\n---\n\n{body}\n"


LOGS = {
    "a.md": log("2021-09-06", "a", "Short day", "one line"),
    "b.md": log("2021-09-09", "b", "Busy day", "* Q. why?\n  * because\n\n" + "many words " * 200),
    "c.md": log("2021-09-09", "c", "Same day, second log", "more"),
    "d.md": log("2021-09-14", "d", HOSTILE, "text"),
}


def make_site(root: Path, logs: dict[str, str] = LOGS) -> Site:
    return write_project(root, CATALOGUE, logs)


@pytest.fixture
def site(tmp_path: Path) -> Site:
    return make_site(tmp_path)


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{SVG}text")]


def assert_accessible_and_themed(svg: str) -> None:
    root = parse(svg)
    assert root.get("role") == "img" and root.get("aria-label")
    assert root[0].tag == f"{SVG}title" and root[0].text == root.get("aria-label")
    assert "\n\n" not in svg and not svg.startswith((" ", "\t"))  # a raw HTML block for Markdown
    for text in root.iter(f"{SVG}text"):
        assert text.get("fill") == "currentColor"
    assert "currentColor" in svg
    lowered = svg.lower()
    for hard in ("#000", "#fff", "black", "white", "rgb(0,0,0)", "rgb(255,255,255)"):
        assert hard not in lowered
    assert "<script" not in lowered


def test_collected_numbers_match_the_site(site: Site) -> None:
    stats = collect_stats(site)
    assert stats.papers == 4
    assert [(c.key, c.n) for c in stats.status] == [("read", 1), ("reading", 1), ("to-read", 2)]
    assert {c.key: c.n for c in stats.status} == {s.key: n for s, n in site.status_counts()}
    # Most papers first; a paper in two topics counts in both.
    assert [(c.key, c.label, c.n) for c in stats.topics] == [
        ("odqa", "Open-Domain QA", 3), ("hostile", HOSTILE, 2), ("empty", "Nothing Here", 0),
    ]
    assert [(c.label, c.n) for c in stats.years] == [("2017", 1), ("2018", 0), ("2019", 0), ("2020", 2), ("n.d.", 1)]
    assert [d.date.isoformat() for d in stats.days] == ["2021-09-06", "2021-09-09", "2021-09-14"]
    assert stats.days[1].title == "Busy day; Same day, second log" and stats.days[1].questions == 1
    assert stats.months == (("2021-09", 4, 1),)


def test_every_chart_is_accessible_well_formed_and_themed(site: Site) -> None:
    charts = render_stats(site)
    assert set(charts) == {"status", "topics", "years", "calendar"}
    for svg in charts.values():
        assert_accessible_and_themed(svg)


def test_topic_bars_match_the_counts_and_escape_titles(site: Site) -> None:
    svg = render_stats(site)["topics"]
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "]]&gt;" in svg
    root = parse(svg)
    rows = root.findall(f"{SVG}g")
    assert [texts(g) for g in rows] == [["Open-Domain QA", "3"], [HOSTILE, "2"], ["Nothing Here", "0"]]
    assert [g.find(f"{SVG}title").text for g in rows] == [  # type: ignore[union-attr]
        "Open-Domain QA: 3 papers", f"{HOSTILE}: 2 papers", "Nothing Here: 0 papers",
    ]
    widths = [float(r.get("width", 0)) for g in rows for r in g.iter(f"{SVG}rect")]
    assert len(widths) == 2  # no bar for an empty topic
    assert widths[0] == pytest.approx(widths[1] * 3 / 2)


def test_bar_chart_truncates_long_labels_but_keeps_them_in_the_tooltip() -> None:
    label = "A very long topic title " * 5
    root = parse(bar_chart([(label, 1), ("Short", 2)], label="Topics", width=400))
    first = root.find(f"{SVG}g")
    assert first is not None
    assert texts(first)[0].endswith("…") and len(texts(first)[0]) < len(label)
    assert first.find(f"{SVG}title").text == f"{' '.join(label.split())}: 1 paper"  # type: ignore[union-attr]


def test_status_bar_shows_progress(site: Site) -> None:
    root = parse(render_stats(site)["status"])
    assert root.get("aria-label") == "Reading progress: 1 read, 1 reading, 2 to read of 4 papers"
    segments = root.findall(f"{SVG}g")
    assert [g.find(f"{SVG}title").text for g in segments] == [  # type: ignore[union-attr]
        "read: 1 paper (25%)", "reading: 1 paper (25%)", "to read: 2 papers (50%)",
    ]
    assert texts(root) == ["read: 1 (25%)", "reading: 1 (25%)", "to read: 2 (50%)"]
    widths = [float(g.find(f"{SVG}rect").get("width", 0)) for g in segments]  # type: ignore[union-attr]
    assert widths == [160, 160, 320]


def test_empty_charts_still_draw() -> None:
    for svg in (bar_chart([], label="x"), column_chart([], label="x"),
                stacked_bar([("a", 0), ("b", 0)], classes=["sl-fill--a", "sl-fill--b"], label="x")):
        assert_accessible_and_themed(svg)


def test_years_are_columns_in_order(site: Site) -> None:
    root = parse(render_stats(site)["years"])
    columns = root.findall(f"{SVG}g")
    assert [g.find(f"{SVG}title").text for g in columns] == [  # type: ignore[union-attr]
        "2017: 1 paper", "2018: 0 papers", "2019: 0 papers", "2020: 2 papers", "n.d.: 1 paper",
    ]
    heights = [[float(rect.get("height", 0)) for rect in g.iter(f"{SVG}rect")] for g in columns]
    assert heights[1] == heights[2] == []  # no column for a year without papers
    assert heights[3][0] == pytest.approx(2 * heights[0][0]) == pytest.approx(2 * heights[4][0])
    assert all(label in texts(root) for label in ("2017", "2020", "n.d."))


def cells(root: ET.Element) -> list[ET.Element]:
    return [r for r in root.iter(f"{SVG}rect") if r.get("data-date")]


def test_calendar_has_a_cell_per_day_of_the_year_and_marks_the_log_days(site: Site) -> None:
    root = parse(render_stats(site)["calendar"])
    days = cells(root)
    dates = [dt.date.fromisoformat(c.get("data-date", "")) for c in days]
    # One block for 2021, the only year with logs: every day of it, in order.
    assert dates == [dt.date(2021, 1, 1) + dt.timedelta(days=i) for i in range(365)]
    marked = {c.get("data-date", ""): c for c in days if c.get("data-level") != "0"}
    assert sorted(marked) == ["2021-09-06", "2021-09-09", "2021-09-14"]
    assert marked["2021-09-09"].get("data-level") == "4"  # the day with the most written
    assert marked["2021-09-06"].get("data-level") == "1"
    tips = {c.get("data-date"): c.find(f"{SVG}title").text for c in days}  # type: ignore[union-attr]
    assert tips["2021-09-09"] == "Sep 9, 2021 · Busy day; Same day, second log · 1 question"
    assert tips["2021-09-14"] == f"Sep 14, 2021 · {HOSTILE}"
    assert tips["2021-09-08"] == "Sep 8, 2021 · no log"
    # Weeks are columns, weekdays rows: the same weekday shares a row, the next week moves right.
    by_date = {c.get("data-date"): c for c in days}
    assert by_date["2021-09-06"].get("y") == by_date["2021-09-13"].get("y")
    assert float(by_date["2021-09-13"].get("x", 0)) > float(by_date["2021-09-06"].get("x", 0))
    assert by_date["2021-09-06"].get("x") == by_date["2021-09-11"].get("x")  # Mon..Sat of one week
    assert by_date["2021-01-02"].get("x") == by_date["2021-01-01"].get("x")  # Fri 1 Jan and Sat 2 Jan: week 0
    labels = texts(root)
    assert {"Mon", "Wed", "Fri", "2021"} <= set(labels)
    assert [m for m in labels if m in ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
                                        "Dec")] == ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
                                                    "Oct", "Nov", "Dec"]


def test_calendar_of_three_years_is_one_block_per_year_newest_first_at_a_fixed_size() -> None:
    logs = {dt.date(2019, 3, 5): 1, dt.date(2021, 9, 9): 5, dt.date(2023, 12, 31): 2}
    root = parse(calendar(logs, {d: "log" for d in logs}))
    blocks = [g for g in root.iter(f"{SVG}g") if g.get("class") == "sl-year"]
    assert [g.get("data-year") for g in blocks] == ["2023", "2021", "2019"]  # years without logs are not drawn
    for g in blocks:
        year = int(g.get("data-year", 0))
        dates = [c.get("data-date") for c in cells(g)]
        first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
        assert dates == [(first + dt.timedelta(days=i)).isoformat() for i in range((last - first).days + 1)]
    assert [c.get("data-level") for c in cells(root) if c.get("data-level") != "0"] == ["2", "4", "1"]
    # Cells keep their size however far apart the logs are; the chart grows in height, never in width.
    one_year = parse(calendar({dt.date(2021, 9, 9): 1}, {}))
    assert root.get("width") == one_year.get("width")
    assert float(root.get("height", 0)) > 2.5 * float(one_year.get("height", 0)) * 0.8
    assert {c.get("width") for c in cells(root)} == {"11"}
    # Blocks do not overlap: each year's cells sit below the year before it.
    tops = [min(float(c.get("y", 0)) for c in cells(g)) for g in blocks]
    assert tops == sorted(tops) and len(set(tops)) == 3


def test_calendar_without_days_draws_no_cell() -> None:
    root = parse(calendar({}, {}))
    assert cells(root) == [] and root.get("aria-label") == "Study calendar: no study days yet"


@pytest.mark.parametrize(("value", "highest", "level"), [(0, 10, 1), (1, 10, 1), (3, 10, 2), (10, 10, 4), (5, 0, 1)])
def test_intensity(value: int, highest: int, level: int) -> None:
    assert intensity(value, highest) == level


def render_page(site: Site) -> str:
    renderer = Renderer(site)
    return renderer.render(
        "stats.md.j2", renderer.layout.stats, stats=collect_stats(site), charts=render_stats(site)
    ).content


def test_page_passes_the_svgs_through_markdown_untouched(site: Site) -> None:
    page = render_page(site)
    assert page.startswith("---\n") and 'title: "Stats"' in page
    body = page.split("\n---\n", 1)[1]
    out = markdown.markdown(body, extensions=["md_in_html", "tables", "attr_list", "toc", "admonition"])
    charts = render_stats(site)
    for svg in charts.values():
        assert svg in out
    assert out.count("<svg") == 4
    assert len(re.findall(r"<figure [^>]*data-search-exclude", out)) == 4
    # The numbers as tables, with links to the topic pages.
    soup = BeautifulSoup(out, "html.parser")
    assert soup.find("a", href="../topics/odqa.md").get_text() == "Open-Domain QA"  # type: ignore[union-attr]
    assert soup.find("a", href="../topics/hostile.md").get_text() == HOSTILE  # type: ignore[union-attr]
    assert "&lt;script&gt;" in out and "<script>" not in out


def test_page_without_papers_or_logs(tmp_path: Path) -> None:
    (tmp_path / "papers.yaml").write_text("topics: []\npapers: []\n", encoding="utf-8")
    (tmp_path / "papers.lock.json").write_text('{"format": 1, "papers": {}}\n', encoding="utf-8")
    site = load_site(Project.at(tmp_path))
    assert render_stats(site)["calendar"] == ""
    page = render_page(site)
    assert "<svg" not in page
    assert "No study logs yet" in page and "The reading list is empty" in page


def test_built_stats_page(shipped_site: BuiltSite) -> None:
    site_dir = shipped_site.site
    body = article(site_dir, "stats/")
    figures = body.select("figure.sl-chart")
    assert len(figures) == 4
    for figure in figures:
        svg = figure.find("svg")
        assert svg is not None
        root = parse(str(svg))
        assert root.get("role") == "img"
    status = parse(str(body.select_one("figure.sl-chart--status svg")))
    assert status.get("aria-label") == "읽기 진행: 논문 15편 중 읽음 0, 읽는 중 0, 읽을 예정 15"  # the site speaks Korean
    calendar_root = parse(str(body.select_one("figure.sl-chart--calendar svg")))
    assert [c.get("data-date") for c in cells(calendar_root) if c.get("data-level") != "0"] == ["2021-09-09"]
    assert len(cells(calendar_root)) == 365
    topic_rows = body.select("figure.sl-chart--topics svg > g")
    assert len(topic_rows) == 10
    # The tooltips of 365 calendar days stay out of the search index; the page's tables do not.
    index = json.loads((site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))
    stats_text = " ".join(d["text"] for d in index["docs"] if d["location"].startswith("stats/"))
    assert "no log" not in stats_text and "Quality Estimation" in stats_text
