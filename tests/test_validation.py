"""Broken fact bases: every problem named by file, line and column, or fact and field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import ARCHIVE, FACTS, PLACES, Invoke, write_base


def validate(invoke: Invoke, folder: Path, *extra: str) -> tuple[int, list[str]]:
    result = invoke("validate", "--facts", str(folder), *extra)
    return result.exit_code, result.stderr.splitlines()


def test_the_fixture_base_is_valid(invoke: Invoke, base: Path) -> None:
    result = invoke("validate", "--facts", str(base), "--archive", str(ARCHIVE))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("valid: 5 facts, 1 skips, 1 sources")


def test_toml_syntax_error_names_file_line_and_column(invoke: Invoke, tmp_path: Path) -> None:
    folder = write_base(tmp_path / "b", facts=FACTS + '\n[[fact]]\nid = "broken\n')
    code, lines = validate(invoke, folder)
    assert code == 3
    assert lines[0].startswith(f"{folder / 'facts.toml'}:")
    line, column = lines[0].split(":")[1:3]
    assert int(line) == FACTS.count("\n") + 3
    assert int(column) > 0
    assert "invalid TOML" in lines[0]
    assert lines[-1] == "migfacts: 1 problem in the fact base"


def test_schema_errors_name_the_fact_and_the_field(invoke: Invoke, tmp_path: Path) -> None:
    facts = FACTS.replace('unit = "US dollars"', 'unit = "dollars"').replace(
        'qualifier = "about"', 'qualifer = "about"'
    )
    code, lines = validate(invoke, write_base(tmp_path / "b", facts=facts))
    assert code == 3
    text = "\n".join(lines)
    assert "fact 'tj-remittances-2024': field 'unit':" in text
    assert "fact 'kg-workers-in-kz-2021': field 'qualifer': unknown field" in text
    assert "fact 'kg-workers-in-kz-2021': field 'qualifier': Field required" in text
    assert "Traceback" not in text and "pydantic" not in text.lower()


def test_a_fact_without_id_is_named_by_position(invoke: Invoke, tmp_path: Path) -> None:
    facts = FACTS.replace('id = "tj-remittances-2024"\n', "", 1)
    _, lines = validate(invoke, write_base(tmp_path / "b", facts=facts))
    assert any("fact #2: field 'id': Field required" in line for line in lines)


def test_all_errors_are_reported_in_one_run(invoke: Invoke, tmp_path: Path) -> None:
    facts = (
        FACTS.replace("value = 35000", "value = 36000")
        .replace('period = "2024"', 'period = "2024-13"', 1)
        .replace('destination = ["RU"]\ntopics = ["labor-migrants"]',
                 'destination = ["RU"]\ntopics = ["labour"]', 1)
    )  # fmt: skip
    code, lines = validate(invoke, write_base(tmp_path / "b", facts=facts))
    assert code == 3
    assert lines[-1] == "migfacts: 3 problems in the fact base"
    text = "\n".join(lines)
    assert "'35,000' reads as 35000, but value is 36000" in text
    assert "fact 'tj-remittances-2024': field 'period': '2024-13' is not a real date" in text
    assert "unknown topic 'labour'" in text


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('value = 45\n', 'value = 0.45\n'), "reads as 45, but value is 0.45"),
        (('as_written = "45%"', 'as_written = "46%"'), "does not appear in quote"),
        (('destination = ["TJ"]\ntopics = ["remittances"]\nquote = "the volume',
          'topics = ["remittances"]\nquote = "the volume'), "name at least one place"),
        (('period_basis = "stated"\ndestination = ["RU"]',
          'period_basis = "inferred"\ndestination = ["RU"]'), "needs period_note"),
        (('source = "test-2024"', 'source = "nowhere"'), "unknown source 'nowhere'"),
        (('origin = ["KG"]', 'origin = ["XX"]'), "unknown place 'XX'"),
        (('value = 5800000000\nunit = "US dollars"', 'value = 5800000000\nunit = "people"'),
         "is in US dollars but unit is 'people'"),
        (('value = 3000000', 'value = "3000000"'), "Input should be a valid"),
    ],
)  # fmt: skip
def test_each_fact_check(
    invoke: Invoke, tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    old, new = change
    assert old in FACTS
    code, lines = validate(invoke, write_base(tmp_path / "b", facts=FACTS.replace(old, new, 1)))
    assert code == 3
    assert message in "\n".join(lines)


def test_low_must_not_exceed_high(invoke: Invoke, tmp_path: Path) -> None:
    fact = """
[[fact]]
id = "ru-deficit"
statement = "A labor deficit of 2 to 4 million people."
low = 4000000
high = 2000000
unit = "people"
qualifier = "up to"
as_written = "2 to 4 million"
period = "2030"
period_basis = "stated"
area = ["RU"]
topics = ["labor-migrants"]
quote = "could reach 2 to 4 million people"
source = "test-2024"
"""
    code, lines = validate(invoke, write_base(tmp_path / "b", facts=FACTS + fact))
    assert code == 3
    assert "low (4000000) is greater than high (2000000)" in "\n".join(lines)


def test_duplicate_ids_across_files_name_both_files(invoke: Invoke, tmp_path: Path) -> None:
    folder = write_base(tmp_path / "b")
    shutil.copy(folder / "facts.toml", folder / "more.toml")
    (folder / "more.toml").write_text(FACTS.split("[[skip]]")[0], encoding="utf-8")
    code, lines = validate(invoke, folder)
    assert code == 3
    assert any(
        "fact id 'kg-workers-in-kz-2021' is already defined in" in line and "facts.toml" in line
        for line in lines
    )


def test_a_name_claimed_by_two_places_is_an_error(invoke: Invoke, tmp_path: Path) -> None:
    places = PLACES.replace('demonyms = ["Kazakh"]', 'demonyms = ["Kazakh", "Kyrgyz"]')
    code, lines = validate(invoke, write_base(tmp_path / "b", places=places))
    assert code == 3
    assert "'Kyrgyz' is claimed by both KG and KZ" in "\n".join(lines)


def test_non_utf8_file_is_reported_not_raised(invoke: Invoke, tmp_path: Path) -> None:
    folder = write_base(tmp_path / "b")
    (folder / "latin1.toml").write_bytes("# caf\xe9\n".encode("latin-1"))
    code, lines = validate(invoke, folder)
    assert code == 3
    assert lines[0].endswith("latin1.toml:1:6: not UTF-8 text (fact files must be UTF-8)")


def test_unknown_table_is_an_error(invoke: Invoke, tmp_path: Path) -> None:
    folder = write_base(tmp_path / "b")
    (folder / "extra.toml").write_text('[[facts]]\nid = "x"\n', encoding="utf-8")
    code, lines = validate(invoke, folder)
    assert code == 3
    assert "unknown table [[facts]]" in "\n".join(lines)


def test_missing_base_is_a_usage_error(invoke: Invoke, tmp_path: Path) -> None:
    result = invoke("query", "--facts", str(tmp_path / "nowhere"))
    assert result.exit_code == 2
    assert "no fact base at" in result.stderr


def test_empty_folder_is_a_usage_error(invoke: Invoke, tmp_path: Path) -> None:
    result = invoke("query", "--facts", str(tmp_path))
    assert result.exit_code == 2
    assert "no fact files" in result.stderr


def test_every_command_refuses_an_invalid_base(invoke: Invoke, tmp_path: Path) -> None:
    folder = write_base(tmp_path / "b", facts="[[fact]]\nid = 1\n")
    for command in (["query"], ["sources"], ["places"], ["topics"], ["show", "x"]):
        result = invoke(*command, "--facts", str(folder))
        assert result.exit_code == 3, command
        assert "Traceback" not in result.stderr


# --- against the archived articles -------------------------------------------------------


def test_archive_quote_must_occur_verbatim(invoke: Invoke, tmp_path: Path) -> None:
    facts = FACTS.replace("down to 1.8 million the next year", "down to 1.8 million next year")
    facts = facts.replace('as_written = "1.8 million"', 'as_written = "1.8 million"')
    folder = write_base(tmp_path / "b", facts=facts)
    code, lines = validate(invoke, folder, "--archive", str(ARCHIVE))
    assert code == 3
    assert "fact 'ru-labor-migrants-2015': field 'quote': quote not found verbatim in mini.txt" in (
        "\n".join(lines)
    )


def test_archive_comparison_folds_whitespace_and_no_break_spaces(
    invoke: Invoke, tmp_path: Path
) -> None:
    facts = FACTS.replace(
        "down to 1.8 million the next year", "down to\u00a01.8 million  the\\nnext year"
    )
    folder = write_base(tmp_path / "b", facts=facts)
    code, lines = validate(invoke, folder, "--archive", str(ARCHIVE))
    assert code == 0, lines


def test_archive_sha_mismatch_and_missing_file(invoke: Invoke, tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    archive.mkdir()
    (archive / "mini.txt").write_text("changed text\n", encoding="utf-8")
    code, lines = validate(invoke, write_base(tmp_path / "b"), "--archive", str(archive))
    assert code == 3
    assert "field 'sha256': sha256 is" in "\n".join(lines)
    (archive / "mini.txt").unlink()
    code, lines = validate(invoke, write_base(tmp_path / "c"), "--archive", str(archive))
    assert "archived text not readable: no such file" in "\n".join(lines)


def test_validate_leaves_the_fact_files_untouched(invoke: Invoke, base: Path) -> None:
    before = {p.name: p.read_bytes() for p in base.iterdir()}
    stamps = {p.name: p.stat().st_mtime_ns for p in base.iterdir()}
    invoke("validate", "--facts", str(base), "--archive", str(ARCHIVE))
    invoke("query", "--facts", str(base))
    assert {p.name: p.read_bytes() for p in base.iterdir()} == before
    assert {p.name: p.stat().st_mtime_ns for p in base.iterdir()} == stamps
