"""Selecting facts: the filters of `migfacts query`, resolved against a base and applied.

Within one option, repeated values widen the selection (`-c KG -c TJ`: either); different
options narrow it (`-c KG -t remittances`: both). Free words match whole words ("ban" finds
"bans", not "bank"), and a word that is a figure matches that number however the text writes
it ("978216" finds "978,216", "5.8bn" finds "$5.8 billion"), read by `numbers.parse_number`.
A region or union stands for itself and its members, so `-c "Central Asia"` finds figures on
Kazakhstan too; a country finds figures that name that country in any role (origin,
destination, area or nationality: `Fact.places`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING

from migfacts.errors import UsageError
from migfacts.names import NameIndex, normalize, place_index, topic_index
from migfacts.periods import Period, PeriodError, parse_year_filter
from migfacts.records import Fact, FactBase
from migfacts.values import valueclass

if TYPE_CHECKING:
    from decimal import Decimal  # imported when a free word is a number, not on every query


@valueclass(frozen=True)
class Vocabulary:
    """The name indexes of one base: its places, topics and sources."""

    base: FactBase

    @cached_property
    def places(self) -> NameIndex:
        return place_index(self.base.places.values())

    @cached_property
    def topics(self) -> NameIndex:
        return topic_index(self.base.topics.values())

    @cached_property
    def sources(self) -> NameIndex:
        return NameIndex.build(
            "source",
            ((s.id, f"{s.outlet} ({s.id})", (s.outlet,)) for s in self.base.sources.values()),
        )

    def place_code(self, name: str) -> str:
        """Resolve a place name; a bare code ("kg", "KG") skips building the name index."""
        for candidate in (name.strip(), name.strip().upper()):
            if candidate in self.base.places:
                return candidate
        return self.places.resolve(name)

    def topic_id(self, name: str) -> str:
        stripped = name.strip()
        return stripped if stripped in self.base.topics else self.topics.resolve(name)

    def expand_place(self, code: str) -> frozenset[str]:
        """A place and, for a region or union, its members."""
        place = self.base.places[code]
        return frozenset((code, *place.members))


@valueclass(frozen=True)
class FactFilter:
    """Resolved filters; an empty tuple means "any"."""

    places: tuple[frozenset[str], ...] = ()
    origins: tuple[frozenset[str], ...] = ()
    destinations: tuple[frozenset[str], ...] = ()
    periods: tuple[Period, ...] = ()
    topics: frozenset[str] = frozenset()
    sources: frozenset[str] = frozenset()
    words: tuple[str, ...] = ()
    numbers: tuple[tuple[Decimal, Decimal], ...] = ()  # figures among the words, any written form

    def matches(self, fact: Fact) -> bool:
        if self.places and not _any_place(self.places, fact.places):
            return False
        if self.origins and not _any_place(self.origins, fact.origin):
            return False
        if self.destinations and not _any_place(self.destinations, fact.destination):
            return False
        if self.periods and not any(p.overlaps(fact.interval) for p in self.periods):
            return False
        if self.topics and self.topics.isdisjoint(fact.topics):
            return False
        if self.sources and fact.source not in self.sources:
            return False
        if self.words:
            haystack = normalize(f"{fact.statement} {fact.quote} {fact.id}")
            if not all(_whole_words(word).search(haystack) for word in self.words):
                return False
        if self.numbers:
            written = _numbers_in(fact)
            return all(number in written for number in self.numbers)
        return True


@lru_cache(maxsize=256)
def _whole_words(words: str) -> re.Pattern[str]:
    """`ban` finds "ban" and "bans", not "bank"; several words match as a phrase."""
    return re.compile(r"(?<!\w)" + re.escape(words) + r"(?:s|es)?(?!\w)")


def _numbers_in(fact: Fact) -> set[tuple[Decimal, Decimal]]:
    """Every number the statement and quote write, as (low, high), read by the number reader."""
    from decimal import Decimal

    from migfacts.numbers import find_numbers

    found = {(m.parsed.low, m.parsed.high) for m in find_numbers(f"{fact.statement}\n{fact.quote}")}
    for value in (fact.value, fact.low, fact.high):
        if value is not None:
            found.add((Decimal(str(value)), Decimal(str(value))))
    return found


def _as_number(word: str) -> tuple[Decimal, Decimal] | None:
    """A free word that is a figure ("978216", "978,216", "$5.8bn"), as (low, high)."""
    if not any(ch.isdigit() for ch in word):
        return None
    from migfacts.numbers import parse_number

    parsed = parse_number(word)
    return None if parsed is None else (parsed.low, parsed.high)


def _any_place(wanted: tuple[frozenset[str], ...], codes: Iterable[str]) -> bool:
    present = set(codes)
    return any(not group.isdisjoint(present) for group in wanted)


def build_filter(
    vocabulary: Vocabulary,
    *,
    countries: Sequence[str] = (),
    origins: Sequence[str] = (),
    destinations: Sequence[str] = (),
    years: Sequence[str] = (),
    topics: Sequence[str] = (),
    sources: Sequence[str] = (),
    words: Sequence[str] = (),
) -> FactFilter:
    """Resolve what the user typed; unknown names raise UsageError with suggestions."""

    def places(names: Sequence[str]) -> tuple[frozenset[str], ...]:
        return tuple(vocabulary.expand_place(vocabulary.place_code(n)) for n in names)

    numbers, texts = [], []
    for word in words:
        number = _as_number(word)
        if number is not None:
            numbers.append(number)
        elif normalize(word):
            texts.append(normalize(word))
    periods = []
    for year in years:
        try:
            periods.append(parse_year_filter(year))
        except PeriodError as error:
            raise UsageError(f"--year: {error}") from None
    return FactFilter(
        places=places(countries),
        origins=places(origins),
        destinations=places(destinations),
        periods=tuple(periods),
        topics=frozenset(vocabulary.topic_id(t) for t in topics),
        sources=frozenset(vocabulary.sources.resolve(s) for s in sources),
        words=tuple(texts),
        numbers=tuple(numbers),
    )


def select(base: FactBase, fact_filter: FactFilter) -> Sequence[Fact]:
    """The facts that pass the filter, oldest period first.

    A stored base answers from its indexes and reads the facts a page at a time.
    """
    if base.store is not None:
        return base.store.select(fact_filter)
    chosen = [fact for fact in base.facts if fact_filter.matches(fact)]
    return sorted(chosen, key=lambda f: (f.interval.start, f.interval.end, f.id))
