"""Fact bases that once crashed migfacts or lost facts in silence: each is now a problem line.

Every problem names the file, and the line or the fact where there is one; the base is
invalid (exit 3) and nothing is skipped without a word. `query` refuses such a base as
`validate` does.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import FACTS, PLACES, Invoke, write_base


def problems(invoke: Invoke, folder: Path, command: str = "validate") -> list[str]:
    result = invoke(command, "--facts", str(folder))
    assert result.exit_code == 3, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines[-1].startswith("migfacts: ") and lines[-1].endswith("in the fact base")
    return lines[:-1]


def only_problem(invoke: Invoke, folder: Path) -> str:
    lines = problems(invoke, folder)
    assert len(lines) == 1, lines
    assert problems(invoke, folder, "query") == lines
    return lines[0]


def with_facts(tmp_path: Path, facts: str) -> Path:
    return write_base(tmp_path / "b", facts=facts)


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def test_deeply_nested_arrays_name_the_file_and_line(invoke: Invoke, tmp_path: Path) -> None:
    facts = FACTS.replace('topics = ["remittances"]', "topics = " + "[" * 3000 + "]" * 3000, 1)
    line = only_problem(invoke, with_facts(tmp_path, facts))
    assert line.endswith(
        f"facts.toml:{line_of(facts, '[[[')}: arrays or inline tables nested too deeply"
    )


def test_an_integer_past_pythons_digit_limit(invoke: Invoke, tmp_path: Path) -> None:
    facts = FACTS.replace("value = 35000", "value = " + "9" * 5000)
    line = only_problem(invoke, with_facts(tmp_path, facts))
    assert line.endswith(
        f"facts.toml:{line_of(facts, '9999')}: an integer with more than 4,300 digits"
    )


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("1" + "0" * 400, "at most 10^15"),
        ("-1" + "0" * 40, "at most 10^15"),
        ("1e300", "at most 10^15"),
        ("inf", "finite number, not inf"),
        ("-inf", "finite number, not -inf"),
        ("nan", "finite number, not nan"),
    ],
)
def test_figures_are_finite_and_bounded(
    invoke: Invoke, tmp_path: Path, value: str, says: str
) -> None:
    line = only_problem(
        invoke, with_facts(tmp_path, FACTS.replace("value = 35000", f"value = {value}"))
    )
    assert "facts.toml: fact 'kg-workers-in-kz-2021': field 'value': " in line
    assert says in line


def test_infinite_date_value(invoke: Invoke, tmp_path: Path) -> None:
    fact = """
[[fact]]
id = "decree-2025"
statement = "A decree entered into force on May 1, 2025."
value = inf
unit = "date"
qualifier = "exact"
as_written = "May 1, 2025"
period = "2025-05-01"
period_basis = "stated"
area = ["RU"]
topics = ["labor-migrants"]
quote = "entered into force on May 1, 2025"
source = "test-2024"
"""
    line = only_problem(invoke, with_facts(tmp_path, FACTS + fact))
    assert "fact 'decree-2025': field 'value': a figure must be a finite number" in line


def test_a_byte_order_mark_is_named(invoke: Invoke, tmp_path: Path) -> None:
    folder = with_facts(tmp_path, FACTS)
    (folder / "facts.toml").write_bytes(b"\xef\xbb\xbf" + FACTS.encode())
    line = only_problem(invoke, folder)
    assert line.endswith("facts.toml:1:1: the file starts with a byte-order mark (BOM); "
                         "save it as UTF-8 without BOM")  # fmt: skip


def test_an_error_at_the_end_of_the_file_names_the_last_line(
    invoke: Invoke, tmp_path: Path
) -> None:
    facts = FACTS + '\n[[fact]]\nid = "x"\nstatement = "never closed'
    line = only_problem(invoke, with_facts(tmp_path, facts))
    assert line.endswith(
        f"facts.toml:{facts.count(chr(10)) + 1}: invalid TOML at the end of the file: "
        "Unterminated string"
    )


def test_an_unknown_table_names_its_line(invoke: Invoke, tmp_path: Path) -> None:
    facts = FACTS + '\n[[facts]]\nid = "x"\n'
    line = only_problem(invoke, with_facts(tmp_path, facts))
    assert f"facts.toml:{line_of(facts, '[[facts]]')}: unknown table [[facts]]" in line


def test_a_table_that_is_not_an_array_names_its_line(invoke: Invoke, tmp_path: Path) -> None:
    folder = with_facts(tmp_path, FACTS)
    (folder / "extra.toml").write_text('# a comment\n\nfact = "oops"\n', encoding="utf-8")
    line = only_problem(invoke, folder)
    assert line.endswith("extra.toml:3: 'fact' must be an array of tables, written [[fact]]")


def test_a_name_claimed_by_two_places_names_both_files(invoke: Invoke, tmp_path: Path) -> None:
    folder = with_facts(tmp_path, FACTS)
    (folder / "more-places.toml").write_text(
        '[[place]]\ncode = "XK"\nkind = "country"\nname = "Kosovo"\naliases = ["Kirghizia"]\n',
        encoding="utf-8",
    )
    line = only_problem(invoke, folder)
    # Files are read in sorted order: more-places.toml first, places.toml claims it second.
    assert line == (
        f"{folder / 'places.toml'}: place 'KG': the place name 'Kirghizia' is claimed by both "
        f"XK (in {folder / 'more-places.toml'}) and KG"
    )


def test_a_clash_within_one_file_names_the_file(invoke: Invoke, tmp_path: Path) -> None:
    places = PLACES.replace('demonyms = ["Kazakh"]', 'demonyms = ["Kazakh", "Kyrgyz"]')
    line = only_problem(invoke, write_base(tmp_path / "b", places=places))
    assert line.endswith(
        "places.toml: place 'KZ': the place name 'Kyrgyz' is claimed by both KG and KZ"
    )


def test_a_dangling_symlink_is_a_problem(invoke: Invoke, tmp_path: Path) -> None:
    folder = with_facts(tmp_path, FACTS)
    (folder / "gone.toml").symlink_to(tmp_path / "nowhere.toml")
    line = only_problem(invoke, folder)
    assert line.endswith(
        f"gone.toml: a symlink to {tmp_path / 'nowhere.toml'}, which does not exist"
    )


def test_a_symlink_loop_is_a_problem(invoke: Invoke, tmp_path: Path) -> None:
    folder = with_facts(tmp_path, FACTS)
    (folder / "a.toml").symlink_to("b.toml")
    (folder / "b.toml").symlink_to("a.toml")
    lines = problems(invoke, folder)
    assert [line.rsplit("/", 1)[-1] for line in lines] == [
        "a.toml: a symlink loop (-> b.toml)",
        "b.toml: a symlink loop (-> a.toml)",
    ]


def test_a_folder_link_back_up_is_not_followed(invoke: Invoke, tmp_path: Path) -> None:
    # Symlinked folders are not followed (as Path.rglob does not), so a link back up is no loop.
    folder = with_facts(tmp_path, FACTS)
    (folder / "up").symlink_to("..")
    result = invoke("validate", "--facts", str(folder))
    assert result.exit_code == 0, result.stderr


def test_a_fifo_is_a_problem_not_a_hang(invoke: Invoke, tmp_path: Path) -> None:
    folder = with_facts(tmp_path, FACTS)
    os.mkfifo(folder / "pipe.toml")
    line = only_problem(invoke, folder)
    assert line.endswith("pipe.toml: a FIFO, not a regular file; fact files must be regular files")


def test_a_folder_named_like_a_fact_file_is_a_problem(invoke: Invoke, tmp_path: Path) -> None:
    folder = with_facts(tmp_path, FACTS)
    (folder / "facts.toml").rename(tmp_path / "facts.toml")
    (folder / "facts.toml").mkdir()
    (tmp_path / "facts.toml").rename(folder / "facts.toml" / "facts.txt")
    line = only_problem(invoke, folder)
    assert line.endswith("facts.toml: a folder named like a fact file; fact files must be files "
                         "(rename the folder)")  # fmt: skip
