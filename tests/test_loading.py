"""Choosing a base, the validated-base cache, and the record/schema contract."""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

import pytest
from pydantic import BaseModel

from conftest import FACTS, Invoke, write_base
from migfacts.errors import FactBaseError
from migfacts.loader import bundled_facts, load_base
from migfacts.records import Fact, Place, Skip, Source, Topic
from migfacts.schema import FactModel, PlaceModel, SkipModel, SourceModel, TopicModel


def test_facts_option_wins_over_the_environment(invoke: Invoke, tmp_path: Path) -> None:
    chosen = write_base(tmp_path / "chosen")
    other = write_base(tmp_path / "other", facts=FACTS.split('[[fact]]\nid = "tj-rem')[0])
    env = {"MIGFACTS_FACTS": str(other)}
    from_env = invoke("query", "-f", "json", env=env).json()
    assert isinstance(from_env, list) and len(from_env) == 1
    from_option = invoke("query", "--facts", str(chosen), "-f", "json", env=env).json()
    assert isinstance(from_option, list) and len(from_option) == 5


def test_default_is_the_bundled_base(invoke: Invoke) -> None:
    assert (bundled_facts() / "sources.toml").is_file()
    result = invoke("sources", "-f", "json")
    assert result.exit_code == 0
    assert {s["id"] for s in result.json_list()} >= {"diplomat-2025", "ng-2025"}


def test_cache_gives_the_same_base_as_validation(base: Path) -> None:
    fresh = load_base(base, use_cache=False)
    load_base(base)  # writes the cache
    cached = load_base(base)
    assert cached.facts == fresh.facts
    assert cached.sources == fresh.sources
    assert cached.places == fresh.places
    assert cached.skips == fresh.skips


def test_cache_does_not_import_pydantic_on_a_hit(base: Path) -> None:
    import subprocess
    import sys

    load_base(base)
    code = (
        "import sys; from pathlib import Path; from migfacts.loader import load_base; "
        f"load_base(Path({str(base)!r})); print('pydantic' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env=os.environ.copy(), check=True)  # fmt: skip
    assert result.stdout.strip() == "False"


def test_an_edit_invalidates_the_cache(base: Path) -> None:
    load_base(base)
    facts = base / "facts.toml"
    broken = facts.read_text(encoding="utf-8").replace("value = 35000", "value = 35001")
    facts.write_text(broken, encoding="utf-8")
    os.utime(facts, ns=(facts.stat().st_atime_ns, facts.stat().st_mtime_ns + 10**9))
    with pytest.raises(FactBaseError, match="value is 35001"):
        load_base(base)


def test_a_new_file_invalidates_the_cache(base: Path) -> None:
    load_base(base)
    (base / "more.toml").write_text('[[topic]]\nid = "x"\n', encoding="utf-8")
    with pytest.raises(FactBaseError, match="topic 'x': field 'label': Field required"):
        load_base(base)


def test_a_damaged_cache_is_only_slower(base: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = Path(os.environ["MIGFACTS_CACHE_DIR"])
    load_base(base)
    for file in cache.iterdir():
        file.write_text("{not json", encoding="utf-8")
    assert len(load_base(base).facts) == 5


def test_an_unwritable_cache_folder_is_only_slower(
    base: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("MIGFACTS_CACHE_DIR", str(blocker / "cache"))
    assert len(load_base(base).facts) == 5


def test_nothing_is_written_next_to_the_facts(base: Path) -> None:
    before = sorted(p.name for p in base.iterdir())
    load_base(base)
    load_base(base)
    assert sorted(p.name for p in base.iterdir()) == before


@pytest.mark.parametrize(
    ("record", "model"),
    [(Source, SourceModel), (Place, PlaceModel), (Topic, TopicModel), (Fact, FactModel),
     (Skip, SkipModel)],
)  # fmt: skip
def test_records_and_schema_models_have_the_same_fields(
    record: type[NamedTuple], model: type[BaseModel]
) -> None:
    assert list(record._fields) == list(model.model_fields)


# Files tomllib refuses, each for another reason: tomli must refuse them too, and the problem
# must read the same either way (line, column and wording are tomllib's).
_BAD_TOML = [
    '[[fact]]\nid = "a"\nid = "b"\n',
    "x = [1, 2\n",
    'a = "unterminated\n',
    "[fact\n",
    "a = 2024-13-01\n",
    "a = 1\n\nb = \n",
    "a = " + "{b=" * 360 + "1" + "}" * 360,  # deeper than tomllib reads, not tomli
    "a = 1" + "9" * 5000,
    'a = """never closed',
    "a = 1 # \x00\n",
]
# Arrays nested deeper than tomli reads, not tomllib: tomllib's answer is the one given.
_DEEP_ARRAY = "a = " + "[" * 450 + "]" * 450


def test_toml_problems_read_the_same_with_or_without_tomli(monkeypatch: pytest.MonkeyPatch) -> None:
    from migfacts import loader

    assert loader._fast_loads() is not None  # tomli is a dependency: the fast path is taken
    texts = [*_BAD_TOML, _DEEP_ARRAY]
    fast = [loader._parse_toml("f.toml", text.encode()) for text in texts]
    monkeypatch.setattr(loader, "_FAST", (None,))
    assert loader._fast_loads() is None
    slow = [loader._parse_toml("f.toml", text.encode()) for text in texts]
    assert fast == slow
    assert all(data is None and problem is not None for data, problem in fast[:-1])


def test_valid_toml_reads_the_same_with_or_without_tomli(monkeypatch: pytest.MonkeyPatch) -> None:
    from migfacts import loader

    raws = [path.read_bytes() for path in sorted(bundled_facts().glob("*.toml"))]
    fast = [loader._parse_toml(str(i), raw) for i, raw in enumerate(raws)]
    monkeypatch.setattr(loader, "_FAST", (None,))
    assert fast == [loader._parse_toml(str(i), raw) for i, raw in enumerate(raws)]
    assert all(problem is None for _data, problem in fast)


@pytest.mark.parametrize(
    ("record", "model"),
    [(Source, SourceModel), (Place, PlaceModel), (Topic, TopicModel), (Fact, FactModel),
     (Skip, SkipModel)],
)  # fmt: skip
def test_a_record_from_a_valid_item_is_the_record_from_its_model(
    record: type[NamedTuple], model: type[BaseModel]
) -> None:
    """The loader builds records from the items it validated, not from the models' dumps."""
    import tomllib

    from migfacts.loader import validate_file
    from migfacts.records import record_from_dict

    table = {Source: "source", Place: "place", Topic: "topic", Fact: "fact", Skip: "skip"}[record]
    for field, info in model.model_fields.items():  # an item leaves out what has a default
        if not info.is_required():
            default = info.get_default(call_default_factory=True)
            expected = tuple(default) if isinstance(default, list) else default
            assert record._field_defaults[field] == expected, field
    seen = 0
    for path in sorted(bundled_facts().glob("*.toml")):
        raw = path.read_bytes()
        items = tomllib.loads(raw.decode()).get(table, [])
        loaded = [r for kind, r in validate_file(path.name, raw)[0] if kind == table]
        dumped = [record_from_dict(record, model.model_validate(item).model_dump())  # type: ignore[type-var]
                  for item in items]  # fmt: skip
        assert loaded == dumped
        seen += len(items)
    assert seen > 0


def test_progress_counts_every_file_once_when_two_processes_share_the_work(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Workers check batches from the front, this process from the back: progress adds up."""
    from migfacts import loader

    monkeypatch.setattr(loader, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(loader, "_BATCH", 1)
    monkeypatch.setattr(loader, "_cores", lambda: 2)
    files = loader.fact_files(bundled_facts())
    seen: list[tuple[int, int]] = []
    shared = loader._validate(files, "b", lambda done, total: seen.append((done, total)))
    assert shared.facts == loader._validate(files, "b").facts
    assert seen[-1] == (len(files), len(files))
    assert [done for done, _total in seen] == sorted(done for done, _total in seen)
    assert len(seen) == len(files)  # one report a file, whichever process checked it
