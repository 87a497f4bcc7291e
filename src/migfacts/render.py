"""One renderer per output format, behind one small interface.

A command builds a `Listing` (columns, text rows, and JSON records) and `render` writes it in
the chosen format. Rich is imported only by the table renderer, so `--format json` never pays
for it. Text from the fact base is data, never markup: every cell goes through the one
sanitiser (`safety.py`: `safe_text`, `safe_cell` for csv and tsv, `safe_json` for JSON), and
Rich receives `Text` objects with markup, emoji and highlighting off.
"""

from __future__ import annotations

import errno
import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, TextIO

from migfacts.safety import safe_cell, safe_json, safe_text


class Format(StrEnum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    tsv = "tsv"
    markdown = "markdown"


# The format when none is asked for and stdout is not a terminal: one line per row, tab
# separated, no colour, no box drawing, nothing truncated (like gh's piped output).
PIPE_FORMAT = Format.tsv


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    in_table: bool = True  # shown in the terminal table (wide machine columns are not)
    style: str | None = None
    max_width: int | None = None
    min_width: int | None = None
    no_wrap: bool = False
    ratio: int | None = None  # share of a table that fills the terminal


@dataclass
class Listing:
    columns: list[Column]
    rows: list[dict[str, str]] = field(default_factory=list)
    records: list[Any] = field(default_factory=list)
    title: str | None = None


def _one_line(text: object) -> str:
    return " ".join(safe_text(text).replace("\t", " ").split())


def dumps_json(data: Any, *, indent: int | None = 2) -> str:
    # ensure_ascii=False: UTF-8 out, "Türkiye" not "T\u00fcrkiye"; C0 controls are escaped by
    # the JSON encoder, DEL, C1, bidi controls and lone surrogates by `safe_json`.
    return safe_json(json.dumps(data, ensure_ascii=False, indent=indent))


def render_json(listing: Listing, out: TextIO, **_: Any) -> None:
    out.write(dumps_json(listing.records) + "\n")


def render_jsonl(listing: Listing, out: TextIO, **_: Any) -> None:
    for record in listing.records:
        out.write(dumps_json(record, indent=None) + "\n")


def render_csv(listing: Listing, out: TextIO, **_: Any) -> None:
    import csv

    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([c.key for c in listing.columns])
    for row in listing.rows:
        writer.writerow([safe_cell(row.get(c.key, "")) for c in listing.columns])


def render_tsv(listing: Listing, out: TextIO, **_: Any) -> None:
    # Tabs and newlines inside a value become spaces, so every record is one line.
    out.write("\t".join(c.key for c in listing.columns) + "\n")
    for row in listing.rows:
        cells = (safe_cell(_one_line(row.get(c.key, ""))) for c in listing.columns)
        out.write("\t".join(cells) + "\n")


def render_markdown(listing: Listing, out: TextIO, **_: Any) -> None:
    def cell(text: object) -> str:
        return _one_line(text).replace("\\", "\\\\").replace("|", "\\|")

    columns = listing.columns
    out.write("| " + " | ".join(c.header for c in columns) + " |\n")
    out.write("|" + "|".join("---" for _ in columns) + "|\n")
    for row in listing.rows:
        out.write("| " + " | ".join(cell(row.get(c.key, "")) for c in columns) + " |\n")


def render_table(listing: Listing, out: TextIO, *, color: bool = True, **_: Any) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    console = make_console(out, color=color)
    table = Table(
        title=Text(safe_text(listing.title)) if listing.title else None,
        box=box.SIMPLE_HEAD,
        # With ratios the table fills the terminal and every column keeps its share, so no
        # column is cut off at the right edge of a narrow terminal.
        expand=any(c.ratio for c in listing.columns if c.in_table),
        show_lines=False,
        highlight=False,
    )
    shown = [c for c in listing.columns if c.in_table]
    for column in shown:
        table.add_column(
            column.header,
            style=column.style,
            max_width=column.max_width,
            min_width=column.min_width,
            no_wrap=column.no_wrap,
            ratio=column.ratio,
            overflow="fold",
        )
    for row in listing.rows:
        table.add_row(*(Text(safe_text(row.get(c.key, ""))) for c in shown))
    console.print(table)


def colour_wanted(requested: bool) -> bool:
    """False for --no-color, a set NO_COLOR or TERM=dumb; else Rich decides (tty, FORCE_COLOR)."""
    return requested and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


def make_console(out: TextIO, *, color: bool) -> Any:
    """A Rich console that prints data literally: no markup, emoji or auto-highlighting.

    With colour off it writes no escape codes at all, not even bold.
    """
    from rich.console import Console

    plain = not colour_wanted(color)
    console = Console(
        file=out,
        color_system=None if plain else "auto",
        no_color=plain or None,
        markup=False,
        emoji=False,
        highlight=False,
        soft_wrap=False,
    )
    # Rich answers a closed pipe with SystemExit(1); the CLI's handler ends it quietly with 0.
    console.on_broken_pipe = _broken_pipe  # type: ignore[method-assign]
    return console


def _broken_pipe() -> None:
    raise BrokenPipeError(errno.EPIPE, os.strerror(errno.EPIPE))


RENDERERS: dict[Format, Callable[..., None]] = {
    Format.table: render_table,
    Format.json: render_json,
    Format.jsonl: render_jsonl,
    Format.csv: render_csv,
    Format.tsv: render_tsv,
    Format.markdown: render_markdown,
}


def choose_format(requested: Format | None, out: TextIO | None = None) -> Format:
    """The asked-for format, else a table in a terminal and tab-separated text in a pipe."""
    if requested is not None:
        return requested
    stream = out or sys.stdout
    return Format.table if stream.isatty() else PIPE_FORMAT


def render(listing: Listing, fmt: Format, out: TextIO, *, color: bool = True) -> None:
    RENDERERS[fmt](listing, out, color=color)
