"""Time a few commands side by side, interleaved, in one run: median wall and CPU time.

    python benchmarks/side_by_side.py [--runs 25] NAME=COMMAND [NAME=COMMAND ...]

Each COMMAND is split as a shell would (`shlex`) and may start with VAR=value settings
(`MIGFACTS_CACHE_DIR=/tmp/c migfacts query -c KG -f json`). The commands run as fresh
processes, one after another in each round, so that they share the machine's load alike;
two warm-up rounds come first (stores built, bytecode written, files in the OS cache). CPU
time (user + system, from wait4) is steadier than wall time on a machine others are using.
Each figure is also given as a ratio to the first command's, the floor: for the start-up
target, `floor=python -c "import typer"`. Prints a Markdown table.

To compare code before and after a change, install each in its own environment and name
both scripts; the SQLite export of `benchmarks/scale.py` and `sqlite-utils` (in an
environment of its own) can be timed in the same rounds.
"""

from __future__ import annotations

import argparse
import os
import shlex
import statistics
import subprocess
import sys
import time


def _parse(spec: str) -> tuple[str, list[str], dict[str, str]]:
    name, _, command = spec.partition("=")
    words = shlex.split(command)
    env = {}
    while words and "=" in words[0] and not words[0].startswith(("/", ".", "-")):
        key, _, value = words.pop(0).partition("=")
        env[key] = value
    if not name or not words:
        raise SystemExit(f"not NAME=COMMAND: {spec!r}")
    return name, words, env


def _run(argv: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    start = time.perf_counter()
    with subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL) as child:
        _pid, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    return wall, usage.ru_utime + usage.ru_stime, child.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=25)
    parser.add_argument("commands", nargs="+", metavar="NAME=COMMAND")
    options = parser.parse_args()
    base = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    commands = [_parse(spec) for spec in options.commands]
    walls: dict[str, list[float]] = {name: [] for name, _a, _e in commands}
    cpus: dict[str, list[float]] = {name: [] for name, _a, _e in commands}
    codes: dict[str, int] = {}
    for round_ in range(options.runs + 2):
        for name, argv, env in commands:
            wall, cpu, code = _run(argv, {**base, **env})
            codes[name] = code
            if round_ >= 2:
                walls[name].append(wall)
                cpus[name].append(cpu)
    floor_name = commands[0][0]
    floor_wall = statistics.median(walls[floor_name])
    floor_cpu = statistics.median(cpus[floor_name])
    print(f"| command | wall (median of {options.runs}) | CPU | wall × | CPU × | exit |")
    print("|---|---|---|---|---|---|")
    for name, _argv, _env in commands:
        wall, cpu = statistics.median(walls[name]), statistics.median(cpus[name])
        print(
            f"| {name} | {wall * 1000:.0f} ms | {cpu * 1000:.0f} ms | {wall / floor_wall:.2f} "
            f"| {cpu / floor_cpu:.2f} | {codes[name]} |"
        )
    print(f"\n{os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f}.", file=sys.stderr)


if __name__ == "__main__":
    main()
