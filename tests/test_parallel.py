"""Output made on two cores: the same bytes as one core, in order, errors and all."""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import Invoke
from migfacts import conflicts, listings, parallel, present
from migfacts.errors import UsageError


@pytest.fixture
def two_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "cores", lambda: 2)


def _square_with_pid(number: int) -> tuple[int, int]:
    return number * number, os.getpid()


def test_results_come_in_order_and_a_worker_makes_some(two_cores: None) -> None:
    results = list(parallel.in_order(_square_with_pid, range(40)))
    assert [square for square, _pid in results] == [n * n for n in range(40)]
    assert {pid for _square, pid in results} - {os.getpid()}  # some made by the worker


def test_one_core_makes_everything_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "cores", lambda: 1)
    results = list(parallel.in_order(_square_with_pid, range(10)))
    assert {pid for _square, pid in results} == {os.getpid()}


def _refuse_seven(number: int) -> int:
    if number == 7:
        raise UsageError(f"no {number} here")
    return number


def test_an_error_in_the_worker_is_raised_at_its_item(two_cores: None) -> None:
    made = []
    with pytest.raises(UsageError, match="no 7 here"):
        for number in parallel.in_order(_refuse_seven, range(20)):
            made.append(number)
    assert made == list(range(7))


def test_a_reader_that_stops_early_leaves_nothing_waiting(two_cores: None) -> None:
    results = parallel.in_order(_square_with_pid, range(1000))
    assert next(results)[0] == 0
    results.close()  # as `| head -1` does: the pool is shut down, no item in hand waited on
    for _ in range(500):  # the worker ends after the item in hand
        if not multiprocessing.active_children():
            break
        time.sleep(0.01)
    assert not multiprocessing.active_children()


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A valid base of 400 facts from 17 sources, many of them disagreeing."""
    folder = tmp_path_factory.mktemp("synthetic") / "base"
    script = Path(__file__).parent.parent / "benchmarks" / "gen_base.py"
    subprocess.run([sys.executable, str(script), "400", str(folder)], check=True,
                   capture_output=True)  # fmt: skip
    return folder


@pytest.mark.parametrize("output", ["tsv", "json", "jsonl", "csv", "markdown"])
def test_conflicts_on_two_cores_write_what_one_core_does(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, synthetic: Path,
    output: str,
) -> None:  # fmt: skip
    one = invoke("conflicts", "--facts", str(synthetic), "-f", output)
    assert one.exit_code == 0 and one.stdout.count("\n") > 15
    makers = tmp_path / "makers"  # the process that laid out each fact, one line each
    lay_out = present.fact_object if output.startswith("json") else listings.fact_row

    def spy(*args: Any, **kwargs: Any) -> Any:
        with makers.open("a") as log:
            log.write(f"{os.getpid()}\n")
        return lay_out(*args, **kwargs)

    monkeypatch.setattr(present if output.startswith("json") else listings,
                        lay_out.__name__, spy)  # fmt: skip
    monkeypatch.setattr(parallel, "cores", lambda: 2)
    monkeypatch.setattr(conflicts, "PARALLEL_FACTS", 0)
    monkeypatch.setattr(conflicts, "BATCH_FACTS", 2)
    batches = conflicts._batches([3, 1, 1, 4])
    assert batches == [range(0, 1), range(1, 3), range(3, 4)]
    two = invoke("conflicts", "--facts", str(synthetic), "-f", output)
    assert two.exit_code == 0
    assert two.stdout == one.stdout
    pids = makers.read_text().split()
    assert len(set(pids)) == 2 and str(os.getpid()) in pids


@pytest.mark.parametrize("output", ["tsv", "json", "jsonl", "csv", "markdown"])
def test_a_long_query_on_two_cores_writes_what_one_core_does(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch, synthetic: Path, output: str
) -> None:
    one = invoke("query", "--facts", str(synthetic), "-f", output)
    assert one.exit_code == 0 and one.stdout.count("\n") >= 400
    monkeypatch.setattr(parallel, "cores", lambda: 2)
    monkeypatch.setattr(listings, "PARALLEL_FACTS", 0)
    monkeypatch.setattr(listings, "BATCH_FACTS", 7)
    forks = []
    original = parallel.in_order

    def counted(*args: Any, **kwargs: Any) -> Any:
        forks.append(len(args[1]))
        return original(*args, **kwargs)

    monkeypatch.setattr(parallel, "in_order", counted)
    two = invoke("query", "--facts", str(synthetic), "-f", output)
    assert two.exit_code == 0
    assert two.stdout == one.stdout
    assert forks and forks[0] > 50  # 400 facts in batches of 7


def test_a_worker_writes_nothing_to_the_terminal() -> None:
    """What this process had buffered is written once, and a worker's prints go nowhere."""
    program = (
        "import os, sys\n"
        "from migfacts import parallel\n"
        "parallel.cores = lambda: 2\n"
        "def noisy(n):\n"
        "    print('printed by', os.getpid(), flush=True)\n"
        "    print('error from', os.getpid(), file=sys.stderr, flush=True)\n"
        "    return f'{n} made by {os.getpid()}'\n"
        "sys.stdout.write(f'header {os.getpid()}\\n')\n"
        "for text in parallel.in_order(noisy, list(range(40))):\n"
        "    sys.stdout.write(text + '\\n')\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                          env=env, check=True)  # fmt: skip
    lines = done.stdout.splitlines()
    here = lines[0].split()[-1]
    assert lines[0] == f"header {here}" and lines.count(lines[0]) == 1
    made = [line for line in lines if " made by " in line]
    assert [line.split()[0] for line in made] == [str(n) for n in range(40)]
    assert {line.split()[-1] for line in made} - {here}  # the worker made some
    assert {line.split()[-1] for line in lines if line.startswith("printed by")} == {here}
    assert {line.split()[-1] for line in done.stderr.splitlines()} == {here}


@settings(max_examples=12, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(
    command=st.sampled_from(
        [["conflicts"], ["query"], ["query", "-c", "KZ"], ["conflicts", "-t", "remittances"]]
    ),
    output=st.sampled_from(["tsv", "json", "jsonl", "csv", "markdown"]),
    batch=st.integers(1, 60),
)
def test_any_batch_size_writes_what_one_core_does(
    invoke: Invoke, synthetic: Path, command: list[str], output: str, batch: int
) -> None:
    from unittest.mock import patch

    args = [*command, "--facts", str(synthetic), "-f", output]
    one = invoke(*args)
    with (
        patch.object(parallel, "cores", lambda: 2),
        patch.object(conflicts, "PARALLEL_FACTS", 0),
        patch.object(conflicts, "BATCH_FACTS", batch),
        patch.object(listings, "PARALLEL_FACTS", 0),
        patch.object(listings, "BATCH_FACTS", batch),
    ):
        two = invoke(*args)
    assert (two.exit_code, two.stdout) == (one.exit_code, one.stdout)
