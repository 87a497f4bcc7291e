"""The JSON contract: versioned, one set of field names, and a schema real output meets."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]  # no hints; stubs are types-jsonschema
import pytest

from conftest import ARCHIVE, Invoke
from migfacts.output_schema import COMMANDS
from migfacts.present import JSON_VERSION


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    from typer.testing import CliRunner

    from migfacts.cli import app

    result = CliRunner().invoke(app, ["schema", "--output"])
    assert result.exit_code == 0
    data: dict[str, Any] = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(data)
    return data


RUNS: dict[str, tuple[str, ...]] = {
    "query": ("query",),
    "show": ("show", "tj-remittances-2024-ng"),
    "search": ("search", "remittances", "Tajikistan"),
    "conflicts": ("conflicts",),
    "series": ("series", "-t", "remittances"),
    "check": ("check", "Remittances to Uzbekistan hit nearly $15bn in 2024"),
    "sources": ("sources",),
    "places": ("places",),
    "topics": ("topics",),
}


def test_every_command_with_json_output_is_in_the_schema(schema: dict[str, Any]) -> None:
    assert set(COMMANDS) == set(RUNS) | {"coverage"}
    assert set(COMMANDS) <= set(schema["$defs"])


@pytest.mark.parametrize("command", list(RUNS))
def test_real_output_meets_the_schema(invoke: Invoke, schema: dict[str, Any], command: str) -> None:
    result = invoke(*RUNS[command], "--format", "json")
    assert result.exit_code in (0, 5, 6, 7), result.stderr
    data = result.json()
    validator = jsonschema.Draft202012Validator(
        {"$ref": f"#/$defs/{command}", "$defs": schema["$defs"]}
    )
    validator.validate(data)
    tops: list[Any] = data if isinstance(data, list) else [data]
    assert tops and all(top["json_version"] == JSON_VERSION for top in tops)


def test_coverage_output_meets_the_schema(
    invoke: Invoke, base: Path, schema: dict[str, Any]
) -> None:
    result = invoke("coverage", "--facts", str(base), "--archive", str(ARCHIVE), "-f", "json")
    validator = jsonschema.Draft202012Validator(
        {"$ref": "#/$defs/coverage", "$defs": schema["$defs"]}
    )
    validator.validate(result.json())


def test_the_schema_rejects_a_renamed_field(invoke: Invoke, schema: dict[str, Any]) -> None:
    data = invoke("query", "-c", "KG", "--format", "json").json()
    assert isinstance(data, list)
    data[0]["figure_text"] = data[0].pop("figure")
    validator = jsonschema.Draft202012Validator({"$ref": "#/$defs/query", "$defs": schema["$defs"]})
    assert not validator.is_valid(data)


def test_jsonl_lines_carry_the_version(invoke: Invoke) -> None:
    lines = invoke("query", "-c", "KG", "--format", "jsonl").stdout.splitlines()
    assert lines and all(json.loads(line)["json_version"] == JSON_VERSION for line in lines)


@pytest.mark.parametrize("command", ["query", "conflicts", "sources", "places", "topics"])
def test_csv_columns_are_json_field_names(invoke: Invoke, command: str) -> None:
    """Every csv column names a JSON field (dotted for a nested one), with the same value."""
    rows = list(csv.DictReader(io.StringIO(invoke(command, "--format", "csv").stdout)))
    data = invoke(command, "--format", "json").json()
    assert isinstance(data, list)
    objects = (
        [fact for group in data for fact in group["facts"]] if command == "conflicts" else data
    )
    assert len(rows) == len(objects)
    for row, obj in zip(rows, objects, strict=True):
        for key, text in row.items():
            value: Any = obj
            for part in key.split("."):
                if key in ("group", "measure") and command == "conflicts":
                    value = None
                    break
                assert part in value, f"csv column {key!r} is not a JSON field of {command}"
                value = value[part]
            if value is None:
                continue
            if isinstance(value, list):
                value = ", ".join(value)
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            if key in ("code", "members"):  # codes in capitals in text formats
                value = str(value).upper()
            assert text == str(value), (command, key)


def test_markdown_headers_are_field_names(invoke: Invoke) -> None:
    header = invoke("query", "--format", "markdown").stdout.splitlines()[0]
    assert header.startswith("| id | figure | statement | where | when |")
