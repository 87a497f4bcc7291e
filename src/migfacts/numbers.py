"""The one number reader of migfacts.

Every place that needs to understand a figure written in prose uses this module: validation
(does `as_written` say the same number as `value`?), coverage (which numbers does an article
contain?) and `check` (which figures does a claim make?). One grammar serves all three, so a
form that validation accepts is a form that coverage finds and that a claim may use.

Numbers are returned as `Decimal` so that "1.2 million" is exactly 1200000 and precision (the
step a written number was rounded to) survives for interval comparisons.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from migfacts.periods import MONTH_NAMES

Kind = Literal["count", "percent", "fraction", "multiplier", "year", "date"]

_UNITS_WORDS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS_WORDS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_SCALES = {
    "thousand": Decimal(10) ** 3,
    "k": Decimal(10) ** 3,
    "million": Decimal(10) ** 6,
    "mn": Decimal(10) ** 6,
    "m": Decimal(10) ** 6,
    "billion": Decimal(10) ** 9,
    "bn": Decimal(10) ** 9,
    "b": Decimal(10) ** 9,
    "trillion": Decimal(10) ** 12,
    "tn": Decimal(10) ** 12,
    # Newsroom and wire abbreviations: "14.8 bln", "379 thsd", "2.4 mln".
    "bln": Decimal(10) ** 9,
    "mln": Decimal(10) ** 6,
    "trn": Decimal(10) ** 12,
    "thsd": Decimal(10) ** 3,
}
_DENOMINATORS = {"half": 2, "third": 3, "quarter": 4, "fifth": 5, "tenth": 10}
_MULTIPLIER_VERBS: dict[str, Decimal] = {
    "doubled": Decimal(2),
    "tripled": Decimal(3),
    "quadrupled": Decimal(4),
    "halved": Decimal("0.5"),
}
_VAGUE = {"dozens": 12, "hundreds": 100, "thousands": 1000, "millions": 10**6, "billions": 10**9}
# How vague plurals read as intervals: "hundreds" is at least two hundred and fewer than a
# thousand; "several hundred" at least three hundred. Documented in docs/fact-format.md.
_VAGUE_LOW_FACTOR = {"plural": 2, "several": 3, "a few": 2}
_MONTHS = {name.lower(): number for number, name in enumerate(MONTH_NAMES, start=1)}

# Hedges a claim may put before a figure, longest first so "just under" wins over "under".
HEDGE_WORDS: tuple[str, ...] = (
    "no more than",
    "not more than",
    "no fewer than",
    "not less than",
    "no less than",
    "upwards of",
    "as many as",
    "as much as",
    "well over",
    "well above",
    "well under",
    "approximately",
    "more than",
    "fewer than",
    "less than",
    "just under",
    "just over",
    "at least",
    "at most",
    "up to",
    "nearly",
    "almost",
    "roughly",
    "around",
    "about",
    "over",
    "under",
    "above",
    "below",
    "some",
    "an estimated",
    "estimated",
    "probably",
    "close to",
    "in excess of",
)

_WORD = "|".join(sorted(list(_UNITS_WORDS) + list(_TENS_WORDS), key=len, reverse=True))
_CARDINAL = rf"(?:(?:{'|'.join(_TENS_WORDS)})-(?:{'|'.join(k for k in _UNITS_WORDS if _UNITS_WORDS[k] < 10 and _UNITS_WORDS[k] > 0)})|{_WORD})"  # noqa: E501
# Grouped by commas ("5,800,000") or by spaces, as much of Europe writes figures ("5 800 000").
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\b\d{1,3}(?:[ \u00a0\u202f]\d{3})+\b(?!\.\d)|\d+(?:\.\d+)?"
_SCALE = r"(?:thousand|million|billion|trillion|bln|mln|trn|thsd|bn|mn|tn|m|b|k)"
# A figure longer than this is no figure a person writes: bounded so nothing downstream (int
# conversion, Decimal arithmetic) can be made to work on a 5,000-digit "number".
MAX_DIGITS = 30
_PERCENT = r"(?:%|\s?percent(?:age\spoints?)?\b|\s?per\scent\b)"
_CURRENCY_AFTER = r"(?:\s(?:US\s|U\.S\.\s)?dollars\b|\s(?:rubles|roubles)\b|\sUSD\b|\sRUB\b)"
_CURRENCY_BEFORE = r"(?:\$\s?|US\$\s?|USD\s|RUB\s)"
_MONTH = "|".join(m.capitalize() for m in _MONTHS)

_HEDGE = "|".join(re.escape(h) for h in HEDGE_WORDS)

# One grammar, alternatives ordered so the longest reading of a span wins.
_NUMBER_RE = re.compile(
    rf"""
    (?:(?P<hedge>\b(?:{_HEDGE}))\s+)?
    (?P<number>
        (?P<date_mdy>\b(?P<m1>{_MONTH})\s(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?(?:,\s(?P<y1>\d{{4}}))?\b)
      | (?P<date_dmy>\b(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s(?P<m2>{_MONTH})(?:\s(?P<y2>\d{{4}}))?\b)
      | (?P<yrange>\b(?P<ya>1[89]\d\d|20\d\d)\s?[-–]\s?(?P<yb>1[89]\d\d|20\d\d)\b)
      | (?P<range>
            (?P<rcur>{_CURRENCY_BEFORE})?(?!(?:1[89]|20)\d\d\b)(?P<ra>{_DIGITS}|\b{_CARDINAL}\b)\sto\s
            (?:\$\s?)?(?P<rb>{_DIGITS}|\b{_CARDINAL}\b)
            (?:\s?(?P<rscale>{_SCALE})\b)(?P<rcurafter>{_CURRENCY_AFTER})?
        )
      | (?P<between>\bbetween\s
            (?P<bcur>{_CURRENCY_BEFORE})?(?!(?:1[89]|20)\d\d\b)(?P<ba>{_DIGITS}|\b{_CARDINAL}\b)
            (?:\s?(?P<bscale_a>{_SCALE})\b)?(?P<bpct_a>{_PERCENT})?\sand\s(?:\$\s?)?
            (?!(?:1[89]|20)\d\d\b)(?P<bb>{_DIGITS}|\b{_CARDINAL}\b)
            (?:\s?(?P<bscale>{_SCALE})\b)?(?P<bpct>{_PERCENT})?(?P<bcurafter>{_CURRENCY_AFTER})?
        )
      | (?P<oneinn>\b(?P<k_of>{_CARDINAL}|\d{{1,2}})\sin\s
                   (?P<n_of>\d{{1,3}}(?![\d,.])|\b{_CARDINAL}\b))
      | (?P<times>\b(?P<timesnum>{_WORD}|\d+(?:\.\d+)?)\stimes\b(?!\s(?:a|an|per|each|every)\b))
      | (?P<fold>\b(?P<foldnum>{_WORD}|\d+)[-]?fold\b)
      | (?P<mverb>\b(?:doubled|tripled|quadrupled|halved)\b)
      | (?P<frac>\b(?:(?P<fracnum>a|an|one|two|three|four|nine)[\s-])?
               (?P<fracword>half|thirds?|quarters?|fifths?|tenths?)\b)
      | (?P<vague>\b(?:tens\sof\sthousands|(?:several|a\sfew)\s(?:hundred|thousand|million)
                      |dozens|hundreds|thousands|millions|billions)\b)
      | (?P<plain>
            (?P<cur>{_CURRENCY_BEFORE})?
            (?P<num>{_DIGITS}|\b(?:a|an)(?=\s(?:hundred|thousand|million|billion|dozen|year|month|week|day)\b)|\b{_CARDINAL}\b)
            (?:\s?(?P<hundred>hundred)\b)?
            (?:\s?(?P<scale>{_SCALE})\b)?
            (?:\s?(?P<dozen>dozen)\b)?
            (?P<pct>{_PERCENT})?
            (?P<curafter>{_CURRENCY_AFTER})?
            (?:[\s-](?P<timeunit>years?|months?|weeks?|days?|decades?)\b)?
        )
    )
    """,
    re.VERBOSE | re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class ParsedNumber:
    """A number read from prose: its value (or bounds), what kind it is, and its precision.

    `low == high` for a single number. `step` is the rounding step of the written figure
    ("1.2 million" → 100000, "6,300" → 100, "17" → 1) and is None where it has no meaning.
    """

    text: str
    low: Decimal
    high: Decimal
    kind: Kind
    currency: str | None = None  # "USD" or "RUB" when the text names one
    step: Decimal | None = None
    hedge: str | None = None
    vague: bool = False

    @property
    def value(self) -> Decimal:
        return self.low

    @property
    def is_range(self) -> bool:
        return self.low != self.high


@dataclass(frozen=True, slots=True)
class NumberMention:
    """A number found in running text, with its position (hedge excluded from the span)."""

    start: int
    end: int
    parsed: ParsedNumber

    @property
    def text(self) -> str:
        return self.parsed.text


def _word_value(word: str) -> Decimal:
    word = word.lower()
    if "-" in word:
        tens, units = word.split("-", 1)
        return Decimal(_TENS_WORDS[tens] + _UNITS_WORDS[units])
    if word in _UNITS_WORDS:
        return Decimal(_UNITS_WORDS[word])
    return Decimal(_TENS_WORDS[word])


def _decimal(text: str) -> tuple[Decimal, Decimal]:
    """A number in digits or words, and the step it is written to."""
    cleaned = re.sub(r"[,\s\u00a0\u202f]", "", text)
    if cleaned and (cleaned[0].isdigit()):
        if len(cleaned) > MAX_DIGITS:
            raise _Unreadable(text)
        value = Decimal(cleaned)
        if "." in cleaned:
            step = Decimal(1).scaleb(-len(cleaned.split(".")[1]))
        else:
            step = _integer_step(int(cleaned), grouped=cleaned != text.strip())
        return value, step
    return _word_value(text.strip()), Decimal(1)


class _Unreadable(ValueError):
    """A span the grammar matched that is no figure (a 40-digit run, "one in 0")."""


def _integer_step(number: int, grouped: bool) -> Decimal:
    """What a bare integer is rounded to: trailing zeros of a large figure are not significant.

    "6,300" stands for what rounds to 6,300 (step 100); "300,000" keeps two significant
    figures (step 10,000); small numbers such as "20" are taken as exact to the unit, so a
    20 percent claim is not "confirmed" by 17.
    """
    if number < 1000 or not grouped:
        return Decimal(1)
    digits = str(number)
    trailing = len(digits) - len(digits.rstrip("0"))
    trailing = min(trailing, max(len(digits) - 2, 0))
    return Decimal(10) ** trailing


def _currency(*texts: str | None) -> str | None:
    joined = " ".join(t for t in texts if t).lower()
    if "$" in joined or "dollar" in joined or "usd" in joined:
        return "USD"
    if "rub" in joined or "roubl" in joined:
        return "RUB"
    return None


def _scale(word: str | None) -> Decimal:
    if not word:
        return Decimal(1)
    key = word.lower()
    return _SCALES[key]


def _from_match(match: re.Match[str]) -> ParsedNumber | None:
    text = match.group("number")
    hedge = match.group("hedge")
    hedge = hedge.lower() if hedge else None
    g = match.group
    if g("date_mdy") or g("date_dmy"):
        month = _MONTHS[(g("m1") or g("m2")).lower()]
        day = int(g("d1") or g("d2"))
        year = g("y1") or g("y2")
        if not 1 <= day <= 31:
            return None
        # A date without a year keeps the year as 0 so the caller can tell it is partial.
        value = Decimal(int(year or 0) * 10000 + month * 100 + day)
        return ParsedNumber(text, value, value, "date", hedge=hedge)
    if g("yrange"):
        a, b = Decimal(g("ya")), Decimal(g("yb"))
        return ParsedNumber(text, a, b, "year", hedge=hedge)
    if g("range"):
        scale = _scale(g("rscale"))
        a, step_a = _decimal(g("ra"))
        b, step_b = _decimal(g("rb"))
        return ParsedNumber(
            text,
            a * scale,
            b * scale,
            "count",
            currency=_currency(g("rcur"), g("rcurafter")),
            step=min(step_a, step_b) * scale,
            hedge=hedge,
        )
    if g("between"):
        scale = _scale(g("bscale") or g("bscale_a"))
        a, step_a = _decimal(g("ba"))
        b, step_b = _decimal(g("bb"))
        low, high = sorted((a * (_scale(g("bscale_a")) if g("bscale_a") else scale), b * scale))
        kind: Kind = "percent" if g("bpct") or g("bpct_a") else "count"
        currency = _currency(g("bcur"), g("bcurafter"))
        return ParsedNumber(text, low, high, kind, currency=currency,
                            step=min(step_a, step_b) * scale, hedge=hedge)  # fmt: skip
    if g("oneinn"):
        k, _ = _decimal(g("k_of"))
        n, _ = _decimal(g("n_of"))
        if not 0 < k < n:
            return None  # "one in 0", "5 in 3": no share a person writes
        value = k / n
        return ParsedNumber(text, value, value, "fraction", hedge=hedge)
    if g("times"):
        raw = g("timesnum")
        value, _ = _decimal(raw)
        return ParsedNumber(text, value, value, "multiplier", step=Decimal(1), hedge=hedge)
    if g("fold"):
        raw = g("foldnum")
        value = _decimal(raw)[0] if raw.isdigit() else _word_value(raw)
        return ParsedNumber(text, value, value, "multiplier", step=Decimal(1), hedge=hedge)
    if g("mverb"):
        value = _MULTIPLIER_VERBS[g("mverb").lower()]
        return ParsedNumber(text, value, value, "multiplier", hedge=hedge)
    if g("frac"):
        count = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "nine": 9, None: 1}[
            (g("fracnum") or "").lower() or None
        ]
        word = g("fracword").lower().rstrip("s")
        value = Decimal(count) / _DENOMINATORS[word]
        return ParsedNumber(text, value, value, "fraction", hedge=hedge)
    if g("vague"):
        word = g("vague").lower()
        if word.startswith("tens"):
            base, factor = Decimal(10_000), _VAGUE_LOW_FACTOR["plural"]
        elif word.startswith(("several", "a few")):
            qualifier, _, noun = word.rpartition(" ")
            base, factor = Decimal(_VAGUE[noun + "s"]), _VAGUE_LOW_FACTOR[qualifier]
        else:
            base, factor = Decimal(_VAGUE[word]), _VAGUE_LOW_FACTOR["plural"]
        # The next order of magnitude bounds it: "hundreds" stops short of a thousand.
        upper = Decimal(99) if base == 12 else base * 10 - 1
        return ParsedNumber(text, base * factor, upper, "count", hedge=hedge, vague=True)
    # A plain number, with its currency, scale and percent sign where present.
    raw = g("num")
    if raw.strip().lower() in ("a", "an"):
        value, step = Decimal(1), Decimal(1)
    else:
        value, step = _decimal(raw)
    multiplier = Decimal(1)
    if g("hundred"):
        multiplier *= 100
    multiplier *= _scale(g("scale"))
    if g("dozen"):
        multiplier *= 12
    value *= multiplier
    step *= multiplier
    if raw.strip().lower() in ("a", "an") and multiplier == 1 and not g("timeunit"):
        return None  # "a" alone is an article; "a year" is a duration
    currency = _currency(g("cur"), g("curafter"))
    if g("pct"):
        return ParsedNumber(text, value, value, "percent", step=step, hedge=hedge)
    if (
        currency is None
        and multiplier == 1
        and raw.isdigit()
        and len(raw) == 4
        and 1800 <= int(raw) <= 2099
    ):
        return ParsedNumber(text, value, value, "year", hedge=hedge)
    return ParsedNumber(text, value, value, "count", currency=currency, step=step, hedge=hedge)


def parse_number(text: str) -> ParsedNumber | None:
    """Read `text` as one figure ("$5.8 billion", "nearly 360,000", "a third"), or None."""
    match = _NUMBER_RE.fullmatch(" ".join(text.split()))
    if match is None:
        return None
    return _read(match)


def _read(match: re.Match[str]) -> ParsedNumber | None:
    try:
        return _from_match(match)
    except _Unreadable:
        return None


# "one" is too common as a pronoun ("one of the first countries") to count everywhere: as a
# figure it stands before "in" (one in three), a unit of time, or a hyphen.
_ONE_AS_FIGURE = re.compile(r"(?:-|\s(?:in|year|years|month|months|day|days|week|weeks)\b)")


def find_numbers(text: str) -> list[NumberMention]:
    """Every number in running text, in order: digits, words, fractions, years and dates."""
    mentions: list[NumberMention] = []
    for match in _NUMBER_RE.finditer(text):
        parsed = _read(match)
        if parsed is None:
            continue
        start, end = match.span("number")
        word = parsed.text.lower()
        if word == "one" and not _ONE_AS_FIGURE.match(text, end):
            continue
        mentions.append(NumberMention(start, end, parsed))
    return mentions
