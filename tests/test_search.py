"""`migfacts search`: free text and whole questions, ranked best first."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from conftest import FACTS, Invoke, write_base
from migfacts.loader import bundled_facts, load_base
from migfacts.query import Vocabulary
from migfacts.search import read_query, search_facts, stem, tokens


def hits(invoke: Invoke, *args: str) -> list[dict[str, object]]:
    result = invoke("search", *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    found = result.json()
    assert isinstance(found, list)
    return found


def ids(found: list[dict[str, object]]) -> list[object]:
    return [fact["id"] for fact in found]


def assert_ranked(found: list[dict[str, object]]) -> None:
    """Best first, and the first is a clear winner, not a coin toss between equals."""
    scores = [fact["score"] for fact in found]
    assert all(isinstance(s, float) for s in scores)
    assert scores == sorted(scores, reverse=True)  # type: ignore[type-var]
    if len(scores) > 1:
        assert scores[0] > scores[1]  # type: ignore[operator]


# --- the bundled base ------------------------------------------------------------------


def test_question_about_russia_gdp_growth_in_1999(invoke: Invoke) -> None:
    # `migfacts query -c RU -y 1999` gives two facts; the one on GDP growth is this one.
    base = load_base(bundled_facts())
    expected = base.facts_by_id["ru-gdp-growth-1999-diplomat"]
    assert "economy" in expected.topics and expected.area == ("RU",)
    assert expected.period == "1999"
    found = hits(invoke, "What was Russia's GDP growth in 1999?")
    assert ids(found)[0] == "ru-gdp-growth-1999-diplomat"
    assert_ranked(found)
    # Many facts share one of place, topic or year, so a random order would rarely pass.
    assert len(found) == 10


def test_question_about_russias_entry_ban(invoke: Invoke) -> None:
    # `migfacts query -t bans -c RU` gives exactly this fact.
    found = hits(invoke, "How long is Russia's entry ban for migration violations?")
    assert ids(found)[0] == "ru-entry-ban-10-years-2013-2014-diplomat"
    assert found[0]["figure"] == "10 years"
    assert_ranked(found)


def test_remittances_to_kyrgyzstan_in_2024(invoke: Invoke) -> None:
    found = hits(invoke, "remittances", "to", "Kyrgyzstan", "2024")
    assert ids(found)[0] == "kg-remittances-2024-ng"
    assert_ranked(found)
    # What names two of the three (Kyrgyz remittances of other years) comes next.
    assert set(ids(found)[1:4]) == {
        "kg-remittances-2023-ng",
        "kg-remittances-drop-2014-2015-diplomat",
        "kg-remittances-share-gdp-2025-diplomat",
    }


def test_a_different_year_changes_the_winner(invoke: Invoke) -> None:
    assert ids(hits(invoke, "Russia GDP growth 2000"))[0] == "ru-gdp-growth-2000-diplomat"
    assert ids(hits(invoke, "Kyrgyzstan remittances 2023"))[0] == "kg-remittances-2023-ng"


@pytest.mark.parametrize(
    ("text", "code"), [("Kazakstan GDP growth 2020", "KZ"), ("Tajikstan GDP growth 2020", "TJ")]
)
def test_typos_in_place_names_are_forgiven(invoke: Invoke, text: str, code: str) -> None:
    found = hits(invoke, text)
    assert ids(found)[0] == f"{code.lower()}-gdp-growth-2020-diplomat"
    assert_ranked(found)


def test_typo_in_a_place_name_is_read_as_that_place() -> None:
    base = load_base(bundled_facts())
    terms = read_query(Vocabulary(base), "Tajikstan money transfers")
    assert [code for code, _ in terms.places] == ["TJ"]
    assert terms.topics == ("remittances",)
    assert terms.words == ("remitt",)  # "money transfers" is one word for remittances
    top = search_facts(base, "Tajikstan money transfers", limit=5)
    assert all("TJ" in hit.fact.places and "remittances" in hit.fact.topics for hit in top)


# --- reading a query -------------------------------------------------------------------


def test_query_is_split_into_places_topics_years_and_words(base: Path) -> None:
    vocabulary = Vocabulary(load_base(base))
    terms = read_query(vocabulary, "How many Kyrgyz migrant workers were in Kazakhstan in 2021?")
    assert [code for code, _ in terms.places] == ["KG", "KZ"]
    assert terms.topics == ("labor-migrants",)
    assert [(p.start.year, p.end.year) for p in terms.years] == [(2021, 2021)]
    # "how", "many", "were", "in" are stop words; the topic's words stay words, to rank by.
    assert terms.words == ("migran", "work")


def test_a_region_stands_for_its_members(base: Path) -> None:
    terms = read_query(Vocabulary(load_base(base)), "Central Asia")
    assert terms.places == (("central-asia", frozenset({"central-asia", "KG", "KZ", "TJ"})),)


def test_year_ranges_and_other_numbers(base: Path) -> None:
    terms = read_query(Vocabulary(load_base(base)), "official number 2014-2015 fell 3 million")
    assert [(p.start.year, p.end.year) for p in terms.years] == [(2014, 2015)]
    assert terms.words == ("offici", "number", "fall", "3", "millio")


def test_words_fold_case_accents_and_endings() -> None:
    assert stem("violations") == stem("violating") == stem("violators") == "violat"
    assert tokens("What was the TÜRKIYE figure?") == ["turkiy", "figure"]


# --- the small base --------------------------------------------------------------------


def test_places_topics_and_years_outweigh_other_words(invoke: Invoke, base: Path) -> None:
    found = hits(invoke, "Tajik money transfers GDP 2024", "--facts", str(base))
    assert ids(found) == ["tj-remittances-gdp-2024", "tj-remittances-2024"]
    assert_ranked(found)


def test_a_fact_matches_a_year_its_period_overlaps(invoke: Invoke, base: Path) -> None:
    found = hits(invoke, "labor migrants Russia 2015", "--facts", str(base))
    assert ids(found)[:2] == ["ru-labor-migrants-2015", "ru-labor-migrants-2014"]
    assert_ranked(found)


def test_other_words_match_statement_quote_and_attribution(invoke: Invoke, base: Path) -> None:
    found = hits(invoke, "State Migration Service said", "--facts", str(base))
    assert ids(found) == ["kg-workers-in-kz-2021"]


def test_limit(invoke: Invoke, base: Path) -> None:
    everything = ids(hits(invoke, "Russia Tajikistan 2014 2024", "--facts", str(base)))
    assert len(everything) == 4
    assert (
        ids(hits(invoke, "Russia Tajikistan 2014 2024", "--facts", str(base), "-n", "2"))
        == (everything[:2])
    )
    assert len(hits(invoke, "Russia Tajikistan 2014 2024", "--facts", str(base), "--limit", "1"))
    result = invoke("search", "Russia", "--facts", str(base), "--limit", "0")
    assert result.exit_code == 2


def test_default_limit_is_ten(invoke: Invoke, tmp_path: Path) -> None:
    many = "\n".join(FACTS.split("[[skip]]")[0].replace('id = "', f'id = "n{i}-') for i in range(4))
    folder = write_base(tmp_path / "many", facts=many)
    assert len(hits(invoke, "Russia Tajikistan Kyrgyzstan", "--facts", str(folder))) == 10


def test_no_match_exits_1_with_a_message(invoke: Invoke, base: Path) -> None:
    for text in ("zzzz", "what is the"):
        result = invoke("search", text, "--facts", str(base), "-f", "json")
        assert result.exit_code == 1
        assert result.json() == []
        assert "no facts match" in result.stderr


def test_text_is_required(invoke: Invoke, base: Path) -> None:
    assert invoke("search", "--facts", str(base)).exit_code == 2


# --- formats ---------------------------------------------------------------------------


def test_json_is_the_fact_objects_of_query_with_a_score(invoke: Invoke, base: Path) -> None:
    [found] = hits(invoke, "Kyrgyz", "--facts", str(base))
    queried = invoke("query", "-c", "KG", "--facts", str(base), "-f", "json").json()
    assert isinstance(queried, list)
    score = found.pop("score")
    assert isinstance(score, float) and score > 0
    assert found == queried[0]


def test_text_formats_have_the_rows_of_query(invoke: Invoke, base: Path) -> None:
    searched = invoke("search", "Kyrgyz", "--facts", str(base), "-f", "tsv").stdout
    queried = invoke("query", "-c", "KG", "--facts", str(base), "-f", "tsv").stdout
    assert searched == queried
    result = invoke("search", "Tajik 2024 GDP", "--facts", str(base), "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["id"] for r in rows] == ["tj-remittances-gdp-2024", "tj-remittances-2024"]
    lines = invoke("search", "Kyrgyz", "--facts", str(base), "-f", "jsonl").stdout.splitlines()
    assert [json.loads(line)["id"] for line in lines] == ["kg-workers-in-kz-2021"]
    markdown = invoke("search", "Kyrgyz", "--facts", str(base), "-f", "markdown").stdout
    assert markdown.startswith("| id | figure | statement |")


def test_table(invoke: Invoke, base: Path) -> None:
    result = invoke("search", "Kyrgyz", "--facts", str(base), "-f", "table", "--no-color")
    assert result.exit_code == 0
    for expected in ("kg-workers-in-kz-2021", "about 35,000", "Test Gazette"):
        assert expected in result.stdout
    assert "\x1b" not in result.stdout


def test_hostile_text_prints_literally(invoke: Invoke, tmp_path: Path) -> None:
    hostile = FACTS.replace(
        'statement = "Remittances to Tajikistan in 2024."',
        'statement = "[bold red]x[/bold red] \\u001b[31mred Tajikistan"',
    )
    folder = write_base(tmp_path / "hostile", facts=hostile)
    result = invoke("search", "Tajikistan", "--facts", str(folder), "-f", "table")
    assert "[bold red]x[/bold red]" in result.stdout
    assert "\x1b" not in result.stdout


# --- questions, read with the claim reader ----------------------------------------------


def test_a_question_in_other_words_finds_the_measure(invoke: Invoke) -> None:
    found = hits(invoke, "How much money did migrants send home to Uzbekistan in 2024?")
    assert ids(found)[0] == "uz-remittances-2024-ng"


def test_words_as_a_phrase_rank_first(invoke: Invoke) -> None:
    assert ids(hits(invoke, "entry ban"))[0] == "ru-entry-ban-10-years-2013-2014-diplomat"


def test_a_place_the_base_has_no_fact_on_is_no_match(invoke: Invoke) -> None:
    result = invoke("search", "Turkmen migrants", "-f", "json")
    assert result.exit_code == 1
    assert result.stdout.strip() == "[]"


def test_periods_as_people_write_them(invoke: Invoke) -> None:
    found = hits(invoke, "remittances in the first half of 2020")
    assert ids(found)[0] == "ca-remittances-from-russia-2020-h1-diplomat"


def test_a_search_longer_than_a_question_is_refused(invoke: Invoke) -> None:
    result = invoke("search", "remittances " * 500)
    assert result.exit_code == 2
    assert "a question is at most 2,000" in result.stderr
