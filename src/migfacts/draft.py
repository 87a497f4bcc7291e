"""Drafts of facts from an article's text: what the project can read, for a person to finish.

For every number in the article that no fact or skip accounts for yet (the numbers `coverage`
counts, found by the one number reader `numbers.find_numbers`), `draft_article` proposes
- a `[[fact]]` stub with what can be read: `as_written`, `value` (or `low`/`high`), the
  `qualifier` from the hedge, the `unit`, the whole sentence as `quote`, the `period` with its
  basis (and, when inferred, what the inference rests on: a relative "last year" anchored by
  the source's publication date), places in their roles from the name resolver, `topics` from
  the topic words, and the `attribution` from "according to X", "X said", "citing X";
- or a `[[skip]]` stub with a reason, for numbers that look like no figure: ages, dates of
  events, lines of page furniture, spans of time that only date something.

A fact stub never has a `statement`: a person writes it, and until they do the base does not
validate, so a draft cannot pass for a fact. A field the reader could not fill is left out
(with a comment saying so), and the base does not validate without it either.

The readers of relative years ("last year", "in January") and of attributions live here, not
in `numbers.py`, which reads figures only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from migfacts.anchors import RelativeDate
from migfacts.names import NameIndex, normalize, place_index, topic_index
from migfacts.numbers import NumberMention, ParsedNumber, find_numbers
from migfacts.periods import MONTH_NAMES, Period, PeriodError, parse_period
from migfacts.records import Fact, Place, Topic
from migfacts.validate import squash

# The format gains a `nationality` role (citizenship of the people counted) in parallel work;
# drafts fill it when the record has it, and record citizenship as `origin` otherwise.
HAS_NATIONALITY = "nationality" in Fact._fields

_MONTHS = {name.lower(): number for number, name in enumerate(MONTH_NAMES, start=1)}
_MONTH_WORD = "|".join(MONTH_NAMES)

# --- sentences --------------------------------------------------------------------------

_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "st", "no", "vs", "etc", "e.g", "i.e", "u.s", "u.k", "u.n", "jr",
    "sr", "prof", "gen", "gov", "sen", "rep", "inc", "ltd", "co", "corp", "jan", "feb", "mar",
    "apr", "aug", "sept", "sep", "oct", "nov", "dec",
}  # fmt: skip
_SENTENCE_END = re.compile(r"[.!?…]+[\"”’)\]]*(?=\s+[\"“‘(\[]?[A-Z0-9$])")


def sentences(line: str) -> list[str]:
    """A line of text cut into sentences, each exactly as written."""
    pieces: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(line):
        before = line[start : match.start()].split()
        word = before[-1].lower().strip('("“') if before else ""
        if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
            continue  # "Mr. Smith", "U.S. dollar", an initial
        pieces.append(line[start : match.end()].strip())
        start = match.end()
    pieces.append(line[start:].strip())
    return [_unquoted(piece) for piece in pieces if piece]


def _unquoted(sentence: str) -> str:
    """Without an opening quotation mark that nothing in the sentence closes: the speech goes
    on into the next sentence, and the quote is the sentence, not the mark."""
    if sentence[:1] == "“" and "”" not in sentence:
        return sentence[1:].lstrip()
    if sentence[:1] == '"' and sentence.count('"') == 1:
        return sentence[1:].lstrip()
    return sentence


@dataclass(frozen=True)
class Sentence:
    text: str  # as written
    line: int  # 1-based line of the archived text
    furniture: str | None  # why the whole line is not article text, if it is not


_BULLET = re.compile(r"^\s*(?:[-•*·–—]|\d+[.)])\s+")
_BYLINE = re.compile(r"^\s*(?:originally\s+)?(?:published|posted|updated)\b|^\s*by\s+[A-Z]", re.I)


def _furniture(line: str) -> str | None:
    text = line.strip()
    if _BYLINE.match(text):
        return "The page's byline or publication line, not a figure of the article."
    ends = text.endswith((".", "!", "?", "…", "”", '"', ":", ";", ","))
    if _BULLET.match(text) and not ends:
        return "A headline in a list on the page (page furniture), not part of the article."
    if not ends and len(text.split()) <= 12:
        return "A heading or caption on the page, not a sentence of the article."
    return None


def split_article(raw: str) -> list[Sentence]:
    found = []
    for number, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        furniture = _furniture(line)
        for text in sentences(line):
            found.append(Sentence(text, number, furniture))
    return found


# --- what is accounted for already ------------------------------------------------------


def _spans(text: str, needle: str, within: tuple[int, int] | None = None) -> list[tuple[int, int]]:
    needle = squash(needle)
    start, end = within or (0, len(text))
    found = []
    index = text.find(needle, start, end) if needle else -1
    while index != -1:
        found.append((index, index + len(needle)))
        index = text.find(needle, index + 1, end)
    return found


@dataclass
class _Claims:
    """Spans of the (squashed) article that existing facts and skips account for."""

    figures: list[tuple[int, int]] = field(default_factory=list)
    quotes: list[tuple[tuple[int, int], str | None]] = field(default_factory=list)  # + period

    def covers(self, span: tuple[int, int], mention: ParsedNumber) -> bool:
        if any(a < span[1] and span[0] < b for a, b in self.figures):
            return True
        if mention.kind not in ("year", "date"):
            return False
        for (a, b), period in self.quotes:
            if a <= span[0] and span[1] <= b and _year_in(mention, period):
                return True
        return False

    def covers_time(self, span: tuple[int, int], period: Period) -> bool:
        """A relative date ("last year"): a figure itself, or the period of a fact's quote."""
        if any(a < span[1] and span[0] < b for a, b in self.figures):
            return True
        return any(
            a <= span[0] and span[1] <= b and _overlaps_period(period, iso)
            for (a, b), iso in self.quotes
        )


def _overlaps_period(period: Period, iso: str | None) -> bool:
    if not iso:
        return False
    try:
        return parse_period(iso).overlaps(period)
    except PeriodError:
        return False


def _year_in(mention: ParsedNumber, period: str | None) -> bool:
    if not period:
        return False
    try:
        interval = parse_period(period)
    except PeriodError:
        return False
    if mention.kind == "year":
        return interval.start.year <= int(mention.high) and int(mention.low) <= interval.end.year
    year = int(mention.value) // 10000
    return year == 0 or interval.start.year <= year <= interval.end.year


def _claims(
    article: str, facts: Iterable[Mapping[str, Any]], skips: Iterable[Mapping[str, Any]]
) -> _Claims:
    claims = _Claims()
    for fact in facts:
        quote, written = fact.get("quote"), fact.get("as_written")
        if not isinstance(quote, str):
            continue
        for quote_span in _spans(article, quote):
            if isinstance(written, str):
                claims.figures += _spans(article, written, quote_span)
            period = fact.get("period")
            claims.quotes.append((quote_span, period if isinstance(period, str) else None))
    for skip in skips:
        quote, written = skip.get("quote"), skip.get("as_written")
        if isinstance(quote, str) and isinstance(written, str):
            for quote_span in _spans(article, quote):
                claims.figures += _spans(article, written, quote_span)
    return claims


# --- the stubs --------------------------------------------------------------------------


@dataclass
class Stub:
    """A proposed `[[fact]]` or `[[skip]]`: fields in the format's order, None where unknown."""

    table: str  # "fact" or "skip"
    fields: dict[str, Any]
    line: int
    missing: list[str] = field(default_factory=list)  # "field: why the reader left it out"
    guessed: list[str] = field(default_factory=list)  # "field: what a guess rests on"


@dataclass(frozen=True)
class SourceInfo:
    id: str | None
    published: str | None  # ISO, as the source records it


_HEDGE_QUALIFIER = {
    "an estimated": "estimated",
    "close to": "about",
    "above": "over",
    "in excess of": "over",
    "at most": "up to",
}
_QUALIFIERS = {
    "exact", "about", "approximately", "roughly", "around", "some", "estimated", "probably",
    "nearly", "almost", "just under", "over", "more than", "just over", "at least", "up to",
}  # fmt: skip

_PEOPLE = (
    "migrants", "migrant", "workers", "worker", "people", "persons", "person", "individuals",
    "citizens", "nationals", "foreigners", "residents", "professionals", "specialists",
    "victims", "students", "soldiers", "lives", "compatriots", "violators", "deportees",
    "employees", "laborers", "labourers", "men", "women", "children", "refugees", "immigrants",
    "emigrants", "guest", "returnees", "applicants", "recruits", "detainees", "suspects",
)  # fmt: skip
_COUNT_UNITS = {
    **{word: "people" for word in _PEOPLE},
    "crossings": "border crossings",
    "entries": "border crossings",
    "laws": "laws",
    "law": "laws",
    "regions": "regions",
    "cases": "criminal cases",
    "countries": "countries",
    "permits": "permits",
    "quotas": "quota places",
    "slots": "quota places",
    "places": "quota places",
    "types": "types of service",
}
_SKIPPABLE = re.compile(r"^(?:\s*(?:of|more|new|such|other|illegal|legal|labor|labour|foreign|"
                        r"registered|undocumented|irregular|young|additional|local|migrant|"
                        r"highly|qualified|skilled|low-skilled|unskilled|work-related)\b)+",
                        re.I)  # fmt: skip
_TIME_UNITS = {"year": "years", "month": "months", "day": "days"}
_GDP_AFTER = re.compile(r"^\W{0,3}(?:\w+\W+){0,4}?(?:GDP|gross domestic product)\b", re.I)
_FALL_BEFORE = re.compile(
    r"(?:\b(?:fell|fallen|falls|dropped|drops|declined|declines|decreased|decreases|shrank|"
    r"shrunk|devalued|contracted|down)\b[^.;]{0,12}?\bby\W*(?:[\d.,]+\s+and\W*)?"
    r"|\b(?:contraction|deficit|decline|drop|fall|decrease|loss)\s+of\W*)$",
    re.I,
)


def _number(value: Decimal) -> int | float:
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def _unit(mention: NumberMention, after: str, before: str = "", text: str = "") -> str | None:
    parsed = mention.parsed
    if parsed.currency == "USD":
        return "US dollars"
    if parsed.currency == "RUB":
        return "rubles"
    if parsed.kind in ("percent", "fraction"):
        return "percent of GDP" if _GDP_AFTER.match(after) else "percent"
    if parsed.kind == "multiplier":
        return "times"
    if parsed.kind == "date":
        return "date"
    if parsed.kind == "year":
        return "calendar year"
    unit_word = re.search(r"[\s-](years?|months?|days?)$", parsed.text, re.I)
    if unit_word:
        return _TIME_UNITS[unit_word.group(1).lower().rstrip("s")]
    if re.match(r"^\s+and\s+[\d.]+\s*(?:%|percent|per cent)", after):
        return "percent"  # "by 29 and 49 percent"
    if re.match(r"^\s+times\b", after) and re.search(r"\bcross", text, re.I):
        return "border crossings"  # "crossed the border ... 3.5 million times"
    rest = _SKIPPABLE.sub("", after)
    words = re.findall(r"[A-Za-z][\w’'-]*", rest[:60])
    for index, word in enumerate(words[:3]):
        unit = _COUNT_UNITS.get(word.lower())
        if unit is not None:
            return unit
        if word[0].isupper() and index == 0:
            return "people"  # "35,000 Kyrgyz", "14,000 Tajiks": a people named by a demonym
    # The noun may come before: "with 22,000 slots ... and 271,300 for domestic workers",
    # "the number of labor migrants in Russia fell from 3 million".
    clause = re.split(r"[.;:!?]", before)[-1]
    counted = re.search(
        r"\b(?:number|total|count|population|influx|outflow|deficit|surplus)\s+of\s+"
        r"(?:[\w’'-]+\s+){0,3}?(" + "|".join(_PEOPLE) + r")\b",
        clause,
        re.I,
    )
    if counted or re.search(r"\bmigration\b[^.;]*\b(?:deficit|surplus)\s+of\s+$", clause):
        return "people"
    for word in reversed(re.findall(r"[A-Za-z][\w’'-]*", clause)[-8:]):
        unit = _COUNT_UNITS.get(word.lower())
        if unit is not None and unit != "people":
            return unit
        if word.lower() in ("quota", "quotas"):
            return "quota places"
    return None


def _value_fields(mention: NumberMention, unit: str | None, negative: bool) -> dict[str, Any]:
    parsed = mention.parsed
    sign = -1 if negative else 1
    if parsed.kind == "fraction" and unit in ("percent", "percent of GDP"):
        percent = round(parsed.value * 100, 2)
        return {"value": sign * _number(percent)}
    if parsed.is_range:
        return {"low": _number(parsed.low), "high": _number(parsed.high)}
    return {"value": sign * _number(parsed.value)}


def _qualifier(parsed: ParsedNumber, before: str = "") -> str | None:
    if parsed.hedge is None:
        return "exact"
    hedge_at = before[: len(before.rstrip()) - len(parsed.hedge)].rstrip()
    if parsed.hedge == "up to" and re.search(r"\bfrom\s+\S+(?:\s+\S+)?$", hedge_at):
        return "exact"  # "from 10.5 percent up to 17 percent": a change, not a bound
    if (
        parsed.hedge == "over"
        and not hedge_at
        and parsed.kind == "count"
        and (re.search(r"\b(?:years?|months?|weeks?|days?)$", parsed.text))
    ):
        return "exact"  # "Over three days in March, ...": during, not more than
    return _hedge_qualifier(parsed.hedge)


def _hedge_qualifier(hedge: str) -> str | None:
    qualifier = _HEDGE_QUALIFIER.get(hedge, hedge)
    return qualifier if qualifier in _QUALIFIERS else None


# --- periods ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Anchor:
    """The publication date that dates what a sentence leaves undated: its (first) year.

    Relative dates ("last year") are read against the whole date by `anchors.py`."""

    year: int
    text: str
    years: str  # the publication's year, or its years when it is known only as a span

    @classmethod
    def of(cls, published: str | None) -> _Anchor | None:
        try:
            period = parse_period(published or "")
        except PeriodError:
            return None
        first, last = period.start.year, period.end.year
        years = str(first) if first == last else f"{first}/{last}"
        return cls(first, published or "", years)


def _years_in(sentence: str, mentions: Sequence[NumberMention]) -> list[tuple[int, str, str]]:
    """Explicit times in a sentence as (position, ISO period, basis), "August 2024" as a month."""
    found = []
    for mention in mentions:
        parsed = mention.parsed
        if parsed.kind == "year":
            low, high = int(parsed.low), int(parsed.high)
            month = re.search(rf"\b({_MONTH_WORD})\s+$", sentence[: mention.start])
            if month and low == high:
                found.append((mention.start, f"{low}-{_MONTHS[month[1].lower()]:02d}", "stated"))
            else:
                found.append(
                    (mention.start, str(low) if low == high else f"{low}/{high}", "stated")
                )
        elif parsed.kind == "date" and int(parsed.value) // 10000:
            number = int(parsed.value)
            iso = f"{number // 10000}-{number // 100 % 100:02d}-{number % 100:02d}"
            found.append((mention.start, iso, "stated"))
    return found


_COMPARED = re.compile(
    r"^\W{0,3}(?:\w+\s+){0,2}?(?:more|higher|less|lower|greater|up|down|above|below)\s+"
    r"(?:than|from|on)\s+(?:in\s+|the\s+)?(\d{4})\b"
    r"|^\W{0,3}(?:\w+\s+){0,2}?compared\s+(?:to|with)\s+(?:in\s+)?(\d{4})\b",
    re.I,
)


def iso_period(period: Period) -> str:
    """A period as the format writes it: a year, a month, a day, or an interval of those."""
    start, end = period.start, period.end
    whole_years = (start.month, start.day, end.month, end.day) == (1, 1, 12, 31)
    if whole_years:
        return str(start.year) if start.year == end.year else f"{start.year}/{end.year}"
    month_end = (date(end.year + end.month // 12, end.month % 12 + 1, 1) - end).days == 1
    if start.day == 1 and month_end:
        first, last = f"{start.year}-{start.month:02d}", f"{end.year}-{end.month:02d}"
        return first if first == last else f"{first}/{last}"
    first, last = start.isoformat(), end.isoformat()
    return first if first == last else f"{first}/{last}"


def _relative(sentence: str, published: str) -> tuple[str, str] | None:
    """A time written relative to the publication ("last year", "in January"), read by the
    one reader of such dates (`anchors.py`), as (ISO period, note); None if there is none."""
    from migfacts.anchors import find_relative_dates

    found = find_relative_dates(sentence, published)
    if not found:
        return None
    said = found[0]
    return iso_period(said.period), f'"{said.text}" in an article published {published}'


_ATTACHED = re.compile(r"^\s*(?:in|for|of|as of|by)?\s*$", re.I)
_COMPARISON_BASE = re.compile(r"\b(?:than|from|compared (?:to|with))\s+(?:in\s+|the\s+)?$", re.I)
_PRESENT = re.compile(r"\b(?:is|are|currently|today|now|nowadays|this year)\b", re.I)


def _own_times(
    sentence: str,
    mention: NumberMention,
    times: list[tuple[int, str, str]],
    figures: Sequence[NumberMention],
) -> list[tuple[int, str, str]]:
    """The times that may date this figure: not one that dates another figure ("$2.7 billion
    in 2023"), the base of a comparison ("than in 2023") or the start of a trend ("since")."""
    mine = []
    for item in times:
        position = item[0]
        attached = [
            f for f in figures
            if f.end <= position and _ATTACHED.match(sentence[f.end : position])
        ]  # fmt: skip
        if attached and attached[-1].start != mention.start:
            continue
        if _COMPARISON_BASE.search(sentence[:position]) and not attached:
            continue
        mine.append(item)
    if not mine:  # every year dates something else: the nearest still serves
        mine = times
    # "for the first time since 2009": where a trend starts, never the figure's time.
    return [t for t in mine if not re.search(r"\bsince\s+$", sentence[: t[0]], re.I)]


# Times named by what happened then, as SOURCES.md reads them for the bundled articles.
_ERAS = [
    (
        re.compile(r"\bbefore the (?:COVID-19 |coronavirus )?pandemic\b", re.I),
        "2019/2020-02",
        "the pandemic reached Central Asia in March 2020; read as 2019 to February 2020",
    ),
    (
        re.compile(r"\bthe year after the pandemic\b", re.I),
        "2021",
        "read as the year after 2020, the pandemic's first year",
    ),
]


def _small_number(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    parsed = find_numbers(word)
    return int(parsed[0].parsed.value) if parsed and parsed[0].parsed.kind == "count" else None


def _period(
    sentence: str,
    mention: NumberMention,
    times: list[tuple[int, str, str]],
    anchor: _Anchor | None,
    figures: Sequence[NumberMention] = (),
    context: str | None = None,
) -> tuple[str | None, str | None, str | None]:
    """(period, basis, note) for a figure, or Nones when nothing dates it.

    `context` is the last year stated in the sentences just before, for a past-tense
    sentence that gives none of its own."""
    after = sentence[mention.end :]
    now = re.match(r"^\W{0,3}(?:[\w’'-]+\s+){0,8}?(?:today|currently|nowadays)\b", after)
    if now and anchor is not None:  # "up to 10 percent of Russia's workforce today"
        note = f'"{now.group(0).split()[-1]}" in an article published {anchor.text}'
        return anchor.years, "inferred", note
    if times:
        following = re.match(r"^\W{0,3}(?:\w+\s+){0,2}?(?:the next|the following) year\b", after)
        earlier = [item for item in times if item[0] < mention.start]
        if following and earlier:
            year = int(earlier[-1][1][:4]) + 1
            return str(year), "inferred", f'"{following.group(0).strip()}" after {earlier[-1][1]}'

        compared = _COMPARED.match(after)
        if compared:
            other = int(compared.group(1) or compared.group(2))
            years = [int(iso[:4]) for _, iso, _ in times if int(iso[:4]) != other]
            if years:
                first, last = sorted((other, years[0]))
                return f"{first}/{last}", "stated", None

        def distance(item: tuple[int, str, str]) -> tuple[int, int]:
            position = item[0]
            if position >= mention.end:
                return (position - mention.end, 0)  # a year after the figure wins a tie
            return (mention.start - position, 1)

        own = _own_times(sentence, mention, times, figures)
        if own:
            _position, iso, basis = min(own, key=distance)
            return iso, basis, None
        # Every year of the sentence dates something else: read the figure as if it had none.
    for pattern, period, why in _ERAS:
        match = pattern.search(sentence)
        if match:
            return period, "inferred", f'"{match.group(0)}": {why}'
    if anchor is not None:
        span = re.search(
            r"\b(?:in|over|during|for) the (?:last|past|previous) (\w+) years\b", sentence, re.I
        )
        count = _small_number(span.group(1)) if span else None
        if span and count:
            note = f'"{span.group(0)}" in an article published {anchor.text}'
            return f"{anchor.year - count}/{anchor.year}", "inferred", note
        relative = _relative(sentence, anchor.text)
        if relative is not None:
            return relative[0], "inferred", relative[1]
    if context is not None and not _PRESENT.search(sentence):
        return (
            context,
            "inferred",
            f"The sentence gives no date; the text just before it speaks of {context}.",
        )
    if anchor is None:
        return None, None, None
    return (
        anchor.years,
        "inferred",
        f"The sentence gives no date; dated to the article's publication ({anchor.text}). "
        "Check whether the figure is older.",
    )


# --- places and roles -------------------------------------------------------------------


@dataclass(frozen=True)
class _PlaceMention:
    code: str
    start: int
    end: int
    demonym: bool


def _place_mentions(sentence: str, index: NameIndex, demonyms: set[str]) -> list[_PlaceMention]:
    found = []
    taken: list[tuple[int, int]] = []
    for code, phrase in index.find_in_text(sentence):
        if normalize(phrase) not in index.codes:
            continue  # a plural guess: "State" is not "the States"
        for match in re.finditer(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", sentence):
            span = (match.start(), match.end())
            if re.match(r"^\.?\s+dollars?\b", sentence[match.end() :], re.I):
                continue  # "the U.S. dollar" is a currency
            if any(a < span[1] and span[0] < b for a, b in taken):
                continue
            taken.append(span)
            is_demonym = normalize(phrase) in demonyms
            found.append(_PlaceMention(code, match.start(), match.end(), is_demonym))
    return sorted(found, key=lambda p: p.start)


_FROM = re.compile(r"(?<!apart )(?<!aside )\b(?:from|out of|leaving|left)\s+(?:the\s+)?$", re.I)
_TO = re.compile(r"\b(?:to|into|for|towards?|entering|entered|reach(?:ed)?)\s+(?:the\s+)?$", re.I)
_IN = re.compile(r"\b(?:in|within|inside|at|across)\s+(?:the\s+)?$", re.I)
_NATIONALS = re.compile(r"^\s+(?:citizens|nationals|passport holders|subjects)\b", re.I)


_PEOPLE_AFTER = re.compile(r"^\s+(?:[a-z-]+\s+){0,2}?(?:" + "|".join(_PEOPLE) + r")\b")
_WHERE = re.compile(r"^,?\s+where\b")
_SENDS = re.compile(r"\b(?:sends?|sent|sending)\b(?![^.;]*\bfrom\b)", re.I)
_SENDER = re.compile(
    r"^\s+(?:remains|is|was|has been)\s+the\s+(?:main|largest|biggest|top|leading)\s+source\b"
)
# Topics about people who move: a place they are "in" is where they went.
_MOVING_TOPICS = {
    "labor-migrants", "undocumented-migrants", "border-crossings", "employment-abroad",
    "legalization", "permits",
}  # fmt: skip


def _roles(
    sentence: str,
    mention: NumberMention,
    places: list[_PlaceMention],
    topics: list[str],
    figures: Sequence[NumberMention] = (),
) -> dict[str, list[str]]:
    roles: dict[str, list[str]] = {"origin": [], "destination": [], "area": [], "nationality": []}
    # A demonym or "from X" right after the figure belongs to it alone ("35,000 Kyrgyz,
    # 14,000 Tajiks"): other figures' demonyms are left to them.
    own = [
        p
        for p in places
        if 0 <= p.start - mention.end <= 25
        and (p.demonym or _FROM.search(sentence[mention.end : p.start]))
    ]
    others = {p.start for p in places if p.demonym or _FROM.search(sentence[: p.start])} - {
        p.start for p in own
    }
    if len(figures) > 1:  # only another figure can own them
        places = [p for p in places if not (own and p.start in others)]
    # With several figures, a place between this figure and the next ("2.6 percent in 2020
    # in Kazakhstan, from 4.6 percent ...") is this figure's.
    others_figures = [f for f in figures if f.start != mention.start]
    if others_figures:
        after_next = min((f.start for f in others_figures if f.start > mention.end), default=None)
        before_last = max((f.end for f in others_figures if f.end <= mention.start), default=0)
        paired = after_next is not None and re.match(
            r"^\s*(?:in\s+\d{4}\s+)?to\b(?:\s+a\s+\w+\s+of)?\s*$",
            sentence[mention.end : after_next],
        )
        if paired and re.search(r"\bfrom\s+$", sentence[: mention.start]):
            # "from 4.6 percent in 2019 to 8.6 percent in 2020 in Kyrgyzstan": the pair's place.
            partner = next(f for f in others_figures if f.start == after_next)
            before_last = partner.end
            after_next = min(
                (f.start for f in others_figures if f.start > partner.end), default=None
            )
        segment = [
            p for p in places
            if before_last <= p.start and (after_next is None or p.end <= after_next)
        ]  # fmt: skip
        if segment:
            places = segment
    money = "remittances" in topics
    # Citizens counted where they work abroad moved there (origin); citizens deported,
    # killed or charged are counted by nationality.
    moving_topic = bool(_MOVING_TOPICS & set(topics))
    previous: tuple[_PlaceMention, str] | None = None
    for place in places:
        before = sentence[max(0, place.start - 20) : place.start]
        after = sentence[place.end :]
        joined = previous is not None and re.fullmatch(
            r",?\s+(?:and|or)\s+|,\s+", sentence[previous[0].end : place.start]
        )
        if joined and previous is not None:
            role = previous[1]  # "to Kyrgyzstan and Tajikistan": both in the same role
        elif place.demonym:
            is_people = place in own or bool(_PEOPLE_AFTER.match(after))
            citizens = bool(_NATIONALS.match(after))
            if not is_people:
                role = "area"  # an adjective: "the Russian economy"
            elif HAS_NATIONALITY and citizens and not money and not moving_topic:
                role = "nationality"
            else:
                role = "origin"
        elif _WHERE.match(after) and place.end <= mention.start:
            role = "in"  # "Russia, where 379,000 ..."
        elif re.search(r"\b(?:citizens|nationals|natives) of\s+$", before):
            role = "nationality" if HAS_NATIONALITY and not moving_topic else "origin"
        elif _FROM.search(before):
            role = "origin"
        elif _TO.search(before):
            role = "destination"
        elif _IN.search(before):
            role = "in"
        elif _SENDER.match(after) or (
            place.end <= mention.start and _SENDS.search(sentence[place.end : mention.start])
        ):
            role = "origin"  # "Uzbekistan, which sends more labor migrants to Russia", "the
            # main source of remittances"
        else:
            role = "area"
        roles.setdefault(role, []).append(place.code)
        previous = (place, role)
    moving = bool(roles["origin"] or roles["nationality"]) or bool(_MOVING_TOPICS & set(topics))
    for code in roles.pop("in", []):
        roles["destination" if moving or money else "area"].append(code)
    if money and roles["area"] and not roles["destination"]:
        roles["destination"], roles["area"] = roles["area"], []
    if re.search(r"\brespectively\b", sentence) and len(figures) > 1:
        # "in Kyrgyzstan and Tajikistan dropped by 29 and 49 percent respectively"
        order = [f.start for f in sorted(figures, key=lambda f: f.start)]
        for role, codes in roles.items():
            if len(codes) == len(order) > 1:
                roles[role] = [codes[order.index(mention.start)]]
    for role in ("area", "destination"):  # a place is in one role
        roles[role] = [c for c in roles[role] if c not in roles["origin"] or role == "destination"]
    return {role: list(dict.fromkeys(codes)) for role, codes in roles.items()}


# --- attributions -----------------------------------------------------------------------

_NAME = r"[A-Z][\w’'.&-]*(?:\s+(?:of|for|and|on|the|de|van|[A-Z][\w’'.&-]*))*"
_SAID = (
    r"(?:said|says|reported|reports|told|notes|noted|estimated|estimates|stated|states|"
    r"announced|explained|explains|added)"
)
_ATTRIBUTIONS = [
    re.compile(r"\b[Aa]ccording to (?:the )?(?P<who>[^,.;:—–()]+)"),
    re.compile(r"\bciting (?:the )?(?P<who>[^,.;:—–()]+)"),
    re.compile(
        r"\b(?:data|figures|statistics|estimates) (?:from|of|by) (?:the )?(?P<who>" + _NAME + ")"
    ),
    re.compile(
        r"(?:^|[,;]\s+|\b(?:the|The)\s+)(?P<who>" + _NAME + r")(?:,[^,]{3,80},)?\s+" + _SAID + r"\b"
    ),
    re.compile(r"\b" + _SAID + r"\s+(?P<who>" + _NAME + ")"),
]
_NOT_A_SOURCE = {"it", "he", "she", "they", "we", "i", "this", "that", "there", "official"}


def attribution(sentence: str) -> str | None:
    """Whom a sentence credits for what it says, or None when it credits no one."""
    for pattern in _ATTRIBUTIONS:
        match = pattern.search(sentence)
        if match is None:
            continue
        who = " ".join(match.group("who").split()).strip(" '\"“”’")
        who = re.sub(r"^(?:In|On|At|By|For|As of|Since)\s+\w+\s+", "", who)
        words = who.split()
        if not words or who.lower() in _NOT_A_SOURCE or len(words) > 12:
            continue
        if not any(word[0].isupper() for word in words):
            continue
        return who
    return None


# --- skips ------------------------------------------------------------------------------


def _skip_reason(
    sentence: Sentence,
    mention: NumberMention,
    used_as_period: bool,
    figures: Sequence[NumberMention] = (),
) -> str | None:
    text, parsed = sentence.text, mention.parsed
    before, after = text[: mention.start], text[mention.end :]
    others = [f for f in figures if f.start != mention.start]
    if sentence.furniture:
        return sentence.furniture
    if re.match(r"^-(?:year|month)s?-old\b", after) or (
        re.search(r"-(?:year|month)s?$", parsed.text) and re.match(r"^-old\b", after)
    ):
        return "An age, not a figure."
    if re.match(r"^\s+(?:a|of a)\s+(?:century|decade)\b", after) or re.match(
        r"^\s+of\s+(?:19|20)\d\d\b|^\s+of\s+(?:that|this|last|the)\s+year\b", after
    ):
        return "A span of time (or part of a year) in the narrative, not a figure."
    if others and re.search(r"\b(?:the\s+)?(?:last|past|next|previous)\s+$", before):
        return (
            "A span of time that dates another figure of the sentence ('in the last five "
            "years'): record it as that figure's period, not as a figure."
        )
    if (
        others
        and re.search(r"(?:\d|billion|million|thousand|percent|%)\s+$", before)
        and (parsed.text.lower() in ("a year", "a month", "a week", "a day"))
    ):
        return "Part of a rate ('$13.5 billion a year'): the figure it belongs to records it."
    if re.search(r"\b(?:the\s+only|the)\s+$", before, re.I) and parsed.text.lower() == "one":
        return "A pronoun ('the only one'), not a count."
    small = parsed.kind == "count" and parsed.value < 120 and re.fullmatch(r"\d+", parsed.text)
    if re.search(r"\baged\s+$", before) or (
        small and re.search(r"\b[A-Za-z][\w’']+,\s*$", before) and re.match(r"^\s*,", after)
    ):
        return "An age (a person's, after their name), not a figure."
    if re.search(r"[A-Za-z]-$", before):
        return "Part of a name (as in COVID-19), not a figure."
    if re.match(r"^\s+ago\b", after):
        return "A span of time that dates an event ('... ago'), not a figure."
    if parsed.kind in ("year", "date") and not used_as_period:
        if parsed.kind == "date" and int(parsed.value) % 100:
            return None  # a day: the date of a law or a deadline may be the figure
        return (
            "A date of an event or in the narrative, not a figure. (If the date itself is "
            "the figure, such as the year a law passed, record a fact with unit 'calendar "
            "year' instead.)"
        )
    return None


# --- ids --------------------------------------------------------------------------------


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _fact_id(fields: Mapping[str, Any], source_id: str | None, taken: set[str]) -> str:
    place = next(
        (fields[role][0] for role in ("destination", "origin", "nationality", "area")
         if fields.get(role)),
        None,
    )  # fmt: skip
    topic = (fields.get("topics") or [None])[0]
    period = fields.get("period")
    when = re.sub(r"/", "-", period) if isinstance(period, str) else None
    suffix = (source_id or "draft").split("-")[0]
    parts = [place, topic or "figure", when, suffix]
    base = _slug("-".join(part for part in parts if part)) or "draft"
    ident, number = base, 1
    while ident in taken:
        number += 1
        ident = f"{base}-{number}"
    taken.add(ident)
    return ident


# --- the draft --------------------------------------------------------------------------


@dataclass
class _Reader:
    """What drafting one article needs besides its text."""

    source: SourceInfo
    anchor: _Anchor | None
    places: NameIndex
    topics: NameIndex
    demonyms: set[str]
    taken: set[str]


def draft_article(
    raw: str,
    source: SourceInfo,
    places: Iterable[Place],
    topics: Iterable[Topic],
    facts: Iterable[Mapping[str, Any]] = (),
    skips: Iterable[Mapping[str, Any]] = (),
    taken_ids: Iterable[str] = (),
) -> list[Stub]:
    """A stub for every number of the article that no fact or skip accounts for yet."""
    places = list(places)
    reader = _Reader(
        source=source,
        anchor=_Anchor.of(source.published),
        places=place_index(places),
        topics=topic_index(topics),
        demonyms={normalize(name) for place in places for name in place.demonyms},
        taken=set(taken_ids),
    )
    article = squash(raw)
    claims = _claims(article, facts, skips)
    stubs: list[Stub] = []
    cursor = 0
    context: tuple[int, str] | None = None  # (line, the last year stated there)
    named: tuple[int, tuple[str, ...]] | None = None  # (line, the places last named there)
    for sentence in split_article(raw):
        squashed = squash(sentence.text)
        position = article.find(squashed, cursor)
        if position == -1:
            position = article.find(squashed)
        else:
            cursor = position + len(squashed)
        mentions = find_numbers(squashed)
        open_mentions = [
            m for m in mentions
            if position == -1 or not claims.covers((position + m.start, position + m.end), m.parsed)
        ]  # fmt: skip
        recent = context[1] if context and sentence.line - context[0] <= 1 else None
        nearby = named[1] if named and sentence.line - named[0] <= 2 else ()
        relatives = [
            r for r in _relative_dates(squashed, source.published, mentions)
            if position == -1
            or not claims.covers_time((position + r.start, position + r.end), r.period)
        ]  # fmt: skip
        if open_mentions or relatives:
            here = Sentence(squashed, sentence.line, sentence.furniture)
            stubs += _sentence_stubs(reader, here, mentions, open_mentions, recent, nearby)
            stubs += _relative_stubs(reader, here, mentions, relatives, stubs)
        mentioned = _place_mentions(squashed, reader.places, reader.demonyms)
        codes = [p.code for p in mentioned if not p.demonym]
        if codes:
            named = (sentence.line, tuple(dict.fromkeys(codes)))
        years = [iso for _, iso, _ in _years_in(squashed, mentions)]
        if years and not sentence.furniture:
            context = (sentence.line, years[-1])
    return stubs


def _relative_dates(
    text: str, published: str | None, mentions: Sequence[NumberMention]
) -> list[RelativeDate]:
    """Dates relative to the publication that coverage counts: those no number overlaps."""
    from migfacts.anchors import find_relative_dates

    if not published:
        return []
    return [
        r for r in find_relative_dates(text, published)
        if not any(m.start < r.end and r.start < m.end for m in mentions)
    ]  # fmt: skip


def _relative_stubs(
    reader: _Reader,
    sentence: Sentence,
    mentions: Sequence[NumberMention],
    relatives: Sequence[RelativeDate],
    stubs: Sequence[Stub],
) -> list[Stub]:
    """A relative date that dates no drafted figure of its sentence is a year that is the
    figure ("adopted last year") or, more often, a date in the narrative to skip."""
    quote = sentence.text
    periods = [
        stub.fields.get("period") for stub in stubs
        if stub.table == "fact" and stub.fields.get("quote") == quote
    ]  # fmt: skip
    figures = [m for m in mentions if m.parsed.kind != "year"]
    published = reader.source.published
    found: list[Stub] = []
    for relative in relatives:
        if any(_overlaps_period(relative.period, period) for period in periods):
            continue  # it dates a figure of the sentence
        iso = iso_period(relative.period)
        founding = _FOUNDING.search(quote[: relative.start]) or _FOUNDED_VERB.search(quote)
        if not figures and founding and "/" not in iso:
            fields = {
                "statement": None,
                "value": relative.period.start.year,
                "unit": "calendar year",
                "qualifier": "exact",
                "as_written": relative.text,
                "period": iso[:4],
                "period_basis": "inferred",
                "period_note": f'"{relative.text}" in an article published {published}',
                "topics": _topics(reader, quote) or None,
                "attribution": attribution(quote),
                "quote": quote,
                "source": reader.source.id,
            }
            fact_fields = _with_id(fields, reader.source, reader.taken)
            found.append(Stub("fact", fact_fields, sentence.line, ["places: not read for a year"]))
            continue
        reason = (
            f"A date written relative to the publication ({relative.text!r}, read as {iso}) "
            "that dates no figure of its sentence."
        )
        fields = {
            "source": reader.source.id, "as_written": relative.text, "quote": quote,
            "reason": reason,
        }  # fmt: skip
        found.append(Stub("skip", fields, sentence.line))
    return found


def _sentence_stubs(
    reader: _Reader,
    sentence: Sentence,
    mentions: list[NumberMention],
    open_mentions: list[NumberMention],
    context: str | None,
    places_before: Sequence[str] = (),
) -> list[Stub]:
    text = sentence.text
    times = _years_in(text, mentions)
    figures = [m for m in mentions if m.parsed.kind != "year"]
    figure_facts: list[tuple[NumberMention, dict[str, Any], list[str], list[str]]] = []
    skip_stubs: list[Stub] = []
    for mention in open_mentions:
        reason = _skip_reason(sentence, mention, used_as_period=False, figures=figures)
        if reason is not None and mention.parsed.kind not in ("year", "date"):
            skip_stubs.append(_skip(sentence, mention, reader.source, reason))
            continue
        if mention.parsed.kind == "year" and not _year_is_figure(text, mention, figures):
            continue  # decided below, once the figures' periods are known
        if reason is not None and sentence.furniture:
            continue
        guesses: list[str] = []
        fields, missing = _fact_fields(
            reader, sentence, mention, times, figures, context, places_before, guesses
        )
        figure_facts.append((mention, fields, missing, guesses))
    periods = [f["period"] for _, f, _, _ in figure_facts if f.get("period")]
    drafted = {m.start for m, _, _, _ in figure_facts}
    for mention in open_mentions:
        if mention.start in drafted or (
            mention.parsed.kind != "year"
            and not (sentence.furniture and mention.parsed.kind == "date")
        ):
            continue
        used = any(_year_in(mention.parsed, period) for period in periods if period)
        if used and not sentence.furniture:
            continue  # it dates a figure of the sentence: coverage counts it as the period
        reason = _skip_reason(sentence, mention, used_as_period=used, figures=figures) or (
            "A year that dates a figure of this sentence."
        )
        skip_stubs.append(_skip(sentence, mention, reader.source, reason))
    stubs = [
        Stub("fact", _with_id(fields, reader.source, reader.taken), sentence.line, missing, guesses)
        for _, fields, missing, guesses in figure_facts
    ]
    return sorted(stubs + skip_stubs, key=lambda s: text.find(str(s.fields["as_written"])))


# A year that is itself the figure: when something was founded, passed or adopted.
_FOUNDING = re.compile(
    r"(?:\b(?:founded|established|created|adopted|introduced|passed|signed|enacted|ratified|"
    r"launched|came into (?:being|force)|back)\s+(?:\w+\s+){0,2}?(?:in\s+)?"
    r"|\b(?:Agreement|Treaty|Law|Act|Convention|Accord) of\s+"
    r"|^(?:Since|Legislative changes in)\s+)$",
    re.I,
)


_FOUNDED_VERB = re.compile(
    r"\b(?:was|were|has been|have been)\s+(?:founded|established|created|adopted|introduced|"
    r"passed|signed|enacted|ratified|launched)\b",
    re.I,
)


def _year_is_figure(text: str, mention: NumberMention, figures: Sequence[NumberMention]) -> bool:
    return not figures and bool(_FOUNDING.search(text[: mention.start]))


def _with_id(fields: dict[str, Any], source: SourceInfo, taken: set[str]) -> dict[str, Any]:
    return {"id": _fact_id(fields, source.id, taken), **fields}


def _skip(sentence: Sentence, mention: NumberMention, source: SourceInfo, reason: str) -> Stub:
    written = mention.text
    after = sentence.text[mention.end :]
    old = re.match(r"^-old\b", after)
    if old and written.endswith(("year", "years", "month", "months")):
        written += "-old"
    fields = {"source": source.id, "as_written": written, "quote": sentence.text, "reason": reason}
    missing = [] if source.id else ["source: this text is not a source of the base yet"]
    return Stub("skip", fields, sentence.line, missing)


# Topics too broad to keep when a sentence also names a narrower one.
_BROAD_TOPICS = ("labor-migrants", "economy", "labor-market", "legislation")


def _topics(reader: _Reader, text: str) -> list[str]:
    found = list(dict.fromkeys(code for code, _ in reader.topics.find_in_text(text)))
    narrow = [topic for topic in found if topic not in _BROAD_TOPICS]
    return narrow or found


def _fact_fields(
    reader: _Reader,
    sentence: Sentence,
    mention: NumberMention,
    times: list[tuple[int, str, str]],
    figures: Sequence[NumberMention],
    context: str | None,
    places_before: Sequence[str] = (),
    guesses: list[str] | None = None,
) -> tuple[dict[str, Any], list[str]]:
    text, parsed, anchor = sentence.text, mention.parsed, reader.anchor
    after = text[mention.end :]
    missing: list[str] = []
    guesses = guesses if guesses is not None else []
    unit = _unit(mention, after, text[: mention.start], text)
    if unit is None:
        # "70,000 illegal migrants from Kyrgyzstan, 200,000 from Tajikistan": a list shares
        # the unit of its first figure.
        earlier = [f for f in figures if f.end <= mention.start and f.parsed.kind == parsed.kind]
        if earlier and re.fullmatch(r"[^.;]*", text[earlier[-1].end : mention.start]):
            first = earlier[-1]
            unit = _unit(first, text[first.end :], text[: first.start], text)
    if unit is None:
        missing.append("unit: no unit word the reader knows goes with the figure")
    negative = bool(_FALL_BEFORE.search(text[: mention.start]))
    if parsed.kind == "date":
        number = int(parsed.value)
        year = number // 10000 or (anchor.year if anchor else 0)
        values: dict[str, Any] = {"value": year * 10000 + number % 10000} if year else {}
        if not year:
            missing.append("value: a day without a year, and no publication date to anchor it")
    else:
        values = _value_fields(mention, unit, negative)
    qualifier = _qualifier(parsed, text[: mention.start])
    if qualifier is None:
        missing.append(f"qualifier: the format has no qualifier for {parsed.hedge!r}")
    period: str | None
    basis: str | None
    if parsed.kind == "date":
        number = int(values.get("value", 0))
        period = (
            f"{number // 10000}-{number // 100 % 100:02d}-{number % 100:02d}" if number else None
        )
        basis = "stated" if int(parsed.value) // 10000 else "inferred"
        note = None if basis == "stated" else (
            f"The year of {parsed.text!r} is read from the article's publication ({anchor.text})"
            if anchor else None
        )  # fmt: skip
    elif parsed.kind == "year":
        period, basis, note = str(int(parsed.value)), "stated", None
    else:
        period, basis, note = _period(text, mention, times, anchor, figures, context)
    if period is None:
        missing.append("period: nothing in the sentence dates the figure, and no publication date")
    all_topics = list(dict.fromkeys(code for code, _ in reader.topics.find_in_text(text)))
    topic_ids = _topics(reader, text)
    if not topic_ids:
        missing.append("topics: no topic word of the base in the sentence")
    place_mentions = _place_mentions(text, reader.places, reader.demonyms)
    roles = _roles(text, mention, place_mentions, all_topics, figures)
    country = re.search(r"\b(in|to|from|into)\s+the\s+(?:country|republic)\b", text)
    if country and places_before and not any(p for p in place_mentions if not p.demonym):
        # "lived in the country": the country the text just before names.
        word = country.group(1).lower()
        role = "origin" if word == "from" else "destination" if word in ("to", "into") else (
            "destination" if roles["origin"] or _MOVING_TOPICS & set(all_topics) else "area"
        )  # fmt: skip
        roles[role] = [*roles[role], places_before[0]]
        guesses.append(
            f"{role}: {country.group(0)!r} read as {places_before[0]}, named just before"
        )
    if not any(roles.values()) and places_before:
        # The sentence names no place: the one the text just before speaks of.
        role = "destination" if _MOVING_TOPICS & set(all_topics) else "area"
        roles[role] = list(places_before)
        guesses.append(f"{role}: the sentence names no place; taken from the text before it")
    if not any(roles.values()):
        missing.append("origin/destination/area: no place of the base named in the sentence")
    fields: dict[str, Any] = {
        "statement": None,
        **values,
        "unit": unit,
        "qualifier": qualifier,
        "as_written": parsed.text,
        "period": period,
        "period_basis": basis,
        "period_note": note,
        "origin": roles["origin"] or None,
        "destination": roles["destination"] or None,
        "area": roles["area"] or None,
    }
    if HAS_NATIONALITY:
        fields["nationality"] = roles["nationality"] or None
    fields.update(
        {
            "topics": topic_ids or None,
            "attribution": attribution(text),
            "quote": text,
            "source": reader.source.id,
        }
    )
    if not reader.source.id:
        missing.append("source: this text is not a source of the base yet (migfacts add-source)")
    return fields, missing


# --- TOML -------------------------------------------------------------------------------

_FACT_ORDER = [name for name in Fact._fields]


def render_stubs(stubs: Sequence[Stub], archive_name: str | None = None) -> str:
    """The stubs as TOML, each with comments saying what a person must still do."""
    from migfacts.authoring import toml_table

    blocks = []
    for stub in stubs:
        where = f"{archive_name}:{stub.line}" if archive_name else f"line {stub.line}"
        if stub.table == "fact":
            comments = [
                f"DRAFT from {where}: write the statement, check every field, then delete "
                "these comment lines.",
                *(f"not filled: {line}" for line in stub.missing),
                *(f"guessed: {line}" for line in stub.guessed),
            ]
            fields = {name: stub.fields.get(name) for name in _FACT_ORDER if name in stub.fields}
        else:
            comments = [
                f"DRAFT skip from {where}: check the reason (or make it a fact).",
                *(f"not filled: {line}" for line in stub.missing),
            ]
            fields = dict(stub.fields)
        blocks.append(toml_table(stub.table, fields, comments))
    return "\n".join(blocks)
