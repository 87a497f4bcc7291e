"""Options that apply to every command are accepted before the command too."""

from __future__ import annotations

from pathlib import Path

from conftest import Invoke


def test_facts_and_format_before_the_command(invoke: Invoke, base: Path) -> None:
    result = invoke("--facts", str(base), "-f", "json", "query", "-c", "KG")
    assert result.exit_code == 0, result.stderr
    assert [fact["id"] for fact in result.json_list()] == ["kg-workers-in-kz-2021"]


def test_the_option_after_the_command_wins(invoke: Invoke, base: Path) -> None:
    result = invoke("-f", "json", "query", "--facts", str(base), "-c", "KG", "-f", "tsv")
    assert result.stdout.startswith("id\tfigure\t")


def test_no_color_before_the_command(invoke: Invoke, base: Path) -> None:
    args = ("show", "kg-workers-in-kz-2021", "--facts", str(base), "-f", "table")
    coloured = invoke(*args, env={"FORCE_COLOR": "1"})
    plain = invoke("--no-color", *args, env={"FORCE_COLOR": "1"})
    assert "\x1b[" in coloured.stdout and "\x1b[" not in plain.stdout
    assert "⟦35,000⟧" in plain.stdout


def test_global_options_reach_show_series_validate_and_cite(invoke: Invoke, base: Path) -> None:
    assert invoke("--facts", str(base), "validate").exit_code == 0
    assert invoke("--facts", str(base), "cite", "kg-workers-in-kz-2021").exit_code == 0
    shown = invoke("--facts", str(base), "-f", "json", "show", "kg-workers-in-kz-2021")
    assert shown.json_object()["id"] == "kg-workers-in-kz-2021"
    series = invoke("--facts", str(base), "-f", "csv", "series", "-t", "labor-migrants")
    assert series.stdout.startswith("series,measure,")


def test_environment_then_option_before_then_option_after(
    invoke: Invoke, base: Path, tmp_path: Path
) -> None:
    from conftest import FACTS, write_base

    other = write_base(
        tmp_path / "other",
        facts=FACTS.split("[[fact]]", 2)[0] + "[[fact]]" + FACTS.split("[[fact]]", 2)[1],
    )
    env = {"MIGFACTS_FACTS": str(other)}

    def count(*args: str) -> int:
        result = invoke(*args, env=env)
        assert result.exit_code == 0, result.stderr
        return len(result.json_list())

    assert count("-f", "json", "query") == 1  # the environment
    assert count("--facts", str(base), "-f", "json", "query") == 5  # the option wins
    assert count("-f", "json", "query", "--facts", str(base)) == 5
