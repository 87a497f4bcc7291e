"""The console script builds only the command it runs, and behaves as the whole app does."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from conftest import Invoke
from migfacts import cli


def _main(
    args: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[object, str, str]:
    monkeypatch.setattr(sys, "argv", ["migfacts", *args])
    with pytest.raises(SystemExit) as done:
        cli.main()
    captured = capsys.readouterr()
    return done.value.code, captured.out, captured.err


@pytest.mark.parametrize(
    "args",
    [
        ["query", "-c", "KG", "-f", "json"],
        ["-f", "json", "query", "-c", "KG"],
        ["-fjson", "--no-color", "query", "-c", "KG"],
        ["--format=tsv", "query", "-c", "KG"],
        ["query", "-c", "Nowhere", "-f", "json"],
        ["query", "--no-such-option"],
        ["show", "kg-workers-in-kz-2021", "-f", "json"],
    ],
)
def test_the_script_answers_as_the_whole_app(
    args: list[str],
    base: Path,
    invoke: Invoke,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("MIGFACTS_FACTS", str(base))
    code, out, err = _main(args, monkeypatch, capsys)
    whole = invoke(*args, env={"MIGFACTS_FACTS": str(base)})
    assert (code, out) == (whole.exit_code, whole.stdout)
    # The same message (the program's name in a usage line depends on how pytest runs).
    assert err.splitlines()[-1:] == whole.stderr.splitlines()[-1:]


def test_only_the_command_run_is_built(monkeypatch: pytest.MonkeyPatch) -> None:
    commands = cli.app.registered_commands
    chosen = cli._invoked(commands, ["--facts", "query", "-f", "json", "show", "x"])
    assert [command.callback.__name__ for command in chosen] == ["show"]
    assert cli._invoked(commands, ["add-source", "--help"])[0].name == "add-source"
    # Help, an unknown command, a missing value, completion: every command, as before.
    for args in (["--help"], ["qurey"], ["-f"], ["--version"], []):
        assert cli._invoked(commands, args) is commands
    monkeypatch.setenv("_MIGFACTS_COMPLETE", "bash_complete")
    assert cli._invoked(commands, ["query"]) is commands


def test_every_command_is_back_after_a_run(
    base: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    before = list(cli.app.registered_commands)
    code, out, _err = _main(["query", "--facts", str(base), "-f", "json"], monkeypatch, capsys)
    assert code == 0 and out.startswith("[")
    assert cli.app.registered_commands == before
    code, out, _err = _main(["--help"], monkeypatch, capsys)
    assert code == 0
    assert all(name in out for name in ("query", "show", "conflicts", "add-source"))
