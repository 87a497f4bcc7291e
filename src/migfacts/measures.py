"""What a figure claims as an interval, and which figures measure the same thing.

A hedge gives a number a range; these are the tolerances `check` and `conflicts` use, and
docs/fact-format.md documents them. One rule, read from both sides:

- A claim's hedge widens what the claim may say: "nearly 15 billion" covers 14.8 billion.
- A source's hedge of estimation ("about", "some", "roughly"...) says how sure the source is,
  not that its figure is smeared: "some 209,300" asserts 209,300 at the precision written
  (209,250 to 209,350). So "roughly 210,000" and "more than 200,000" are supported by it,
  "more than 210,000" is refuted. A source's hedge of direction ("nearly", "over", "at
  least", "up to") is part of what it asserts and keeps its interval.
- The claim is supported when everything the source allows lies inside what the claim
  allows; refuted when the two do not meet; otherwise the source cannot decide it.

The intervals:

- exact: what rounds to the number at its written precision, but at most ±5% ("6,300" is
  6,250 to 6,350; "1.2 million" is 1.15 to 1.25 million; "17" is 16.5 to 17.5; "3 million"
  is 2.85 to 3.15 million; a fraction such as "a third" is taken to the nearest 5 percentage
  points);
- about, approximately, roughly, around, some, estimated, probably, close to: ±10%;
- nearly, almost, just under: from 10% below up to the number;
- over, more than, above, in excess of: above the number (just over: up to 10% above);
- at least, no fewer than: the number or more; up to, at most, no more than, as many as:
  the number or less; upwards of, well over: above the number;
- fewer than, less than, under, below: less than the number.

Signs are compared apart from sizes: a fall of 58 percent is the size 58 and the direction
"down". Two facts are on the same measure when they share a unit, a topic and every place in
the same role.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from migfacts.numbers import ParsedNumber, parse_number
from migfacts.records import Fact

ESTIMATE = 0.10  # the ±10% that "about" and its kin allow
EXACT_AT_MOST = 0.05  # a bare figure's rounding, capped: ±5% at the most
_FRACTION_STEP = 5.0  # "a third" read to the nearest 5 percentage points

_ABOUT = {"about", "approximately", "roughly", "around", "some", "estimated", "an estimated",
          "probably", "close to"}  # fmt: skip
ESTIMATE_HEDGES = frozenset(_ABOUT)
_BELOW = {"nearly", "almost", "just under"}
_ABOVE = {"over", "more than", "above", "in excess of", "upwards of", "well over", "well above"}
_LESS = {"fewer than", "less than", "under", "below", "well under"}
_AT_LEAST = {"at least", "no fewer than", "not less than", "no less than"}
_AT_MOST = {"up to", "at most", "no more than", "not more than", "as many as", "as much as"}


@dataclass(frozen=True, slots=True)
class Interval:
    """A closed range of magnitudes; `low` may equal `high`; `high` may be infinite."""

    low: float
    high: float

    def within(self, other: Interval) -> bool:
        return other.low <= self.low and self.high <= other.high

    def overlaps(self, other: Interval) -> bool:
        return self.low <= other.high and other.low <= self.high

    def describe(self) -> str:
        if math.isinf(self.high):
            return f"at least {_short(self.low)}"
        if self.low == 0:
            return f"at most {_short(self.high)}"
        return f"{_short(self.low)} to {_short(self.high)}"


def _short(number: float) -> str:
    return f"{number:,.6g}" if abs(number) < 1e6 else f"{number:,.0f}"


def hedged(low: float, high: float, hedge: str | None, step: float) -> Interval:
    """The interval a hedged figure stands for; `low`/`high` are the written magnitudes."""
    hedge = (hedge or "exact").lower()
    # A strict bound ("over 300,000") excludes the number itself; a tiny nudge keeps the
    # interval closed without pretending to more precision than the text has.
    nudge = max(abs(high), 1.0) * 1e-9
    if hedge in _ABOUT:
        return Interval(low * (1 - ESTIMATE), high * (1 + ESTIMATE))
    if hedge in _BELOW:
        return Interval(low * (1 - ESTIMATE), high)
    if hedge == "just over":
        return Interval(low + nudge, high * (1 + ESTIMATE))
    if hedge in _ABOVE:
        return Interval(low + nudge, math.inf)
    if hedge in _AT_LEAST:
        return Interval(low, math.inf)
    if hedge in _AT_MOST:
        return Interval(0.0, high)
    if hedge in _LESS:
        return Interval(0.0, high - nudge)
    # What rounds to the number, but never more than ±5%: "3 million" is not 2.5 to 3.5 million.
    half = min(step / 2, EXACT_AT_MOST * max(abs(low), abs(high)))
    return Interval(low - half, high + half)


def written_step(parsed: ParsedNumber, unit: str) -> float:
    if parsed.kind == "fraction":
        return _FRACTION_STEP if unit.startswith("percent") else 0.05
    return float(parsed.step) if parsed.step is not None else 0.0


# Facts repeat their written figures ("$2.9 billion"); each is read once per run.
_parse_written = lru_cache(maxsize=8192)(parse_number)


def fact_interval(fact: Fact) -> Interval:
    """The magnitudes a fact stands for, from its written figure and its hedge.

    A hedge of estimation ("about 35,000") is the source's confidence, not a wider figure: the
    fact stands for what its written precision allows, as a bare figure does.
    """
    low, high = (abs(float(v)) for v in fact.bounds)
    low, high = min(low, high), max(low, high)
    parsed = _parse_written(fact.as_written)
    step = written_step(parsed, fact.unit) if parsed is not None else 0.0
    if parsed is not None and parsed.vague:
        return Interval(low, high)  # "hundreds" is already a range
    qualifier = "exact" if fact.qualifier in ESTIMATE_HEDGES else fact.qualifier
    return hedged(low, high, qualifier, step)


def direction(fact: Fact) -> int:
    """-1 for a fall, contraction or deficit; +1 otherwise."""
    value = fact.value if fact.value is not None else fact.low
    return -1 if value is not None and value < 0 else 1


def measure_key(fact: Fact) -> tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...],
                                     tuple[str, ...]]:  # fmt: skip
    """Unit and places by role: what a figure measures, apart from its topic and period."""
    return (fact.unit, tuple(sorted(fact.origin)), tuple(sorted(fact.destination)),
            tuple(sorted(fact.area)), tuple(sorted(fact.nationality)))  # fmt: skip


def same_measure(a: Fact, b: Fact) -> bool:
    """Same unit, same places in the same roles, and at least one topic in common."""
    return measure_key(a) == measure_key(b) and not set(a.topics).isdisjoint(b.topics)
