"""The fact-file format as pydantic models: the contract every TOML file is checked against.

These models are the single definition of the format. `migfacts schema` prints their JSON
Schema for editors; the loader validates each file with `FactFile` and turns what passes into
the plain records of `records.py`. Checks that need one fact alone live here (value against
`as_written`, periods that parse); checks across files live in `validate.py`.
"""

from __future__ import annotations

import functools
import math
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from migfacts.anchors import is_relative_date
from migfacts.numbers import ParsedNumber, parse_number
from migfacts.periods import PeriodError, parse_period

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")]
PlaceCode = Annotated[str, StringConstraints(pattern=r"^(?:[A-Z]{2}|[a-z0-9]+(?:-[a-z0-9]+)*)$")]
Text = Annotated[str, StringConstraints(min_length=1)]

Unit = Literal[
    "people",
    "border crossings",
    "US dollars",
    "rubles",
    "percent",
    "percent of GDP",
    "times",
    "years",
    "months",
    "days",
    "calendar year",
    "date",
    "laws",
    "regions",
    "criminal cases",
    "countries",
    "permits",
    "quota places",
    "types of service",
]
Qualifier = Literal[
    "exact",
    "about",
    "approximately",
    "roughly",
    "around",
    "some",
    "estimated",
    "probably",
    "nearly",
    "almost",
    "just under",
    "over",
    "more than",
    "just over",
    "at least",
    "up to",
]
Basis = Literal["stated", "inferred"]

PERCENT_UNITS = ("percent", "percent of GDP")


class _Strict(BaseModel):
    # Unknown fields are errors: a misspelt `qualifer` must not silently drop the hedge.
    # Strict types: a figure written as the string "209300" is a mistake, not a number.
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


def _check_period(text: str) -> str:
    try:
        parse_period(text)
    except PeriodError as error:
        raise ValueError(str(error)) from None
    return text


IsoPeriod = Annotated[str, AfterValidator(_check_period)]


class SourceModel(_Strict):
    """An article the fact base quotes."""

    id: Slug
    title: Text
    outlet: Text
    authors: list[Text] = Field(description="Named authors; empty when the article names none.")
    published: IsoPeriod = Field(description="ISO date, year-month, year, or an interval.")
    published_basis: Basis
    published_note: Text | None = None
    url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")] | None = None
    republished_in: Text | None = Field(
        default=None,
        description="Who published the text that url and archive are, when not the outlet.",
    )
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(?:-[A-Za-z0-9]+)*$")]
    archive: Text = Field(description="File name of the archived article text.")
    sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
    note: Text | None = None

    @model_validator(mode="after")
    def _published(self) -> SourceModel:
        if self.published_basis == "inferred" and not self.published_note:
            raise ValueError("an inferred publication date needs published_note saying why")
        return self


class PlaceModel(_Strict):
    """A country (ISO 3166-1 alpha-2) or a region or union with its members."""

    code: PlaceCode
    kind: Literal["country", "region", "union"]
    name: Text
    aliases: list[Text] = []
    demonyms: list[Text] = []
    members: list[PlaceCode] = []
    note: Text | None = None

    @model_validator(mode="after")
    def _code_matches_kind(self) -> PlaceModel:
        is_alpha2 = len(self.code) == 2 and self.code.isupper()
        if self.kind == "country" and not is_alpha2:
            raise ValueError("a country's code is its ISO 3166-1 alpha-2 code, e.g. KG")
        if self.kind != "country" and is_alpha2:
            raise ValueError("a region or union has a lower-case slug code, e.g. central-asia")
        return self


class TopicModel(_Strict):
    """A topic of the controlled vocabulary."""

    id: Slug
    label: Text
    description: Text
    aliases: list[Text] = []


class SkipModel(_Strict):
    """A number in an archived article that is deliberately not a fact, and why."""

    source: Slug
    as_written: Text
    quote: Text
    reason: Text

    @model_validator(mode="after")
    def _in_quote(self) -> SkipModel:
        if self.as_written not in self.quote:
            raise ValueError(f"as_written {self.as_written!r} does not appear in quote")
        return self


# The largest magnitude a figure may have: beyond 10^15 (a quadrillion) a figure is a typo,
# and a float no longer holds every digit (JSON readers such as JavaScript lose them too).
FIGURE_LIMIT = 10**15


def _check_figure(number: int | float) -> int | float:
    if isinstance(number, float) and not math.isfinite(number):
        raise ValueError(f"a figure must be a finite number, not {number!r}")
    if abs(number) > FIGURE_LIMIT:
        raise ValueError("a figure must be at most 10^15 (1,000,000,000,000,000) in size")
    return number


# int before float so TOML integers stay integers in JSON output (209300, not 209300.0).
Figure = Annotated[int | float, AfterValidator(_check_figure)]


class FactModel(_Strict):
    """One figure from one source, with its verbatim quote."""

    id: Slug
    statement: Text
    value: Figure | None = None
    low: Figure | None = None
    high: Figure | None = None
    unit: Unit
    qualifier: Qualifier
    as_written: Text
    period: IsoPeriod = Field(description="ISO 8601: 2024, 2024-08, 2024-Q4, 2020-01/2020-06.")
    period_basis: Basis
    period_note: Text | None = None
    origin: list[PlaceCode] = []
    destination: list[PlaceCode] = []
    area: list[PlaceCode] = []
    nationality: list[PlaceCode] = []
    topics: list[Slug] = Field(min_length=1)
    attribution: Text | None = None
    quote: Text
    source: Slug
    notes: Text | None = None
    status: Literal["estimated", "provisional", "forecast"] | None = None

    @model_validator(mode="after")
    def _consistent(self) -> FactModel:
        has_value = self.value is not None
        has_range = self.low is not None or self.high is not None
        if has_value == has_range:
            raise ValueError("give either value, or low and high")
        if has_range:
            if self.low is None or self.high is None:
                raise ValueError("a range needs both low and high")
            if self.low > self.high:
                raise ValueError(
                    f"low ({_stored(self.low)}) is greater than high ({_stored(self.high)})"
                )
        if self.period_basis == "inferred" and not self.period_note:
            raise ValueError("an inferred period needs period_note saying what it rests on")
        if not (self.origin or self.destination or self.area or self.nationality):
            raise ValueError("name at least one place in origin, destination, area or nationality")
        if self.as_written not in self.quote:
            raise ValueError(f"as_written {self.as_written!r} does not appear in quote")
        mismatch = figure_mismatch(self.as_written, self.unit, self.value, self.low, self.high)
        if mismatch:
            raise ValueError(mismatch)
        return self


class FactFile(_Strict):
    """One TOML file of a fact base; any file may hold any of the five tables."""

    source: list[SourceModel] = []
    place: list[PlaceModel] = []
    topic: list[TopicModel] = []
    fact: list[FactModel] = []
    skip: list[SkipModel] = []


# The model each table's items are validated with, one item at a time.
ITEM_MODELS: dict[str, type[_Strict]] = {
    "source": SourceModel,
    "place": PlaceModel,
    "topic": TopicModel,
    "fact": FactModel,
    "skip": SkipModel,
}


def _decimals(number: float) -> int:
    text = repr(float(number))
    if "e" in text or "E" in text:
        return 0
    return len(text.split(".")[1].rstrip("0")) if "." in text else 0


def _same(written: Decimal, stored: float) -> bool:
    """Is the stored number what the text says, at the precision the number was stored with?

    Exact for "209,300"; for "a third" stored as 33.33 percent, 33.333… rounds to it.
    """
    return round(written, _decimals(stored)) == Decimal(repr(abs(float(stored))))


# Written figures repeat across a base ("2024", "1 million"), and reading one is the costliest
# step of validating a fact; ParsedNumber is immutable, so each form is read once a process.
_parse_written = functools.lru_cache(maxsize=8192)(parse_number)


def figure_mismatch(
    as_written: str, unit: str, value: float | None, low: float | None, high: float | None
) -> str | None:
    """Why `as_written` does not say the number stored for the fact, or None if it does."""
    parsed: ParsedNumber | None = _parse_written(as_written)
    if parsed is None and unit == "calendar year" and is_relative_date(as_written):
        # "last year": which year depends on the source's publication date, which this fact
        # alone does not know; validate.cross_check reads it against that date.
        return None
    if parsed is None:
        return f"as_written {as_written!r} is not a number migfacts can read"
    if parsed.currency == "USD" and unit != "US dollars":
        return f"as_written {as_written!r} is in US dollars but unit is {unit!r}"
    if parsed.currency == "RUB" and unit != "rubles":
        return f"as_written {as_written!r} is in rubles but unit is {unit!r}"
    if parsed.kind == "percent" and unit not in PERCENT_UNITS:
        return f"as_written {as_written!r} is a percentage but unit is {unit!r}"
    if unit == "date":
        if parsed.kind != "date" or value is None:
            return f"unit 'date' needs a date in as_written, e.g. 'May 1, 2025', got {as_written!r}"
        written_day = int(parsed.value)
        stored_day = int(value)
        if written_day // 10000 == 0:  # "September 1": no year written, compare month and day
            stored_day %= 10000
        if written_day != stored_day:
            return f"as_written {as_written!r} is {written_day}, but value is {stored_day}"
        return None
    scale = Decimal(100) if parsed.kind == "fraction" and unit in PERCENT_UNITS else Decimal(1)
    written_low, written_high = parsed.low * scale, parsed.high * scale
    if value is not None:
        if parsed.is_range:
            reading = f"{_plain(written_low)} to {_plain(written_high)}"
            return f"as_written {as_written!r} reads as {reading}; give low and high, not value"
        if not _same(written_low, value):
            return (
                f"as_written {as_written!r} reads as {_plain(written_low)}, "
                f"but value is {_stored(value)} (store the full magnitude; the sign may differ)"
            )
        return None
    assert low is not None and high is not None
    if not (_same(written_low, low) and _same(written_high, high)):
        return (
            f"as_written {as_written!r} reads as {_plain(written_low)} to {_plain(written_high)}, "
            f"but low and high are {_stored(low)} and {_stored(high)}"
        )
    return None


def _stored(number: float) -> str:
    """A stored number as written in TOML: 5900000000, not 5.9e+09."""
    return str(int(number)) if float(number).is_integer() else repr(number)


def _plain(number: Decimal) -> str:
    text = f"{number.normalize():f}"
    return text if len(text) < 24 else f"{float(number):g}"


def json_schema() -> dict[str, Any]:
    """The JSON Schema of one fact file, for editors that complete and check TOML."""
    schema = FactFile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "migfacts fact file"
    return schema
