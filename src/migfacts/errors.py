"""The errors the core raises, and the exit codes the CLI turns them into."""

from __future__ import annotations

from enum import IntEnum, unique
from typing import NamedTuple


@unique
class ExitStatus(IntEnum):
    """Exit codes, grep-like: 0 found, 1 nothing matched, 2 usage, 3 bad fact base.

    `check` adds one code per verdict so a script can act on it; `coverage` exits with
    MISSING while an archived number is accounted for by neither a fact nor a skip.
    OUTPUT_ERROR (sysexits' EX_IOERR) is a standard output that is closed or cannot take the
    output (a full disk); a reader that goes away (`| head -1`) is not an error. These are
    the only exit codes migfacts uses; `--help` and the README's table are generated from
    `EXIT_MEANINGS`, so the documentation cannot drift from the code.
    """

    OK = 0
    NO_MATCH = 1
    USAGE = 2
    INVALID_BASE = 3
    MISSING = 4
    REFUTED = 5
    NOT_ENOUGH_INFO = 6
    CONFLICTING = 7
    INTERNAL = 70  # EX_SOFTWARE: a bug in migfacts, never the user's input
    OUTPUT_ERROR = 74  # EX_IOERR: standard output is closed or refuses the output
    RETRY = 75  # EX_TEMPFAIL: the store changed while it was read; run the command again
    INTERRUPTED = 130  # 128 + SIGINT, as shells report Ctrl-C


# What each code means, for `--help` and the README (one line each).
EXIT_MEANINGS: dict[ExitStatus, str] = {
    ExitStatus.OK: "results (check: supported)",
    ExitStatus.NO_MATCH: "nothing matched (`draft`: no number left to draft)",
    ExitStatus.USAGE: (
        "usage error: a bad option or year, an unknown place, topic or fact id, "
        "a missing or unreadable file or folder"
    ),
    ExitStatus.INVALID_BASE: "the fact base is invalid (every problem is listed, one per line)",
    ExitStatus.MISSING: "coverage: a number in an archived article is missing",
    ExitStatus.REFUTED: "check: refuted",
    ExitStatus.NOT_ENOUGH_INFO: "check: not enough information",
    ExitStatus.CONFLICTING: "check: conflicting sources",
    ExitStatus.INTERNAL: "a bug in migfacts (run `migfacts --debug …` for the traceback)",
    ExitStatus.OUTPUT_ERROR: (
        "the output cannot be written: standard output is closed (`>&-`) or full "
        "(`> /dev/full`); a reader that leaves early, as `head -1` does, gives 0"
    ),
    ExitStatus.RETRY: "the fact store changed while it was read: run the command again",
    ExitStatus.INTERRUPTED: "interrupted (Ctrl-C)",
}


def exit_codes_help() -> str:
    """The exit codes as one paragraph, for `migfacts --help`."""
    return "Exit codes: " + "; ".join(f"{int(c)} {m}" for c, m in EXIT_MEANINGS.items()) + "."


class MigfactsError(Exception):
    """An error for the user: one clear message, and the exit code that goes with it."""

    exit_status = ExitStatus.USAGE

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UsageError(MigfactsError):
    """A bad option value: an unknown place or topic, a malformed year, a missing file."""

    exit_status = ExitStatus.USAGE


class OutputError(MigfactsError):
    """Standard output is closed or refuses the output (a full disk, an I/O error)."""

    exit_status = ExitStatus.OUTPUT_ERROR


class Problem(NamedTuple):
    """One thing wrong with a fact base, located as precisely as the check allows.

    A NamedTuple, not a dataclass: this module is on every run's import path, and a
    NamedTuple class costs a fraction of a dataclass's to create.
    """

    file: str
    message: str
    line: int | None = None
    column: int | None = None
    item: str | None = None  # "fact 'kg-remittances-2024-ng'" or "fact #3"
    field: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        parts = [where]
        if self.item:
            parts.append(self.item)
        if self.field:
            parts.append(f"field '{self.field}'")
        return ": ".join(parts) + f": {self.message}"


class FactBaseError(MigfactsError):
    """The fact base cannot be used; every problem found is listed, not just the first."""

    exit_status = ExitStatus.INVALID_BASE

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        count = len(problems)
        lines = "\n".join(str(problem) for problem in problems)
        super().__init__(f"{lines}\n{count} problem{'s' if count != 1 else ''} in the fact base")
