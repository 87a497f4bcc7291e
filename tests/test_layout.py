"""Tables at 60, 80, 120 and 200 columns: nothing cut, no word or id broken, snapshots kept.

The snapshots in tests/snapshots/ are the plain-text layout of the test base at each width.
After a deliberate change of layout, look at the new output, then rewrite them with
`MIGFACTS_UPDATE_SNAPSHOTS=1 python -m pytest tests/test_layout.py`.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from conftest import Invoke
from migfacts.layout import Need, fit, measure

WIDTHS = (60, 80, 120, 200)
SNAPSHOTS = Path(__file__).parent / "snapshots"
BOX = re.compile("[─━│┃┌┐└┘├┤┬┴┼╭╮╯╰]")


def table(invoke: Invoke, width: int, *args: str, env: dict[str, str] | None = None) -> str:
    result = invoke(*args, "--format", "table", env={"COLUMNS": str(width), **(env or {})})
    assert result.exit_code == 0, result.stderr
    return result.stdout


COMMANDS = {
    "query": ("query",),
    "query-quotes": ("query", "--quotes"),
    "series": ("series", "-t", "labor-migrants"),
    "places": ("places",),
    "sources": ("sources",),
    "topics": ("topics",),
    "show": ("show", "kg-workers-in-kz-2021"),
}


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", list(COMMANDS))
def test_snapshot(invoke: Invoke, base: Path, name: str, width: int) -> None:
    text = table(invoke, width, *COMMANDS[name], "--facts", str(base), "--no-color")
    snapshot = SNAPSHOTS / f"{name}-{width}.txt"
    if os.environ.get("MIGFACTS_UPDATE_SNAPSHOTS"):
        snapshot.write_text(text, encoding="utf-8")
    assert text == snapshot.read_text(encoding="utf-8")


def _bundled_texts(invoke: Invoke, *args: str) -> tuple[list[str], list[str]]:
    """The ids and the words of every cell a command's table shows, from its csv."""
    data = invoke(*args, "--format", "json").json()
    assert isinstance(data, list)
    facts: list[Any] = []
    for item in data:
        facts.extend(item.get("facts") or [p["fact"] for p in item.get("points", [])] or [item])
    ids = [fact["id"] for fact in facts]
    keys = ("figure", "statement") if args[0] == "query" else ("figure",)
    words = [w for fact in facts for key in keys for w in fact[key].split()]
    return ids, words


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(
    "args", [("query",), ("query", "-c", "KG"), ("conflicts",), ("series", "-t", "remittances")]
)
def test_no_line_too_wide_and_no_id_or_word_broken(
    invoke: Invoke, width: int, args: tuple[str, ...]
) -> None:
    text = table(invoke, width, *args, "--no-color")
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= width
    ids, words = _bundled_texts(invoke, *args)
    tokens = {token for line in lines for token in line.split()}
    for fact_id in ids:
        assert fact_id in tokens, f"{fact_id} is not whole at {width} columns"
    for word in words:
        assert word in tokens, f"{word!r} is broken at {width} columns"


@pytest.mark.parametrize("width", WIDTHS)
def test_wide_tables_add_attribution_and_status(invoke: Invoke, width: int) -> None:
    text = table(invoke, width, "query", "-c", "KG", "--no-color")
    header = text.splitlines()[0]
    assert ("Attribution" in header) == (width >= 200)
    if width >= 200:
        assert "Status" in header and re.search(r"\b(estimated|forecast)\b", text)


def test_status_and_attribution_are_in_csv(invoke: Invoke) -> None:
    import csv
    import io

    result = invoke("query", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {"status", "attribution"} <= set(rows[0])
    assert {"estimated", "forecast"} <= {row["status"] for row in rows}
    assert "IOM, citing World Bank data" in {row["attribution"] for row in rows}


def test_term_dumb_draws_no_box_lines(invoke: Invoke) -> None:
    for args in (("query", "-c", "KG"), ("series", "-t", "economy", "-c", "KZ"), ("places",)):
        dumb = table(invoke, 200, *args, env={"TERM": "dumb"})
        assert not BOX.search(dumb), args
        assert BOX.search(table(invoke, 200, *args, "--no-color"))


def test_no_color_marks_the_figure_in_the_quote(invoke: Invoke) -> None:
    marked = table(invoke, 120, "show", "tj-remittances-2024-ng", env={"NO_COLOR": "1"})
    assert "⟦$5.8 billion⟧" in marked
    assert "\x1b[" not in marked
    coloured = table(invoke, 120, "show", "tj-remittances-2024-ng", env={"FORCE_COLOR": "1"})
    assert "⟦" not in coloured and "\x1b[" in coloured


def test_where_writes_every_place_code_one_way(invoke: Invoke) -> None:
    facts = invoke("query", "--format", "json").json()
    assert isinstance(facts, list)
    for fact in facts:
        codes = fact["where"].replace(" nationals", "")
        assert codes == codes.upper(), fact["id"]
    assert any("EU" in fact["where"] for fact in facts)
    assert json.dumps(facts)  # and JSON keeps the base's codes in `origin` and the rest


def test_fit_drops_low_priority_columns_first_and_stacks_below_that() -> None:
    needs = [Need(10, 10), Need(5, 20, priority=2), Need(8, 30, priority=3)]
    assert fit(needs, 100) == [10, 20, 30]
    narrow = fit(needs, 25, gap=2)
    assert narrow is not None and narrow[0] == 10 and narrow[2] is None
    assert fit(needs, 9) is None


def test_measure_never_goes_below_the_longest_word() -> None:
    need = measure("What", ["a remarkably long-winded statement"], readable=4)
    assert need.least == len("long-winded") and need.most == len(
        "a remarkably long-winded statement"
    )
    assert measure("ID", ["some-long-id"], wrap=False).least == len("some-long-id")


def test_a_table_piped_marks_the_figure_too(invoke: Invoke) -> None:
    # Not a terminal, no NO_COLOR: Rich writes no colour, so the marks must be there.
    shown = table(invoke, 120, "show", "tj-remittances-2024-ng")
    assert "⟦$5.8 billion⟧" in shown and "\x1b[" not in shown


@pytest.mark.parametrize("name", list(COMMANDS))
def test_no_line_ends_in_blanks(invoke: Invoke, base: Path, name: str) -> None:
    text = table(invoke, 120, *COMMANDS[name], "--facts", str(base), "--no-color")
    assert not [line for line in text.splitlines() if line.endswith(" ")]
