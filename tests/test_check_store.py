"""`check` over the store: the same verdicts as in memory, its notes worked out once, and
nothing planted or stale in them ever used."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REPO
from migfacts import store
from migfacts.check import Checker, ClaimCheck
from migfacts.loader import bundled_facts, load_base
from migfacts.query import Vocabulary
from migfacts.records import FactBase

HELDOUT = REPO / "benchmarks" / "check" / "heldout-claims.jsonl"


def _checker(base: FactBase) -> Checker:
    vocabulary = Vocabulary(base)
    return Checker(base, vocabulary.places, vocabulary.topics)


def _outcome(result: ClaimCheck) -> tuple[Any, ...]:
    figures = [(f.verdict, f.explanation, [e.id for e in f.evidence]) for f in result.figures]
    return result.verdict, result.explanation, figures


def _claims(base: FactBase) -> list[str]:
    with HELDOUT.open(encoding="utf-8") as lines:
        written = [json.loads(line)["claim"] for line in lines]
    return written + [fact.statement for fact in base.facts]


def test_check_answers_the_same_from_the_store_as_in_memory() -> None:
    """Claims a reader wrote from the articles, and every statement of the base: the same
    verdicts, explanations and evidence with the store cold (notes worked out and kept) and
    warm (notes read back) as with every fact read in memory."""
    memory = load_base(bundled_facts(), use_cache=False)
    claims = _claims(memory)
    expected = [_outcome(r) for r in map(_checker(memory).check, claims)]
    for _run in ("cold", "warm"):
        stored = load_base(bundled_facts())
        assert isinstance(stored, store.StoredBase)
        assert [_outcome(r) for r in map(_checker(stored).check, claims)] == expected


# Claims made of the base's own words, places, figures and years, in any order: each shares
# words with many facts, so the word index's answer decides what every one is compared with.
_MEMORY = load_base(bundled_facts(), use_cache=False)
_WORDS = sorted({word for fact in _MEMORY.facts for word in fact.statement.split()})
_FIGURES = sorted({fact.as_written for fact in _MEMORY.facts})
_PLACES = sorted({place.name for place in _MEMORY.places.values()})
made_up_claims = st.builds(
    lambda words, place, figure, year: " ".join(
        [*words[:3], place, *words[3:], figure, f"in {year}."]
    ),
    st.lists(st.sampled_from(_WORDS), min_size=1, max_size=8),
    st.sampled_from(_PLACES),
    st.sampled_from(_FIGURES),
    st.integers(2010, 2026),
)


@settings(max_examples=40, derandomize=True, database=None, deadline=None,
          suppress_health_check=[HealthCheck.too_slow])  # fmt: skip
@given(claims=st.lists(made_up_claims, min_size=1, max_size=5))
def test_made_up_claims_get_the_same_answer_from_the_store(claims: list[str]) -> None:
    expected = [_outcome(r) for r in map(_checker(_MEMORY).check, claims)]
    stored = load_base(bundled_facts())
    assert isinstance(stored, store.StoredBase)
    assert [_outcome(r) for r in map(_checker(stored).check, claims)] == expected


CLAIM = "Remittances to Tajikistan reached $3.2 billion in 2023."


def _copy_of_bundled(tmp_path: Path) -> Path:
    base = tmp_path / "base"
    shutil.copytree(bundled_facts(), base)
    return base


def _ids(base: Path) -> set[str]:
    return {fact.id for fact in load_base(base, use_cache=False).facts}


def _of_the_base(ids: list[str]) -> set[str]:
    """The ids of facts, not of figures worked out from two of them ("a+b")."""
    return {ident for ident in ids if "+" not in ident}


def _store_file() -> Path:
    (path,) = Path(os.environ["MIGFACTS_CACHE_DIR"]).glob("base-*.sqlite")
    return path


def _sql(sql: str) -> list[Any]:
    db = sqlite3.connect(_store_file())
    rows = [row for statement in sql.split(";") for row in db.execute(statement).fetchall()]
    db.commit()
    db.close()
    return rows


def _index_agrees_with_notes() -> None:
    """`note_words` indexes each words note's tokens, and nothing else: in how many notes
    each token is, counted from the notes, is what the index says."""
    in_notes: Counter[str] = Counter()
    for (value,) in _sql("SELECT value FROM notes WHERE kind GLOB 'check-words/*'"):
        # The index's tokenizer folds ASCII letters only.
        folded = ("".join(c.lower() if c.isascii() else c for c in word) for word in value.split())
        in_notes.update(set(folded))
    indexed = dict(_sql(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.vocab USING fts5vocab(main, note_words, row);"
        "SELECT term, doc FROM temp.vocab"))  # fmt: skip
    assert in_notes and indexed == dict(in_notes)


@pytest.fixture
def worked_out(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """The facts whose words and readings `check` works out (rather than reads back)."""
    seen: dict[str, list[str]] = {"words": [], "readings": []}
    words, reading = Checker._words, Checker._reading

    def spy_words(self: Checker, fact: Any) -> Any:
        seen["words"].append(fact.id)
        return words(self, fact)

    def spy_reading(self: Checker, fact: Any) -> Any:
        seen["readings"].append(fact.id)
        return reading(self, fact)

    monkeypatch.setattr(Checker, "_words", spy_words)
    monkeypatch.setattr(Checker, "_reading", spy_reading)
    monkeypatch.setattr(store, "RACY_SECONDS", 0.0)  # files just written count as settled
    return seen


def test_notes_are_worked_out_once(tmp_path: Path, worked_out: dict[str, list[str]]) -> None:
    base = _copy_of_bundled(tmp_path)
    first = _outcome(_checker(load_base(base)).check(CLAIM))
    assert _of_the_base(worked_out["words"]) == _ids(base)
    assert worked_out["readings"]  # the facts compared, read once
    worked_out["words"].clear()
    worked_out["readings"].clear()
    assert _outcome(_checker(load_base(base)).check(CLAIM)) == first
    assert _of_the_base(worked_out["words"]) == set()
    assert worked_out["readings"] == []
    _index_agrees_with_notes()


def test_an_edit_works_out_only_its_file_again(
    tmp_path: Path, worked_out: dict[str, list[str]]
) -> None:
    base = _copy_of_bundled(tmp_path)
    _checker(load_base(base)).check(CLAIM)
    worked_out["words"].clear()
    edited = base / "asiaplus-2021.toml"
    in_file = {f.id for f in load_base(base, use_cache=False).facts if f.source == edited.stem}
    assert in_file
    edited.write_text(edited.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    after = load_base(base)
    result = _checker(after).check(CLAIM)
    assert _of_the_base(worked_out["words"]) == in_file
    assert _outcome(result) == _outcome(_checker(load_base(base, use_cache=False)).check(CLAIM))
    _index_agrees_with_notes()  # the old notes of the file's facts left it with them


def test_new_places_or_topics_make_new_notes(
    tmp_path: Path, worked_out: dict[str, list[str]]
) -> None:
    base = _copy_of_bundled(tmp_path)
    _checker(load_base(base)).check(CLAIM)
    worked_out["words"].clear()
    topics = base / "topics.toml"
    topics.write_text(
        topics.read_text(encoding="utf-8").replace('description = "', 'description = "Money. ', 1),
        encoding="utf-8",
    )
    _checker(load_base(base)).check(CLAIM)
    assert _of_the_base(worked_out["words"]) == _ids(base)
    kinds = {kind.split("/")[0] for (kind,) in _sql("SELECT DISTINCT kind FROM notes")}
    assert kinds == {"check-words", "check-reading", "check-frequency"}  # no stale kind kept
    _index_agrees_with_notes()


FORGED_SUMMARY = '[1,{"remitt":1000}]'


@pytest.mark.parametrize(
    ("forgery", "worked_out_again"),
    [
        # every fact made to share the claim's words: each is found, and its note fails
        (
            "UPDATE notes SET value = ' remitt reach ' || value WHERE kind LIKE 'check-words/%'",
            "words",
        ),
        ("UPDATE notes SET value = '[-1,[]]' WHERE kind LIKE 'check-reading/%'", "readings"),
        (f"UPDATE notes SET value = '{FORGED_SUMMARY}' WHERE fact = 0", "summary"),
        # the notes of one fact the claim is compared with moved to another
        (
            "DELETE FROM notes WHERE fact = (SELECT rowid FROM facts WHERE id = "
            "'tj-remittances-2024-ng'); UPDATE notes SET fact = (SELECT rowid FROM facts "
            "WHERE id = 'tj-remittances-2024-ng') WHERE fact = (SELECT rowid FROM facts "
            "WHERE id = 'tj-remittances-growth-2024-ng')",
            "tj-remittances-2024-ng",
        ),
    ],
)
def test_a_planted_note_is_never_used(
    tmp_path: Path, worked_out: dict[str, list[str]], forgery: str, worked_out_again: str
) -> None:
    """A note that fails its MAC is worked out again from the fact (and kept anew)."""
    base = _copy_of_bundled(tmp_path)
    claim = "Remittances to Tajikistan reached $5.8 billion in 2024."
    expected = _outcome(_checker(load_base(base)).check(claim))
    worked_out["words"].clear()
    worked_out["readings"].clear()
    _sql(forgery)
    assert _outcome(_checker(load_base(base)).check(claim)) == expected
    if worked_out_again == "summary":
        assert _sql("SELECT value FROM notes WHERE fact = 0") != [(FORGED_SUMMARY,)]
    elif worked_out_again not in worked_out:  # a fact id: its notes were moved to it
        assert worked_out_again in worked_out["readings"]
    else:
        assert _of_the_base(worked_out[worked_out_again])
    _index_agrees_with_notes()  # notes kept anew replaced the planted ones in it too


def test_a_note_is_kept_only_for_the_record_it_was_worked_out_from(tmp_path: Path) -> None:
    """Another run may replace a fact (or any file) between reading and keeping a note: the
    note is then not kept, neither for the new record nor for the base as it now is."""
    base = _copy_of_bundled(tmp_path)
    stored = load_base(base)
    assert isinstance(stored, store.StoredBase)
    kept = stored.store
    assert kept is not None
    rowid = kept.conn.execute("SELECT min(rowid) FROM facts").fetchone()[0]
    kept.by_rowids([rowid], remember=True)
    manifest = kept.manifest()
    kept.conn.execute("UPDATE facts SET mac = zeroblob(16) WHERE rowid = ?", (rowid,))
    kept.conn.execute("UPDATE meta SET value = 'other' WHERE key = 'manifest'")
    kept.put_notes("test-kind", {rowid: "words"}, ["test-kind"])
    kept.put_summary("test-kind", "statistics", ["test-kind"], manifest)
    assert _sql("SELECT * FROM notes WHERE kind = 'test-kind'") == []
    unread = rowid + 1
    kept.put_notes("test-kind", {unread: "words"}, ["test-kind"])  # never read: no MAC known
    assert _sql("SELECT * FROM notes WHERE kind = 'test-kind'") == []
