"""The stats page: charts of the reading list and the study days, drawn at build time as inline SVG.

No JavaScript and no external assets. The charts follow Material's light and
dark palettes: text is ``currentColor``, bars take ``--md-accent-fg-color``,
empty calendar days are ``currentColor`` at low opacity; the reading-progress
bar takes each status's colour from the stylesheet (``.sl-fill--<status>``),
where the status badges' colours live too.

Every chart is one ``<svg role="img">`` with an ``aria-label`` and a ``<title>``,
and the page repeats its numbers in tables. Text is escaped by ElementTree, so
topic and log titles (user text) stay text. Each chart is serialized with one
element per line and no blank lines, so Python-Markdown passes it through
untouched when the page wraps it in a ``<figure>`` (``svg`` is not one of its
block-level tags, ``figure`` is).
"""

from __future__ import annotations

import datetime as dt
import math
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .i18n import Words
from .logs import Log
from .model import Site
from .text import fit_width as _truncate
from .text import text_width as _text_width
from .text import xml_text

SVG_NS = "http://www.w3.org/2000/svg"
FONT_SIZE = 12
ACCENT = "var(--md-accent-fg-color, #526cfe)"
NO_YEAR = "n.d."
"""The label of papers without a year (a message id, like every label here)."""
NO_TOPIC = "(no topic)"
ENGLISH = Words()
LEVELS = 4
"""Shades of a study day in the calendar, above the empty shade 0."""


@dataclass(frozen=True)
class Count:
    label: str
    n: int
    key: str = ""
    """What the label stands for: a status, a topic id; empty when nothing."""


@dataclass(frozen=True)
class StudyDay:
    date: dt.date
    logs: tuple[Log, ...]

    @property
    def title(self) -> str:
        return "; ".join(log.title for log in self.logs)

    @property
    def questions(self) -> int:
        return sum(len(log.questions) for log in self.logs)

    @property
    def chars(self) -> int:
        """Characters written that day, spaces left out: the calendar's shade.

        Counted on the Markdown, not its rendered text: a shade needs no more
        precision, and parsing 400 logs again would cost a large site a second.
        """
        return sum(len(log.body) - sum(map(log.body.count, " \t\n")) for log in self.logs)


@dataclass(frozen=True)
class Stats:
    papers: int
    status: tuple[Count, ...]
    """Papers by status, furthest along first (read, reading, to read: the bar fills from the left as
    papers get read), keyed by status."""
    topics: tuple[Count, ...]
    """Papers per topic, most first (ties in catalogue order), keyed by topic id.
    A paper in two topics counts in both; papers without a topic come last, unkeyed."""
    years: tuple[Count, ...]
    """Papers per year, oldest first, every year between included; ``n.d.`` last."""
    days: tuple[StudyDay, ...]
    """Days with at least one log, oldest first."""
    months: tuple[tuple[str, int, int], ...]
    """``(YYYY-MM, logs, questions)`` of the months with logs, newest first."""


def collect_stats(site: Site) -> Stats:
    """The numbers the page shows, charted and in tables."""
    status = tuple(Count(s.label, n, s.key) for s, n in reversed(site.status_counts()))
    topics = [Count(t.title, len(site.entries_in(t)), t.id) for t in site.topics]
    topics.sort(key=lambda c: -c.n)
    untopical = sum(1 for e in site.entries if not e.paper.topics)
    if untopical:
        topics.append(Count(NO_TOPIC, untopical))
    by_year: dict[int, int] = {}
    for e in site.entries:
        if e.year is not None:
            by_year[e.year] = by_year.get(e.year, 0) + 1
    years = [Count(str(y), by_year.get(y, 0), str(y)) for y in range(min(by_year), max(by_year) + 1)] if by_year else []
    undated = sum(1 for e in site.entries if e.year is None)
    if undated:
        years.append(Count(NO_YEAR, undated))
    by_day: dict[dt.date, list[Log]] = {}
    for log in site.logs:
        by_day.setdefault(log.date, []).append(log)
    days = tuple(StudyDay(d, tuple(logs)) for d, logs in sorted(by_day.items()))
    by_month: dict[str, tuple[int, int]] = {}
    for log in site.logs:
        n, q = by_month.get(f"{log.date:%Y-%m}", (0, 0))
        by_month[f"{log.date:%Y-%m}"] = (n + 1, q + len(log.questions))
    months = tuple((m, n, q) for m, (n, q) in sorted(by_month.items(), reverse=True))
    return Stats(len(site.entries), status, tuple(topics), tuple(years), days, months)


def render_stats(site: Site, stats: Stats | None = None, words: Words = ENGLISH) -> dict[str, str]:
    """The page's charts as SVG text: ``status``, ``topics``, ``years``, ``calendar`` ("" with no logs).

    Pass ``stats`` when you have it already (the template needs it too). Labels are in ``words``' language.
    """
    stats = stats or collect_stats(site)
    status_labels = [(words.gettext(c.label), c.n) for c in stats.status]
    status = stacked_bar(
        status_labels,
        classes=[f"sl-fill--{c.key}" for c in stats.status],
        label=words.gettext("Reading progress: %(counts)s of %(papers)s",
                            counts=", ".join(words.gettext("%(num)d %(label)s", num=n, label=label)
                                             for label, n in status_labels),
                            papers=_papers(stats.papers, words)),
        words=words,
    )
    topics = bar_chart([(words.gettext(c.label) if not c.key else c.label, c.n) for c in stats.topics],
                       label=words.ngettext("Papers per topic, %(num)d topic", "Papers per topic, %(num)d topics",
                                            len(stats.topics)), words=words)
    years = column_chart([(words.gettext(c.label) if c.label == NO_YEAR else c.label, c.n) for c in stats.years],
                         label=words.gettext("Papers per year"), words=words)
    calendar_svg = ""
    if stats.days:
        calendar_svg = calendar(
            {d.date: d.chars for d in stats.days},
            {d.date: _day_title(d, words) for d in stats.days},
            words=words,
        )
    return {"status": status, "topics": topics, "years": years, "calendar": calendar_svg}


# ---------------------------------------------------------------- the charts


def bar_chart(items: Sequence[tuple[str, int]], *, label: str, words: Words = ENGLISH, width: int = 640) -> str:
    """Horizontal bars, one row per item: its label on the left, the bar, its count."""
    row, bar, gap = 22, 14, 8
    items = [(_clean(text), n) for text, n in items]
    label_width = min(max((_text_width(text) for text, _ in items), default=0), width * 0.45)
    left = math.ceil(label_width) + gap
    count_room = 8 + _text_width(str(max((n for _, n in items), default=0)))
    span = width - left - count_room
    top = max((n for _, n in items), default=0) or 1
    svg = _svg(width, max(len(items), 1) * row, label, "bars")
    if not items:
        _note(svg, 0, row / 2, words.gettext("No data yet"))
    for i, (text, n) in enumerate(items):
        middle = i * row + row / 2
        g = ET.SubElement(svg, "g", {"class": "sl-bar"})
        _title(g, f"{text}: {_papers(n, words)}")
        _text(g, left - gap, middle, _truncate(text, label_width), anchor="end")
        length = span * n / top
        if n:
            ET.SubElement(g, "rect", {
                "x": _num(left), "y": _num(middle - bar / 2), "width": _num(max(length, 1)), "height": str(bar),
                "rx": "2", "style": f"fill:{ACCENT}",
            })
        _text(g, left + length + (6 if n else 0), middle, str(n), cls="sl-count")
    return _serialize(svg)


def column_chart(items: Sequence[tuple[str, int]], *, label: str, words: Words = ENGLISH, width: int = 640,
                 height: int = 160) -> str:
    """Vertical columns over a baseline, for a time axis: the count on top, the label below."""
    top_room, bottom_room, pad = 18, 20, 4
    items = [(_clean(text), n) for text, n in items]
    svg = _svg(width, height, label, "columns")
    base = height - bottom_room
    ET.SubElement(svg, "line", {
        "x1": "0", "x2": str(width), "y1": _num(base), "y2": _num(base),
        "stroke": "currentColor", "stroke-opacity": "0.3",
    })
    if not items:
        _note(svg, 0, base / 2, words.gettext("No data yet"))
        return _serialize(svg)
    pitch = (width - 2 * pad) / len(items)
    column = min(pitch * 0.7, 40)
    widest = max(_text_width(text) for text, _ in items)
    step = max(1, math.ceil((widest + 6) / pitch))  # label every step-th column so labels never overlap
    top = max(n for _, n in items) or 1
    for i, (text, n) in enumerate(items):
        center = pad + pitch * (i + 0.5)
        length = (base - top_room) * n / top
        g = ET.SubElement(svg, "g", {"class": "sl-column"})
        _title(g, f"{text}: {_papers(n, words)}")
        if n:
            ET.SubElement(g, "rect", {
                "x": _num(center - column / 2), "y": _num(base - max(length, 1)),
                "width": _num(column), "height": _num(max(length, 1)), "rx": "2", "style": f"fill:{ACCENT}",
            })
            if pitch >= _text_width(str(n)) + 2:
                _text(g, center, base - length - 6, str(n), anchor="middle", cls="sl-count")
        if i % step == 0 or (i == len(items) - 1 and (i % step) * pitch > widest + 6):
            _text(g, center, base + 13, text, anchor="middle")
    return _serialize(svg)


def stacked_bar(items: Sequence[tuple[str, int]], *, classes: Sequence[str], label: str, words: Words = ENGLISH,
                width: int = 640) -> str:
    """One bar split into the items' shares (``classes`` are their CSS classes, which colour them), with a
    legend below."""
    bar, legend_y = 20, 40
    items = [(_clean(text), n) for text, n in items]
    total = sum(n for _, n in items)
    svg = _svg(width, legend_y + 12, label, "stacked")
    ET.SubElement(svg, "rect", {
        "x": "0", "y": "0", "width": str(width), "height": str(bar), "rx": "3",
        "style": "fill:currentColor;fill-opacity:0.07", "class": "sl-track",
    })
    x = 0.0
    for (text, n), fill in zip(items, classes, strict=True):
        if not n:
            continue
        length = width * n / total
        g = ET.SubElement(svg, "g", {"class": "sl-segment"})
        _title(g, f"{text}: {_papers(n, words)} ({_percent(n, total)})")
        ET.SubElement(g, "rect", {
            "x": _num(x), "y": "0", "width": _num(length), "height": str(bar), "class": fill,
        })
        x += length
    x = 0.0
    for (text, n), fill in zip(items, classes, strict=True):
        caption = f"{text}: {n} ({_percent(n, total)})" if total else f"{text}: {n}"
        ET.SubElement(svg, "rect", {
            "x": _num(x), "y": str(legend_y - 9), "width": "10", "height": "10", "rx": "2", "class": fill,
        })
        _text(svg, x + 14, legend_y - 4, caption)
        x += 14 + _text_width(caption) + 18
    return _serialize(svg)


def calendar(days: Mapping[dt.date, int], titles: Mapping[dt.date, str], *, label: str | None = None,
             words: Words = ENGLISH) -> str:
    """GitHub-style calendar, one block per year with a log, newest year first, at a fixed cell size.

    ``days`` maps each study day to its amount (any number; 0 still marks the day),
    ``titles`` to what its tooltip names. Each year's block runs from the Sunday on or
    before 1 January to 31 December, a column per week (Sunday first) and a cell per
    day of the year, with ``data-date`` and ``data-level`` (0 for a day without a log).
    The width never depends on the span: logs years apart make more blocks, not a
    wider chart.
    """
    years = sorted({d.year for d in days}, reverse=True)
    cell, pitch, left, month_room, gap = 11, 13, 34, 14, 10
    block = month_room + 7 * pitch + gap
    width = left + 54 * pitch
    legend_room = 22
    height = max(len(years), 1) * block + legend_room
    label = label or (
        words.ngettext("Study calendar, %(years)s: %(num)d study day", "Study calendar, %(years)s: %(num)d study days",
                       len(days), years=", ".join(str(y) for y in years)) if years
        else words.gettext("Study calendar: no study days yet")
    )
    weekdays, months = words.weekday_names(), words.month_names()
    no_log = words.gettext("no log")
    svg = _svg(width, height, label, "calendar")
    highest = max(days.values(), default=0)
    for index, year in enumerate(years):
        top = index * block + month_room
        g = ET.SubElement(svg, "g", {"class": "sl-year", "data-year": str(year)})
        _text(g, 0, top - 6, str(year), size=10, cls="sl-year-label")
        for row in (1, 3, 5):
            _text(g, left - 6, top + row * pitch + cell / 2, weekdays[row], anchor="end", size=10)
        first = dt.date(year, 1, 1)
        start = first - dt.timedelta(days=_row(first))
        for month in range(1, 13):
            column = (dt.date(year, month, 1) - start).days // 7
            _text(g, left + column * pitch, top - 6, months[month - 1], size=10)
        day, last = first, dt.date(year, 12, 31)
        while day <= last:
            column, row = (day - start).days // 7, _row(day)
            level = intensity(days[day], highest) if day in days else 0
            rect = ET.SubElement(g, "rect", {
                "x": str(left + column * pitch), "y": str(top + row * pitch), "width": str(cell), "height": str(cell),
                "rx": "2", "class": f"sl-day sl-day--{level}", "data-date": day.isoformat(),
                "data-level": str(level), "style": _level_fill(level),
            })
            shown = words.date(day)
            tip = f"{shown} · {titles.get(day, '')}" if day in days else f"{shown} · {no_log}"
            _title(rect, tip)
            day += dt.timedelta(days=1)
    legend_y = height - legend_room + 6
    x = float(width - (LEVELS + 1) * pitch - 34)
    _text(svg, x - 4, legend_y + cell / 2, words.gettext("Less"), anchor="end", size=10)
    for level in range(LEVELS + 1):
        ET.SubElement(svg, "rect", {
            "x": _num(x + level * pitch), "y": str(legend_y), "width": str(cell), "height": str(cell), "rx": "2",
            "style": _level_fill(level),
        })
    _text(svg, x + (LEVELS + 1) * pitch + 2, legend_y + cell / 2, words.gettext("More"), size=10)
    return _serialize(svg)


def intensity(value: int, highest: int) -> int:
    """The shade (1 to ``LEVELS``) of a study day: its share of the busiest day's amount."""
    if highest <= 0:
        return 1
    return max(1, min(LEVELS, math.ceil(LEVELS * value / highest)))


# ---------------------------------------------------------------- drawing helpers


def _svg(width: float, height: float, label: str, kind: str) -> ET.Element:
    svg = ET.Element("svg", {
        "xmlns": SVG_NS,
        "viewBox": f"0 0 {_num(width)} {_num(height)}",
        "width": _num(width),
        "height": _num(height),
        "role": "img",
        "aria-label": _clean(label),
        "class": f"sl-svg sl-svg--{kind}",
        "font-size": str(FONT_SIZE),
        "fill": "currentColor",
    })
    _title(svg, label)
    return svg


def _title(parent: ET.Element, text: str) -> None:
    ET.SubElement(parent, "title").text = _clean(text)


def _text(parent: ET.Element, x: float, y: float, text: str, *, anchor: str = "start", size: int | None = None,
          cls: str = "") -> ET.Element:
    attrs = {"x": _num(x), "y": _num(y), "dy": "0.35em", "fill": "currentColor"}
    if anchor != "start":
        attrs["text-anchor"] = anchor
    if size:
        attrs["font-size"] = str(size)
    if cls:
        attrs["class"] = cls
    element = ET.SubElement(parent, "text", attrs)
    element.text = _clean(text)
    return element


def _note(svg: ET.Element, x: float, y: float, text: str) -> None:
    _text(svg, x, y, text).set("fill-opacity", "0.7")


def _level_fill(level: int) -> str:
    if level == 0:
        return "fill:currentColor;fill-opacity:0.08"
    return f"fill:{ACCENT};fill-opacity:{_num(0.25 + 0.75 * level / LEVELS)}"


def _row(day: dt.date) -> int:
    """The calendar row of a day: Sunday 0 to Saturday 6."""
    return (day.weekday() + 1) % 7


def _serialize(svg: ET.Element) -> str:
    """One element per line, no blank lines: a raw HTML block Python-Markdown leaves alone."""
    ET.indent(svg, space="")
    return ET.tostring(svg, encoding="unicode")


def _day_title(day: StudyDay, words: Words) -> str:
    title = day.title
    if day.questions:
        title += " · " + words.ngettext("%(num)d question", "%(num)d questions", day.questions)
    return title


_clean = xml_text


def _papers(n: int, words: Words) -> str:
    return words.ngettext("%(num)d paper", "%(num)d papers", n)


def _percent(n: int, total: int) -> str:
    return f"{round(100 * n / total)}%" if total else "0%"


def _num(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")
