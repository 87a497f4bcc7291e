"""The fact base as relational tables: what the SQLite and data-package exports write.

Each kind of record becomes a table whose columns are the record's fields, in the format's
order, so a field added to a record reaches every export without a change here. Lists are
kept whole as JSON arrays (Datasette facets on them), and are also spread into link tables
with foreign keys: a fact's topics into `fact_topics`; every other list of place codes on a
fact (`origin`, `destination`, `area`, and any role added later) into `fact_places`, one row
per place with its `role`; a group's members into `place_members`.

Beside the raw number, `facts` carries `figure`, the figure as a reader says it ("nearly
$15 billion"), and the period as two dates, `period_start` and `period_end`, to sort and
filter on. Field types are the Frictionless Table Schema's: `string`, `number`, `date`,
`array`.
"""

from __future__ import annotations

import json
import types
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Union, get_args, get_origin, get_type_hints

from migfacts.present import figure
from migfacts.records import Fact, FactBase, Place, Skip, Source, Topic
from migfacts.safety import safe_json

# The fields of a fact that hold topic ids; every other list on a fact holds place codes in
# the role its name says.
TOPIC_LIST = "topics"

_DESCRIPTIONS: dict[str, dict[str, str]] = {
    "sources": {
        "id": "Short id of the article, as facts name it.",
        "title": "Title as published.",
        "outlet": "The publication.",
        "authors": "Authors as named; empty when the article names none (never guessed).",
        "published": "Publication date (ISO 8601), or an interval when only bounds are known.",
        "published_basis": "`stated` when the page shows the date, `inferred` when reasoned.",
        "published_note": "What an inferred date rests on.",
        "url": "The article's address; empty when none is known (never constructed).",
        "language": "BCP 47 code of the archived text.",
        "archive": "File name of the archived article text.",
        "sha256": "SHA-256 of the archived text.",
        "note": "Republications, translations, whom the article summarizes.",
    },
    "places": {
        "code": "ISO 3166-1 alpha-2 code of a country, or a slug for a region or union.",
        "kind": "country, region or union.",
        "name": "English short name.",
        "aliases": "Other names and codes.",
        "demonyms": "Names of the people.",
        "members": "Codes of member countries of a region or union.",
        "note": "For example who is an observer rather than a member.",
    },
    "topics": {
        "id": "Topic id.",
        "label": "Topic name.",
        "description": "What the topic covers.",
        "aliases": "Words journalists use for it.",
    },
    "facts": {
        "id": "Stable id of the fact.",
        "statement": "What the figure is, in one plain sentence.",
        "figure": "The figure as a reader says it, hedge included.",
        "value": "The number in full; negative for a fall, contraction or deficit.",
        "low": "Lower end of a range as written.",
        "high": "Upper end of a range as written.",
        "unit": "Unit of value, low and high.",
        "qualifier": "The hedge the source gives (nearly, over, about...); `exact` for none.",
        "as_written": "The figure exactly as printed in the quote.",
        "period": "The period the figure is for (ISO 8601, or an interval).",
        "period_start": "First day of the period.",
        "period_end": "Last day of the period.",
        "period_basis": "`stated` when the text gives the period, `inferred` when reasoned.",
        "period_note": "What an inferred period rests on.",
        "origin": "Codes of the places people or money come from.",
        "destination": "Codes of the places people or money go to.",
        "area": "Codes of the places a single-place figure is about.",
        "nationality": "Codes of the countries whose nationals the figure counts.",
        "topics": "Topic ids.",
        "attribution": "Whom the article credits for the figure.",
        "quote": "Verbatim excerpt of the archived article that holds the figure.",
        "source": "Id of the source article.",
        "notes": "What a reader must know about the figure.",
        "status": "estimated, provisional or forecast.",
    },
    "skips": {
        "source": "Id of the source article.",
        "as_written": "The number as printed.",
        "quote": "Verbatim excerpt that holds it.",
        "reason": "Why it is not a figure.",
    },
}


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # Frictionless Table Schema type: string, number, date, array
    description: str
    required: bool = False
    enum: tuple[str, ...] = ()


@dataclass(frozen=True)
class ForeignKey:
    fields: tuple[str, ...]
    table: str
    columns: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    description: str
    fields: tuple[Field, ...]
    rows: list[tuple[Any, ...]]
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = ()
    label: str | None = None  # the column that names a row (Datasette's label_column)
    facets: tuple[str, ...] = field(default=())


def _field_type(annotation: Any) -> tuple[str, bool]:
    """The Table Schema type of a record field's annotation, and whether it may be empty."""
    if get_origin(annotation) is tuple:
        return "array", True
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        optional = len(args) < len(get_args(annotation))
        kind = "number" if all(a in (int, float) for a in args) else "string"
        return kind, optional
    if annotation in (int, float):
        return "number", False
    return "string", False


def _record_fields(table: str, cls: type[Any]) -> list[Field]:
    hints = get_type_hints(cls)
    fields = []
    for name in cls._fields:
        kind, optional = _field_type(hints[name])
        description = _DESCRIPTIONS[table].get(name, f"The `{name}` field of the fact format.")
        fields.append(Field(name, kind, description, required=not optional))
    return fields


def place_roles() -> tuple[str, ...]:
    """The fields of a fact that list place codes, each a role: origin, destination, area..."""
    hints = get_type_hints(Fact)
    return tuple(
        name
        for name in Fact._fields
        if name != TOPIC_LIST and _field_type(hints[name])[0] == "array"
    )


def _rows(records: Iterable[Any]) -> list[tuple[Any, ...]]:
    return [tuple(record) for record in records]


def _source_table(base: FactBase) -> Table:
    return Table(
        "sources",
        "Sources",
        "The articles the figures come from.",
        tuple(_record_fields("sources", Source)),
        _rows(base.sources.values()),
        primary_key=("id",),
        label="title",
        facets=("outlet", "published_basis", "language"),
    )


def _place_table(base: FactBase) -> Table:
    return Table(
        "places",
        "Places",
        "Countries, regions and unions.",
        tuple(_record_fields("places", Place)),
        _rows(base.places.values()),
        primary_key=("code",),
        label="name",
        facets=("kind",),
    )


def _topic_table(base: FactBase) -> Table:
    return Table(
        "topics",
        "Topics",
        "The controlled vocabulary of topics.",
        tuple(_record_fields("topics", Topic)),
        _rows(base.topics.values()),
        primary_key=("id",),
        label="label",
    )


def _fact_table(base: FactBase) -> Table:
    described = _DESCRIPTIONS["facts"]
    fields: list[Field] = []
    for item in _record_fields("facts", Fact):
        if item.name == "value":  # the figure as read, beside the raw number
            fields.append(Field("figure", "string", described["figure"], required=True))
        fields.append(item)
        if item.name == "period":
            fields.append(Field("period_start", "date", described["period_start"], True))
            fields.append(Field("period_end", "date", described["period_end"], True))
    rows = []
    for fact in base.facts:
        values = dict(zip(Fact._fields, fact, strict=True))
        interval = fact.interval
        derived = {
            "figure": figure(fact),
            "period_start": interval.start.isoformat(),
            "period_end": interval.end.isoformat(),
        }
        rows.append(tuple(derived.get(f.name, values.get(f.name)) for f in fields))
    roles = place_roles()
    return Table(
        "facts",
        "Facts",
        "One figure from one source each, with the verbatim quote it came from.",
        tuple(fields),
        rows,
        primary_key=("id",),
        foreign_keys=(ForeignKey(("source",), "sources", ("id",)),),
        label="statement",
        facets=("source", "unit", TOPIC_LIST, *roles, "period_basis"),
    )


def _skip_table(base: FactBase) -> Table:
    return Table(
        "skips",
        "Skipped numbers",
        "Numbers in the articles that are deliberately not facts, and why.",
        tuple(_record_fields("skips", Skip)),
        _rows(base.skips),
        foreign_keys=(ForeignKey(("source",), "sources", ("id",)),),
        facets=("source",),
    )


def _link_tables(base: FactBase) -> list[Table]:
    roles = place_roles()
    fact_places = [
        (fact.id, role, code)
        for fact in base.facts
        for role in roles
        for code in getattr(fact, role)
    ]
    fact_topics = [(fact.id, topic) for fact in base.facts for topic in fact.topics]
    members = [(place.code, member) for place in base.places.values() for member in place.members]
    fact_id = Field("fact_id", "string", "Id of the fact.", required=True)
    return [
        Table(
            "fact_places",
            "Facts and places",
            "Each place a fact names, with its role.",
            (
                fact_id,
                Field("role", "string", "How the fact involves the place.", True, roles),
                Field("place_code", "string", "Code of the place.", required=True),
            ),
            fact_places,
            primary_key=("fact_id", "role", "place_code"),
            foreign_keys=(
                ForeignKey(("fact_id",), "facts", ("id",)),
                ForeignKey(("place_code",), "places", ("code",)),
            ),
            facets=("role", "place_code"),
        ),
        Table(
            "fact_topics",
            "Facts and topics",
            "Each topic a fact is filed under.",
            (fact_id, Field("topic_id", "string", "Id of the topic.", required=True)),
            fact_topics,
            primary_key=("fact_id", "topic_id"),
            foreign_keys=(
                ForeignKey(("fact_id",), "facts", ("id",)),
                ForeignKey(("topic_id",), "topics", ("id",)),
            ),
            facets=("topic_id",),
        ),
        Table(
            "place_members",
            "Members of regions and unions",
            "Each member country of a region or union.",
            (
                Field("place_code", "string", "Code of the region or union.", required=True),
                Field("member_code", "string", "Code of a member country.", required=True),
            ),
            members,
            primary_key=("place_code", "member_code"),
            foreign_keys=(
                ForeignKey(("place_code",), "places", ("code",)),
                ForeignKey(("member_code",), "places", ("code",)),
            ),
            facets=("place_code",),
        ),
    ]


def base_tables(base: FactBase) -> list[Table]:
    """Every table, each referenced table before the tables that point to it."""
    return [
        _source_table(base),
        _place_table(base),
        _topic_table(base),
        _fact_table(base),
        _skip_table(base),
        *_link_tables(base),
    ]


def json_array(values: Iterable[str]) -> str:
    """A list as a JSON array, compact and UTF-8, the way both exports store lists."""
    return safe_json(json.dumps(list(values), ensure_ascii=False, separators=(",", ":")))
