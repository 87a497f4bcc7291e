"""`migfacts check`: verdicts, hedges, explanations, evidence and exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import FACTS, SOURCES, Invoke, write_base


def verdicts(invoke: Invoke, *claims: str, facts: Path | None = None) -> list[dict[str, object]]:
    args = ["check", *claims, "-f", "json"]
    if facts is not None:
        args += ["--facts", str(facts)]
    result = invoke(*args)
    data = result.json()
    assert isinstance(data, list)
    return data


# The examples the bundled base must get right (issue: "check a claim").
@pytest.mark.parametrize(
    ("claim", "verdict", "exit_code"),
    [
        ("In 2023 Britain issued 4,100 entry permits to Uzbek citizens", "supported", 0),
        ("Russia raised its key rate to 20 percent in 2014", "refuted", 5),
        (
            "The ruble lost nearly 60 percent of its value against the dollar in 2014",
            "supported",
            0,
        ),
        (
            "At least 200 Central Asians had died fighting for Russia by mid-2024",
            "not_enough_info",
            6,
        ),
        ("Over 3 million Tajiks were deported from Russia in 2022", "not_enough_info", 6),
        ("Remittances to Uzbekistan hit nearly $15bn in 2024", "supported", 0),
    ],
)
def test_bundled_examples(invoke: Invoke, claim: str, verdict: str, exit_code: int) -> None:
    result = invoke("check", claim, "-f", "json")
    [item] = result.json_list()
    assert item["verdict"] == verdict, item["explanation"]
    assert result.exit_code == exit_code


def test_refuted_explains_with_the_source_figure(invoke: Invoke) -> None:
    [item] = verdicts(invoke, "Russia raised its key rate to 20 percent in 2014")
    assert str(item["explanation"]).startswith("Refuted: The Diplomat")
    assert "20 percent" in str(item["explanation"])
    assert "10.5%" in str(item["explanation"]) or "17%" in str(item["explanation"])
    evidence = item["evidence"]
    assert isinstance(evidence, list)
    assert all(fact["unit"] == "percent" and "interest-rate" in fact["topics"] for fact in evidence)
    assert all(fact["quote"] and fact["source"]["outlet"] == "The Diplomat" for fact in evidence)


def test_sources_that_disagree_are_conflicting(invoke: Invoke) -> None:
    result = invoke("check", "Remittances were 45 percent of Tajikistan's GDP", "-f", "json")
    [item] = result.json_list()
    assert item["verdict"] == "conflicting"
    assert result.exit_code == 7
    assert len({fact["source"]["id"] for fact in item["evidence"]}) >= 2
    assert "the sources disagree" in item["explanation"]


def test_a_rise_is_not_a_fall(invoke: Invoke) -> None:
    [item] = verdicts(invoke, "Kazakhstan's economy grew 2.6 percent in 2020")
    assert item["verdict"] == "refuted"
    assert "a fall, where the claim speaks of a rise" in str(item["explanation"])
    [item] = verdicts(invoke, "Kazakhstan's economy contracted by 2.6 percent in 2020")
    assert item["verdict"] == "supported"


def test_each_figure_gets_a_verdict_and_the_claim_an_overall_one(invoke: Invoke) -> None:
    [item] = verdicts(
        invoke,
        "The official number of labor migrants in Russia fell from 3 million in 2014 "
        "to 1.6 million in 2015",
    )
    figures = item["figures"]
    assert isinstance(figures, list)
    assert [(f["figure"], f["verdict"]) for f in figures] == [
        ("3 million", "supported"),
        ("1.6 million", "refuted"),
    ]
    assert item["verdict"] == "refuted"


def test_claims_from_stdin_and_file(invoke: Invoke, tmp_path: Path) -> None:
    claims = (
        "In 2023 Britain issued 4,100 entry permits to Uzbek citizens\n"
        "\n"
        "Russia raised its key rate to 20 percent in 2014\n"
    )
    result = invoke("check", "-f", "json", input=claims)
    assert [c["verdict"] for c in result.json_list()] == ["supported", "refuted"]
    assert result.exit_code == 5  # the most serious verdict
    path = tmp_path / "claims.txt"
    path.write_text(claims, encoding="utf-8")
    result = invoke("check", "--file", str(path), "-f", "tsv")
    assert [line.split("\t")[1] for line in result.stdout.splitlines()[1:]] == [
        "supported",
        "refuted",
    ]


def test_a_claim_without_figures(invoke: Invoke) -> None:
    result = invoke("check", "Migration is changing", "-f", "json")
    [item] = result.json_list()
    assert item["verdict"] == "not_enough_info"
    assert result.exit_code == 6


def test_a_missing_claims_file_is_a_usage_error(invoke: Invoke, tmp_path: Path) -> None:
    result = invoke("check", "--file", str(tmp_path / "none.txt"))
    assert result.exit_code == 2
    assert "cannot read claims" in result.stderr


# Hedges, on the small fixture base: "about 35,000" Kyrgyz in Kazakhstan in January 2021,
# $5.8 billion to Tajikistan in 2024, labor migrants in Russia 3 million (2014).
@pytest.mark.parametrize(
    ("claim", "verdict"),
    [
        ("About 35,000 Kyrgyz worked in Kazakhstan in 2021", "supported"),
        ("Some 35,000 Kyrgyz worked in Kazakhstan in 2021", "supported"),
        # The source's "about" is its confidence, not a wider figure: it asserts 35,000.
        ("35,000 Kyrgyz worked in Kazakhstan in 2021", "supported"),
        ("More than 36,000 Kyrgyz worked in Kazakhstan in 2021", "refuted"),
        ("Over 50,000 Kyrgyz worked in Kazakhstan in 2021", "refuted"),
        ("Fewer than 20,000 Kyrgyz worked in Kazakhstan in 2021", "refuted"),
        ("At least 30,000 Kyrgyz worked in Kazakhstan in 2021", "supported"),
        ("At least 33,000 Kyrgyz worked in Kazakhstan in 2021", "supported"),
        ("More than 35,000 Kyrgyz worked in Kazakhstan in 2021", "not_enough_info"),
        ("Remittances to Tajikistan were nearly $6 billion in 2024", "supported"),
        ("Remittances to Tajikistan were just under $5.9 billion in 2024", "supported"),
        ("Remittances to Tajikistan were more than $6 billion in 2024", "refuted"),
        ("Remittances to Tajikistan were $5.8bn in 2024", "supported"),
        ("Remittances to Tajikistan were 5.8 billion dollars in 2024", "supported"),
        ("Remittances to Tajikistan were $5.8bn in 2019", "not_enough_info"),  # no such year
        ("Russia had about 3 million labor migrants in 2014", "supported"),
        ("Russia had 3.3 million labor migrants in 2014", "refuted"),
        ("Russia had 3.1 million labor migrants in 2014", "not_enough_info"),
    ],
)
def test_hedges_as_intervals(invoke: Invoke, base: Path, claim: str, verdict: str) -> None:
    [item] = verdicts(invoke, claim, facts=base)
    assert item["verdict"] == verdict, item["explanation"]


def test_conflicting_on_a_fixture_base(invoke: Invoke, tmp_path: Path) -> None:
    other = SOURCES.replace('id = "test-2024"', 'id = "other-2024"').replace(
        "Test Gazette", "Other Herald"
    )
    second = """
[[fact]]
id = "tj-remittances-2024-other"
statement = "Remittances to Tajikistan in 2024, by another count."
value = 4200000000
unit = "US dollars"
qualifier = "exact"
as_written = "$4.2 billion"
period = "2024"
period_basis = "stated"
destination = ["TJ"]
topics = ["remittances"]
quote = "Tajikistan received $4.2 billion"
source = "other-2024"
"""
    folder = write_base(tmp_path / "b", sources=SOURCES + other, facts=FACTS + second)
    [item] = verdicts(
        invoke, "Tajikistan received $5.8 billion in remittances in 2024", facts=folder
    )
    assert item["verdict"] == "conflicting"
    [item] = verdicts(invoke, "Tajikistan received $3 billion in remittances in 2024", facts=folder)
    assert item["verdict"] == "refuted"


@pytest.mark.parametrize("fmt", ["table", "tsv", "csv", "markdown", "jsonl"])
def test_every_format(invoke: Invoke, base: Path, fmt: str) -> None:
    result = invoke("check", "About 35,000 Kyrgyz worked in Kazakhstan in 2021", "--facts",
                    str(base), "-f", fmt)  # fmt: skip
    assert result.exit_code == 0
    assert "supported" in result.stdout
    assert "kg-workers-in-kz-2021" in result.stdout
