"""Checking a journalist's sentence against the fact base, and explaining the verdict.

A claim is read once by the one claim reader (`claims.py`). Each figure is then checked on
its own, as a fact-checker does it: first find the fact that measures the same thing, then
compare the numbers.

1. **Match by score, not by filter.** Every fact is scored against the figure: the places the
   claim names and the roles it gives them, the period, the unit family, the topics, and the
   words of the claim against the fact's statement, quote and topic vocabulary (weighted by
   how rare each word is in the base). A match is *confident* when the fact names every place
   of the claim in a role the claim allows, its period meets the figure's (or the claim gives
   none), its unit can be compared, and the words say the same measure; see `_confident`.
2. **Compare as intervals** (`measures.py`, hedges on both sides): the fact's interval inside
   the claim's supports it; intervals that do not meet refute it; anything else cannot decide.
   Directions are compared apart from sizes: a claimed rise against a reported fall refutes.
3. **Only a confident match decides.** Among the confident matches, the best-scoring ones
   decide: a fit gives `supported`, a clash `refuted`, a fit from one source and a clash from
   another `conflicting`. Without a confident match, a few errors can still be named with
   certainty: the right figure tied to the wrong year, the right figure in the wrong unit
   (percentage points for percent, percent for a multiple), and a flow the wrong way round.
   Anything else is `not_enough_info`, with the nearest facts shown.

A claim whose only numbers are years or dates dates an event: the year is compared with the
period of the fact that reports that event. A claim with several figures is refuted if any
figure is, conflicting if any is, supported if all are, else not_enough_info.
"""

from __future__ import annotations

import functools
import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property
from typing import Any

from migfacts.claims import (
    STRICT_ROLES,
    ClaimFigure,
    ClaimPlace,
    ClaimReading,
    is_direction_word,
    read_claim,
)
from migfacts.measures import Interval, fact_interval, hedged, written_step
from migfacts.names import NameIndex
from migfacts.periods import Period
from migfacts.present import COUNT_UNITS, figure, source_line
from migfacts.records import Fact, FactBase
from migfacts.search import stem, tokens

SUPPORTED = "supported"
REFUTED = "refuted"
NOT_ENOUGH_INFO = "not_enough_info"
CONFLICTING = "conflicting"
VERDICTS = (SUPPORTED, REFUTED, NOT_ENOUGH_INFO, CONFLICTING)

ROLES = ("origin", "destination", "area", "nationality")

# How much of the claim's and the fact's measure words must meet for a confident match: to
# refute a figure the measure must be plainly the same; to support it, the figure itself agrees
# too, so the words may say it in other terms.
WORDS_TO_REFUTE = 0.34
WORDS_TO_SUPPORT = 0.2
# People nouns say little about what is counted: "citizens", "people" are in most facts.
_BROAD_TOPICS = frozenset({"labor-migrants", "economy", "legislation"})
_LIGHT_WORDS = frozenset(stem(w) for w in ("citizen", "migrant", "labor", "labour"))
# Facts within this much of the best score are read together: one of them is what the
# claim speaks of, and the verdict must hold for whichever it is.
CLOSE_SCORES = 0.6
MAX_FIGURES = 20  # a sentence with more is a table, not a claim
NEAREST_POOL = 1000  # facts on the claim's places read for the nearest, when few share a word
CLEARLY_CLOSER = 0.25
# The words right by a figure, found by the fact's own figure, weigh as much as a place.
FOCUS_WEIGHT = 2.0
_DAYS = {"years": 365.25, "months": 30.44, "days": 1.0}

# Words that say who reports a figure, not what it measures.
_REPORTING_TEXT = """
    said say says according report reports reported show shows showed data figure figures
    official officials statistics study found estimate estimates estimated claim claims note
    noted put record recorded total totaled totalled reached amounted stood number numbers
    alone currently today now
"""
_REPORTING = frozenset(stem(word) for word in _REPORTING_TEXT.split())


def _family_of_unit(unit: str) -> str:
    if unit in COUNT_UNITS:
        return "count"
    if unit in _DAYS:
        return "duration"
    return unit


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
    checked: bool = True  # False for a sentence of a draft that carries no figure
    line: int | None = None  # where the claim stands in the file or input it came from

    @property
    def evidence(self) -> list[Fact]:
        seen: dict[str, Fact] = {}
        for item in self.figures:
            for fact in item.evidence:
                seen.setdefault(fact.id, fact)
        return list(seen.values())


@dataclass(frozen=True)
class _Profile:
    """A fact as `check` compares it: read once per run."""

    fact: Fact
    family: str
    interval: Interval
    sign: int | None  # -1 a fall, +1 a rise, None a level
    words: frozenset[str]  # stems of statement, attribution and topic vocabulary
    quote_words: frozenset[str]  # stems of the quote, which other facts may share
    statement_words: dict[str, float]  # stems that say what it measures, by closeness
    basis: tuple[Fact, ...] = ()  # for a figure worked out from facts (derive.py): those facts
    how: str = ""  # and the working, in words

    def roles(self, role: str) -> tuple[str, ...]:
        return tuple(getattr(self.fact, role, ()))

    def _replace_derived(
        self, interval: Interval, sign: int | None, quotes: str, basis: tuple[Fact, ...], how: str
    ) -> _Profile:
        return replace(self, interval=interval, sign=sign,
                       quote_words=frozenset(tokens(quotes)), basis=basis, how=how)  # fmt: skip


@dataclass(frozen=True)
class _Match:
    profile: _Profile
    score: float
    places_exact: bool  # every place of the claim in a role the claim gives it, none missing
    places_near: bool  # every place in the fact, some in another role
    period_fits: bool | None  # None: the claim gives no period
    role_conflict: bool
    words: float
    extra: int  # places of the fact the claim does not name
    named_places: bool  # whether the claim names any place at all
    described: float  # of the known words by the claim's figure, the share the fact has
    focus: float  # how far the words by the claim's figure are those by the fact's own

    def __post_init__(self) -> None:
        # A flow the wrong way round matches no role exactly, whatever else matches.
        if self.role_conflict:
            object.__setattr__(self, "places_exact", False)

    @property
    def to_support(self) -> bool:
        """Confident enough that a figure agreeing with it is supported."""
        return (
            (self.places_exact or self.places_near)
            and self.period_fits is not False
            and self.words >= WORDS_TO_SUPPORT
            and self.described >= 0.5
        )

    @property
    def to_refute(self) -> bool:
        """Confident enough that a figure disagreeing with it is refuted: the same places, and
        none the claim leaves out ("70,000 Kyrgyz went to work in developed countries" is not
        refuted by the Kyrgyz who went to Russia)."""
        return (
            self.places_exact
            and (self.extra == 0 or not self.named_places)
            and self.period_fits is not False
            and self.words >= WORDS_TO_REFUTE
        )


class Checker:
    """Checks claims against one base; builds what it needs from the base once.

    Each figure is compared with the facts that could speak of it: those naming a place the
    claim names (every fact, when it names none) and sharing a word with it; a fact sharing
    no word cannot reach the word fit that deciding needs. In memory every fact is read once
    per run; over a store the facts are found by its indexes and read once ever: their words
    and readings are kept as notes in the store (`_StoredReadings`), so a check at 100,000
    facts reads the facts its claim names, not the base.
    """

    def __init__(self, base: FactBase, places: NameIndex, topics: NameIndex) -> None:
        self.base = base
        self.places = places
        self.topics = topics
        self._statements: dict[str, ClaimReading] = {}
        self._by_id: dict[str, _Profile] = {}  # figures worked out from facts, by their id
        store = getattr(base, "store", None)
        self._stored = _StoredReadings(self, store) if store is not None else None

    @cached_property
    def _profiles(self) -> list[_Profile]:
        return [self._profile(fact) for fact in self.base.facts]

    def _candidates(self, codes: set[str], stems: set[str]) -> list[_Profile]:
        """The facts naming one of `codes` (any fact, when empty) that share a word of
        `stems` (any, when empty), in the base's order. When fewer than three do, the facts
        naming those places are added (at most `NEAREST_POOL`), to show as the nearest."""
        pool = self._sharing(codes, stems)
        if len(pool) < 3 and stems:
            seen = {p.fact.id for p in pool}
            others = [p for p in self._sharing(codes, set(), NEAREST_POOL) if p.fact.id not in seen]
            pool = sorted([*pool, *others], key=self._order)
        return pool

    def _sharing(self, codes: set[str], stems: set[str], limit: int | None = None
                 ) -> list[_Profile]:  # fmt: skip
        if self._stored is not None:
            return self._stored.candidates(codes, stems, limit)
        return [p for p in self._profiles if _shares(p, codes, stems)][:limit]

    @cached_property
    def _order(self) -> Callable[[_Profile], Any]:
        """A fact's place in the base, which breaks ties between equal scores."""
        if self._stored is not None:
            return self._stored.order
        order = {p.fact.id: index for index, p in enumerate(self._profiles)}
        return lambda profile: order[profile.fact.id]

    def _derived(self, profiles: list[_Profile]) -> list[_Profile]:
        """Figures the articles give in words (derive.py), compared like any fact."""
        from migfacts.derive import derive

        by_id = {p.fact.id: p for p in profiles}
        intervals = {p.fact.id: p.interval for p in profiles}
        signs = {p.fact.id: p.sign for p in profiles}
        found = []
        for item in derive([p.fact for p in profiles], intervals, signs):
            profile = self._by_id.get(item.fact.id)
            if profile is None:
                # What it measures is said by the statements it rests on, each read already;
                # its own figure is in none of them, so every word counts fully.
                measure = {w: 1.0 for f in item.basis for w in by_id[f.id].statement_words}
                plain = self._profile(item.fact, reading=(None, measure))
                quotes = " ".join(f.quote for f in item.basis)
                profile = plain._replace_derived(item.interval, item.sign, quotes, item.basis,
                                                  item.how)  # fmt: skip
                self._by_id[profile.fact.id] = profile
            found.append(profile)
        return found

    @cached_property
    def _document_frequency(self) -> tuple[int, Counter[str]]:
        """How many facts there are, and how many use each word."""
        if self._stored is not None:
            return self._stored.frequency()
        counts: Counter[str] = Counter()
        for profile in self._profiles:
            counts.update(profile.words)
        return len(self._profiles), counts

    def _idf(self, word: str) -> float:
        total, frequency = self._document_frequency
        seen = frequency.get(word, 0)
        return math.log(1 + (total - seen + 0.5) / (seen + 0.5))

    def _words(self, fact: Fact) -> tuple[frozenset[str], frozenset[str]]:
        """The stems a fact is matched by: of its statement, attribution, unit and topic
        vocabulary; and of its quote, which other facts may share."""
        words = set(tokens(" ".join([fact.statement, fact.attribution or "", fact.unit])))
        for topic_id in fact.topics:
            words |= self._topic_words(topic_id)
        return frozenset(words), frozenset(tokens(fact.quote))

    @functools.cache  # noqa: B019 -- one checker per run, a few dozen topics
    def _topic_words(self, topic_id: str) -> frozenset[str]:
        topic = self.base.topics.get(topic_id)
        if topic is None:
            return frozenset()
        return frozenset(tokens(" ".join([topic.label, topic.description, *topic.aliases])))

    def _reading(self, fact: Fact) -> tuple[int | None, dict[str, float]]:
        """What the statement says of the fact's own figure: a rise, a fall or a level, and
        the words that say what it measures. The costly part of a profile."""
        return self._statement_sign(fact), self._measure_words(fact)

    def _profile(
        self,
        fact: Fact,
        words: tuple[frozenset[str], frozenset[str]] | None = None,
        reading: tuple[int | None, dict[str, float]] | None = None,
    ) -> _Profile:
        words = words or self._words(fact)
        value = fact.value if fact.value is not None else fact.low
        sign, measure = reading or self._reading(fact)
        if value is not None and value < 0:
            sign = -1
        return _Profile(
            fact=fact,
            family=_family_of_unit(fact.unit),
            interval=fact_interval(fact),
            sign=sign,
            words=words[0],
            quote_words=words[1],
            statement_words=measure,
        )

    def _statement(self, fact: Fact) -> ClaimReading:
        """A fact's statement, read as a claim once. Statements are edited text: no typos to
        forgive, and places in lower case are not expected."""
        found = self._statements.get(fact.statement)
        if found is None:
            found = read_claim(fact.statement, self.places, self.topics, self.base.places,
                               proper_nouns=False)  # fmt: skip
            self._statements[fact.statement] = found
        return found

    def _statement_sign(self, fact: Fact) -> int | None:
        """A rise, a fall or a level, as the fact's own statement says it: "grew by 6.4
        percent", "a net migration surplus of 22,000", "fell to 1.8 million"."""
        reading = self._statement(fact)
        own = _own_figure(reading, fact)
        if own is None:
            return None
        if own.change and own.sign is None:
            return 1
        return own.sign

    def _measure_words(self, fact: Fact) -> dict[str, float]:
        """The statement's words that say what it measures, those of the clause holding the
        fact's own figure first: "Of the UK's 40,000 quotas, 10,000 are for Kyrgyz citizens"
        measures what is for Kyrgyz citizens."""
        reading = self._statement(fact)
        own = _own_figure(reading, fact)
        clause = set(tokens(fact.statement[own.clause[0] : own.clause[1]])) if own else set()
        words = " ".join(w for w in reading.words if not is_direction_word(w))
        return {
            word: 1.0 if not clause or word in clause else 0.4
            for word in tokens(words)
            if word not in _REPORTING and not word.isdigit()
        }

    def measure_words(self, facts: Sequence[Fact]) -> dict[str, frozenset[str]]:
        """The words that say what each fact's own figure counts ("registered for migration",
        "went to Russia for work"), without the words most facts share; by fact id."""
        if self._stored is not None:
            measures = self._stored.measures(facts)
        else:
            measures = {fact.id: self._measure_words(fact) for fact in facts}
        return {
            ident: frozenset(
                w for w, weight in own.items() if weight >= 1.0 and w not in _LIGHT_WORDS
            )
            for ident, own in measures.items()
        }

    # --- reading and checking --------------------------------------------------------------

    def read(self, text: str) -> ClaimReading:
        return read_claim(text, self.places, self.topics, self.base.places)

    def check(self, claim: str) -> ClaimCheck:
        """Read one claim and check each figure in it."""
        reading = self.read(claim)
        if not reading.figures:
            return ClaimCheck(claim, NOT_ENOUGH_INFO, "The claim states no figure to check.",
                              [], checked=False)  # fmt: skip
        if len(reading.figures) > MAX_FIGURES:
            return ClaimCheck(claim, NOT_ENOUGH_INFO,
                              f"Not checked: the sentence states {len(reading.figures)} figures; "
                              f"migfacts checks sentences of at most {MAX_FIGURES}. Split it.",
                              [])  # fmt: skip
        checks = [self._check_figure(reading, item) for item in reading.figures]
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

    def _claim_words(self, reading: ClaimReading, item: ClaimFigure) -> list[tuple[str, float]]:
        """The claim's measure words with their weight: the figure's own stretch counts most."""
        text = reading.text
        start, end = item.clause
        own = set(tokens(text[start:end]))
        # The few words right by the figure say what it counts ("1,700 foreigners were
        # deported"); the rest of the clause, when and where.
        before = text[max(start, item.mention.start - 40) : item.mention.start].split()[-3:]
        after = text[item.mention.end : end].split()[:4]
        near = set(tokens(" ".join(before + after)))
        weighted: dict[str, float] = {}
        for word in tokens(" ".join(w for w in reading.words if not is_direction_word(w))):
            if word in _REPORTING or word.isdigit():
                continue
            weight = 2.0 if word in near else 1.0 if word in own else 0.35
            weight *= 0.3 if word in _LIGHT_WORDS else 1.0
            weighted[word] = max(weight, weighted.get(word, 0.0))
        return list(weighted.items())

    def _word_fit(
        self, claim_words: list[tuple[str, float]], claim_stems: set[str], profile: _Profile
    ) -> float:
        """How far the claim's words and the fact's say the same measure, 0 to 1, both ways."""
        if not claim_words:
            return 0.5
        cap = self._idf("\0") * 0.75  # a word the base never uses counts, but not above all
        total = found = 0.0
        for word, weight in claim_words:
            idf = min(self._idf(word), cap) * weight
            total += idf
            if word in profile.words:
                found += idf
            elif word in profile.quote_words:
                found += 0.4 * idf
        claim_side = found / total if total else 0.0
        fact_total = fact_found = 0.0
        for word, weight in profile.statement_words.items():
            idf = min(self._idf(word), cap) * weight
            fact_total += idf
            if word in claim_stems:
                fact_found += idf
        fact_side = fact_found / fact_total if fact_total else claim_side
        # The claim's words count more: a fact's statement carries context the claim need
        # not repeat ("despite pandemic-related border closures").
        return 0.65 * claim_side + 0.35 * fact_side

    def _focus(self, near: set[str], profile: _Profile) -> float:
        """The words right by the claim's figure found in the clause of the fact's own figure:
        "1,000 foreigners were deported" is about deportations, not the summonses that the same
        article sentence also counts."""
        own = {w for w, weight in profile.statement_words.items() if weight >= 1.0}
        total = sum(self._idf(w) for w in near)
        return sum(self._idf(w) for w in near if w in own) / total if total else 0.0

    def _matches(self, reading: ClaimReading, item: ClaimFigure) -> list[_Match]:
        claim_words = self._claim_words(reading, item)
        claim_stems = {w for w, _ in claim_words}
        by_figure = {w for w, weight in claim_words if weight >= 2.0 * 0.3}
        # Words by the figure that the base uses elsewhere are what it counts ("slots for
        # highly qualified specialists"); words it never uses are the claim's own wording.
        known = {w for w, weight in claim_words if weight >= 2.0 and self._idf(w) < self._idf("\0")}
        claim_topics = set(reading.topics)
        places = _merge_places(reading.places, item)
        codes = {code for code, _roles, _weight in places}
        pool = self._candidates(codes, claim_stems)
        matches = []
        for profile in [*pool, *self._derived(pool)]:
            place_fit = _place_fit(places, profile)
            if place_fit is None:
                continue
            fit, missed, conflict, exact, extra = place_fit
            period_fits = (
                None
                if item.period is None
                else (
                    item.period.overlaps(_reach(profile.fact))
                    and (item.up_to or not _longer_span(item.period, profile.fact.interval))
                )
            )
            words = self._word_fit(claim_words, claim_stems, profile)
            focus = self._focus(by_figure, profile)
            described = _share_found(known, profile)
            topic = bool(claim_topics & set(profile.fact.topics))
            # Two changes the same way ("growth" and "grew by") say the same kind of measure.
            if item.sign is not None and item.sign == profile.sign:
                words += 0.1
            # A topic the claim names and the fact lacks ("deported" against a count of
            # violators found) says another measure.
            words -= 0.1 * len(claim_topics - set(profile.fact.topics) - _BROAD_TOPICS)
            # A period that meets the claim's as stated counts more than one that meets it
            # only through an inferred period's reach.
            timely = _timeliness(item.period, profile.fact) if period_fits else 0.0
            score = 2.0 * fit + timely + 3.0 * words + 0.5 * topic + FOCUS_WEIGHT * focus
            near = not conflict and (missed == 0 or (missed <= 1.0 and fit + 1.5 * missed >= 2.0))
            matches.append(_Match(
                profile, score, exact and missed == 0, near, period_fits,
                conflict, words + (0.05 if topic else 0.0), extra, bool(places), described,
                focus,
            ))  # fmt: skip
        matches.sort(key=lambda m: -m.score)
        return matches

    def _check_figure(self, reading: ClaimReading, item: ClaimFigure) -> FigureCheck:
        result = self._judge(reading, item)
        # A figure worked out from facts is cited by the facts it rests on.
        evidence: dict[str, Fact] = {}
        for fact in result.evidence:
            derived = self._by_id.get(fact.id)
            for cited in derived.basis if derived is not None else (fact,):
                evidence.setdefault(cited.id, cited)
        result.evidence = list(evidence.values())
        return result

    def _judge(self, reading: ClaimReading, item: ClaimFigure) -> FigureCheck:
        matches = self._matches(reading, item)
        said = _describe_claim(item)
        if not reading.places and not self._claim_words(reading, item):
            # A bare figure ("$3m", "77%"): every fact would fit its words and places alike.
            nearest = [m.profile.fact for m in matches[:3]]
            where = "; nearest: " + "; ".join(map(self._describe, nearest)) if nearest else ""
            what = f"it dates to {said}" if reading.year_only else f"its {said} counts"
            return FigureCheck(item.text, NOT_ENOUGH_INFO,
                               f"Not enough information: the claim does not say what {what}, "
                               f"nor where{where}.", nearest)  # fmt: skip
        if reading.year_only:
            return self._check_date(item, matches, said)
        comparable = [m for m in matches if _comparable(item, m.profile)]
        confident = _one_figure_per_sentence(
            item, [m for m in comparable if m.to_support or m.to_refute]
        )
        if confident:
            best = confident[0].score
            close = [m for m in confident if m.score >= best - CLOSE_SCORES]
            decided = self._decide(item, close, said, _where_unsaid(reading, close))
            if decided.verdict != NOT_ENOUGH_INFO:
                return decided
        for explain in (self._wrong_year, self._wrong_direction, self._wrong_unit):
            found = explain(item, comparable if explain == self._wrong_direction else matches, said)
            if found is not None:
                return found
        if confident:
            return decided
        nearest = [m.profile.fact for m in matches[:3]]
        where = "; nearest: " + "; ".join(self._describe(f) for f in nearest) if nearest else ""
        return FigureCheck(
            item.text,
            NOT_ENOUGH_INFO,
            f"Not enough information: no fact in the base measures what the claim's {said} "
            f"measures{where}.",
            nearest,
        )

    def _decide(
        self, item: ClaimFigure, close: list[_Match], said: str, where_unsaid: bool = False
    ) -> FigureCheck:
        fits: list[_Match] = []
        clashes: list[_Match] = []
        partial: list[_Match] = []
        for match in close:
            outcome = _compare(item, match.profile)
            if outcome == 1 and match.to_support:
                fits.append(match)
            elif outcome == -1 and match.to_refute:
                clashes.append(match)
            else:
                partial.append(match)
        if fits and clashes:
            fit_sources = {m.profile.fact.source for m in fits}
            clash_sources = {m.profile.fact.source for m in clashes}
            if fit_sources != clash_sources and _same_time(fits, clashes):
                facts = [m.profile.fact for m in fits + clashes]
                return FigureCheck(item.text, CONFLICTING,
                                   f"Conflicting: the sources disagree on the claim's {said}: "
                                   + "; ".join(self._describe(f) for f in facts) + ".",
                                   facts)  # fmt: skip
            # One article, figures for near measures: the closer match decides, if clearly.
            margin = fits[0].score - clashes[0].score
            if abs(margin) < CLEARLY_CLOSER:
                fits, clashes = [], []
                partial = close
            elif margin < 0:
                fits = []
        if fits:
            facts = [m.profile.fact for m in fits]
            return FigureCheck(item.text, SUPPORTED,
                               f"Supported: {self._describe(facts[0])}, which fits the claim's "
                               f"{said}.", facts)  # fmt: skip
        if where_unsaid:
            partial, clashes = partial + clashes, []
        if clashes and not [m for m in partial if m.score >= clashes[0].score]:
            fact = clashes[0].profile
            why = _why_not(item, fact)
            return FigureCheck(item.text, REFUTED,
                               f"Refuted: {self._describe(fact.fact)}, {why}.",
                               [m.profile.fact for m in clashes])  # fmt: skip
        facts = [m.profile.fact for m in partial + clashes]
        return FigureCheck(item.text, NOT_ENOUGH_INFO,
                           f"Not enough information: {self._describe(facts[0])}, which neither "
                           f"confirms nor excludes the claim's {said}.", facts)  # fmt: skip

    def _wrong_year(self, item: ClaimFigure, matches: list[_Match], said: str
                    ) -> FigureCheck | None:  # fmt: skip
        """The right figure for the wrong period: refuted, when no fact covers the claim's."""
        if item.period is None:
            return None
        # Only where the base says something of that measure for the claim's period (another
        # figure of it then, or a change that reaches back to it) is the year known wrong.
        known_then = [
            set(m.profile.fact.topics)
            for m in matches
            if m.period_fits and m.places_exact and m.words >= WORDS_TO_SUPPORT
        ]
        for match in matches:
            topics = set(match.profile.fact.topics)
            if (
                match.period_fits is False
                and _comparable(item, match.profile)
                and _almost_confident(match)
                and _compare(item, match.profile) == 1
                and _same_figure(item, match.profile)
                and any(topics & other for other in known_then)
            ):
                fact = match.profile.fact
                return FigureCheck(item.text, REFUTED,
                                   f"Refuted: the figure is right but the year is not: "
                                   f"{self._describe(fact)}, not for "
                                   f"{_period_text(item.period)}.", [fact])  # fmt: skip
        return None

    def _wrong_direction(self, item: ClaimFigure, matches: list[_Match], said: str
                         ) -> FigureCheck | None:  # fmt: skip
        """The places of a flow the wrong way round: the fact has them, in the other roles."""
        for match in matches:
            if (
                match.role_conflict
                and match.period_fits is not False
                and (match.words >= WORDS_TO_REFUTE)
            ):
                fact = match.profile.fact
                flow = f"{', '.join(fact.origin) or '?'} → {', '.join(fact.destination) or '?'}"
                return FigureCheck(item.text, REFUTED,
                                   f"Refuted: the claim has the direction wrong: "
                                   f"{self._describe(fact)}, for the flow {flow}.",
                                   [fact])  # fmt: skip
        return None

    def _wrong_unit(self, item: ClaimFigure, matches: list[_Match], said: str
                    ) -> FigureCheck | None:  # fmt: skip
        """The source's number in another unit: percentage points for percent, percent for a
        multiple, a count for a share."""
        for match in matches:
            if not match.to_refute or _comparable(item, match.profile):
                continue
            profile = match.profile
            value = float(item.parsed.low) * item.scale
            if math.isclose(value, abs(float(profile.fact.bounds[0])), rel_tol=0.05):
                fact = profile.fact
                return FigureCheck(item.text, REFUTED,
                                   f"Refuted: the claim has the unit wrong: "
                                   f"{self._describe(fact)}, in {fact.unit}, not "
                                   f"{item.family}.", [fact])  # fmt: skip
        return None

    def _check_date(self, item: ClaimFigure, matches: list[_Match], said: str) -> FigureCheck:
        """A claim that dates an event: the year against the period of the facts reporting it."""
        # The event is dated by a fact that is a date ("founded in 2015"), or by a figure of one
        # year or less that the claim's words plainly describe; never by a long span.
        candidates = [
            m for m in matches
            if (m.profile.family in ("calendar year", "date") and m.to_support)
            or (m.to_refute and _days(m.profile.fact.interval) <= 366)
        ]  # fmt: skip
        claimed = _year_span(item)
        if candidates:
            close = [m for m in candidates if m.score >= candidates[0].score - CLOSE_SCORES]
            agree = [
                m.profile.fact for m in close if _event_period(m.profile.fact).overlaps(claimed)
            ]
            if agree:
                return FigureCheck(item.text, SUPPORTED,
                                   f"Supported: {self._describe(agree[0])}, which dates it as "
                                   f"the claim does ({said}).", agree)  # fmt: skip
            if close[0].to_refute and close[0].profile.family in ("calendar year", "date"):
                fact = close[0].profile.fact
                return FigureCheck(item.text, REFUTED,
                                   f"Refuted: the claim dates it to {said}, but "
                                   f"{self._describe(fact)}.", [fact])  # fmt: skip
        nearest = [m.profile.fact for m in matches[:3]]
        return FigureCheck(item.text, NOT_ENOUGH_INFO,
                           f"Not enough information: no fact in the base dates what the "
                           f"claim dates to {said}.", nearest)  # fmt: skip

    def _describe(self, fact: Fact) -> str:
        derived = self._by_id.get(fact.id)
        if derived is not None:
            cited = " and ".join(f.id for f in derived.basis)
            return (f"worked out from {source_line(self.base, derived.basis[-1])}: "
                    f"{derived.how} ({cited})")  # fmt: skip
        inferred = ", inferred" if fact.period_basis == "inferred" else ""
        return (f"{source_line(self.base, fact)} gives {figure(fact)} for {fact.period}"
                f"{inferred} ({fact.id})")  # fmt: skip


def _shares(profile: _Profile, codes: set[str], stems: set[str]) -> bool:
    """Whether a fact names one of the claim's places (or the claim names none) and shares a
    word with it: one sharing no word has a word fit of 0, too little to decide anything."""
    if codes and codes.isdisjoint(profile.fact.places):
        return False
    return _any_word(stems, (profile.words, profile.quote_words))


def _any_word(stems: set[str], words: tuple[frozenset[str], frozenset[str]]) -> bool:
    """Whether a fact's words share one of the claim's (a claim of no words has a word fit
    of 0.5 with every fact)."""
    return not stems or not (stems.isdisjoint(words[0]) and stems.isdisjoint(words[1]))


# The code whose output the store's notes keep: a change to it makes them stale.
_NOTE_MODULES = ("check", "claims", "search", "names", "numbers", "periods", "measures")


class _StoredReadings:
    """`check`'s view of a base kept in the store: candidates by the store's indexes, and
    each fact's words and reading worked out once and kept as notes beside its row.

    The first check of a base works out every fact's words (for the word statistics), the
    costly readings only for the facts it compares; later checks read them back. Notes are
    stamped with the code that makes them and the base's places and topics, so a change to
    either makes new ones.
    """

    def __init__(self, checker: Checker, store: Any) -> None:
        from migfacts.store import code_stamp

        self.checker = checker
        self.store = store
        stamp = code_stamp(_NOTE_MODULES, store.vocabulary_stamp())[:16]
        self.words_kind = f"check-words/{stamp}"
        self.reading_kind = f"check-reading/{stamp}"
        self.frequency_kind = f"check-frequency/{stamp}"
        self.kinds = (self.words_kind, self.reading_kind, self.frequency_kind)
        self._profiles: dict[int, _Profile] = {}
        self._rank: dict[str, tuple[int, int]] = {}  # a fact's place in the base, by id
        # Whether every fact is known to have its words note: the word statistics are kept
        # only once all are, so when they are read back, no fact lacks one.
        self._every_fact_has_words = False

    def _work_out_words(self, rowids: list[int]) -> dict[int, str]:
        """Each fact's words as its note keeps them, " statement words \t quote words \t
        @places ", every word between spaces, so that the store finds them by word and place
        (`notes_holding`)."""
        new: dict[int, str] = {}
        for start in range(0, len(rowids), 500):
            chunk = rowids[start : start + 500]
            for rowid, fact in zip(chunk, self.store.by_rowids(chunk, remember=True), strict=True):
                statement, quote = self.checker._words(fact)
                places = " ".join(f"@{code}" for code in sorted(fact.places))
                new[rowid] = (f" {' '.join(sorted(statement))} \t {' '.join(sorted(quote))} "
                              f"\t {places} ")  # fmt: skip
        if new and not self.store.put_notes(self.words_kind, new, self.kinds):
            self._every_fact_has_words = False
        return new

    def frequency(self) -> tuple[int, Counter[str]]:
        import json

        manifest = self.store.manifest()  # what the statistics are of
        kept = self.store.summary(self.frequency_kind)
        if kept is not None:
            total, frequency = json.loads(kept)
            self._every_fact_has_words = True
            return int(total), Counter(frequency)
        every, missing = self.store.notes_holding(self.words_kind, None, [])
        self._every_fact_has_words = True  # unless a note worked out now is not kept
        every.update(self._work_out_words(missing))
        counts: Counter[str] = Counter()
        for value in every.values():
            counts.update(value.partition("\t")[0].split())
        if self._every_fact_has_words:  # else the statistics would vouch for notes not kept
            value = json.dumps([len(every), dict(sorted(counts.items()))], separators=(",", ":"))
            self.store.put_summary(self.frequency_kind, value, self.kinds, manifest)
        return len(every), counts

    def order(self, profile: _Profile) -> tuple[int, int]:
        return self._rank[profile.fact.id]

    def _readings(self, facts: dict[int, Fact]) -> dict[int, tuple[int | None, dict[str, float]]]:
        """The readings of these facts (by row), from their notes or worked out and kept."""
        import json

        kept = self.store.notes(self.reading_kind, list(facts))
        # A note is kept only for the record it was worked out from: read those to work out
        # again so that their MACs are known (`by_rowids(remember=True)`).
        unread = [r for r in facts if r not in kept and r not in self.store.read_macs]
        for start in range(0, len(unread), 500):
            chunk = unread[start : start + 500]
            facts.update(zip(chunk, self.store.by_rowids(chunk, remember=True), strict=True))
        found: dict[int, tuple[int | None, dict[str, float]]] = {}
        new: dict[int, str] = {}
        for rowid, fact in facts.items():
            if rowid in kept:
                sign, measure = json.loads(kept[rowid])
                found[rowid] = (sign, {word: float(weight) for word, weight in measure})
            else:
                found[rowid] = self.checker._reading(fact)
                new[rowid] = json.dumps([found[rowid][0], list(found[rowid][1].items())],
                                        separators=(",", ":"))  # fmt: skip
        if new:
            self.store.put_notes(self.reading_kind, new, self.kinds)
        return found

    def measures(self, facts: Sequence[Fact]) -> dict[str, dict[str, float]]:
        """The measure words of these facts (by id), from their notes or worked out."""
        rows = self.store.rows_of([fact.id for fact in facts])
        by_row = {rows[fact.id]: fact for fact in facts if fact.id in rows}
        readings = self._readings(dict(by_row))
        found = {by_row[rowid].id: reading[1] for rowid, reading in readings.items()}
        return {f.id: found[f.id] if f.id in found else self.checker._measure_words(f)
                for f in facts}  # fmt: skip

    def candidates(self, codes: set[str], stems: set[str], limit: int | None) -> list[_Profile]:
        self.checker._document_frequency  # noqa: B018 -- gives every fact its words note
        words, missing = self.store.notes_holding(
            self.words_kind,
            sorted(codes) if codes else None,
            sorted(stems),
            every_fact_has_one=self._every_fact_has_words,
        )
        needles = [f" {stem} " for stem in sorted(stems)]
        for rowid, value in self._work_out_words(missing).items():
            if not needles or any(needle in value for needle in needles):
                words[rowid] = value
        positions = self.store.positions(list(words))
        chosen = sorted(words, key=positions.__getitem__)[:limit]
        unread = [rowid for rowid in chosen if rowid not in self._profiles]
        for start in range(0, len(unread), 500):
            chunk = unread[start : start + 500]
            facts = dict(zip(chunk, self.store.by_rowids(chunk, remember=True), strict=True))
            for rowid, reading in self._readings(facts).items():
                statement, quote, _places = words[rowid].split("\t")
                both = (frozenset(statement.split()), frozenset(quote.split()))
                self._profiles[rowid] = self.checker._profile(facts[rowid], both, reading)
        pool = []
        for rowid in chosen:
            profile = self._profiles[rowid]
            self._rank[profile.fact.id] = positions[rowid]
            if _shares(profile, codes, stems):  # the index is not trusted alone
                pool.append(profile)
        return pool


# --- comparing -------------------------------------------------------------------------------


def _merge_places(
    places: Sequence[ClaimPlace], item: ClaimFigure
) -> list[tuple[str, frozenset[str], float]]:
    """Each place once, with every role the claim gives it; a place in the figure's own
    clause weighs more than one elsewhere in the sentence, which may be said of something
    else ("By the time Russia invaded Georgia in 2008, almost 300 foreigners …")."""
    merged: dict[str, tuple[frozenset[str], float]] = {}
    start, end = item.clause
    for place in places:
        inside = start <= place.start < end
        qualifies = place.possessive and place.start > item.mention.end and not place.owner
        weight = 1.0 if inside and not qualifies and not place.oblique else 0.3
        roles, old_weight = merged.get(place.code, (frozenset(), 0.0))
        merged[place.code] = (roles | place.roles, max(weight, old_weight))
    return [(code, roles, weight) for code, (roles, weight) in merged.items()]


def _place_fit(
    places: list[tuple[str, frozenset[str], float]], profile: _Profile
) -> tuple[float, float, bool, bool, int] | None:
    """(fit, missed weight, role conflict, all in their roles), or None when the fact shares
    no place named.

    A place in a role the claim gives it matches; in another role it half matches, except
    that a flow's end named by "from", "to" or "into" found at the other end of the fact's
    flow is the direction swapped.
    """
    fact_places = set(profile.fact.places) | set(profile.roles("nationality"))
    if not places:
        return (0.0 - 0.2 * len(fact_places), 0.0, False, True, len(fact_places))
    matched = missed = 0.0
    conflict = False
    exact = True
    money = profile.family in ("US dollars", "rubles")
    matched = missed = 0.0
    conflict = False
    exact = True
    unmatched = []
    for code, roles, weight in places:
        if any(code in profile.roles(role) for role in roles):
            matched += weight
        elif money and "nationality" in roles and code in profile.roles("destination"):
            matched += weight  # "Uzbek migrants sent home $14.8 billion": money to UZ
        elif roles in STRICT_ROLES and code in profile.roles("area"):
            matched += weight  # "deported from Russia": the fact says where it happened
        elif code in fact_places:
            if roles in STRICT_ROLES and (
                code in profile.roles("origin") or code in profile.roles("destination")
            ):
                conflict = True
            else:
                matched += 0.6 * weight
                exact = False
        else:
            unmatched.append(weight)
    if matched == 0 and not conflict:
        return None
    # A place outside the figure's clause that the fact lacks is forgiven: it is likely said
    # of something else. One in the clause is a place the fact does not speak of.
    missed = sum(weight for weight in unmatched if weight >= 1.0)
    named = {code for code, _, _ in places}
    extra = len(fact_places - named)
    return (matched - 1.5 * missed - 0.35 * extra, missed, conflict, exact, extra)


def _own_figure(reading: ClaimReading, fact: Fact) -> ClaimFigure | None:
    """The figure of a fact's statement that is the fact's own."""
    stated = abs(float(fact.bounds[0]))
    for item in reading.figures:
        if item.text == fact.as_written or math.isclose(
            float(item.parsed.low) * item.scale, stated, rel_tol=0.01
        ):
            return item
    return None


def _same_figure(item: ClaimFigure, profile: _Profile) -> bool:
    """The claim's number is the fact's own figure, not merely inside a hedge's reach."""
    claimed = float(item.parsed.low) * item.scale
    stated = abs(float(profile.fact.bounds[0]))
    return math.isclose(claimed, stated, rel_tol=0.05)


def _where_unsaid(reading: ClaimReading, comparable: list[_Match]) -> bool:
    """A claim that names no place, on a measure the base gives for several places
    ("Remittances rose 5% in 2024"), cannot be refuted by one of them."""
    if reading.places:
        return False
    where = {
        m.profile.fact.places
        for m in comparable
        if m.words >= WORDS_TO_SUPPORT and m.period_fits is not False
    }
    return len(where) > 1


def _share_found(words: set[str], profile: _Profile) -> float:
    if not words:
        return 1.0
    found = sum(1 for w in words if w in profile.words or w in profile.quote_words)
    return found / len(words)


def _one_figure_per_sentence(item: ClaimFigure, matches: list[_Match]) -> list[_Match]:
    """Facts from one sentence of one article are its different figures ("Of the UK's 40,000
    quotas, 10,000 are for Kyrgyz citizens"). When one of them agrees with the claim's figure,
    speaks of no place the claim leaves out, and its own words are those by the claim's figure
    at least as much as the others', the claim means that one, not the others."""
    by_sentence: dict[tuple[str, str], list[_Match]] = {}
    for match in matches:
        by_sentence.setdefault((match.profile.fact.source, match.profile.fact.quote), []).append(
            match
        )
    kept = []
    for group in by_sentence.values():
        fitting = [m for m in group if _compare(item, m.profile) == 1]
        focus = max((m.focus for m in group), default=0.0)
        meant = [m for m in fitting if m.extra == 0 and m.to_support and m.focus >= focus]
        kept += meant if meant else group
    return sorted(kept, key=lambda m: -m.score)


def _almost_confident(match: _Match) -> bool:
    """Confident but for the period."""
    return match.places_exact and match.words >= WORDS_TO_REFUTE


def _longer_span(claimed: Period, reported: Period) -> bool:
    """A total over 1991–2004 says nothing of 2000 alone, nor "millions since 1991" of 2020:
    a fact's period many times longer than the claim's (and over two years) is another
    measure."""
    return _days(reported) > max(3 * _days(claimed), 2 * 366)


def _days(period: Period) -> int:
    return period.end.toordinal() - period.start.toordinal() + 1


def _timeliness(claimed: Period | None, fact: Fact) -> float:
    """How closely a fact's period is the claim's: the same year counts more than a span of
    fourteen years that contains it, and a stated overlap more than an inferred period's
    reach."""
    if claimed is None:
        return 0.0
    period = fact.interval
    if not claimed.overlaps(period):
        return 0.3
    shared = min(claimed.end, period.end).toordinal() - max(claimed.start, period.start).toordinal()
    whole = max(claimed.end, period.end).toordinal() - min(claimed.start, period.start).toordinal()
    return 0.5 + 0.5 * (shared + 1) / (whole + 1)


def _reach(fact: Fact) -> Period:
    """The period a fact may speak of: an inferred period is read half a year wider either
    way, so a reasoned "2016/2017" does not contradict a claim's "in 2018"."""
    period = fact.interval
    if fact.period_basis != "inferred":
        return period
    start = date.fromordinal(max(1, period.start.toordinal() - 183))
    end = date.fromordinal(min(date.max.toordinal(), period.end.toordinal() + 183))
    return Period(start, end)


def _comparable(item: ClaimFigure, profile: _Profile) -> bool:
    family = profile.family
    claim = item.family
    if claim in ("years", "months", "days"):
        return family == "duration"
    if claim == "percent":
        return family == "percent" or (family == "times" and item.change)
    if claim == "times":
        return family == "times" or (family == "percent" and profile.sign is not None)
    if claim == "count":
        return family == "count" and item.counted in (None, profile.fact.unit)
    return claim == family


def _claim_interval(item: ClaimFigure, profile: _Profile) -> Interval:
    parsed = item.parsed
    unit = profile.fact.unit
    low, high = float(parsed.low) * item.scale, float(parsed.high) * item.scale
    step = written_step(parsed, unit) * (item.scale if parsed.kind != "fraction" else 1.0)
    if parsed.vague:
        return Interval(low, high)
    interval = hedged(low, high, item.hedge, step)
    if item.family in ("years", "months", "days"):
        factor = _DAYS[item.family]
        interval = Interval(interval.low * factor, interval.high * factor)
    return interval


def _fact_interval(item: ClaimFigure, profile: _Profile) -> Interval:
    interval = profile.interval
    if profile.family == "date" and item.parsed.low < 10000:
        # "September 1" with no year: compare month and day.
        return Interval(interval.low % 10000, interval.high % 10000)
    if profile.family == "duration":
        factor = _DAYS[profile.fact.unit]
        return Interval(interval.low * factor, interval.high * factor)
    if item.family == "percent" and profile.family == "times":
        # A multiple as a change: tenfold is a rise of 900 percent.
        return Interval((interval.low - 1) * 100, (interval.high - 1) * 100)
    if item.family == "times" and profile.family == "percent":
        return Interval(1 + interval.low / 100, 1 + interval.high / 100)
    return interval


def _compare(item: ClaimFigure, profile: _Profile) -> int:
    """1 the fact fits the claim, -1 it excludes it, 0 it can't decide."""
    fact_sign = profile.sign
    if item.sign is not None and fact_sign is not None and item.sign != fact_sign:
        return -1  # a rise where the source reports a fall, or the other way
    if (
        item.change
        and fact_sign is None
        and profile.family == "percent"
        and (item.family == "percent")
    ):
        # "grew by 17 percent" against a level of 17 percent: a different measure.
        return 0
    claimed = _claim_interval(item, profile)
    reported = _fact_interval(item, profile)
    if not reported.overlaps(claimed):
        return -1
    # A stored "33.33" is "a third" to two decimals: a hair of rounding is no disagreement.
    slack = 1e-3 * max(abs(claimed.low), abs(reported.low), 1e-9)
    if reported.within(Interval(claimed.low - slack, claimed.high + slack)):
        return 1
    return 0


def _why_not(item: ClaimFigure, profile: _Profile) -> str:
    if item.sign is not None and profile.sign is not None and item.sign != profile.sign:
        said = "rise" if item.sign > 0 else "fall"
        told = "fall" if profile.sign < 0 else "rise"
        return f"a {told}, where the claim speaks of a {said}"
    hedge = item.hedge or ""
    return f"which excludes the claim's {hedge + ' ' if hedge else ''}{item.text}"


def _same_time(first: Iterable[_Match], second: Iterable[_Match]) -> bool:
    return any(
        _reach(a.profile.fact).overlaps(_reach(b.profile.fact)) for a in first for b in second
    )


def _year_span(item: ClaimFigure) -> Period:
    parsed = item.parsed
    if parsed.kind == "date":
        value = int(parsed.low)
        year, month, day = value // 10000, value // 100 % 100, value % 100
        if year:
            return Period(date(year, month, day), date(year, month, day))
        return Period(date(1, month, day), date(9999, month, day))
    return Period(date(int(parsed.low), 1, 1), date(int(parsed.high), 12, 31))


def _event_period(fact: Fact) -> Period:
    if fact.unit == "calendar year" and fact.value is not None:
        year = int(fact.value)
        return Period(date(year, 1, 1), date(year, 12, 31))
    if fact.unit == "date" and fact.value is not None:
        value = int(fact.value)
        year, month, day = value // 10000, value // 100 % 100, value % 100
        if year:
            return Period(date(year, month, day), date(year, month, day))
    return fact.interval


def _period_text(period: Period) -> str:
    first, last = period.start.year, period.end.year
    return str(first) if first == last else f"{first}–{last}"


def _describe_claim(item: ClaimFigure) -> str:
    hedge = f"{item.hedge} " if item.hedge else ""
    when = f" ({_period_text(item.period)})" if item.period is not None else ""
    return f"{hedge}{item.text}{when}"


# --- the interface the CLI uses --------------------------------------------------------------


def check_summary(checks: list[ClaimCheck], sentences: int) -> str:
    """A count per verdict, for a draft or a list of claims."""
    counts = {verdict: sum(1 for c in checks if c.checked and c.verdict == verdict)
              for verdict in VERDICTS}  # fmt: skip
    checked = sum(counts.values())
    parts = ", ".join(f"{count} {verdict}" for verdict, count in counts.items())
    text = f"{checked} claim{'s' if checked != 1 else ''} checked: {parts}"
    passed = sentences - checked
    if passed:
        text += f"; {passed} sentence{'s' if passed != 1 else ''} stating no figure"
    return text


def overall_verdict(checks: list[ClaimCheck]) -> str:
    """For many claims: the most serious verdict, so a script can stop on any refuted one."""
    checked = [item for item in checks if item.checked] or checks
    for verdict in (REFUTED, CONFLICTING, NOT_ENOUGH_INFO):
        if any(item.verdict == verdict for item in checked):
            return verdict
    return SUPPORTED
