"""The one number reader: written figures, their precision, and numbers in running text."""

from __future__ import annotations

from decimal import Decimal

import pytest

from migfacts.numbers import find_numbers, parse_number
from migfacts.periods import PeriodError, parse_period, parse_year_filter


@pytest.mark.parametrize(
    ("text", "low", "kind", "currency"),
    [
        ("209,300", 209300, "count", None),
        ("1.2 million", 1200000, "count", None),
        ("2.5 thousand", 2500, "count", None),
        ("$5.8 billion", 5800000000, "count", "USD"),
        ("$ 14.8 billion", 14800000000, "count", "USD"),
        ("$5.8bn", 5800000000, "count", "USD"),
        ("14.8 billion dollars", 14800000000, "count", "USD"),
        ("1 billion rubles", 1000000000, "count", "RUB"),
        ("45%", 45, "percent", None),
        ("17 percent", 17, "percent", None),
        ("tenfold", 10, "multiplier", None),
        ("doubled", 2, "multiplier", None),
        ("a hundred", 100, "count", None),
        ("eight", 8, "count", None),
        ("twenty-five", 25, "count", None),
        ("10 years", 10, "count", None),
        ("a year", 1, "count", None),
        ("two-day", 2, "count", None),
        ("2015", 2015, "year", None),
        ("May 1, 2025", 20250501, "date", None),
        ("3rd May 2018", 20180503, "date", None),
    ],
)
def test_parse_number(text: str, low: int, kind: str, currency: str | None) -> None:
    parsed = parse_number(text)
    assert parsed is not None
    assert parsed.low == parsed.high == Decimal(low)
    assert parsed.kind == kind
    assert parsed.currency == currency


@pytest.mark.parametrize(
    ("text", "value"),
    [("a third", Decimal(1) / 3), ("one in three", Decimal(1) / 3), ("half", Decimal("0.5")),
     ("a quarter", Decimal("0.25")), ("two thirds", Decimal(2) / 3)],
)  # fmt: skip
def test_fractions(text: str, value: Decimal) -> None:
    parsed = parse_number(text)
    assert parsed is not None and parsed.kind == "fraction" and parsed.value == value


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [("2 to 4 million", 2000000, 4000000), ("1991-2004", 1991, 2004),
     ("hundreds", 200, 999), ("several hundred", 300, 999), ("dozens", 24, 99),
     ("tens of thousands", 20000, 99999)],
)  # fmt: skip
def test_ranges_and_vague_quantities(text: str, low: int, high: int) -> None:
    parsed = parse_number(text)
    assert parsed is not None and (parsed.low, parsed.high) == (Decimal(low), Decimal(high))


@pytest.mark.parametrize(
    ("text", "step"),
    [("6,300", 100), ("300,000", 10000), ("20", 1), ("1.2 million", 100000), ("4,100", 100),
     ("978,216", 1), ("17.5", Decimal("0.1"))],
)  # fmt: skip
def test_precision_step(text: str, step: Decimal) -> None:
    parsed = parse_number(text)
    assert parsed is not None and parsed.step == step


@pytest.mark.parametrize(
    ("text", "hedge", "number"),
    [("nearly 360,000", "nearly", "360,000"), ("more than 1.2 million", "more than", "1.2 million"),
     ("just under 5%", "just under", "5%"), ("about $15bn", "about", "$15bn")],
)  # fmt: skip
def test_hedges_are_read_apart_from_the_number(text: str, hedge: str, number: str) -> None:
    parsed = parse_number(text)
    assert parsed is not None and parsed.hedge == hedge and parsed.text == number


@pytest.mark.parametrize(
    "text", ["", "many", "a", "an apple", "million-strong crowd", "12 apples and 3 pears"]
)
def test_not_a_single_number(text: str) -> None:
    assert parse_number(text) is None


def test_find_numbers_in_running_text() -> None:
    text = (
        "One of the first, he was 55-year-old; banned for one year; one in three lacked status; "
        "several hundred received summonses in March 2024, and 1,700 were deported."
    )
    assert [m.text for m in find_numbers(text)] == [
        "55-year", "one year", "one in three", "several hundred", "2024", "1,700",
    ]  # fmt: skip


def test_find_numbers_positions_point_at_the_number() -> None:
    text = "there were some 209,300 Uzbeks"
    [mention] = find_numbers(text)
    assert text[mention.start : mention.end] == "209,300"
    assert mention.parsed.hedge == "some"


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [("2024", "2024-01-01", "2024-12-31"), ("2024-02", "2024-02-01", "2024-02-29"),
     ("2024-Q4", "2024-10-01", "2024-12-31"), ("2020-01/2020-06", "2020-01-01", "2020-06-30"),
     ("2014/2015", "2014-01-01", "2015-12-31"), ("2025-05-01", "2025-05-01", "2025-05-01")],
)  # fmt: skip
def test_periods(text: str, start: str, end: str) -> None:
    period = parse_period(text)
    assert (period.start.isoformat(), period.end.isoformat()) == (start, end)


@pytest.mark.parametrize("text", ["2024-13", "24", "2024/2020", "2024-02-30", "mid-2024"])
def test_bad_periods(text: str) -> None:
    with pytest.raises(PeriodError):
        parse_period(text)


def test_year_filters() -> None:
    assert parse_year_filter("2014..2016").overlaps(parse_period("2016-12"))
    assert not parse_year_filter("2014..2016").overlaps(parse_period("2017"))
    with pytest.raises(PeriodError):
        parse_year_filter("2016..2014")
