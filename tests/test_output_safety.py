"""Hostile data, colour settings and pipes: text from the base is data, never instructions."""

from __future__ import annotations

import csv
import io
import json
import os
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ARCHIVE, FACTS, REPO, SOURCES, Invoke, write_base

HOSTILE = FACTS.replace(
    'statement = "Remittances to Tajikistan in 2024."',
    'statement = "[bold red]x[/bold red] :thumbs_up: \\u001b[31mred\\u001b[0m bell\\u0007 [/x]"',
)


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    return write_base(tmp_path / "hostile", facts=HOSTILE)


@pytest.mark.parametrize("fmt", ["table", "tsv", "csv", "markdown"])
def test_markup_and_escapes_print_literally_and_harmlessly(
    invoke: Invoke, hostile: Path, fmt: str
) -> None:
    result = invoke("query", "--facts", str(hostile), "-c", "TJ", "-f", fmt)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "[bold red]x[/bold red]" in out
    assert ":thumbs_up:" in out and "👍" not in out
    assert "[/x]" in out
    assert "\x1b" not in out and "\x07" not in out
    assert "x1b[31mred" in out  # shown as a visible escape, not obeyed


def test_show_prints_hostile_text_literally(invoke: Invoke, hostile: Path) -> None:
    result = invoke("show", "tj-remittances-2024", "--facts", str(hostile), "-f", "table")
    assert "[bold red]x[/bold red]" in result.stdout
    assert "\x1b[31m" not in result.stdout


def test_json_escapes_control_characters(invoke: Invoke, hostile: Path) -> None:
    result = invoke("query", "--facts", str(hostile), "-c", "TJ", "-f", "json")
    assert "\x1b" not in result.stdout
    assert "\\u001b[31mred" in result.stdout  # JSON's own escape, which parsers undo


def _run(
    args: list[str], env: dict[str, str], **kwargs: object
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # type: ignore[call-overload, no-any-return]
        [sys.executable, "-m", "migfacts", *args],
        capture_output=True, text=True, env=env, cwd=REPO, **kwargs,
    )  # fmt: skip


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"NO_COLOR", "TERM", "FORCE_COLOR"}}
    env.update(extra)
    return env


def test_forced_colour_is_used_unless_turned_off(base: Path) -> None:
    args = ["query", "--facts", str(base), "-c", "KG", "-f", "table"]
    coloured = _run(args, _env(FORCE_COLOR="1", TERM="xterm-256color"))
    assert "\x1b[" in coloured.stdout  # the control: colour does appear when forced
    for env in (_env(FORCE_COLOR="1", NO_COLOR="1"), _env(FORCE_COLOR="1", TERM="dumb")):
        assert "\x1b[" not in _run(args, env).stdout
    assert "\x1b[" not in _run([*args, "--no-color"], _env(FORCE_COLOR="1")).stdout


def test_broken_pipe_ends_quietly(tmp_path: Path) -> None:
    # Many rows, so the writer is still writing when `head` has gone.
    facts = "\n".join(
        FACTS.split("[[skip]]")[0].replace('id = "', f'id = "n{i}-') for i in range(200)
    )
    folder = write_base(tmp_path / "big", facts=facts)
    command = f'"{sys.executable}" -m migfacts query --facts "{folder}" -f tsv | head -1'
    result = subprocess.run(
        ["bash", "-c", command], capture_output=True, text=True, cwd=REPO, env=_env()
    )
    assert result.stdout.startswith("id\tfigure")
    assert result.stderr == ""
    status = subprocess.run(
        ["bash", "-c", f"set -o pipefail; {command} > /dev/null"], cwd=REPO, env=_env()
    )
    assert status.returncode == 0


# --- one sanitiser for every format and every command -----------------------------------

# What must never reach a reader raw: C0 controls but tab and newline, DEL, C1 controls,
# bidi embeddings, overrides and isolates, lone surrogates.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")

OSC52 = "\x1b]52;c;ZXZpbA==\x07"  # writes "evil" to the reader's clipboard
ATTACK_STATEMENT = '=HYPERLINK("http://x.example","click") \u202eevil\u202c and \u2066iso\u2069'
ATTACK_QUOTE = f"the volume of money transfers {OSC52}in 2024 amounted to $5.8 billion \x9b31m\x7f"
ATTACK_TITLE = "A test article \u202eon migration\x1b[2J"

ATTACK_FACTS = (
    FACTS.replace(
        'statement = "Remittances to Tajikistan in 2024."',
        f"statement = {json.dumps(ATTACK_STATEMENT)}",
    ).replace(
        'quote = "the volume of money transfers in 2024 amounted to $5.8 billion"',
        f"quote = {json.dumps(ATTACK_QUOTE)}",
    )
    + """
[[fact]]
id = "kz-net-migration-2000"
statement = "-1+1 in 2000: a net migration deficit."
value = -108000
unit = "people"
qualifier = "exact"
as_written = "108,000"
period = "2000"
period_basis = "stated"
area = ["KZ"]
topics = ["labor-migrants"]
attribution = "@SUM(1+1)*cmd|' /C calc'!A0"
quote = "a deficit of 108,000 in 2000"
source = "test-2024"
"""
)
ATTACK_SOURCES = SOURCES.replace(
    'title = "A test article on migration"', f"title = {json.dumps(ATTACK_TITLE)}"
).replace('outlet = "Test Gazette"', 'outlet = "+Test Gazette"')


@pytest.fixture
def attack(tmp_path: Path) -> Path:
    return write_base(tmp_path / "attack", facts=ATTACK_FACTS, sources=ATTACK_SOURCES)


COMMANDS = [
    ["query"],
    ["query", "--quotes"],
    ["show", "tj-remittances-2024"],
    ["sources"],
    ["places"],
    ["topics"],
    ["search", "money transfers Tajikistan 2024"],
    ["series", "-t", "labor-migrants"],
    ["conflicts"],
    ["check", "Remittances to Tajikistan were $5.8 billion in 2024"],
]
FORMATS = ["table", "json", "jsonl", "csv", "tsv", "markdown"]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c))
def test_no_command_writes_a_control_character_from_the_base(
    invoke: Invoke, attack: Path, command: list[str], fmt: str
) -> None:
    result = invoke(*command, "--facts", str(attack), "-f", fmt)
    assert result.exit_code in (0, 1, 5, 6, 7), result.stderr
    assert not UNSAFE.search(result.stdout), UNSAFE.search(result.stdout)
    assert not UNSAFE.search(result.stderr)
    if fmt == "json":
        json.loads(result.stdout)
    elif fmt == "jsonl":
        for line in result.stdout.splitlines():
            json.loads(line)


@pytest.mark.parametrize("style", ["plain", "markdown", "apa", "chicago", "bibtex", "csl-json"])
def test_cite_writes_no_control_character_in_any_style(
    invoke: Invoke, attack: Path, style: str
) -> None:
    result = invoke("cite", "tj-remittances-2024", "--style", style, "--facts", str(attack))
    assert result.exit_code == 0, result.stderr
    assert not UNSAFE.search(result.stdout), UNSAFE.search(result.stdout)
    if style == "csl-json":
        assert result.json_list()[0]["title"] == ATTACK_TITLE
    elif style == "bibtex":  # the escape, itself escaped so LaTeX prints it
        assert "\\textbackslash{}u202e" in result.stdout
    else:
        assert "\\u202e" in result.stdout  # shown, not obeyed
    if style == "plain":
        assert "\\x1b]52;c;ZXZpbA==\\x07" in result.stdout


def test_json_keeps_the_raw_value_behind_its_escapes(invoke: Invoke, attack: Path) -> None:
    result = invoke("query", "-c", "TJ", "--facts", str(attack), "-f", "json")
    records = {r["id"]: r for r in result.json_list()}
    fact = records["tj-remittances-2024"]
    assert fact["statement"] == ATTACK_STATEMENT
    assert fact["quote"] == ATTACK_QUOTE
    assert fact["source"]["title"] == ATTACK_TITLE
    for escape in ("\\u202e", "\\u2066", "\\u009b", "\\u007f", "\\u001b"):
        assert escape in result.stdout


def _cells(result_text: str, fmt: str) -> list[dict[str, str]]:
    if fmt == "csv":
        return list(csv.DictReader(io.StringIO(result_text)))
    lines = result_text.splitlines()
    header = lines[0].split("\t")
    return [dict(zip(header, line.split("\t"), strict=True)) for line in lines[1:]]


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_spreadsheet_formulas_are_neutralised(invoke: Invoke, attack: Path, fmt: str) -> None:
    result = invoke("query", "--facts", str(attack), "-f", fmt)
    rows = {row["id"]: row for row in _cells(result.stdout, fmt)}
    assert rows["tj-remittances-2024"]["statement"].startswith("'=HYPERLINK(")
    deficit = rows["kz-net-migration-2000"]
    assert deficit["statement"] == "'-1+1 in 2000: a net migration deficit."
    # A plain negative number is a number to a spreadsheet, not a formula: kept readable.
    assert deficit["value"] == "-108000"
    assert deficit["figure"] == "-108,000"
    assert rows["ru-labor-migrants-2014"]["statement"][0] != "'"
    sources = _cells(invoke("sources", "--facts", str(attack), "-f", fmt).stdout, fmt)
    assert sources[0]["outlet"] == "'+Test Gazette"


def test_json_keeps_formula_like_text_raw(invoke: Invoke, attack: Path) -> None:
    result = invoke("query", "-c", "KZ", "--facts", str(attack), "-f", "json")
    (fact,) = [r for r in result.json_list() if r["id"] == "kz-net-migration-2000"]
    assert fact["statement"] == "-1+1 in 2000: a net migration deficit."
    assert fact["attribution"].startswith("@SUM")


def test_error_lines_are_sanitised_and_cut(invoke: Invoke, base: Path) -> None:
    long_name = "\x1b[2J" + "x" * 5000
    result = invoke("query", "-c", long_name, "--facts", str(base))
    assert result.exit_code == 2
    assert "\x1b" not in result.stderr
    assert len(result.stderr) < 1500
    assert "more characters" in result.stderr


def test_a_path_echoed_by_validate_is_sanitised(invoke: Invoke, tmp_path: Path) -> None:
    folder = write_base(tmp_path / "b")
    archive = tmp_path / "arch\x1b[31mive"
    shutil.copytree(ARCHIVE, archive)
    result = invoke("validate", "--facts", str(folder), "--archive", str(archive))
    assert result.exit_code == 0, result.stderr
    assert "\x1b" not in result.stdout and "arch\\x1b[31mive" in result.stdout


def test_coverage_summary_is_sanitised(invoke: Invoke, tmp_path: Path) -> None:
    facts = FACTS.replace('reason = "an interviewee\'s age"', 'reason = "x"').replace(
        'as_written = "55"\nquote = "An interviewee, 55, said"',
        'as_written = "\\u001b[2J9"\nquote = "An interviewee \\u001b[2J9"',
    )
    folder = write_base(tmp_path / "b", facts=facts)
    result = invoke("coverage", "--facts", str(folder), "--archive", str(ARCHIVE), "-f", "json")
    assert result.exit_code in (0, 4), result.stderr
    assert "\x1b" not in result.stderr
    assert "\\x1b[2J9" in result.stderr  # the unused skip, named with its escape shown


def test_claimreview_and_exports_write_no_control_character(
    invoke: Invoke, attack: Path, tmp_path: Path
) -> None:
    claim = "Remittances to Tajikistan were $5.8 billion in 2024"
    review = invoke("check", claim, "-f", "claimreview", "--facts", str(attack))
    assert review.exit_code in (0, 5, 6, 7), review.stderr
    assert not UNSAFE.search(review.stdout) and not UNSAFE.search(review.stderr)
    review.json()
    out = tmp_path / "package"
    exported = invoke("export", "datapackage", str(out), "--facts", str(attack))
    assert exported.exit_code == 0, exported.stderr
    for written in out.iterdir():
        text = written.read_text(encoding="utf-8").replace("\r\n", "\n")
        assert not UNSAFE.search(text), (written.name, UNSAFE.search(text))
    facts_csv = next(out.glob("facts*.csv")).read_text(encoding="utf-8")
    assert "'=HYPERLINK(" in facts_csv and "\\u202e" in facts_csv


# --- whole rows written at once are written as cell by cell ----------------------------------

_PIECES = ["a", "KG", " ", "  ", "\t", "\n", "\r", "\x1b[31m", "\x7f", "\x85", "\xa0", "\u2028",
           "\u202e", "\ud800", "=", "+", "-", "@", "\uff1d", "-58", "-2.6%", "'", '"', ",",
           "→", "é", "1,234", "=SUM(A1)", "\x1f", "\x0b"]  # fmt: skip


_PLAIN = ["a", "KG", " ", "→", "é", "1,234", "-58"]


def _hostile_rows(seed: int, count: int) -> list[dict[str, str]]:
    """Mostly plain cells, so that a row often has one odd cell or none."""
    rng = random.Random(seed)

    def piece() -> str:
        return rng.choice(_PIECES if rng.random() < 0.05 else _PLAIN)

    return [
        {key: "".join(piece() for _ in range(rng.randint(0, 4))) for key in "abc"}
        for _ in range(count)
    ]


def test_rows_written_whole_are_the_cells_made_safe_one_by_one() -> None:
    from migfacts.render import Column, Listing, _one_line, render_csv, render_tsv
    from migfacts.safety import safe_cell

    for seed in range(20):
        rows = _hostile_rows(seed, 300)
        listing = Listing(columns=[Column(k, k) for k in "abc"], rows=rows)
        tsv, csv_text = io.StringIO(), io.StringIO()
        render_tsv(listing, tsv)
        render_csv(listing, csv_text)
        expected_tsv = "a\tb\tc\n" + "".join(
            "\t".join(safe_cell(_one_line(row[k])) for k in "abc") + "\n" for row in rows
        )
        assert tsv.getvalue() == expected_tsv
        expected_csv = io.StringIO()
        writer = csv.writer(expected_csv, lineterminator="\n")
        writer.writerow(["a", "b", "c"])
        for row in rows:
            writer.writerow([safe_cell(row[k]) for k in "abc"])
        assert csv_text.getvalue() == expected_csv.getvalue()


# --- indented JSON, laid out apart from its values -------------------------------------------

_JSON_LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.lists(st.sampled_from([*_PIECES, "\x00", "\\", "\u2029", "key"])).map("".join),
)
_JSON = st.recursive(
    _JSON_LEAVES,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=30,
)


@settings(max_examples=400, deadline=None)
@given(data=_JSON, level=st.integers(min_value=0, max_value=3))
def test_indented_json_is_the_standard_encoders_text(data: Any, level: int) -> None:
    from migfacts.jsontext import dumps

    standard = json.dumps(data, ensure_ascii=False, indent=2).replace("\n", "\n" + "  " * level)
    assert dumps(data, level=level) == standard


def test_plain_rows_with_empty_cells_are_written_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    """Empty cells, negative-free figures, single spaces: nothing to escape, no cell by cell."""
    from migfacts import render, safety

    calls: list[str] = []
    original = safety.safe_cell

    def counted(text: object) -> str:
        calls.append(str(text))
        return original(text)

    monkeypatch.setattr("migfacts.render.safe_cell", counted)
    rows = [{"a": "", "b": "Remittances → TJ", "c": ""}, {"a": "45%", "b": "", "c": "é"}]
    listing = render.Listing(columns=[render.Column(k, k) for k in "abc"], rows=rows)
    for writer in (render.render_tsv, render.render_csv):
        out = io.StringIO()
        writer(listing, out)
        assert out.getvalue().count("\n") == 3
    assert calls == []
    render.render_tsv(render.Listing(columns=listing.columns, rows=[{"a": "=1"}]), io.StringIO())
    assert calls  # a formula is escaped, cell by cell


@settings(max_examples=300, deadline=None)
@given(data=_JSON, deep=st.integers(min_value=1, max_value=4))
def test_json_written_one_line_deep_reads_back_the_same(data: Any, deep: int) -> None:
    from migfacts.jsontext import dumps

    text = dumps(data, level=1, one_line_from=deep)
    assert json.loads(text) == data
    if deep == 1 and isinstance(data, dict | list):  # the whole value on one line
        assert "\n" not in text
