"""`migfacts conflicts`: measures on which sources disagree, side by side."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from conftest import SOURCES, Invoke, write_base
from migfacts.conflicts import disagree, find_conflicts, uncertain_period
from migfacts.loader import bundled_facts, load_base
from migfacts.records import Fact

OTHER_SOURCE = SOURCES.replace('id = "test-2024"', 'id = "other-2025"').replace(
    'outlet = "Test Gazette"', 'outlet = "Other Daily"'
)
TWO_SOURCES = SOURCES + OTHER_SOURCE


def share(
    fact_id: str,
    *,
    source: str,
    value: float,
    as_written: str,
    qualifier: str = "exact",
    period: str = "2024",
    basis: str = "stated",
    unit: str = "percent of GDP",
    destination: str = "TJ",
) -> str:
    """A fact on remittances to a country as a share of GDP (or in another unit)."""
    note = 'period_note = "From the tense of the sentence."\n' if basis == "inferred" else ""
    return f"""
[[fact]]
id = "{fact_id}"
statement = "Remittances to the country, as {as_written}."
value = {value}
unit = "{unit}"
qualifier = "{qualifier}"
as_written = "{as_written}"
period = "{period}"
period_basis = "{basis}"
{note}destination = ["{destination}"]
topics = ["remittances"]
quote = "remittances amounted to {qualifier} {as_written}"
source = "{source}"
"""


FORTY_FIVE = share("a-45", source="test-2024", value=45, as_written="45%")
A_THIRD = share(
    "b-third",
    source="other-2025",
    value=33.33,
    as_written="a third",
    qualifier="approximately",
    period="2025",
    basis="inferred",
)


def conflict_groups(invoke: Invoke, folder: Path, *args: str) -> list[dict[str, object]]:
    result = invoke("conflicts", "--facts", str(folder), "-f", "json", *args)
    assert result.exit_code in (0, 1), result.stderr
    groups = result.json()
    assert isinstance(groups, list)
    assert (result.exit_code == 0) == bool(groups)
    return groups


def group_ids(groups: list[dict[str, object]]) -> list[list[str]]:
    return [[f["id"] for f in g["facts"]] for g in groups]  # type: ignore[attr-defined]


def small(tmp_path: Path, *facts: str) -> Path:
    return write_base(tmp_path / "b", sources=TWO_SOURCES, facts="".join(facts))


# --- the bundled base ------------------------------------------------------------------


def test_tajik_remittances_share_of_gdp_is_a_conflict_on_the_bundled_base(
    invoke: Invoke,
) -> None:
    base = load_base(bundled_facts())
    # What the base holds on remittances to Tajikistan as a share of its GDP, by source.
    shares = [
        f
        for f in base.facts
        if f.unit == "percent of GDP" and "TJ" in f.destination and "remittances" in f.topics
    ]
    by_source = {f.source: f for f in shares}
    ng, diplomat = by_source["ng-2025"], by_source["diplomat-2025"]
    assert (ng.value, ng.period, ng.period_basis) == (45, "2024", "stated")
    assert (diplomat.as_written, diplomat.qualifier) == ("a third", "approximately")
    assert (diplomat.period, diplomat.period_basis) == ("2025", "inferred")
    # Eurasianet's "almost 37 percent" is of money from Russia: another measure (origin RU).
    eurasianet = by_source["eurasianet-2018"]
    assert eurasianet.origin == ("RU",) and not ng.origin

    groups = conflict_groups(invoke, bundled_facts(), "-c", "TJ", "-t", "remittances")
    [group] = [g for g in groups if g["measure"] == "Remittances, percent of GDP, → TJ"]
    facts = group["facts"]
    assert isinstance(facts, list)
    assert {f["id"] for f in facts} == {ng.id, diplomat.id}
    assert {f["source"]["id"] for f in facts} == {"ng-2025", "diplomat-2025"}
    intervals = {f["id"]: f["interval"] for f in facts}
    assert intervals[ng.id] == {"low": 44.5, "high": 45.5}
    assert intervals[diplomat.id]["high"] < 44.5


def test_the_bundled_conflict_is_found_without_filters(invoke: Invoke) -> None:
    groups = conflict_groups(invoke, bundled_facts())
    assert "Remittances, percent of GDP, → TJ" in [g["measure"] for g in groups]
    for group in groups:
        facts = group["facts"]
        assert isinstance(facts, list)
        assert len({f["source"]["id"] for f in facts}) >= 2


# --- the rule, on a small base ---------------------------------------------------------


def test_two_sources_disagreeing_are_listed(invoke: Invoke, tmp_path: Path) -> None:
    groups = conflict_groups(invoke, small(tmp_path, FORTY_FIVE, A_THIRD))
    assert group_ids(groups) == [["a-45", "b-third"]]
    assert groups[0]["measure"] == "Remittances, percent of GDP, → TJ"
    assert groups[0]["group"] == 1


def test_sources_that_agree_are_not_listed(invoke: Invoke, tmp_path: Path) -> None:
    # "nearly 45%" is 40.5 to 45, which meets 44.5 to 45.5.
    nearly = share("b-nearly", source="other-2025", value=45, as_written="45%", qualifier="nearly")
    result = invoke("conflicts", "--facts", str(small(tmp_path, FORTY_FIVE, nearly)))
    assert result.exit_code == 1
    assert "no conflicts match" in result.stderr


def test_different_periods_are_not_a_conflict(invoke: Invoke, tmp_path: Path) -> None:
    earlier = share("b-30", source="other-2025", value=30, as_written="30%", period="2020")
    assert conflict_groups(invoke, small(tmp_path, FORTY_FIVE, earlier)) == []


@pytest.mark.parametrize(
    ("period", "basis", "conflicts"),
    [
        ("2023", "stated", False),  # a stated year is taken at its word
        ("2023", "inferred", True),  # an inferred 2023 may be 2024
        ("2022", "inferred", False),  # but not two years off
        ("2026", "inferred", False),
        ("2025", "inferred", True),
    ],
)
def test_an_inferred_period_is_uncertain_by_one_year(
    invoke: Invoke, tmp_path: Path, period: str, basis: str, conflicts: bool
) -> None:
    other = share("b-30", source="other-2025", value=30, as_written="30%", period=period,
                  basis=basis)  # fmt: skip
    groups = conflict_groups(invoke, small(tmp_path, FORTY_FIVE, other))
    assert bool(groups) == conflicts


def test_one_source_is_never_set_against_itself(invoke: Invoke, tmp_path: Path) -> None:
    same = share("a-30", source="test-2024", value=30, as_written="30%")
    assert conflict_groups(invoke, small(tmp_path, FORTY_FIVE, same)) == []


def test_other_measures_are_not_compared(invoke: Invoke, tmp_path: Path) -> None:
    elsewhere = share("b-kg", source="other-2025", value=30, as_written="30%", destination="KG")
    other_unit = share("b-pc", source="other-2025", value=30, as_written="30%", unit="percent")
    assert conflict_groups(invoke, small(tmp_path, FORTY_FIVE, elsewhere, other_unit)) == []


def test_a_fall_disagrees_with_a_rise_of_the_same_size(tmp_path: Path) -> None:
    rise = share("a-up", source="test-2024", value=5, as_written="5%", unit="percent")
    fall = share("b-down", source="other-2025", value=-5, as_written="5%", unit="percent")
    base = load_base(small(tmp_path, rise, fall))
    up, down = base.facts_by_id["a-up"], base.facts_by_id["b-down"]
    assert disagree(up, down) and disagree(down, up)
    [conflict] = find_conflicts(base, base.facts)
    assert conflict.sources == {"test-2024", "other-2025"}


def test_facts_linked_by_conflicts_make_one_group(invoke: Invoke, tmp_path: Path) -> None:
    third = share("c-20", source="other-2025", value=20, as_written="20%")
    far = share("d-45", source="other-2025", value=45, as_written="45%", period="2010")
    far_other = share("e-10", source="test-2024", value=10, as_written="10%", period="2010")
    folder = small(tmp_path, FORTY_FIVE, A_THIRD, third, far, far_other)
    groups = conflict_groups(invoke, folder)
    # Groups run from the earliest period; within a period, by source id then fact id.
    assert group_ids(groups) == [["d-45", "e-10"], ["c-20", "a-45", "b-third"]]
    assert [g["group"] for g in groups] == [1, 2]


def test_uncertain_period_widens_only_inferred_periods(tmp_path: Path) -> None:
    base = load_base(small(tmp_path, FORTY_FIVE, A_THIRD))
    stated: Fact = base.facts_by_id["a-45"]
    inferred: Fact = base.facts_by_id["b-third"]
    assert uncertain_period(stated) == stated.interval
    widened = uncertain_period(inferred)
    assert (widened.start.isoformat(), widened.end.isoformat()) == ("2024-01-01", "2026-12-31")


# --- filters and formats ---------------------------------------------------------------


def test_filters_pick_disagreements_and_show_every_side(invoke: Invoke, tmp_path: Path) -> None:
    far = share("d-45", source="other-2025", value=45, as_written="45%", period="2010")
    far_other = share("e-10", source="test-2024", value=10, as_written="10%", period="2010")
    folder = small(tmp_path, FORTY_FIVE, A_THIRD, far, far_other)
    both = [["d-45", "e-10"], ["a-45", "b-third"]]
    assert group_ids(conflict_groups(invoke, folder)) == both
    assert (
        group_ids(conflict_groups(invoke, folder, "-c", "Tajik", "-t", "money transfers")) == both
    )
    # Asked about 2024, the 45% of 2024 still meets the "third" of an inferred 2025.
    assert group_ids(conflict_groups(invoke, folder, "-y", "2024")) == [["a-45", "b-third"]]
    assert group_ids(conflict_groups(invoke, folder, "-y", "2009..2011")) == [["d-45", "e-10"]]
    # Asked about one source, its figures meet the other source's that contradict them.
    groups = conflict_groups(invoke, folder, "-s", "Other Daily", "-y", "2025")
    assert group_ids(groups) == [["a-45", "b-third"]]
    assert conflict_groups(invoke, folder, "-c", "KG") == []
    assert conflict_groups(invoke, folder, "-y", "2015") == []
    assert invoke("conflicts", "--facts", str(folder), "-c", "Atlantis").exit_code == 2


def test_rows_carry_group_and_measure(invoke: Invoke, tmp_path: Path) -> None:
    folder = small(tmp_path, FORTY_FIVE, A_THIRD)
    result = invoke("conflicts", "--facts", str(folder), "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["group"], r["id"], r["figure"]) for r in rows] == [
        ("1", "a-45", "45% of GDP"),
        ("1", "b-third", "approximately a third of GDP"),
    ]
    assert {r["measure"] for r in rows} == {"Remittances, percent of GDP, → TJ"}
    assert rows[0]["reads_as"] == "44.5 to 45.5"
    tsv = invoke("conflicts", "--facts", str(folder)).stdout.splitlines()
    assert tsv[0].split("\t")[:3] == ["group", "measure", "id"]
    assert len(tsv) == 3


def test_table_shows_both_sides(invoke: Invoke, tmp_path: Path) -> None:
    folder = small(tmp_path, FORTY_FIVE, A_THIRD)
    out = invoke("conflicts", "--facts", str(folder), "-f", "table", "--no-color").stdout
    for expected in ("45% of GDP", "approximately a third", "Test Gazette", "Other Daily"):
        assert expected in out
    assert "2025 (inferred)" in out and "\x1b" not in out


def test_help_documents_the_rule(invoke: Invoke) -> None:
    out = " ".join(invoke("conflicts", "--help").stdout.split())
    assert "uncertain by one year on each side" in out
