"""Figures worked out from two facts: only from figures with two finite ends."""

from __future__ import annotations

import math

from migfacts.derive import derive
from migfacts.measures import Interval
from migfacts.records import Fact


def level(fact_id: str, period: str, value: float) -> Fact:
    return Fact(id=fact_id, statement=f"Remittances to Kyrgyzstan in {period}.", value=value,
                unit="US dollars", qualifier="exact", as_written="$1 billion", period=period,
                period_basis="stated", destination=("KG",), topics=("remittances",),
                quote="q", source="s")  # fmt: skip


def test_two_levels_make_a_change_at_the_precision_written() -> None:
    facts = [level("a", "2023", 2.7e9), level("b", "2024", 2.9e9)]
    intervals = {"a": Interval(2.65e9, 2.75e9), "b": Interval(2.85e9, 2.95e9)}
    [found] = derive(facts, intervals, {"a": None, "b": None})
    assert found.sign == 1
    assert round(found.interval.low, 1) == 3.6 and round(found.interval.high, 1) == 11.3
    assert [f.id for f in found.basis] == ["a", "b"]


def test_an_open_bound_fixes_nothing() -> None:
    # "more than $2.9 billion" has no upper end: no change can be worked out from it.
    facts = [level("a", "2023", 2.7e9), level("b", "2024", 2.9e9)]
    intervals = {"a": Interval(2.65e9, 2.75e9), "b": Interval(2.9e9, math.inf)}
    assert derive(facts, intervals, {"a": None, "b": None}) == []
