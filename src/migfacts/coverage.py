"""Proof that nothing is missing: every number in each archived article, accounted for.

A number found by the one number reader (`numbers.find_numbers`), or a date written relative
to the article's publication that the source's `published` date anchors ("last year", "this
year", "last November", "late last year", "in January": `anchors.py`), is accounted for when
it is
- `fact`: part of a fact's `as_written`, where that fact's quote stands in the article;
- `period`: a year or date inside a fact's quote that falls in that fact's period ("in 2024"
  in "in 2024 amounted to $5.8 billion"; "last year" in an article of 2025 and a fact of 2024);
- `skipped`: part of a `[[skip]]`'s `as_written` inside its quote, with the skip's reason;
and `missing` otherwise.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from migfacts.anchors import find_relative_dates
from migfacts.errors import FactBaseError
from migfacts.numbers import NumberMention, find_numbers
from migfacts.periods import Period
from migfacts.records import FactBase
from migfacts.validate import read_archive

_SPACE = re.compile(r"\s+")
STATUSES = ("fact", "period", "skipped", "missing")


@dataclass(frozen=True)
class CoverageEntry:
    source: str
    line: int
    column: int
    text: str
    status: str
    by: str
    context: str


@dataclass
class CoverageReport:
    entries: list[CoverageEntry] = field(default_factory=list)
    unused_skips: list[str] = field(default_factory=list)

    @property
    def missing(self) -> list[CoverageEntry]:
        return [entry for entry in self.entries if entry.status == "missing"]

    def summary(self) -> dict[str, Counter[str]]:
        result: dict[str, Counter[str]] = {}
        for entry in self.entries:
            result.setdefault(entry.source, Counter({s: 0 for s in STATUSES}))[entry.status] += 1
        return result


class _Squashed:
    """An article with white space runs folded to one space, mapped back to the raw text."""

    def __init__(self, raw: str) -> None:
        self.raw = raw
        chars: list[str] = []
        positions: list[int] = []
        for match in re.finditer(r"\s+|\S+", raw.replace("\u00a0", " ")):
            piece = " " if match.group().isspace() else match.group()
            chars.append(piece)
            positions.extend(
                [match.start()] * len(piece) if piece == " " else range(match.start(), match.end())
            )
        self.text = "".join(chars)
        self.positions = positions

    def line_column(self, index: int) -> tuple[int, int]:
        raw_index = self.positions[index] if index < len(self.positions) else len(self.raw)
        before = self.raw[:raw_index]
        return before.count("\n") + 1, raw_index - (before.rfind("\n") + 1) + 1

    def spans(self, needle: str, within: tuple[int, int] | None = None) -> list[tuple[int, int]]:
        needle = _SPACE.sub(" ", needle.replace("\u00a0", " ")).strip()
        start, end = within or (0, len(self.text))
        found = []
        index = self.text.find(needle, start, end)
        while needle and index != -1:
            found.append((index, index + len(needle)))
            index = self.text.find(needle, index + 1, end)
        return found


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _inside(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return b[0] <= a[0] and a[1] <= b[1]


def _mention_period(mention: NumberMention, year_hint: int | None) -> Period | None:
    parsed = mention.parsed
    if parsed.kind == "year":
        return Period(date(int(parsed.low), 1, 1), date(int(parsed.high), 12, 31))
    if parsed.kind == "date":
        number = int(parsed.value)
        year, month, day = number // 10000, number // 100 % 100, number % 100
        year = year or year_hint or 0
        if not year:
            return None
        try:
            return Period(date(year, month, day), date(year, month, day))
        except ValueError:
            return None
    return None


def measure(base: FactBase, archive: Path) -> CoverageReport:
    """Account for every number in every source's archived text."""
    report = CoverageReport()
    problems = []
    for source in base.sources.values():
        raw, problem = read_archive(archive, source)
        if problem is not None:
            problems.append(problem)
            continue
        assert raw is not None
        article = _Squashed(raw)
        claimed: list[tuple[tuple[int, int], str, str]] = []  # (span, status, by)
        skip_places: dict[tuple[str, str], list[tuple[int, int]]] = {}
        for fact in (f for f in base.facts if f.source == source.id):
            for quote_span in article.spans(fact.quote):
                for span in article.spans(fact.as_written, quote_span):
                    claimed.append((span, "fact", fact.id))
                claimed.append((quote_span, "period", fact.id))
        for skip in (s for s in base.skips if s.source == source.id):
            skip_spans = [
                span
                for quote_span in article.spans(skip.quote)
                for span in article.spans(skip.as_written, quote_span)
            ]
            claimed += [(span, "skipped", skip.reason) for span in skip_spans]
            skip_places[skip.as_written, skip.quote] = skip_spans
        used_spans: set[tuple[int, int]] = set()
        for span, text, period in _mentions(article.text, source.published):
            status, by = _account(base, period, span, claimed)
            if status == "skipped":
                used_spans.update(
                    s for s, st, _ in claimed if st == "skipped" and _overlaps(span, s)
                )
            line, column = article.line_column(span[0])
            context = article.text[max(0, span[0] - 40) : span[1] + 40]
            report.entries.append(CoverageEntry(source.id, line, column, text, status, by, context))
        # A skip that accounts for no number is stale or aims at text the reader does not
        # count ("decade"): worth a reviewer's look, though it hides nothing.
        for (as_written, _quote), spans in skip_places.items():
            if not used_spans.intersection(spans):
                report.unused_skips.append(f"{source.id}: {as_written!r}")
    if problems:
        raise FactBaseError(problems)
    return report


def _mentions(text: str, published: str) -> list[tuple[tuple[int, int], str, Period | None]]:
    """Numbers and anchored relative dates in an article, in order, with the period each names.

    A relative date that overlaps a number ("last 12 months") is left to the number.
    """
    year = _published_year(published)
    found = [((m.start, m.end), m.text, _mention_period(m, year)) for m in find_numbers(text)]
    numbers = [span for span, _, _ in found]
    for relative in find_relative_dates(text, published):
        span = (relative.start, relative.end)
        if not any(_overlaps(span, number) for number in numbers):
            found.append((span, relative.text, relative.period))
    return sorted(found, key=lambda item: item[0])


def _published_year(published: str) -> int | None:
    match = re.match(r"(\d{4})", published)
    return int(match.group(1)) if match else None


def _account(
    base: FactBase,
    mention_period: Period | None,
    span: tuple[int, int],
    claimed: list[tuple[tuple[int, int], str, str]],
) -> tuple[str, str]:
    facts = [
        by for claim_span, status, by in claimed if status == "fact" and _overlaps(span, claim_span)
    ]
    if facts:
        return "fact", ", ".join(dict.fromkeys(facts))
    if mention_period is not None:
        for claim_span, status, by in claimed:
            if status == "period" and _inside(span, claim_span):
                fact = base.facts_by_id[by]
                if fact.interval.overlaps(mention_period):
                    return "period", by
    for claim_span, status, by in claimed:
        if status == "skipped" and _overlaps(span, claim_span):
            return "skipped", by
    return "missing", ""
