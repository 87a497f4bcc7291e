"""`migfacts query` through the CLI: filters, formats and exit codes."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from conftest import Invoke


def ids(result: object) -> list[str]:
    assert isinstance(result, list)
    return [item["id"] for item in result]


def query_ids(invoke: Invoke, base: Path, *args: str) -> list[str]:
    result = invoke("query", "--facts", str(base), "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    return ids(result.json())


def test_no_filter_prints_every_fact_oldest_first(invoke: Invoke, base: Path) -> None:
    assert query_ids(invoke, base) == [
        "ru-labor-migrants-2014",
        "ru-labor-migrants-2015",
        "kg-workers-in-kz-2021",
        "tj-remittances-2024",
        "tj-remittances-gdp-2024",
    ]


@pytest.mark.parametrize(
    "name", ["KG", "kg", "Kyrgyzstan", "KYRGYZSTAN", "Kyrgyz", "Kirghiz", "KGZ"]
)
def test_country_accepts_codes_names_and_demonyms(invoke: Invoke, base: Path, name: str) -> None:
    assert query_ids(invoke, base, "--country", name) == ["kg-workers-in-kz-2021"]


def test_country_matching_ignores_accents(invoke: Invoke, tmp_path: Path) -> None:
    from conftest import FACTS, write_base

    facts = FACTS.replace('destination = ["KZ"]', 'destination = ["TR"]')
    folder = write_base(tmp_path / "b", facts=facts)
    for name in ("Turkiye", "türkiye", "TÜRKIYE", "Turkey"):
        assert query_ids(invoke, folder, "-c", name) == ["kg-workers-in-kz-2021"]


def test_country_matches_any_role(invoke: Invoke, base: Path) -> None:
    # KZ is a destination, TJ a destination, RU a destination: -c finds each.
    assert query_ids(invoke, base, "-c", "KZ") == ["kg-workers-in-kz-2021"]
    assert query_ids(invoke, base, "-c", "Tajik") == [
        "tj-remittances-2024",
        "tj-remittances-gdp-2024",
    ]


def test_region_stands_for_its_members(invoke: Invoke, base: Path) -> None:
    found = query_ids(invoke, base, "-c", "Central Asia")
    assert found == ["kg-workers-in-kz-2021", "tj-remittances-2024", "tj-remittances-gdp-2024"]


def test_from_and_to_follow_the_direction_of_the_flow(invoke: Invoke, base: Path) -> None:
    assert query_ids(invoke, base, "--from", "KG", "--to", "KZ") == ["kg-workers-in-kz-2021"]
    result = invoke("query", "--facts", str(base), "--from", "KZ", "--to", "KG", "-f", "json")
    assert result.exit_code == 1
    assert result.json() == []


def test_repeating_an_option_widens_it(invoke: Invoke, base: Path) -> None:
    assert query_ids(invoke, base, "-c", "KG", "-c", "RU") == [
        "ru-labor-migrants-2014",
        "ru-labor-migrants-2015",
        "kg-workers-in-kz-2021",
    ]


def test_different_options_narrow(invoke: Invoke, base: Path) -> None:
    assert query_ids(invoke, base, "-c", "RU", "-y", "2015") == ["ru-labor-migrants-2015"]


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        ("2014", ["ru-labor-migrants-2014"]),
        ("2014..2015", ["ru-labor-migrants-2014", "ru-labor-migrants-2015"]),
        ("2020..", ["kg-workers-in-kz-2021", "tj-remittances-2024", "tj-remittances-gdp-2024"]),
        ("..2014", ["ru-labor-migrants-2014"]),
    ],
)
def test_year_and_ranges_select_overlapping_periods(
    invoke: Invoke, base: Path, year: str, expected: list[str]
) -> None:
    assert query_ids(invoke, base, "--year", year) == expected


def test_topic_by_alias(invoke: Invoke, base: Path) -> None:
    found = query_ids(invoke, base, "--topic", "money transfers")
    assert found == ["tj-remittances-2024", "tj-remittances-gdp-2024"]
    assert query_ids(invoke, base, "-t", "money transfer") == found  # singular too


def test_source_by_id_or_outlet(invoke: Invoke, base: Path) -> None:
    assert len(query_ids(invoke, base, "-s", "test-2024")) == 5
    assert len(query_ids(invoke, base, "-s", "test gazette")) == 5


def test_free_words_must_all_appear(invoke: Invoke, base: Path) -> None:
    assert query_ids(invoke, base, "GDP") == ["tj-remittances-gdp-2024"]
    assert query_ids(invoke, base, "labor", "2015") == ["ru-labor-migrants-2015"]


def test_no_match_exits_1_with_a_message(invoke: Invoke, base: Path) -> None:
    result = invoke("query", "--facts", str(base), "-c", "KG", "-y", "1999")
    assert result.exit_code == 1
    assert result.stdout.count("\n") == 1  # the header only
    assert "no facts match" in result.stderr


def test_unknown_place_suggests_the_closest(invoke: Invoke, base: Path) -> None:
    result = invoke("query", "--facts", str(base), "-c", "Kyrgystan")
    assert result.exit_code == 2
    assert "unknown place 'Kyrgystan'" in result.stderr
    assert "Kyrgyzstan (KG)" in result.stderr
    assert result.stdout == ""


def test_unknown_topic_suggests_the_closest(invoke: Invoke, base: Path) -> None:
    result = invoke("query", "--facts", str(base), "-t", "remitances")
    assert result.exit_code == 2
    assert "did you mean remittances" in result.stderr


def test_bad_year_is_a_usage_error(invoke: Invoke, base: Path) -> None:
    result = invoke("query", "--facts", str(base), "-y", "twenty")
    assert result.exit_code == 2
    assert "--year" in result.stderr


def test_unknown_option_is_a_usage_error(invoke: Invoke, base: Path) -> None:
    result = invoke("query", "--facts", str(base), "--colour")
    assert result.exit_code == 2


# --- formats -----------------------------------------------------------------------------


def test_json_objects_carry_the_fact_fields_and_the_expanded_source(
    invoke: Invoke, base: Path
) -> None:
    result = invoke("query", "--facts", str(base), "-c", "KG", "-f", "json")
    [fact] = result.json_list()
    assert fact["value"] == 35000 and isinstance(fact["value"], int)
    assert fact["qualifier"] == "about"
    assert fact["as_written"] == "35,000"
    assert fact["period"] == "2021-01" and fact["period_basis"] == "inferred"
    assert fact["origin"] == ["KG"] and fact["destination"] == ["KZ"]
    assert fact["figure"] == "about 35,000"
    assert fact["source"] == {
        "id": "test-2024",
        "title": "A test article on migration",
        "outlet": "Test Gazette",
        "authors": ["Ann Writer"],
        "published": "2025-03",
        "published_basis": "inferred",
        "published_note": "Read from the issue the article appeared in.",
        "url": None,
        "republished_in": None,
        "language": "en",
        "archive": "mini.txt",
        "sha256": "70977c4987d9136eceaadb1979a4a57fd607e01a2d070ecc4dffffb586fb8b17",
        "note": None,
    }


def test_json_is_utf8_without_escapes(invoke: Invoke, base: Path) -> None:
    result = invoke("query", "--facts", str(base), "-t", "remittances", "--quotes", "-f", "json")
    assert "republic’s" in result.stdout
    assert "\\u" not in result.stdout


def test_jsonl_is_one_object_per_line(invoke: Invoke, base: Path) -> None:
    import json

    result = invoke("query", "--facts", str(base), "-f", "jsonl")
    lines = result.stdout.splitlines()
    assert len(lines) == 5
    assert [json.loads(line)["id"] for line in lines] == [
        "ru-labor-migrants-2014",
        "ru-labor-migrants-2015",
        "kg-workers-in-kz-2021",
        "tj-remittances-2024",
        "tj-remittances-gdp-2024",
    ]


def test_csv_parses_back_with_figures_and_machine_columns(invoke: Invoke, base: Path) -> None:
    result = invoke("query", "--facts", str(base), "-c", "TJ", "--quotes", "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["figure"] for r in rows] == ["$5.8 billion", "45% of GDP"]
    assert rows[0]["value"] == "5800000000"
    assert rows[0]["unit"] == "US dollars"
    assert rows[1]["quote"].endswith("45% of the republic’s GDP")


def test_tsv_is_the_default_when_piped(invoke: Invoke, base: Path) -> None:
    result = invoke("query", "--facts", str(base), "-c", "KG")
    header, row = result.stdout.splitlines()
    assert header.split("\t")[:3] == ["id", "figure", "statement"]
    assert row.split("\t")[1] == "about 35,000"
    assert "2021-01 (inferred)" in row
    assert "─" not in result.stdout and "\x1b" not in result.stdout


def test_markdown_table(invoke: Invoke, base: Path) -> None:
    result = invoke("query", "--facts", str(base), "-c", "KG", "-f", "markdown")
    lines = result.stdout.splitlines()
    assert lines[0].startswith("| id | figure | statement |")
    assert lines[1].startswith("|---|")
    assert "| about 35,000 |" in lines[2]


def test_table_shows_figure_where_when_and_source(invoke: Invoke, base: Path) -> None:
    result = invoke("query", "--facts", str(base), "-c", "KG", "-f", "table", "--quotes")
    out = result.stdout
    # Cells wrap to the terminal's width, so look for each part on its own.
    for expected in ("about 35,000", "KG → KZ", "2021-01", "(inferred)", "Test Gazette", "Quote"):
        assert expected in out
