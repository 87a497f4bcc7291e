"""What each command lists: the columns, text rows and JSON records handed to a renderer."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any, TextIO

from migfacts.errors import UsageError
from migfacts.present import fact_object, figure, published, source_line, when, where
from migfacts.records import Fact, FactBase, record_to_dict
from migfacts.render import Column, Format, Listing, dumps_json, make_console, render
from migfacts.safety import safe_text

if TYPE_CHECKING:
    from migfacts.check import ClaimCheck
    from migfacts.coverage import CoverageReport

FACT_COLUMNS = [
    Column("id", "ID", style="dim", ratio=3),
    Column("figure", "Figure", style="bold", ratio=2),
    Column("statement", "What", ratio=4),
    Column("where", "Where", ratio=2),
    Column("when", "When", ratio=2),
    Column("source", "Source", ratio=3),
    Column("value", "value", in_table=False),
    Column("low", "low", in_table=False),
    Column("high", "high", in_table=False),
    Column("unit", "unit", in_table=False),
    Column("qualifier", "qualifier", in_table=False),
    Column("period", "period", in_table=False),
    Column("period_basis", "period_basis", in_table=False),
    Column("source_id", "source_id", in_table=False),
    Column("url", "url", in_table=False),
]
QUOTE_COLUMN = Column("quote", "Quote", style="italic", ratio=5)


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
        "source": source_line(base, fact),
        "value": _number(fact.value),
        "low": _number(fact.low),
        "high": _number(fact.high),
        "unit": fact.unit,
        "qualifier": fact.qualifier,
        "period": fact.period,
        "period_basis": fact.period_basis,
        "source_id": fact.source,
        "url": source.url or "",
        "quote": fact.quote,
    }


def facts_listing(base: FactBase, facts: list[Fact], *, quotes: bool = False) -> Listing:
    columns = [*FACT_COLUMNS, QUOTE_COLUMN] if quotes else list(FACT_COLUMNS)
    return Listing(
        columns=columns,
        rows=[fact_row(base, fact) for fact in facts],
        records=[fact_object(base, fact) for fact in facts],
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
    data = fact_object(base, fact)
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
    card = Table.grid(padding=(0, 2))
    card.add_column(style="bold")
    card.add_column()
    for key, value in fields:
        if key == "quote":
            card.add_row(key, highlighted_quote(fact))
        else:
            card.add_row(key, Text(safe_text(value)))
    console.print(card)


def highlighted_quote(fact: Fact) -> Any:
    """The quote as Rich Text with every occurrence of the figure in bold."""
    from rich.text import Text

    text = Text(safe_text(fact.quote), style="italic")
    text.highlight_words([safe_text(fact.as_written)], style="bold reverse", case_sensitive=True)
    return text


def _show_fields(base: FactBase, fact: Fact) -> list[tuple[str, str]]:
    source = base.sources[fact.source]
    fields: list[tuple[str, str]] = [("figure", figure(fact))]
    for key, value in record_to_dict(fact).items():
        if value in (None, [], ""):
            continue
        if isinstance(value, list):
            value = ", ".join(
                f"{v} ({base.places[v].name})" if v in base.places else str(v) for v in value
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


def sources_listing(base: FactBase) -> Listing:
    counts = Counter(fact.source for fact in base.facts)
    rows, records = [], []
    for source in base.sources.values():
        rows.append(
            {
                "id": source.id,
                "outlet": source.outlet,
                "title": source.title,
                "authors": ", ".join(source.authors) or "not named",
                "published": published(source),
                "facts": str(counts[source.id]),
                "url": source.url or "",
            }
        )
        records.append({**record_to_dict(source), "facts": counts[source.id]})
    columns = [
        Column("id", "ID", style="dim"),
        Column("outlet", "Outlet", style="bold"),
        Column("title", "Title", max_width=50),
        Column("authors", "Authors"),
        Column("published", "Published"),
        Column("facts", "Facts"),
        Column("url", "url", in_table=False),
    ]
    return Listing(columns=columns, rows=rows, records=records)


def places_listing(base: FactBase) -> Listing:
    counts: Counter[str] = Counter()
    for fact in base.facts:
        counts.update(fact.places)
    rows, records = [], []
    for place in base.places.values():
        names = ", ".join((*place.aliases, *place.demonyms))
        rows.append(
            {
                "code": place.code,
                "name": place.name,
                "kind": place.kind,
                "names": names,
                "members": ", ".join(place.members),
                "facts": str(counts[place.code]),
            }
        )
        records.append({**record_to_dict(place), "facts": counts[place.code]})
    columns = [
        Column("code", "Code", style="bold"),
        Column("name", "Name"),
        Column("kind", "Kind"),
        Column("names", "Also", max_width=40),
        Column("members", "Members", max_width=30),
        Column("facts", "Facts"),
    ]
    return Listing(columns=columns, rows=rows, records=records)


def topics_listing(base: FactBase) -> Listing:
    counts: Counter[str] = Counter()
    for fact in base.facts:
        counts.update(fact.topics)
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
        Column("id", "ID", style="bold"),
        Column("label", "Label"),
        Column("aliases", "Also", max_width=40),
        Column("description", "Description", max_width=50),
        Column("facts", "Facts"),
    ]
    return Listing(columns=columns, rows=rows, records=records)


def coverage_listing(report: CoverageReport, *, missing_only: bool = False) -> Listing:
    entries = [e for e in report.entries if e.status == "missing" or not missing_only]
    columns = [
        Column("source", "Source", style="dim"),
        Column("line", "Line"),
        Column("number", "Number", style="bold"),
        Column("status", "Status"),
        Column("by", "By", max_width=40),
        Column("context", "Context", max_width=60),
    ]
    rows = [
        {
            "source": e.source,
            "line": str(e.line),
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
        Column("claim", "Claim", max_width=40),
        Column("verdict", "Verdict", style="bold", no_wrap=True),
        Column("explanation", "Why", max_width=60),
        Column("evidence", "Evidence", max_width=70, style="italic"),
    ]
    return Listing(columns=columns, rows=rows, records=records)
