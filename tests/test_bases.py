"""Several bases at once: --facts repeated, MIGFACTS_FACTS as a ':' list, `bundled`."""

from __future__ import annotations

import os
from pathlib import Path

from conftest import FACTS, PLACES, SOURCES, Invoke, Result, write_base
from migfacts.loader import bundled_facts

OTHER_SOURCE = SOURCES.replace('id = "test-2024"', 'id = "other-2025"')
OTHER_FACTS = """
[[fact]]
id = "kg-workers-in-tr-2025"
statement = "Kyrgyz workers in Türkiye."
value = 35000
unit = "people"
qualifier = "about"
as_written = "35,000"
period = "2025"
period_basis = "stated"
origin = ["KG"]
destination = ["TR"]
topics = ["labor-migrants"]
quote = "about 35,000 Kyrgyz worked in Kazakhstan"
source = "other-2025"
"""


def _other(tmp_path: Path, **changes: str) -> Path:
    return write_base(
        tmp_path / "other",
        sources=changes.get("sources", OTHER_SOURCE),
        facts=changes.get("facts", OTHER_FACTS),
        places=changes.get("places", PLACES),
    )


def _ids(result: Result) -> set[str]:
    return {fact["id"] for fact in result.json_list()}


def test_repeated_facts_option_reads_both_bases(invoke: Invoke, base: Path, tmp_path: Path) -> None:
    other = _other(tmp_path)
    result = invoke("query", "-c", "KG", "--facts", str(base), "--facts", str(other), "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert _ids(result) == {"kg-workers-in-kz-2021", "kg-workers-in-tr-2025"}
    shown = invoke("show", "kg-workers-in-tr-2025", "--facts", str(base), "--facts", str(other))
    assert shown.exit_code == 0 and "other-2025" in shown.stdout


def test_environment_list_and_bundled(invoke: Invoke, tmp_path: Path) -> None:
    bundled = bundled_facts()
    other = write_base(
        tmp_path / "other",
        sources=OTHER_SOURCE,
        facts=OTHER_FACTS,
        # As `migfacts init` makes them, with one alias more: other names are pooled.
        places=(bundled / "places.toml")
        .read_text(encoding="utf-8")
        .replace('aliases = ["KGZ",', 'aliases = ["Kyrgyzland", "KGZ",'),
        topics=(bundled / "topics.toml").read_text(encoding="utf-8"),
    )
    env = {"MIGFACTS_FACTS": f"{other}{os.pathsep}{os.pathsep}bundled"}
    result = invoke("query", "-c", "Kyrgyzland", "-f", "json", env=env)
    assert result.exit_code == 0, result.stderr
    ids = _ids(result)
    assert "kg-workers-in-tr-2025" in ids
    assert "kg-remittances-2024-ng" in ids  # from the bundled base
    sources = invoke("sources", "-f", "json", env=env).json_list()
    assert {"other-2025", "ng-2025"} <= {s["id"] for s in sources}
    # The option wins over the environment.
    only = invoke("query", "-c", "KG", "--facts", str(other), "-f", "json", env=env)
    assert _ids(only) == {"kg-workers-in-tr-2025"}


def test_same_fact_id_in_two_bases_names_both_files(
    invoke: Invoke, base: Path, tmp_path: Path
) -> None:
    other = _other(tmp_path, facts=FACTS.replace("test-2024", "other-2025"))
    result = invoke("query", "--facts", str(base), "--facts", str(other))
    assert result.exit_code == 3
    line = next(x for x in result.stderr.splitlines() if "kg-workers-in-kz-2021" in x)
    assert str(Path("other") / "facts.toml") in line and str(Path("base") / "facts.toml") in line
    assert "Traceback" not in result.stderr


def test_a_place_defined_differently_is_a_clash(invoke: Invoke, base: Path, tmp_path: Path) -> None:
    other = _other(tmp_path, places=PLACES.replace('name = "Russia"', 'name = "Russland"'))
    result = invoke("places", "--facts", str(base), "--facts", str(other))
    assert result.exit_code == 3
    line = next(x for x in result.stderr.splitlines() if "place 'RU' is also defined in" in x)
    assert str(Path("other") / "places.toml") in line and str(Path("base") / "places.toml") in line
    renamed = SOURCES.replace("Test Gazette", "Other Gazette")
    twin = _other(tmp_path / "y", sources=renamed, facts="")
    both = invoke("sources", "--facts", str(base), "--facts", str(twin))
    assert both.exit_code == 3
    assert "source 'test-2024' is also defined in" in both.stderr


def test_each_base_is_validated_and_every_problem_listed(
    invoke: Invoke, base: Path, tmp_path: Path
) -> None:
    broken = _other(tmp_path, facts=OTHER_FACTS.replace('unit = "people"', 'unit = "persons"'))
    result = invoke("validate", "--facts", str(base), "--facts", str(broken))
    assert result.exit_code == 3
    assert "field 'unit'" in result.stderr
    missing = invoke("query", "--facts", str(base), "--facts", str(tmp_path / "nowhere"))
    assert missing.exit_code == 2 and "no fact base at" in missing.stderr
