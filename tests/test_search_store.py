"""`search` through the store's index: the same hits, scores and reasons as reading every
fact in memory, kept in step with edits, and nothing planted in the index is served."""

from __future__ import annotations

import os
import re
import sqlite3
from pathlib import Path

import pytest

from conftest import Invoke, write_base
from migfacts import search as search_module
from migfacts.errors import ExitStatus
from migfacts.loader import bundled_facts, load_base
from migfacts.records import Fact
from migfacts.search import search_facts

QUERIES = [
    "remittances Kyrgyzstan 2024",
    "What was Russia's GDP growth in 1999?",
    "How long is Russia's entry ban for migration violations?",
    "entry ban",
    "Tajikstan money transfers",  # a typo in the place, a topic's other name
    "Kazakstan Kirgizstan workers",  # typos in two places
    "Uzbek nationals held jobs in Russia",  # a demonym, a phrase read as one word
    "migrants killed or died",  # synonyms
    "people deported from Russia in 2014-2015",  # a range of years
    "Central Asia remittances before the pandemic",  # a region, a period in words
    "money sent home to Tajikistan in the first half of 2020",
    "quota slots 2020",
    "GDP growth economy",
    "Türkiye",
    "2024",
    "billion dollars",
    "violating",  # a stem
    "qqqzzz xyzzy",  # matches nothing
    "what was the",  # stop words only: nothing to look for
]
FORMATS = ["json", "jsonl", "csv", "tsv", "markdown"]


def _memory() -> dict[str, str]:
    return {"MIGFACTS_CACHE_DIR": ""}  # no store: every fact read and scored in memory


def _stored(tmp_path: Path) -> dict[str, str]:
    return {"MIGFACTS_CACHE_DIR": str(tmp_path / "store")}


@pytest.mark.parametrize("query", QUERIES)
def test_the_store_finds_what_memory_finds_in_every_format(
    invoke: Invoke, tmp_path: Path, query: str
) -> None:
    runs = [[query, "-f", fmt] for fmt in FORMATS]
    runs += [[query, "-n", "3", "-f", "json"], [query, "-n", "500", "-f", "json"]]
    for args in runs:
        memory = invoke("search", *args, env=_memory())
        cold = invoke("search", *args, env=_stored(tmp_path))  # builds the index
        warm = invoke("search", *args, env=_stored(tmp_path))
        assert memory.exit_code in (0, 1), memory.stderr
        assert (cold.exit_code, cold.stdout) == (memory.exit_code, memory.stdout), args
        assert (warm.exit_code, warm.stdout) == (memory.exit_code, memory.stdout), args
    if query.startswith("qqq"):
        assert memory.exit_code == 1
    elif query != "what was the":
        assert memory.exit_code == 0 and memory.json(), query  # a query that finds something


@pytest.mark.parametrize("limit", [None, 1, 10])
def test_scores_and_reasons_are_the_same_to_the_last_bit(limit: int | None) -> None:
    memory = load_base(bundled_facts(), use_cache=False)
    stored = load_base(bundled_facts())
    assert memory.store is None and stored.store is not None
    for query in QUERIES:
        expected = search_facts(memory, query, limit=limit)
        found = search_facts(stored, query, limit=limit)
        assert [(h.fact, h.score, h.why) for h in found] == [
            (h.fact, h.score, h.why) for h in expected
        ], query


def _hits(base: Path, query: str) -> list[tuple[str, float, tuple[str, ...]]]:
    hits = search_facts(load_base(base), query)
    return [(hit.fact.id, hit.score, hit.why) for hit in hits]


def _in_memory(base: Path, query: str) -> list[tuple[str, float, tuple[str, ...]]]:
    hits = search_facts(load_base(base, use_cache=False), query)
    return [(hit.fact.id, hit.score, hit.why) for hit in hits]


def test_the_index_follows_edits_to_facts_places_and_topics(tmp_path: Path) -> None:
    base = write_base(tmp_path / "b")
    queries = ["Kyrgyz workers in Kazakhstan", "zanzibar", "republic remittances", "payouts"]
    for query in queries:
        assert _hits(base, query) == _in_memory(base, query)
    assert _hits(base, "zanzibar") == []
    facts = base / "facts.toml"
    facts.write_text(facts.read_text(encoding="utf-8").replace(
        'statement = "Remittances to Tajikistan', 'statement = "Zanzibar and remittances to '
        "Tajikistan", 1), encoding="utf-8")  # fmt: skip
    assert [hit[0] for hit in _hits(base, "zanzibar")] == ["tj-remittances-2024"]
    # A place's name and a topic's label are among a fact's search words: renamed, the facts
    # naming them are searched by the new ones.
    places, topics = base / "places.toml", base / "topics.toml"
    places.write_text(places.read_text(encoding="utf-8").replace(
        'name = "Tajikistan"', 'name = "Tajik Republic"'), encoding="utf-8")  # fmt: skip
    topics.write_text(topics.read_text(encoding="utf-8").replace(
        'label = "Remittances"', 'label = "Remittance payouts"'), encoding="utf-8")  # fmt: skip
    # Only the facts naming what was renamed have their words made again.
    stored = load_base(base)
    assert stored.store is not None
    names = {("place", code): place.name for code, place in stored.places.items()}
    names.update({("topic", ident): topic.label for ident, topic in stored.topics.items()})
    redone: list[str] = []

    def document(fact: Fact) -> list[str]:
        redone.append(fact.id)
        return search_module.document(stored, fact)

    assert stored.store.search_documents(search_module._stamp(), names, document)
    assert sorted(redone) == ["tj-remittances-2024", "tj-remittances-gdp-2024"]
    for query in queries:
        assert _hits(base, query) == _in_memory(base, query), query
    assert {hit[0] for hit in _hits(base, "payouts")} == {
        "tj-remittances-2024",
        "tj-remittances-gdp-2024",
    }


def test_a_new_version_of_the_search_words_renews_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = write_base(tmp_path / "b")
    before = _hits(base, "remittances Tajikistan")
    monkeypatch.setattr(search_module, "_stamp", lambda: "another version")
    monkeypatch.setattr(search_module, "_UNIT_WORDS", {"US dollars": "greenbacks"})
    after = _hits(base, "greenbacks")
    assert after == _in_memory(base, "greenbacks") and [hit[0] for hit in after] == [
        "tj-remittances-2024"
    ]
    assert _hits(base, "remittances Tajikistan") == _in_memory(base, "remittances Tajikistan")
    assert before != _hits(base, "remittances Tajikistan")  # the unit words changed


FORGERIES = {
    # words the fact does not hold, found by a search for them
    "words": (
        [
            "DELETE FROM search_docs WHERE rowid = ?",
            "INSERT INTO search_docs VALUES (?, 'zanzib zanzib')",
        ],
        "zanzibar",
    ),
    # a later period, to rank the fact first among equals
    "period": (["UPDATE search_facts SET pend = '2099-12-31' WHERE rowid = ?"], "Russia"),
    # another fact's id, to pass for it
    "id": (["UPDATE search_facts SET id = 'tj-remittances-2024' WHERE rowid = ?"], "Russia"),
}


@pytest.mark.parametrize("forgery", FORGERIES)
def test_a_planted_search_entry_is_never_served(invoke: Invoke, base: Path, forgery: str) -> None:
    statements, query = FORGERIES[forgery]
    assert invoke("search", "--facts", str(base), "remittances").exit_code == 0
    (path,) = Path(os.environ["MIGFACTS_CACHE_DIR"]).glob("base-*.sqlite")
    db = sqlite3.connect(path)
    (rowid,) = db.execute("SELECT rowid FROM facts WHERE id = 'ru-labor-migrants-2014'").fetchone()
    for sql in statements:
        db.execute(sql, (rowid,))
    db.commit()
    db.close()
    result = invoke("search", "--facts", str(base), query)
    assert result.exit_code == ExitStatus.RETRY
    assert "changed outside migfacts" in result.stderr and result.stdout == ""
    assert not path.exists()  # removed: the next run builds it again
    again = invoke("search", "--facts", str(base), query)
    assert again.stdout == invoke("search", "--facts", str(base), query, env=_memory()).stdout


def test_an_edit_to_one_file_redoes_only_its_facts_words(tmp_path: Path) -> None:
    """One file of several edited: its facts get their words one by one, the rest stay."""
    import shutil

    base = tmp_path / "bundled"
    shutil.copytree(bundled_facts(), base)
    query = "zanzibar migrant workers in 2021"
    assert _hits(base, query) == _in_memory(base, query)
    edited = base / "asiaplus-2021.toml"
    text = edited.read_text(encoding="utf-8")
    edited.write_text(text.replace('statement = "', 'statement = "Zanzibar: ', 1), encoding="utf-8")
    stored = load_base(base)
    assert stored.store is not None
    before = dict(stored.store.conn.execute("SELECT rowid, words FROM search_docs"))
    found = _hits(base, query)
    assert found == _in_memory(base, query)
    assert "word:zanzib" in found[0][2]
    after = dict(stored.store.conn.execute("SELECT rowid, words FROM search_docs"))
    assert len(after) == len(before) + 7  # the file's 7 facts, new rows
    assert all(after[rowid] == words for rowid, words in before.items())


@pytest.mark.parametrize(
    ("query", "place"), [("Russia", "RU"), ("remittances Kyrgyzstan 2024", "KG")]
)
def test_a_search_reads_the_facts_that_can_win_and_decodes_only_its_hits(
    monkeypatch: pytest.MonkeyPatch, query: str, place: str
) -> None:
    """Of the facts naming the place, only those whose parts could still beat the hits found
    so far are scored, and only the hits are decoded; the answer is memory's."""
    from migfacts.store import Store

    scored: list[int] = []
    decoded: list[int] = []
    search_rows, by_rowids = Store.search_rows, Store.by_rowids

    def rows(self: Store, rowids: list[int], *args: object) -> object:
        scored.extend(rowids)
        return search_rows(self, rowids, *args)  # type: ignore[arg-type]

    def facts(self: Store, rowids: list[int], **kwargs: bool) -> list[Fact]:
        decoded.extend(rowids)
        return by_rowids(self, rowids, **kwargs)

    memory = load_base(bundled_facts(), use_cache=False)
    stored = load_base(bundled_facts())
    search_facts(stored, "anything")  # the index made, if it is not yet
    monkeypatch.setattr(Store, "search_rows", rows)
    monkeypatch.setattr(Store, "by_rowids", facts)
    found = search_facts(stored, query, limit=3)
    expected = search_facts(memory, query, limit=3)
    assert [(h.fact, h.score, h.why) for h in found] == [(h.fact, h.score, h.why) for h in expected]
    naming = sum(place in fact.places for fact in memory.facts)
    assert len(found) == 3 and len(set(scored)) < naming / 2, (len(set(scored)), naming)
    assert sorted(decoded) == sorted({*decoded}) and len(decoded) == len(found)


def test_hits_that_tie_are_found_through_their_period_and_id(tmp_path: Path) -> None:
    """Facts alike but for their period and id tie on score: the newest come first, then by
    id, whatever the limit, as in memory."""
    base = write_base(tmp_path / "b")
    facts = base / "facts.toml"
    text = facts.read_text(encoding="utf-8")
    # Copies of each fact, alike but for id and period: many ties at every score.
    blocks = [block for block in text.split("[[fact]]")[1:] if "[[skip]]" not in block]
    copies = [
        "[[fact]]" + re.sub(r'\nperiod = "[^"]*"', f'\nperiod = "{year}"', block).replace(
            'id = "', f'id = "copy-{year}-', 1)
        for year in range(2016, 2024) for block in blocks
    ]  # fmt: skip
    facts.write_text(text + "\n" + "\n".join(copies), encoding="utf-8")
    stored, memory = load_base(base), load_base(base, use_cache=False)
    assert stored.store is not None and len(stored.facts) > 20
    for query in ("Russia", "2024", "Kyrgyzstan 2020", "remittances", "2016-2018 Tajikistan"):
        for limit in (1, 2, 3, 5, 12, None):
            found = search_facts(stored, query, limit=limit)
            expected = search_facts(memory, query, limit=limit)
            assert [(h.fact.id, h.score, h.why) for h in found] == [
                (h.fact.id, h.score, h.why) for h in expected
            ], (query, limit)


def test_the_counts_by_period_follow_every_change_to_the_facts(tmp_path: Path) -> None:
    """BM25's totals and a year's rarity are summed by period: after facts are added,
    removed, renamed into new words or edited, they are what counting every fact gives."""

    def counted(base: Path) -> None:
        stored = load_base(base)
        assert stored.store is not None
        search_facts(stored, "remittances 2015")  # the index brought up to date
        conn = stored.store.conn
        docs = [words for (words,) in conn.execute("SELECT words FROM search_docs")]
        expected = (stored.store.count(), sum(len(words.split()) for words in docs))
        assert stored.store.search_totals() == expected
        for start, end in [("2014-01-01", "2014-12-31"), ("2015-01-01", "2024-12-31")]:
            (expected,) = conn.execute(
                "SELECT count(*) FROM facts WHERE pend >= ? AND pstart <= ?", (start, end)
            ).fetchone()
            assert stored.store.period_count(start, end) == expected
        assert search_facts(stored, "2014 remittances") == search_facts(
            load_base(base, use_cache=False), "2014 remittances"
        )

    base = write_base(tmp_path / "b")
    counted(base)
    facts = base / "facts.toml"
    text = facts.read_text(encoding="utf-8")
    facts.write_text(text.replace('period = "2014"', 'period = "2016"'), encoding="utf-8")
    counted(base)  # a period changed
    facts.write_text(text.replace("Remittances to Tajikistan in 2024.", "Remittances."))
    counted(base)  # fewer words
    (base / "more.toml").write_text(
        text.split("[[skip]]")[0].replace('id = "', 'id = "more-'), encoding="utf-8"
    )
    counted(base)  # a file of facts added
    (base / "more.toml").unlink()
    counted(base)  # and removed
