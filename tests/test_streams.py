"""Streams at the edge: bytes that are not UTF-8 coming in, and output that cannot go out.

Run as a user runs migfacts, in a subprocess: a closed stdout (`>&-`), a full disk
(`> /dev/full`), a reader that leaves (`| head -1` under `set -o pipefail`), and arguments
or standard input holding bytes that are not UTF-8, under a strict UTF-8 locale and under
C.UTF-8. Every case ends with one line on stderr and a documented exit code, or with a
correct result; never a traceback, never exit 70.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FACTS, REPO, Invoke, write_base
from migfacts.errors import ExitStatus

MIGFACTS = [sys.executable, "-m", "migfacts"]
# C.UTF-8 gives Python's stdio the surrogateescape handler; PYTHONIOENCODING=utf-8:strict is
# what a strict locale such as en_US.UTF-8 gives it, on machines that have that locale.
LOCALES = [
    {"LC_ALL": "C.UTF-8"},
    {"LC_ALL": "C.UTF-8", "PYTHONIOENCODING": "utf-8:strict"},
]


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"NO_COLOR", "TERM", "FORCE_COLOR"}}
    env.update(extra)
    return env


def _shell(command: str, **extra: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["bash", "-c", command], capture_output=True, cwd=REPO, env=_env(**extra))


def _one_clean_line(stderr: bytes) -> str:
    text = stderr.decode("utf-8")
    assert "Traceback" not in text and "Exception ignored" not in text, text
    lines = text.splitlines()
    assert len(lines) == 1, text
    return lines[0]


@pytest.fixture
def big(tmp_path: Path) -> Path:
    """Enough rows that a reader leaving early meets a writer still writing."""
    facts = "\n".join(
        FACTS.split("[[skip]]")[0].replace('id = "', f'id = "n{i}-') for i in range(60)
    )
    return write_base(tmp_path / "big", facts=facts)


PY = f'"{sys.executable}" -m migfacts'


@pytest.mark.parametrize(
    "args",
    ["query -f tsv", "cite tj-remittances-2024", "--help"],
)
def test_a_closed_stdout_is_one_line_and_its_own_exit_code(base: Path, args: str) -> None:
    facts = "" if args == "--help" else f' --facts "{base}"'
    result = _shell(f"{PY} {args}{facts} >&-")
    assert result.returncode == ExitStatus.OUTPUT_ERROR.value == 74
    assert "standard output is closed" in _one_clean_line(result.stderr)


@pytest.mark.parametrize("args", ["query -f table", "series -f json", "--help"])
def test_a_full_disk_is_one_line_and_its_own_exit_code(big: Path, args: str) -> None:
    facts = "" if args == "--help" else f' --facts "{big}"'
    result = _shell(f"{PY} {args}{facts} > /dev/full")
    assert result.returncode == ExitStatus.OUTPUT_ERROR
    assert "No space left on device" in _one_clean_line(result.stderr)


@pytest.mark.parametrize("args", ["series -t labor-migrants -f table", "query -f json", "--help"])
def test_a_reader_that_leaves_ends_quietly_with_success(big: Path, args: str) -> None:
    facts = "" if args == "--help" else f' --facts "{big}"'
    result = _shell(f"set -o pipefail; {PY} {args}{facts} | head -1", COLUMNS="100")
    assert result.returncode == 0, result.stderr
    assert result.stderr == b""
    assert len(result.stdout.splitlines()) == 1


@pytest.mark.parametrize("locale", LOCALES, ids=["C.UTF-8", "strict"])
@pytest.mark.parametrize(
    "args",
    [
        [b"check", b"Remittances \xff to Tajikistan in 2024", b"-f", b"json"],
        [b"query", b"-c", b"Tajik\xc3", b"-f", b"json"],
    ],
)
def test_undecodable_arguments_are_a_usage_error(
    base: Path, locale: dict[str, str], args: list[bytes]
) -> None:
    command = [os.fsencode(part) for part in MIGFACTS] + args + [b"--facts", os.fsencode(base)]
    result = subprocess.run(command, capture_output=True, cwd=REPO, env=_env(**locale))
    assert result.returncode == ExitStatus.USAGE
    assert result.stdout == b""
    assert "not UTF-8 text" in _one_clean_line(result.stderr)


@pytest.mark.parametrize("locale", LOCALES, ids=["C.UTF-8", "strict"])
def test_undecodable_standard_input_is_a_usage_error(base: Path, locale: dict[str, str]) -> None:
    result = subprocess.run(
        [*MIGFACTS, "check", "-f", "json", "--facts", str(base)],
        input=b"Remittances to Tajikistan were $5.8 billion in 2024\nabout \xff people\n",
        capture_output=True,
        cwd=REPO,
        env=_env(**locale),
    )
    assert result.returncode == ExitStatus.USAGE
    assert result.stdout == b""
    assert "standard input: line 2: not UTF-8 text" in _one_clean_line(result.stderr)


@pytest.mark.parametrize("cache", ["off", "on"])
@pytest.mark.parametrize("locale", LOCALES, ids=["C.UTF-8", "strict"])
def test_a_fact_folder_named_in_any_bytes_still_loads(
    tmp_path: Path, locale: dict[str, str], cache: str
) -> None:
    folder = os.fsdecode(os.fsencode(tmp_path) + b"/base-\xff")
    write_base(Path(folder))
    cache_dir = "" if cache == "off" else str(tmp_path / "cache")
    result = subprocess.run(
        [*MIGFACTS, "query", "-c", "TJ", "-f", "json", "--facts", folder],
        capture_output=True,
        cwd=REPO,
        env=_env(**locale, MIGFACTS_CACHE_DIR=cache_dir),
    )
    assert result.returncode == 0, result.stderr
    result.stdout.decode("utf-8")  # valid UTF-8


def test_undecodable_text_is_refused_through_the_runner(invoke: Invoke, base: Path) -> None:
    # What Python's surrogateescape makes of the byte 0xff in an argument.
    result = invoke("check", "about \udcff people", "--facts", str(base))
    assert result.exit_code == ExitStatus.USAGE
    assert "argument 2 is not UTF-8 text: 'about \\\\xff people'" in result.stderr


def test_a_closed_standard_input_is_a_usage_error(base: Path) -> None:
    result = _shell(f'{PY} check --facts "{base}" <&-')
    assert result.returncode == ExitStatus.USAGE
    assert "claims on standard input" in _one_clean_line(result.stderr)


def test_claims_file_that_is_not_utf8_names_its_line(invoke: Invoke, base: Path) -> None:
    claims = base.parent / "claims.txt"
    claims.write_bytes(b"one claim\n\n\xffthird line\n")
    result = invoke("check", "--file", str(claims), "--facts", str(base))
    assert result.exit_code == ExitStatus.USAGE
    assert "claims.txt: line 3: not UTF-8 text" in result.stderr


@pytest.mark.parametrize("encoding", ["latin-1", "ascii", "utf-8:surrogateescape"])
def test_output_is_utf8_whatever_the_locale(base: Path, encoding: str) -> None:
    result = subprocess.run(
        [*MIGFACTS, "places", "-f", "json", "--facts", str(base)],
        capture_output=True,
        cwd=REPO,
        env=_env(PYTHONIOENCODING=encoding),
    )
    assert result.returncode == 0, result.stderr
    assert "Türkiye" in result.stdout.decode("utf-8")
