"""Figures an article gives in words: worked out from two of its facts, never stored.

Articles often fix a figure without writing it. "$2.7 billion in 2023" and "$2.9 billion in
2024" fix the change (a rise of 3.6 to 11.3 percent, at the precision written), so a claim
that remittances "grew by 2.9 percent" is refuted; "$5.8 billion in 2024, 27% more than in
2023" fixes 2023 (about $4.5 to $4.6 billion), so "$5.8 billion in 2023" is refuted.

`check` compares a claim with these as with any fact, under the same rules, and cites the
facts they rest on. Only facts of one article on one measure (same unit, same places in the
same roles, a topic in common) are combined, and interval arithmetic keeps the precision
honest: nothing here is more exact than the figures it comes from.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from migfacts.measures import Interval
from migfacts.present import amount, figure
from migfacts.records import Fact

_LEVEL_UNITS = frozenset({"US dollars", "rubles", "people"})


@dataclass(frozen=True)
class Derived:
    """A figure worked out from facts: as a fact for matching, with what it rests on."""

    fact: Fact  # a stand-in record: statement, places, topics and period of the measure
    interval: Interval  # the magnitudes it can be, from the precision of its basis
    sign: int | None  # for a change: +1 a rise, -1 a fall
    basis: tuple[Fact, ...]
    how: str  # the working, in words, for an explanation


def _measure(fact: Fact) -> tuple[object, ...]:
    return (fact.unit, fact.source, fact.origin, fact.destination, fact.area,
            getattr(fact, "nationality", ()))  # fmt: skip


def _year(first: date, last: date) -> str:
    return f"{first.isoformat()}/{last.isoformat()}"


def derive(facts: list[Fact], intervals: dict[str, Interval], signs: dict[str, int | None]
           ) -> list[Derived]:  # fmt: skip
    """Changes between two levels of one measure, and a level before a stated change."""
    levels: dict[tuple[object, ...], list[Fact]] = defaultdict(list)
    for fact in facts:
        if fact.unit in _LEVEL_UNITS and fact.value is not None and fact.value > 0:
            levels[_measure(fact)].append(fact)
    found = []
    for group in levels.values():
        group.sort(key=lambda f: f.interval.start)
        for earlier, later in itertools.pairwise(group):
            if earlier.interval.end < later.interval.start and set(earlier.topics) & set(
                later.topics
            ):
                change = _change(earlier, later, intervals)
                if change is not None:
                    found.append(change)
    # The levels by their places (all of a measure but its unit): a change is set against
    # the levels on its places only, not every measure's.
    by_places: dict[tuple[object, ...], list[list[Fact]]] = defaultdict(list)
    for measure, group in levels.items():
        by_places[measure[1:]].append(group)
    for fact in facts:
        if fact.unit == "percent" and signs.get(fact.id) is not None:
            found += _level_before(fact, signs[fact.id] or 1, by_places, intervals)
    return found


def _bounded(*intervals: Interval) -> bool:
    """Only figures with two finite ends combine: "more than X" fixes no change."""
    return all(math.isfinite(i.low) and math.isfinite(i.high) for i in intervals)


def _change(earlier: Fact, later: Fact, intervals: dict[str, Interval]) -> Derived | None:
    a, b = intervals[earlier.id], intervals[later.id]
    if a.low <= 0 or not _bounded(a, b):
        return None
    low = (b.low - a.high) / a.high * 100
    high = (b.high - a.low) / a.low * 100
    if low < 0 < high:
        return None  # the precision written cannot say whether it rose or fell
    sign = 1 if low >= 0 else -1
    magnitude = Interval(min(abs(low), abs(high)), max(abs(low), abs(high)))
    stand_in = later._replace(
        id=f"{earlier.id}+{later.id}",
        statement=f"{earlier.statement} {later.statement}",
        unit="percent",
        value=round((magnitude.low + magnitude.high) / 2 * sign, 2),
        period=_year(earlier.interval.start, later.interval.end),
        period_basis="inferred" if "inferred" in (earlier.period_basis, later.period_basis)
        else "stated",
        topics=tuple(t for t in later.topics if t in earlier.topics),
    )  # fmt: skip
    word = "rise" if sign > 0 else "fall"
    how = (f"{figure(earlier)} ({earlier.period}) to {figure(later)} ({later.period}) is a "
           f"{word} of {magnitude.low:.1f} to {magnitude.high:.1f} percent")  # fmt: skip
    return Derived(stand_in, magnitude, sign, (earlier, later), how)


def _level_before(
    change: Fact,
    sign: int,
    by_places: dict[tuple[object, ...], list[list[Fact]]],
    intervals: dict[str, Interval],
) -> list[Derived]:
    """A level and the change that led to it fix the level before: $5.8 billion in 2024, 27%
    more than in 2023, is $4.5 to $4.6 billion in 2023."""
    start, end = change.interval.start, change.interval.end
    if start.year == end.year:
        return []
    found = []
    for group in by_places.get(_measure(change)[1:], ()):
        for level in group:
            if not set(level.topics) & set(change.topics):
                continue
            if level.interval.start.year != end.year:
                continue
            rate, now = intervals[change.id], intervals[level.id]
            if not _bounded(rate, now):
                continue
            if sign > 0:
                low, high = now.low / (1 + rate.high / 100), now.high / (1 + rate.low / 100)
            elif rate.high < 100:
                low, high = now.low / (1 - rate.low / 100), now.high / (1 - rate.high / 100)
            else:
                continue
            year = start.year
            stand_in = level._replace(
                id=f"{change.id}+{level.id}",
                statement=f"{level.statement} {change.statement}",
                value=round((low + high) / 2),
                period=str(year),
                period_basis="inferred",
                period_note="worked out from a level and the change that led to it",
            )
            span = f"{amount(_rounded(low), level.unit)} to {amount(_rounded(high), level.unit)}"
            how = (f"{figure(level)} ({level.period}) after {figure(change)} "
                   f"({change.period}) puts {year} at {span}")  # fmt: skip
            found.append(Derived(stand_in, Interval(low, high), None, (change, level), how))
    return found


def _rounded(number: float) -> float:
    """Three significant figures: a worked-out bound is no more exact than its inputs."""
    from math import floor, log10

    if number <= 0:
        return number
    digits = 2 - floor(log10(number))
    return round(number, digits)
