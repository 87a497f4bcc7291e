"""Fuzzing: migfacts run as an attacker or a careless user would, through the CLI.

Generated claims (`check`), search text, option values and mutated copies of the bundled
fact base go through typer's CliRunner (and a few through a real process). Whatever the
input, every run must keep migfacts' promises (`assert_sane`):

- an exit code from the documented set, never 70 (a bug) and never a traceback;
- output that is valid UTF-8, JSON that parses;
- no raw control, bidi or surrogate character in any output, whatever the data held;
- an answer within a time bound per input.

CI runs a bounded, derandomized number of examples (the whole file takes seconds; fewer
claims than other inputs, as one `check` run takes about half a second). For a
release, run many more, randomly (see the README, "Fuzzing"):

    MIGFACTS_FUZZ=release .venv/bin/python -m pytest tests/test_fuzz.py

MIGFACTS_FUZZ_EXAMPLES=N sets every test's number of examples; MIGFACTS_FUZZ_TIME_LIMIT the
seconds one input may take (default 10: a bound against hangs, with room for a
loaded CI machine).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, assume, event, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import REPO
from migfacts.cli import app
from migfacts.errors import ExitStatus, UsageError

BUNDLED = REPO / "facts"
RELEASE = os.environ.get("MIGFACTS_FUZZ") == "release"
FIXED_EXAMPLES = int(os.environ.get("MIGFACTS_FUZZ_EXAMPLES", "0"))
TIME_LIMIT = float(os.environ.get("MIGFACTS_FUZZ_TIME_LIMIT", "10"))

DOCUMENTED = {int(code) for code in ExitStatus}
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def fuzz(ci: int, release: int) -> Callable[[Any], Any]:
    """Settings: `ci` derandomized examples in CI, `release` random ones for a release."""
    examples = FIXED_EXAMPLES or (release if RELEASE else ci)
    return settings(
        max_examples=examples,
        derandomize=not RELEASE,  # CI: the same examples on every run
        database=None,
        deadline=None,  # the time bound is asserted per input, with a margin for slow machines
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.function_scoped_fixture,
            HealthCheck.filter_too_much,
            HealthCheck.data_too_large,
        ],
        print_blob=True,
    )


# --- the invariants ---------------------------------------------------------------------


class Run:
    def __init__(self, code: int, stdout: str, stderr: str) -> None:
        self.code, self.stdout, self.stderr = code, stdout, stderr


def assert_sane(code: int, out: bytes, err: bytes, fmt: str | None, elapsed: float) -> Run:
    assert elapsed < TIME_LIMIT, f"took {elapsed:.1f} s"
    stdout = out.decode("utf-8")  # strict: output is always valid UTF-8
    stderr = err.decode("utf-8")
    assert code in DOCUMENTED, (code, stderr[-2000:])
    assert code != 70
    for text in (stdout, stderr):
        assert "Traceback" not in text, text[-3000:]
        found = UNSAFE.search(text)
        assert found is None, f"raw {found.group()!r} in output: {text[:2000]!r}"
    if fmt == "json" and stdout:
        json.loads(stdout)
    if fmt == "jsonl":
        for line in stdout.splitlines():
            json.loads(line)
    return Run(code, stdout, stderr)


def run_cli(
    args: list[str], *, input: bytes | None = None, env: dict[str, str] | None = None
) -> Run:
    """Run migfacts through CliRunner and check every promise on what it did."""
    fmt = next((args[i + 1] for i, a in enumerate(args[:-1]) if a in ("-f", "--format")), None)
    if ("cite" in args and "csl-json" in args) or fmt == "claimreview":
        fmt = "json"
    start = time.monotonic()
    result = CliRunner().invoke(app, args, input=input, env=env, catch_exceptions=True)
    elapsed = time.monotonic() - start
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # a crash, with its traceback in the test report
    event(f"exit {result.exit_code}")  # the spread of outcomes, in --hypothesis-show-statistics
    return assert_sane(result.exit_code, result.stdout_bytes, result.stderr_bytes, fmt, elapsed)


# --- what goes in -----------------------------------------------------------------------

FORMATS = ["table", "json", "jsonl", "csv", "tsv", "markdown"]
WORDS = [
    "remittances", "money", "transfers", "to", "from", "in", "of", "the", "were", "rose",
    "fell", "by", "Tajikistan", "Tajik", "Kyrgyzstan", "Kyrgyz", "KG", "Russia", "RU",
    "Uzbekistan", "Uzbek", "Kazakhstan", "Kazakstan", "Central Asia", "EAEU", "migrants",
    "workers", "deported", "GDP", "growth", "percent", "%", "$", "billion", "bn", "million",
    "thousand", "rubles", "nearly", "almost", "over", "about", "more than", "at least",
    "up to", "fewer than", "just under", "a third", "half", "one in", "tenfold", "doubled",
    "times", "years", "2014", "2015", "2021", "2024", "1999", "2014-2015", "2014..2016",
    "between", "and", "–", "-", "/", ".", ",", "?", "What", "How", "many",
]  # fmt: skip
HOSTILE = [
    "\x1b[31m", "\x1b]52;c;ZXZpbA==\x07", "\x1b[2J", "\u202e", "\u2066", "\x9b", "\x85",
    "\x7f", "\x00", "\r", "\t", "\n", "[bold]", "[/x]", ":thumbs_up:", "=cmd|' /C calc'!A0",
    "+1", "@SUM(1)", '"', "'", "\\", "\ufeff", "\udcff", "\u00a0", "Türkiye", "ب", "\U0001f600",
]  # fmt: skip
NUMBERS = st.one_of(
    st.integers(-(10**15), 10**15).map(str),
    st.from_regex(r"\A\d{1,3}(,\d{3}){0,4}(\.\d{1,3})?\Z"),
    st.floats(allow_nan=False, allow_infinity=False).map(str),
    st.from_regex(r"\A\$ ?\d{1,4}(\.\d)? ?(billion|million|bn|m)\Z"),
    st.from_regex(r"\A\d{1,3}(\.\d)?%\Z"),
)
PIECES = st.one_of(st.sampled_from(WORDS), NUMBERS, st.sampled_from(HOSTILE), st.text(max_size=12))
TEXT = st.lists(PIECES, min_size=1, max_size=25).map(" ".join)


def _surrogate_free(text: str) -> bool:
    return not re.search("[\ud800-\udfff]", text)


@fuzz(ci=12, release=10_000)
@given(claim=TEXT, fmt=st.sampled_from(FORMATS))
def test_claims(claim: str, fmt: str) -> None:
    run_cli(["check", "-f", fmt, "--", claim])  # "--": a claim may start with "-"


@fuzz(ci=4, release=2_000)
@given(claims=st.lists(TEXT, min_size=1, max_size=5), fmt=st.sampled_from(FORMATS))
def test_claims_on_standard_input(claims: list[str], fmt: str) -> None:
    text = "\n".join(claims)
    assume(_surrogate_free(text))
    run_cli(["check", "-f", fmt], input=text.encode("utf-8"))


@fuzz(ci=4, release=500)
@given(
    claim=st.one_of(
        st.from_regex(r"\A(1|one|3|three) in (0|zero)( people| migrants)?\Z"),
        st.integers(4_000, 6_000).map(lambda digits: f"over {'9' * digits} migrants"),
    )
)
def test_claims_the_claim_reader_once_broke_on(claim: str) -> None:
    # "1 in 0" divided by zero; a 5,000-digit run hit Python's int-conversion limit.
    run_cli(["check", "-f", "json", "--", claim])
    run_cli(["search", "-f", "json", "--", claim])


@fuzz(ci=30, release=10_000)
@given(text=TEXT, fmt=st.sampled_from(FORMATS), limit=st.integers(1, 200))
def test_search(text: str, fmt: str, limit: int) -> None:
    run_cli(["search", "--limit", str(limit), "-f", fmt, "--", *text.split(" ")[:40]])


OPTION_VALUE = st.one_of(st.sampled_from(WORDS), st.sampled_from(HOSTILE), st.text(max_size=20))
KNOWN = st.sampled_from([
    "KG", "Tajik", "Russia", "Uzbekistan", "Central Asia", "EAEU", "Kazakstan", "remittances",
    "money transfers", "labor-migrants", "economy", "ng-2025", "Eurasianet", "The Diplomat",
])  # fmt: skip
# Known names more often than not, so filters reach the renderers and not only the errors.
FILTER_VALUE = st.one_of(KNOWN, KNOWN, OPTION_VALUE)
FILTERS = st.lists(
    st.tuples(st.sampled_from(["-c", "--from", "--to", "-t", "-s"]), FILTER_VALUE), max_size=4
)
SOME_FORMAT = st.one_of(*[st.sampled_from(FORMATS)] * 3, OPTION_VALUE)


@fuzz(ci=40, release=5_000)
@given(
    command=st.sampled_from(["query", "conflicts", "series"]),
    filters=FILTERS,
    words=st.lists(OPTION_VALUE, max_size=2),
    fmt=SOME_FORMAT,
)
def test_option_values(
    command: str, filters: list[tuple[str, str]], words: list[str], fmt: str
) -> None:
    args = [command, *[part for pair in filters for part in pair], "-f", fmt]
    run_cli([*args, "--", *words])


YEAR = st.one_of(
    st.integers(-20_000, 20_000).map(str),
    st.from_regex(r"\A-?\d{1,5}\.\.-?\d{0,5}\Z"),
    st.from_regex(r"\A\d{4}[-/–]\d{2,4}\Z"),
    st.text(max_size=12),
)


@fuzz(ci=25, release=5_000)
@example(command="query", years=["0000"])
@given(command=st.sampled_from(["query", "conflicts", "series"]), years=st.lists(YEAR, max_size=3))
def test_year_values(command: str, years: list[str]) -> None:
    run_cli([command, *[f"--year={year}" for year in years], "-f", "json"])


@fuzz(ci=20, release=3_000)
@given(
    fact_id=st.one_of(st.sampled_from(["tj-remittances-2024-ng", "x"]), OPTION_VALUE),
    style=st.one_of(
        st.sampled_from(["plain", "markdown", "apa", "chicago", "bibtex", "csl-json"]),
        OPTION_VALUE,
    ),
    command=st.sampled_from(["cite", "show"]),
    fmt=st.sampled_from(FORMATS),
)
def test_ids_and_styles(fact_id: str, style: str, command: str, fmt: str) -> None:
    extra = ["--style", style] if command == "cite" else ["-f", fmt]
    run_cli([command, *extra, "--", fact_id])


# --- mutated fact bases -----------------------------------------------------------------

FILES = sorted(path.name for path in BUNDLED.glob("*.toml"))
TEXT_KEYS = ("statement", "attribution", "notes", "title", "outlet", "note", "description")
# The files in which each text field occurs, so a text mutation always finds one to replace.
_FILES_WITH = {
    key: {name for name in FILES if f"\n{key} = " in (BUNDLED / name).read_text(encoding="utf-8")}
    for key in TEXT_KEYS
}
HOSTILE_TOML_STRINGS = [
    '"\\u001b]52;c;ZXZpbA==\\u0007 clipboard"',
    '"\\u001b[31mred\\u001b[0m \\u009b31m \\u007f"',
    '"\\u202eevil\\u202c \\u2066iso\\u2069"',
    '"=HYPERLINK(\\"http://x.example\\",\\"click\\")"',
    '"+1+1"', '"-2+3"', '"@SUM(A1)"', '"\\tTab first"', '"\\rCR first"', '"-58"',
    '"[bold]x[/bold] :thumbs_up:"', '"\\u0000nul"', '"\\ufeffbom"', '"' + "x" * 5000 + '"',
]  # fmt: skip
HOSTILE_TOML_VALUES = [
    "1" + "0" * 400, "9" * 5000, "inf", "-inf", "nan", "1e400", "-0", "0", "1.5", "-1",
    "99999999", "20251399", "true", '""', "[]", "{}", "[1, 2]", '["x", 1]', "1979-05-27",
    '"0000"', '"10000"', '"-5..3"', '"2014/2013"', '"2024-13"', '"2024-02-30"',
    "[" * 400 + "]" * 400, "[" * 50 + "]" * 50, '"not a number"', '"a third"', '"1 in 0"',
]  # fmt: skip


@st.composite
def mutations(draw: st.DrawFn) -> tuple[str, Any]:
    kind = draw(
        # Hostile text keeps the base valid, so it reaches every renderer: drawn most often.
        st.sampled_from(["text", "text", "text", "value", "bytes", "lines", "file"]),
    )
    name = draw(st.sampled_from(FILES))
    if kind == "text":
        key = draw(st.sampled_from(TEXT_KEYS))
        name = draw(st.sampled_from([f for f in FILES if f in _FILES_WITH[key]] or FILES))
        return kind, (name, key, draw(st.integers(0, 200)),
                      draw(st.sampled_from(HOSTILE_TOML_STRINGS)))  # fmt: skip
    if kind == "value":
        value = draw(
            st.one_of(st.sampled_from(HOSTILE_TOML_VALUES), st.sampled_from(HOSTILE_TOML_STRINGS))
        )
        return kind, (name, draw(st.integers(0, 2000)), value)
    if kind == "bytes":
        edits = draw(
            st.lists(
                st.tuples(
                    st.sampled_from(["flip", "insert", "delete"]),
                    st.integers(0, 10**6),
                    st.binary(min_size=1, max_size=8),
                ),
                min_size=1,
                max_size=4,
            )
        )
        return kind, (name, edits)
    if kind == "lines":
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "truncate", "move"]))
        return kind, (name, op, draw(st.integers(0, 2000)), draw(st.integers(0, 2000)))
    return kind, (name, draw(
        st.sampled_from(["bom", "dangling", "loop", "fifo", "folder", "empty", "only-header",
                         "as-folder", "crlf", "latin1"])
    ))  # fmt: skip


def mutate(folder: Path, mutation: tuple[str, Any]) -> None:
    kind, detail = mutation
    path = folder / detail[0]
    raw = path.read_bytes()
    lines = raw.decode("utf-8").splitlines(keepends=True)
    if kind == "text":
        _, key, index, value = detail
        found = [i for i, line in enumerate(lines) if line.startswith(f"{key} = ")]
        assume(found)
        lines[found[index % len(found)]] = f"{key} = {value}\n"
        path.write_text("".join(lines), encoding="utf-8")
    elif kind == "value":
        _, index, value = detail
        found = [i for i, line in enumerate(lines) if re.match(r"[a-z_]+ = ", line)]
        assume(found)
        number = found[index % len(found)]
        lines[number] = lines[number].split(" = ", 1)[0] + f" = {value}\n"
        path.write_text("".join(lines), encoding="utf-8")
    elif kind == "bytes":
        data = bytearray(raw)
        for op, at, chunk in detail[1]:
            at %= len(data) + 1
            if op == "flip" and data:
                data[at % len(data)] ^= chunk[0] or 0xFF
            elif op == "insert":
                data[at:at] = chunk
            else:
                del data[at : at + len(chunk)]
        path.write_bytes(bytes(data))
    elif kind == "lines":
        _, op, first, second = detail
        i, j = first % len(lines), second % len(lines)
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap":
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "truncate":
            lines = lines[:i]
        else:
            lines.insert(j, lines.pop(i))
        path.write_text("".join(lines), encoding="utf-8")
    else:
        _mutate_file(folder, path, raw, detail[1])


def _mutate_file(folder: Path, path: Path, raw: bytes, what: str) -> None:
    if what == "bom":
        path.write_bytes(b"\xef\xbb\xbf" + raw)
    elif what == "dangling":
        (folder / "gone.toml").symlink_to(folder / "nowhere.toml")
    elif what == "loop":
        (folder / "a.toml").symlink_to("b.toml")
        (folder / "b.toml").symlink_to("a.toml")
    elif what == "fifo":
        os.mkfifo(folder / "pipe.toml")
    elif what == "folder":
        (folder / "extra.toml").mkdir()
    elif what == "empty":
        path.write_bytes(b"")
    elif what == "only-header":
        path.write_bytes(b"[[fact]]\n")
    elif what == "as-folder":
        path.unlink()
        path.mkdir()
        (path / "inside.toml").write_bytes(raw)
    elif what == "crlf":
        path.write_bytes(raw.replace(b"\n", b"\r\n"))
    else:
        path.write_bytes(raw.decode("utf-8").encode("latin-1", "replace"))


BASE_COMMANDS = [
    ["validate"],
    ["query", "-f", "json"],
    ["query", "-f", "csv", "--quotes"],
    ["query", "-f", "tsv", "-c", "TJ"],
    ["query", "-f", "table", "--quotes"],
    ["query", "-f", "markdown"],
    ["query", "-f", "jsonl", "-t", "remittances"],
    ["show", "tj-remittances-2024-ng", "-f", "table"],
    ["show", "kg-remittances-2024-ng", "-f", "json"],
    ["cite", "tj-remittances-2024-ng", "--style", "plain"],
    ["cite", "uz-remittances-2024-ng", "--style", "bibtex"],
    ["cite", "kg-remittances-2024-ng", "--style", "csl-json"],
    ["sources", "-f", "csv"],
    ["places", "-f", "table"],
    ["topics", "-f", "tsv"],
    ["series", "-f", "table"],
    ["series", "-f", "json"],
    ["conflicts", "-f", "table"],
    ["search", "remittances", "Tajikistan", "2024", "-f", "json"],
    ["check", "Remittances to Tajikistan were $5.8 billion in 2024", "-f", "table"],
    ["check", "Remittances to Kyrgyzstan were $2.9 billion in 2024", "-f", "claimreview"],
    ["export", "datapackage", "{out}"],
    ["export", "sqlite", "{out}.db"],
]


@fuzz(ci=30, release=2_000)
@given(mutation=mutations(), command=st.sampled_from(BASE_COMMANDS))
def test_mutated_bases(mutation: tuple[str, Any], command: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "facts"
        shutil.copytree(BUNDLED, folder)
        mutate(folder, mutation)
        out = Path(tmp) / "out"
        args = [part.replace("{out}", str(out)) for part in command]
        # No cache: each mutated base is validated, as a first run would.
        run = run_cli([*args, "--facts", str(folder)], env={"MIGFACTS_CACHE_DIR": ""})
        event(f"mutation {mutation[0]}")
        if command == ["export", "datapackage", "{out}"] and run.code == 0:
            for written in out.iterdir():  # the CSV files and datapackage.json
                text = written.read_bytes().decode("utf-8")
                assert not UNSAFE.search(text.replace("\r\n", "\n")), written.name
        if run.code == ExitStatus.INVALID_BASE:
            problems = run.stderr.splitlines()[:-1]
            assert problems, run.stderr
            # Every problem names a file of the base.
            assert all(line.startswith(str(folder)) for line in problems), problems


# --- a few runs as real processes -------------------------------------------------------

ARG_BYTES = st.binary(min_size=1, max_size=30).filter(lambda b: b"\x00" not in b)


@fuzz(ci=5, release=300)
@given(
    command=st.sampled_from([["check"], ["search"], ["query", "-c"], ["query"]]),
    arg=ARG_BYTES,
    stdin=st.binary(max_size=200),
    fmt=st.sampled_from(["json", "tsv", "table"]),
)
def test_processes_with_raw_bytes(command: list[str], arg: bytes, stdin: bytes, fmt: str) -> None:
    argv = [os.fsencode(sys.executable), b"-m", b"migfacts"]
    argv += [c.encode() for c in command] + [arg, b"-f", fmt.encode()]
    env = {**os.environ, "LC_ALL": "C.UTF-8", "PYTHONIOENCODING": "utf-8:strict"}
    env.pop("NO_COLOR", None)
    start = time.monotonic()
    result = subprocess.run(argv, input=stdin, capture_output=True, cwd=REPO, env=env)
    elapsed = time.monotonic() - start
    event(f"exit {result.returncode}")
    assert_sane(result.returncode, result.stdout, result.stderr, fmt, elapsed)


# --- output made on two cores -----------------------------------------------------------


def _doubled_unless(refused: int | None) -> Callable[[int], int]:
    def work(number: int) -> int:
        if number == refused:
            raise UsageError(f"no {number}")
        return number * 2

    return work


@fuzz(ci=15, release=300)
@given(
    items=st.lists(st.integers(-6, 6), max_size=30),
    refused=st.one_of(st.none(), st.integers(-6, 6)),
    ahead=st.integers(1, 6),
    local_every=st.integers(2, 4),
)
def test_two_cores_give_what_one_does(
    items: list[int], refused: int | None, ahead: int, local_every: int
) -> None:
    """Results in order and complete, or the same error at the same item, whatever the
    worker's lead and share."""
    from unittest.mock import patch

    from migfacts import parallel

    work = _doubled_unless(refused)
    expected = []
    error = None
    for number in items:
        try:
            expected.append(work(number))
        except UsageError as refusal:
            error = str(refusal)
            break
    made: list[int] = []
    with (
        patch.object(parallel, "cores", lambda: 2),
        patch.object(parallel, "AHEAD", ahead),
        patch.object(parallel, "LOCAL_EVERY", local_every),
    ):
        try:
            for result in parallel.in_order(work, items):
                made.append(result)
        except UsageError as refusal:
            assert str(refusal) == error
        else:
            assert error is None
    assert made == expected
