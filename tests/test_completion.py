"""Shell completion: on, and completing fact ids, places, topics and sources from the base."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from migfacts.cli import app


def complete(words: str, env: dict[str, str] | None = None) -> list[str]:
    """What bash completion offers for the last of `words`."""
    parts = words.split(" ")
    result = CliRunner().invoke(
        app,
        [],
        prog_name="migfacts",
        env={
            "_MIGFACTS_COMPLETE": "complete_bash",
            "COMP_WORDS": words,
            "COMP_CWORD": str(len(parts) - 1),
            **(env or {}),
        },
    )
    assert result.exit_code == 0
    return result.stdout.split()


def test_fact_ids_complete_for_show_and_cite() -> None:
    for command in ("show", "cite"):
        offered = complete(f"migfacts {command} tj-remittances-2024")
        assert offered == ["tj-remittances-2024-ng"]


def test_places_topics_and_sources_complete() -> None:
    assert complete("migfacts query -c Kyr") == ["Kyrgyzstan"]
    assert "KG" in complete("migfacts query --to K")
    assert complete("migfacts series -t remit") == ["remittances"]
    assert complete("migfacts conflicts --source dip") == ["diplomat-2025"]


def test_completion_reads_the_base_given_with_facts(base: Path) -> None:
    assert complete(f"migfacts show --facts {base} kg-") == ["kg-workers-in-kz-2021"]


def test_completion_of_a_broken_base_offers_nothing_and_no_traceback(tmp_path: Path) -> None:
    (tmp_path / "facts.toml").write_text("[[fact]\n", encoding="utf-8")
    assert complete(f"migfacts show --facts {tmp_path} kg-") == []


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_scripts_are_offered(shell: str) -> None:
    result = CliRunner().invoke(app, ["--show-completion", shell], prog_name="migfacts")
    assert result.exit_code == 0
    assert "_MIGFACTS_COMPLETE" in result.stdout
