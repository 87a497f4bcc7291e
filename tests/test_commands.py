"""show, sources, places, topics, schema, coverage, --version and help, through the CLI."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from conftest import ARCHIVE, FACTS, SOURCES, Invoke, write_base
from migfacts import __version__


def test_version(invoke: Invoke) -> None:
    result = invoke("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"migfacts {__version__}"


def test_help_lists_commands_and_exit_codes(invoke: Invoke) -> None:
    result = invoke("--help")
    assert result.exit_code == 0
    for command in ("query", "show", "sources", "places", "topics", "validate", "coverage"):
        assert command in result.stdout
    text = " ".join(result.stdout.split())
    assert "Exit codes" in text and "3 the fact base is invalid" in text


def test_show_json_is_the_fact_object(invoke: Invoke, base: Path) -> None:
    result = invoke("show", "tj-remittances-2024", "--facts", str(base), "-f", "json")
    assert result.exit_code == 0
    fact = result.json()
    assert isinstance(fact, dict)
    assert fact["id"] == "tj-remittances-2024"
    assert fact["figure"] == "$5.8 billion"
    assert fact["source"]["outlet"] == "Test Gazette"


def test_show_table_has_every_field_and_the_full_source(invoke: Invoke, base: Path) -> None:
    result = invoke("show", "kg-workers-in-kz-2021", "--facts", str(base), "-f", "table")
    out = result.stdout
    for expected in (
        "about 35,000",
        "period_note",
        "Kyrgyzstan's State Migration Service",
        "KG (Kyrgyzstan)",
        "A test article on migration",
        "Ann Writer",
        "2025-03 (inferred)",
        "url",
        "unknown",  # no URL is known, and the card says so
        # Not a terminal, so no colour: the figure is marked instead.
        "In January, Kyrgyzstan's State Migration Service said about ⟦35,000⟧",
    ):
        assert expected in out, expected


def test_show_marks_the_figure_in_the_quote(base: Path) -> None:
    from migfacts.listings import highlighted_quote
    from migfacts.loader import load_base

    fact = load_base(base).facts_by_id["tj-remittances-gdp-2024"]
    text = highlighted_quote(fact)
    marked = [
        text.plain[span.start : span.end] for span in text.spans if "reverse" in str(span.style)
    ]
    assert marked == ["45%"]


def test_show_unknown_id_suggests(invoke: Invoke, base: Path) -> None:
    result = invoke("show", "tj-remittance-2024", "--facts", str(base))
    assert result.exit_code == 2
    assert "did you mean tj-remittances-2024" in result.stderr


def test_show_tsv_is_field_value_pairs(invoke: Invoke, base: Path) -> None:
    result = invoke("show", "tj-remittances-2024", "--facts", str(base))
    rows = dict(line.split("\t", 1) for line in result.stdout.splitlines()[1:])
    assert rows["value"] == "5800000000"
    assert rows["qualifier"] == "exact"
    assert rows["published"] == "2025-03 (inferred)"


def test_sources_count_facts(invoke: Invoke, base: Path) -> None:
    [source] = invoke("sources", "--facts", str(base), "-f", "json").json_list()
    assert source["id"] == "test-2024" and source["facts"] == 5
    assert source["authors"] == ["Ann Writer"]


def test_places_list_names_members_and_counts(invoke: Invoke, base: Path) -> None:
    result = invoke("places", "--facts", str(base), "-f", "csv")
    rows = {row["code"]: row for row in csv.DictReader(io.StringIO(result.stdout))}
    assert rows["KG"]["facts"] == "1"
    assert rows["RU"]["facts"] == "2"
    assert rows["CENTRAL-ASIA"]["members"] == "KG, KZ, TJ"
    assert "Kirghiz" in rows["KG"]["demonyms"]


def test_topics_list_aliases_and_counts(invoke: Invoke, base: Path) -> None:
    topics = {t["id"]: t for t in invoke("topics", "--facts", str(base), "-f", "json").json_list()}
    assert topics["remittances"]["facts"] == 2
    assert "money transfers" in topics["remittances"]["aliases"]


@pytest.mark.parametrize("command", ["sources", "places", "topics"])
@pytest.mark.parametrize("fmt", ["table", "json", "jsonl", "csv", "tsv", "markdown"])
def test_every_listing_command_speaks_every_format(
    invoke: Invoke, base: Path, command: str, fmt: str
) -> None:
    result = invoke(command, "--facts", str(base), "--format", fmt)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip()
    if fmt == "json":
        assert isinstance(json.loads(result.stdout), list)


def test_schema_is_json_schema_with_the_controlled_vocabularies(invoke: Invoke) -> None:
    result = invoke("schema")
    assert result.exit_code == 0
    schema = result.json()
    assert isinstance(schema, dict)
    assert schema["$schema"].startswith("https://json-schema.org/")
    fact = schema["$defs"]["FactModel"]
    assert "percent of GDP" in fact["properties"]["unit"]["enum"]
    assert "nearly" in fact["properties"]["qualifier"]["enum"]
    assert fact["additionalProperties"] is False


# The fixture fact reads the archive's "In January" as January 2021, as in an article of June
# 2021: coverage anchors relative dates on the source's publication date, so give it that one.
JUNE_2021 = SOURCES.replace('published = "2025-03"', 'published = "2021-06"')


def test_coverage_accounts_for_every_number(invoke: Invoke, tmp_path: Path) -> None:
    base = write_base(tmp_path / "b", sources=JUNE_2021)
    result = invoke("coverage", "--facts", str(base), "--archive", str(ARCHIVE), "-f", "json")
    assert result.exit_code == 0, result.stderr
    entries = result.json()
    assert isinstance(entries, list)
    by_number = {e["number"]: (e["status"], e["by"]) for e in entries}
    assert by_number["35,000"] == ("fact", "kg-workers-in-kz-2021")
    assert by_number["2014"] == ("period", "ru-labor-migrants-2014")
    assert by_number["In January"] == ("period", "kg-workers-in-kz-2021")
    assert by_number["55"] == ("skipped", "an interviewee's age")
    assert "test-2024: 9 numbers: 5 fact, 3 period, 1 skipped, 0 missing" in result.stderr


def test_coverage_reads_a_relative_date_against_the_publication(invoke: Invoke, base: Path) -> None:
    # Published March 2025, the archive's "In January" is January 2025, which no fact's period
    # (January 2021) covers: missing, though the sentence's figure is recorded.
    result = invoke("coverage", "--facts", str(base), "--archive", str(ARCHIVE), "--missing")
    assert result.exit_code == 4
    _header, row = result.stdout.splitlines()
    assert row.split("\t")[:4] == ["test-2024", "1", "In January", "missing"]


def test_coverage_exits_4_and_lists_what_is_missing(invoke: Invoke, tmp_path: Path) -> None:
    facts = FACTS.split("[[skip]]")[0]  # drop the skip for the interviewee's age
    folder = write_base(tmp_path / "b", facts=facts, sources=JUNE_2021)
    result = invoke("coverage", "--facts", str(folder), "--archive", str(ARCHIVE), "--missing")
    assert result.exit_code == 4
    _header, row = result.stdout.splitlines()
    assert row.split("\t")[:4] == ["test-2024", "4", "55", "missing"]
    assert "coverage: 1 missing" in result.stderr
