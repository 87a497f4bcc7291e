"""The fact base in memory: plain frozen records the core queries.

The TOML files are checked against the pydantic models in `schema.py`; what passes becomes
these records. Keeping queries on plain dataclasses lets a cached, already-validated base load
without importing pydantic at all (see `loader.py`). `tests/test_schema.py` keeps the two in
step: a field added to one and not the other fails there.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from functools import cached_property
from typing import Any, TypeVar

from migfacts.periods import Period, parse_period


@dataclass(frozen=True, slots=True, kw_only=True)
class Source:
    id: str
    title: str
    outlet: str
    authors: tuple[str, ...]
    published: str
    published_basis: str
    published_note: str | None = None
    url: str | None = None
    language: str
    archive: str
    sha256: str
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Place:
    code: str
    kind: str
    name: str
    aliases: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    members: tuple[str, ...] = ()
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Topic:
    id: str
    label: str
    description: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Fact:
    # Field order is the order of a fact's JSON object.
    id: str
    statement: str
    value: int | float | None = None
    low: int | float | None = None
    high: int | float | None = None
    unit: str
    qualifier: str
    as_written: str
    period: str
    period_basis: str
    period_note: str | None = None
    origin: tuple[str, ...] = ()
    destination: tuple[str, ...] = ()
    area: tuple[str, ...] = ()
    topics: tuple[str, ...]
    attribution: str | None = None
    quote: str
    source: str
    notes: str | None = None
    status: str | None = None

    @cached_property
    def interval(self) -> Period:
        return parse_period(self.period)

    @property
    def places(self) -> tuple[str, ...]:
        """Every place the fact involves, in any role, without repeats."""
        return tuple(dict.fromkeys(self.origin + self.destination + self.area))

    @property
    def bounds(self) -> tuple[float, float]:
        """The figure as (low, high); equal for a single value."""
        if self.value is not None:
            return (self.value, self.value)
        assert self.low is not None and self.high is not None
        return (self.low, self.high)


@dataclass(frozen=True, slots=True)
class Skip:
    source: str
    as_written: str
    quote: str
    reason: str


@dataclass(frozen=True)
class FactBase:
    sources: dict[str, Source]
    places: dict[str, Place]
    topics: dict[str, Topic]
    facts: tuple[Fact, ...]
    skips: tuple[Skip, ...] = ()
    origin: str = ""  # where it was loaded from, for messages
    fact_files: dict[str, str] = field(default_factory=dict)  # fact id -> file it came from

    @cached_property
    def facts_by_id(self) -> dict[str, Fact]:
        return {fact.id: fact for fact in self.facts}


Record = TypeVar("Record", Source, Place, Topic, Fact, Skip)


_FIELD_NAMES: dict[type, frozenset[str]] = {}


def record_from_dict(cls: type[Record], data: dict[str, Any]) -> Record:
    """Build a record from validated data (a model dump or the cache), lists as tuples."""
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = frozenset(f.name for f in fields(cls))
    values = {
        key: tuple(value) if type(value) is list else value
        for key, value in data.items()
        if key in names
    }
    return cls(**values)  # type: ignore[arg-type]  # validated data, checked by the schema


def record_to_dict(record: Source | Place | Topic | Fact | Skip) -> dict[str, Any]:
    """A record as JSON-ready data, fields in their declared order, tuples as lists."""
    return {
        f.name: list(value) if isinstance(value := getattr(record, f.name), tuple) else value
        for f in fields(record)
    }
