"""How facts read to a person, and how they look as data.

`figure` says a number the way a reader would ("nearly 360,000", "$5.8 billion", "45% of
GDP"); `fact_object` is the JSON contract: the fact's own fields with `source` expanded to the
source's object. Renderers never format numbers themselves; they ask here.
"""

from __future__ import annotations

from typing import Any

from migfacts.periods import MONTH_NAMES
from migfacts.records import Fact, FactBase, Source, record_to_dict

# The version of the JSON contract: field names and shapes of `--format json` output, as
# `migfacts schema --output` describes them. Every top-level object carries it as
# `json_version`. Version 2: `figure_text` became `figure`, with `where`, `when` beside it.
JSON_VERSION = 2


def versioned(record: Any) -> Any:
    """A top-level JSON object with `json_version` first; other values as they are."""
    if isinstance(record, dict):
        return {"json_version": JSON_VERSION, **record}
    return record


# Units that are counts of things, shown after the number ("13 laws"), and durations.
TIME_UNITS = frozenset({"years", "months", "days"})
COUNT_UNITS = frozenset({
    "people", "border crossings", "laws", "regions", "criminal cases", "countries", "permits",
    "quota places", "types of service",
})  # fmt: skip
_COUNTED_UNITS = (COUNT_UNITS - {"people"}) | TIME_UNITS


def _grouped(number: float) -> str:
    if float(number).is_integer():
        return f"{int(number):,}"
    return f"{number:,.10f}".rstrip("0").rstrip(".")


def _scaled(number: float) -> str:
    """1200000 → "1.2 million"; 978216 → "978,216" (exact figures keep every digit)."""
    magnitude = abs(number)
    for size, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if magnitude >= size:
            short = number / size
            # Only shorten when it loses nothing: 3,500,000 but not 978,216,001.
            if round(short, 3) * size == number:
                return f"{short:,.3f}".rstrip("0").rstrip(".") + f" {word}"
    return _grouped(number)


def amount(number: float, unit: str) -> str:
    """A number in its unit, without hedge."""
    sign = "-" if number < 0 else ""
    magnitude = abs(number)
    if unit == "US dollars":
        return f"{sign}${_scaled(magnitude)}"
    if unit == "rubles":
        return f"{sign}{_scaled(magnitude)} rubles"
    if unit == "percent":
        return f"{sign}{_grouped(magnitude)}%"
    if unit == "percent of GDP":
        return f"{sign}{_grouped(magnitude)}% of GDP"
    if unit == "times":
        return f"{sign}{_grouped(magnitude)}×"
    if unit == "calendar year":
        return str(int(number))
    if unit == "date":
        day = int(number)
        year, month, mday = day // 10000, day // 100 % 100, day % 100
        return (
            f"{mday} {MONTH_NAMES[month - 1]} {year}"
            if year
            else f"{mday} {MONTH_NAMES[month - 1]}"
        )
    text = f"{sign}{_scaled(magnitude)}"
    if unit in _COUNTED_UNITS:
        singular = unit.removesuffix("s") if magnitude == 1 else unit
        text += f" {singular}"
    return text


def figure(fact: Fact) -> str:
    """The figure as a reader would say it, hedge included."""
    hedge = "" if fact.qualifier == "exact" else f"{fact.qualifier} "
    if fact.unit == "calendar year" and fact.value is not None:
        return hedge + amount(fact.value, fact.unit)  # "2024", even when written "last year"
    if not any(ch.isdigit() for ch in fact.as_written):
        # Words read better than their number: "a third of GDP", "tenfold", "one in three".
        words = fact.as_written
        if fact.unit == "percent of GDP" and "GDP" not in words:
            words += " of GDP"
        elif fact.unit in _COUNTED_UNITS and fact.unit.split()[0].rstrip("s") not in words:
            words += f" {fact.unit}"
        sign = "minus " if fact.value is not None and fact.value < 0 else ""
        return f"{hedge}{sign}{words}"
    if fact.value is not None:
        return hedge + amount(fact.value, fact.unit)
    assert fact.low is not None and fact.high is not None
    low, high = amount(fact.low, fact.unit), amount(fact.high, fact.unit)
    return f"{hedge}{low} to {high}"


def place_label(code: str) -> str:
    """A place code as every text format writes it: in capitals ("KG", "EU", "CENTRAL-ASIA").

    The fact base writes countries' ISO codes in capitals and regions' and unions' ids in
    lower case; people read one form better. Both are accepted wherever a place is asked for.
    """
    return code.upper()


def where(fact: Fact) -> str:
    """Origin → destination, then the area, then the nationality of the people counted.

    "US → UZ; KZ, KG nationals": a flight from the US to Uzbekistan carrying Kazakh and Kyrgyz
    nationals. Each part is left out when the fact has no place in its roles.
    """
    parts = []
    if fact.origin or fact.destination:
        # An unnamed end of a flow stays blank: "→ KG" is money sent to Kyrgyzstan from
        # wherever the article does not say.
        origin = ", ".join(map(place_label, fact.origin))
        destination = ", ".join(map(place_label, fact.destination))
        parts.append(f"{origin} → {destination}".strip())
    if fact.area:
        parts.append(", ".join(map(place_label, fact.area)))
    if fact.nationality:
        parts.append(f"{', '.join(map(place_label, fact.nationality))} nationals")
    return "; ".join(parts)


def when(fact: Fact) -> str:
    return fact.period + (" (inferred)" if fact.period_basis == "inferred" else "")


def published(source: Source) -> str:
    return source.published + (" (inferred)" if source.published_basis == "inferred" else "")


def source_line(base: FactBase, fact: Fact) -> str:
    """Outlet and date, short enough for a table: a date known only as a span shows its years."""
    source = base.sources[fact.source]
    date = source.published
    if "/" in date:
        first, last = date[:4], date.split("/")[1][:4]
        date = first if first == last else f"{first}–{last}"
    inferred = " (inferred)" if source.published_basis == "inferred" else ""
    return f"{source.outlet}, {date}{inferred}"


def source_object(source: Source) -> dict[str, Any]:
    return record_to_dict(source)


def fact_object(
    base: FactBase, fact: Fact, *, source: dict[str, Any] | None = None
) -> dict[str, Any]:
    """A fact as JSON: its fields, `source` expanded, and how a reader sees it: `figure`,
    `where` and `when`, the text of the table's and csv's columns of those names. A caller
    writing many facts of one source may pass its `source_object`, made once."""
    data = record_to_dict(fact)
    data["source"] = source if source is not None else source_object(base.sources[fact.source])
    data["figure"] = figure(fact)
    data["where"] = where(fact)
    data["when"] = when(fact)
    return data


def web_url(url: str | None) -> str | None:
    """A URL to link to only when it is a web address: never `javascript:` or another scheme."""
    if url and url.lower().startswith(("https://", "http://")):
        return url
    return None
