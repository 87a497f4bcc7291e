"""The JSON Schema of what migfacts prints with `--format json` (and, a line each, `jsonl`).

Every top-level object carries `json_version` (`present.JSON_VERSION`): a consumer can tell
which contract it reads, and a change that could break one raises it. The fact, source,
place and topic objects are derived from the pydantic models of the fact-file format
(`schema.py`), so a field added to the format appears here too; what output adds (`figure`,
`where`, `when`, counts, scores) is listed here. `migfacts schema --output` prints it; each
command's output is `$defs/<command>` (an array, or an object for `show`).
"""

from __future__ import annotations

import copy
from typing import Any

from migfacts.present import JSON_VERSION

_STRING = {"type": "string"}
_INT = {"type": "integer"}
_NUMBER_OR_NULL = {"type": ["number", "null"]}


def _props(model: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """A model's properties as output has them: every field present, optional ones null."""
    schema = model.model_json_schema()
    properties = copy.deepcopy(schema["properties"])
    for prop in properties.values():
        prop.pop("default", None)
    return properties, schema.get("$defs", {})


def _object(properties: dict[str, Any], *, closed: bool = True) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": not closed,
    }


def _top(properties: dict[str, Any], *, closed: bool = True) -> dict[str, Any]:
    """A top-level object: `json_version` first, then its own fields."""
    return _object({"json_version": {"const": JSON_VERSION}, **properties}, closed=closed)


def _array(item: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": item}


def output_schema() -> dict[str, Any]:
    from migfacts.schema import FactModel, PlaceModel, SourceModel, TopicModel

    defs: dict[str, Any] = {}
    source, extra = _props(SourceModel)
    defs.update(extra)
    fact, extra = _props(FactModel)
    defs.update(extra)
    place, extra = _props(PlaceModel)
    defs.update(extra)
    topic, extra = _props(TopicModel)
    defs.update(extra)

    readable = {
        "figure": {**_STRING, "description": "The figure as a reader says it, hedge included."},
        "where": {**_STRING, "description": "Origin → destination; area. Codes in capitals."},
        "when": {**_STRING, "description": "The period, marked (inferred) when reasoned."},
    }
    fact_fields = {**fact, "source": {"$ref": "#/$defs/source"}, **readable}
    defs["source"] = _object(source)
    defs["fact"] = _object(fact_fields)
    defs["query"] = _array(_top(fact_fields))
    defs["show"] = _top(fact_fields)
    defs["search"] = _array(_top({**fact_fields, "score": {"type": "number"}}))
    interval = _object({"low": _NUMBER_OR_NULL, "high": _NUMBER_OR_NULL})
    conflict_fact = _object({**fact_fields, "reads_as": _STRING, "interval": interval})
    defs["conflicts"] = _array(
        _top({"group": _INT, "measure": _STRING, "facts": _array(conflict_fact)})
    )
    point = _object(
        {
            "period": _STRING,
            "figure": _STRING,
            "value": _NUMBER_OR_NULL,
            "low": _NUMBER_OR_NULL,
            "high": _NUMBER_OR_NULL,
            "fact": {"$ref": "#/$defs/fact"},
        }
    )
    defs["series"] = _array(_top({"series": _INT, "measure": _STRING, "points": _array(point)}))
    figure_check = _object(
        {
            "figure": _STRING,
            "verdict": _STRING,
            "explanation": _STRING,
            "evidence": _array(_STRING),
        },
        closed=False,
    )
    defs["check"] = _array(
        _top(
            {
                "claim": _STRING,
                "verdict": {"enum": ["supported", "refuted", "not_enough_info", "conflicting"]},
                "explanation": _STRING,
                "figures": _array(figure_check),
                "evidence": _array({"$ref": "#/$defs/fact"}),
            },
            closed=False,  # `check` may add fields; these are the ones it promises
        )
    )
    defs["sources"] = _array(_top({**source, "facts": _INT}))
    defs["places"] = _array(_top({**place, "facts": _INT}))
    defs["topics"] = _array(_top({**topic, "facts": _INT}))
    defs["coverage"] = _array(
        _top(
            {
                "source": _STRING,
                "line": _INT,
                "column": _INT,
                "number": _STRING,
                "status": {"enum": ["fact", "period", "skipped", "missing"]},
                "by": _STRING,
                "context": _STRING,
            }
        )
    )
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"migfacts JSON output, version {JSON_VERSION}",
        "description": (
            "What `migfacts COMMAND --format json` prints; `$defs/COMMAND` is each command's "
            "output. jsonl prints the same objects, one a line."
        ),
        "anyOf": [{"$ref": f"#/$defs/{name}"} for name in COMMANDS],
        "$defs": defs,
    }


COMMANDS = (  # the commands whose JSON output the schema describes
    "query",
    "show",
    "search",
    "conflicts",
    "series",
    "check",
    "sources",
    "places",
    "topics",
    "coverage",
)
