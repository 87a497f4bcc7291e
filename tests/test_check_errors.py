"""`migfacts check` on the bundled base, through the CLI: the errors fact-checkers meet, the
number and period forms journalists write, every verdict, hedges both ways, worked-out
figures, prose drafts, and input no claim reader should choke on."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import Invoke
from migfacts.check import NOT_ENOUGH_INFO, REFUTED, SUPPORTED, Checker
from migfacts.loader import bundled_facts, load_base
from migfacts.query import Vocabulary


def check(invoke: Invoke, claim: str) -> dict[str, object]:
    result = invoke("check", claim, "-f", "json")
    [item] = result.json_list()
    assert isinstance(item, dict)
    return item


def evidence_ids(item: dict[str, object]) -> list[object]:
    evidence = item["evidence"]
    assert isinstance(evidence, list)
    return [fact["id"] for fact in evidence]


# --- each error kind, with its verdict and a pasteable sentence saying why -----------------


@pytest.mark.parametrize(
    ("claim", "verdict", "cited", "said"),
    [
        # wrong number; thousands for billions
        ("Remittances to Tajikistan reached $7.8 billion in 2024.", REFUTED,
         "tj-remittances-2024-ng", "excludes the claim's $7.8 billion"),
        ("Uzbekistan received $14.8 million in remittances in 2024.", REFUTED,
         "uz-remittances-2024-ng", "$14.8 billion"),
        # a right figure for the wrong year, where the base knows that year
        ("Kyrgyzstan received $2.9 billion in remittances in 2023.", REFUTED,
         "kg-remittances-2023-ng", "$2.7 billion for 2023"),
        # an event dated wrongly: a claim whose only number is a year
        ("The Eurasian Economic Union was founded in 2014.", REFUTED,
         "eaeu-founded-2015-diplomat", "dates it to 2014"),
        # wrong place, wrong nationality
        ("Remittances to Kyrgyzstan reached $5.8 billion in 2024.", REFUTED,
         "kg-remittances-2024-ng", "$2.9 billion"),
        ("6,339 Uzbek citizens found jobs in South Korea in 2024.", REFUTED,
         "uz-workers-south-korea-2024-ng", "89,700"),
        # wrong unit: percentage points for a rate in percent
        ("The Russian central bank raised its key rate by 10.5 percentage points in 2014.",
         REFUTED, "ru-key-rate-before-2014-hike-diplomat", "the unit wrong"),
        # swapped direction: rise for fall, from/to, deficit for surplus
        ("Kyrgyzstan's economy grew 8.6 percent in 2020.", REFUTED,
         "kg-gdp-growth-2020-diplomat", "a fall, where the claim speaks of a rise"),
        ("Remittances from Uzbekistan to Russia totalled $11.5 billion in 2024.", REFUTED,
         "uz-remittances-from-russia-2024-ng", "direction wrong"),
        ("Kazakhstan had a net migration deficit of 22,000 in 2005.", REFUTED,
         "kz-net-migration-2005-eurasianet", "a rise, where the claim speaks of a fall"),
        # a hedge the source contradicts: the source says at least a hundred
        ("Fewer than 100 Central Asians died fighting for Russia in Ukraine by mid-2024.",
         REFUTED, "ca-deaths-fighting-for-russia-2024-diplomat", "fewer than 100"),
    ],
)  # fmt: skip
def test_errors_fact_checkers_meet(
    invoke: Invoke, claim: str, verdict: str, cited: str, said: str
) -> None:
    item = check(invoke, claim)
    assert item["verdict"] == verdict, item["explanation"]
    assert cited in evidence_ids(item)
    explanation = str(item["explanation"])
    assert said in explanation
    assert "\n" not in explanation and explanation.endswith(".")


def test_the_right_ones_pass(invoke: Invoke) -> None:
    # The same measures, right: each error above fails for the error, not for the measure.
    for claim in (
        "Kyrgyzstan's economy shrank 8.6 percent in 2020.",
        "The Eurasian Economic Union was founded in 2015.",
        "Remittances from Russia to Uzbekistan totalled $11.5 billion in 2024.",
        "Kazakhstan had a net migration surplus of 22,000 in 2005.",
        "At least 100 Central Asians had died fighting for Russia in Ukraine by mid-2024.",
    ):
        assert check(invoke, claim)["verdict"] == SUPPORTED, claim


# --- figures the articles give in words -----------------------------------------------------


def test_two_levels_fix_the_change(invoke: Invoke) -> None:
    item = check(invoke, "Remittances to Kyrgyzstan grew by 2.9 percent in 2024.")
    assert item["verdict"] == REFUTED
    assert evidence_ids(item) == ["kg-remittances-2023-ng", "kg-remittances-2024-ng"]
    assert "rise of 3.6 to 11.3 percent" in str(item["explanation"])


def test_a_level_and_its_growth_fix_the_year_before(invoke: Invoke) -> None:
    wrong = check(invoke, "Remittances to Tajikistan amounted to $5.8 billion in 2023.")
    assert wrong["verdict"] == REFUTED
    assert set(evidence_ids(wrong)) == {"tj-remittances-growth-2024-ng", "tj-remittances-2024-ng"}
    right = check(invoke, "Remittances to Tajikistan were about $4.6 billion in 2023.")
    assert right["verdict"] == SUPPORTED


# --- number and period forms ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("claim", "cited"),
    [
        ("Tajikistan received $5.8bn in remittances in 2024.", "tj-remittances-2024-ng"),
        ("Remittances to Tajikistan reached USD 5.8 billion in 2024.", "tj-remittances-2024-ng"),
        ("Remittances to Tajikistan reached 5 800 000 000 dollars in 2024.",
         "tj-remittances-2024-ng"),
        ("Remittances to Uzbekistan reached 14.8 bln dollars in 2024.", "uz-remittances-2024-ng"),
        ("One in three labor migrants in Kazakhstan lacked legal status in 2024.",
         "kz-migrants-without-legal-status-share-2024-orda"),
        ("The number of labor migrants in Kazakhstan grew two-fold in 2010.",
         "kz-labor-migrants-doubled-2010-eurasianet"),
        ("Russia passed more than a dozen new laws on labor migrants in 12 months.",
         "ru-new-migration-laws-2024-orda"),
        ("More than 1.6 million Central Asians received Russian citizenship between 2001 and "
         "2011.", "ca-russian-citizenship-2001-2011-diplomat"),
        ("Kazakhstan's quota for foreign workers in 2024-25 was nearly 300,000.",
         "kz-quota-2024-orda"),
        ("About 35,000 Kyrgyz worked in Kazakhstan in January 2021.",
         "kg-workers-in-kz-2021-01-asiaplus"),
        ("Remittances from Russia to Central Asia fell 22 percent in the first half of 2020.",
         "ca-remittances-from-russia-2020-h1-diplomat"),
        ("Kazakhstan's economy saw a 2.6% contraction in 2020.", "kz-gdp-growth-2020-diplomat"),
    ],
)  # fmt: skip
def test_forms_journalists_write(invoke: Invoke, claim: str, cited: str) -> None:
    item = check(invoke, claim)
    assert item["verdict"] == SUPPORTED, item["explanation"]
    assert cited in evidence_ids(item)


def test_a_period_the_base_has_nothing_on(invoke: Invoke) -> None:
    claim = (
        "More than 1.6 million Central Asians received Russian citizenship between 2012 and 2020."
    )
    assert check(invoke, claim)["verdict"] == NOT_ENOUGH_INFO


# --- hedges, one rule read from both sides ---------------------------------------------------


@pytest.mark.parametrize(
    ("claim", "verdict"),
    [
        # The source's "some 209,300" asserts 209,300 at the precision written.
        ("Roughly 210,000 Uzbeks were in Kazakhstan in January 2021.", SUPPORTED),
        ("More than 200,000 Uzbeks were in Kazakhstan in January 2021.", SUPPORTED),
        ("More than 210,000 Uzbeks were in Kazakhstan in January 2021.", REFUTED),
        # The claim's hedge widens what it may say: nearly 15 billion covers 14.8 billion.
        ("Remittances to Uzbekistan reached nearly $15 billion in 2024.", SUPPORTED),
        ("Remittances to Uzbekistan reached more than $15 billion in 2024.", REFUTED),
        # A source's bound: "more than 1.2 million" neither confirms nor excludes "over 2 million".
        ("Over 2 million Tajik migrants lived in Russia in August 2024.", NOT_ENOUGH_INFO),
    ],
)
def test_hedges_both_ways(invoke: Invoke, claim: str, verdict: str) -> None:
    item = check(invoke, claim)
    assert item["verdict"] == verdict, item["explanation"]


# --- every verdict, with its exit code, and the nearest facts when unsure --------------------


def test_each_verdict_has_its_exit_code(invoke: Invoke) -> None:
    cases = {
        "Tajikistan's economy grew 7.4% in 2019.": (SUPPORTED, 0),
        "Tajikistan's economy grew 9.4% in 2019.": (REFUTED, 5),
        "Kazakhstan's population reached 19 million in 2020.": (NOT_ENOUGH_INFO, 6),
        "Remittances equal about a third of Tajikistan's annual GDP.": ("conflicting", 7),
    }
    for claim, (verdict, code) in cases.items():
        result = invoke("check", claim, "-f", "json")
        [item] = result.json_list()
        assert (item["verdict"], result.exit_code) == (verdict, code), item["explanation"]


def test_unsure_shows_the_nearest_facts(invoke: Invoke) -> None:
    item = check(invoke, "Kazakhstan deported around 4,500 foreign nationals in 2024.")
    assert item["verdict"] == NOT_ENOUGH_INFO
    assert evidence_ids(item)  # the nearest facts, for the fact-checker to look at
    assert "Not enough information" in str(item["explanation"])


# --- the base's own statements ----------------------------------------------------------------


def test_every_statement_of_the_base_supports_itself() -> None:
    base = load_base(bundled_facts())
    vocabulary = Vocabulary(base)
    checker = Checker(base, vocabulary.places, vocabulary.topics)
    good, refuted = 0, []
    for fact in base.facts:
        result = checker.check(fact.statement)
        cited = fact.id in {f.id for f in result.evidence}
        good += result.verdict in (SUPPORTED, "conflicting") and cited
        if result.verdict == REFUTED:
            refuted.append(fact.id)
    assert refuted == []
    assert good / len(base.facts) >= 0.95


# --- drafts and input -------------------------------------------------------------------------


DRAFT = """\
Labor migration shapes Central Asia. Remittances to Tajikistan reached $5.8 billion in 2024,
equal to 45% of GDP. Kyrgyzstan's economy grew 8.6 percent in 2020. Many families depend on it.
Uzbekistan: remittances hit roughly $15bn in 2024
"""


def test_a_prose_draft_is_checked_sentence_by_sentence(invoke: Invoke, tmp_path: Path) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text(DRAFT, encoding="utf-8")
    result = invoke("check", "--file", str(draft), "-f", "json")
    items = result.json()
    assert isinstance(items, list)
    assert [(item["claim"], item["verdict"]) for item in items] == [
        ("Remittances to Tajikistan reached $5.8 billion in 2024, equal to 45% of GDP.", SUPPORTED),
        ("Kyrgyzstan's economy grew 8.6 percent in 2020.", REFUTED),
        ("Uzbekistan: remittances hit roughly $15bn in 2024", SUPPORTED),
    ]
    assert [item["line"] for item in items] == [1, 2, 3]
    assert result.exit_code == 5
    assert "3 claims checked: 2 supported, 1 refuted" in result.stderr
    assert "2 sentences stating no figure" in result.stderr


def test_a_draft_on_standard_input(invoke: Invoke) -> None:
    result = invoke("check", "-f", "tsv", input=DRAFT)
    assert result.exit_code == 5
    assert result.stdout.count("\n") == 4  # a header and three claims


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "no claims to check"),
        (b"\n\n   \n", "no claims to check"),
        (b"Remittances rose 5%.\n\xff\xfe broken\n", "line 2: not UTF-8 text"),
        (("1 to " * 250_000).encode(), "line 1: a line of 1,250,000 characters"),
        (b"No figure at all here. Nor here.", "no sentence states a figure"),
    ],
)
def test_input_no_reader_should_choke_on(
    invoke: Invoke, tmp_path: Path, data: bytes, message: str
) -> None:
    claims = tmp_path / "claims.txt"
    claims.write_bytes(data)
    result = invoke("check", "--file", str(claims))
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr) < 300


def test_a_table_in_one_sentence_is_not_read_as_a_claim(invoke: Invoke) -> None:
    sentence = " and ".join(["remittances to Tajikistan rose 5% in 2024"] * 30)
    item = check(invoke, sentence.capitalize() + ".")
    assert item["verdict"] == NOT_ENOUGH_INFO
    assert "states 30 figures" in str(item["explanation"])


def test_the_right_number_for_another_measure_is_not_support(invoke: Invoke) -> None:
    # 271,300 is the quota for domestic workers; the base counts highly qualified specialists
    # elsewhere, so the words by the figure say another measure.
    claim = "Kazakhstan's 2024 quota included 271,300 slots for highly qualified specialists."
    assert check(invoke, claim)["verdict"] == NOT_ENOUGH_INFO
    right = "Kazakhstan's 2024 quota included 271,300 slots for domestic workers."
    assert check(invoke, right)["verdict"] == SUPPORTED


def test_a_claim_that_names_no_place_is_not_refuted_by_one_of_several(invoke: Invoke) -> None:
    # The base gives remittance growth for Tajikistan and (worked out) Kyrgyzstan: a claim
    # that names neither cannot be refuted by either. A one-off event needs no place.
    assert check(invoke, "Remittances rose 5% in 2024.")["verdict"] == NOT_ENOUGH_INFO
    assert check(invoke, "The Crocus City Hall attack killed 4 people.")["verdict"] == REFUTED


@pytest.mark.parametrize(
    "claim", ["$3m", "77%", "It was 27% in 2023.", "In 2015.", "৭٧", "$ ௩m and 1.6%"]
)
def test_a_bare_figure_is_neither_supported_nor_refuted(invoke: Invoke, claim: str) -> None:
    # No place and no word of what is counted: every fact of a matching number would fit it
    # alike ("$3m" is not refuted by 3 million people).
    item = check(invoke, claim)
    assert item["verdict"] == NOT_ENOUGH_INFO, item["explanation"]
    assert "does not say what" in str(item["explanation"])
    assert evidence_ids(item)  # still, the nearest facts


def test_a_figure_with_its_place_alone_is_checked(invoke: Invoke) -> None:
    assert check(invoke, "Tajikistan: $5.8 billion in 2024")["verdict"] == SUPPORTED
