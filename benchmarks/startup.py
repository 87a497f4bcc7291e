"""Time a JSON query on the bundled base against the floor of importing typer, in one run.

    python benchmarks/startup.py [--runs 30]

Both commands run as fresh processes, alternating, with the same interpreter (the query
through the installed `migfacts` script, as a user types it); the median
of each is reported with their ratio. The first query warms the validated-base cache (as any
user's first run does) and writes bytecode, so both sides are measured in steady state, as
an installed user sees them. Prints a Markdown table for the README.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ARGS = ["query", "--country", "KG", "--format", "json"]


def _commands() -> tuple[list[str], list[str]]:
    """The installed `migfacts` script, as a user runs it, and the floor, same interpreter."""
    script = Path(sys.executable).with_name("migfacts")
    query = [str(script), *ARGS] if script.exists() else [sys.executable, "-m", "migfacts", *ARGS]
    return query, [sys.executable, "-c", "import typer"]


def _time(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, env=env, stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as cache:
        env = {k: v for k, v in os.environ.items() if k not in {"PYTHONDONTWRITEBYTECODE"}}
        env["MIGFACTS_CACHE_DIR"] = cache
        env.pop("MIGFACTS_FACTS", None)
        query_command, floor_command = _commands()
        for _ in range(3):  # warm: cache written, bytecode compiled, files in the OS cache
            _time(query_command, env)
            _time(floor_command, env)
        floor, query = [], []
        for _ in range(options.runs):
            floor.append(_time(floor_command, env))
            query.append(_time(query_command, env))
    floor_ms = statistics.median(floor) * 1000
    query_ms = statistics.median(query) * 1000
    print(f"| command | median of {options.runs} runs |")
    print("|---|---|")
    print(f'| `python -c "import typer"` (floor) | {floor_ms:.0f} ms |')
    print(f"| `migfacts query --country KG --format json` | {query_ms:.0f} ms |")
    print(f"| ratio | **{query_ms / floor_ms:.2f}×** (target ≤ 1.5×) |")
    print(
        f"\nPython {platform.python_version()} on {platform.machine()}, "
        f"{os.cpu_count()} cores; {Path(sys.executable).parent.parent.name} environment.",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
