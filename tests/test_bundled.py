"""The bundled fact base: valid, checked against its archived articles, nothing missing."""

from __future__ import annotations

import json

import pytest

from conftest import SEEDS, Invoke
from migfacts.errors import ExitStatus
from migfacts.loader import bundled_facts, load_base
from migfacts.records import Fact

needs_seeds = pytest.mark.skipif(
    not SEEDS.is_dir(), reason="../shared/seeds is not beside the repo"
)


def test_bundled_base_is_valid(invoke: Invoke) -> None:
    result = invoke("validate")
    assert result.exit_code == 0, result.stderr


@needs_seeds
def test_every_quote_is_verbatim_in_its_archived_article(invoke: Invoke) -> None:
    result = invoke("validate", "--archive", str(SEEDS))
    assert result.exit_code == 0, result.stderr


@needs_seeds
def test_every_number_in_the_articles_is_accounted_for(invoke: Invoke) -> None:
    result = invoke("coverage", "--archive", str(SEEDS), "--missing", "-f", "json")
    assert result.exit_code == 0, result.stdout
    assert result.json() == []
    assert result.stderr.strip().endswith("coverage: complete")


def test_every_source_has_facts_and_honest_dates() -> None:
    base = load_base(bundled_facts())
    counts = {source: 0 for source in base.sources}
    for fact in base.facts:
        counts[fact.source] += 1
    assert all(counts.values()), counts
    for source in base.sources.values():
        if source.published_basis == "inferred":
            assert source.published_note


def test_disagreeing_sources_are_kept_apart() -> None:
    """Tajikistan's remittances as a share of GDP: every source keeps its own figure."""
    base = load_base(bundled_facts())
    shares = {
        (fact.source, fact.value)
        for fact in base.facts
        if fact.unit == "percent of GDP"
        and "TJ" in fact.destination
        and "remittances" in fact.topics
    }
    assert {source for source, _ in shares} >= {"eurasianet-2018", "diplomat-2025", "ng-2025"}
    assert len({value for _, value in shares}) >= 3


# --- Roles as the articles give them ----------------------------------------------------------


def bundled_fact(fact_id: str) -> Fact:
    return load_base(bundled_facts()).facts_by_id[fact_id]


def roles(fact: Fact) -> dict[str, tuple[str, ...]]:
    return {
        "origin": fact.origin,
        "destination": fact.destination,
        "area": fact.area,
        "nationality": fact.nationality,
    }


def test_migrants_stranded_at_home_are_not_a_flow_into_russia() -> None:
    fact = bundled_fact("ca-migrants-stranded-at-home-2020-diplomat")
    assert "RU" not in fact.places
    assert roles(fact) == {
        "origin": (), "destination": (), "area": ("central-asia",), "nationality": ()
    }  # fmt: skip


def test_the_dead_fought_for_russia_and_died_in_ukraine() -> None:
    fact = bundled_fact("ca-deaths-fighting-for-russia-2024-diplomat")
    assert roles(fact) == {
        "origin": (), "destination": (), "area": ("UA",), "nationality": ("central-asia",)
    }  # fmt: skip


@pytest.mark.parametrize(
    "claim",
    [
        "At least 100 Central Asians died in Russia by mid-2024.",
        "Millions of Central Asian migrants went to Russia in 2020.",
    ],
)
def test_claims_of_deaths_or_travel_in_russia_find_no_support(invoke: Invoke, claim: str) -> None:
    # The two false claims the wrong roles used to support: no fact says either. The fact
    # may be shown as the nearest, never as support.
    result = invoke("check", claim, "--format", "json")
    assert result.exit_code == ExitStatus.NOT_ENOUGH_INFO, result.stdout
    [check] = json.loads(result.stdout)
    assert check["verdict"] == "not_enough_info"
    assert not check["explanation"].startswith("Supported")


@pytest.mark.parametrize(
    ("fact_id", "expected"),
    [
        ("tj-deported-from-us-ng", {"origin": ("US",), "nationality": ("TJ",)}),
        ("tj-ordered-to-leave-eu-ng", {"origin": ("eu",), "nationality": ("TJ",)}),
        ("us-deportation-flight-tashkent-ng",
         {"origin": ("US",), "destination": ("UZ",), "nationality": ("UZ", "KZ", "KG")}),
        ("ru-crocus-attackers-tajik-2024-03-diplomat",
         {"area": ("RU",), "nationality": ("TJ",)}),
        ("central-asia-deportations-threatened-2025-ng",
         {"origin": ("RU",), "nationality": ("central-asia",)}),
        ("ru-expulsion-decree-kyrgyzstan-2025-ng", {"area": ("RU",), "nationality": ("KG",)}),
    ],
)  # fmt: skip
def test_a_nationality_is_recorded_as_one(
    fact_id: str, expected: dict[str, tuple[str, ...]]
) -> None:
    empty: dict[str, tuple[str, ...]] = {
        "origin": (), "destination": (), "area": (), "nationality": ()
    }  # fmt: skip
    assert roles(bundled_fact(fact_id)) == {**empty, **expected}


def test_no_bundled_fact_keeps_a_nationality_under_area() -> None:
    # A citizenship said in a note belongs in `nationality`, not `area`.
    for fact in load_base(bundled_facts()).facts:
        assert "under area" not in (fact.notes or ""), fact.id


# --- Attribution, source dates and consistency ------------------------------------------------


def test_a_decree_stated_in_the_articles_own_voice_is_credited_to_no_one() -> None:
    fact = bundled_fact("ru-fast-track-citizenship-service-term-diplomat")
    assert fact.attribution is None
    assert "in force" not in (fact.period_note or "").split("nor whether")[0]


def test_source_dates_rest_on_what_is_known() -> None:
    sources = load_base(bundled_facts()).sources
    ng = sources["ng-2025"].published_note or ""
    # The archived text gives the cabinet resolution no date: 13 May comes from SOURCES.md.
    assert "May 1, 2025" in ng and "September 1" in ng and "SOURCES.md" in ng
    assert not ng.startswith("The article cites a 13 May")
    asiaplus = sources["asiaplus-2021"].published_note or ""
    assert "URL" in asiaplus and "page itself shows no date" not in asiaplus


def test_millions_since_the_soviet_collapse_are_facts_in_every_article() -> None:
    base = load_base(bundled_facts())
    since_1991 = {
        fact.source
        for fact in base.facts
        if fact.as_written.lower() == "millions"
        and fact.origin == ("central-asia",)
        and fact.destination == ("RU",)
        and fact.interval.start.year == 1991
    }
    assert since_1991 == {"asiaplus-2021", "diplomat-2025"}
    assert not [s for s in base.skips if s.as_written == "millions"]


def test_money_sent_to_migrants_is_not_remittances(invoke: Invoke) -> None:
    fact = bundled_fact("cis-funds-to-russia-2020-h1-diplomat")
    assert "remittances" not in fact.topics and "transfers-to-migrants" in fact.topics
    assert "other than Russia" in (fact.notes or "")
    result = invoke("query", "-t", "remittances", "-f", "json")
    assert fact.id not in {f["id"] for f in result.json_list()}
    result = invoke("query", "-t", "reverse remittances", "-f", "json")
    assert [f["id"] for f in result.json_list()] == [fact.id]


def test_the_undated_deportations_share_one_reading_of_recent() -> None:
    periods = {
        bundled_fact(i).period
        for i in (
            "tj-deported-from-us-ng",
            "tj-ordered-to-leave-eu-ng",
            "us-deportation-flight-tashkent-ng",
        )
    }
    assert periods == {"2023/2025-08"}


def test_the_words_and_credits_of_the_orda_figures() -> None:
    share = bundled_fact("kz-tajik-workers-deported-share-2025-orda")
    assert "were in Russia before" in share.quote and "were before" in share.statement
    assert "worked before" not in share.statement
    assert bundled_fact("kz-operation-migrant-violators-2025-03-orda").attribution == "local police"
    law = bundled_fact("kz-trafficking-law-2024-orda")
    assert (law.value, law.unit, law.as_written, law.period) == (
        2024, "calendar year", "last year", "2024"
    )  # fmt: skip


def test_an_implied_destination_says_so_in_its_note() -> None:
    fact = bundled_fact("kg-migrants-2020-ng")
    assert fact.destination == ("RU",)
    assert (fact.notes or "").startswith("Destination RU is an inference")


@needs_seeds
def test_coverage_counts_the_dates_written_relative_to_the_articles(invoke: Invoke) -> None:
    result = invoke("coverage", "--archive", str(SEEDS), "-f", "json")
    relative = {
        (e["source"], e["number"], e["status"], e["by"])
        for e in result.json_list()
        if not any(ch.isdigit() for ch in e["number"]) and "year" in e["number"].lower()
    }
    assert ("orda-2025", "last year", "fact", "kz-trafficking-law-2024-orda") in relative
    assert ("ng-2025", "this year", "period", "kg-departures-uk-2025-ng") in relative
    assert any(r[:3] == ("diplomat-2025", "late last year", "skipped") for r in relative)
