"""`migfacts series`: one measure across time, with bars in a terminal and data elsewhere."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from conftest import FACTS, TOPICS, Invoke, write_base
from migfacts.loader import load_base
from migfacts.records import Fact
from migfacts.series import BAR, NEGATIVE_BAR, _lines, bar_lengths, find_series


def series_json(invoke: Invoke, *args: str) -> list[dict[str, object]]:
    result = invoke("series", "-f", "json", *args)
    assert result.exit_code == 0, result.stderr
    found = result.json()
    assert isinstance(found, list)
    return found


def points(series: dict[str, object]) -> list[tuple[object, object]]:
    return [(p["period"], p["value"]) for p in series["points"]]  # type: ignore[attr-defined]


def bar_line(out: str, fact_id: str) -> str:
    [line] = [line for line in out.splitlines() if fact_id in line]
    return line


# --- the bundled base ------------------------------------------------------------------


def test_remittances_to_kyrgyzstan_2023_to_2024(invoke: Invoke) -> None:
    [series] = series_json(invoke, "-t", "remittances", "--to", "KG")
    assert series["measure"] == "Remittances, US dollars, → KG"
    assert points(series) == [("2023", 2_700_000_000), ("2024", 2_900_000_000)]
    figures = [p["figure"] for p in series["points"]]  # type: ignore[attr-defined]
    assert figures == ["$2.7 billion", "$2.9 billion"]


def test_labor_migrants_in_russia_2014_to_2015(invoke: Invoke) -> None:
    found = series_json(invoke, "-t", "labor-migrants", "--to", "RU", "-y", "2014..2015")
    # The totals since 1991 of two articles (CENTRAL-ASIA → RU) span these years too, as
    # another measure; the official yearly count is its own series.
    assert [s["measure"] for s in found] == [
        "Labor migrants, people, CENTRAL-ASIA → RU",
        "Labor migrants, people, → RU",
    ]
    series = found[1]
    assert points(series) == [("2014", 3_000_000), ("2015", 1_800_000)]
    facts = [p["fact"] for p in series["points"]]  # type: ignore[attr-defined]
    assert [f["id"] for f in facts] == [
        "ru-labor-migrants-2014-diplomat",
        "ru-labor-migrants-2015-diplomat",
    ]
    assert facts[1]["period_basis"] == "inferred"


def test_kazakhstan_growth_then_contraction(invoke: Invoke) -> None:
    [series] = series_json(invoke, "-t", "economy", "-c", "KZ")
    assert series["measure"] == "Economic growth, percent, KZ"
    assert points(series) == [("2019", 4.5), ("2020", -2.6)]
    result = invoke("series", "-t", "economy", "-c", "KZ", "-f", "table", "--no-color")
    assert result.exit_code == 0
    grew = bar_line(result.stdout, "kz-gdp-growth-2019-diplomat")
    shrank = bar_line(result.stdout, "kz-gdp-growth-2020-diplomat")
    # 4.5 is the largest magnitude: the full 30; 2.6 of it is 17, drawn apart as a fall.
    assert grew.count(BAR) == 30 and NEGATIVE_BAR not in grew and "4.5%" in grew
    assert shrank.count(NEGATIVE_BAR) == 17 and BAR not in shrank and "-2.6%" in shrank
    assert "a fall, contraction or deficit" in result.stdout
    assert "\x1b" not in result.stdout


def test_bars_are_proportional_within_a_series(invoke: Invoke) -> None:
    out = invoke("series", "-t", "remittances", "--to", "KG", "-f", "table").stdout
    assert bar_line(out, "kg-remittances-2024-ng").count(BAR) == 30
    assert bar_line(out, "kg-remittances-2023-ng").count(BAR) == round(27 / 29 * 30)
    assert "Remittances, US dollars, → KG" in out
    assert "a fall" not in out  # no legend without a fall


# --- the rule, on a small base ---------------------------------------------------------


def test_a_measure_over_two_periods_is_a_series(invoke: Invoke, base: Path) -> None:
    found = series_json(invoke, "--facts", str(base))
    assert [s["measure"] for s in found] == ["Labor migrants, people, → RU"]
    assert points(found[0]) == [("2014", 3_000_000), ("2015", 1_800_000)]


def test_one_period_or_other_units_make_no_series(invoke: Invoke, base: Path) -> None:
    # Tajikistan's $5.8 billion and 45% of GDP share a period and differ in unit.
    result = invoke("series", "--facts", str(base), "-c", "TJ")
    assert result.exit_code == 1
    assert "no series match" in result.stderr


def test_series_are_sorted_by_period(invoke: Invoke, tmp_path: Path) -> None:
    later_first = FACTS.replace('period = "2014"', 'period = "2016"')
    folder = write_base(tmp_path / "b", facts=later_first)
    [series] = series_json(invoke, "--facts", str(folder))
    assert points(series) == [("2015", 1_800_000), ("2016", 3_000_000)]


def test_same_period_twice_is_not_a_series(invoke: Invoke, tmp_path: Path) -> None:
    same = FACTS.replace('period = "2014"', 'period = "2015"')
    folder = write_base(tmp_path / "b", facts=same)
    assert invoke("series", "--facts", str(folder)).exit_code == 1


def test_topics_that_gather_the_same_facts_are_one_series(tmp_path: Path) -> None:
    both = FACTS.replace(
        'topics = ["labor-migrants"]', 'topics = ["labor-migrants", "remittances"]'
    )
    base = load_base(write_base(tmp_path / "b", facts=both))
    [series] = find_series(base, base.facts)
    assert series.measure == "Labor migrants / Remittances, people, → RU"
    [asked] = find_series(base, base.facts, topics={"remittances"})
    assert asked.measure == "Remittances, people, → RU"


def test_dates_are_events_not_series(tmp_path: Path) -> None:
    years = FACTS.replace('unit = "people"', 'unit = "calendar year"')
    base = load_base(write_base(tmp_path / "b", facts=years))
    assert find_series(base, base.facts) == []


def test_bar_lengths(base: Path) -> None:
    from migfacts.series import Series

    loaded = load_base(base)
    series = Series(
        "x",
        (
            loaded.facts_by_id["ru-labor-migrants-2014"],
            loaded.facts_by_id["ru-labor-migrants-2015"],
        ),
    )
    assert bar_lengths(series, width=10) == [10, 6]


# --- formats ---------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["tsv", "csv", "markdown", "jsonl"])
def test_other_formats_carry_data_without_bars(invoke: Invoke, base: Path, fmt: str) -> None:
    result = invoke("series", "--facts", str(base), "-f", fmt)
    assert result.exit_code == 0
    assert BAR not in result.stdout and NEGATIVE_BAR not in result.stdout
    assert "ru-labor-migrants-2015" in result.stdout


def test_csv_has_one_row_per_point(invoke: Invoke, base: Path) -> None:
    result = invoke("series", "--facts", str(base), "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["period"], r["figure"], r["value"], r["id"]) for r in rows] == [
        ("2014", "3 million", "3000000", "ru-labor-migrants-2014"),
        ("2015", "1.8 million", "1800000", "ru-labor-migrants-2015"),
    ]
    assert {r["measure"] for r in rows} == {"Labor migrants, people, → RU"}
    assert {r["source.outlet"] for r in rows} == {"Test Gazette"}
    assert {r["series"] for r in rows} == {"1"}


def test_json_points_hold_the_fact_objects(invoke: Invoke, base: Path) -> None:
    [series] = series_json(invoke, "--facts", str(base))
    first = series["points"][0]  # type: ignore[index]
    assert set(first) == {"period", "figure", "value", "low", "high", "fact"}
    assert first["fact"]["source"]["outlet"] == "Test Gazette"


def test_hostile_labels_print_literally(invoke: Invoke, tmp_path: Path) -> None:
    hostile = TOPICS.replace(
        'label = "Labor migrants"', 'label = "[bold red]x[/bold red] \\u001b[31mred"'
    )
    folder = write_base(tmp_path / "h", topics=hostile)
    out = invoke("series", "--facts", str(folder), "-f", "table").stdout
    assert "[bold red]x[/bold red]" in out
    assert "\x1b" not in out


def test_different_counts_of_people_are_different_lines(invoke: Invoke) -> None:
    # 680,000 "migrants" (2020), 978,216 who "went to Russia for work" (2022) and 379,000
    # "registered for migration" (2024) share unit, places and topic, but not what is counted.
    result = invoke("series", "-c", "KG", "--to", "RU", "-f", "json")
    assert result.exit_code == 1, result.stdout
    both = invoke("series", "-c", "RU", "-t", "labor-migrants", "-f", "json").json()
    assert isinstance(both, list)
    lines = [[point["fact"]["id"] for point in series["points"]] for series in both]
    assert ["ru-labor-migrants-2014-diplomat", "ru-labor-migrants-2015-diplomat"] in lines


def test_a_fact_linking_two_lines_joins_them_in_period_order() -> None:
    # "a" and "b" share no word, so they start two lines; "c" shares a word with each and
    # joins them into one; "d" shares none and stays alone. Lines list their facts oldest first.
    def fact(ident: str, period: str) -> Fact:
        return Fact(id=ident, period=period, source="s")

    members = [fact("a", "2019"), fact("b", "2020"), fact("d", "2021"), fact("c", "2022")]
    words = {"a": frozenset({"migrants"}), "b": frozenset({"workers"}),
             "c": frozenset({"migrants", "workers"}), "d": frozenset({"students"})}  # fmt: skip
    lines = [[f.id for f in line] for line in _lines(members, words)]
    assert lines == [["d"], ["a", "b", "c"]]
    many = [fact(f"f{year}", str(year)) for year in range(1900, 2100)]
    [line] = _lines(many[::-1], {f.id: frozenset({"migrants"}) for f in many})
    assert line == many
