"""The one claim reader: figures, periods, places with roles, and sentences, as people write."""

from __future__ import annotations

from datetime import date

import pytest

from migfacts.claims import ClaimReading, ClaimTooLong, claims_in, read_claim, split_sentences
from migfacts.loader import bundled_facts, load_base
from migfacts.query import Vocabulary

BASE = load_base(bundled_facts())
VOCABULARY = Vocabulary(BASE)


def read(text: str) -> ClaimReading:
    return read_claim(text, VOCABULARY.places, VOCABULARY.topics, BASE.places)


def figures(text: str) -> list[str]:
    return [item.text for item in read(text).figures]


@pytest.mark.parametrize(
    ("text", "low", "family"),
    [
        ("Remittances reached $5.8bn", 5.8e9, "US dollars"),
        ("Remittances reached USD 5.8 billion", 5.8e9, "US dollars"),
        ("Remittances reached 5.8 billion dollars", 5.8e9, "US dollars"),
        ("Remittances reached 5 800 000 000 dollars", 5.8e9, "US dollars"),
        ("Remittances reached 14.8 bln dollars", 14.8e9, "US dollars"),
        ("one in three migrants lacked status", 100 / 3, "percent"),
        ("nine in ten victims are foreign", 90, "percent"),
        ("the number grew two-fold", 2, "times"),
        ("the number grew ten times over", 10, "times"),
        ("a third of its GDP", 100 / 3, "percent of GDP"),
        ("more than a dozen new laws", 12, "count"),
        ("rose by 17 percentage points", 17, "percentage points"),
        ("banned for two years", 2, "years"),
    ],
)
def test_number_forms(text: str, low: float, family: str) -> None:
    [item] = read(text).figures
    assert float(item.parsed.low) * item.scale == pytest.approx(low)
    assert item.family == family


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("In 2024, 6,339 Tajiks found jobs", date(2024, 1, 1), date(2024, 12, 31)),
        ("100 had died by mid-2024", date(2024, 4, 1), date(2024, 9, 30)),
        ("1.6 million got passports between 2001 and 2011", date(2001, 1, 1), date(2011, 12, 31)),
        ("a quota of 300,000 in 2024-25", date(2024, 1, 1), date(2025, 12, 31)),
        ("35,000 worked there in January 2021", date(2021, 1, 1), date(2021, 1, 31)),
        ("it fell 22% in the first half of 2020", date(2020, 1, 1), date(2020, 6, 30)),
        ("it grew tenfold in the five years to 2021", date(2016, 1, 1), date(2021, 12, 31)),
        ("14,000 worked there before the pandemic", date(2019, 1, 1), date(2020, 2, 29)),
    ],
)
def test_period_forms(text: str, start: date, end: date) -> None:
    [item] = read(text).figures
    assert item.period is not None
    assert (item.period.start, item.period.end) == (start, end)


def test_last_year_is_not_guessed_without_a_date_to_count_from() -> None:
    [item] = read("Remittances reached $5.8 billion last year").figures
    assert item.period is None


def test_each_figure_keeps_its_own_period() -> None:
    reading = read("379,000 were registered, down from 680,000 migrants in 2020")
    first, second = reading.figures
    assert first.period is None
    assert second.period is not None and second.period.start.year == 2020


@pytest.mark.parametrize(
    "text",
    ["COVID-19 closed borders", "Su-27 jets flew", "the G20 met", "under Article 18 of the law"],
)
def test_numbers_inside_names_are_not_figures(text: str) -> None:
    assert figures(text) == []


def test_durations_that_place_a_period_and_rates_are_not_figures() -> None:
    assert figures("more than $13.5 billion a year") == ["$13.5 billion"]
    assert figures("some 70,000 went over the past two years") == ["70,000"]
    assert figures("Russia has been a destination since three decades earlier") == []


@pytest.mark.parametrize(
    ("text", "sign"),
    [
        ("an 8.6% contraction", -1),
        ("the economy contracted by 2.6 percent", -1),
        ("a net migration deficit of 108,000", -1),
        ("a net migration surplus of 22,000", 1),
        ("the economy grew 4.5 percent", 1),
        ("27% more than in 2023", 1),
        ("108,000 more people emigrated than immigrated", None),  # a difference, not a rise
        ("more than 140 people were killed", None),  # a hedge, not a rise
    ],
)
def test_direction(text: str, sign: int | None) -> None:
    assert read(text).figures[0].sign == sign


def roles(text: str) -> dict[str, frozenset[str]]:
    return {place.code: place.roles for place in read(text).places}


def test_nationality_comes_from_people_words() -> None:
    assert roles("four Tajik nationals")["TJ"] == {"nationality", "origin"}
    assert roles("citizens of Tajikistan held jobs")["TJ"] == {"nationality", "origin"}
    assert roles("200,000 Uzbeks remained")["UZ"] == {"nationality", "origin"}


def test_a_place_named_as_a_place_is_no_nationality() -> None:
    assert "nationality" not in roles("Tajiks crossed the Russian border")["RU"]
    assert "nationality" not in roles("Kazakhstan's economy grew")["KZ"]
    assert roles("money sent from Russia to Uzbekistan") == {
        "RU": frozenset({"origin"}),
        "UZ": frozenset({"destination"}),
    }


def test_words_that_only_look_like_places() -> None:
    assert "US" not in roles("Kyrgyzstan's State Migration Service said about 35,000 worked")
    assert "US" not in roles("the ruble lost 58 percent against the U.S. dollar")


def test_apart_from_a_place_is_no_origin() -> None:
    reading = read("Apart from Russia, the main market is South Korea, with 100,000 workers")
    russia = next(place for place in reading.places if place.code == "RU")
    assert russia.roles == {"origin", "destination", "area"} and russia.oblique
    assert roles("100,000 workers came from Russia")["RU"] == {"origin"}


def test_an_attribution_ends_where_the_claim_begins() -> None:
    # The source's words are left out; the claim that follows the verb is read.
    assert "KZ" not in roles("2 million worked there, Kazakhstan's ministry said.")
    said = "The head of the office estimated the total of migrants in Kazakhstan stood at 2 million"
    assert roles(f"In 2017, {said}; most came from Uzbekistan.")["KZ"] == {"destination", "area"}
    told = "An official said that 1 billion rubles were owed to migrants in Russia."
    assert roles(f"In 2014, {told}")["RU"] == {"destination", "area"}


def test_every_mention_of_a_name_when_asked() -> None:
    text = "Through the Uzbek agency, some 70,000 Uzbek citizens have gone to work abroad."
    assert all(p.start < 20 for p in read(text).places)  # check reads a name where it first is
    every = read_claim(
        text, VOCABULARY.places, VOCABULARY.topics, BASE.places, every_mention=True
    ).places
    assert [(p.code, p.start, p.roles) for p in every] == [
        ("UZ", 8, frozenset({"origin", "destination", "area"})),  # "the Uzbek agency", once
        ("UZ", 38, frozenset({"nationality", "origin"})),
    ]


def test_a_claim_of_only_years_dates_an_event() -> None:
    reading = read("The Eurasian Economic Union came into being in 2015.")
    assert reading.year_only
    assert [item.family for item in reading.figures] == ["calendar year"]


def test_sentences_split_at_full_stops_but_not_at_abbreviations() -> None:
    text = "The ruble fell against the U.S. dollar. Mr. Volodin spoke. 13 laws passed."
    assert [text[s:e] for s, e in split_sentences(text)] == [
        "The ruble fell against the U.S. dollar.",
        "Mr. Volodin spoke.",
        "13 laws passed.",
    ]


def test_a_line_is_a_claim_and_a_paragraph_is_prose() -> None:
    found = claims_in(
        "Uzbekistan: remittances hit roughly $15bn in 2024\n"
        "Remittances rose. Tajikistan got $5.8 billion in 2024.\n"
        "Some 70,000 Uzbeks went to work\n"
        "abroad in two years.\n"
    )
    assert [(c.text, c.line, c.in_draft) for c in found] == [
        ("Uzbekistan: remittances hit roughly $15bn in 2024", 1, False),
        ("Remittances rose.", 2, True),
        ("Tajikistan got $5.8 billion in 2024.", 2, True),
        ("Some 70,000 Uzbeks went to work abroad in two years.", 3, False),
    ]


def test_a_sentence_longer_than_any_claim_is_refused() -> None:
    with pytest.raises(ClaimTooLong, match="line 2: a sentence of 3,000 characters"):
        claims_in("A short claim of 5 words.\n" + "x" * 3000)
    with pytest.raises(ClaimTooLong, match="line 1: a line of"):
        claims_in("1 to " * 30_000)


# --- every combination of the forms above reads without error ------------------------------

FRAGMENTS = [
    "Remittances", "to Tajikistan", "from Russia", "Uzbek citizens", "the Russian border",
    "rose", "fell by", "a contraction of", "nearly", "more than", "fewer than", "about",
    "$5.8bn", "USD 5.8 billion", "5 800 000", "14.8 bln", "one in three", "nine in ten",
    "one in 0", "two-fold", "ten times", "a third", "a dozen", "17 percentage points",
    "between 8,000 and 12,000", "between 2001 and 2011", "in 2024", "by mid-2024", "2024-25",
    "in January 2021", "the first half of 2020", "the five years to 2021", "a year earlier",
    "the next year", "before the pandemic", "the year after the pandemic", "last year",
    "COVID-19", "Article 18", "according to Kyrgyzstan's ministry", ",", ";", ".", "(", ")",
    "September 1", "May 1, 2025", "in 2015", "three decades earlier", "a year", "for one year",
    "1" * 40, "0.0000001", "99999999999999999999", "—", "'s", "U.S. dollar", "State",
]  # fmt: skip


def test_any_combination_reads_and_checks() -> None:
    import random

    from migfacts.check import VERDICTS, Checker

    checker = Checker(BASE, VOCABULARY.places, VOCABULARY.topics)
    rng = random.Random(8)
    for _ in range(500):
        text = " ".join(rng.choice(FRAGMENTS) for _ in range(rng.randint(1, 14)))
        result = checker.check(text)
        assert result.verdict in VERDICTS
        assert all(item.explanation.endswith(".") for item in result.figures), text


def test_a_currency_named_after_a_place_is_no_place() -> None:
    assert roles("wages of 30,000 Kyrgyz som a month") == {}
    assert roles("remittances to Tajikistan $5.8 billion")["TJ"] == {"destination"}
