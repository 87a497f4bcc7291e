"""The README's command reference and exit-code table are generated, and current.

They are generated from the program by cog (`scripts/readme_reference.py`); this test is
the check CI runs, so the README cannot drift from `--help`. To refresh them:
`.venv/bin/cog -r -I scripts README.md`.
"""

from __future__ import annotations

import contextlib
import io
import sys
from types import ModuleType

from conftest import REPO
from migfacts.errors import EXIT_MEANINGS

README = REPO / "README.md"
SCRIPTS = REPO / "scripts"


def _readme_reference() -> ModuleType:
    sys.path.insert(0, str(SCRIPTS))
    try:
        import readme_reference

        return readme_reference
    finally:
        sys.path.remove(str(SCRIPTS))


def test_the_generated_parts_of_the_readme_are_current() -> None:
    from cogapp import Cog  # type: ignore[import-untyped]  # cogapp ships no type hints

    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        status = Cog().main(["cog", "--check", "-I", str(SCRIPTS), str(README)])
    assert status == 0, (
        "README.md is stale: run `.venv/bin/cog -r -I scripts README.md`\n" + out.getvalue()
    )


def test_every_command_is_documented() -> None:
    text = README.read_text(encoding="utf-8")
    commands = _readme_reference().commands()
    assert len(commands) >= 13
    for command in commands:
        assert f"### `migfacts {command}`" in text, f"{command} is not in the README"


def test_every_exit_code_is_in_the_readme() -> None:
    text = README.read_text(encoding="utf-8")
    for code, meaning in EXIT_MEANINGS.items():
        assert f"| {int(code)} | {meaning} |" in text


def test_a_stale_reference_fails_the_check(tmp_path: object) -> None:
    from pathlib import Path

    from cogapp import Cog

    assert isinstance(tmp_path, Path)
    stale = tmp_path / "README.md"
    text = README.read_text(encoding="utf-8")
    stale.write_text(text.replace("| 130 | interrupted", "| 131 | interrupted"), encoding="utf-8")
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        status = Cog().main(["cog", "--check", "-I", str(SCRIPTS), str(stale)])
    assert status != 0
