"""The README's generated parts: the command reference and the exit-code table.

Both come from the program itself (`--help` of every command, `errors.EXIT_MEANINGS`), so
the README cannot drift from it. cog runs these functions between the README's markers:

    .venv/bin/cog -r README.md        # regenerate after changing a command or its help
    .venv/bin/cog --check README.md   # what CI and tests/test_readme.py run
"""

from __future__ import annotations

import os
from unittest import mock

WIDTH = 100  # help text is wrapped to this width, whatever the terminal


def commands() -> list[str]:
    import typer

    from migfacts.cli import app

    group = typer.main.get_command(app)
    return list(group.commands)  # type: ignore[attr-defined]


def help_text(*args: str) -> str:
    """What `migfacts ARGS --help` prints, at a fixed width and without colour."""
    from typer.testing import CliRunner

    from migfacts.cli import app

    env = {"COLUMNS": str(WIDTH), "NO_COLOR": "1", "TERM": "dumb"}
    with mock.patch.dict(os.environ, env):
        result = CliRunner().invoke(app, [*args, "--help"], prog_name="migfacts")
    assert result.exit_code == 0, result.output
    return "\n".join(line.rstrip() for line in result.stdout.strip().splitlines())


def command_reference() -> str:
    """Markdown: `migfacts --help`, then each command's `--help`, each in a fenced block."""
    parts = ["```\n$ migfacts --help\n" + help_text() + "\n```\n"]
    for name in commands():
        parts.append(f"### `migfacts {name}`\n\n```\n{help_text(name)}\n```\n")
    return "\n".join(parts)


def exit_code_table() -> str:
    from migfacts.errors import EXIT_MEANINGS

    rows = ["| code | meaning |", "|---|---|"]
    rows += [f"| {int(code)} | {meaning} |" for code, meaning in EXIT_MEANINGS.items()]
    return "\n".join(rows) + "\n"
