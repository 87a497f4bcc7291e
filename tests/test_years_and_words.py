"""`--year` as people write it, free words as whole words and numbers, honest exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import Invoke
from migfacts.errors import EXIT_MEANINGS, ExitStatus


def ids(invoke: Invoke, base: Path, *args: str) -> list[str]:
    result = invoke(*args, "--facts", str(base), "--format", "json")
    assert result.exit_code in (0, 1), result.stderr
    return [item["id"] for item in result.json_list()] if result.exit_code == 0 else []


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        ("2014-2015", ["ru-labor-migrants-2014", "ru-labor-migrants-2015"]),
        ("2014–2015", ["ru-labor-migrants-2014", "ru-labor-migrants-2015"]),
        ("2014 to 2015", ["ru-labor-migrants-2014", "ru-labor-migrants-2015"]),
        ("2014/2015", ["ru-labor-migrants-2014", "ru-labor-migrants-2015"]),
        ("2014..2015", ["ru-labor-migrants-2014", "ru-labor-migrants-2015"]),
        ("2021-01", ["kg-workers-in-kz-2021"]),
        ("2021-02", []),
        ("2024-Q4", ["tj-remittances-2024", "tj-remittances-gdp-2024"]),
        ("..2014", ["ru-labor-migrants-2014"]),
    ],
)
def test_year_forms_people_write(
    invoke: Invoke, base: Path, year: str, expected: list[str]
) -> None:
    assert ids(invoke, base, "query", "--year", year) == expected


@pytest.mark.parametrize("command", ["query", "conflicts", "series"])
@pytest.mark.parametrize(
    "year", ["0000", "10000", "-5..3", "2014..10000", "2016..2014", "2024-13", "..", "soon", "0"]
)
def test_every_bad_year_is_one_line_and_exit_2(
    invoke: Invoke, base: Path, command: str, year: str
) -> None:
    result = invoke(command, "--facts", str(base), f"--year={year}")
    assert result.exit_code == ExitStatus.USAGE
    assert result.stderr.startswith("migfacts: error: --year:")
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_free_words_match_whole_words(invoke: Invoke, base: Path) -> None:
    # "transfer" is inside "transfers" only as a part: a whole word must match.
    assert ids(invoke, base, "query", "money", "transfers") == ["tj-remittances-2024"]
    assert ids(invoke, base, "query", "transf") == []
    assert ids(invoke, base, "query", "republic") == ["tj-remittances-gdp-2024"]


@pytest.mark.parametrize("written", ["35000", "35,000", "35 000", "35K"])
def test_numbers_match_in_any_written_form(invoke: Invoke, base: Path, written: str) -> None:
    assert ids(invoke, base, "query", written) == ["kg-workers-in-kz-2021"]


@pytest.mark.parametrize("written", ["5.8bn", "$5.8 billion", "5800000000", "5,800,000,000"])
def test_money_matches_in_any_written_form(invoke: Invoke, base: Path, written: str) -> None:
    assert ids(invoke, base, "query", "-t", "remittances", written) == [
        "tj-remittances-2024",
        "tj-remittances-gdp-2024",
    ]


def test_a_number_not_written_matches_nothing(invoke: Invoke, base: Path) -> None:
    assert ids(invoke, base, "query", "35001") == []


@pytest.mark.parametrize("command", ["validate", "coverage"])
def test_a_missing_archive_folder_is_a_usage_error(
    invoke: Invoke, base: Path, tmp_path: Path, command: str
) -> None:
    result = invoke(command, "--facts", str(base), "--archive", str(tmp_path / "nowhere"))
    assert result.exit_code == ExitStatus.USAGE
    assert "no such folder" in result.stderr


def test_every_exit_status_is_documented_in_help(invoke: Invoke) -> None:
    assert set(EXIT_MEANINGS) == set(ExitStatus)
    help_text = " ".join(invoke("--help").stdout.split())
    for status, meaning in EXIT_MEANINGS.items():
        assert f"{int(status)} {' '.join(meaning.split())}" in help_text


def test_places_list_each_name_once(invoke: Invoke) -> None:
    result = invoke("places", "--format", "json")
    for place in result.json_list():
        names = [*place["aliases"], *place["demonyms"]]
        assert len(names) == len(set(names)), place["code"]


def test_a_name_listed_twice_in_one_place_is_a_problem(invoke: Invoke, tmp_path: Path) -> None:
    from conftest import PLACES, write_base

    places = PLACES.replace('aliases = ["KAZ"]', 'aliases = ["KAZ", "KAZ"]')
    base = write_base(tmp_path / "twice", places=places)
    result = invoke("validate", "--facts", str(base))
    assert result.exit_code == ExitStatus.INVALID_BASE
    assert "place 'KZ': field 'aliases': 'KAZ' is listed twice" in result.stderr


def test_ctrl_c_exits_130_the_documented_code() -> None:
    import signal
    import subprocess
    import sys
    import time

    process = subprocess.Popen(
        [sys.executable, "-m", "migfacts", "check"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    time.sleep(2.0)  # started, and reading claims from standard input, which never ends
    process.send_signal(signal.SIGINT)
    _out, err = process.communicate(timeout=20)
    assert process.returncode == ExitStatus.INTERRUPTED
    assert b"Traceback" not in err
