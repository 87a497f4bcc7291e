"""One measure across time: the selected figures that can be read as a series.

Facts are grouped by what they measure (`measures.measure_key`: unit and places by role) and
a topic they share; when the user asks for topics, only those topics group. Within a group,
facts whose statements say what their figures count in different words ("were registered for
migration", "went to Russia for work", "migrants") are different lines: two facts share a line
when the words of their own figures share one that says what is counted (the words `check`
matches a figure by). Two topics that
gather exactly the same facts make one series, labelled with both. A group is a series when
its facts cover at least two distinct periods; its points run from the earliest period.
Figures that are themselves dates (units `calendar year` and `date`) mark events, not levels,
and make no series.

In a terminal each point gets a bar, its length proportional to the figure's magnitude within
its series; a fall, contraction or deficit is drawn with "▒" (its figure keeps its minus
sign). Other formats carry the data only: JSON a list of series with their points, the text
formats one row per point.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any, TextIO

from migfacts.conflicts import measure_label
from migfacts.measures import measure_key
from migfacts.present import fact_object, figure, source_line, source_object, when
from migfacts.records import Fact, FactBase
from migfacts.render import (
    Batched,
    Column,
    Format,
    Listing,
    box_lines_wanted,
    make_console,
    print_trimmed,
    render,
)
from migfacts.safety import safe_text

EVENT_UNITS = frozenset({"calendar year", "date"})
BAR_WIDTH = 30
BAR, NEGATIVE_BAR = "█", "▒"


@dataclass(frozen=True)
class Series:
    measure: str
    facts: tuple[Fact, ...]  # oldest period first


def _order(fact: Fact) -> tuple[Any, ...]:
    return (fact.interval.start, fact.interval.end, fact.source, fact.id)


def find_series(
    base: FactBase, facts: Iterable[Fact], *, topics: Collection[str] = ()
) -> list[Series]:
    """Every series among `facts`; `topics`, when given, are the topics that may group them."""
    groups: dict[tuple[Any, ...], list[Fact]] = {}
    by_id: dict[str, Fact] = {}  # the facts seen, not the whole base: a series needs no more
    for fact in facts:
        if fact.unit in EVENT_UNITS:
            continue
        for topic in fact.topics:
            if topics and topic not in topics:
                continue
            groups.setdefault((measure_key(fact), topic), []).append(fact)
            by_id[fact.id] = fact
    # Topics that gather the same facts are one series, not two copies of it.
    words = _measure_words(base, list(by_id.values())) if groups else {}
    merged: dict[tuple[str, ...], list[str]] = {}
    for (_key, topic), members in groups.items():
        for line in _lines(sorted(members, key=_order), words):
            merged.setdefault(tuple(sorted(fact.id for fact in line)), []).append(topic)
    found = []
    for ids, shared in merged.items():
        members = sorted((by_id[i] for i in ids), key=_order)
        if len({fact.interval for fact in members}) < 2:
            continue
        label_facts = [_with_topics(members[0], shared)]
        found.append(Series(measure_label(base, label_facts), tuple(members)))
    return sorted(found, key=lambda s: (s.measure, _order(s.facts[0])))


def _measure_words(base: FactBase, facts: list[Fact]) -> dict[str, frozenset[str]]:
    from migfacts.check import Checker
    from migfacts.query import Vocabulary

    vocabulary = Vocabulary(base)
    return Checker(base, vocabulary.places, vocabulary.topics).measure_words(facts)


def _lines(members: list[Fact], words: dict[str, frozenset[str]]) -> list[list[Fact]]:
    """Facts split into lines: those linked, directly or through others, by a shared word;
    facts that say no such word make one line of their own.

    Each line is ordered, and the lines are listed in the order of their last member in
    `members`. Found through each word's first fact (a union-find), not by comparing each
    fact with every line: a topic of a thousand facts makes hundreds of lines.
    """
    parent = list(range(len(members)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first: dict[str, int] = {}  # each word's first fact; "" stands for saying none
    for i, fact in enumerate(members):
        for word in words[fact.id] or ("",):
            j = first.setdefault(word, i)
            if j != i:
                parent[root(i)] = root(j)
    lines: dict[int, list[Fact]] = {}
    last: dict[int, int] = {}
    for i, fact in enumerate(members):
        top = root(i)
        lines.setdefault(top, []).append(fact)
        last[top] = i
    return [sorted(lines[top], key=_order) for top in sorted(lines, key=last.__getitem__)]


def _with_topics(fact: Fact, topics: list[str]) -> Fact:
    """The fact as seen by one series: only the topics that made the series."""
    return fact._replace(topics=tuple(t for t in fact.topics if t in topics))


def magnitude(fact: Fact) -> float:
    """The size a bar shows: the value, or the middle of a range."""
    low, high = fact.bounds
    return abs(float(low) + float(high)) / 2


def bar_lengths(series: Series, width: int = BAR_WIDTH) -> list[int]:
    """Bar lengths proportional to each point's magnitude; a non-zero figure gets at least one."""
    sizes = [magnitude(fact) for fact in series.facts]
    largest = max(sizes, default=0.0)
    if largest == 0:
        return [0 for _ in sizes]
    return [max(1, round(size / largest * width)) if size else 0 for size in sizes]


def is_negative(fact: Fact) -> bool:
    return fact.bounds[1] < 0


# --- listing ----------------------------------------------------------------------------

SERIES_COLUMNS = [
    Column("series", "series"),
    Column("measure", "measure"),
    Column("period", "period"),
    Column("period_basis", "period_basis"),
    Column("figure", "figure"),
    Column("value", "value"),
    Column("low", "low"),
    Column("high", "high"),
    Column("source.outlet", "source.outlet"),
    Column("source.id", "source.id"),
    Column("id", "id"),
]


def series_listing(base: FactBase, found: list[Series]) -> Listing:
    """The data of every series: one row per point; JSON, one object per series.

    Rows and records are made a series at a time as the renderer reads them, and only those
    it reads: JSON writes the records alone, the text formats the rows alone.
    """
    from migfacts.listings import fact_row

    def rows_of(index: int) -> list[dict[str, str]]:
        series, rows = found[index], []
        for fact in series.facts:
            row = fact_row(base, fact)
            rows.append(
                {
                    "series": str(index + 1),
                    "measure": series.measure,
                    **{key: row[key] for key in ("period", "period_basis", "figure", "value")},
                    **{key: row[key] for key in ("low", "high", "source.outlet", "source.id")},
                    "id": row["id"],
                }
            )
        return rows

    sources: dict[str, dict[str, Any]] = {}  # each source's object, made once

    def records_of(index: int) -> list[dict[str, Any]]:
        series, points = found[index], []
        for fact in series.facts:
            source = sources.get(fact.source)
            if source is None:
                source = sources[fact.source] = source_object(base.sources[fact.source])
            data = fact_object(base, fact, source=source)
            points.append(
                {
                    "period": fact.period,
                    "figure": data["figure"],  # `figure(fact)`, worked out once
                    "value": fact.value,
                    "low": fact.low,
                    "high": fact.high,
                    "fact": data,
                }
            )
        return [{"series": index + 1, "measure": series.measure, "points": points}]

    each = range(len(found))
    return Listing(
        columns=list(SERIES_COLUMNS),
        rows=Batched(each, rows_of, on_two_cores=False),
        records=Batched(each, records_of, on_two_cores=False),
    )


def show_series(
    base: FactBase, found: list[Series], fmt: Format, out: TextIO, *, color: bool
) -> None:
    """A table with bars per series in a terminal; the data alone in every other format."""
    if fmt is not Format.table:
        render(series_listing(base, found), fmt, out, color=color)
        return
    console = make_console(out, color=color)
    for number, series in enumerate(found):
        if number:
            console.print()
        _series_table(base, series, console)


def _series_table(base: FactBase, series: Series, console: Any) -> None:
    """One series fitted to the terminal (layout.py): bars shrink before words break; when
    even the period, figure and id do not fit side by side, each point is stacked."""
    from rich import box
    from rich.padding import Padding
    from rich.table import Table
    from rich.text import Text

    from migfacts.layout import BARE_GAP, GAP, Need, fit, measure

    lines = box_lines_wanted()
    points = [
        {
            "when": safe_text(when(fact)),
            "figure": safe_text(figure(fact)),
            "source": safe_text(source_line(base, fact)),
            "id": safe_text(fact.id),
        }
        for fact in series.facts
    ]
    needs = [
        measure("When", [p["when"] for p in points], cap=20),
        measure("Figure", [p["figure"] for p in points], cap=20, weight=6),
        Need(6, BAR_WIDTH, priority=2, weight=1),
        measure("Source", [p["source"] for p in points], cap=24, priority=3, weight=2),
        measure("ID", [p["id"] for p in points], wrap=False),
    ]
    widths = fit(needs, console.width, gap=GAP if lines else BARE_GAP)
    negative = any(is_negative(fact) for fact in series.facts)
    title = Text(safe_text(series.measure), style="bold")
    caption = Text(f"{NEGATIVE_BAR} a fall, contraction or deficit") if negative else None
    bar_width = widths[2] if widths is not None and widths[2] else None
    if widths is None:
        bar_width = max(6, min(BAR_WIDTH, console.width - 12))
    bars = []
    for fact, length in zip(series.facts, bar_lengths(series, bar_width or BAR_WIDTH), strict=True):
        if is_negative(fact):
            bars.append(Text(NEGATIVE_BAR * length, style="red"))
        else:
            bars.append(Text(BAR * length, style="cyan"))
    if widths is None:
        console.print(title)
        for point, bar in zip(points, bars, strict=True):
            console.print(Text(point["id"]), no_wrap=True, overflow="ignore", crop=False)
            card = Table.grid(padding=(0, 2))
            card.add_column(style="dim", no_wrap=True)
            card.add_column()
            for label, text in (("When", point["when"]), ("Figure", point["figure"])):
                card.add_row(label, Text(text, style="bold" if label == "Figure" else ""))
            card.add_row("", bar)
            card.add_row("Source", Text(point["source"]))
            print_trimmed(console, Padding(card, (0, 0, 0, 2)))
        if caption is not None:
            console.print(caption)
        return
    table = Table(
        title=title,
        caption=caption,
        box=box.SIMPLE_HEAD if lines else None,
        show_edge=False,
        pad_edge=False,
        padding=(0, 1),
        highlight=False,
    )
    headers = [("When", None, "left"), ("Figure", "bold", "right"), ("", None, "left"),
               ("Source", None, "left"), ("ID", None, "left")]  # fmt: skip
    kept = [i for i, width in enumerate(widths) if width]
    for i in kept:
        header, style, justify = headers[i]
        table.add_column(
            header,
            style=style,
            justify=justify,  # type: ignore[arg-type]
            width=widths[i],
            no_wrap=i in (2, 4),
            overflow="fold",
        )
    for point, bar in zip(points, bars, strict=True):
        cells: list[Text] = [
            Text(point["when"]),
            Text(point["figure"]),
            bar,
            Text(point["source"]),
            Text(point["id"]),
        ]
        table.add_row(*(cells[i] for i in kept))
    print_trimmed(console, table)
