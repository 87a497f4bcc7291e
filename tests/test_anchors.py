"""Relative dates ("last year", "in January") read against a source's publication date."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import FACTS, SOURCES, Invoke, write_base
from migfacts.anchors import find_relative_dates, relative_period


@pytest.mark.parametrize(
    ("text", "published", "period"),
    [
        ("last year", "2025-03-01", ("2024-01-01", "2024-12-31")),
        ("this year", "2025-05-13/2025-08", ("2025-01-01", "2025-12-31")),
        ("late last year", "2025-03-01", ("2024-09-01", "2024-12-31")),
        ("early this year", "2025-06", ("2025-01-01", "2025-04-30")),
        ("Last November", "2025-03/2025-04-24", ("2024-11-01", "2024-11-30")),
        ("last March", "2025-03-01", ("2024-03-01", "2024-03-31")),  # not the month it is in
        ("this November", "2025-03-01", ("2025-11-01", "2025-11-30")),
        ("In January", "2021-06-04", ("2021-01-01", "2021-01-31")),
        ("in March", "2025-03/2025-04-24", ("2025-03-01", "2025-03-31")),
        ("in July", "2021-06-04", ("2020-07-01", "2020-07-31")),  # the latest July so far
    ],
)  # fmt: skip
def test_a_relative_date_names_a_period(text: str, published: str, period: tuple[str, str]) -> None:
    found = relative_period(text, published)
    assert found is not None
    assert (found.start.isoformat(), found.end.isoformat()) == period


@pytest.mark.parametrize(
    ("text", "published"),
    [
        ("last year", "2024-12/2025-01"),  # the two ends of the date disagree: not guessed
        ("in January", "2024-12/2025-02"),
        ("last year", "not a date"),
    ],
)
def test_a_date_that_does_not_anchor_the_phrase_leaves_it_unread(text: str, published: str) -> None:
    assert relative_period(text, published) is None


def test_only_relative_dates_are_found_in_running_text() -> None:
    text = (
        "Last November he spoke. Although this may cause discontent, over the last year and "
        "the next year, in January 2021 and in March 5, prices rose; in June they fell."
    )
    found = [(r.text, r.period.start.isoformat()) for r in find_relative_dates(text, "2025-03")]
    assert found == [("Last November", "2024-11-01"), ("in June", "2024-06-01")]


LAW = """
[[fact]]
id = "kz-law-last-year"
statement = "A law adopted last year."
value = 2024
unit = "calendar year"
qualifier = "exact"
as_written = "last year"
period = "2024"
period_basis = "inferred"
period_note = "\\"last year\\" in an article of March 2025."
area = ["KZ"]
topics = ["labor-migrants"]
quote = "which is why last year the law was adopted"
source = "test-2024"
"""


def test_a_year_written_last_year_is_checked_against_the_source_date(
    invoke: Invoke, tmp_path: Path
) -> None:
    good = write_base(tmp_path / "good", facts=FACTS + LAW)
    result = invoke("show", "kz-law-last-year", "--facts", str(good), "-f", "json")
    assert result.exit_code == 0, result.stderr
    fact = result.json()
    assert isinstance(fact, dict)
    assert fact["figure"] == "2024" and fact["as_written"] == "last year"

    wrong_law = LAW.replace("value = 2024", "value = 2023")
    wrong = write_base(tmp_path / "wrong", facts=FACTS + wrong_law)
    result = invoke("validate", "--facts", str(wrong))
    assert result.exit_code == 3
    assert (
        "fact 'kz-law-last-year': field 'as_written': as_written 'last year' in a source "
        "published 2025-03 reads as 2024, but value is 2023" in result.stderr
    )

    vague = SOURCES.replace('published = "2025-03"', 'published = "2024-12/2025-02"')
    unanchored = write_base(tmp_path / "vague", facts=FACTS + LAW, sources=vague)
    result = invoke("validate", "--facts", str(unanchored))
    assert result.exit_code == 3
    assert "names no single year for a source published 2024-12/2025-02" in result.stderr


def test_other_words_are_still_no_year(invoke: Invoke, tmp_path: Path) -> None:
    facts = FACTS + LAW.replace('as_written = "last year"', 'as_written = "the law"')
    result = invoke("validate", "--facts", str(write_base(tmp_path / "b", facts=facts)))
    assert result.exit_code == 3
    assert "as_written 'the law' is not a number migfacts can read" in result.stderr
