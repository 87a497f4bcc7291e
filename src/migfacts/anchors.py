"""Dates written relative to when an article appeared: "last year", "this year", "last
November", "late last year", "in January".

Such a phrase names a period only against the source's publication date, so it is read here
with that date as its anchor and nowhere else. The rules:

- "this year" is the year of publication; "last year" the year before;
- "late" and "early" narrow a year to its last four months (September to December) or its
  first four (January to April): "late last year" in an article of March 2025 is
  September to December 2024;
- "last November" is the latest November before the month of publication; "this November"
  is November of the year of publication;
- "in January" with no year or day after it is the latest January up to and including the
  month of publication ("In January" in an article of June 2021 is January 2021).

A publication date known only as an interval ("2025-03/2025-04-24") anchors a phrase only when
both ends give the same answer; otherwise the phrase is left unread (None), never guessed.
"the last year" (the past twelve months) and "the next year" (after a year the text names) are
not read: they are relative to the text, not to the publication.

`coverage` uses this to account for such phrases, and the fact base may give a year as
`as_written = "last year"` (unit `calendar year`), checked against the source's date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from migfacts.periods import MONTH_NAMES, Period, PeriodError, parse_period

_MONTHS = {name.lower(): number for number, name in enumerate(MONTH_NAMES, start=1)}
# Month names only capitalised: "this may cause" is not a month.
_MONTH = "|".join(MONTH_NAMES)

_RELATIVE = re.compile(
    rf"(?<![Tt]he )\b(?:(?P<part>(?i:late|early))\s+)?(?P<which>(?i:last|this))\s+"
    rf"(?P<what>(?i:year)|{_MONTH})\b"
    rf"|\b(?i:in)\s+(?P<month>{_MONTH})\b(?!\s*,?\s*\d)"
)


@dataclass(frozen=True, slots=True)
class RelativeDate:
    """A relative date in running text, with the period it names."""

    start: int
    end: int
    text: str
    period: Period


def _days_in(year: int, month: int) -> int:
    return 31 if month == 12 else (date(year, month + 1, 1) - date(year, month, 1)).days


def _month(year: int, month: int) -> Period:
    return Period(date(year, month, 1), date(year, month, _days_in(year, month)))


def _read(match: re.Match[str], anchor: date) -> Period:
    """The period one phrase names, for an article published on `anchor`."""
    if match["month"]:
        month = _MONTHS[match["month"].lower()]
        return _month(anchor.year if month <= anchor.month else anchor.year - 1, month)
    which, what = match["which"].lower(), match["what"].lower()
    if what == "year":
        year = anchor.year - (1 if which == "last" else 0)
        part = (match["part"] or "").lower()
        if part == "late":
            return Period(date(year, 9, 1), date(year, 12, 31))
        if part == "early":
            return Period(date(year, 1, 1), date(year, 4, 30))
        return Period(date(year, 1, 1), date(year, 12, 31))
    month = _MONTHS[what]
    if which == "this":
        return _month(anchor.year, month)
    return _month(anchor.year if month < anchor.month else anchor.year - 1, month)


def _anchored(match: re.Match[str], published: Period) -> Period | None:
    if match["part"] and match["what"].lower() != "year":
        return None  # "late last November" is not a form the articles use; leave it unread
    first, last = _read(match, published.start), _read(match, published.end)
    return first if first == last else None


def find_relative_dates(text: str, published: str) -> list[RelativeDate]:
    """Every relative date in `text` that a source published on `published` anchors."""
    try:
        anchor = parse_period(published)
    except PeriodError:
        return []
    found = []
    for match in _RELATIVE.finditer(text):
        period = _anchored(match, anchor)
        if period is not None:
            found.append(RelativeDate(match.start(), match.end(), match.group(), period))
    return found


def is_relative_date(text: str) -> bool:
    """Is `text` exactly one relative date ("last year", "In January")?"""
    return _RELATIVE.fullmatch(" ".join(text.split())) is not None


def relative_period(text: str, published: str) -> Period | None:
    """The period `text` (exactly one relative date) names for a source published then."""
    found = find_relative_dates(" ".join(text.split()), published)
    return found[0].period if len(found) == 1 and found[0].text == " ".join(text.split()) else None
