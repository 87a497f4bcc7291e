"""Checking a journalist's sentence against the fact base, and explaining the verdict.

A claim is read with the same tools as everything else: its figures with the one number
reader (hedges included), its places and topics with the one name resolver, its years as
periods. Each figure is compared with the facts on the same measure (same unit family,
topic, places in compatible roles, overlapping period) as intervals (`measures.py`):

- the fact's range inside the claim's: supported;
- no overlap: refuted;
- overlap in part, or no fact on that measure: not_enough_info;
- sources that disagree with each other about it: conflicting.

A claim with several figures gets a verdict per figure and an overall one: refuted if any
figure is, else conflicting if any is, else supported if all are, else not_enough_info.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from migfacts.measures import (
    Interval,
    direction,
    fact_interval,
    hedged,
    percent_scale,
    written_step,
)
from migfacts.names import NameIndex, normalize
from migfacts.numbers import NumberMention, ParsedNumber, find_numbers
from migfacts.periods import Period
from migfacts.present import COUNT_UNITS, figure, source_line
from migfacts.records import Fact, FactBase

SUPPORTED = "supported"
REFUTED = "refuted"
NOT_ENOUGH_INFO = "not_enough_info"
CONFLICTING = "conflicting"

_DURATIONS = {"year": "years", "month": "months", "day": "days"}

# A word before a place that says its role in the flow.
_ROLE_WORDS = {
    "from": frozenset({"origin", "area"}),
    "to": frozenset({"destination", "area"}),
    "into": frozenset({"destination", "area"}),
    "in": frozenset({"destination", "area"}),
}
_ANY_ROLE = frozenset({"origin", "destination", "area"})
_NATIONALITY = frozenset({"origin", "area"})

_SHARE_OF_GDP = re.compile(r"^\W*(?:of|in)\s+(?:[\w’'-]+\s+){0,4}?(?:gdp|gross domestic product)\b",
                           re.IGNORECASE)  # fmt: skip
_DOWN = re.compile(
    r"\b(fell|fall|falls|dropped|drop|drops|declined?|lost|loses|lose|shr[au]nk|contract(ed|ion)"
    r"|decreased?|devalued|plunged|slumped|down)\b",
    re.IGNORECASE,
)
_UP = re.compile(
    r"\b(rose|rise|rises|grew|grow|growth|increased?|gained|raised|up)\b", re.IGNORECASE
)


@dataclass
class FigureCheck:
    """One figure of a claim, the facts it was compared with, and the verdict."""

    text: str
    verdict: str
    explanation: str
    evidence: list[Fact] = field(default_factory=list)


@dataclass
class ClaimCheck:
    claim: str
    verdict: str
    explanation: str
    figures: list[FigureCheck]

    @property
    def evidence(self) -> list[Fact]:
        seen: dict[str, Fact] = {}
        for item in self.figures:
            for fact in item.evidence:
                seen.setdefault(fact.id, fact)
        return list(seen.values())


@dataclass(frozen=True)
class _ClaimPlace:
    code: str
    roles: frozenset[str]


def _claim_places(base: FactBase, index: NameIndex, text: str) -> list[_ClaimPlace]:
    # Currency words name no place: "US dollars" is not the United States.
    cleaned = re.sub(r"\bUS\s?(?:dollars?|\$)|\bUS\$", " ", text)
    places: list[_ClaimPlace] = []
    for code, phrase in index.find_in_text(cleaned, forgive_typos=True):
        before = cleaned[: cleaned.find(phrase)].split()
        word = before[-1].lower() if before else ""
        place = base.places[code]
        if normalize(phrase) in {normalize(d) for d in place.demonyms}:
            # "Tajiks", "to Uzbek citizens": a nationality says where people come from.
            roles = _NATIONALITY
        elif word in _ROLE_WORDS:
            roles = _ROLE_WORDS[word]
        else:
            roles = _ANY_ROLE
        places.append(_ClaimPlace(code, roles))
    return places


def _units(parsed: ParsedNumber, claim: str, mention: NumberMention) -> frozenset[str]:
    if parsed.currency == "USD":
        return frozenset({"US dollars"})
    if parsed.currency == "RUB":
        return frozenset({"rubles"})
    if parsed.kind in ("percent", "fraction"):
        # "45% of GDP", "a third of its annual GDP" are shares; "GDP grew 1.6%" is a rate.
        share = _SHARE_OF_GDP.search(claim[mention.end :])
        return frozenset({"percent of GDP"} if share else {"percent"})
    if parsed.kind == "multiplier":
        return frozenset({"times"})
    after = claim[mention.end : mention.end + 12].lower()
    for word, unit in _DURATIONS.items():
        if word in parsed.text.lower() or after.lstrip(" -").startswith(word):
            return frozenset({unit})
    return COUNT_UNITS


def _year_of(figure: NumberMention, years: list[NumberMention]) -> Period | None:
    """The year a figure belongs to: "3 million in 2014" first, else the nearest year."""
    if not years:
        return None
    following = [m for m in years if 0 <= m.start - figure.end <= 12]
    nearest = following[0] if following else min(years, key=lambda m: abs(m.start - figure.start))
    return Period(date(int(nearest.parsed.low), 1, 1), date(int(nearest.parsed.high), 12, 31))


def _direction(claim: str) -> int | None:
    if _DOWN.search(claim):
        return -1
    if _UP.search(claim):
        return 1
    return None


def _matches_places(fact: Fact, places: list[_ClaimPlace]) -> bool:
    """Every place the claim names is in the fact, in a role the claim allows."""
    roles = {"origin": fact.origin, "destination": fact.destination, "area": fact.area}
    return all(any(place.code in roles[role] for role in place.roles) for place in places)


def _extra_places(fact: Fact, places: list[_ClaimPlace]) -> int:
    named = {p.code for p in places}
    return sum(1 for code in fact.places if code not in named)


def _describe_claim(parsed: ParsedNumber, period: Period | None) -> str:
    hedge = f"{parsed.hedge} " if parsed.hedge else ""
    when = ""
    if period is not None:
        first, last = period.start.year, period.end.year
        when = f" ({first})" if first == last else f" ({first}–{last})"
    return f"{hedge}{parsed.text}{when}"


def _describe_fact(base: FactBase, fact: Fact) -> str:
    inferred = ", inferred" if fact.period_basis == "inferred" else ""
    return f"{source_line(base, fact)} says {figure(fact)} ({fact.period}{inferred})"


def _check_figure(
    base: FactBase,
    claim: str,
    mention: NumberMention,
    years: list[NumberMention],
    places: list[_ClaimPlace],
    topics: set[str],
) -> FigureCheck:
    parsed = mention.parsed
    units = _units(parsed, claim, mention)
    period = _year_of(mention, years)
    candidates = [
        fact
        for fact in base.facts
        if fact.unit in units
        and (not topics or not topics.isdisjoint(fact.topics))
        and _matches_places(fact, places)
        and (period is None or fact.interval.overlaps(period))
    ]
    said = _describe_claim(parsed, period)
    if not candidates:
        return FigureCheck(parsed.text, NOT_ENOUGH_INFO,
                           f"The claim says {said}; no fact in the base measures the same "
                           "thing (unit, topic, places and period).")  # fmt: skip
    fewest = min(_extra_places(fact, places) for fact in candidates)
    candidates = [fact for fact in candidates if _extra_places(fact, places) == fewest]

    unit = next(iter(units))
    scale = percent_scale(parsed, unit)
    claimed: Interval = hedged(float(parsed.low) * scale, float(parsed.high) * scale,
                               parsed.hedge, written_step(parsed, unit))  # fmt: skip
    claim_direction = _direction(claim)
    supported, refuted, partial, wrong_way_facts = [], [], [], []
    for fact in candidates:
        wrong_way = (
            claim_direction is not None
            and fact.unit.startswith("percent")
            and direction(fact) != claim_direction
            and direction(fact) == -1
        )
        interval = fact_interval(fact)
        if wrong_way:
            wrong_way_facts.append(fact)
        if wrong_way or not interval.overlaps(claimed):
            refuted.append(fact)
        elif interval.within(claimed):
            supported.append(fact)
        else:
            partial.append(fact)

    def told(facts: list[Fact], how: str) -> list[str]:
        return [f"{_describe_fact(base, fact)}, {how}" for fact in facts]

    findings = [
        *told(supported, "which fits the claim"),
        *told(partial, "which overlaps the claim only in part"),
        *(f"{_describe_fact(base, fact)}, "
          + ("a fall, where the claim speaks of a rise" if fact in wrong_way_facts
             else "which the claim's figure excludes")
          for fact in refuted),
    ]  # fmt: skip
    lead = f"The claim says {said}; " + "; ".join(findings) + "."
    if supported and refuted and {f.source for f in supported} != {f.source for f in refuted}:
        return FigureCheck(parsed.text, CONFLICTING, f"{lead} The sources disagree.",
                           [*supported, *refuted])  # fmt: skip
    if supported:
        return FigureCheck(parsed.text, SUPPORTED, lead, [*supported, *partial])
    if refuted and not partial:
        return FigureCheck(parsed.text, REFUTED, lead, refuted)
    return FigureCheck(parsed.text, NOT_ENOUGH_INFO, f"{lead} That is not enough to decide.",
                       [*partial, *refuted])  # fmt: skip


def check_claim(base: FactBase, places: NameIndex, topics: NameIndex, claim: str) -> ClaimCheck:
    """Read one claim and check each figure in it."""
    mentions = find_numbers(claim)
    years = [m for m in mentions if m.parsed.kind == "year"]
    figures = [m for m in mentions if m.parsed.kind not in ("year", "date")]
    claim_places = _claim_places(base, places, claim)
    claim_topics = {code for code, _ in topics.find_in_text(claim)}
    if not figures:
        return ClaimCheck(claim, NOT_ENOUGH_INFO, "The claim states no figure to check.", [])
    checks = [
        _check_figure(base, claim, mention, years, claim_places, claim_topics)
        for mention in figures
    ]
    verdicts = {item.verdict for item in checks}
    if REFUTED in verdicts:
        overall = REFUTED
    elif CONFLICTING in verdicts:
        overall = CONFLICTING
    elif verdicts == {SUPPORTED}:
        overall = SUPPORTED
    else:
        overall = NOT_ENOUGH_INFO
    explanation = " ".join(item.explanation for item in checks)
    return ClaimCheck(claim, overall, explanation, checks)


def overall_verdict(checks: list[ClaimCheck]) -> str:
    """For many claims: the most serious verdict, so a script can stop on any refuted one."""
    for verdict in (REFUTED, CONFLICTING, NOT_ENOUGH_INFO):
        if any(item.verdict == verdict for item in checks):
            return verdict
    return SUPPORTED
