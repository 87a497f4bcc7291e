"""One renderer per output format, behind one small interface.

A command builds a `Listing` (columns, text rows, and JSON records) and `render` writes it in
the chosen format. Rich is imported only by the table renderer, so `--format json` never pays
for it. Text from the fact base is data, never markup: every cell goes through the one
sanitiser (`safety.py`: `safe_text`, `safe_cell` for csv and tsv, `safe_json` for JSON), and
Rich receives `Text` objects with markup, emoji and highlighting off.
"""

from __future__ import annotations

import errno
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from enum import StrEnum
from typing import Any, TextIO, TypeVar

from migfacts.jsontext import dumps as json_text
from migfacts.parallel import BATCH_FACTS
from migfacts.safety import FORMULA_STARTS, safe_cell, safe_json, safe_text
from migfacts.values import field, replace, valueclass


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


@valueclass(frozen=True)
class Column:
    """One field of a listing. `key` names it in every format: the csv/tsv header, the
    markdown header and (for the fields a record has) the JSON field; `header` is the table's
    heading for it. The rest is table layout (see layout.py)."""

    key: str
    header: str
    in_table: bool = True  # shown in the terminal table (wide machine columns are not)
    style: str | None = None
    max_width: int | None = None  # past this, wrap rather than widen
    min_width: int | None = None  # below this, prose reads badly: drop or stack instead
    comfort_width: int | None = None  # below this, drop a column of less value first
    no_wrap: bool = False  # never wrapped: ids and codes, which must stay whole to be copied
    ratio: int | None = None  # share of the spare room
    priority: int = 1  # 1: always shown; larger: dropped first as the terminal narrows
    in_data: bool = True  # False: a table-only view of other fields (not in csv/tsv/markdown)
    repeat: bool = True  # False: a table leaves the cell blank when it equals the row above
    stack_under: str | None = None  # where space is short, shown under this column's key


@valueclass
class Listing:
    columns: list[Column]
    # Lists, or iterables that make each item as it is written (`listings.facts_listing`).
    rows: Iterable[dict[str, str]] = field(default_factory=list)
    records: Iterable[Any] = field(default_factory=list)
    title: str | None = None
    # JSON: objects and arrays nested this deep in a record (the record being 1 deep) are
    # written one to a line, not indented; long listings of objects are written faster so.
    json_one_line_from: int | None = None


def _one_line(text: object) -> str:
    return " ".join(safe_text(text).replace("\t", " ").split())


def dumps_json(data: Any, *, indent: int | None = 2) -> str:
    # ensure_ascii=False: UTF-8 out, "Türkiye" not "T\u00fcrkiye"; C0 controls are escaped by
    # the JSON encoder, DEL, C1, bidi controls and lone surrogates by `safe_json`. Indented
    # text comes from `jsontext`, the same characters as json.dumps, written faster.
    return safe_json(json_text(data, indent=indent))


def render_json(listing: Listing, out: TextIO, **_: Any) -> None:
    from migfacts.present import versioned

    one_line_from = listing.json_one_line_from

    def texts(records: list[Any]) -> str:
        return ",\n  ".join(
            safe_json(json_text(versioned(record), level=1, one_line_from=one_line_from))
            for record in records
        )

    # Written run by run, the same bytes as dumping the whole list at once.
    opening = "[\n  "
    for text in _runs(listing.records, texts):
        if text:
            out.write(opening + text)
            opening = ",\n  "
    out.write("[]\n" if opening == "[\n  " else "\n]\n")


def render_jsonl(listing: Listing, out: TextIO, **_: Any) -> None:
    from migfacts.present import versioned

    def lines(records: list[Any]) -> str:
        return "".join(dumps_json(versioned(record), indent=None) + "\n" for record in records)

    for text in _runs(listing.records, lines):
        out.write(text)


T = TypeVar("T")


class Batched(Iterable[T]):
    """Rows or records made a batch at a time by `make`. With `on_two_cores`, a renderer
    lays out the batches on two cores (`parallel.in_order`), the output still in order;
    `in_worker` runs first in the worker (see parallel.py). Iterated, it gives the items
    one by one, on this core."""

    def __init__(self, batches: Sequence[Any], make: Callable[[Any], list[T]],
                 in_worker: Callable[[], None] | None = None, *,
                 on_two_cores: bool = True) -> None:  # fmt: skip
        self.batches, self.make, self.in_worker = batches, make, in_worker
        self.on_two_cores = on_two_cores

    def __iter__(self) -> Iterator[T]:
        for batch in self.batches:
            yield from self.make(batch)


def _runs(items: Iterable[T], lay_out: Callable[[list[T]], str]) -> Iterator[str]:
    """`lay_out` of the items, a run at a time: a `Batched` one batch a run (on two cores
    when it asks for them), anything else `BATCH_FACTS` items a run."""
    if isinstance(items, Batched):
        batched = items

        def text(batch: Any) -> str:
            return lay_out(batched.make(batch))

        if not batched.on_two_cores:
            yield from map(text, batched.batches)
            return
        from migfacts.parallel import in_order

        yield from in_order(text, batched.batches, in_worker=batched.in_worker)
        return
    run: list[T] = []
    for item in items:
        run.append(item)
        if len(run) == BATCH_FACTS:
            yield lay_out(run)
            run = []
    if run:
        yield lay_out(run)


def _data_columns(listing: Listing) -> list[Column]:
    return [c for c in listing.columns if c.in_data]


# A row none of whose cells `safe_cell` (or, for tsv, `_one_line`) would change is written
# as it is, found by a few scans of the joined row instead of several calls a cell.
# The tab and carriage return among them are not printable, so found apart.
_FORMULA_FIRST = frozenset(c for c in FORMULA_STARTS if c.isprintable())
_FORMULA_AFTER_TAB = re.compile("\t[" + re.escape("".join(_FORMULA_FIRST)) + "]")


def _plain_line(cells: list[Any], fold: bool) -> str | None:
    """The cells joined by tabs when none needs escaping (nor, with `fold`, white space
    folded into single spaces); else None."""
    try:
        text = "".join(cells)
    except TypeError:  # a cell that is not text
        return None
    # Printable: no control, format (bidi), surrogate or separator character, nor any
    # white space but the space; more than `safe_text` escapes, so never too little.
    if not text.isprintable():
        return None
    line = "\t".join(cells)
    if line[:1] in _FORMULA_FIRST or _FORMULA_AFTER_TAB.search(line):
        return None
    if fold and ("  " in line or " \t" in line or "\t " in line or line[:1] == " "
                 or line[-1:] == " "):  # fmt: skip
        return None
    return line


def render_csv(listing: Listing, out: TextIO, **_: Any) -> None:
    import csv
    import io

    keys = [c.key for c in _data_columns(listing)]

    def lines(rows: list[dict[str, str]]) -> str:
        text = io.StringIO()
        writer = csv.writer(text, lineterminator="\n")
        for row in rows:
            cells = [row.get(key, "") for key in keys]
            plain = _plain_line(cells, False) is not None
            writer.writerow(cells if plain else [safe_cell(cell) for cell in cells])
        return text.getvalue()

    csv.writer(out, lineterminator="\n").writerow(keys)
    for text in _runs(listing.rows, lines):
        out.write(text)


def render_tsv(listing: Listing, out: TextIO, **_: Any) -> None:
    # Tabs and newlines inside a value become spaces, so every record is one line.
    keys = [c.key for c in _data_columns(listing)]

    def lines(rows: list[dict[str, str]]) -> str:
        made = []
        for row in rows:
            cells = [row.get(key, "") for key in keys]
            line = _plain_line(cells, True)
            if line is None:
                line = "\t".join(safe_cell(_one_line(cell)) for cell in cells)
            made.append(line + "\n")
        return "".join(made)

    out.write("\t".join(keys) + "\n")
    for text in _runs(listing.rows, lines):
        out.write(text)


def render_markdown(listing: Listing, out: TextIO, **_: Any) -> None:
    """The table's columns, headed by the field names every other format uses."""

    def cell(text: object) -> str:
        return _one_line(text).replace("\\", "\\\\").replace("|", "\\|")

    columns = [c for c in listing.columns if c.in_table and c.in_data]

    def lines(rows: list[dict[str, str]]) -> str:
        return "".join(
            "| " + " | ".join(cell(row.get(c.key, "")) for c in columns) + " |\n" for row in rows
        )

    out.write("| " + " | ".join(c.key for c in columns) + " |\n")
    out.write("|" + "|".join("---" for _ in columns) + "|\n")
    for text in _runs(listing.rows, lines):
        out.write(text)


def render_table(listing: Listing, out: TextIO, *, color: bool = True, **_: Any) -> None:
    """A table fitted to the terminal (layout.py), or one card per row when it is too narrow."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from migfacts.layout import BARE_GAP, GAP, fit, measure

    console = make_console(out, color=color)
    shown = [c for c in listing.columns if c.in_table]
    # A table is laid out from all its rows at once (widths), so they are held here; the
    # data formats stream.
    all_rows = list(listing.rows)
    rows = _table_rows(all_rows, shown)
    lines = box_lines_wanted()
    gap = GAP if lines else BARE_GAP

    def layout(columns: list[Column], cells: list[dict[str, str]]) -> list[int | None] | None:
        needs = [
            measure(
                column.header,
                [row[column.key] for row in cells],
                wrap=not column.no_wrap,
                readable=column.min_width or 0,
                cap=column.max_width,
                priority=column.priority,
                weight=column.ratio or 1,
                comfort=column.comfort_width or 0,
            )
            for column in columns
        ]
        return fit(needs, console.width, gap=gap)

    widths = layout(shown, rows)
    if widths is None and any(c.stack_under in {k.key for k in shown} for c in shown):
        # Second try: short columns stacked under their neighbour ("When" under "Where").
        stacked_columns, stacked_rows = _stacked(shown, rows)
        widths = layout(stacked_columns, stacked_rows)
        if widths is not None:
            shown, rows = stacked_columns, stacked_rows
    if widths is None:
        render_cards(
            listing.title,
            [c for c in listing.columns if c.in_table],
            rows_for_cards(all_rows, [c for c in listing.columns if c.in_table]),
            console,
        )
        return
    table = Table(
        title=Text(safe_text(listing.title)) if listing.title else None,
        box=box.SIMPLE_HEAD if lines else None,
        show_edge=False,
        pad_edge=False,
        padding=(0, 1),
        expand=False,
        highlight=False,
    )
    kept = [(column, width) for column, width in zip(shown, widths, strict=True) if width]
    for column, width in kept:
        table.add_column(
            column.header, style=column.style, width=width, no_wrap=column.no_wrap, overflow="fold"
        )
    for row in rows:
        table.add_row(*(Text(row[column.key]) for column, _ in kept))
    print_trimmed(console, table)


def _stacked(
    shown: list[Column], rows: list[dict[str, str]]
) -> tuple[list[Column], list[dict[str, str]]]:
    """The columns with each `stack_under` column folded into the one it names: one cell
    holds both, a line each, under a header that names both."""
    keys = {c.key for c in shown}
    below = {c.stack_under: c for c in shown if c.stack_under in keys}
    columns = []
    for column in shown:
        if column.stack_under in keys:
            continue
        under = below.get(column.key)
        if under is None:
            columns.append(column)
            continue
        columns.append(
            replace(
                column,
                header=f"{column.header} / {under.header}",
                max_width=max(column.max_width or 0, under.max_width or 0) or None,
            )
        )
    merged = []
    for row in rows:
        cells = dict(row)
        for key, under in below.items():
            if key is not None:
                cells[key] = "\n".join(text for text in (row[key], row[under.key]) if text)
        merged.append(cells)
    return columns, merged


def rows_for_cards(rows: list[dict[str, str]], shown: list[Column]) -> list[dict[str, str]]:
    return _table_rows(rows, shown)


def _table_rows(rows: list[dict[str, str]], shown: list[Column]) -> list[dict[str, str]]:
    """Cells as a terminal shows them: made safe, and blank where a column says not to repeat."""
    result: list[dict[str, str]] = []
    previous: dict[str, str] = {}
    for row in rows:
        cells = {c.key: safe_text(row.get(c.key, "")) for c in shown}
        result.append(
            {
                key: "" if not column.repeat and previous.get(key) == text else text
                for column, (key, text) in zip(shown, cells.items(), strict=True)
            }
        )
        previous = cells
    return result


def render_cards(
    title: str | None, shown: list[Column], rows: list[dict[str, str]], console: Any
) -> None:
    """Each row stacked: its first column alone on a line (never broken), then a line a field."""
    from rich.padding import Padding
    from rich.table import Table
    from rich.text import Text

    if title:
        console.print(Text(safe_text(title), style="bold"))
    # Columns that are not repeated (a group's number and label) head a run of cards; the
    # id, when there is one, heads each card.
    grouping = [c for c in shown if not c.repeat]
    fields = [c for c in shown if c.repeat]
    head = next((c for c in fields if c.key == "id"), fields[0])
    rest = [c for c in fields if c is not head]
    label_width = max((len(c.header) for c in rest), default=0)
    for number, row in enumerate(rows):
        if number:
            console.print()
        group = [row[c.key] for c in grouping if row[c.key]]
        if group:
            console.print(Text("  ".join(group), style="bold underline"))
        console.print(
            Text(row[head.key], style=head.style or "bold"),
            no_wrap=True,
            overflow="ignore",
            crop=False,
        )
        card = Table.grid(padding=(0, 2))
        card.add_column(style="dim", no_wrap=True, min_width=label_width)
        card.add_column()
        for column in rest:
            if row[column.key]:
                card.add_row(column.header, Text(row[column.key], style=column.style or ""))
        print_trimmed(console, Padding(card, (0, 0, 0, 2)))


_TRAILING = r" +((?:\x1b\[[0-9;]*m)*)$"  # compiled when a table is printed, not on import


def print_trimmed(console: Any, renderable: Any) -> None:
    """Print without the spaces Rich pads lines with, so copied text has no trailing blanks."""
    with console.capture() as capture:
        console.print(renderable)
    console.file.write(re.sub(_TRAILING, r"\1", capture.get(), flags=re.MULTILINE))


def box_lines_wanted() -> bool:
    """Box and rule lines, except on a terminal that cannot draw them (TERM=dumb)."""
    return os.environ.get("TERM") != "dumb"


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
