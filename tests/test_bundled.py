"""The bundled fact base: valid, checked against its archived articles, nothing missing."""

from __future__ import annotations

import pytest

from conftest import SEEDS, Invoke
from migfacts.loader import bundled_facts, load_base

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
