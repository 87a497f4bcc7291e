"""Where sources disagree: figures on one measure and period that cannot both be right.

Two facts conflict when all of these hold:

- they come from different sources (a source's own figures are never set against each other);
- they are on the same measure (`measures.same_measure`: the same unit, the same places in the
  same roles, and a topic in common);
- their periods overlap, an inferred period (`period_basis = "inferred"`) being taken as
  uncertain by one year on each side: "approximately a third of GDP", in an article of 2025
  that gives no year, may speak of 2024 as well as of 2025 or 2026;
- the intervals their figures stand for do not overlap: `measures.fact_interval` reads each
  figure with its hedge and written precision ("45%" is 44.5 to 45.5, "approximately a third"
  30 to 36.7) and `measures.direction` gives it its sign, so a fall never agrees with a rise.

Conflicting facts are gathered into groups: the facts linked by conflicts, directly or through
one another (connected components), so every fact in a group disagrees with at least one fact
of another source in it. Each group is labelled by its measure: the topics its facts share, the
unit and the places ("Remittances, percent of GDP, → TJ").

The filters of `query` choose which disagreements to show, not which facts may disagree: a
group is shown, whole, when at least one of its facts passes them (`conflicts_involving`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Sequence, Sized
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from migfacts.measures import Interval, direction, fact_interval, measure_key, same_measure
from migfacts.periods import Period
from migfacts.present import where
from migfacts.records import Fact, FactBase
from migfacts.render import Column, Listing

INFERRED_SLACK_YEARS = 1  # how far an inferred period may be off, on each side


def _shift_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


def uncertain_period(fact: Fact) -> Period:
    """The fact's period, widened by a year on each side when it is inferred."""
    period = fact.interval
    if fact.period_basis != "inferred":
        return period
    return Period(
        _shift_years(period.start, -INFERRED_SLACK_YEARS),
        _shift_years(period.end, INFERRED_SLACK_YEARS),
    )


def signed_interval(fact: Fact) -> Interval:
    """What the figure stands for, with its sign: a fall of 2.6% is -2.65 to -2.55."""
    interval = fact_interval(fact)
    if direction(fact) < 0:
        return Interval(-interval.high, -interval.low)
    return interval


def describe(interval: Interval) -> str:
    """An interval for a reader: "44.5 to 45.5", "at least 35,000", "minus 2.65 to 2.55"."""
    if interval.high <= 0 and interval.low < 0:
        return "minus " + Interval(-interval.high, -interval.low).describe()
    return interval.describe()


def disagree(a: Fact, b: Fact) -> bool:
    """True when two sources give figures on one measure and period that cannot both hold."""
    return (
        a.source != b.source
        and same_measure(a, b)
        and uncertain_period(a).overlaps(uncertain_period(b))
        and not signed_interval(a).overlaps(signed_interval(b))
    )


def measure_label(base: FactBase, facts: Sequence[Fact]) -> str:
    """Topic labels, unit and places of facts on one measure: "Remittances, US dollars, → KG"."""
    first = facts[0]
    shared = [t for t in first.topics if all(t in f.topics for f in facts)]
    topics = shared or list(dict.fromkeys(t for f in facts for t in f.topics))
    labels = " / ".join(base.topics[t].label if t in base.topics else t for t in topics)
    return ", ".join(part for part in (labels, first.unit, where(first)) if part)


@dataclass(frozen=True)
class Conflict:
    """Facts from two or more sources that disagree on one measure."""

    measure: str
    facts: tuple[Fact, ...]

    @property
    def sources(self) -> frozenset[str]:
        return frozenset(fact.source for fact in self.facts)


def _order(fact: Fact) -> tuple[date, date, str, str]:
    return (fact.interval.start, fact.interval.end, fact.source, fact.id)


def find_conflicts(base: FactBase, facts: Iterable[Fact]) -> list[Conflict]:
    """Every group of disagreeing facts among `facts`, the earliest period first.

    Only facts on one measure can disagree, so facts are put in buckets by measure and topic
    once, and compared within their bucket only. Within a bucket, a sweep over the (widened)
    periods compares a fact only with those whose periods still overlap it; and two facts
    already in one group are not compared again. The groups are the same as comparing every
    pair with `disagree` would give.
    """
    chosen = sorted(facts, key=_order)
    parent = list(range(len(chosen)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    buckets: dict[tuple[Any, ...], list[int]] = {}
    for i, fact in enumerate(chosen):
        key = measure_key(fact)
        for topic in dict.fromkeys(fact.topics):
            buckets.setdefault((key, topic), []).append(i)
    # What each comparison needs, worked out once per fact.
    spans = [uncertain_period(fact) for fact in chosen]
    starts = [span.start.toordinal() for span in spans]
    ends = [span.end.toordinal() for span in spans]
    figures = [signed_interval(fact) for fact in chosen]
    lows = [interval.low for interval in figures]
    highs = [interval.high for interval in figures]
    sources = [fact.source for fact in chosen]
    linked = bytearray(len(chosen))  # 1: disagrees with at least one other fact
    for members in buckets.values():
        if len(members) < 2:
            continue
        active: list[int] = []
        for i in sorted(members, key=starts.__getitem__):
            start, low, high, source = starts[i], lows[i], highs[i], sources[i]
            active = [j for j in active if ends[j] >= start]
            mine = -1  # the root of i's group, once i disagrees with someone
            for j in active:
                if sources[j] != source and (highs[j] < low or high < lows[j]):
                    if mine < 0:
                        mine = root(i)
                        linked[i] = 1
                    other = root(j)
                    if other != mine:
                        parent[other] = mine
                    linked[j] = 1
            active.append(i)
    groups: dict[int, list[Fact]] = {}
    for i, flag in enumerate(linked):
        if flag:
            groups.setdefault(root(i), []).append(chosen[i])
    conflicts = [Conflict(measure_label(base, group), tuple(group)) for group in groups.values()]
    return sorted(conflicts, key=lambda c: (_order(c.facts[0]), c.measure))


def conflicts_involving(base: FactBase, chosen: Iterable[Fact]) -> list[Conflict]:
    """The groups of the whole base in which at least one of `chosen` takes part, whole.

    The other side of a disagreement is shown even when a filter would not select it: asked
    about 2024, the 45% of 2024 still meets the "third" of an inferred 2025; asked about one
    source, its figures meet the others' that contradict them. Groups never cross measures,
    so only the facts on the measures of `chosen` are read and compared.
    """
    store = base.store
    if store is not None and isinstance(chosen, Sized) and len(chosen) == store.count():
        everything = list(chosen)  # no filter: the facts are read once, not twice
        return find_conflicts(base, everything)
    wanted = set()
    measures = set()
    for fact in chosen:
        wanted.add(fact.id)
        measures.add(measure_key(fact))
    if not measures:
        return []
    if store is not None:
        candidates: Iterable[Fact] = store.on_measures(measures)
    else:
        candidates = [fact for fact in base.facts if measure_key(fact) in measures]
    return [
        conflict
        for conflict in find_conflicts(base, candidates)
        if any(fact.id in wanted for fact in conflict.facts)
    ]


# --- listing ----------------------------------------------------------------------------


def _bound(number: float) -> float | None:
    return None if math.isinf(number) else number


def conflicts_listing(base: FactBase, conflicts: list[Conflict]) -> Listing:
    """One row per fact, with its group number and measure; JSON: one object per group."""
    from migfacts.listings import FACT_COLUMNS, fact_row
    from migfacts.present import fact_object

    fact_columns = {column.key: column for column in FACT_COLUMNS}
    columns = [
        # A group's number and measure head its first row; the rows below leave them blank.
        Column("group", "#", style="bold", no_wrap=True, repeat=False),
        Column("measure", "Measure", max_width=30, min_width=14, ratio=2, repeat=False),
        fact_columns["id"],
        fact_columns["figure"],
        Column("reads_as", "Reads as", max_width=24, ratio=2, priority=3),
        fact_columns["when"],
        fact_columns["source"],
        # The measure says what is compared; the statement is for the other formats.
        Column("statement", "Statement", in_table=False),
        *(c for c in FACT_COLUMNS if c.key not in {"id", "figure", "when", "source", "statement"}),
    ]
    columns = [
        Column(c.key, c.header, in_table=False)
        if c.key in {"where", "status", "attribution"}
        else c
        for c in columns
    ]

    def rows() -> Iterator[dict[str, str]]:
        for number, conflict in enumerate(conflicts, start=1):
            for fact in conflict.facts:
                yield {
                    "group": str(number),
                    "measure": conflict.measure,
                    "reads_as": describe(signed_interval(fact)),
                    **fact_row(base, fact),
                }

    def records() -> Iterator[dict[str, Any]]:
        for number, conflict in enumerate(conflicts, start=1):
            objects = []
            for fact in conflict.facts:
                interval = signed_interval(fact)
                objects.append(
                    {
                        **fact_object(base, fact),
                        "reads_as": describe(interval),
                        "interval": {"low": _bound(interval.low), "high": _bound(interval.high)},
                    }
                )
            yield {"group": number, "measure": conflict.measure, "facts": objects}

    # Made while written: memory holds the groups' facts, not their rows and objects too.
    return Listing(columns=columns, rows=_Again(rows), records=_Again(records))


T = TypeVar("T")


class _Again(Iterable[T]):
    """An iterable that calls `make` for a fresh iterator on each pass."""

    def __init__(self, make: Callable[[], Iterator[T]]) -> None:
        self.make = make

    def __iter__(self) -> Iterator[T]:
        return self.make()
