"""Time periods in the ISO 8601 forms the fact base uses, as closed date intervals.

`2024`, `2024-08`, `2024-08-15`, `2024-Q4`, and intervals `2020-01/2020-06`, `2014/2015`.
Two periods match when they overlap, which is how `--year 2014..2016` selects facts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip

_POINT = re.compile(r"^(?P<y>\d{4})(?:-(?:Q(?P<q>[1-4])|(?P<m>\d{2})(?:-(?P<d>\d{2}))?))?$")


class PeriodError(ValueError):
    """A period that is not one of the ISO forms migfacts reads."""


@dataclass(frozen=True, slots=True)
class Period:
    start: date
    end: date

    def overlaps(self, other: Period) -> bool:
        return self.start <= other.end and other.start <= self.end

    @property
    def years(self) -> range:
        return range(self.start.year, self.end.year + 1)


def _days_in(year: int, month: int) -> int:
    # calendar.monthrange would do, but importing calendar costs more than a query's work.
    if month == 12:
        return 31
    return (date(year, month + 1, 1) - date(year, month, 1)).days


def _point(text: str) -> Period:
    match = _POINT.match(text)
    if match is None:
        raise PeriodError(
            f"{text!r} is not a period: use 2024, 2024-08, 2024-08-15, 2024-Q4 "
            "or an interval such as 2020-01/2020-06"
        )
    year = int(match["y"])
    try:
        if match["q"]:
            first_month = 3 * (int(match["q"]) - 1) + 1
            last_month = first_month + 2
            return Period(
                date(year, first_month, 1),
                date(year, last_month, _days_in(year, last_month)),
            )
        if match["d"]:
            day = date(year, int(match["m"]), int(match["d"]))
            return Period(day, day)
        if match["m"]:
            month = int(match["m"])
            return Period(date(year, month, 1), date(year, month, _days_in(year, month)))
    except ValueError as error:
        raise PeriodError(f"{text!r} is not a real date: {error}") from None
    return Period(date(year, 1, 1), date(year, 12, 31))


def parse_period(text: str) -> Period:
    """Parse an ISO period or interval; raise PeriodError with a readable message."""
    text = text.strip()
    if "/" in text:
        first, _, last = text.partition("/")
        period = Period(_point(first).start, _point(last).end)
        if period.start > period.end:
            raise PeriodError(f"{text!r} ends before it starts")
        return period
    return _point(text)


def parse_year_filter(text: str) -> Period:
    """A `--year` value: `2014` or a range `2014..2016` (either end may be left open)."""
    text = text.strip()
    if ".." in text:
        first, _, last = text.partition("..")
        try:
            start = int(first) if first else 1
            end = int(last) if last else 9999
        except ValueError:
            raise PeriodError(f"{text!r} is not a year range: use 2014..2016") from None
        if start > end:
            raise PeriodError(f"{text!r} ends before it starts")
        return Period(date(start, 1, 1), date(end, 12, 31))
    if not re.fullmatch(r"\d{4}", text):
        raise PeriodError(f"{text!r} is not a year: use 2014 or a range such as 2014..2016")
    year = int(text)
    return Period(date(year, 1, 1), date(year, 12, 31))
