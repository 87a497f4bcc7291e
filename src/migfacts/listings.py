"""What each command lists: the columns, text rows and JSON records handed to a renderer."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TextIO

from migfacts.errors import UsageError
from migfacts.parallel import BATCH_FACTS, PARALLEL_FACTS
from migfacts.present import (
    fact_object,
    figure,
    place_label,
    published,
    source_line,
    versioned,
    when,
    where,
)
from migfacts.records import Fact, FactBase, record_to_dict
from migfacts.render import (
    Batched,
    Column,
    Format,
    Listing,
    dumps_json,
    make_console,
    print_trimmed,
    render,
)
from migfacts.safety import safe_text

if TYPE_CHECKING:
    from migfacts.check import ClaimCheck
    from migfacts.coverage import CoverageReport

# Keys are the fields' names in every format (JSON's `source.id` is csv's `source.id`).
# Priorities: what a narrow terminal keeps. An id is never wrapped, so it can be copied whole.
FACT_COLUMNS = [
    Column("id", "ID", no_wrap=True),
    # Short fields weigh more, so they reach one line before the statement takes the rest.
    Column("figure", "Figure", style="bold", ratio=4, max_width=24),
    Column("statement", "Statement", ratio=4, min_width=24, comfort_width=36),
    Column("where", "Where", ratio=4, max_width=18),
    Column("when", "When", ratio=4, max_width=16, stack_under="where"),
    Column("status", "Status", priority=4),
    Column("source", "Source", ratio=4, max_width=36, priority=2, in_data=False),
    Column("attribution", "Attribution", ratio=3, max_width=32, priority=3),
    Column("value", "value", in_table=False),
    Column("low", "low", in_table=False),
    Column("high", "high", in_table=False),
    Column("unit", "unit", in_table=False),
    Column("qualifier", "qualifier", in_table=False),
    Column("period", "period", in_table=False),
    Column("period_basis", "period_basis", in_table=False),
    Column("source.id", "source.id", in_table=False),
    Column("source.outlet", "source.outlet", in_table=False),
    Column("source.published", "source.published", in_table=False),
    Column("source.url", "source.url", in_table=False),
]
QUOTE_COLUMN = Column("quote", "Quote", style="italic", ratio=8, min_width=30, comfort_width=40)


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else repr(value)


def fact_row(base: FactBase, fact: Fact) -> dict[str, str]:
    source = base.sources[fact.source]
    return {
        "id": fact.id,
        "figure": figure(fact),
        "statement": fact.statement,
        "where": where(fact),
        "when": when(fact),
        "status": fact.status or "",
        "source": source_line(base, fact),
        "attribution": fact.attribution or "",
        "value": _number(fact.value),
        "low": _number(fact.low),
        "high": _number(fact.high),
        "unit": fact.unit,
        "qualifier": fact.qualifier,
        "period": fact.period,
        "period_basis": fact.period_basis,
        "source.id": fact.source,
        "source.outlet": source.outlet,
        "source.published": source.published,
        "source.url": source.url or "",
        "quote": fact.quote,
    }


def facts_listing(base: FactBase, facts: Sequence[Fact], *, quotes: bool = False) -> Listing:
    """Rows and JSON objects of facts; for a stored selection, made as the renderer asks.

    Given a list, the rows and records are lists (a caller may add to them); given a
    selection read from the store, they are made a page at a time while the output is
    written, so memory follows the page and not the base; from `PARALLEL_FACTS` facts on,
    on two cores (`render.Batched`).
    """
    columns = [*FACT_COLUMNS, QUOTE_COLUMN] if quotes else list(FACT_COLUMNS)
    if isinstance(facts, list):
        return Listing(
            columns=columns,
            rows=[fact_row(base, fact) for fact in facts],
            records=[fact_object(base, fact) for fact in facts],
        )
    size = BATCH_FACTS
    pages = [range(start, min(start + size, len(facts))) for start in range(0, len(facts), size)]

    def rows_of(page: range) -> list[dict[str, str]]:
        return [fact_row(base, fact) for fact in facts[page.start : page.stop]]

    def records_of(page: range) -> list[dict[str, Any]]:
        return [fact_object(base, fact) for fact in facts[page.start : page.stop]]

    two_cores = len(facts) >= PARALLEL_FACTS
    in_worker = None if base.store is None else base.store.reconnect
    return Listing(
        columns=columns,
        rows=Batched(pages, rows_of, in_worker, on_two_cores=two_cores),
        records=Batched(pages, records_of, in_worker, on_two_cores=two_cores),
    )


def find_fact(base: FactBase, fact_id: str) -> Fact:
    fact = base.facts_by_id.get(fact_id.strip())
    if fact is not None:
        return fact
    import difflib  # only on the way to an error message

    close = difflib.get_close_matches(fact_id, list(base.facts_by_id), n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(close)}?" if close else "; `migfacts query` lists ids"
    raise UsageError(f"no fact with id {fact_id!r}{hint}")


def show_fact(base: FactBase, fact: Fact, fmt: Format, out: TextIO, *, color: bool) -> None:
    """One fact in full. JSON gives the fact object; a table reads like a record card."""
    data = versioned(fact_object(base, fact))
    if fmt in (Format.json, Format.jsonl):
        out.write(dumps_json(data, indent=2 if fmt is Format.json else None) + "\n")
        return
    fields = _show_fields(base, fact)
    if fmt is not Format.table:
        listing = Listing(
            columns=[Column("field", "Field"), Column("value", "Value")],
            rows=[{"field": k, "value": v} for k, v in fields],
        )
        render(listing, fmt, out, color=color)
        return
    from rich.table import Table
    from rich.text import Text

    console = make_console(out, color=color)
    # Without colour (asked for, or not a terminal) reverse video would not show: mark it.
    plain = console.no_color or console.color_system is None
    card = Table.grid(padding=(0, 2))
    card.add_column(style="bold")
    card.add_column()
    for key, value in fields:
        if key == "quote":
            card.add_row(key, highlighted_quote(fact, marked=plain))
        else:
            card.add_row(key, Text(safe_text(value)))
    print_trimmed(console, card)


FIGURE_MARKS = ("⟦", "⟧")  # around the figure in a quote, where colour cannot show it


def highlighted_quote(fact: Fact, *, marked: bool = False) -> Any:
    """The quote as Rich Text with every occurrence of the figure in bold reverse video.

    `marked`: also between FIGURE_MARKS, so it stands out without colour (NO_COLOR, a pipe).
    """
    from rich.text import Text

    quote, figure_text = safe_text(fact.quote), safe_text(fact.as_written)
    if marked and figure_text:
        opening, closing = FIGURE_MARKS
        quote = quote.replace(figure_text, f"{opening}{figure_text}{closing}")
        figure_text = f"{opening}{figure_text}{closing}"
    text = Text(quote, style="italic")
    text.highlight_words([figure_text], style="bold reverse", case_sensitive=True)
    return text


def _show_fields(base: FactBase, fact: Fact) -> list[tuple[str, str]]:
    source = base.sources[fact.source]
    fields: list[tuple[str, str]] = [("figure", figure(fact))]
    for key, value in record_to_dict(fact).items():
        if value in (None, [], ""):
            continue
        if isinstance(value, list):
            value = ", ".join(
                f"{place_label(v)} ({base.places[v].name})" if v in base.places else str(v)
                for v in value
            )
        fields.append((key, _number(value) if isinstance(value, int | float) else str(value)))
    fields.append(("source title", source.title))
    fields.append(("outlet", source.outlet))
    fields.append(("authors", ", ".join(source.authors) or "not named"))
    fields.append(("published", published(source)))
    if source.published_note:
        fields.append(("published note", source.published_note))
    fields.append(("url", source.url or "unknown"))
    if source.note:
        fields.append(("source note", source.note))
    return fields


def fact_counts(base: FactBase, what: str) -> Counter[str]:
    """How many facts name each source, place or topic; a stored base counts in its indexes."""
    if base.store is not None:
        return base.store.counts(what)
    counts: Counter[str] = Counter()
    for fact in base.facts:
        if what == "source":
            counts[fact.source] += 1
        else:
            counts.update(fact.places if what == "place" else fact.topics)
    return counts


def sources_listing(base: FactBase) -> Listing:
    counts = fact_counts(base, "source")
    rows, records = [], []
    for source in base.sources.values():
        rows.append(
            {
                "id": source.id,
                "outlet": source.outlet,
                "title": source.title,
                "authors": ", ".join(source.authors),
                "byline": ", ".join(source.authors) or "not named",
                "published": source.published,
                "published_basis": source.published_basis,
                "when": published(source),
                "facts": str(counts[source.id]),
                "url": source.url or "",
            }
        )
        records.append({**record_to_dict(source), "facts": counts[source.id]})
    columns = [
        Column("id", "ID", no_wrap=True),
        Column("outlet", "Outlet", style="bold", max_width=20),
        Column("title", "Title", max_width=50, min_width=20, ratio=4),
        Column("byline", "Authors", priority=3, max_width=20, in_data=False),
        Column("authors", "authors", in_table=False),
        Column("when", "Published", priority=2, max_width=24, in_data=False),
        Column("published", "published", in_table=False),
        Column("published_basis", "published_basis", in_table=False),
        Column("facts", "Facts", no_wrap=True),
        Column("url", "url", in_table=False),
    ]
    return Listing(columns=columns, rows=rows, records=records)


def places_listing(base: FactBase) -> Listing:
    counts = fact_counts(base, "place")
    rows, records = [], []
    for place in base.places.values():
        also = ", ".join(dict.fromkeys((*place.aliases, *place.demonyms)))
        rows.append(
            {
                "code": place_label(place.code),
                "name": place.name,
                "kind": place.kind,
                "also": also,
                "aliases": ", ".join(place.aliases),
                "demonyms": ", ".join(place.demonyms),
                "members": ", ".join(place_label(m) for m in place.members),
                "facts": str(counts[place.code]),
            }
        )
        records.append({**record_to_dict(place), "facts": counts[place.code]})
    columns = [
        Column("code", "Code", style="bold", no_wrap=True),
        Column("name", "Name", max_width=24),
        Column("kind", "Kind", priority=3),
        Column("also", "Also", max_width=40, ratio=2, priority=2, in_data=False),
        Column("aliases", "aliases", in_table=False),
        Column("demonyms", "demonyms", in_table=False),
        Column("members", "Members", max_width=30, priority=2),
        Column("facts", "Facts", no_wrap=True),
    ]
    return Listing(columns=columns, rows=rows, records=records)


def topics_listing(base: FactBase) -> Listing:
    counts = fact_counts(base, "topic")
    rows, records = [], []
    for topic in base.topics.values():
        rows.append(
            {
                "id": topic.id,
                "label": topic.label,
                "aliases": ", ".join(topic.aliases),
                "description": topic.description,
                "facts": str(counts[topic.id]),
            }
        )
        records.append({**record_to_dict(topic), "facts": counts[topic.id]})
    columns = [
        Column("id", "ID", style="bold", no_wrap=True),
        Column("label", "Label", max_width=24, priority=3),
        Column("aliases", "Aliases", max_width=40, ratio=2, priority=2),
        Column("description", "Description", max_width=50, ratio=3, min_width=20, priority=2),
        Column("facts", "Facts", no_wrap=True),
    ]
    return Listing(columns=columns, rows=rows, records=records)


def coverage_listing(report: CoverageReport, *, missing_only: bool = False) -> Listing:
    entries = [e for e in report.entries if e.status == "missing" or not missing_only]
    columns = [
        Column("source", "Source", no_wrap=True),
        Column("line", "Line", no_wrap=True),
        Column("number", "Number", style="bold", max_width=20),
        Column("status", "Status", no_wrap=True),
        Column("by", "By", max_width=40, priority=2),
        Column("context", "Context", max_width=60, min_width=20, ratio=3, priority=3),
        Column("column", "column", in_table=False),
    ]
    rows = [
        {
            "source": e.source,
            "line": str(e.line),
            "column": str(e.column),
            "number": e.text,
            "status": e.status,
            "by": e.by,
            "context": e.context,
        }
        for e in entries
    ]
    records = [
        {
            "source": e.source,
            "line": e.line,
            "column": e.column,
            "number": e.text,
            "status": e.status,
            "by": e.by,
            "context": e.context,
        }
        for e in entries
    ]
    return Listing(columns=columns, rows=rows, records=records)


def coverage_summary(report: CoverageReport) -> str:
    lines = []
    for source, counts in report.summary().items():
        parts = ", ".join(f"{counts[k]} {k}" for k in ("fact", "period", "skipped", "missing"))
        lines.append(f"{source}: {sum(counts.values())} numbers: {parts}")
    for skip in report.unused_skips:
        lines.append(f"note: the skip {skip} accounts for no number the reader finds")
    total_missing = len(report.missing)
    lines.append(
        "coverage: complete" if not total_missing else f"coverage: {total_missing} missing"
    )
    return "\n".join(lines)


def check_listing(base: FactBase, checks: list[ClaimCheck]) -> Listing:
    """One row per claim; JSON carries each figure's verdict and the evidence as fact objects."""
    rows, records = [], []
    for item in checks:
        evidence = item.evidence
        rows.append({
            "claim": item.claim,
            "verdict": item.verdict,
            "explanation": item.explanation,
            "evidence": "\n".join(
                f"{fact.id}: “{fact.quote}” ({source_line(base, fact)})" for fact in evidence
            ),
        })  # fmt: skip
        records.append({
            "claim": item.claim,
            "line": item.line,
            "verdict": item.verdict,
            "explanation": item.explanation,
            "figures": [
                {"figure": f.text, "verdict": f.verdict, "explanation": f.explanation,
                 "evidence": [fact.id for fact in f.evidence]}
                for f in item.figures
            ],
            "evidence": [fact_object(base, fact) for fact in evidence],
        })  # fmt: skip
    columns = [
        Column("claim", "Claim", max_width=40, min_width=16, ratio=2),
        Column("verdict", "Verdict", style="bold", no_wrap=True),
        Column("explanation", "Explanation", max_width=60, min_width=20, ratio=3, priority=2),
        Column(
            "evidence", "Evidence", max_width=70, min_width=24, ratio=3, style="italic", priority=3
        ),
    ]
    return Listing(columns=columns, rows=rows, records=records)
