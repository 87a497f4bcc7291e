"""The cost law: every command at 1k, 10k and 100k facts, side by side, in one process tree.

    python benchmarks/scale.py [--sizes 1000 10000 100000] [--runs 5] [--work DIR]
                               [--sqlite-utils PATH]

For each size it generates a synthetic valid base (`gen_base.py`, kept in DIR between runs),
then runs each command as a fresh process of the installed `migfacts` script, as a user
would, against a store of its own (MIGFACTS_CACHE_DIR in DIR):

- cold validate: `migfacts validate` (no store), and the first query, which builds the store;
- warm: the selective query of issue 10, a full JSON export, check, search, series,
  conflicts; each the median of `--runs`, the commands interleaved so that they share the
  machine's load alike;
- the first check, which works out every fact's words for its word statistics and keeps
  them as notes in the store;
- edit then query, edit then check, edit then conflicts: one fact file changed (a comment
  appended: a new content hash), then the selective query, which re-validates that file
  only, or check, which also works out that file's notes again, or conflicts over
  everything, which works out the groups of the base again (a warm run reads the groups
  kept by the run before); run after the warm rounds;
- rename, then check: a topic's description changed (the words check reads for every fact
  on that topic), then check, which works out every fact's words again under the new
  names, with the store holding what the other commands kept (`conflicts`' groups);
- the same selective query's rows from an SQLite export of the same facts, through
  `sqlite-utils query` and `sqlite3 -json` (when they are installed);
- the floor, `python -c "import typer"`, and the bundled-base query, in the same rounds.

Each figure is wall time (median) and peak resident memory (the child's maxrss, from
wait4); CPU seconds are reported too, being steadier than wall time on a shared machine.
Prints Markdown tables for the README. sqlite-utils is a benchmark tool only, never a
dependency of migfacts: install it in a separate environment and pass its script.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SELECTIVE = ["-c", "KG", "-t", "remittances", "-y", "2019..2020"]
CLAIM = "Remittances to Kyrgyzstan reached $2.9 billion in 2024"


class Sample:
    def __init__(self) -> None:
        self.wall: list[float] = []
        self.cpu: list[float] = []
        self.rss: list[float] = []

    def add(self, wall: float, cpu: float, rss_mib: float) -> None:
        self.wall.append(wall)
        self.cpu.append(cpu)
        self.rss.append(rss_mib)

    def cell(self) -> str:
        wall, cpu = statistics.median(self.wall), statistics.median(self.cpu)
        return f"{_seconds(wall)} ({_seconds(cpu)} CPU), {max(self.rss):.0f} MiB"


def _seconds(value: float) -> str:
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def run(command: list[str], env: dict[str, str], sample: Sample | None = None) -> float:
    """Run `command` to completion, output discarded; record wall, CPU and peak memory."""
    # Through GNU time: a child's peak memory (maxrss) would otherwise include its parent's,
    # which Linux carries across exec; time's own is small.
    report = Path(os.environ.get("TMPDIR", "/tmp")) / f"scale-time-{os.getpid()}"
    timed = ["/usr/bin/time", "-q", "-o", str(report), "-f", "%e %U %S %M", *command]
    start = time.perf_counter()
    code = subprocess.run(timed, env=env, stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL).returncode  # fmt: skip
    wall = time.perf_counter() - start
    if code not in (0, 1, 5, 6, 7):
        raise SystemExit(f"failed ({code}): {' '.join(command)}")
    fields = report.read_text().split()[-4:]
    user, system, peak_kib = float(fields[1]), float(fields[2]), int(fields[3])
    cpu, rss_mib = user + system, peak_kib / 1024
    if sample is not None:
        sample.add(wall, cpu, rss_mib)
    return wall


def export_sqlite(base: Path, target: Path, env: dict[str, str]) -> None:
    """An SQLite export of the base's facts (their JSON, periods, places and topics)."""
    code = (
        "import json, sys; from pathlib import Path; from migfacts.loader import load_base; "
        "from migfacts.records import record_to_dict; "
        "base = load_base(Path(sys.argv[1]), use_cache=False); "
        "[print(json.dumps(record_to_dict(f), ensure_ascii=False)) for f in base.facts]"
    )
    lines = subprocess.run([sys.executable, "-c", code, str(base)], env=env, check=True,
                           capture_output=True, text=True).stdout.splitlines()  # fmt: skip
    from migfacts.periods import parse_period

    target.unlink(missing_ok=True)
    db = sqlite3.connect(target)
    db.executescript(
        "CREATE TABLE facts (id TEXT PRIMARY KEY, pstart TEXT, pend TEXT, json TEXT);"
        "CREATE TABLE places (id TEXT, code TEXT); CREATE TABLE topics (id TEXT, topic TEXT);"
    )
    for line in lines:
        fact = json.loads(line)
        period = parse_period(fact["period"])
        span = (period.start.isoformat(), period.end.isoformat())
        db.execute("INSERT INTO facts VALUES (?, ?, ?, ?)", (fact["id"], *span, line))
        codes = dict.fromkeys(fact["origin"] + fact["destination"] + fact["area"])
        db.executemany("INSERT INTO places VALUES (?, ?)", [(fact["id"], c) for c in codes])
        db.executemany(
            "INSERT INTO topics VALUES (?, ?)", [(fact["id"], t) for t in fact["topics"]]
        )
    db.executescript(
        "CREATE INDEX places_code ON places(code, id);"
        "CREATE INDEX topics_topic ON topics(topic, id);"
        "CREATE INDEX facts_period ON facts(pstart, pend, id);"
    )
    db.commit()
    db.close()


EXPORT_QUERY = (
    "SELECT json FROM facts WHERE id IN (SELECT id FROM places WHERE code = 'KG' "
    "INTERSECT SELECT id FROM topics WHERE topic = 'remittances') "
    "AND pstart <= '2020-12-31' AND pend >= '2019-01-01' ORDER BY pstart, pend, id"
)


def hashing_cost(base: Path) -> float:
    start = time.perf_counter()
    for path in sorted(base.rglob("*.toml")):
        hashlib.sha256(path.read_bytes()).digest()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--work", type=Path, default=Path("/tmp/migfacts-scale"))
    parser.add_argument("--sqlite-utils", type=Path, default=None)
    options = parser.parse_args()
    work = options.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONDONTWRITEBYTECODE"}}
    env.pop("MIGFACTS_FACTS", None)
    script = Path(sys.executable).with_name("migfacts")
    migfacts = [str(script)] if script.exists() else [sys.executable, "-m", "migfacts"]
    floor_command = [sys.executable, "-c", "import typer"]
    bundled_command = [*migfacts, "query", "--country", "KG", "--format", "json"]
    beside = Path(sys.executable).with_name("sqlite-utils")
    sqlite_utils = options.sqlite_utils or (beside if beside.exists() else None)
    sqlite_utils = sqlite_utils or shutil.which("sqlite-utils")
    sqlite_cli = shutil.which("sqlite3")

    results: dict[int, dict[str, str]] = {}
    notes: list[str] = []
    for size in options.sizes:
        base = work / f"base-{size}"
        if not (base / "sources.toml").exists():
            subprocess.run([sys.executable, str(HERE / "gen_base.py"), str(size), str(base)],
                           env=env, check=True, stderr=subprocess.DEVNULL)  # fmt: skip
        files = sum(1 for _ in base.rglob("*.toml"))
        cache = work / f"cache-{size}"
        shutil.rmtree(cache, ignore_errors=True)
        run_env = {**env, "MIGFACTS_CACHE_DIR": str(cache)}
        facts = ["--facts", str(base)]
        row: dict[str, str] = {}
        cold, build = Sample(), Sample()
        run([*migfacts, "validate", *facts], run_env, cold)
        run([*migfacts, "query", *facts, *SELECTIVE, "-f", "json"], run_env, build)
        row["cold validate (`validate`, no store)"] = cold.cell()
        row["first query: validate and build the store"] = build.cell()
        commands = {
            "floor: `python -c \"import typer\"`": floor_command,
            "bundled base: `query -c KG -f json`": bundled_command,
            "bundled base: check": [*migfacts, "check", CLAIM, "-f", "json"],
            "bundled base: search": [
                *migfacts, "search", "remittances", "Kyrgyzstan", "2024", "-f", "json"],
            "bundled base: series": [
                *migfacts, "series", "-t", "remittances", "--to", "KG", "-f", "json"],
            "warm selective query (`" + " ".join(SELECTIVE) + " -f json`)": [
                *migfacts, "query", *facts, *SELECTIVE, "-f", "json"],
            "full JSON export (`query -f json`)": [*migfacts, "query", *facts, "-f", "json"],
            f'check ("{CLAIM}")': [*migfacts, "check", *facts, CLAIM, "-f", "json"],
            "search (`remittances Kyrgyzstan 2024`)": [
                *migfacts, "search", *facts, "remittances", "Kyrgyzstan", "2024", "-f", "json"],
            "series (`-t remittances --to KG`)": [
                *migfacts, "series", *facts, "-t", "remittances", "--to", "KG", "-f", "json"],
            "conflicts (all, piped: tsv)": [*migfacts, "conflicts", *facts],
            "conflicts (all, `-f json`)": [*migfacts, "conflicts", *facts, "-f", "json"],
            "conflicts (`-c KG -t remittances`)": [
                *migfacts, "conflicts", *facts, "-c", "KG", "-t", "remittances", "-f", "json"],
        }  # fmt: skip
        export = work / f"export-{size}.db"
        export_sqlite(base, export, run_env)
        if sqlite_utils:
            commands["`sqlite-utils query` on an SQLite export, same rows"] = [
                str(sqlite_utils), "query", str(export), EXPORT_QUERY]  # fmt: skip
        if sqlite_cli:
            commands["`sqlite3 -json` on the same export, same rows"] = [
                sqlite_cli, "-json", str(export), EXPORT_QUERY]  # fmt: skip
        samples = {name: Sample() for name in commands}
        edit, edit_check, edit_conflicts, first_check = Sample(), Sample(), Sample(), Sample()
        renamed_check = Sample()
        topics_file = base / "topics.toml"
        topics_text = topics_file.read_bytes()
        edited = sorted((base / "facts").glob("*.toml"))[len(files_of(base)) // 2]
        original = edited.read_bytes()
        check_command = commands[f'check ("{CLAIM}")']
        run(check_command, run_env, first_check)  # works out every fact's words once
        for command in commands.values():
            run(command, run_env)  # warm: bytecode, OS cache
        for _round in range(options.runs):
            for name, command in commands.items():
                run(command, run_env, samples[name])
        # Edits last: after one, the next check works out the file's notes again.
        try:
            for round_ in range(options.runs):
                edited.write_bytes(original + f"\n# edited {round_}\n".encode())
                run([*migfacts, "query", *facts, *SELECTIVE, "-f", "json"], run_env, edit)
                edited.write_bytes(original + f"\n# edited again {round_}\n".encode())
                run(check_command, run_env, edit_check)
                edited.write_bytes(original + f"\n# edited a third time {round_}\n".encode())
                run(commands["conflicts (all, piped: tsv)"], run_env, edit_conflicts)
                renamed = f'description = "Renamed {round_}. '.encode()
                topics_file.write_bytes(topics_text.replace(b'description = "', renamed, 1))
                run(check_command, run_env, renamed_check)
        finally:
            edited.write_bytes(original)
            topics_file.write_bytes(topics_text)
        row["first check: works out and keeps every fact's words"] = first_check.cell()
        for name in commands:
            row[name] = samples[name].cell()
        row["edit one fact file, then the selective query"] = edit.cell()
        row["edit one fact file, then check"] = edit_check.cell()
        row["edit one fact file, then conflicts (all, tsv)"] = edit_conflicts.cell()
        row["change a topic's description, then check (every fact's words again)"] = (
            renamed_check.cell()
        )
        notes.append(f"{size:,} facts: {files:,} files.")
        row["hash every file (SHA-256, in process)"] = _seconds(hashing_cost(base))
        results[size] = row
        print(f"{size} facts done", file=sys.stderr)

    names = list(dict.fromkeys(name for row in results.values() for name in row))
    print("| command | " + " | ".join(f"{size:,} facts" for size in results) + " |")
    print("|---|" + "---|" * len(results))
    for name in names:
        print(f"| {name} | " + " | ".join(row.get(name, "") for row in results.values()) + " |")
    print(
        f"\nPython {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cores; "
        f"median of {options.runs} runs; wall time (CPU time), peak memory.",
    )
    for note in notes:
        print(note)


def files_of(base: Path) -> list[Path]:
    return sorted((base / "facts").glob("*.toml"))


if __name__ == "__main__":
    main()
