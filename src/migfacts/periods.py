"""Time periods in the ISO 8601 forms the fact base uses, as closed date intervals.

`2024`, `2024-08`, `2024-08-15`, `2024-Q4`, and intervals `2020-01/2020-06`, `2014/2015`.
Two periods match when they overlap, which is how `--year 2014..2016` selects facts.
"""

from __future__ import annotations

import re
from datetime import date

from migfacts.values import valueclass

MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip

_POINT = re.compile(r"^(?P<y>\d{4})(?:-(?:Q(?P<q>[1-4])|(?P<m>\d{2})(?:-(?P<d>\d{2}))?))?$")


class PeriodError(ValueError):
    """A period that is not one of the ISO forms migfacts reads."""


@valueclass(frozen=True)
class Period:
    __slots__ = ("end", "start")
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


FIRST_YEAR, LAST_YEAR = 1000, 9999  # a `--year` is written with four digits

# A range of years as people write it: 2014..2016, 2024-2025, 2024–2025, "2020 to 2024";
# either end of `..` may be left open. Compiled when a `--year` is read, not on import.
_YEAR_RANGE = (
    r"^(?P<first>[-+]?[^-+.\s]*?)\s*(?:\.\.|\s+to\s+|[-–—](?=\s*\d{4}$))\s*(?P<last>[^.\s]*)$"
)
_YEAR_FORMS = "a year (2014), a range (2014..2016, 2024-2025, 2020 to 2024) or a period (2024-03)"


def _year(text: str, whole: str) -> int:
    if not re.fullmatch(r"[-+]?[0-9]{1,20}", text):
        raise PeriodError(f"{whole!r} is not {_YEAR_FORMS}")
    year = int(text)
    if not FIRST_YEAR <= year <= LAST_YEAR or len(text) != 4:
        raise PeriodError(f"{whole!r}: a year must be from {FIRST_YEAR} to {LAST_YEAR}")
    return year


def parse_year_filter(text: str) -> Period:
    """A `--year` value: the years or period it covers; facts whose period overlaps it match.

    `2014`; ranges `2014..2016` (either end open: `..2016`), `2024-2025`, `2020 to 2024`;
    and every period form of the fact base: `2024-03`, `2024-Q4`, `2014/2015`. Years run
    from 1000 to 9999; anything else is a PeriodError naming what was written.
    """
    text = " ".join(text.split())
    if len(text) > 40:
        raise PeriodError(f"{text[:40]!r}… is not {_YEAR_FORMS}")
    match = re.match(_YEAR_RANGE, text, re.IGNORECASE)
    if match is not None and not re.fullmatch(r"\d{4}-\d{2}", text):
        first, last = match["first"], match["last"]
        if not first and not last:
            raise PeriodError(f"{text!r} is not {_YEAR_FORMS}")
        start = _year(first, text) if first else FIRST_YEAR
        end = _year(last, text) if last else LAST_YEAR
        if start > end:
            raise PeriodError(f"{text!r} ends before it starts")
        return Period(date(start, 1, 1), date(end, 12, 31))
    if re.fullmatch(r"[-+]?[0-9]{1,20}", text):
        year = _year(text, text)
        return Period(date(year, 1, 1), date(year, 12, 31))
    for point in text.split("/"):
        if re.match(r"[0-9]{4}", point.strip()):
            _year(point.strip()[:4], text)
    try:
        return parse_period(text)
    except PeriodError:
        raise PeriodError(f"{text!r} is not {_YEAR_FORMS}") from None
