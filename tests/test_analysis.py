"""search, conflicts and series through the CLI, on the bundled base and on fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import FACTS, SOURCES, Invoke, write_base


def json_list(invoke: Invoke, *args: str) -> list[dict[str, object]]:
    result = invoke(*args, "-f", "json")
    data = result.json() if result.stdout.strip() else []
    assert isinstance(data, list), result.stderr
    return data


def bundled_ids(invoke: Invoke, *args: str) -> set[str]:
    return {str(f["id"]) for f in json_list(invoke, "query", *args)}


# --- search ------------------------------------------------------------------------------


def test_search_answers_a_question_about_growth(invoke: Invoke) -> None:
    # The facts on Russia in 1999 with the economy topic: what the question asks for.
    wanted = {
        str(f["id"]) for f in json_list(invoke, "query", "-c", "RU", "-y", "1999", "-t", "economy")
    }
    assert wanted, "the bundled base has Russia's 1999 growth"
    results = json_list(invoke, "search", "What was Russia's GDP growth in 1999?")
    assert results[0]["id"] in wanted


def test_search_answers_a_question_about_the_entry_ban(invoke: Invoke) -> None:
    bans = json_list(invoke, "query", "-c", "RU", "-t", "bans")
    entry = [f for f in bans if "entry ban" in str(f["statement"]).lower()]
    assert entry
    question = "How long is Russia's entry ban for migration violations?"
    results = json_list(invoke, "search", question)
    assert results[0]["id"] == entry[0]["id"]
    assert results[0]["unit"] == "years"


def test_search_ranks_best_first(invoke: Invoke) -> None:
    results = json_list(invoke, "search", "remittances Kyrgyzstan 2024")
    top = results[0]
    assert "remittances" in top["topics"]  # type: ignore[operator]
    assert "KG" in top["destination"]  # type: ignore[operator]
    assert "2024" in str(top["period"])
    scores = [float(r["score"]) for r in results]  # type: ignore[arg-type]
    assert scores == sorted(scores, reverse=True)


def test_search_forgives_typos_in_place_names(invoke: Invoke) -> None:
    exact = json_list(invoke, "search", "Uzbeks Kazakhstan", "--limit", "3")
    typo = json_list(invoke, "search", "Uzbeks Kazakstan", "--limit", "3")
    assert [f["id"] for f in typo] == [f["id"] for f in exact]


def test_search_limit_and_no_match(invoke: Invoke) -> None:
    assert len(json_list(invoke, "search", "migrants", "--limit", "2")) == 2
    result = invoke("search", "zzzz qqqq")
    assert result.exit_code == 1


@pytest.mark.parametrize("fmt", ["table", "tsv", "csv", "markdown", "jsonl"])
def test_search_formats(invoke: Invoke, base: Path, fmt: str) -> None:
    result = invoke("search", "Kyrgyz Kazakhstan", "--facts", str(base), "-f", fmt)
    assert result.exit_code == 0
    assert "kg-workers-in-kz-2021" in result.stdout


# --- conflicts ---------------------------------------------------------------------------

OTHER_SOURCE = SOURCES.replace('id = "test-2024"', 'id = "other-2024"').replace(
    "Test Gazette", "Other Herald"
)


def other_fact(value: int, as_written: str, period: str = "2024") -> str:
    return f"""
[[fact]]
id = "tj-remittances-other"
statement = "Remittances to Tajikistan, by another count."
value = {value}
unit = "US dollars"
qualifier = "exact"
as_written = "{as_written}"
period = "{period}"
period_basis = "stated"
destination = ["TJ"]
topics = ["remittances"]
quote = "Tajikistan received {as_written}"
source = "other-2024"
"""


def test_conflicts_lists_sources_that_disagree(invoke: Invoke, tmp_path: Path) -> None:
    folder = write_base(tmp_path / "b", sources=SOURCES + OTHER_SOURCE,
                        facts=FACTS + other_fact(4200000000, "$4.2 billion"))  # fmt: skip
    [group] = json_list(invoke, "conflicts", "--facts", str(folder))
    facts = group["facts"]
    assert isinstance(facts, list)
    assert {f["id"] for f in facts} == {"tj-remittances-2024", "tj-remittances-other"}
    assert "Remittances" in str(group["measure"])


def test_agreeing_or_other_years_are_not_conflicts(invoke: Invoke, tmp_path: Path) -> None:
    sources = SOURCES + OTHER_SOURCE
    agreeing_facts = FACTS + other_fact(5800000000, "$5.8 billion")
    other_year_facts = FACTS + other_fact(4200000000, "$4.2 billion", "2019")
    agreeing = write_base(tmp_path / "a", sources=sources, facts=agreeing_facts)
    other_year = write_base(tmp_path / "y", sources=sources, facts=other_year_facts)
    for folder in (agreeing, other_year):
        result = invoke("conflicts", "--facts", str(folder))
        assert result.exit_code == 1


def test_bundled_tajik_remittance_shares_conflict(invoke: Invoke) -> None:
    shares = [
        f for f in json_list(invoke, "query", "-c", "TJ", "-t", "remittances")
        if f["unit"] == "percent of GDP"
    ]  # fmt: skip
    assert len({f["source"]["id"] for f in shares}) >= 2  # type: ignore[index]
    groups = json_list(invoke, "conflicts", "-c", "TJ", "-t", "remittances")
    in_conflict = {f["id"] for g in groups for f in g["facts"]}  # type: ignore[attr-defined]
    assert "tj-remittances-gdp-share-2024-ng" in in_conflict
    assert any(f["qualifier"] == "approximately" and f["id"] in in_conflict for f in shares)


# --- series ------------------------------------------------------------------------------


def points(invoke: Invoke, *filters: str) -> list[tuple[str, float]]:
    [series] = json_list(invoke, "series", *filters)
    return [(str(p["period"]), float(p["value"])) for p in series["points"]]  # type: ignore[attr-defined]


def test_series_of_remittances_to_kyrgyzstan(invoke: Invoke) -> None:
    assert points(invoke, "-t", "remittances", "--to", "KG") == [
        ("2023", 2700000000.0),
        ("2024", 2900000000.0),
    ]


def test_series_of_labor_migrants_in_russia(invoke: Invoke) -> None:
    assert points(invoke, "-t", "labor-migrants", "--to", "RU", "-y", "2014..2015") == [
        ("2014", 3000000.0),
        ("2015", 1800000.0),
    ]


def test_series_of_growth_keeps_the_contraction(invoke: Invoke) -> None:
    assert points(invoke, "-t", "economy", "-c", "KZ") == [("2019", 4.5), ("2020", -2.6)]


def test_series_table_draws_bars_and_marks_a_fall(invoke: Invoke) -> None:
    result = invoke("series", "-t", "economy", "-c", "KZ", "-f", "table")
    assert result.exit_code == 0
    assert "█" in result.stdout
    assert "-2.6%" in result.stdout
    tsv = invoke("series", "-t", "economy", "-c", "KZ", "-f", "tsv").stdout
    assert "█" not in tsv and "-2.6" in tsv


def test_no_series_exits_1(invoke: Invoke) -> None:
    assert invoke("series", "-c", "NL").exit_code == 1
