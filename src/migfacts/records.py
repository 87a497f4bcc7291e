"""The fact base in memory: plain frozen records the core queries.

The TOML files are checked against the pydantic models in `schema.py`; what passes becomes
these records. Keeping queries on plain records lets a cached, already-validated base load
without importing pydantic at all (see `loader.py`). They are NamedTuples rather than
dataclasses because a query pays for creating their classes on every run, and a NamedTuple
class costs a fraction of a dataclass's. Every field has a default so that fields keep the
order of the format (and of JSON output); the schema has already required what is required.
`tests/test_loading.py` keeps records and models in step: a field added to one and not the
other fails there.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from migfacts.periods import Period, parse_period

if TYPE_CHECKING:
    from migfacts.store import Store

# Many facts share a period; each period string is parsed once.
_period = lru_cache(maxsize=None)(parse_period)


class Source(NamedTuple):
    id: str = ""
    title: str = ""
    outlet: str = ""
    authors: tuple[str, ...] = ()
    published: str = ""
    published_basis: str = ""
    published_note: str | None = None
    url: str | None = None
    republished_in: str | None = None
    language: str = ""
    archive: str = ""
    sha256: str = ""
    note: str | None = None


class Place(NamedTuple):
    code: str = ""
    kind: str = ""
    name: str = ""
    aliases: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    members: tuple[str, ...] = ()
    note: str | None = None


class Topic(NamedTuple):
    id: str = ""
    label: str = ""
    description: str = ""
    aliases: tuple[str, ...] = ()


class Fact(NamedTuple):
    # Field order is the order of a fact's JSON object.
    id: str = ""
    statement: str = ""
    value: int | float | None = None
    low: int | float | None = None
    high: int | float | None = None
    unit: str = ""
    qualifier: str = ""
    as_written: str = ""
    period: str = ""
    period_basis: str = ""
    period_note: str | None = None
    origin: tuple[str, ...] = ()
    destination: tuple[str, ...] = ()
    area: tuple[str, ...] = ()
    nationality: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    attribution: str | None = None
    quote: str = ""
    source: str = ""
    notes: str | None = None
    status: str | None = None

    @property
    def interval(self) -> Period:
        return _period(self.period)

    @property
    def places(self) -> tuple[str, ...]:
        """Every place the fact involves, in any role, without repeats."""
        return tuple(dict.fromkeys(self.origin + self.destination + self.area + self.nationality))

    @property
    def bounds(self) -> tuple[float, float]:
        """The figure as (low, high); equal for a single value."""
        if self.value is not None:
            return (self.value, self.value)
        assert self.low is not None and self.high is not None
        return (self.low, self.high)


class Skip(NamedTuple):
    source: str = ""
    as_written: str = ""
    quote: str = ""
    reason: str = ""


class FactBase:
    """A validated fact base: the records the core queries.

    Built in memory by validation (`validate.cross_check`), or backed by the store
    (`store.StoredBase`), which reads facts only when they are asked for: `facts`, `skips`,
    `fact_files` and `facts_by_id` are properties so that a stored base can fill them lazily,
    and `store` says whether indexed look-ups are available.
    """

    store: Store | None = None

    def __init__(
        self,
        sources: Mapping[str, Source],
        places: dict[str, Place],
        topics: dict[str, Topic],
        facts: tuple[Fact, ...] = (),
        skips: tuple[Skip, ...] = (),
        origin: str = "",  # where it was loaded from, for messages
        fact_files: dict[str, str] | None = None,  # fact id -> file it came from
    ) -> None:
        self.sources = sources
        self.places = places
        self.topics = topics
        self.origin = origin
        self._facts = tuple(facts)
        self._skips = tuple(skips)
        self._fact_files = dict(fact_files or {})

    @property
    def facts(self) -> tuple[Fact, ...]:
        return self._facts

    @property
    def skips(self) -> tuple[Skip, ...]:
        return self._skips

    @property
    def fact_files(self) -> Mapping[str, str]:
        return self._fact_files

    @cached_property
    def facts_by_id(self) -> Mapping[str, Fact]:
        return {fact.id: fact for fact in self.facts}


Record = TypeVar("Record", Source, Place, Topic, Fact, Skip)


def record_from_dict(cls: type[Record], data: dict[str, Any]) -> Record:
    """Build a record from validated data (a model dump or the cache), lists as tuples."""
    names = cls._fields
    if len(data) == len(names) and tuple(data) == names:  # every field, in order: the store
        return cls._make([tuple(value) if type(value) is list else value
                          for value in data.values()])  # fmt: skip
    values = {
        key: tuple(value) if type(value) is list else value
        for key, value in data.items()
        if key in names
    }
    return cls(**values)  # type: ignore[arg-type]  # validated data, checked by the schema


def record_to_dict(record: Source | Place | Topic | Fact | Skip) -> dict[str, Any]:
    """A record as JSON-ready data, fields in their declared order, tuples as lists."""
    return {
        name: list(value) if isinstance(value, tuple) else value
        for name, value in zip(record._fields, record, strict=True)
    }
