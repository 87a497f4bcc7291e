"""Hostile data, colour settings and pipes: text from the base is data, never instructions."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FACTS, REPO, Invoke, write_base

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
