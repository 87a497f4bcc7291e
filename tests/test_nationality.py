"""The `nationality` role end to end: validated, counted, queried, and in every output."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from conftest import FACTS, Invoke, write_base
from migfacts.loader import load_base

# Four Tajik nationals, in Russia: the nationality of the people counted, and where it happened.
NATIONALS = """
[[fact]]
id = "ru-attackers-tj-2024"
statement = "Four Tajik nationals allegedly carried out the attack in Russia."
value = 4
unit = "people"
qualifier = "exact"
as_written = "four"
period = "2024-03"
period_basis = "stated"
area = ["RU"]
nationality = ["TJ"]
topics = ["labor-migrants"]
quote = "allegedly conducted by four Tajik nationals"
source = "test-2024"
"""

# Only a nationality: people deported from nowhere the text names, to nowhere it names.
ONLY_NATIONALITY = NATIONALS.replace('id = "ru-attackers-tj-2024"', 'id = "tj-only-2024"').replace(
    'area = ["RU"]\n', ""
)


@pytest.fixture
def nationals(tmp_path: Path) -> Path:
    return write_base(tmp_path / "n", facts=FACTS + NATIONALS)


def json_ids(invoke: Invoke, folder: Path, *args: str) -> list[str]:
    result = invoke("query", "--facts", str(folder), "-f", "json", *args)
    assert result.exit_code in (0, 1), result.stderr
    return [item["id"] for item in result.json_list()] if result.exit_code == 0 else []


def test_a_nationality_is_a_place_the_fact_names(invoke: Invoke, tmp_path: Path) -> None:
    folder = write_base(tmp_path / "b", facts=FACTS + ONLY_NATIONALITY)
    result = invoke("validate", "--facts", str(folder))
    assert result.exit_code == 0, result.stderr


def test_an_unknown_nationality_is_reported_with_its_field(invoke: Invoke, tmp_path: Path) -> None:
    facts = FACTS + NATIONALS.replace('nationality = ["TJ"]', 'nationality = ["Tajik"]')
    result = invoke("validate", "--facts", str(write_base(tmp_path / "b", facts=facts)))
    assert result.exit_code == 3
    assert "fact 'ru-attackers-tj-2024': field 'nationality.0'" in result.stderr

    facts = FACTS + NATIONALS.replace('nationality = ["TJ"]', 'nationality = ["UZ"]')
    result = invoke("validate", "--facts", str(write_base(tmp_path / "c", facts=facts)))
    assert result.exit_code == 3
    assert "fact 'ru-attackers-tj-2024': field 'nationality': unknown place 'UZ'" in result.stderr


def test_country_finds_a_nationality(invoke: Invoke, nationals: Path) -> None:
    assert "ru-attackers-tj-2024" in json_ids(invoke, nationals, "-c", "Tajik")
    assert "ru-attackers-tj-2024" in json_ids(invoke, nationals, "-c", "Russia")
    # A region stands for its members, in this role as in the others.
    assert "ru-attackers-tj-2024" in json_ids(invoke, nationals, "-c", "Central Asia")


def test_a_nationality_is_not_a_direction(invoke: Invoke, nationals: Path) -> None:
    assert "ru-attackers-tj-2024" not in json_ids(invoke, nationals, "--from", "TJ")
    assert "ru-attackers-tj-2024" not in json_ids(invoke, nationals, "--to", "RU")


def test_json_carries_nationality_right_after_area(invoke: Invoke, nationals: Path) -> None:
    result = invoke("show", "ru-attackers-tj-2024", "--facts", str(nationals), "-f", "json")
    fact = result.json()
    assert isinstance(fact, dict)
    assert fact["nationality"] == ["TJ"] and fact["area"] == ["RU"]
    keys = list(fact)
    assert keys.index("nationality") == keys.index("area") + 1
    # Every other fact carries the field too, empty.
    result = invoke("query", "--facts", str(nationals), "-f", "json", "-c", "KG")
    assert all(item["nationality"] == [] for item in result.json_list())


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_delimited_where_names_the_nationality(invoke: Invoke, nationals: Path, fmt: str) -> None:
    result = invoke("query", "--facts", str(nationals), "-f", fmt, "-c", "TJ")
    rows = list(csv.DictReader(io.StringIO(result.stdout), delimiter="," if fmt == "csv" else "\t"))
    where = {row["id"]: row["where"] for row in rows}
    assert where["ru-attackers-tj-2024"] == "RU; TJ nationals"
    assert where["tj-remittances-2024"] == "→ TJ"


def test_markdown_and_table_name_the_nationality(invoke: Invoke, nationals: Path) -> None:
    for fmt in ("markdown", "table"):
        result = invoke("query", "--facts", str(nationals), "-f", fmt, "-c", "RU", "four")
        assert result.exit_code == 0
        assert "TJ nationals" in result.stdout, fmt


def test_show_names_the_nationality(invoke: Invoke, nationals: Path) -> None:
    result = invoke("show", "ru-attackers-tj-2024", "--facts", str(nationals), "-f", "tsv")
    rows = dict(line.split("\t", 1) for line in result.stdout.splitlines()[1:])
    assert rows["nationality"] == "TJ (Tajikistan)"
    assert rows["area"] == "RU (Russia)"
    assert "origin" not in rows and "destination" not in rows


def test_places_count_a_nationality(invoke: Invoke, nationals: Path, base: Path) -> None:
    def count(folder: Path) -> int:
        result = invoke("places", "--facts", str(folder), "-f", "json")
        facts = next(p["facts"] for p in result.json_list() if p["code"] == "TJ")
        assert isinstance(facts, int)
        return facts

    assert count(nationals) == count(base) + 1


def test_the_cache_keeps_the_nationality(nationals: Path) -> None:
    fresh = load_base(nationals, use_cache=False)
    load_base(nationals)  # writes the cache
    cached = load_base(nationals)
    assert cached.facts == fresh.facts
    assert cached.facts_by_id["ru-attackers-tj-2024"].nationality == ("TJ",)
    assert cached.facts_by_id["ru-attackers-tj-2024"].places == ("RU", "TJ")


def test_the_schema_offers_the_field(invoke: Invoke) -> None:
    result = invoke("schema")
    schema = result.json()
    assert isinstance(schema, dict)
    fact = schema["$defs"]["FactModel"]["properties"]
    assert "nationality" in fact


OTHER_SOURCE = """
[[source]]
id = "other-2025"
title = "Another article"
outlet = "Other Daily"
authors = []
published = "2025"
published_basis = "stated"
language = "en"
archive = "other.txt"
sha256 = "0000000000000000000000000000000000000000000000000000000000000000"
"""

DEPORTED = """
[[fact]]
id = "{id}"
statement = "People deported from Russia."
value = {value}
unit = "people"
qualifier = "exact"
as_written = "{value}"
period = "2024"
period_basis = "stated"
origin = ["RU"]
nationality = ["{nationality}"]
topics = ["labor-migrants"]
quote = "{value} were deported"
source = "{source}"
"""


def test_figures_on_different_nationalities_are_different_measures(
    invoke: Invoke, tmp_path: Path
) -> None:
    from conftest import SOURCES

    def base(second: str) -> Path:
        facts = FACTS + DEPORTED.format(
            id="tj-deported", value=77, nationality="TJ", source="test-2024"
        )
        facts += DEPORTED.format(
            id="x-deported", value=900, nationality=second, source="other-2025"
        )
        return write_base(tmp_path / second, facts=facts, sources=SOURCES + OTHER_SOURCE)

    # Same nationality, two sources, 77 against 900: a disagreement.
    result = invoke("conflicts", "--facts", str(base("TJ")), "-f", "json")
    assert result.exit_code == 0, result.stderr
    # Kyrgyz and Tajik deportees are not one measure: nothing to disagree about.
    result = invoke("conflicts", "--facts", str(base("KG")), "-f", "json")
    assert result.exit_code == 1
