"""The store: same answers as validating in memory, an edit re-validates only its file, and
nothing stale, planted or left over is ever served or kept."""

from __future__ import annotations

import itertools
import json
import os
import random
import shutil
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import FACTS, Invoke, write_base
from migfacts import loader, store
from migfacts.conflicts import disagree, find_conflicts
from migfacts.errors import FactBaseError
from migfacts.loader import bundled_facts, load_base
from migfacts.query import FactFilter, Vocabulary, build_filter, select
from migfacts.records import Fact, FactBase

BUNDLED_COMMANDS = [
    ["query"],
    ["query", "-c", "KG"],
    ["query", "-c", "Central Asia", "-y", "2014..2016", "--quotes"],
    ["query", "--from", "UZ", "-c", "RU", "-c", "KZ"],
    ["query", "-t", "remittances", "-s", "ng-2025", "billion"],
    ["query", "-y", "2020", "-y", "..2001"],
    ["conflicts"],
    ["conflicts", "-c", "TJ"],
    ["conflicts", "-y", "2024"],
    ["series"],
    ["series", "-t", "remittances"],
    ["sources"],
    ["places"],
    ["topics"],
    ["search", "remittances Kyrgyzstan 2024"],
    ["check", "Remittances to Uzbekistan hit nearly $15bn in 2024"],
    ["show", "tj-remittances-2024-ng"],
    ["cite", "tj-remittances-2024-ng", "--style", "apa"],
]
FORMATS = ["json", "jsonl", "csv", "tsv", "markdown"]


def _stored(tmp_path: Path) -> dict[str, str]:
    return {"MIGFACTS_CACHE_DIR": str(tmp_path / "store")}


@pytest.mark.parametrize("command", BUNDLED_COMMANDS, ids=" ".join)
def test_the_bundled_base_answers_the_same_from_the_store(
    invoke: Invoke, tmp_path: Path, command: list[str]
) -> None:
    """Validated in memory (no store) and read from the store, cold and warm: same bytes."""
    formats = FORMATS if command[0] not in {"show", "cite"} else [None]
    if command[0] == "show":
        formats = ["json", "tsv"]
    for fmt in formats:
        args = [*command, "-f", fmt] if fmt else command
        memory = invoke(*args, env={"MIGFACTS_CACHE_DIR": ""})
        cold = invoke(*args, env=_stored(tmp_path))
        warm = invoke(*args, env=_stored(tmp_path))
        assert memory.exit_code in (0, 1, 5, 6, 7), memory.stderr
        assert (cold.exit_code, cold.stdout) == (memory.exit_code, memory.stdout)
        assert (warm.exit_code, warm.stdout) == (memory.exit_code, memory.stdout)
    assert any((tmp_path / "store").glob("base-*.sqlite"))


FILTERS: list[dict[str, Any]] = [
    {},
    {"countries": ["KG"]},
    {"countries": ["KG", "TJ"], "topics": ["remittances"]},
    {"countries": ["Central Asia"], "years": ["2014..2016"]},
    {"origins": ["UZ"], "destinations": ["RU", "KZ"]},
    {"years": ["2020", "..2001"], "sources": ["diplomat-2025"]},
    {"words": ["billion"], "topics": ["economy", "remittances"]},
    {"words": ["Türkiye"]},
]


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: json.dumps(f, ensure_ascii=False))
def test_indexed_selection_is_the_filter_over_every_fact(filters: dict[str, Any]) -> None:
    base = load_base(bundled_facts())
    assert base.store is not None
    fact_filter = build_filter(Vocabulary(base), **filters)
    expected = sorted(
        (fact for fact in base.facts if fact_filter.matches(fact)),
        key=lambda f: (f.interval.start, f.interval.end, f.id),
    )
    chosen = select(base, fact_filter)
    assert list(chosen) == expected
    assert len(chosen) == len(expected)


def _pairwise_groups(facts: list[Fact]) -> set[frozenset[str]]:
    """The groups of disagreeing facts, by comparing every pair: the definition itself."""
    parent = {fact.id: fact.id for fact in facts}

    def root(ident: str) -> str:
        while parent[ident] != ident:
            ident = parent[ident]
        return ident

    linked: set[str] = set()
    for a, b in itertools.combinations(facts, 2):
        if disagree(a, b):
            parent[root(b.id)] = root(a.id)
            linked.update((a.id, b.id))
    groups: dict[str, set[str]] = {}
    for ident in linked:
        groups.setdefault(root(ident), set()).add(ident)
    return {frozenset(group) for group in groups.values()}


def test_bucketed_conflicts_are_the_pairwise_ones() -> None:
    base = load_base(bundled_facts())
    facts = list(base.facts)
    # Every fact again under another source, its figure doubled: many more disagreements.
    doubled = [
        fact._replace(id=fact.id + "-x", source="x", value=fact.value * 2)
        for fact in facts
        if isinstance(fact.value, int | float) and fact.value
    ]
    for sample in (facts, facts + doubled):
        found = {frozenset(f.id for f in c.facts) for c in find_conflicts(base, sample)}
        assert found == _pairwise_groups(sample)
    assert found  # the test compares something


def _crowded(seed: int, count: int) -> list[Fact]:
    """Facts on few measures, figures, periods and sources: most of them meet each other."""
    rng = random.Random(seed)
    facts = []
    for number in range(count):
        value = rng.choice([10, 12, 30, 45, 46, 100, -45])
        period = rng.choice(["2020", "2021", "2022", "2020/2022", "2023", "2021-06"])
        facts.append(
            Fact(
                id=f"f{number:03d}",
                value=value,
                unit="percent",
                qualifier=rng.choice(["exact", "about", "nearly", "over", "at least"]),
                as_written=f"{abs(value)}%",
                period=period,
                period_basis=rng.choice(["stated", "inferred"]),
                destination=(rng.choice(["TJ", "KG"]),),
                topics=tuple(
                    rng.sample(["remittances", "economy", "labor-migrants"], rng.randint(1, 2))
                ),
                source=rng.choice(["s1", "s2", "s3"]),
            )
        )
    return facts


def test_grouping_by_figure_is_the_pairwise_definition() -> None:
    """Many facts of one figure, of one source, open at once: each way `_link` joins them.
    Small bases keep groups apart (a slip joins or splits them); large ones crowd them."""
    base = FactBase(sources={}, places={}, topics={})
    for seed in range(400):
        facts = _crowded(seed, 8 + seed % 5 * 20)
        conflicts = find_conflicts(base, facts)
        assert {frozenset(f.id for f in c.facts) for c in conflicts} == _pairwise_groups(facts)
        for conflict in conflicts:  # each group in the order of its facts' periods
            assert list(conflict.facts) == sorted(conflict.facts, key=_conflict_order)


def test_a_figure_met_by_one_of_its_own_sources_stays_whole() -> None:
    """45 from s1 and from s2, 10 from s1, s2 and s3, all in one year, met in this order:
    the 10 of s3 disagrees with both 45s, so every fact is in one group, though the 45 of
    s1 and the 10 of s1 never meet (one source) nor the 45 and 10 of s2."""
    base = FactBase(sources={}, places={}, topics={})

    def fact(ident: str, source: str, value: int, month: int) -> Fact:
        return Fact(id=ident, value=value, unit="percent", qualifier="exact",
                    as_written=f"{value}%", period=f"2024-{month:02d}/2024-12",
                    period_basis="stated", destination=("TJ",), topics=("remittances",),
                    source=source)  # fmt: skip

    facts = [fact("a", "s1", 45, 1), fact("l", "s2", 10, 2), fact("p", "s2", 45, 3),
             fact("i", "s1", 10, 4), fact("k", "s3", 10, 5)]  # fmt: skip
    [conflict] = find_conflicts(base, facts)
    assert [f.id for f in conflict.facts] == ["a", "l", "p", "i", "k"]
    assert {frozenset("alpik")} == _pairwise_groups(facts)


def _conflict_order(fact: Fact) -> tuple[Any, ...]:
    return (fact.interval.start, fact.interval.end, fact.source, fact.id)


def test_a_filter_reads_only_the_measures_it_touches(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[int] = []
    original = store.Store.compared

    def spy(self: store.Store, *args: Any) -> Iterator[tuple[Any, ...]]:
        rows = list(original(self, *args))
        asked.append(len(rows))
        return iter(rows)

    monkeypatch.setattr(store.Store, "compared", spy)
    result = invoke("conflicts", "-c", "TJ", "-t", "remittances", "-f", "json")
    assert result.exit_code == 0
    total = len(load_base(bundled_facts()).facts)
    assert asked and 0 < asked[0] < total / 4


# --- an edit re-validates its file only --------------------------------------------------


def _three_files(folder: Path) -> Path:
    base = write_base(folder)
    facts = (base / "facts.toml").read_text(encoding="utf-8")
    first, second = facts.split('[[fact]]\nid = "tj-rem', 1)
    (base / "facts.toml").write_text(first, encoding="utf-8")
    (base / "more.toml").write_text('[[fact]]\nid = "tj-rem' + second, encoding="utf-8")
    return base


@pytest.fixture
def validated(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the files validated, as the loader validates them."""
    names: list[str] = []
    original = loader.validate_file

    def spy(name: str, raw: bytes) -> Any:
        names.append(Path(name).name)
        return original(name, raw)

    monkeypatch.setattr(loader, "validate_file", spy)
    monkeypatch.setattr(store, "RACY_SECONDS", 0.0)  # files just written count as settled
    return names


def test_an_edit_revalidates_only_its_file(tmp_path: Path, validated: list[str]) -> None:
    base = _three_files(tmp_path / "b")
    first = load_base(base)
    assert sorted(validated) == ["facts.toml", "more.toml", "places.toml", "sources.toml",
                                 "topics.toml"]  # fmt: skip
    validated.clear()
    assert len(load_base(base).facts) == len(first.facts)
    assert validated == []  # nothing changed: nothing read
    more = base / "more.toml"
    edited = more.read_text(encoding="utf-8").replace('statement = "', 'statement = "Edited. ', 1)
    more.write_text(edited, encoding="utf-8")
    after = load_base(base)
    assert validated == ["more.toml"]
    assert sum(f.statement.startswith("Edited. ") for f in after.facts) == 1
    assert len(after.facts) == len(first.facts)
    validated.clear()
    load_base(base)
    assert validated == []


def test_an_edit_still_meets_the_checks_across_files(tmp_path: Path, validated: list[str]) -> None:
    base = _three_files(tmp_path / "b")
    load_base(base)
    more = base / "more.toml"
    facts = (base / "facts.toml").read_text(encoding="utf-8")
    duplicate_id = facts.split('id = "', 1)[1].split('"', 1)[0]
    text = more.read_text(encoding="utf-8").replace('id = "tj-rem', f'id = "{duplicate_id}', 1)
    old = text.split(f'id = "{duplicate_id}', 1)[1].split('"', 1)[0]
    more.write_text(text.replace(f'id = "{duplicate_id}{old}"', f'id = "{duplicate_id}"', 1),
                    encoding="utf-8")  # fmt: skip
    with pytest.raises(FactBaseError, match=f"fact id '{duplicate_id}' is already defined"):
        load_base(base)
    with pytest.raises(FactBaseError):
        load_base(base)  # the invalid state was never stored


def test_an_edit_hidden_by_restoring_the_mtime_is_seen(
    tmp_path: Path, validated: list[str]
) -> None:
    """Same size, same mtime (`touch -r`, `cp -p`): the changed ctime gives it away."""
    base = write_base(tmp_path / "b")
    load_base(base)
    facts = base / "facts.toml"
    before = facts.stat()
    text = facts.read_text(encoding="utf-8")
    assert "value = 35000" in text
    facts.write_text(text.replace("value = 35000", "value = 35001"), encoding="utf-8")
    os.utime(facts, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert facts.stat().st_size == before.st_size
    with pytest.raises(FactBaseError, match="value is 35001"):
        load_base(base)


def test_a_planted_stat_hides_no_edit(tmp_path: Path, validated: list[str]) -> None:
    """Someone able to write the store sets an edited file's stored stat to its new one, while
    another file changes too: the planted stat fails its MAC, so the file is read again."""
    base = _three_files(tmp_path / "b")
    load_base(base)
    facts, more = base / "facts.toml", base / "more.toml"
    facts.write_text(facts.read_text(encoding="utf-8").replace("value = 35000", "value = 35001"),
                     encoding="utf-8")  # fmt: skip
    more.write_text(more.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    now = facts.stat()
    _forge(
        "UPDATE files SET size = ?, mtime = ?, ctime = ?, ino = ?, dev = ? WHERE name = ?",
        now.st_size, now.st_mtime_ns, now.st_ctime_ns, now.st_ino, now.st_dev, "facts.toml",
    )  # fmt: skip
    with pytest.raises(FactBaseError, match="value is 35001"):
        load_base(base)


def test_a_file_changed_as_it_was_hashed_is_hashed_again(tmp_path: Path) -> None:
    """Within RACY_SECONDS of a change, a stat may not tell a second change: read it again."""
    base = write_base(tmp_path / "b")
    load_base(base)  # the files are seconds old: not trusted by their stat yet
    facts = base / "facts.toml"
    before = facts.stat()
    facts.write_text(facts.read_text(encoding="utf-8").replace("value = 35000", "value = 35001"),
                     encoding="utf-8")  # fmt: skip
    os.utime(facts, ns=(before.st_atime_ns, before.st_mtime_ns))
    with pytest.raises(FactBaseError, match="value is 35001"):
        load_base(base)


# --- nothing stale or planted is served ---------------------------------------------------


def _store_file() -> Path:
    (path,) = Path(os.environ["MIGFACTS_CACHE_DIR"]).glob("base-*.sqlite")
    return path


def _forge(sql: str, *params: Any) -> None:
    db = sqlite3.connect(_store_file())
    for statement in sql.split(";"):
        db.execute(statement, params)
    db.commit()
    db.close()


def _query_values(invoke: Invoke, base: Path, *args: str) -> tuple[int, list[Any]]:
    result = invoke("query", "--facts", str(base), "-f", "json", *args)
    if result.exit_code != 0:
        return result.exit_code, [result.stderr]
    return 0, [fact["value"] for fact in result.json_list()]


def test_a_forged_figure_is_never_served(invoke: Invoke, base: Path) -> None:
    code, values = _query_values(invoke, base)
    assert code == 0 and 35000 in values
    _forge("UPDATE facts SET json = replace(json, '\"value\":35000', '\"value\":99999')")
    code, message = _query_values(invoke, base)
    assert code == 75
    assert "changed outside migfacts" in message[0]
    assert "99999" not in message[0]
    code, values = _query_values(invoke, base)  # rebuilt from the TOML files
    assert code == 0 and 35000 in values and 99999 not in values


def test_a_planted_row_or_file_list_is_never_served(invoke: Invoke, base: Path) -> None:
    assert _query_values(invoke, base)[0] == 0
    _forge("UPDATE files SET digest = 'planted'")
    code, values = _query_values(invoke, base)
    assert code == 0 and 35000 in values  # the list fails its MAC: rebuilt before use
    _forge("DELETE FROM facts WHERE rowid = (SELECT min(rowid) FROM facts)")
    assert _query_values(invoke, base) == _query_values(invoke, base)
    assert len(_query_values(invoke, base)[1]) == 5


def test_a_planted_index_entry_adds_no_fact(invoke: Invoke, base: Path) -> None:
    assert _query_values(invoke, base, "-c", "KZ")[0] == 0
    _forge("INSERT INTO fact_place SELECT rowid, '*', 'KZ', pstart, pend FROM facts")
    code, message = _query_values(invoke, base, "-c", "KZ")
    assert code == 75 and "changed outside migfacts" in message[0]


def test_a_planted_index_entry_in_the_years_asked_adds_no_fact(invoke: Invoke, base: Path) -> None:
    # Places, topics and years meet inside the indexes: an entry planted there with the
    # right years still reaches no answer.
    assert _query_values(invoke, base, "-t", "remittances", "-y", "2014")[0] == 1  # none
    _forge("INSERT INTO fact_topic SELECT rowid, 'remittances', pstart, pend FROM facts")
    code, message = _query_values(invoke, base, "-t", "remittances", "-y", "2014")
    assert code == 75 and "changed outside migfacts" in message[0]


def test_places_topics_and_years_narrow_one_another(invoke: Invoke, base: Path) -> None:
    # The same answers through the indexes as through the records themselves.
    for args in (
        ("-y", "2024"),
        ("-t", "remittances", "-y", "2024"),
        ("-t", "labor-migrants", "-y", "2014..2015"),
        ("-t", "labor-migrants", "-y", "2015", "-y", "2021"),
        ("-c", "RU", "-y", "2014"),
        ("--to", "KZ", "-t", "labor-migrants", "-y", "2021-01"),
        ("-c", "TJ", "-t", "remittances", "-y", "2020"),
    ):
        stored = invoke("query", "--facts", str(base), "-f", "json", *args)
        memory = invoke(
            "query", "--facts", str(base), "-f", "json", *args, env={"MIGFACTS_CACHE_DIR": ""}
        )
        assert (stored.exit_code, stored.stdout) == (memory.exit_code, memory.stdout), args


def test_other_rules_rebuild_the_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, validated: list[str]
) -> None:
    base = write_base(tmp_path / "b")
    load_base(base)
    validated.clear()
    load_base(base)
    assert validated == []
    monkeypatch.setattr(store, "rules_stamp", lambda: "rules of another version")
    load_base(base)
    assert len(validated) == 4


def test_a_store_of_another_user_is_never_read(base: Path) -> None:
    load_base(base)
    path = _store_file()
    forged = path.read_bytes()
    path.unlink()
    path.write_bytes(forged)
    os.chmod(path, 0o644)  # as a store someone else could have written
    load_base(base)
    assert stat.S_IMODE(_store_file().stat().st_mode) == 0o600


# --- the folder and the key ---------------------------------------------------------------


def test_the_folder_is_private_whatever_the_umask(base: Path, tmp_path: Path) -> None:
    folder = tmp_path / "deep" / "cache"
    old = os.umask(0)
    try:
        os.environ["MIGFACTS_CACHE_DIR"] = str(folder)
        load_base(base)
    finally:
        os.umask(old)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / "key").stat().st_mode) == 0o600
    assert stat.S_IMODE(_store_file().stat().st_mode) == 0o600


def test_an_open_folder_of_ours_is_closed(base: Path) -> None:
    folder = Path(os.environ["MIGFACTS_CACHE_DIR"])
    os.chmod(folder, 0o777)
    load_base(base)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a folder away needs root")
def test_a_folder_of_another_user_is_not_used(base: Path, invoke: Invoke) -> None:
    folder = Path(os.environ["MIGFACTS_CACHE_DIR"])
    os.chown(folder, 54321, 54321)
    loader.STORE_NOTES.clear()
    assert len(load_base(base).facts) == 5  # validated in memory instead
    assert any("another user" in note for note in loader.STORE_NOTES)
    assert not list(folder.iterdir())


def test_a_key_others_can_read_is_not_used(base: Path) -> None:
    load_base(base)
    key = Path(os.environ["MIGFACTS_CACHE_DIR"]) / "key"
    os.chmod(key, 0o644)
    loader.STORE_NOTES.clear()
    assert len(load_base(base).facts) == 5
    assert any("read or written by others" in note for note in loader.STORE_NOTES)


# --- atomic writes ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "failure",
    [KeyboardInterrupt(), sqlite3.OperationalError("database or disk is full")],
    ids=["SIGINT", "full disk"],
)
def test_a_failed_build_leaves_nothing_behind(
    base: Path, monkeypatch: pytest.MonkeyPatch, failure: BaseException
) -> None:
    def fail(*_args: Any, **_kwargs: Any) -> bool:
        raise failure

    monkeypatch.setattr(store, "write_files", fail)
    folder = Path(os.environ["MIGFACTS_CACHE_DIR"])
    if isinstance(failure, KeyboardInterrupt):
        with pytest.raises(KeyboardInterrupt):
            load_base(base)
    else:
        assert len(load_base(base).facts) == 5  # served from memory
    assert sorted(p.name for p in folder.iterdir()) == ["key"]


def test_a_store_that_cannot_be_made_leaves_nothing_behind(
    base: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The disk fills while the empty store's tables are made: the base is served from
    memory, and no temporary file is left."""

    class Full(sqlite3.Connection):
        def executescript(self, script: str, /) -> sqlite3.Cursor:
            raise sqlite3.OperationalError("database or disk is full")

    connect = store._connect
    monkeypatch.setattr(store, "_connect", lambda path: connect(path, factory=Full))
    folder = Path(os.environ["MIGFACTS_CACHE_DIR"])
    assert len(load_base(base).facts) == 5  # served from memory
    assert sorted(p.name for p in folder.iterdir()) == ["key"]


@pytest.mark.parametrize(
    "failure",
    [KeyboardInterrupt(), sqlite3.OperationalError("database or disk is full")],
    ids=["SIGINT", "full disk"],
)
def test_a_failed_update_keeps_the_store_as_it_was(
    base: Path, monkeypatch: pytest.MonkeyPatch, failure: BaseException
) -> None:
    load_base(base)
    folder = Path(os.environ["MIGFACTS_CACHE_DIR"])
    before = sorted(p.name for p in folder.iterdir())
    facts = base / "facts.toml"
    facts.write_text(facts.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    original = store.write_files

    def fail(conn: sqlite3.Connection, *args: Any) -> bool:
        conn.execute("DELETE FROM facts")  # half done when it fails
        raise failure

    monkeypatch.setattr(store, "write_files", fail)
    if isinstance(failure, KeyboardInterrupt):
        with pytest.raises(KeyboardInterrupt):
            load_base(base)
    else:
        assert len(load_base(base).facts) == 5
    assert sorted(p.name for p in folder.iterdir()) == before
    monkeypatch.setattr(store, "write_files", original)
    assert len(load_base(base).facts) == 5


def test_temporary_files_of_dead_processes_are_removed(base: Path) -> None:
    folder = Path(os.environ["MIGFACTS_CACHE_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    dead = folder / ".base-0123456789abcdef.999999999.tmp"
    dead.write_bytes(b"half a store")
    load_base(base)
    assert not dead.exists()


# --- streaming ----------------------------------------------------------------------------


def test_streamed_json_is_one_json_document(invoke: Invoke) -> None:
    everything = invoke("query", "-f", "json")
    objects = everything.json()
    assert isinstance(objects, list) and len(objects) > 100
    assert everything.stdout == json.dumps(objects, ensure_ascii=False, indent=2) + "\n"
    none = invoke("query", "-c", "KG", "-y", "1950", "-f", "json")
    assert none.exit_code == 1 and none.stdout == "[]\n"


def test_a_selection_reads_a_page_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    base = load_base(bundled_facts())
    assert base.store is not None
    pages: list[int] = []
    original = store.Store.by_rowids

    def spy(self: store.Store, rowids: Any) -> list[Fact]:
        pages.append(len(rowids))
        return original(self, rowids)

    monkeypatch.setattr(store.Store, "by_rowids", spy)
    monkeypatch.setattr(store, "PAGE", 16)
    chosen = select(base, FactFilter())
    assert sum(1 for _ in chosen) == len(chosen) == len(base.facts)
    assert max(pages) == 16 and len(pages) == -(-len(chosen) // 16)


def test_a_one_file_base_is_stored_too(tmp_path: Path, invoke: Invoke) -> None:
    folder = write_base(tmp_path / "b")
    one = tmp_path / "one.toml"
    one.write_text("".join((folder / n).read_text(encoding="utf-8") for n in
                           ("sources.toml", "places.toml", "topics.toml", "facts.toml")),
                   encoding="utf-8")  # fmt: skip
    result = invoke("query", "--facts", str(one), "-f", "json")
    assert result.exit_code == 0
    assert result.stdout == invoke("query", "--facts", str(folder), "-f", "json").stdout
    assert len(result.json_list()) == FACTS.count("[[fact]]")


# --- progress -----------------------------------------------------------------------------


def test_progress_shows_only_in_a_terminal_after_a_while(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from migfacts import progress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    for is_terminal, delay, shown in ((False, 0.0, False), (True, 60.0, False), (True, 0.0, True)):
        stream = Terminal() if is_terminal else io.StringIO()
        monkeypatch.setattr("sys.stderr", stream)
        monkeypatch.setattr(progress, "DELAY", delay)
        with progress.validation_progress() as report:
            report(1, 2)
            report(2, 2)
        assert (report.bar is not None) == shown
        assert bool(stream.getvalue()) == shown


# --- full text, for search ----------------------------------------------------------------


def test_an_edit_naming_an_unknown_place_or_topic_is_caught(
    tmp_path: Path, validated: list[str]
) -> None:
    base = _three_files(tmp_path / "b")
    load_base(base)
    more = base / "more.toml"
    good = more.read_text(encoding="utf-8")
    for bad, message in (('destination = ["TJ"]', "unknown place 'XX'"),
                         ('topics = ["remittances"]', "unknown topic 'nowhere'")):  # fmt: skip
        assert bad in good
        wrong = bad.replace('"TJ"', '"XX"').replace('"remittances"', '"nowhere"')
        more.write_text(good.replace(bad, wrong, 1), encoding="utf-8")
        with pytest.raises(FactBaseError, match=message):
            load_base(base)
    more.write_text(good, encoding="utf-8")
    assert len(load_base(base).facts) == 5


def test_an_update_by_another_run_while_reading_keeps_the_store(base: Path) -> None:
    """A file re-validated by another process mid-read: run again, nothing removed."""
    reader = load_base(base)
    assert reader.store is not None
    facts = base / "facts.toml"
    facts.write_text(facts.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    load_base(base)  # another run brings the store up to date
    with pytest.raises(store.StoreChanged, match="updated while it was read"):
        list(reader.store.all_facts())
    assert _store_file().exists()
    assert len(load_base(base).facts) == 5


def test_validating_on_two_cores_gives_the_same_base_and_problems(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    one = loader._validate(loader.fact_files(bundled_facts()), "b")
    broken = write_base(tmp_path / "b", facts=FACTS.replace("value = 35000", "value = 36000"))
    with pytest.raises(FactBaseError) as alone:
        loader._validate(loader.fact_files(broken), "b")
    monkeypatch.setattr(loader, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(loader, "_BATCH", 2)
    monkeypatch.setattr(loader, "_cores", lambda: 2)
    two = loader._validate(loader.fact_files(bundled_facts()), "b")
    assert two.facts == one.facts and two.sources == one.sources and two.skips == one.skips
    with pytest.raises(FactBaseError) as together:
        loader._validate(loader.fact_files(broken), "b")
    assert [str(p) for p in together.value.problems] == [str(p) for p in alone.value.problems]


def test_conflicts_json_holds_each_fact_on_one_line(invoke: Invoke, tmp_path: Path) -> None:
    """The groups as jsonl gives them (its writer is json.dumps itself), the group's fields
    indented, each fact one line: valid JSON, read as before."""
    for args in ([], ["-c", "TJ"], ["-y", "2024"]):
        written = invoke("conflicts", *args, "-f", "json")
        lines = invoke("conflicts", *args, "-f", "jsonl")
        assert written.exit_code == lines.exit_code == 0
        groups = written.json()
        assert groups == [json.loads(line) for line in lines.stdout.splitlines()]
        fact_lines = [line for line in written.stdout.splitlines() if line.startswith("      {")]
        assert len(fact_lines) == sum(len(group["facts"]) for group in groups)
        facts = [fact for group in groups for fact in group["facts"]]
        for line, fact in zip(fact_lines, facts, strict=True):
            assert line == "      " + json.dumps(fact, ensure_ascii=False) + (
                "," * (line[-1] == ",")
            )
        assert written.stdout.startswith('[\n  {\n    "json_version": 2,\n    "group": 1,\n')


@pytest.mark.parametrize(
    ("forgery", "args"),
    [
        # A compared figure that is not the record's: the 45% of 2024 made 99%.
        ("UPDATE compared SET figure = replace(figure, '[45,', '[99,')", []),
        ("UPDATE compared SET period = '[' WHERE fact = (SELECT min(fact) FROM compared)", []),
        ("UPDATE compared SET mac = 1 WHERE fact = (SELECT min(fact) FROM compared)", []),
        # A row copied, MAC and all, over another: one fact twice, another gone.
        (
            "DELETE FROM compared WHERE fact = (SELECT min(fact) FROM compared);"
            " INSERT INTO compared SELECT fact + 100000, file, idx, id, source, measure,"
            " figure, period, shape, mac FROM compared WHERE fact = (SELECT max(fact) FROM"
            " compared)",
            [],
        ),
        ("DELETE FROM compared WHERE fact = (SELECT max(fact) FROM compared)", []),
        # A measure column that does not fit its record brings no fact into a filtered run.
        (
            "UPDATE compared SET measure = (SELECT c.measure FROM compared c JOIN facts f"
            ' ON f.rowid = c.fact WHERE f.json LIKE \'%"destination":["TJ"]%\' LIMIT 1)',
            ["-c", "TJ"],
        ),
        # A record shown in a group that is not the one compared.
        ("UPDATE facts SET json = replace(json, '\"value\":45,', '\"value\":99,')", []),
    ],
)
def test_conflicts_read_nothing_planted(
    invoke: Invoke, tmp_path: Path, forgery: str, args: list[str]
) -> None:
    """What conflicts compares and what it shows come from rows whose MACs hold, every one."""
    base = tmp_path / "base"
    shutil.copytree(bundled_facts(), base)

    def conflicts() -> tuple[int, str, str]:
        result = invoke("conflicts", "--facts", str(base), "-f", "json", *args)
        return result.exit_code, result.stdout, result.stderr

    code, honest, _ = conflicts()
    assert code == 0 and '"value": 45,' in honest
    # The groups kept by that run would answer the next without reading the table again.
    _forge(forgery + "; DELETE FROM notes WHERE kind LIKE 'conflicts-groups/%'")
    code, _, message = conflicts()
    assert code == 75 and "changed outside migfacts" in message, message
    assert not list(Path(os.environ["MIGFACTS_CACHE_DIR"]).glob("base-*.sqlite"))
    assert conflicts()[1] == honest  # rebuilt from the TOML files


def _relative_year_wrong(base: Path) -> None:
    orda = base / "orda-2025.toml"
    text = orda.read_text(encoding="utf-8")
    start = text.index('id = "kz-trafficking-law-2024-orda"')
    fixed = text[start:].replace("value = 2024", "value = 2019", 1)
    orda.write_text(text[:start] + fixed, encoding="utf-8")


def _source_date_wrong(base: Path) -> None:
    sources = base / "sources.toml"
    text = sources.read_text(encoding="utf-8")
    sources.write_text(text.replace('published = "2025-03/2025-04-24"', 'published = "2021-03"'),
                       encoding="utf-8")  # fmt: skip


@pytest.mark.parametrize("when", ["built", "edited", "source edited"])
def test_a_relative_year_against_its_source_date_is_checked_by_the_store(
    tmp_path: Path, when: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ "last year" in an article of 2025 is 2024: a fact saying 2019 is refused whether the
    store is built with it or an edit brings it."""
    import shutil

    base = tmp_path / "base"
    shutil.copytree(bundled_facts(), base)
    monkeypatch.setattr(store, "RACY_SECONDS", 0.0)  # files just written count as settled
    if when != "built":
        assert load_base(base).facts
    if when == "source edited":  # "last year" in an article of 2021 is 2020, not 2024
        _source_date_wrong(base)
        message = "reads as 2020, but value is 2024"
    else:
        _relative_year_wrong(base)
        message = "reads as 2024, but value is 2019"
    with pytest.raises(FactBaseError, match=message):
        load_base(base)
    with pytest.raises(FactBaseError, match=message):
        load_base(base)  # and the store serves it on no later run either


# --- conflicts keeps the groups of the whole base ----------------------------------------


@pytest.fixture
def compared_reads(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """One entry per read of the compared table: True when it read all of it."""
    reads: list[bool] = []
    original = store.Store.compared

    def spy(self: store.Store, measures: Any = None) -> Iterator[tuple[Any, ...]]:
        reads.append(measures is None)
        return original(self, measures)

    monkeypatch.setattr(store.Store, "compared", spy)
    return reads


def test_the_groups_of_the_base_are_worked_out_once_per_state_of_its_files(
    invoke: Invoke, tmp_path: Path, compared_reads: list[bool], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store, "RACY_SECONDS", 0.0)  # files just written count as settled
    base = tmp_path / "base"
    shutil.copytree(bundled_facts(), base)

    def conflicts(*args: str) -> str:
        result = invoke("conflicts", "--facts", str(base), "-f", "json", *args)
        assert result.exit_code in (0, 1), result.stderr
        return result.stdout

    filtered = conflicts("-c", "TJ")  # works out the groups of its measures only
    assert compared_reads == [False]
    everything = conflicts()
    assert compared_reads == [False, True]
    assert conflicts() == everything and conflicts("-c", "TJ") == filtered
    assert compared_reads == [False, True]  # both answered from the groups kept
    # An edit that ends the disagreement: the groups are worked out again, and kept anew.
    facts = base / "diplomat-2025.toml"
    text = facts.read_text(encoding="utf-8")
    start = text.index('[[fact]]\nid = "tj-remittances-share-gdp-2025-diplomat"')
    end = text.find("\n[[", start + 1)
    facts.write_text(text[:start] + (text[end + 1 :] if end >= 0 else ""), encoding="utf-8")
    assert conflicts() != everything
    assert compared_reads == [False, True, True]
    conflicts()
    assert compared_reads == [False, True, True]


def test_kept_groups_that_fail_their_mac_are_worked_out_again(
    invoke: Invoke, compared_reads: list[bool]
) -> None:
    honest = invoke("conflicts", "-f", "json").stdout
    assert compared_reads == [True]
    _forge("UPDATE notes SET value = '[]' WHERE kind LIKE 'conflicts-groups/%'")
    assert invoke("conflicts", "-f", "json").stdout == honest
    assert compared_reads == [True, True]


def test_conflicts_and_check_keep_their_notes_side_by_side(invoke: Invoke) -> None:
    assert invoke("check", "Remittances were 45% of Tajikistan's GDP in 2024").exit_code == 0
    assert invoke("conflicts").exit_code == 0
    assert invoke("check", "Remittances were 45% of Tajikistan's GDP in 2024").exit_code == 0
    db = sqlite3.connect(_store_file())
    families = {kind.split("/")[0] for (kind,) in db.execute("SELECT DISTINCT kind FROM notes")}
    db.close()
    assert {"conflicts-groups", "check-words", "check-frequency"} <= families
